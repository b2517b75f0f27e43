//! The pure core: everything that can be decided without a browser. No `web-sys`
//! here; it is tested natively with `cargo test` and property tests.

pub mod api;
mod cdr;
mod claims;
mod contact_center;
mod control;
mod display;
mod error;
mod event;
mod login;
mod number;
mod options;
mod popup;
mod recent;
mod record;
pub mod responses;
mod session;
mod state;
mod text;
mod tracker;
mod url;
pub mod webhooks;

pub use cdr::{
    parse_iso_ms, pick_recent, retryable, same_number, CallDetail, CdrStatus, Lookup, Poll,
    DEFAULT_CDR_WAIT_MS, FIRST_LOOKUP_MS, MATCH_WINDOW_MS, MAX_CDR_WAIT_MS, MAX_LOOKUPS,
    RECENT_CALLS,
};
pub use claims::{PopupClaims, CLAIMS_KEY, CLAIM_TTL_SECS, MAX_CLAIMS};
pub use contact_center::{ContactCenter, MAX_NAME_LEN};
pub use control::{check_digits, Action, Shape, MAX_DTMF_DIGITS};
pub use display::{Position, Size};
pub use error::{Error, NameProblem, NumberProblem};
pub use event::{
    listened_events, parse_call, parse_call_with, parse_phone, CallSignal, DetailProblem,
    DisconnectReason, EventName, PhoneErrorKind, PhoneEvent, Raw, RawCall, RawPhone, JOREL_PREFIX,
    MAX_TEXT, PHONE_EVENTS, ZIWO_PREFIX,
};
pub use login::{Agent, Connection, Presence};
pub use number::{number_from_link, PhoneNumber, MAX_DIGITS};
pub use options::{check_extra_state, check_nonce, check_timeout_ms, MAX_TIMEOUT_MS};
pub use popup::{expand_template, popup_features, PopupGate, PopupRule};
pub use record::{
    is_due, neighbours, plan, retry_delay_ms, CallRecord, Corrupt, Entry, Neighbours, Plan,
    DELIVERED_KEEP_MS, MAX_PENDING, MAX_RETRY_MS, OUTBOX_PREFIX,
};
pub use session::{
    is_session_key, Session, SessionChange, Token, CC_LOGIN_KEY, CC_NAME_KEY, POSITION_KEY,
    SIZE_KEY, TOKEN_KEY,
};
pub use state::{CallState, Direction, KNOWN_CALL_STATES};
pub use text::{find, parse_decimal, push_integer, push_uri_component, redact, replace_all, wipe};
pub use tracker::{
    CallEvent, CallSnapshot, Durations, HistoryEntry, MuteEvent, Tracker, Update, FORGOTTEN_IDS,
    HISTORY_FIRST, MAX_HISTORY, MAX_LIVE_CALLS,
};
pub use url::{check_http_url, http_origin, is_dot_segment};
