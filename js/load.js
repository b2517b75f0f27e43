// ziwo-webphone: loading the WebAssembly module once, and what the package's modules share
// about it (which module was loaded, the logger set before it). Internal to the package:
// js/index.js and js/api.js re-export what is public (`load`, `init`, `setLogger`).
import initWasm, { setLogger as setWasmLogger } from './ziwo_webphone.js';

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
 * Called by `ziwo-webphone/full` when it is evaluated (package.json lists its
 * files as having side effects, so bundlers keep the call): `load()` then fetches the
 * module with the REST client. Without effect once the first `load()` has chosen.
 */
export function useRestClient() {
  wantApi = true;
}

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
