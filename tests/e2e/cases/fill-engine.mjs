// @ts-check
// The fill engine's cases (extension/content/fill.js on its own), shared by the browsers' suites:
// tests/e2e/fill-engine.test.mjs (Chromium, Playwright) and tests/e2e-firefox/fill-engine.test.mjs
// (Firefox, the WebDriver twin of a Playwright page in score-page.mjs). A plain page that loads only
// that file, with groups built by hand and a stand-in for the detector's visibility rule. Each test
// is one promise of the engine: the prototype's value setter, the events a keyboard makes, a paste
// first for segmented boxes, the result read back (case and leading zeros kept) and retried once,
// and no write into a group that is not visible, checked again before each write.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ROOT } from '../harness.mjs';

/** @typedef {import('playwright-core').Page} Page */

const FILL = join(ROOT, 'extension', 'content', 'fill.js');

/**
 * Declares the fill engine's tests with `test`, each on a page `newPage` opens (a Playwright page or
 * its twin: setContent, addScriptTag, evaluate, $$eval, close).
 * @param {(name: string, fn: () => Promise<void>) => unknown} test @param {() => Promise<Page>} newPage
 */
export function fillEngineCases(test, newPage) {
  /**
   * A page with `body`, the engine, and helpers in the page: `group(selector, kind)` builds a group,
   * `visible(f)` is the stand-in visibility rule, `log` records events on every input.
   * @param {string} body @returns {Promise<Page>}
   */
  async function page(body) {
    const p = await newPage();
    await p.setContent(`<!doctype html><html lang="en"><body>${body}</body></html>`);
    await p.addScriptTag({ path: FILL });
    await p.addScriptTag({
      content: `
        globalThis.log = [];
        for (const type of ['keydown', 'beforeinput', 'input', 'keyup', 'change', 'paste', 'focus']) {
          document.addEventListener(type, (e) => log.push(type + ':' + (e.target.id || '?')), true);
        }
        globalThis.group = (selector, kind) => ({
          kind, fields: [...document.querySelectorAll(selector)], confidence: 1, reason: 'test',
          channel: 'app', code: 'totp', disabled: false,
        });
        globalThis.visible = (f) => f.checkVisibility({ opacityProperty: true, visibilityProperty: true });`,
    });
    return p;
  }

  /**
   * Fills `selector`'s group with `code` in the page; the engine's answer.
   * @param {Page} p @param {string} selector @param {'single' | 'segmented'} kind @param {string} code
   */
  function fill(p, selector, kind, code) {
    return p.evaluate(
      ([s, k, c]) =>
        /** @type {any} */ (globalThis).LatchkeyFill.fill(
          /** @type {any} */ (globalThis).group(s, k),
          c,
          /** @type {any} */ (globalThis).visible,
        ),
      /** @type {[string, string, string]} */ ([selector, kind, code]),
    );
  }

  /** @param {Page} p @returns {Promise<string[]>} */
  const events = (p) => p.evaluate(() => /** @type {any} */ (globalThis).log);
  /** @param {Page} p @param {string} selector */
  const values = (p, selector) =>
    p.$$eval(selector, (inputs) => inputs.map((i) => /** @type {HTMLInputElement} */ (i).value));

  // Case and leading zeros kept.
  test('a single field gets the code through the prototype setter, with beforeinput, input and change', async () => {
    const p = await page('<input id="otp">');
    // A wrapper on the instance's setter, as React installs: the engine must not go through it.
    await p.evaluate(() => {
      const input = /** @type {HTMLInputElement} */ (document.getElementById('otp'));
      const proto = /** @type {PropertyDescriptor} */ (
        Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')
      );
      Object.defineProperty(input, 'value', {
        get() {
          return proto.get?.call(this);
        },
        set(v) {
          /** @type {any} */ (globalThis).wrapped = true;
          proto.set?.call(this, v);
        },
      });
    });
    assert.equal(await fill(p, '#otp', 'single', '0A1b2C'), true);
    assert.deepEqual(await values(p, '#otp'), ['0A1b2C']);
    assert.equal(
      await p.evaluate(() => /** @type {any} */ (globalThis).wrapped),
      undefined,
      'the instance setter was used',
    );
    assert.deepEqual(await events(p), ['beforeinput:otp', 'input:otp', 'change:otp']);
    await p.close();
  });

  test('segmented boxes that take a paste get the code in one paste on the first box', async () => {
    const p = await page(
      '<input id="b0" maxlength="1"><input id="b1" maxlength="1"><input id="b2" maxlength="1"><input id="b3" ' +
        'maxlength="1">',
    );
    await p.evaluate(() => {
      const boxes = /** @type {HTMLInputElement[]} */ ([...document.querySelectorAll('input')]);
      boxes[0].addEventListener('paste', (e) => {
        e.preventDefault();
        const text = e.clipboardData?.getData('text/plain') ?? '';
        boxes.forEach((b, i) => {
          b.value = text[i] ?? '';
        });
      });
    });
    assert.equal(await fill(p, 'input', 'segmented', '0912'), true);
    assert.deepEqual(await values(p, 'input'), ['0', '9', '1', '2']);
    assert.deepEqual(
      (await events(p)).filter((e) => !e.startsWith('focus')),
      ['paste:b0'],
      'nothing typed after a paste that took',
    );
    await p.close();
  });

  test('segmented boxes without a paste handler are typed box by box with key events', async () => {
    const p = await page(
      '<input id="b0" maxlength="1"><input id="b1" maxlength="1"><input id="b2" maxlength="1"><input id="b3" ' +
        'maxlength="1">',
    );
    await p.evaluate(() => {
      const w = /** @type {any} */ (globalThis);
      w.keys = [];
      document.addEventListener('keydown', (e) => w.keys.push(`${e.key}/${e.code}`), true);
    });
    assert.equal(await fill(p, 'input', 'segmented', '4x0Z'), true);
    assert.deepEqual(await values(p, 'input'), ['4', 'x', '0', 'Z']);
    const typed = (await events(p)).filter((e) => !e.startsWith('focus') && !e.startsWith('paste'));
    assert.deepEqual(typed.slice(0, 5), ['keydown:b0', 'beforeinput:b0', 'input:b0', 'keyup:b0', 'change:b0']);
    assert.equal(typed.length, 20, 'five events per box');
    assert.deepEqual(await p.evaluate(() => /** @type {any} */ (globalThis).keys), [
      '4/Digit4',
      'x/KeyX',
      '0/Digit0',
      'Z/KeyZ',
    ]);
    await p.close();
  });

  test('a page that cancels the beforeinput handles the character itself: the engine writes nothing', async () => {
    const p = await page('<input id="otp">');
    await p.evaluate(() => document.getElementById('otp')?.addEventListener('beforeinput', (e) => e.preventDefault()));
    assert.equal(await fill(p, '#otp', 'single', '123456'), false, 'nothing took, so it says so');
    assert.deepEqual(await values(p, '#otp'), ['']);
    await p.close();
  });

  // Reformatting is accepted; a lost leading zero is not.
  test('the result is read back: a field that drops the first write is filled on the retry', async () => {
    const p = await page('<input id="flaky"><input id="spaced"><input id="number">');
    await p.evaluate(() => {
      const flaky = /** @type {HTMLInputElement} */ (document.getElementById('flaky'));
      let first = true;
      flaky.addEventListener('input', () => {
        if (first)
          setTimeout(() => {
            flaky.value = '';
          }, 0);
        first = false;
      });
      const spaced = /** @type {HTMLInputElement} */ (document.getElementById('spaced'));
      spaced.addEventListener('input', () => {
        spaced.value = spaced.value.replace(/^(\d{3})(\d{3})$/, '$1 $2');
      });
      const number = /** @type {HTMLInputElement} */ (document.getElementById('number'));
      number.addEventListener('input', () => {
        number.value = String(Number(number.value));
      });
    });
    assert.equal(await fill(p, '#flaky', 'single', '246810'), true);
    assert.deepEqual(await values(p, '#flaky'), ['246810']);
    assert.equal(
      (await events(p)).filter((e) => e === 'input:flaky').length,
      2,
      'written twice: once dropped, once kept',
    );
    assert.equal(await fill(p, '#spaced', 'single', '482913'), true);
    assert.deepEqual(await values(p, '#spaced'), ['482 913']);
    assert.equal(
      await fill(p, '#number', 'single', '012345'),
      false,
      'a code that lost its leading zero is not a fill',
    );
    await p.close();
  });

  test('nothing is written into a group that is not visible, checked again before each write', async () => {
    const p = await page(`<input id="hidden" style="opacity:0"><input id="gone" style="display:none">
      <div id="boxes"><input id="b0" maxlength="1"><input id="b1" maxlength="1">
        <input id="b2" maxlength="1"><input id="b3" maxlength="1"></div>
      <input id="single">`);
    assert.equal(await fill(p, '#hidden', 'single', '123456'), false);
    assert.equal(await fill(p, '#gone', 'single', '123456'), false);
    assert.deepEqual(await values(p, '#hidden, #gone'), ['', '']);
    // Boxes that vanish as the first takes focus (a page hiding its form from an automated fill):
    // no box gets a character, not even after the retry.
    await p.evaluate(() => {
      document.getElementById('b0')?.addEventListener('focus', () => {
        /** @type {HTMLElement} */ (document.getElementById('boxes')).style.visibility = 'hidden';
      });
    });
    assert.equal(await fill(p, '#boxes input', 'segmented', '1234'), false);
    assert.deepEqual(await values(p, '#boxes input'), ['', '', '', '']);
    // A field made invisible after it was found but before the engine ran gets nothing either.
    await p.evaluate(() => {
      /** @type {HTMLElement} */ (document.getElementById('single')).style.opacity = '0';
    });
    assert.equal(await fill(p, '#single', 'single', '654321'), false);
    assert.deepEqual(await values(p, '#single'), ['']);
    await p.close();
  });

  const fitsName = 'fits and isLocked: one box per character or a field long enough; disabled or read-only groups wait';
  test(fitsName, async () => {
    const p = await page(
      '<input id="short" maxlength="4"><input id="any"><input id="off" disabled><input id="ro" readonly>',
    );
    const answers = await p.evaluate(() => {
      const w = /** @type {any} */ (globalThis);
      const { fits, isLocked } = w.LatchkeyFill;
      const boxes = { ...w.group('#short, #any', 'segmented') };
      return {
        short: fits(w.group('#short', 'single'), '123456'),
        shortOk: fits(w.group('#short', 'single'), '1234'),
        any: fits(w.group('#any', 'single'), '1234567890'),
        boxes: fits(boxes, '12'),
        boxesWrong: fits(boxes, '123'),
        off: isLocked(w.group('#off', 'single')),
        ro: isLocked(w.group('#ro', 'single')),
        flagged: isLocked({ ...w.group('#any', 'single'), disabled: true }),
        open: isLocked(w.group('#any', 'single')),
      };
    });
    assert.deepEqual(answers, {
      short: false,
      shortOk: true,
      any: true,
      boxes: true,
      boxesWrong: false,
      off: true,
      ro: true,
      flagged: true,
      open: false,
    });
    await p.close();
  });
}
