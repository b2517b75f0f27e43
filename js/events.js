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
