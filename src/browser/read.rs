//! Reading the plain fields of an event's `detail` without walking it.
//!
//! The fields are read in one call into `js/events.js` (`readCall`, `readPhone`), which
//! guards every property access (a getter that throws, a revoked `Proxy`, `null`) and
//! packs the plain values into one string that the core unpacks ([`RawCall::unpack`],
//! [`RawPhone::unpack`]). Only strings and numbers are copied into Rust; `currentCall`
//! and `dialog` are never touched. The npm package reads details with the same code.

use crate::core::{RawCall, RawPhone};
use wasm_bindgen::prelude::*;

// Every import of the one JS snippet, in one place (one import of it in the glue).
#[wasm_bindgen(module = "/js/events.js")]
extern "C" {
    /// Adds the JS listeners; returns their remover (see `js/events.js`).
    pub(crate) fn listen(names: Vec<String>, handler: &JsValue) -> js_sys::Function;
    #[wasm_bindgen(js_name = readCall)]
    fn read_call(detail: &JsValue) -> String;
    #[wasm_bindgen(js_name = readDate)]
    fn read_date() -> f64;
    #[wasm_bindgen(js_name = readPhone)]
    fn read_phone(detail: &JsValue) -> String;

    #[wasm_bindgen(js_name = ziwoError)]
    #[cfg(feature = "js")]
    pub(crate) fn js_error(
        code: &str,
        message: &str,
        key: Option<&str>,
        status: Option<u16>,
    ) -> JsValue;
    #[wasm_bindgen(js_name = snapshot)]
    #[allow(clippy::too_many_arguments)]
    #[cfg(feature = "js")]
    pub(crate) fn js_snapshot(
        call_id: &str,
        primary: Option<&str>,
        number: Option<&str>,
        direction: u8,
        recovered: bool,
        ended: bool,
        started_at: f64,
        ring_ms: f64,
        talk_ms: f64,
        hold_ms: f64,
        states: &[u8],
        raw: &str,
        ats: &[f64],
    ) -> JsValue;
    #[wasm_bindgen(js_name = callEvent)]
    #[cfg(feature = "js")]
    pub(crate) fn js_call_event(previous: i32, call: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = phoneEvent)]
    #[cfg(feature = "js")]
    pub(crate) fn js_phone_event(
        kind: u8,
        a: Option<&str>,
        b: Option<&str>,
        c: Option<&str>,
        d: Option<&str>,
        code: Option<u32>,
    ) -> JsValue;
    #[wasm_bindgen(js_name = session)]
    #[cfg(feature = "js")]
    pub(crate) fn js_session(token: &str, contact_center: &str, cc_login: Option<&str>) -> JsValue;
    #[wasm_bindgen(js_name = sessionChange)]
    #[cfg(feature = "js")]
    pub(crate) fn js_session_change(
        signed_in: bool,
        contact_center: Option<&str>,
        cc_login: Option<&str>,
        error: JsValue,
    ) -> JsValue;
    #[wasm_bindgen(js_name = report)]
    #[cfg(feature = "js")]
    pub(crate) fn report(thrown: &JsValue);
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
