// ./build.sh bench: e-mailed codes, end to end on loopback, against the SMS path measured in the same
// run. `latchkey serve --demo` receiving mail on its SMTP listener (`--mail-domain`), Chromium with
// Latchkey trusted as Bob, a demo-app sign-in open at its code step, first one whose codes are
// e-mailed to the team login's managed address, then one whose codes are texted to its managed number.
//
// - Latency: each sample reloads a step (its last code is used, so nothing fills), delivers a new
//   code and times until the field's `input` event (page clock and Node's clock are the same
//   machine's). E-mail: from the end of SMTP DATA (the client's "." written; the server answers
//   250 once the message is sealed and stored) over one SMTP session per message. SMS: from the
//   start of the signed webhook POST (as tests/bench/sms-fill.mjs). p50 and p99 of each, and the
//   ratio.
// - Intake: messages stored per second. E-mail: Python's smtplib (a real SMTP client), CONCURRENCY
//   sessions at once, each sending its share of the messages in one session. SMS: signed webhook
//   POSTs, CONCURRENCY in flight. Same server, same run.
//
// Usage: node tests/bench/mail-fill.mjs [samples=30] [intake=2000]
import { execFile } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { promisify } from 'node:util';
import { PASSWORD, signUp } from '../e2e/demo-app.mjs';
import { freshEmail, launchBrowser } from '../e2e/harness.mjs';
import { codeMail, sendMail, teamAccount } from '../e2e/mail.mjs';
import { MANAGED_NUMBER, TWILIO_TOKEN, textTo } from '../e2e/sms.mjs';
import { BOB, joinWithKit, startWorkspace } from '../e2e/workspace.mjs';

const samples = Number(process.argv[2] ?? 30);
const intake = Number(process.argv[3] ?? 2000);
const CONCURRENCY = 16;
/** @type {Array<() => unknown>} */
const cleanups = [];
const t = { after: (/** @type {() => unknown} */ fn) => cleanups.push(fn) };
/** @type {{mail: number[], sms: number[]}} */
const ms = { mail: [], sms: [] };
/** @type {{mail: number, sms: number} | null} */
let rates = null;
/** @type {unknown} */
let died = null;

/** @typedef {import('playwright-core').Page} Page */

/**
 * A demo user whose codes go to `how`, signed in up to the code step (its first code filled).
 * @param {import('playwright-core').BrowserContext} ctx @param {string} demo
 * @param {{field: string, value: string, button: string}} how
 */
async function atCodeStep(ctx, demo, how) {
  const page = await ctx.newPage();
  const email = freshEmail('bench');
  await signUp(page, demo, email);
  await page.goto(`${demo}/demo/account/2fa`);
  await page.locator(how.field).fill(how.value);
  await page.getByRole('button', { name: how.button }).click();
  await page.locator('#twofa-status', { hasText: 'On' }).waitFor();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.goto(`${demo}/demo/login`);
  await page.locator('#email').fill(email);
  await page.locator('#password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Two-step verification' }).waitFor();
  await page.waitForFunction(
    () => /^\d{6}$/.test(/** @type {HTMLInputElement} */ (document.getElementById('otp')).value),
    null,
    { timeout: 10_000 },
  );
  return page;
}

/**
 * One sample: reload the step, wait for the mark, deliver a code with `send` (which resolves with
 * the time, on Node's clock, the delivery counts from), and time until the field's input.
 * @param {Page} page @param {string} mark @param {(code: string) => Promise<number>} send
 */
async function sample(page, mark, send) {
  await page.reload();
  await page.getByRole('status').filter({ hasText: mark }).waitFor();
  await page.evaluate(() => {
    const otp = /** @type {HTMLInputElement} */ (document.getElementById('otp'));
    otp.addEventListener(
      'input',
      () => /** @type {any} */ ((window.__filledAt = performance.timeOrigin + performance.now())),
      { once: true },
    );
  });
  await page.waitForTimeout(300); // the worker's first read is done and its long poll is open
  const code = String(randomInt(100000, 1000000));
  const from = await send(code);
  await page.waitForFunction(
    (c) => /** @type {HTMLInputElement} */ (document.getElementById('otp')).value === c,
    code,
    { timeout: 10_000 },
  );
  return (await page.evaluate(() => /** @type {any} */ (window).__filledAt)) - from;
}

/**
 * Stores `count` SMS through the webhook, CONCURRENCY in flight; messages per second.
 * @param {{server: string}} ws @param {number} count
 */
async function smsIntake(ws, count) {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        next++;
        await textTo(ws, `Your Northwind Cloud sign-in code is ${randomInt(100000, 1000000)}.`);
      }
    }),
  );
  return count / ((performance.now() - start) / 1000);
}

/** Python's smtplib: `count` messages over CONCURRENCY sessions at once; prints messages per second. */
const SMTPLIB = `
import smtplib, sys, threading, time, random
port, to, count, sessions = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
def message(i):
    code = random.randint(100000, 999999)
    return (f"From: Northwind Cloud <no-reply@northwind.test>\\r\\nTo: <{to}>\\r\\n"
            f"Subject: {code} is your Northwind Cloud sign-in code\\r\\nMIME-Version: 1.0\\r\\n"
            f"Content-Type: text/plain; charset=utf-8\\r\\n\\r\\nYour sign-in code is {code}.\\r\\n")
def run(n):
    with smtplib.SMTP("127.0.0.1", port) as s:
        for i in range(n):
            s.sendmail("bench@sender.test", [to], message(i))
shares = [count // sessions + (1 if i < count % sessions else 0) for i in range(sessions)]
threads = [threading.Thread(target=run, args=(n,)) for n in shares]
start = time.perf_counter()
for th in threads: th.start()
for th in threads: th.join()
print(count / (time.perf_counter() - start))
`;

try {
  const ws = await startWorkspace(t, { mail: true, env: { LATCHKEY_TWILIO_AUTH_TOKEN: TWILIO_TOKEN } });
  const ctx = await launchBrowser(t);
  await joinWithKit(ctx, ws, BOB);
  const team = await teamAccount(ctx, ws);
  // One demo sign-in at a time: the pages share the browser's demo-app session cookie.
  const mailPage = await atCodeStep(ctx, ws.demo, {
    field: '#code-email',
    value: team.address,
    button: 'Email me codes instead',
  });
  for (let i = 0; i < samples; i++) {
    ms.mail.push(
      await sample(mailPage, 'Waiting for the e-mail code…', async (code) => {
        const mail = codeMail({
          to: team.address,
          subject: `${code} is your Northwind Cloud sign-in code`,
          text: `Your Northwind Cloud sign-in code is ${code}.`,
        });
        return performance.timeOrigin + (await sendMail(ws.smtpPort, mail));
      }),
    );
  }
  await mailPage.close();
  const smsPage = await atCodeStep(ctx, ws.demo, {
    field: '#phone',
    value: MANAGED_NUMBER,
    button: 'Text me codes instead',
  });
  for (let i = 0; i < samples; i++) {
    ms.sms.push(
      await sample(smsPage, 'Waiting for the SMS code…', async (code) => {
        const sent = performance.timeOrigin + performance.now();
        await textTo(ws, `Your Northwind Cloud sign-in code is ${code}. Don't share it with anyone.`);
        return sent;
      }),
    );
  }
  await smsPage.close();

  // Asynchronously: a blocked event loop would stop draining the server's log pipe, and the server
  // would stall on its next log line.
  const { stdout } = await promisify(execFile)('python3', [
    '-c',
    SMTPLIB,
    String(ws.smtpPort),
    team.address,
    String(intake),
    String(CONCURRENCY),
  ]);
  const mailRate = Number(stdout.trim());
  rates = { mail: mailRate, sms: await smsIntake(ws, intake) };
} catch (e) {
  died = e;
} finally {
  for (const fn of cleanups.reverse()) {
    try {
      await fn();
    } catch {
      // stopping what was started: keep going
    }
  }
}
// The rows, with what was measured even when a sample failed (then the exit status is 1).
const pct = (/** @type {number[]} */ xs, /** @type {number} */ p) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
if (ms.mail.length && ms.sms.length) {
  const n = Math.min(ms.mail.length, ms.sms.length);
  const of = n < samples ? `${n} of ${samples} samples: the bench stopped` : `${samples} samples each`;
  console.log(
    `| SMTP DATA end → e-mailed code in the field (loopback, ${of}) | p50 ${pct(ms.mail, 50).toFixed(1)} ms, ` +
      `p99 ${pct(ms.mail, 99).toFixed(1)} ms | SMS webhook POST → field, same run: ` +
      `p50 ${pct(ms.sms, 50).toFixed(1)} ms, ` +
      `p99 ${pct(ms.sms, 99).toFixed(1)} ms | ${(pct(ms.mail, 50) / pct(ms.sms, 50)).toFixed(2)}x at p50, ` +
      `${(pct(ms.mail, 99) / pct(ms.sms, 99)).toFixed(2)}x at p99; target p99 < 1000 ms |`,
  );
}
if (rates) {
  console.log(
    `| E-mail intake over SMTP (Python smtplib, ${CONCURRENCY} sessions, ${intake} messages) | ` +
      `${rates.mail.toFixed(0)} messages/s | SMS intake over the webhook, same run (${CONCURRENCY} in flight): ` +
      `${rates.sms.toFixed(0)} messages/s | ${(rates.mail / rates.sms).toFixed(2)}x |`,
  );
}
if (died) {
  console.error(`mail-fill bench stopped after ${ms.mail.length} of ${samples} samples:`, died);
  process.exitCode = 1;
}
