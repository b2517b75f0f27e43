#!/usr/bin/env node
// Micro-measurements of the npm wasm's ABI in Node (not a page): what one operation of
// js/wasm.js costs, and what a tracked call event costs with and without building the
// CallEvent. Figures only; nothing is asserted.
//
//   ./scripts/build.sh && node bench/micro-abi.mjs [dist-dir]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = process.argv[2] ?? fileURLToPath(new URL('../dist', import.meta.url));
const w = await import(dir + '/wasm.js');
await w.init(readFileSync(dir + '/ziwo_webphone_bg.wasm'));

/** Runs `f(i)` `n` times after a warm-up; prints ns per `per` (f does `per` of them). */
const time = (label, n, f, per = 1) => {
  for (let i = 0; i < 2000; i++) f(-1 - i);
  const start = performance.now();
  for (let i = 0; i < n; i++) f(i);
  console.log(`${label.padEnd(46)} ${(((performance.now() - start) * 1e6) / n / per).toFixed(0).padStart(6)} ns`);
};

const phone = w.call(w.PHONE_NEW, []);
const names = w.fields();
const index = Object.fromEntries(names.map((name, i) => [name.replace('_jorel-dialog-state-', ''), i]));
const packed = (id, state) => `S${id}\u0000A\u0000S+971501234567\u0000Sinbound\u0000S${state}`;

time('an operation without strings (CONNECTION)', 200000, () => w.call(w.CONNECTION, [], phone));
time('an operation with a 60-character string', 200000, () => w.call(w.IS_SESSION_KEY, [packed('call-1', 'ringing')]));
time('an operation answering 5 strings (KEYS)', 200000, () => { w.call(w.KEYS, []); return w.fields(); });

const STATES = ['ringing', 'answering', 'active', 'held', 'active', 'hangup', 'destroy'];
let at = 1_700_000_000;
const calls = (wanted) => (i) => {
  for (const state of STATES) {
    const what = w.call(w.HANDLE_CALL, [packed('call-' + i, state)], phone, index[state], at++, Date.now(), wanted);
    if (wanted && what) w.callEvent();
  }
};
for (const [label, wanted] of [['a call event, tracked only', 0], ['a call event, CallEvent built', 1]]) {
  const run = calls(wanted);
  time(`${label} (per event)`, 20000, run, STATES.length);
}
