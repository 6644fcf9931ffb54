// @ts-check
// No line of the files Biome formats runs over its line width: Biome breaks code, but it leaves a
// long comment or string as it is. Run by `./build.sh test` (lint); prints each offending line.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const config = JSON.parse(readFileSync(join(ROOT, 'biome.json'), 'utf8'));
/** @type {number} */
const width = config.formatter.lineWidth;
/** @type {string[]} */
const patterns = config.files.includes;
const wanted = patterns.filter((p) => !p.startsWith('!'));
const skipped = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));

const files = execFileSync(
  'git',
  ['ls-files', '--cached', '--others', '--exclude-standard', ...wanted.map((p) => `:(glob)${p}`)],
  {
    cwd: ROOT,
    encoding: 'utf8',
  },
)
  .split('\n')
  .filter((f) => f && !skipped.some((dir) => f.startsWith(`${dir}/`)));

let over = 0;
for (const file of files) {
  readFileSync(join(ROOT, file), 'utf8')
    .split('\n')
    .forEach((line, i) => {
      const length = [...line].length;
      if (length <= width) return;
      over++;
      console.log(`${file}:${i + 1}: ${length} characters (the formatter's width is ${width})`);
    });
}
console.log(`line width: ${files.length} files checked, ${over} lines over ${width}`);
process.exit(over ? 1 : 0);
