// @ts-check
/** Presentation helpers: how codes and account details read. No OTP logic here. */

/**
 * "123456" → "123 456", "12345678" → "1234 5678", "1234567" → "123 4567"; short codes as they are.
 * @param {string} code
 */
export function groupCode(code) {
  if (code.length < 6) return code;
  const half = Math.floor(code.length / 2);
  return `${code.slice(0, half)} ${code.slice(half)}`;
}

/** @param {{issuer: string | null, account: string | null, site: string, name: string}} a */
export function metaLine(a) {
  const parts = [];
  if (a.issuer && a.issuer !== a.name) parts.push(a.issuer);
  if (a.account) parts.push(a.account);
  if (a.site !== a.name || parts.length === 0) parts.push(a.site);
  return parts.join(' · ');
}

/** @param {{kind: string, algorithm: string, digits: number, period: number | null}} d */
export function typeLine(d) {
  if (d.kind === 'steam') return `Steam Guard, ${d.digits} characters, every ${d.period ?? 30} s`;
  return `Time-based, ${d.algorithm}, ${d.digits} digits, every ${d.period ?? 30} s`;
}

/**
 * How long ago the vault was synced: "just now", "5 min ago", "3 h ago", "2 days ago".
 * @param {number} at @param {number} now Unix milliseconds
 */
export function ago(at, now) {
  const minutes = Math.floor(Math.max(0, now - at) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} days ago`;
}
