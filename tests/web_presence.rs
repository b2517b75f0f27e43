//! Browser tests of what the page has seen of the agent's connection: a phone created
//! after the agent connected (or disconnected) knows it. One test, in a page of its own:
//! the page remembers what it has seen for its lifetime, so the story starts on a page
//! where nothing happened yet. (tests/web_install.rs: `install` starts listening too.)
#![cfg(target_arch = "wasm32")]

mod support;

use std::cell::RefCell;
use std::rc::Rc;
use support::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use ziwo_webphone::*;

wasm_bindgen_test_configure!(run_in_browser);

fn opts(json: &str) -> JsValue {
    js_sys::JSON::parse(json).unwrap()
}

#[wasm_bindgen_test]
async fn a_phone_knows_what_the_page_has_seen_from_the_first_phone_on() {
    clear_phone_keys();
    set_dial_function("none");
    let first = WebPhone::new().unwrap();
    assert_eq!(
        first.connection(),
        Connection::Unknown,
        "the phone has not loaded"
    );
    let waiting = first.ready(10_000);
    // The phone loads: its dial function appears, and there is no token.
    set_dial_function("ok");
    assert_eq!(waiting.await.unwrap_err().code(), "logged-out");
    assert_eq!(first.connection(), Connection::LoggedOut);
    assert_eq!(
        first.ready(10_000).await.unwrap_err().code(),
        "logged-out",
        "at once when logged out"
    );
    // A session stored again: no longer known to be logged out (the phone reads it at
    // its next load).
    storage().set_item("_jorel-token", "tok-2").unwrap();
    assert_eq!(first.connection(), Connection::Unknown);

    // The agent connects; a phone created inside a `connected` listener knows it (the
    // page heard the event before any phone did).
    let inside: Rc<RefCell<Option<Connection>>> = Rc::default();
    let sink = inside.clone();
    first
        .on_phone_event(move |e| {
            if matches!(e, PhoneEvent::Connected { .. }) {
                let phone = WebPhone::new().unwrap();
                *sink.borrow_mut() = Some(phone.connection());
                phone.dispose();
            }
        })
        .unwrap()
        .forget();
    let info = opts(r#"{"ccLogin":"1042","firstName":"Ada","lastName":"Li"}"#);
    dispatch_both("connected", &agent_detail(info, JsValue::UNDEFINED, "acme"));
    assert_eq!(
        *inside.borrow(),
        Some(Connection::Connected),
        "a phone created inside the listener"
    );
    // The first phone goes, and a view mounted later makes its own.
    let agent = first.ready(0).await.unwrap();
    first.dispose();
    let late = WebPhone::new().unwrap();
    assert_eq!(late.connection(), Connection::Connected);
    assert_eq!(
        late.ready(0).await.unwrap(),
        agent,
        "at once, with the agent"
    );
    assert_eq!(agent.cc_login.as_deref(), Some("1042"));
    // Error 1001 is a protocol error, not a logout: a connected phone stays connected.
    dispatch_both("error", &opts(r#"{"code":1001}"#));
    assert_eq!(late.connection(), Connection::Connected);

    // Another tab takes the session: disconnected, the session still stored.
    dispatch_both(
        "disconnected",
        &opts(r#"{"message":"Duplicate connection"}"#),
    );
    assert_eq!(late.connection(), Connection::Disconnected);
    late.dispose();
    let later = WebPhone::new().unwrap();
    assert_eq!(later.connection(), Connection::Disconnected);
    assert_eq!(later.ready(20).await.unwrap_err().code(), "timeout");
    // A logout inside the phone removed the token in this tab.
    storage().remove_item("_jorel-token").unwrap();
    assert_eq!(later.connection(), Connection::LoggedOut);
    later.dispose();
    set_dial_function("none");
    clear_phone_keys();
}
