//! One poll for a call's CDR (issue #16): the requests, and the CDRs read from their
//! answers. What to ask and which CDR is the call's are the core's
//! ([`pick_recent`](crate::core::pick_recent), [`Lookup`](crate::core::Lookup)).

use super::api::ApiClient;
use super::oneshot::Oneshot;
use super::storage;
use crate::core::api::Page;
use crate::core::{
    neighbours, parse_iso_ms, pick_recent, retryable, CallDetail, CallRecord, Error, Poll,
    RECENT_CALLS,
};
use js_sys::{Array, Reflect};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// How many CDRs of one call id a poll reads (a call has one; a transfer may add legs).
const PER_ID: u32 = 10;

/// One poll under way: what it asks, and what it learnt so far.
struct Asking {
    client: ApiClient,
    record: CallRecord,
    /// The call's id, then its primary call id.
    ids: Vec<Box<str>>,
    /// The other records still waiting for their CDR, and the CDRs taken, as the outbox
    /// said when the poll began.
    others: Vec<CallRecord>,
    taken: Vec<Box<str>>,
    /// Whether a source answered (then nothing found is `Missing`, not a failure).
    answered: Cell<bool>,
    /// The last failure of a source that cannot help (a 404, a refusal...).
    failed: RefCell<Option<Error>>,
    done: Oneshot<Poll>,
}

/// Looks `record`'s CDR up once: the call history by its call id, then by its primary
/// call id, then the agent's recent calls. Each request waits for the one before. A
/// server in trouble (a 5xx, a timeout, the network), or a refused credential before any
/// source answered, ends the poll as `Failed`; a source that cannot help (another 4xx, a
/// refusal, an answer that is not the envelope, a route this client may not use) is
/// skipped for the next one, and when none answered the poll is `Unanswered`.
pub(crate) fn poll(client: &ApiClient, record: &CallRecord) -> Oneshot<Poll> {
    let done = Oneshot::new();
    let mut ids = vec![record.call_id.clone()];
    if let Some(primary) = record
        .primary_call_id
        .as_ref()
        .filter(|p| **p != record.call_id)
    {
        ids.push(primary.clone());
    }
    let outbox = storage::local_storage()
        .and_then(|s| super::calllog::read_outbox(&s))
        .unwrap_or_default();
    let mut n = neighbours(outbox.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    n.taken.retain(|k| **k != *record.call_id);
    let asking = Rc::new(Asking {
        client: client.clone(),
        record: record.clone(),
        ids,
        others: n.waiting,
        taken: n.taken,
        answered: Cell::new(false),
        failed: RefCell::new(None),
        done: done.clone(),
    });
    by_id(asking, 0);
    done
}

impl Asking {
    /// Whether a source's failure ends the poll (else the next source is asked).
    fn ends(&self, error: Error) -> bool {
        let refused = matches!(error, Error::ApiUnauthorized(_)) && !self.answered.get();
        if refused || retryable(&error) {
            self.done.settle(Poll::Failed(error));
            return true;
        }
        *self.failed.borrow_mut() = Some(error);
        false
    }

    /// No source had it.
    fn missing(&self) {
        let failed = self.failed.borrow_mut().take();
        self.done.settle(match failed {
            Some(e) if !self.answered.get() => Poll::Unanswered(e),
            _ => Poll::Missing,
        });
    }
}

fn by_id(asking: Rc<Asking>, i: usize) {
    let Some(id) = asking.ids.get(i).cloned() else {
        return recent(asking);
    };
    let request = match Page::new(PER_ID, 0)
        .and_then(|page| asking.client.requests().call_history_list(Some(&id), page))
    {
        Ok(r) => r,
        // An id this source cannot take (the client's routes refuse it): the next one.
        Err(e) => {
            asking.ends(e);
            return by_id(asking, i + 1);
        }
    };
    asking.client.send(&request).0.then(move |reply| {
        match reply {
            Err(e) => {
                if asking.ends(e) {
                    return;
                }
            }
            Ok(reply) => {
                asking.answered.set(true);
                // The call's CDR (of several legs, the one whose end is nearest the
                // call's), unless another record took it.
                let end = asking.record.ended_at;
                let found = details(&reply.content())
                    .into_iter()
                    .filter(|d| d.call_id.as_deref() == Some(&*id))
                    .filter(|d| {
                        !d.key()
                            .is_some_and(|k| asking.taken.iter().any(|t| **t == *k))
                    })
                    .min_by(|a, b| {
                        let gap = |d: &CallDetail| d.ended_at.map_or(f64::MAX, |e| (e - end).abs());
                        gap(a).total_cmp(&gap(b))
                    });
                if let Some(cdr) = found {
                    return asking.done.settle(Poll::Found(Box::new(cdr)));
                }
            }
        }
        by_id(asking, i + 1);
    });
}

/// The agent's recent calls, matched by number, direction and end time.
fn recent(asking: Rc<Asking>) {
    if asking.record.customer_number.is_none() {
        return asking.missing();
    }
    let request = match asking.client.requests().agent_calls(0, RECENT_CALLS) {
        Ok(r) => r,
        Err(e) => {
            asking.ends(e);
            return asking.missing();
        }
    };
    asking.client.send(&request).0.then(move |reply| {
        let reply = match reply {
            Ok(reply) => reply,
            Err(e) => {
                if !asking.ends(e) {
                    asking.missing();
                }
                return;
            }
        };
        asking.answered.set(true);
        let mut recent = details(&reply.content());
        let others: Vec<&CallRecord> = asking.others.iter().collect();
        let taken: Vec<&str> = asking.taken.iter().map(|k| &**k).collect();
        match pick_recent(&asking.record, &recent, &others, &taken) {
            Some(i) => asking
                .done
                .settle(Poll::Found(Box::new(recent.swap_remove(i)))),
            None => asking.missing(),
        }
    });
}

/// The CDRs of a list (`content` of the history or of the recent calls); what is not an
/// object is skipped.
fn details(content: &JsValue) -> Vec<CallDetail> {
    if !Array::is_array(content) {
        return Vec::new();
    }
    Array::from(content)
        .iter()
        .filter_map(|item| read_detail(&item, None))
        .collect()
}

/// A CDR read from its stored JSON text.
pub(crate) fn detail_from_json(json: &str) -> Option<CallDetail> {
    let value = js_sys::JSON::parse(json).ok()?;
    read_detail(&value, Some(json))
}

/// Reads a CDR object (`json`: its text, when known already). Strings longer than 1024
/// characters, or with a NUL, are left out of the typed fields (they stay in the JSON).
fn read_detail(value: &JsValue, json: Option<&str>) -> Option<CallDetail> {
    if !value.is_object() || Array::is_array(value) {
        return None;
    }
    let get = |key: &str| Reflect::get(value, &JsValue::from_str(key)).unwrap_or_default();
    let text = |key: &str| -> Option<Box<str>> {
        let v = get(key);
        let s = match v.as_string() {
            Some(s) => s,
            // Ids may be numbers: their text as JavaScript writes it.
            None => js_sys::Number::from(v.as_f64().filter(|n| n.is_finite())?)
                .to_string_with_radix(10)
                .ok()?
                .as_string()?,
        };
        (!s.is_empty() && s.len() <= 1024 && !s.contains('\0')).then(|| s.into())
    };
    // A number, or a number's text (`"28"`).
    let number = |key: &str| -> Option<f64> {
        let v = get(key);
        let n = v
            .as_f64()
            .or_else(|| v.as_string().map(|s| js_sys::Number::parse_float(&s)))?;
        n.is_finite().then_some(n)
    };
    // The ISO date (it may hold milliseconds), else `…RawTime` (seconds).
    let time = |raw: &str, iso: &str| {
        text(iso)
            .and_then(|t| parse_iso_ms(&t))
            .or_else(|| number(raw).map(|s| s * 1000.0))
    };
    let json: Box<str> = match json {
        Some(j) => j.into(),
        None => js_sys::JSON::stringify(value)
            .ok()
            .and_then(|s| s.as_string())?
            .into(),
    };
    Some(CallDetail {
        call_id: text("callID"),
        id: text("id"),
        direction: text("direction"),
        disposition: text("disposition"),
        duration_s: number("duration"),
        hangup_cause: text("hangupCause"),
        hangup_by: text("hangupBy"),
        hold_time_s: number("holdTime"),
        recording_file: text("recordingFile"),
        did_called: text("didCalled"),
        caller_id_number: text("callerIDNumber"),
        caller_id_name: text("callerIDName"),
        agent_cc_login: text("agentCCLogin"),
        started_at: time("startRawTime", "startDateTime"),
        answered_at: time("answeredRawTime", "answeredDateTime"),
        ended_at: time("endRawTime", "endDateTime"),
        json,
    })
}
