#!/usr/bin/env node
// Builds the <script>-tag flavour of the library, for pages with no bundler and no module
// syntax: dist/index.js and the wasm-bindgen glue it imports, bundled by esbuild into one
// classic script that defines `window.ZiwoWebPhone` (the same exports as the ES module).
//
//   dist/ziwo-webphone.global.js       readable
//   dist/ziwo-webphone.global.min.js   minified (its size, raw and gzip -9, is printed)
//   dist/ziwo-webphone.global.d.ts     `declare var ZiwoWebPhone: typeof import('./index.js')`
//
// index.js finds its .wasm with `new URL('ziwo_webphone_companion_bg.wasm', import.meta.url)`
// (the companion's: this build has no REST client). A
// classic script has no `import.meta`, so `import.meta.url` is replaced by the URL of the
// <script> element itself, read from `document.currentScript` while the script is being
// evaluated (later, e.g. inside `createWebPhone()`, `document.currentScript` is null or
// another script). The .wasm is therefore found next to the script, wherever it is served
// from; `ZiwoWebPhone.load(url)` still overrides it.
//
// Run by scripts/build.sh after dist/ is built; `node scripts/build-global.mjs` alone
// rebuilds the global files from the current dist/.
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const dist = new URL('../dist/', import.meta.url);
const file = (name) => new URL(name, dist).pathname;

// `import.meta.url` -> this identifier, defined by the banner at the top of the IIFE, i.e.
// evaluated synchronously with the script. Without `currentScript` (the script evaluated
// by eval, or a module), fall back to the page's URL: `load(url)` then says where the .wasm is.
const SCRIPT_URL = '__ziwoScriptUrl';
const banner =
  `var ${SCRIPT_URL} = (typeof document !== 'undefined' && document.currentScript && document.currentScript.src)` +
  ` || (typeof location !== 'undefined' ? location.href : '');`;

const common = {
  entryPoints: [file('index.js')],
  bundle: true,
  format: 'iife',
  globalName: 'ZiwoWebPhone',
  platform: 'browser',
  // What the wasm-bindgen glue and index.js already need (private fields, ??, async).
  target: ['es2022'],
  define: { 'import.meta.url': SCRIPT_URL },
  logLevel: 'warning',
  // wasm-bindgen's glue names the one snippet once per import of it, as keys of one object
  // literal (the same value each time): harmless; scripts/wasm-package.sh silences it too.
  logOverride: { 'duplicate-object-key': 'silent' },
  legalComments: 'none',
};

// esbuild puts the banner before `var ZiwoWebPhone = (() => { ... })();`, so the captured
// URL would be a second global. Wrap the whole bundle instead: one global, nothing else.
const wrap = (code) =>
  `/* ziwo-webphone: script-tag build; defines window.ZiwoWebPhone. MIT OR Apache-2.0 */\n` +
  `var ZiwoWebPhone = (function () {\n'use strict'; // as the ES module it comes from\n${banner}\n${code}\nreturn ZiwoWebPhone;\n})();\n`;

async function bundle(minify) {
  const result = await build({ ...common, minify, write: false });
  const code = result.outputFiles[0].text;
  if (code.includes('import.meta')) throw new Error('import.meta survived in the global build');
  return wrap(code);
}

const [readable, minified] = await Promise.all([bundle(false), bundle(true)]);
writeFileSync(file('ziwo-webphone.global.js'), readable);
writeFileSync(file('ziwo-webphone.global.min.js'), minified);
writeFileSync(
  file('ziwo-webphone.global.d.ts'),
  `// Types of the script-tag build (dist/ziwo-webphone.global.js): the global \`ZiwoWebPhone\`.
// In a TypeScript project: /// <reference path="node_modules/ziwo-webphone/dist/ziwo-webphone.global.d.ts" />
declare var ZiwoWebPhone: typeof import('./index.js');
`
);

// The same exports as the ES module, no more, no less.
const expected = Object.keys(await import(file('index.js'))).sort();
const actual = (() => {
  const sandbox = {};
  new Function('window', 'document', 'location', `${minified}; window.ZiwoWebPhone = ZiwoWebPhone;`)(sandbox, undefined, undefined);
  return Object.keys(sandbox.ZiwoWebPhone).sort();
})();
if (JSON.stringify(expected) !== JSON.stringify(actual)) {
  throw new Error(`global build exports ${actual} but the ES module exports ${expected}`);
}

const kb = (n) => (n / 1024).toFixed(1) + ' KB';
const gz = (s) => gzipSync(Buffer.from(s), { level: 9 }).length;
const wasm = readFileSync(file('ziwo_webphone_companion_bg.wasm'));
console.log(
  `built dist/ziwo-webphone.global.js (${kb(readable.length)}) and .global.min.js: ` +
    `${kb(minified.length)} minified, ${kb(gz(minified))} gzip -9 ` +
    `(+ ziwo_webphone_companion_bg.wasm, ${kb(wasm.length)}, ${kb(gz(wasm))} gzip -9); exports: ${actual.join(', ')}`
);
