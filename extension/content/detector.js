// @ts-check
/**
 * Finds one-time-code fields on a page: single fields and segmented widgets (one box per
 * character), and tells them from look-alikes (captchas, PINs, card digits, phone numbers,
 * recovery codes, passwords). Self-contained on purpose: no extension APIs, no modules, so a test
 * can load this file into any page. It defines `globalThis.LatchkeyDetector = { detect }`.
 *
 * Everything read here (attributes, labels, nearby text) is written by the page and may be hostile:
 * it is only ever matched against word lists, never evaluated or echoed into the DOM.
 */
(() => {
  /** @typedef {import('../types/detector').DetectedGroup} DetectedGroup */
  /** @typedef {DetectedGroup['channel']} Channel */

  /** Input types a code can be typed into. */
  const TEXT_TYPES = new Set(['text', 'tel', 'number', 'password']);
  /** Below this confidence a field is not reported. */
  const THRESHOLD = 0.5;
  const MIN_BOXES = 4;
  const MAX_BOXES = 8;

  // Vocabulary, in the normalised form of `words()`: lower case, camelCase and digits split apart,
  // punctuation as single spaces ("2FA" → "2 fa", "twoFactorToken" → "two factor token").
  /** Phrases that name a one-time code. */
  const STRONG = [
    'one time code', 'one time password', 'one time passcode', 'one time pin', 'onetime code',
    '2 fa', 'tfa', 'two factor', 'twofactor', 'twofa', '2 factor', 'second factor', 'multi factor', 'two step', '2 step',
    'verification code', 'security code', 'authentication code', 'auth code', 'authenticator',
    'authentication token', 'mfa token', 'passcode', 'login code', 'sign in code', 'signin code',
    'confirmation code', 'digit code', 'access code', 'time dependent token', 'time based',
  ];
  /** Token stems that name a one-time code inside compound names (`mfacode`, `otpCode`, `motp`). */
  const STRONG_STEMS = ['otp', 'totp', 'mfa'];
  /** Words that suggest a code but also mean many other things. */
  const WEAK = ['code', 'token', 'verify', 'verification', 'confirm', 'digit', 'digits', 'otc'];
  /** Look-alikes: a field that says any of these is not a one-time code. */
  const NEGATIVE = [
    'captcha', 'recaptcha', 'human', 'robot', 'zip', 'postal', 'postcode', 'post code', 'promo',
    'promotion', 'coupon', 'voucher', 'gift', 'discount', 'referral', 'card', 'credit', 'debit',
    'cvv', 'cvc', 'csc', 'cvn', 'expiry', 'expiration', 'iban', 'sort code', 'routing',
    'account number', 'member number', 'membership number', 'customer number', 'pin', 'password',
    'passwd', 'pwd', 'new password', 'recovery', 'backup', 'scratch', 'bypass', 'reset', 'username',
    'user name', 'search', 'quantity', 'qty', 'amount', 'access token', 'api token', 'api key',
  ];
  /** Phone words: a look-alike unless the same text also names a code ("phone verification otp"). */
  const PHONE = ['phone', 'mobile', 'msisdn', 'cell', 'telephone', 'phone number'];
  /** Autocomplete tokens that declare some other kind of field. */
  const OTHER_AUTOCOMPLETE = /\b(username|email|tel|tel-[a-z-]+|cc-[a-z-]+|postal-code|street-address|address-line\d|address-level\d|country|country-name|name|given-name|family-name|additional-name|organization|bday(-[a-z]+)?|new-password|current-password|transaction-amount|url|photo|sex|language)\b/;
  const CHANNEL_APP = ['authenticator', 'auth app', 'authentication app', 'authenticator app', 'totp', 'from your app', 'two factor app', 'your app', 'app code', 'time dependent', 'time based'];
  const CHANNEL_SMS = ['sms', 'text message', 'texted', 'text you', 'sent to your phone', 'sent to your mobile', 'mobile number', 'phone number', 'on your phone'];
  const CHANNEL_EMAIL = ['email', 'e mail', 'emailed', 'mail', 'inbox'];

  /**
   * Normalises page text for matching: " two factor token 6 " (padded with spaces).
   * @param {string | null | undefined} text
   */
  function words(text) {
    if (!text) return ' ';
    const s = text
      .slice(0, 2000)
      .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
      .replace(/(\p{L})(\p{N})/gu, '$1 $2')
      .replace(/(\p{N})(\p{L})/gu, '$1 $2')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
    return ` ${s} `;
  }

  /** @param {string} text normalised by `words` @param {string[]} phrases */
  function hasAny(text, phrases) {
    return phrases.some((p) => text.includes(` ${p} `));
  }

  /** @param {string} text normalised by `words` */
  function hasStrong(text) {
    if (hasAny(text, STRONG)) return true;
    return text.split(' ').some((t) => t.length > 2 && STRONG_STEMS.some((s) => t === s || t.startsWith(s) || (s === 'otp' && t.endsWith(s))));
  }

  /** @param {string} text normalised by `words` */
  function isLookAlike(text) {
    // Judge what is left once code phrases are gone: "one time password" is no password field,
    // but "card security code" is still a card.
    for (const phrase of STRONG) text = text.replaceAll(` ${phrase} `, ' ');
    if (hasAny(text, NEGATIVE)) return true;
    return hasAny(text, PHONE) && !hasStrong(text);
  }

  /** @param {string} text normalised by `words` @returns {Channel} */
  function channelOf(text) {
    if (hasAny(text, CHANNEL_APP)) return 'app';
    if (hasAny(text, CHANNEL_SMS)) return 'sms';
    if (hasAny(text, CHANNEL_EMAIL)) return 'email';
    return 'unknown';
  }

  /**
   * Whether a person can see the field: not `type=hidden`, not display:none / visibility:hidden /
   * aria-hidden / inert, not zero-sized, not pushed off the page.
   * @param {HTMLInputElement} input
   */
  function isVisible(input) {
    if (input.type === 'hidden' || input.hidden) return false;
    if (input.closest('[hidden], [aria-hidden="true"], [inert]')) return false;
    const view = input.ownerDocument.defaultView;
    if (!view) return false;
    if (typeof input.checkVisibility === 'function') {
      if (!input.checkVisibility({ visibilityProperty: true, contentVisibilityAuto: true })) return false;
    }
    const style = view.getComputedStyle(input);
    if (style.display === 'none' || style.visibility !== 'visible') return false;
    const rect = input.getBoundingClientRect();
    if (rect.width < 4 || rect.height < 4) return false;
    const doc = input.ownerDocument.documentElement;
    const left = rect.left + view.scrollX;
    const top = rect.top + view.scrollY;
    if (left + rect.width <= 0 || top + rect.height <= 0) return false;
    if (left >= Math.max(doc.scrollWidth, view.innerWidth) || top >= Math.max(doc.scrollHeight, view.innerHeight)) return false;
    return true;
  }

  /** @param {HTMLInputElement} input */
  function isFillableInput(input) {
    const type = (input.getAttribute('type') || 'text').toLowerCase();
    return TEXT_TYPES.has(type) && !input.disabled && !input.readOnly && isVisible(input);
  }

  /**
   * The text of elements an attribute refers to by id (aria-labelledby, aria-describedby).
   * @param {HTMLInputElement} input @param {string} attribute
   */
  function referencedText(input, attribute) {
    const ids = (input.getAttribute(attribute) || '').split(/\s+/).filter(Boolean).slice(0, 5);
    const doc = input.ownerDocument;
    return ids.map((id) => (id === input.id ? '' : doc.getElementById(id)?.textContent || '')).join(' ');
  }

  /** What the field says about itself. @param {HTMLInputElement} input */
  function ownText(input) {
    return words(['id', 'name', 'placeholder', 'aria-label', 'title'].map((a) => input.getAttribute(a) || '').join(' '));
  }

  /** Its labels: <label for>, a wrapping <label>, aria-labelledby. @param {HTMLInputElement} input */
  function labelText(input) {
    const labels = Array.from(input.labels || [], (l) => l.textContent || '').join(' ');
    return words(`${labels} ${referencedText(input, 'aria-labelledby')}`);
  }

  /** @param {Element} el */
  function countInputs(el) {
    return el.querySelectorAll('input:not([type=hidden]), select, textarea').length;
  }

  /**
   * Text near the field that belongs to it alone ("OTP: <input>"): the text of the closest
   * ancestor, within 3 levels, that holds no other field.
   * @param {Element} el @param {number} fields how many inputs `el` stands for
   */
  function nearbyText(el, fields = 1) {
    let node = el.parentElement;
    let text = '';
    for (let level = 0; node && level < 3; level++, node = node.parentElement) {
      if (countInputs(node) > fields) break;
      text = node.textContent || '';
    }
    return words(text.slice(0, 300));
  }

  /**
   * The closest heading or legend before the field (within 6 ancestors, 6 siblings each).
   * @param {Element} el
   */
  function headingText(el) {
    const HEADINGS = 'h1, h2, h3, h4, h5, h6, legend, [role=heading]';
    let node = /** @type {Element | null} */ (el);
    for (let level = 0; node && level < 6; level++, node = node.parentElement) {
      if (node.matches('legend') || node.matches('fieldset')) {
        const legend = node.matches('fieldset') ? node.querySelector(':scope > legend') : node;
        if (legend) return words(legend.textContent);
      }
      let sibling = node.previousElementSibling;
      for (let i = 0; sibling && i < 6; i++, sibling = sibling.previousElementSibling) {
        const heading = sibling.matches(HEADINGS) ? sibling : sibling.querySelector(HEADINGS);
        if (heading) return words(heading.textContent);
      }
    }
    return ' ';
  }

  /**
   * What the page says just before the field ("We sent a code to your phone"): text of earlier
   * siblings that hold no field, climbing 4 ancestors, up to 300 characters. For the channel.
   * @param {Element} el
   */
  function introText(el) {
    let text = '';
    let node = /** @type {Element | null} */ (el);
    for (let level = 0; node && level < 4 && text.length < 300; level++, node = node.parentElement) {
      let sibling = node.previousElementSibling;
      for (let i = 0; sibling && i < 4 && text.length < 300; i++, sibling = sibling.previousElementSibling) {
        if (sibling.matches('input, select, textarea') || countInputs(sibling) > 0) continue;
        text = `${sibling.textContent || ''} ${text}`;
      }
    }
    return words(text.slice(0, 300));
  }

  /** @param {Element} el */
  function hasImageNearby(el) {
    const box = el.parentElement?.parentElement;
    return !!box && !!box.querySelector('img, canvas, svg image');
  }

  /**
   * Scores evidence that text around a field (or a group) names a one-time code.
   * @param {{own: string, label: string, near: string, heading: string, autocomplete: boolean, boosters: number, image: boolean}} e
   * @returns {{score: number, reasons: string[]} | null} null for a look-alike
   */
  function score(e) {
    const reasons = [];
    if (isLookAlike(e.own) || isLookAlike(e.label)) return null;
    let s = 0;
    if (e.autocomplete) { s += 1; reasons.push('autocomplete=one-time-code'); }
    if (hasStrong(e.own)) { s += 0.6; reasons.push('its name or id names a code'); }
    if (hasStrong(e.label)) { s += 0.5; reasons.push('its label names a code'); }
    // Short text that belongs to the field alone ("OTP: <input>") is a label in all but markup.
    if (hasStrong(e.near)) { s += e.near.length <= 60 ? 0.5 : 0.3; reasons.push('text next to it names a code'); }
    if (hasStrong(e.heading)) { s += 0.3; reasons.push('the heading names a code'); }
    if (s === 0 && (hasAny(e.own, WEAK) || hasAny(e.label, WEAK) || hasAny(e.near, WEAK))) {
      s += 0.3;
      reasons.push('it says "code"');
    }
    if (s > 0 && e.boosters > 0) { s += e.boosters; reasons.push('numeric, code-sized'); }
    // Warnings nearby (a captcha image, "backup code") weaken, but never outweigh, clear signals.
    if (isLookAlike(e.near) || isLookAlike(e.heading)) { s -= 0.3; reasons.push('look-alike words nearby'); }
    if (e.image && !e.autocomplete && !hasStrong(e.own) && !hasStrong(e.label)) { s -= 0.3; reasons.push('an image next to it (captcha?)'); }
    return { score: Math.max(0, Math.min(1, s)), reasons };
  }

  /** Code-shaped hints: numeric keyboard, digits pattern, 4-8 characters. @param {HTMLInputElement} input */
  function boosters(input) {
    let b = 0;
    const mode = (input.getAttribute('inputmode') || '').toLowerCase();
    if (mode === 'numeric' || mode === 'decimal' || input.type === 'tel' || input.type === 'number') b += 0.1;
    if (/^\[0-9\]|^\\d/.test(input.getAttribute('pattern') || '')) b += 0.05;
    if (input.maxLength >= 4 && input.maxLength <= 10) b += 0.1;
    return b;
  }

  /** @param {HTMLInputElement} input */
  function autocompleteOf(input) {
    return (input.getAttribute('autocomplete') || '').toLowerCase();
  }

  /** @param {HTMLInputElement} input @returns {DetectedGroup | null} */
  function judgeSingle(input) {
    const ac = autocompleteOf(input);
    const isOtc = /\bone-time-code\b/.test(ac);
    if (!isOtc && OTHER_AUTOCOMPLETE.test(ac)) return null;
    if (input.maxLength > 0 && input.maxLength < 4) return null;
    const own = ownText(input);
    const label = labelText(input);
    const near = nearbyText(input);
    const heading = headingText(input);
    // A password-type field is a code only when it says so itself (AWS's MFA code, Bitwarden's).
    if (input.type === 'password' && !isOtc && !hasStrong(own) && !hasStrong(label)) return null;
    const result = score({ own, label, near, heading, autocomplete: isOtc, boosters: boosters(input), image: hasImageNearby(input) });
    if (!result || result.score < THRESHOLD) return null;
    return {
      kind: 'single',
      fields: [input],
      confidence: round(result.score),
      reason: result.reasons.join('; '),
      channel: channelOf(`${own}${label}${near}${heading}${words(referencedText(input, 'aria-describedby'))}${introText(input)}`),
    };
  }

  /** @param {number} x */
  function round(x) {
    return Math.round(x * 100) / 100;
  }

  /** A box sized for one character. @param {HTMLInputElement} input */
  function isBoxLike(input) {
    if (input.maxLength === 1) return true;
    if (input.type === 'number' && input.max !== '' && Number(input.max) <= 9) return true;
    const r = input.getBoundingClientRect();
    return r.width > 0 && r.width <= 64 && r.width <= r.height * 1.6;
  }

  /**
   * Whether the boxes are numbered in sequence by id, name or aria-label (`otp-0`…`otp-5`, `d1`…`d6`,
   * "1-6"…"6-6", "Digit 1 of 6"…).
   * @param {HTMLInputElement[]} boxes
   */
  function isNumberedSequence(boxes) {
    for (const attr of ['id', 'name', 'aria-label', 'data-index']) {
      const numbers = boxes.map((b) => {
        const m = /(\d+)\D*(?:of\s*\d+|-\s*\d+)?\D*$/i.exec(b.getAttribute(attr) || '');
        return m ? Number(m[1]) : NaN;
      });
      if (numbers.every((n, i) => Number.isFinite(n) && (i === 0 || n === numbers[i - 1] + 1))) return true;
    }
    return false;
  }

  /** @param {Element} a @param {Element} b */
  function commonAncestorDepth(a, b) {
    let node = a.parentElement;
    for (let depth = 1; node && depth <= 4; depth++, node = node.parentElement) {
      if (node.contains(b)) return { node, depth };
    }
    return null;
  }

  /** @param {HTMLInputElement} a @param {HTMLInputElement} b */
  function alike(a, b) {
    return a.type === b.type && a.maxLength === b.maxLength && a.className === b.className;
  }

  /**
   * Runs of alike inputs next to each other, sharing a close ancestor: candidate box groups.
   * @param {HTMLInputElement[]} inputs visible inputs in document order
   */
  function runs(inputs) {
    /** @type {HTMLInputElement[][]} */
    const out = [];
    /** @type {HTMLInputElement[]} */
    let run = [];
    for (const input of inputs) {
      const prev = run[run.length - 1];
      if (prev && alike(prev, input) && commonAncestorDepth(prev, input)) {
        run.push(input);
      } else {
        if (run.length > 1) out.push(run);
        run = [input];
      }
    }
    if (run.length > 1) out.push(run);
    return out;
  }

  /** Boxes in the order a person reads them: left to right when on one row. @param {HTMLInputElement[]} boxes */
  function visualOrder(boxes) {
    const rects = boxes.map((b) => b.getBoundingClientRect());
    const oneRow = rects.every((r) => Math.abs(r.top - rects[0].top) < Math.max(4, rects[0].height / 2));
    if (!oneRow) return boxes;
    return boxes.map((b, i) => ({ b, left: rects[i].left })).sort((x, y) => x.left - y.left).map((x) => x.b);
  }

  /** @param {HTMLInputElement[]} boxes @returns {DetectedGroup | null} */
  function judgeSegmented(boxes) {
    if (boxes.length < MIN_BOXES || boxes.length > MAX_BOXES) return null;
    if (!boxes.every(isBoxLike) && !isNumberedSequence(boxes)) return null;
    const autocompletes = boxes.map(autocompleteOf);
    const isOtc = autocompletes.some((ac) => /\bone-time-code\b/.test(ac));
    if (!isOtc && autocompletes.some((ac) => OTHER_AUTOCOMPLETE.test(ac))) return null;
    const own = words(boxes.map((b) => ownText(b)).join(' '));
    const label = words(boxes.map((b) => labelText(b)).join(' '));
    const first = boxes[0];
    const near = nearbyText(first, boxes.length);
    const heading = headingText(first);
    // Rows of password boxes are PIN pads (a static PIN), unless they plainly say one-time code.
    if (first.type === 'password' && !isOtc && !hasStrong(own) && !hasStrong(label) && !hasStrong(heading)) return null;
    const result = score({ own, label, near, heading, autocomplete: isOtc, boosters: 0.1, image: false });
    if (!result || result.score < THRESHOLD) return null;
    return {
      kind: 'segmented',
      fields: visualOrder(boxes),
      confidence: round(result.score),
      reason: `${boxes.length} one-character boxes; ${result.reasons.join('; ')}`,
      channel: channelOf(`${own}${label}${near}${heading}${introText(first)}`),
    };
  }

  /**
   * Finds the one-time-code fields under `root`, best first.
   * @param {Document | Element} [root]
   * @returns {DetectedGroup[]}
   */
  function detect(root = document) {
    const inputs = Array.from(root.querySelectorAll('input')).filter(isFillableInput);
    /** @type {DetectedGroup[]} */
    const groups = [];
    const grouped = new Set();
    for (const run of runs(inputs)) {
      const group = judgeSegmented(run);
      if (group) {
        groups.push(group);
        run.forEach((b) => grouped.add(b));
      }
    }
    for (const input of inputs) {
      if (grouped.has(input)) continue;
      const group = judgeSingle(input);
      if (group) groups.push(group);
    }
    return groups.sort((a, b) => b.confidence - a.confidence);
  }

  globalThis.LatchkeyDetector = Object.freeze({ detect });
})();
