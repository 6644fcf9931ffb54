// @ts-check
/**
 * My trusted devices: the user's devices, the open approval requests (with the fingerprint phrase
 * computed here from the requesting device's keys), Approve (a grant signed in wasm), Deny, rename,
 * disable.
 */
import * as core from '../core.js';
import * as client from './client.js';
import * as keys from './keys.js';
import { arr, b64, bool, id, int, obj, oneOf, text } from './shapes.js';
import * as state from './state.js';
import { userKeys } from './unlock.js';

/** @typedef {import('../../types/protocol').DeviceView} DeviceView */
/** @typedef {import('../../types/protocol').ApprovalView} ApprovalView */

const STATUSES = /** @type {const} */ (['pending', 'approved', 'denied', 'disabled']);

/** @param {unknown} raw @param {string} email @returns {ApprovalView & {deviceKeys: string}} */
function approval(raw, email) {
  const r = obj(raw, 'approval request');
  const deviceKeys = b64(r.deviceKeys, 'device keys', 200);
  return {
    id: id(r.id, 'request id'),
    deviceId: id(r.deviceId, 'device id'),
    deviceName: text(r.deviceName, 'device name', 200),
    deviceKeys,
    phrase: core.fingerprintPhrase(email, deviceKeys),
    expiresAt: int(r.expiresAt, 'expiresAt'),
  };
}

/** @param {number} [wait] seconds to wait for a change of the open requests */
export async function approvals(wait = 0) {
  const ws = await state.registered();
  await core.ready();
  const path = wait > 0 ? `/approvals?wait=${Math.min(20, Math.floor(wait))}` : '/approvals';
  return arr(await client.request('GET', path, undefined, (wait + 10) * 1000), 'approvals', 100).map((r) => approval(r, ws.email));
}

/** The devices and the open requests, for the dashboard. */
export async function overview() {
  const ws = await state.registered();
  const reply = obj(await client.request('GET', '/devices'), 'devices');
  /** @type {DeviceView[]} */
  const devices = arr(reply.devices, 'devices', 1000).map((raw) => {
    const d = obj(raw, 'device');
    return {
      id: id(d.id, 'device id'),
      name: text(d.name, 'device name', 200),
      status: oneOf(d.status, STATUSES, 'device status'),
      createdAt: int(d.createdAt, 'createdAt'),
      lastSeenAt: int(d.lastSeenAt, 'lastSeenAt'),
      current: d.current === undefined ? false : bool(d.current, 'current'),
    };
  });
  const limit = int(reply.limit, 'limit');
  const requests = await approvals();
  return {
    devices,
    limit,
    requests: requests.map(({ deviceKeys: _, ...r }) => r),
    email: ws.email,
    workspaceName: ws.workspaceName ?? '',
    deviceName: ws.deviceName ?? '',
  };
}

/** Approve: the user key sealed to the new device and signed, in wasm. @param {string} requestId */
export async function approve(requestId) {
  const { vault, userKey, ws } = await userKeys();
  const open = (await approvals()).find((r) => r.id === requestId);
  if (!open) throw new Error('That request is no longer open: it was decided or it expired.');
  const request = { workspace: ws.workspaceId, userId: ws.userId, requestId: open.id, deviceId: open.deviceId, deviceKeys: open.deviceKeys };
  const grant = vault.approveDevice(keys.get().handles.device, userKey, request, core.now());
  await client.request('POST', `/approvals/${encodeURIComponent(open.id)}/approve`, { grant });
  return {};
}

/** @param {string} requestId */
export async function deny(requestId) {
  await client.request('POST', `/approvals/${encodeURIComponent(id(requestId, 'request id'))}/deny`);
  return {};
}

/** @param {string} deviceId @param {string} name */
export async function rename(deviceId, name) {
  const tidy = name.trim().replace(/\s+/g, ' ');
  if (!tidy) throw new Error('A device needs a name.');
  if (tidy.length > 100) throw new Error('Keep the device name under 100 characters.');
  try {
    await client.request('PATCH', `/devices/${encodeURIComponent(id(deviceId, 'device id'))}`, { name: tidy });
  } catch (e) {
    if (e instanceof Error && 'code' in e && e.code === 'conflict') throw new Error(`You already have a device named “${tidy}”.`);
    throw e;
  }
  const ws = await state.registered();
  if (deviceId === ws.deviceId) await state.update({ deviceName: tidy });
  return {};
}

/** @param {string} deviceId */
export async function disable(deviceId) {
  await client.request('POST', `/devices/${encodeURIComponent(id(deviceId, 'device id'))}/disable`);
  return {};
}
