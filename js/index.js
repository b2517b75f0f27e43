// ziwo-webphone: the public JavaScript API.
//
// A thin facade over the crate's browser layer, built by wasm-bindgen
// (src/browser/bindings.rs): every behaviour (validation, install, sessions, dialling,
// listeners and their order, pop-ups and the tabs' claims, logging, errors) is the Rust
// layer's, the same that Rust users call. This file gives it JavaScript's idioms: a
// `load()` that fetches the module once (js/load.js), Promises, unsubscribe functions, a
// class whose listeners outlive the object.
//
// Importing this file touches nothing (no `window`, no network), so server-side
// rendering can import it; the module is fetched by the first `load()` /
// `createWebPhone()` (in Node, read from its file: the REST client works on a server).
import { Phone } from './ziwo_webphone.js';
import { CALL_LOG_CLIENT, load, loadedModule } from './load.js';

/** `load` is also `init`, the name used without a bundler: `await init(); new WebPhone()`. */
export { load, load as init, setLogger } from './load.js';

/** Loads the module and creates a `WebPhone`, which starts listening at once. */
export async function createWebPhone(options) {
  await load();
  return new WebPhone(options);
}

/** Whether `error` is an error of this library (then it has a `code`). */
export function isZiwoError(error) {
  return error instanceof Error && error.name === 'ZiwoError' && typeof error.code === 'string';
}

// The kinds of listener of `Phone.on` (src/browser/bindings.rs, `ON_*`).
const [CALL, PHONE, CONNECTED, DISCONNECTED, ERROR, SESSION, MUTE] = [0, 1, 2, 3, 4, 5, 6];
// The actions of `Phone.act` (src/browser/bindings.rs, `ACTIONS`).
const [ANSWER, HANGUP, HOLD, UNHOLD, MUTE_CALL, UNMUTE, DTMF, TRANSFER] = [0, 1, 2, 3, 4, 5, 6, 7];

/**
 * The ZIWO web phone on this page: install it, dial, and listen to its calls. Every
 * listener lives until it is unsubscribed or the phone is disposed, whether or not the
 * page keeps this object.
 */
export class WebPhone {
  #phone;

  constructor(options) {
    loadedModule();
    this.#phone = new Phone(options);
  }

  install(options) { return this.#phone.install(options); }
  call(number, options) { return this.#phone.call(number, options); }
  ready(options) { return this.#phone.ready(options); }

  #on(kind, listener) {
    const phone = this.#phone;
    const id = phone.on(kind, listener);
    return () => phone.off(kind, id);
  }

  onCall(listener) { return this.#on(CALL, listener); }
  onMute(listener) { return this.#on(MUTE, listener); }

  onCallEnded(handler, options) {
    const phone = this.#phone;
    // The REST client of `cdr`, handed to the layer (which refuses a `cdr` that is none).
    let client;
    try { client = options?.cdr?.[CALL_LOG_CLIENT]?.(); } catch { /* the layer reads `cdr` again and says why */ }
    const id = phone.onCallEnded(handler, options, client);
    return () => phone.offCallEnded(id);
  }
  onPhoneEvent(listener) { return this.#on(PHONE, listener); }
  onConnected(listener) { return this.#on(CONNECTED, listener); }
  onDisconnected(listener) { return this.#on(DISCONNECTED, listener); }
  onError(listener) { return this.#on(ERROR, listener); }
  onSessionChange(listener) { return this.#on(SESSION, listener); }

  answer(callId) { return this.#phone.act(ANSWER, callId); }
  hangup(callId) { return this.#phone.act(HANGUP, callId); }
  hold(callId) { return this.#phone.act(HOLD, callId); }
  unhold(callId) { return this.#phone.act(UNHOLD, callId); }
  mute(callId) { return this.#phone.act(MUTE_CALL, callId); }
  unmute(callId) { return this.#phone.act(UNMUTE, callId); }
  dtmf(callId, digits) { return this.#phone.act(DTMF, callId, digits); }
  transfer(callId, number) { return this.#phone.act(TRANSFER, callId, number); }

  linkify(root, options) {
    const phone = this.#phone;
    const id = phone.linkify(root, options);
    return () => phone.unlink(id);
  }

  popup(options) {
    const phone = this.#phone;
    const n = phone.popup(options);
    return () => phone.clearPopup(n);
  }

  calls() { return this.#phone.calls(); }
  session() { return this.#phone.session(); }
  setSession(value) { this.#phone.setSession(value); }
  clearSession() { this.#phone.clearSession(); }
  dispose() { this.#phone.dispose(); }
  get disposed() { return this.#phone.disposed; }
  get connection() { return this.#phone.connection; }
}
