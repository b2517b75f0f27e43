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
export function simDialed() { return window.__ziwoSim.dialed.slice(); }
export function simShape(shape) { window.__ziwoSim.configure({ shape }); }
export function simInbound(number) { return window.__ziwoSim.inbound(number); }
export function simSent() { return window.__ziwoSim.sent.splice(0).map((m) => m.method.replace('verto.', '') + (m.action ? ':' + m.action : '') + (m.dtmf ? ':' + m.dtmf : '')); }
export function simTargets() { return [...new Set(window.__ziwoSim.invoked.splice(0).map((i) => i.target))]; }"
)]
extern "C" {
    fn sim(method: &str) -> JsValue;
    #[wasm_bindgen(js_name = simShape)]
    fn sim_shape(shape: &str);
    #[wasm_bindgen(js_name = simInbound)]
    fn sim_inbound(number: &str) -> String;
    #[wasm_bindgen(js_name = simSent)]
    fn sim_sent() -> Vec<String>;
    #[wasm_bindgen(js_name = simTargets)]
    fn sim_targets() -> Vec<String>;
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
    assert_eq!(
        phone.ready(0).await.unwrap().contact_center.as_deref(),
        Some("acme")
    );

    // The CRM's own call panel, through each shape of the phone's call object.
    let mutes = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let sink = mutes.clone();
    phone
        .on_mute(move |m| sink.borrow_mut().push(m.muted))
        .unwrap()
        .forget();
    for (shape, target, sent) in [
        (
            "verto",
            "dialog",
            &["answer", "info:7#", "modify:hold", "modify:unhold", "bye"][..],
        ),
        (
            "sdk",
            "currentCall",
            &[
                "answer",
                "info:7",
                "info:#",
                "modify:hold",
                "modify:unhold",
                "bye",
            ][..],
        ),
    ] {
        sim_shape(shape);
        sim_sent();
        sim_targets();
        let id = sim_inbound("+15550100");
        let state = |phone: &WebPhone| {
            phone
                .calls()
                .iter()
                .find(|c| *c.call_id == *id)
                .map(|c| c.state().clone())
        };
        wait_for(&mut calls, CallState::Ringing).await;
        phone.answer(&id).await.unwrap();
        wait_for(&mut calls, CallState::Active).await;
        if shape == "sdk" {
            // `active` came from inside answer(); the server's answer follows.
            wait_for(&mut calls, CallState::Answering).await;
            wait_for(&mut calls, CallState::Active).await;
        }
        phone.mute(&id).await.unwrap();
        // The SDK reports the change with an event; verto's dialog switches the microphone
        // silently.
        assert_eq!(phone.calls()[0].muted(), shape == "sdk", "{shape}");
        phone.unmute(&id).await.unwrap();
        phone.dtmf(&id, "7#").await.unwrap();
        phone.hold(&id).await.unwrap();
        wait_for(&mut calls, CallState::Held).await;
        phone.unhold(&id).await.unwrap();
        wait_for(&mut calls, CallState::Active).await;
        assert_eq!(phone.answer(&id).await.unwrap_err().code(), "invalid-state");
        phone.hangup(&id).await.unwrap();
        wait_for(&mut calls, CallState::Destroy).await;
        assert_eq!(state(&phone), None);
        assert_eq!(sim_sent(), sent, "{shape}");
        assert_eq!(sim_targets(), [target], "{shape}");
    }
    assert_eq!(*mutes.borrow(), [true, false], "the SDK's events only");
    phone.dispose();
    clear_phone_keys();
}

/// Waits (at most 10 s) for the next event of the stream in `state`.
async fn wait_for(calls: &mut Events<CallEvent>, state: CallState) {
    let deadline = js_sys::Date::now() + 10_000.0;
    loop {
        let next = futures_util::future::select(calls.next(), Box::pin(sleep(100))).await;
        match next {
            futures_util::future::Either::Left((Some(e), _)) if *e.state() == state => return,
            futures_util::future::Either::Left((None, _)) => {
                panic!("the stream ended before {state}")
            }
            _ if js_sys::Date::now() > deadline => panic!("no {state} within 10 s"),
            _ => {}
        }
    }
}
