#!/usr/bin/env node
// Makes the companion's wasm: the package's one module without the REST client.
//
//   node scripts/companion-wasm.mjs <full_bg.wasm> <companion_bg.wasm> [wasm-opt feature flags...]
//
// The npm package is one build of the crate and one glue. `ziwo-webphone/full` loads that
// module as built (`ziwo_webphone_bg.wasm`); a page that only imports `ziwo-webphone` has
// no use for the REST client's exports (the JS class `Api`: `api_*`, `__wbg_api_free`), so
// it loads this copy of the same module with those exports removed and the code that only
// they reach dropped (binaryen's wasm-metadce, which removes module elements and optimises
// nothing: every function left is the full module's code, only renumbered, so it runs as
// fast). Nothing is compiled twice and nothing
// is written twice: the rest of the module, its imports' names and the glue are the same,
// and a page that imports both entries loads the full module only (js/index.js, `load`).
//
// Checks what it wrote: the same exports but the REST client's, no import the full
// module does not have.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [fullPath, outPath, ...features] = process.argv.slice(2);
if (!fullPath || !outPath) {
  console.error('usage: companion-wasm.mjs <full_bg.wasm> <companion_bg.wasm> [wasm-opt feature flags...]');
  process.exit(2);
}
const fail = (message) => {
  console.error(`companion-wasm: ${message}`);
  process.exit(1);
};
const module = (path) => new WebAssembly.Module(readFileSync(path));
// The exports of the JS class `Api` (src/browser/bindings.rs, `JsApi`), named: a new one
// must be added here on purpose, not removed by a pattern.
const REST_CLIENT = ['api_new', 'api_send', 'api_login', 'api_forCallLog', '__wbg_api_free'];

const full = module(fullPath);
const exports = WebAssembly.Module.exports(full).map((e) => e.name);
const missing = REST_CLIENT.filter((name) => !exports.includes(name));
if (missing.length) fail(`${fullPath} lacks the REST client's exports ${missing.join(', ')}`);
const unknown = exports.filter((name) => /^api_/.test(name) && !REST_CLIENT.includes(name));
if (unknown.length) fail(`unknown exports of the REST client: ${unknown.join(', ')}: list them in REST_CLIENT (or keep them)`);
const kept = exports.filter((name) => !REST_CLIENT.includes(name));

// The graph: one root that reaches every export kept (an export the graph does not name is
// removed).
const graph = [{ name: 'root', root: true, reaches: kept.map((_, i) => `e${i}`) }, ...kept.map((name, i) => ({ name: `e${i}`, export: name }))];
const dir = mkdtempSync(join(tmpdir(), 'ziwo-companion-'));
try {
  const graphFile = join(dir, 'graph.json');
  writeFileSync(graphFile, JSON.stringify(graph));
  const run = (tool, args) => {
    const r = spawnSync(tool, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) fail(`${tool} failed (${r.error?.message ?? `status ${r.status}`})`);
  };
  run('wasm-metadce', [...features, '--graph-file', graphFile, fullPath, '-o', outPath]);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const companion = module(outPath);
const have = WebAssembly.Module.exports(companion).map((e) => e.name);
if (have.length !== kept.length || kept.some((name) => !have.includes(name))) {
  fail(`the companion's exports are not the full module's but the REST client's: ${have.join(' ')}`);
}
const key = (i) => `${i.module}\n${i.name}\n${i.kind}`;
const fullImports = new Set(WebAssembly.Module.imports(full).map(key));
const extra = WebAssembly.Module.imports(companion).filter((i) => !fullImports.has(key(i)));
if (extra.length) fail(`the companion imports what the full module does not: ${extra.map((i) => i.name).join(', ')}`);

const size = (path) => readFileSync(path).length;
console.log(`companion-wasm: ${outPath}, ${size(outPath)} B (the full module ${size(fullPath)} B, without ${exports.length - kept.length} exports of the REST client)`);
