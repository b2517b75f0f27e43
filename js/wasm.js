// The WebAssembly module of ziwo-webphone and its ABI (src/js/mod.rs): strings in,
// strings and numbers out, one encoder and one decoder for every operation. Also the
// builders of what the module's answers become: the plain objects JS listeners receive,
// and errors.
//
// Importing this file touches nothing; `init()` fetches and instantiates the module once.

let wasm;
let loading;

/**
 * Fetches and instantiates the module once. `source`: its URL (a string, `URL` or
 * `Request`), a `Response` or a Promise of one, its bytes, or a compiled
 * `WebAssembly.Module`. By default the .wasm next to this module, which bundlers (Vite,
 * webpack 5) resolve.
 */
export function init(source) {
  if (!loading) {
    loading = (async () => {
      let s = await (source ?? new URL('ziwo_webphone_bg.wasm', import.meta.url));
      if (typeof s === 'string' || s instanceof URL || (typeof Request === 'function' && s instanceof Request)) s = await fetch(s);
      if (typeof Response === 'function' && s instanceof Response) {
        if (!s.ok) throw new Error(`failed to fetch the ziwo-webphone wasm: HTTP ${s.status}`);
        // Compiled from its bytes: whatever the server's Content-Type (streaming compilation
        // needs application/wasm), and the module is small.
        s = await s.arrayBuffer();
      }
      const result = await WebAssembly.instantiate(s);
      wasm = (result.instance ?? result).exports;
      // Another version's wasm (a stale cache) has other exports or another ABI: say so.
      let version;
      try { version = (run(KEYS), fields()).shift(); } catch { /* not this ABI */ }
      if (version !== ABI) {
        wasm = undefined;
        throw new Error('ziwo-webphone: the wasm is not this version\'s');
      }
      keys = fields().slice(1);
    })();
    loading.catch(() => { loading = undefined; });
  }
  return loading;
}

/** The ABI version this file speaks (`ABI_VERSION` in src/js/mod.rs). */
const ABI = '2';

// The operations of `ziwo_run` (src/js/mod.rs, module `op`): constants, which bundlers
// inline.
export const ERROR = 0;
export const INSTALL_PLAN = 1;
export const HTTP_URL = 2;
export const DIAL_NUMBER = 3;
export const SESSION_PLAN = 4;
export const SESSION = 5;
export const KEYS = 6;
export const IS_SESSION_KEY = 7;
export const CLAIM = 8;
export const EXPAND = 9;
export const PHONE_NEW = 10;
export const HANDLE_CALL = 11;
export const HANDLE_PHONE = 12;
export const POPUP = 13;
export const CLEAR_POPUP = 14;
export const CALLS = 15;
export const CONNECTION = 16;
export const PHONE_FREE = 17;
export const API_NEW = 18;
export const API_REQUEST = 19;
export const API_CHECK = 20;
export const API_SESSION_PLAN = 21;
export const API_FREE = 22;

/** `[token key, contact-center key, login key, claims key]` of localStorage. */
export let keys;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
let bytes;
let view;
let floats;

/** The module's memory as bytes (views are renewed when it grows). */
function bytesOf() {
  if (!bytes || bytes.buffer !== wasm.memory.buffer) {
    bytes = new Uint8Array(wasm.memory.buffer);
    view = new DataView(wasm.memory.buffer);
    floats = new Float64Array(wasm.memory.buffer);
  }
  return bytes;
}

/**
 * Runs operation `op` on the strings `args` (`undefined` or `null`: absent) of the phone
 * or client `handle`, with the numbers `a`-`d`. Returns its status; throws the error
 * when it failed.
 */
export function call(op, args, handle, a, b, c, d) {
  const status = run(op, args, handle, a, b, c, d);
  if (status < 0) throw failure();
  return status;
}

/** The most bytes of text one operation takes (3 per character, UTF-8's worst case). */
const MAX_INPUT = 1 << 20;

function run(op, list = [], handle = 0, a = 0, b = 0, c = 0, d = 0) {
  if (!wasm) throw new Error('ziwo-webphone: call load() (or init()) first');
  // Read once: a page's array (extraStates) may answer differently when read again.
  const args = Array.from(list);
  let size = 0;
  for (const s of args) {
    // Every caller passes text or nothing; anything else (a page's storage override...) is
    // refused here, before any page code could run in the middle of the encoding.
    if (s != null && typeof s !== 'string') throw error('not-text');
    size += 4 + (s == null ? 0 : s.length * 3);
  }
  const start = size > MAX_INPUT ? 0 : wasm.ziwo_input(size);
  if (!start) throw error('too-long');
  const m = bytesOf();
  let at = start;
  for (const s of args) {
    let len = -1;
    if (s != null) {
      // ASCII byte by byte (most strings here are short and ASCII), the rest by the encoder.
      len = 0;
      while (len < s.length && s.charCodeAt(len) < 128) m[at + 4 + len] = s.charCodeAt(len++);
      if (len < s.length) len += encoder.encodeInto(s.slice(len), m.subarray(at + 4 + len, start + size)).written;
    }
    view.setInt32(at, len, true);
    at += 4 + Math.max(len, 0);
  }
  return wasm.ziwo_run(op, handle, at - start, a, b, c, d);
}

/** The module's memory, for the benchmarks (bench/page.js); no page bundle keeps it. */
export const memory = () => wasm.memory;

/** The UTF-8 text of `m[start..end]`: short ASCII by hand (faster than the decoder). */
function text(m, start, end) {
  if (end - start > 32) return decoder.decode(m.subarray(start, end));
  let s = '';
  for (let i = start; i < end; i++) {
    if (m[i] > 127) return decoder.decode(m.subarray(start, end));
    s += String.fromCharCode(m[i]);
  }
  return s;
}

/**
 * The strings the last operation gave (`undefined`: absent). Read at once, in the same
 * task: the next operation (a FinalizationRegistry callback's too) replaces them.
 */
export function fields() {
  const m = bytesOf();
  const header = wasm.ziwo_output();
  let at = view.getUint32(header, true);
  const end = at + view.getUint32(header + 4, true);
  const out = [];
  while (at < end) {
    const len = view.getInt32(at, true);
    at += 4;
    out.push(len < 0 ? undefined : text(m, at, (at += len)));
  }
  return out;
}

/** The numbers the last operation gave. */
export function numbers() {
  bytesOf();
  const header = wasm.ziwo_output();
  const at = view.getUint32(header + 8, true) / 8; // an f64 array: 8-aligned
  const out = [];
  for (let i = 0, n = view.getUint32(header + 12, true); i < n; i++) out.push(floats[at + i]);
  return out;
}

/** The strings of operation `op`'s answer (it throws its error). */
export const answer = (op, args, handle, a) => (call(op, args, handle, a), fields());

/** An error of the library: a JS `Error` named `ZiwoError`, with its `code`. */
function failure() {
  const [code, message, key] = fields();
  const [status] = numbers();
  const e = new Error(message);
  e.name = 'ZiwoError';
  e.code = code;
  if (key !== undefined) e.key = key;
  if (!Number.isNaN(status)) e.status = status;
  return e;
}

/** The error of `code` (the module gives its message; `detail`: what the phone threw). */
export function error(code, detail) {
  run(ERROR, [code, detail]);
  return failure();
}

// ---- what listeners receive ---------------------------------------------------------
//
// States and directions arrive as indexes into these tables (kept in the order of
// `CallState::index` and `Direction::index` in src/core/state.rs).
const STATES = ['requesting', 'trying', 'early', 'ringing', 'answering', 'active', 'held', 'hangup',
  'destroy', 'recovering', 'purge', 'mute', 'unmute', 'unknown'];
const DIRECTIONS = ['inbound', 'outbound', 'internal', 'service', 'unknown'];
const UNKNOWN = 13;

// The last answer's strings and numbers, and how far `nextCall` has read them.
let f;
let n;
let i;
let j;

/** Starts reading the last operation's answer. */
function answered() {
  f = fields();
  n = numbers();
  i = j = 0;
}

/** The next call of the answer (`Out::call` in src/js/mod.rs). */
function nextCall() {
  const [callId, primaryCallId, customerNumber] = f.slice(i, (i += 3));
  const [direction, recovered, ended, startedAt, ringMs, talkMs, holdMs, count] = n.slice(j, (j += 8));
  const history = [];
  for (let k = 0; k < count; k++) {
    const index = n[j + k];
    const state = STATES[index];
    history.push({ state, rawState: index === UNKNOWN ? f[i++] : state, at: n[j + count + k] });
  }
  j += 2 * count;
  const { state, rawState, at } = history[count - 1];
  return {
    callId, primaryCallId: primaryCallId ?? null, customerNumber: customerNumber ?? null,
    direction: DIRECTIONS[direction], state, rawState, at,
    startedAt, recovered: recovered === 1, ended: ended === 1, ringMs, talkMs, holdMs, history,
  };
}

/**
 * The transition that `HANDLE_CALL` just answered, as `onCall` listeners receive it (a
 * new object at each call).
 */
export function callEvent() {
  answered();
  const previous = n[j++];
  const c = nextCall();
  return {
    callId: c.callId, primaryCallId: c.primaryCallId, customerNumber: c.customerNumber,
    direction: c.direction, state: c.state, rawState: c.rawState,
    previousState: previous < 0 ? null : STATES[previous], at: c.at, recovered: c.recovered, call: c,
  };
}

/** The live calls of phone `handle`, durations up to now. */
export function calls(handle) {
  call(CALLS, [], handle, Date.now());
  answered();
  return Array.from({ length: n[j++] }, nextCall);
}

/** The phone event that `HANDLE_PHONE` just answered. */
export function phoneEvent() {
  const [type, a, b, c, d] = fields();
  const [code] = numbers();
  const text = (v) => v ?? null;
  switch (type) {
    case 'connected':
      return { type, agent: { ccLogin: text(a), firstName: text(b), lastName: text(c) }, contactCenter: text(d) };
    case 'disconnected':
      return { type, reason: a, message: text(b) };
    case 'error':
      return { type, code: Number.isNaN(code) ? null : code, kind: a };
    default:
      return { type, device: a };
  }
}

/** The session from its three stored strings: `{token, contactCenter, ccLogin}` or null. */
export function session(stored) {
  if (!call(SESSION, stored)) return null;
  const [token, contactCenter, ccLogin] = fields();
  return { token, contactCenter, ccLogin: ccLogin ?? null };
}

/**
 * What `onSessionChange` listeners receive, from the three stored strings (`undefined`:
 * localStorage threw). The token is checked, never included.
 */
export function sessionChange(stored) {
  let s = null;
  let e = null;
  try {
    if (!stored) throw error('storage-unavailable');
    s = session(stored);
  } catch (thrown) {
    e = thrown;
  }
  return { signedIn: s !== null, contactCenter: s && s.contactCenter, ccLogin: s && s.ccLogin, error: e };
}
