//! Rust values to the plain JS objects listeners receive. Property names and the fixed
//! names of states, directions and reasons are turned into JS strings once and reused,
//! which keeps the per-event cost down.

use super::phone::SessionChange;
use crate::core::{CallEvent, CallSnapshot, CallState, Error, PhoneEvent};
use js_sys::{Array, Object, Reflect};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsValue;

/// JS strings made from `&'static str`s, keyed by the str's address and length.
type Interned = Vec<((usize, usize), Rc<JsValue>)>;

thread_local! {
    static INTERNED: RefCell<Interned> = const { RefCell::new(Vec::new()) };
}

/// Runs `f` with the JS string for `s`, created on first use. No borrow is held while
/// `f` runs, so calls may nest.
fn with_static<R>(s: &'static str, f: impl FnOnce(&JsValue) -> R) -> R {
    let id = (s.as_ptr() as usize, s.len());
    let value = INTERNED.with(|table| {
        let found = table
            .borrow()
            .iter()
            .find(|(k, _)| *k == id)
            .map(|(_, v)| v.clone());
        found.unwrap_or_else(|| {
            let value = Rc::new(JsValue::from_str(s));
            table.borrow_mut().push((id, value.clone()));
            value
        })
    });
    f(&value)
}

/// Converts an event to the plain JS object JS listeners receive.
pub(crate) trait ToJs {
    fn to_js(&self) -> JsValue;
}

/// `object[key] = value`.
pub(crate) fn set(object: &Object, key: &'static str, value: &JsValue) {
    with_static(key, |k| {
        let _ = Reflect::set(object, k, value);
    });
}

/// `object[key] = name`, for the fixed names of states, kinds and reasons.
pub(crate) fn set_name(object: &Object, key: &'static str, name: &'static str) {
    with_static(name, |v| set(object, key, v));
}

fn set_text(object: &Object, key: &'static str, text: Option<&str>) {
    match text {
        Some(t) => set(object, key, &JsValue::from_str(t)),
        None => set(object, key, &JsValue::NULL),
    }
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
        let o = Object::new();
        match self {
            PhoneEvent::Connected {
                cc_login,
                first_name,
                last_name,
                contact_center,
            } => {
                set_name(&o, "type", "connected");
                let agent = Object::new();
                set_text(&agent, "ccLogin", cc_login.as_deref());
                set_text(&agent, "firstName", first_name.as_deref());
                set_text(&agent, "lastName", last_name.as_deref());
                set(&o, "agent", &agent);
                set_text(&o, "contactCenter", contact_center.as_deref());
            }
            PhoneEvent::Disconnected { reason, message } => {
                set_name(&o, "type", "disconnected");
                set_name(&o, "reason", reason.name());
                set_text(&o, "message", message.as_deref());
            }
            PhoneEvent::Error { code, kind } => {
                set_name(&o, "type", "error");
                match code {
                    Some(c) => set(&o, "code", &JsValue::from_f64(f64::from(*c))),
                    None => set(&o, "code", &JsValue::NULL),
                }
                set_name(&o, "kind", kind.name());
            }
            PhoneEvent::DeviceChanged { input } => {
                set_name(&o, "type", "device-changed");
                set_name(&o, "device", if *input { "input" } else { "output" });
            }
        }
        o.into()
    }
}

/// A JS `Error` named `ZiwoError` with the error's `code` (and `key` for a corrupt
/// session value). Its message never contains what the caller passed in.
pub(crate) fn error_to_js(error: &Error) -> JsValue {
    let message = match error {
        Error::PhoneThrew(inner) | Error::ApiRefused(_, inner) if !inner.is_empty() => {
            [error.message(), ": ", inner].concat()
        }
        _ => error.message().to_owned(),
    };
    let e = js_sys::Error::new(&message);
    e.set_name("ZiwoError");
    let o: &Object = e.as_ref();
    set_name(o, "code", error.code());
    match error {
        Error::CorruptSession(key) => set_name(o, "key", key),
        Error::ApiUnauthorized(status)
        | Error::ApiStatus(status)
        | Error::ApiRefused(status, _) => set(o, "status", &JsValue::from_f64(f64::from(*status))),
        _ => {}
    }
    e.into()
}

/// The live calls for `WebPhone.calls()`, durations counted up to `now`.
pub(crate) fn snapshots_to_js(calls: &[CallSnapshot], now: f64) -> Array {
    let out = Array::new_with_length(calls.len() as u32);
    for (i, c) in calls.iter().enumerate() {
        out.set(i as u32, snapshot_to_js(c, now));
    }
    out
}

impl ToJs for SessionChange {
    fn to_js(&self) -> JsValue {
        let o = js_sys::Object::new();
        let (session, error) = match &self.session {
            Ok(s) => (s.as_ref(), None),
            Err(e) => (None, Some(e)),
        };
        set(&o, "signedIn", &JsValue::from_bool(session.is_some()));
        match session {
            Some(s) => {
                set(
                    &o,
                    "contactCenter",
                    &JsValue::from_str(s.contact_center.as_str()),
                );
                match &s.cc_login {
                    Some(l) => set(&o, "ccLogin", &JsValue::from_str(l)),
                    None => set(&o, "ccLogin", &JsValue::NULL),
                }
            }
            None => {
                set(&o, "contactCenter", &JsValue::NULL);
                set(&o, "ccLogin", &JsValue::NULL);
            }
        }
        match error {
            Some(e) => set(&o, "error", &error_to_js(e)),
            None => set(&o, "error", &JsValue::NULL),
        }
        o.into()
    }
}
