//! The browser layer against the web phone simulator (served by the test command), in
//! every browser: install with auto-login, connect, dial, follow the call to its end.
#![cfg(target_arch = "wasm32")]

mod support;

use futures_util::StreamExt;
use support::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use ziwo_webphone::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(
    inline_js = "export function sim(method) { return window.__ziwoSim[method](); }
export function simDialed() { return window.__ziwoSim.dialed.slice(); }"
)]
extern "C" {
    fn sim(method: &str) -> JsValue;
    #[wasm_bindgen(js_name = simDialed)]
    fn sim_dialed() -> Vec<String>;
}

#[wasm_bindgen_test]
async fn a_call_through_the_simulator_from_install_to_destroy() {
    clear_phone_keys();
    remove_loader();
    let phone = WebPhone::new().unwrap();
    let mut events = phone.phone_events().unwrap();
    let mut calls = phone.call_events().unwrap();
    let load = Install::new(ContactCenter::parse("acme").unwrap())
        .token(Token::parse("tok-sim").unwrap())
        .script_url(simulator_url())
        .run()
        .unwrap();
    load.await.unwrap();
    // Start-up device events, then the auto-login.
    let connected = loop {
        match events.next().await.unwrap() {
            PhoneEvent::DeviceChanged { .. } => continue,
            other => break other,
        }
    };
    assert!(
        matches!(&connected, PhoneEvent::Connected { contact_center: Some(cc), cc_login: Some(_), .. } if &**cc == "acme"),
        "{connected:?}"
    );
    assert_eq!(
        read_session().unwrap().unwrap().cc_login.as_deref(),
        Some("1001"),
        "the phone stored the agent's login"
    );

    dial(&PhoneNumber::parse("+971 50 123 4567").unwrap(), 2000)
        .await
        .unwrap();
    assert_eq!(sim_dialed(), ["+971501234567"]);
    let mut states = Vec::new();
    while let Some(e) = calls.next().await {
        states.push(e.state().raw_name().to_owned());
        if *e.state() == CallState::Active {
            break;
        }
    }
    sim("hangup");
    while let Some(e) = calls.next().await {
        states.push(e.state().raw_name().to_owned());
        if *e.state() == CallState::Destroy {
            let d = e.call.durations(e.at());
            assert!(d.talk_ms >= 0.0 && d.hold_ms == 0.0);
            break;
        }
    }
    assert_eq!(
        states,
        [
            "requesting",
            "trying",
            "early",
            "active",
            "hangup",
            "destroy"
        ]
    );
    assert!(phone.calls().is_empty());
    phone.dispose();
    clear_phone_keys();
}
