//! Browser tests of click-to-call through `window['_jorel-callPhoneNumber']`.
#![cfg(target_arch = "wasm32")]

mod support;

use support::*;
use wasm_bindgen_test::*;
use ziwo_webphone::*;

wasm_bindgen_test_configure!(run_in_browser);

fn number(n: &str) -> PhoneNumber {
    PhoneNumber::parse(n).unwrap()
}

#[wasm_bindgen_test]
async fn dials_the_normalised_number_when_the_phone_is_ready() {
    set_dial_function("ok");
    dial(&number("+971 (50) 123-4567"), 1000).await.unwrap();
    assert_eq!(dialed(), ["+971501234567"]);
    set_dial_function("none");
}

#[wasm_bindgen_test]
async fn waits_for_the_phone_to_load() {
    set_dial_function_later(150);
    let started = js_sys::Date::now();
    dial(&number("1001"), 2000).await.unwrap();
    assert!(js_sys::Date::now() - started >= 100.0);
    assert_eq!(dialed(), ["1001"]);
    set_dial_function("none");
}

#[wasm_bindgen_test]
async fn a_promise_that_never_settles_ends_at_the_timeout() {
    set_dial_function("hangs");
    assert_eq!(dial(&number("1001"), 100).await, Err(Error::PhoneNotReady));
    assert_eq!(dialed(), ["1001"]);
    set_dial_function("none");
}

#[wasm_bindgen_test]
async fn the_phones_message_keeps_neither_the_token_nor_the_number() {
    storage().set_item("_jorel-token", "Ab3$xYz").unwrap();
    set_dial_function("quotes");
    assert_eq!(
        dial(&number("+971 50123"), 100).await,
        Err(Error::PhoneThrew(
            "no agent for <redacted> with <redacted>".to_owned()
        ))
    );
    set_dial_function("none");
    clear_phone_keys();
}

#[wasm_bindgen_test]
async fn gives_up_after_the_timeout() {
    set_dial_function("none");
    assert_eq!(dial(&number("1001"), 120).await, Err(Error::PhoneNotReady));
    assert_eq!(dial(&number("1001"), 0).await, Err(Error::PhoneNotReady));
}

#[wasm_bindgen_test]
async fn reports_what_the_phone_throws_or_rejects() {
    set_dial_function("throws");
    assert_eq!(
        dial(&number("1001"), 100).await,
        Err(Error::PhoneThrew("Agent not connected".into()))
    );
    set_dial_function("rejects");
    assert_eq!(
        dial(&number("1001"), 100).await,
        Err(Error::PhoneThrew("rejected by phone".into()))
    );
    set_dial_function("resolves");
    assert_eq!(dial(&number("1001"), 100).await, Ok(()));
    assert_eq!(dialed(), ["1001"], "resolved after the phone's own promise");
    set_dial_function("none");
}

#[wasm_bindgen_test]
fn invalid_numbers_never_reach_the_phone() {
    for bad in ["", "abc", "+1+2", "12;34", "1\n2", "tel:123"] {
        assert!(
            matches!(PhoneNumber::parse(bad), Err(Error::InvalidNumber(_))),
            "{bad:?}"
        );
    }
}

#[wasm_bindgen_test]
async fn timeouts_over_ten_minutes_are_refused_and_nothing_is_dialled() {
    set_dial_function("ok");
    for ms in [600_001, u32::MAX] {
        let refused = dial(&number("1001"), ms).await;
        assert!(
            matches!(refused, Err(Error::InvalidOption(m)) if m.contains("600000")),
            "{ms}: {refused:?}"
        );
    }
    let phone = WebPhone::new().unwrap();
    let refused = phone.dial(&number("1002"), 600_001).await;
    assert_eq!(refused.map_err(|e| e.code()), Err("invalid-option"));
    assert!(dialed().is_empty(), "nothing was dialled: {:?}", dialed());
    // The bound itself is accepted.
    dial(&number("1003"), 600_000).await.unwrap();
    phone.dial(&number("1004"), 600_000).await.unwrap();
    assert_eq!(dialed(), ["1003", "1004"]);
    phone.dispose();
    set_dial_function("none");
}

#[wasm_bindgen_test]
async fn a_phone_dials_until_it_is_disposed() {
    set_dial_function("ok");
    let phone = WebPhone::new().unwrap();
    phone.dial(&number("+971 50 123 4567"), 1000).await.unwrap();
    assert_eq!(dialed(), ["+971501234567"]);
    let other = phone.clone();
    phone.dispose();
    assert_eq!(
        other.dial(&number("1001"), 1000).await,
        Err(Error::Disposed)
    );
    assert_eq!(phone.dial(&number("1001"), 0).await, Err(Error::Disposed));
    // Disposed wins over a bad timeout: nothing is checked or called.
    assert_eq!(
        phone.dial(&number("1001"), 600_001).await,
        Err(Error::Disposed)
    );
    assert_eq!(dialed(), ["+971501234567"], "the stub was not called again");
    set_dial_function("none");
}
