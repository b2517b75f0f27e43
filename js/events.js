// The JavaScript side of the phone's events, one module shared by the Rust browser layer
// (src/browser/phone.rs and read.rs import it as a wasm-bindgen snippet) and the npm
// package's facade (js/index.js):
// - `listen`: the window listeners of the phone's events; the twin of an event is dropped
//   here, before any call into wasm;
// - `readCall`/`readDate`, `readPhone`: reading an event's detail in one call.

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
const isObject = (v) => v !== null && (typeof v === 'object' || typeof v === 'function');
let date;

/** callID, primaryCallID, customerNumber, direction and the last stateFlow entry's state. */
export function readCall(detail) {
  date = undefined;
  if (!isObject(detail)) return '';
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

/**
 * The plain fields of a phone event's detail (`connected`, `disconnected`, `error`),
 * packed as `readCall` packs them: contactCenterName, agent.ccLogin, agent.firstName,
 * agent.lastName, message, code.
 */
export function readPhone(detail) {
  if (!isObject(detail)) return '';
  const agent = get(detail, 'agent');
  const a = (key) => (isObject(agent) ? get(agent, key) : undefined);
  return [get(detail, 'contactCenterName'), a('ccLogin'), a('firstName'), a('lastName'), get(detail, 'message'),
    get(detail, 'code')].map(field).join('\u0000');
}
