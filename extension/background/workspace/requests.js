// @ts-check
/**
 * What Latchkey's own pages (popup, join page, dashboard) may ask about the workspace. The router
 * accepts these only from extension pages; content scripts never reach them.
 */
import { int, str } from '../senders.js';
import { refreshAllTabs } from '../tab-state.js';
import * as smsViews from '../sms/views.js';
import * as automations from './automations.js';
import * as runner from '../automation/runner.js';
import { dryRun } from '../automation/dry-run.js';
import * as consoleApi from './console.js';
import * as devices from './devices.js';
import * as sharing from './sharing.js';
import * as imports from './imports.js';
import * as items from './items.js';
import * as keys from './keys.js';
import * as pin from './pin.js';
import * as state from './state.js';
import * as trust from './trust.js';
import * as vault from './vault.js';
import { userKeys } from './unlock.js';

/** @typedef {import('../../types/protocol').WorkspaceStatus} WorkspaceStatus */

/** @returns {Promise<WorkspaceStatus>} */
export async function workspaceStatus() {
  const ws = await state.load();
  const notice = await state.notice();
  if (!ws)
    return {
      stage: 'none',
      server: trust.DEFAULT_SERVER,
      email: '',
      remindLater: false,
      locked: false,
      pinSet: false,
      pinFailures: 0,
      pinTriesLeft: 0,
      notice,
      idleMinutes: state.DEFAULT_IDLE_MINUTES,
    };
  const common = {
    ...(await pin.status()),
    server: ws.server,
    email: ws.email,
    remindLater: ws.remindLater,
    locked: ws.stage === 'trusted' && (await keys.isLocked()),
    idleMinutes: ws.idleMinutes,
    notice,
  };
  switch (ws.stage) {
    case 'begun':
      return { ...common, stage: 'begun' };
    case 'registered':
      return {
        ...common,
        stage: 'registered',
        deviceName: ws.deviceName,
        route: ws.route,
        emailVerified: ws.emailVerified,
        hasKeys: ws.hasKeys,
        workspaceName: ws.workspaceName,
      };
    case 'trusted':
      return { ...common, stage: 'trusted', deviceName: ws.deviceName, workspaceName: ws.workspaceName };
  }
}

/**
 * After trust changes, pages with code fields are asked again (shared accounts may fill now).
 * @template T @param {Promise<T>} job
 */
async function thenRefresh(job) {
  const result = await job;
  void refreshAllTabs();
  return result;
}

/** The idle timeout's alarm: lock as Lock does, and stop filling shared codes. @param {string} name */
export async function onIdleAlarm(name) {
  if (name !== keys.IDLE_ALARM) return;
  await keys.lock();
  vault.drop();
  void refreshAllTabs();
}

/**
 * Import's choices, checked: at most 20 000, each an entry index and "new" or an account id.
 * @param {unknown} v @returns {Array<{index: number, to: string, name?: string, site?: string}>}
 */
function picks(v) {
  if (!Array.isArray(v) || v.length > 20_000) throw new Error('Choose the entries to import.');
  return v.map((p) => ({
    index: int(p?.index, 0, 20_000),
    to: str(p?.to, 64),
    ...(p?.name == null ? {} : { name: str(p.name, 200) }),
    ...(p?.site == null ? {} : { site: str(p.site, 2048) }),
  }));
}

/** @type {import('../../types/protocol').Handlers<import('../../types/protocol').WorkspaceRequests>} */
export const workspaceRequests = {
  'ws-status': async () => ({ workspace: await workspaceStatus() }),
  'ws-begin': (m) => trust.begin(str(m.server, 2048), str(m.email, 320)),
  'ws-default-name': () => trust.defaultName(),
  'ws-register': (m) => trust.register(str(m.name, 200)),
  'ws-send-code': () => trust.sendCode(),
  'ws-verify-code': (m) => trust.verifyCode(str(m.code, 32)),
  'ws-create-kit': () => trust.createKit(),
  'ws-confirm-kit': () => thenRefresh(trust.confirmKit()),
  'ws-recover': (m) => thenRefresh(trust.recover(str(m.kit, 200))),
  'ws-request-approval': () => trust.requestApproval(),
  'ws-wait-approval': () => thenRefresh(trust.waitApproval()),
  'ws-remind-later': () => trust.remindLater(),
  'ws-dismiss-notice': async () => {
    await state.setNotice(null);
    return {};
  },
  'ws-lock': async () => {
    await keys.lock();
    vault.drop();
    void refreshAllTabs();
    return {};
  },
  'ws-set-pin': (m) => thenRefresh(pin.set(str(m.pin, 512))),
  'ws-change-pin': (m) => pin.change(str(m.current, 512), str(m.pin, 512)),
  'ws-unlock': async (m) => {
    await pin.unlock(str(m.pin, 512));
    await userKeys();
    await vault.sync();
    void refreshAllTabs();
    return {};
  },
  'ws-set-idle': async (m) => {
    await state.update({ idleMinutes: int(m.minutes, 1, 24 * 60) });
    return {};
  },
  'ws-devices': () => devices.overview(),
  'ws-approvals': async (m) => {
    const { requests, total } = await devices.approvals(int(m.wait ?? 0, 0, 20));
    return { requests: requests.map(({ deviceKeys: _, ...r }) => r), total };
  },
  'ws-approve': (m) => devices.approve(str(m.id, 128), str(m.number, 16)),
  'ws-deny': (m) => devices.deny(str(m.id, 128)),
  'ws-rename': (m) => devices.rename(str(m.id, 128), str(m.name, 200)),
  'ws-disable': (m) => devices.disable(str(m.id, 128)),
  'ws-sharing': () => sharing.overview(),
  'ws-set-mfa': (m) => thenRefresh(items.setMfa(str(m.accountId, 64), str(m.secret))),
  'ws-import-preview': (m) => imports.preview(str(m.file, imports.MAX_FILE_BYTES * 2), str(m.password ?? '', 1024)),
  'ws-qr-tabs': () => imports.tabs(),
  'ws-qr-scan-tab': (m) =>
    imports.scanTab(
      int(m.tabId, 0, Number.MAX_SAFE_INTEGER),
      m.returnTo == null ? undefined : int(m.returnTo, 0, Number.MAX_SAFE_INTEGER),
    ),
  'ws-qr-scan-image': (m) => imports.scanImage(str(m.image, imports.MAX_FILE_BYTES * 2)),
  'ws-import-confirm': (m) => thenRefresh(imports.confirm(str(m.importId, 64), picks(m.picks))),
  'ws-set-sites': (m) => thenRefresh(items.setSites(str(m.accountId, 64), str(m.sites, 4096))),
  'ws-save-backup-codes': (m) => items.saveBackupCodes(str(m.accountId, 64), str(m.codes, 8192)),
  'ws-reveal-backup-codes': (m) => items.revealBackupCodes(str(m.accountId, 64)),
  'ws-automation-tasks': (m) => runner.status(str(m.accountId, 64)),
  'ws-automation-start': (m) => runner.start(str(m.accountId, 64), str(m.task, 32), str(m.origin, 2048)),
  'ws-automation-dry-run': (m) => dryRun(str(m.accountId, 64), str(m.task, 32), str(m.origin, 2048)),
  'ws-share': (m) => sharing.share(str(m.accountId, 64), str(m.userId, 128)),
  'ws-rotate': (m) => sharing.rotate(str(m.accountId, 64)),
  'ws-unshare': (m) => sharing.unshare(str(m.accountId, 64), str(m.userId, 128)),
  'ws-inbox': (m) =>
    smsViews.read(m.account == null ? null : str(m.account, 64), int(m.after ?? 0, 0, Number.MAX_SAFE_INTEGER)),
  'ws-inbox-wait': (m) =>
    smsViews.wait(m.account == null ? null : str(m.account, 64), int(m.after ?? 0, 0, Number.MAX_SAFE_INTEGER)),
  'ws-phone': (m) => smsViews.phone(str(m.accountId, 64)),
  'ws-phone-create': (m) => smsViews.create(str(m.accountId, 64)),
  'ws-phone-release': (m) => smsViews.release(str(m.accountId, 64)),
  'ws-address': (m) => smsViews.address(str(m.accountId, 64)),
  'ws-address-create': (m) => smsViews.createAddress(str(m.accountId, 64)),
  // The Workspace console (admins and above: console.js refuses anyone else first).
  'ws-console-access': () => consoleApi.access(),
  'ws-console-users': () => consoleApi.users(),
  'ws-console-invite': (m) => consoleApi.invite(str(m.email, 320), str(m.role, 20), str(m.displayName ?? '', 200)),
  'ws-console-resend': (m) => consoleApi.resend(str(m.id, 128)),
  'ws-console-cancel': (m) => consoleApi.cancel(str(m.id, 128)),
  'ws-console-set-role': (m) => consoleApi.setRole(str(m.userId, 128), str(m.role, 20)),
  'ws-console-preview': (m) =>
    consoleApi.preview(str(m.userId, 128), m.transferTo == null ? null : str(m.transferTo, 128)),
  'ws-console-deprovision': (m) =>
    consoleApi.deprovision(str(m.userId, 128), m.transferTo == null ? null : str(m.transferTo, 128)),
  'ws-console-rotations': () => consoleApi.rotations(),
  'ws-console-apps': () => consoleApi.apps(),
  'ws-console-save-app': (m) =>
    consoleApi.saveApp({
      id: str(m.id, 64),
      name: str(m.name, 200),
      site: str(m.site, 300),
      acceptsManagedNumber: m.acceptsManagedNumber === true,
      voipOk: m.voipOk === true,
      acceptsManagedEmail: m.acceptsManagedEmail === true,
    }),
  'ws-console-audit': (m) => consoleApi.audit(auditFilters(m)),
  'ws-console-audit-export': (m) => consoleApi.exportAudit(auditFilters(m), m.format === 'csv' ? 'csv' : 'jsonl'),
  'ws-console-scim-tokens': () => consoleApi.scimTokens(),
  'ws-console-scim-create': (m) => consoleApi.createScimToken(str(m.name, 100)),
  'ws-console-scim-revoke': (m) => consoleApi.revokeScimToken(str(m.id, 128)),
  // The Automation Log (every trusted member: the server shows each only their accounts' jobs).
  'ws-automations': (m) =>
    automations.list({
      account: m.account == null || m.account === '' ? null : str(m.account, 128),
      status: m.status == null || m.status === '' ? null : str(m.status, 40),
    }),
  'ws-automation': (m) => automations.show(str(m.jobId, 64)),
};

/**
 * The audit filters of a console request, each checked for its type here and for its form in console.js.
 * @param {import('../../types/protocol').Untrusted<import('../../types/protocol').AuditFilters>} m
 * @returns {import('../../types/protocol').AuditFilters}
 */
function auditFilters(m) {
  const optStr = (/** @type {unknown} */ v, /** @type {number} */ max) => (v == null || v === '' ? null : str(v, max));
  const optTime = (/** @type {unknown} */ v) => (v == null ? null : int(v, 0, Number.MAX_SAFE_INTEGER));
  return {
    user: optStr(m.user, 128),
    account: optStr(m.account, 128),
    action: optStr(m.action, 80),
    since: optTime(m.since),
    until: optTime(m.until),
    cursor: optStr(m.cursor, 200),
  };
}
