//! The call log (issue #14): the record a CRM logs for each call, and its durable outbox
//! in the page's storage, decided here and kept by the browser layer.
//!
//! Each record is one storage entry (`_ziwo-webphone-log:<callId>`), so that a corrupt
//! entry is one entry, reported and skipped, never a reason to lose the others. An entry
//! is either pending (the record, how many deliveries failed, when to try again) or
//! delivered (a marker kept for [`DELIVERED_KEEP_MS`], so that a tab that sees the call's
//! end late does not log it a second time). The format is plain text: the fields joined
//! by control characters that no validated field can hold, times and durations as whole
//! milliseconds.

use super::cdr::{CallDetail, CdrStatus, Lookup};
use super::state::{CallState, Direction};
use super::text::{parse_decimal, push_integer};
use super::tracker::{CallSnapshot, HistoryEntry};

/// The storage key prefix of the outbox's entries.
pub const OUTBOX_PREFIX: &str = "_ziwo-webphone-log:";
/// Most records pending at once; past it the oldest (by end) are dropped first.
pub const MAX_PENDING: usize = 500;
/// How long a delivered record's marker stays (a tab that saw the call end late, or a
/// second tab's copy, then writes nothing).
pub const DELIVERED_KEEP_MS: f64 = 10.0 * 60_000.0;
/// The longest wait between two deliveries of a record whose handler failed.
pub const MAX_RETRY_MS: f64 = 5.0 * 60_000.0;

/// The format of entries without a CDR wait (what the call log wrote before issue #16).
const VERSION: &str = "v1";
/// The format of entries with a CDR wait or a taken CDR's key: fields after the history,
/// or after a delivered marker's time, that a reader of `v1` alone would call corrupt (it
/// leaves `v2` alone as another version's).
const VERSION_2: &str = "v2";
/// Between fields.
const FIELD: char = '\u{1f}';
/// Between history entries.
const ENTRY: char = '\u{1e}';
/// Between a history entry's state and time.
const AT: char = '\u{1d}';

/// What the CRM logs for one call: its identity, its times and its history. Never the
/// token.
#[derive(Clone, Debug, PartialEq)]
pub struct CallRecord {
    /// `callID`.
    pub call_id: Box<str>,
    /// `primaryCallID`, when the phone gave it.
    pub primary_call_id: Option<Box<str>>,
    /// The customer's number, when the phone gave it.
    pub customer_number: Option<Box<str>>,
    /// Who placed the call.
    pub direction: Direction,
    /// When the call was first seen (ms since the epoch).
    pub started_at: f64,
    /// When it was answered (its first `active`), if it was.
    pub answered_at: Option<f64>,
    /// When it ended (its first `hangup`, `purge` or `destroy`).
    pub ended_at: f64,
    /// From `ringing`/`early` to the answer, or to the end.
    pub ring_ms: f64,
    /// Time talking (`active`).
    pub talk_ms: f64,
    /// Time on hold.
    pub hold_ms: f64,
    /// Time with the microphone muted.
    pub muted_ms: f64,
    /// The call came back after a reload (`recovering`).
    pub recovered: bool,
    /// The states it went through (see [`CallSnapshot::history`]).
    pub history: Vec<HistoryEntry>,
    /// The call's CDR from ZIWO's API, when the log was asked to wait for it and found it
    /// (see [`CallLogOptions::cdr`](crate::CallLogOptions::cdr)).
    pub cdr: Option<CallDetail>,
    /// How the wait for the CDR ended; `None` when the log was not asked to wait.
    pub cdr_status: Option<CdrStatus>,
}

impl CallRecord {
    /// The record of a call that ended (its snapshot at `destroy`).
    pub fn from_call(call: &CallSnapshot) -> CallRecord {
        let first =
            |f: fn(&CallState) -> bool| call.history.iter().find(|e| f(&e.state)).map(|e| e.at);
        let ended_at = first(CallState::is_ending).unwrap_or_else(|| call.at());
        let d = call.durations(call.at());
        CallRecord {
            call_id: call.call_id.clone(),
            primary_call_id: call.primary_call_id.clone(),
            customer_number: call.customer_number.clone(),
            direction: call.direction,
            started_at: call.started_at(),
            answered_at: first(CallState::is_talking),
            ended_at,
            ring_ms: d.ring_ms,
            talk_ms: d.talk_ms,
            hold_ms: d.hold_ms,
            muted_ms: d.muted_ms,
            recovered: call.recovered,
            history: call.history.clone(),
            cdr: None,
            cdr_status: None,
        }
    }

    /// Whether the call was answered.
    pub fn answered(&self) -> bool {
        self.answered_at.is_some()
    }

    /// The record's storage key.
    pub fn key(&self) -> String {
        [OUTBOX_PREFIX, &self.call_id].concat()
    }
}

/// One outbox entry.
#[derive(Clone, Debug, PartialEq)]
// Short-lived values, read and written one at a time: not worth a box.
#[allow(clippy::large_enum_variant)]
pub enum Entry {
    /// Waiting for a handler to take it.
    Pending {
        /// The record.
        record: CallRecord,
        /// How many deliveries failed so far.
        attempts: u32,
        /// Not delivered (or looked up) before this time (ms since the epoch; 0: at once).
        next_at: f64,
        /// Where the wait for its CDR stands.
        lookup: Lookup,
    },
    /// Taken by a handler at this time: nothing to deliver, nothing to write.
    Delivered {
        /// When.
        at: f64,
        /// The key of the CDR it took, which no other record may take.
        cdr: Option<Box<str>>,
    },
}

/// A stored entry that cannot be read (written by something else, or damaged).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Corrupt;

fn push_ms(out: &mut String, ms: f64) {
    // Whole, non-negative milliseconds (a NaN is 0).
    push_integer(out, ms.max(0.0).round() as u64);
}

fn read_ms(text: &str) -> Result<f64, Corrupt> {
    parse_decimal(text).map(|n| n as f64).ok_or(Corrupt)
}

/// A text field as stored: without the separators (no validated field has any).
pub(crate) fn text_ok(text: &str) -> bool {
    !text.is_empty() && text.len() <= 256 && !text.chars().any(char::is_control)
}

impl Entry {
    /// The stored text.
    pub fn encode(&self) -> String {
        let mut out = String::with_capacity(256);
        let v2 = match self {
            Entry::Delivered { cdr, .. } => cdr.is_some(),
            Entry::Pending { lookup, .. } => lookup.asked || *lookup != Lookup::default(),
        };
        out.push_str(if v2 { VERSION_2 } else { VERSION });
        out.push(FIELD);
        match self {
            Entry::Delivered { at, cdr } => {
                out.push('D');
                out.push(FIELD);
                push_ms(&mut out, *at);
                if let Some(key) = cdr {
                    out.push(FIELD);
                    out.push_str(key);
                }
            }
            Entry::Pending {
                record: r,
                attempts,
                next_at,
                lookup,
            } => {
                out.push('P');
                let field = |out: &mut String, text: &str| {
                    out.push(FIELD);
                    out.push_str(text);
                };
                field(&mut out, "");
                push_integer(&mut out, u64::from(*attempts));
                field(&mut out, "");
                push_ms(&mut out, *next_at);
                field(&mut out, &r.call_id);
                field(&mut out, r.primary_call_id.as_deref().unwrap_or_default());
                field(&mut out, r.customer_number.as_deref().unwrap_or_default());
                field(&mut out, r.direction.name());
                for ms in [
                    r.started_at,
                    r.ended_at,
                    r.ring_ms,
                    r.talk_ms,
                    r.hold_ms,
                    r.muted_ms,
                ] {
                    field(&mut out, "");
                    push_ms(&mut out, ms);
                }
                field(&mut out, "");
                if let Some(at) = r.answered_at {
                    push_ms(&mut out, at);
                }
                field(&mut out, if r.recovered { "1" } else { "0" });
                out.push(FIELD);
                for (i, e) in r.history.iter().enumerate() {
                    if i > 0 {
                        out.push(ENTRY);
                    }
                    out.push_str(e.state.raw_name());
                    out.push(AT);
                    push_ms(&mut out, e.at);
                }
                // The wait for the CDR (left out while none was asked).
                if v2 {
                    field(&mut out, "");
                    push_integer(&mut out, u64::from(lookup.polls));
                    let (status, code, message) = match &lookup.status {
                        None => ("", "", ""),
                        Some(s @ CdrStatus::Failed { code, message }) => {
                            (s.name(), &**code, &**message)
                        }
                        Some(s) => (s.name(), "", ""),
                    };
                    field(&mut out, status);
                    field(&mut out, code);
                    field(&mut out, "");
                    // A server's message may hold anything: control characters become spaces.
                    out.extend(
                        message
                            .chars()
                            .map(|c| if c.is_control() { ' ' } else { c }),
                    );
                    field(&mut out, lookup.cdr_key.as_deref().unwrap_or_default());
                    // JSON text escapes the separators (U+001D-U+001F) in its strings.
                    field(&mut out, lookup.cdr_json.as_deref().unwrap_or_default());
                }
            }
        }
        out
    }

    /// Reads a stored entry; anything unexpected is [`Corrupt`].
    pub fn decode(text: &str) -> Result<Entry, Corrupt> {
        let mut fields = text.split(FIELD);
        let mut next = || fields.next().ok_or(Corrupt);
        let v2 = match next()? {
            VERSION => false,
            VERSION_2 => true,
            _ => return Err(Corrupt),
        };
        let entry = match next()? {
            "D" => Entry::Delivered {
                at: read_ms(next()?)?,
                cdr: match fields.next() {
                    None => None,
                    Some(key) if v2 && text_ok(key) => Some(key.into()),
                    Some(_) => return Err(Corrupt),
                },
            },
            "P" => {
                let attempts =
                    u32::try_from(parse_decimal(next()?).ok_or(Corrupt)?).map_err(|_| Corrupt)?;
                let next_at = read_ms(next()?)?;
                let call_id = next()?;
                if !text_ok(call_id) {
                    return Err(Corrupt);
                }
                let optional = |text: &str| -> Result<Option<Box<str>>, Corrupt> {
                    match text {
                        "" => Ok(None),
                        t if text_ok(t) => Ok(Some(t.into())),
                        _ => Err(Corrupt),
                    }
                };
                let primary_call_id = optional(next()?)?;
                let customer_number = optional(next()?)?;
                let direction = Direction::from_name(next()?);
                let mut ms = [0.0; 6];
                for slot in &mut ms {
                    *slot = read_ms(next()?)?;
                }
                let answered_at = match next()? {
                    "" => None,
                    t => Some(read_ms(t)?),
                };
                let recovered = match next()? {
                    "1" => true,
                    "0" => false,
                    _ => return Err(Corrupt),
                };
                let history = next()?
                    .split(ENTRY)
                    .map(|e| {
                        let (name, at) = e.split_once(AT).ok_or(Corrupt)?;
                        if !text_ok(name) {
                            return Err(Corrupt);
                        }
                        Ok(HistoryEntry {
                            state: CallState::from_name(name),
                            at: read_ms(at)?,
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                let lookup = match fields.next() {
                    None => Lookup::default(),
                    Some(polls) if v2 => read_lookup(polls, &mut fields)?,
                    Some(_) => return Err(Corrupt),
                };
                let [started_at, ended_at, ring_ms, talk_ms, hold_ms, muted_ms] = ms;
                Entry::Pending {
                    record: CallRecord {
                        call_id: call_id.into(),
                        primary_call_id,
                        customer_number,
                        direction,
                        started_at,
                        answered_at,
                        ended_at,
                        ring_ms,
                        talk_ms,
                        hold_ms,
                        muted_ms,
                        recovered,
                        history,
                        cdr: None,
                        cdr_status: None,
                    },
                    attempts,
                    next_at,
                    lookup,
                }
            }
            _ => return Err(Corrupt),
        };
        if fields.next().is_some() {
            return Err(Corrupt);
        }
        Ok(entry)
    }
}

/// The wait for a CDR as stored after a record's history: polls, status, error code,
/// error message, the CDR's key, its JSON.
fn read_lookup<'a>(
    polls: &str,
    fields: &mut impl Iterator<Item = &'a str>,
) -> Result<Lookup, Corrupt> {
    let polls = u32::try_from(parse_decimal(polls).ok_or(Corrupt)?).map_err(|_| Corrupt)?;
    let mut next = || fields.next().ok_or(Corrupt);
    let (status, code, message) = (next()?, next()?, next()?);
    let status = match status {
        "" => None,
        "found" => Some(CdrStatus::Found),
        "not-found" => Some(CdrStatus::NotFound),
        "failed" if text_ok(code) => Some(CdrStatus::Failed {
            code: code.into(),
            message: message.into(),
        }),
        _ => return Err(Corrupt),
    };
    let optional = |t: &str| (!t.is_empty()).then(|| t.into());
    let (key, json) = (next()?, next()?);
    if !key.is_empty() && !text_ok(key) {
        return Err(Corrupt);
    }
    Ok(Lookup {
        asked: true,
        polls,
        status,
        cdr_key: optional(key),
        cdr_json: optional(json),
    })
}

/// How long to wait before delivering again a record whose handler failed `attempts`
/// times: 1, 2, 4, 8 ... seconds, at most [`MAX_RETRY_MS`].
pub fn retry_delay_ms(attempts: u32) -> f64 {
    let seconds = 1u64 << attempts.saturating_sub(1).min(20);
    (seconds as f64 * 1000.0).min(MAX_RETRY_MS)
}

/// Whether a pending entry whose next try is at `next_at` is due at `now`. A time further
/// than the longest wait is a clock that went back: due now.
pub fn is_due(next_at: f64, now: f64) -> bool {
    next_at <= now || next_at - now > MAX_RETRY_MS
}

/// What to do with the outbox as it is now (see [`plan`]).
#[derive(Debug, Default, PartialEq)]
pub struct Plan {
    /// Keys of entries that cannot be read: report them, remove them.
    pub corrupt: Vec<String>,
    /// Records dropped to keep at most [`MAX_PENDING`], the oldest by end first: report
    /// them, remove them.
    pub dropped: Vec<CallRecord>,
    /// Keys of delivered markers past [`DELIVERED_KEEP_MS`]: remove them.
    pub expired: Vec<String>,
    /// Records to deliver now, the oldest by end first, with their failed attempts.
    pub due: Vec<(CallRecord, u32)>,
    /// When the next pending record not yet due will be, if any.
    pub wake_at: Option<f64>,
}

/// Reads every outbox entry (`(key, value)` of the storage's keys with
/// [`OUTBOX_PREFIX`]; other keys, and entries of another version of the library, are
/// left alone) and decides what to do at `now`. A retry time further than
/// [`MAX_RETRY_MS`] away is due (the clock went back).
pub fn plan<'a>(entries: impl IntoIterator<Item = (&'a str, &'a str)>, now: f64) -> Plan {
    let mut plan = Plan::default();
    let mut pending: Vec<(CallRecord, u32, f64)> = Vec::new();
    for (key, value) in entries {
        let Some(id) = key.strip_prefix(OUTBOX_PREFIX) else {
            continue;
        };
        // An entry of another version of the library (a newer tab): not ours to judge.
        let version = value.split(FIELD).next().unwrap_or_default();
        let digits = version.strip_prefix('v').unwrap_or_default();
        let other_version = version != VERSION
            && version != VERSION_2
            && (1..=3).contains(&digits.len())
            && digits.bytes().all(|b| b.is_ascii_digit());
        if other_version {
            continue;
        }
        match Entry::decode(value) {
            Ok(Entry::Pending {
                record,
                attempts,
                next_at,
                ..
            }) if *record.call_id == *id => pending.push((record, attempts, next_at)),
            Ok(Entry::Delivered { at, .. }) => {
                if now - at > DELIVERED_KEEP_MS || at - now > DELIVERED_KEEP_MS {
                    plan.expired.push(key.to_owned());
                }
            }
            _ => plan.corrupt.push(key.to_owned()),
        }
    }
    pending.sort_unstable_by(|a, b| a.0.ended_at.total_cmp(&b.0.ended_at));
    let over = pending.len().saturating_sub(MAX_PENDING);
    plan.dropped = pending.drain(..over).map(|(r, _, _)| r).collect();
    for (record, attempts, next_at) in pending {
        if is_due(next_at, now) {
            plan.due.push((record, attempts));
        } else {
            plan.wake_at = Some(plan.wake_at.map_or(next_at, |w: f64| w.min(next_at)));
        }
    }
    plan
}

/// What a record's CDR lookup must know of the rest of the outbox.
#[derive(Debug, Default, PartialEq)]
pub struct Neighbours {
    /// The records that did not find their CDR (still waiting, or delivered without it
    /// and pending for their handler).
    pub waiting: Vec<CallRecord>,
    /// The keys of the CDRs that records took, delivered or not, and the call ids of every
    /// record in the outbox (a CDR under one of them is that record's).
    pub taken: Vec<Box<str>>,
}

/// Reads the outbox's entries (as [`plan`] does) for a CDR lookup.
pub fn neighbours<'a>(entries: impl IntoIterator<Item = (&'a str, &'a str)>) -> Neighbours {
    let mut n = Neighbours::default();
    for (key, value) in entries {
        let Some(id) = key.strip_prefix(OUTBOX_PREFIX) else {
            continue;
        };
        n.taken.push(id.into());
        match Entry::decode(value) {
            Ok(Entry::Pending { record, lookup, .. }) => {
                // A record that found its CDR competes for no other (the one it took is
                // taken).
                if lookup.status != Some(CdrStatus::Found) {
                    n.waiting.push(record);
                }
                n.taken.extend(lookup.cdr_key);
            }
            Ok(Entry::Delivered { cdr, .. }) => n.taken.extend(cdr),
            Err(_) => {}
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::{CallSignal, Tracker, Update};

    fn ended_call(id: &str, states: &[(&str, f64)]) -> CallSnapshot {
        let mut t = Tracker::new();
        let mut last = None;
        for (state, at) in states {
            let u = t.apply(CallSignal {
                call_id: id.into(),
                primary_call_id: None,
                customer_number: Some("+15550100".into()),
                direction: Direction::Inbound,
                state: CallState::from_name(state),
                at: *at,
            });
            if let Some(Update::State(e)) = u {
                last = Some(e.call);
            }
        }
        last.unwrap()
    }

    fn record(id: &str, end: f64) -> CallRecord {
        CallRecord::from_call(&ended_call(
            id,
            &[
                ("ringing", end - 9_000.0),
                ("active", end - 8_000.0),
                ("mute", end - 4_000.0),
                ("hangup", end),
                ("destroy", end + 100.0),
            ],
        ))
    }

    #[test]
    fn a_record_has_the_calls_times() {
        let r = record("c-1", 20_000.0);
        assert_eq!(r.started_at, 11_000.0);
        assert_eq!(r.answered_at, Some(12_000.0));
        assert!(r.answered());
        assert_eq!(r.ended_at, 20_000.0, "the hang-up, not the destroy");
        assert_eq!(
            (r.ring_ms, r.talk_ms, r.muted_ms),
            (1_000.0, 8_000.0, 4_000.0)
        );
        assert_eq!(r.key(), "_ziwo-webphone-log:c-1");
        let missed = CallRecord::from_call(&ended_call(
            "m",
            &[("ringing", 0.0), ("hangup", 5_000.0), ("destroy", 5_001.0)],
        ));
        assert!(!missed.answered());
        assert_eq!(missed.ring_ms, 5_000.0);
    }

    #[test]
    fn entries_round_trip() {
        let pending = Entry::Pending {
            record: record("c-2", 50_000.0),
            attempts: 3,
            next_at: 60_000.0,
            lookup: Lookup::default(),
        };
        assert_eq!(Entry::decode(&pending.encode()), Ok(pending));
        let done = Entry::Delivered {
            at: 70_000.0,
            cdr: None,
        };
        assert_eq!(Entry::decode(&done.encode()), Ok(done));
        let took = Entry::Delivered {
            at: 70_000.0,
            cdr: Some("46:5196".into()),
        };
        assert_eq!(Entry::decode(&took.encode()), Ok(took.clone()));
        // The wait for a CDR: under way, found (its JSON kept as sent), failed.
        for lookup in [
            Lookup {
                asked: true,
                ..Lookup::default()
            },
            Lookup {
                asked: true,
                polls: 2,
                ..Lookup::default()
            },
            Lookup {
                asked: true,
                polls: 3,
                status: Some(CdrStatus::Found),
                cdr_key: Some("47".into()),
                cdr_json: Some("{\"id\":47,\"note\":\"a\\u001fb \u{85}\"}".into()),
            },
            Lookup {
                asked: true,
                polls: 1,
                status: Some(CdrStatus::Failed {
                    code: "unauthorized".into(),
                    message: "the API refused the credential".into(),
                }),
                ..Lookup::default()
            },
        ] {
            let pending = Entry::Pending {
                record: record("c-5", 50_000.0),
                attempts: 0,
                next_at: 1.0,
                lookup,
            };
            assert_eq!(Entry::decode(&pending.encode()), Ok(pending));
        }
        // A wait or a taken CDR is written as v2 (a v1 reader leaves it alone as another
        // version's); the rest stays v1, as before.
        assert!(took.encode().starts_with("v2\u{1f}"));
        assert!(Entry::Delivered { at: 1.0, cdr: None }
            .encode()
            .starts_with("v1\u{1f}"));
        assert!(Entry::Pending {
            record: record("c-7", 50_000.0),
            attempts: 0,
            next_at: 0.0,
            lookup: Lookup::default(),
        }
        .encode()
        .starts_with("v1\u{1f}"));
        // A server's message with control characters is kept readable.
        let odd = Entry::Pending {
            record: record("c-6", 50_000.0),
            attempts: 0,
            next_at: 0.0,
            lookup: Lookup {
                asked: true,
                polls: 1,
                status: Some(CdrStatus::Failed {
                    code: "api-refused".into(),
                    message: "no\u{1f}\nway".into(),
                }),
                ..Lookup::default()
            },
        };
        let Ok(Entry::Pending { lookup, .. }) = Entry::decode(&odd.encode()) else {
            panic!("not read back");
        };
        assert_eq!(
            lookup.status,
            Some(CdrStatus::Failed {
                code: "api-refused".into(),
                message: "no  way".into()
            })
        );
    }

    #[test]
    fn damaged_entries_are_corrupt() {
        let good = Entry::Pending {
            record: record("c-3", 50_000.0),
            attempts: 0,
            next_at: 0.0,
            lookup: Lookup::default(),
        }
        .encode();
        for bad in [
            String::new(),
            "v3\u{1f}D\u{1f}1".to_owned(),
            "v1\u{1f}X\u{1f}1".to_owned(),
            "v1\u{1f}D\u{1f}-1".to_owned(),
            "v1\u{1f}D\u{1f}1\u{1f}k\u{1f}extra".to_owned(),
            "v1\u{1f}D\u{1f}1\u{1f}k".to_owned(),
            "v2\u{1f}D\u{1f}1\u{1f}a\u{1}b".to_owned(),
            good.clone() + "\u{1f}1\u{1f}\u{1f}\u{1f}\u{1f}\u{1f}",
            good[..good.len() - 3].to_owned() + "\u{1d}x",
            good.replacen("\u{1f}0\u{1f}", "\u{1f}maybe\u{1f}", 1),
            "{\"callId\":\"c-3\"}".to_owned(),
        ] {
            assert_eq!(Entry::decode(&bad), Err(Corrupt), "{bad:?}");
        }
    }

    #[test]
    fn neighbours_are_the_records_without_a_cdr_and_what_is_taken() {
        let entry = |id: &str, status: Option<CdrStatus>, key: Option<&str>| {
            let r = record(id, 50_000.0);
            (
                r.key(),
                Entry::Pending {
                    record: r,
                    attempts: 0,
                    next_at: 0.0,
                    lookup: Lookup {
                        asked: true,
                        polls: 1,
                        status,
                        cdr_key: key.map(Into::into),
                        cdr_json: key.map(|_| "{}".into()),
                    },
                }
                .encode(),
            )
        };
        let stored = [
            entry("waiting", None, None),
            entry("not-found", Some(CdrStatus::NotFound), None),
            entry("found", Some(CdrStatus::Found), Some("47")),
            (
                "_ziwo-webphone-log:done".to_owned(),
                Entry::Delivered {
                    at: 1.0,
                    cdr: Some("46".into()),
                }
                .encode(),
            ),
            ("_jorel-token".to_owned(), "secret".to_owned()),
        ];
        let n = neighbours(stored.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let waiting: Vec<_> = n.waiting.iter().map(|r| &*r.call_id).collect();
        assert_eq!(waiting, ["waiting", "not-found"]);
        let mut taken: Vec<_> = n.taken.iter().map(|k| &**k).collect();
        taken.sort_unstable();
        assert_eq!(taken, ["46", "47", "done", "found", "not-found", "waiting"]);
    }

    #[test]
    fn retries_back_off_to_five_minutes() {
        let delays: Vec<f64> = (1..=4).map(retry_delay_ms).collect();
        assert_eq!(delays, [1_000.0, 2_000.0, 4_000.0, 8_000.0]);
        assert_eq!(retry_delay_ms(40), MAX_RETRY_MS);
    }

    #[test]
    fn the_plan_bounds_skips_and_orders() {
        let mut stored: Vec<(String, String)> = (0..(MAX_PENDING + 3))
            .map(|i| {
                let r = record(&format!("p{i}"), 100_000.0 + i as f64 * 1_000.0);
                let next_at = if i == MAX_PENDING + 2 {
                    1_100_000.0
                } else {
                    0.0
                };
                (
                    r.key(),
                    Entry::Pending {
                        record: r,
                        attempts: 1,
                        next_at,
                        lookup: Lookup::default(),
                    }
                    .encode(),
                )
            })
            .collect();
        stored.push(("_ziwo-webphone-log:bad".to_owned(), "garbage".to_owned()));
        stored.push(("_ziwo-webphone-log:other".to_owned(), stored[5].1.clone()));
        stored.push((
            "_ziwo-webphone-log:old".to_owned(),
            Entry::Delivered { at: 0.0, cdr: None }.encode(),
        ));
        stored.push((
            "_ziwo-webphone-log:new".to_owned(),
            Entry::Delivered {
                at: 1_000_000.0,
                cdr: None,
            }
            .encode(),
        ));
        stored.push(("_jorel-token".to_owned(), "secret".to_owned()));
        let now = 1_000_000.0;
        let p = plan(stored.iter().map(|(k, v)| (k.as_str(), v.as_str())), now);
        assert_eq!(
            p.corrupt,
            ["_ziwo-webphone-log:bad", "_ziwo-webphone-log:other"],
            "a copy under another key is corrupt too"
        );
        let dropped: Vec<_> = p.dropped.iter().map(|r| &*r.call_id).collect();
        assert_eq!(dropped, ["p0", "p1", "p2"], "the oldest first");
        assert_eq!(p.expired, ["_ziwo-webphone-log:old"]);
        assert_eq!(p.due.len(), MAX_PENDING - 1);
        assert_eq!(&*p.due[0].0.call_id, "p3");
        assert_eq!(p.wake_at, Some(1_100_000.0));
        // A retry time beyond the longest wait (a clock that went back) is due now;
        // another version's entry is left alone.
        let far = Entry::Pending {
            record: record("far", 1.0),
            attempts: 2,
            next_at: now + MAX_RETRY_MS + 1.0,
            lookup: Lookup::default(),
        }
        .encode();
        let p = plan(
            [
                ("_ziwo-webphone-log:far", far.as_str()),
                ("_ziwo-webphone-log:v3", "v3\u{1f}X"),
            ],
            now,
        );
        assert_eq!(p.due.len(), 1);
        assert!(p.corrupt.is_empty());
    }
}
