// @ts-check
// The detector's rules one at a time, on small pages, shared by the browsers' suites:
// tests/e2e/detector-behaviour.test.mjs (Chromium, Playwright) and
// tests/e2e-firefox/detector-behaviour.test.mjs (Firefox, the WebDriver twin of a Playwright page in
// score-page.mjs): hidden fields, a transparent input over drawn boxes, open shadow roots, disabled
// fields, the visual order of boxes, code kinds in many languages, look-alikes in many languages.
// detector.js is loaded as a plain script, as into any page.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT } from '../harness.mjs';

const DETECTOR = join(ROOT, 'extension', 'content', 'detector.js');

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {{after: (fn: () => unknown) => void}} Context */

/**
 * Declares the detector's behaviour tests with `test`, each on a page `openPage` gives it (a
 * Playwright page or its twin: setContent, addScriptTag, evaluate).
 * @param {(name: string, fn: (t: Context) => Promise<void>) => unknown} test
 * @param {(t: Context) => Promise<Page>} openPage
 */
export function detectorBehaviourCases(test, openPage) {
  /**
   * Loads `html`, runs the detector, and names each group's fields by id (or name).
   * @param {Page} page @param {string} html
   */
  async function detect(page, html) {
    await page.setContent(html);
    await page.addScriptTag({ path: DETECTOR });
    return page.evaluate(() =>
      globalThis.LatchkeyDetector.detect().map((g) => ({
        kind: g.kind,
        code: g.code,
        channel: g.channel,
        disabled: g.disabled,
        fields: g.fields.map((f) => f.id || f.name),
      })),
    );
  }

  /** Six drawn boxes with one input laid over them, visible or not as `inputStyle` says. @param {string} inputStyle */
  const overlay = (inputStyle) => `
    <style>.w{position:relative;display:inline-flex;gap:8px}.w span{width:40px;height:48px;border:1px solid #000}
    .w input{position:absolute;inset:0;width:100%;height:100%;${inputStyle}}</style>
    <h2>Two-step verification</h2>
    <div class="w"><span></span><span></span><span></span><span></span><span></span><span></span>
    <input id="code" autocomplete="one-time-code" maxlength="6" inputmode="numeric"></div>`;

  test('hidden fields are never reported, whatever they say', async (t) => {
    const page = await openPage(t);
    const found = await detect(
      page,
      `
      <style>.off{position:absolute;left:-10000px}.zero{width:0;height:0;padding:0;border:0}
      .tiny{width:1px;height:1px;padding:0;border:0}
      .clear{opacity:0;position:absolute;top:300px;width:120px;height:30px}</style>
      <h1>Two-step verification</h1>
      <input id="a" autocomplete="one-time-code" style="display:none">
      <div style="display:none"><input id="b" autocomplete="one-time-code"></div>
      <input id="c" autocomplete="one-time-code" style="visibility:hidden">
      <input id="d" class="zero" autocomplete="one-time-code">
      <input id="e" class="tiny" autocomplete="one-time-code">
      <div aria-hidden="true"><input id="f" autocomplete="one-time-code"></div>
      <div inert><input id="g" autocomplete="one-time-code"></div>
      <input id="h" class="off" autocomplete="one-time-code">
      <input id="i" type="hidden" autocomplete="one-time-code">
      <input id="j" hidden autocomplete="one-time-code">
      <input id="k" class="clear" autocomplete="one-time-code" aria-label="verification code">
      <div style="opacity:0"><input id="l" autocomplete="one-time-code"></div>
      <label for="visible">Authentication code</label><input id="visible" autocomplete="one-time-code" maxlength="6">`,
    );
    assert.deepEqual(
      found.map((g) => g.fields),
      [['visible']],
    );
  });

  test('one transparent input over drawn boxes is one field; the same input over nothing is hidden', async (t) => {
    const page = await openPage(t);
    for (const style of ['opacity:0', 'color:transparent;caret-color:transparent;background:transparent;border:0']) {
      const found = await detect(page, overlay(style));
      assert.deepEqual(
        found.map((g) => [g.kind, g.fields]),
        [['single', ['code']]],
        style,
      );
    }
    const alone = await detect(page, overlay('opacity:0').replaceAll('<span></span>', ''));
    assert.deepEqual(alone, [], 'an opacity-0 input with no boxes under it');
  });

  // Hidden hosts hide their fields.
  test('fields inside open shadow roots are found, nested ones too; closed roots stay closed', async (t) => {
    const page = await openPage(t);
    await page.setContent(
      '<h1>Verify your sign-in</h1><div id="outer"></div><div id="closed"></div><div aria-hidden="true">' +
        '<p id="muted"></p></div>',
    );
    await page.addScriptTag({ path: DETECTOR });
    const found = await page.evaluate(() => {
      const outer = /** @type {HTMLElement} */ (document.getElementById('outer')).attachShadow({ mode: 'open' });
      outer.innerHTML = '<form><x-field></x-field></form>';
      const inner = /** @type {HTMLElement} */ (outer.querySelector('x-field')).attachShadow({ mode: 'open' });
      inner.innerHTML =
        '<label for="otp">Code from your authenticator app</label><input id="otp" maxlength="6" inputmode="numeric">';
      const closed = /** @type {HTMLElement} */ (document.getElementById('closed')).attachShadow({ mode: 'closed' });
      closed.innerHTML = '<label for="c">Verification code</label><input id="c" autocomplete="one-time-code">';
      const muted = /** @type {HTMLElement} */ (document.getElementById('muted')).attachShadow({ mode: 'open' });
      muted.innerHTML = '<label for="m">Verification code</label><input id="m" autocomplete="one-time-code">';
      const groups = globalThis.LatchkeyDetector.detect();
      const inShadow = globalThis.LatchkeyDetector.detect(outer);
      return { all: groups.map((g) => [g.fields[0].id, g.code]), fromShadowRoot: inShadow.map((g) => g.fields[0].id) };
    });
    assert.deepEqual(found, { all: [['otp', 'totp']], fromShadowRoot: ['otp'] });
  });

  test("a widget's boxes that are its shadow root's own children are one group, with its host's words", async (t) => {
    const page = await openPage(t);
    await page.setContent(
      '<main><h1>Two-factor authentication</h1><p>Open your authenticator app and enter the code.</p>' +
        '<otp-box id="boxes"></otp-box><button>Verify</button></main>',
    );
    await page.addScriptTag({ path: DETECTOR });
    const found = await page.evaluate(() => {
      const boxes = /** @type {HTMLElement} */ (document.getElementById('boxes')).attachShadow({ mode: 'open' });
      boxes.innerHTML = [0, 1, 2, 3, 4, 5].map((i) => `<input id="b${i}" maxlength="1" inputmode="numeric">`).join('');
      const groups = globalThis.LatchkeyDetector.detect();
      return groups.map((g) => [g.kind, g.code, g.fields.map((f) => f.id).join(',')]);
    });
    assert.deepEqual(found, [['segmented', 'totp', 'b0,b1,b2,b3,b4,b5']]);
  });

  test("a bare step with its field in a widget's shadow root is a code step; a second field stops it", async (t) => {
    const page = await openPage(t);
    /**
     * The page `light` and the widget `#w`'s shadow root `shadow` (the field at its top or in a div), detected.
     * @param {string} light @param {string} shadow
     */
    const run = async (light, shadow) => {
      await page.setContent(light);
      await page.addScriptTag({ path: DETECTOR });
      return page.evaluate((shadow) => {
        const root = /** @type {HTMLElement} */ (document.getElementById('w')).attachShadow({ mode: 'open' });
        root.innerHTML = shadow;
        return globalThis.LatchkeyDetector.detect().map((g) => [g.fields[0].id, g.code]);
      }, shadow);
    };
    const field = '<input id="v" inputmode="numeric" maxlength="6">';
    for (const shadow of [field, `<div class="box">${field}</div>`]) {
      const form = (/** @type {string} */ more) =>
        `<h1>Verify</h1><form action="/account/continue">${more}<code-input id="w"></code-input>` +
        '<button>Continue</button></form>';
      assert.deepEqual(await run(form(''), shadow), [['v', 'either']], `the form's only field: ${shadow}`);
      assert.deepEqual(await run(form('<input id="name" name="name">'), shadow), [], `a second field: ${shadow}`);
    }
    // The whole step inside the widget, its button too.
    assert.deepEqual(
      await run('<h1>Verify</h1><otp-step id="w"></otp-step>', `<div>${field}<button>Verify</button></div>`),
      [['v', 'either']],
      'the button in the shadow root',
    );
  });

  test('a field disabled until "Send code" is reported with disabled: true, then false once enabled', async (t) => {
    const page = await openPage(t);
    const html =
      `<label for="phone">Mobile number</label><input id="phone" type="tel" autocomplete="tel">
      <label for="sms">SMS code</label>` +
      `<input id="sms" maxlength="6" inputmode="numeric" DISABLED><button>Send code</button>`;
    assert.deepEqual(await detect(page, html.replace('DISABLED', 'disabled')), [
      { kind: 'single', code: 'sms', channel: 'sms', disabled: true, fields: ['sms'] },
    ]);
    assert.deepEqual(
      (await detect(page, html.replace('DISABLED', ''))).map((g) => g.disabled),
      [false],
    );
  });

  test('boxes come in visual order: right-to-left pages, row-reverse, two rows', async (t) => {
    const page = await openPage(t);
    const boxes = (n = 6) =>
      Array.from({ length: n }, (_, i) => `<input id="b${i + 1}" maxlength="1" class="box" inputmode="numeric">`);
    const css =
      '<style>' +
      '.row{display:flex;gap:6px;width:max-content}.box{width:32px;height:40px}' +
      '.wrap{flex-wrap:wrap;width:120px}</style>';
    const head = '<h2>Enter the verification code</h2>';
    const ltr = ['b1', 'b2', 'b3', 'b4', 'b5', 'b6'];
    // DOM b1…b6 in a right-to-left row: drawn b6 … b1 from the left.
    let found = await detect(page, `<html dir="rtl">${css}${head}<div class="row">${boxes().join('')}</div></html>`);
    assert.deepEqual(
      found.map((g) => g.fields),
      [[...ltr].reverse()],
      'rtl',
    );
    // An ltr island in an rtl page keeps DOM order.
    found = await detect(
      page,
      `<html dir="rtl">${css}${head}<div class="row" dir="ltr">${boxes().join('')}</div></html>`,
    );
    assert.deepEqual(
      found.map((g) => g.fields),
      [ltr],
      'ltr island',
    );
    found = await detect(
      page,
      `${css}${head}<div class="row" style="flex-direction:row-reverse">${boxes().join('')}</div>`,
    );
    assert.deepEqual(
      found.map((g) => g.fields),
      [[...ltr].reverse()],
      'row-reverse',
    );
    const ordered = boxes().map((b, i) =>
      b.replace('class="box"', `class="box" style="order:${[2, 1, 3, 4, 6, 5][i]}"`),
    );
    found = await detect(page, `${css}${head}<div class="row">${ordered.join('')}</div>`);
    assert.deepEqual(
      found.map((g) => g.fields),
      [['b2', 'b1', 'b3', 'b4', 'b6', 'b5']],
      'css order',
    );
    found = await detect(page, `${css}${head}<div class="row wrap">${boxes().join('')}</div>`);
    assert.deepEqual(
      found.map((g) => g.fields),
      [ltr],
      'two rows',
    );
    found = await detect(page, `${css}${head}<div class="row">${boxes(9).join('')}</div>`);
    assert.deepEqual(found, [], 'nine boxes are no code widget');
  });

  /**
   * Per language: a heading, the field's label, and the code kind the page says. The field itself has
   * no telling attributes, so the words decide.
   * @type {Array<[string, string, string, 'totp' | 'sms' | 'email' | 'either']>}
   */
  const LANGUAGES = [
    ['en', 'Enter the code from your authenticator app', 'Verification code', 'totp'],
    ['es', 'Te enviamos un mensaje de texto', 'Código de verificación', 'sms'],
    ['pt', 'Enviamos um código para o seu e-mail', 'Código de verificação', 'email'],
    ['fr', "Ouvrez votre application d'authentification", 'Code de vérification', 'totp'],
    ['de', 'Wir haben dir eine SMS geschickt', 'Bestätigungscode', 'sms'],
    ['it', 'Inserisci il codice ricevuto via SMS', 'Codice di verifica', 'sms'],
    ['nl', 'Open je authenticator-app', 'Verificatiecode', 'totp'],
    ['ru', 'Мы отправили код на вашу почту', 'Код подтверждения', 'email'],
    ['zh', '我们已向您的手机发送短信', '短信验证码', 'sms'],
    ['ja', '認証アプリに表示されたコード', '確認コード', 'totp'],
    ['ko', '이메일로 받은 인증번호를 입력하세요', '인증번호', 'email'],
    ['ar', 'أدخل الرمز المرسل في رسالة نصية', 'رمز التحقق', 'sms'],
    ['hi', 'आपके मोबाइल पर भेजा गया', 'ओटीपी', 'sms'],
    ['tr', 'Kimlik doğrulama uygulamanızdaki kodu girin', 'Doğrulama kodu', 'totp'],
    ['pl', 'Wpisz kod z wiadomości SMS', 'Kod weryfikacyjny', 'sms'],
    ['id', 'Masukkan kode dari aplikasi autentikator', 'Kode verifikasi', 'totp'],
    ['vi', 'Nhập mã được gửi qua tin nhắn', 'Mã xác minh', 'sms'],
    ['cs', 'Zadejte kód z ověřovací aplikace', 'Ověřovací kód', 'totp'],
    ['sk', 'Poslali sme vám kód v SMS správe', 'Overovací kód', 'sms'],
    ['hu', 'Add meg a hitelesítő alkalmazásban megjelenő kódot', 'Hitelesítőkód', 'totp'],
    ['ro', 'Am trimis un cod prin SMS', 'Cod de verificare', 'sms'],
    ['sv', 'Vi har skickat en kod till din e-post', 'Verifieringskod', 'email'],
    ['nb', 'Skriv inn koden fra autentiseringsappen', 'Engangskode', 'totp'],
    ['da', 'Vi har sendt en engangskode på sms', 'Engangskode', 'sms'],
    ['fi', 'Lähetimme koodin sähköpostiisi', 'Vahvistuskoodi', 'email'],
    ['el', 'Στείλαμε έναν κωδικό με SMS', 'Κωδικός επαλήθευσης', 'sms'],
    ['th', 'ระบบได้ส่งรหัสทาง SMS', 'รหัสยืนยัน', 'sms'],
    ['ms', 'Masukkan kod daripada aplikasi pengesah', 'Kod pengesahan', 'totp'],
    ['uk', 'Ми надіслали код у смс', 'Код підтвердження', 'sms'],
    ['en', 'Sign in', 'One-time code', 'either'],
  ];

  test('code kinds in 29 languages, with code and channel agreeing', async (t) => {
    const page = await openPage(t);
    const channelOf = { totp: 'app', sms: 'sms', email: 'email', either: 'unknown' };
    for (const [lang, heading, label, code] of LANGUAGES) {
      const found = await detect(
        page,
        `<html lang="${lang}"><h2>${heading}</h2><label for="f">${label}</label><input id="f" type="text"></html>`,
      );
      assert.deepEqual(
        found.map((g) => [g.code, g.channel]),
        [[code, channelOf[code]]],
        `${lang}: ${label}`,
      );
    }
  });

  /** @type {Array<[string, string]>} look-alikes: label, then what it is */
  const LOOK_ALIKES = [
    ['Enter the characters you see', 'captcha (en)'],
    ['Card security code (CVC)', 'card (en)'],
    ['Promo code', 'promo (en)'],
    ['Recovery code', 'recovery (en)'],
    ['PIN', 'static PIN (en)'],
    ['Código postal', 'postal (es)'],
    ['Código do cupom', 'coupon (pt)'],
    ['Code de secours', 'backup (fr)'],
    ['Gutscheincode', 'voucher (de)'],
    ['Codice sconto', 'discount (it)'],
    ['Kortingscode', 'discount (nl)'],
    ['Промокод', 'promo (ru)'],
    ['图形验证码', 'image captcha (zh)'],
    ['郵便番号', 'postal (ja)'],
    ['자동입력 방지 문자', 'captcha (ko)'],
    ['رمز الخصم', 'discount (ar)'],
    ['कूपन कोड', 'coupon (hi)'],
    ['Kart numarası', 'card (tr)'],
    ['Kod pocztowy', 'postal (pl)'],
    ['Kode promo', 'promo (id)'],
    ['Mã giảm giá', 'discount (vi)'],
    ['Phone number', 'phone (en)'],
    ['PSČ', 'postal (cs)'],
    ['Kuponkód', 'coupon (hu)'],
    ['Postnummer', 'postal (sv)'],
    ['Cod poștal', 'postal (ro)'],
    ['Year of birth', 'age gate (en)'],
    ['Enter the code shown on your TV', 'device activation (en)'],
    ['Survey code from your receipt', 'survey (en)'],
    ['Last 4 digits of your Social Security number', 'government id (en)'],
    ['Número do CPF', 'tax id (pt)'],
    ['Letzten 4 Ziffern Ihrer Kontonummer', 'account number (de)'],
  ];

  test('look-alikes in many languages are not code fields, even numeric and code-sized', async (t) => {
    const page = await openPage(t);
    for (const [label, what] of LOOK_ALIKES) {
      const found = await detect(
        page,
        `<h2>Verification</h2><label for="f">${label}</label><input id="f" maxlength="6" inputmode="numeric">`,
      );
      assert.deepEqual(found, [], what);
    }
  });

  // The failure classes of docs/detection.md, seen on pages nobody tuned for, one rule each.

  test('a "Security code" beside a card\'s number or expiry is the card\'s; an OTP there is a code', async (t) => {
    const page = await openPage(t);
    const csc =
      '<label for="f">Security code</label><input id="f" name="securityCode" inputmode="numeric" maxlength="4">';
    for (const [html, found, what] of /** @type {Array<[string, string[][], string]>} */ ([
      [`<form><label>Card number <input name="cardnumber"></label>${csc}</form>`, [], 'beside a card number'],
      [
        `<form><input autocomplete="cc-exp" placeholder="MM / YY">${csc}</form>`,
        [],
        'beside an expiry by autocomplete',
      ],
      [`<div><span>Card</span><input autocomplete="cc-number">${csc}</div>`, [], 'without a form'],
      [
        `<form><label>Expiry <input name="expiry"></label>${csc.replace('Security code', 'Enter the OTP')}</form>`,
        [['f']],
        'an OTP',
      ],
      [`<form><h2>Two-step verification</h2>${csc}</form>`, [['f']], 'no card field: a code'],
    ])) {
      assert.deepEqual(
        (await detect(page, html)).map((g) => g.fields),
        found,
        what,
      );
    }
  });

  test('an e-mail address on the page is where the code went only when the page says it sent it there', async (t) => {
    const page = await openPage(t);
    const app =
      '<p>Enter the code from your authenticator app.</p><label for="f">Verification code</label>' +
      '<input id="f" maxlength="6">';
    for (const [html, code, what] of /** @type {Array<[string, string, string]>} */ ([
      [`<p>Signed in as ops@example.com</p><h1>Two-factor authentication</h1>${app}`, 'totp', 'the signed-in account'],
      [`<h1>Two-factor authentication</h1>${app}<p>Not you? dev@example.com</p>`, 'totp', 'a "Not you?" line'],
      [
        `<p>Root user email address: ops@example.com</p><h1>MFA</h1><label for="f">MFA code</label>` +
          `<input id="f" maxlength="6">`,
        'either',
        'an account label and address',
      ],
      [
        `<h1>Check your inbox</h1><p>We sent a code to maria@example.org.</p><label for="f">Code</label>` +
          `<input id="f" maxlength="6">`,
        'email',
        'sent to the address',
      ],
      [
        `<h1>Enter the code</h1><p>Enter the 6-digit code we sent to j***@e*****.com</p>` +
          `<input id="f" type="tel" maxlength="6">`,
        'email',
        'a masked address',
      ],
      [
        '<h1>Bestätigungscode</h1><p>Wir haben einen Code an anna@beispiel.de gesendet.</p>' +
          '<input id="f" maxlength="6">',
        'email',
        '"gesendet" after the address',
      ],
    ])) {
      const found = await detect(page, html);
      assert.deepEqual(
        found.map((g) => [g.fields[0], g.code]),
        [['f', code]],
        what,
      );
    }
  });

  test('a field named pin next to a texted or app code is no static PIN; a PIN alone still is', async (t) => {
    const page = await openPage(t);
    let found = await detect(
      page,
      '<h1>Enter the code</h1><label for="p">Enter the 6-digit code we texted to your phone</label>' +
        '<input id="p" name="pin" type="tel" maxlength="6">',
    );
    assert.deepEqual(
      found.map((g) => [g.fields[0], g.code]),
      [['p', 'sms']],
    );
    found = await detect(
      page,
      '<h2>Two-step login</h2><p>Enter the code from your authenticator app.</p>' +
        '<input id="pinInput" inputmode="numeric" maxlength="6">',
    );
    assert.deepEqual(
      found.map((g) => [g.fields[0], g.code]),
      [['pinInput', 'totp']],
    );
    found = await detect(
      page,
      `<h1>Enter the code</h1><p>We sent a 6-digit code by SMS.</p><div>` +
        `${[0, 1, 2, 3, 4, 5].map((i) => `<input id="pin${i}" type="tel" maxlength="1">`).join('')}</div>`,
    );
    assert.deepEqual(
      found.map((g) => [g.fields.length, g.code]),
      [[6, 'sms']],
    );
    for (const html of [
      '<h1>Enter your PIN</h1><form><input type="tel" name="pin" maxlength="4"><button>Continue</button></form>',
      '<h1>Enter your wallet PIN</h1><p>Forgot it? We can send a reset link by text message.</p>' +
        '<input name="pin" type="tel" maxlength="6">',
      `<h1>Enter your profile PIN</h1><div>` +
        `${[0, 1, 2, 3].map((i) => `<input name="pin${i}" type="tel" maxlength="1">`).join('')}</div>`,
    ])
      assert.deepEqual(await detect(page, html), [], html);
  });

  // "Code" alone says little; "the code your authenticator app generates" names a one-time code in
  // any language. A secret named for text messages ("Clave SMS", "SMS-Passwort") is a texted code,
  // even in a password-type field; an app password, a promo code from an app, a phone for texts are not.
  test('a code from an app or by SMS, or sent to a phone the heading names, is a code; look-alikes: not', async (t) => {
    const page = await openPage(t);
    for (const [lang, intro, label] of [
      ['it', "Inserisci il codice generato dall'app di autenticazione sul tuo telefono.", 'Codice'],
      ['es', 'Introduce el código generado por la app de autenticación de tu teléfono.', 'Código'],
    ]) {
      const found = await detect(
        page,
        `<html lang="${lang}"><h1>Acceso</h1><p>${intro}</p><label for="c">${label}</label>` +
          '<input id="c" name="otpCode6" type="number"><button>OK</button></html>',
      );
      assert.deepEqual(
        found.map((g) => [g.fields[0], g.code]),
        [['c', 'totp']],
        lang,
      );
    }
    for (const [lang, text, code] of [
      ['nl', 'Voer de code in die we per sms naar je telefoon hebben gestuurd.', 'sms'],
      ['en', 'Type the code that was sent to your email.', 'email'],
    ]) {
      const found = await detect(
        page,
        `<html lang="${lang}"><h1>Step 2</h1><p>${text}</p>` +
          '<input id="s" type="tel" maxlength="6"><button>OK</button></html>',
      );
      assert.deepEqual(
        found.map((g) => [g.fields[0], g.code]),
        [['s', code]],
        text,
      );
    }
    for (const [lang, label] of [
      ['es', 'Clave SMS'],
      ['de', 'SMS-Passwort'],
      ['fr', 'Mot de passe SMS'],
    ]) {
      const found = await detect(
        page,
        `<html lang="${lang}"><label for="k">${label}</label><input id="k" type="password" maxlength="6"></html>`,
      );
      assert.deepEqual(
        found.map((g) => [g.fields[0], g.code]),
        [['k', 'sms']],
        label,
      );
    }
    // A phone in the heading is where the code went, when the field's own words name a code and a channel.
    const found = await detect(
      page,
      '<h2>Verify your phone</h2><p>Enter the 4-digit code sent to +1 ••• ••• 4421</p>' +
        [1, 2, 3, 4]
          .map((i) => `<input id="d${i}" inputmode="numeric" maxlength="1" aria-label="Digit ${i}">`)
          .join(''),
    );
    assert.deepEqual(
      found.map((g) => [g.fields.length, g.code]),
      [[4, 'sms']],
    );
    for (const html of [
      '<h1>Track your package</h1><p>Enter the tracking code from your shipping e-mail.</p>' +
        '<input name="code"><button>Track</button>',
      '<h1>Join a meeting</h1><p>Enter the meeting code sent by your host.</p>' +
        '<input name="code" maxlength="10"><button>Join</button>',
      '<h1>App passwords</h1><label for="a">App password</label><input id="a" type="password" maxlength="16">',
      '<h2>Get 10% off</h2><p>Enter the code from our mobile app.</p><label for="p">Promo code</label>' +
        '<input id="p" name="promo" maxlength="8" inputmode="numeric"><button>Apply</button>',
      '<html lang="es"><h1>Acceso con clave SMS</h1><label for="m">Móvil para la clave SMS</label>' +
        '<input id="m" type="tel" maxlength="9"><button>Enviar clave</button></html>',
    ])
      assert.deepEqual(await detect(page, html), [], html);
  });

  // A bare step: one short field, a submit button, and a heading or the flow naming the step.
  test('a bare step is a code step; look-alikes of the same shape are not', async (t) => {
    const page = await openPage(t);
    for (const [html, what] of [
      [
        '<img src="logo.png" alt="Acme" width="80" height="30"><h1>Verify</h1><form>' +
          '<input id="f" type="tel" maxlength="6"><button>Verify</button></form>',
        'a heading and a logo',
      ],
      [
        '<title>Verification required</title><form><input id="f" name="value" inputmode="numeric" maxlength="6">' +
          '<button type="submit">Submit</button></form>',
        'the title',
      ],
      [
        '<h1>Sign in</h1><form action="/login/mfa/verify"><input id="f" type="tel" name="input"><button>' +
          'Sign in</button></form>',
        'the form action',
      ],
      [
        '<form><input type="hidden" name="username" value="alice"><input id="f" type="tel" maxlength="6"><button>' +
          'Log in</button></form>',
        'a username carried over',
      ],
      [
        '<html lang="cs"><h1>Ověření</h1><form><input id="f" type="tel" maxlength="6"><button>Pokračovat</button>' +
          '</form></html>',
        'a Czech heading',
      ],
      [
        '<h3>Verify</h3><form><input id="f" placeholder="••••••" maxlength="6"><button>Submit</button></form>',
        'a placeholder of dots',
      ],
      // The sign-in's username and password kept in the step's form but not drawn (for password
      // managers) are no second field.
      [
        '<h1>Verify</h1><form action="/login"><input name="username" autocomplete="username" value="sam" ' +
          'style="display:none"><input type="password" name="password" style="display:none"><input id="f" ' +
          'type="tel" maxlength="6"><button>Continue</button></form>',
        'the sign-in kept undrawn in the form',
      ],
      // Links and buttons beside the field offer other ways in: they never make it a look-alike.
      [
        '<h2>Two-factor authentication</h2><form><input id="f" placeholder="123456" maxlength="6"><button>Verify' +
          '</button><a href="#">Use a recovery code instead</a></form>',
        'a link to a recovery code',
      ],
    ]) {
      const found = await detect(page, html);
      assert.deepEqual(
        found.map((g) => [g.fields[0], g.code]),
        [['f', 'either']],
        what,
      );
    }
    // A plain text field whose label alone says "Code", with no size or keyboard of a code: its
    // label shapes it, and the step is named ("Confirm sign-in"); the text says where the code went.
    const labelled = await detect(
      page,
      '<h1>Confirm sign-in</h1><p>Check your email for a code.</p><form><label>Code <input id="f" name="c" size="8">' +
        '</label><label><input type="checkbox"> Remember this device</label><button>Confirm</button></form>',
    );
    assert.deepEqual(
      labelled.map((g) => [g.fields[0], g.code]),
      [['f', 'email']],
      'a field labelled "Code"',
    );
    for (const [html, what] of [
      [
        '<h1>Find a store</h1><form><label for="z">ZIP code</label><input id="z" type="tel" maxlength="5"><button>' +
          'Continue</button></form>',
        'a ZIP code',
      ],
      [
        '<h2>Security check</h2><form><img src="/captcha.png" alt="" width="100" height="40"><input maxlength="6">' +
          '<button>Verify</button></form>',
        'an image captcha',
      ],
      [
        '<h1>Verify your age</h1><form><label>Year of birth <input type="number" maxlength="4"></label><button>' +
          'Enter</button></form>',
        'an age gate',
      ],
      [
        '<h1>Verify your phone</h1><form><label for="ph">Mobile number</label><input id="ph" type="tel"><button>' +
          'Send code</button></form>',
        'the phone number before the code',
      ],
      [
        '<h1>Sign in</h1><form><input name="identifier" placeholder="Username"><button>Next</button></form>',
        'a username',
      ],
      [
        '<h1>Verify</h1><form><input type="tel" maxlength="6"><input type="text" name="name"><button>Verify</button>' +
          '</form>',
        'two fields',
      ],
      ['<form role="search"><input name="q" aria-label="Search"><button>Go</button></form>', 'a search box'],
      [
        '<h1>Verify</h1><form><input type="password" name="password"><input type="tel" maxlength="6"><button>' +
          'Continue</button></form>',
        'a password drawn beside it',
      ],
      // A field labelled only "Code" is shaped by its label, and still needs the step named.
      [
        '<h1>Redeem your gift</h1><form><label>Code <input name="c"></label><button>Redeem</button></form>',
        'a gift labelled "Code"',
      ],
      [
        '<h1>Join a class</h1><p>Ask your teacher for the class code.</p><form><label>Code <input></label><button>' +
          'Join</button></form>',
        'a class labelled "Code"',
      ],
      ['<h1>Have an invite?</h1><form><label>Code <input></label><button>Continue</button></form>', 'an invitation'],
      [
        '<h2>Sign in</h2><form><div><img src="/c.png" width="120" height="40" alt=""><button type="button">Refresh ' +
          'captcha</button></div><div><input maxlength="6" placeholder="Enter code"></div><button>Go</button></form>',
        'a captcha named only on its refresh button',
      ],
      [
        '<h2>Your cart</h2><div><input maxlength="8" placeholder="Enter code"><button type="button">Apply promo ' +
          'code</button></div>',
        'a promo code named only on its button',
      ],
    ])
      assert.deepEqual(await detect(page, html), [], what);
  });

  test('script and style text next to a field is not page text', async (t) => {
    const page = await openPage(t);
    const found = await detect(
      page,
      '<div><label for="f">Verification code</label><input id="f" maxlength="6"><script>' +
        'var help = "gift card promo captcha";</script></div>',
    );
    assert.deepEqual(
      found.map((g) => [g.fields[0], g.code]),
      [['f', 'either']],
    );
  });
}
