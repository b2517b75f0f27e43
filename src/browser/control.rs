//! Acting on a call through the phone's own objects (contract §4b): the verto dialog of
//! the event's `detail.dialog`, else ZIWO's SDK `Call` of `detail.currentCall`. The
//! checks are the core's ([`Action::check`]); this module keeps each live call's object
//! and calls its methods.

use super::dialer::describe;
use super::oneshot::{when_settled, Oneshot};
use crate::core::{Action, Error, Shape};
use js_sys::{Function, Reflect};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// How long an action whose effect the phone's server confirms later (answer, hold,
/// unhold) counts as under way: asking it again meanwhile is refused, not sent twice.
const PENDING_MS: f64 = 10_000.0;

/// A command sent to a call (see [`WebPhone::answer`](super::WebPhone::answer)): a future
/// of whether the phone took it. Cheap to clone.
#[derive(Clone)]
#[must_use = "the command is sent even if this is dropped; await it to learn whether the phone took it"]
pub struct Command(pub(crate) Oneshot<Result<(), Error>>);

impl Command {
    pub(crate) fn failed(error: Error) -> Command {
        Command(Oneshot::ready(Err(error)))
    }
}

impl Future for Command {
    type Output = Result<(), Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.0).poll(cx)
    }
}

/// The phone's object of one live call: kept while the call lives, dropped at its
/// `destroy` (a shift's calls are not kept alive by the library).
pub(crate) struct Handle {
    pub(crate) call_id: Box<str>,
    object: JsValue,
    shape: Shape,
    /// The action under way and since when.
    pending: Option<(Action, f64)>,
}

impl Handle {
    pub(crate) fn new(call_id: Box<str>, object: JsValue, shape: Shape) -> Handle {
        Handle {
            call_id,
            object,
            shape,
            pending: None,
        }
    }

    /// A newer object of the same call (the phone hands one with each event).
    pub(crate) fn replace(&mut self, object: JsValue, shape: Shape) {
        self.object = object;
        self.shape = shape;
    }

    /// The call changed state: what was under way has happened (or been overtaken).
    pub(crate) fn settle_pending(&mut self) {
        if self.pending.is_some_and(|(a, _)| a != Action::Hangup) {
            self.pending = None;
        }
    }

    /// The action under way, if it is recent.
    pub(crate) fn pending(&self, now: f64) -> Option<Action> {
        self.pending
            .filter(|(_, since)| now - since < PENDING_MS)
            .map(|(a, _)| a)
    }

    /// The object and its shape, to look a method up outside any borrow.
    pub(crate) fn target(&self) -> Target {
        Target {
            object: self.object.clone(),
            shape: self.shape,
        }
    }

    /// Marks the action under way (`None`: none). Only actions whose effect the phone's
    /// server confirms later are kept: answer, hold, unhold and hang-up.
    /// When `since` is given, only if what is under way was marked then.
    pub(crate) fn mark(&mut self, pending: Option<(Action, f64)>, since: Option<f64>) {
        if since.is_some() && self.pending.map(|(_, at)| at) != since {
            return;
        }
        self.pending = pending.filter(|(a, _)| {
            matches!(
                a,
                Action::Answer | Action::Hold | Action::Unhold | Action::Hangup
            )
        });
    }
}

/// The phone's object of a call, out of the phone's lists.
pub(crate) struct Target {
    object: JsValue,
    shape: Shape,
}

impl Target {
    /// The method that performs `action`: [`Error::NotSupported`] when the object lacks
    /// it (or reading it throws).
    pub(crate) fn method(self, action: Action) -> Result<Send, Error> {
        let name = action.method(self.shape);
        let method = Reflect::get(&self.object, &JsValue::from_str(name))
            .ok()
            .and_then(|m| m.dyn_into::<Function>().ok())
            .ok_or(Error::NotSupported)?;
        Ok(Send {
            object: self.object,
            method,
            shape: self.shape,
        })
    }
}

/// One command about to be sent: the object and its method.
pub(crate) struct Send {
    object: JsValue,
    method: Function,
    shape: Shape,
}

impl Send {
    /// Calls the method with the action's arguments: none, the dialog's `'on'`/`'off'`,
    /// the digits (one call per digit for the SDK's `dtmf(char)`, in order), or the
    /// number. The phone may dispatch events from inside (the SDK answers, mutes and hangs
    /// up synchronously): no borrow of the phone is held here. `secret` is redacted from
    /// what the phone throws.
    pub(crate) fn run(self, action: Action, argument: Option<&str>, secret: &str) -> Command {
        let done = Oneshot::new();
        let args: VecDeque<JsValue> = match (action, self.shape, argument) {
            (Action::Mute | Action::Unmute, Shape::Dialog, _) => {
                VecDeque::from([JsValue::from_str(action.mute_argument().unwrap_or("on"))])
            }
            (Action::Dtmf, Shape::Call, Some(digits)) => digits
                .chars()
                .map(|c| JsValue::from_str(c.encode_utf8(&mut [0; 4])))
                .collect(),
            (_, _, Some(arg)) => VecDeque::from([JsValue::from_str(arg)]),
            (_, _, None) => VecDeque::from([JsValue::UNDEFINED]),
        };
        let with_argument = argument.is_some() || action.mute_argument().is_some();
        send(
            Rc::new(self),
            args,
            with_argument,
            Rc::from(secret),
            done.clone(),
        );
        Command(done)
    }
}

/// Calls the method once per argument, in order, each after the Promise the previous
/// call returned (if any) has resolved; settles `done` after the last one.
fn send(
    to: Rc<Send>,
    args: VecDeque<JsValue>,
    with_argument: bool,
    secret: Rc<str>,
    done: Oneshot<Result<(), Error>>,
) {
    let rest = Rc::new(RefCell::new(args));
    loop {
        let arg = rest.borrow_mut().pop_front();
        let Some(arg) = arg else {
            return done.settle(Ok(()));
        };
        let returned = if with_argument {
            to.method.call1(&to.object, &arg)
        } else {
            to.method.call0(&to.object)
        };
        let returned = match returned {
            Ok(v) => v,
            Err(thrown) => return done.settle(Err(Error::PhoneThrew(describe(&thrown, &secret)))),
        };
        let (next, failed) = (done.clone(), done.clone());
        let (to2, secret2, rest2, secret3) =
            (to.clone(), secret.clone(), rest.clone(), secret.clone());
        let pending = when_settled(
            &returned,
            move |_| {
                let args = rest2.take();
                send(to2, args, with_argument, secret2, next)
            },
            move |e| failed.settle(Err(Error::PhoneThrew(describe(&e, &secret3)))),
        );
        if pending {
            return;
        }
    }
}
