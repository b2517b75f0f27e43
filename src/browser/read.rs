//! Reading the plain fields of an event's `detail` without walking it.
//!
//! A call event's fields are read in one call into `js/events.js` (`readCall`), which
//! guards every property access (a getter that throws, a revoked `Proxy`, `null`) and
//! packs the plain values into one string; the other events' few fields are read with
//! catching getters here. Only strings and numbers are copied into Rust; `currentCall`
//! and `dialog` are never touched.

use crate::core::{EventName, Raw, RawCall, RawPhone, MAX_TEXT};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen]
extern "C" {
    /// Any object: its fields are read with structural, catching getters.
    pub(crate) type Fields;

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

#[wasm_bindgen(module = "/js/events.js")]
extern "C" {
    #[wasm_bindgen(js_name = readCall)]
    fn read_call(detail: &JsValue) -> String;
    #[wasm_bindgen(js_name = readDate)]
    fn read_date() -> f64;
}

/// One packed field of `readCall`: `S<text>`, `A` or `O`.
fn unpack(field: &str) -> Raw {
    match field.strip_prefix('S') {
        Some(text) => Raw::Str(text.to_owned()),
        None if field == "A" => Raw::Absent,
        None => Raw::Other,
    }
}

/// The plain fields of a call event's `detail`, read in one call into JS (the cheapest
/// way across the boundary); a missing or non-object detail gives all fields
/// [`Raw::Absent`].
pub(crate) fn call_fields(detail: &JsValue) -> RawCall {
    unpack_call(&read_call(detail), read_date())
}

/// The fields that `readCall` packed and the date that `readDate` gave (NaN: none).
pub(crate) fn unpack_call(packed: &str, date: f64) -> RawCall {
    if packed.is_empty() {
        return RawCall::default();
    }
    let mut fields = packed.split('\u{0}').map(unpack);
    let mut next = || fields.next().unwrap_or(Raw::Absent);
    RawCall {
        call_id: next(),
        primary_call_id: next(),
        customer_number: next(),
        direction: next(),
        flow_state: next(),
        flow_date_unix: if date.is_nan() {
            Raw::Absent
        } else {
            Raw::Num(date)
        },
    }
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
