//! Browser tests of the call-state streams: the phone's window events (both prefixes,
//! repeats, cyclic details, malformed details) in, one typed event per transition out.
#![cfg(target_arch = "wasm32")]

mod support;

use futures_util::StreamExt;
use std::cell::RefCell;
use std::rc::Rc;
use support::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;
use ziwo_webphone::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Collects every call event of a phone as `"<callId>:<state><-<previous>"`.
fn record(phone: &WebPhone) -> (Rc<RefCell<Vec<String>>>, Subscription) {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let sink = seen.clone();
    let sub = phone.on_call(move |e| {
        let prev = e.previous.as_ref().map_or("-", |p| p.raw_name()).to_owned();
        sink.borrow_mut().push(format!(
            "{}:{}<-{}",
            e.call.call_id,
            e.state().raw_name(),
            prev
        ));
    });
    (seen, sub)
}

#[wasm_bindgen_test]
fn core_front_sequences_give_one_event_per_transition() {
    let phone = WebPhone::new().unwrap();
    let (seen, _sub) = record(&phone);
    // Inbound as core-front emits it: every event under both prefixes with the same
    // detail, answering twice, active twice, hangup twice.
    for state in [
        "ringing",
        "answering",
        "answering",
        "active",
        "active",
        "held",
        "active",
        "hangup",
        "hangup",
        "destroy",
    ] {
        emit_call(
            "in-1",
            state,
            "+971501234567",
            "inbound",
            JsValue::UNDEFINED,
        );
    }
    assert_eq!(
        *seen.borrow(),
        [
            "in-1:ringing<--",
            "in-1:answering<-ringing",
            "in-1:active<-answering",
            "in-1:held<-active",
            "in-1:active<-held",
            "in-1:hangup<-active",
            "in-1:destroy<-hangup",
        ]
    );
    assert!(phone.calls().is_empty(), "destroyed calls are forgotten");
    phone.dispose();
}

#[wasm_bindgen_test]
fn events_carry_the_plain_fields_and_a_snapshot() {
    let phone = WebPhone::new().unwrap();
    let last: Rc<RefCell<Option<CallEvent>>> = Rc::default();
    let sink = last.clone();
    let _sub = phone.on_call(move |e| *sink.borrow_mut() = Some(e.clone()));
    let extra = js_sys::Object::new();
    js_sys::Reflect::set(&extra, &"primaryCallID".into(), &"primary-9".into()).unwrap();
    emit_call(
        "out-1",
        "requesting",
        "+15550100",
        "outbound",
        extra.clone().into(),
    );
    emit_call(
        "out-1",
        "trying",
        "+15550100",
        "outbound",
        extra.clone().into(),
    );
    emit_call("out-1", "early", "+15550100", "outbound", extra.into());
    let e = last.borrow().clone().unwrap();
    assert_eq!(&*e.call.call_id, "out-1");
    assert_eq!(e.call.primary_call_id.as_deref(), Some("primary-9"));
    assert_eq!(e.call.customer_number.as_deref(), Some("+15550100"));
    assert_eq!(e.call.direction, Direction::Outbound);
    assert_eq!(*e.state(), CallState::Early);
    assert_eq!(e.previous, Some(CallState::Trying));
    let states: Vec<_> = e.call.history.iter().map(|h| h.state.clone()).collect();
    assert_eq!(
        states,
        [CallState::Requesting, CallState::Trying, CallState::Early]
    );
    // The timestamp comes from the event's own stateFlow entry (dateUNIX, seconds).
    let now = js_sys::Date::now();
    assert!((now - e.at()).abs() < 5_000.0, "at={} now={}", e.at(), now);
    assert!(e.call.history.windows(2).all(|w| w[0].at <= w[1].at));
    phone.dispose();
}

#[wasm_bindgen_test]
fn the_same_event_under_both_prefixes_is_one_event_but_two_events_are_two() {
    let phone = WebPhone::new().unwrap();
    let errors = Rc::new(RefCell::new(Vec::new()));
    let sink = errors.clone();
    let _sub = phone.on_phone_event(move |e| sink.borrow_mut().push(e.clone()));
    let detail = js_sys::Object::new();
    js_sys::Reflect::set(&detail, &"code".into(), &JsValue::from(1003)).unwrap();
    dispatch_both("error", &detail.clone().into());
    assert_eq!(errors.borrow().len(), 1, "twin under ziwo- is dropped");
    // The phone may report the same error twice: two events under one prefix count.
    dispatch("_jorel-dialog-state-error", &detail.clone().into());
    dispatch("_jorel-dialog-state-error", &detail.into());
    assert_eq!(errors.borrow().len(), 3);
    assert_eq!(
        errors.borrow()[0],
        PhoneEvent::Error {
            code: Some(1003),
            kind: core::PhoneErrorKind::MissingCall
        }
    );
    phone.dispose();
}

#[wasm_bindgen_test]
fn non_call_events_are_typed_and_never_leak_the_agents_password() {
    let phone = WebPhone::new().unwrap();
    let seen = Rc::new(RefCell::new(Vec::new()));
    let sink = seen.clone();
    let _sub = phone.on_phone_event(move |e| sink.borrow_mut().push(e.clone()));
    let agent = js_sys::Object::new();
    js_sys::Reflect::set(&agent, &"ccLogin".into(), &JsValue::from(1001)).unwrap();
    js_sys::Reflect::set(&agent, &"firstName".into(), &"Bruce".into()).unwrap();
    js_sys::Reflect::set(&agent, &"ccPassword".into(), &"s3cret".into()).unwrap();
    let connected = js_sys::Object::new();
    js_sys::Reflect::set(&connected, &"agent".into(), &agent).unwrap();
    js_sys::Reflect::set(&connected, &"contactCenterName".into(), &"acme".into()).unwrap();
    dispatch_both("connected", &connected.into());
    for message in ["Duplicate connection", "Socket closed"] {
        let d = js_sys::Object::new();
        js_sys::Reflect::set(&d, &"message".into(), &message.into()).unwrap();
        dispatch_both("disconnected", &d.into());
    }
    dispatch_both("input-changed", &js_sys::Object::new().into());
    let seen = seen.borrow();
    assert_eq!(seen.len(), 4);
    assert_eq!(
        seen[0],
        PhoneEvent::Connected {
            cc_login: Some("1001".into()),
            first_name: Some("Bruce".into()),
            last_name: None,
            contact_center: Some("acme".into()),
        }
    );
    assert!(!format!("{:?}", seen[0]).contains("s3cret"));
    assert!(matches!(
        seen[1],
        PhoneEvent::Disconnected {
            reason: core::DisconnectReason::DuplicateConnection,
            ..
        }
    ));
    assert!(matches!(
        seen[2],
        PhoneEvent::Disconnected {
            reason: core::DisconnectReason::SocketClosed,
            ..
        }
    ));
    assert_eq!(seen[3], PhoneEvent::DeviceChanged { input: true });
    phone.dispose();
}

#[wasm_bindgen_test]
fn malformed_details_are_dropped_and_the_next_call_still_works() {
    let phone = WebPhone::new().unwrap();
    let (seen, _sub) = record(&phone);
    let huge = huge_string(1 << 20);
    for detail in [
        JsValue::UNDEFINED,
        JsValue::NULL,
        JsValue::from(42),
        JsValue::from("a string"),
        js_sys::Array::new().into(),
        throwing_detail(),
        revoked_proxy(),
        huge.clone(),
    ] {
        dispatch("_jorel-dialog-state-ringing", &detail);
        dispatch("ziwo-active", &detail);
    }
    dispatch_plain("_jorel-dialog-state-ringing");
    // Wrong field types: callID a huge string, stateFlow not an array, direction a number.
    let wrong = js_sys::Object::new();
    js_sys::Reflect::set(&wrong, &"callID".into(), &huge).unwrap();
    dispatch("_jorel-dialog-state-ringing", &wrong.into());
    let wrong = js_sys::Object::new();
    js_sys::Reflect::set(&wrong, &"callID".into(), &"odd".into()).unwrap();
    js_sys::Reflect::set(&wrong, &"stateFlow".into(), &revoked_proxy()).unwrap();
    js_sys::Reflect::set(&wrong, &"direction".into(), &JsValue::from(7)).unwrap();
    dispatch("_jorel-dialog-state-ringing", &wrong.into());
    assert_eq!(*seen.borrow(), ["odd:ringing<--"]);
    // Events for calls never seen and a destroy twice.
    emit_call("ghost", "destroy", "+1", "inbound", JsValue::UNDEFINED);
    emit_call("ok-1", "ringing", "+1", "inbound", JsValue::UNDEFINED);
    emit_call("ok-1", "destroy", "+1", "inbound", JsValue::UNDEFINED);
    emit_call("ok-1", "destroy", "+1", "inbound", JsValue::UNDEFINED);
    assert_eq!(
        *seen.borrow(),
        ["odd:ringing<--", "ok-1:ringing<--", "ok-1:destroy<-ringing"]
    );
    phone.dispose();
}

#[wasm_bindgen_test]
fn unknown_states_are_kept_when_listened_to() {
    let phone =
        WebPhone::with_options(&PhoneOptions::new().extra_state("transferring").unwrap()).unwrap();
    let (seen, _sub) = record(&phone);
    emit_call("t-1", "active", "+1", "inbound", JsValue::UNDEFINED);
    emit_call("t-1", "transferring", "+1", "inbound", JsValue::UNDEFINED);
    assert_eq!(
        *seen.borrow(),
        ["t-1:active<--", "t-1:transferring<-active"]
    );
    let call = &phone.calls()[0];
    assert_eq!(*call.state(), CallState::Other("transferring".into()));
    assert!(PhoneOptions::new().extra_state("Bad Name").is_err());
    phone.dispose();
}

#[wasm_bindgen_test]
fn listeners_may_unsubscribe_and_subscribe_during_a_dispatch() {
    let phone = WebPhone::new().unwrap();
    let count = Rc::new(RefCell::new(0));
    let slot: Rc<RefCell<Option<Subscription>>> = Rc::default();
    let (c, s) = (count.clone(), slot.clone());
    let p = phone.clone();
    let inner_calls = Rc::new(RefCell::new(0));
    let ic = inner_calls.clone();
    *slot.borrow_mut() = Some(phone.on_call(move |_| {
        *c.borrow_mut() += 1;
        // Unsubscribe itself and subscribe another listener, mid-dispatch.
        s.borrow_mut().take();
        let ic = ic.clone();
        p.on_call(move |_| *ic.borrow_mut() += 1).forget();
    }));
    emit_call("r-1", "ringing", "+1", "inbound", JsValue::UNDEFINED);
    emit_call("r-1", "active", "+1", "inbound", JsValue::UNDEFINED);
    assert_eq!(*count.borrow(), 1, "unsubscribed after the first event");
    assert_eq!(
        *inner_calls.borrow(),
        1,
        "the new listener starts at the next event"
    );
    phone.dispose();
}

#[wasm_bindgen_test]
async fn streams_yield_events_and_end_on_dispose() {
    let phone = WebPhone::new().unwrap();
    let mut calls = phone.call_events();
    let mut events = phone.phone_events();
    emit_call("s-1", "ringing", "+1", "inbound", JsValue::UNDEFINED);
    emit_call("s-1", "ringing", "+1", "inbound", JsValue::UNDEFINED);
    emit_call("s-1", "answering", "+1", "inbound", JsValue::UNDEFINED);
    dispatch_both("output-changed", &js_sys::Object::new().into());
    assert_eq!(*calls.next().await.unwrap().state(), CallState::Ringing);
    assert_eq!(*calls.next().await.unwrap().state(), CallState::Answering);
    assert_eq!(
        events.next().await,
        Some(PhoneEvent::DeviceChanged { input: false })
    );
    phone.dispose();
    assert!(
        calls.next().await.is_none(),
        "the stream ends with the phone"
    );
}

#[wasm_bindgen_test]
fn dispose_removes_every_listener_and_a_new_phone_works() {
    let phone = WebPhone::new().unwrap();
    let (seen, sub) = record(&phone);
    sub.forget();
    phone.dispose();
    assert!(phone.is_disposed());
    emit_call("d-1", "ringing", "+1", "inbound", JsValue::UNDEFINED);
    assert!(seen.borrow().is_empty());
    phone.dispose(); // idempotent

    let again = WebPhone::new().unwrap();
    let (seen, _sub) = record(&again);
    emit_call("d-1", "active", "+1", "inbound", JsValue::UNDEFINED);
    assert_eq!(*seen.borrow(), ["d-1:active<--"]);
    again.dispose();
}

#[wasm_bindgen_test]
fn dropping_every_handle_removes_the_listeners() {
    let seen = Rc::new(RefCell::new(0));
    {
        let phone = WebPhone::new().unwrap();
        let s = seen.clone();
        phone.on_call(move |_| *s.borrow_mut() += 1).forget();
        emit_call("h-1", "ringing", "+1", "inbound", JsValue::UNDEFINED);
    }
    emit_call("h-1", "active", "+1", "inbound", JsValue::UNDEFINED);
    assert_eq!(*seen.borrow(), 1);
}

#[wasm_bindgen_test]
fn memory_stays_flat_over_a_long_shift() {
    let phone = WebPhone::new().unwrap();
    let count = Rc::new(RefCell::new(0u32));
    let c = count.clone();
    let _sub = phone.on_call(move |_| *c.borrow_mut() += 1);
    for i in 0..300 {
        let id = format!("shift-{i}");
        for state in ["ringing", "answering", "active", "hangup", "destroy"] {
            emit_call(&id, state, "+1", "inbound", JsValue::UNDEFINED);
        }
    }
    assert_eq!(*count.borrow(), 1500);
    assert!(phone.calls().is_empty());
    // Calls that never end are bounded too.
    for i in 0..100 {
        emit_call(
            &format!("leak-{i}"),
            "ringing",
            "+1",
            "inbound",
            JsValue::UNDEFINED,
        );
    }
    assert_eq!(phone.calls().len(), core::MAX_LIVE_CALLS);
    phone.dispose();
}

#[wasm_bindgen_test]
fn session_changes_from_other_tabs_reach_subscribers() {
    clear_phone_keys();
    let phone = WebPhone::new().unwrap();
    let seen = Rc::new(RefCell::new(Vec::new()));
    let sink = seen.clone();
    let _sub = phone.on_session_change(move |c| sink.borrow_mut().push(c.session.clone()));
    // Another tab logs in (the storage event fires in the other tabs only; it is
    // synthesised here with the values already written).
    let s = storage();
    s.set_item("_jorel-token", "tok").unwrap();
    s.set_item("_jorel-ccName", "acme").unwrap();
    storage_event(Some("_jorel-token".into()), Some("tok".into()));
    // Keys that are not the session's, and sessionStorage, are ignored.
    storage_event(Some("_jorel-default-size".into()), Some("mini".into()));
    session_storage_event("_jorel-token");
    // Another tab logs out, or clears everything.
    clear_phone_keys();
    storage_event(Some("_jorel-token".into()), None);
    storage_event(None, None);
    let seen = seen.borrow();
    assert_eq!(seen.len(), 3);
    let first = seen[0].as_ref().unwrap().as_ref().unwrap();
    assert_eq!(first.contact_center.as_str(), "acme");
    assert_eq!(seen[1], Ok(None));
    assert_eq!(seen[2], Ok(None));
    phone.dispose();
}

#[wasm_bindgen_test]
fn the_connection_state_can_be_read_on_demand() {
    let phone = WebPhone::new().unwrap();
    assert_eq!(phone.connection(), Connection::Unknown);
    dispatch_both("connected", &js_sys::Object::new().into());
    assert_eq!(phone.connection(), Connection::Connected);
    let d = js_sys::Object::new();
    js_sys::Reflect::set(&d, &"message".into(), &"Socket closed".into()).unwrap();
    dispatch_both("disconnected", &d.into());
    assert_eq!(phone.connection(), Connection::Disconnected);
    phone.dispose();
}

#[wasm_bindgen_test]
fn malformed_events_are_reported_to_the_logger_without_their_content() {
    let lines = Rc::new(RefCell::new(Vec::<String>::new()));
    let sink = lines.clone();
    set_logger(Level::Debug, move |level, message| {
        sink.borrow_mut()
            .push(format!("{}: {message}", level.name()));
    });
    let phone = WebPhone::new().unwrap();
    let secret = js_sys::Object::new();
    js_sys::Reflect::set(
        &secret,
        &"customerNumber".into(),
        &"+15550100-secret".into(),
    )
    .unwrap();
    dispatch("_jorel-dialog-state-ringing", &secret.into());
    emit_call(
        "log-1",
        "ringing",
        "+15550100-ok",
        "inbound",
        JsValue::UNDEFINED,
    );
    clear_logger();
    dispatch("_jorel-dialog-state-ringing", &JsValue::NULL);
    phone.dispose();
    let lines = lines.borrow();
    assert!(
        lines.contains(
            &"warn: ignored _jorel-dialog-state-ringing: its detail has no valid callID".to_owned()
        ),
        "{lines:?}"
    );
    assert!(lines
        .iter()
        .any(|l| l == "debug: event _jorel-dialog-state-ringing"));
    assert!(
        lines.iter().all(|l| !l.contains("+15550100")),
        "no detail values in logs"
    );
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("warn")).count(),
        1,
        "nothing is logged after clear_logger"
    );
}
