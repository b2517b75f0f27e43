// The JavaScript side of the phone's events, one module shared by the Rust browser layer
// (src/browser/phone.rs, read.rs and convert.rs import it as a wasm-bindgen snippet) and
// the npm package's facade (scripts/build.sh points js/index.js's import at the snippet
// that the glue imports, so that a page loads it once):
// - `listen`: the window listeners of the phone's events; the twin of an event is dropped
//   here, before any call into wasm;
// - `readCall`/`readDate`: reading a call event's detail in one call;
// - the builders of the plain objects that JS listeners receive.

// ---- listening ----------------------------------------------------------------------

/**
 * Listens to the phone's events on `window`: `names` alternate `_jorel-dialog-state-<x>`
 * and `ziwo-<x>` (even index: the first prefix). Drops the twin that core-front
 * dispatches under the second prefix with the very same detail, then calls
 * `handler(index, detail)`. Returns the function that removes every listener.
 */
export function listen(names, handler) {
  let previous = -1;
  let previousDetail;
  const listeners = names.map((name, index) => {
    const listener = (event) => {
      const detail = event.detail;
      const twin = previous >= 0 && previous >> 1 === index >> 1 && (previous & 1) !== (index & 1) &&
        Object.is(previousDetail, detail);
      previous = twin ? -1 : index;
      previousDetail = twin ? undefined : detail;
      if (!twin) handler(index, detail);
    };
    window.addEventListener(name, listener);
    return [name, listener];
  });
  return () => {
    for (const [name, listener] of listeners) window.removeEventListener(name, listener);
    previousDetail = undefined;
  };
}

// ---- reading a call event's detail --------------------------------------------------
//
// One call reads the plain fields only (never `currentCall` or `dialog`), each access
// guarded (getters may throw, proxies may be revoked). Each field
// is packed as 'S' + text (strings, and safe integers as decimal text), 'A' (absent) or 'O'
// (anything else, or text too long or holding a NUL), joined by NUL characters.
const MAX_TEXT = 256;
const field = (v) => (v === undefined || v === null ? 'A'
  : typeof v === 'string' ? (v.length > MAX_TEXT || v.includes('\u0000') ? 'O' : 'S' + v)
  : Number.isSafeInteger(v) ? 'S' + v : 'O');
const get = (o, key) => { try { return o[key]; } catch { return {}; } };
let date;

/** callID, primaryCallID, customerNumber, direction and the last stateFlow entry's state. */
export function readCall(detail) {
  date = undefined;
  if (detail === null || (typeof detail !== 'object' && typeof detail !== 'function')) return '';
  let state = 'A';
  try {
    const flow = detail.stateFlow;
    const last = flow && flow.length > 0 ? flow[flow.length - 1] : undefined;
    if (last !== null && typeof last === 'object') {
      state = field(get(last, 'state'));
      date = get(last, 'dateUNIX');
    }
  } catch { /* a flow that throws is no flow */ }
  return field(get(detail, 'callID')) + '\u0000' + field(get(detail, 'primaryCallID')) + '\u0000' +
    field(get(detail, 'customerNumber')) + '\u0000' + field(get(detail, 'direction')) + '\u0000' + state;
}

/** The last stateFlow entry's `dateUNIX` read by `readCall`, if a finite number; else NaN. */
export function readDate() {
  return typeof date === 'number' && Number.isFinite(date) ? date : NaN;
}

// ---- building the objects JS listeners receive ----------------------------------------
//
// Builds the plain objects that JS listeners receive, from the values the wasm passes in
// one call: object literals are far cheaper than setting properties one by one from wasm.
// States and directions arrive as indexes into these tables (kept in the order of
// `CallState::index` and `Direction::index` in src/core/state.rs).
const STATES = ['requesting', 'trying', 'early', 'ringing', 'answering', 'active', 'held', 'hangup',
  'destroy', 'recovering', 'purge', 'mute', 'unmute', 'unknown'];
const DIRECTIONS = ['inbound', 'outbound', 'internal', 'service', 'unknown'];
const UNKNOWN = 13;

/** One call's snapshot. `raws` holds the names of its unknown states, in order, '\n'-separated. */
export function snapshot(callId, primaryCallId, customerNumber, direction, recovered, ended,
  startedAt, ringMs, talkMs, holdMs, states, ats, raws) {
  const unknown = raws === '' ? [] : raws.split('\n');
  let u = 0;
  const history = new Array(states.length);
  for (let i = 0; i < states.length; i++) {
    const state = STATES[states[i]];
    history[i] = { state, rawState: states[i] === UNKNOWN ? unknown[u++] : state, at: ats[i] };
  }
  const last = history[history.length - 1];
  return {
    callId, primaryCallId: primaryCallId || null, customerNumber: customerNumber || null,
    direction: DIRECTIONS[direction], state: last.state, rawState: last.rawState, at: last.at,
    startedAt, recovered, ended, ringMs, talkMs, holdMs, history,
  };
}

/** A call event around its snapshot; `previous` is -1 for the first event of a call. */
export function callEvent(call, previous) {
  return {
    callId: call.callId, primaryCallId: call.primaryCallId, customerNumber: call.customerNumber,
    direction: call.direction, state: call.state, rawState: call.rawState,
    previousState: previous < 0 ? null : STATES[previous], at: call.at, recovered: call.recovered, call,
  };
}

/** A non-call event of the phone; `a`-`d` and `code` as `PhoneEvent::to_js` passes them. */
export function phoneEvent(type, a, b, c, d, code) {
  const text = (v) => v ?? null;
  switch (type) {
    case 'connected':
      return { type, agent: { ccLogin: text(a), firstName: text(b), lastName: text(c) }, contactCenter: text(d) };
    case 'disconnected':
      return { type, reason: a, message: text(b) };
    case 'error':
      return { type, code: code ?? null, kind: a };
    default:
      return { type, device: a };
  }
}

/** A session; without `token` for what other tabs' changes report. */
export function session(token, contactCenter, ccLogin) {
  const s = { contactCenter, ccLogin: ccLogin ?? null };
  return token === undefined ? s : { token, ...s };
}

/** What `onSessionChange` listeners receive. */
export function sessionChange(s, error) {
  return { signedIn: s !== null, contactCenter: s ? s.contactCenter : null, ccLogin: s ? s.ccLogin : null, error };
}

/** An error of the library: a JS `Error` named `ZiwoError`, with its `code`. */
export function error(code, message, key, status) {
  const e = new Error(message);
  e.name = 'ZiwoError';
  e.code = code;
  if (key !== undefined) e.key = key;
  if (status !== undefined) e.status = status;
  return e;
}
