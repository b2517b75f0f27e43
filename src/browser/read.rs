//! Reading the plain fields of an event's `detail` without walking it.
//!
//! The fields are read in one call into `js/events.js` (`readCall`, `readPhone`), which
//! guards every property access (a getter that throws, a revoked `Proxy`, `null`) and
//! packs the plain values into one string that the core unpacks ([`RawCall::unpack`],
//! [`RawPhone::unpack`]). Only strings and numbers are copied into Rust; `currentCall`
//! and `dialog` are never touched. The npm package reads details with the same code.

use crate::core::{RawCall, RawPhone};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/events.js")]
extern "C" {
    #[wasm_bindgen(js_name = readCall)]
    fn read_call(detail: &JsValue) -> String;
    #[wasm_bindgen(js_name = readDate)]
    fn read_date() -> f64;
    #[wasm_bindgen(js_name = readPhone)]
    fn read_phone(detail: &JsValue) -> String;
}

/// The plain fields of a call event's `detail`, read in one call into JS (the cheapest
/// way across the boundary); a missing or non-object detail gives all fields
/// [`Raw::Absent`](crate::core::Raw::Absent).
pub(crate) fn call_fields(detail: &JsValue) -> RawCall {
    RawCall::unpack(&read_call(detail), read_date())
}

/// The plain fields of a non-call event's `detail` (`connected`, `disconnected`,
/// `error`), read in one call into JS.
pub(crate) fn phone_fields(detail: &JsValue) -> RawPhone {
    RawPhone::unpack(&read_phone(detail))
}
