//! The wasm-bindgen exports that the npm package's facade (`js/index.js`, `js/api.js`)
//! wraps: the browser layer of this crate, seen from JavaScript. Everything here
//! translates JS values to the layer's Rust types and back (option objects in, plain
//! objects and `ZiwoError`s out); every behaviour is the layer's own, shared with Rust
//! users. Values from the page are untrusted: a wrong type is an `invalid-option` error,
//! a getter that throws is one too, and nothing here panics on them.

use super::api::{logged_in, ApiClient, ApiReply};
use super::calllog::{CallLogOptions, Dropped};
use super::log::{clear_logger, log, set_logger, Level};
use super::oneshot::when_settled;
use super::oneshot::Oneshot;
use super::phone::{PhoneOptions, WebPhone, DEFAULT_READY_TIMEOUT_MS};
use super::popup::{Popup, PopupReply, PopupUrl};
use super::read::{
    self, js_agent, js_call_event, js_call_record, js_cdr, js_dropped, js_error, js_mute_event,
    js_phone_event, js_session, js_session_change, js_snapshot, report,
};
use super::storage::{clear_session, read_session, write_session};
use super::subscribers::Subscribers;
use super::Install;
use crate::core::api::{
    AgentStatus, Credentials, Entity, Op, Page, Request, TrackerFields, TrackerLogQuery, Whisper,
};
use crate::core::{
    check_timeout_ms, Action, Agent, CallDetail, CallEvent, CallRecord, CallSnapshot, CallState,
    CdrStatus, ContactCenter, Error, PhoneEvent, PhoneNumber, PopupRule, Position, Session,
    SessionChange, Size, Token,
};
use js_sys::{Array, Function, Promise, Reflect};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

// The npm package is a final artifact, so it picks its allocator: talc, smaller than
// Rust's default dlmalloc here. Rust users of the crate keep their own (no `js` feature).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

// ---- values out ------------------------------------------------------------------------

/// The `ZiwoError` of `error`: its code, its message (the phone's or the API's own words
/// after it, never the caller's input), the key or the HTTP status.
pub(crate) fn to_js(error: &Error) -> JsValue {
    let message = error.full_message();
    let (key, status) = match error {
        Error::CorruptSession(key) => (Some(*key), None),
        Error::ApiUnauthorized(status)
        | Error::ApiStatus(status)
        | Error::ApiRefused(status, _) => (None, Some(*status)),
        _ => (None, None),
    };
    js_error(error.code(), &message, key, status)
}

/// A call as JS listeners see it, durations up to `until`. Its strings cross as one
/// NUL-separated UTF-8 text (the call id, the primary call id, the customer number, the
/// current state's name when it is unknown, then the names of the history's unknown
/// states; none holds a NUL), decoded once by the snippet; `present` says which optional
/// ones are there (1: primary call id, 2: customer number).
#[inline(never)]
fn snapshot(call: &CallSnapshot, until: f64) -> JsValue {
    let d = call.durations(until);
    let primary = call.primary_call_id.as_deref();
    let number = call.customer_number.as_deref();
    fn unknown(state: &CallState) -> Option<&str> {
        match state {
            CallState::Other(name) => Some(name),
            _ => None,
        }
    }
    let mut text = String::with_capacity(64);
    for part in [Some(&*call.call_id), primary, number, unknown(call.state())] {
        text.push_str(part.unwrap_or_default());
        text.push('\u{0}');
    }
    let mut states = Vec::with_capacity(call.history.len());
    let mut ats = Vec::with_capacity(call.history.len());
    for entry in &call.history {
        states.push(entry.state.index());
        ats.push(entry.at);
        if let Some(name) = unknown(&entry.state) {
            text.push_str(name);
            text.push('\u{0}');
        }
    }
    let flags =
        u8::from(call.recovered) | u8::from(call.ended()) << 1 | u8::from(call.muted()) << 2;
    js_snapshot(
        text.as_bytes(),
        u8::from(primary.is_some()) | u8::from(number.is_some()) << 1,
        call.direction.index(),
        flags,
        call.state().index(),
        call.at(),
        call.started_at(),
        d.ring_ms,
        d.talk_ms,
        d.hold_ms,
        d.muted_ms,
        &states,
        &ats,
    )
}

/// A call record as JS handlers see it (strings as in `snapshot`).
fn call_record(r: &CallRecord) -> JsValue {
    let primary = r.primary_call_id.as_deref();
    let number = r.customer_number.as_deref();
    let mut text = String::with_capacity(64);
    for part in [Some(&*r.call_id), primary, number] {
        text.push_str(part.unwrap_or_default());
        text.push('\u{0}');
    }
    let mut states = Vec::with_capacity(r.history.len());
    let mut ats = Vec::with_capacity(r.history.len());
    for entry in &r.history {
        states.push(entry.state.index());
        ats.push(entry.at);
        if let CallState::Other(name) = &entry.state {
            text.push_str(name);
            text.push('\u{0}');
        }
    }
    let (status, code, message) = match &r.cdr_status {
        None => (None, None, None),
        Some(s @ CdrStatus::Failed { code, message }) => {
            (Some(s.name()), Some(&**code), Some(&**message))
        }
        Some(s) => (Some(s.name()), None, None),
    };
    let cdr = r.cdr.as_ref().map_or(JsValue::NULL, cdr_object);
    js_call_record(
        text.as_bytes(),
        u8::from(primary.is_some()) | u8::from(number.is_some()) << 1,
        r.direction.index(),
        u8::from(r.recovered),
        r.started_at,
        r.answered_at.unwrap_or(f64::NAN),
        r.ended_at,
        r.ring_ms,
        r.talk_ms,
        r.hold_ms,
        r.muted_ms,
        &states,
        &ats,
        &cdr,
        status,
        code,
        message,
    )
}

/// A CDR as JS handlers see it: its strings cross as one NUL-separated text, `present`
/// says which are there (bit `i` for the `i`th), absent numbers are NaN.
fn cdr_object(c: &CallDetail) -> JsValue {
    let mut text = String::with_capacity(256);
    let mut present = 0u16;
    let strings = [
        &c.call_id,
        &c.id,
        &c.direction,
        &c.disposition,
        &c.hangup_cause,
        &c.hangup_by,
        &c.recording_file,
        &c.did_called,
        &c.caller_id_number,
        &c.caller_id_name,
        &c.agent_cc_login,
    ];
    for (i, s) in strings.into_iter().enumerate() {
        if let Some(s) = s {
            present |= 1 << i;
            text.push_str(s);
        }
        text.push('\u{0}');
    }
    let n = |v: Option<f64>| v.unwrap_or(f64::NAN);
    js_cdr(
        text.as_bytes(),
        present,
        &[
            n(c.duration_s),
            n(c.hold_time_s),
            n(c.started_at),
            n(c.answered_at),
            n(c.ended_at),
        ],
        &c.json,
    )
}

/// What `onDropped` hears.
fn dropped(d: &Dropped) -> JsValue {
    match d {
        Dropped::Full(record) => js_dropped("full", &call_record(record), None, &JsValue::NULL),
        Dropped::Corrupt(key) => js_dropped("corrupt", &JsValue::NULL, Some(key), &JsValue::NULL),
        Dropped::NotKept(record, e) => {
            js_dropped("not-kept", &call_record(record), None, &to_js(e))
        }
    }
}

fn call_event(event: &CallEvent) -> JsValue {
    let previous = event.previous.as_ref().map_or(-1, |p| i32::from(p.index()));
    js_call_event(previous, &snapshot(&event.call, event.at()))
}

/// `(type, object)`: the type is the index of `PHONE_TYPES` in js/events.js.
fn phone_event(event: &PhoneEvent) -> (u8, JsValue) {
    fn o(s: &Option<Box<str>>) -> Option<&str> {
        s.as_deref()
    }
    match event {
        PhoneEvent::Connected {
            cc_login,
            first_name,
            last_name,
            contact_center,
        } => (
            0,
            js_phone_event(
                0,
                o(cc_login),
                o(first_name),
                o(last_name),
                o(contact_center),
                None,
            ),
        ),
        PhoneEvent::Disconnected { reason, message } => (
            1,
            js_phone_event(1, Some(reason.name()), o(message), None, None, None),
        ),
        PhoneEvent::Error { code, kind } => (
            2,
            js_phone_event(2, Some(kind.name()), None, None, None, *code),
        ),
        PhoneEvent::DeviceChanged { input } => (
            3,
            js_phone_event(
                3,
                Some(if *input { "input" } else { "output" }),
                None,
                None,
                None,
                None,
            ),
        ),
    }
}

fn session_object(session: &Session) -> JsValue {
    js_session(
        session.token.expose(),
        session.contact_center.as_str(),
        session.cc_login.as_deref(),
    )
}

fn session_change(change: &SessionChange) -> JsValue {
    js_session_change(
        change.signed_in,
        change.contact_center.as_ref().map(ContactCenter::as_str),
        change.cc_login.as_deref(),
        change.error.as_ref().map_or(JsValue::NULL, to_js),
    )
}

/// Calls a page's function; when it throws, the others still run and the throw is
/// re-raised where the page's error reporting sees it.
fn call_page(f: &Function, args: &[&JsValue], what: &str) -> Result<JsValue, JsValue> {
    let result = match args {
        [] => f.call0(&JsValue::UNDEFINED),
        [a] => f.call1(&JsValue::UNDEFINED, a),
        [a, b, ..] => f.call2(&JsValue::UNDEFINED, a, b),
    };
    result.inspect_err(|thrown| {
        log(Level::Error, &[what, " threw; the library went on"]);
        report(thrown);
    })
}

// ---- values in -------------------------------------------------------------------------

/// `object[key]`, `undefined` when `object` is not an object; a getter that throws is
/// an `invalid-option` error.
fn field(object: &JsValue, key: &str) -> Result<JsValue, Error> {
    if !object.is_object() && !object.is_function() {
        return Ok(JsValue::UNDEFINED);
    }
    Reflect::get(object, &JsValue::from_str(key))
        .map_err(|_| Error::InvalidOption("an option's getter threw"))
}

/// The options object (`undefined` or `null`: none), or `invalid-option`.
fn options(value: &JsValue, what: &'static str) -> Result<JsValue, Error> {
    if value.is_undefined() || value.is_null() || value.is_object() {
        Ok(value.clone())
    } else {
        Err(Error::InvalidOption(what))
    }
}

/// A string option: `None` for `undefined`/`null`, `invalid-option` for anything else
/// that is not a string.
fn string(value: JsValue, what: &'static str) -> Result<Option<String>, Error> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value
        .as_string()
        .map(Some)
        .ok_or(Error::InvalidOption(what))
}

fn function(value: JsValue, what: &'static str) -> Result<Option<Function>, Error> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    value
        .dyn_into::<Function>()
        .map(Some)
        .map_err(|_| Error::InvalidOption(what))
}

fn required(value: Option<String>, what: &'static str) -> Result<String, Error> {
    value.ok_or(Error::InvalidOption(what))
}

/// A timeout option in ms (`undefined`: `default`), checked as Rust callers' are.
fn timeout(value: JsValue, min: u32, default: u32) -> Result<u32, Error> {
    if value.is_undefined() || value.is_null() {
        return Ok(default);
    }
    check_timeout_ms(value.as_f64().unwrap_or(f64::NAN), min)
}

/// The settled Promise of a fallible step, for methods that return a Promise: they
/// reject, never throw.
fn rejected(error: &Error) -> Promise {
    Promise::reject(&to_js(error))
}

/// The Promise of `done`'s outcome, its value made by `value`.
fn promise<T: Clone + 'static>(
    done: &Oneshot<Result<T, Error>>,
    value: impl FnOnce(T) -> Result<JsValue, Error> + 'static,
) -> Promise {
    let done = done.clone();
    let mut value = Some(value);
    Promise::new(&mut |resolve, reject| {
        let value = value.take();
        done.then(move |outcome| {
            match outcome.and_then(|v| value.map_or(Ok(JsValue::UNDEFINED), |f| f(v))) {
                Ok(v) => resolve.call1(&JsValue::UNDEFINED, &v),
                Err(e) => reject.call1(&JsValue::UNDEFINED, &to_js(&e)),
            }
            .ok();
        })
    })
}

fn js_result<T>(result: Result<T, Error>) -> Result<T, JsValue> {
    result.map_err(|e| to_js(&e))
}

// ---- the phone -------------------------------------------------------------------------

/// JS listeners of one phone: one object per event, shared by all of them.
#[derive(Default)]
struct Listeners {
    calls: Subscribers<JsValue>,
    mutes: Subscribers<JsValue>,
    /// `(type, event)`; each listener keeps the types it wants.
    phone: Subscribers<(u8, JsValue)>,
    sessions: Subscribers<JsValue>,
}

/// What `on` listens to.
const ON_CALL: u8 = 0;
const ON_PHONE: u8 = 1;
const ON_CONNECTED: u8 = 2;
const ON_DISCONNECTED: u8 = 3;
const ON_ERROR: u8 = 4;
const ON_SESSION: u8 = 5;
const ON_MUTE: u8 = 6;

/// The actions of `act`, in the order of `js/index.js`.
const ACTIONS: [Action; 8] = [
    Action::Answer,
    Action::Hangup,
    Action::Hold,
    Action::Unhold,
    Action::Mute,
    Action::Unmute,
    Action::Dtmf,
    Action::Transfer,
];

/// The web phone, for `js/index.js`'s `WebPhone`.
#[wasm_bindgen(js_name = Phone)]
pub struct JsPhone {
    phone: WebPhone,
    listeners: Rc<Listeners>,
    /// Which `popup()` is the current one, for its off function.
    popup: Cell<u32>,
    /// The `onDropped` listener of the current `onCallEnded`, if any.
    dropped: Cell<Option<u32>>,
}

#[wasm_bindgen(js_class = Phone)]
impl JsPhone {
    /// Starts listening; `options.extraStates` is an array of state names.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<JsPhone, JsValue> {
        js_result(Self::create(&options))
    }

    fn create(value: &JsValue) -> Result<JsPhone, Error> {
        let o = options(value, "options must be an object")?;
        let extra = field(&o, "extraStates")?;
        let mut phone_options = PhoneOptions::new();
        if !extra.is_undefined() && !extra.is_null() {
            // Read once, by the snippet: a page's array may answer differently when read
            // again, and its getters may throw.
            let copy = read::items(&extra);
            if copy.is_undefined() {
                return Err(Error::InvalidOption("an option's getter threw"));
            }
            if copy.is_null() {
                return Err(Error::InvalidOption(
                    "extraStates must be an array of strings",
                ));
            }
            for item in Array::from(&copy).iter() {
                let name = string(item, "extraStates must be an array of strings")?.ok_or(
                    Error::InvalidOption("extraStates must be an array of strings"),
                )?;
                phone_options = phone_options.extra_state(&name)?;
            }
        }
        let phone = WebPhone::with_options(&phone_options)?;
        let listeners = Rc::new(Listeners::default());
        // One subscription of each kind for every JS listener; they live until dispose
        // (a phone object that JS lets go of keeps listening: its listeners are the page's).
        let l = listeners.clone();
        phone
            .on_call(move |e| {
                if l.calls.len() > 0 {
                    l.calls.emit(&call_event(e));
                }
            })?
            .forget();
        let l = listeners.clone();
        phone
            .on_mute(move |e| {
                if l.mutes.len() > 0 {
                    let call = snapshot(&e.call, e.at);
                    l.mutes.emit(&js_mute_event(e.muted, e.at, &call));
                }
            })?
            .forget();
        let l = listeners.clone();
        phone
            .on_phone_event(move |e| {
                if l.phone.len() > 0 {
                    l.phone.emit(&phone_event(e));
                }
            })?
            .forget();
        let l = listeners.clone();
        phone
            .on_session_change(move |c| {
                if l.sessions.len() > 0 {
                    l.sessions.emit(&session_change(c));
                }
            })?
            .forget();
        Ok(JsPhone {
            phone,
            listeners,
            popup: Cell::new(0),
            dropped: Cell::new(None),
        })
    }

    /// Installs the phone (a contact-center name, or the options object).
    pub fn install(&self, options: JsValue) -> Promise {
        match self.plan_install(&options).and_then(|i| i.run()) {
            Ok(load) => promise(&load.0, |()| Ok(JsValue::UNDEFINED)),
            Err(e) => rejected(&e),
        }
    }

    fn plan_install(&self, value: &JsValue) -> Result<Install, Error> {
        self.phone.core().check_live()?;
        let (name, o) = match value.as_string() {
            Some(name) => (Some(name), JsValue::UNDEFINED),
            None if value.is_object() => (
                string(
                    field(value, "contactCenter")?,
                    "contactCenter must be a string",
                )?,
                value.clone(),
            ),
            None => return Err(Error::InvalidOption("install options must be an object")),
        };
        let name = required(name, "contactCenter is required")?;
        let mut install = Install::new(ContactCenter::parse(&name)?);
        if let Some(p) = string(field(&o, "position")?, "position must be a string")? {
            install = install.position(Position::parse(&p)?);
        }
        if let Some(s) = string(field(&o, "size")?, "size must be a string")? {
            install = install.size(Size::parse(&s)?);
        }
        if let Some(t) = string(field(&o, "token")?, "token must be a string")? {
            install = install.token(Token::parse(&t)?);
        }
        if let Some(n) = string(field(&o, "nonce")?, "nonce must be a string")? {
            install = install.nonce(n);
        }
        if let Some(u) = string(field(&o, "scriptUrl")?, "scriptUrl must be a string")? {
            install = install.script_url(u);
        }
        Ok(install)
    }

    /// Dials `number` once the phone is ready.
    pub fn call(&self, number: JsValue, options: JsValue) -> Promise {
        let dialing = (|| {
            let number = string(number, "the number must be a string")?
                .ok_or(Error::InvalidOption("the number must be a string"))?;
            let o = crate::browser::bindings::options(&options, "call options must be an object")?;
            let ms = timeout(field(&o, "timeoutMs")?, 0, super::DEFAULT_DIAL_TIMEOUT_MS)?;
            Ok(self.phone.dial(&PhoneNumber::parse(&number)?, ms))
        })();
        match dialing {
            Ok(dialing) => promise(&dialing.0, |()| Ok(JsValue::UNDEFINED)),
            Err(e) => rejected(&e),
        }
    }

    /// Acts on call `call_id`: `action` indexes `ACTIONS`; `argument` is the digits of
    /// DTMF and the number of a transfer.
    pub fn act(&self, action: u8, call_id: JsValue, argument: JsValue) -> Promise {
        let command = (|| {
            let action = *ACTIONS
                .get(usize::from(action))
                .ok_or(Error::InvalidOption("unknown action"))?;
            let id = string(call_id, "the call id must be a string")?
                .ok_or(Error::InvalidOption("the call id must be a string"))?;
            let p = &self.phone;
            Ok(match action {
                Action::Dtmf => p.dtmf(&id, &argument.as_string().ok_or(Error::InvalidDigits)?),
                Action::Transfer => {
                    let number = string(argument, "the number must be a string")?
                        .ok_or(Error::InvalidOption("the number must be a string"))?;
                    p.transfer(&id, &PhoneNumber::parse(&number)?)
                }
                Action::Answer => p.answer(&id),
                Action::Hangup => p.hangup(&id),
                Action::Hold => p.hold(&id),
                Action::Unhold => p.unhold(&id),
                Action::Mute => p.mute(&id),
                _ => p.unmute(&id),
            })
        })();
        match command {
            Ok(command) => promise(&command.0, |()| Ok(JsValue::UNDEFINED)),
            Err(e) => rejected(&e),
        }
    }

    /// Resolves with the agent once connected (`options.timeoutMs`, default 30000).
    pub fn ready(&self, options: JsValue) -> Promise {
        let ready = (|| {
            let o = self::options(&options, "ready options must be an object")?;
            let ms = timeout(field(&o, "timeoutMs")?, 0, DEFAULT_READY_TIMEOUT_MS)?;
            Ok(self.phone.ready(ms))
        })();
        match ready {
            Ok(ready) => promise(&ready.0, |a: Agent| {
                Ok(js_agent(
                    a.cc_login.as_deref(),
                    a.first_name.as_deref(),
                    a.last_name.as_deref(),
                    a.contact_center.as_deref(),
                ))
            }),
            Err(e) => rejected(&e),
        }
    }

    /// Click-to-dial in `root` (default: the document); its id for `unlink`.
    /// `options.onError(error, element)` hears the numbers not dialled (else the logger).
    pub fn linkify(&self, root: JsValue, options: JsValue) -> Result<u32, JsValue> {
        js_result((|| {
            let root: web_sys::Node = if root.is_undefined() || root.is_null() {
                web_sys::window()
                    .and_then(|w| w.document())
                    .ok_or(Error::NoDocument)?
                    .into()
            } else {
                root.dyn_into().map_err(|_| {
                    Error::InvalidOption("the root must be a DOM node (a document or an element)")
                })?
            };
            let o = self::options(&options, "linkify options must be an object")?;
            let on_error = function(field(&o, "onError")?, "onError must be a function")?;
            let links = self
                .phone
                .linkify(&root, move |error, element| match &on_error {
                    Some(f) => {
                        let _ = call_page(f, &[&to_js(error), element], "onError");
                    }
                    None => log(
                        Level::Warn,
                        &["a number was not dialled: ", error.message()],
                    ),
                })?;
            let id = links.id();
            links.forget();
            Ok(id)
        })())
    }

    /// Undoes `linkify` number `id`; nothing when it is gone already.
    pub fn unlink(&self, id: u32) {
        self.phone.core().links.remove(id);
    }

    /// Logs every call through `handler(record)` (see `WebPhone::on_call_ended`): the
    /// record is taken when what it returns resolves (or when it returns no thenable
    /// without throwing). `options.onDropped(info)` hears what could not be kept. Its id
    /// for `offCallEnded`; a second one replaces the first.
    #[wasm_bindgen(js_name = onCallEnded)]
    pub fn on_call_ended(
        &self,
        handler: JsValue,
        options: JsValue,
        api: Option<JsApi>,
    ) -> Result<u32, JsValue> {
        js_result((|| {
            let f = function(handler, "the handler must be a function")?
                .ok_or(Error::InvalidOption("the handler must be a function"))?;
            let o = self::options(&options, "onCallEnded options must be an object")?;
            let on_dropped = function(field(&o, "onDropped")?, "onDropped must be a function")?;
            let cdr = field(&o, "cdr")?;
            let wait = field(&o, "cdrWaitMs")?;
            let mut log_options = CallLogOptions::new();
            match api {
                Some(api) => log_options = log_options.cdr(api.client),
                None if cdr.is_undefined() || cdr.is_null() => {}
                None => {
                    return Err(Error::InvalidOption(
                        "cdr must be an ApiClient of ziwo-webphone/full",
                    ))
                }
            }
            if !wait.is_undefined() {
                let ms = wait
                    .as_f64()
                    .ok_or(Error::InvalidOption("cdrWaitMs must be 0 to 600000"))?;
                log_options = log_options.wait_from_js(ms)?;
            }
            self.phone.core().check_live()?;
            let deliver: super::calllog::Deliver = Rc::new(move |record, done: Oneshot<bool>| {
                let object = call_record(&record);
                match call_page(&f, &[&object], "the call log's handler") {
                    Err(_) => done.settle(false),
                    Ok(returned) => {
                        let (ok, failed) = (done.clone(), done.clone());
                        if !when_settled(
                            &returned,
                            move |_| ok.settle(true),
                            move |_| failed.settle(false),
                        ) {
                            done.settle(true);
                        }
                    }
                }
            });
            if let Some(old) = self.dropped.take() {
                self.phone.core().dropped.remove(old);
            }
            if let Some(listener) = on_dropped {
                let sub = self.phone.on_call_dropped(move |d| {
                    let _ = call_page(&listener, &[&dropped(d)], "onDropped");
                })?;
                self.dropped.set(Some(sub.id()));
                sub.forget();
            }
            let sub = self.phone.set_call_log(deliver, log_options)?;
            let id = sub.id();
            sub.forget();
            Ok(id)
        })())
    }

    /// Stops the call log `id` (its records stay in the outbox for the next handler).
    #[wasm_bindgen(js_name = offCallEnded)]
    pub fn off_call_ended(&self, id: u32) {
        if self
            .phone
            .core()
            .unsubscribe(super::phone::Kind::CallLog, id)
        {
            if let Some(old) = self.dropped.take() {
                self.phone.core().dropped.remove(old);
            }
        }
    }

    /// Adds a listener (`kind`: `ON_*`); its id for `off`.
    pub fn on(&self, kind: u8, listener: JsValue) -> Result<u32, JsValue> {
        js_result((|| {
            let f = function(listener, "the listener must be a function")?
                .ok_or(Error::InvalidOption("the listener must be a function"))?;
            self.phone.core().check_live()?;
            let l = &self.listeners;
            Ok(match kind {
                ON_CALL => l.calls.add(Box::new(move |e| {
                    let _ = call_page(&f, &[e], "a listener");
                })),
                ON_SESSION => l.sessions.add(Box::new(move |e| {
                    let _ = call_page(&f, &[e], "a listener");
                })),
                ON_MUTE => l.mutes.add(Box::new(move |e| {
                    let _ = call_page(&f, &[e], "a listener");
                })),
                ON_PHONE | ON_CONNECTED | ON_DISCONNECTED | ON_ERROR => {
                    // The type that `phone_event` gives each kind of event, or all.
                    let only = kind.checked_sub(ON_CONNECTED);
                    l.phone.add(Box::new(move |(ty, e)| {
                        if only.map_or(true, |only| only == *ty) {
                            let _ = call_page(&f, &[e], "a listener");
                        }
                    }))
                }
                _ => return Err(Error::InvalidOption("unknown kind of listener")),
            })
        })())
    }

    /// Removes listener `id` of `kind`; nothing when it is gone already.
    pub fn off(&self, kind: u8, id: u32) {
        let l = &self.listeners;
        match kind {
            ON_CALL => l.calls.remove(id),
            ON_SESSION => l.sessions.remove(id),
            ON_MUTE => l.mutes.remove(id),
            _ => l.phone.remove(id),
        };
    }

    /// Sets the pop-up; its number for `clearPopup`.
    pub fn popup(&self, options: JsValue) -> Result<u32, JsValue> {
        js_result((|| {
            let popup = popup_options(&options)?;
            self.phone.set_popup(popup)?;
            let n = self.popup.get().wrapping_add(1);
            self.popup.set(n);
            Ok(n)
        })())
    }

    /// Turns pop-up `n` off, when it is still the current one.
    #[wasm_bindgen(js_name = clearPopup)]
    pub fn clear_popup(&self, n: u32) {
        if self.popup.get() == n {
            self.phone.clear_popup();
        }
    }

    /// The live calls, durations up to now.
    pub fn calls(&self) -> Array {
        let now = js_sys::Date::now();
        self.phone
            .calls()
            .iter()
            .map(|c| snapshot(c, now))
            .collect()
    }

    /// The stored session, or `null`.
    pub fn session(&self) -> Result<JsValue, JsValue> {
        js_result(read_session()).map(|s| s.as_ref().map_or(JsValue::NULL, session_object))
    }

    /// Writes the auto-login keys.
    #[wasm_bindgen(js_name = setSession)]
    pub fn set_session(&self, value: JsValue) -> Result<(), JsValue> {
        js_result((|| {
            if !value.is_object() {
                return Err(Error::InvalidOption("session must be an object"));
            }
            let token = string(field(&value, "token")?, "token must be a string")?;
            let name = string(
                field(&value, "contactCenter")?,
                "contactCenter must be a string",
            )?;
            let token = Token::parse(&required(token, "token is required")?)?;
            let name = ContactCenter::parse(&required(name, "contactCenter is required")?)?;
            write_session(&token, &name)
        })())
    }

    /// Logs out.
    #[wasm_bindgen(js_name = clearSession)]
    pub fn clear_session(&self) -> Result<(), JsValue> {
        js_result(clear_session())
    }

    /// Removes every listener, subscription and pop-up: a listener that disposes the
    /// phone stops the others from hearing the event too.
    pub fn dispose(&self) {
        self.phone.dispose();
        self.listeners.calls.clear();
        self.listeners.phone.clear();
        self.listeners.sessions.clear();
    }

    /// Whether `dispose` was called.
    #[wasm_bindgen(getter)]
    pub fn disposed(&self) -> bool {
        self.phone.is_disposed()
    }

    /// `'unknown'`, `'connected'` or `'disconnected'`.
    #[wasm_bindgen(getter)]
    pub fn connection(&self) -> String {
        self.phone.connection().name().to_owned()
    }
}

/// A pop-up state option: `undefined` gives `default`, `null` never.
fn trigger(o: &JsValue, key: &str, default: Option<CallState>) -> Result<Option<CallState>, Error> {
    let value = field(o, key)?;
    if value.is_undefined() {
        return Ok(default);
    }
    if value.is_null() {
        return Ok(None);
    }
    value
        .as_string()
        .and_then(|name| CallState::known(&name))
        .map(Some)
        .ok_or(Error::InvalidOption(
            "pop-up states must be call state names or null",
        ))
}

fn popup_options(value: &JsValue) -> Result<Popup, Error> {
    let (url, o) = match value.as_string() {
        Some(template) => (JsValue::from_str(&template), JsValue::UNDEFINED),
        None if value.is_object() => (field(value, "url")?, value.clone()),
        None => return Err(Error::InvalidOption("pop-up options must be an object")),
    };
    let url = if let Some(template) = url.as_string() {
        PopupUrl::Template(template)
    } else if let Some(resolver) = url.dyn_ref::<Function>() {
        let resolver = resolver.clone();
        PopupUrl::Resolver(Rc::new(move |reply| resolve(&resolver, reply)))
    } else {
        return Err(Error::InvalidOption(
            "url must be a URL template string or a function",
        ));
    };
    let defaults = PopupRule::default();
    let rule = PopupRule {
        inbound: trigger(&o, "inbound", defaults.inbound)?,
        outbound: trigger(&o, "outbound", defaults.outbound)?,
        internal: trigger(&o, "internal", defaults.internal)?,
        service: trigger(&o, "service", defaults.service)?,
    };
    let mut popup = Popup::with_url(url).rule(rule);
    if let Some(target) = string(field(&o, "target")?, "target must be a string")? {
        popup = popup.target(target);
    }
    if let Some(features) = string(field(&o, "features")?, "features must be a string")? {
        popup = popup.features(features);
    }
    if let Some(f) = function(field(&o, "onBlocked")?, "onBlocked must be a function")? {
        popup = popup.on_blocked(move |url, event| {
            let _ = call_page(
                &f,
                &[&JsValue::from_str(url), &call_event(event)],
                "onBlocked",
            );
        });
    }
    if let Some(f) = function(field(&o, "onError")?, "onError must be a function")? {
        popup = popup.on_error(move |error, event| {
            let _ = call_page(&f, &[&to_js(error), &call_event(event)], "onError");
        });
    }
    Ok(popup)
}

/// Asks the page's resolver for the URL: a string opens it, `null`/`undefined` opens
/// nothing, anything else, a throw or a rejection is `popup-failed`.
fn resolve(resolver: &Function, reply: PopupReply) {
    let event = reply.event();
    let number = JsValue::from_str(event.call.customer_number.as_deref().unwrap_or_default());
    let answer = |reply: &PopupReply, value: &JsValue| {
        if value.is_undefined() || value.is_null() {
            reply.skip();
        } else if let Some(url) = value.as_string() {
            reply.open(&url);
        } else {
            reply.fail(Error::PopupFailed);
        }
    };
    let value = match resolver.call2(&JsValue::UNDEFINED, &number, &call_event(event)) {
        Ok(value) => value,
        Err(_) => return reply.fail(Error::PopupFailed),
    };
    let reply = Rc::new(reply);
    let on_err = reply.clone();
    let on_ok = reply.clone();
    if !when_settled(
        &value,
        move |v| answer(&on_ok, &v),
        move |_| on_err.fail(Error::PopupFailed),
    ) {
        answer(&reply, &value);
    }
}

/// Sends the library's log messages of `level` and more severe to `sink` (`null`:
/// none). A sink that throws is ignored.
#[wasm_bindgen(js_name = setLogger)]
pub fn js_set_logger(sink: JsValue, level: JsValue) -> Result<(), JsValue> {
    js_result((|| {
        let sink = function(sink, "the logger must be a function or null")?;
        let name = if level.is_undefined() {
            Some("warn".to_owned())
        } else {
            level.as_string()
        };
        let level = name
            .as_deref()
            .and_then(Level::parse)
            .ok_or(Error::InvalidOption(
                "level must be 'error', 'warn', 'info' or 'debug'",
            ))?;
        match sink {
            None => clear_logger(),
            Some(sink) => set_logger(
                move |level, message| {
                    let _ = sink.call2(
                        &JsValue::UNDEFINED,
                        &JsValue::from_str(level.name()),
                        &JsValue::from_str(message),
                    );
                },
                level,
            ),
        }
        Ok(())
    })())
}

// ---- the REST client -------------------------------------------------------------------

/// The error of an argument the facade could not take apart (a getter that threw, an
/// object that `JSON.stringify` refuses): `invalid-option`, so that every method rejects
/// with a `ZiwoError`.
#[wasm_bindgen(js_name = unreadable)]
pub fn js_unreadable() -> JsValue {
    to_js(&Error::InvalidOption(
        "an argument could not be read: a getter threw, or it cannot be turned into JSON",
    ))
}

/// A REST client, for `js/api.js`'s `ApiClient`.
#[wasm_bindgen(js_name = Api)]
pub struct JsApi {
    client: ApiClient,
}

#[wasm_bindgen(js_class = Api)]
impl JsApi {
    /// A client from the options object of `ApiClient`.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<JsApi, JsValue> {
        js_result(Self::create(&options))
    }

    fn create(value: &JsValue) -> Result<JsApi, Error> {
        let o = options(value, "API options must be an object")?;
        let timeout_ms = timeout(field(&o, "timeoutMs")?, 1, super::DEFAULT_API_TIMEOUT_MS)?;
        let base = string(field(&o, "baseUrl")?, "baseUrl must be a string")?;
        let mut client = if field(&o, "fromSession")?.as_bool() == Some(true) {
            ApiClient::from_session()?
        } else {
            let name = string(
                field(&o, "contactCenter")?,
                "contactCenter must be a string",
            )?
            .filter(|n| !n.is_empty());
            let token = string(field(&o, "token")?, "token must be a string")?;
            let key = string(field(&o, "apiKey")?, "apiKey must be a string")?;
            let credentials = match (
                token.filter(|t| !t.is_empty()),
                key.filter(|k| !k.is_empty()),
            ) {
                (None, None) => Credentials::None,
                (Some(t), None) => Credentials::AccessToken(Token::parse(&t)?),
                (None, Some(k)) => {
                    Credentials::ApiKey(Token::parse(&k).map_err(|_| Error::InvalidToken)?)
                }
                _ => return Err(Error::InvalidOption("give a token or an apiKey, not both")),
            };
            match (name, base.as_deref().filter(|b| !b.is_empty())) {
                // A proxy or a stand-in: no contact-center name.
                (None, Some(base)) => ApiClient::at(base, credentials)?,
                (name, _) => ApiClient::new(
                    &ContactCenter::parse(&name.unwrap_or_default())?,
                    credentials,
                ),
            }
        };
        if let Some(base) = base.filter(|b| !b.is_empty()) {
            client = client.with_base_url(&base)?;
        }
        client = client.with_timeout(timeout_ms)?;
        let routes = field(&o, "routes")?;
        if !routes.is_undefined() && !routes.is_null() {
            if !routes.is_object() {
                return Err(Error::InvalidOption("routes must be an object"));
            }
            let pairs = read::entries(&routes);
            if pairs.is_undefined() {
                return Err(Error::InvalidOption("an option's getter threw"));
            }
            let pairs = Array::from(&pairs);
            for i in (0..pairs.length()).step_by(2) {
                let name = pairs.get(i).as_string().unwrap_or_default();
                let op = Op::from_name(&name).ok_or(Error::InvalidOption("unknown route name"))?;
                let path =
                    string(pairs.get(i + 1), "a route must be a string")?.unwrap_or_default();
                client.requests_mut().routes.set(op, &path)?;
            }
        }
        Ok(JsApi { client })
    }

    /// Sends operation `op` with `args`; a Promise of the envelope's `content` (a Blob
    /// for a recording).
    pub fn send(&self, op: &str, args: JsValue) -> Promise {
        let request = args_of(&args).and_then(|a| {
            let a: Vec<&str> = a.iter().map(String::as_str).collect();
            build(&self.client, op, &a)
        });
        let list = Op::from_name(op).is_some_and(is_list);
        match request {
            Ok(request) => promise(&self.client.send(&request).0, move |reply| match reply {
                ApiReply::Json(content) if list && !Array::is_array(&content) => {
                    Err(Error::ApiMalformed)
                }
                ApiReply::Json(content) => Ok(content),
                ApiReply::Bytes(blob) => Ok(blob.into()),
            }),
            Err(e) => rejected(&e),
        }
    }

    /// A copy of this client, for `onCallEnded`'s `cdr` option (which takes it).
    #[wasm_bindgen(js_name = forCallLog)]
    pub fn for_call_log(&self) -> JsApi {
        JsApi {
            client: self.client.clone(),
        }
    }

    /// Logs an agent in: a Promise of the access token.
    pub fn login(&self, username: JsValue, password: JsValue, save_session: bool) -> Promise {
        // As every REST argument: text, or a number as its decimal text.
        let credentials = args_of(&Array::of2(&username, &password).into()).map(|mut a| {
            let p = a.pop().unwrap_or_default();
            (a.pop().unwrap_or_default(), p)
        });
        let request = credentials.and_then(|(u, p)| self.client.requests().login(&u, &p));
        let client = self.client.clone();
        match request {
            Ok(request) => {
                let done = Oneshot::new();
                let settle = done.clone();
                self.client.send(&request).0.then(move |reply| {
                    settle.settle(logged_in(&client, reply, save_session));
                });
                promise(&done, |token| Ok(JsValue::from_str(token.expose())))
            }
            Err(e) => rejected(&e),
        }
    }
}

/// Operations whose `content` is a list.
fn is_list(op: Op) -> bool {
    matches!(
        op,
        Op::CallHistoryList
            | Op::AgentCalls
            | Op::TrackerList
            | Op::ProfileSearch
            | Op::TrackerLogs
    )
}

/// The arguments as text: strings, finite numbers as decimals, `undefined`/`null` as
/// empty (not given).
fn args_of(args: &JsValue) -> Result<Vec<String>, Error> {
    if !Array::is_array(args) {
        return Err(Error::InvalidOption("arguments must be an array"));
    }
    Array::from(args)
        .iter()
        .map(|a| {
            if a.is_undefined() || a.is_null() {
                Ok(String::new())
            } else if let Some(s) = a.as_string() {
                Ok(s)
            } else if let Some(text) = a
                .as_f64()
                .filter(|n| n.is_finite())
                .and_then(|_| js_sys::Number::from(a).to_string_with_radix(10).ok())
                .and_then(|t| t.as_string())
            {
                // JavaScript's own decimal text (no float formatting in the module).
                Ok(text)
            } else {
                Err(Error::InvalidOption("an argument must be a string"))
            }
        })
        .collect()
}

fn arg<'a>(args: &[&'a str], i: usize) -> &'a str {
    args.get(i).copied().unwrap_or("")
}

fn optional<'a>(args: &[&'a str], i: usize) -> Option<&'a str> {
    Some(arg(args, i)).filter(|s| !s.is_empty())
}

fn integer<T: std::str::FromStr>(text: &str, what: &'static str) -> Result<T, Error> {
    text.parse().map_err(|_| Error::InvalidOption(what))
}

fn page(args: &[&str], i: usize) -> Result<Page, Error> {
    let limit =
        optional(args, i).map_or(Ok(Page::MAX_LIMIT), |l| integer(l, "limit must be 1-50"))?;
    let skip =
        optional(args, i + 1).map_or(Ok(0), |s| integer(s, "skip must be a whole number"))?;
    Page::new(limit, skip)
}

/// Name/value pairs: `[name, value, name, value...]`.
fn tracker_fields(pairs: &[&str]) -> Result<TrackerFields, Error> {
    let mut fields = TrackerFields::default();
    for pair in pairs.chunks(2) {
        fields.set(arg(pair, 0), arg(pair, 1))?;
    }
    Ok(fields)
}

/// The request of operation `op` from its arguments, in the order `js/api.js` passes
/// them.
fn build(client: &ApiClient, op: &str, a: &[&str]) -> Result<Request, Error> {
    let r = client.requests();
    let number = |i: usize| PhoneNumber::parse(arg(a, i));
    let op = Op::from_name(op).ok_or(Error::InvalidOption("unknown API operation"))?;
    match op {
        Op::Login => r.login(arg(a, 0), arg(a, 1)),
        Op::CallHistory => r.call_history(arg(a, 0)),
        Op::CallHistoryList => r.call_history_list(optional(a, 0), page(a, 1)?),
        Op::Recording => r.recording(arg(a, 0)),
        Op::AgentCalls => {
            let at = |i: usize, default: u64| {
                optional(a, i).map_or(Ok(default), |n| {
                    integer(n, "fetchStart and fetchStop are whole numbers")
                })
            };
            r.agent_calls(at(0, 0)?, at(1, 6)?)
        }
        Op::AdminCall => r.admin_call(&number(0)?, arg(a, 1) == "true"),
        Op::CtiCall => r.cti_call(arg(a, 0), &number(1)?, optional(a, 2)),
        Op::CtiIvr => r.cti_ivr(arg(a, 0), &number(1)?, optional(a, 2)),
        Op::CtiLogin => r.cti_login(arg(a, 0)),
        Op::CtiLogout => r.cti_logout(arg(a, 0)),
        Op::CtiStatus => r.cti_status(
            arg(a, 0),
            AgentStatus::from_code(integer(arg(a, 1), "status must be -1, 0, 1, 2, 3 or 4")?)?,
        ),
        Op::Eavesdrop => r.eavesdrop(arg(a, 0), optional(a, 1)),
        Op::Whisper => r.whisper(arg(a, 0), Whisper::parse(arg(a, 1))?),
        Op::TrackerList => r.trackers(page(a, 0)?, optional(a, 2), optional(a, 3)),
        Op::TrackerGet => r.tracker(arg(a, 0)),
        Op::TrackerCreate => r.create_tracker(&tracker_fields(a)?),
        Op::TrackerUpdate => {
            r.update_tracker(arg(a, 0), &tracker_fields(a.get(1..).unwrap_or_default())?)
        }
        Op::TrackerBlock => r.block_tracker(arg(a, 0), true),
        Op::TrackerUnblock => r.block_tracker(arg(a, 0), false),
        Op::TrackerDelete => r.delete_tracker(arg(a, 0)),
        Op::TrackerTest => r.test_tracker(arg(a, 0)),
        Op::TrackerLogs => {
            let number = |i: usize| -> Result<Option<u64>, Error> {
                optional(a, i)
                    .map(|n| integer(n, "fetchStart and fetchStop are whole numbers"))
                    .transpose()
            };
            r.tracker_logs(&TrackerLogQuery {
                from_date: optional(a, 0).map(str::to_owned),
                to_date: optional(a, 1).map(str::to_owned),
                fetch_start: number(2)?,
                fetch_stop: number(3)?,
                trackers: a
                    .get(4..)
                    .unwrap_or_default()
                    .iter()
                    .map(|s| (*s).to_owned())
                    .collect(),
            })
        }
        Op::ProfileCreate => r.create_customer(Entity::Profile, arg(a, 0)),
        Op::AddressCreate => r.create_customer(Entity::Address, arg(a, 0)),
        Op::NumberCreate => r.create_customer(Entity::Number, arg(a, 0)),
        Op::SocialCreate => r.create_customer(Entity::SocialAccount, arg(a, 0)),
        Op::ProfileUpdate => r.update_customer(Entity::Profile, arg(a, 0), arg(a, 1)),
        Op::AddressUpdate => r.update_customer(Entity::Address, arg(a, 0), arg(a, 1)),
        Op::SocialUpdate => r.update_customer(Entity::SocialAccount, arg(a, 0), arg(a, 1)),
        Op::ProfileDelete => r.delete_customer(Entity::Profile, arg(a, 0)),
        Op::AddressDelete => r.delete_customer(Entity::Address, arg(a, 0)),
        Op::NumberDelete => r.delete_customer(Entity::Number, arg(a, 0)),
        Op::SocialDelete => r.delete_customer(Entity::SocialAccount, arg(a, 0)),
        Op::LinkAddress => r.link_customer(arg(a, 0), Entity::Address, arg(a, 1), true),
        Op::UnlinkAddress => r.link_customer(arg(a, 0), Entity::Address, arg(a, 1), false),
        Op::LinkNumber => r.link_customer(arg(a, 0), Entity::Number, arg(a, 1), true),
        Op::UnlinkNumber => r.link_customer(arg(a, 0), Entity::Number, arg(a, 1), false),
        Op::LinkSocial => r.link_customer(arg(a, 0), Entity::SocialAccount, arg(a, 1), true),
        Op::UnlinkSocial => r.link_customer(arg(a, 0), Entity::SocialAccount, arg(a, 1), false),
        Op::ProfileSearch => r.search_customers(arg(a, 0), page(a, 1)?),
    }
}
