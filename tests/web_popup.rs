//! Browser tests of the CRM pop-up: once per call, at the right state, never for a
//! recovered call, blocked pop-ups reported.
#![cfg(target_arch = "wasm32")]

mod support;

use std::cell::RefCell;
use std::rc::Rc;
use support::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;
use ziwo_webphone::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Pop-ups open once the tab has claimed the call (under a Web Lock, asynchronously):
/// a test waits for the pop-up it expects ([`wait_until`]) or, to see that a call opens
/// nothing, for the tabs' answer about it ([`answered`]).
fn opened(n: usize) -> impl FnMut() -> bool {
    move || opened_urls().len() >= n
}

fn inbound(id: &str, states: &[&str]) {
    for s in states {
        emit_call(id, s, "+971 50/123&x=1", "inbound", JsValue::UNDEFINED);
    }
}

#[wasm_bindgen_test]
async fn inbound_calls_open_one_pop_up_at_ringing() {
    clear_phone_keys();
    stub_open(false);
    let phone = WebPhone::new().unwrap();
    phone
        .set_popup(Popup::template(
            "https://crm.example/customers?phone={number}&call={callId}",
        ))
        .unwrap();
    inbound("p-1", &["ringing"]);
    wait_until("the pop-up", opened(1)).await;
    assert_eq!(
        opened_urls(),
        ["https://crm.example/customers?phone=%2B971%2050%2F123%26x%3D1&call=p-1"],
        "opened at ringing, the number URL-encoded"
    );
    inbound(
        "p-1",
        &[
            "ringing",
            "answering",
            "active",
            "held",
            "active",
            "hangup",
            "destroy",
        ],
    );
    // p-1's later states come before p-2's ringing: a second pop-up of p-1 would be
    // there by the time p-2's is.
    inbound("p-2", &["ringing"]);
    wait_until("the second call's pop-up", opened(2)).await;
    let calls: Vec<_> = opened_urls()
        .iter()
        .map(|u| u.rsplit('=').next().unwrap().to_owned())
        .collect();
    assert_eq!(
        calls,
        ["p-1", "p-2"],
        "once per call, and a new call gets its own pop-up"
    );
    phone.dispose();
    restore_open();
}

#[wasm_bindgen_test]
async fn outbound_calls_open_at_early_and_recovered_calls_never() {
    clear_phone_keys();
    stub_open(false);
    let phone = WebPhone::new().unwrap();
    phone
        .set_popup(Popup::template("/customers/{number}"))
        .unwrap();
    for s in ["requesting", "trying"] {
        emit_call("o-1", s, "+15550100", "outbound", JsValue::UNDEFINED);
    }
    answered("o-1").await;
    assert!(opened_urls().is_empty());
    emit_call("o-1", "early", "+15550100", "outbound", JsValue::UNDEFINED);
    wait_until("the pop-up at early", opened(1)).await;
    let urls = opened_urls();
    assert_eq!(urls.len(), 1);
    assert!(
        urls[0].ends_with("/customers/%2B15550100"),
        "relative URLs resolve against the page: {}",
        urls[0]
    );
    // After a reload, an unfinished call comes back as `recovering`: no pop-up.
    inbound("rec-1", &["recovering", "active", "hangup", "destroy"]);
    answered("rec-1").await;
    assert_eq!(opened_urls().len(), 1);
    phone.dispose();
    restore_open();
}

#[wasm_bindgen_test]
async fn blocked_pop_ups_are_reported_with_their_url() {
    clear_phone_keys();
    stub_open(true);
    let phone = WebPhone::new().unwrap();
    let blocked = Rc::new(RefCell::new(Vec::new()));
    let b = blocked.clone();
    phone
        .set_popup(
            Popup::template("https://crm.example/c?n={number}").on_blocked(move |url, e| {
                b.borrow_mut()
                    .push((url.to_owned(), e.call.call_id.to_string()))
            }),
        )
        .unwrap();
    inbound("b-1", &["ringing", "answering"]);
    wait_until("the report", || !blocked.borrow().is_empty()).await;
    assert_eq!(
        *blocked.borrow(),
        [(
            "https://crm.example/c?n=%2B971%2050%2F123%26x%3D1".to_owned(),
            "b-1".to_owned()
        )]
    );
    phone.dispose();
    restore_open();
}

#[wasm_bindgen_test]
async fn resolvers_answer_later_and_bad_urls_are_errors() {
    clear_phone_keys();
    stub_open(false);
    let phone = WebPhone::new().unwrap();
    let pending: Rc<RefCell<Vec<PopupReply>>> = Rc::default();
    let errors = Rc::new(RefCell::new(Vec::new()));
    let (p, e) = (pending.clone(), errors.clone());
    phone
        .set_popup(
            Popup::resolver(move |reply| p.borrow_mut().push(reply))
                .on_error(move |err, _| e.borrow_mut().push(err.clone())),
        )
        .unwrap();
    inbound("r-1", &["ringing"]);
    inbound("r-2", &["ringing"]);
    inbound("r-3", &["ringing"]);
    // The tab claims each call, then asks the resolver: what opens comes from its answer.
    wait_until("the resolver's three calls", || pending.borrow().len() == 3).await;
    assert!(
        opened_urls().is_empty(),
        "nothing until the resolver answers"
    );
    let replies: Vec<_> = pending.borrow_mut().drain(..).collect();
    replies[0].open("https://crm.example/found/1");
    replies[0].open("https://crm.example/twice"); // only the first answer counts
    replies[1].open("javascript:alert(1)");
    replies[2].skip();
    // An answer opens (or fails) at once.
    assert_eq!(opened_urls(), ["https://crm.example/found/1"]);
    assert_eq!(*errors.borrow(), [Error::InvalidUrl]);
    phone.dispose();
    restore_open();
}

#[wasm_bindgen_test]
fn templates_that_are_not_http_urls_are_refused_up_front() {
    let phone = WebPhone::new().unwrap();
    for bad in [
        "javascript:alert('{number}')",
        "data:text/html,{number}",
        "mailto:{number}",
        "ftp://crm.example/{number}",
    ] {
        assert!(phone.set_popup(Popup::template(bad)).is_err(), "{bad}");
    }
    phone.dispose();
}

#[wasm_bindgen_test]
async fn the_directions_and_states_are_configurable() {
    clear_phone_keys();
    stub_open(false);
    let phone = WebPhone::new().unwrap();
    let rule = PopupRule {
        inbound: Some(CallState::Active),
        outbound: None,
        ..PopupRule::default()
    };
    phone
        .set_popup(Popup::template("https://crm.example/{number}").rule(rule))
        .unwrap();
    inbound("c-1", &["ringing", "answering"]);
    answered("c-1").await;
    assert!(opened_urls().is_empty());
    inbound("c-1", &["active"]);
    wait_until("the pop-up at active", opened(1)).await;
    for s in ["requesting", "early", "active"] {
        emit_call("c-2", s, "+1", "outbound", JsValue::UNDEFINED);
    }
    answered("c-2").await;
    assert_eq!(opened_urls().len(), 1, "outbound pop-ups are off");
    phone.dispose();
    restore_open();
}

#[wasm_bindgen_test]
async fn a_call_another_tab_claimed_opens_no_second_pop_up() {
    clear_phone_keys();
    stub_open(false);
    let now = (js_sys::Date::now() / 1000.0) as u64;
    // Another tab of the CRM already opened the pop-up of `tab-1`; the record may also
    // hold garbage, which is skipped.
    storage()
        .set_item(
            "_ziwo-webphone-popups",
            &format!("{{junk}}\ntab-1\t{now}\n"),
        )
        .unwrap();
    let phone = WebPhone::new().unwrap();
    phone
        .set_popup(Popup::template("https://crm.example/{number}"))
        .unwrap();
    inbound("tab-1", &["ringing"]);
    answered("tab-1").await;
    assert!(opened_urls().is_empty());
    inbound("tab-2", &["ringing"]);
    wait_until("tab-2's pop-up and its claim", || {
        opened_urls().len() == 1 && claims().is_some_and(|r| r.contains("tab-2"))
    })
    .await;
    let record = storage()
        .get_item("_ziwo-webphone-popups")
        .unwrap()
        .unwrap();
    let ids: Vec<_> = record
        .lines()
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    assert_eq!(ids, ["tab-1", "tab-2"], "{record}");
    phone.dispose();
    restore_open();
    clear_phone_keys();
}

/// The pop-up's claims record.
fn claims() -> Option<String> {
    storage().get_item("_ziwo-webphone-popups").unwrap()
}

/// Waits until the tabs have answered for `call_id` and this tab let its lock go (it
/// holds it only when it opened the pop-up).
async fn answered(call_id: &str) {
    lock_turn(&popup_lock(call_id)).await;
}

#[wasm_bindgen_test]
async fn a_tab_holding_the_calls_lock_opens_it_and_this_tab_opens_nothing() {
    assert!(
        has_locks(),
        "the test page has Web Locks (a secure context)"
    );
    clear_phone_keys();
    stub_open(false);
    let lines: Rc<RefCell<Vec<String>>> = Rc::default();
    let sink = lines.clone();
    set_logger(
        move |_, message| sink.borrow_mut().push(message.to_owned()),
        Level::Info,
    );
    let phone = WebPhone::new().unwrap();
    phone
        .set_popup(Popup::template("https://crm.example/{callId}"))
        .unwrap();
    // Another tab got the call's lock: this one does not wait for it, and opens nothing.
    hold_lock(&popup_lock("lock-0")).await;
    inbound("lock-0", &["ringing"]);
    wait_until("the tabs' answer", || {
        lines
            .borrow()
            .iter()
            .any(|l| l == "another tab is opening this call's pop-up")
    })
    .await;
    assert!(opened_urls().is_empty(), "{:?}", opened_urls());
    assert_eq!(claims(), None, "the other tab records it");
    release_lock();
    // Another call is this tab's, and it keeps the call's lock while the others see it.
    inbound("lock-1", &["ringing"]);
    wait_until("the pop-up", || !opened_urls().is_empty()).await;
    assert_eq!(opened_urls(), ["https://crm.example/lock-1"]);
    assert!(
        lock_held(&popup_lock("lock-1")).await,
        "the opening tab holds the call's lock"
    );
    clear_logger();
    phone.dispose();
    restore_open();
    clear_phone_keys();
}

#[wasm_bindgen_test]
async fn no_pop_up_opens_after_dispose_before_the_tabs_answer() {
    clear_phone_keys();
    stub_open(false);
    let phone = WebPhone::new().unwrap();
    phone
        .set_popup(Popup::template("https://crm.example/{callId}"))
        .unwrap();
    inbound("lock-2", &["ringing"]);
    phone.dispose();
    answered("lock-2").await;
    assert!(opened_urls().is_empty(), "{:?}", opened_urls());
    assert_eq!(
        claims(),
        None,
        "no claim, and the lock let go: another tab may open it"
    );
    restore_open();
}

#[wasm_bindgen_test]
async fn no_pop_up_of_replaced_settings_opens_before_the_tabs_answer() {
    clear_phone_keys();
    stub_open(false);
    let phone = WebPhone::new().unwrap();
    phone
        .set_popup(Popup::template("https://crm.example/old/{callId}"))
        .unwrap();
    inbound("lock-3", &["ringing"]);
    phone
        .set_popup(Popup::template("https://crm.example/new/{callId}"))
        .unwrap();
    answered("lock-3").await;
    assert!(opened_urls().is_empty(), "{:?}", opened_urls());
    assert_eq!(claims(), None);
    // The new settings work for the next call.
    inbound("lock-4", &["ringing"]);
    wait_until("the new pop-up", || !opened_urls().is_empty()).await;
    assert_eq!(opened_urls(), ["https://crm.example/new/lock-4"]);
    // A cleared pop-up is gone too.
    inbound("lock-5", &["ringing"]);
    phone.clear_popup();
    answered("lock-5").await;
    assert_eq!(opened_urls().len(), 1);
    phone.dispose();
    restore_open();
    clear_phone_keys();
}

#[wasm_bindgen_test]
async fn a_resolver_that_answers_after_dispose_or_replacement_opens_nothing() {
    clear_phone_keys();
    stub_open(false);
    let phone = WebPhone::new().unwrap();
    let pending: Rc<RefCell<Vec<PopupReply>>> = Rc::default();
    let resolver =
        |p: Rc<RefCell<Vec<PopupReply>>>| Popup::resolver(move |r| p.borrow_mut().push(r));
    phone.set_popup(resolver(pending.clone())).unwrap();
    inbound("late-1", &["ringing"]);
    wait_until("the resolver", || pending.borrow().len() == 1).await;
    phone
        .set_popup(Popup::template("https://crm.example/{number}"))
        .unwrap();
    pending
        .borrow_mut()
        .pop()
        .unwrap()
        .open("https://crm.example/late-1");
    assert!(opened_urls().is_empty(), "replaced: {:?}", opened_urls());

    phone.set_popup(resolver(pending.clone())).unwrap();
    inbound("late-2", &["ringing"]);
    wait_until("the resolver", || pending.borrow().len() == 1).await;
    let reply = pending.borrow_mut().pop().unwrap();
    phone.dispose();
    reply.open("https://crm.example/late-2");
    assert!(opened_urls().is_empty(), "disposed: {:?}", opened_urls());
    restore_open();
    clear_phone_keys();
}

#[wasm_bindgen_test]
async fn an_unreadable_claims_record_opens_the_pop_up_here_and_writes_nothing() {
    clear_phone_keys();
    stub_open(false);
    let phone = WebPhone::new().unwrap();
    phone
        .set_popup(Popup::template("https://crm.example/{callId}"))
        .unwrap();
    break_storage("claims");
    inbound("unreadable-1", &["ringing"]);
    wait_until("the pop-up", || !opened_urls().is_empty()).await;
    repair_storage();
    assert_eq!(opened_urls(), ["https://crm.example/unreadable-1"]);
    assert_eq!(claims(), None, "the other tabs' claims are not overwritten");
    phone.dispose();
    restore_open();
}
