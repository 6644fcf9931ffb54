// @ts-check
/**
 * The workspace server's JSON API (docs/api.md), as one function. Errors become `ApiError` with
 * the stable `code` of docs/api.md and a sentence for a person; network trouble says so plainly.
 * Only the configured server is ever called, and only from the service worker.
 */
import { obj, text } from './shapes.js';

/**
 * The error codes of docs/api.md (server/tests/api_error_codes.rs holds the two to each other), plus
 * two of the client's own.
 */
export const CODES = /** @type {const} */ ([
  'bad_request',
  'unsupported_media_type',
  'payload_too_large',
  'invalid',
  'unauthenticated',
  'device_disabled',
  'device_denied',
  'user_deprovisioned',
  'untrusted_device',
  'forbidden',
  'bad_signature',
  'wrong_account',
  'not_found',
  'conflict',
  'stale_version',
  'limit_reached',
  'no_numbers_available',
  'number_provider_failed',
  'code_wrong',
  'code_expired',
  'code_used',
  'code_attempts',
  'wrong_number',
  'rate_limited',
  'unavailable',
  'internal',
  'network',
  'bad_reply',
]);
/** @typedef {typeof CODES[number]} ErrorCode */

/** Codes after which this device's local keys and data must go (the server's `wipes_device`). */
export const WIPE_CODES = /** @type {ReadonlySet<string>} */ (new Set(['device_disabled', 'user_deprovisioned']));
/** Codes after which the server no longer knows this device: it is forgotten the same way. */
export const FORGET_CODES = /** @type {ReadonlySet<string>} */ (new Set(['device_denied', 'unauthenticated']));

export class ApiError extends Error {
  /** @param {number} status @param {ErrorCode} code @param {string} message @param {number | null} [retryAfter] */
  constructor(status, code, message, retryAfter = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

/** The API base of a server address a person typed. @param {string} server */
export function apiBase(server) {
  return `${server.replace(/\/+$/, '')}/api/v1`;
}

/**
 * One call. `body` is sent as JSON; the reply's JSON is returned unchecked (callers check shapes).
 * With `asText`, a successful reply's body is returned as text with the `Latchkey-Next-Cursor`
 * header (the audit log's JSON lines and CSV exports); errors are JSON as always.
 * @param {{server: string, token?: string | null}} session
 * @param {'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'} method @param {string} path
 * @param {unknown} [body] @param {number} [timeoutMs] @param {boolean} [asText]
 * @returns {Promise<unknown>}
 */
export async function call(session, method, path, body, timeoutMs = 15_000, asText = false) {
  /** @type {Record<string, string>} */
  const headers = { accept: asText ? '*/*' : 'application/json' };
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response;
  try {
    response = await fetch(apiBase(session.server) + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'omit',
      cache: 'no-store',
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch {
    throw new ApiError(
      0,
      'network',
      `Latchkey could not reach the server at ${session.server}. Check the address and your connection, then try ` +
        `again.`,
    );
  }
  const raw = await response.text().catch(() => '');
  if (raw.length > 8 << 20)
    throw new ApiError(response.status, 'bad_reply', 'The server sent a reply that is far too large.');
  if (asText && response.ok) return { text: raw, next: response.headers.get('latchkey-next-cursor') };
  /** @type {unknown} */
  let json = null;
  try {
    json = raw ? JSON.parse(raw) : null;
  } catch {
    throw new ApiError(
      response.status,
      'bad_reply',
      `The server at ${session.server} did not answer as a Latchkey server does. Check the address.`,
    );
  }
  if (response.ok) return json;
  let code = /** @type {ErrorCode} */ ('internal');
  let message = `The server refused (HTTP ${response.status}).`;
  try {
    const error = obj(obj(json, 'error').error, 'error');
    const c = text(error.code, 'error code', 64);
    code = /** @type {ErrorCode} */ (CODES.includes(/** @type {ErrorCode} */ (c)) ? c : 'internal');
    message = text(error.message, 'error message', 1000);
  } catch {
    // Not Latchkey's error shape: keep the generic sentence.
  }
  const retry = Number(response.headers.get('retry-after'));
  throw new ApiError(response.status, code, capitalize(message), Number.isFinite(retry) && retry > 0 ? retry : null);
}

/** @param {string} s */
function capitalize(s) {
  const t = s.trim();
  const sentence = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}
