//! A value that arrives once and that any number of futures wait for. It backs the
//! crate's futures ([`ScriptLoad`](super::ScriptLoad), [`Dialing`](super::Dialing),
//! [`ApiCall`](super::ApiCall)) without an async executor.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

struct State<T> {
    value: Option<T>,
    wakers: Vec<Waker>,
}

/// The sending and the receiving side at once: cheap to clone.
pub(crate) struct Oneshot<T>(Rc<RefCell<State<T>>>);

impl<T> Clone for Oneshot<T> {
    fn clone(&self) -> Self {
        Oneshot(self.0.clone())
    }
}

impl<T: Clone + 'static> Oneshot<T> {
    pub(crate) fn new() -> Oneshot<T> {
        Oneshot(Rc::new(RefCell::new(State {
            value: None,
            wakers: Vec::new(),
        })))
    }

    pub(crate) fn ready(value: T) -> Oneshot<T> {
        let o = Oneshot::new();
        o.settle(value);
        o
    }

    /// Sets the value (the first one wins) and wakes every waiting future.
    pub(crate) fn settle(&self, value: T) {
        let wakers = {
            let mut state = self.0.borrow_mut();
            if state.value.is_some() {
                return;
            }
            state.value = Some(value);
            std::mem::take(&mut state.wakers)
        };
        for waker in wakers {
            waker.wake();
        }
    }
}

impl<T: Clone + 'static> Future for Oneshot<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let mut state = self.0.borrow_mut();
        if let Some(v) = &state.value {
            return Poll::Ready(v.clone());
        }
        if !state.wakers.iter().any(|w| w.will_wake(cx.waker())) {
            state.wakers.push(cx.waker().clone());
        }
        Poll::Pending
    }
}

#[wasm_bindgen]
extern "C" {
    type Thenable;
    #[wasm_bindgen(method, structural, catch)]
    fn then(this: &Thenable, ok: &JsValue, err: &JsValue) -> Result<JsValue, JsValue>;
}

/// When `value` is a thenable (a Promise), calls `ok` or `err` once it settles and
/// returns `true`; otherwise returns `false` and calls neither. A `then` that throws
/// counts as a rejection.
pub(crate) fn when_settled(
    value: &JsValue,
    ok: impl FnOnce(JsValue) + 'static,
    err: impl FnOnce(JsValue) + 'static,
) -> bool {
    let then = if value.is_object() || value.is_function() {
        js_sys::Reflect::get(value, &JsValue::from_str("then")).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    };
    if !then.is_function() {
        return false;
    }
    let err = std::rc::Rc::new(std::cell::Cell::new(Some(err)));
    let on_ok = Closure::once_into_js(ok);
    let on_err = {
        let err = err.clone();
        Closure::once_into_js(move |e: JsValue| {
            if let Some(f) = err.take() {
                f(e)
            }
        })
    };
    if let Err(thrown) = value.unchecked_ref::<Thenable>().then(&on_ok, &on_err) {
        if let Some(f) = err.take() {
            f(thrown)
        }
    }
    true
}
