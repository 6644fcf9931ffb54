//! wasm-bindgen glue for the extension's service worker. Adapters only: every rule lives in `otp`,
//! `site`, `vault` and `device`. Errors cross as JS `Error`s whose message is the core's sentence.

pub mod pin;
pub mod sms;
pub mod vault;

use wasm_bindgen::prelude::*;

use crate::otp::{Kind, Otp, PreparedOtp};
use crate::site::{self, Candidate, Decision, Frame, PublicSuffixList, SignInGroups};

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** What `describe` returns; `uri` is the canonical otpauth:// form (it holds the secret). */
export interface Description {
  kind: "totp" | "hotp" | "steam";
  algorithm: string;
  digits: number;
  period: number | null;
  counter: number | null;
  issuer: string | null;
  account: string | null;
  secretBits: number;
  uri: string;
}
/** What `code` returns. */
export interface Code { code: string; secondsLeft: number | null; period: number | null; }
"#;

fn js_err(e: impl std::fmt::Display) -> JsError {
    JsError::new(&e.to_string())
}

/// JS hands time over as a float of seconds (`Date.now() / 1000`); refuse what is not a time.
fn unix_seconds(unix: f64) -> Result<u64, JsError> {
    if (0.0..1.8e19).contains(&unix) {
        Ok(unix.floor() as u64)
    } else {
        Err(JsError::new(
            "the time must be a non-negative number of seconds since 1970",
        ))
    }
}

/// What the popup shows about an entry; `uri` is the canonical form the extension stores.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Description {
    kind: &'static str,
    algorithm: &'static str,
    digits: u32,
    period: Option<u64>,
    counter: Option<u64>,
    issuer: Option<String>,
    account: Option<String>,
    secret_bits: usize,
    uri: String,
}

fn describe_otp(otp: &Otp) -> Description {
    let (kind, counter) = match otp.kind {
        Kind::Totp { .. } => ("totp", None),
        Kind::Hotp { counter } => ("hotp", Some(counter)),
        Kind::Steam => ("steam", None),
    };
    Description {
        kind,
        algorithm: otp.algorithm.name(),
        digits: otp.digits,
        period: otp.period(),
        counter,
        issuer: otp.issuer.clone(),
        account: otp.account.clone(),
        secret_bits: otp.secret.bits(),
        uri: otp.to_uri(),
    }
}

fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(js_err)
}

/// Parses a pasted key, `otpauth://` or `steam://` URI; throws with a sentence saying what is wrong.
#[wasm_bindgen(unchecked_return_type = "Description")]
pub fn describe(input: &str) -> Result<JsValue, JsError> {
    to_js(&describe_otp(&Otp::parse(input).map_err(js_err)?))
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct Code {
    code: String,
    seconds_left: Option<u64>,
    period: Option<u64>,
}

/// The current code of one entry at `unix` seconds.
#[wasm_bindgen(unchecked_return_type = "Code")]
pub fn code(input: &str, unix: f64) -> Result<JsValue, JsError> {
    let otp = Otp::parse(input).map_err(js_err)?;
    let now = unix_seconds(unix)?;
    to_js(&Code {
        code: otp.code_at(now),
        seconds_left: otp.seconds_left(now),
        period: otp.period(),
    })
}

/// Many entries parsed once, for computing all their codes each tick.
#[wasm_bindgen]
#[derive(Default)]
pub struct Keyring {
    entries: Vec<PreparedOtp>,
}

#[wasm_bindgen]
impl Keyring {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Keyring {
        Keyring::default()
    }

    /// Adds an entry and returns its index.
    pub fn add(&mut self, input: &str) -> Result<usize, JsError> {
        self.entries.push(Otp::parse(input).map_err(js_err)?.prepare());
        Ok(self.entries.len() - 1)
    }

    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.entries.len()
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// Every entry's code at `unix`, one per line in insertion order (`codesText(t).split("\n")`).
    /// One string crosses into JS instead of one per entry: 1.5x faster for 10,000 (./build.sh bench).
    #[wasm_bindgen(js_name = codesText)]
    pub fn codes_text(&self, unix: f64) -> Result<String, JsError> {
        let now = unix_seconds(unix)?;
        let mut text = String::with_capacity(self.entries.len() * 9);
        for (i, entry) in self.entries.iter().enumerate() {
            if i > 0 {
                text.push('\n');
            }
            text.push_str(&entry.code_at(now));
        }
        Ok(text)
    }
}

/// The Public Suffix List and the fill policy built on it.
#[wasm_bindgen]
pub struct Sites {
    list: PublicSuffixList,
    sign_in: SignInGroups,
}

#[wasm_bindgen]
impl Sites {
    /// Loads `public_suffix_list.dat` text; throws when it holds no rules (a broken download).
    #[wasm_bindgen(constructor)]
    pub fn new(psl_text: &str) -> Result<Sites, JsError> {
        let list = PublicSuffixList::parse(psl_text);
        if list.is_empty() {
            return Err(JsError::new("the Public Suffix List is empty: reinstall the extension"));
        }
        Ok(Sites {
            list,
            sign_in: SignInGroups::default(),
        })
    }

    #[wasm_bindgen(getter, js_name = ruleCount)]
    pub fn rule_count(&self) -> usize {
        self.list.len()
    }

    /// The registrable domain a host belongs to (the host itself for IPs and single labels).
    #[wasm_bindgen(js_name = siteOf)]
    pub fn site_of(&self, host: &str) -> String {
        self.list.site_of(host)
    }

    /// Loads the sign-in hosts (`extension/data/sign-in-sites.txt`, which a native test checks
    /// against the real Public Suffix List); returns how many hosts and sites it names, throws on a
    /// malformed list (keeping the lines loaded before).
    #[wasm_bindgen(js_name = loadSignInSites)]
    pub fn load_sign_in_sites(&mut self, text: &str) -> Result<usize, JsError> {
        self.sign_in = SignInGroups::parse(text).map_err(js_err)?;
        Ok(self.sign_in.len())
    }

    /// The fill decision for a frame that found a code field (`site::fill`), from what the
    /// browser reports about the frame and, for each candidate account, its id and the sites its
    /// codes may go to (`sites[i]`: candidate i's sites, separated by spaces). Returns
    /// `[action, host, reason, ...ids]`: action "fill" (one id), "choose" (several) or "none";
    /// `host` the frame's host when it may be filled at all, else "" and `reason` says why.
    /// (Flat arguments and a list of texts cost less wasm than objects; `fill.js` wraps it.)
    pub fn decide(
        &self,
        url: &str,
        top_url: Option<String>,
        is_top: bool,
        sandboxed: bool,
        ids: Vec<String>,
        sites: Vec<String>,
    ) -> Vec<String> {
        let frame = Frame {
            url,
            top_url: top_url.as_deref(),
            is_top,
            sandboxed,
        };
        let candidates: Vec<Candidate> = ids
            .into_iter()
            .zip(sites)
            .map(|(id, sites)| Candidate {
                id,
                sites: sites.split_whitespace().map(str::to_string).collect(),
            })
            .collect();
        let (action, host, reason, ids) = match self.list.decide(&self.sign_in, &frame, &candidates) {
            Ok((host, Decision::Fill(id))) => ("fill", host, String::new(), vec![id]),
            Ok((host, Decision::Choose(ids))) => ("choose", host, String::new(), ids),
            Ok((host, Decision::NoAccount)) => ("none", host, String::new(), Vec::new()),
            Err(e) => ("none", String::new(), e.to_string(), Vec::new()),
        };
        let mut out = vec![action.to_string(), host, reason];
        out.extend(ids);
        out
    }

    /// Whether a page host belongs to the site an account was saved for, or is a host that serves
    /// that site's sign-in.
    #[wasm_bindgen(js_name = sameSite)]
    pub fn same_site(&self, account_site: &str, page_host: &str) -> bool {
        self.list.same_sign_in(&self.sign_in, account_site, page_host)
    }

    /// Normalises what a person typed as an account's site to a host; throws on nonsense.
    #[wasm_bindgen(js_name = hostFromInput)]
    pub fn host_from_input(input: &str) -> Result<String, JsError> {
        site::host_from_input(input).map_err(js_err)
    }

    /// `undefined` when a page with this scheme and host may be filled, else the reason it may not.
    #[wasm_bindgen(js_name = refuseFill)]
    pub fn refuse_fill(scheme: &str, host: &str) -> Option<String> {
        site::check_fillable(scheme, host).err().map(|e| e.to_string())
    }
}

/// The core's version, shown in the popup's footer.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
