// The one JavaScript snippet of the Rust browser layer (src/browser/ imports it with
// `#[wasm_bindgen(module = "/js/events.js")]`): the mechanics that are smaller in
// JavaScript. Rust users and npm users run this same code; it makes no decisions.
// - `listen`: the window listeners of the phone's events; the twin of an event is dropped
//   here, before any call into wasm;
// - `readCall`/`readDate`, `readPhone`: reading an event's detail in one call;
// - the builders of the plain objects that JS listeners receive, and of errors.

// ---- listening ----------------------------------------------------------------------

/**
 * Listens to the phone's events on `window`: `names` alternate `_jorel-dialog-state-<x>`
 * and `ziwo-<x>` (even index: the first prefix). Drops the twin that core-front
 * dispatches under the second prefix with the very same detail, reads the detail
 * (`readCall` where `calls[index]` is 1, else `readPhone`) and calls
 * `handler(index, packed, date)`, the call's object kept meanwhile (`keepControl`), and
 * for good when the handler answers true (the call lives on). Returns the function that
 * removes every listener.
 */
export function listen(names, calls, handler) {
  // A copy: `calls` is a view of the module's memory, valid only during this call.
  const isCall = Array.from(calls);
  // The last detail seen per state (a pair of names) and under which prefix: a listener
  // may dispatch other events between an event and its twin (core-front answers from a
  // `ringing` handler), so one "previous event" is not enough.
  const last = [];
  let removed = false;
  const listeners = names.map((name, index) => {
    const listener = (event) => {
      const detail = event.detail;
      const pair = index >> 1;
      const seen = last[pair];
      if (seen !== undefined && seen[0] !== (index & 1) && Object.is(seen[1], detail)) {
        last[pair] = undefined;
        return;
      }
      last[pair] = [index & 1, detail];
      // Read now (the detail is live), in one call into wasm with the event. The
      // detail's getters are the page's code: they may have removed the listeners (and
      // freed the handler) meanwhile.
      const packed = isCall[index] ? readCall(detail) : readPhone(detail);
      const at = isCall[index] ? readDate() : NaN;
      // The call's object is there while the event is delivered (a listener may act on the
      // call); one kept for this event alone goes again when the layer says the call does
      // not live on (a late event after `destroy`, a mute of a call never seen).
      const fresh = isCall[index] && callKey !== undefined && keepControl(callKey, detail) ? callKey : undefined;
      if (!removed && !handler(index, packed, at) && fresh !== undefined) forgetControl(fresh);
    };
    window.addEventListener(name, listener);
    return [name, listener];
  });
  return () => {
    removed = true;
    for (const [name, listener] of listeners) window.removeEventListener(name, listener);
    last.length = 0;
  };
}

// ---- reading a call event's detail --------------------------------------------------
//
// One call reads the plain fields only (of `dialog` and `currentCall`, only the reference,
// kept in `controls`; never their content), each access guarded (getters may throw,
// proxies may be revoked). Each field is packed as 'S' + text (strings, and safe integers
// as decimal text), 'A' (absent) or 'O' (anything else, or text too long or holding a NUL),
// joined by NUL characters.
const MAX_TEXT = 256;
// Text with a lone surrogate cannot cross into Rust unchanged (it would become U+FFFD and
// two different ids one): it counts as "anything else".
const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const wellFormed = (s) => (typeof s.isWellFormed === 'function' ? s.isWellFormed() : !LONE.test(s));
const field = (v) => (v === undefined || v === null ? 'A'
  : typeof v === 'string' ? (v.length > MAX_TEXT || v.includes('\u0000') || !wellFormed(v) ? 'O' : 'S' + v)
  : Number.isSafeInteger(v) ? 'S' + v : 'O');
// A name that is only compared with known names (a direction, a state): any string may
// cross, a lone surrogate included (it then matches no name, as 'O' would).
const name = (v) => (v === undefined || v === null ? 'A'
  : typeof v === 'string' && v.length <= 64 && !v.includes('\u0000') ? 'S' + v : 'O');
const get = (o, key) => { try { return o[key]; } catch { return {}; } };
const isObject = (v) => v !== null && (typeof v === 'object' || typeof v === 'function');
let date;
// The key of the call `readCall` read last (its id's text), if it has a usable id.
let callKey;

// The phone's object to act on each call, by call id: `detail.dialog` (the verto dialog)
// when the event has one, else `detail.currentCall` (the SDK's Call). The Rust layer says
// whether to keep it (the handler's answer: the call lives on), reads it when it acts on the
// call (`control`) and forgets it when the call ends, is evicted or the phone is disposed
// (`forgetControl`). At most 64, a guard only: the layer tracks 32 calls at most.
const controls = new Map();
const dialogs = new Set(); // the ids whose object is a verto dialog
const MAX_CONTROLS = 64;

/** Keeps call `key`'s object from `detail` unless one is kept; true when it kept one now. */
function keepControl(key, detail) {
  // The phone keeps one live object per call: read it from the call's first event that
  // has one (the other events cost one lookup).
  if (controls.has(key)) return false;
  const dialog = get(detail, 'dialog');
  const object = isObject(dialog) ? dialog : get(detail, 'currentCall');
  if (!isObject(object)) return false;
  if (controls.size >= MAX_CONTROLS) forgetControl(controls.keys().next().value);
  controls.set(key, object);
  if (object === dialog) dialogs.add(key);
  return true;
}

/** The phone's object of call `id` (see `controls`), or undefined. */
export const control = (id) => controls.get(id);
/** Whether call `id`'s object came as an event's `dialog` (the verto dialog), not `currentCall`. */
export const isDialog = (id) => dialogs.has(id);
/** Forgets the object of call `id`: the call ended. */
export function forgetControl(id) {
  controls.delete(id);
  dialogs.delete(id);
}

/**
 * callID, primaryCallID, customerNumber, direction and the last stateFlow entry's state;
 * sets `date` (see `readDate`) and `callKey`.
 */
export function readCall(detail) {
  date = undefined;
  callKey = undefined;
  if (!isObject(detail)) return '';
  let state = 'A';
  let at;
  try {
    const flow = detail.stateFlow;
    const last = flow && flow.length > 0 ? flow[flow.length - 1] : undefined;
    if (last !== null && typeof last === 'object') {
      state = name(get(last, 'state'));
      at = get(last, 'dateUNIX');
    }
  } catch { /* a flow that throws is no flow */ }
  const rawId = get(detail, 'callID');
  const id = field(rawId);
  // Keyed by the id's text, as the Rust layer knows it (the phone's own string: its hash
  // is computed once).
  const key = id.charCodeAt(0) === 83 /* 'S': a usable id */ ? (typeof rawId === 'string' ? rawId : id.slice(1)) : undefined;
  const packed = id + '\u0000' + field(get(detail, 'primaryCallID')) + '\u0000' +
    field(get(detail, 'customerNumber')) + '\u0000' + name(get(detail, 'direction')) + '\u0000' + state;
  // Set last: a getter above may have dispatched an event whose reading set them too.
  date = at;
  callKey = key;
  return packed;
}

/** The last stateFlow entry's `dateUNIX` read by `readCall`, if a finite number; else NaN. */
export function readDate() {
  return typeof date === 'number' && Number.isFinite(date) ? date : NaN;
}

/**
 * The plain fields of a phone event's detail (`connected`, `disconnected`, `error`),
 * packed as `readCall` packs them: contactCenterName, agent.userInfo.ccLogin,
 * agent.userInfo.firstName, agent.userInfo.lastName, message, code. (ZIWO's SDK keeps
 * the agent's own fields in `agent.userInfo`, nothing at the top of `agent`.)
 */
export function readPhone(detail) {
  if (!isObject(detail)) return '';
  const agent = get(detail, 'agent');
  const info = isObject(agent) ? get(agent, 'userInfo') : undefined;
  const a = (key) => (isObject(info) ? get(info, key) : undefined);
  return [get(detail, 'contactCenterName'), a('ccLogin'), a('firstName'), a('lastName'), get(detail, 'message'),
    get(detail, 'code')].map(field).join('\u0000');
}

// ---- reading the page's values without letting its exceptions through ---------------
//
// A JS exception that unwinds through the module's Rust frames leaves its stack
// unbalanced: whatever the page hands in is read here, inside try/catch.

/**
 * When `value` is a thenable, calls `done(true, value)` or `done(false, error)` once it
 * settles (a `then` that throws is a rejection) and returns true; returns false, calling
 * nothing, for anything else (a `then` getter that throws included).
 */
export function settle(value, done) {
  let then;
  try {
    then = value !== null && (typeof value === 'object' || typeof value === 'function') ? value.then : undefined;
  } catch { /* no then */ }
  if (typeof then !== 'function') return false;
  let called = false;
  const once = (ok) => (v) => { if (!called) { called = true; done(ok, v); } };
  try { then.call(value, once(true), once(false)); } catch (e) { once(false)(e); }
  return true;
}

/** A copy of the page's array (`null`: not an array; `undefined`: reading it threw). */
export function items(value) {
  try { return Array.isArray(value) ? Array.from(value) : null; } catch { return undefined; }
}

/** `[key, value, key, value...]` of an object's own properties (`undefined`: reading threw). */
export function entries(value) {
  try { return Object.entries(value).flat(); } catch { return undefined; }
}

/** `fetch(url, init)` as a Promise, rejected when the page's `fetch` throws or is missing. */
export function request(url, init) {
  try { return Promise.resolve(fetch(url, init)); } catch (e) { return Promise.reject(e); }
}

/** The HTTP status of what `fetch` answered (0: none that can be read). */
export function status(response) {
  try {
    const s = response.status;
    return typeof s === 'number' && Number.isInteger(s) && s >= 0 && s < 1000 ? s : 0;
  } catch { return 0; }
}

// ---- the tabs' agreement on a call's pop-up -----------------------------------------

/**
 * Asks the CRM's tabs (this origin) which one does a call's one-time job (opens its pop-up,
 * delivers its record to the call log): the tab that gets the Web Lock `name`, taken with
 * `ifAvailable` (no tab waits for it). That tab holds it while `answer(1)`'s thenable is
 * pending (`holdMs` at most), or for `holdMs` when `answer(1)` returns true, while the other
 * tabs see the same call. `answer(1)` in that tab, `answer(0)` in the others, `answer(-1)`
 * where there are no Web Locks or they are refused (opaque origins): always once.
 */
export function claimAcrossTabs(name, holdMs, answer) {
  let locks;
  try { locks = navigator.locks; } catch { /* none */ }
  if (!locks || typeof locks.request !== 'function') {
    answer(-1);
    return;
  }
  let answered = false;
  const once = (value) => {
    if (answered) return false;
    answered = true;
    return answer(value);
  };
  // Chromium refuses a grant that comes while the page is opening a window ("the
  // provided callback is no longer runnable"): ask again. Refused for good (opaque
  // origins: SecurityError, or thrice): -1.
  const ask = (tries) => {
    let asked;
    try {
      asked = locks.request(name, { ifAvailable: true }, (lock) => {
        const hold = once(lock ? 1 : 0);
        if (!lock || !hold) return undefined;
        const timer = new Promise((resolve) => setTimeout(resolve, holdMs));
        return typeof hold.then === 'function' ? Promise.race([Promise.resolve(hold).catch(() => {}), timer]) : timer;
      });
    } catch {
      return once(-1);
    }
    asked.catch((e) => {
      if (answered) return;
      if (tries > 0 && !(e && e.name === 'SecurityError')) setTimeout(() => ask(tries - 1), 0);
      else once(-1);
    });
  };
  ask(3);
}

// ---- what JS listeners receive ------------------------------------------------------
//
// States and directions arrive as indexes into these tables (the order of
// `CallState::index` and `Direction::index` in src/core/state.rs).
const STATES = ['requesting', 'trying', 'early', 'ringing', 'answering', 'active', 'held', 'hangup',
  'destroy', 'recovering', 'purge', 'mute', 'unmute', 'unknown'];
const DIRECTIONS = ['inbound', 'outbound', 'internal', 'service', 'unknown'];
const UNKNOWN = 13;
const PHONE_TYPES = ['connected', 'disconnected', 'error', 'device-changed'];

const decoder = new TextDecoder();

/** The UTF-8 text of `bytes` (a view of the module's memory): short ASCII by hand, faster than the decoder. */
function utf8(bytes) {
  if (bytes.length > 128) return decoder.decode(bytes);
  let s = '';
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] > 127) return decoder.decode(bytes);
    s += String.fromCharCode(bytes[i]);
  }
  return s;
}

/**
 * A call's snapshot. `text`: the call id, the primary call id, the customer number, the
 * current state's name when it is unknown, then the names of the history's unknown states,
 * each followed by a NUL; `present`: 1 when there is a primary call id, 2 when there is a
 * customer number; `flags`: 1 recovered, 2 ended, 4 muted; `state` (an index) and `at`:
 * the current call state. `text`, `states` (indexes) and `ats` (the history) are views of
 * the module's memory: read now.
 */
export function snapshot(text, present, direction, flags, state, at, startedAt, ringMs, talkMs, holdMs, mutedMs, states, ats) {
  const parts = utf8(text).split('\u0000');
  const history = [];
  for (let k = 0, u = 4; k < states.length; k++) {
    const name = STATES[states[k]];
    history.push({ state: name, rawState: states[k] === UNKNOWN ? parts[u++] : name, at: ats[k] });
  }
  const name = STATES[state];
  return {
    callId: parts[0], primaryCallId: present & 1 ? parts[1] : null, customerNumber: present & 2 ? parts[2] : null,
    direction: DIRECTIONS[direction], state: name, rawState: state === UNKNOWN ? parts[3] : name, at,
    startedAt, recovered: (flags & 1) !== 0, ended: (flags & 2) !== 0, muted: (flags & 4) !== 0,
    ringMs, talkMs, holdMs, mutedMs, history,
  };
}

/**
 * A call's record for the call log: strings and history as `snapshot` takes them; `recovered`
 * 1 or 0; `answeredAt` NaN when the call was not answered; `cdr` (from `cdr`) or null, the
 * wait's status and error (or undefined).
 */
export function callRecord(text, present, direction, recovered, startedAt, answeredAt, endedAt, ringMs, talkMs, holdMs, mutedMs, states, ats,
  cdr, cdrStatus, cdrErrorCode, cdrErrorMessage) {
  const parts = utf8(text).split('\u0000');
  const history = [];
  for (let k = 0, u = 3; k < states.length; k++) {
    const name = STATES[states[k]];
    history.push({ state: name, rawState: states[k] === UNKNOWN ? parts[u++] : name, at: ats[k] });
  }
  const answered = !Number.isNaN(answeredAt);
  return {
    callId: parts[0], primaryCallId: present & 1 ? parts[1] : null, customerNumber: present & 2 ? parts[2] : null,
    direction: DIRECTIONS[direction], startedAt, answeredAt: answered ? answeredAt : null, endedAt,
    ringMs, talkMs, holdMs, mutedMs, answered, recovered: recovered === 1, history,
    cdr, cdrStatus: cdrStatus ?? null, cdrError: cdrErrorCode ? { code: cdrErrorCode, message: cdrErrorMessage } : null,
  };
}

const CDR_TEXT = ['callId', 'id', 'direction', 'disposition', 'hangupCause', 'hangupBy', 'recordingFile', 'didCalled',
  'callerIdNumber', 'callerIdName', 'agentCcLogin'];
const CDR_NUMBERS = ['durationS', 'holdTimeS', 'startedAt', 'answeredAt', 'endedAt'];

/**
 * A CDR: its strings (in `CDR_TEXT`'s order, each followed by a NUL; bit `i` of `present`
 * set when the `i`th is there), its numbers (NaN when absent) and the record as ZIWO sent
 * it (`fields`, every field kept).
 */
export function cdr(text, present, numbers, json) {
  const parts = utf8(text).split('\u0000');
  const out = {};
  CDR_TEXT.forEach((name, i) => { out[name] = present & (1 << i) ? parts[i] : null; });
  CDR_NUMBERS.forEach((name, i) => { out[name] = Number.isNaN(numbers[i]) ? null : numbers[i]; });
  out.fields = JSON.parse(json);
  return out;
}

/** What `onDropped` hears: why, and the record (or the unreadable entry's key). */
export const droppedRecord = (reason, record, key, error) => ({ reason, record, key: key ?? null, error });

/** The agent's microphone was muted or unmuted on call `c` (a snapshot). */
export const muteEvent = (muted, at, c) => ({ callId: c.callId, muted, at, call: c });

/** A transition (`previous`: a state's index, or -1) of the call `c` (a snapshot). */
export function callEvent(previous, c) {
  return {
    callId: c.callId, primaryCallId: c.primaryCallId, customerNumber: c.customerNumber,
    direction: c.direction, state: c.state, rawState: c.rawState,
    previousState: previous < 0 ? null : STATES[previous], at: c.at, recovered: c.recovered, call: c,
  };
}

/** A phone event of type `PHONE_TYPES[type]`. */
export function phoneEvent(type, a, b, c, d, code) {
  const text = (v) => v ?? null;
  switch (PHONE_TYPES[type]) {
    case 'connected':
      return { type: 'connected', agent: { ccLogin: text(a), firstName: text(b), lastName: text(c) }, contactCenter: text(d) };
    case 'disconnected':
      return { type: 'disconnected', reason: a, message: text(b) };
    case 'error':
      return { type: 'error', code: code ?? null, kind: a };
    default:
      return { type: 'device-changed', device: a };
  }
}

/** The agent connected to the phone (`WebPhone.ready()`). */
export const agent = (ccLogin, firstName, lastName, contactCenter) =>
  ({ ccLogin: ccLogin ?? null, firstName: firstName ?? null, lastName: lastName ?? null, contactCenter: contactCenter ?? null });

/** The stored session. */
export const session = (token, contactCenter, ccLogin) => ({ token, contactCenter, ccLogin: ccLogin ?? null });

/** What `onSessionChange` listeners receive: never the token. */
export const sessionChange = (signedIn, contactCenter, ccLogin, error) =>
  ({ signedIn, contactCenter: contactCenter ?? null, ccLogin: ccLogin ?? null, error: error ?? null });

/** An error of the library: a JS `Error` named `ZiwoError`, with its `code`. */
export function ziwoError(code, message, key, status) {
  const e = new Error(message);
  e.name = 'ZiwoError';
  e.code = code;
  if (key !== undefined) e.key = key;
  if (status !== undefined) e.status = status;
  return e;
}

/** A page's callback threw: re-raised where the page's error reporting sees it. */
export function report(thrown) {
  Promise.reject(thrown);
}
