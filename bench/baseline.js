// The benchmarks' baseline: what a careful page author would write by hand, in plain
// JavaScript, to do the library's event work. It is NOT part of the package.
//
// Same work as the library's event path: listen to both prefixes for every known state
// (and the phone events), drop the twin under the second prefix (same suffix, same
// `detail` object), read only the plain fields of `detail` (never `currentCall`), check
// them as the library does (text fields 1-256 characters without control characters,
// known directions, `stateFlow`'s last entry dated when it is the event's own state),
// drop repeats of a call's current state, keep the call's history (mute and unmute in it,
// but not as the call's state: they toggle `muted`), its running ring, talk, hold and
// muted times, and the phone's object of the call (`dialog`, else `currentCall`, to act
// on it), forget it at `destroy` (remembering the last 32 forgotten ids, at most 32 live
// calls), and hand every subscriber a fresh plain object with the same fields as the
// library's CallEvent (a snapshot: the history is copied). A subscriber that throws does
// not stop the others.
//
// `run.mjs` bundles and minifies this file with esbuild for the start-up figure.

const JOREL = '_jorel-dialog-state-';
const ZIWO = 'ziwo-';
const STATES = ['requesting', 'trying', 'early', 'ringing', 'answering', 'active', 'held',
  'hangup', 'destroy', 'recovering', 'purge', 'mute', 'unmute'];
const PHONE_EVENTS = ['connected', 'disconnected', 'error', 'input-changed', 'output-changed'];
const DIRECTIONS = ['inbound', 'outbound', 'internal', 'service'];
const MAX_TEXT = 256;
const MAX_LIVE = 32;
const FORGOTTEN = 32;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function text(v) {
  if (typeof v === 'string') return v.length > 0 && v.length <= MAX_TEXT && !CONTROL.test(v) ? v : null;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
  return null;
}

function isEnding(s) { return s === 'hangup' || s === 'purge' || s === 'destroy'; }
const isObject = (v) => v !== null && (typeof v === 'object' || typeof v === 'function');

/** Enters call state `state` at `at`: closes the current state's span, as the library. */
function enter(call, state, at) {
  const span = at - call.at;
  if (call.state === 'active') call.talkMs += span;
  else if (call.state === 'held') call.holdMs += span;
  if (call.ringMs < 0) {
    if (state === 'ringing' || state === 'early') { if (call.ringStart < 0) call.ringStart = at; }
    else if (state !== 'requesting' && state !== 'trying') call.ringMs = call.ringStart < 0 ? 0 : Math.max(at - call.ringStart, 0);
  }
  if (isEnding(state)) {
    call.ended = true;
    if (call.mutedSince >= 0) { call.mutedMs += Math.max(at - call.mutedSince, 0); call.mutedSince = -1; }
  }
  call.state = state;
  call.at = at;
}

function snapshot(call, until = call.at) {
  const h = call.history;
  const history = new Array(h.length);
  for (let i = 0; i < h.length; i++) history[i] = { state: h[i].state, rawState: h[i].rawState, at: h[i].at };
  const open = Math.max(until - call.at, 0);
  return {
    callId: call.callId, primaryCallId: call.primaryCallId, customerNumber: call.customerNumber,
    direction: call.direction, state: call.state, rawState: call.state, at: call.at,
    startedAt: h[0].at, recovered: call.recovered, ended: call.ended, muted: call.mutedSince >= 0,
    ringMs: call.ringMs >= 0 ? call.ringMs : call.ringStart >= 0 ? Math.max(until - call.ringStart, 0) : 0,
    talkMs: call.talkMs + (call.state === 'active' ? open : 0), holdMs: call.holdMs + (call.state === 'held' ? open : 0),
    mutedMs: call.mutedMs + (call.mutedSince >= 0 ? Math.max(until - call.mutedSince, 0) : 0), history,
  };
}

function emit(list, event) {
  for (const f of list.slice()) {
    try { f(event); } catch (thrown) { Promise.reject(thrown); }
  }
}

/** Starts listening on `window`; returns the same subscription surface as the library's. */
export function createBaselinePhone() {
  const calls = [];
  const forgotten = [];
  const callListeners = [];
  const muteListeners = [];
  const phoneListeners = [];
  let prevJorel = false, prevSuffix = null, prevDetail = null;
  const removers = [];

  function isTwin(jorel, suffix, detail) {
    const twin = prevSuffix !== null && prevJorel !== jorel && prevSuffix === suffix && prevDetail === detail;
    if (twin) { prevSuffix = null; prevDetail = null; }
    else { prevJorel = jorel; prevSuffix = suffix; prevDetail = detail; }
    return twin;
  }

  function onCallEvent(jorel, state, event) {
    const d = event.detail;
    if (isTwin(jorel, state, d)) return;
    let id = null, primary = null, number = null, direction = 'unknown', at = Date.now(), control = null;
    if (d !== null && (typeof d === 'object' || typeof d === 'function')) {
      try {
        id = text(d.callID);
        const dialog = d.dialog;
        control = isObject(dialog) ? dialog : isObject(d.currentCall) ? d.currentCall : null;
        primary = text(d.primaryCallID);
        number = text(d.customerNumber);
        const dir = d.direction;
        if (DIRECTIONS.includes(dir)) direction = dir;
        const flow = d.stateFlow;
        const len = flow != null ? flow.length : 0;
        if (Number.isInteger(len) && len >= 1) {
          const last = flow[len - 1];
          const secs = last != null ? last.dateUNIX : undefined;
          if (last != null && last.state === state && typeof secs === 'number' && secs > 0 && secs < 1e11) at = secs * 1000;
        }
      } catch {
        id = null;
      }
    }
    if (id === null) return; // the library logs a warning here
    if (forgotten.includes(id)) return;
    let call = null, index = -1;
    for (let i = 0; i < calls.length; i++) if (calls[i].callId === id) { call = calls[i]; index = i; break; }
    const mute = state === 'mute' ? true : state === 'unmute' ? false : null;
    let previous = null;
    if (call === null) {
      if (state === 'destroy' || mute !== null) { if (mute === null) forget(id); return; }
      if (calls.length >= MAX_LIVE) evictStalest();
      call = { callId: id, primaryCallId: primary, customerNumber: number, direction, control,
        recovered: state === 'recovering', history: [{ state, rawState: state, at }], state, at,
        ringStart: state === 'ringing' || state === 'early' ? at : -1,
        ringMs: state === 'ringing' || state === 'early' || state === 'requesting' || state === 'trying' ? -1 : 0,
        talkMs: 0, holdMs: 0, mutedMs: 0, mutedSince: -1, ended: isEnding(state) };
      calls.push(call);
    } else {
      if (control !== null) call.control = control;
      const latest = Math.max(at, call.history[call.history.length - 1].at);
      if (mute !== null) {
        if (mute === (call.mutedSince >= 0) || call.ended) return;
        if (mute) call.mutedSince = latest;
        else { call.mutedMs += Math.max(latest - call.mutedSince, 0); call.mutedSince = -1; }
        call.history.push({ state, rawState: state, at: latest });
        if (muteListeners.length > 0) {
          const snap = snapshot(call, latest);
          emit(muteListeners, { callId: id, muted: mute, at: latest, call: snap });
        }
        return;
      }
      if (call.state === state) return;
      previous = call.state;
      if (primary !== null) call.primaryCallId = primary;
      if (number !== null) call.customerNumber = number;
      if (direction !== 'unknown') call.direction = direction;
      if (state === 'recovering') call.recovered = true;
      enter(call, state, latest);
      call.history.push({ state, rawState: state, at: latest });
      if (call.history.length > 64) call.history.splice(8, 1);
      if (state === 'destroy') { calls.splice(index, 1); forget(id); }
    }
    if (callListeners.length === 0) return;
    const snap = snapshot(call);
    emit(callListeners, {
      callId: snap.callId, primaryCallId: snap.primaryCallId, customerNumber: snap.customerNumber,
      direction: snap.direction, state: snap.state, rawState: snap.rawState, previousState: previous,
      at: snap.at, recovered: snap.recovered, call: snap,
    });
  }

  function forget(id) {
    if (forgotten.length >= FORGOTTEN) forgotten.shift();
    forgotten.push(id);
  }

  function evictStalest() {
    let i = 0;
    for (let j = 1; j < calls.length; j++) {
      if (calls[j].history[calls[j].history.length - 1].at < calls[i].history[calls[i].history.length - 1].at) i = j;
    }
    calls.splice(i, 1);
  }

  function onPhoneEvent(jorel, name, event) {
    const d = event.detail;
    if (isTwin(jorel, name, d)) return;
    if (phoneListeners.length === 0) return;
    const o = d !== null && typeof d === 'object' ? d : {};
    let e;
    try {
      if (name === 'connected') {
        const a = o.agent !== null && typeof o.agent === 'object' ? o.agent : {};
        e = { type: 'connected', agent: { ccLogin: text(a.ccLogin), firstName: text(a.firstName), lastName: text(a.lastName) },
          contactCenter: text(o.contactCenterName) };
      } else if (name === 'disconnected') {
        const message = text(o.message);
        const m = message === null ? '' : message.toLowerCase();
        e = { type: 'disconnected', message,
          reason: m === 'duplicate connection' ? 'duplicate-connection' : m === 'socket closed' ? 'socket-closed' : 'other' };
      } else if (name === 'error') {
        const code = typeof o.code === 'number' && Number.isInteger(o.code) ? o.code : null;
        const kinds = { 1001: 'protocol', 1002: 'media', 1003: 'missing-call', 1004: 'cannot-create-call', 1005: 'devices', 10051: 'no-input', 10052: 'no-output' };
        e = { type: 'error', code, kind: kinds[code] ?? 'unknown' };
      } else {
        e = { type: 'device-changed', device: name === 'input-changed' ? 'input' : 'output' };
      }
    } catch {
      return;
    }
    emit(phoneListeners, e);
  }

  for (const [names, handler] of [[STATES, onCallEvent], [PHONE_EVENTS, onPhoneEvent]]) {
    for (const name of names) {
      for (const prefix of [JOREL, ZIWO]) {
        const jorel = prefix === JOREL;
        const listener = (event) => handler(jorel, name, event);
        window.addEventListener(prefix + name, listener);
        removers.push(() => window.removeEventListener(prefix + name, listener));
      }
    }
  }

  function subscribe(list, listener) {
    if (typeof listener !== 'function') throw new TypeError('the listener must be a function');
    list.push(listener);
    return () => {
      const i = list.indexOf(listener);
      if (i >= 0) list.splice(i, 1);
    };
  }

  return {
    onCall: (listener) => subscribe(callListeners, listener),
    onMute: (listener) => subscribe(muteListeners, listener),
    onPhoneEvent: (listener) => subscribe(phoneListeners, listener),
    calls: () => calls.map((c) => snapshot(c, Date.now())),
    dispose() {
      removers.splice(0).forEach((r) => r());
      calls.length = 0;
      forgotten.length = 0;
      callListeners.length = 0;
      muteListeners.length = 0;
      phoneListeners.length = 0;
      prevDetail = null;
      prevSuffix = null;
    },
  };
}
