// In-page side of bench/run.mjs (loaded by events.html). Every figure is taken with
// performance.now() inside the page; run.mjs only drives and prints.

import { runCalls } from './workload.js';

const LIBRARY = '/dist/index.js';
// The wasm-bindgen glue: called again once loaded, its default export (`init`) returns
// the module's exports (`.memory`), the instance index.js loaded.
const GLUE = '/dist/ziwo_webphone.js';
const BASELINE = '/cache/baseline.min.js';

const gc = () => { if (typeof window.gc === 'function') window.gc(); };
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

// The subscriber: the same tiny function for the library and the baseline.
let delivered = 0;
let lastEvent = null;
function subscriber(event) {
  delivered += 1;
  lastEvent = event;
}

/** Sets up one variant; returns its teardown. */
async function setUp(variant) {
  if (variant === 'none') return () => {};
  if (variant === 'baseline') {
    const { createBaselinePhone } = await import(BASELINE);
    const phone = createBaselinePhone();
    const off = phone.onCall(subscriber);
    return () => { off(); phone.dispose(); };
  }
  const { createWebPhone } = await import(LIBRARY);
  const phone = await createWebPhone();
  if (variant === 'library-nosub') return () => phone.dispose();
  const off = phone.onCall(subscriber);
  return () => { off(); phone.dispose(); };
}

async function timed(variant, calls) {
  const tearDown = await setUp(variant);
  delivered = 0;
  gc();
  await tick();
  const t0 = performance.now();
  const { events, transitions } = runCalls(calls);
  const ms = performance.now() - t0;
  tearDown();
  return { variant, ms, events, transitions, delivered };
}

function shape(value) {
  if (Array.isArray(value)) return value.length ? [shape(value[0])] : [];
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, shape(value[k])]));
  }
  return value === null ? 'null' : typeof value;
}

/**
 * Both trackers listening at once to the same 4 calls: are the events they hand their
 * subscribers equal, field by field (the baseline is a fair stand-in)?
 */
export async function equivalence() {
  const { createWebPhone } = await import(LIBRARY);
  const { createBaselinePhone } = await import(BASELINE);
  const lib = await createWebPhone();
  const base = createBaselinePhone();
  const a = [];
  const b = [];
  lib.onCall((e) => a.push(e));
  base.onCall((e) => b.push(e));
  runCalls(4);
  lib.dispose();
  base.dispose();
  const la = JSON.stringify(a);
  const lb = JSON.stringify(b);
  let firstDifference = null;
  if (la !== lb) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      if (JSON.stringify(a[i]) !== JSON.stringify(b[i])) {
        firstDifference = { index: i, library: a[i], baseline: b[i] };
        break;
      }
    }
  }
  return { library: a.length, baseline: b.length, identical: la === lb, sameShape: JSON.stringify(shape(a[0])) === JSON.stringify(shape(b[0])), firstDifference };
}

/**
 * Cost per event. Warm-up, then `runs` rounds; each round times every variant once,
 * in a rotating order, with a forced GC before each timed run.
 */
export async function events({ calls, runs, warmupCalls, variants }) {
  for (const v of variants) await timed(v, warmupCalls);
  for (const v of variants) await timed(v, warmupCalls);
  const out = Object.fromEntries(variants.map((v) => [v, []]));
  for (let r = 0; r < runs; r++) {
    for (let i = 0; i < variants.length; i++) {
      const v = variants[(i + r) % variants.length];
      out[v].push(await timed(v, calls));
    }
  }
  return out;
}

/** Runs `calls` calls in chunks, letting the event loop turn between them. */
async function callsInChunks(calls, chunk) {
  for (let done = 0; done < calls; done += chunk) {
    runCalls(Math.min(chunk, calls - done));
    await tick();
  }
}

/**
 * Memory after `calls` calls through the tracker and `cycles` subscribe/unsubscribe
 * cycles, each after a warm-up; wasm memory is read from the module's own
 * `WebAssembly.Memory` (the exports' `memory`, which the glue's `init` returns once loaded).
 */
export async function memory({ variant, warmCalls, calls, warmCycles, cycles, chunk }) {
  let phone;
  let wasmMemory = null;
  if (variant === 'library') {
    const { createWebPhone } = await import(LIBRARY);
    phone = await createWebPhone();
    // Same module instance as index.js's import (same URL): `init` returns its exports.
    wasmMemory = (await (await import(GLUE)).default()).memory;
  } else {
    const { createBaselinePhone } = await import(BASELINE);
    phone = createBaselinePhone();
  }
  const settle = async () => {
    for (let i = 0; i < 4; i++) {
      gc();
      await tick();
    }
  };
  const measure = async () => {
    await settle();
    return {
      heap: performance.memory ? performance.memory.usedJSHeapSize : null,
      wasm: wasmMemory ? wasmMemory.buffer.byteLength : null,
    };
  };
  const start = await measure();

  // 1. Calls through the tracker, one subscriber.
  delivered = 0;
  const off = phone.onCall(subscriber);
  await callsInChunks(warmCalls, chunk);
  const callsWarm = await measure();
  const t0 = performance.now();
  await callsInChunks(calls, chunk);
  const callsMs = performance.now() - t0;
  const callsAfter = await measure();
  off();
  lastEvent = null;
  const callsDelivered = delivered;
  const liveCalls = phone.calls().length;

  // 2. Subscribe / unsubscribe cycles, a new listener function each time.
  const cycle = (n) => {
    for (let i = 0; i < n; i++) {
      const unsubscribe = phone.onCall((e) => { lastEvent = e; });
      unsubscribe();
    }
  };
  cycle(warmCycles);
  const subsWarm = await measure();
  const t1 = performance.now();
  for (let done = 0; done < cycles; done += chunk) {
    cycle(Math.min(chunk, cycles - done));
    await tick();
  }
  const cyclesMs = performance.now() - t1;
  const subsAfter = await measure();
  phone.dispose();
  return { variant, start, callsWarm, callsAfter, callsMs, callsDelivered, liveCalls, subsWarm, subsAfter, cyclesMs };
}
