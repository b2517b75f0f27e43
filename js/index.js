// ziwo-webphone: the package's entry. Importing it touches nothing (no `window`, no
// network), so server-side rendering can import it; the WebAssembly module is fetched
// on the first `load()` / `createWebPhone()`.
import init, { WebPhone, setLogger } from './ziwo_webphone.js';

let loading;

/**
 * Loads the WebAssembly module once. Bundlers (Vite, webpack 5) resolve the `.wasm`
 * file next to this module; without a bundler, pass its URL.
 */
export function load(wasm) {
  if (!loading) {
    loading = init(wasm === undefined ? undefined : { module_or_path: wasm }).then(() => undefined);
    loading.catch(() => { loading = undefined; });
  }
  return loading;
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

export { WebPhone, setLogger };
