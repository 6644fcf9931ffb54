// @ts-check
/**
 * Becoming a trusted device (docs/api.md "Trust flow"; the screens README.md shows): the server address
 * and e-mail, the device's name and keys (made in wasm), then either the e-mailed code (first
 * device: new user keys and the Recovery Kit; later device: the kit) or an approval from a trusted
 * device, checked in wasm against the fingerprint-bound request.
 */
import * as core from '../core.js';
import { devices } from '../on-demand.js';
import { ApiError, call } from './api.js';
import * as client from './client.js';
import * as keys from './keys.js';
import { arr, b64, bool, id, int, obj, oneOf, optText, text } from './shapes.js';
import * as state from './state.js';
import { migrateLocalAccounts } from './migrate.js';

/** @typedef {import('../../types/protocol').TrustedReply} TrustedReply */

export const DEFAULT_SERVER = 'http://localhost:8787';
const PENDING_FIRST = 'workspacePendingFirst';

/** @param {unknown} input */
function serverAddress(input) {
  const typed = typeof input === 'string' ? input.trim() : '';
  let url;
  try {
    url = new URL(typed || DEFAULT_SERVER);
  } catch {
    throw new Error('Enter the server address your administrator gave you, such as https://latchkey.example.com.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new Error('The server address starts with https:// (or http:// for a server on this computer).');
  const loopback =
    url.hostname === 'localhost' ||
    url.hostname.endsWith('.localhost') ||
    url.hostname === '127.0.0.1' ||
    url.hostname === '[::1]';
  if (url.protocol === 'http:' && !loopback)
    throw new Error('Use https:// for a server on another computer: the connection must be encrypted.');
  if (url.username || url.password || url.search || url.hash)
    throw new Error('Enter only the server’s address, without a name, password or query.');
  return url.origin + url.pathname.replace(/\/+$/, '');
}

/** @param {unknown} input */
function emailAddress(input) {
  const email = typeof input === 'string' ? input.trim().toLowerCase() : '';
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254)
    throw new Error('Enter your work e-mail address, such as alex@company.com.');
  return email;
}

/**
 * Continue checks the address at once (docs/api.md, `GET /server`): reachable, and a Latchkey
 * server, rather than failing two screens later at registration.
 * @param {string} server
 */
async function checkServer(server) {
  let reply;
  try {
    reply = await call({ server }, 'GET', '/server', undefined, 8_000);
  } catch (e) {
    if (e instanceof ApiError && e.code === 'network')
      throw new Error(
        `Latchkey could not reach ${server}. Check the address your administrator gave you and that the server ` +
          `is running, then choose Continue again.`,
      );
    throw notLatchkey(server);
  }
  const info = reply && typeof reply === 'object' ? /** @type {Record<string, unknown>} */ (reply) : {};
  if (info.service !== 'latchkey') throw notLatchkey(server);
  if (info.api !== 1)
    throw new Error(`${server} is a Latchkey server of another version than this extension: update one of them.`);
}

/** @param {string} server */
function notLatchkey(server) {
  return new Error(
    `${server} answered, but it is not a Latchkey server. Check the address your administrator gave you.`,
  );
}

/** First run: where the workspace is and who this is. @param {unknown} server @param {unknown} email */
export async function begin(server, email) {
  const existing = await state.load();
  if (existing?.stage === 'trusted') throw new Error('This device is already trusted in a workspace.');
  const address = serverAddress(server);
  const mail = emailAddress(email);
  await checkServer(address);
  const ws = {
    server: address,
    email: mail,
    stage: /** @type {const} */ ('begun'),
    remindLater: false,
    idleMinutes: existing?.idleMinutes ?? state.DEFAULT_IDLE_MINUTES,
  };
  await keys.destroy();
  await state.save(ws);
  await state.setNotice(null);
  return {};
}

/** The name filled in on Name your device. */
export async function defaultName() {
  const ws = await state.load();
  if (!ws) throw new Error('Start with the server address and your e-mail.');
  const { defaultDeviceName } = await devices();
  const username = ws.email.split('@')[0];
  const brands =
    /** @type {any} */ (navigator).userAgentData?.brands?.map((/** @type {{brand: string}} */ b) => b.brand) ?? [];
  return { name: defaultDeviceName(username, navigator.userAgent, brands, []) };
}

/**
 * Name your device → Next: device keys made in wasm and the device registered (pending). The
 * server tells an unverified device nothing about the user (not even whether the address is one),
 * so the person chooses how to verify: from a trusted device, or with an e-mailed code.
 * @param {unknown} name @returns {Promise<{route: 'choose'}>}
 */
export async function register(name) {
  const ws = await state.load();
  if (!ws) throw new Error('Start with the server address and your e-mail.');
  if (ws.stage === 'trusted') throw new Error('This device is already trusted.');
  const typed = typeof name === 'string' ? name.trim().replace(/\s+/g, ' ') : '';
  if (!typed) throw new Error('Give this device a name, so you can tell it apart in My trusted devices.');
  if (typed.length > 100) throw new Error('Keep the device name under 100 characters.');
  const { vault, publicKeys } = await keys.fresh();
  let reply;
  try {
    reply = obj(
      await call({ server: ws.server }, 'POST', '/devices/register', { email: ws.email, name: typed, publicKeys }),
      'registration',
    );
  } catch (e) {
    vault.free();
    if (e instanceof ApiError && e.code === 'rate_limited')
      throw new Error(
        `Too many devices were set up from this network just now. Wait ${Math.ceil((e.retryAfter ?? 60) / 60)} ` +
          `minutes and try again.`,
      );
    throw e;
  }
  const device_ = obj(reply.device, 'device');
  const deviceId = id(device_.id, 'device id');
  const { storageKey, deviceBlob } = await keys.adopt(vault, deviceId);
  await state.save({
    server: ws.server,
    email: ws.email,
    remindLater: false,
    idleMinutes: ws.idleMinutes,
    stage: 'registered',
    token: text(reply.token, 'token', 200),
    deviceId,
    deviceName: text(device_.name, 'device name', 200),
    devicePublicKeys: publicKeys,
    storageKey,
    deviceBlob,
    emailVerified: false,
    route: 'choose',
  });
  return { route: 'choose' };
}

/** Sends (or resends) the e-mailed code. */
export async function sendCode() {
  try {
    const reply = obj(await client.request('POST', '/trust/email-code'), 'e-mail code');
    await state.update({ route: 'email' });
    return {
      sentTo: text(reply.sentTo, 'sentTo', 300),
      expiresIn: int(reply.expiresIn, 'expiresIn'),
      // A server without an SMTP relay keeps the code on its console and in its outbox.
      outbox: reply.delivery === 'outbox',
    };
  } catch (e) {
    if (e instanceof ApiError && e.code === 'rate_limited') {
      throw new Error(`A code was sent moments ago. Wait ${e.retryAfter ?? 30} seconds before asking for another.`);
    }
    throw e;
  }
}

/**
 * Who this device's user is, once the server may say (mailbox proved, or device approved).
 * @returns {Promise<import('../../types/workspace').Known>}
 */
async function learnUser() {
  const me = obj(await client.request('GET', '/me'), 'me');
  const user = obj(me.user, 'user');
  const known = {
    userId: id(user.id, 'user id'),
    workspaceId: id(user.workspaceId, 'workspace id'),
    hasKeys: bool(user.hasKeys, 'hasKeys'),
    trustedDevices: int(me.trustedDevices, 'trustedDevices'),
    workspaceName: text(obj(me.workspace, 'workspace').name, 'workspace name', 200),
  };
  await state.update(known);
  return known;
}

/** The 6-digit code. @param {unknown} input @returns {Promise<{next: 'recover' | 'kit'}>} */
export async function verifyCode(input) {
  const code = typeof input === 'string' ? input.replace(/\s/g, '') : '';
  if (!/^\d{6}$/.test(code)) throw new Error('Enter the 6 digits from the e-mail.');
  try {
    obj(await client.request('POST', '/trust/email-code/verify', { code }), 'verification');
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    if (e.code === 'code_wrong') throw new Error(e.message); // says how many tries are left
    if (e.code === 'code_expired')
      throw new Error('That code has expired (codes last 5 minutes). Choose Resend code for a new one.');
    if (e.code === 'code_used') throw new Error('That code was already used. Choose Resend code for a new one.');
    if (e.code === 'code_attempts') throw new Error('Too many wrong codes. Choose Resend code for a new one.');
    if (e.code === 'not_found') throw new Error('No code was sent yet. Choose Resend code.');
    if (e.code === 'rate_limited')
      throw new Error(
        'Too many wrong codes were typed for your account from this network today. Approve this device from one ' +
          'of your trusted devices instead.',
      );
    throw e;
  }
  await state.update({ emailVerified: true });
  const ws = await learnUser();
  return { next: ws.hasKeys ? 'recover' : 'kit' };
}

/**
 * First device: the user's keys, made here, and the Recovery Kit shown once. Nothing is sent
 * until the person confirms they saved the kit (`confirmKit`).
 */
export async function createKit() {
  const ws = await state.registered();
  if (!ws.emailVerified || ws.hasKeys) throw new Error('Verify this device with the e-mailed code first.');
  const { vault } = await keys.open(/** @type {any} */ (ws));
  /** @type {Record<string, string> | undefined} */
  let pending = /** @type {Record<string, string> | undefined} */ (
    (await chrome.storage.session.get(PENDING_FIRST))[PENDING_FIRST]
  );
  if (!pending || !keys.hasUserKeys(vault)) {
    const user = vault.createUser(ws.workspaceId, ws.userId, ws.deviceId);
    pending = {
      userPublicKeys: user.publicKeys,
      sealedPrivateKeys: user.keyPairEnvelope,
      userKeyEnvelope: user.userKeyForDevice,
      proof: vault.signEnrollment(ws.workspaceId, ws.userId, ws.deviceId, ws.devicePublicKeys),
    };
  }
  // A kit shown again (the page was reloaded) is a new kit: only the last one shown is kept.
  const { kit, wrappedUserKey } = vault.createRecoveryKit(ws.workspaceId, ws.userId);
  pending = { ...pending, recoveryEnvelope: wrappedUserKey };
  await chrome.storage.session.set({ [PENDING_FIRST]: pending });
  await keys.persist();
  return { kit, email: ws.email };
}

/** "I saved my Recovery Kit": the keys go to the server and this device is trusted. @returns {Promise<TrustedReply>} */
export async function confirmKit() {
  const pending = (await chrome.storage.session.get(PENDING_FIRST))[PENDING_FIRST];
  if (!pending) throw new Error('The Recovery Kit was not created in this browser session: show it again.');
  await client.request('POST', '/trust/first-device', pending);
  await chrome.storage.session.remove(PENDING_FIRST);
  return trusted();
}

/**
 * A later device with the e-mail verified: unlock with the Recovery Kit.
 * @param {unknown} input
 * @returns {Promise<TrustedReply>}
 */
export async function recover(input) {
  const kit = typeof input === 'string' ? input.trim() : '';
  if (!kit) throw new Error('Enter your Recovery Kit: 28 letters and digits in groups of 4.');
  if (kit.length > 100) throw new Error('That is longer than a Recovery Kit (28 letters and digits).');
  const ws = await state.registered();
  const reply = obj(await client.request('GET', '/trust/recovery'), 'recovery');
  const { vault } = await keys.open(/** @type {any} */ (ws));
  try {
    vault.recoverUserKey(kit, b64(reply.recoveryEnvelope, 'recoveryEnvelope'), ws.workspaceId, ws.userId);
  } catch (e) {
    const why = e instanceof Error ? e.message : '';
    throw new Error(
      `That Recovery Kit does not unlock your account: ${why || 'check it and try again'}.`.replace(/\.\.$/, '.'),
    );
  }
  vault.openUserKeyPair(b64(reply.sealedPrivateKeys, 'sealedPrivateKeys'), ws.workspaceId, ws.userId);
  const proof = vault.signEnrollment(ws.workspaceId, ws.userId, ws.deviceId, ws.devicePublicKeys);
  const userKeyEnvelope = vault.sealUserKeyToDevice(ws.devicePublicKeys, ws.workspaceId, ws.userId, ws.deviceId);
  await keys.persist();
  await client.request('POST', '/trust/recover', { userKeyEnvelope, proof });
  return trusted();
}

/** Verify your identity: an approval request; the number and the phrase this device shows. */
export async function requestApproval() {
  const ws = await state.pending();
  const reply = obj(obj(await client.request('POST', '/trust/approval'), 'approval').request, 'request');
  const number = int(reply.number, 'number');
  if (number < 100 || number > 999)
    throw new Error(
      'The server sent an approval number that is not 3 digits. Do not continue; tell your administrator.',
    );
  const request = { id: id(reply.id, 'request id'), number, expiresAt: int(reply.expiresAt, 'expiresAt') };
  await state.update({ request, route: 'approval' });
  const { fingerprintPhrase } = await devices();
  return { phrase: fingerprintPhrase(ws.email, ws.devicePublicKeys), number, expiresAt: request.expiresAt };
}

/**
 * Waits (long poll) for a trusted device's decision. An approval's grant is checked in wasm
 * against this device's request and the user's trusted devices' keys before the user key is kept.
 * @returns {Promise<import('../../types/protocol').ApprovalStatusReply>}
 */
export async function waitApproval() {
  const ws = await state.pending();
  if (ws.stage === 'trusted') return { status: 'approved' };
  if (!ws.request) throw new Error('No approval was requested from this device.');
  const reply = obj(await client.request('GET', '/trust/status?wait=20', undefined, 30_000), 'status');
  const deviceStatus = text(obj(reply.device, 'device').status, 'device status', 20);
  const req = reply.request === undefined || reply.request === null ? null : obj(reply.request, 'request');
  const requestStatus = req
    ? oneOf(req.status, ['pending', 'approved', 'denied', 'expired'], 'request status')
    : 'pending';
  const grant = optText(reply.grant, 'grant', 8192);
  if (deviceStatus === 'approved' && grant) {
    const approverKeys = arr(reply.approverKeys, 'approverKeys', 100).map((k) => b64(k, 'approver key', 200));
    // Approved: now the server tells who the user is, and the grant is checked against that.
    const me = await learnUser();
    const { vault } = await keys.open(ws);
    const request = {
      workspace: me.workspaceId,
      userId: me.userId,
      requestId: ws.request.id,
      deviceId: ws.deviceId,
      deviceKeys: ws.devicePublicKeys,
    };
    try {
      vault.acceptGrant(grant, request, approverKeys, core.now());
    } catch (e) {
      throw new Error(
        `The approval did not check out, so this device did not accept it: ${e instanceof Error ? e.message : ''}`,
      );
    }
    await keys.persist();
    const full = obj(await client.request('GET', '/me'), 'me');
    vault.openUserKeyPair(b64(full.sealedPrivateKeys, 'sealedPrivateKeys'), request.workspace, request.userId);
    await keys.persist();
    await trusted();
    return { status: 'approved' };
  }
  if (deviceStatus === 'approved') {
    // Trusted another way meanwhile (the Recovery Kit in another tab): the keys come from the server.
    await learnUser();
    await trusted();
    return { status: 'approved' };
  }
  if (requestStatus === 'denied' || requestStatus === 'expired') {
    const reason =
      req && typeof req.reason === 'string' ? oneOf(req.reason, ['denied', 'wrong_number'], 'reason') : undefined;
    return reason ? { status: requestStatus, reason } : { status: requestStatus };
  }
  return { status: 'pending' };
}

/** Remind me later: the session stays untrusted and the vault closed. */
export async function remindLater() {
  await state.update({ remindLater: true });
  return {};
}

/**
 * The device is trusted: remember it, then move locally saved accounts into the vault.
 * @returns {Promise<TrustedReply>}
 */
async function trusted() {
  const me = obj(await client.request('GET', '/me'), 'me');
  const workspace = obj(me.workspace, 'workspace');
  await state.update({
    stage: 'trusted',
    remindLater: false,
    request: undefined,
    workspaceName: text(workspace.name, 'workspace name', 200),
  });
  await keys.unlockFlag();
  const moved = await migrateLocalAccounts().catch((e) => {
    console.error('Latchkey: could not move local accounts into the vault yet:', e);
    return new Map();
  });
  return { trusted: true, moved: moved.size };
}
