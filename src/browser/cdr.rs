//! One poll for a call's CDR (issue #16): the requests, and the CDRs read from their
//! answers. What to ask and which CDR is the call's are the core's
//! ([`pick_recent`](crate::core::pick_recent), [`Lookup`](crate::core::Lookup)).

use super::api::ApiClient;
use super::oneshot::Oneshot;
use super::storage;
use crate::core::api::Page;
use crate::core::{
    neighbours, parse_iso_ms, pick_recent, CallDetail, CallRecord, Poll, RECENT_CALLS,
};
use js_sys::{Array, Reflect};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// How many CDRs of one call id a poll reads (a call has one; a transfer may add legs).
const PER_ID: u32 = 10;

/// Looks `record`'s CDR up once: the call history by its call id, then by its primary
/// call id, then the agent's recent calls. Each request waits for the one before; the
/// first failure ends the poll.
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
    by_id(
        Rc::new(client.clone()),
        Rc::new(record.clone()),
        Rc::new(ids),
        0,
        done.clone(),
    );
    done
}

fn by_id(
    client: Rc<ApiClient>,
    record: Rc<CallRecord>,
    ids: Rc<Vec<Box<str>>>,
    i: usize,
    done: Oneshot<Poll>,
) {
    let Some(id) = ids.get(i).cloned() else {
        return recent(&client, record, done);
    };
    let request = match Page::new(PER_ID, 0)
        .and_then(|page| client.requests().call_history_list(Some(&id), page))
    {
        Ok(r) => r,
        Err(e) => return done.settle(Poll::Failed(e)),
    };
    let next = client.clone();
    client.send(&request).0.then(move |reply| match reply {
        Err(e) => done.settle(Poll::Failed(e)),
        Ok(reply) => {
            let found = details(&reply.content())
                .into_iter()
                .find(|d| d.call_id.as_deref() == Some(&*id));
            match found {
                Some(cdr) => done.settle(Poll::Found(Box::new(cdr))),
                None => by_id(next, record, ids, i + 1, done),
            }
        }
    });
}

/// The agent's recent calls, matched by number, direction and end time.
fn recent(client: &ApiClient, record: Rc<CallRecord>, done: Oneshot<Poll>) {
    if record.customer_number.is_none() {
        return done.settle(Poll::Missing);
    }
    let request = match client.requests().agent_calls(0, RECENT_CALLS) {
        Ok(r) => r,
        Err(e) => return done.settle(Poll::Failed(e)),
    };
    client.send(&request).0.then(move |reply| {
        let reply = match reply {
            Ok(reply) => reply,
            Err(e) => return done.settle(Poll::Failed(e)),
        };
        let mut recent = details(&reply.content());
        // The other records waiting now, and the CDRs taken, as the outbox says.
        let outbox = storage::local_storage()
            .and_then(|s| super::calllog::read_outbox(&s))
            .unwrap_or_default();
        let n = neighbours(outbox.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let others: Vec<&CallRecord> = n.waiting.iter().collect();
        let taken: Vec<&str> = n.taken.iter().map(|k| &**k).collect();
        match pick_recent(&record, &recent, &others, &taken) {
            Some(i) => done.settle(Poll::Found(Box::new(recent.swap_remove(i)))),
            None => done.settle(Poll::Missing),
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
