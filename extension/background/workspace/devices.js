// @ts-check
/**
 * My trusted devices: the user's devices, the open approval requests (with the fingerprint phrase
 * computed here from the requesting device's keys, and when, from which address and browser/OS as
 * the server saw them), Approve (the number the person typed, and a grant signed in wasm), Deny,
 * rename, disable. Lists are bounded by the server and checked for size here.
 */
import * as core from '../core.js';
import { devices } from '../on-demand.js';
import { ApiError } from './api.js';
import * as client from './client.js';
import { arr, b64, bool, id, int, obj, oneOf, text } from './shapes.js';
import * as state from './state.js';
import { userKeys } from './unlock.js';

/** @typedef {import('../../types/protocol').DeviceView} DeviceView */
/** @typedef {import('../../types/protocol').ApprovalView} ApprovalView */

const STATUSES = /** @type {const} */ (['pending', 'approved', 'denied', 'disabled']);
/** The server lists at most 10 open requests and 20 trusted + 10 other devices. */
const MAX_REQUESTS = 10;
const MAX_DEVICES = 30;

/**
 * @param {unknown} raw @param {string} email @param {(email: string, keys: string) => string} fingerprintPhrase
 * @returns {ApprovalView & {deviceKeys: string}}
 */
function approval(raw, email, fingerprintPhrase) {
  const r = obj(raw, 'approval request');
  const deviceKeys = b64(r.deviceKeys, 'device keys', 200);
  return {
    id: id(r.id, 'request id'),
    deviceId: id(r.deviceId, 'device id'),
    deviceName: text(r.deviceName, 'device name', 200),
    deviceKeys,
    phrase: fingerprintPhrase(email, deviceKeys),
    createdAt: int(r.createdAt, 'createdAt'),
    expiresAt: int(r.expiresAt, 'expiresAt'),
    clientAddress: text(r.clientAddress, 'client address', 64),
    os: text(r.os, 'os', 40),
    browser: text(r.browser, 'browser', 40),
    looksLike: r.looksLike === undefined || r.looksLike === null ? null : text(r.looksLike, 'looks like', 200),
  };
}

/** @param {number} [wait] seconds to wait for a change of the open requests */
export async function approvals(wait = 0) {
  const ws = await state.registered();
  const { fingerprintPhrase } = await devices();
  const path = wait > 0 ? `/approvals?wait=${Math.min(20, Math.floor(wait))}` : '/approvals';
  const reply = obj(await client.request('GET', path, undefined, (wait + 10) * 1000), 'approvals');
  const requests = arr(reply.requests, 'approvals', MAX_REQUESTS).map((r) => approval(r, ws.email, fingerprintPhrase));
  return { requests, total: int(reply.total, 'total') };
}

/** The devices and the open requests, for the dashboard. */
export async function overview() {
  const ws = await state.registered();
  const reply = obj(await client.request('GET', '/devices'), 'devices');
  /** @type {DeviceView[]} */
  const devices = arr(reply.devices, 'devices', MAX_DEVICES).map((raw) => {
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
  const more = int(reply.more, 'more');
  const { requests, total } = await approvals();
  return {
    devices,
    limit,
    more,
    requests: requests.map(({ deviceKeys: _, ...r }) => r),
    requestsTotal: total,
    email: ws.email,
    workspaceName: ws.workspaceName ?? '',
    deviceName: ws.deviceName ?? '',
  };
}

/**
 * Approve: the number the person typed (the server compares it; a wrong one denies the request),
 * and the user key sealed to the new device and signed, in wasm.
 * @param {string} requestId @param {string} typed
 */
export async function approve(requestId, typed) {
  const number = typed.trim();
  if (!/^\d{3}$/.test(number)) throw new Error('Type the 3-digit number shown on the new device.');
  const { vault, ws } = await userKeys();
  const open = (await approvals()).requests.find((r) => r.id === requestId);
  if (!open) throw new Error('That request is no longer open: it was decided or it expired.');
  const request = {
    workspace: ws.workspaceId,
    userId: ws.userId,
    requestId: open.id,
    deviceId: open.deviceId,
    deviceKeys: open.deviceKeys,
  };
  const grant = vault.approveDevice(request, core.now());
  try {
    await client.request('POST', `/approvals/${encodeURIComponent(open.id)}/approve`, { grant, number });
  } catch (e) {
    if (e instanceof ApiError && e.code === 'wrong_number') {
      throw new Error(
        `${number} is not the number “${open.deviceName}” shows, so its request was denied. If you are setting up ` +
          `that device, ask again from it. If you are not, someone else tried to join your account: tell your ` +
          `administrator.`,
      );
    }
    throw e;
  }
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
    if (e instanceof Error && 'code' in e && e.code === 'conflict')
      throw new Error(`You already have a device named “${tidy}”.`);
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
