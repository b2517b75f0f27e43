// Shared by the facades: checks of the page's options (every value from the page is
// untrusted), and the browser mechanics that both the companion and the REST client use.
import { error, keys } from './wasm.js';

export function invalid(message) {
  const e = new Error(message);
  e.name = 'ZiwoError';
  e.code = 'invalid-option';
  return e;
}

export function object(value, what) {
  if (value === null || typeof value !== 'object') throw invalid(`${what} must be an object`);
  return value;
}

export function string(options, key) {
  const value = options[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(`${key} must be a string`);
  return value;
}

export function callback(options, key) {
  const value = options[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'function') throw invalid(`${key} must be a function`);
  return value;
}

// A rejected Promise rather than a throw, for the methods that return a Promise.
export function attempt(run) {
  try {
    return run();
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * When `value` is a thenable, calls `ok` or `err` once it settles and returns true; else
 * returns false. A `then` that throws counts as a rejection.
 */
export function whenSettled(value, ok, err) {
  let then;
  try { then = value !== null && (typeof value === 'object' || typeof value === 'function') ? value.then : undefined; } catch { /* no then */ }
  if (typeof then !== 'function') return false;
  let settled = false;
  const once = (f) => (v) => { if (!settled) { settled = true; f(v); } };
  try { then.call(value, once(ok), once(err)); } catch (thrown) { once(err)(thrown); }
  return true;
}

export const hasDocument = () => typeof document !== 'undefined' && document !== null;

/** `url` resolved against the page; '' (refused by `httpUrl`) when it does not parse. */
export function resolve(url) {
  if (!hasDocument()) throw error('no-document');
  try { return new URL(url, document.baseURI).href; } catch { return ''; }
}

export function storage() {
  let s;
  try { s = window.localStorage; } catch { /* blocked cookies, sandboxed frames */ }
  if (!s) throw error('storage-unavailable');
  return s;
}

export function read(s, key) {
  let value;
  try { value = s.getItem(key); } catch { /* below */ }
  // A page's override may return anything: only text (or nothing) is storage that works.
  if (value != null && typeof value !== 'string') throw error('storage-unavailable');
  return value;
}

/** The three stored strings of the session in `s` (`undefined`: missing). */
export const stored = (s) => keys.slice(0, 3).map((key) => read(s, key) ?? undefined);

/**
 * Applies `write(key, value)` to each `[key, value, key, value...]` pair, all or none:
 * when a read or a write throws (quota, a page's override), what was written before it is
 * put back.
 */
export function writeAll(pairs, write) {
  const s = storage();
  const before = [];
  for (let i = 0; i < pairs.length; i += 2) {
    const key = pairs[i];
    let previous;
    let code = 'storage-unavailable';
    try {
      previous = s.getItem(key);
      code = 'storage-failed';
      write(s, key, pairs[i + 1]);
    } catch {
      for (let j = before.length - 2; j >= 0; j -= 2) {
        try { if (before[j + 1] === null) s.removeItem(before[j]); else s.setItem(before[j], before[j + 1]); } catch { /* best effort */ }
      }
      throw error(code);
    }
    before.push(key, previous);
  }
}
export const setItem = (s, key, value) => s.setItem(key, value);
export const removeItem = (s, key) => s.removeItem(key);
