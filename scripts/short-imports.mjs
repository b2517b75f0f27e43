#!/usr/bin/env node
// Gives the wasm's imports from its own glue, their modules and the wasm's hashed
// exports short names, in the wasm and in the glue.
//
//   node scripts/short-imports.mjs dist/ziwo_webphone_bg.wasm dist/ziwo_webphone.js
//
// wasm-bindgen names each import of the glue after what it does plus a 16-digit hash
// (`__wbg_instanceof_HtmlScriptElement_02ceeef44cebe870`), and the name is written twice:
// in the wasm's import section and as a key of the glue's import object. The hashes do not
// compress. This step renames, in both files:
//   - the imports of module `./<glue>_bg.js` to `a`, `b`, ... `a0`, ... (the snippet's
//     imports, `js/events.js`, are imported by name from that module and keep theirs);
//   - the import modules (`./<glue>_bg.js`, `./snippets/<crate>-<hash>/js/events.js`), written
//     once per import (125 times), to `a`, `b`: keys of the glue's import object;
//   - the exports that wasm-bindgen names after a hash, the closures' invokers
//     (`wasm_bindgen__convert__closures_____invoke__h<16 hex digits>`), to `c0`, `c1`...:
//     the glue calls each once, as `wasm.<name>`.
// Every other export keeps its name.
//
// The import and export sections are re-encoded; every other section is copied byte for
// byte. The glue must hold each old name exactly where expected (an import name once, as a
// key of its import object; a module only as keys of that object; an export once, as
// `wasm.<name>`): anything else (a wasm-bindgen that writes its glue differently) stops the
// build rather than guess.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';

const [wasmPath, gluePath] = process.argv.slice(2);
if (!wasmPath || !gluePath) {
  console.error('usage: short-imports.mjs <module_bg.wasm> <module.js>');
  process.exit(2);
}
const MODULE = './' + basename(wasmPath, '.wasm') + '.js'; // ./ziwo_webphone_bg.js

const fail = (message) => {
  console.error(`short-imports: ${message}`);
  process.exit(1);
};

// ---- reading ---------------------------------------------------------------------------
const bytes = readFileSync(wasmPath);
let at = 0;
const u8 = () => {
  if (at >= bytes.length) fail('the wasm ends early');
  return bytes[at++];
};
const leb = () => {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = u8();
    value += (b & 0x7f) * 2 ** shift;
    if (!(b & 0x80)) return value;
    shift += 7;
    if (shift >= 35) fail('a LEB128 number is too long');
  }
};
const name = () => {
  const length = leb();
  const text = bytes.subarray(at, at + length).toString('utf8');
  at += length;
  return text;
};
/** Skips limits: flags, min, max when flag bit 0 (memory64 and shared only set bits). */
const limits = () => {
  const flags = u8();
  if (flags & ~0x07) fail(`unknown limits flags ${flags}`);
  leb();
  if (flags & 1) leb();
};
/** A one-byte value or reference type (GC's two-part reference types are not expected). */
const type = () => {
  const t = u8();
  if (t === 0x63 || t === 0x64) fail('a GC reference type in an import: not supported');
};
/** Skips an import's description (kind and type) and returns its bytes. */
const description = () => {
  const start = at;
  const kind = u8();
  if (kind === 0) leb(); // a function: its type index
  else if (kind === 1) { type(); limits(); } // a table: its reference type and limits
  else if (kind === 2) limits(); // a memory
  else if (kind === 3) { type(); u8(); } // a global: its value type and mutability
  else if (kind === 4) { u8(); leb(); } // a tag
  else fail(`unknown import kind ${kind}`);
  return { kind, bytes: bytes.subarray(start, at) };
};

if (bytes.readUInt32BE(0) !== 0x0061736d || bytes.readUInt32LE(4) !== 1) fail(`${wasmPath} is not a wasm module`);
at = 8;
const sections = [];
while (at < bytes.length) {
  const header = at;
  const id = u8();
  const size = leb();
  sections.push({ id, header, start: at, end: at + size });
  at += size;
}
const importSection = sections.find((s) => s.id === 2);
if (!importSection) fail('the wasm has no import section');
at = importSection.start;
const imports = [];
for (let n = leb(); n > 0; n--) imports.push({ module: name(), field: name(), ...description() });
if (at !== importSection.end) fail('the import section is longer than its imports');
const exportSection = sections.find((s) => s.id === 7);
if (!exportSection) fail('the wasm has no export section');
at = exportSection.start;
const exports = [];
for (let n = leb(); n > 0; n--) {
  const field = name();
  const start = at;
  u8();
  leb();
  exports.push({ field, bytes: bytes.subarray(start, at) });
}
if (at !== exportSection.end) fail('the export section is longer than its exports');

// ---- renaming --------------------------------------------------------------------------
/** `a` ... `z`, then `a0` ... : short, and never a name `Object.prototype` has. */
const shortName = (i) => (i < 26 ? String.fromCharCode(97 + i) : String.fromCharCode(97 + (i % 26)) + Math.floor(i / 26 - 1).toString(36));
let glue = readFileSync(gluePath, 'utf8');
let renamed = 0;
for (const entry of imports) {
  if (entry.module !== MODULE || entry.kind !== 0) continue;
  const old = entry.field;
  if (!/^__wb[a-zA-Z0-9_]+$/.test(old)) fail(`unexpected import name ${JSON.stringify(old)}`);
  const pattern = new RegExp(`\\b${old}\\b`, 'g');
  const uses = glue.match(pattern)?.length ?? 0;
  const key = new RegExp(`^ {8}${old}: function\\(`, 'm');
  if (uses !== 1 || !key.test(glue)) fail(`${old} is written ${uses} times in the glue, not once as an import key`);
  entry.field = shortName(renamed++);
  glue = glue.replace(pattern, entry.field);
}
if (renamed === 0) fail(`no import of ${MODULE}: is it the module's glue?`);

// The modules, as keys of the glue's import object (wasm-bindgen writes the snippet's once
// per import of it; the snippet's path stays in the glue's `import` statements, which
// scripts/wasm-package.sh then bundles).
const modules = [...new Set(imports.map((i) => i.module))];
modules.forEach((old, i) => {
  const quoted = JSON.stringify(old).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const keys = new RegExp(`^( {8})${quoted}(: \\w+,?)$`, 'gm');
  const short = String.fromCharCode(97 + i);
  const before = glue;
  glue = glue.replace(keys, `$1${JSON.stringify(short)}$2`);
  if (glue === before) fail(`module ${JSON.stringify(old)} is not a key of the glue's import object`);
  if (new RegExp(`^\\s*${quoted}\\s*:`, 'm').test(glue)) fail(`module ${JSON.stringify(old)} is still a key of the glue`);
  for (const entry of imports) if (entry.module === old) entry.module = short;
});

// The exports named after a hash.
let hashed = 0;
for (const entry of exports) {
  if (!/^wasm_bindgen__convert__closures_+invoke__h[0-9a-f]{16}$/.test(entry.field)) continue;
  const short = `c${hashed++}`;
  if (exports.some((e) => e.field === short)) fail(`the module already exports ${short}`);
  const access = new RegExp(`\\bwasm\\.${entry.field}\\b`, 'g');
  if (glue.match(access)?.length !== 1) fail(`${entry.field} is not used once as wasm.${entry.field} in the glue`);
  glue = glue.replace(access, `wasm.${short}`);
  entry.field = short;
}

// ---- writing ---------------------------------------------------------------------------
const lebBytes = (value) => {
  const out = [];
  do {
    let b = value % 128;
    value = Math.floor(value / 128);
    if (value) b |= 0x80;
    out.push(b);
  } while (value);
  return Buffer.from(out);
};
const nameBytes = (text) => {
  const b = Buffer.from(text, 'utf8');
  return Buffer.concat([lebBytes(b.length), b]);
};
const section = (id, body) => [Buffer.from([id]), lebBytes(body.length), body];
const importBody = Buffer.concat([lebBytes(imports.length), ...imports.flatMap((i) => [nameBytes(i.module), nameBytes(i.field), i.bytes])]);
const exportBody = Buffer.concat([lebBytes(exports.length), ...exports.flatMap((e) => [nameBytes(e.field), e.bytes])]);
if (importSection.end > exportSection.header) fail('the export section comes before the import section');
const out = Buffer.concat([
  bytes.subarray(0, importSection.header),
  ...section(2, importBody),
  bytes.subarray(importSection.end, exportSection.header),
  ...section(7, exportBody),
  bytes.subarray(exportSection.end),
]);
// A last check: the engine reads the new module, with the same imports and exports in the
// same order, of the same kinds, under the names given here.
const same = (a, b) => a.length === b.length && a.every((x, i) => x.kind === b[i].kind);
const named = (a, names) => a.every((x, i) => x.name === names[i].field && (x.module ?? names[i].module) === names[i].module);
const [oldModule, newModule] = [new WebAssembly.Module(bytes), new WebAssembly.Module(out)];
if (!same(WebAssembly.Module.imports(oldModule), WebAssembly.Module.imports(newModule))) {
  fail('the rewritten module does not have the same imports');
}
if (!same(WebAssembly.Module.exports(oldModule), WebAssembly.Module.exports(newModule))) {
  fail('the rewritten module does not have the same exports');
}
if (!named(WebAssembly.Module.imports(newModule), imports) || !named(WebAssembly.Module.exports(newModule), exports)) {
  fail('the rewritten module does not have the names given');
}
if (/\bwasm\.\w*invoke__h[0-9a-f]{16}\b/.test(glue)) fail('the glue still calls an export by its hashed name');
writeFileSync(wasmPath, out);
writeFileSync(gluePath, glue);
console.log(`short-imports: ${renamed} imports of ${MODULE}, ${modules.length} modules and ${hashed} exports renamed (${bytes.length - out.length} bytes fewer in the wasm)`);
