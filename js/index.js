// ziwo-webphone: the public JavaScript API. It takes options objects apart and checks
// their types; every decision (names, numbers, tokens, URLs, call tracking, pop-ups) is
// made by the WebAssembly module. Importing this file touches nothing (no `window`, no
// network), so server-side rendering can import it; the module is fetched by the first
// `load()` / `createWebPhone()`.
import init, { Phone, setLogger as setWasmLogger } from './ziwo_webphone.js';
import { attempt, callback, invalid, object, string } from './util.js';

let loading;
let ready = false;
let pendingLogger;

/**
 * Loads the WebAssembly module once. Bundlers (Vite, webpack 5) resolve the `.wasm` file
 * next to this module; without a bundler, pass its URL if it is elsewhere.
 */
export function load(wasm) {
  if (!loading) {
    loading = init(wasm === undefined ? undefined : { module_or_path: wasm }).then(() => {
      ready = true;
      if (pendingLogger) setWasmLogger(...pendingLogger);
    });
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

const CALL = 0;
const PHONE = 1;
const SESSION = 2;
const LEVELS = ['error', 'warn', 'info', 'debug'];

/**
 * The ZIWO web phone on this page: install it, dial, and listen to its calls. Every
 * listener lives until it is unsubscribed or the phone is disposed, whether or not the
 * page keeps this object.
 */
export class WebPhone {
  #phone;

  constructor(options) {
    const extra = options == null ? [] : object(options, 'options').extraStates ?? [];
    if (!Array.isArray(extra) || !extra.every((s) => typeof s === 'string')) {
      throw invalid('extraStates must be an array of strings');
    }
    this.#phone = new Phone(extra);
  }

  install(options) {
    return attempt(() => {
      const o = typeof options === 'string' ? { contactCenter: options } : object(options, 'install options');
      const contactCenter = string(o, 'contactCenter');
      if (contactCenter === undefined) throw invalid('contactCenter is required');
      return this.#phone.install(contactCenter, string(o, 'position'), string(o, 'size'),
        string(o, 'token'), string(o, 'nonce'), string(o, 'scriptUrl'));
    });
  }

  call(number, options) {
    return attempt(() => {
      if (typeof number !== 'string') throw invalid('the number must be a string');
      const timeout = options == null ? undefined : object(options, 'call options').timeoutMs;
      if (timeout !== undefined && !(typeof timeout === 'number' && timeout >= 0 && timeout <= 600000)) {
        throw invalid('timeoutMs must be a number of ms between 0 and 600000');
      }
      return this.#phone.call(number, timeout ?? 10000);
    });
  }

  #on(kind, listener, type) {
    if (typeof listener !== 'function') throw invalid('the listener must be a function');
    const id = this.#phone.subscribe(kind, type ? (e) => { if (e.type === type) listener(e); } : listener);
    return () => this.#phone.unsubscribe(kind, id);
  }

  onCall(listener) { return this.#on(CALL, listener); }
  onPhoneEvent(listener) { return this.#on(PHONE, listener); }
  onConnected(listener) { return this.#on(PHONE, listener, 'connected'); }
  onDisconnected(listener) { return this.#on(PHONE, listener, 'disconnected'); }
  onError(listener) { return this.#on(PHONE, listener, 'error'); }
  onSessionChange(listener) { return this.#on(SESSION, listener); }

  popup(options) {
    const o = typeof options === 'string' ? { url: options } : object(options, 'pop-up options');
    const { url } = o;
    if (typeof url !== 'string' && typeof url !== 'function') {
      throw invalid('url must be a URL template string or a function');
    }
    const state = (key, fallback) => {
      const value = o[key];
      if (value === undefined) return fallback;
      if (value === null) return '';
      if (typeof value !== 'string' || value === '') throw invalid('pop-up states must be call state names or null');
      return value;
    };
    const id = this.#phone.popup(
      typeof url === 'string' ? url : undefined, typeof url === 'function' ? url : undefined,
      state('inbound', 'ringing'), state('outbound', 'early'), state('internal', ''), state('service', ''),
      string(o, 'target') ?? '_blank', string(o, 'features') ?? '',
      callback(o, 'onBlocked'), callback(o, 'onError'));
    return () => this.#phone.clearPopup(id);
  }

  calls() { return this.#phone.calls(); }
  session() { return this.#phone.session(); }

  setSession(session) {
    const o = object(session, 'session');
    const token = string(o, 'token');
    const contactCenter = string(o, 'contactCenter');
    if (token === undefined) throw invalid('token is required');
    if (contactCenter === undefined) throw invalid('contactCenter is required');
    this.#phone.setSession(token, contactCenter);
  }

  clearSession() { this.#phone.clearSession(); }
  dispose() { this.#phone.dispose(); }
  get disposed() { return this.#phone.disposed; }
  get connection() { return this.#phone.connection; }
}

/**
 * Sends the library's log messages of `level` (default 'warn') and more severe to `sink`;
 * `null` stops logging (the default). Messages never contain the token. May be called
 * before the module is loaded.
 */
export function setLogger(sink, level = 'warn') {
  if (sink !== null && sink !== undefined && typeof sink !== 'function') throw invalid('the logger must be a function or null');
  const index = LEVELS.indexOf(level);
  if (index < 0) throw invalid("level must be 'error', 'warn', 'info' or 'debug'");
  const args = [sink ?? undefined, index];
  if (ready) setWasmLogger(...args);
  else pendingLogger = args;
}
