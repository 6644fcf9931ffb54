// @ts-check
// The framework widgets the fill must reach (tests/e2e/fixtures/fw-*.html), shared by the Chromium
// test (tests/e2e/fill-frameworks.test.mjs) and the Firefox one: the pages, what each framework's
// state must hold after a fill of CODE, and the framework builds the pages load from /vendor/
// (served from node_modules, never committed).
import { join } from 'node:path';
import { ROOT } from '../harness.mjs';

/** The framework builds the fixture pages load from /vendor/, by name. */
const VENDOR = {
  'react.js': 'node_modules/react/umd/react.production.min.js',
  'react-dom.js': 'node_modules/react-dom/umd/react-dom.production.min.js',
  'vue.js': 'node_modules/vue/dist/vue.global.prod.js',
  'angular.js': 'node_modules/angular/angular.min.js',
};

/**
 * The file to serve for `/vendor/NAME` (the last part of the path), or null for any other name.
 * @param {string} pathname
 */
export function vendorFile(pathname) {
  const name = pathname.split('/').pop() ?? '';
  return Object.hasOwn(VENDOR, name) ? join(ROOT, VENDOR[/** @type {keyof typeof VENDOR} */ (name)]) : null;
}

/** The code every case is filled with: its leading zero must survive. */
export const CODE = '012345';

/**
 * @type {ReadonlyArray<{page: string, what: string, state: string, values: string[]}>}
 * `state`: the page's function returning the framework's state; `values`: the fields' values after.
 */
export const FRAMEWORK_CASES = [
  { page: 'fw-react.html?w=single', what: 'React 18: a controlled input', state: 'reactState', values: [CODE] },
  {
    page: 'fw-react.html?w=reformat',
    what: 'React 18: a controlled input that shows "012 345"',
    state: 'reactState',
    values: ['012 345'],
  },
  {
    page: 'fw-react.html?w=segmented',
    what: 'React 18: six boxes that move focus and spread a paste',
    state: 'reactState',
    values: CODE.split(''),
  },
  {
    page: 'fw-react.html?w=typed',
    what: 'React 18: six boxes without a paste handler, filled box by box',
    state: 'reactState',
    values: CODE.split(''),
  },
  {
    page: 'fw-react.html?w=pasteonly',
    what: 'React 18: six boxes that take only a paste on the first box',
    state: 'reactState',
    values: CODE.split(''),
  },
  { page: 'fw-vue.html', what: 'Vue 3: v-model', state: 'vueState', values: [CODE] },
  {
    page: 'fw-angularjs.html',
    what: 'AngularJS 1.8 (standing in for Angular): ng-model',
    state: 'ngState',
    values: [CODE],
  },
];

/** The page whose six React boxes the autofill test fills by itself (the account's site). */
export const AUTOFILL_PAGE = 'fw-react.html?w=segmented';
