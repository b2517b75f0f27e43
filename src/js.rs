//! The JavaScript facade: `#[wasm_bindgen]` exports over the browser layer, with the
//! TypeScript types JS users see. Every value that comes from JS is checked here and
//! turned into a typed error (a JS `Error` named `ZiwoError` with a `code`).

use crate::browser::convert::set;
use crate::browser::convert::{error_to_js, snapshots_to_js};
use crate::browser::ToJs;
use crate::browser::{
    clear_logger, clear_session, dial, read_session, set_logger, when_settled, write_session,
    Install, Kind, Level, Listener, Oneshot, PhoneOptions, Popup, PopupReply, PopupUrl, WebPhone,
    DEFAULT_DIAL_TIMEOUT_MS,
};
use crate::core::{
    CallState, ContactCenter, Error, PhoneEvent, PhoneNumber, PopupRule, Position, Size, Token,
};
use js_sys::{Function, Object, Promise, Reflect};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** The state of a call: the suffix of `_jorel-dialog-state-<state>`; `'unknown'` for a state this version does not know (its name is in `rawState`). */
export type CallState =
  | 'requesting' | 'trying' | 'early' | 'ringing' | 'answering' | 'active' | 'held'
  | 'hangup' | 'destroy' | 'recovering' | 'purge' | 'mute' | 'unmute' | 'unknown';
/** Who placed the call. */
export type Direction = 'inbound' | 'outbound' | 'internal' | 'service' | 'unknown';
/** Where the phone widget sits. */
export type Position = 'bottom-right' | 'bottom-left' | 'top-right' | 'top-left';
/** How large the phone widget is. */
export type Size = 'normal' | 'small' | 'mini';
/** Removes a listener; calling it again does nothing. */
export type Unsubscribe = () => void;
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/** One state a call went through. */
export interface HistoryEntry {
  state: CallState;
  /** The state's name as the phone sent it (differs from `state` only for `'unknown'`). */
  rawState: string;
  /** When the call entered the state, in ms since the epoch. */
  at: number;
}

/** What is known of one call at one moment. */
export interface CallSnapshot {
  callId: string;
  primaryCallId: string | null;
  customerNumber: string | null;
  direction: Direction;
  state: CallState;
  rawState: string;
  /** When the current state was entered (ms since the epoch). */
  at: number;
  /** When the call was first seen (ms since the epoch). */
  startedAt: number;
  /** The call came back as `recovering` after a reload: not a new call. */
  recovered: boolean;
  /** The call reached `hangup`, `purge` or `destroy`. */
  ended: boolean;
  /** From `ringing`/`early` to the answer (or the end, if unanswered). */
  ringMs: number;
  /** Time in `active` (muted or not). */
  talkMs: number;
  /** Time in `held`. */
  holdMs: number;
  history: HistoryEntry[];
}

/** One real transition of a call (repeats of the current state are not transitions). */
export interface CallEvent {
  callId: string;
  primaryCallId: string | null;
  customerNumber: string | null;
  direction: Direction;
  state: CallState;
  rawState: string;
  previousState: CallState | null;
  /** When the call entered `state` (ms since the epoch). */
  at: number;
  recovered: boolean;
  /** The call after this transition, durations counted up to `at`. */
  call: CallSnapshot;
}

export interface ConnectedEvent {
  type: 'connected';
  agent: { ccLogin: string | null; firstName: string | null; lastName: string | null };
  contactCenter: string | null;
}
export interface DisconnectedEvent {
  type: 'disconnected';
  /** `'duplicate-connection'`: another tab or device took the agent's session. */
  reason: 'duplicate-connection' | 'socket-closed' | 'other';
  message: string | null;
}
export interface PhoneErrorEvent {
  type: 'error';
  code: number | null;
  kind: 'protocol' | 'media' | 'missing-call' | 'cannot-create-call' | 'devices' | 'no-input' | 'no-output' | 'unknown';
}
export interface DeviceChangedEvent {
  type: 'device-changed';
  device: 'input' | 'output';
}
/** Events of the phone that are not about one call. */
export type PhoneEvent = ConnectedEvent | DisconnectedEvent | PhoneErrorEvent | DeviceChangedEvent;

/** The web phone's session in localStorage. */
export interface Session {
  token: string;
  contactCenter: string;
  ccLogin: string | null;
}
/** The session as changed by another tab. The token is not included: read it with `session()`. */
export interface SessionChange {
  signedIn: boolean;
  contactCenter: string | null;
  ccLogin: string | null;
  /** Set when the stored session is not valid. */
  error: ZiwoError | null;
}

export interface PhoneOptions {
  /** Also listen to these call states (for a newer phone); they arrive as `'unknown'`. */
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
  /** Load the phone from another URL (a simulator, a staging phone). */
  scriptUrl?: string;
}
export interface CallOptions {
  /** How long to wait for the phone to be ready (ms, default 10000). */
  timeoutMs?: number;
}
export interface PopupOptions {
  /** A URL with `{number}`/`{callId}` (URL-encoded when filled), or a function giving the URL (or `null` for no pop-up). */
  url: string | ((customerNumber: string, event: CallEvent) => string | null | undefined | Promise<string | null | undefined>);
  /** State that opens the pop-up for inbound calls (default `'ringing'`; `null`: never). */
  inbound?: CallState | null;
  /** State that opens the pop-up for outbound calls (default `'early'`; `null`: never). */
  outbound?: CallState | null;
  internal?: CallState | null;
  service?: CallState | null;
  /** `window.open` target (default `'_blank'`). */
  target?: string;
  /** `window.open` features. */
  features?: string;
  /** The browser blocked the pop-up: offer the URL another way. */
  onBlocked?: (url: string, event: CallEvent) => void;
  /** The URL could not be resolved or is not an http(s) URL. */
  onError?: (error: ZiwoError, event: CallEvent) => void;
}
export type ZiwoErrorCode =
  | 'invalid-contact-center' | 'invalid-number' | 'invalid-token' | 'invalid-option'
  | 'invalid-url' | 'storage-unavailable' | 'storage-failed' | 'corrupt-session'
  | 'no-document' | 'script-failed' | 'phone-not-ready' | 'phone-threw'
  | 'popup-failed' | 'disposed';
/** Every error of the library. Messages never contain the token or the values passed in. */
export interface ZiwoError extends Error {
  name: 'ZiwoError';
  code: ZiwoErrorCode;
  /** For `'corrupt-session'`: the localStorage key holding the bad value. */
  key?: string;
}
"#;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(typescript_type = "PhoneOptions")]
    pub type PhoneOptionsArg;
    #[wasm_bindgen(typescript_type = "InstallOptions | string")]
    pub type InstallArg;
    #[wasm_bindgen(typescript_type = "CallOptions")]
    pub type CallOptionsArg;
    #[wasm_bindgen(typescript_type = "PopupOptions | string")]
    pub type PopupArg;
    #[wasm_bindgen(typescript_type = "{ token: string; contactCenter: string }")]
    pub type SessionArg;
    #[wasm_bindgen(typescript_type = "(event: CallEvent) => void")]
    pub type CallListener;
    #[wasm_bindgen(typescript_type = "(event: PhoneEvent) => void")]
    pub type PhoneListener;
    #[wasm_bindgen(typescript_type = "(event: ConnectedEvent) => void")]
    pub type ConnectedListener;
    #[wasm_bindgen(typescript_type = "(event: DisconnectedEvent) => void")]
    pub type DisconnectedListener;
    #[wasm_bindgen(typescript_type = "(event: PhoneErrorEvent) => void")]
    pub type ErrorListener;
    #[wasm_bindgen(typescript_type = "(change: SessionChange) => void")]
    pub type SessionListener;
    #[wasm_bindgen(typescript_type = "((level: LogLevel, message: string) => void) | null")]
    pub type LogSink;
    #[wasm_bindgen(typescript_type = "Unsubscribe")]
    pub type UnsubscribeFn;
    #[wasm_bindgen(typescript_type = "Promise<void>")]
    pub type PromiseVoid;
    #[wasm_bindgen(typescript_type = "Session | null")]
    pub type SessionOrNull;
    #[wasm_bindgen(typescript_type = "CallSnapshot[]")]
    pub type Snapshots;
}

thread_local! {
    /// Phones created from JS stay alive until `dispose()`, whether or not JS keeps
    /// its handle: a handle collected by the garbage collector must not silently
    /// remove the page's listeners.
    static LIVE: RefCell<Vec<WebPhone>> = const { RefCell::new(Vec::new()) };
}

fn fail(error: Error) -> JsValue {
    error_to_js(&error)
}

fn get(object: &JsValue, key: &str) -> JsValue {
    if !object.is_object() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn absent(value: &JsValue) -> bool {
    value.is_undefined() || value.is_null()
}

/// An optional string option; anything but a string, `undefined` or `null` is `what`.
fn opt_string(object: &JsValue, key: &str, what: &'static str) -> Result<Option<String>, Error> {
    let value = get(object, key);
    if absent(&value) {
        return Ok(None);
    }
    value
        .as_string()
        .map(Some)
        .ok_or(Error::InvalidOption(what))
}

fn opt_function(
    object: &JsValue,
    key: &str,
    what: &'static str,
) -> Result<Option<Function>, Error> {
    let value = get(object, key);
    if absent(&value) {
        return Ok(None);
    }
    value
        .dyn_into::<Function>()
        .map(Some)
        .map_err(|_| Error::InvalidOption(what))
}

fn listener(value: JsValue) -> Result<Function, JsValue> {
    value
        .dyn_into::<Function>()
        .map_err(|_| fail(Error::InvalidOption("the listener must be a function")))
}

fn rejected(error: Error) -> PromiseVoid {
    Promise::reject(&fail(error)).unchecked_into()
}

/// A Promise that settles with `outcome`.
fn promise(outcome: Oneshot<Result<(), Error>>) -> PromiseVoid {
    Promise::new(&mut |resolve: Function, reject: Function| {
        outcome.then(move |result| {
            let _ = match result {
                Ok(()) => resolve.call0(&JsValue::UNDEFINED),
                Err(e) => reject.call1(&JsValue::UNDEFINED, &fail(e.clone())),
            };
        });
    })
    .unchecked_into()
}

/// The ZIWO web phone on this page: install it, dial, and listen to its calls.
///
/// Create it with `createWebPhone()` (which loads the WebAssembly module first). It
/// starts listening to the phone's events at once; every listener lives until it is
/// unsubscribed or the phone is disposed.
#[wasm_bindgen(js_name = WebPhone)]
pub struct JsWebPhone {
    phone: WebPhone,
}

#[wasm_bindgen(js_class = WebPhone)]
impl JsWebPhone {
    /// Starts listening to the phone's events. Call after the module is loaded
    /// (`await load()`), or use `createWebPhone()`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: Option<PhoneOptionsArg>) -> Result<JsWebPhone, JsValue> {
        let mut opts = PhoneOptions::new();
        if let Some(options) = options {
            let extra = get(&options, "extraStates");
            if !absent(&extra) {
                if !js_sys::Array::is_array(&extra) {
                    return Err(fail(Error::InvalidOption(
                        "extraStates must be an array of strings",
                    )));
                }
                for name in js_sys::Array::from(&extra).iter() {
                    let name = name.as_string().ok_or_else(|| {
                        fail(Error::InvalidOption(
                            "extraStates must be an array of strings",
                        ))
                    })?;
                    opts = opts.extra_state(&name).map_err(fail)?;
                }
            }
        }
        let phone = WebPhone::with_options(&opts).map_err(fail)?;
        LIVE.with(|l| l.borrow_mut().push(phone.clone()));
        Ok(JsWebPhone { phone })
    }

    /// Installs the phone exactly as ZIWO's snippet does (validating everything first;
    /// a second install adds no second script). Resolves when the loader script has
    /// loaded; rejects with a `ZiwoError` (`invalid-contact-center`, `script-failed`...).
    pub fn install(&self, options: InstallArg) -> PromiseVoid {
        match self.prepare_install(&options) {
            Ok(install) => match install.run() {
                Ok(load) => promise(load.0),
                Err(e) => rejected(e),
            },
            Err(e) => rejected(e),
        }
    }

    fn prepare_install(&self, options: &JsValue) -> Result<Install, Error> {
        self.phone_live()?;
        let (name, options) = match options.as_string() {
            Some(name) => (name, JsValue::UNDEFINED),
            None => {
                let name = opt_string(options, "contactCenter", "contactCenter must be a string")?
                    .ok_or(Error::InvalidOption("contactCenter is required"))?;
                (name, options.clone())
            }
        };
        let mut install = Install::new(ContactCenter::parse(&name)?);
        if let Some(p) = opt_string(&options, "position", "position must be a string")? {
            install = install.position(Position::parse(&p)?);
        }
        if let Some(s) = opt_string(&options, "size", "size must be a string")? {
            install = install.size(Size::parse(&s)?);
        }
        if let Some(t) = opt_string(&options, "token", "token must be a string")? {
            install = install.token(Token::parse(&t)?);
        }
        if let Some(n) = opt_string(&options, "nonce", "nonce must be a string")? {
            install = install.nonce(n);
        }
        if let Some(u) = opt_string(&options, "scriptUrl", "scriptUrl must be a string")? {
            install = install.script_url(u);
        }
        Ok(install)
    }

    fn phone_live(&self) -> Result<(), Error> {
        if self.phone.is_disposed() {
            Err(Error::Disposed)
        } else {
            Ok(())
        }
    }

    /// Dials `number` (`+` and digits; spaces, `-`, `.`, `(`, `)` are removed) once the
    /// phone is ready. Rejects with `invalid-number`, `phone-not-ready` or `phone-threw`.
    pub fn call(&self, number: JsValue, options: Option<CallOptionsArg>) -> PromiseVoid {
        let parsed = number
            .as_string()
            .ok_or(Error::InvalidOption("the number must be a string"))
            .and_then(|n| PhoneNumber::parse(&n));
        let timeout = options.map_or(Ok(DEFAULT_DIAL_TIMEOUT_MS), |o| timeout_ms(&o));
        match (parsed, timeout) {
            (Ok(number), Ok(timeout)) => promise(dial(&number, timeout).0),
            (Err(e), _) | (_, Err(e)) => rejected(e),
        }
    }

    /// Calls `listener` with every transition of every call. Returns the unsubscribe.
    #[wasm_bindgen(js_name = onCall)]
    pub fn on_call(&self, listener: CallListener) -> Result<UnsubscribeFn, JsValue> {
        self.subscribe(Kind::Call, listener.into(), None)
    }

    /// Calls `listener` with every non-call event of the phone.
    #[wasm_bindgen(js_name = onPhoneEvent)]
    pub fn on_phone_event(&self, listener: PhoneListener) -> Result<UnsubscribeFn, JsValue> {
        self.subscribe(Kind::Phone, listener.into(), None)
    }

    /// Calls `listener` when the phone connects (logs in).
    #[wasm_bindgen(js_name = onConnected)]
    pub fn on_connected(&self, listener: ConnectedListener) -> Result<UnsubscribeFn, JsValue> {
        self.subscribe(
            Kind::Phone,
            listener.into(),
            Some(|e| matches!(e, PhoneEvent::Connected { .. })),
        )
    }

    /// Calls `listener` when the phone loses its connection (`reason:
    /// 'duplicate-connection'` when another tab or device took the session).
    #[wasm_bindgen(js_name = onDisconnected)]
    pub fn on_disconnected(
        &self,
        listener: DisconnectedListener,
    ) -> Result<UnsubscribeFn, JsValue> {
        self.subscribe(
            Kind::Phone,
            listener.into(),
            Some(|e| matches!(e, PhoneEvent::Disconnected { .. })),
        )
    }

    /// Calls `listener` when the phone reports an error.
    #[wasm_bindgen(js_name = onError)]
    pub fn on_error(&self, listener: ErrorListener) -> Result<UnsubscribeFn, JsValue> {
        self.subscribe(
            Kind::Phone,
            listener.into(),
            Some(|e| matches!(e, PhoneEvent::Error { .. })),
        )
    }

    /// Calls `listener` when another tab changes or clears the phone's session.
    #[wasm_bindgen(js_name = onSessionChange)]
    pub fn on_session_change(&self, listener: SessionListener) -> Result<UnsubscribeFn, JsValue> {
        self.subscribe(Kind::Session, listener.into(), None)
    }

    fn subscribe(
        &self,
        kind: Kind,
        f: JsValue,
        filter: Option<fn(&PhoneEvent) -> bool>,
    ) -> Result<UnsubscribeFn, JsValue> {
        self.phone_live().map_err(fail)?;
        let f = listener(f)?;
        let core = self.phone.core();
        let id = match kind {
            Kind::Call => core.calls.add(Listener::Js(f, None)),
            Kind::Phone => core.events.add(Listener::Js(f, filter)),
            Kind::Session => core.sessions.add(Listener::Js(f, None)),
        };
        let weak = Rc::downgrade(core);
        let unsubscribe = Closure::<dyn FnMut()>::new(move || {
            if let Some(core) = weak.upgrade() {
                core.unsubscribe(kind, id);
            }
        });
        Ok(unsubscribe.into_js_value().unchecked_into())
    }

    /// Opens the customer's CRM page once per call: at `ringing` for inbound calls and
    /// at `early` for outbound calls (configurable), never for a recovered call.
    /// Replaces any pop-up set before; returns the function that turns it off.
    pub fn popup(&self, options: PopupArg) -> Result<UnsubscribeFn, JsValue> {
        self.phone_live().map_err(fail)?;
        let popup = popup_from_js(&options).map_err(fail)?;
        self.phone.set_popup(popup).map_err(fail)?;
        let core = Rc::downgrade(self.phone.core());
        let current = self.phone.core().popup_id();
        let off = Closure::<dyn FnMut()>::new(move || {
            if let Some(core) = core.upgrade() {
                core.clear_popup_if(current);
            }
        });
        Ok(off.into_js_value().unchecked_into())
    }

    /// The calls alive now, oldest first, with durations counted up to now.
    pub fn calls(&self) -> Snapshots {
        let core = self.phone.core();
        let tracker = core.tracker();
        snapshots_to_js(tracker.calls(), js_sys::Date::now()).unchecked_into()
    }

    /// The web phone's session in localStorage, or `null`. Throws `storage-unavailable`
    /// or `corrupt-session`.
    pub fn session(&self) -> Result<SessionOrNull, JsValue> {
        let session = read_session().map_err(fail)?;
        Ok(match session {
            None => JsValue::NULL,
            Some(s) => {
                let o = Object::new();
                set(&o, "token", &JsValue::from_str(s.token.expose()));
                set(
                    &o,
                    "contactCenter",
                    &JsValue::from_str(s.contact_center.as_str()),
                );
                match &s.cc_login {
                    Some(l) => set(&o, "ccLogin", &JsValue::from_str(l)),
                    None => set(&o, "ccLogin", &JsValue::NULL),
                }
                o.into()
            }
        }
        .unchecked_into())
    }

    /// Writes the auto-login keys (`_jorel-token`, `_jorel-ccName`) as plain strings.
    /// They take effect at the phone's next load; `install({ token })` writes them
    /// before loading it.
    #[wasm_bindgen(js_name = setSession)]
    pub fn set_session(&self, session: SessionArg) -> Result<(), JsValue> {
        let run = || -> Result<(), Error> {
            let token = opt_string(&session, "token", "token must be a string")?
                .ok_or(Error::InvalidToken)?;
            let name = opt_string(&session, "contactCenter", "contactCenter must be a string")?
                .ok_or(Error::InvalidOption("contactCenter is required"))?;
            let token = Token::parse(&token)?;
            let name = ContactCenter::parse(&name)?;
            write_session(&token, &name)
        };
        run().map_err(fail)
    }

    /// Logs out: removes `_jorel-token`, `_jorel-ccName` and `_jorel-ccLogin`.
    #[wasm_bindgen(js_name = clearSession)]
    pub fn clear_session(&self) -> Result<(), JsValue> {
        clear_session().map_err(fail)
    }

    /// Removes every listener, subscription and pop-up, and forgets every call.
    /// Idempotent. Create a new WebPhone to listen again (installing again works).
    pub fn dispose(&self) {
        self.phone.dispose();
        let core = self.phone.core().clone();
        LIVE.with(|l| l.borrow_mut().retain(|p| !Rc::ptr_eq(p.core(), &core)));
    }

    /// Whether `dispose()` was called.
    #[wasm_bindgen(getter)]
    pub fn disposed(&self) -> bool {
        self.phone.is_disposed()
    }
}

fn timeout_ms(options: &JsValue) -> Result<u32, Error> {
    let value = get(options, "timeoutMs");
    if absent(&value) {
        return Ok(DEFAULT_DIAL_TIMEOUT_MS);
    }
    match value.as_f64() {
        Some(ms) if (0.0..=600_000.0).contains(&ms) => Ok(ms as u32),
        _ => Err(Error::InvalidOption(
            "timeoutMs must be a number of ms between 0 and 600000",
        )),
    }
}

fn trigger(
    options: &JsValue,
    key: &str,
    default: Option<CallState>,
) -> Result<Option<CallState>, Error> {
    const WHAT: &str = "pop-up states must be call state names or null";
    let value = get(options, key);
    if value.is_undefined() {
        return Ok(default);
    }
    if value.is_null() {
        return Ok(None);
    }
    let name = value.as_string().ok_or(Error::InvalidOption(WHAT))?;
    CallState::known(&name)
        .map(Some)
        .ok_or(Error::InvalidOption(WHAT))
}

fn popup_from_js(options: &JsValue) -> Result<Popup, Error> {
    const URL: &str = "url must be a URL template string or a function";
    let (url, options) = match options.as_string() {
        Some(template) => (JsValue::from_str(&template), JsValue::UNDEFINED),
        None => (get(options, "url"), options.clone()),
    };
    let url = if let Some(template) = url.as_string() {
        PopupUrl::Template(template)
    } else if let Some(f) = url.dyn_ref::<Function>() {
        PopupUrl::Resolver(js_resolver(f.clone()))
    } else {
        return Err(Error::InvalidOption(URL));
    };
    let defaults = PopupRule::default();
    let rule = PopupRule {
        inbound: trigger(&options, "inbound", defaults.inbound)?,
        outbound: trigger(&options, "outbound", defaults.outbound)?,
        internal: trigger(&options, "internal", defaults.internal)?,
        service: trigger(&options, "service", defaults.service)?,
    };
    let mut popup = Popup::with_url(url).rule(rule);
    if let Some(t) = opt_string(&options, "target", "target must be a string")? {
        popup = popup.target(t);
    }
    if let Some(f) = opt_string(&options, "features", "features must be a string")? {
        popup = popup.features(f);
    }
    if let Some(f) = opt_function(&options, "onBlocked", "onBlocked must be a function")? {
        popup = popup.on_blocked(move |url, event| {
            if let Err(e) = f.call2(&JsValue::UNDEFINED, &JsValue::from_str(url), &event.to_js()) {
                let _ = Promise::reject(&e);
            }
        });
    }
    if let Some(f) = opt_function(&options, "onError", "onError must be a function")? {
        popup = popup.on_error(move |error, event| {
            if let Err(e) = f.call2(&JsValue::UNDEFINED, &error_to_js(error), &event.to_js()) {
                let _ = Promise::reject(&e);
            }
        });
    }
    Ok(popup)
}

/// A JS resolver `(customerNumber, event) => string | null | Promise<string | null>`.
fn js_resolver(f: Function) -> Rc<dyn Fn(PopupReply)> {
    Rc::new(move |reply: PopupReply| {
        let event = reply.event();
        let number = JsValue::from_str(event.call.customer_number.as_deref().unwrap_or(""));
        match f.call2(&JsValue::UNDEFINED, &number, &event.to_js()) {
            Err(_) => reply.fail(Error::PopupFailed),
            Ok(value) => {
                let reply = Rc::new(reply);
                let settled = reply.clone();
                let failed = reply.clone();
                let pending = when_settled(
                    &value,
                    move |v| answer(&settled, &v),
                    move |_| failed.fail(Error::PopupFailed),
                );
                if !pending {
                    answer(&reply, &value);
                }
            }
        }
    })
}

fn answer(reply: &PopupReply, value: &JsValue) {
    if absent(value) {
        reply.skip();
    } else if let Some(url) = value.as_string() {
        reply.open(&url);
    } else {
        reply.fail(Error::PopupFailed);
    }
}

/// Sends the library's log messages of `level` (default `'warn'`) and more severe to
/// `sink`; `null` stops logging (the default). Messages never contain the token.
#[wasm_bindgen(js_name = setLogger)]
pub fn js_set_logger(sink: LogSink, level: Option<String>) -> Result<(), JsValue> {
    let sink: JsValue = sink.into();
    if absent(&sink) {
        clear_logger();
        return Ok(());
    }
    let f = listener(sink)?;
    let level = match level.as_deref() {
        None => Level::Warn,
        Some(name) => Level::parse(name).ok_or_else(|| {
            fail(Error::InvalidOption(
                "level must be 'error', 'warn', 'info' or 'debug'",
            ))
        })?,
    };
    set_logger(level, move |level, message| {
        let _ = f.call2(
            &JsValue::UNDEFINED,
            &JsValue::from_str(level.name()),
            &JsValue::from_str(message),
        );
    });
    Ok(())
}
