// The benchmarks' workload: realistic call sequences dispatched on `window` exactly as
// ZIWO's phone (core-front) and the project's simulator (www/sim/jorel.js) dispatch them.
//
// - every event twice, `_jorel-dialog-state-<state>` then `ziwo-<state>`, with the SAME
//   detail object;
// - a NEW detail object per emission, holding the call's LIVE `stateFlow` array (the state
//   is pushed to it just before the emission, and it keeps growing) and the cyclic
//   `currentCall` / `dialog` objects (call -> phone -> calls -> call), with a
//   `rtcPeerConnection` getter that throws if anyone walks the call;
// - the repeated states core-front really emits.
//
// Inbound:  ringing, answering x2, active x2, held, active, hangup x2, destroy  (20 events, 7 transitions)
// Outbound: requesting, trying, early, active x2, hangup x2, destroy            (16 events, 6 transitions)

export const PREFIXES = ['_jorel-dialog-state-', 'ziwo-'];
export const INBOUND = ['ringing', 'answering', 'answering', 'active', 'active', 'held', 'active', 'hangup', 'hangup', 'destroy'];
export const OUTBOUND = ['requesting', 'trying', 'early', 'active', 'active', 'hangup', 'hangup', 'destroy'];
/** Real transitions per sequence (what a subscriber receives). */
export const TRANSITIONS = { inbound: 7, outbound: 6 };

// core-front's Verto singleton: every call points at it, and it points back at every call.
const phone = { sessid: 'bench-session', calls: [], connectedAgent: null, socket: { url: 'wss://bench.invalid', readyState: 1 } };
let seq = 0;

function newCall(direction) {
  seq += 1;
  const call = {
    verto: phone,
    callId: crypto.randomUUID(),
    phoneNumber: '+97150' + String(1000000 + (seq % 9000000)),
    direction,
    states: [], // THE stateFlow array: shared by every event of the call
    state: null,
    muted: false,
  };
  Object.defineProperty(call, 'rtcPeerConnection', {
    enumerable: true,
    get() { throw new Error('bench: currentCall.rtcPeerConnection was read'); },
  });
  call.channel = { stream: null, remoteStream: null, call };
  call.dialog = { callID: call.callId, direction, verto: phone, call, answer() {}, hangup() {} };
  phone.calls.push(call);
  return call;
}

// core-front's Call.pushState + ZiwoEvent.dispatchEvents.
function push(call, state, extra) {
  const date = new Date();
  call.states.push({ state, date, dateUNIX: date.getTime() / 1000 });
  call.state = state;
  const detail = Object.assign({}, extra, {
    type: state,
    callID: call.callId,
    customerNumber: call.phoneNumber,
    direction: call.direction,
    stateFlow: call.states,
    currentCall: call,
    dialog: call.dialog,
  });
  window.dispatchEvent(new CustomEvent(PREFIXES[0] + state, { detail }));
  window.dispatchEvent(new CustomEvent(PREFIXES[1] + state, { detail }));
  if (state === 'destroy') {
    const i = phone.calls.indexOf(call);
    if (i >= 0) phone.calls.splice(i, 1);
  }
}

const AGENT = { origin: 'agent' };
const CUSTOMER = { origin: 'customer' };

function sequence(direction, states) {
  const call = newCall(direction);
  let hangups = 0;
  for (const state of states) {
    if (state === 'hangup') push(call, state, hangups++ === 0 ? AGENT : CUSTOMER);
    else push(call, state);
  }
  return states.length * 2;
}

/**
 * Runs `count` full calls, alternating inbound and outbound (inbound first), synchronously.
 * Returns {events: dispatched events, transitions: CallEvents a tracker should deliver}.
 */
export function runCalls(count) {
  let events = 0;
  for (let i = 0; i < count; i++) {
    events += i % 2 === 0 ? sequence('inbound', INBOUND) : sequence('outbound', OUTBOUND);
  }
  const inbound = Math.ceil(count / 2);
  return { events, transitions: inbound * TRANSITIONS.inbound + (count - inbound) * TRANSITIONS.outbound };
}
