// Reading a call event's detail, shared by the Rust browser layer (src/browser/read.rs
// imports it as a wasm-bindgen snippet) and the JS facade (js/index.js), which both hand
// the packed fields to the wasm.
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
