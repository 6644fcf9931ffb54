#!/usr/bin/env bash
# Latchkey's one entry point.
#   ./build.sh setup    install what the project needs (idempotent; fast when done)
#   ./build.sh build    the core's wasm modules and the worker bundle in extension/pkg, the latchkey binary
#   ./build.sh run      build, start `latchkey serve --demo` and the demo app, open Chromium with the extension
#   ./build.sh test     every test suite, ending with one summary line
#   ./build.sh bench    the benchmarks, as a table
#   ./build.sh package  the extension as store-ready packages in dist/ (Chromium and Firefox)
#   (steps: lint, wasm-tests, package-zip (from the last build), bench-native)
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
SELF=$ROOT/$(basename "$0") # steps run as their own process: "$SELF" STEP
export LATCHKEY_SHARED=${LATCHKEY_SHARED:-$ROOT/../shared}
WASM_BINDGEN_VERSION=0.2.130 # must equal the wasm-bindgen pin in crate/Cargo.toml
TWILIO_PY_VERSION=9.3.7 # the official `twilio` package the webhook-signature tests compare against
SCIM2_TESTER_VERSION=0.5.2 # the independent SCIM compliance checker the native suite runs against the server
SCIM2_CLIENT_VERSION=0.13.2 # its HTTP client (with the httpx2 engine it talks through)
GECKODRIVER_VERSION=0.37.1 # drives firefox-esr for the Firefox e2e and wasm tests (docs/firefox.md)
APT_PACKAGES=(chromium chromium-driver firefox-esr oathtool publicsuffix python3-venv postgresql openssl shellcheck)
PSL=/usr/share/publicsuffix/public_suffix_list.dat
WASM_TARGET=wasm32-unknown-unknown
PKG=extension/pkg
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
export CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver}
export CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
export FIREFOX=${FIREFOX:-/usr/bin/firefox-esr}
# Built from crates.io into the tree (.tools, git-ignored), like the other tools the tests need.
# Not exported as GECKODRIVER: wasm-bindgen-test-runner would then pick Firefox for every wasm test.
GECKODRIVER_BIN=$ROOT/.tools/cargo/bin/geckodriver

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    die "need root to run: $* (install those Debian packages, then re-run)"; fi
}

setup() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  if ! rustup target list --installed 2>/dev/null | grep -qx "$WASM_TARGET"; then
    say "adding the $WASM_TARGET Rust target"
    rustup target add "$WASM_TARGET"
  fi
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 2 minutes, once)"
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --no-default-features --force
  fi
  if [ "$("$GECKODRIVER_BIN" --version 2>/dev/null | head -1 | cut -d" " -f1-2)" != "geckodriver $GECKODRIVER_VERSION" ]; then
    say "installing geckodriver $GECKODRIVER_VERSION into .tools/cargo (about 3 minutes, once)"
    cargo install --locked "geckodriver@$GECKODRIVER_VERSION" --root .tools/cargo --force
  fi
  # A project-local venv (.tools/venv, git-ignored) with Twilio's own library: the server's tests check
  # our X-Twilio-Signature code against its RequestValidator.
  if [ "$(.tools/venv/bin/python3 -c 'import twilio; print(twilio.__version__)' 2>/dev/null)" != "$TWILIO_PY_VERSION" ]; then
    say "installing the twilio Python package $TWILIO_PY_VERSION into .tools/venv (test oracle)"
    [ -x .tools/venv/bin/python3 ] || python3 -m venv .tools/venv
    .tools/venv/bin/python3 -m pip install -q --disable-pip-version-check "twilio==$TWILIO_PY_VERSION"
  fi
  # scim2-tester (PyPI), pinned: server/tests/api_scim.rs runs it against the real server.
  # `python3 -m pip`, not the venv's pip script: a venv copied from another tree keeps that tree's
  # path in its scripts' first line, and would install there.
  if [ "$(.tools/venv/bin/python3 -c 'import httpx2, importlib.metadata as m; print(m.version("scim2-tester"), m.version("scim2-client"))' 2>/dev/null)" != "$SCIM2_TESTER_VERSION $SCIM2_CLIENT_VERSION" ]; then
    say "installing the scim2-tester Python package $SCIM2_TESTER_VERSION into .tools/venv (SCIM compliance checker)"
    [ -x .tools/venv/bin/python3 ] || python3 -m venv .tools/venv
    .tools/venv/bin/python3 -m pip install -q --disable-pip-version-check "scim2-tester==$SCIM2_TESTER_VERSION" \
      "scim2-client[httpx2]==$SCIM2_CLIENT_VERSION"
  fi
  # Installed exactly as the lock file says: its hash is kept beside what npm installed, so a lock
  # that changed (a pull, a merge, an older file restored) reinstalls whatever the times say.
  local lock_hash
  lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ "$(cat node_modules/.latchkey-lock-hash 2>/dev/null)" != "$lock_hash" ]; then
    say "installing npm packages"
    npm ci --no-audit --no-fund --loglevel=error
    echo "$lock_hash" >node_modules/.latchkey-lock-hash
  fi
}

# One wasm module: cargo features select the bindings (crate/src/wasm/mod.rs), a profile of its own
# keeps each build's output apart; wasm-bindgen names the JS glue, wasm-opt shrinks it.
wasm_module() { # features profile out-dir out-name
  local features=$1 profile=$2 out=$3 name=$4 built stamp hash
  built="target/$WASM_TARGET/$profile/latchkey_core.wasm"
  # Next to the outputs it describes, so a target dir copied or moved from another tree cannot vouch
  # for this tree's older bindings.
  stamp="$out/.$name.optimized-from.sha256"
  cargo build --profile "$profile" --locked -p latchkey-core --lib --features "$features" --target "$WASM_TARGET"
  # The same wasm as the last time it was optimized (cargo relinks byte-identical wasm after a
  # comment changes, and file times lie after a copy or checkout): keep its bindings and skip
  # wasm-opt, the slow part (about 9 s for the three modules).
  hash="$(sha256sum "$built" | cut -d' ' -f1) wasm-bindgen $WASM_BINDGEN_VERSION"
  if [ -f "$out/${name}_bg.wasm" ] && [ -f "$out/$name.js" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$hash" ]; then
    return 0
  fi
  mkdir -p "$out"
  wasm-bindgen --target web --out-dir "$out" --out-name "$name" "$built"
  # Debian's binaryen 108 emits broken wasm for current wasm-bindgen: use npm's (TOOLCHAIN.md).
  wasm-opt -Oz --converge --strip-debug --strip-producers --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-reference-types --enable-multivalue --enable-mutable-globals \
    "$out/${name}_bg.wasm" -o "$out/${name}_bg.wasm"
  echo "$hash" >"$stamp"
}

# The files the worker reads at each start (shipped.js), as a module of their SHA-256 hashes.
SHIPPED_FILES=(extension/pkg/latchkey_core_bg.wasm extension/data/public_suffix_list.bin extension/data/sign-in-sites.txt)
shipped_hashes() {
  echo "// Generated by ./build.sh build: do not edit. The SHA-256 of each file the worker reads at a start."
  echo "/** @type {Record<string, string>} */"
  echo "export default {"
  local f
  for f in "${SHIPPED_FILES[@]}"; do
    echo "  '$f': '$(sha256sum "$f" | cut -d' ' -f1)',"
  done
  echo "};"
}

build() {
  setup
  say "building the core to wasm: the always-loaded core, the on-demand messages, devices and import modules"
  wasm_module wasm wasm-release "$PKG" latchkey_core
  wasm_module wasm-messages wasm-messages "$PKG" latchkey_messages
  wasm_module wasm-devices wasm-devices "$PKG" latchkey_devices
  wasm_module wasm-import wasm-import "$PKG" latchkey_import
  mkdir -p extension/data
  # Debian's list without its comments and blank lines (half its bytes: the worker reads it after
  # each start), its licence notice kept at the head.
  { sed -n '1,3p' "$PSL"; grep -v -e '^//' -e '^[[:space:]]*$' "$PSL"; } >extension/data/public_suffix_list.dat
  # What the worker loads: the list's parsed tables (crate/src/site/psl.rs, to_compact), copied into
  # the core without parsing text, which took 13 ms of the first site decision (README, "Measured").
  cargo run --locked --quiet -p latchkey-core --bin compact-site-list -- \
    extension/data/public_suffix_list.dat extension/data/public_suffix_list.bin
  say "bundling the service worker"
  # The files the worker reads at each start, by their SHA-256: it uses its kept copy of each
  # (Cache Storage) only when the copy has this hash (extension/background/shipped.js). Carrying the
  # core inside the bundle (base64) made every start load 470 KB more script, about 4 ms of the
  # cold start (README, "Measured"). package_zip checks that the hashes still match the files.
  shipped_hashes >"$PKG/shipped-hashes.js"
  rm -f "$PKG/latchkey_core_wasm.js" # the core as base64, from builds before this
  # One file instead of the ~40 modules of extension/background: a module service worker loads its
  # modules one by one at every start, which cost the start 15 to 60 ms here (README, "Measured").
  # A classic script, not a module (manifest.json has no "type": "module"): Chromium keeps V8's code
  # cache for a classic service worker's script (made when it installs) and compiles a module
  # worker's from its source at every start, which took 5 to 7 ms of each cold start against 1.5 ms
  # to read the cache (README, "Measured"). esbuild keeps the modules' strict mode ("use strict");
  # the glue's `import.meta.url` is only its default wasm path, and every caller passes a path.
  # Its first statement marks when the script began to run (`latchkey:script`): against the end of
  # its modules' evaluation (`latchkey:evaluated`, worker.js) it splits the script's load and compile
  # from its top-level code (./build.sh bench).
  esbuild extension/background/worker.js --bundle --format=iife --target=chrome140 --minify --sourcemap \
    --banner:js="performance.mark('latchkey:script');" --log-override:empty-import-meta=silent \
    --log-level=warning --outfile="$PKG/worker.js"
  say "building the latchkey binary"
  cargo build --release --locked -p latchkey
}

serve_in_background() { # addr logfile [serve options...]
  local addr=$1 log=$2
  shift 2
  target/release/latchkey serve --addr "$addr" "$@" >"$log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 100); do
    grep -q 'listening on' "$log" 2>/dev/null && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$log" >&2; die "latchkey serve exited"; }
    sleep 0.1
  done
  die "latchkey serve did not start (see $log)"
}

demo_in_background() { # addr logfile server-url data-dir [demo options...]: the demo app (latchkey-demo) next to the server
  local addr=$1 log=$2 server=$3 data=$4
  shift 4
  target/release/latchkey-demo --addr "$addr" --server "$server" --data-dir "$data" "$@" >"$log" 2>&1 &
  DEMO_PID=$!
  for _ in $(seq 100); do
    grep -q 'listening on' "$log" 2>/dev/null && return 0
    kill -0 "$DEMO_PID" 2>/dev/null || { cat "$log" >&2; die "latchkey-demo exited"; }
    sleep 0.1
  done
  die "latchkey-demo did not start (see $log)"
}

run() {
  build
  local addr=${LATCHKEY_ADDR:-127.0.0.1:8787} demo_addr=${LATCHKEY_DEMO_ADDR:-127.0.0.1:8788} port url
  local profile=$ROOT/.profile data=$ROOT/.latchkey-demo local_account=AC00000000000000000000000000000000 server
  # The server receives mail itself (its SMTP listener); the team login gets a managed address at
  # this domain, and the demo app e-mails its codes to the listener.
  local smtp_listen=${LATCHKEY_SMTP_LISTEN:-127.0.0.1:2525} mail_domain=${LATCHKEY_MAIL_DOMAIN:-mail.northwind.test}
  port=${addr##*:}
  url="http://demo.localhost:${demo_addr##*:}/demo/"
  # One address everywhere: the one the extension's join page proposes (it listens on $addr).
  server="http://localhost:$port"
  mkdir -p test-output
  # The demo app is a program of its own that "texts" codes as signed Twilio webhooks to the server:
  # both get the same token, made for this run, and the local Twilio account.
  LATCHKEY_TWILIO_AUTH_TOKEN=$(openssl rand -hex 16)
  export LATCHKEY_TWILIO_AUTH_TOKEN
  # The demo workspace lives in .latchkey-demo (kept between runs; delete it to start over).
  serve_in_background "$addr" test-output/serve.log --demo --data-dir "$data" --twilio-account-sid "$local_account" \
    --public-url "$server" --smtp-listen "$smtp_listen" --mail-domain "$mail_domain"
  trap 'kill $SERVER_PID ${DEMO_PID:-} 2>/dev/null' EXIT INT TERM
  for _ in $(seq 50); do grep -q 'Managed number' test-output/serve.log && break; sleep 0.1; done
  demo_in_background "$demo_addr" test-output/demo.log "$server" "$data" --smtp-relay "$smtp_listen"
  cat <<EOF

  Latchkey is running.
    server:     $server   (log: test-output/serve.log)
    demo app:   $url   (latchkey-demo; log: test-output/demo.log)
    extension:  $ROOT   (load it unpacked: chrome://extensions -> Developer mode -> Load unpacked)

EOF
  # The console lines (not the JSON log): the demo workspace and how to sign in. Not the address it
  # listens on: the one to use is $server, above.
  grep -v -e '^{' -e 'listening on' test-output/serve.log | sed 's/^/  /'
  cat <<EOF

  Try it: in Latchkey's popup, choose Join your team's workspace, with the server $server and
  alice@northwind.test, Continue, Start, Next, Use a code we e-mail you. There is no SMTP relay: the
  code is printed below as it is sent (and kept in $data/outbox). Verify code, then type Alice's
  Recovery Kit (above) and choose an unlock PIN. Open the demo app, sign in as the team login
  (above): the code from the shared vault fills itself.
  Or by text message: in the demo app's two-factor page, give the team login's managed number (above);
  the code it texts lands in the shared inbox and fills itself.
  Or by e-mail: in the demo app's two-factor page, give the team login's managed e-mail address
  (above) under "Or get codes by e-mail"; the demo app e-mails the code to the server's SMTP
  listener ($smtp_listen), it lands sealed in the shared inbox and fills itself.
  Or, without a workspace: sign up in the demo app, turn on two-factor, paste the key into the popup
  (Add account -> Secret Key -> Save Code -> Done), sign out, sign in.
EOF
  if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    say "opening Chromium with the extension (profile: $profile)"
    "$CHROMIUM" --user-data-dir="$profile" --no-first-run --disable-extensions-except="$ROOT" \
      --load-extension="$ROOT" "$url" >/dev/null 2>&1 &
  else
    echo "  No display found: open Chromium yourself with"
    echo "    chromium --load-extension=$ROOT $url"
  fi
  echo "  Press Ctrl-C to stop. E-mailed codes appear here as they are sent:"
  # The server prints each development code on its console, which is serve.log: show those lines
  # here as they come (tail ends with the server).
  tail -n 0 -F --pid="$SERVER_PID" test-output/serve.log 2>/dev/null | grep --line-buffered 'dev outbox:' | sed -u 's/^/  /' &
  wait "$SERVER_PID"
}

# Runs one suite, tees its output, and adds its counts to the totals.
PASSED=0 FAILED=0 SUITES_FAILED=()
suite() { # name command...
  local name=$1 rc=0
  shift
  say "test: $name"
  "$@" 2>&1 | tee "test-output/$name.log" || rc=$? # pipefail: the suite's own status
  tally "$name" "$rc"
}

# Adds a finished suite's counts (from its log) and status to the totals.
tally() { # name status
  local name=$1 rc=$2 log="test-output/$1.log" p f
  # cargo: "test result: ok. N passed; M failed"; node --test: "# pass N" / "# fail M".
  p=$(grep -Eo '(^test result: [a-zA-Z]+\. [0-9]+ passed|^# pass [0-9]+|^ℹ pass [0-9]+)' "$log" | grep -Eo '[0-9]+' | awk '{s+=$1} END {print s+0}' || true)
  f=$(grep -Eo '([0-9]+ failed;|^# fail [0-9]+|^ℹ fail [0-9]+)' "$log" | grep -Eo '[0-9]+' | awk '{s+=$1} END {print s+0}' || true)
  PASSED=$((PASSED + ${p:-0})) FAILED=$((FAILED + ${f:-0}))
  if [ "$rc" != 0 ]; then
    SUITES_FAILED+=("$name")
    [ "${f:-0}" != 0 ] || FAILED=$((FAILED + 1)) # a suite that died counts as a failure
  fi
}

# A suite that runs beside the next ones (its own log, printed whole when it is collected), so a
# browser's suite overlaps another's instead of adding its wall time to the run.
BESIDE_PID='' BESIDE_NAME=''
suite_beside() { # name command...
  BESIDE_NAME=$1
  shift
  say "test: $BESIDE_NAME (started; it runs beside the next suites, its log follows theirs)"
  "$@" >"test-output/$BESIDE_NAME.log" 2>&1 &
  BESIDE_PID=$!
}
collect_beside() {
  local rc=0
  [ -n "$BESIDE_PID" ] || return 0
  wait "$BESIDE_PID" || rc=$?
  say "test: $BESIDE_NAME (collected)"
  cat "test-output/$BESIDE_NAME.log"
  tally "$BESIDE_NAME" "$rc"
  BESIDE_PID=''
}

# Every module's bindings at once (the shipped ones and the bench's test tools).
WASM_TEST_FEATURES=wasm,wasm-messages,wasm-devices,wasm-import,wasm-bench
wasm_tests() {
  local rc=0 tests=(--test wasm_browser --test wasm_worker --test wasm_enrollment)
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    cargo test --locked -p latchkey-core --features "$WASM_TEST_FEATURES" --target "$WASM_TARGET" "${tests[@]}" || rc=1
  # The same tests in Firefox: the runner drives the browser whose driver it is given.
  say "the wasm tests again, in Firefox (geckodriver)"
  env -u CHROMEDRIVER GECKODRIVER="$GECKODRIVER_BIN" CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    cargo test --locked -p latchkey-core --features "$WASM_TEST_FEATURES" --target "$WASM_TARGET" "${tests[@]}" || rc=1
  return "$rc"
}

# Every check runs, and any failure fails the suite (`suite` runs this in a pipeline, where `set -e`
# does not stop at the first one).
lint() {
  local rc=0
  cargo fmt --all --check || rc=1
  cargo clippy --locked --workspace --all-targets -- -D warnings || rc=1
  # The wasm bindings compile for the browser only: each shipped module's features, and the wasm tests.
  local features
  for features in wasm wasm-messages wasm-devices wasm-import; do
    cargo clippy --locked -p latchkey-core --lib --features "$features" --target "$WASM_TARGET" -- -D warnings || rc=1
  done
  cargo clippy --locked -p latchkey-core --features "$WASM_TEST_FEATURES" --target "$WASM_TARGET" \
    --lib --test wasm_browser --test wasm_worker --test wasm_enrollment -- -D warnings || rc=1
  # The extension and the JS tests: Biome's format and recommended lint rules (biome.json), no line
  # over its width (it wraps code, not comments or strings), and the shell scripts.
  biome ci --colors=off || rc=1
  node tests/lint/line-width.mjs || rc=1
  shellcheck build.sh .ci/run || rc=1
  firefox_lint || rc=1
  return "$rc"
}

# Mozilla's own checks (`web-ext lint`: the add-on linter AMO runs) on the Firefox package, made
# from the last build and unpacked in a scratch directory: no errors, no warnings.
firefox_lint() {
  local dir version
  version=$(node -p 'require("./manifest.json").version')
  package_zip >/dev/null
  dir=$(mktemp -d)
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "dist/latchkey-firefox-$version.zip" "$dir"
  NO_UPDATE_NOTIFIER=1 web-ext lint --source-dir "$dir" --no-input --warnings-as-errors --no-config-discovery
  local rc=$?
  rm -rf "$dir"
  return "$rc"
}

test_all() {
  mkdir -p test-output
  # Built once here; every suite below uses what this built (none builds again). Steps that are
  # functions run as `$SELF STEP`, a process of their own, so `set -e` stops them at their first
  # failing command (it is ignored inside a function whose status a caller tests).
  suite build "$SELF" build
  if [ ${#SUITES_FAILED[@]} -eq 0 ]; then
    suite lint "$SELF" lint
    suite native cargo test --locked --workspace
    suite wasm "$SELF" wasm-tests
    suite types tsc -p tsconfig.json
    suite package "$SELF" package-zip # the e2e suites load the store packages too
    # Firefox (the Firefox package, geckodriver) beside Chromium: the two browsers' suites overlap.
    suite_beside e2e-firefox node --test --test-concurrency=1 tests/e2e-firefox/
    suite e2e node --test --test-concurrency=1 tests/e2e/
    collect_beside
  fi
  echo
  if [ ${#SUITES_FAILED[@]} -gt 0 ]; then
    echo "latchkey test: failed suites: ${SUITES_FAILED[*]} (logs in test-output/)"
  fi
  echo "$PASSED passed, $FAILED failed"
  [ ${#SUITES_FAILED[@]} -eq 0 ]
}

# One benchmark step: its failure is reported at the end, and the other steps still run.
BENCH_FAILED=()
bench_step() { # name command...
  local name=$1
  shift
  say "bench: $name"
  "$@" || BENCH_FAILED+=("$name")
}

bench_native() {
  cargo bench --locked -p latchkey-core --bench otp -- --json >test-output/bench-native.json
  cargo bench --locked -p latchkey-core --bench vault -- --json >test-output/bench-vault.json
  cargo bench --locked -p latchkey-core --bench sms -- --json >test-output/bench-sms.json
  cargo bench --locked -p latchkey-core --bench pin -- --json >test-output/bench-pin.json
}

bench() {
  build
  say "building the bench-only wasm module (VaultBench, PinBench; never shipped)"
  wasm_module wasm-bench wasm-bench target/bench-pkg latchkey_bench
  mkdir -p test-output
  bench_step native "$SELF" bench-native
  bench_step "wasm in Chromium, sizes, service worker cold start, the unlock PIN" \
    node tests/bench/run.mjs test-output/bench-native.json test-output/bench-vault.json test-output/bench-sms.json test-output/bench-pin.json
  bench_step "e-mail code extraction (accuracy over tests/data/mail, messages parsed per second)" \
    bash -c 'cargo bench --locked -p latchkey-core --bench mail | tee test-output/bench-mail.txt'
  bench_step "import of 1,000 entries per format and QR decode of a full-tab capture, against same-run baselines" \
    bash -c 'cargo bench --locked -p latchkey-core --bench import | tee test-output/bench-import.txt'
  bench_step "import of 1,000 entries and QR decode of a full-tab capture in wasm in Chromium, against same-run baselines" \
    bash -c 'node tests/bench/import-wasm.mjs | tee test-output/bench-import-wasm.txt'
  bench_step "field detection cost per page and the observer on a constantly changing page" \
    bash -c 'node tests/bench/detect-cost.mjs | tee test-output/bench-detect-cost.txt'
  bench_step "server (SMS intake throughput, inbox wake-up latency; SQLite and PostgreSQL)" \
    bash -c 'cargo bench --locked -p latchkey --bench intake | tee test-output/bench-intake.txt'
  bench_step "server (audit log: SMS store with and without its event; audit verify over 1M events)" \
    bash -c 'cargo bench --locked -p latchkey --features bench --bench audit | tee test-output/bench-audit.txt'
  bench_step "SMS webhook POST to the code in the page's field (extension, loopback)" \
    bash -c 'node tests/bench/sms-fill.mjs 30 | tee test-output/bench-sms-fill.txt'
  bench_step "SMTP DATA end to the e-mailed code in the field, and intake over SMTP, against SMS in the same run" \
    bash -c 'node tests/bench/mail-fill.mjs 30 2000 | tee test-output/bench-mail-fill.txt'
  bench_step "Firefox beside Chromium: wasm codes/s, field detection per page and the event page cold start in firefox-esr" \
    bash -c 'node tests/bench/firefox.mjs test-output/bench-native.json | tee test-output/bench-firefox.txt'
  bench_step "field detection, precision and recall per kind on the OTP pages" \
    bash -c 'node tests/bench/detect-score.mjs | tee test-output/bench-detect-score.txt'
  if [ ${#BENCH_FAILED[@]} -gt 0 ]; then
    echo "latchkey bench: failed: ${BENCH_FAILED[*]} (the rows above are what the others measured)"
    return 1
  fi
}

# The store packages from what `build` made: the Chromium zip and the Firefox one (the same files
# under the manifest tools/firefox-manifest.mjs derives from manifest.json).
package_zip() {
  local version zip firefox_zip
  version=$(node -p 'require("./manifest.json").version')
  zip="dist/latchkey-extension-$version.zip"
  firefox_zip="dist/latchkey-firefox-$version.zip"
  mkdir -p dist
  rm -f "$zip" "$firefox_zip"
  # A bundle whose hashes name other files would read them from the extension at every start.
  if [ "$(shipped_hashes)" != "$(cat "$PKG/shipped-hashes.js" 2>/dev/null)" ]; then
    echo "The worker's bundle names other versions of ${SHIPPED_FILES[*]}: run ./build.sh build." >&2
    exit 1
  fi
  node tools/firefox-manifest.mjs >dist/.firefox-manifest.json
  python3 - "$zip" "$firefox_zip" dist/.firefox-manifest.json <<'PY'
import json, sys, zipfile, pathlib
root = pathlib.Path('.')
# The store assigns the id itself and refuses a manifest with "key" (it only pins the id unpacked).
manifest = json.loads((root / 'manifest.json').read_text())
manifest.pop('key', None)
firefox = json.loads(pathlib.Path(sys.argv[3]).read_text())
# The worker ships bundled (extension/pkg/worker.js): its sources and source map stay out, and so
# does the hashes module the bundle carries inside (build()).
# The list's text neither: the worker loads its compact form (public_suffix_list.bin).
inlined = {'shipped-hashes.js', 'public_suffix_list.dat'}
files = sorted(p for p in (root / 'extension').rglob('*')
               if p.is_file() and not p.name.endswith(('.d.ts', '.map')) and not p.name.startswith('.')
               and p.name not in inlined
               and 'test' not in p.parts
               and 'background' not in p.parts)
for out, m in ((sys.argv[1], manifest), (sys.argv[2], firefox)):
    with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('manifest.json', json.dumps(m, indent=2) + '\n')
        for f in files:
            z.write(f, f.as_posix())
    print(f"{out}: {len(files) + 1} files")
PY
  rm -f dist/.firefox-manifest.json
}

package() {
  build
  package_zip
}

case "${1:-}" in
  setup) setup ;;
  build) build ;;
  run) run ;;
  test) test_all ;;
  bench) bench ;;
  package) package ;;
  # Steps of `test` and `bench`, also useful alone.
  lint) lint ;;
  wasm-tests) wasm_tests ;;
  package-zip) package_zip ;;
  bench-native) mkdir -p test-output && bench_native ;;
  *) sed -n '2,9p' "$SELF" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
