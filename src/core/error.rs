//! The one error type of the library: every failure has a stable machine-readable
//! [`code`](Error::code) (the `code` of the JS error too) and a human-readable message.
//!
//! Messages are static text on purpose: they never quote the caller's input, so a
//! token or a customer's number can never end up in an error message or a log line.

use core::fmt;

/// Why a contact-center name was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameProblem {
    /// The name is empty.
    Empty,
    /// Longer than 63 characters (a DNS label's limit).
    TooLong,
    /// A character other than `a-z`, `0-9` or `-` (upper-case letters included).
    BadCharacter,
    /// The name starts or ends with `-`.
    HyphenAtEdge,
}

/// Why a phone number was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumberProblem {
    /// No digits at all.
    Empty,
    /// More than [`MAX_DIGITS`](crate::core::MAX_DIGITS) digits, or an absurdly long input.
    TooLong,
    /// A character that is neither a digit, a leading `+` nor a common separator.
    BadCharacter,
    /// A `+` anywhere but at the start.
    MisplacedPlus,
}

/// Every error the library reports.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The contact-center name is not a DNS label; nothing was changed.
    InvalidContactCenter(NameProblem),
    /// The phone number is not an international number; nothing was dialled.
    InvalidNumber(NumberProblem),
    /// The access token is empty, too long, or contains spaces, quotes or control characters.
    InvalidToken,
    /// An option has a value outside its documented set (position, size, nonce, state...).
    InvalidOption(&'static str),
    /// A URL (script URL, pop-up URL) is not an `http:`/`https:` URL.
    InvalidUrl,
    /// `localStorage` is missing or refuses access (blocked cookies, sandboxed frame...).
    StorageUnavailable,
    /// `localStorage` threw while writing (quota exceeded...); nothing was changed.
    StorageFailed,
    /// A value the phone keeps in `localStorage` is not valid (the key is named).
    CorruptSession(&'static str),
    /// There is no `window`/`document`/`document.body` (server-side rendering, too early).
    NoDocument,
    /// The phone is already installed on this page with another contact center, script
    /// or auto-login token; nothing was changed (reload the page to switch).
    AlreadyInstalled,
    /// The loader script failed to load (network, CSP, wrong URL). A later install retries.
    ScriptFailed,
    /// `window['_jorel-callPhoneNumber']` did not appear within the timeout.
    PhoneNotReady,
    /// The phone's own function threw or rejected; the phone's message is kept.
    PhoneThrew(String),
    /// The pop-up resolver threw, rejected or returned something that is not a URL.
    PopupFailed,
    /// The phone object was disposed; subscribe or install on a new one.
    Disposed,
    /// No web phone session in storage (the agent is not logged in).
    NotSignedIn,
    /// The API refused the credential (HTTP 401 or 403): log in again.
    ApiUnauthorized(u16),
    /// The API answered with this HTTP error status.
    ApiStatus(u16),
    /// The API answered `result: false` (HTTP status, the server's `info.message`).
    ApiRefused(u16, String),
    /// The API's answer is not the `{result, content, info}` envelope.
    ApiMalformed,
    /// The request did not reach the API (offline, DNS, CORS, connection reset).
    ApiNetwork,
    /// The API did not answer within the timeout; the request was aborted.
    ApiTimeout,
    /// No live call has this id (never seen, or already ended); nothing was sent.
    NoSuchCall,
    /// The call is not in a state that allows this (answer a call that is not ringing,
    /// unhold a call that is not held...); nothing was sent. Says what was expected.
    InvalidState(&'static str),
    /// The phone's call object has no method for this; nothing was sent.
    NotSupported,
    /// DTMF digits must be 1 to 32 of `0-9 * # A-D`; nothing was sent.
    InvalidDigits,
    /// No agent is logged in to the phone: no stored session while not connected.
    LoggedOut,
    /// The phone did not connect within the timeout.
    Timeout,
}

impl Error {
    /// A stable, kebab-case code, identical to the `code` of the JS error.
    pub fn code(&self) -> &'static str {
        match self {
            Error::InvalidContactCenter(_) => "invalid-contact-center",
            Error::InvalidNumber(_) => "invalid-number",
            Error::InvalidToken => "invalid-token",
            Error::InvalidOption(_) => "invalid-option",
            Error::InvalidUrl => "invalid-url",
            Error::StorageUnavailable => "storage-unavailable",
            Error::StorageFailed => "storage-failed",
            Error::CorruptSession(_) => "corrupt-session",
            Error::NoDocument => "no-document",
            Error::AlreadyInstalled => "already-installed",
            Error::ScriptFailed => "script-failed",
            Error::PhoneNotReady => "phone-not-ready",
            Error::PhoneThrew(_) => "phone-threw",
            Error::PopupFailed => "popup-failed",
            Error::Disposed => "disposed",
            Error::NotSignedIn => "not-signed-in",
            Error::ApiUnauthorized(_) => "unauthorized",
            Error::ApiStatus(_) => "http-status",
            Error::ApiRefused(..) => "api-refused",
            Error::ApiMalformed => "malformed-response",
            Error::ApiNetwork => "network",
            Error::ApiTimeout => "timeout",
            Error::NoSuchCall => "no-such-call",
            Error::InvalidState(_) => "invalid-state",
            Error::NotSupported => "not-supported",
            Error::InvalidDigits => "invalid-digits",
            Error::LoggedOut => "logged-out",
            Error::Timeout => "timeout",
        }
    }

    /// The message with what the phone or the API said, when it said something (a
    /// refusal's `info.message`, redacted): the message of the JS error.
    pub fn full_message(&self) -> String {
        match self {
            Error::PhoneThrew(inner) | Error::ApiRefused(_, inner) if !inner.is_empty() => {
                [self.message(), ": ", inner].concat()
            }
            _ => self.message().to_owned(),
        }
    }

    /// A sentence for people. Never contains the token, the number or the name given.
    pub fn message(&self) -> &'static str {
        match self {
            Error::InvalidContactCenter(p) => match p {
                NameProblem::Empty => "contact-center name is empty",
                NameProblem::TooLong => "contact-center name is longer than 63 characters",
                NameProblem::BadCharacter => {
                    "contact-center name may only hold a-z, 0-9 and '-' (a DNS label)"
                }
                NameProblem::HyphenAtEdge => "contact-center name starts or ends with '-'",
            },
            Error::InvalidNumber(p) => match p {
                NumberProblem::Empty => "phone number has no digits",
                NumberProblem::TooLong => "phone number is too long",
                NumberProblem::BadCharacter => {
                    "phone number may only hold digits, a leading '+', spaces, '-', '.', '(' and ')'"
                }
                NumberProblem::MisplacedPlus => "phone number has a '+' that is not at the start",
            },
            Error::InvalidToken => {
                "access token must be 1-4096 printable characters without spaces or quotes"
            }
            Error::InvalidOption(what) => what,
            Error::InvalidUrl => "URL is not a valid http: or https: URL",
            Error::StorageUnavailable => "localStorage is not available",
            Error::StorageFailed => "localStorage refused the write",
            Error::CorruptSession(_) => "a value of the web phone's session in localStorage is not valid",
            Error::NoDocument => "no window, document or document.body to install the phone into",
            Error::AlreadyInstalled => {
                "the web phone is already installed with another contact center, script or token; reload the page to switch"
            }
            Error::ScriptFailed => "the web phone's loader script failed to load",
            Error::PhoneNotReady => "the web phone was not ready to dial in time",
            Error::PhoneThrew(_) => "the web phone refused the call",
            Error::PopupFailed => "the pop-up URL could not be resolved",
            Error::Disposed => "this web phone object was disposed",
            Error::NotSignedIn => "the web phone has no session: the agent is not logged in",
            Error::ApiUnauthorized(_) => "the API refused the credentials; log in again",
            Error::ApiStatus(_) => "the API answered with an HTTP error",
            Error::ApiRefused(..) => "the API refused the request",
            Error::ApiMalformed => "the API's answer is not the expected envelope",
            Error::ApiNetwork => "the API could not be reached",
            Error::ApiTimeout => "the API did not answer in time",
            Error::NoSuchCall => "no live call has this id (unknown or ended)",
            Error::InvalidState(why) => why,
            Error::NotSupported => "the web phone's call object cannot do this",
            Error::InvalidDigits => "DTMF digits must be 1 to 32 of 0-9, *, #, A-D",
            Error::LoggedOut => "no agent is logged in to the web phone",
            Error::Timeout => "the web phone did not connect in time",
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())?;
        match self {
            Error::CorruptSession(key) => write!(f, " ({key})"),
            Error::PhoneThrew(inner) | Error::ApiRefused(_, inner) if !inner.is_empty() => {
                write!(f, ": {inner}")
            }
            Error::ApiUnauthorized(status) | Error::ApiStatus(status) => write!(f, " ({status})"),
            _ => Ok(()),
        }
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_kebab_case_and_distinct() {
        let all = [
            Error::InvalidContactCenter(NameProblem::Empty),
            Error::InvalidNumber(NumberProblem::Empty),
            Error::InvalidToken,
            Error::InvalidOption("x"),
            Error::InvalidUrl,
            Error::StorageUnavailable,
            Error::StorageFailed,
            Error::CorruptSession("_jorel-ccName"),
            Error::NoDocument,
            Error::AlreadyInstalled,
            Error::ScriptFailed,
            Error::PhoneNotReady,
            Error::PhoneThrew(String::new()),
            Error::PopupFailed,
            Error::Disposed,
            Error::NotSignedIn,
            Error::ApiUnauthorized(401),
            Error::ApiStatus(500),
            Error::ApiRefused(200, String::new()),
            Error::ApiMalformed,
            Error::ApiNetwork,
            Error::ApiTimeout,
            Error::NoSuchCall,
            Error::InvalidState("x"),
            Error::NotSupported,
            Error::InvalidDigits,
            Error::LoggedOut,
        ];
        let mut codes: Vec<_> = all.iter().map(Error::code).collect();
        assert!(codes
            .iter()
            .all(|c| c.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')));
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
        // One code, two causes: the API's and the phone's wait.
        assert_eq!(Error::Timeout.code(), Error::ApiTimeout.code());
    }

    #[test]
    fn display_names_the_corrupt_key_but_not_values() {
        let e = Error::CorruptSession("_jorel-ccName");
        assert_eq!(
            e.to_string(),
            "a value of the web phone's session in localStorage is not valid (_jorel-ccName)"
        );
    }
}
