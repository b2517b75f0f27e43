//! Reading the plain fields of an event's `detail` without walking it.
//!
//! The fields are read by the window listener in `js/events.js` (`readCall`,
//! `readPhone`), which guards every property access (a getter that throws, a revoked
//! `Proxy`, `null`) and packs the plain values into one string that the core unpacks
//! ([`RawCall::unpack`], [`RawPhone::unpack`]), handed to wasm with the event in one
//! call. Only strings and numbers are copied into Rust; `currentCall` and `dialog` are
//! never touched. This module also declares every other import of that one snippet.

use crate::core::{RawCall, RawPhone};
use wasm_bindgen::prelude::*;

// Every import of the one JS snippet, in one place (one import of it in the glue).
#[wasm_bindgen(module = "/js/events.js")]
extern "C" {
    /// Adds the JS listeners; returns their remover (see `js/events.js`). Each event's
    /// detail is read there (`readCall` where `calls[i]` is 1, else `readPhone`) and the
    /// handler gets `(i, packed fields, date)` in one call. `readCall` also keeps the
    /// phone's object of the call (`detail.dialog`, else `detail.currentCall`), for
    /// [`control`].
    pub(crate) fn listen(names: Vec<String>, calls: &[u8], handler: &JsValue) -> js_sys::Function;
    /// The phone's object of call `id`, from its first event that had one (`undefined`: none).
    pub(crate) fn control(id: &str) -> JsValue;
    /// Whether call `id`'s object came as an event's verto `dialog` (else the SDK's
    /// `currentCall`).
    #[wasm_bindgen(js_name = isDialog)]
    pub(crate) fn is_dialog(id: &str) -> bool;
    /// Forgets the object of call `id`: the call ended.
    #[wasm_bindgen(js_name = forgetControl)]
    pub(crate) fn forget_control(id: &str);
    /// When `value` is a thenable, calls `done(true, value)` or `done(false, error)` once
    /// it settles (or its `then` throws) and returns true; else returns false.
    pub(crate) fn settle(value: &JsValue, done: &JsValue) -> bool;
    /// A copy of the page's array: `null` when it is none, `undefined` when reading threw.
    pub(crate) fn items(value: &JsValue) -> JsValue;
    /// `[key, value...]` of an object's own properties; `undefined` when reading threw.
    pub(crate) fn entries(value: &JsValue) -> JsValue;
    /// `fetch(url, init)`, always a Promise (rejected when the page's `fetch` throws).
    pub(crate) fn request(url: &str, init: &JsValue) -> js_sys::Promise;
    /// What `fetch` answered's HTTP status (0: none that can be read).
    pub(crate) fn status(response: &JsValue) -> u16;
    /// The tabs' agreement on a call's one-time job, under the Web Lock `name` (see
    /// `js/events.js`): `answer` is called once, with 1, 0 or -1 (no Web Locks); the lock is
    /// held while the thenable it returns is pending, or `hold_ms` when it returns true.
    #[wasm_bindgen(js_name = claimAcrossTabs)]
    pub(crate) fn claim_across_tabs(name: &str, hold_ms: f64, answer: &JsValue);

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
        text: &[u8],
        present: u8,
        direction: u8,
        flags: u8,
        state: u8,
        at: f64,
        started_at: f64,
        ring_ms: f64,
        talk_ms: f64,
        hold_ms: f64,
        muted_ms: f64,
        states: &[u8],
        ats: &[f64],
    ) -> JsValue;
    #[wasm_bindgen(js_name = agent)]
    #[cfg(feature = "js")]
    pub(crate) fn js_agent(
        cc_login: Option<&str>,
        first_name: Option<&str>,
        last_name: Option<&str>,
        contact_center: Option<&str>,
    ) -> JsValue;
    #[wasm_bindgen(js_name = callRecord)]
    #[allow(clippy::too_many_arguments)]
    #[cfg(feature = "js")]
    pub(crate) fn js_call_record(
        text: &[u8],
        present: u8,
        direction: u8,
        recovered: u8,
        started_at: f64,
        answered_at: f64,
        ended_at: f64,
        ring_ms: f64,
        talk_ms: f64,
        hold_ms: f64,
        muted_ms: f64,
        states: &[u8],
        ats: &[f64],
        cdr: &JsValue,
        cdr_status: Option<&str>,
        cdr_error_code: Option<&str>,
        cdr_error_message: Option<&str>,
    ) -> JsValue;
    #[wasm_bindgen(js_name = cdr)]
    #[cfg(feature = "js")]
    pub(crate) fn js_cdr(text: &[u8], present: u16, numbers: &[f64], json: &str) -> JsValue;
    #[wasm_bindgen(js_name = droppedRecord)]
    #[cfg(feature = "js")]
    pub(crate) fn js_dropped(
        reason: &str,
        record: &JsValue,
        key: Option<&str>,
        error: &JsValue,
    ) -> JsValue;
    #[wasm_bindgen(js_name = muteEvent)]
    #[cfg(feature = "js")]
    pub(crate) fn js_mute_event(muted: bool, at: f64, call: &JsValue) -> JsValue;
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

/// The plain fields of a call event's `detail` as `readCall` packed them, and the date
/// `readDate` gave (NaN: none).
pub(crate) fn call_fields(packed: &str, date: f64) -> RawCall {
    RawCall::unpack(packed, date)
}

/// The plain fields of a non-call event's `detail` (`connected`, `disconnected`,
/// `error`) as `readPhone` packed them.
pub(crate) fn phone_fields(packed: &str) -> RawPhone {
    RawPhone::unpack(packed)
}
