// ziwo-webphone: the public JavaScript API.
//
// A thin facade over the crate's browser layer, built by wasm-bindgen
// (src/browser/bindings.rs): every behaviour (validation, install, sessions, dialling,
// listeners and their order, pop-ups and the tabs' claims, logging, errors) is the Rust
// layer's, the same that Rust users call. This file gives it JavaScript's idioms: a
// `load()` that fetches the module once, Promises, unsubscribe functions, a class whose
// listeners outlive the object.
//
// Importing this file touches nothing (no `window`, no network), so server-side
// rendering can import it; the module is fetched by the first `load()` /
// `createWebPhone()`.
import initWasm, { Phone, setLogger as setWasmLogger } from './ziwo_webphone.js';

let loading;
let loaded = false;
let logger;

/**
 * Loads the WebAssembly module once. `source`: its URL (a string, `URL` or `Request`),
 * a `Response` or a Promise of one, its bytes, or a compiled `WebAssembly.Module`. By
 * default the .wasm next to this module, which bundlers (Vite, webpack 5) resolve.
 */
export function load(source) {
  if (!loading) {
    loading = (async () => {
      let s = await (source ?? new URL('ziwo_webphone_bg.wasm', import.meta.url));
      if (typeof s === 'string' || s instanceof URL || (typeof Request === 'function' && s instanceof Request)) s = await fetch(s);
      if (typeof Response === 'function' && s instanceof Response) {
        if (!s.ok) throw new Error(`failed to fetch the ziwo-webphone wasm: HTTP ${s.status}`);
        // Compiled while it downloads when the server says application/wasm (streaming
        // compilation needs it); from its bytes otherwise, whatever the Content-Type.
        const streaming = typeof WebAssembly.compileStreaming === 'function' &&
          /^application\/wasm\b/.test(s.headers.get('Content-Type') ?? '');
        s = streaming ? await WebAssembly.compileStreaming(s) : await s.arrayBuffer();
      }
      await initWasm({ module_or_path: s });
      loaded = true;
      // A logger set before the module was there (see `setLogger`).
      const early = logger;
      logger = undefined;
      if (early) setWasmLogger(...early);
    })();
    loading.catch(() => { loading = undefined; });
  }
  return loading;
}

/** `load` under the name used without a bundler: `await init(); new WebPhone()`. */
export { load as init };

/** Loads the module and creates a `WebPhone`, which starts listening at once. */
export async function createWebPhone(options) {
  await load();
  return new WebPhone(options);
}

/** Whether `error` is an error of this library (then it has a `code`). */
export function isZiwoError(error) {
  return error instanceof Error && error.name === 'ZiwoError' && typeof error.code === 'string';
}

/** Fails clearly when the module is not loaded yet. */
export function loadedModule() {
  if (!loaded) throw new Error('ziwo-webphone: call load() (or init()) first');
}

/**
 * Sends the library's log messages of `level` (default 'warn') and more severe to `sink`;
 * `null` stops logging (the default). Messages never contain the token. Called before
 * `load()`, it takes effect when the module has loaded.
 */
export function setLogger(sink, level) {
  if (loaded) setWasmLogger(sink, level);
  else logger = [sink, level];
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
