//! Reading the plain fields of an event's `detail` without walking it.
//!
//! Each field is read with one property access whose exceptions are caught (a getter
//! that throws, a `Proxy`, `null`), and only strings and numbers are copied into Rust.
//! `currentCall` and `dialog` are never touched.

use crate::core::{EventName, Raw, RawCall, RawPhone, MAX_TEXT};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    /// Any object: its fields are read with structural, catching getters.
    pub(crate) type Fields;

    #[wasm_bindgen(method, structural, getter, catch, js_name = callID)]
    fn call_id(this: &Fields) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, structural, getter, catch, js_name = primaryCallID)]
    fn primary_call_id(this: &Fields) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, structural, getter, catch, js_name = customerNumber)]
    fn customer_number(this: &Fields) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, structural, getter, catch)]
    fn direction(this: &Fields) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, structural, getter, catch, js_name = stateFlow)]
    fn state_flow(this: &Fields) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, structural, getter, catch)]
    fn state(this: &Fields) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, structural, getter, catch, js_name = dateUNIX)]
    fn date_unix(this: &Fields) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, structural, getter, catch)]
    fn agent(this: &Fields) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, structural, getter, catch, js_name = ccLogin)]
    fn cc_login(this: &Fields) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, structural, getter, catch, js_name = firstName)]
    fn first_name(this: &Fields) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, structural, getter, catch, js_name = lastName)]
    fn last_name(this: &Fields) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, structural, getter, catch, js_name = contactCenterName)]
    fn contact_center_name(this: &Fields) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, structural, getter, catch)]
    fn length(this: &Fields) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, structural, getter, catch)]
    fn message(this: &Fields) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, structural, getter, catch)]
    fn code(this: &Fields) -> Result<JsValue, JsValue>;
}

/// Reduces a JS value to a [`Raw`]. Strings longer than the core would keep are not
/// copied into wasm at all.
pub(crate) fn read_raw(value: Result<JsValue, JsValue>) -> Raw {
    let Ok(value) = value else {
        return Raw::Other;
    };
    if value.is_undefined() || value.is_null() {
        Raw::Absent
    } else if value.is_string() {
        let s: &js_sys::JsString = value.unchecked_ref();
        if s.length() as usize > MAX_TEXT {
            Raw::Other
        } else {
            s.as_string().map_or(Raw::Other, Raw::Str)
        }
    } else if let Some(n) = value.as_f64() {
        Raw::Num(n)
    } else {
        Raw::Other
    }
}

/// `detail` as something whose fields can be read, or `None` when it is not an object.
pub(crate) fn object(value: &JsValue) -> Option<&Fields> {
    (value.is_object() || value.is_function()).then(|| value.unchecked_ref::<Fields>())
}

/// The plain fields of a call event's `detail`; a missing or non-object detail gives
/// all fields [`Raw::Absent`].
pub(crate) fn call_fields(detail: &JsValue) -> RawCall {
    let Some(d) = object(detail) else {
        return RawCall::default();
    };
    let mut raw = RawCall {
        call_id: read_raw(d.call_id()),
        primary_call_id: read_raw(d.primary_call_id()),
        customer_number: read_raw(d.customer_number()),
        direction: read_raw(d.direction()),
        ..RawCall::default()
    };
    // `stateFlow` is the call's live array: read its last entry now, it keeps growing.
    // Every access may throw (a revoked Proxy...), so each one is caught.
    if let Some(flow) = d.state_flow().ok().as_ref().and_then(object) {
        let len = flow.length().ok().and_then(|l| l.as_f64()).unwrap_or(0.0);
        if len >= 1.0 && len <= f64::from(u32::MAX) && len.fract() == 0.0 {
            let last = js_sys::Reflect::get_u32(flow, len as u32 - 1);
            if let Some(entry) = last.ok().as_ref().and_then(object) {
                raw.flow_state = read_raw(entry.state());
                raw.flow_date_unix = read_raw(entry.date_unix());
            }
        }
    }
    raw
}

/// The plain fields of a non-call event's `detail` that `name` uses.
pub(crate) fn phone_fields(name: &EventName, detail: &JsValue) -> RawPhone {
    let mut raw_phone = RawPhone::default();
    let Some(d) = object(detail) else {
        return raw_phone;
    };
    match name {
        EventName::Connected => {
            raw_phone.contact_center = read_raw(d.contact_center_name());
            if let Ok(agent) = d.agent() {
                if let Some(a) = object(&agent) {
                    raw_phone.cc_login = read_raw(a.cc_login());
                    raw_phone.first_name = read_raw(a.first_name());
                    raw_phone.last_name = read_raw(a.last_name());
                }
            }
        }
        EventName::Disconnected => raw_phone.message = read_raw(d.message()),
        EventName::Error => raw_phone.code = read_raw(d.code()),
        _ => {}
    }
    raw_phone
}
