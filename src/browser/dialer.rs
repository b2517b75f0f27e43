//! Click to call (seed, "Click to Call"): `window['_jorel-callPhoneNumber'](number)`,
//! which exists only once the phone has loaded. A call placed before then waits for
//! it, for a bounded time, instead of vanishing.

use super::oneshot::{after, when_settled, Oneshot};
use super::storage;
use crate::core::{check_timeout_ms, redact, Error, PhoneNumber, TOKEN_KEY};
use js_sys::{Function, Reflect};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The phone's global dial function.
pub const DIAL_FUNCTION: &str = "_jorel-callPhoneNumber";
/// How long [`dial`] waits for the phone by default.
pub const DEFAULT_DIAL_TIMEOUT_MS: u32 = 10_000;
const POLL_MS: f64 = 50.0;

/// A call being placed: a future of its outcome. Cheap to clone.
#[derive(Clone)]
#[must_use = "the call is placed even if this is dropped; await it to learn the outcome"]
pub struct Dialing(pub(crate) Oneshot<Result<(), Error>>);

impl Dialing {
    pub(crate) fn failed(error: Error) -> Dialing {
        Dialing(Oneshot::ready(Err(error)))
    }
}

impl Future for Dialing {
    type Output = Result<(), Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.0).poll(cx)
    }
}

/// Dials `number`: waits until `window['_jorel-callPhoneNumber']` exists (checking every
/// 50 ms, for at most `timeout_ms`), then calls it with the normalised number. When the
/// phone's function returns a Promise, its rejection is an error too.
///
/// Errors: [`Error::InvalidOption`] for a timeout over 600000 ms (nothing is dialled),
/// [`Error::PhoneNotReady`] when the phone was not ready, or its function's Promise had
/// not settled, by the end of the timeout, [`Error::PhoneThrew`] with the
/// phone's message, [`Error::NoDocument`] outside a browser.
///
/// ```no_run
/// use ziwo_webphone::{dial, PhoneNumber, DEFAULT_DIAL_TIMEOUT_MS};
/// # async fn run() -> Result<(), ziwo_webphone::Error> {
/// dial(&PhoneNumber::parse("+971 50 123 4567")?, DEFAULT_DIAL_TIMEOUT_MS).await?;
/// # Ok(()) }
/// ```
pub fn dial(number: &PhoneNumber, timeout_ms: u32) -> Dialing {
    if let Err(e) = check_timeout_ms(f64::from(timeout_ms), 0) {
        return Dialing::failed(e);
    }
    let done = Oneshot::new();
    match web_sys::window() {
        Some(window) => {
            let deadline = js_sys::Date::now() + f64::from(timeout_ms);
            attempt(window, Rc::from(number.as_str()), deadline, done.clone());
        }
        None => done.settle(Err(Error::NoDocument)),
    }
    Dialing(done)
}

fn attempt(
    window: web_sys::Window,
    number: Rc<str>,
    deadline: f64,
    done: Oneshot<Result<(), Error>>,
) {
    let function = Reflect::get(&window, &JsValue::from_str(DIAL_FUNCTION))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok());
    if let Some(function) = function {
        return match function.call1(&window, &JsValue::from_str(&number)) {
            Err(thrown) => done.settle(Err(Error::PhoneThrew(describe(&thrown, &number)))),
            Ok(returned) => settle_when(&returned, number, deadline, done),
        };
    }
    let left = deadline - js_sys::Date::now();
    if left <= 0.0 {
        return done.settle(Err(Error::PhoneNotReady));
    }
    after(
        left.min(POLL_MS) as i32,
        Box::new(move || attempt(window, number, deadline, done)),
    );
}

/// Settles `done` when `returned` settles, if it is a Promise; at once otherwise.
/// A Promise that has not settled by the deadline is [`Error::PhoneNotReady`]: the call
/// settles within its timeout whatever the phone does.
fn settle_when(
    returned: &JsValue,
    number: Rc<str>,
    deadline: f64,
    done: Oneshot<Result<(), Error>>,
) {
    let ok = done.clone();
    let err = done.clone();
    let pending = when_settled(
        returned,
        move |_| ok.settle(Ok(())),
        move |e| err.settle(Err(Error::PhoneThrew(describe(&e, &number)))),
    );
    if !pending {
        return done.settle(Ok(()));
    }
    let left = (deadline - js_sys::Date::now()).max(0.0);
    after(
        left.min(f64::from(i32::MAX)) as i32,
        Box::new(move || done.settle(Err(Error::PhoneNotReady))),
    );
}

/// A short description of a thrown value: an error's message, or a string, without
/// the number dialled or the stored token, should the phone quote them
/// ([`redact`]). The `message` is read with `Reflect.get`, which reports a getter that
/// throws rather than letting it unwind through the module (the call's Promise would
/// never settle).
pub(crate) fn describe(thrown: &JsValue, number: &str) -> String {
    // Any object's `message` (an `Error` of another realm too: a frame, a sandbox).
    let text = if thrown.is_object() {
        Reflect::get(thrown, &JsValue::from_str("message"))
            .ok()
            .and_then(|m| m.as_string())
    } else {
        thrown.as_string()
    };
    let token = storage::local_storage()
        .ok()
        .and_then(|s| storage::get(&s, TOKEN_KEY).ok().flatten());
    let digits = number.trim_start_matches('+');
    let secrets = [token.as_deref().unwrap_or_default(), number, digits];
    redact(&text.unwrap_or_default(), &secrets)
}
