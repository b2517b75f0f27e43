export * from './ziwo_webphone.js';
import type { WebPhone, PhoneOptions, ZiwoError } from './ziwo_webphone.js';

/** Where the WebAssembly module comes from, when not next to this module. */
export type WasmSource = string | URL | Request | Response | BufferSource | WebAssembly.Module;

/**
 * Loads the WebAssembly module once. Bundlers (Vite, webpack 5) resolve the `.wasm`
 * file next to this module; without a bundler, pass its URL.
 */
export function load(wasm?: WasmSource | Promise<WasmSource>): Promise<void>;

/** Loads the module and creates a `WebPhone`, which starts listening at once. */
export function createWebPhone(options?: PhoneOptions): Promise<WebPhone>;

/** Whether `error` is an error of this library (then it has a `code`). */
export function isZiwoError(error: unknown): error is ZiwoError;
