#!/usr/bin/env node
// Prints the gzipped size of what a page ships for the release build (dist/): the wasm,
// wasm-bindgen's JS glue and the package entry, each minified as a production bundler
// would (esbuild) and gzipped at level 9.
//
// Two figures are checked. TARGET is issue #2's budget for the companion (20 KB gzipped):
// it is NOT met today, and this script says by how much (see BENCHMARKS.md for why and
// what it would take). CEILING is the regression guard CI enforces: the measured size
// plus a small margin, lowered whenever the size goes down. Exits 1 above the ceiling.
//
//   node scripts/size.mjs            # figures + budget check
//   node scripts/size.mjs --json     # figures as JSON (for BENCHMARKS.md)
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { transformSync } from 'esbuild';

const TARGET_BYTES = 20 * 1024; // issue #2: the companion, wasm + JS glue, gzipped
const CEILING_BYTES = 46 * 1024; // regression guard: measured 44.0 KB on 2026-11-29

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
  console.log(JSON.stringify({ parts, total, target: TARGET_BYTES, ceiling: CEILING_BYTES }, null, 2));
} else {
  const kb = (n) => (n / 1024).toFixed(1).padStart(6) + ' KB';
  console.log('What a page ships (release build), raw and gzip -9:');
  for (const p of parts) console.log(`  ${p.name.padEnd(36)} ${kb(p.raw)} ${kb(p.gzip)}`);
  console.log(`  ${'total'.padEnd(36)} ${kb(total.raw)} ${kb(total.gzip)}`);
  const miss = total.gzip - TARGET_BYTES;
  console.log(miss > 0
    ? `  target (issue #2) ${kb(TARGET_BYTES).trim()} gzip: NOT MET, over by ${kb(miss).trim()}`
    : `  target (issue #2) ${kb(TARGET_BYTES).trim()} gzip: met, ${kb(-miss).trim()} to spare`);
  console.log(`  regression ceiling ${kb(CEILING_BYTES).trim()} gzip (enforced)`);
}
if (total.gzip > CEILING_BYTES) {
  console.error(`size: ${total.gzip} B gzipped is over the regression ceiling of ${CEILING_BYTES} B`);
  process.exit(1);
}
