//! Browser tests of the call-state streams: the phone's window events (both prefixes,
//! repeats, cyclic details, malformed details) in, one typed event per transition out.
#![cfg(target_arch = "wasm32")]

mod support;

use futures_util::{FutureExt, StreamExt};
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
    let sub = phone
        .on_call(move |e| {
            let prev = e.previous.as_ref().map_or("-", |p| p.raw_name()).to_owned();
            sink.borrow_mut().push(format!(
                "{}:{}<-{}",
                e.call.call_id,
                e.state().raw_name(),
                prev
            ));
        })
        .unwrap();
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
    let _sub = phone
        .on_call(move |e| *sink.borrow_mut() = Some(e.clone()))
        .unwrap();
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
    let _sub = phone
        .on_phone_event(move |e| sink.borrow_mut().push(e.clone()))
        .unwrap();
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
    let _sub = phone
        .on_phone_event(move |e| sink.borrow_mut().push(e.clone()))
        .unwrap();
    // ZIWO's SDK keeps the agent's own fields in `agent.userInfo`.
    let info = js_sys::Object::new();
    js_sys::Reflect::set(&info, &"ccLogin".into(), &JsValue::from(1001)).unwrap();
    js_sys::Reflect::set(&info, &"firstName".into(), &"Bruce".into()).unwrap();
    js_sys::Reflect::set(&info, &"ccPassword".into(), &"s3cret".into()).unwrap();
    let connected = agent_detail(info.into(), JsValue::UNDEFINED, "acme");
    dispatch_both("connected", &connected);
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
    assert!(!format!("{:?}", seen[0]).contains("sip-secret"));
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
    *slot.borrow_mut() = Some(
        phone
            .on_call(move |_| {
                *c.borrow_mut() += 1;
                // Unsubscribe itself and subscribe another listener, mid-dispatch.
                s.borrow_mut().take();
                let ic = ic.clone();
                p.on_call(move |_| *ic.borrow_mut() += 1).unwrap().forget();
            })
            .unwrap(),
    );
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
    let mut calls = phone.call_events().unwrap();
    let mut events = phone.phone_events().unwrap();
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
fn dropping_every_handle_keeps_the_phone_listening_until_dispose() {
    let seen = Rc::new(RefCell::new(0));
    {
        let phone = WebPhone::new().unwrap();
        let s = seen.clone();
        phone
            .on_call(move |_| *s.borrow_mut() += 1)
            .unwrap()
            .forget();
        // The only way left to dispose it: a listener of its own that holds a handle.
        let disposer = phone.clone();
        phone
            .on_phone_event(move |e| {
                if matches!(e, PhoneEvent::Disconnected { .. }) {
                    disposer.dispose();
                }
            })
            .unwrap()
            .forget();
        emit_call("h-1", "ringing", "+1", "inbound", JsValue::UNDEFINED);
    }
    emit_call("h-1", "active", "+1", "inbound", JsValue::UNDEFINED);
    assert_eq!(
        *seen.borrow(),
        2,
        "the forgotten listener still hears calls"
    );
    dispatch_both("disconnected", &object(&[("message", "Socket closed")]));
    emit_call("h-1", "hangup", "+1", "inbound", JsValue::UNDEFINED);
    assert_eq!(*seen.borrow(), 2, "nothing after dispose");
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
    let _sub = phone
        .on_session_change(move |c| sink.borrow_mut().push(c.clone()))
        .unwrap();
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
    let first = &seen[0];
    assert!(first.signed_in && first.error.is_none(), "{first:?}");
    assert_eq!(first.contact_center.as_ref().unwrap().as_str(), "acme");
    let logged_out = SessionChange::from_read(Ok(None));
    assert_eq!(seen[1], logged_out);
    assert_eq!(seen[2], logged_out);
    phone.dispose();
}

#[wasm_bindgen_test]
fn the_connection_state_can_be_read_on_demand() {
    clear_phone_keys();
    set_dial_function("none");
    storage().set_item("_jorel-token", "tok-1").unwrap();
    let d = js_sys::Object::new();
    js_sys::Reflect::set(&d, &"message".into(), &"Socket closed".into()).unwrap();
    let d: JsValue = d.into();
    // The page remembers the last `connected`/`disconnected` (tests/web_presence.rs
    // starts from a fresh page): whatever an earlier test left, not connected now.
    dispatch_both("disconnected", &d);
    let phone = WebPhone::new().unwrap();
    assert_eq!(phone.connection(), Connection::Disconnected);
    dispatch_both("connected", &js_sys::Object::new().into());
    assert_eq!(phone.connection(), Connection::Connected);
    dispatch_both("disconnected", &d);
    assert_eq!(
        phone.connection(),
        Connection::Disconnected,
        "the session is still stored"
    );
    // A logout inside the phone removed the token in this tab (no storage event).
    storage().remove_item("_jorel-token").unwrap();
    assert_eq!(phone.connection(), Connection::LoggedOut);
    phone.dispose();
}

#[wasm_bindgen_test]
fn malformed_events_are_reported_to_the_logger_without_their_content() {
    let lines = Rc::new(RefCell::new(Vec::<String>::new()));
    let sink = lines.clone();
    set_logger(
        move |level, message| {
            sink.borrow_mut()
                .push(format!("{}: {message}", level.name()));
        },
        Level::Debug,
    );
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

#[wasm_bindgen_test]
async fn a_stream_outlives_every_handle_and_ends_at_dispose() {
    let (mut calls, mut events) = {
        let phone = WebPhone::new().unwrap();
        let streams = (phone.call_events().unwrap(), phone.phone_events().unwrap());
        // The page keeps no handle; the phone disposes itself when it hears `error`
        // (through a listener of its own, which holds the last handle).
        let disposer = phone.clone();
        phone
            .on_phone_event(move |e| {
                if matches!(e, PhoneEvent::Error { .. }) {
                    disposer.dispose();
                }
            })
            .unwrap()
            .forget();
        streams
    }; // every handle of the page dropped here
    emit_call("st-1", "ringing", "+1", "inbound", JsValue::UNDEFINED);
    emit_call("st-1", "active", "+1", "inbound", JsValue::UNDEFINED);
    dispatch_both("output-changed", &js_sys::Object::new().into());
    // Delivery is synchronous: the events are in the streams already.
    let next = |s: &mut Events<CallEvent>| s.next().now_or_never().expect("an event is ready");
    assert_eq!(*next(&mut calls).unwrap().state(), CallState::Ringing);
    assert_eq!(*next(&mut calls).unwrap().state(), CallState::Active);
    assert_eq!(
        events.next().now_or_never(),
        Some(Some(PhoneEvent::DeviceChanged { input: false }))
    );
    assert!(
        calls.next().now_or_never().is_none(),
        "nothing more yet: the stream is open"
    );
    let error = object(&[]);
    js_sys::Reflect::set(&error, &"code".into(), &JsValue::from(1003)).unwrap();
    dispatch_both("error", &error);
    // The error was heard by the stream before the listener after it disposed.
    assert!(matches!(
        events.next().now_or_never(),
        Some(Some(PhoneEvent::Error { .. }))
    ));
    emit_call("st-1", "hangup", "+1", "inbound", JsValue::UNDEFINED);
    assert_eq!(
        calls.next().now_or_never().map(|e| e.is_none()),
        Some(true),
        "dispose ended the call stream"
    );
    assert_eq!(
        events.next().now_or_never(),
        Some(None),
        "dispose ended the phone stream"
    );
}

#[wasm_bindgen_test]
fn nothing_subscribes_to_a_disposed_phone() {
    let phone = WebPhone::new().unwrap();
    let other = phone.clone();
    let heard = Rc::new(RefCell::new(0));
    let h = heard.clone();
    phone.dispose();
    assert!(other.is_disposed(), "every handle sees the dispose");
    assert_eq!(
        other.on_call(move |_| *h.borrow_mut() += 1).map(|_| ()),
        Err(Error::Disposed)
    );
    assert_eq!(
        other.on_phone_event(|_| {}).map(|_| ()),
        Err(Error::Disposed)
    );
    assert_eq!(
        other.on_session_change(|_| {}).map(|_| ()),
        Err(Error::Disposed)
    );
    assert_eq!(other.call_events().map(|_| ()), Err(Error::Disposed));
    assert_eq!(other.phone_events().map(|_| ()), Err(Error::Disposed));
    assert_eq!(
        other.set_popup(Popup::template("https://crm.example/{number}")),
        Err(Error::Disposed)
    );
    assert_eq!(Error::Disposed.code(), "disposed");
    emit_call("dd-1", "ringing", "+1", "inbound", JsValue::UNDEFINED);
    assert_eq!(*heard.borrow(), 0);
    assert!(other.calls().is_empty());
}

/// A listener that, like a page calling core-front's `answer()` from its ringing
/// handler, makes the phone dispatch the next state from inside the listener.
fn chain(phone: &WebPhone, id: &'static str, log: &Rc<RefCell<Vec<String>>>) -> Subscription {
    let log = log.clone();
    phone
        .on_call(move |e| {
            log.borrow_mut().push(format!("A:{}", e.state().raw_name()));
            if &*e.call.call_id != id {
                return;
            }
            let next = match e.state() {
                CallState::Ringing => "answering",
                CallState::Answering => "active",
                _ => return,
            };
            let detail = call_detail(id, next, "+1", "inbound", JsValue::UNDEFINED);
            dispatch(&format!("_jorel-dialog-state-{next}"), &detail);
        })
        .unwrap()
}

#[wasm_bindgen_test]
fn events_dispatched_from_a_listener_reach_every_listener_in_order() {
    // A stored session: the `disconnected` below is not a logout.
    storage().set_item("_jorel-token", "tok-order").unwrap();
    let phone = WebPhone::new().unwrap();
    let log = Rc::new(RefCell::new(Vec::new()));
    let _a = chain(&phone, "nest-1", &log);
    let sink = log.clone();
    let _b = phone
        .on_call(move |e| {
            sink.borrow_mut()
                .push(format!("B:{}", e.state().raw_name()))
        })
        .unwrap();
    // A phone event's listener that dispatches a call event, and a call listener that
    // dispatches a phone event: one queue for both kinds.
    let sink = log.clone();
    let _c = phone
        .on_phone_event(move |e| {
            let name = match e {
                PhoneEvent::Connected { .. } => "P:connected",
                PhoneEvent::Disconnected { .. } => "P:disconnected",
                _ => "P:other",
            };
            sink.borrow_mut().push(name.to_owned());
            if matches!(e, PhoneEvent::Connected { .. }) {
                let detail = call_detail("nest-2", "ringing", "+1", "inbound", JsValue::UNDEFINED);
                dispatch("_jorel-dialog-state-ringing", &detail);
            }
        })
        .unwrap();
    let sink = log.clone();
    let _d = phone
        .on_call(move |e| {
            sink.borrow_mut()
                .push(format!("D:{}", e.state().raw_name()));
            if &*e.call.call_id == "nest-2" {
                dispatch(
                    "_jorel-dialog-state-disconnected",
                    &object(&[("message", "Socket closed")]),
                );
            }
        })
        .unwrap();
    let detail = call_detail("nest-1", "ringing", "+1", "inbound", JsValue::UNDEFINED);
    dispatch("_jorel-dialog-state-ringing", &detail);
    assert_eq!(
        *log.borrow(),
        [
            "A:ringing",
            "B:ringing",
            "D:ringing",
            "A:answering",
            "B:answering",
            "D:answering",
            "A:active",
            "B:active",
            "D:active",
        ],
        "every listener hears ringing before anyone hears answering; none lost"
    );
    log.borrow_mut().clear();
    dispatch(
        "_jorel-dialog-state-connected",
        &js_sys::Object::new().into(),
    );
    assert_eq!(
        *log.borrow(),
        [
            "P:connected",
            "A:ringing",
            "B:ringing",
            "D:ringing",
            "P:disconnected"
        ]
    );
    assert_eq!(
        phone.connection(),
        Connection::Disconnected,
        "in order: connected, then disconnected"
    );
    storage().remove_item("_jorel-token").unwrap();
    let states: Vec<_> = phone
        .calls()
        .iter()
        .map(|c| c.state().raw_name().to_owned())
        .collect();
    assert_eq!(states, ["active", "ringing"]);
    phone.dispose();
}

#[wasm_bindgen_test]
fn a_listener_that_disposes_mid_delivery_stops_the_queue() {
    let phone = WebPhone::new().unwrap();
    let log = Rc::new(RefCell::new(Vec::new()));
    let _a = chain(&phone, "nest-3", &log);
    let sink = log.clone();
    let p = phone.clone();
    let _b = phone
        .on_call(move |e| {
            sink.borrow_mut()
                .push(format!("B:{}", e.state().raw_name()));
            if *e.state() == CallState::Answering {
                p.dispose();
            }
        })
        .unwrap();
    let detail = call_detail("nest-3", "ringing", "+1", "inbound", JsValue::UNDEFINED);
    dispatch("_jorel-dialog-state-ringing", &detail);
    // `active` was dispatched (queued) while `answering` was delivered; the dispose
    // dropped it.
    assert_eq!(
        *log.borrow(),
        ["A:ringing", "B:ringing", "A:answering", "B:answering"]
    );
    assert!(phone.is_disposed());
}

#[wasm_bindgen_test]
fn events_dispatched_from_a_listener_under_both_prefixes_are_one_event_each() {
    // core-front dispatches each event under both prefixes; a page that answers from
    // its `_jorel-dialog-state-ringing` listener makes it dispatch `active` (both
    // prefixes) before the outer `ziwo-ringing`.
    let phone = WebPhone::new().unwrap();
    let log = Rc::new(RefCell::new(Vec::new()));
    let sink = log.clone();
    let _a = phone
        .on_call(move |e| {
            sink.borrow_mut().push(format!(
                "{}<-{}",
                e.state().raw_name(),
                e.previous.as_ref().map_or("-", |p| p.raw_name())
            ));
            if *e.state() == CallState::Ringing {
                emit_call("both-1", "active", "+1", "inbound", JsValue::UNDEFINED);
            }
        })
        .unwrap();
    emit_call("both-1", "ringing", "+1", "inbound", JsValue::UNDEFINED);
    assert_eq!(*log.borrow(), ["ringing<--", "active<-ringing"]);
    phone.dispose();
}

#[wasm_bindgen_test]
fn connected_reads_the_agent_from_user_info() {
    let phone = WebPhone::new().unwrap();
    let seen = Rc::new(RefCell::new(Vec::new()));
    let sink = seen.clone();
    let _sub = phone
        .on_phone_event(move |e| sink.borrow_mut().push(e.clone()))
        .unwrap();
    let info = object(&[
        ("ccLogin", "1002"),
        ("firstName", "Selina"),
        ("lastName", "Kyle"),
    ]);
    dispatch_both(
        "connected",
        &agent_detail(info, JsValue::UNDEFINED, "gotham"),
    );
    // Fields at the top of `agent` are not ZIWO's shape: not read.
    let top = object(&[
        ("ccLogin", "9999"),
        ("firstName", "Top"),
        ("lastName", "Level"),
    ]);
    dispatch_both(
        "connected",
        &agent_detail(JsValue::UNDEFINED, top, "gotham"),
    );
    // A userInfo that is not an object, or a getter that throws, reads as absent.
    dispatch_both(
        "connected",
        &agent_detail(JsValue::from("1003"), JsValue::UNDEFINED, "gotham"),
    );
    dispatch_both(
        "connected",
        &agent_detail(throwing_detail(), JsValue::UNDEFINED, "gotham"),
    );
    let seen = seen.borrow();
    assert_eq!(
        seen[0],
        PhoneEvent::Connected {
            cc_login: Some("1002".into()),
            first_name: Some("Selina".into()),
            last_name: Some("Kyle".into()),
            contact_center: Some("gotham".into()),
        }
    );
    let nobody = PhoneEvent::Connected {
        cc_login: None,
        first_name: None,
        last_name: None,
        contact_center: Some("gotham".into()),
    };
    assert_eq!(seen[1..], [nobody.clone(), nobody.clone(), nobody]);
    assert_eq!(phone.connection(), Connection::Connected);
    phone.dispose();
}

#[wasm_bindgen_test]
fn session_changes_never_carry_the_token_and_report_unreadable_storage() {
    clear_phone_keys();
    let phone = WebPhone::new().unwrap();
    let seen = Rc::new(RefCell::new(Vec::new()));
    let sink = seen.clone();
    let _sub = phone
        .on_session_change(move |c| sink.borrow_mut().push(c.clone()))
        .unwrap();
    let token = "b10c6840-a9e7-11e8-8476-8d2a2f09b159";
    let s = storage();
    s.set_item("_jorel-token", token).unwrap();
    s.set_item("_jorel-ccName", "acme").unwrap();
    s.set_item("_jorel-ccLogin", "1001").unwrap();
    storage_event(Some("_jorel-token".into()), Some(token.into()));
    // A read that throws is not "logged out": the change says why it is unknown.
    break_storage("unreadable");
    storage_event(Some("_jorel-ccName".into()), Some("acme".into()));
    repair_storage();
    // A stored token that is not valid.
    s.set_item("_jorel-token", "\"json\"").unwrap();
    storage_event(Some("_jorel-token".into()), Some("\"json\"".into()));
    let seen = seen.borrow();
    assert_eq!(seen.len(), 3);
    assert_eq!(
        seen[0],
        SessionChange {
            signed_in: true,
            contact_center: Some(ContactCenter::parse("acme").unwrap()),
            cc_login: Some("1001".into()),
            error: None,
        }
    );
    for change in seen.iter() {
        let debug = format!("{change:?}");
        assert!(
            !debug.contains(token) && !debug.contains("b10c6840"),
            "{debug}"
        );
    }
    assert_eq!(
        seen[1],
        SessionChange::from_read(Err(Error::StorageUnavailable))
    );
    assert!(!seen[1].signed_in);
    assert_eq!(seen[2].error, Some(Error::CorruptSession("_jorel-token")));
    assert!(!seen[2].signed_in);
    clear_phone_keys();
    phone.dispose();
}

#[wasm_bindgen_test]
fn a_listener_that_owns_a_subscription_can_be_dropped() {
    // Dropping `outer` drops its listener, which drops `inner`: that unsubscribes from
    // the same list while it is being changed (it panicked, aborting the module).
    let phone = WebPhone::new().unwrap();
    let inner = phone.on_call(|_| {}).unwrap();
    let outer = phone
        .on_call(move |_| {
            let _ = &inner;
        })
        .unwrap();
    drop(outer);
    let heard = Rc::new(RefCell::new(0));
    let count = heard.clone();
    let _sub = phone.on_call(move |_| *count.borrow_mut() += 1).unwrap();
    emit_call("owns-1", "ringing", "+1", "inbound", JsValue::UNDEFINED);
    assert_eq!(*heard.borrow(), 1, "the phone still works");
    phone.dispose();
}
