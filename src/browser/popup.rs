//! The CRM pop-up (seed, "CRM profile Pop-up"): opens the customer's page once per
//! call, at `ringing` for inbound calls and at `early` for outbound ones, never for a
//! recovered call. A pop-up the browser blocks is reported, not lost.

use super::loader::resolve_http_url;
use super::log::{log, Level};
use super::phone::PhoneCore;
use super::read;
use super::storage;
use crate::core::{
    expand_template, popup_features, CallEvent, Error, PopupClaims, PopupGate, PopupRule,
    CLAIMS_KEY,
};
use std::cell::Cell;
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;

/// How long the tab that opens a call's pop-up holds the call's Web Lock: every tab that
/// sees the call meanwhile opens nothing.
const HOLD_MS: f64 = 60_000.0;

/// Runs `open` if this tab is the one of the CRM's tabs that opens `call_id`'s pop-up.
///
/// Where the browser has Web Locks (all current browsers, in secure contexts), the tabs
/// agree through a lock of the call's own, taken with `ifAvailable` and held for a minute
/// by the tab that got it: atomic across tabs, and no clock involved. (A lock around a
/// read of `localStorage` is no agreement: a tab may not yet see another tab's write.)
/// The winner also records the claim in `localStorage`, so that a tab that sees the call
/// after the lock is released opens nothing. Without Web Locks (insecure contexts, opaque
/// origins), the record alone decides, best effort. Without storage, every tab opens.
fn if_first_tab(
    call_id: Box<str>,
    live: impl FnOnce() -> bool + 'static,
    open: impl FnOnce() + 'static,
) {
    let id = call_id.clone();
    // Whether this tab opens it (then it keeps the call's lock for a while).
    let decide = move |won: i32| -> bool {
        if won == 0 {
            log(Level::Info, &["another tab is opening this call's pop-up"]);
            return false;
        }
        if !live() {
            // Replaced or disposed meanwhile: no claim, the lock goes at once.
            return false;
        }
        if claim(&call_id) {
            open();
            return true;
        }
        log(
            Level::Info,
            &["another tab already opened this call's pop-up"],
        );
        false
    };
    // Called once by the snippet, which frees it.
    let answer = Closure::once_into_js(move |won: JsValue| -> bool {
        decide(won.as_f64().map_or(-1, |w| w as i32))
    });
    read::claim_across_tabs(&["ziwo-webphone-popup:", &id].concat(), HOLD_MS, &answer);
}

/// Claims `call_id` in the shared record; `true` when no tab had. Without storage, or
/// with a record that cannot be read, this tab opens the pop-up and writes nothing
/// (it would overwrite the other tabs' claims).
fn claim(call_id: &str) -> bool {
    let Ok(store) = storage::local_storage() else {
        return true;
    };
    let Ok(text) = storage::get(&store, CLAIMS_KEY) else {
        return true;
    };
    let text = text.unwrap_or_default();
    let mut claims = PopupClaims::parse(&text);
    let now = (js_sys::Date::now() / 1000.0) as u64;
    if !claims.claim(call_id, now) {
        return false;
    }
    let _ = store.set_item(CLAIMS_KEY, &claims.serialize());
    true
}

/// Where the customer's page is.
#[derive(Clone)]
pub enum PopupUrl {
    /// A URL with `{number}` (and optionally `{callId}`) placeholders, filled with
    /// URL-encoded values: `https://crm.example/customers?phone={number}`.
    Template(String),
    /// A function of the call that answers through its [`PopupReply`], at once or
    /// after a CRM lookup (keep the reply and answer from a callback or a task).
    Resolver(Rc<dyn Fn(PopupReply)>),
}

type Blocked = Rc<dyn Fn(&str, &CallEvent)>;
type Failed = Rc<dyn Fn(&Error, &CallEvent)>;

/// The CRM pop-up's configuration.
///
/// ```no_run
/// use ziwo_webphone::{Popup, WebPhone};
/// # fn run() -> Result<(), ziwo_webphone::Error> {
/// let phone = WebPhone::new()?;
/// phone.set_popup(
///     Popup::template("https://crm.example/customers?phone={number}")
///         .on_blocked(|url, _event| {
///             // The browser blocked it: show a link to `url` instead.
///             let _ = url;
///         }),
/// )?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Popup {
    url: PopupUrl,
    rule: PopupRule,
    target: String,
    features: String,
    on_blocked: Option<Blocked>,
    on_error: Option<Failed>,
}

impl Popup {
    /// Opens `template` with `{number}` and `{callId}` filled in, URL-encoded.
    pub fn template(template: impl Into<String>) -> Popup {
        Popup::with_url(PopupUrl::Template(template.into()))
    }

    /// Opens the URL `resolver` answers with:
    ///
    /// ```no_run
    /// use ziwo_webphone::Popup;
    /// let popup = Popup::resolver(|reply| {
    ///     let number = reply.event().call.customer_number.clone().unwrap_or_default();
    ///     // Answer now, or move `reply` into a callback and answer after a lookup.
    ///     reply.open(&format!("/customers/by-phone/{number}"));
    /// });
    /// ```
    pub fn resolver(resolver: impl Fn(PopupReply) + 'static) -> Popup {
        Popup::with_url(PopupUrl::Resolver(Rc::new(resolver)))
    }

    /// Opens `url`.
    pub fn with_url(url: PopupUrl) -> Popup {
        Popup {
            url,
            rule: PopupRule::default(),
            target: "_blank".to_owned(),
            features: String::new(),
            on_blocked: None,
            on_error: None,
        }
    }

    /// When to open, per direction (default: inbound at `ringing`, outbound at `early`).
    pub fn rule(mut self, rule: PopupRule) -> Popup {
        self.rule = rule;
        self
    }

    /// The `window.open` target (default `_blank`; a name reuses one window).
    pub fn target(mut self, target: impl Into<String>) -> Popup {
        self.target = target.into();
        self
    }

    /// The `window.open` features (`"popup,width=800,height=600"`...).
    pub fn features(mut self, features: impl Into<String>) -> Popup {
        self.features = features.into();
        self
    }

    /// Called with the URL when the browser blocked the pop-up (`window.open` gave
    /// `null`), so the page can offer a link instead.
    pub fn on_blocked(mut self, f: impl Fn(&str, &CallEvent) + 'static) -> Popup {
        self.on_blocked = Some(Rc::new(f));
        self
    }

    /// Called when the URL could not be resolved ([`Error::PopupFailed`]) or is not an
    /// `http(s):` URL ([`Error::InvalidUrl`]).
    pub fn on_error(mut self, f: impl Fn(&Error, &CallEvent) + 'static) -> Popup {
        self.on_error = Some(Rc::new(f));
        self
    }
}

/// Where a [`PopupUrl::Resolver`] sends its answer, now or later. Only the first
/// answer counts; dropping it without answering opens nothing.
pub struct PopupReply {
    popup: Rc<Popup>,
    event: CallEvent,
    answered: Cell<bool>,
    /// Whether the pop-up is still the phone's (not replaced, not disposed).
    live: Live,
}

type Live = Rc<dyn Fn() -> bool>;

impl PopupReply {
    fn take(&self) -> bool {
        !self.answered.replace(true)
    }

    /// Opens `url` (absolute, or relative to the page; `http(s):` only), unless the
    /// phone was disposed or its pop-up replaced since the call was handed over.
    pub fn open(&self, url: &str) {
        if !self.take() {
            return;
        }
        if (self.live)() {
            self.popup.open_url(url, &self.event);
        } else {
            log(
                Level::Info,
                &["no pop-up: replaced or disposed before the answer"],
            );
        }
    }

    /// Opens nothing for this call.
    pub fn skip(&self) {
        self.take();
    }

    /// The lookup failed: reported to [`Popup::on_error`].
    pub fn fail(&self, error: Error) {
        if self.take() {
            self.popup.fail(&error, &self.event);
        }
    }

    /// The call the pop-up is for.
    pub fn event(&self) -> &CallEvent {
        &self.event
    }
}

/// A configured pop-up and the gate that opens it once per call.
pub(crate) struct PopupState {
    popup: Rc<Popup>,
    gate: PopupGate,
}

impl PopupState {
    /// Checks a template up front: it must give an `http(s):` URL.
    pub(crate) fn new(popup: Popup) -> Result<PopupState, Error> {
        popup.rule.check()?;
        if let PopupUrl::Template(t) = &popup.url {
            // An empty template would open the CRM's own page for every call.
            if t.trim().is_empty() {
                return Err(Error::InvalidUrl);
            }
            let document = web_sys::window()
                .and_then(|w| w.document())
                .ok_or(Error::NoDocument)?;
            resolve_http_url(&document, &expand_template(t, "0", "0")?)?;
        }
        let gate = PopupGate::new(popup.rule.clone());
        Ok(PopupState {
            popup: Rc::new(popup),
            gate,
        })
    }

    /// The pop-up to open for this transition, if any.
    pub(crate) fn decide(&mut self, event: &CallEvent) -> Option<Rc<Popup>> {
        self.gate.decide(event).then(|| self.popup.clone())
    }

    /// Whether these are the settings of `popup`.
    pub(crate) fn is(&self, popup: &Rc<Popup>) -> bool {
        Rc::ptr_eq(&self.popup, popup)
    }
}

impl Popup {
    /// Resolves the URL and opens it, in the first tab that claims the call, unless
    /// the phone has been disposed or its pop-up replaced meanwhile.
    pub(crate) fn open(self: Rc<Self>, event: &CallEvent, phone: Weak<PhoneCore>) {
        if event.call.customer_number.is_none() {
            log(Level::Info, &["no pop-up: the call has no customer number"]);
            return;
        }
        let event = event.clone();
        let popup = Rc::downgrade(&self);
        // The Web Lock may be granted, and a resolver answer, after the pop-up was
        // replaced or disposed.
        let live: Live = Rc::new(move || {
            let popup = popup.upgrade();
            phone
                .upgrade()
                .zip(popup)
                .is_some_and(|(phone, popup)| phone.has_popup(&popup))
        });
        let check = live.clone();
        if_first_tab(
            event.call.call_id.clone(),
            move || check(),
            move || self.resolve_and_open(&event, live),
        );
    }

    fn resolve_and_open(self: Rc<Self>, event: &CallEvent, live: Live) {
        let number = event.call.customer_number.as_deref().unwrap_or_default();
        match &self.url {
            PopupUrl::Template(t) => match expand_template(t, number, &event.call.call_id) {
                Ok(url) => self.open_url(&url, event),
                Err(e) => self.fail(&e, event),
            },
            PopupUrl::Resolver(resolve) => resolve(PopupReply {
                popup: self.clone(),
                event: event.clone(),
                answered: Cell::new(false),
                live,
            }),
        }
    }

    fn open_url(&self, url: &str, event: &CallEvent) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let href = window
            .document()
            .ok_or(Error::NoDocument)
            .and_then(|d| resolve_http_url(&d, url));
        let href = match href {
            Ok(href) => href,
            Err(e) => return self.fail(&e, event),
        };
        let (features, detectable) = popup_features(&self.features);
        let opened = window
            .open_with_url_and_target_and_features(&href, &self.target, &features)
            .ok()
            .flatten();
        match opened {
            Some(w) => {
                // What `noopener` does, without losing the return value that tells
                // whether the pop-up was blocked.
                let _ = w.set_opener(&JsValue::NULL);
                log(Level::Info, &["opened the customer's pop-up"]);
            }
            None if !detectable => log(
                Level::Info,
                &["asked for the customer's pop-up (with noreferrer, a blocked one cannot be told)"],
            ),
            None => {
                log(Level::Warn, &["the browser blocked the customer's pop-up"]);
                if let Some(f) = &self.on_blocked {
                    f(&href, event);
                }
            }
        }
    }

    fn fail(&self, error: &Error, event: &CallEvent) {
        log(Level::Error, &["pop-up failed: ", error.message()]);
        if let Some(f) = &self.on_error {
            f(error, event);
        }
    }
}
