//! Helpers shared by the browser tests: dispatching the phone's events the way ZIWO's
//! SDK does, and stubbing the page's `window.open`, storage and dial function.
#![allow(dead_code)]

use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
const calls = new Map();
export function callDetail(callID, state, number, direction, extra) {
  // A call object like core-front's: cyclic, with a getter that throws, and a live
  // stateFlow array shared by every event of the call.
  let call = calls.get(callID);
  if (!call) {
    call = { callID, stateFlow: [] };
    const phone = { calls: [call] };
    call.phone = phone;
    call.self = call;
    Object.defineProperty(call, 'rtcPeerConnection', { get() { throw new Error('never read me'); } });
    calls.set(callID, call);
  }
  const date = new Date();
  call.stateFlow.push({ state, date, dateUNIX: date.getTime() / 1000 });
  return Object.assign({ type: state, callID, customerNumber: number, direction,
    stateFlow: call.stateFlow, currentCall: call, dialog: call }, extra || {});
}
export function dispatch(name, detail) {
  window.dispatchEvent(new CustomEvent(name, { detail }));
}
export function dispatchBoth(suffix, detail) {
  window.dispatchEvent(new CustomEvent('_jorel-dialog-state-' + suffix, { detail }));
  window.dispatchEvent(new CustomEvent('ziwo-' + suffix, { detail }));
}
export function dispatchPlain(name) {
  window.dispatchEvent(new Event(name));
}
export function emitCall(callID, state, number, direction, extra) {
  dispatchBoth(state, callDetail(callID, state, number, direction, extra));
}
export function throwingDetail() {
  return { get callID() { throw new Error('boom'); }, customerNumber: '+1' };
}
export function revokedProxy() {
  const r = Proxy.revocable({}, {});
  r.revoke();
  return r.proxy;
}
export function hugeString(n) { return 'x'.repeat(n); }

let realOpen;
export const opened = [];
export function stubOpen(blocked) {
  if (!realOpen) realOpen = window.open;
  opened.length = 0;
  window.open = function (url, target, features) {
    opened.push({ url, target, features });
    return blocked ? null : { opener: 'page', closed: false };
  };
}
export function openedUrls() { return opened.map(o => o.url); }
export function restoreOpen() { if (realOpen) window.open = realOpen; }

export function setDialFunction(kind) {
  const calls = [];
  window.__dialed = calls;
  if (kind === 'ok') window['_jorel-callPhoneNumber'] = n => { calls.push(n); };
  else if (kind === 'throws') window['_jorel-callPhoneNumber'] = () => { throw new Error('Agent not connected'); };
  else if (kind === 'rejects') window['_jorel-callPhoneNumber'] = () => Promise.reject(new Error('rejected by phone'));
  else if (kind === 'resolves') window['_jorel-callPhoneNumber'] = n => new Promise(r => setTimeout(() => { calls.push(n); r(); }, 10));
  else if (kind === 'hangs') window['_jorel-callPhoneNumber'] = n => { calls.push(n); return new Promise(() => {}); };
  else if (kind === 'quotes') window['_jorel-callPhoneNumber'] = n => { throw new Error('no agent for ' + n + ' with ' + localStorage.getItem('_jorel-token')); };
  else delete window['_jorel-callPhoneNumber'];
}
export function setDialFunctionLater(ms) {
  const calls = [];
  window.__dialed = calls;
  delete window['_jorel-callPhoneNumber'];
  setTimeout(() => { window['_jorel-callPhoneNumber'] = n => { calls.push(n); }; }, ms);
}
export function dialed() { return (window.__dialed || []).slice(); }

const storageProto = Object.getPrototypeOf(window.localStorage);
const ownStorage = Object.getOwnPropertyDescriptor(window, 'localStorage');
const realSet = storageProto.setItem;
const realGet = storageProto.getItem;
export function breakStorage(mode) {
  if (mode === 'unreadable') {
    // Reading the second key throws (a page's override, a revoked storage).
    storageProto.getItem = function (k) {
      if (k === '_jorel-ccName') throw new DOMException('denied', 'SecurityError');
      return realGet.call(this, k);
    };
  } else if (mode === 'quota') {
    storageProto.setItem = function (k, v) {
      if (k === '_jorel-ccName' || k === '_jorel-default-size') throw new DOMException('full', 'QuotaExceededError');
      return realSet.call(this, k, v);
    };
  } else if (mode === 'claims') {
    // The pop-up claims record cannot be read; every other key can.
    storageProto.getItem = function (k) {
      if (k === '_ziwo-webphone-popups') throw new DOMException('denied', 'SecurityError');
      return realGet.call(this, k);
    };
  } else if (mode === 'missing') {
    Object.defineProperty(window, 'localStorage', { configurable: true, get() { throw new DOMException('denied', 'SecurityError'); } });
  }
}
export function repairStorage() {
  storageProto.setItem = realSet;
  storageProto.getItem = realGet;
  if (ownStorage) Object.defineProperty(window, 'localStorage', ownStorage);
  else delete window.localStorage;
}
export function storageEvent(key, newValue) {
  window.dispatchEvent(new StorageEvent('storage', { key, newValue, storageArea: window.localStorage }));
}
export function sessionStorageEvent(key) {
  window.dispatchEvent(new StorageEvent('storage', { key, storageArea: window.sessionStorage }));
}
export function removeLoader() {
  const s = document.getElementById('jorelScriptLoader');
  if (s) s.remove();
}
let sawToken;
export function watchPrepend() {
  sawToken = undefined;
  const body = document.body;
  body.prepend = function (...nodes) {
    sawToken = localStorage.getItem('_jorel-token');
    delete body.prepend;
    return Element.prototype.prepend.apply(this, nodes);
  };
}
export function tokenAtPrepend() { return sawToken; }
export function loaderCount() { return document.querySelectorAll('#jorelScriptLoader').length; }
export function sleep(ms) { return new Promise(r => setTimeout(r, ms)); }

// Web Locks: another holder of a lock (another tab of the CRM, say).
let releaseHeld;
export function hasLocks() { return !!(navigator.locks && typeof navigator.locks.request === 'function'); }
export function holdLock(name) {
  // Resolves once the lock is held; held until releaseLock().
  return new Promise((granted) => {
    navigator.locks.request(name, () => new Promise((release) => { releaseHeld = release; granted(); }));
  });
}
export function releaseLock() { if (releaseHeld) { releaseHeld(); releaseHeld = undefined; } }
// Resolves once every request for the lock made before this one has run (requests are
// granted in order).
export function lockTurn(name) { return navigator.locks.request(name, () => {}); }
// Whether some holder has the lock now.
export async function lockHeld(name) {
  const state = await navigator.locks.query();
  return state.held.some((lock) => lock.name === name);
}

export function agentDetail(userInfo, topLevel, contactCenterName) {
  // A `connected` detail as ZIWO's SDK shapes it: the agent's own fields in
  // agent.userInfo, next to queues, numbers, webRtc, position.
  const agent = Object.assign({ userInfo, queues: [], numbers: [], webRtc: {}, position: { password: 'sip-secret' } },
    topLevel || {});
  return { agent, contactCenterName };
}

// ---- acting on a call (web_control.rs) ----
// A phone's call with both kinds of object. `sent` records every method called on them
// (what the phone would send); the SDK's `Call` dispatches as core-front does: `active`
// inside answer(), mute/unmute inside mute()/unmute(), hangup, purge and destroy inside
// hangup(). `held` after hold() comes only when the test emits it (the server).
const fakeCalls = new Map();
const fakeSent = [];
function emitFake(id, state) {
  const c = fakeCalls.get(id);
  const date = new Date();
  c.flow.push({ state, date, dateUNIX: date.getTime() / 1000 });
  const detail = { callID: id, customerNumber: '+15550100', direction: 'inbound', stateFlow: c.flow };
  if (c.shape === 'dialog') detail.dialog = c.object;
  if (c.shape === 'call' || c.shape === 'dialog') detail.currentCall = c.sdk;
  for (const p of ['_jorel-dialog-state-', 'ziwo-']) window.dispatchEvent(new CustomEvent(p + state, { detail }));
}
export function makeCall(id, shape, options) {
  const o = options || {};
  const record = (target, method) => function (...args) {
    fakeSent.push(target + '.' + method + '(' + args.join(',') + ')');
    if (o.throws === method) throw new Error('refused with token ' + localStorage.getItem('_jorel-token') + ' to ' + args.join(','));
    if (o.rejects === method) return Promise.reject(new Error('rejected'));
    return o.promises ? Promise.resolve() : undefined;
  };
  const sdk = { phone: null };
  sdk.self = sdk;
  for (const m of ['answer', 'hangup', 'hold', 'unhold', 'mute', 'unmute', 'dtmf', 'blindTransfer']) {
    if ((o.lacks || []).includes(m)) continue;
    const base = record('call', m);
    sdk[m] = function (...args) {
      const r = base(...args);
      if (m === 'answer') emitFake(id, 'active');
      if (m === 'mute' || m === 'unmute') emitFake(id, m);
      if (m === 'hangup') { emitFake(id, 'hangup'); emitFake(id, 'purge'); emitFake(id, 'destroy'); }
      return r;
    };
  }
  const dialog = { verto: {} };
  dialog.verto.dialog = dialog;
  for (const m of ['answer', 'hangup', 'hold', 'unhold', 'setMute', 'dtmf', 'transfer']) {
    if ((o.lacks || []).includes(m)) continue;
    dialog[m] = record('dialog', m);
  }
  fakeCalls.set(id, { shape, flow: [], sdk, object: shape === 'dialog' ? dialog : sdk });
}
export function emitState(id, state) { emitFake(id, state); }
export function takeSent() { return fakeSent.splice(0); }

export function linksPage(html) {
  let box = document.getElementById('links-box');
  if (!box) {
    box = document.createElement('div');
    box.id = 'links-box';
    document.body.appendChild(box);
    // After the library's listener (on the box), before the browser's default: records
    // whether the click was cancelled, then cancels it (no navigation away from the test).
    document.addEventListener('click', (e) => { window.__cancelled = e.defaultPrevented; e.preventDefault(); });
  }
  box.innerHTML = html;
  return box;
}
export function clickOn(selector, init) {
  window.__cancelled = undefined;
  const el = document.querySelector(selector);
  el.dispatchEvent(new MouseEvent('click', Object.assign({ bubbles: true, cancelable: true, button: 0 }, init || {})));
  return window.__cancelled === true;
}
export function addLink(html) { document.getElementById('links-box').insertAdjacentHTML('beforeend', html); }
// The API stand-in's control routes (scripts/api-server.mjs): `body` as JSON text.
export async function controlApi(origin, path, body) {
  const r = await fetch(origin + '/__control/' + path, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return r.json();
}
"#)]
extern "C" {
    /// POSTs `body` (JSON text) to the API stand-in's `/__control/<path>` (GET without a
    /// body); its JSON answer.
    #[wasm_bindgen(js_name = controlApi)]
    pub async fn control_api(origin: &str, path: &str, body: Option<String>) -> JsValue;
    #[wasm_bindgen(js_name = callDetail)]
    pub fn call_detail(
        call_id: &str,
        state: &str,
        number: &str,
        direction: &str,
        extra: JsValue,
    ) -> JsValue;
    pub fn dispatch(name: &str, detail: &JsValue);
    #[wasm_bindgen(js_name = dispatchBoth)]
    pub fn dispatch_both(suffix: &str, detail: &JsValue);
    #[wasm_bindgen(js_name = dispatchPlain)]
    pub fn dispatch_plain(name: &str);
    #[wasm_bindgen(js_name = emitCall)]
    pub fn emit_call(call_id: &str, state: &str, number: &str, direction: &str, extra: JsValue);
    #[wasm_bindgen(js_name = throwingDetail)]
    pub fn throwing_detail() -> JsValue;
    #[wasm_bindgen(js_name = revokedProxy)]
    pub fn revoked_proxy() -> JsValue;
    #[wasm_bindgen(js_name = hugeString)]
    pub fn huge_string(n: u32) -> JsValue;
    #[wasm_bindgen(js_name = stubOpen)]
    pub fn stub_open(blocked: bool);
    #[wasm_bindgen(js_name = openedUrls)]
    pub fn opened_urls() -> Vec<String>;
    #[wasm_bindgen(js_name = restoreOpen)]
    pub fn restore_open();
    #[wasm_bindgen(js_name = setDialFunction)]
    pub fn set_dial_function(kind: &str);
    #[wasm_bindgen(js_name = setDialFunctionLater)]
    pub fn set_dial_function_later(ms: u32);
    pub fn dialed() -> Vec<String>;
    #[wasm_bindgen(js_name = breakStorage)]
    pub fn break_storage(mode: &str);
    #[wasm_bindgen(js_name = repairStorage)]
    pub fn repair_storage();
    #[wasm_bindgen(js_name = storageEvent)]
    pub fn storage_event(key: Option<String>, new_value: Option<String>);
    #[wasm_bindgen(js_name = sessionStorageEvent)]
    pub fn session_storage_event(key: &str);
    #[wasm_bindgen(js_name = removeLoader)]
    pub fn remove_loader();
    #[wasm_bindgen(js_name = watchPrepend)]
    pub fn watch_prepend();
    #[wasm_bindgen(js_name = tokenAtPrepend)]
    pub fn token_at_prepend() -> Option<String>;
    #[wasm_bindgen(js_name = loaderCount)]
    pub fn loader_count() -> u32;
    #[wasm_bindgen(js_name = hasLocks)]
    pub fn has_locks() -> bool;
    #[wasm_bindgen(js_name = holdLock)]
    fn hold_lock_promise(name: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = releaseLock)]
    pub fn release_lock();
    #[wasm_bindgen(js_name = lockTurn)]
    fn lock_turn_promise(name: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = lockHeld)]
    fn lock_held_promise(name: &str) -> js_sys::Promise;
    #[wasm_bindgen(js_name = agentDetail)]
    pub fn agent_detail(user_info: JsValue, top_level: JsValue, contact_center: &str) -> JsValue;
    #[wasm_bindgen(js_name = makeCall)]
    pub fn make_call(id: &str, shape: &str, options: JsValue);
    #[wasm_bindgen(js_name = emitState)]
    pub fn emit_state(id: &str, state: &str);
    #[wasm_bindgen(js_name = takeSent)]
    pub fn take_sent() -> Vec<String>;
    #[wasm_bindgen(js_name = linksPage)]
    pub fn links_page(html: &str) -> web_sys::Node;
    #[wasm_bindgen(js_name = clickOn)]
    pub fn click_on(selector: &str, init: JsValue) -> bool;
    #[wasm_bindgen(js_name = addLink)]
    pub fn add_link(html: &str);
}

/// The Web Lock of call `call_id`'s pop-up, which the tab that opens it holds.
pub fn popup_lock(call_id: &str) -> String {
    format!("ziwo-webphone-popup:{call_id}")
}

/// Takes the Web Lock `name`, as another tab would, and holds it until [`release_lock`].
pub async fn hold_lock(name: &str) {
    wasm_bindgen_futures::JsFuture::from(hold_lock_promise(name))
        .await
        .unwrap();
}

/// Whether some holder has the Web Lock `name` now.
pub async fn lock_held(name: &str) -> bool {
    wasm_bindgen_futures::JsFuture::from(lock_held_promise(name))
        .await
        .unwrap()
        .as_bool()
        .unwrap_or(false)
}

/// Waits until every request for the Web Lock `name` made so far has run.
pub async fn lock_turn(name: &str) {
    wasm_bindgen_futures::JsFuture::from(lock_turn_promise(name))
        .await
        .unwrap();
}

/// Waits until `condition` holds, checking every 10 ms, for at most 5 s.
/// The API stand-in's origin (scripts/test.sh starts it).
pub fn api_origin() -> &'static str {
    option_env!("ZIWO_API_ORIGIN").unwrap_or("http://127.0.0.1:47882")
}

pub async fn wait_until(what: &str, condition: impl FnMut() -> bool) {
    wait_until_within(what, 5_000.0, condition).await;
}

/// Waits until `condition` holds, checking every 10 ms, for at most `ms`.
pub async fn wait_until_within(what: &str, ms: f64, mut condition: impl FnMut() -> bool) {
    let deadline = js_sys::Date::now() + ms;
    while !condition() {
        assert!(
            js_sys::Date::now() < deadline,
            "timed out waiting for {what}"
        );
        sleep(10).await;
    }
}

/// A plain object with string values.
pub fn object(pairs: &[(&str, &str)]) -> JsValue {
    let o = js_sys::Object::new();
    for (k, v) in pairs {
        js_sys::Reflect::set(&o, &(*k).into(), &(*v).into()).unwrap();
    }
    o.into()
}

/// The phone's keys in `localStorage`, with their values, to compare before and after.
pub fn phone_keys() -> Vec<(&'static str, Option<String>)> {
    let s = storage();
    PHONE_KEYS
        .iter()
        .map(|k| (*k, s.get_item(k).unwrap()))
        .collect()
}

const PHONE_KEYS: [&str; 6] = [
    "_jorel-token",
    "_jorel-ccName",
    "_jorel-ccLogin",
    "_jorel-default-position",
    "_jorel-default-size",
    "_ziwo-webphone-popups",
];

#[wasm_bindgen(
    inline_js = "export function sleep_promise(ms) { return new Promise(r => setTimeout(r, ms)); }"
)]
extern "C" {
    #[wasm_bindgen(js_name = sleep_promise)]
    fn sleep_ms(ms: u32) -> js_sys::Promise;
}

/// Waits `ms` milliseconds.
pub async fn sleep(ms: u32) {
    let _ = wasm_bindgen_futures::JsFuture::from(sleep_ms(ms)).await;
}

/// `localStorage`.
pub fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// Clears the phone's keys from `localStorage`.
pub fn clear_phone_keys() {
    let s = storage();
    for k in PHONE_KEYS {
        s.remove_item(k).unwrap();
    }
}

/// The URL of the web phone simulator, served by the test command.
pub fn simulator_url() -> String {
    let base = option_env!("ZIWO_SIM_ORIGIN").unwrap_or("http://127.0.0.1:8787");
    format!("{base}/sim/jorel.js?loadDelayMs=50&stepDelayMs=0&answerDelayMs=20")
}
