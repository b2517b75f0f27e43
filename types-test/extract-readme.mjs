#!/usr/bin/env node
// Copies every ```js / ```ts (javascript, typescript, mjs) code block of README.md into
// types-test/readme/, one module per block (block-<line>.js or .ts), for `tsc -p types-test`.
// The free names the README's snippets take for granted (`phone`, `accessToken`, ...) are
// declared once in readme-globals.d.ts; a block that declares one itself shadows it.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const readme = new URL('../README.md', import.meta.url);
const out = new URL('./readme/', import.meta.url);
const EXT = { js: 'js', javascript: 'js', mjs: 'js', ts: 'ts', typescript: 'ts' };

rmSync(out, { recursive: true, force: true });
mkdirSync(out);
const lines = readFileSync(readme, 'utf8').split('\n');
let count = 0;
for (let i = 0; i < lines.length; i++) {
  const open = /^```([\w-]+)/.exec(lines[i]);
  if (!open) continue;
  const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l));
  if (end < 0) throw new Error(`README.md:${i + 1}: unclosed code block`);
  const ext = EXT[open[1].split(',')[0].toLowerCase()];
  if (ext) {
    // `export {}` makes each block a module: top-level await is allowed and its names are its own.
    const body = lines.slice(i + 1, end).join('\n');
    writeFileSync(new URL(`block-${i + 1}.${ext}`, out), `// README.md line ${i + 1}\n${body}\nexport {};\n`);
    count++;
  }
  i = end;
}
if (count === 0) throw new Error('no js/ts code block found in README.md');
console.log(`extracted ${count} code blocks of README.md into types-test/readme/`);
