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
