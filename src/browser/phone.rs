//! The web phone companion: listens to the phone's window events, tracks each call,
//! and hands typed events to subscribers, streams and the CRM pop-up.

use super::log::{log, Level};
use super::popup::{Popup, PopupState};
use super::read;
use super::storage;
use super::subscribers::Subscribers;
use crate::core::{
    check_extra_state, is_session_key, listened_events, parse_call_with, parse_phone, CallEvent,
    CallSnapshot, Error, EventName, PhoneEvent, Session, Tracker,
};
use gloo_events::EventListener;
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(module = "/js/events.js")]
extern "C" {
    /// Adds the JS listeners; returns their remover (see `js/events.js`).
    fn listen(names: Vec<String>, handler: &Handler) -> js_sys::Function;
}

/// What changed in the web phone's session, as seen from another tab.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionChange {
    /// The session now in storage: `Ok(None)` after a logout or `localStorage.clear()`.
    pub session: Result<Option<Session>, Error>,
}

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
/// event). Handles are cheap to clone; the listeners are removed by
/// [`dispose`](WebPhone::dispose) or when the last handle is dropped.
///
/// ```no_run
/// use futures_util::StreamExt;
/// use ziwo_webphone::{CallState, WebPhone};
/// # async fn run() -> Result<(), ziwo_webphone::Error> {
/// let phone = WebPhone::new()?;
/// let mut calls = phone.call_events();
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
    /// The previous event (prefix is `_jorel-`, suffix, detail), to drop its twin.
    /// The JS listeners of the phone's events: their remover and the wasm handler.
    window_listeners: RefCell<Option<(js_sys::Function, Handler)>>,
    pub(crate) calls: Subscribers<CallEvent>,
    pub(crate) events: Subscribers<PhoneEvent>,
    pub(crate) sessions: Subscribers<SessionChange>,
    pub(crate) popup: RefCell<Option<PopupState>>,
    storage_listener: RefCell<Option<EventListener>>,
    disposed: Cell<bool>,
    connection: Cell<Connection>,
}

/// Whether the phone is connected, as far as its events tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Connection {
    /// No `connected` or `disconnected` event seen yet.
    Unknown,
    /// The last such event was `connected`.
    Connected,
    /// The last such event was `disconnected`.
    Disconnected,
}

impl Connection {
    /// The state's name.
    pub fn name(self) -> &'static str {
        match self {
            Connection::Unknown => "unknown",
            Connection::Connected => "connected",
            Connection::Disconnected => "disconnected",
        }
    }
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
        let core = Rc::new(PhoneCore {
            tracker: RefCell::new(Tracker::new()),
            window_listeners: RefCell::new(None),
            calls: Subscribers::default(),
            events: Subscribers::default(),
            sessions: Subscribers::default(),
            popup: RefCell::new(None),
            storage_listener: RefCell::new(None),
            disposed: Cell::new(false),
            connection: Cell::new(Connection::Unknown),
        });
        let (kinds, names): (Vec<_>, Vec<_>) =
            listened_events(options.extra_states.iter().map(String::as_str))
                .into_iter()
                .map(|(kind, name)| ((kind, Rc::<str>::from(name.as_str())), name))
                .unzip();
        let weak = Rc::downgrade(&core);
        let handler =
            Closure::<dyn FnMut(u32, JsValue)>::new(move |index: u32, detail: JsValue| {
                if let Some(core) = weak.upgrade() {
                    if let Some((kind, name)) = kinds.get(index as usize) {
                        core.handle(kind, name, &detail);
                    }
                }
            });
        let remove = listen(names, &handler);
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

    /// Calls `listener` with every transition of every call.
    pub fn on_call(&self, listener: impl Fn(&CallEvent) + 'static) -> Subscription {
        let id = self.core.calls.add(Box::new(listener));
        Subscription::new(&self.core, Kind::Call, id)
    }

    /// Calls `listener` with every non-call event (connected, disconnected, error,
    /// device changes).
    pub fn on_phone_event(&self, listener: impl Fn(&PhoneEvent) + 'static) -> Subscription {
        let id = self.core.events.add(Box::new(listener));
        Subscription::new(&self.core, Kind::Phone, id)
    }

    /// Calls `listener` when another tab changes or clears the phone's session.
    pub fn on_session_change(&self, listener: impl Fn(&SessionChange) + 'static) -> Subscription {
        let id = self.core.sessions.add(Box::new(listener));
        Subscription::new(&self.core, Kind::Session, id)
    }

    /// A stream of every call transition, from now on. Dropping it unsubscribes.
    pub fn call_events(&self) -> Events<CallEvent> {
        let (tx, rx) = futures_channel::mpsc::unbounded();
        let sub = self.on_call(move |e| {
            let _ = tx.unbounded_send(e.clone());
        });
        Events { rx, _sub: sub }
    }

    /// A stream of every non-call event, from now on. Dropping it unsubscribes.
    pub fn phone_events(&self) -> Events<PhoneEvent> {
        let (tx, rx) = futures_channel::mpsc::unbounded();
        let sub = self.on_phone_event(move |e| {
            let _ = tx.unbounded_send(e.clone());
        });
        Events { rx, _sub: sub }
    }

    /// Opens the customer's CRM page once per call (see [`Popup`]). Replaces any
    /// pop-up set before.
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

    /// The calls alive now, oldest first.
    pub fn calls(&self) -> Vec<CallSnapshot> {
        self.core.tracker.borrow().calls().to_vec()
    }

    /// Removes every listener and subscription, forgets every call and the pop-up.
    /// Idempotent. Create a new `WebPhone` to listen again.
    pub fn dispose(&self) {
        self.core.dispose();
    }

    /// Whether the phone is connected, from the last `connected`/`disconnected` event
    /// (a page that subscribes late can ask instead of waiting for the next one).
    pub fn connection(&self) -> Connection {
        self.core.connection.get()
    }

    /// Whether [`dispose`](WebPhone::dispose) was called.
    pub fn is_disposed(&self) -> bool {
        self.core.disposed.get()
    }
}

/// The wasm side of the phone's event listeners: (index of the name, detail).
type Handler = Closure<dyn FnMut(u32, JsValue)>;

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
        if let Some((remove, handler)) = self.window_listeners.take() {
            let _ = remove.call0(&JsValue::NULL);
            drop(handler);
        }
        self.calls.clear();
        self.events.clear();
        self.sessions.clear();
        self.popup.borrow_mut().take();
        self.tracker.borrow_mut().clear();
    }

    /// One event of the phone (its twin under the other prefix already dropped).
    fn handle(&self, kind: &EventName, name: &str, detail: &JsValue) {
        if self.disposed.get() {
            return;
        }
        log(Level::Debug, &["event ", name]);
        match kind {
            EventName::Call(state) => {
                let fields = read::call_fields(detail);
                match parse_call_with(state.clone(), &fields, js_sys::Date::now) {
                    Ok(signal) => {
                        // Build the event (a copy of the call) only for someone to hear it.
                        let wanted = self.calls.len() > 0 || self.popup.borrow().is_some();
                        if !wanted {
                            self.tracker.borrow_mut().record(signal);
                            return;
                        }
                        let transition = self.tracker.borrow_mut().apply(signal);
                        if let Some(t) = transition {
                            self.emit_call(&t);
                        }
                    }
                    Err(_) => log(
                        Level::Warn,
                        &["ignored ", name, ": its detail has no valid callID"],
                    ),
                }
            }
            other => {
                let fields = read::phone_fields(detail);
                if let Some(e) = parse_phone(other, &fields) {
                    match e {
                        PhoneEvent::Connected { .. } => self.connection.set(Connection::Connected),
                        PhoneEvent::Disconnected { .. } => {
                            self.connection.set(Connection::Disconnected)
                        }
                        _ => {}
                    }
                    self.events.emit(&e);
                }
            }
        }
    }

    fn emit_call(&self, t: &CallEvent) {
        let popup = self.popup.borrow_mut().as_mut().and_then(|p| p.decide(t));
        if let Some(open) = popup {
            open.open(t);
        }
        self.calls.emit(t);
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
        let change = SessionChange {
            session: storage::read_session(),
        };
        self.sessions.emit(&change);
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Call,
    Phone,
    Session,
}

impl PhoneCore {
    pub(crate) fn unsubscribe(&self, kind: Kind, id: u32) -> bool {
        match kind {
            Kind::Call => self.calls.remove(id),
            Kind::Phone => self.events.remove(id),
            Kind::Session => self.sessions.remove(id),
        }
    }
}

/// A subscription: the listener is removed when this is dropped (like
/// `gloo_events::EventListener`), or never, after [`forget`](Subscription::forget).
#[must_use = "the listener is removed when the Subscription is dropped"]
pub struct Subscription {
    core: Weak<PhoneCore>,
    kind: Kind,
    id: u32,
}

impl Subscription {
    fn new(core: &Rc<PhoneCore>, kind: Kind, id: u32) -> Subscription {
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
}

impl Drop for Subscription {
    fn drop(&mut self) {
        if let Some(core) = self.core.upgrade() {
            core.unsubscribe(self.kind, self.id);
        }
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
