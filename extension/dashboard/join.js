// @ts-check
/**
 * Joining a workspace, the screens README.md shows: first run (server, e-mail) → Strengthen your account
 * security → Start → Name your device → Next → Verify your device (e-mailed code; first device:
 * Recovery Kit; later device: the kit) or Verify your identity (Pending approval, fingerprint
 * phrase, waiting live) → trusted → Choose an unlock PIN. Every step is the worker's; this page
 * shows and asks. Every screen before the device is trusted has Back, and the first screen (reached
 * by Back, by Change server or e-mail, or with `?change` from the popup) changes the server or the
 * e-mail: Continue starts again there.
 */
import { byId, copied, showError } from '../popup/dom.js';
import { ask, message, status } from '../pages/ask.js';

/**
 * @typedef {'welcome' | 'strengthen' | 'name' | 'choose' | 'verify-device' | 'kit' | 'recover' | 'identity' | 'pin' |
 * 'done' | 'later'} Screen
 */
const SCREENS = /** @type {Screen[]} */ ([
  'welcome',
  'strengthen',
  'name',
  'choose',
  'verify-device',
  'kit',
  'recover',
  'identity',
  'pin',
  'done',
  'later',
]);

/** Where Back goes from each screen that has it. @type {Partial<Record<Screen, Screen>>} */
const BACK = {
  strengthen: 'welcome',
  name: 'strengthen',
  choose: 'name',
  'verify-device': 'choose',
  kit: 'choose',
  recover: 'choose',
  identity: 'choose',
};

/** @type {Screen} */
let screen = 'welcome';
let waiting = false;

/** @param {Screen} next */
function show(next) {
  screen = next;
  for (const s of SCREENS) byId(`s-${s}`).hidden = s !== next;
  const heading = byId(`s-${next}`).querySelector('h1');
  heading?.focus();
  document.title = `Latchkey: ${heading?.textContent ?? 'join your workspace'}`;
}

/**
 * Runs a step with its button disabled and an optional progress line; errors go to `errorBox`.
 * @param {HTMLElement} errorBox @param {() => Promise<void>} step @param {HTMLElement} [progress]
 */
async function run(errorBox, step, progress) {
  const buttons = [...byId(`s-${screen}`).querySelectorAll('button')];
  for (const b of buttons) b.disabled = true;
  if (progress) progress.hidden = false;
  showError(errorBox, null);
  try {
    await step();
  } catch (e) {
    showError(errorBox, message(e));
  } finally {
    for (const b of buttons) b.disabled = false;
    if (progress) progress.hidden = true;
    updateKitDone();
  }
}

for (const button of document.querySelectorAll('[data-back]')) {
  button.addEventListener('click', () => {
    const to = BACK[screen];
    if (!to) return;
    clearInterval(expiryTimer);
    if (to === 'name') void start(true);
    else show(to);
  });
}
byId('later-change').addEventListener('click', () => show('welcome'));

// ---- first run ----
byId('welcome-form').addEventListener('submit', (e) => {
  e.preventDefault();
  void run(byId('welcome-error'), async () => {
    await ask('ws-begin', {
      server: /** @type {HTMLInputElement} */ (byId('server')).value,
      email: /** @type {HTMLInputElement} */ (byId('email')).value,
    });
    byId('notice').hidden = true;
    show('strengthen');
  });
});

// ---- Strengthen your account security ----
byId('start').addEventListener('click', () => void start());
byId('remind').addEventListener('click', () => {
  void ask('ws-remind-later').then(() => show('later'));
});
byId('later-resume').addEventListener('click', () => void start());

/** @param {boolean} [rename] Back from Verify this device: name the device again (it registers anew) */
async function start(rename = false) {
  const ws = await status();
  if (ws.stage === 'registered' && !rename) return resume(ws);
  show('name');
  const input = /** @type {HTMLInputElement} */ (byId('device-name'));
  /** @type {{name: string}} */
  const suggested = await ask('ws-default-name')
    .then((r) => /** @type {{name: string}} */ (r))
    .catch(() => ({ name: '' }));
  if (!input.value) input.value = suggested.name;
  input.focus();
  input.select();
}

// ---- Name your device ----
byId('name-form').addEventListener('submit', (e) => {
  e.preventDefault();
  void run(
    byId('name-error'),
    async () => {
      await ask('ws-register', { name: /** @type {HTMLInputElement} */ (byId('device-name')).value });
      show('choose');
    },
    byId('name-progress'),
  );
});

// ---- Verify this device: the person chooses (the server says nothing before the mailbox is proved) ----
byId('choose-approval').addEventListener('click', () => {
  void run(byId('choose-error'), askApproval);
});
byId('choose-email').addEventListener('click', () => {
  void run(byId('choose-error'), async () => {
    /** @type {{sentTo: string, expiresIn: number, outbox: boolean}} */
    const sent = await ask('ws-send-code');
    showCodeScreen(sent);
  });
});

async function askApproval() {
  /** @type {{phrase: string, number: number}} */
  const { phrase, number } = await ask('ws-request-approval');
  showIdentity(phrase, number);
}

// ---- Verify your device (the e-mailed code) ----
/** @type {ReturnType<typeof setInterval> | undefined} */
let expiryTimer;

/** A live countdown of the code's 5 minutes, then plain words once it is over. @param {number} seconds */
function countDown(seconds) {
  clearInterval(expiryTimer);
  const until = Date.now() + seconds * 1000;
  const box = byId('code-expiry');
  const tick = () => {
    const left = Math.max(0, Math.round((until - Date.now()) / 1000));
    box.textContent =
      left > 0
        ? `The code works for ${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')} more.`
        : 'This code has expired. Choose Resend code for a new one.';
    box.className = left > 0 ? 'hint' : 'error';
    if (left === 0) clearInterval(expiryTimer);
  };
  tick();
  expiryTimer = setInterval(tick, 1000);
}

/** @param {{sentTo: string, expiresIn: number, outbox: boolean} | null} sent */
function showCodeScreen(sent) {
  show('verify-device');
  if (sent) {
    byId('code-where').hidden = !sent.outbox;
    byId('code-sent').textContent =
      `We sent a 6-digit code to ${sent.sentTo}. It expires in ${Math.round(sent.expiresIn / 60)} minutes.`;
    countDown(sent.expiresIn);
  }
  byId('code').focus();
}

byId('code-form').addEventListener('submit', (e) => {
  e.preventDefault();
  void run(byId('code-error'), async () => {
    /** @type {{next: 'kit' | 'recover'}} */
    const reply = await ask('ws-verify-code', { code: /** @type {HTMLInputElement} */ (byId('code')).value });
    clearInterval(expiryTimer);
    if (reply.next === 'kit') await showKit();
    else show('recover');
  });
});
byId('resend').addEventListener('click', () => {
  void run(byId('code-error'), async () => {
    /** @type {{sentTo: string, expiresIn: number, outbox: boolean}} */
    const sent = await ask('ws-send-code');
    byId('code-status').textContent = `A new code is on its way to ${sent.sentTo}.`;
    byId('code-where').hidden = !sent.outbox;
    countDown(sent.expiresIn);
  });
});

// ---- Recovery Kit (first device) ----
async function showKit() {
  /** @type {{kit: string}} */
  const { kit } = await ask('ws-create-kit');
  byId('kit').textContent = kit;
  /** @type {HTMLInputElement} */ (byId('kit-saved')).checked = false;
  show('kit');
}

function updateKitDone() {
  /** @type {HTMLButtonElement} */ (byId('kit-done')).disabled = !(
    /** @type {HTMLInputElement} */ (byId('kit-saved')).checked
  );
}
byId('kit-saved').addEventListener('change', updateKitDone);
byId('kit-copy').addEventListener('click', async () => {
  const ok = await copied(byId('kit-copy'), byId('kit').textContent ?? '');
  byId('kit-feedback').textContent = ok ? '' : 'Could not copy: select the text and copy it.';
});
byId('kit-save').addEventListener('click', () => {
  const kit = byId('kit').textContent ?? '';
  const text =
    `Latchkey Recovery Kit\n\n${kit}\n\nKeep this safe. With it, you can open your Latchkey account on a new device ` +
    `if you lose your trusted devices.\n`;
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = 'Latchkey Recovery Kit.txt';
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  byId('kit-feedback').textContent = 'Saved as a file';
});
byId('kit-done').addEventListener('click', () => {
  void run(byId('kit-error'), async () => {
    await ask('ws-confirm-kit');
    await showDone();
  });
});

// ---- Recovery Kit (later device) ----
byId('recover-form').addEventListener('submit', (e) => {
  e.preventDefault();
  void run(
    byId('recover-error'),
    async () => {
      await ask('ws-recover', { kit: /** @type {HTMLInputElement} */ (byId('kit-input')).value });
      await showDone();
    },
    byId('recover-progress'),
  );
});

// ---- Verify your identity (approval from a trusted device) ----
/** @param {string} phrase @param {number} number */
function showIdentity(phrase, number) {
  byId('phrase').textContent = phrase;
  byId('match-number').textContent = String(number);
  byId('match-number').hidden = false;
  byId('ask-again').hidden = true;
  byId('identity-status').textContent = 'Waiting for approval…';
  byId('identity-status').className = 'progress';
  show('identity');
  void waitForApproval();
}

byId('ask-again').addEventListener('click', () => {
  void run(byId('identity-error'), askApproval);
});

async function waitForApproval() {
  if (waiting) return;
  waiting = true;
  try {
    while (screen === 'identity') {
      /** @type {{status: 'pending' | 'approved' | 'denied' | 'expired', reason?: string}} */
      let reply;
      try {
        reply = await ask('ws-wait-approval');
      } catch (e) {
        const ws = await status().catch(() => null);
        if (ws && ws.stage !== 'registered') return void main(); // denied, wiped, or trusted meanwhile
        showError(byId('identity-error'), message(e));
        await new Promise((r) => setTimeout(r, 3000));
        continue;
      }
      showError(byId('identity-error'), null);
      if (reply.status === 'approved') return await showDone();
      if (reply.status === 'denied' || reply.status === 'expired') {
        byId('identity-status').className = 'error';
        byId('match-number').hidden = true;
        byId('identity-status').textContent =
          reply.reason === 'wrong_number'
            ? 'The number typed on your trusted device was not this one, so the request was denied. Choose Ask ' +
              'again for a new number.'
            : reply.status === 'denied'
              ? 'The request was denied on your trusted device. If that was not you, tell your administrator.'
              : 'The request expired. Choose Ask again, or use the e-mailed code.';
        byId('ask-again').hidden = reply.status === 'denied' && reply.reason !== 'wrong_number';
        return;
      }
    }
  } finally {
    waiting = false;
  }
}

byId('no-access').addEventListener('click', () => {
  void run(byId('identity-error'), async () => {
    /** @type {{sentTo: string, expiresIn: number, outbox: boolean}} */
    const sent = await ask('ws-send-code');
    showCodeScreen(sent);
  });
});

// ---- Choose an unlock PIN (once trusted) ----
byId('pin-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const pin = /** @type {HTMLInputElement} */ (byId('pin-new'));
  const again = /** @type {HTMLInputElement} */ (byId('pin-again'));
  void run(
    byId('pin-error'),
    async () => {
      if (pin.value !== again.value) throw new Error('The two entries differ. Type the same PIN twice.');
      await ask('ws-set-pin', { pin: pin.value });
      pin.value = again.value = '';
      await showDone();
    },
    byId('pin-progress'),
  );
});

async function showDone() {
  const ws = await status();
  if (!ws.pinSet) {
    show('pin');
    byId('pin-new').focus();
    return;
  }
  const device = ws.stage === 'trusted' || ws.stage === 'registered' ? ws.deviceName : 'This device';
  const workspace =
    (ws.stage === 'trusted' || ws.stage === 'registered' ? ws.workspaceName : undefined) ?? 'your workspace';
  byId('done-text').textContent =
    `${device} is now a trusted device of ${workspace}. Your team’s accounts and their codes are in Latchkey.`;
  show('done');
}

/**
 * Where a person left off.
 * @param {Extract<import('../types/protocol').WorkspaceStatus, {stage: 'registered'}>} ws
 */
async function resume(ws) {
  if (ws.route === 'choose') return show('choose');
  if (ws.route === 'approval') return askApproval();
  if (!ws.emailVerified) {
    showCodeScreen(null);
    byId('code-sent').textContent = `Enter the 6-digit code we e-mailed to ${ws.email}, or choose Resend code.`;
    return;
  }
  if (ws.hasKeys) return show('recover');
  return showKit();
}

async function main() {
  const ws = await status();
  if (ws.notice) {
    byId('notice').textContent = ws.notice;
    byId('notice').hidden = false;
  }
  /** @type {HTMLInputElement} */ (byId('server')).value = ws.server;
  /** @type {HTMLInputElement} */ (byId('email')).value = ws.email;
  if (ws.stage === 'trusted') return showDone();
  // `?change`: the popup's Change server or e-mail and Set up new device.
  if (ws.stage === 'none' || new URLSearchParams(location.search).has('change')) return show('welcome');
  if (ws.stage === 'begun') return show('strengthen');
  if (ws.remindLater) return show('strengthen');
  return resume(ws).catch((e) => {
    show('welcome');
    showError(byId('welcome-error'), message(e));
  });
}

void main();
