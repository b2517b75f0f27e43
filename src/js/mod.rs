//! The wasm side of the JavaScript API: the decisions, and only the decisions.
//!
//! `js/index.js` is the public facade and does the browser's mechanics itself (inserting
//! the loader script, localStorage reads and writes, window listeners, the dial
//! function's polling, `window.open`, Web Locks, Promises and the lists of subscribers):
//! in JavaScript they cost a fraction of the bytes that the same calls cost through
//! wasm-bindgen (see BENCHMARKS.md, "Size"). Everything that decides anything comes
//! from here, from the pure core: validation of names, numbers, tokens, nonces, URLs,
//! extra states and stored sessions; which events are listened to; parsing each event,
//! tracking calls and turning repeats into nothing; the pop-up rule, its template and
//! its cross-tab claims; every error's code and message. Rust users get the same
//! decisions through the Rust browser layer ([`crate::WebPhone`] and friends).
//!
//! Errors are JS `Error`s named `ZiwoError` with a `code`.

use crate::browser::convert::{error_to_js, session_to_js, snapshots_to_js, ToJs};
use crate::browser::read::{phone_fields, unpack_call};
use crate::browser::{check_nonce, PhoneOptions, SessionChange};
use crate::core::{
    check_http_url, expand_template, is_session_key, listened_events, parse_call_with, parse_phone,
    CallEvent, CallState, ContactCenter, Error, EventName, PhoneEvent, PhoneNumber, PopupClaims,
    PopupGate, PopupRule, Position, Session, Size, Token, Tracker, CC_LOGIN_KEY, CC_NAME_KEY,
    CLAIMS_KEY, POSITION_KEY, SIZE_KEY, TOKEN_KEY,
};
use wasm_bindgen::prelude::*;

// The npm package is a final artifact, so it picks its allocator: talc is smaller than
// Rust's default dlmalloc in wasm. Rust users of the crate keep their own.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

fn fail(error: Error) -> JsValue {
    error_to_js(&error)
}

/// The error of `code` that the facade's mechanics met (`detail`: what the phone's
/// function threw). Unknown codes are `no-document`; the facade only passes these.
#[wasm_bindgen]
pub fn error(code: &str, detail: Option<String>) -> JsValue {
    fail(match code {
        "invalid-url" => Error::InvalidUrl,
        "storage-unavailable" => Error::StorageUnavailable,
        "storage-failed" => Error::StorageFailed,
        "script-failed" => Error::ScriptFailed,
        "phone-not-ready" => Error::PhoneNotReady,
        "phone-threw" => Error::PhoneThrew(detail.unwrap_or_default()),
        "popup-failed" => Error::PopupFailed,
        "disposed" => Error::Disposed,
        "malformed-response" => Error::ApiMalformed,
        "network" => Error::ApiNetwork,
        "timeout" => Error::ApiTimeout,
        _ => Error::NoDocument,
    })
}

/// What `install` writes and loads, once every option is valid: `[src, key, value,
/// key, value...]`. `src` is `script_url` (already resolved against the page by the
/// facade) when given, else the contact center's loader. Nothing is written before
/// this returns.
#[wasm_bindgen(js_name = installPlan)]
pub fn install_plan(
    contact_center: &str,
    position: Option<String>,
    size: Option<String>,
    token: Option<String>,
    nonce: Option<String>,
    script_url: Option<String>,
) -> Result<Vec<String>, JsValue> {
    let plan = || -> Result<Vec<String>, Error> {
        // The name, the display defaults and the token, then the script URL and the nonce
        // (the facade checks for a document and its body after this).
        let name = ContactCenter::parse(contact_center)?;
        let position = position.map(|p| Position::parse(&p)).transpose()?;
        let size = size.map(|s| Size::parse(&s)).transpose()?;
        if let Some(t) = &token {
            Token::parse(t)?;
        }
        let src = match script_url {
            Some(url) => http_url(url)?,
            None => name.loader_url(),
        };
        if let Some(n) = &nonce {
            check_nonce(n)?;
        }
        let mut out = vec![src];
        if let Some(t) = token {
            out.extend([
                TOKEN_KEY.into(),
                t,
                CC_NAME_KEY.into(),
                name.as_str().into(),
            ]);
        }
        if let Some(p) = position {
            out.extend([POSITION_KEY.into(), p.as_str().into()]);
        }
        if let Some(s) = size {
            out.extend([SIZE_KEY.into(), s.as_str().into()]);
        }
        Ok(out)
    };
    plan().map_err(fail)
}

/// Accepts a URL the facade resolved (`new URL(url, document.baseURI).href`) only when
/// it is `http:` or `https:` ([`check_http_url`]).
fn http_url(href: String) -> Result<String, Error> {
    check_http_url(&href).map(|()| href)
}

/// [`http_url`] for the facade: the href, or an `invalid-url` error.
#[wasm_bindgen(js_name = httpUrl)]
pub fn js_http_url(href: String) -> Result<String, JsValue> {
    http_url(href).map_err(fail)
}

/// The number to dial, normalised; an `invalid-number` error otherwise.
#[wasm_bindgen(js_name = dialNumber)]
pub fn dial_number(number: &str) -> Result<String, JsValue> {
    PhoneNumber::parse(number)
        .map(|n| n.as_str().to_owned())
        .map_err(fail)
}

/// The `[key, value, key, value]` that `setSession` writes, both valid.
#[wasm_bindgen(js_name = sessionPlan)]
pub fn session_plan(token: String, contact_center: &str) -> Result<Vec<String>, JsValue> {
    Token::parse(&token).map_err(fail)?;
    let name = ContactCenter::parse(contact_center).map_err(fail)?;
    Ok(session_pairs(token, &name))
}

/// `[_jorel-token, token, _jorel-ccName, name]`: what saving a session writes.
#[inline(never)]
fn session_pairs(token: String, name: &ContactCenter) -> Vec<String> {
    vec![
        TOKEN_KEY.into(),
        token,
        CC_NAME_KEY.into(),
        name.as_str().into(),
    ]
}

/// The session from its three stored strings (one copy of the code for both facades).
#[inline(never)]
fn stored(
    token: Option<String>,
    name: Option<String>,
    login: Option<String>,
) -> Result<Option<Session>, Error> {
    Session::from_stored(token.as_deref(), name.as_deref(), login.as_deref())
}

/// The session from the three stored strings: `{token, contactCenter, ccLogin}`, or
/// `null` when there is none; a `corrupt-session` error naming the bad key.
#[wasm_bindgen]
pub fn session(
    token: Option<String>,
    name: Option<String>,
    login: Option<String>,
) -> Result<JsValue, JsValue> {
    Ok(stored(token, name, login)
        .map_err(fail)?
        .map_or(JsValue::NULL, |s| session_to_js(&s)))
}

/// What `onSessionChange` listeners receive, from the three stored strings (the token
/// is checked, never included); `unreadable`: localStorage threw.
#[wasm_bindgen(js_name = sessionChange)]
pub fn session_change(
    token: Option<String>,
    name: Option<String>,
    login: Option<String>,
    unreadable: bool,
) -> JsValue {
    let session = if unreadable {
        Err(Error::StorageUnavailable)
    } else {
        stored(token, name, login)
    };
    SessionChange { session }.to_js()
}

/// The session's localStorage keys: token, contact-center name, login.
#[wasm_bindgen(js_name = sessionKeys)]
pub fn session_keys() -> Vec<String> {
    vec![TOKEN_KEY.into(), CC_NAME_KEY.into(), CC_LOGIN_KEY.into()]
}

/// The localStorage key of the cross-tab pop-up claims.
#[wasm_bindgen(js_name = claimsKey)]
pub fn claims_key() -> String {
    CLAIMS_KEY.into()
}

/// Whether a `storage` event's key is one of the session's (`null`: `clear()`).
#[wasm_bindgen(js_name = isSessionKey)]
pub fn js_is_session_key(key: Option<String>) -> bool {
    is_session_key(key.as_deref())
}

/// The pop-up claims after claiming `call_id` at `now_secs`, or `None` when a tab
/// already claimed it (see [`PopupClaims`]).
#[wasm_bindgen]
pub fn claim(stored: &str, call_id: &str, now_secs: f64) -> Option<String> {
    let mut claims = PopupClaims::parse(stored);
    claims
        .claim(call_id, now_secs as u64)
        .then(|| claims.serialize())
}

/// The pop-up URL from a template: `{number}` and `{callId}` URL-encoded.
#[wasm_bindgen]
pub fn expand(template: &str, number: &str, call_id: &str) -> String {
    expand_template(template, number, call_id)
}

/// `""` is `None`: how the facade says "no pop-up for this direction".
fn trigger(name: &str) -> Result<Option<CallState>, Error> {
    if name.is_empty() {
        return Ok(None);
    }
    CallState::known(name).map(Some).ok_or(Error::InvalidOption(
        "pop-up states must be call state names or null",
    ))
}

/// What one event of the phone was, for the facade ([`Phone::handle_call`],
/// [`Phone::handle_phone`]).
const IGNORED: u32 = 0;
const TRANSITION: u32 = 1;
const POPUP: u32 = 2;
const NO_CALL_ID: u32 = 3;
const PHONE_EVENT: u32 = 4;
const NO_NUMBER: u32 = 5;

/// The decisions of one web phone on the page: which events to listen to, what each
/// one means, the calls and their transitions, the pop-up rule and the connection.
/// Not part of the public API; `js/index.js` drives it.
#[wasm_bindgen]
pub struct Phone {
    /// The events listened to: what each means, and its name.
    events: Vec<(EventName, String)>,
    tracker: Tracker,
    gate: Option<PopupGate>,
    last: Option<CallEvent>,
    phone_event: Option<PhoneEvent>,
    connection: u8,
}

#[wasm_bindgen]
impl Phone {
    /// The decisions of a phone that also listens to `extra_states`.
    #[wasm_bindgen(constructor)]
    pub fn new(extra_states: Vec<String>) -> Result<Phone, JsValue> {
        let mut options = PhoneOptions::new();
        for name in &extra_states {
            options = options.extra_state(name).map_err(fail)?;
        }
        let events = listened_events(extra_states.iter().map(String::as_str));
        Ok(Phone {
            events,
            tracker: Tracker::new(),
            gate: None,
            last: None,
            phone_event: None,
            connection: 0,
        })
    }

    /// The window events to listen to, the two prefixes alternating.
    pub fn names(&self) -> Vec<String> {
        self.events.iter().map(|(_, name)| name.clone()).collect()
    }

    /// Which [`names`](Phone::names) are call states (1) rather than phone events (0).
    #[wasm_bindgen(js_name = callsMask)]
    pub fn calls_mask(&self) -> Vec<u8> {
        self.events
            .iter()
            .map(|(k, _)| u8::from(matches!(k, EventName::Call(_))))
            .collect()
    }

    /// One call event (its twin already dropped): `index` into [`names`](Phone::names),
    /// its detail's fields as `readCall` (js/events.js) packs them and the date that
    /// `readDate` gives. `wanted`: someone listens to calls, so transitions are built.
    /// Returns 0 (nothing to do), 1 (a transition: [`event`](Phone::event)), 2 (a
    /// transition that opens the pop-up), 3 (no valid callID) or 5 (a transition that
    /// would open the pop-up, but the call has no customer number).
    #[wasm_bindgen(js_name = handleCall)]
    pub fn handle_call(&mut self, index: u32, packed: &str, date: f64, wanted: bool) -> u32 {
        let Some((EventName::Call(state), _)) = self.events.get(index as usize) else {
            return IGNORED;
        };
        let Ok(signal) =
            parse_call_with(state.clone(), &unpack_call(packed, date), js_sys::Date::now)
        else {
            return NO_CALL_ID;
        };
        if !(wanted || self.gate.is_some()) {
            self.tracker.record(signal);
            return IGNORED;
        }
        let Some(t) = self.tracker.apply(signal) else {
            return IGNORED;
        };
        let popup = self.gate.as_mut().is_some_and(|g| g.decide(&t));
        let answer = match (popup, &t.call.customer_number) {
            (false, _) => TRANSITION,
            (true, Some(_)) => POPUP,
            (true, None) => NO_NUMBER,
        };
        self.last = Some(t);
        answer
    }

    /// One phone event (not a call's): returns 4 when it is one to report
    /// ([`phone_event`](Phone::phone_event)), else 0.
    #[wasm_bindgen(js_name = handlePhone)]
    pub fn handle_phone(&mut self, index: u32, detail: &JsValue) -> u32 {
        let Some((kind, _)) = self.events.get(index as usize) else {
            return IGNORED;
        };
        self.phone_event = parse_phone(kind, &phone_fields(kind, detail));
        match self.phone_event {
            Some(PhoneEvent::Connected { .. }) => self.connection = 1,
            Some(PhoneEvent::Disconnected { .. }) => self.connection = 2,
            None => return IGNORED,
            _ => {}
        }
        PHONE_EVENT
    }

    /// The last transition, as JS listeners receive it.
    pub fn event(&self) -> JsValue {
        self.last.as_ref().map_or(JsValue::NULL, ToJs::to_js)
    }

    /// The last phone event, as JS listeners receive it.
    #[wasm_bindgen(js_name = phoneEvent)]
    pub fn phone_event(&self) -> JsValue {
        self.phone_event.as_ref().map_or(JsValue::NULL, ToJs::to_js)
    }

    /// Opens pop-ups by this rule (a state name per direction, `""` for none).
    pub fn popup(
        &mut self,
        inbound: &str,
        outbound: &str,
        internal: &str,
        service: &str,
    ) -> Result<(), JsValue> {
        let rule = || -> Result<PopupRule, Error> {
            Ok(PopupRule {
                inbound: trigger(inbound)?,
                outbound: trigger(outbound)?,
                internal: trigger(internal)?,
                service: trigger(service)?,
            })
        };
        self.gate = Some(PopupGate::new(rule().map_err(fail)?));
        Ok(())
    }

    /// Stops deciding pop-ups.
    #[wasm_bindgen(js_name = clearPopup)]
    pub fn clear_popup(&mut self) {
        self.gate = None;
    }

    /// The live calls, durations up to now.
    pub fn calls(&self) -> js_sys::Array {
        snapshots_to_js(self.tracker.calls(), js_sys::Date::now())
    }

    /// Forgets every call and the pop-up rule (at `dispose`).
    pub fn clear(&mut self) {
        self.tracker.clear();
        self.gate = None;
        self.last = None;
        self.phone_event = None;
    }

    /// `unknown`, `connected` or `disconnected`.
    #[wasm_bindgen(getter)]
    pub fn connection(&self) -> String {
        match self.connection {
            1 => "connected",
            2 => "disconnected",
            _ => "unknown",
        }
        .to_owned()
    }
}

#[cfg(feature = "api")]
mod api;
