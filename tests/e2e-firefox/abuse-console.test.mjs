// @ts-check
// Attack: a member with the User role goes for the Workspace console's data anyway, in Firefox with
// the built package against a real `latchkey serve --demo`: through the event page from Latchkey's
// own dashboard (as a tampered page would) and straight at the server with the device's token.
// Both refuse: the background before asking the server, the server whatever is asked. Chromium's
// tests/e2e/abuse-console.test.mjs; the requests and answers from tests/e2e/cases/console.mjs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONSOLE_REQUESTS, REFUSED, USER_ACCESS, serverAnswers } from '../e2e/cases/console.mjs';
import { BOB, startWorkspace } from '../e2e/workspace.mjs';
import { launchFirefox } from './firefox.mjs';
import { openDashboard, workspaceState } from './console.mjs';
import { joinWithKit } from './workspace.mjs';

test('Firefox: a User-role member’s console requests are refused by the background and by the server', async (t) => {
  const ws = await startWorkspace(t);
  const ff = await launchFirefox(t);
  await joinWithKit(ff, ws, BOB);
  await openDashboard(ff);
  assert.equal(await ff.run(() => document.body.dataset.console), 'none');
  assert.equal(await ff.run(() => document.getElementById('console')?.checkVisibility()), false);
  const bob = await workspaceState(ff);

  const access = await ff.run(() => chrome.runtime.sendMessage({ type: 'ws-console-access' }));
  assert.deepEqual(access, USER_ACCESS);
  const asked = await ff.run(
    (requests) => Promise.all(requests.map((m) => chrome.runtime.sendMessage(m))),
    CONSOLE_REQUESTS,
  );
  assert.equal(asked.length, CONSOLE_REQUESTS.length);
  for (const reply of asked) assert.deepEqual(reply, { ok: false, error: REFUSED });

  // Straight at the server with the device's own token: refused too.
  for (const { call, status, code } of await serverAnswers(ws.server, bob.token)) {
    assert.equal(status, 403, call);
    assert.equal(code, 'forbidden', call);
  }
});
