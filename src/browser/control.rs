//! Acting on a call through the phone's own objects (contract §4b): the verto dialog of
//! the event's `detail.dialog`, else ZIWO's SDK `Call` of `detail.currentCall`. The
//! checks are the core's ([`Action::check`]); the snippet keeps each live call's object
//! (read with each event, forgotten at the call's end), this module calls its methods.

use super::dialer::describe;
use super::oneshot::{when_settled, Oneshot};
use super::read;
use crate::core::{Action, CallState, Error, Shape};
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

/// The actions under way: sent, their effect not arrived yet (the phone's server confirms
/// an answer, a hold or an unhold later; a hang-up ends the call). Asking one again
/// meanwhile is refused rather than sent twice. A few entries at most, by call id.
#[derive(Default)]
pub(crate) struct Underway(RefCell<Vec<(Box<str>, Action, f64)>>);

impl Underway {
    /// Whether any action is under way (the per-event check looks no further).
    pub(crate) fn any(&self) -> bool {
        !self.0.borrow().is_empty()
    }

    /// The action under way on call `id`, if it is recent.
    pub(crate) fn get(&self, id: &str, now: f64) -> Option<Action> {
        self.0
            .borrow()
            .iter()
            .find(|(i, _, since)| &**i == id && now - since < PENDING_MS)
            .map(|(_, a, _)| *a)
    }

    /// Marks `action` under way on call `id`, for the actions whose effect comes later.
    pub(crate) fn start(&self, id: &str, action: Action, now: f64) {
        if !matches!(
            action,
            Action::Answer | Action::Hold | Action::Unhold | Action::Hangup | Action::Transfer
        ) {
            return;
        }
        let mut list = self.0.borrow_mut();
        list.retain(|(i, _, since)| &**i != id && now - since < PENDING_MS);
        list.push((id.into(), action, now));
    }

    /// Call `id` entered `state`: an action under way is over when its effect arrived
    /// (an answer: the call is no longer ringing; a hold: `held`; an unhold: `active`),
    /// or when the call ended (a hang-up and a transfer end it). Other states (the
    /// server's late `answering` after the SDK's own `active`...) leave it under way.
    pub(crate) fn arrived(&self, id: &str, state: &CallState) {
        let done = |action: Action| match action {
            _ if state.is_ending() => true,
            Action::Answer => *state != CallState::Ringing,
            Action::Hold => *state == CallState::Held,
            Action::Unhold => *state == CallState::Active,
            _ => false,
        };
        self.0
            .borrow_mut()
            .retain(|(i, a, _)| &**i != id || !done(*a));
    }

    /// The action started at `since` on call `id` failed: it is not under way.
    pub(crate) fn failed(&self, id: &str, since: f64) {
        self.0
            .borrow_mut()
            .retain(|(i, _, at)| &**i != id || *at != since);
    }

    pub(crate) fn clear(&self) {
        self.0.borrow_mut().clear();
    }
}

/// The phone's object of a live call (kept by the snippet, see `js/events.js`).
pub(crate) struct Target {
    object: JsValue,
    shape: Shape,
}

impl Target {
    /// The object of call `id`: [`Error::NotSupported`] when its events carried none.
    pub(crate) fn of(id: &str) -> Result<Target, Error> {
        let object = read::control(id);
        if object.is_undefined() {
            return Err(Error::NotSupported);
        }
        let shape = if read::is_dialog(id) {
            Shape::Dialog
        } else {
            Shape::Call
        };
        Ok(Target { object, shape })
    }

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
