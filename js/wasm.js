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
      keys = (run(KEYS), fields());
    })();
    loading.catch(() => { loading = undefined; });
  }
  return loading;
}

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
export const EVENT = 13;
export const PHONE_EVENT = 14;
export const POPUP = 15;
export const CLEAR_POPUP = 16;
export const CALLS = 17;
export const CONNECTION = 18;
export const PHONE_FREE = 19;
export const API_NEW = 20;
export const API_REQUEST = 21;
export const API_CHECK = 22;
export const API_SESSION_PLAN = 23;
export const API_FREE = 24;

/** `[token key, contact-center key, login key, claims key]` of localStorage. */
export let keys;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
let bytes;
let view;

/** The module's memory as bytes (views are renewed when it grows). */
function bytesOf() {
  if (!bytes || bytes.buffer !== wasm.memory.buffer) {
    bytes = new Uint8Array(wasm.memory.buffer);
    view = new DataView(wasm.memory.buffer);
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

function run(op, args = [], handle = 0, a = 0, b = 0, c = 0, d = 0) {
  if (!wasm) throw new Error('ziwo-webphone: call load() (or init()) first');
  let size = 0;
  for (const s of args) size += 4 + (s == null ? 0 : s.length * 3);
  const start = wasm.ziwo_input(size);
  const m = bytesOf();
  let at = start;
  for (const s of args) {
    const len = s == null ? -1 : encoder.encodeInto(s, m.subarray(at + 4, start + size)).written;
    view.setInt32(at, len, true);
    at += 4 + Math.max(len, 0);
  }
  return wasm.ziwo_run(op, handle, at - start, a, b, c, d);
}

/** The module's memory, for the benchmarks (bench/page.js); no page bundle keeps it. */
export const memory = () => wasm.memory;

/** The strings the last operation gave (`undefined`: absent). */
export function fields() {
  const m = bytesOf();
  const header = wasm.ziwo_output();
  let at = view.getUint32(header, true);
  const end = at + view.getUint32(header + 4, true);
  const out = [];
  while (at < end) {
    const len = view.getInt32(at, true);
    at += 4;
    out.push(len < 0 ? undefined : decoder.decode(m.subarray(at, (at += len))));
  }
  return out;
}

/** The numbers the last operation gave. */
export function numbers() {
  bytesOf();
  const header = wasm.ziwo_output();
  const at = view.getUint32(header + 8, true);
  return Array.from(new Float64Array(wasm.memory.buffer, at, view.getUint32(header + 12, true)));
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

/** Reads the calls of the last operation's answer (`Out::call` in src/js/mod.rs) in order. */
function reader() {
  const f = fields();
  const n = numbers();
  let i = 0;
  let j = 0;
  return {
    number: () => n[j++],
    call() {
      const [callId, primaryCallId, customerNumber] = f.slice(i, (i += 3));
      const [direction, recovered, ended, startedAt, ringMs, talkMs, holdMs, count] = n.slice(j, (j += 8));
      const history = [];
      for (let k = 0; k < count; k++) {
        const index = n[j + k];
        const state = STATES[index];
        history.push({ state, rawState: index === UNKNOWN ? f[i++] : state, at: n[j + count + k] });
      }
      j += 2 * count;
      const last = history[count - 1];
      return {
        callId, primaryCallId: primaryCallId ?? null, customerNumber: customerNumber ?? null,
        direction: DIRECTIONS[direction], state: last.state, rawState: last.rawState, at: last.at,
        startedAt, recovered: recovered === 1, ended: ended === 1, ringMs, talkMs, holdMs, history,
      };
    },
  };
}

/** The last transition of phone `handle`, as `onCall` listeners receive it. */
export function callEvent(handle) {
  call(EVENT, [], handle);
  const r = reader();
  const previous = r.number();
  const c = r.call();
  return {
    callId: c.callId, primaryCallId: c.primaryCallId, customerNumber: c.customerNumber,
    direction: c.direction, state: c.state, rawState: c.rawState,
    previousState: previous < 0 ? null : STATES[previous], at: c.at, recovered: c.recovered, call: c,
  };
}

/** The live calls of phone `handle`, durations up to now. */
export function calls(handle) {
  call(CALLS, [], handle, Date.now());
  const r = reader();
  return Array.from({ length: r.number() }, r.call);
}

/** The last phone event of phone `handle`. */
export function phoneEvent(handle) {
  const [type, a, b, c, d] = answer(PHONE_EVENT, [], handle);
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
