//! The call's outcome from ZIWO's API (issue #16): the CDR that the call log waits for
//! before it delivers a record, and the decisions of that wait. The browser layer sends
//! the requests and reads the JSON; what to ask, when to ask again, when to give up and
//! which CDR is the call's are decided here.
//!
//! A lookup ("poll") asks, in order: the call history for the call's id
//! (`callHistoryList({ callId })`), for its primary call id, and then the agent's recent
//! calls (`GET /agents/channels/calls`), where the CDR is matched by the customer's
//! number, the direction and the end time ([`pick_recent`]). Polls come about 1, 2, 4,
//! 8 ... s apart, counted from the call's end, until the wait (default 2 minutes) has
//! passed: at most [`MAX_LOOKUPS`] polls of at most three requests per record.

use super::error::Error;
use super::record::{text_ok, CallRecord};
use super::state::Direction;

/// How long a record waits for its CDR by default, counted from the call's end.
pub const DEFAULT_CDR_WAIT_MS: u32 = 120_000;
/// The longest wait: a delivered record's marker (which names the CDR it took) outlives
/// it, so a CDR is never taken twice (see [`DELIVERED_KEEP_MS`](super::DELIVERED_KEEP_MS)).
pub const MAX_CDR_WAIT_MS: u32 = 600_000;
/// The first poll, after the call's end: ZIWO writes the CDR once the call is over.
pub const FIRST_LOOKUP_MS: f64 = 1_000.0;
/// Most polls per record (enough for the longest wait's schedule: 1, 2, 4 ... 512 s and
/// the end of the wait); each is at most three requests.
pub const MAX_LOOKUPS: u32 = 12;
/// How far apart the call's end here and its CDR's end at ZIWO may be for a CDR of the
/// agent's recent calls to be taken as the call's. The two ends are the same moment on two
/// clocks, so the window is the PC clock's error: ZIWO's own integration allowed 8 s; 10 s
/// matches a PC clock a few seconds off. Narrow on purpose: another call's CDR (and its
/// recording) on a customer's record is worse than none. Two calls of one customer that
/// end closer than this are told apart by which call's end is nearest (see
/// [`pick_recent`]).
pub const MATCH_WINDOW_MS: f64 = 10_000.0;
/// How many of the agent's latest calls a poll reads (`fetchStart=0&fetchStop=20`): the
/// call is among them unless the agent had 20 calls more since it ended.
pub const RECENT_CALLS: u64 = 20;

/// A call detail record, as ZIWO's API gives it (`GET /callHistory`, the agent's recent
/// calls, the end-call webhook). Every field is optional (ZIWO's records vary by call
/// type); `json` is the whole record as ZIWO sent it, unknown fields included.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CallDetail {
    /// `callID`.
    pub call_id: Option<Box<str>>,
    /// The record's id (`46`, `"46:5196"`), as text.
    pub id: Option<Box<str>>,
    /// `inbound`, `outbound`...
    pub direction: Option<Box<str>>,
    /// `ANSWER`, `NO ANSWER`, `BUSY`...
    pub disposition: Option<Box<str>>,
    /// `duration`, in seconds.
    pub duration_s: Option<f64>,
    /// `NORMAL_CLEARING`, `NO_ANSWER`...
    pub hangup_cause: Option<Box<str>>,
    /// Who hung up (`originator`, `originatee`).
    pub hangup_by: Option<Box<str>>,
    /// `holdTime`, in seconds.
    pub hold_time_s: Option<f64>,
    /// The recording's file (`<callID>.mp3`), when the call was recorded.
    pub recording_file: Option<Box<str>>,
    /// The number the customer dialled (inbound) or the agent dialled (outbound).
    pub did_called: Option<Box<str>>,
    /// `callerIDNumber`.
    pub caller_id_number: Option<Box<str>>,
    /// `callerIDName`.
    pub caller_id_name: Option<Box<str>>,
    /// `agentCCLogin`.
    pub agent_cc_login: Option<Box<str>>,
    /// When the call started (ms since the epoch).
    pub started_at: Option<f64>,
    /// When it was answered.
    pub answered_at: Option<f64>,
    /// When it ended.
    pub ended_at: Option<f64>,
    /// The record as ZIWO sent it (JSON text).
    pub json: Box<str>,
}

impl CallDetail {
    /// What names this CDR among the others: its record id, else its call id.
    pub fn key(&self) -> Option<&str> {
        self.id.as_deref().or(self.call_id.as_deref())
    }

    /// The customer's number: the caller for an inbound call, the number dialled for an
    /// outbound one.
    pub fn customer_number(&self) -> Option<&str> {
        match self.direction.as_deref() {
            Some("outbound") => self.did_called.as_deref(),
            _ => self.caller_id_number.as_deref(),
        }
    }
}

/// How a record's wait for its CDR ended.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CdrStatus {
    /// The CDR was found: `record.cdr` holds it.
    Found,
    /// The wait ran out without it.
    NotFound,
    /// The API failed (`code` of the typed error, and its message): at once for a refused
    /// credential or a request the API will never take, else at the end of the wait.
    Failed {
        /// The error's [`code`](Error::code).
        code: Box<str>,
        /// The error's message (never the token).
        message: Box<str>,
    },
}

impl CdrStatus {
    /// `found`, `not-found` or `failed`.
    pub fn name(&self) -> &'static str {
        match self {
            CdrStatus::Found => "found",
            CdrStatus::NotFound => "not-found",
            CdrStatus::Failed { .. } => "failed",
        }
    }

    /// The failure of `error`.
    pub fn failed(error: &Error) -> CdrStatus {
        CdrStatus::Failed {
            code: error.code().into(),
            message: error.full_message().into(),
        }
    }
}

/// Where a record's wait for its CDR stands; kept in its outbox entry, so that a reload
/// resumes it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Lookup {
    /// The log waits for this record's CDR (a record written by a log that does not is
    /// delivered as it is).
    pub asked: bool,
    /// Polls made so far.
    pub polls: u32,
    /// How it ended; `None` while it goes on (or when none was asked).
    pub status: Option<CdrStatus>,
    /// The [`key`](CallDetail::key) of the CDR found (no other record takes it).
    pub cdr_key: Option<Box<str>>,
    /// The CDR found, as ZIWO sent it (JSON text).
    pub cdr_json: Option<Box<str>>,
}

/// What one poll came to.
#[derive(Clone, Debug, PartialEq)]
pub enum Poll {
    /// The call's CDR.
    Found(Box<CallDetail>),
    /// The API answered; the CDR is not there (yet).
    Missing,
    /// No source answered, none for a reason that ends the wait (each refused the request:
    /// a 404, a refusal, a route this client may not use): tried again like `Missing`, a
    /// failure when the wait is over.
    Unanswered(Error),
    /// A request failed: the credential was refused before any source answered, or the
    /// API is in trouble (see [`retryable`]).
    Failed(Error),
}

/// Whether a request that failed with `error` may succeed later: a 5xx, 408 or 429 (also
/// with ZIWO's `result: false` envelope), a timeout, a network error. A refused
/// credential, another 4xx, a refusal or an answer
/// that is not ZIWO's envelope will not.
pub fn retryable(error: &Error) -> bool {
    match error {
        Error::ApiStatus(status) | Error::ApiRefused(status, _) => {
            *status >= 500 || *status == 408 || *status == 429
        }
        Error::ApiNetwork | Error::ApiTimeout => true,
        _ => false,
    }
}

impl Lookup {
    /// The wait after a poll that came to `poll` at `now`, for a call that ended at
    /// `ended_at` and may wait `wait_ms`: the new state, and when to poll again (`None`:
    /// it is over, deliver).
    pub fn after(
        &self,
        poll: Poll,
        ended_at: f64,
        wait_ms: u32,
        now: f64,
    ) -> (Lookup, Option<f64>) {
        let polls = self.polls.saturating_add(1);
        let deadline = ended_at + f64::from(wait_ms);
        let over = now >= deadline || polls >= MAX_LOOKUPS;
        let done = |status, cdr: Option<Box<CallDetail>>| {
            (
                Lookup {
                    asked: true,
                    polls,
                    status: Some(status),
                    // A key the outbox cannot hold is left out (the CDR is still delivered).
                    cdr_key: cdr
                        .as_ref()
                        .and_then(|c| c.key().filter(|k| text_ok(k)).map(Into::into)),
                    cdr_json: cdr.map(|c| c.json),
                },
                None,
            )
        };
        match poll {
            Poll::Found(cdr) => done(CdrStatus::Found, Some(cdr)),
            Poll::Failed(e) if over || !retryable(&e) => done(CdrStatus::failed(&e), None),
            Poll::Unanswered(e) if over => done(CdrStatus::failed(&e), None),
            Poll::Missing if over => done(CdrStatus::NotFound, None),
            Poll::Missing | Poll::Unanswered(_) | Poll::Failed(_) => {
                let delay = FIRST_LOOKUP_MS * f64::from(1u32 << (polls - 1).min(20));
                // At the end of the wait, but never sooner than a second from now (a tab
                // holds the record's lock for a moment after a poll).
                let at = (now + delay).min(deadline).max(now + FIRST_LOOKUP_MS);
                (
                    Lookup {
                        asked: true,
                        polls,
                        ..Lookup::default()
                    },
                    Some(at),
                )
            }
        }
    }
}

/// The digits of a number, without leading zeros (a national `0` prefix).
fn digits(number: &str) -> String {
    number
        .chars()
        .filter(char::is_ascii_digit)
        .skip_while(|c| *c == '0')
        .collect()
}

/// Whether two numbers are the same line: the same digits, or one the other's national
/// form (the longer ends with the shorter, of at least 7 digits).
pub fn same_number(a: &str, b: &str) -> bool {
    let (a, b) = (digits(a), digits(b));
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    !short.is_empty() && (short == long || (short.len() >= 7 && long.ends_with(&short)))
}

/// Whether `cdr` may be the CDR of `record` by number, direction and end time; the
/// distance between the two ends when it may.
fn distance(record: &CallRecord, cdr: &CallDetail) -> Option<f64> {
    let number = record.customer_number.as_deref()?;
    if record.direction != Direction::Unknown
        && cdr.direction.as_deref().map(Direction::from_name) != Some(record.direction)
    {
        return None;
    }
    if !same_number(number, cdr.customer_number()?) {
        return None;
    }
    let gap = (cdr.ended_at? - record.ended_at).abs();
    (gap <= MATCH_WINDOW_MS).then_some(gap)
}

/// Which of the agent's recent calls (`recent`) is the CDR of `record`, if any: the one of
/// the same customer number and direction whose end is nearest the record's, within
/// [`MATCH_WINDOW_MS`]. Never one that `taken` names by its key or its call id (the CDRs
/// other records took, the call ids of the outbox's other records), one whose call id is
/// another waiting record's (`others`), or one nearer another waiting record of the same
/// customer: two calls of one customer, one after the other, each get their own.
pub fn pick_recent(
    record: &CallRecord,
    recent: &[CallDetail],
    others: &[&CallRecord],
    taken: &[&str],
) -> Option<usize> {
    let ours = |id: &str| *record.call_id == *id || record.primary_call_id.as_deref() == Some(id);
    let theirs = |id: &str| {
        others.iter().any(|o| {
            *o.call_id != *record.call_id
                && (*o.call_id == *id || o.primary_call_id.as_deref() == Some(id))
        })
    };
    recent
        .iter()
        .enumerate()
        .filter(|(_, cdr)| {
            let named = |k: Option<&str>| k.is_some_and(|k| taken.contains(&k));
            !named(cdr.key())
                && (ours(cdr.call_id.as_deref().unwrap_or_default())
                    || !named(cdr.call_id.as_deref()))
        })
        .filter_map(|(i, cdr)| {
            let id = cdr.call_id.as_deref().unwrap_or_default();
            if ours(id) {
                return Some((i, -1.0));
            }
            if theirs(id) {
                return None;
            }
            let gap = distance(record, cdr)?;
            let nearer_other = others.iter().any(|o| {
                *o.call_id != *record.call_id && distance(o, cdr).is_some_and(|g| g < gap)
            });
            (!nearer_other).then_some((i, gap))
        })
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}

/// Reads an ISO 8601 date and time as ZIWO writes it (`2016-07-10T11:37:03.000Z`; a space
/// for the `T`, no fraction, an offset `+04:00`, or none: UTC) as ms since the epoch.
pub fn parse_iso_ms(text: &str) -> Option<f64> {
    let b = text.trim().as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = b.get(from..from + len)?;
        part.iter().try_fold(0i64, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + i64::from(d - b'0'))
        })
    };
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    let (hour, minute, second) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    if b.get(4) != Some(&b'-')
        || b.get(7) != Some(&b'-')
        || !matches!(b.get(10), Some(b'T' | b't' | b' '))
        || b.get(13) != Some(&b':')
        || b.get(16) != Some(&b':')
        || !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut i = 19;
    let mut ms = 0.0;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        let mut scale = 100.0;
        while let Some(d) = b.get(i).filter(|d| d.is_ascii_digit()) {
            ms += f64::from(d - b'0') * scale;
            scale /= 10.0;
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    let offset_min = match b.get(i) {
        None => 0,
        Some(b'Z' | b'z') if i + 1 == b.len() => 0,
        Some(sign @ (b'+' | b'-')) if i + 6 == b.len() && b.get(i + 3) == Some(&b':') => {
            let m = num(i + 1, 2)? * 60 + num(i + 4, 2)?;
            if *sign == b'+' {
                m
            } else {
                -m
            }
        }
        _ => return None,
    };
    // Days from 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offset_min * 60;
    Some(seconds as f64 * 1000.0 + ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(id: &str, number: &str, ended_at: f64) -> CallRecord {
        CallRecord {
            call_id: id.into(),
            primary_call_id: None,
            customer_number: Some(number.into()),
            direction: Direction::Inbound,
            started_at: ended_at - 60_000.0,
            answered_at: None,
            ended_at,
            ring_ms: 0.0,
            talk_ms: 0.0,
            hold_ms: 0.0,
            muted_ms: 0.0,
            recovered: false,
            history: Vec::new(),
            cdr: None,
            cdr_status: None,
        }
    }

    fn cdr(id: &str, number: &str, ended_at: f64) -> CallDetail {
        CallDetail {
            call_id: Some(id.into()),
            direction: Some("inbound".into()),
            caller_id_number: Some(number.into()),
            ended_at: Some(ended_at),
            ..CallDetail::default()
        }
    }

    #[test]
    fn iso_dates() {
        assert_eq!(parse_iso_ms("1970-01-01T00:00:00Z"), Some(0.0));
        assert_eq!(
            parse_iso_ms("2016-07-10T11:37:03.000Z"),
            Some(1_468_150_623_000.0)
        );
        assert_eq!(
            parse_iso_ms("2016-07-10T11:37:03.25Z"),
            Some(1_468_150_623_250.0)
        );
        assert_eq!(
            parse_iso_ms("2016-07-10 15:37:03+04:00"),
            Some(1_468_150_623_000.0)
        );
        assert_eq!(parse_iso_ms("2000-02-29T00:00:00"), Some(951_782_400_000.0));
        for bad in [
            "",
            "2016-07-10",
            "2016-13-10T00:00:00Z",
            "2016-07-10T24:00:00Z",
            "2016-07-10T11:37:03.Z",
            "2016-07-10T11:37:03Zjunk",
            "2016-07-10T11:37:03+0400",
            "२०१६-07-10T11:37:03Z",
        ] {
            assert_eq!(parse_iso_ms(bad), None, "{bad}");
        }
    }

    #[test]
    fn numbers_match_in_national_and_international_form() {
        assert!(same_number("+971501234567", "0501234567"));
        assert!(same_number("+1 (555) 010-0100", "15550100100"));
        assert!(!same_number("+971501234567", "+971501234568"));
        assert!(
            !same_number("1234", "991234"),
            "too short to be a national form"
        );
        assert!(!same_number("", ""));
    }

    #[test]
    fn the_schedule_backs_off_within_the_wait_and_is_bounded() {
        let end = 1_000_000.0;
        let mut lookup = Lookup::default();
        let mut now = end + FIRST_LOOKUP_MS;
        let mut times = vec![now - end];
        loop {
            let (next, at) = lookup.after(Poll::Missing, end, DEFAULT_CDR_WAIT_MS, now);
            lookup = next;
            match at {
                Some(at) => {
                    now = at;
                    times.push(at - end);
                }
                None => break,
            }
        }
        assert_eq!(
            times,
            [1e3, 2e3, 4e3, 8e3, 16e3, 32e3, 64e3, 120e3],
            "1, 2, 4 ... s apart, the last at the end of the wait"
        );
        assert_eq!(lookup.status, Some(CdrStatus::NotFound));
        // The longest wait stays within the bound.
        let mut lookup = Lookup::default();
        let mut now = end + FIRST_LOOKUP_MS;
        while let (next, Some(at)) = lookup.after(Poll::Missing, end, MAX_CDR_WAIT_MS, now) {
            lookup = next;
            now = at;
        }
        assert!(lookup.polls < MAX_LOOKUPS, "{}", lookup.polls);
    }

    #[test]
    fn failures_retry_within_the_wait_unless_they_cannot_succeed() {
        let end = 0.0;
        let l = Lookup::default();
        let (next, at) = l.after(Poll::Failed(Error::ApiStatus(503)), end, 60_000, 1_000.0);
        assert_eq!((next.status, at), (None, Some(2_000.0)));
        // ZIWO's envelope on a 5xx is a server in trouble too.
        let busy = Error::ApiRefused(503, "busy".into());
        assert_eq!(
            l.after(Poll::Failed(busy), end, 60_000, 1_000.0).1,
            Some(2_000.0)
        );
        // No source answered (each refused): tried again, a failure at the end of the wait.
        let refused = Error::ApiStatus(404);
        let (next, at) = l.after(Poll::Unanswered(refused.clone()), end, 60_000, 1_000.0);
        assert_eq!((next.status, at, next.asked), (None, Some(2_000.0), true));
        let (next, at) = l.after(Poll::Unanswered(refused.clone()), end, 60_000, 60_000.0);
        assert_eq!((next.status, at), (Some(CdrStatus::failed(&refused)), None));
        for stop in [
            Error::ApiUnauthorized(401),
            Error::ApiStatus(404),
            Error::ApiMalformed,
        ] {
            let (next, at) = l.after(Poll::Failed(stop.clone()), end, 60_000, 1_000.0);
            assert_eq!(at, None, "{stop:?} stops at once");
            assert_eq!(next.status, Some(CdrStatus::failed(&stop)));
        }
        let (next, at) = l.after(Poll::Failed(Error::ApiNetwork), end, 60_000, 60_000.0);
        assert_eq!(at, None);
        assert_eq!(next.status.as_ref().map(CdrStatus::name), Some("failed"));
        let found = CallDetail {
            json: "{\"callID\":\"a\"}".into(),
            ..cdr("a", "+15550100", 0.0)
        };
        let (next, at) = l.after(Poll::Found(Box::new(found)), end, 60_000, 1_000.0);
        assert_eq!(next.status, Some(CdrStatus::Found));
        assert_eq!(next.cdr_key.as_deref(), Some("a"));
        assert_eq!(next.cdr_json.as_deref(), Some("{\"callID\":\"a\"}"));
        assert_eq!((next.polls, at), (1, None));
        // A key the outbox could not hold back is not kept.
        for key in ["a\u{1f}b", "a\nb", &"k".repeat(300)] {
            let odd = CallDetail {
                id: Some(key.into()),
                ..cdr("b", "+15550100", 0.0)
            };
            let (next, _) = l.after(Poll::Found(Box::new(odd)), end, 60_000, 1_000.0);
            assert_eq!(next.cdr_key, None, "{key:?}");
            assert_eq!(next.status, Some(CdrStatus::Found));
        }
        // The last poll of a wait about to end comes a second later, not sooner.
        let (_, at) = l.after(Poll::Missing, end, 1_500, 1_000.0);
        assert_eq!(at, Some(2_000.0));
    }

    #[test]
    fn the_recent_calls_match_by_number_direction_and_end() {
        let r = record("phone-leg", "+971501234567", 100_000.0);
        let recent = [
            cdr("x1", "+971501234567", 100_000.0 + MATCH_WINDOW_MS + 1.0),
            cdr("x2", "+971509999999", 100_500.0),
            CallDetail {
                direction: Some("outbound".into()),
                ..cdr("x3", "+971501234567", 100_100.0)
            },
            cdr("x4", "0501234567", 103_000.0),
            cdr("x5", "+971501234567", 101_000.0),
        ];
        assert_eq!(
            pick_recent(&r, &recent, &[], &[]),
            Some(4),
            "the nearest end"
        );
        assert_eq!(
            pick_recent(&r, &recent, &[], &["x5"]),
            Some(3),
            "not a taken one"
        );
        assert_eq!(pick_recent(&r, &recent[..3], &[], &[]), None);
        let no_number = CallRecord {
            customer_number: None,
            ..r.clone()
        };
        assert_eq!(pick_recent(&no_number, &recent, &[], &[]), None);
    }

    #[test]
    fn two_calls_of_one_customer_each_get_their_own() {
        let first = record("a", "+15550100100", 100_000.0);
        let second = record("b", "+15550100100", 104_000.0);
        // Only the second call's CDR is written yet: the first record does not take it.
        let recent = [cdr("srv-2", "+15550100100", 104_400.0)];
        assert_eq!(pick_recent(&first, &recent, &[&second], &[]), None);
        assert_eq!(pick_recent(&second, &recent, &[&first], &[]), Some(0));
        // Both written: each its own, whichever asks first.
        let recent = [
            cdr("srv-2", "+15550100100", 104_400.0),
            cdr("srv-1", "+15550100100", 100_300.0),
        ];
        assert_eq!(pick_recent(&first, &recent, &[&second], &[]), Some(1));
        assert_eq!(pick_recent(&second, &recent, &[&first], &[]), Some(0));
        // A CDR under another waiting record's id is that record's, and so is one under
        // the id of a record that is no longer waiting (the outbox's ids are `taken`).
        let named = [cdr("b", "+15550100100", 100_100.0)];
        assert_eq!(pick_recent(&first, &named, &[&second], &[]), None);
        assert_eq!(pick_recent(&first, &named, &[], &["b"]), None);
        assert_eq!(pick_recent(&first, &named, &[], &[]), Some(0));
        // Its own id wins whatever the times.
        let own = [cdr("a", "+0", 0.0)];
        assert_eq!(pick_recent(&first, &own, &[], &[]), Some(0));
    }
}
