//! Browser tests of the call log (issue #14): every ended call's record is kept in the
//! page's storage before it is handed over, taken once, tried again when the handler
//! fails, resumed from what an earlier page left, bounded, and still handed over when
//! storage fails.
#![cfg(target_arch = "wasm32")]

mod support;

use std::cell::RefCell;
use std::rc::Rc;
use support::*;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;
use ziwo_webphone::core::MAX_CDR_WAIT_MS;
use ziwo_webphone::core::{CallRecord, Entry, MAX_PENDING, MAX_RETRY_MS, OUTBOX_PREFIX};
use ziwo_webphone::*;

wasm_bindgen_test_configure!(run_in_browser);

fn clear_outbox() {
    let s = storage();
    let keys: Vec<String> = (0..s.length().unwrap())
        .filter_map(|i| s.key(i).unwrap())
        .filter(|k| k.starts_with(OUTBOX_PREFIX))
        .collect();
    for k in keys {
        s.remove_item(&k).unwrap();
    }
}

fn outbox(id: &str) -> Option<Entry> {
    storage()
        .get_item(&[OUTBOX_PREFIX, id].concat())
        .unwrap()
        .map(|v| Entry::decode(&v).expect("a readable entry"))
}

/// Records `old-<i>` for each `i` of `range`, as an earlier page left them: each ended
/// at `1000 + i` ms, waiting for a retry 4 minutes away.
fn write_waiting(template: &CallRecord, range: std::ops::Range<usize>) {
    let s = storage();
    for i in range {
        let mut r = template.clone();
        r.call_id = format!("old-{i}").into();
        r.ended_at = 1_000.0 + i as f64;
        let entry = Entry::Pending {
            record: r,
            attempts: 9,
            next_at: js_sys::Date::now() + MAX_RETRY_MS - 60_000.0,
            lookup: Default::default(),
        };
        s.set_item(&old_key(i), &entry.encode()).unwrap();
    }
}

fn old_key(i: usize) -> String {
    [OUTBOX_PREFIX, &format!("old-{i}")].concat()
}

fn end_call(id: &str) {
    for state in ["ringing", "active", "hangup", "destroy"] {
        emit_call(id, state, "+15550100", "inbound", JsValue::UNDEFINED);
    }
}

#[wasm_bindgen_test]
async fn a_record_is_kept_before_it_is_handed_over_and_taken_once() {
    clear_outbox();
    let phone = WebPhone::new().unwrap();
    let seen: Rc<RefCell<Vec<(String, bool)>>> = Rc::default();
    let sink = seen.clone();
    phone
        .on_call_ended(move |record: CallRecord| {
            let kept = outbox(&record.call_id).is_some();
            sink.borrow_mut().push((record.call_id.to_string(), kept));
            async move { Ok::<(), ()>(()) }
        })
        .unwrap()
        .forget();
    end_call("log-1");
    wait_until("the handler", || !seen.borrow().is_empty()).await;
    assert_eq!(
        *seen.borrow(),
        [("log-1".to_owned(), true)],
        "in the outbox first"
    );
    wait_until("the delivered marker", || {
        matches!(outbox("log-1"), Some(Entry::Delivered { .. }))
    })
    .await;
    // Another phone of the page (as another tab would) sees the same call end: its log
    // finds the record delivered (and its lock still held), and delivers nothing.
    let other = WebPhone::new().unwrap();
    let again: Rc<RefCell<u32>> = Rc::default();
    let sink = again.clone();
    other
        .on_call_ended(move |_r: CallRecord| {
            *sink.borrow_mut() += 1;
            async move { Ok::<(), ()>(()) }
        })
        .unwrap()
        .forget();
    end_call("log-1");
    // A later call, ended in both, is delivered once: by then the first call's end had
    // been decided in both phones.
    end_call("log-1b");
    wait_until("the later call", || {
        matches!(outbox("log-1b"), Some(Entry::Delivered { .. }))
            && seen.borrow().len() + *again.borrow() as usize >= 2
    })
    .await;
    assert_eq!(
        seen.borrow().len() + *again.borrow() as usize,
        2,
        "the later call once, the first call not again"
    );
    assert!(!seen.borrow().iter().skip(1).any(|(id, _)| id == "log-1"));
    assert!(matches!(outbox("log-1"), Some(Entry::Delivered { .. })));
    other.dispose();
    phone.dispose();
    clear_outbox();
}

#[wasm_bindgen_test]
async fn a_failing_handler_is_tried_again_with_backoff_and_the_record_stays_until_taken() {
    clear_outbox();
    let phone = WebPhone::new().unwrap();
    let calls: Rc<RefCell<Vec<f64>>> = Rc::default();
    let sink = calls.clone();
    phone
        .on_call_ended(move |record: CallRecord| {
            let n = {
                let mut c = sink.borrow_mut();
                c.push(js_sys::Date::now());
                c.len()
            };
            let _ = record;
            async move {
                if n < 4 {
                    Err("the CRM is down")
                } else {
                    Ok(())
                }
            }
        })
        .unwrap()
        .forget();
    end_call("log-2");
    wait_until("the first attempt", || calls.borrow().len() == 1).await;
    wait_until("the third failure's retry", || {
        matches!(outbox("log-2"), Some(Entry::Pending { attempts: 3, .. }))
    })
    .await;
    // 1 + 2 + 4 s of backoff.
    wait_until_within("the fourth attempt", 15_000.0, || calls.borrow().len() >= 4).await;
    let times = calls.borrow().clone();
    assert_eq!(times.len(), 4, "delivered on the fourth attempt");
    let gaps: Vec<f64> = times.windows(2).map(|w| w[1] - w[0]).collect();
    assert!(
        gaps[0] >= 900.0 && gaps[1] >= 1_900.0 && gaps[2] >= 3_900.0,
        "{gaps:?}"
    );
    wait_until("the delivered marker", || {
        matches!(outbox("log-2"), Some(Entry::Delivered { .. }))
    })
    .await;
    phone.dispose();
    clear_outbox();
}

#[wasm_bindgen_test]
async fn what_an_earlier_page_left_is_delivered_corrupt_entries_are_skipped_and_the_outbox_is_bounded(
) {
    clear_outbox();
    // An earlier page ended two calls and closed before its handler took them; something
    // damaged a third entry; 500 more wait for a retry far in the future.
    let earlier = WebPhone::new().unwrap();
    let records: Rc<RefCell<Vec<CallRecord>>> = Rc::default();
    let keep = records.clone();
    let sub = earlier
        .on_call_ended(move |r: CallRecord| {
            keep.borrow_mut().push(r);
            std::future::pending::<Result<(), ()>>()
        })
        .unwrap();
    end_call("left-1");
    end_call("left-2");
    wait_until("both handed over", || records.borrow().len() == 2).await;
    drop(sub);
    earlier.dispose();
    let s = storage();
    s.set_item(&[OUTBOX_PREFIX, "damaged"].concat(), "{not an entry")
        .unwrap();
    let template = records.borrow()[0].clone();
    write_waiting(&template, 0..MAX_PENDING - 2);

    let phone = WebPhone::new().unwrap();
    let dropped: Rc<RefCell<Vec<String>>> = Rc::default();
    let sink = dropped.clone();
    phone
        .on_call_dropped(move |d| {
            sink.borrow_mut().push(match d {
                Dropped::Full(r) => format!("full:{}", r.call_id),
                Dropped::Corrupt(key) => format!("corrupt:{key}"),
                other => format!("{other:?}"),
            })
        })
        .unwrap()
        .forget();
    let taken: Rc<RefCell<Vec<String>>> = Rc::default();
    let sink = taken.clone();
    phone
        .on_call_ended(move |r: CallRecord| {
            sink.borrow_mut().push(r.call_id.to_string());
            async move { Ok::<(), ()>(()) }
        })
        .unwrap()
        .forget();
    wait_until("the earlier page's records", || taken.borrow().len() == 2).await;
    let mut got = taken.borrow().clone();
    got.sort();
    assert_eq!(got, ["left-1", "left-2"]);
    assert_eq!(
        *dropped.borrow(),
        ["corrupt:_ziwo-webphone-log:damaged"],
        "reported, the others kept"
    );
    assert!(s.get_item("_ziwo-webphone-log:damaged").unwrap().is_none());
    // Two more waiting records (500 pending), then one more call: 501, the oldest goes.
    write_waiting(&template, MAX_PENDING - 2..MAX_PENDING);
    end_call("log-3");
    wait_until("the new call", || taken.borrow().len() == 3).await;
    assert_eq!(dropped.borrow().len(), 2);
    assert_eq!(dropped.borrow()[1], "full:old-0");
    assert!(outbox("old-0").is_none() && outbox("old-1").is_some());
    phone.dispose();
    clear_outbox();
}

#[wasm_bindgen_test]
async fn storage_that_throws_is_reported_the_call_is_handed_over_once_and_events_flow() {
    clear_outbox();
    let phone = WebPhone::new().unwrap();
    let heard: Rc<RefCell<Vec<String>>> = Rc::default();
    let sink = heard.clone();
    phone
        .on_call(move |e| sink.borrow_mut().push(e.state().raw_name().to_owned()))
        .unwrap()
        .forget();
    let dropped: Rc<RefCell<Vec<String>>> = Rc::default();
    let sink = dropped.clone();
    phone
        .on_call_dropped(move |d| {
            if let Dropped::NotKept(r, e) = d {
                sink.borrow_mut()
                    .push(format!("{}:{}", r.call_id, e.code()));
            }
        })
        .unwrap()
        .forget();
    let taken: Rc<RefCell<Vec<String>>> = Rc::default();
    let sink = taken.clone();
    phone
        .on_call_ended(move |r: CallRecord| {
            sink.borrow_mut().push(r.call_id.to_string());
            async move { Ok::<(), ()>(()) }
        })
        .unwrap()
        .forget();
    break_storage("missing");
    end_call("log-4");
    repair_storage();
    assert_eq!(*heard.borrow(), ["ringing", "active", "hangup", "destroy"]);
    assert_eq!(*dropped.borrow(), ["log-4:storage-unavailable"]);
    wait_until("the handler", || !taken.borrow().is_empty()).await;
    assert_eq!(*taken.borrow(), ["log-4"]);
    assert!(outbox("log-4").is_none(), "nothing was written");
    phone.dispose();
}

/// A client of the API stand-in, with its token.
fn stand_in() -> ApiClient {
    let token = Token::parse("test-access-token").unwrap();
    ApiClient::at(api_origin(), Credentials::AccessToken(token)).unwrap()
}

/// The stand-in's GET requests for the call history of `call_id`.
async fn lookups_of(call_id: &str) -> usize {
    let log = control_api(api_origin(), "requests?path=/callHistory/", None).await;
    let content = js_sys::Reflect::get(&log, &"content".into()).unwrap();
    js_sys::Array::from(&content)
        .iter()
        .filter(|r| {
            let get = |k: &str| js_sys::Reflect::get(r, &k.into()).unwrap().as_string();
            get("method").as_deref() == Some("GET")
                && get("query").is_some_and(|q| q.contains(&["callID=", call_id, "&"].concat()))
        })
        .count()
}

/// A phone whose call log waits `wait_ms` for each CDR at the stand-in, and the records it
/// delivered.
fn log_with_cdr(wait_ms: u32) -> (WebPhone, Rc<RefCell<Vec<CallRecord>>>) {
    let phone = WebPhone::new().unwrap();
    let seen: Rc<RefCell<Vec<CallRecord>>> = Rc::default();
    let sink = seen.clone();
    let options = CallLogOptions::new()
        .cdr(stand_in())
        .cdr_wait_ms(wait_ms)
        .unwrap();
    phone
        .on_call_ended_with(options, move |record: CallRecord| {
            sink.borrow_mut().push(record);
            async move { Ok::<(), ()>(()) }
        })
        .unwrap()
        .forget();
    (phone, seen)
}

#[wasm_bindgen_test]
async fn with_cdr_a_record_waits_for_its_cdr_and_carries_it() {
    clear_outbox();
    // ZIWO wrote the call's CDR (an id of this run: the stand-in serves the Chromium and
    // the Firefox runs).
    let id = format!("cdr-rust-{}", js_sys::Date::now());
    control_api(
        api_origin(),
        "cdrs",
        Some(format!(
            r#"{{"callID":"{id}","direction":"inbound","callerIDNumber":"+15550100","disposition":"ANSWER","hangupBy":"originator","duration":61,"custom":7}}"#
        )),
    )
    .await;
    let (phone, seen) = log_with_cdr(30_000);
    end_call(&id);
    wait_until("the record with its CDR", || !seen.borrow().is_empty()).await;
    let record = seen.borrow()[0].clone();
    assert_eq!(record.cdr_status, Some(CdrStatus::Found));
    let cdr = record.cdr.expect("the CDR");
    assert_eq!(cdr.call_id.as_deref(), Some(&*id));
    assert_eq!(cdr.disposition.as_deref(), Some("ANSWER"));
    assert_eq!(cdr.hangup_by.as_deref(), Some("originator"));
    assert_eq!(cdr.duration_s, Some(61.0));
    assert!(cdr.ended_at.is_some());
    assert!(
        cdr.json.contains("\"custom\":7"),
        "every field kept: {}",
        cdr.json
    );
    assert_eq!(lookups_of(&id).await, 1);
    // The delivered marker names the CDR it took.
    wait_until("the delivered marker", || {
        matches!(outbox(&id), Some(Entry::Delivered { cdr: Some(_), .. }))
    })
    .await;
    phone.dispose();
    clear_outbox();
}

#[wasm_bindgen_test]
async fn with_cdr_a_wait_that_ran_out_is_not_found_and_a_refused_wait_is_an_error() {
    clear_outbox();
    assert!(matches!(
        CallLogOptions::new().cdr_wait_ms(MAX_CDR_WAIT_MS + 1),
        Err(Error::InvalidOption(_))
    ));
    let (phone, seen) = log_with_cdr(0);
    let id = format!("cdr-rust-none-{}", js_sys::Date::now());
    end_call(&id);
    wait_until("the record", || !seen.borrow().is_empty()).await;
    let record = seen.borrow()[0].clone();
    assert_eq!(record.cdr_status, Some(CdrStatus::NotFound));
    assert_eq!(record.cdr, None);
    assert_eq!(lookups_of(&id).await, 1, "one poll, at the end of the wait");
    phone.dispose();
    clear_outbox();
}
