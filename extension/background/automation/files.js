// @ts-check
/**
 * The automations packaged with the extension (`extension/automations/`), parsed and checked by
 * the core (in the on-demand import module: the always-loaded core carries no automation parser).
 * An extension cannot list its own directory, so the files are named here; the core's plan is the
 * only thing the runner executes, never the file's text.
 */
import * as core from '../core.js';
import { importer } from '../on-demand.js';

/** The packaged automations, by file name without `.automation`. */
const FILES = ['demo-turn-on-totp', 'demo-add-number', 'demo-turn-on-sms'];

/** @typedef {import('../../pkg/latchkey_import.js').AutomationPlan} AutomationPlan */
/** @typedef {import('../../pkg/latchkey_import.js').Automations} Automations */

/** @type {Promise<Automations> | null} */
let rules = null;

/** The automations' rules over the Public Suffix List, loaded once (a failure is retried). */
function automations() {
  rules ??= (async () => {
    const [mod, list] = await Promise.all([importer(), core.suffixListBytes()]);
    return mod.Automations.fromCompact(list);
  })().catch((e) => {
    rules = null;
    throw e;
  });
  return rules;
}
/** @typedef {AutomationPlan['task']} Task */

/** @param {string} name */
async function read(name) {
  const r = await fetch(chrome.runtime.getURL(`extension/automations/${name}.automation`));
  if (!r.ok) throw new Error('An automation is missing from Latchkey: reinstall Latchkey.');
  return r.text();
}

/**
 * The automations for an account whose sealed sites record names `accountSites` (null: it has
 * none): each packaged automation whose site is the same site as one of them, by the core's site
 * rule. Never the server's plaintext site: the server must not choose which app an account's login
 * is typed into, as it cannot choose where its codes fill. Tasks only, no plan to run.
 * @param {string[] | null} accountSites @returns {Promise<Array<{file: string, task: Task, app: string}>>}
 */
export async function forSites(accountSites) {
  if (!accountSites?.length) return [];
  const [sites, rules] = await Promise.all([core.sites(), automations()]);
  /** @type {Array<{file: string, task: Task, app: string}>} */
  const out = [];
  for (const file of FILES) {
    const plan = rules.plan(await read(file));
    if (accountSites.some((site) => sites.sameSite(plan.site, site) && sites.sameSite(site, plan.site)))
      out.push({ file, task: plan.task, app: plan.app });
  }
  return out;
}

/**
 * The plan of `file` for an account whose app is at `origin`; throws the core's sentence (with
 * the line) when the automation is refused, or when the origin is not on its site.
 * @param {string} file @param {string} origin @returns {Promise<AutomationPlan>}
 */
export async function plan(file, origin) {
  if (!FILES.includes(file)) throw new Error('Latchkey has no such automation.');
  return (await automations()).plan(await read(file), origin);
}

/**
 * The plan of the automation for `task` of an account whose sealed record names `accountSites`,
 * for the app at `origin` (what the person typed: only its origin counts); throws a sentence when
 * there is none or the address is not one. The job and the dry run start here alike.
 * @param {string[] | null} accountSites @param {string} task @param {string} origin
 * @returns {Promise<{plan: AutomationPlan, origin: string}>}
 */
export async function planFor(accountSites, task, origin) {
  const entry = (await forSites(accountSites)).find((x) => x.task === task);
  if (!entry) throw new Error('Latchkey has no automation for this app and task: do it at the app by hand.');
  let base;
  try {
    base = new URL(origin).origin;
  } catch {
    throw new Error('Enter the app’s address, such as https://app.example.com.');
  }
  return { plan: await plan(entry.file, base), origin: base };
}

/**
 * Why a job of an automation for `site` may not act on a tab at `url`, or null.
 * @param {string} site @param {string} url
 */
export async function refusesPage(site, url) {
  return (await automations()).refusesPage(site, url) ?? null;
}
