//! The wasm side of the JavaScript API. `js/index.js` is the public facade: it takes
//! the JS options objects apart, checks their types, and calls these exports with plain
//! values; everything that decides anything (validation of names, numbers, tokens and
//! URLs, the tracker, the pop-up rule) happens here, in Rust. Errors are JS `Error`s
//! named `ZiwoError` with a `code`.

use crate::browser::convert::{error_to_js, set, snapshots_to_js, ToJs};
use crate::browser::{
    clear_logger, clear_session, dial, read_session, set_logger, when_settled, write_session,
    Install, Kind, Level, Listener, Oneshot, PhoneOptions, Popup, PopupReply, PopupUrl, WebPhone,
};
use crate::core::{CallState, ContactCenter, Error, PhoneNumber, PopupRule, Position, Size, Token};
use js_sys::{Function, Object, Promise};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

// The npm package is a final artifact, so it picks its allocator: talc is smaller than
// Rust's default dlmalloc in wasm. Rust users of the crate keep their own.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

thread_local! {
    /// Phones created from JS stay alive until `dispose()`, whether or not JS keeps
    /// its handle: a handle collected by the garbage collector must not silently
    /// remove the page's listeners.
    static LIVE: RefCell<Vec<WebPhone>> = const { RefCell::new(Vec::new()) };
}

fn fail(error: Error) -> JsValue {
    error_to_js(&error)
}

/// A Promise that settles with `outcome`.
fn promise(outcome: Oneshot<Result<(), Error>>) -> Promise {
    Promise::new(&mut |resolve: Function, reject: Function| {
        outcome.then(move |result| {
            let _ = match result {
                Ok(()) => resolve.call0(&JsValue::UNDEFINED),
                Err(e) => reject.call1(&JsValue::UNDEFINED, &fail(e.clone())),
            };
        });
    })
}

/// `""` is `None`: how the facade says "no pop-up for this direction".
fn trigger(name: &str) -> Result<Option<CallState>, Error> {
    if name.is_empty() {
        return Ok(None);
    }
    CallState::known(name).map(Some).ok_or(Error::InvalidOption(
        "pop-up states must be call state names or null",
    ))
}

/// The web phone, as `js/index.js` drives it. Not part of the public API.
#[wasm_bindgen]
pub struct Phone {
    phone: WebPhone,
}

#[wasm_bindgen]
impl Phone {
    /// Starts listening (also to `extra_states`).
    #[wasm_bindgen(constructor)]
    pub fn new(extra_states: Vec<String>) -> Result<Phone, JsValue> {
        let mut options = PhoneOptions::new();
        for name in &extra_states {
            options = options.extra_state(name).map_err(fail)?;
        }
        let phone = WebPhone::with_options(&options).map_err(fail)?;
        LIVE.with(|l| l.borrow_mut().push(phone.clone()));
        Ok(Phone { phone })
    }

    fn live(&self) -> Result<(), JsValue> {
        if self.phone.is_disposed() {
            Err(fail(Error::Disposed))
        } else {
            Ok(())
        }
    }

    /// Installs the phone; throws on invalid input, else a Promise of the load.
    pub fn install(
        &self,
        contact_center: &str,
        position: Option<String>,
        size: Option<String>,
        token: Option<String>,
        nonce: Option<String>,
        script_url: Option<String>,
    ) -> Result<Promise, JsValue> {
        self.live()?;
        let build = || -> Result<Install, Error> {
            let mut install = Install::new(ContactCenter::parse(contact_center)?);
            if let Some(p) = position {
                install = install.position(Position::parse(&p)?);
            }
            if let Some(s) = size {
                install = install.size(Size::parse(&s)?);
            }
            if let Some(t) = token {
                install = install.token(Token::parse(&t)?);
            }
            if let Some(n) = nonce {
                install = install.nonce(n);
            }
            if let Some(u) = script_url {
                install = install.script_url(u);
            }
            Ok(install)
        };
        let load = build().and_then(|i| i.run()).map_err(fail)?;
        Ok(promise(load.0))
    }

    /// Dials; throws on an invalid number, else a Promise of the outcome.
    pub fn call(&self, number: &str, timeout_ms: u32) -> Result<Promise, JsValue> {
        let number = PhoneNumber::parse(number).map_err(fail)?;
        Ok(promise(dial(&number, timeout_ms).0))
    }

    /// Adds a listener of `kind` (0 call, 1 phone, 2 session); returns its id.
    pub fn subscribe(&self, kind: u8, listener: Function) -> Result<u32, JsValue> {
        self.live()?;
        let core = self.phone.core();
        Ok(match kind {
            0 => core.calls.add(Listener::Js(listener)),
            1 => core.events.add(Listener::Js(listener)),
            _ => core.sessions.add(Listener::Js(listener)),
        })
    }

    /// Removes a listener.
    pub fn unsubscribe(&self, kind: u8, id: u32) {
        let kind = match kind {
            0 => Kind::Call,
            1 => Kind::Phone,
            _ => Kind::Session,
        };
        self.phone.core().unsubscribe(kind, id);
    }

    /// Sets the pop-up (a template or a resolver); returns its id for `clear_popup`.
    #[allow(clippy::too_many_arguments)]
    pub fn popup(
        &self,
        template: Option<String>,
        resolver: Option<Function>,
        inbound: &str,
        outbound: &str,
        internal: &str,
        service: &str,
        target: String,
        features: String,
        on_blocked: Option<Function>,
        on_error: Option<Function>,
    ) -> Result<u32, JsValue> {
        self.live()?;
        let build = || -> Result<Popup, Error> {
            let url = match (template, resolver) {
                (Some(t), _) => PopupUrl::Template(t),
                (None, Some(f)) => PopupUrl::Resolver(js_resolver(f)),
                (None, None) => return Err(Error::InvalidOption("url is required")),
            };
            let rule = PopupRule {
                inbound: trigger(inbound)?,
                outbound: trigger(outbound)?,
                internal: trigger(internal)?,
                service: trigger(service)?,
            };
            let mut popup = Popup::with_url(url)
                .rule(rule)
                .target(target)
                .features(features);
            if let Some(f) = on_blocked {
                popup = popup.on_blocked(move |url, event| {
                    report(f.call2(&JsValue::UNDEFINED, &JsValue::from_str(url), &event.to_js()));
                });
            }
            if let Some(f) = on_error {
                popup = popup.on_error(move |error, event| {
                    report(f.call2(&JsValue::UNDEFINED, &error_to_js(error), &event.to_js()));
                });
            }
            Ok(popup)
        };
        self.phone.set_popup(build().map_err(fail)?).map_err(fail)?;
        Ok(self.phone.core().popup_id())
    }

    /// Removes the pop-up `id`, if it is still the one in place.
    #[wasm_bindgen(js_name = clearPopup)]
    pub fn clear_popup(&self, id: u32) {
        self.phone.core().clear_popup_if(id);
    }

    /// The live calls, durations up to now.
    pub fn calls(&self) -> js_sys::Array {
        let core = self.phone.core();
        let tracker = core.tracker();
        snapshots_to_js(tracker.calls(), js_sys::Date::now())
    }

    /// The session in storage, or `null`.
    pub fn session(&self) -> Result<JsValue, JsValue> {
        Ok(match read_session().map_err(fail)? {
            None => JsValue::NULL,
            Some(s) => {
                let o = Object::new();
                set(&o, "token", &JsValue::from_str(s.token.expose()));
                set(
                    &o,
                    "contactCenter",
                    &JsValue::from_str(s.contact_center.as_str()),
                );
                let login = s
                    .cc_login
                    .as_deref()
                    .map_or(JsValue::NULL, JsValue::from_str);
                set(&o, "ccLogin", &login);
                o.into()
            }
        })
    }

    /// Writes the auto-login keys.
    #[wasm_bindgen(js_name = setSession)]
    pub fn set_session(&self, token: &str, contact_center: &str) -> Result<(), JsValue> {
        let token = Token::parse(token).map_err(fail)?;
        let name = ContactCenter::parse(contact_center).map_err(fail)?;
        write_session(&token, &name).map_err(fail)
    }

    /// Removes the session keys.
    #[wasm_bindgen(js_name = clearSession)]
    pub fn clear_session(&self) -> Result<(), JsValue> {
        clear_session().map_err(fail)
    }

    /// Removes every listener; idempotent.
    pub fn dispose(&self) {
        self.phone.dispose();
        let core = self.phone.core().clone();
        LIVE.with(|l| l.borrow_mut().retain(|p| !Rc::ptr_eq(p.core(), &core)));
    }

    /// `unknown`, `connected` or `disconnected`.
    #[wasm_bindgen(getter)]
    pub fn connection(&self) -> String {
        self.phone.connection().name().to_owned()
    }

    /// Whether `dispose` was called.
    #[wasm_bindgen(getter)]
    pub fn disposed(&self) -> bool {
        self.phone.is_disposed()
    }
}

/// A JS callback of the page threw: re-raise it where the page's error reporting sees it.
fn report(result: Result<JsValue, JsValue>) {
    if let Err(thrown) = result {
        let _ = Promise::reject(&thrown);
    }
}

/// A JS resolver `(customerNumber, event) => string | null | Promise<string | null>`.
fn js_resolver(f: Function) -> Rc<dyn Fn(PopupReply)> {
    Rc::new(move |reply: PopupReply| {
        let event = reply.event();
        let number = JsValue::from_str(event.call.customer_number.as_deref().unwrap_or(""));
        match f.call2(&JsValue::UNDEFINED, &number, &event.to_js()) {
            Err(_) => reply.fail(Error::PopupFailed),
            Ok(value) => {
                let reply = Rc::new(reply);
                let settled = reply.clone();
                let failed = reply.clone();
                let pending = when_settled(
                    &value,
                    move |v| answer(&settled, &v),
                    move |_| failed.fail(Error::PopupFailed),
                );
                if !pending {
                    answer(&reply, &value);
                }
            }
        }
    })
}

fn answer(reply: &PopupReply, value: &JsValue) {
    if value.is_undefined() || value.is_null() {
        reply.skip();
    } else if let Some(url) = value.as_string() {
        reply.open(&url);
    } else {
        reply.fail(Error::PopupFailed);
    }
}

/// Sends log messages of `level` (0 error, 1 warn, 2 info, 3 debug) and more severe to
/// `sink`; no sink stops logging.
#[wasm_bindgen(js_name = setLogger)]
pub fn js_set_logger(sink: Option<Function>, level: u8) {
    let Some(f) = sink else {
        return clear_logger();
    };
    let level = match level {
        0 => Level::Error,
        1 => Level::Warn,
        2 => Level::Info,
        _ => Level::Debug,
    };
    set_logger(level, move |level, message| {
        let _ = f.call2(
            &JsValue::UNDEFINED,
            &JsValue::from_str(level.name()),
            &JsValue::from_str(message),
        );
    });
}

#[cfg(feature = "api")]
mod api;
