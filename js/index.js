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
// `createWebPhone()` (in Node, read from its file: the REST client works on a server).
import initWasm, { Phone, setLogger as setWasmLogger } from './ziwo_webphone.js';

let loading;
let loaded = false;
let logger;
// Whether `ziwo-webphone/full` (js/api.js) is part of the page: then `load()` fetches the
// module with the REST client, else the companion's copy without it (scripts/companion-wasm.mjs).
let wantApi = false;
// Whether the module loaded has the REST client (the export of its `Api` constructor).
let hasApi = false;
const API_EXPORT = 'api_new';
const FULL_WASM = 'ziwo_webphone_bg.wasm';
const COMPANION_WASM = 'ziwo_webphone_companion_bg.wasm';

/**
 * Loads the WebAssembly module once. `source`: its URL (a string, `URL` or `Request`),
 * a `Response` or a Promise of one, its bytes, or a compiled `WebAssembly.Module`. By
 * default the .wasm next to this module, which bundlers (Vite, webpack 5) resolve: the
 * companion's (`ziwo_webphone_companion_bg.wasm`), or, when the page imports
 * `ziwo-webphone/full`, the one with the REST client (`ziwo_webphone_bg.wasm`).
 */
export function load(source) {
  if (!loading) {
    loading = (async () => {
      // The rest of the page's static module graph is evaluated before this goes on (a
      // module that loads at its top level may come before ziwo-webphone/full's).
      await null;
      const api = wantApi;
      const file = api ? FULL_WASM : COMPANION_WASM;
      // Both URLs written out, so that bundlers find and emit both files.
      let s = await (source ?? (api ? new URL('ziwo_webphone_bg.wasm', import.meta.url)
        : new URL('ziwo_webphone_companion_bg.wasm', import.meta.url)));
      let where = 'the bytes given to load()';
      if (typeof s === 'string' || s instanceof URL || (typeof Request === 'function' && s instanceof Request)) {
        const url = String(s.url ?? s);
        where = url;
        try {
          // On a server (Node) the module's own wasm is a file: `fetch` cannot read it.
          s = url.startsWith('file:') ? await readFileUrl(url) : await fetch(s);
        } catch (e) {
          throw loadError('wasm-unavailable', `could not fetch the ziwo-webphone wasm from ${url} (${e?.message ?? e}): ` +
            `serve dist/${file} next to the package's index.js, or pass its URL to load()`);
        }
      }
      if (typeof Response === 'function' && s instanceof Response) {
        where = s.url || 'its Response';
        if (!s.ok) {
          throw loadError('wasm-unavailable', `could not fetch the ziwo-webphone wasm from ${where}: HTTP ${s.status}; ` +
            `serve dist/${file} next to the package's index.js, or pass its URL to load()`);
        }
        // Compiled while it downloads when the server says application/wasm (streaming
        // compilation needs it); from its bytes otherwise, whatever the Content-Type.
        const streaming = typeof WebAssembly.compileStreaming === 'function' &&
          /^application\/wasm\b/.test(s.headers.get('Content-Type') ?? '');
        s = streaming ? await WebAssembly.compileStreaming(s).catch(invalid(where, file)) : await wasmBytes(s, where, file);
      }
      if (!(s instanceof WebAssembly.Module)) s = await WebAssembly.compile(s).catch(invalid(where, file));
      const withApi = WebAssembly.Module.exports(s).some((e) => e.name === API_EXPORT);
      if (api && !withApi) {
        throw loadError('wasm-invalid', `the ziwo-webphone wasm from ${where} is the companion's, without the REST ` +
          `client that ziwo-webphone/full needs: serve and load dist/${FULL_WASM}`);
      }
      await initWasm({ module_or_path: s }).catch(invalid(where, file));
      hasApi = withApi;
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

/**
 * @internal Called by `ziwo-webphone/full` when it is evaluated (package.json lists its
 * files as having side effects, so bundlers keep the call): `load()` then fetches the
 * module with the REST client. Without effect once the first `load()` has chosen.
 */
export function useRestClient() {
  wantApi = true;
}

/** `load` under the name used without a bundler: `await init(); new WebPhone()`. */
export { load as init };

/** The bytes of a `file:` URL, in Node (the specifier is built so that bundlers leave it). */
async function readFileUrl(url) {
  const { readFile } = await import(/* @vite-ignore */ ['node:fs', 'promises'].join('/'));
  return readFile(new URL(url));
}

/**
 * The bytes of the wasm `response` from `where`: `wasm-invalid` when they are not
 * WebAssembly (a server that answers unknown paths with its HTML page, an SPA fallback).
 */
async function wasmBytes(response, where, file) {
  const bytes = await response.arrayBuffer();
  const head = new Uint8Array(bytes, 0, Math.min(4, bytes.byteLength));
  if (head.length < 4 || head[0] !== 0 || head[1] !== 0x61 || head[2] !== 0x73 || head[3] !== 0x6d) {
    const type = response.headers.get('Content-Type') ?? 'no Content-Type';
    throw loadError('wasm-invalid', `the ziwo-webphone wasm from ${where} is not WebAssembly (${type}): a server that ` +
      `answers unknown paths with an HTML page (an SPA fallback) serves it in its place; serve ` +
      `dist/${file} as is, or pass its URL to load()`);
  }
  return bytes;
}

/**
 * A compile error of the wasm from `where` as `wasm-invalid` (`file`: the one to serve); any
 * other error as it is.
 */
const invalid = (where, file) => (e) => {
  if (!(e instanceof WebAssembly.CompileError)) throw e;
  if (/Content.Security.Policy|wasm-eval|unsafe-eval/i.test(e.message)) {
    throw loadError('wasm-blocked', `the page's Content-Security-Policy refuses to compile WebAssembly (${e.message}): ` +
      "add 'wasm-unsafe-eval' to its script-src");
  }
  throw loadError('wasm-invalid', `the ziwo-webphone wasm from ${where} does not compile (${e.message}): serve ` +
    `dist/${file} of this same version of the package, as is`);
};

/**
 * A `ZiwoError` of loading the module. The module's own errors are built by the module;
 * these happen before it exists.
 */
function loadError(code, message) {
  const e = new Error(message);
  e.name = 'ZiwoError';
  e.code = code;
  return e;
}

/** Loads the module and creates a `WebPhone`, which starts listening at once. */
export async function createWebPhone(options) {
  await load();
  return new WebPhone(options);
}

/** Whether `error` is an error of this library (then it has a `code`). */
export function isZiwoError(error) {
  return error instanceof Error && error.name === 'ZiwoError' && typeof error.code === 'string';
}

/**
 * Fails clearly (`not-loaded`) when the module is not loaded yet, or, for the REST client
 * (`api`), when the module loaded is the companion's.
 */
export function loadedModule(api = false) {
  if (!loaded) {
    throw loadError('not-loaded', 'the ziwo-webphone module is not loaded yet: await load() (or init()) first, ' +
      'or create the phone with await createWebPhone() and the API client with await createApiClient()');
  }
  if (api && !hasApi) {
    throw loadError('not-loaded', 'the module with the REST client is not loaded: the page loaded the companion\'s ' +
      '(ziwo-webphone) before it imported ziwo-webphone/full. Import ziwo-webphone/full where the page first loads ' +
      `the phone, or load() dist/${FULL_WASM} first`);
  }
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

/** How `onCallEnded` gets the layer's client out of an `ApiClient` (js/api.js). */
export const CALL_LOG_CLIENT = Symbol.for('ziwo-webphone.callLogClient');

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
