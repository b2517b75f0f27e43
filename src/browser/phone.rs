//! The web phone companion: listens to the phone's window events, tracks each call,
//! and hands typed events to subscribers, streams and the CRM pop-up.

use super::calllog::{self, CallLog, Dropped};
use super::control::{Command, Target, Underway};
use super::dialer::{dial, Dialing, DIAL_FUNCTION};
use super::log::{log, Level};
use super::oneshot::{after, Oneshot};
use super::popup::{Popup, PopupState};
use super::presence;
use super::read;
use super::storage;
use super::subscribers::{Held, Subscribers};
use crate::core::{
    check_digits, check_extra_state, check_timeout_ms, is_session_key, listened_events,
    parse_call_with, parse_phone, Action, Agent, CallEvent, CallSignal, CallSnapshot, CallState,
    Connection, Error, EventName, MuteEvent, PhoneEvent, PhoneNumber, SessionChange, Tracker,
    Update,
};
use gloo_events::EventListener;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Options of a [`WebPhone`].
#[derive(Clone, Debug, Default)]
pub struct PhoneOptions {
    extra_states: Vec<String>,
}

impl PhoneOptions {
    /// Default options.
    pub fn new() -> PhoneOptions {
        PhoneOptions::default()
    }

    /// Also listens to `_jorel-dialog-state-<name>` and `ziwo-<name>` for call states a
    /// newer phone may emit (they arrive as [`CallState::Other`](crate::CallState::Other)).
    /// Names are 1 to 64 characters of `a-z`, `0-9` and `-`.
    pub fn extra_state(mut self, name: &str) -> Result<PhoneOptions, Error> {
        check_extra_state(name)?;
        self.extra_states.push(name.to_owned());
        Ok(self)
    }
}

/// The page's handle on the ZIWO web phone: call events, phone events, session
/// changes, the CRM pop-up, click to call.
///
/// Creating one starts listening to the phone's window events (both the
/// `_jorel-dialog-state-` and the `ziwo-` prefix; the same event under both is one
/// event). Handles are cheap to clone. The phone listens until
/// [`dispose`](WebPhone::dispose) is called, whether or not a handle is kept: a stream
/// or a [`forget`](Subscription::forget)-ten callback goes on after every handle is
/// dropped, and `dispose` ends them all.
///
/// Events are delivered in the order the phone dispatched them, to every listener: an
/// event that the phone dispatches from inside a listener (core-front dispatches
/// `active`, `mute`, `unmute` and the first `hangup` synchronously from its call
/// methods) waits until every listener has heard the current one.
///
/// A Rust callback that panics aborts the whole module (see [the crate
/// docs](crate)): handle errors inside callbacks, do not panic.
///
/// ```no_run
/// use futures_util::StreamExt;
/// use ziwo_webphone::{CallState, WebPhone};
/// # async fn run() -> Result<(), ziwo_webphone::Error> {
/// let phone = WebPhone::new()?;
/// let mut calls = phone.call_events()?;
/// while let Some(event) = calls.next().await {
///     if *event.state() == CallState::Ringing {
///         // open the customer's record...
///     }
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct WebPhone {
    core: Rc<PhoneCore>,
}

pub(crate) struct PhoneCore {
    tracker: RefCell<Tracker>,
    /// What each listened name is, by the index that `listen` reports.
    kinds: Vec<(EventName, Rc<str>)>,
    /// The JS listeners of the phone's events: their remover and the wasm handler. The
    /// handler holds the core: the phone lives until `dispose` takes them.
    window_listeners: RefCell<Option<(js_sys::Function, Handler)>>,
    /// Events read but not yet delivered (one dispatched from inside a listener waits
    /// for the current one), and whether a delivery is running.
    queue: RefCell<VecDeque<Pending>>,
    delivering: Cell<bool>,
    pub(crate) calls: Subscribers<CallEvent>,
    pub(crate) mutes: Subscribers<MuteEvent>,
    /// The actions under way (sent, their effect not arrived yet), by call.
    underway: Underway,
    pub(crate) events: Subscribers<PhoneEvent>,
    pub(crate) sessions: Subscribers<SessionChange>,
    pub(crate) popup: RefCell<Option<PopupState>>,
    storage_listener: RefCell<Option<EventListener>>,
    /// The click listeners of `linkify`.
    pub(crate) links: Held<EventListener>,
    /// The call log's handler and deliveries (`on_call_ended`), and who hears what it
    /// could not keep.
    pub(crate) call_log: RefCell<Option<Rc<CallLog>>>,
    log_ids: Cell<u32>,
    pub(crate) dropped: Subscribers<Dropped>,
    disposed: Cell<bool>,
    /// What [`WebPhone::ready`] calls wait for.
    ready: RefCell<Vec<Oneshot<Result<Agent, Error>>>>,
}

/// An event read from its detail at the moment it was dispatched, waiting for delivery.
enum Pending {
    Call(CallSignal),
    Phone(PhoneEvent),
}

impl WebPhone {
    /// Starts listening to the phone's events. Fails with [`Error::NoDocument`]
    /// outside a browser.
    pub fn new() -> Result<WebPhone, Error> {
        WebPhone::with_options(&PhoneOptions::default())
    }

    /// [`WebPhone::new`] with options.
    pub fn with_options(options: &PhoneOptions) -> Result<WebPhone, Error> {
        let window = web_sys::window().ok_or(Error::NoDocument)?;
        presence::watch();
        let (kinds, names): (Vec<(EventName, Rc<str>)>, Vec<String>) =
            listened_events(options.extra_states.iter().map(String::as_str))
                .into_iter()
                .map(|(kind, name)| ((kind, Rc::<str>::from(name.as_str())), name))
                .unzip();
        let core = Rc::new(PhoneCore {
            tracker: RefCell::new(Tracker::new()),
            kinds,
            window_listeners: RefCell::new(None),
            queue: RefCell::new(VecDeque::new()),
            delivering: Cell::new(false),
            calls: Subscribers::default(),
            mutes: Subscribers::default(),
            underway: Underway::default(),
            events: Subscribers::default(),
            sessions: Subscribers::default(),
            popup: RefCell::new(None),
            storage_listener: RefCell::new(None),
            links: Held::default(),
            call_log: RefCell::new(None),
            log_ids: Cell::new(0),
            dropped: Subscribers::default(),
            disposed: Cell::new(false),
            ready: RefCell::new(Vec::new()),
        });
        // `Fn`, not `FnMut`: the phone may dispatch an event from inside a listener, which
        // calls the handler again while it runs (the event then waits in the queue).
        let strong = core.clone();
        let handler = Closure::<dyn Fn(u32, String, f64) -> bool>::new(
            move |index: u32, packed: String, date: f64| strong.handle(index, &packed, date),
        );
        let calls: Vec<u8> = core
            .kinds
            .iter()
            .map(|(kind, _)| u8::from(matches!(kind, EventName::Call(_))))
            .collect();
        let remove = read::listen(names, &calls, handler.as_ref());
        *core.window_listeners.borrow_mut() = Some((remove, handler));
        let weak = Rc::downgrade(&core);
        let storage = EventListener::new(&window, "storage", move |event| {
            if let Some(core) = weak.upgrade() {
                core.handle_storage(event);
            }
        });
        *core.storage_listener.borrow_mut() = Some(storage);
        Ok(WebPhone { core })
    }

    /// Calls `listener` with every transition of every call, until the returned
    /// [`Subscription`] is dropped (or the phone disposed, after
    /// [`forget`](Subscription::forget)). [`Error::Disposed`] after `dispose`.
    pub fn on_call(&self, listener: impl Fn(&CallEvent) + 'static) -> Result<Subscription, Error> {
        self.core.check_live()?;
        let id = self.core.calls.add(Box::new(listener));
        Ok(Subscription::new(&self.core, Kind::Call, id))
    }

    /// Calls `listener` with every non-call event (connected, disconnected, error,
    /// device changes). [`Error::Disposed`] after `dispose`.
    pub fn on_phone_event(
        &self,
        listener: impl Fn(&PhoneEvent) + 'static,
    ) -> Result<Subscription, Error> {
        self.core.check_live()?;
        let id = self.core.events.add(Box::new(listener));
        Ok(Subscription::new(&self.core, Kind::Phone, id))
    }

    /// Calls `listener` when another tab changes or clears the phone's session. The
    /// change never carries the token. [`Error::Disposed`] after `dispose`.
    pub fn on_session_change(
        &self,
        listener: impl Fn(&SessionChange) + 'static,
    ) -> Result<Subscription, Error> {
        self.core.check_live()?;
        let id = self.core.sessions.add(Box::new(listener));
        Ok(Subscription::new(&self.core, Kind::Session, id))
    }

    /// Calls `listener` when the agent's microphone is muted or unmuted on a call. Mute
    /// is not a call state: [`on_call`](WebPhone::on_call) never hears it, the call's
    /// history keeps it. [`Error::Disposed`] after `dispose`.
    pub fn on_mute(&self, listener: impl Fn(&MuteEvent) + 'static) -> Result<Subscription, Error> {
        self.core.check_live()?;
        let id = self.core.mutes.add(Box::new(listener));
        Ok(Subscription::new(&self.core, Kind::Mute, id))
    }

    /// Calls `listener` with each record the call log could not keep: the oldest dropped
    /// when the outbox is full, an entry that cannot be read, a record handed over once
    /// because storage failed (see [`Dropped`]). [`Error::Disposed`] after `dispose`.
    pub fn on_call_dropped(
        &self,
        listener: impl Fn(&Dropped) + 'static,
    ) -> Result<Subscription, Error> {
        self.core.check_live()?;
        let id = self.core.dropped.add(Box::new(listener));
        Ok(Subscription::new(&self.core, Kind::Dropped, id))
    }

    /// A stream of every mute change, from now on (see [`on_mute`](WebPhone::on_mute)).
    pub fn mute_events(&self) -> Result<Events<MuteEvent>, Error> {
        let (tx, rx) = futures_channel::mpsc::unbounded();
        let sub = self.on_mute(move |e| {
            let _ = tx.unbounded_send(e.clone());
        })?;
        Ok(Events { rx, _sub: sub })
    }

    /// Answers a ringing call. The command is sent through the phone's own object of the
    /// call (the event's verto `dialog`, else the SDK's `currentCall`), after checks that
    /// are the only guard (the phone checks nothing: a second answer would be sent):
    /// [`Error::NoSuchCall`] (unknown or ended call), [`Error::InvalidState`] (not
    /// ringing, or already being answered), [`Error::NotSupported`] (the object has no
    /// such method), [`Error::Disposed`]. Nothing is sent when a check fails.
    ///
    /// The future settles when the phone's method has returned (or the Promise it
    /// returned has settled): [`Error::PhoneThrew`] with the phone's message when it threw
    /// or rejected. The new state comes through [`on_call`](WebPhone::on_call): ZIWO's
    /// SDK dispatches `active` before its method returns (so a listener hears it before
    /// the future settles), the verto dialog when the server confirms. The SDK first puts
    /// every other call on hold; their `held` arrives like any change.
    ///
    /// ```no_run
    /// use ziwo_webphone::{CallState, WebPhone};
    /// # fn run() -> Result<(), ziwo_webphone::Error> {
    /// let phone = WebPhone::new()?;
    /// let answering = phone.clone();
    /// phone.on_call(move |event| {
    ///     if *event.state() == CallState::Ringing {
    ///         drop(answering.answer(&event.call.call_id)); // auto-answer; sent even if dropped
    ///     }
    /// })?.forget();
    /// # Ok(()) }
    /// ```
    pub fn answer(&self, call_id: &str) -> Command {
        self.core.act(call_id, Action::Answer, None, "")
    }

    /// Hangs up (or rejects) a call that has not ended: [`Error::NoSuchCall`] (also while a
    /// hang-up is under way), [`Error::NotSupported`], [`Error::PhoneThrew`],
    /// [`Error::Disposed`]. ZIWO's SDK dispatches `hangup` and `destroy` before its method
    /// returns; the verto dialog dispatches `hangup`, and `destroy` follows.
    pub fn hangup(&self, call_id: &str) -> Command {
        self.core.act(call_id, Action::Hangup, None, "")
    }

    /// Puts an active call on hold: errors as [`answer`](WebPhone::answer). Settles when
    /// the request is sent; `held` arrives later, when the phone's server confirms.
    pub fn hold(&self, call_id: &str) -> Command {
        self.core.act(call_id, Action::Hold, None, "")
    }

    /// Takes a held call off hold: errors as [`answer`](WebPhone::answer). Settles when
    /// the request is sent; `active` arrives when the server confirms. ZIWO's SDK first
    /// puts every other call on hold.
    pub fn unhold(&self, call_id: &str) -> Command {
        self.core.act(call_id, Action::Unhold, None, "")
    }

    /// Mutes the agent's microphone on an active or held call: errors as
    /// [`answer`](WebPhone::answer). ZIWO's SDK reports the change with its `mute` event,
    /// dispatched inside its method ([`on_mute`](WebPhone::on_mute) hears it before this
    /// settles); the verto dialog switches the microphone without an event, so the call's
    /// `muted()` does not change. Only the call's state is checked: the library may not
    /// know whether the microphone is muted, and muting twice is harmless.
    pub fn mute(&self, call_id: &str) -> Command {
        self.core.act(call_id, Action::Mute, None, "")
    }

    /// Unmutes a muted call: as [`mute`](WebPhone::mute).
    pub fn unmute(&self, call_id: &str) -> Command {
        self.core.act(call_id, Action::Unmute, None, "")
    }

    /// Sends DTMF `digits` (1 to 32 of `0-9 * # A-D`) on an active call, in order: one
    /// `dtmf(digits)` on the verto dialog, one `dtmf(digit)` per digit on the SDK's
    /// `Call`. [`Error::InvalidDigits`] first, then the errors of
    /// [`answer`](WebPhone::answer). Settles when every digit is sent.
    pub fn dtmf(&self, call_id: &str, digits: &str) -> Command {
        match check_digits(digits) {
            Ok(digits) => self.core.act(call_id, Action::Dtmf, Some(&digits), ""),
            Err(e) => Command::failed(e),
        }
    }

    /// Transfers an active or held call to `number` (blind: the call leaves the agent):
    /// `transfer(number)` on the verto dialog, `blindTransfer(number)` on the SDK's
    /// `Call`. Errors as [`answer`](WebPhone::answer) (a second transfer while the first is
    /// under way is [`Error::InvalidState`]); the phone's message never holds the number.
    pub fn transfer(&self, call_id: &str, number: &PhoneNumber) -> Command {
        let number = number.as_str();
        self.core
            .act(call_id, Action::Transfer, Some(number), number)
    }

    /// A stream of every call transition, from now on. Dropping it unsubscribes;
    /// [`dispose`](WebPhone::dispose) ends it. [`Error::Disposed`] after `dispose`.
    pub fn call_events(&self) -> Result<Events<CallEvent>, Error> {
        let (tx, rx) = futures_channel::mpsc::unbounded();
        let sub = self.on_call(move |e| {
            let _ = tx.unbounded_send(e.clone());
        })?;
        Ok(Events { rx, _sub: sub })
    }

    /// A stream of every non-call event, from now on. Dropping it unsubscribes;
    /// [`dispose`](WebPhone::dispose) ends it. [`Error::Disposed`] after `dispose`.
    pub fn phone_events(&self) -> Result<Events<PhoneEvent>, Error> {
        let (tx, rx) = futures_channel::mpsc::unbounded();
        let sub = self.on_phone_event(move |e| {
            let _ = tx.unbounded_send(e.clone());
        })?;
        Ok(Events { rx, _sub: sub })
    }

    /// Opens the customer's CRM page once per call (see [`Popup`]). Replaces any
    /// pop-up set before: a pop-up of the old settings still waiting (for the tabs'
    /// agreement, for its resolver) opens nothing.
    pub fn set_popup(&self, popup: Popup) -> Result<(), Error> {
        self.core.check_live()?;
        let state = PopupState::new(popup)?;
        *self.core.popup.borrow_mut() = Some(state);
        Ok(())
    }

    /// Stops opening pop-ups.
    pub fn clear_popup(&self) {
        self.core.popup.borrow_mut().take();
    }

    /// The calls alive now, oldest first (none after `dispose`).
    pub fn calls(&self) -> Vec<CallSnapshot> {
        self.core.tracker.borrow().calls().to_vec()
    }

    /// Dials `number` through the phone (see [`dial`](crate::dial)), waiting at most
    /// `timeout_ms` (0 to 600000) for it to be ready. [`Error::Disposed`] after
    /// `dispose`.
    pub fn dial(&self, number: &PhoneNumber, timeout_ms: u32) -> Dialing {
        match self.core.check_live() {
            Ok(()) => dial(number, timeout_ms),
            Err(e) => Dialing::failed(e),
        }
    }

    /// Removes every listener and subscription, ends every stream, forgets every call
    /// and the pop-up. Idempotent. Create a new `WebPhone` to listen again.
    pub fn dispose(&self) {
        self.core.dispose();
    }

    /// Whether an agent is connected (a page that subscribes late can ask instead of
    /// waiting for the next event): from the phone's last `connected`/`disconnected`
    /// event since the page's first `WebPhone` or [`install`](crate::install) (a phone
    /// created later knows an agent who connected before it existed), and
    /// [`Connection::LoggedOut`] when the phone has loaded (its dial function exists, or
    /// it dispatched an event), is not connected and no `_jorel-token` is stored (read
    /// now: a logout inside the phone, a session cleared by this page or another tab).
    /// See [`Connection::observe`].
    pub fn connection(&self) -> Connection {
        self.core.connection()
    }

    /// Waits until an agent is connected and gives the agent: at once when the agent is
    /// connected already, as the page has seen it (see
    /// [`connection`](WebPhone::connection)). [`Error::LoggedOut`] as soon as the agent is logged out (see
    /// [`connection`](WebPhone::connection)), [`Error::Timeout`] when nobody connected
    /// within `timeout_ms` (0 to 600000, else [`Error::InvalidOption`]),
    /// [`Error::Disposed`] after (or on) `dispose`.
    ///
    /// ```no_run
    /// use ziwo_webphone::WebPhone;
    /// # async fn run() -> Result<(), ziwo_webphone::Error> {
    /// let phone = WebPhone::new()?;
    /// match phone.ready(30_000).await {
    ///     Ok(agent) => println!("logged in as {:?}", agent.cc_login),
    ///     Err(e) if e.code() == "logged-out" => println!("show the login badge"),
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok(()) }
    /// ```
    pub fn ready(&self, timeout_ms: u32) -> Ready {
        if let Err(e) = self
            .core
            .check_live()
            .and_then(|()| check_timeout_ms(f64::from(timeout_ms), 0).map(|_| ()))
        {
            return Ready(Oneshot::ready(Err(e)));
        }
        let done = Oneshot::new();
        self.core.ready.borrow_mut().push(done.clone());
        let deadline = js_sys::Date::now() + f64::from(timeout_ms);
        watch_ready(Rc::downgrade(&self.core), deadline, done.clone());
        Ready(done)
    }

    /// Whether [`dispose`](WebPhone::dispose) was called.
    pub fn is_disposed(&self) -> bool {
        self.core.disposed.get()
    }

    pub(crate) fn core(&self) -> &Rc<PhoneCore> {
        &self.core
    }

    pub(crate) fn from_core(core: Rc<PhoneCore>) -> WebPhone {
        WebPhone { core }
    }
}

/// The wasm side of the phone's event listeners: (index of the name, the detail's packed
/// fields, the date of a call event's last `stateFlow` entry) -> whether to keep the
/// call's object (to act on the call).
type Handler = Closure<dyn Fn(u32, String, f64) -> bool>;

impl Drop for PhoneCore {
    fn drop(&mut self) {
        // The JS listeners call the handler: remove them before it goes.
        if let Some((remove, _handler)) = self.window_listeners.take() {
            let _ = remove.call0(&JsValue::NULL);
        }
    }
}

impl PhoneCore {
    pub(crate) fn check_live(&self) -> Result<(), Error> {
        if self.disposed.get() {
            Err(Error::Disposed)
        } else {
            Ok(())
        }
    }

    pub(crate) fn dispose(&self) {
        if self.disposed.replace(true) {
            return;
        }
        let storage = self.storage_listener.take();
        drop(storage);
        self.links.clear();
        let log = self.call_log.borrow_mut().take();
        if let Some(log) = log {
            log.release();
        }
        self.dropped.clear();
        self.queue.borrow_mut().clear();
        self.calls.clear();
        self.mutes.clear();
        self.underway.clear();
        self.events.clear();
        self.sessions.clear();
        self.popup.borrow_mut().take();
        for call in self.tracker.borrow().calls() {
            read::forget_control(&call.call_id);
        }
        self.tracker.borrow_mut().clear();
        for waiting in self.ready.take() {
            waiting.settle(Err(Error::Disposed));
        }
        // Last: the handler holds this core (when it is running, wasm-bindgen frees it
        // once it returns).
        if let Some((remove, handler)) = self.window_listeners.take() {
            let _ = remove.call0(&JsValue::NULL);
            drop(handler);
        }
    }

    /// One event of the phone (its twin under the other prefix already dropped): read
    /// now (the detail is live), delivered in order.
    /// Returns whether the snippet keeps the call's object: the call is live after this
    /// event (see [`Tracker::keeps`]), so that an object is kept only while its call lives.
    fn handle(self: &Rc<Self>, index: u32, packed: &str, date: f64) -> bool {
        if self.disposed.get() {
            return false;
        }
        let Some((kind, name)) = self.kinds.get(index as usize) else {
            return false;
        };
        log(Level::Debug, &["event ", name]);
        let pending = match kind {
            EventName::Call(state) => {
                let fields = read::call_fields(packed, date);
                match parse_call_with(state.clone(), &fields, js_sys::Date::now) {
                    Ok(signal) => Pending::Call(signal),
                    Err(_) => {
                        log(
                            Level::Warn,
                            &["ignored ", name, ": its detail has no valid callID"],
                        );
                        return false;
                    }
                }
            }
            other => match parse_phone(other, &read::phone_fields(packed)) {
                Some(e) => Pending::Phone(e),
                None => return false,
            },
        };
        // The logger is the page's code: it may have disposed.
        if self.disposed.get() {
            return false;
        }
        let keep = match &pending {
            Pending::Call(signal) => self.tracker.borrow().keeps(&signal.call_id, &signal.state),
            Pending::Phone(_) => false,
        };
        self.queue.borrow_mut().push_back(pending);
        if self.delivering.replace(true) {
            return keep; // delivered by the running loop, after the current event
        }
        loop {
            let next = self.queue.borrow_mut().pop_front();
            let Some(next) = next else { break };
            if self.disposed.get() {
                break;
            }
            match next {
                Pending::Call(signal) => self.deliver_call(signal),
                Pending::Phone(event) => self.deliver_phone(event),
            }
        }
        self.delivering.set(false);
        keep && !self.disposed.get()
    }

    fn deliver_call(self: &Rc<Self>, signal: CallSignal) {
        // The phone's object of a call is kept (by the snippet) while the call lives.
        if signal.state == CallState::Destroy {
            read::forget_control(&signal.call_id);
        }
        // An action under way ends when its effect arrives (rare: looked at only then).
        let id = self
            .underway
            .any()
            .then(|| (signal.call_id.clone(), signal.state.clone()));
        let mute = matches!(signal.state, CallState::Mute | CallState::Unmute);
        // Build the update (a copy of the call) only for someone to hear it.
        let wanted = self.calls.len() > 0
            || self.mutes.len() > 0
            || self.popup.borrow().is_some()
            || self.call_log.borrow().is_some();
        if !wanted {
            let changed = self.tracker.borrow_mut().record(signal);
            self.forget_evicted();
            if let (Some((id, state)), true) = (id, changed && !mute) {
                self.underway.arrived(&id, &state);
            }
            return;
        }
        let update = self.tracker.borrow_mut().apply(signal);
        self.forget_evicted();
        if let (Some((id, state)), Some(Update::State(_))) = (id, &update) {
            self.underway.arrived(&id, &state);
        }
        match update {
            Some(Update::State(t)) => {
                // Kept in the outbox before anyone hears of the end.
                if *t.state() == CallState::Destroy {
                    calllog::call_ended(self, &t.call);
                }
                let popup = self.popup.borrow_mut().as_mut().and_then(|p| p.decide(&t));
                if let Some(open) = popup {
                    open.open(&t, Rc::downgrade(self));
                }
                self.calls.emit(&t);
            }
            Some(Update::Mute(m)) => self.mutes.emit(&m),
            None => {}
        }
    }

    pub(crate) fn next_log_id(&self) -> u32 {
        let id = self.log_ids.get().wrapping_add(1).max(1);
        self.log_ids.set(id);
        id
    }

    pub(crate) fn log_subscription(self: &Rc<Self>, id: u32) -> Subscription {
        Subscription::new(self, Kind::CallLog, id)
    }

    pub(crate) fn report_dropped(&self, dropped: &Dropped) {
        self.dropped.emit(dropped);
    }

    /// The object of a call the tracker let go of to stay bounded is let go of too.
    fn forget_evicted(&self) {
        let evicted = self.tracker.borrow_mut().take_evicted();
        if let Some(id) = evicted {
            read::forget_control(&id);
        }
    }

    /// Sends `action` to call `call_id` after the core's checks (see [`WebPhone::answer`]).
    fn act(
        self: &Rc<Self>,
        call_id: &str,
        action: Action,
        argument: Option<&str>,
        secret: &str,
    ) -> Command {
        let now = js_sys::Date::now();
        // The checks, under a short borrow: looking the method up and calling it may run
        // the page's or the phone's code, which may dispatch events (the SDK does).
        let checked = (|| {
            self.check_live()?;
            let tracker = self.tracker.borrow();
            let call = tracker.call(call_id).ok_or(Error::NoSuchCall)?;
            action.check(call, self.underway.get(call_id, now))
        })();
        let send = match checked.and_then(|()| Target::of(call_id)?.method(action)) {
            Ok(send) => send,
            Err(e) => return Command::failed(e),
        };
        self.underway.start(call_id, action, now);
        let command = send.run(action, argument, secret);
        // A command the phone refused is not under way: it may be asked again.
        let weak = Rc::downgrade(self);
        let id: Box<str> = call_id.into();
        command.0.then(move |outcome| {
            if let (Err(_), Some(core)) = (outcome, weak.upgrade()) {
                core.underway.failed(&id, now);
            }
        });
        command
    }

    fn deliver_phone(&self, event: PhoneEvent) {
        if let Some(agent) = event.agent() {
            for waiting in self.ready.take() {
                waiting.settle(Ok(agent.clone()));
            }
        }
        self.events.emit(&event);
    }

    /// See [`WebPhone::connection`].
    fn connection(&self) -> Connection {
        // What the page has seen (the page's listeners hear each event before any
        // phone's).
        if presence::with(|p| p.last) == Connection::Connected {
            return Connection::Connected;
        }
        let dial_function = web_sys::window().is_some_and(|w| {
            js_sys::Reflect::get(&w, &JsValue::from_str(DIAL_FUNCTION))
                .is_ok_and(|f| f.is_function())
        });
        let token = storage::local_storage()
            .and_then(|s| storage::get(&s, crate::core::TOKEN_KEY))
            .ok()
            .map(|t| t.is_some_and(|t| !t.is_empty()));
        // Read after the storage: a page's `getItem` may dispatch an event.
        presence::with(|p| p.connection(dial_function, token))
    }

    /// Whether `popup` is still this phone's pop-up (not replaced, not disposed).
    pub(crate) fn has_popup(&self, popup: &Rc<Popup>) -> bool {
        !self.disposed.get()
            && self
                .popup
                .borrow()
                .as_ref()
                .is_some_and(|state| state.is(popup))
    }

    fn handle_storage(&self, event: &web_sys::Event) {
        if self.disposed.get() || self.sessions.len() == 0 {
            return;
        }
        let Some(event) = event.dyn_ref::<web_sys::StorageEvent>() else {
            return;
        };
        if !is_session_key(event.key().as_deref()) {
            return;
        }
        // Only localStorage is the phone's; sessionStorage changes fire the event too.
        let local = storage::local_storage().ok();
        let same_area = match (event.storage_area(), local) {
            (Some(area), Some(local)) => js_sys::Object::is(&area, &local),
            _ => false,
        };
        if !same_area {
            return;
        }
        self.sessions
            .emit(&SessionChange::from_read(storage::read_session()));
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(dead_code)] // some kinds are only made by the JS bindings
pub(crate) enum Kind {
    Call,
    Mute,
    CallLog,
    Dropped,
    Phone,
    Session,
}

impl PhoneCore {
    pub(crate) fn unsubscribe(&self, kind: Kind, id: u32) -> bool {
        match kind {
            Kind::Call => self.calls.remove(id),
            Kind::Mute => self.mutes.remove(id),
            Kind::Dropped => self.dropped.remove(id),
            Kind::CallLog => {
                let mut log = self.call_log.borrow_mut();
                let ours = log.as_ref().is_some_and(|l| l.id == id);
                let gone = if ours { log.take() } else { None };
                drop(log);
                if let Some(gone) = gone {
                    gone.release();
                }
                ours
            }
            Kind::Phone => self.events.remove(id),
            Kind::Session => self.sessions.remove(id),
        }
    }
}

/// A subscription: the listener is removed when this is dropped (like
/// `gloo_events::EventListener`), or when the phone is disposed, after
/// [`forget`](Subscription::forget).
#[must_use = "the listener is removed when the Subscription is dropped"]
pub struct Subscription {
    core: Weak<PhoneCore>,
    kind: Kind,
    id: u32,
}

impl Subscription {
    pub(crate) fn new(core: &Rc<PhoneCore>, kind: Kind, id: u32) -> Subscription {
        Subscription {
            core: Rc::downgrade(core),
            kind,
            id,
        }
    }

    /// Keeps the listener until the phone is disposed.
    pub fn forget(self) {
        std::mem::forget(self);
    }

    /// Its number among the phone's listeners of its kind (for the JS facade).
    #[cfg(feature = "js")]
    pub(crate) fn id(&self) -> u32 {
        self.id
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Some(core) = self.core.upgrade() {
            core.unsubscribe(self.kind, self.id);
        }
    }
}

/// How long the JS `ready()` waits by default, in ms.
pub const DEFAULT_READY_TIMEOUT_MS: u32 = 30_000;

/// How often [`WebPhone::ready`] looks at the session and the phone while it waits.
const READY_POLL_MS: f64 = 100.0;

/// Settles `done` once the agent is connected (by the `connected` event), logged out, the
/// phone disposed, or the deadline passed; looks every [`READY_POLL_MS`] until then.
fn watch_ready(core: Weak<PhoneCore>, deadline: f64, done: Oneshot<Result<Agent, Error>>) {
    if done.is_settled() {
        return;
    }
    let Some(phone) = core.upgrade().filter(|c| !c.disposed.get()) else {
        return done.settle(Err(Error::Disposed));
    };
    let outcome = match phone.connection() {
        Connection::Connected => Some(Ok(presence::with(|p| p.agent.clone()).unwrap_or_default())),
        Connection::LoggedOut => Some(Err(Error::LoggedOut)),
        _ if js_sys::Date::now() >= deadline => Some(Err(Error::Timeout)),
        _ => None,
    };
    if let Some(outcome) = outcome {
        done.settle(outcome);
        phone.ready.borrow_mut().retain(|w| !w.is_settled());
        return;
    }
    let left = deadline - js_sys::Date::now();
    after(
        left.min(READY_POLL_MS) as i32,
        Box::new(move || watch_ready(core, deadline, done)),
    );
}

/// The agent once connected: a future (see [`WebPhone::ready`]). Cheap to clone.
#[derive(Clone)]
#[must_use = "futures do nothing unless awaited"]
pub struct Ready(pub(crate) Oneshot<Result<Agent, Error>>);

impl std::future::Future for Ready {
    type Output = Result<Agent, Error>;

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        std::pin::Pin::new(&mut self.0).poll(cx)
    }
}

/// A `futures::Stream` of phone events (see [`WebPhone::call_events`]). Ends when the
/// phone is disposed.
#[must_use = "streams do nothing unless polled"]
pub struct Events<E> {
    rx: futures_channel::mpsc::UnboundedReceiver<E>,
    _sub: Subscription,
}

impl<E> futures_core::Stream for Events<E> {
    type Item = E;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<E>> {
        std::pin::Pin::new(&mut self.rx).poll_next(cx)
    }
}
