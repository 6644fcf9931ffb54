// @ts-check
// Attack: a member with the User role goes for the Workspace console's data anyway, through the
// service worker from Latchkey's own dashboard (as a tampered page would) and straight at the
// server with the device's token. Both refuse: the worker before asking the server, the server
// whatever is asked.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { launchBrowser } from './harness.mjs';
import { BOB, DASHBOARD_URL, joinWithKit, startWorkspace, workspaceState } from './workspace.mjs';

const REFUSED = 'Only workspace admins, super admins and owners use the Workspace console.';

test('a User-role member’s console requests are refused by the worker and by the server', async (t) => {
  const ws = await startWorkspace(t);
  const ctx = await launchBrowser(t);
  await joinWithKit(ctx, ws, BOB);
  const bob = await workspaceState(ctx);
  const dashboard = await ctx.newPage();
  await dashboard.goto(DASHBOARD_URL);
  await dashboard.locator('body[data-console="none"]').waitFor();
  assert.equal(await dashboard.locator('#console').isHidden(), true);

  const access = await dashboard.evaluate(() => chrome.runtime.sendMessage({ type: 'ws-console-access' }));
  assert.deepEqual(access, { ok: true, allowed: false, role: 'user' });
  const asked = await dashboard.evaluate(() =>
    Promise.all(
      [
        { type: 'ws-console-users' },
        { type: 'ws-console-rotations' },
        { type: 'ws-console-audit' },
        { type: 'ws-console-audit-export', format: 'csv' },
        { type: 'ws-console-invite', email: 'mallory@evil.example', role: 'owner' },
        { type: 'ws-console-set-role', userId: 'x', role: 'owner' },
        { type: 'ws-console-preview', userId: 'x' },
        { type: 'ws-console-deprovision', userId: 'x' },
        { type: 'ws-console-apps' },
        { type: 'ws-console-scim-tokens' },
        { type: 'ws-console-scim-create', name: 'mine' },
      ].map((m) => chrome.runtime.sendMessage(m)),
    ),
  );
  for (const reply of asked) assert.deepEqual(reply, { ok: false, error: REFUSED });

  // Straight at the server with the device's own token: refused too.
  /** @type {Array<[string, string, unknown]>} */
  const calls = [
    ['GET', '/workspace/users', undefined],
    ['GET', '/workspace/rotations', undefined],
    ['GET', '/audit', undefined],
    ['GET', '/audit?format=csv', undefined],
    ['GET', '/invitations', undefined],
    ['POST', '/invitations', { email: 'mallory@evil.example', role: 'user' }],
    ['GET', '/scim-tokens', undefined],
  ];
  for (const [method, path, body] of calls) {
    const r = await fetch(`${ws.server}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${bob.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    assert.equal(r.status, 403, `${method} ${path}`);
    assert.equal((await r.json()).error.code, 'forbidden', `${method} ${path}`);
  }
});
