//! Parsing the web phone's window events: their names and the plain fields of their
//! `detail`. The browser layer copies those fields into [`Raw`] values (never walking
//! `currentCall` or `dialog`, which are cyclic); everything here is pure and total:
//! any input gives a value or a typed problem, never a panic.

use super::state::{CallState, Direction, KNOWN_CALL_STATES};
use super::text::{parse_decimal, push_integer};

/// Prefix of the web phone's events (seed).
pub const JOREL_PREFIX: &str = "_jorel-dialog-state-";
/// Prefix core-front dispatches every event under as well, with the same `detail`.
pub const ZIWO_PREFIX: &str = "ziwo-";
/// Suffixes of the events that are not about one call.
pub const PHONE_EVENTS: [&str; 5] = [
    "connected",
    "disconnected",
    "error",
    "input-changed",
    "output-changed",
];

/// Longest text field kept from a detail; longer values are treated as missing.
pub const MAX_TEXT: usize = 256;

/// What an event name says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventName {
    /// A call changed state.
    Call(CallState),
    /// The phone connected (logged in).
    Connected,
    /// The phone lost its connection.
    Disconnected,
    /// The phone reports an error.
    Error,
    /// The microphone changed.
    InputChanged,
    /// The speaker changed.
    OutputChanged,
}

impl EventName {
    /// Splits `_jorel-dialog-state-<x>` or `ziwo-<x>` and classifies `<x>`; `None` for
    /// names with neither prefix or an empty suffix.
    pub fn parse(full: &str) -> Option<EventName> {
        let suffix = full
            .strip_prefix(JOREL_PREFIX)
            .or_else(|| full.strip_prefix(ZIWO_PREFIX))?;
        if suffix.is_empty() || suffix.len() > MAX_TEXT {
            return None;
        }
        Some(match suffix {
            "connected" => EventName::Connected,
            "disconnected" => EventName::Disconnected,
            "error" => EventName::Error,
            "input-changed" => EventName::InputChanged,
            "output-changed" => EventName::OutputChanged,
            other => EventName::Call(CallState::from_name(other)),
        })
    }
}

/// The window events a phone listens to, with what each name means: every known call
/// state and phone event, then `extra_states` (call states of a newer phone), each under
/// both prefixes, `_jorel-dialog-state-` first. The names alternate the two prefixes
/// (even index: `_jorel-`), so that a listener can drop core-front's twin of an event (the
/// same detail under the other prefix) by index alone. Each name is listened to once: an
/// extra state that is already listened to (`connected`, `ringing`, twice the same) adds
/// nothing, so its events are not delivered twice.
pub fn listened_events<'a>(
    extra_states: impl IntoIterator<Item = &'a str>,
) -> Vec<(EventName, String)> {
    let suffixes = KNOWN_CALL_STATES
        .iter()
        .chain(PHONE_EVENTS.iter())
        .copied()
        .chain(extra_states);
    let mut events: Vec<(EventName, String)> = Vec::new();
    for suffix in suffixes {
        let mut first = JOREL_PREFIX.to_owned();
        first.push_str(suffix);
        if events.iter().any(|(_, name)| *name == first) {
            continue;
        }
        for prefix in [JOREL_PREFIX, ZIWO_PREFIX] {
            let mut name = prefix.to_owned();
            name.push_str(suffix);
            if let Some(kind) = EventName::parse(&name) {
                events.push((kind, name));
            }
        }
    }
    events
}

/// A field of `detail` as read from JS, reduced to what the parser needs.
#[derive(Clone, Debug, PartialEq)]
pub enum Raw {
    /// `undefined`, `null`, or `detail` itself missing.
    Absent,
    /// A string.
    Str(String),
    /// A number.
    Num(f64),
    /// Anything else: a boolean, an object, or a getter that threw.
    Other,
}

impl Raw {
    /// A plausible text value: a string of 1..=256 characters without control
    /// characters, or a safe integer written in decimal. Anything else is `None`.
    pub fn text(&self) -> Option<Box<str>> {
        match self {
            Raw::Str(s)
                if !s.is_empty() && s.len() <= MAX_TEXT && !s.chars().any(char::is_control) =>
            {
                Some(s.as_str().into())
            }
            Raw::Num(n) if n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_991.0 => {
                let mut out = String::new();
                if *n < 0.0 {
                    out.push('-');
                }
                push_integer(&mut out, n.abs() as u64);
                Some(out.into())
            }
            _ => None,
        }
    }

    /// A finite number.
    pub fn number(&self) -> Option<f64> {
        match self {
            Raw::Num(n) if n.is_finite() => Some(*n),
            _ => None,
        }
    }
}

/// The plain fields of a call event's `detail`.
#[derive(Clone, Debug, PartialEq)]
pub struct RawCall {
    /// `callID`.
    pub call_id: Raw,
    /// `primaryCallID`.
    pub primary_call_id: Raw,
    /// `customerNumber`.
    pub customer_number: Raw,
    /// `direction`.
    pub direction: Raw,
    /// `state` of the last entry of `stateFlow`, read at the moment of the event.
    pub flow_state: Raw,
    /// `dateUNIX` (seconds) of the last entry of `stateFlow`.
    pub flow_date_unix: Raw,
}

impl Default for RawCall {
    fn default() -> Self {
        RawCall {
            call_id: Raw::Absent,
            primary_call_id: Raw::Absent,
            customer_number: Raw::Absent,
            direction: Raw::Absent,
            flow_state: Raw::Absent,
            flow_date_unix: Raw::Absent,
        }
    }
}

/// Why a call event was not used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DetailProblem {
    /// `detail.callID` is missing or not a plausible id.
    NoCallId,
}

/// A call event, validated.
#[derive(Clone, Debug, PartialEq)]
pub struct CallSignal {
    /// `callID`.
    pub call_id: Box<str>,
    /// `primaryCallID`, when given.
    pub primary_call_id: Option<Box<str>>,
    /// `customerNumber`, when given.
    pub customer_number: Option<Box<str>>,
    /// `direction`.
    pub direction: Direction,
    /// The state named by the event.
    pub state: CallState,
    /// When the call entered the state, in milliseconds since the epoch.
    pub at: f64,
}

/// Latest `dateUNIX` accepted (seconds, about year 5000); beyond it the clock is used.
const MAX_DATE_UNIX: f64 = 1e11;

/// Validates a call event. `at` is taken from the last `stateFlow` entry when that
/// entry is the event's own state with a plausible date, else from `now_ms`.
pub fn parse_call(
    state: CallState,
    raw: &RawCall,
    now_ms: f64,
) -> Result<CallSignal, DetailProblem> {
    parse_call_with(state, raw, || now_ms)
}

/// [`parse_call`] that reads the clock only when the event carries no usable date.
pub fn parse_call_with(
    state: CallState,
    raw: &RawCall,
    now_ms: impl FnOnce() -> f64,
) -> Result<CallSignal, DetailProblem> {
    let call_id = raw.call_id.text().ok_or(DetailProblem::NoCallId)?;
    let at = match (&raw.flow_state, raw.flow_date_unix.number()) {
        (Raw::Str(s), Some(secs))
            if s == state.raw_name() && secs > 0.0 && secs < MAX_DATE_UNIX =>
        {
            secs * 1000.0
        }
        _ => now_ms(),
    };
    let direction = match &raw.direction {
        Raw::Str(s) => Direction::from_name(s),
        _ => Direction::Unknown,
    };
    Ok(CallSignal {
        call_id,
        primary_call_id: raw.primary_call_id.text(),
        customer_number: raw.customer_number.text(),
        direction,
        state,
        at,
    })
}

/// Why the phone lost its connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DisconnectReason {
    /// `Duplicate connection`: another tab or device took the agent's session.
    DuplicateConnection,
    /// `Socket closed`.
    SocketClosed,
    /// Any other message (or none).
    Other,
}

impl DisconnectReason {
    /// Classifies the `message` of a `disconnected` event.
    pub fn from_message(message: Option<&str>) -> DisconnectReason {
        match message {
            Some(m) if m.eq_ignore_ascii_case("Duplicate connection") => {
                DisconnectReason::DuplicateConnection
            }
            Some(m) if m.eq_ignore_ascii_case("Socket closed") => DisconnectReason::SocketClosed,
            _ => DisconnectReason::Other,
        }
    }

    /// The reason's name.
    pub fn name(self) -> &'static str {
        match self {
            DisconnectReason::DuplicateConnection => "duplicate-connection",
            DisconnectReason::SocketClosed => "socket-closed",
            DisconnectReason::Other => "other",
        }
    }
}

/// What an `error` event's code means (core-front `ZiwoErrorCode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PhoneErrorKind {
    /// 1001.
    Protocol,
    /// 1002.
    Media,
    /// 1003: the server's reply found no call (may arrive after `destroy`).
    MissingCall,
    /// 1004.
    CannotCreateCall,
    /// 1005.
    Devices,
    /// 10051.
    NoInput,
    /// 10052.
    NoOutput,
    /// Any other code, or none.
    Unknown,
}

impl PhoneErrorKind {
    /// Classifies a code.
    pub fn from_code(code: Option<u32>) -> PhoneErrorKind {
        match code {
            Some(1001) => PhoneErrorKind::Protocol,
            Some(1002) => PhoneErrorKind::Media,
            Some(1003) => PhoneErrorKind::MissingCall,
            Some(1004) => PhoneErrorKind::CannotCreateCall,
            Some(1005) => PhoneErrorKind::Devices,
            Some(10051) => PhoneErrorKind::NoInput,
            Some(10052) => PhoneErrorKind::NoOutput,
            _ => PhoneErrorKind::Unknown,
        }
    }

    /// The kind's name.
    pub fn name(self) -> &'static str {
        match self {
            PhoneErrorKind::Protocol => "protocol",
            PhoneErrorKind::Media => "media",
            PhoneErrorKind::MissingCall => "missing-call",
            PhoneErrorKind::CannotCreateCall => "cannot-create-call",
            PhoneErrorKind::Devices => "devices",
            PhoneErrorKind::NoInput => "no-input",
            PhoneErrorKind::NoOutput => "no-output",
            PhoneErrorKind::Unknown => "unknown",
        }
    }
}

/// An event of the phone that is not about one call.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum PhoneEvent {
    /// The phone connected. Only plain, non-secret fields of the agent are kept
    /// (core-front's agent object also carries a SIP password).
    Connected {
        /// `agent.ccLogin`.
        cc_login: Option<Box<str>>,
        /// `agent.firstName`.
        first_name: Option<Box<str>>,
        /// `agent.lastName`.
        last_name: Option<Box<str>>,
        /// `contactCenterName`.
        contact_center: Option<Box<str>>,
    },
    /// The phone lost its connection.
    Disconnected {
        /// What the message means.
        reason: DisconnectReason,
        /// `message`, as sent.
        message: Option<Box<str>>,
    },
    /// The phone reports an error.
    Error {
        /// `code`, when it is a non-negative integer.
        code: Option<u32>,
        /// What the code means.
        kind: PhoneErrorKind,
    },
    /// The microphone (`input: true`) or the speaker changed.
    DeviceChanged {
        /// Input (microphone) rather than output (speaker).
        input: bool,
    },
}

/// The plain fields of a non-call event's `detail`.
#[derive(Clone, Debug, PartialEq)]
pub struct RawPhone {
    /// `agent.ccLogin` (connected).
    pub cc_login: Raw,
    /// `agent.firstName` (connected).
    pub first_name: Raw,
    /// `agent.lastName` (connected).
    pub last_name: Raw,
    /// `contactCenterName` (connected).
    pub contact_center: Raw,
    /// `message` (disconnected).
    pub message: Raw,
    /// `code` (error).
    pub code: Raw,
}

impl Default for RawPhone {
    fn default() -> Self {
        RawPhone {
            cc_login: Raw::Absent,
            first_name: Raw::Absent,
            last_name: Raw::Absent,
            contact_center: Raw::Absent,
            message: Raw::Absent,
            code: Raw::Absent,
        }
    }
}

/// One packed field of `readCall`/`readPhone` (js/events.js): `S<text>`, `A` (absent)
/// or `O` (anything else).
fn unpack(field: &str) -> Raw {
    match field.strip_prefix('S') {
        Some(text) => Raw::Str(text.to_owned()),
        None if field == "A" => Raw::Absent,
        None => Raw::Other,
    }
}

/// The NUL-separated packed fields of `packed`; absent past the end.
fn unpacked(packed: &str) -> impl FnMut() -> Raw + '_ {
    let mut fields = packed
        .split('\u{0}')
        .filter(|_| !packed.is_empty())
        .map(unpack);
    move || fields.next().unwrap_or(Raw::Absent)
}

impl RawCall {
    /// The fields that `readCall` (js/events.js) packed: `callID`, `primaryCallID`,
    /// `customerNumber`, `direction` and the last `stateFlow` entry's `state`, each
    /// `S<text>`, `A` or `O`, NUL-separated (`""`: the detail is not an object); `date`
    /// is that entry's `dateUNIX` as `readDate` gives it (NaN: none).
    pub fn unpack(packed: &str, date: f64) -> RawCall {
        let mut next = unpacked(packed);
        RawCall {
            call_id: next(),
            primary_call_id: next(),
            customer_number: next(),
            direction: next(),
            flow_state: next(),
            flow_date_unix: if date.is_nan() {
                Raw::Absent
            } else {
                Raw::Num(date)
            },
        }
    }
}

impl RawPhone {
    /// The fields that `readPhone` (js/events.js) packed, as [`RawCall::unpack`] does:
    /// `contactCenterName`, `agent.ccLogin`, `agent.firstName`, `agent.lastName`,
    /// `message`, `code`.
    pub fn unpack(packed: &str) -> RawPhone {
        let mut next = unpacked(packed);
        RawPhone {
            contact_center: next(),
            cc_login: next(),
            first_name: next(),
            last_name: next(),
            message: next(),
            code: next(),
        }
    }
}

/// Builds the typed event for a non-call event name; `None` for call names.
pub fn parse_phone(name: &EventName, raw: &RawPhone) -> Option<PhoneEvent> {
    Some(match name {
        EventName::Call(_) => return None,
        EventName::Connected => PhoneEvent::Connected {
            cc_login: raw.cc_login.text(),
            first_name: raw.first_name.text(),
            last_name: raw.last_name.text(),
            contact_center: raw.contact_center.text(),
        },
        EventName::Disconnected => {
            let message = raw.message.text();
            PhoneEvent::Disconnected {
                reason: DisconnectReason::from_message(message.as_deref()),
                message,
            }
        }
        EventName::Error => {
            let code = match raw.code {
                Raw::Num(n) if n.fract() == 0.0 && (0.0..=u32::MAX as f64).contains(&n) => {
                    Some(n as u32)
                }
                Raw::Str(ref s) => parse_decimal(s).and_then(|n| u32::try_from(n).ok()),
                _ => None,
            };
            PhoneEvent::Error {
                code,
                kind: PhoneErrorKind::from_code(code),
            }
        }
        EventName::InputChanged => PhoneEvent::DeviceChanged { input: true },
        EventName::OutputChanged => PhoneEvent::DeviceChanged { input: false },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_call_fields() {
        let raw = RawCall::unpack("Sc1\u{0}A\u{0}S+971 50\u{0}O\u{0}Sringing", 1.5);
        assert_eq!(raw.call_id, Raw::Str("c1".into()));
        assert_eq!(raw.primary_call_id, Raw::Absent);
        assert_eq!(raw.customer_number, Raw::Str("+971 50".into()));
        assert_eq!(raw.direction, Raw::Other);
        assert_eq!(raw.flow_state, Raw::Str("ringing".into()));
        assert_eq!(raw.flow_date_unix, Raw::Num(1.5));
        // Not an object, too few fields, no date.
        assert_eq!(RawCall::unpack("", f64::NAN), RawCall::default());
        let short = RawCall::unpack("Sc1", f64::NAN);
        assert_eq!(
            (short.call_id, short.direction),
            (Raw::Str("c1".into()), Raw::Absent)
        );
        assert_eq!(short.flow_date_unix, Raw::Absent);
        // An empty string is a field; a field that is neither S, A nor O is Other.
        assert_eq!(
            RawCall::unpack("S\u{0}x", f64::NAN).primary_call_id,
            Raw::Other
        );
    }

    #[test]
    fn packed_phone_fields() {
        let raw = RawPhone::unpack("Sacme\u{0}S1001\u{0}SAda\u{0}A\u{0}Sbye\u{0}S7");
        assert_eq!(raw.contact_center, Raw::Str("acme".into()));
        assert_eq!(raw.cc_login, Raw::Str("1001".into()));
        assert_eq!(raw.first_name, Raw::Str("Ada".into()));
        assert_eq!(raw.last_name, Raw::Absent);
        assert_eq!(raw.message, Raw::Str("bye".into()));
        assert_eq!(raw.code, Raw::Str("7".into()));
        assert_eq!(RawPhone::unpack(""), RawPhone::default());
        let error = parse_phone(&EventName::Error, &raw);
        assert_eq!(
            error,
            Some(PhoneEvent::Error {
                code: Some(7),
                kind: PhoneErrorKind::from_code(Some(7))
            })
        );
    }

    #[test]
    fn names_with_both_prefixes() {
        assert_eq!(
            EventName::parse("_jorel-dialog-state-ringing"),
            Some(EventName::Call(CallState::Ringing))
        );
        assert_eq!(
            EventName::parse("ziwo-ringing"),
            Some(EventName::Call(CallState::Ringing))
        );
        assert_eq!(
            EventName::parse("ziwo-connected"),
            Some(EventName::Connected)
        );
        assert_eq!(
            EventName::parse("ziwo-transferring"),
            Some(EventName::Call(CallState::Other("transferring".into())))
        );
        assert_eq!(EventName::parse("ringing"), None);
        assert_eq!(EventName::parse("ziwo-"), None);
        assert_eq!(EventName::parse("_jorel-dialog-state-"), None);
    }

    fn call(id: Raw) -> RawCall {
        RawCall {
            call_id: id,
            customer_number: Raw::Str("+971501234567".into()),
            direction: Raw::Str("inbound".into()),
            ..RawCall::default()
        }
    }

    #[test]
    fn call_detail_needs_a_call_id() {
        assert_eq!(
            parse_call(CallState::Ringing, &RawCall::default(), 1.0),
            Err(DetailProblem::NoCallId)
        );
        for bad in [
            Raw::Absent,
            Raw::Other,
            Raw::Str(String::new()),
            Raw::Num(1.5),
            Raw::Str("a\nb".into()),
        ] {
            assert!(parse_call(CallState::Ringing, &call(bad), 1.0).is_err());
        }
        let s = parse_call(CallState::Ringing, &call(Raw::Num(42.0)), 1.0).unwrap();
        assert_eq!(&*s.call_id, "42");
        assert_eq!(s.direction, Direction::Inbound);
        assert_eq!(s.customer_number.as_deref(), Some("+971501234567"));
    }

    #[test]
    fn timestamp_comes_from_the_matching_state_flow_entry() {
        let mut raw = call(Raw::Str("c1".into()));
        raw.flow_state = Raw::Str("ringing".into());
        raw.flow_date_unix = Raw::Num(1_700_000_000.25);
        assert_eq!(
            parse_call(CallState::Ringing, &raw, 5.0).unwrap().at,
            1_700_000_000_250.0
        );
        // A flow entry for another state (the live array grew) is not this event's date.
        assert_eq!(parse_call(CallState::Active, &raw, 5.0).unwrap().at, 5.0);
        raw.flow_date_unix = Raw::Num(f64::NAN);
        assert_eq!(parse_call(CallState::Ringing, &raw, 5.0).unwrap().at, 5.0);
        raw.flow_date_unix = Raw::Num(1e15);
        assert_eq!(parse_call(CallState::Ringing, &raw, 5.0).unwrap().at, 5.0);
    }

    #[test]
    fn phone_events() {
        let raw = RawPhone {
            message: Raw::Str("Duplicate connection".into()),
            ..RawPhone::default()
        };
        assert_eq!(
            parse_phone(&EventName::Disconnected, &raw),
            Some(PhoneEvent::Disconnected {
                reason: DisconnectReason::DuplicateConnection,
                message: Some("Duplicate connection".into())
            })
        );
        let raw = RawPhone {
            code: Raw::Num(1003.0),
            ..RawPhone::default()
        };
        assert_eq!(
            parse_phone(&EventName::Error, &raw),
            Some(PhoneEvent::Error {
                code: Some(1003),
                kind: PhoneErrorKind::MissingCall
            })
        );
        let raw = RawPhone {
            code: Raw::Num(-1.0),
            ..RawPhone::default()
        };
        assert_eq!(
            parse_phone(&EventName::Error, &raw),
            Some(PhoneEvent::Error {
                code: None,
                kind: PhoneErrorKind::Unknown
            })
        );
        assert_eq!(
            parse_phone(&EventName::Call(CallState::Active), &RawPhone::default()),
            None
        );
    }

    #[test]
    fn listened_events_alternate_the_prefixes_and_say_what_they_are() {
        let events = listened_events(["transferring"]);
        let per_suffix = KNOWN_CALL_STATES.len() + PHONE_EVENTS.len() + 1;
        assert_eq!(events.len(), 2 * per_suffix);
        for (i, (kind, name)) in events.iter().enumerate() {
            let prefix = if i % 2 == 0 {
                JOREL_PREFIX
            } else {
                ZIWO_PREFIX
            };
            assert!(name.starts_with(prefix), "{name}");
            assert_eq!(EventName::parse(name).as_ref(), Some(kind));
        }
        assert_eq!(
            events.last().map(|(k, _)| k.clone()),
            Some(EventName::Call(CallState::Other("transferring".into())))
        );
    }

    #[test]
    fn an_extra_state_already_listened_to_adds_nothing() {
        let plain = listened_events([]);
        assert_eq!(listened_events(["connected", "ringing", "error"]), plain);
        let twice = listened_events(["transferring", "transferring"]);
        assert_eq!(twice.len(), plain.len() + 2);
    }
}
