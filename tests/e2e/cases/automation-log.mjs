// @ts-check
// The Automation Log's scenarios (tests/e2e/automation-log.test.mjs) and what the dashboard must
// show: shared by Chromium's test and Firefox's tests/e2e-firefox/automation-log.test.mjs. The jobs
// are played through the server's API as the extension's runner does, and a forging server sits
// between the extension and the real one: both the same for either browser.
import { createServer, request } from 'node:http';
import { listenOnLoopback, waitFor } from '../harness.mjs';
import { api } from '../workspace.mjs';

/** An account name with markup in it: shown as text, it must never become an element. */
export const HOSTILE_NAME = 'Alice CRM <img src=x id=pwned>';
/** Alice's own account (besides the team's), added in the popup. */
export const ALICE_ACCOUNT = { type: 'add', secret: 'JBSWY3DPEHPK3PXP', name: HOSTILE_NAME, site: 'crm.example' };

/**
 * The runner's side, through the API: a job queued, its steps reported, and how it ended (if it did).
 * @param {string} server @param {string} token @param {string} accountId @param {string} task
 * @param {Array<{line: number, kind: string, outcome: string, reason?: string}>} steps
 * @param {{status: string, reason?: string} | null} end
 */
export async function runJob(server, token, accountId, task, steps, end) {
  const job = await api(server, token, 'POST', `/accounts/${accountId}/automations`, { task });
  for (const step of steps) await api(server, token, 'POST', `/automations/${job.id}/steps`, step);
  if (end) await api(server, token, 'POST', `/automations/${job.id}/finish`, end);
  // The next job starts in a later second, so that "newest first" has one answer.
  await waitFor(() => Date.now() / 1000 >= job.createdAt + 1, 'the next second');
  return /** @type {{id: string, createdAt: number}} */ (job);
}

/** The first test's three jobs: stopped at a missing element, succeeded, still running. */
export const STOPPED_STEPS = [
  { line: 6, kind: 'open', outcome: 'ok' },
  { line: 8, kind: 'when', outcome: 'skipped' },
  { line: 20, kind: 'read', outcome: 'failed', reason: 'element_missing' },
];
export const STOPPED_END = { status: 'needs_attention', reason: 'element_missing' };
export const ADDED_STEPS = [
  { line: 6, kind: 'open', outcome: 'ok' },
  { line: 9, kind: 'fill', outcome: 'ok' },
];
export const RUNNING_STEPS = [{ line: 6, kind: 'open', outcome: 'ok' }];
/** The running job's next step and end, reported while its steps are open. */
export const RUNNING_NEXT = { line: 9, kind: 'click', outcome: 'ok' };

/** What the log says. */
export const LOG_SAYS = {
  empty: 'No automation has run for your accounts yet.',
  stoppedTitle: 'Turn on MFA · Northwind Cloud team',
  startedBy: 'Started by Alice (alice@northwind.test) ·',
  addedTitle: 'Add the number to the app · Northwind Cloud team',
  runningTitle: `Turn on SMS MFA · ${HOSTILE_NAME}`,
  stoppedAt: 'It stopped at line 20 (Read the new key).',
  stoppedSteps: [
    'Line 6 · Open a page · Done',
    'Line 8 · Look for a prompt · Skipped',
    'Line 20 · Read the new key · Failed',
  ],
  missingReason: 'The page did not have what the automation looks for',
  noMatch: 'No job matches these filters.',
  runningNext: 'Line 9 · Click · Done',
  noNumber: 'The account has no managed phone number.',
  forgedTask: 'The server sent something unexpected (task)',
  forgedKind: 'The server sent something unexpected (step kind)',
};

/** The markup the forger puts in a job's words. */
export const MARKUP = '<img src=x id=forged>';

/**
 * A server between the extension and the real one: everything passes, except the job replies,
 * whose words it replaces with markup: the list's task (`forge()` says 'task') or each step's kind
 * of one job ('kind').
 * @param {{after: (fn: () => unknown) => void}} t @param {string} server the real one
 * @param {() => string} forge @returns {Promise<string>} its address
 */
export async function startForger(t, server, forge) {
  const real = new URL(server);
  const forger = createServer((req, res) => {
    const up = request(
      // A connection of its own each time: no kept-alive socket the server may close meanwhile.
      { host: real.hostname, port: real.port, path: req.url, method: req.method, headers: req.headers, agent: false },
      (upRes) => {
        const chunks = /** @type {Buffer[]} */ ([]);
        upRes.on('data', (c) => chunks.push(c));
        upRes.on('end', () => {
          let body = Buffer.concat(chunks).toString('utf8');
          const path = new URL(req.url ?? '/', 'http://x').pathname;
          const forged = req.method === 'GET' && upRes.statusCode === 200;
          if (forged && path === '/api/v1/automations' && forge() === 'task') {
            const reply = JSON.parse(body);
            for (const j of reply.jobs) j.task = MARKUP;
            body = JSON.stringify(reply);
          } else if (forged && path.startsWith('/api/v1/automations/') && forge() === 'kind') {
            const reply = JSON.parse(body);
            for (const s of reply.steps) s.kind = MARKUP;
            body = JSON.stringify(reply);
          }
          const headers = { ...upRes.headers };
          delete headers['content-length'];
          delete headers['transfer-encoding'];
          res.writeHead(upRes.statusCode ?? 502, headers).end(body);
        });
      },
    );
    // The browser gives up on a request (a long poll, a page reloaded): so does the forger.
    up.on('error', () => res.destroy());
    req.on('error', () => up.destroy());
    res.on('close', () => up.destroy());
    req.pipe(up);
  });
  const port = await listenOnLoopback(t, forger);
  return `http://127.0.0.1:${port}`;
}
