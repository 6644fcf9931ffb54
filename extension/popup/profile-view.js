// @ts-check
/**
 * My Profile (the popup's profile icon): this device's e-mail, server, workspace and whether it is
 * trusted. **Set up new device** opens "Let’s set up your extension to access Latchkey" (the join
 * page's first screen) while this device is not trusted; once it is, it says how to add another
 * device (join there, approve it here). **My trusted devices** opens the dashboard.
 */
import { byId, el } from './dom.js';

/** @typedef {import('../types/protocol').WorkspaceStatus} WorkspaceStatus */

/** @param {'join.html?change' | 'dashboard.html'} page */
async function openPage(page) {
  await chrome.tabs.create({ url: chrome.runtime.getURL(`extension/dashboard/${page}`) });
  if (!(await chrome.tabs.getCurrent())) window.close();
}

/** @param {WorkspaceStatus} ws */
function stateLine(ws) {
  if (ws.stage === 'trusted') return ws.locked ? 'Trusted (locked)' : 'Trusted';
  if (ws.stage === 'registered') return 'Not verified yet: this session is not secure';
  if (ws.stage === 'begun') return 'Not set up yet';
  return 'Not set up';
}

/** @param {WorkspaceStatus} ws @param {{onBack: () => void}} hooks */
export function showProfile(ws, hooks) {
  /** @type {Array<[string, string]>} */
  const facts = [];
  if (ws.stage !== 'none') facts.push(['E-mail', ws.email], ['Server', ws.server]);
  if (ws.stage === 'trusted' || (ws.stage === 'registered' && ws.workspaceName))
    facts.push(['Workspace', ws.workspaceName ?? '']);
  if (ws.stage === 'trusted' || ws.stage === 'registered') facts.push(['This device', ws.deviceName]);
  facts.push(['Status', stateLine(ws)]);
  byId('profile-details').replaceChildren(...facts.flatMap(([k, v]) => [el('dt', '', k), el('dd', '', v)]));
  byId('profile-text').textContent =
    ws.stage === 'trusted'
      ? 'Your team’s accounts open on this device.'
      : 'Set up this browser as a trusted device of your team’s workspace to get the codes shared with you.';
  const setupText = byId('profile-setup-text');
  setupText.hidden = true;
  byId('profile-setup').onclick = () => {
    if (ws.stage !== 'trusted') return void openPage('join.html?change');
    setupText.textContent =
      `On the new device, install Latchkey, open My Profile there and choose Set up new device, with the server ` +
      `${ws.server} and ${ws.email}. Then approve it here, in My trusted devices, with the number it shows.`;
    setupText.hidden = false;
  };
  byId('profile-devices').onclick = () => void openPage('dashboard.html');
  /** @type {HTMLButtonElement} */ (byId('view-profile').querySelector('[data-action=back]')).onclick = hooks.onBack;
  byId('profile-title').focus();
}
