// @ts-check
/**
 * The words of automation jobs (docs/api.md, "Automation jobs") and what each says to a person:
 * the one table of them. The worker accepts a job from the server only when every word is a key
 * here (anything else is refused, never shown); the pages show the value. Each reason is a
 * sentence a person can act on. `server/tests/api_automations.rs` holds these keys to the
 * server's own lists, so the two cannot drift apart.
 */

/** What a job does. */
export const TASKS = {
  'turn-on-totp': 'Turn on MFA',
  'add-number': 'Add the number to the app',
  'turn-on-sms': 'Turn on SMS MFA',
};

/** Where a job stands. */
export const STATUSES = {
  queued: 'Queued',
  running: 'Running',
  needs_attention: 'Needs attention',
  succeeded: 'Succeeded',
  failed: 'Failed',
};

/** What a step did (the automation's step kinds, docs/automations.md). */
export const STEP_KINDS = {
  open: 'Open a page',
  wait: 'Wait for the page',
  fill: 'Fill a field',
  click: 'Click',
  read: 'Read the new key',
  'read-list': 'Read the backup codes',
  check: 'Check the page',
  when: 'Look for a prompt',
  end: 'End of the prompt',
};

/** How a step ended. */
export const OUTCOMES = {
  ok: 'Done',
  skipped: 'Skipped',
  failed: 'Failed',
};

/** Why a step or a job did not succeed, and what to do about it. */
export const REASONS = {
  timed_out:
    'The page took too long to show what this step waits for. Check that the app is up, then run the task again.',
  element_missing:
    'The page did not have what the automation looks for: the app may have changed its settings page. ' +
    'Finish the task by hand in the app, and tell your workspace admin.',
  check_failed:
    'The app did not show what was expected after this step. Open the app’s settings to see where it ' +
    'stands, then run the task again or finish it by hand.',
  off_site:
    'The app sent the job to another site, so the job stopped there and filled nothing. Check the ' +
    'account’s sites, then run the task again.',
  wrong_password:
    'The app refused the account’s saved password. Update the login saved in Latchkey, then run the task again.',
  app_refused_code:
    'The app refused the code of the new key. Open the app’s two-factor settings to see whether MFA is ' +
    'on, then run the task again.',
  no_saved_login:
    'The account has no saved login to sign in with. Save its username and password in Latchkey, then run ' +
    'the task again.',
  no_managed_number:
    'The account has no managed phone number. Create one on the account’s page, then run the task again.',
  no_texted_code:
    'No verification text reached the account’s managed number in time. Look in the account’s inbox, then ' +
    'run the task again.',
  vault_locked: 'Latchkey was locked while the job ran. Unlock it with your PIN, then run the task again.',
  secret_unreadable:
    'The new key could not be read from the app’s page. Set up MFA by hand with Secret Key on the account’s page.',
  secret_pending:
    'The new key is saved in Latchkey but the app has not confirmed it. Open the app’s two-factor ' +
    'settings to see whether MFA is on before running the task again.',
  tab_closed:
    'The job’s tab was closed before it finished. Open the app’s settings to see where it stands, then ' +
    'run the task again.',
  runner_stopped:
    'The browser running the job stopped reporting (closed, or its worker stopped). Open the app’s ' +
    'settings to see where it stands, then run the task again.',
  browser_restarted:
    'The browser restarted while the job ran. Open the app’s settings to see where it stands, then run the task again.',
  automation_invalid:
    'Latchkey’s automation for this app is not valid, so nothing was done. Do the task by hand, and tell ' +
    'your workspace admin.',
  no_automation: 'Latchkey has no automation for this app and task. Do it by hand in the app’s settings.',
  mfa_already_on:
    'MFA is already on for this account in the app, so nothing was changed. If Latchkey lacks its key, ' +
    'add it with Secret Key on the account’s page.',
  cancelled: 'The job was cancelled before it finished. Run the task again when you are ready.',
};

/**
 * The words of a table, for checking what the server sends.
 * @template {string} K @param {Record<K, string>} table @returns {K[]}
 */
export function wordsOf(table) {
  return /** @type {K[]} */ (Object.keys(table));
}
