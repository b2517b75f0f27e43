//! A value that arrives once and that any number of futures wait for. It backs the
//! crate's futures ([`ScriptLoad`](super::ScriptLoad), [`Dialing`](super::Dialing),
//! [`ApiCall`](super::ApiCall)) without an async executor.

use super::read;
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use wasm_bindgen::prelude::*;

struct State<T> {
    value: Option<T>,
    wakers: Vec<Waker>,
    /// Called with the value once it is there (JS Promises use these, no executor).
    callbacks: Vec<Box<dyn FnOnce(T)>>,
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
            callbacks: Vec::new(),
        })))
    }

    pub(crate) fn ready(value: T) -> Oneshot<T> {
        let o = Oneshot::new();
        o.settle(value);
        o
    }

    /// Sets the value (the first one wins), wakes every waiting future and calls every
    /// callback.
    pub(crate) fn settle(&self, value: T) {
        let (wakers, callbacks) = {
            let mut state = self.0.borrow_mut();
            if state.value.is_some() {
                return;
            }
            state.value = Some(value.clone());
            (
                std::mem::take(&mut state.wakers),
                std::mem::take(&mut state.callbacks),
            )
        };
        for waker in wakers {
            waker.wake();
        }
        for callback in callbacks {
            callback(value.clone());
        }
    }

    /// Whether the value is there.
    pub(crate) fn is_settled(&self) -> bool {
        self.0.borrow().value.is_some()
    }

    /// Calls `f` with the value: now if it is there, else when it is settled.
    pub(crate) fn then(&self, f: impl FnOnce(T) + 'static) {
        let value = self.0.borrow().value.clone();
        match value {
            Some(v) => f(v),
            None => self.0.borrow_mut().callbacks.push(Box::new(f)),
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

/// When `value` is a thenable (a Promise), calls `ok` or `err` once it settles and
/// returns `true`; otherwise returns `false` and calls neither. A `then` that throws
/// counts as a rejection.
pub(crate) fn when_settled(
    value: &JsValue,
    ok: impl FnOnce(JsValue) + 'static,
    err: impl FnOnce(JsValue) + 'static,
) -> bool {
    // Boxed here, so that the JS callback below is made once, not once per caller.
    settle_boxed(value, Box::new(ok), Box::new(err))
}

type Done = Closure<dyn FnMut(bool, JsValue)>;

/// One JS callback for both outcomes, called once by the snippet (`settle`), which frees
/// itself when called and is freed at once when `value` is no thenable: nothing is left
/// behind per call but for a thenable that never settles.
fn settle_boxed(
    value: &JsValue,
    ok: Box<dyn FnOnce(JsValue)>,
    err: Box<dyn FnOnce(JsValue)>,
) -> bool {
    let slot: Rc<RefCell<Option<Done>>> = Rc::default();
    let keep = slot.clone();
    let mut handlers = Some((ok, err));
    let done = Done::new(move |settled: bool, v: JsValue| {
        // Freed once this call returns (wasm-bindgen defers it).
        let this = keep.borrow_mut().take();
        if let Some((ok, err)) = handlers.take() {
            if settled {
                ok(v)
            } else {
                err(v)
            }
        }
        drop(this);
    });
    let function: JsValue = done.as_ref().clone();
    *slot.borrow_mut() = Some(done);
    let pending = read::settle(value, &function);
    if !pending {
        slot.borrow_mut().take();
    }
    pending
}

#[wasm_bindgen]
extern "C" {
    /// The global `setTimeout`: the window's in a page, Node's on a server (it returns a
    /// `Timeout` object there, not a number).
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &JsValue, ms: i32) -> JsValue;
}

/// Calls `f` once after `ms` milliseconds (the global `setTimeout`, in a page or in Node);
/// never cancelled, so that the callback is always called, and freed.
pub(crate) fn after(ms: i32, f: Box<dyn FnOnce()>) {
    let callback = Closure::once_into_js(f);
    set_timeout(&callback, ms);
}
