//! Browser tests of acting on a call (answer, hang up, hold, mute, DTMF, transfer)
//! through the phone's own objects: the verto `dialog` and the SDK's `currentCall`, each
//! as its source behaves (the SDK dispatches some states from inside its methods), and
//! of mute as a change that is not a call state.
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

/// Every call event as `"<state><-<previous>"` and every mute change as `"muted"` /
/// `"unmuted"`, in the order heard.
fn record(phone: &WebPhone) -> Rc<RefCell<Vec<String>>> {
    let seen = Rc::new(RefCell::new(Vec::new()));
    let sink = seen.clone();
    phone
        .on_call(move |e| {
            let prev = e.previous.as_ref().map_or("-", |p| p.raw_name()).to_owned();
            sink.borrow_mut()
                .push(format!("{}<-{}", e.state().raw_name(), prev));
        })
        .unwrap()
        .forget();
    let sink = seen.clone();
    phone
        .on_mute(move |e| {
            sink.borrow_mut()
                .push(if e.muted { "muted" } else { "unmuted" }.to_owned());
        })
        .unwrap()
        .forget();
    seen
}

fn code(result: Result<(), Error>) -> &'static str {
    result.map_or_else(|e| e.code(), |()| "ok")
}

#[wasm_bindgen_test]
async fn the_sdk_call_answers_mutes_and_hangs_up_with_its_events_inside() {
    let phone = WebPhone::new().unwrap();
    let seen = record(&phone);
    take_sent();
    make_call("sdk-1", "call", JsValue::UNDEFINED);
    emit_state("sdk-1", "ringing");
    phone.answer("sdk-1").await.unwrap();
    assert_eq!(take_sent(), ["call.answer()"]);
    assert_eq!(
        *phone.calls()[0].state(),
        CallState::Active,
        "dispatched inside answer()"
    );
    phone.mute("sdk-1").await.unwrap();
    assert!(
        phone.calls()[0].muted(),
        "the SDK's mute event came from inside mute()"
    );
    phone.unmute("sdk-1").await.unwrap();
    phone.dtmf("sdk-1", "12#").await.unwrap();
    phone.hold("sdk-1").await.unwrap();
    assert_eq!(
        code(phone.hold("sdk-1").await),
        "invalid-state",
        "hold under way"
    );
    // The server's late answer (after the SDK's own `active`) is not the hold's effect.
    emit_state("sdk-1", "answering");
    emit_state("sdk-1", "active");
    assert_eq!(
        code(phone.hold("sdk-1").await),
        "invalid-state",
        "still under way"
    );
    emit_state("sdk-1", "held"); // the server confirms
    phone.unhold("sdk-1").await.unwrap();
    emit_state("sdk-1", "active");
    let number = PhoneNumber::parse("+1 555 0199").unwrap();
    phone.transfer("sdk-1", &number).await.unwrap();
    assert_eq!(
        code(phone.transfer("sdk-1", &number).await),
        "invalid-state",
        "a double click on Transfer"
    );
    phone.hangup("sdk-1").await.unwrap();
    assert_eq!(
        take_sent(),
        [
            "call.mute()",
            "call.unmute()",
            "call.dtmf(1)",
            "call.dtmf(2)",
            "call.dtmf(#)",
            "call.hold()",
            "call.unhold()",
            "call.blindTransfer(+15550199)",
            "call.hangup()",
        ],
        "one dtmf per digit, in order; nothing sent for the refused ones"
    );
    assert_eq!(
        *seen.borrow(),
        [
            "ringing<--",
            "active<-ringing",
            "muted",
            "unmuted",
            "answering<-active",
            "active<-answering",
            "held<-active",
            "active<-held",
            "hangup<-active",
            "purge<-hangup",
            "destroy<-purge",
        ]
    );
    assert!(phone.calls().is_empty());
    assert_eq!(code(phone.hangup("sdk-1").await), "no-such-call");
    assert!(
        take_sent().is_empty(),
        "a hang-up of an ended call sends no second bye"
    );
    phone.dispose();
}

#[wasm_bindgen_test]
async fn the_verto_dialog_is_used_when_the_event_has_one() {
    let phone = WebPhone::new().unwrap();
    take_sent();
    make_call("v-1", "dialog", JsValue::UNDEFINED);
    emit_state("v-1", "ringing");
    phone.answer("v-1").await.unwrap();
    assert_eq!(
        code(phone.answer("v-1").await),
        "invalid-state",
        "the answer is under way until the server's answer arrives"
    );
    emit_state("v-1", "answering");
    emit_state("v-1", "active");
    // verto's dialog switches the microphone without an event: the library does not know
    // it is muted, and lets the page unmute anyway.
    phone.mute("v-1").await.unwrap();
    assert!(!phone.calls()[0].muted());
    phone.unmute("v-1").await.unwrap();
    phone.dtmf("v-1", "9*a").await.unwrap();
    phone
        .transfer("v-1", &PhoneNumber::parse("+15550142").unwrap())
        .await
        .unwrap();
    phone.hangup("v-1").await.unwrap();
    assert_eq!(
        code(phone.hangup("v-1").await),
        "no-such-call",
        "hanging up already"
    );
    assert_eq!(
        take_sent(),
        [
            "dialog.answer()",
            "dialog.setMute(off)",
            "dialog.setMute(on)",
            "dialog.dtmf(9*A)",
            "dialog.transfer(+15550142)",
            "dialog.hangup()",
        ],
        "the dialog, not the currentCall beside it; verto's setMute names the microphone"
    );
    phone.dispose();
}

#[wasm_bindgen_test]
async fn bad_input_is_refused_and_nothing_is_sent() {
    let phone = WebPhone::new().unwrap();
    take_sent();
    make_call("b-1", "call", opts(r#"{"lacks":["hold"]}"#));
    emit_state("b-1", "ringing");
    assert_eq!(code(phone.answer("nope").await), "no-such-call");
    assert_eq!(code(phone.hangup("").await), "no-such-call");
    assert_eq!(code(phone.hold("b-1").await), "invalid-state", "ringing");
    assert_eq!(code(phone.unhold("b-1").await), "invalid-state");
    assert_eq!(code(phone.unmute("b-1").await), "invalid-state", "ringing");
    assert_eq!(code(phone.dtmf("b-1", "1").await), "invalid-state");
    for bad in ["", "12 3", "E", &"1".repeat(33)] {
        assert_eq!(code(phone.dtmf("b-1", bad).await), "invalid-digits");
    }
    emit_state("b-1", "active");
    assert_eq!(
        code(phone.answer("b-1").await),
        "invalid-state",
        "not ringing"
    );
    assert_eq!(code(phone.hold("b-1").await), "not-supported");
    assert!(take_sent().is_empty());
    // A call whose events carry no object at all.
    emit_call(
        "bare",
        "ringing",
        "+1555",
        "inbound",
        opts(r#"{"currentCall":null,"dialog":null}"#),
    );
    assert_eq!(code(phone.answer("bare").await), "not-supported");
    phone.dispose();
    assert_eq!(code(phone.hangup("b-1").await), "disposed");
    assert!(take_sent().is_empty());
}

#[wasm_bindgen_test]
async fn what_the_phone_throws_is_phone_threw_without_the_token_or_number() {
    storage()
        .set_item("_jorel-token", "tok-secret-123")
        .unwrap();
    let phone = WebPhone::new().unwrap();
    make_call(
        "t-1",
        "call",
        opts(r#"{"throws":"blindTransfer","rejects":"hold"}"#),
    );
    emit_state("t-1", "ringing");
    emit_state("t-1", "active");
    let number = PhoneNumber::parse("+15550111").unwrap();
    let err = phone.transfer("t-1", &number).await.unwrap_err();
    assert_eq!(err.code(), "phone-threw");
    let text = err.to_string();
    assert!(
        text.contains("refused") && !text.contains("tok-secret-123") && !text.contains("15550111"),
        "{text}"
    );
    assert_eq!(
        code(phone.hold("t-1").await),
        "phone-threw",
        "a rejected Promise"
    );
    // A failed hold is not under way: it may be asked again.
    assert_eq!(code(phone.hold("t-1").await), "phone-threw");
    take_sent();
    storage().remove_item("_jorel-token").unwrap();
    phone.dispose();
}

#[wasm_bindgen_test]
async fn a_listener_that_hangs_up_inside_on_call_hears_every_event_once_in_order() {
    let phone = WebPhone::new().unwrap();
    let before = record(&phone);
    let acting = phone.clone();
    phone
        .on_call(move |e| {
            if *e.state() == CallState::Active {
                // The SDK dispatches hangup, purge and destroy inside: they wait.
                drop(acting.hangup(&e.call.call_id));
            }
        })
        .unwrap()
        .forget();
    let after = record(&phone);
    let late = Rc::new(RefCell::new(Vec::new()));
    make_call("n-1", "call", JsValue::UNDEFINED);
    emit_state("n-1", "ringing");
    phone.answer("n-1").await.unwrap();
    emit_state("n-1", "hangup"); // the server's bye, after destroy
    let sink = late.clone();
    let _sub = phone.on_call(move |e| sink.borrow_mut().push(e.call.call_id.to_string()));
    emit_state("n-1", "active");
    let want = [
        "ringing<--",
        "active<-ringing",
        "hangup<-active",
        "purge<-hangup",
        "destroy<-purge",
    ];
    assert_eq!(*before.borrow(), want);
    assert_eq!(*after.borrow(), want);
    assert!(late.borrow().is_empty(), "nothing after destroy");
    take_sent();
    phone.dispose();
}

#[wasm_bindgen_test]
async fn mute_is_not_a_state_in_events_snapshots_or_pop_ups() {
    let phone = WebPhone::new().unwrap();
    let seen = record(&phone);
    for state in [
        "ringing", "active", "mute", "mute", "active", "unmute", "hangup", "destroy",
    ] {
        emit_call("m-1", state, "+15550100", "inbound", JsValue::UNDEFINED);
    }
    assert_eq!(
        *seen.borrow(),
        [
            "ringing<--",
            "active<-ringing",
            "muted",
            "unmuted",
            "hangup<-active",
            "destroy<-hangup"
        ]
    );
    // A pop-up may not open at a mute change.
    let rule = PopupRule {
        inbound: Some(CallState::Mute),
        ..PopupRule::default()
    };
    let err = phone
        .set_popup(Popup::template("https://crm.example/{number}").rule(rule))
        .unwrap_err();
    assert_eq!(err.code(), "invalid-option");
    phone.dispose();
}

// ---- logged in or not, and ready (from a fresh page: tests/web_presence.rs) ---------------

/// The agent's session dropped (`Socket closed`): not connected, whatever came before.
fn disconnect() {
    dispatch_both("disconnected", &opts(r#"{"message":"Socket closed"}"#));
}

#[wasm_bindgen_test]
async fn ready_resolves_with_the_agent_once_connected() {
    clear_phone_keys();
    set_dial_function("none");
    storage().set_item("_jorel-token", "tok-3").unwrap();
    // Whatever an earlier test left, the agent is not connected now (the page remembers
    // the last `connected`/`disconnected`: tests/web_presence.rs).
    disconnect();
    let phone = WebPhone::new().unwrap();
    let waiting = phone.ready(10_000);
    let info = opts(r#"{"ccLogin":"1042","firstName":"Ada","lastName":"Li"}"#);
    dispatch_both("connected", &agent_detail(info, JsValue::UNDEFINED, "acme"));
    let agent = waiting.await.unwrap();
    assert_eq!(agent.cc_login.as_deref(), Some("1042"));
    assert_eq!(agent.first_name.as_deref(), Some("Ada"));
    assert_eq!(agent.contact_center.as_deref(), Some("acme"));
    // At once when connected already, whatever the storage says.
    clear_phone_keys();
    assert_eq!(phone.ready(0).await.unwrap(), agent);
    phone.dispose();
}

#[wasm_bindgen_test]
async fn ready_times_out_is_refused_bad_timeouts_and_ends_with_dispose() {
    clear_phone_keys();
    set_dial_function("none");
    storage().set_item("_jorel-token", "tok-4").unwrap();
    disconnect();
    let phone = WebPhone::new().unwrap();
    assert_eq!(phone.ready(50).await.unwrap_err().code(), "timeout");
    assert_eq!(
        phone.ready(600_001).await.unwrap_err().code(),
        "invalid-option"
    );
    let waiting = phone.ready(60_000);
    phone.dispose();
    assert_eq!(waiting.await.unwrap_err().code(), "disposed");
    assert_eq!(phone.ready(10).await.unwrap_err().code(), "disposed");
    clear_phone_keys();
}

// ---- click-to-dial ---------------------------------------------------------------------

#[wasm_bindgen_test]
async fn links_and_numbered_elements_dial_and_modified_clicks_keep_their_default() {
    set_dial_function("ok");
    let root = links_page(
        r##"<a id="tel" href="tel:+1%20555%200100;ext=7">call</a>
        <p data-ziwo-number="+44 20 7946 0000"><b id="inner">Ada</b></p>
        <a id="callto" href="callto://+15550102">skype</a>
        <a id="plain" href="#somewhere">not a number</a>
        <a id="bad" href="tel:call-me-maybe">bad</a>"##,
    );
    let phone = WebPhone::new().unwrap();
    let errors = Rc::new(RefCell::new(Vec::new()));
    let sink = errors.clone();
    let links = phone
        .linkify(&root, move |e, el| {
            sink.borrow_mut().push(format!("{}:{}", e.code(), el.id()));
        })
        .unwrap();
    assert!(
        click_on("#tel", JsValue::UNDEFINED),
        "the default is cancelled"
    );
    assert!(
        click_on("#inner", JsValue::UNDEFINED),
        "a click inside the element"
    );
    assert!(click_on("#callto", JsValue::UNDEFINED));
    assert!(
        !click_on("#plain", JsValue::UNDEFINED),
        "an ordinary link keeps its default"
    );
    for modifier in [
        r#"{"ctrlKey":true}"#,
        r#"{"metaKey":true}"#,
        r#"{"shiftKey":true}"#,
        r#"{"button":1}"#,
    ] {
        assert!(!click_on("#tel", opts(modifier)), "{modifier}");
    }
    // An element added after linkify.
    add_link(r#"<button id="later" data-ziwo-number="050-123-4567">later</button>"#);
    assert!(click_on("#later", JsValue::UNDEFINED));
    assert!(
        click_on("#bad", JsValue::UNDEFINED),
        "not dialled, and not left to the browser"
    );
    wait_until("the four dials", || dialed().len() >= 4).await;
    assert_eq!(
        dialed(),
        ["+15550100", "+442079460000", "+15550102", "0501234567"]
    );
    assert_eq!(*errors.borrow(), ["invalid-number:bad"]);
    // Dropped: the links are the browser's again.
    drop(links);
    assert!(!click_on("#tel", JsValue::UNDEFINED));
    // Forgotten: until dispose.
    phone.linkify(&root, |_, _| {}).unwrap().forget();
    assert!(click_on("#tel", JsValue::UNDEFINED));
    phone.dispose();
    assert!(!click_on("#tel", JsValue::UNDEFINED));
    assert_eq!(dialed().len(), 5);
    assert_eq!(
        phone.linkify(&root, |_, _| {}).err().map(|e| e.code()),
        Some("disposed")
    );
    set_dial_function("none");
}

#[wasm_bindgen_test]
async fn a_dial_that_fails_is_reported_with_its_element() {
    set_dial_function("throws");
    let root = links_page(r#"<a id="t" href="tel:+15550100">call</a>"#);
    let phone = WebPhone::new().unwrap();
    let errors = Rc::new(RefCell::new(Vec::new()));
    let sink = errors.clone();
    let _links = phone
        .linkify(&root, move |e, el| {
            sink.borrow_mut().push(format!("{}:{}", e.code(), el.id()));
        })
        .unwrap();
    assert!(click_on("#t", JsValue::UNDEFINED));
    wait_until("the report", || !errors.borrow().is_empty()).await;
    assert_eq!(*errors.borrow(), ["phone-threw:t"]);
    phone.dispose();
    set_dial_function("none");
}
