//! The agent's connection as the page has seen it since the library first listened (the
//! first [`WebPhone`](super::WebPhone) or [`install`](super::install)): a phone created
//! later starts from it, so that its `connection()` and `ready()` know an agent who
//! connected before the phone existed. One per page, for the page's lifetime: two window
//! listeners per name (`connected`, `disconnected`, under both prefixes), never removed.

use super::read;
use crate::core::{parse_phone, EventName, Presence};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

thread_local! {
    /// `None` until the page's listeners are added.
    static SEEN: RefCell<Option<Presence>> = const { RefCell::new(None) };
}

/// Starts watching the phone's `connected` and `disconnected` events, once per page.
pub(crate) fn watch() {
    let started = SEEN.with(|s| s.try_borrow().map_or(true, |s| s.is_some()));
    if started {
        return;
    }
    let handler = Closure::<dyn Fn(u32, String, f64) -> bool>::new(
        move |index: u32, packed: String, _date: f64| {
            let kind = if index < 2 {
                EventName::Connected
            } else {
                EventName::Disconnected
            };
            if let Some(event) = parse_phone(&kind, &read::phone_fields(&packed)) {
                SEEN.with(|s| {
                    if let Ok(mut s) = s.try_borrow_mut() {
                        s.get_or_insert_with(Presence::default).see(&event);
                    }
                });
            }
            false
        },
    );
    // Both prefixes of a name, side by side: `listen` tells an event from its twin by
    // the pair.
    let names = [
        "_jorel-dialog-state-connected",
        "ziwo-connected",
        "_jorel-dialog-state-disconnected",
        "ziwo-disconnected",
    ]
    .map(String::from)
    .to_vec();
    // The page's lifetime: the remover is never called, and the handler is never freed.
    let _ = read::listen(names, &[0; 4], handler.as_ref());
    handler.forget();
    SEEN.with(|s| {
        if let Ok(mut s) = s.try_borrow_mut() {
            s.get_or_insert_with(Presence::default);
        }
    });
}

/// What the page has seen so far (nothing before [`watch`]).
pub(crate) fn seen() -> Presence {
    SEEN.with(|s| s.try_borrow().ok().and_then(|s| s.clone()))
        .unwrap_or_default()
}
