// The benches' one table, printed whatever happens: each part runs on its own, a part that fails
// is reported after the rows the others made, and the process then exits with status 1.
/** @typedef {[string, string, string, string]} Row */

/**
 * @returns {{
 *   row: (what: string, value: string, baseline?: string, ratio?: string) => void,
 *   part: (name: string, fn: () => Promise<void> | void) => Promise<void>,
 *   finish: () => void,
 * }}
 */
export function benchTable() {
  /** @type {Row[]} */
  const rows = [];
  /** @type {string[]} */
  const failures = [];
  const print = () => {
    const header = /** @type {Row} */ (['benchmark', 'value', 'baseline (same run)', 'ratio']);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (/** @type {string[]} */ r) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
    console.log(line(header));
    console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
    for (const r of rows) console.log(line(r));
  };
  return {
    row: (what, value, baseline = '', ratio = '') => void rows.push([what, value, baseline, ratio]),
    async part(name, fn) {
      try {
        await fn();
      } catch (e) {
        failures.push(`${name}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      }
    },
    finish() {
      print();
      for (const f of failures) console.error(`bench part failed, ${f}`);
      if (failures.length) process.exitCode = 1;
    },
  };
}
