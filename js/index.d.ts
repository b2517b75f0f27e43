// Types of ziwo-webphone's JavaScript API.

/** The state of a call: the suffix of `_jorel-dialog-state-<state>`. `'unknown'` is a state this version does not know; its name is in `rawState`. Mute is not a state (see `CallSnapshot.muted` and `WebPhone.onMute`). */
export type CallState =
  | 'requesting' | 'trying' | 'early' | 'ringing' | 'answering' | 'active' | 'held'
  | 'hangup' | 'destroy' | 'recovering' | 'purge' | 'unknown';
/** A state that can open the pop-up: any known state. */
export type KnownCallState = Exclude<CallState, 'unknown'>;
/** Who placed the call. */
export type Direction = 'inbound' | 'outbound' | 'internal' | 'service' | 'unknown';
/** Where the phone widget sits. */
export type Position = 'bottom-right' | 'bottom-left' | 'top-right' | 'top-left';
/** How large the phone widget is. */
export type Size = 'normal' | 'small' | 'mini';
/** See `WebPhone.connection`. */
export type Connection = 'unknown' | 'connected' | 'disconnected' | 'logged-out';
/** The agent connected to the phone (from its `connected` event). */
export interface Agent {
  readonly ccLogin: string | null;
  readonly firstName: string | null;
  readonly lastName: string | null;
  readonly contactCenter: string | null;
}
export interface ReadyOptions {
  /** How long to wait for an agent to connect, in ms (default 30000, at most 600000). */
  timeoutMs?: number;
}
/** Removes a listener; calling it again does nothing. */
export type Unsubscribe = () => void;
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/** One state a call went through, or a mute change (`'mute'`, `'unmute'`: the phone's own names). */
export interface HistoryEntry {
  readonly state: CallState | 'mute' | 'unmute';
  /** The state's name as the phone sent it (differs from `state` only for `'unknown'`). */
  readonly rawState: string;
  /** When the call entered the state, in ms since the epoch. */
  readonly at: number;
}

/** What is known of one call at one moment. */
export interface CallSnapshot {
  readonly callId: string;
  readonly primaryCallId: string | null;
  readonly customerNumber: string | null;
  readonly direction: Direction;
  /** The call's state: never `'mute'` or `'unmute'`. */
  readonly state: CallState;
  readonly rawState: string;
  /** When the current state was entered (ms since the epoch). */
  readonly at: number;
  /** When the call was first seen (ms since the epoch). */
  readonly startedAt: number;
  /** The call came back as `recovering` after a reload: not a new call. */
  readonly recovered: boolean;
  /** The call reached `hangup`, `purge` or `destroy`. */
  readonly ended: boolean;
  /** From `ringing`/`early` to the answer (or to the end, if unanswered), in ms. */
  readonly ringMs: number;
  /** Time in `active` (muted or not), in ms. */
  readonly talkMs: number;
  /** Time in `held`, in ms. */
  readonly holdMs: number;
  /** The agent's microphone is muted on this call (never after its end). */
  readonly muted: boolean;
  /** Time muted, until unmuted or the call's end, in ms. */
  readonly mutedMs: number;
  /** The states the call went through, oldest first, mute changes included: at most 64, its first 8 and its latest ones (the durations count them all). */
  readonly history: readonly HistoryEntry[];
}

/** One real transition of a call (repeats of the current state are not transitions). */
export interface CallEvent {
  readonly callId: string;
  readonly primaryCallId: string | null;
  readonly customerNumber: string | null;
  readonly direction: Direction;
  readonly state: CallState;
  readonly rawState: string;
  readonly previousState: CallState | null;
  /** When the call entered `state` (ms since the epoch). */
  readonly at: number;
  readonly recovered: boolean;
  /** The call after this transition, durations counted up to `at`. */
  readonly call: CallSnapshot;
}

/** The agent's microphone was muted or unmuted on a call: not a change of its state. */
export interface MuteEvent {
  readonly callId: string;
  readonly muted: boolean;
  /** When (ms since the epoch). */
  readonly at: number;
  /** The call after the change (its `state` unchanged). */
  readonly call: CallSnapshot;
}

/** What the call log gets for each ended call (`onCallEnded`). Never the token. */
export interface CallRecord {
  readonly callId: string;
  readonly primaryCallId: string | null;
  readonly customerNumber: string | null;
  readonly direction: Direction;
  /** When the call was first seen, was answered (its first `active`; `null`: never) and ended (its first `hangup`, `purge` or `destroy`), in ms since the epoch. */
  readonly startedAt: number;
  readonly answeredAt: number | null;
  readonly endedAt: number;
  readonly ringMs: number;
  readonly talkMs: number;
  readonly holdMs: number;
  readonly mutedMs: number;
  readonly answered: boolean;
  /** The call came back after a reload. */
  readonly recovered: boolean;
  readonly history: readonly HistoryEntry[];
  /** The call's CDR from ZIWO's API, when `onCallEnded` was given `cdr` and it was found; else `null`. */
  readonly cdr: CallDetail | null;
  /** How the wait for the CDR ended: `'found'`, `'not-found'` (the wait ran out) or `'failed'` (see `cdrError`); `null` when `onCallEnded` was not given `cdr`. */
  readonly cdrStatus: 'found' | 'not-found' | 'failed' | null;
  /** Why the CDR could not be had (`cdrStatus: 'failed'`): the error's `code` (`unauthorized`, `network`, `timeout`, `http-status`...) and message. Never the token. */
  readonly cdrError: { readonly code: string; readonly message: string } | null;
}
/** A call's CDR as the call log gives it: the fields a CRM logs, typed, and every field as ZIWO sent it (`fields`). */
export interface CallDetail {
  /** `callID` (the CDR's; the phone's own call id is the record's `callId`). */
  readonly callId: string | null;
  /** The CDR's id (`46`, `"46:5196"`), as text. */
  readonly id: string | null;
  readonly direction: string | null;
  /** `ANSWER`, `NO ANSWER`, `BUSY`... */
  readonly disposition: string | null;
  readonly durationS: number | null;
  /** `NORMAL_CLEARING`, `NO_ANSWER`... */
  readonly hangupCause: string | null;
  /** Who hung up: `originator` or `originatee`. */
  readonly hangupBy: string | null;
  readonly holdTimeS: number | null;
  /** The recording's file; play it with `api.recordingUrl(record.cdr.callId)`. `null`: not recorded. */
  readonly recordingFile: string | null;
  readonly didCalled: string | null;
  readonly callerIdNumber: string | null;
  readonly callerIdName: string | null;
  readonly agentCcLogin: string | null;
  /** ms since the epoch. */
  readonly startedAt: number | null;
  readonly answeredAt: number | null;
  readonly endedAt: number | null;
  /** The CDR as ZIWO sent it, unknown fields included. */
  readonly fields: Readonly<Record<string, unknown>>;
}
/** A record the call log could not keep. */
export interface DroppedRecord {
  /** `'full'`: the outbox held 500 records, the oldest went; `'corrupt'`: an entry that cannot be read was skipped (its `key`); `'not-kept'`: storage failed (`error`), the record was handed to the handler once, not kept. */
  readonly reason: 'full' | 'corrupt' | 'not-kept';
  readonly record: CallRecord | null;
  readonly key: string | null;
  readonly error: ZiwoError | null;
}
export interface CallEndedOptions {
  /** Hears every record that could not be kept (each is also logged). */
  onDropped?: (dropped: DroppedRecord) => void;
  /**
   * A client of `ziwo-webphone/full` (`createApiClient({ fromSession: true })`): each record
   * then waits in the outbox for the call's CDR and is delivered with it (`cdr`,
   * `cdrStatus`). It is looked up by the call's id, then its primary call id, then among the
   * agent's recent calls by customer number, direction and an end within 10 s of the call's
   * (the nearest; never one another record took). Polls come about 1, 2, 4, 8 ... s apart; a
   * 5xx, a timeout or a network error is tried again within the wait; a 401/403 ends it at
   * once (`'failed'`) unless another source answered; a source that refuses the request
   * (another 4xx) gives way to the next. One tab looks each call up; each tab runs at most 4
   * lookups at once, each record at most 12 polls of at most 3 requests.
   */
  cdr?: CallLogClient;
  /** How long a record waits for its CDR, counted from the call's end (a reload resumes it): 0 to 600000 ms, default 120000. */
  cdrWaitMs?: number;
}
/** @internal How `onCallEnded` takes the library's own client out of an `ApiClient`. */
export declare const CALL_LOG_CLIENT: unique symbol;
/** @internal How `ziwo-webphone/full` tells `load()` to fetch the module with the REST client. */
export declare function useRestClient(): void;
/** An `ApiClient` of `ziwo-webphone/full`, as `onCallEnded`'s `cdr` takes it (this entry does not load the REST client). */
export interface CallLogClient {
  recordingUrl(callId: string): Promise<string>;
}

export interface ConnectedEvent {
  readonly type: 'connected';
  readonly agent: { readonly ccLogin: string | null; readonly firstName: string | null; readonly lastName: string | null };
  readonly contactCenter: string | null;
}
export interface DisconnectedEvent {
  readonly type: 'disconnected';
  /** `'duplicate-connection'`: another tab or device took the agent's session. */
  readonly reason: 'duplicate-connection' | 'socket-closed' | 'other';
  readonly message: string | null;
}
export interface PhoneErrorEvent {
  readonly type: 'error';
  /** 1001 protocol, 1002 media, 1003 missing call, 1004 cannot create call, 1005 devices, 10051 no input, 10052 no output. */
  readonly code: number | null;
  readonly kind: 'protocol' | 'media' | 'missing-call' | 'cannot-create-call' | 'devices' | 'no-input' | 'no-output' | 'unknown';
}
export interface DeviceChangedEvent {
  readonly type: 'device-changed';
  readonly device: 'input' | 'output';
}
/** Events of the phone that are not about one call. */
export type PhoneEvent = ConnectedEvent | DisconnectedEvent | PhoneErrorEvent | DeviceChangedEvent;

/** The web phone's session in localStorage. */
export interface Session {
  readonly token: string;
  readonly contactCenter: string;
  readonly ccLogin: string | null;
}
/** The session as another tab changed it. The token is not included: read it with `session()`. */
export interface SessionChange {
  readonly signedIn: boolean;
  readonly contactCenter: string | null;
  readonly ccLogin: string | null;
  /** Set when the stored session is not valid. */
  readonly error: ZiwoError | null;
}

export interface PhoneOptions {
  /** Also listen to these call states (for a newer phone); they arrive as `'unknown'` with their `rawState`. */
  extraStates?: string[];
}
export interface InstallOptions {
  /** The instance name: `wayne-enterprise` for `wayne-enterprise.aswat.co`. */
  contactCenter: string;
  position?: Position;
  size?: Size;
  /** Auto-login: the agent's access token, written with `contactCenter` before the loader runs. */
  token?: string;
  /** CSP nonce for the loader script. */
  nonce?: string;
  /** Load the phone from another URL (a simulator, a staging phone); http(s) only. */
  scriptUrl?: string;
}
export interface LinkifyOptions {
  /** A number that was not dialled: refused (`invalid-number`) or failed (the errors of `call()`), and the element clicked. */
  onError?: (error: ZiwoError, element: Element) => void;
}
export interface CallOptions {
  /** How long to wait for the phone to be ready, in ms (default 10000). */
  timeoutMs?: number;
}
export type PopupResolver = (customerNumber: string, event: CallEvent) => string | null | undefined | PromiseLike<string | null | undefined>;
export interface PopupOptions {
  /** A URL with `{number}` / `{callId}` (URL-encoded when filled), or a function giving the URL (`null`: no pop-up for this call). */
  url: string | PopupResolver;
  /** State that opens the pop-up of inbound calls (default `'ringing'`; `null`: never). */
  inbound?: KnownCallState | null;
  /** State that opens the pop-up of outbound calls (default `'early'`; `null`: never). An outbound call answered without it opens at `active`. */
  outbound?: KnownCallState | null;
  /** Default `null`. */
  internal?: KnownCallState | null;
  /** Default `null`. */
  service?: KnownCallState | null;
  /** `window.open` target (default `'_blank'`; a name reuses one window). */
  target?: string;
  /** `window.open` features. */
  features?: string;
  /** The browser blocked the pop-up: offer the URL another way. */
  onBlocked?: (url: string, event: CallEvent) => void;
  /** The resolver threw, rejected or gave something that is not an http(s) URL. */
  onError?: (error: ZiwoError, event: CallEvent) => void;
}

export type ZiwoErrorCode =
  | 'invalid-contact-center' | 'invalid-number' | 'invalid-token' | 'invalid-option'
  | 'invalid-url' | 'storage-unavailable' | 'storage-failed' | 'corrupt-session'
  | 'no-document' | 'already-installed' | 'script-failed' | 'phone-not-ready' | 'phone-threw'
  | 'popup-failed' | 'disposed' | 'not-signed-in' | 'not-loaded' | 'wasm-unavailable' | 'wasm-invalid' | 'wasm-blocked'
  | 'no-such-call' | 'invalid-state' | 'not-supported' | 'invalid-digits' | 'logged-out'
  | 'unauthorized' | 'http-status' | 'api-refused' | 'malformed-response' | 'network' | 'timeout';
/** Every error of the library. Messages never contain the token or the values passed in. */
export interface ZiwoError extends Error {
  readonly name: 'ZiwoError';
  readonly code: ZiwoErrorCode;
  /** For `'corrupt-session'`: the localStorage key holding the bad value. */
  readonly key?: string;
  /** For `'unauthorized'`, `'http-status'` and `'api-refused'`: the HTTP status. */
  readonly status?: number;
}

/** The ZIWO web phone on this page. Every listener lives until it is unsubscribed or the phone is disposed. */
export declare class WebPhone {
  /** Starts listening to the phone's events. Load the module first (`load()`), or use `createWebPhone()`: before, it throws `not-loaded`. */
  constructor(options?: PhoneOptions);
  /**
   * Installs the phone as ZIWO's snippet does, everything validated first; a second
   * install adds no second script. Resolves when the loader script has loaded.
   * Rejects with `invalid-contact-center`, `invalid-option`, `invalid-token`, `invalid-url`,
   * `storage-unavailable`, `storage-failed`, `no-document`, `script-failed`, `disposed`, or
   * `already-installed` when the phone in the page was installed with another contact
   * center, script URL or token (nothing is written then; reload the page to switch).
   */
  install(options: InstallOptions | string): Promise<void>;
  /**
   * Resolves with the agent once one is connected: at once when the agent is connected
   * already. The page remembers the phone's last `connected`/`disconnected` from the first
   * phone (or its `install`) on, so a phone created later knows an agent who connected
   * before it existed.
   * Rejects with `logged-out` as soon as the agent is logged out (see `connection`),
   * `timeout` when nobody connected within `timeoutMs`, `invalid-option`, or `disposed`
   * (also when the phone is disposed while waiting).
   */
  ready(options?: ReadyOptions): Promise<Agent>;
  /** Dials once the phone is ready. Settles within `timeoutMs`: rejects with `phone-not-ready` when the phone was not ready, or its dial function's Promise had not settled, by then; or with `invalid-number`, `invalid-option`, `phone-threw` (the phone's message, without the token or the number) or `disposed`. */
  call(number: string, options?: CallOptions): Promise<void>;
  /**
   * Every transition of every call. Listeners hear each event in the order the phone
   * dispatched it: an event the phone dispatches from inside a listener waits until every
   * listener has heard the current one. A listener that throws does not stop the others.
   * Every `on…` method throws `disposed` after `dispose()`.
   */
  onCall(listener: (event: CallEvent) => void): Unsubscribe;
  /** The agent's microphone muted or unmuted on a call, as ZIWO's SDK reports it with its `mute`/`unmute` events (the verto dialog reports none). Mute is not a call state: `onCall` does not hear it. */
  onMute(listener: (event: MuteEvent) => void): Unsubscribe;
  /**
   * Answers a ringing call, through the phone's own object of the call (the event's verto
   * `dialog`, else the SDK's `currentCall`). The phone checks nothing itself; these checks
   * are the only guard, and nothing is sent when one fails. Rejects with `no-such-call`
   * (unknown or ended call), `invalid-state` (not ringing, or already being answered),
   * `not-supported` (the phone's object has no such method), `invalid-option` (callId not a
   * string), `phone-threw` (the phone's method threw or rejected: its message, never the
   * token) or `disposed`.
   *
   * Resolves when the phone's method has returned (or its Promise settled), not when the
   * state changed: the new state comes through `onCall`. ZIWO's SDK dispatches `active`
   * before its method returns (listeners hear it before this resolves), the verto dialog
   * when the server confirms. The SDK first puts every other call on hold; their `held`
   * arrives through `onCall` too.
   */
  answer(callId: string): Promise<void>;
  /** Hangs up (or rejects) a call that has not ended. Rejects with `no-such-call` (also while a hang-up is under way), `not-supported`, `invalid-option`, `phone-threw` or `disposed`. The SDK dispatches `hangup` and `destroy` before its method returns; the verto dialog `hangup`, then `destroy`. */
  hangup(callId: string): Promise<void>;
  /** Puts an active call on hold. Rejects as `answer`. Resolves when the request is sent; `held` arrives through `onCall` when the phone's server confirms. */
  hold(callId: string): Promise<void>;
  /** Takes a held call off hold. Rejects as `answer`. Resolves when the request is sent; `active` arrives when the server confirms. The SDK first puts every other call on hold. */
  unhold(callId: string): Promise<void>;
  /** Mutes the agent's microphone on an active or held call. Rejects as `answer`. ZIWO's SDK reports it with its `mute` event, inside its method (`onMute` hears it before this resolves); the verto dialog switches the microphone without an event (the call's `muted` then does not change). Only the call's state is checked: muting twice is harmless. */
  mute(callId: string): Promise<void>;
  /** Unmutes an active or held call. As `mute`. */
  unmute(callId: string): Promise<void>;
  /** Sends DTMF digits (1 to 32 of `0-9 * # A-D`) on an active call, in order (one per call of the SDK's `dtmf`). Rejects with `invalid-digits`, or as `answer`. Resolves when every digit is sent. */
  dtmf(callId: string, digits: string): Promise<void>;
  /** Blind-transfers an active or held call to `number` (the call leaves the agent). Rejects with `invalid-number` (`invalid-option` for a number that is no string), or as `answer` (`invalid-state` also while a transfer is under way). */
  transfer(callId: string, number: string): Promise<void>;
  /**
   * Logs every call: at each call's `destroy` its record is written to a durable outbox in
   * `localStorage`, then handed to `handler`. The record stays there until what `handler`
   * returns resolves (or `handler` returns without throwing); a handler that throws or
   * rejects is called again with backoff (1, 2, 4 ... s, at most 5 min). Records still
   * pending when the tab closed or reloaded are delivered when a page of the CRM next calls
   * `onCallEnded`. When several tabs see the call, one delivers it (a Web Lock per record,
   * held while it is delivered, 5 minutes at most). Delivery is at least once (a handler
   * that never answers, a log stopped mid-delivery, no Web Locks): deduplicate on `callId`.
   * At most 500 records wait (the oldest are dropped first); each tab delivers at most 4 at
   * once. A second `onCallEnded` replaces the first. Returns
   * the function that stops it (pending records stay for the next handler). Throws
   * `invalid-option` or `disposed`.
   */
  onCallEnded(handler: (record: CallRecord) => unknown, options?: CallEndedOptions): Unsubscribe;
  /** Every non-call event of the phone. */
  onPhoneEvent(listener: (event: PhoneEvent) => void): Unsubscribe;
  onConnected(listener: (event: ConnectedEvent) => void): Unsubscribe;
  onDisconnected(listener: (event: DisconnectedEvent) => void): Unsubscribe;
  onError(listener: (event: PhoneErrorEvent) => void): Unsubscribe;
  /** Another tab changed or cleared the phone's session. */
  onSessionChange(listener: (change: SessionChange) => void): Unsubscribe;
  /**
   * Click-to-dial anywhere in `root` (default: the document): clicks on `tel:` and
   * `callto:` links and on elements with a `data-ziwo-number` attribute, present or added
   * later (one delegated listener), dial through `call()` instead of the browser's default.
   * Clicks with Ctrl, Meta, Shift or Alt, with another button than the main one, or
   * already cancelled by a handler keep their default. A number that does not validate is
   * not dialled: it, and a call that fails (`phone-not-ready`...), go to
   * `options.onError(error, element)`, else to the logger as a warning. Returns the
   * function that turns it off (dispose() does too). Throws `invalid-option` for a root
   * that is not a DOM node, `disposed` after dispose().
   */
  linkify(root?: Document | Element | null, options?: LinkifyOptions): Unsubscribe;
  /** Opens the customer's page once per call; replaces any pop-up set before. Returns the function that turns it off. */
  popup(options: PopupOptions | string): Unsubscribe;
  /** The live calls, oldest first, durations counted up to now. */
  calls(): CallSnapshot[];
  /** The session in localStorage, or `null`. Throws `storage-unavailable` (a read that throws is never "logged out") or `corrupt-session`. */
  session(): Session | null;
  /** Writes the auto-login keys as plain strings (effective at the phone's next load). */
  setSession(session: { token: string; contactCenter: string }): void;
  /** Logs out: removes `_jorel-token`, `_jorel-ccName` and `_jorel-ccLogin`. */
  clearSession(): void;
  /** Removes every listener, subscription and pop-up (one still waiting opens nothing). After it, every method that installs, dials or listens fails with `disposed`. Idempotent. */
  dispose(): void;
  readonly disposed: boolean;
  /**
   * Whether an agent is connected: `'connected'`/`'disconnected'` from the phone's last
   * such event since the page's first phone (a phone created later knows it); `'logged-out'` when the phone has loaded, is not connected and no session
   * is stored (it shows its own login form: it loaded without a token, or the session was
   * cleared here or in another tab, or the agent logged out in the phone); `'unknown'`
   * until one of these is known. A `'disconnected'` phone with a stored session (another
   * tab took it, the socket closed) is not logged out.
   */
  readonly connection: Connection;
}

/** Where the WebAssembly module comes from, when not next to this module. */
export type WasmSource = string | URL | Request | Response | BufferSource | WebAssembly.Module;

/**
 * Loads the WebAssembly module once (a failed load may be tried again). By default the
 * .wasm next to this module: `ziwo_webphone_companion_bg.wasm`, or, when the page imports
 * `ziwo-webphone/full` before this first load, `ziwo_webphone_bg.wasm`, the same module
 * with the REST client. Rejects with `wasm-unavailable` (the .wasm could not be fetched: a
 * network error or an HTTP error status) or `wasm-invalid` (what came is not this
 * package's WebAssembly, e.g. an HTML page that a server's SPA fallback sent in its place,
 * or the companion's module on a page that imports `ziwo-webphone/full`) or `wasm-blocked`
 * (the page's Content-Security-Policy refuses WebAssembly: it needs 'wasm-unsafe-eval');
 * each message says what to fix.
 */
export declare function load(wasm?: WasmSource | Promise<WasmSource>): Promise<void>;
/** `load` under the name used without a bundler: `await init(); const phone = new WebPhone();`. */
export declare const init: typeof load;
/** Loads the module and creates a `WebPhone`, which starts listening at once. */
export declare function createWebPhone(options?: PhoneOptions): Promise<WebPhone>;
/** Whether `error` is an error of this library. */
export declare function isZiwoError(error: unknown): error is ZiwoError;
/** Sends the library's log messages of `level` (default `'warn'`) and more severe to `sink`; `null` stops logging. One logger for the page (both entries). Before `load()`, it takes effect when the module has loaded (a bad argument then rejects `load()`). Rust: `set_logger(sink, level)`, the same order. */
export declare function setLogger(sink: ((level: LogLevel, message: string) => void) | null, level?: LogLevel): void;
