// ziwo-webphone: the public JavaScript API.
//
// The WebAssembly module makes the decisions: it validates names, numbers, tokens,
// nonces, URLs and stored sessions, chooses the events to listen to, parses each event,
// tracks every call (repeats are not transitions), applies the pop-up rule and its
// cross-tab claims, and gives every error its code and message. This file checks the
// types of the page's options and does the browser's mechanics around those decisions
// (the script element, localStorage reads and writes, listeners, timers, window.open,
// Web Locks, Promises, lists of subscribers): in JavaScript they cost a fraction of the
// bytes that the same calls would cost in wasm.
//
// Importing this file touches nothing (no `window`, no network), so server-side
// rendering can import it; the module is fetched by the first `load()` /
// `createWebPhone()`.
import {
  CLAIM, CLEAR_POPUP, CONNECTION, DIAL_NUMBER, EXPAND, HANDLE_CALL, HANDLE_PHONE, HTTP_URL, INSTALL_PLAN, IS_SESSION_KEY, PHONE_FREE, PHONE_NEW, POPUP, SESSION_PLAN,
  answer, call, callEvent, calls, error, fields, init, keys, numbers, phoneEvent, session,
  sessionChange,
} from './wasm.js';
import { listen, readCall, readDate, readPhone } from './events.js';
import {
  attempt, callback, hasDocument, invalid, object, resolve, setItem, removeItem, storage, stored,
  string, whenSettled, writeAll,
} from './util.js';

/**
 * Loads the WebAssembly module once. Bundlers (Vite, webpack 5) resolve the `.wasm` file
 * next to this module; without a bundler, pass its URL if it is elsewhere.
 */
export const load = (wasm) => init(wasm);

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

// ---- logging: quiet by default; messages never hold a token or event data ----------

const LEVELS = ['error', 'warn', 'info', 'debug'];
const [ERROR, WARN, INFO, DEBUG] = [0, 1, 2, 3];
let logger;

/**
 * Sends the library's log messages of `level` (default 'warn') and more severe to `sink`;
 * `null` stops logging (the default). Messages never contain the token.
 */
export function setLogger(sink, level = 'warn') {
  if (sink !== null && sink !== undefined && typeof sink !== 'function') throw invalid('the logger must be a function or null');
  const max = LEVELS.indexOf(level);
  if (max < 0) throw invalid("level must be 'error', 'warn', 'info' or 'debug'");
  logger = sink ? [sink, max] : undefined;
}

function log(level, message) {
  if (logger && level <= logger[1]) {
    try { logger[0](LEVELS[level], message); } catch { /* a logger that throws is not our error */ }
  }
}

// ---- mechanics ----------------------------------------------------------------------

/** A callback of the page threw: re-raise it where the page's error reporting sees it. */
function report(run) {
  try { run(); } catch (thrown) { Promise.reject(thrown); }
}

// The loader script this module inserted, and the Promise of its load.
let loader;
const SCRIPT_ID = 'jorelScriptLoader';

function install(contactCenter, position, size, token, nonce, scriptUrl) {
  const plan = answer(INSTALL_PLAN, [contactCenter, position, size, token, nonce,
    scriptUrl === undefined ? undefined : resolve(scriptUrl)]);
  const body = hasDocument() ? document.body : null;
  if (!body) throw error('no-document');
  if (plan.length > 1) writeAll(plan.slice(1), setItem);
  const existing = document.getElementById(SCRIPT_ID);
  if (existing) {
    // A loader the page added itself (ZIWO's snippet): whether it has loaded is unknown.
    return loader && loader[0] === existing ? loader[1] : Promise.resolve();
  }
  const script = document.createElement('script');
  script.id = SCRIPT_ID;
  script.type = 'text/javascript';
  script.async = true;
  if (nonce !== undefined) script.nonce = nonce;
  script.src = plan[0];
  const loaded = new Promise((ok, fail) => {
    script.addEventListener('load', () => ok(), { once: true });
    script.addEventListener('error', () => {
      // Removed, so that the next install retries with a fresh script.
      script.remove();
      fail(error('script-failed'));
    }, { once: true });
  });
  loader = [script, loaded];
  body.prepend(script);
  return loaded;
}

const DIAL_FUNCTION = '_jorel-callPhoneNumber';
const POLL_MS = 50;

/** A short description of what the phone's function threw. */
function describe(thrown) {
  const text = thrown instanceof Error ? String(thrown.message) : typeof thrown === 'string' ? thrown : '';
  return Array.from(text).slice(0, 200).join('');
}

function dial(number, timeoutMs) {
  if (typeof window === 'undefined') return Promise.reject(error('no-document'));
  const deadline = Date.now() + timeoutMs;
  return new Promise((ok, fail) => {
    const attemptDial = () => {
      let f;
      try { f = window[DIAL_FUNCTION]; } catch { /* not there yet */ }
      if (typeof f === 'function') {
        let returned;
        try { returned = f.call(window, number); } catch (thrown) { return fail(error('phone-threw', describe(thrown))); }
        if (!whenSettled(returned, () => ok(), (e) => fail(error('phone-threw', describe(e))))) ok();
        return;
      }
      const left = deadline - Date.now();
      if (left <= 0) return fail(error('phone-not-ready'));
      setTimeout(attemptDial, Math.min(left, POLL_MS));
    };
    attemptDial();
  });
}

const LOCK = 'ziwo-webphone-popup';

/** Whether this tab is the first to claim `callId`'s pop-up (see `PopupClaims` in wasm). */
function claimCall(callId) {
  let s;
  let text;
  try {
    s = storage();
    text = s.getItem(keys[3]) ?? '';
    if (!call(CLAIM, [text, callId], 0, Date.now() / 1000)) return false;
  } catch {
    // No claims to share (or unreadable ones): this tab opens it, and overwrites nobody's.
    return true;
  }
  try { s.setItem(keys[3], fields()[0]); } catch { /* the pop-up still opens here */ }
  return true;
}

/** Runs `open` if this tab wins `callId`'s claim, under a Web Lock when there is one. */
function ifFirstTab(callId, open) {
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    if (!claimCall(callId)) return log(INFO, "another tab already opened this call's pop-up");
    // Inside the lock's callback a throw would only reject the lock's Promise: report it.
    try { open(); } catch (thrown) { log(ERROR, 'pop-up failed'); Promise.reject(thrown); }
  };
  let locks;
  try { locks = navigator.locks; } catch { /* none */ }
  if (!locks || typeof locks !== 'object') return run();
  // The lock is refused in opaque origins (sandboxed frames): claim without it.
  try { whenSettled(locks.request(LOCK, () => run()), () => {}, run); } catch { run(); }
}

// ---- subscribers --------------------------------------------------------------------

/**
 * Calls every listener of `list` (a Map of id → function). Listeners removed during the
 * dispatch are not called; listeners added during it are called from the next event on
 * (the DOM's rules). A listener that throws does not stop the others.
 */
function emit(list, event) {
  for (const [id, listener] of [...list]) {
    if (!list.has(id)) continue;
    try {
      listener(event);
    } catch (thrown) {
      log(ERROR, 'a listener threw; the other listeners still ran');
      Promise.reject(thrown);
    }
  }
}

const CALL = 0;
const PHONE = 1;
const SESSION = 2;

/**
 * The ZIWO web phone on this page: install it, dial, and listen to its calls. Every
 * listener lives until it is unsubscribed or the phone is disposed, whether or not the
 * page keeps this object.
 */
export class WebPhone {
  #phone;
  #connection;
  #lists = [new Map(), new Map(), new Map()];
  #next = 1;
  #popup;
  #remove;
  #disposed = false;

  constructor(options) {
    const extra = options == null ? [] : object(options, 'options').extraStates ?? [];
    // Its items are checked as text by the module's call.
    if (!Array.isArray(extra)) throw invalid('extraStates must be an array of strings');
    const phone = call(PHONE_NEW, extra);
    const names = fields();
    const isCall = numbers();
    if (typeof window === 'undefined') {
      call(PHONE_FREE, [], phone);
      throw error('no-document');
    }
    this.#phone = phone;
    const [calls, events, sessions] = this.#lists;
    const removeEvents = listen(names, (index, detail) => {
      if (this.#disposed) return;
      if (logger) log(DEBUG, 'event ' + names[index]);
      // The logger and the detail's getters are the page's code: the phone may be gone now.
      const packed = isCall[index] ? readCall(detail) : readPhone(detail);
      if (this.#disposed) return;
      if (isCall[index]) {
        const what = call(HANDLE_CALL, [packed], phone, index, readDate(), Date.now(), calls.size);
        if (what === 3) {
          log(WARN, 'ignored ' + names[index] + ': its detail has no valid callID');
        } else if (what !== 0) {
          // Both copies are built before any page code runs (a resolver or a listener may
          // cause another event); the pop-up gets its own: listeners may change theirs.
          const forPopup = what === 2 ? callEvent() : undefined;
          const event = calls.size > 0 ? callEvent() : undefined;
          if (forPopup) report(() => this.#openPopup(forPopup));
          else if (what === 5) log(INFO, 'no pop-up: the call has no customer number');
          if (event) emit(calls, event);
        }
      } else if (call(HANDLE_PHONE, [packed], phone, index) === 4 && events.size > 0) {
        emit(events, phoneEvent());
      }
    });
    const onStorage = (event) => {
      if (this.#disposed || sessions.size === 0) return;
      // Only localStorage is the phone's; sessionStorage changes fire the event too. A
      // page may dispatch an 'storage' Event of its own: only a real one's key goes on.
      let local;
      try { local = window.localStorage; } catch { /* none */ }
      if (!local || !(event instanceof StorageEvent) || event.storageArea !== local) return;
      const { key } = event;
      if ((key !== null && typeof key !== 'string') || !call(IS_SESSION_KEY, [key])) return;
      let values;
      try { values = stored(local); } catch { /* unreadable */ }
      emit(sessions, sessionChange(values));
    };
    window.addEventListener('storage', onStorage);
    this.#remove = () => {
      removeEvents();
      window.removeEventListener('storage', onStorage);
    };
  }

  #live() {
    if (this.#disposed) throw error('disposed');
  }

  install(options) {
    return attempt(() => {
      this.#live();
      const o = typeof options === 'string' ? { contactCenter: options } : object(options, 'install options');
      const contactCenter = string(o, 'contactCenter');
      if (contactCenter === undefined) throw invalid('contactCenter is required');
      return install(contactCenter, string(o, 'position'), string(o, 'size'),
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
      return dial(answer(DIAL_NUMBER, [number])[0], timeout ?? 10000);
    });
  }

  #on(kind, listener, type) {
    if (typeof listener !== 'function') throw invalid('the listener must be a function');
    this.#live();
    const id = this.#next++;
    const list = this.#lists[kind];
    list.set(id, type ? (e) => { if (e.type === type) listener(e); } : listener);
    return () => { list.delete(id); };
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
    // A state name per direction, '' for none; anything else becomes a name that the
    // module refuses with its message.
    const state = (key, fallback) => {
      const value = o[key];
      return value === undefined ? fallback : value === null ? '' : typeof value === 'string' && value ? value : '?';
    };
    const popup = {
      url,
      target: string(o, 'target') ?? '_blank',
      features: string(o, 'features') ?? '',
      onBlocked: callback(o, 'onBlocked'),
      onError: callback(o, 'onError'),
    };
    this.#live();
    const rule = [state('inbound', 'ringing'), state('outbound', 'early'), state('internal', ''), state('service', '')];
    // A template must give an http(s) URL: checked now, with placeholder values.
    if (typeof url === 'string') call(HTTP_URL, [resolve(expand(url, '0', '0'))]);
    call(POPUP, rule, this.#phone);
    this.#popup = popup;
    return () => {
      if (this.#popup === popup) {
        this.#popup = undefined;
        call(CLEAR_POPUP, [], this.#phone);
      }
    };
  }

  /**
   * Opens the customer's page for `event` (this pop-up's own copy, with a customer
   * number): once per call across the CRM's tabs.
   */
  #openPopup(event) {
    const popup = this.#popup;
    if (!popup) return;
    const { callId, customerNumber } = event;
    ifFirstTab(callId, () => {
      // The Web Lock may grant this after the pop-up was replaced or the phone disposed.
      if (this.#popup !== popup) return;
      const { url } = popup;
      if (typeof url === 'string') return openUrl(popup, expand(url, customerNumber, callId), event);
      let answered = false;
      const answer = (value) => {
        if (answered) return;
        answered = true;
        if (value === undefined || value === null) return;
        if (typeof value === 'string') openUrl(popup, value, event);
        else popupFailed(popup, error('popup-failed'), event);
      };
      const failed = () => {
        if (answered) return;
        answered = true;
        popupFailed(popup, error('popup-failed'), event);
      };
      let value;
      try { value = url(customerNumber, event); } catch { return failed(); }
      if (!whenSettled(value, answer, failed)) answer(value);
    });
  }

  calls() { return this.#disposed ? [] : calls(this.#phone); }

  session() {
    return session(stored(storage()));
  }

  setSession(value) {
    const o = object(value, 'session');
    const token = string(o, 'token');
    const contactCenter = string(o, 'contactCenter');
    if (token === undefined) throw invalid('token is required');
    if (contactCenter === undefined) throw invalid('contactCenter is required');
    writeAll(answer(SESSION_PLAN, [token, contactCenter]), setItem);
  }

  clearSession() {
    writeAll(keys.slice(0, 3).flatMap((key) => [key, null]), removeItem);
  }

  dispose() {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#remove();
    for (const list of this.#lists) list.clear();
    this.#popup = undefined;
    this.#connection = this.connection;
    call(PHONE_FREE, [], this.#phone);
  }

  get disposed() { return this.#disposed; }
  get connection() {
    return this.#connection ?? answer(CONNECTION, [], this.#phone)[0];
  }
}

function openUrl(popup, url, event) {
  let href;
  try { href = answer(HTTP_URL, [resolve(url)])[0]; } catch (e) { return popupFailed(popup, e, event); }
  let opened = null;
  try { opened = window.open(href, popup.target, popup.features); } catch { /* counts as blocked */ }
  if (opened) {
    // What `noopener` does, without losing the return value that tells whether the
    // pop-up was blocked.
    try { opened.opener = null; } catch { /* cross-origin already */ }
    log(INFO, "opened the customer's pop-up");
  } else {
    log(WARN, "the browser blocked the customer's pop-up");
    if (popup.onBlocked) report(() => popup.onBlocked(href, event));
  }
}

/** The pop-up URL from a template: `{number}` and `{callId}` URL-encoded. */
const expand = (template, number, callId) => answer(EXPAND, [template, number, callId])[0];

function popupFailed(popup, e, event) {
  log(ERROR, 'pop-up failed: ' + e.message);
  if (popup.onError) report(() => popup.onError(e, event));
}
