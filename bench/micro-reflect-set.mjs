#!/usr/bin/env node
// Micro-benchmark behind a suggestion in BENCHMARKS.md (cost per event): building an object
// of the CallEvent's shape (about 40 properties, a history of 1-7 entries) the way the wasm
// does today, one generic `Reflect.set` per property through wasm-bindgen's `handleError`
// wrapper, against object literals. Pure JS in Node's V8: no wasm crossing is counted, so
// the real gap in the browser is larger. A measurement; nothing is asserted.
//
//   node bench/micro-reflect-set.mjs

function handleError(f, args) {
  try {
    return f.apply(this, args);
  } catch (e) {
    throw e;
  }
}
// The shape of wasm-bindgen's import for `Reflect::set` (a `catch` import).
const imports = { set: function () { return handleError(function (a, b, c) { return Reflect.set(a, b, c); }, arguments); } };

const CALL_KEYS = ['callId', 'primaryCallId', 'customerNumber', 'direction', 'state', 'rawState', 'at', 'startedAt', 'recovered', 'ended', 'ringMs', 'talkMs', 'holdMs'];
const EVENT_KEYS = ['callId', 'primaryCallId', 'customerNumber', 'direction', 'state', 'rawState', 'previousState', 'at', 'recovered'];

function generic(n) {
  const call = {};
  for (const k of CALL_KEYS) imports.set(call, k, 1);
  const history = new Array(n);
  for (let i = 0; i < n; i++) {
    const e = {};
    imports.set(e, 'state', 'active');
    imports.set(e, 'rawState', 'active');
    imports.set(e, 'at', i);
    history[i] = e;
  }
  imports.set(call, 'history', history);
  const event = {};
  for (const k of EVENT_KEYS) imports.set(event, k, 1);
  imports.set(event, 'call', call);
  return event;
}

function literal(n) {
  const history = new Array(n);
  for (let i = 0; i < n; i++) history[i] = { state: 'active', rawState: 'active', at: i };
  const call = { callId: 1, primaryCallId: 1, customerNumber: 1, direction: 1, state: 1, rawState: 1, at: 1, startedAt: 1, recovered: 1, ended: 1, ringMs: 1, talkMs: 1, holdMs: 1, history };
  return { callId: 1, primaryCallId: 1, customerNumber: 1, direction: 1, state: 1, rawState: 1, previousState: 1, at: 1, recovered: 1, call };
}

let sink;
const N = 300_000;
for (const round of [1, 2]) {
  for (const [name, build] of [['generic Reflect.set via handleError', generic], ['object literals', literal]]) {
    const t0 = performance.now();
    for (let i = 0; i < N; i++) sink = build(1 + (i % 7));
    const ns = ((performance.now() - t0) * 1e6) / N;
    console.log(`round ${round}: ${name.padEnd(36)} ${ns.toFixed(0).padStart(6)} ns per CallEvent`);
  }
}
if (!sink) console.log('');
