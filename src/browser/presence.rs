//! The agent's connection as the page has seen it since the library first listened (the
//! first [`WebPhone`](super::WebPhone) or [`install`](super::install)): the one record of
//! it, which every phone reads, so that a phone created later knows an agent who
//! connected before it existed. One per page, for the page's lifetime: a window listener
//! per name of the phone's non-call events (`connected`, `disconnected`, `error`,
//! `input-changed`, `output-changed`, each under both prefixes), never removed.

use super::read;
use crate::core::{parse_phone, EventName, Presence, JOREL_PREFIX, PHONE_EVENTS, ZIWO_PREFIX};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

thread_local! {
    /// `None` until the page's listeners are added.
    static SEEN: RefCell<Option<Presence>> = const { RefCell::new(None) };
}

/// Starts watching the phone's non-call events, once per page. Runs before any phone
/// adds its own listeners, so that the record is up to date when a phone hears an event.
pub(crate) fn watch() {
    // Marked started first: adding listeners may run the page's code (a patched
    // `addEventListener`), which may create a phone.
    let start = SEEN.with(|s| {
        s.try_borrow_mut().is_ok_and(|mut s| {
            let start = s.is_none();
            s.get_or_insert_with(Presence::default);
            start
        })
    });
    if !start {
        return;
    }
    // Both prefixes of a name, side by side: `listen` tells an event from its twin by
    // the pair.
    let mut names = Vec::with_capacity(2 * PHONE_EVENTS.len());
    let mut kinds = Vec::with_capacity(2 * PHONE_EVENTS.len());
    for suffix in PHONE_EVENTS {
        for prefix in [JOREL_PREFIX, ZIWO_PREFIX] {
            let name = [prefix, suffix].concat();
            kinds.extend(EventName::parse(&name));
            names.push(name);
        }
    }
    let calls = vec![0u8; names.len()];
    let handler = Closure::<dyn Fn(u32, String, f64) -> bool>::new(
        move |index: u32, packed: String, _date: f64| {
            let event = kinds
                .get(index as usize)
                .and_then(|kind| parse_phone(kind, &read::phone_fields(&packed)));
            if let Some(event) = event {
                SEEN.with(|s| {
                    if let Some(seen) = s
                        .try_borrow_mut()
                        .ok()
                        .as_deref_mut()
                        .and_then(Option::as_mut)
                    {
                        seen.see(&event);
                    }
                });
            }
            false
        },
    );
    // The page's lifetime: the remover is never called, and the handler is never freed.
    let _ = read::listen(names, &calls, handler.as_ref());
    handler.forget();
}

/// Reads what the page has seen so far (nothing before [`watch`]).
pub(crate) fn with<R>(read: impl FnOnce(&Presence) -> R) -> R {
    SEEN.with(
        |s| match s.try_borrow().ok().as_deref().and_then(Option::as_ref) {
            Some(seen) => read(seen),
            None => read(&Presence::default()),
        },
    )
}
