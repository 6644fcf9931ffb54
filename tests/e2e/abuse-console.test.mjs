// @ts-check
// Attack: a member with the User role goes for the Workspace console's data anyway, through the
// service worker from Latchkey's own dashboard (as a tampered page would) and straight at the
// server with the device's token. Both refuse: the worker before asking the server, the server
// whatever is asked. The requests and answers: tests/e2e/cases/console.mjs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONSOLE_REQUESTS, REFUSED, USER_ACCESS, serverAnswers } from './cases/console.mjs';
import { launchBrowser } from './harness.mjs';
import { BOB, DASHBOARD_URL, joinWithKit, startWorkspace, workspaceState } from './workspace.mjs';

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
  assert.deepEqual(access, USER_ACCESS);
  const asked = await dashboard.evaluate(
    (requests) => Promise.all(requests.map((m) => chrome.runtime.sendMessage(m))),
    CONSOLE_REQUESTS,
  );
  for (const reply of asked) assert.deepEqual(reply, { ok: false, error: REFUSED });

  // Straight at the server with the device's own token: refused too.
  for (const { call, status, code } of await serverAnswers(ws.server, bob.token)) {
    assert.equal(status, 403, call);
    assert.equal(code, 'forbidden', call);
  }
});
