//! Property tests of the pure core: every parser and validator is total (no panic on
//! any input), and the tracker agrees with a simple reference model.
//!
//! `PROPTEST_CASES` sets the number of cases (CI uses the default of 256 per property;
//! `scripts/fuzz.sh` runs a long campaign).
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use std::collections::{HashMap, HashSet};
use ziwo_webphone::core::*;

fn any_raw() -> impl Strategy<Value = Raw> {
    prop_oneof![
        Just(Raw::Absent),
        Just(Raw::Other),
        any::<String>().prop_map(Raw::Str),
        "[a-z0-9-]{0,12}".prop_map(Raw::Str),
        any::<f64>().prop_map(Raw::Num),
        (-1e6f64..1e12).prop_map(Raw::Num),
    ]
}

fn any_raw_call() -> impl Strategy<Value = RawCall> {
    (
        any_raw(),
        any_raw(),
        any_raw(),
        any_raw(),
        any_raw(),
        any_raw(),
    )
        .prop_map(
            |(call_id, primary_call_id, customer_number, direction, flow_state, flow_date_unix)| {
                RawCall {
                    call_id,
                    primary_call_id,
                    customer_number,
                    direction,
                    flow_state,
                    flow_date_unix,
                }
            },
        )
}

const STATES: [&str; 15] = [
    "requesting",
    "trying",
    "early",
    "ringing",
    "answering",
    "active",
    "held",
    "hangup",
    "destroy",
    "recovering",
    "purge",
    "mute",
    "unmute",
    "transferring",
    "parked",
];

fn any_signal() -> impl Strategy<Value = CallSignal> {
    (0usize..6, 0usize..STATES.len(), 0usize..5, 0.0f64..1e7).prop_map(|(id, state, dir, at)| {
        CallSignal {
            call_id: format!("call-{id}").into(),
            primary_call_id: None,
            customer_number: Some("+15550100".into()),
            direction: [
                Direction::Inbound,
                Direction::Outbound,
                Direction::Internal,
                Direction::Service,
                Direction::Unknown,
            ][dir],
            state: CallState::from_name(STATES[state]),
            at,
        }
    })
}

fn percent_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = vec![];
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

proptest! {
    #[test]
    fn contact_center_names_never_change_the_host(name in any::<String>()) {
        if let Ok(cc) = ContactCenter::parse(&name) {
            let url = cc.loader_url();
            let rest = url.strip_prefix("https://").unwrap();
            let host = &rest[..rest.find('/').unwrap()];
            prop_assert_eq!(host, format!("{name}.aswat.co"));
            prop_assert_eq!(&rest[host.len()..], "/scripts/jorel.js");
            prop_assert!(name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
        }
    }

    #[test]
    fn dns_labels_are_accepted(name in "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?") {
        prop_assert!(ContactCenter::parse(&name).is_ok());
    }

    #[test]
    fn accepted_numbers_are_plus_and_digits(input in any::<String>()) {
        if let Ok(n) = PhoneNumber::parse(&input) {
            let s = n.as_str();
            let digits = s.strip_prefix('+').unwrap_or(s);
            prop_assert!(!digits.is_empty() && digits.len() <= MAX_DIGITS);
            prop_assert!(digits.bytes().all(|b| b.is_ascii_digit()));
        }
    }

    #[test]
    fn separators_are_removed(
        plus in any::<bool>(),
        digits in "[0-9]{1,20}",
        seps in proptest::collection::vec(prop_oneof![Just(" "), Just("-"), Just("."), Just("("), Just(")"), Just("")], 20),
    ) {
        let mut input = String::from(if plus { "+" } else { "" });
        for (d, sep) in digits.chars().zip(seps.iter()) {
            input.push(d);
            input.push_str(sep);
        }
        let want = format!("{}{}", if plus { "+" } else { "" }, digits);
        let got = PhoneNumber::parse(&input).unwrap();
        prop_assert_eq!(got.as_str(), want.as_str());
    }

    #[test]
    fn tokens_and_stored_sessions_are_total(a in any::<String>(), b in any::<String>(), c in any::<String>()) {
        if let Ok(t) = Token::parse(&a) {
            prop_assert!(t.expose().bytes().all(|b| b.is_ascii_graphic() && b != b'"'));
        }
        let _ = Session::from_stored(Some(&a), Some(&b), Some(&c));
        let _ = Position::parse(&a);
        let _ = Size::parse(&a);
    }

    #[test]
    fn event_names_and_details_are_total(name in any::<String>(), raw in any_raw_call(), now in any::<f64>()) {
        if let Some(EventName::Call(state)) = EventName::parse(&name) {
            if let Ok(s) = parse_call(state, &raw, now) {
                prop_assert!(!s.call_id.is_empty() && !s.call_id.chars().any(char::is_control));
                if now.is_finite() {
                    prop_assert!(s.at.is_finite());
                }
            }
        }
        let phone = RawPhone {
            cc_login: raw.call_id.clone(),
            first_name: raw.customer_number.clone(),
            last_name: raw.direction.clone(),
            contact_center: raw.flow_state.clone(),
            message: raw.primary_call_id.clone(),
            code: raw.flow_date_unix.clone(),
        };
        for n in [EventName::Connected, EventName::Disconnected, EventName::Error, EventName::InputChanged] {
            prop_assert!(parse_phone(&n, &phone).is_some());
        }
    }

    #[test]
    fn tracker_matches_the_reference_model(signals in proptest::collection::vec(any_signal(), 0..200)) {
        // The model: per live call its state, whether it is muted, whether it ended.
        let mut tracker = Tracker::new();
        let mut live: HashMap<Box<str>, (CallState, bool, bool)> = HashMap::new();
        let mut gone: HashSet<Box<str>> = HashSet::new();
        for s in signals {
            let mute = match s.state {
                CallState::Mute => Some(true),
                CallState::Unmute => Some(false),
                _ => None,
            };
            // Some(None): a new call; Some(Some(previous)): a change of state;
            // None: nothing. Mute changes are checked apart.
            let mut want_mute = None;
            let want = if gone.contains(&s.call_id) {
                None
            } else {
                match (live.get(&s.call_id).cloned(), mute) {
                    (None, Some(_)) => None,
                    (None, None) if s.state == CallState::Destroy => { gone.insert(s.call_id.clone()); None }
                    (None, None) => {
                        live.insert(s.call_id.clone(), (s.state.clone(), false, s.state.is_ending()));
                        Some(None)
                    }
                    (Some((_, muted, ended)), Some(m)) => {
                        if m != muted && !ended {
                            live.get_mut(&s.call_id).unwrap().1 = m;
                            want_mute = Some(m);
                        }
                        None
                    }
                    (Some((cur, _, _)), None) if cur == s.state => None,
                    (Some((cur, muted, ended)), None) => {
                        if s.state == CallState::Destroy {
                            live.remove(&s.call_id);
                            gone.insert(s.call_id.clone());
                        } else {
                            let ending = ended || s.state.is_ending();
                            live.insert(s.call_id.clone(), (s.state.clone(), muted && !ending, ending));
                        }
                        Some(Some(cur))
                    }
                }
            };
            let state = s.state.clone();
            let got = tracker.apply(s);
            match got {
                Some(Update::State(t)) => {
                    prop_assert_eq!(Some(t.previous.clone()), want);
                    prop_assert_eq!(t.state(), &state);
                    prop_assert!(t.previous.as_ref() != Some(&state));
                    prop_assert!(!matches!(t.state(), CallState::Mute | CallState::Unmute));
                    let d = t.call.durations(t.at());
                    let span = t.at() - t.call.started_at();
                    prop_assert!(d.ring_ms >= 0.0 && d.talk_ms >= 0.0 && d.hold_ms >= 0.0 && d.muted_ms >= 0.0);
                    prop_assert!(d.talk_ms + d.hold_ms <= span + 1e-6);
                    prop_assert!(d.muted_ms <= span + 1e-6);
                    prop_assert!(t.call.history.windows(2).all(|w| w[0].at <= w[1].at && w[0].state != w[1].state));
                }
                Some(Update::Mute(m)) => {
                    prop_assert_eq!(want, None);
                    prop_assert_eq!(Some(m.muted), want_mute);
                    prop_assert_eq!(m.call.muted(), m.muted);
                    prop_assert!(!matches!(m.call.state(), CallState::Mute | CallState::Unmute));
                }
                None => prop_assert!(want.is_none() && want_mute.is_none()),
            }
            prop_assert!(tracker.calls().len() <= MAX_LIVE_CALLS);
            prop_assert_eq!(tracker.calls().len(), live.len());
        }
    }

    #[test]
    fn recording_without_events_tracks_the_same_calls(signals in proptest::collection::vec(any_signal(), 0..200)) {
        let mut full = Tracker::new();
        let mut quiet = Tracker::new();
        for s in signals {
            let a = full.apply(s.clone()).is_some();
            prop_assert_eq!(quiet.record(s), a);
            prop_assert_eq!(full.calls(), quiet.calls());
        }
    }

    #[test]
    fn pop_up_opens_at_most_once_per_call_and_never_for_recovered(
        signals in proptest::collection::vec(any_signal(), 0..200)
    ) {
        let mut tracker = Tracker::new();
        let mut gate = PopupGate::default();
        let mut opened: HashSet<Box<str>> = HashSet::new();
        for s in signals {
            if let Some(Update::State(t)) = tracker.apply(s) {
                if gate.decide(&t) {
                    prop_assert!(!t.call.recovered);
                    prop_assert!(matches!(t.call.direction, Direction::Inbound | Direction::Outbound));
                    prop_assert!(opened.insert(t.call.call_id.clone()), "second pop-up for a call");
                }
            }
        }
    }

    #[test]
    fn templates_round_trip_the_number(prefix in "[a-z:/?=&]{0,20}", number in any::<String>()) {
        let template = format!("{prefix}{{number}}");
        prop_assume!(!ziwo_webphone::core::is_dot_segment(&number));
        let out = expand_template(&template, &number, "c").unwrap();
        let encoded = out.strip_prefix(prefix.as_str()).unwrap();
        prop_assert!(encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.!~*'()%".contains(&b)));
        prop_assert_eq!(percent_decode(encoded), number.as_bytes().to_vec());
    }
}

mod api_properties {
    use proptest::prelude::*;
    use ziwo_webphone::core::api::*;
    use ziwo_webphone::core::PhoneNumber;
    use ziwo_webphone::Error;

    proptest! {
        /// Whatever ids, texts and pages a caller passes, every builder either refuses or
        /// gives a path that stays on its route: parameters cannot add a segment, a query or
        /// a fragment, and the credential is never part of it.
        #[test]
        fn request_builders_are_total_and_keep_parameters_in_their_segment(
            id in any::<String>(), text in any::<String>(), limit in any::<u32>(), skip in any::<u64>(),
        ) {
            let r = Requests::default();
            let page = Page::new(limit, skip);
            prop_assert_eq!(page.is_ok(), (1..=50).contains(&limit));
            let page = page.unwrap_or_default();
            let number = PhoneNumber::parse("+15550100").unwrap();
            let built = [
                r.call_history(&id),
                r.recording(&id),
                r.cti_call(&id, &number, Some(&text)),
                r.eavesdrop(&id, Some(&text)),
                r.tracker(&id),
                r.block_tracker(&id, true),
                r.link_customer(&id, Entity::Address, &text, false),
                r.call_history_list(Some(&id), page),
                r.trackers(page, Some(&text), Some(&text)),
                r.search_customers(&text, page),
                r.login(&id, &text),
                r.create_customer(Entity::Profile, &text),
            ];
            for request in built.into_iter().flatten() {
                let path = &request.path;
                prop_assert!(path.starts_with('/'));
                prop_assert!(!path.contains('#'));
                prop_assert!(path.matches('?').count() <= 1);
                prop_assert!(path.bytes().all(|b| b.is_ascii_graphic()), "{}", path);
                let segments = path.split('?').next().unwrap().split('/').count();
                let template = Requests::default().routes.template(request.op).split('/').count();
                prop_assert_eq!(segments, template, "{}", path);
            }
        }

        /// Any status, any envelope, any secret: a classification, never a panic, and a
        /// refusal's message never holds the secret.
        #[test]
        fn envelopes_are_classified_and_secrets_redacted(
            status in any::<u16>(), result in proptest::option::of(any::<bool>()),
            message in proptest::option::of(any::<String>()), secret in "[a-z0-9-]{8,40}",
        ) {
            let echoed = message.map(|m| format!("{m}{secret}{m}"));
            let envelope = Envelope { result, message: echoed };
            match classify(status, Some(&envelope), &secret) {
                Ok(()) => prop_assert!((200..300).contains(&status) && result == Some(true)),
                Err(Error::ApiRefused(_, m)) => {
                    prop_assert!(!m.contains(&secret));
                    prop_assert!(m.chars().count() <= 200 + 10 * 8);
                }
                Err(_) => {}
            }
            let _ = classify(status, None, &secret);
        }

        /// Route overrides are checked: any text either becomes a template with the same
        /// placeholders or is refused.
        #[test]
        fn route_overrides_are_total(template in any::<String>()) {
            let mut routes = Routes::default();
            if routes.set(Op::LinkNumber, &template).is_ok() {
                prop_assert!(template.starts_with('/') && !template.contains('?') && !template.contains(".."));
            }
        }
    }
}

mod call_log_properties {
    use proptest::prelude::*;
    use ziwo_webphone::core::*;

    fn any_record() -> impl Strategy<Value = CallRecord> {
        (
            "[a-zA-Z0-9+ ._-]{1,40}",
            proptest::option::of("[a-zA-Z0-9-]{1,40}"),
            proptest::option::of("\\+?[0-9 ]{1,20}"),
            0usize..5,
            proptest::collection::vec((0usize..13, 0u32..4_000_000), 1..70),
            proptest::option::of(0u32..4_000_000),
            any::<bool>(),
        )
            .prop_map(|(id, primary, number, dir, history, answered, recovered)| {
                CallRecord {
                    call_id: id.into(),
                    primary_call_id: primary.map(Into::into),
                    customer_number: number
                        .filter(|n| !n.trim().is_empty() && n.trim() == n)
                        .map(Into::into),
                    direction: Direction::from_name(
                        ["inbound", "outbound", "internal", "service", "x"][dir],
                    ),
                    started_at: 1_000.0,
                    answered_at: answered.map(f64::from),
                    ended_at: 9_000.0,
                    ring_ms: 12.0,
                    talk_ms: 3_000.0,
                    hold_ms: 0.0,
                    muted_ms: 7.0,
                    recovered,
                    history: history
                        .into_iter()
                        .map(|(s, at)| HistoryEntry {
                            state: CallState::from_name(KNOWN_CALL_STATES[s]),
                            at: f64::from(at),
                        })
                        .collect(),
                    cdr: None,
                    cdr_status: None,
                }
            })
    }

    /// The date of a day count since 1970-01-01 (the inverse of days-from-civil).
    fn civil(days: i64) -> (i64, i64, i64) {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        (yoe + era * 400 + i64::from(m <= 2), m, d)
    }

    fn any_lookup() -> impl Strategy<Value = Lookup> {
        (
            0u32..20,
            0usize..4,
            "[a-z-]{1,20}",
            any::<String>(),
            proptest::option::of("[0-9:]{1,12}"),
            proptest::option::of(any::<String>()),
        )
            .prop_map(|(polls, status, code, message, key, json)| Lookup {
                asked: true,
                polls,
                status: match status {
                    0 => None,
                    1 => Some(CdrStatus::Found),
                    2 => Some(CdrStatus::NotFound),
                    _ => Some(CdrStatus::Failed {
                        code: code.into(),
                        message: message
                            .chars()
                            .map(|c| if c.is_control() { ' ' } else { c })
                            .collect::<String>()
                            .into(),
                    }),
                },
                cdr_key: key.map(Into::into),
                // What JSON.stringify writes never holds the separators raw.
                cdr_json: json
                    .map(|j| j.replace(|c: char| ('\u{1d}'..='\u{1f}').contains(&c), "?"))
                    .filter(|j| !j.is_empty())
                    .map(Into::into),
            })
    }

    proptest! {
        #[test]
        fn stored_entries_round_trip(record in any_record(), attempts in 0u32..1000, next_at in 0u32..u32::MAX, lookup in any_lookup(), asked in any::<bool>()) {
            // A record of a log that does not wait for CDRs has no wait at all.
            let lookup = if asked { lookup } else { Lookup::default() };
            let entry = Entry::Pending { record, attempts, next_at: f64::from(next_at), lookup };
            prop_assert_eq!(Entry::decode(&entry.encode()), Ok(entry));
        }

        #[test]
        fn iso_dates_read_back_what_was_written(ms in 0u64..253_402_300_799_000) {
            // Written as JavaScript's Date#toISOString writes them.
            let (days, rest) = (ms / 86_400_000, ms % 86_400_000);
            let (y, m, d) = civil(days as i64);
            let text = format!(
                "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
                rest / 3_600_000, rest / 60_000 % 60, rest / 1000 % 60, rest % 1000
            );
            prop_assert_eq!(parse_iso_ms(&text), Some(ms as f64));
        }

        #[test]
        fn reading_the_outbox_is_total(key in any::<String>(), value in any::<String>(), now in any::<f64>()) {
            let _ = Entry::decode(&value);
            let p = plan([(key.as_str(), value.as_str()), ("_ziwo-webphone-log:x", value.as_str())], now);
            prop_assert!(p.dropped.is_empty());
            prop_assert!(p.due.len() + p.corrupt.len() + p.expired.len() <= 2);
        }
    }
}
