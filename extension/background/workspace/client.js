// @ts-check
/**
 * Calls made as this device (its token), with the one rule every call shares: a server that says
 * this device was disabled or its user deprovisioned gets the local keys and data wiped at once
 * (unless they went already: a late reply changes nothing, wipe.js).
 */
import { ApiError, FORGET_CODES, WIPE_CODES, call } from './api.js';
import * as state from './state.js';
import { wipe } from './wipe.js';

/**
 * @param {'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'} method @param {string} path @param {unknown} [body]
 * @param {number} [timeoutMs] @param {boolean} [asText] (api.js `call`)
 */
export async function request(method, path, body, timeoutMs, asText) {
  const ws = await state.pending();
  try {
    return await call({ server: ws.server, token: ws.token }, method, path, body, timeoutMs, asText);
  } catch (e) {
    if (e instanceof ApiError && (WIPE_CODES.has(e.code) || FORGET_CODES.has(e.code))) await wipe(e.code, ws.token);
    throw e;
  }
}
