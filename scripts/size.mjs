#!/usr/bin/env node
// Prints the gzipped size of what a page ships for the release build (dist/): the wasm,
// wasm-bindgen's JS glue and the package entry, each minified as a production bundler
// would (esbuild) and gzipped at level 9. Exits 1 when a budget is exceeded.
//
//   node scripts/size.mjs            # figures + budget check
//   node scripts/size.mjs --json     # figures as JSON (for BENCHMARKS.md)
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { transformSync } from 'esbuild';

const BUDGET_BYTES = 20 * 1024; // issue #2: the companion, wasm + JS glue, gzipped

const dist = new URL('../dist/', import.meta.url);
const gz = (buf) => gzipSync(buf, { level: 9 }).length;
const minified = (file) => Buffer.from(transformSync(readFileSync(new URL(file, dist), 'utf8'), { minify: true, format: 'esm' }).code);

const parts = [
  { name: 'ziwo_webphone_bg.wasm', bytes: readFileSync(new URL('ziwo_webphone_bg.wasm', dist)) },
  { name: 'ziwo_webphone.js (glue, minified)', bytes: minified('ziwo_webphone.js') },
  { name: 'index.js (entry, minified)', bytes: minified('index.js') },
].map((p) => ({ name: p.name, raw: p.bytes.length, gzip: gz(p.bytes) }));
const total = { raw: parts.reduce((s, p) => s + p.raw, 0), gzip: parts.reduce((s, p) => s + p.gzip, 0) };

if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ parts, total, budget: BUDGET_BYTES }, null, 2));
} else {
  const kb = (n) => (n / 1024).toFixed(1).padStart(6) + ' KB';
  console.log('What a page ships (release build), raw and gzip -9:');
  for (const p of parts) console.log(`  ${p.name.padEnd(36)} ${kb(p.raw)} ${kb(p.gzip)}`);
  console.log(`  ${'total'.padEnd(36)} ${kb(total.raw)} ${kb(total.gzip)}   budget ${kb(BUDGET_BYTES)} gzip`);
}
if (total.gzip > BUDGET_BYTES) {
  console.error(`size: ${total.gzip} B gzipped is over the budget of ${BUDGET_BYTES} B`);
  process.exit(1);
}
