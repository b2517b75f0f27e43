//! Rust values to the plain JS objects that JS listeners receive. Every object is built
//! by an object literal in `js/events.js` from the values passed in one call: far
//! cheaper, in time and in bytes, than setting properties one by one from wasm.

use super::phone::SessionChange;
use crate::core::{CallEvent, CallSnapshot, CallState, Error, PhoneEvent, Session};
use js_sys::Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsValue;

/// Converts an event to the plain JS object JS listeners receive.
pub(crate) trait ToJs {
    fn to_js(&self) -> JsValue;
}

#[wasm_bindgen(module = "/js/events.js")]
extern "C" {
    #[allow(clippy::too_many_arguments)]
    #[wasm_bindgen(js_name = snapshot)]
    fn make_snapshot(
        call_id: &str,
        primary_call_id: &str,
        customer_number: &str,
        direction: u8,
        recovered: bool,
        ended: bool,
        started_at: f64,
        ring_ms: f64,
        talk_ms: f64,
        hold_ms: f64,
        states: &[u8],
        ats: &[f64],
        raws: &str,
    ) -> JsValue;
    #[wasm_bindgen(js_name = callEvent)]
    fn make_call_event(call: &JsValue, previous: i32) -> JsValue;
    #[wasm_bindgen(js_name = phoneEvent)]
    fn make_phone_event(
        kind: &str,
        a: Option<&str>,
        b: Option<&str>,
        c: Option<&str>,
        d: Option<&str>,
        code: Option<u32>,
    ) -> JsValue;
    #[wasm_bindgen(js_name = session)]
    fn make_session(token: Option<&str>, contact_center: &str, cc_login: Option<&str>) -> JsValue;
    #[wasm_bindgen(js_name = sessionChange)]
    fn make_session_change(session: &JsValue, error: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = error)]
    fn make_error(code: &str, message: &str, key: Option<&str>, status: Option<u16>) -> JsValue;
}

/// The snapshot of a call, with its durations counted up to `until`.
pub(crate) fn snapshot_to_js(call: &CallSnapshot, until: f64) -> JsValue {
    let states: Vec<u8> = call.history.iter().map(|e| e.state.index()).collect();
    let ats: Vec<f64> = call.history.iter().map(|e| e.at).collect();
    let mut raws = String::new();
    for entry in &call.history {
        if let CallState::Other(name) = &entry.state {
            if !raws.is_empty() {
                raws.push('\n');
            }
            raws.push_str(name);
        }
    }
    let d = call.durations(until);
    make_snapshot(
        &call.call_id,
        call.primary_call_id.as_deref().unwrap_or(""),
        call.customer_number.as_deref().unwrap_or(""),
        call.direction.index(),
        call.recovered,
        call.ended(),
        call.started_at(),
        d.ring_ms,
        d.talk_ms,
        d.hold_ms,
        &states,
        &ats,
        &raws,
    )
}

impl ToJs for CallEvent {
    fn to_js(&self) -> JsValue {
        let previous = self.previous.as_ref().map_or(-1, |p| i32::from(p.index()));
        make_call_event(&snapshot_to_js(&self.call, self.call.at()), previous)
    }
}

impl ToJs for PhoneEvent {
    fn to_js(&self) -> JsValue {
        match self {
            PhoneEvent::Connected {
                cc_login,
                first_name,
                last_name,
                contact_center,
            } => make_phone_event(
                "connected",
                cc_login.as_deref(),
                first_name.as_deref(),
                last_name.as_deref(),
                contact_center.as_deref(),
                None,
            ),
            PhoneEvent::Disconnected { reason, message } => make_phone_event(
                "disconnected",
                Some(reason.name()),
                message.as_deref(),
                None,
                None,
                None,
            ),
            PhoneEvent::Error { code, kind } => {
                make_phone_event("error", Some(kind.name()), None, None, None, *code)
            }
            PhoneEvent::DeviceChanged { input } => make_phone_event(
                "device-changed",
                Some(if *input { "input" } else { "output" }),
                None,
                None,
                None,
                None,
            ),
        }
    }
}

/// A JS `Error` named `ZiwoError` with the error's `code` (and `key` for a corrupt
/// session value, `status` for the API's). Its message never contains what the caller
/// passed in.
pub(crate) fn error_to_js(error: &Error) -> JsValue {
    let message = match error {
        Error::PhoneThrew(inner) | Error::ApiRefused(_, inner) if !inner.is_empty() => {
            [error.message(), ": ", inner].concat()
        }
        _ => error.message().to_owned(),
    };
    let (key, status) = match error {
        Error::CorruptSession(key) => (Some(*key), None),
        Error::ApiUnauthorized(status)
        | Error::ApiStatus(status)
        | Error::ApiRefused(status, _) => (None, Some(*status)),
        _ => (None, None),
    };
    make_error(error.code(), &message, key, status)
}

/// The live calls for `WebPhone.calls()`, durations counted up to `now`.
pub(crate) fn snapshots_to_js(calls: &[CallSnapshot], now: f64) -> Array {
    calls.iter().map(|c| snapshot_to_js(c, now)).collect()
}

/// `{token, contactCenter, ccLogin}`: the session as `WebPhone.session()` returns it.
pub(crate) fn session_to_js(s: &Session) -> JsValue {
    make_session(
        Some(s.token.expose()),
        s.contact_center.as_str(),
        s.cc_login.as_deref(),
    )
}

impl ToJs for SessionChange {
    fn to_js(&self) -> JsValue {
        match &self.session {
            // The token stays out of what other tabs' changes report.
            Ok(Some(s)) => make_session_change(
                &make_session(None, s.contact_center.as_str(), s.cc_login.as_deref()),
                &JsValue::NULL,
            ),
            Ok(None) => make_session_change(&JsValue::NULL, &JsValue::NULL),
            Err(e) => make_session_change(&JsValue::NULL, &error_to_js(e)),
        }
    }
}
