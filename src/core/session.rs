//! The web phone's session as it keeps it in `localStorage` (seed, "Auto Login",
//! "WebPhone Parameter"): plain strings, never JSON-encoded.

use super::contact_center::ContactCenter;
use super::error::Error;
use core::fmt;

/// `localStorage` key of the agent's access token.
pub const TOKEN_KEY: &str = "_jorel-token";
/// `localStorage` key of the contact-center name.
pub const CC_NAME_KEY: &str = "_jorel-ccName";
/// `localStorage` key of the agent's contact-center login, kept by the phone.
pub const CC_LOGIN_KEY: &str = "_jorel-ccLogin";
/// `localStorage` key of the widget's default position.
pub const POSITION_KEY: &str = "_jorel-default-position";
/// `localStorage` key of the widget's default size.
pub const SIZE_KEY: &str = "_jorel-default-size";

const MAX_TOKEN_LEN: usize = 4096;
const MAX_LOGIN_LEN: usize = 64;

/// An agent's access token (the `access_token` of `POST /auth/login`).
///
/// Its `Debug` output is redacted and it has no `Display`: a token never reaches a log
/// line by accident.
///
/// ```
/// use ziwo_webphone::Token;
/// let t = Token::parse("b10c6840-a9e7-11e8-8476-8d2a2f09b159").unwrap();
/// assert_eq!(format!("{t:?}"), "Token(<redacted>)");
/// assert!(Token::parse("\"quoted\"").is_err());
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Token(Box<str>);

impl Token {
    /// 1 to 4096 visible ASCII characters, no spaces and no quotes (a JSON-encoded
    /// token, `"\"abc\""`, is exactly what breaks the phone's auto-login).
    pub fn parse(text: &str) -> Result<Self, Error> {
        let ok = !text.is_empty()
            && text.len() <= MAX_TOKEN_LEN
            && text
                .bytes()
                .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\'' && b != b'\\');
        if ok {
            Ok(Token(text.into()))
        } else {
            Err(Error::InvalidToken)
        }
    }

    /// The token itself, for the `access_token` header. Keep it out of logs.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl Drop for Token {
    /// Zeroes the token's bytes, so that freed memory does not keep it.
    fn drop(&mut self) {
        // SAFETY: zero bytes are valid UTF-8, so the `str` stays valid until it is freed.
        super::text::wipe(unsafe { self.0.as_bytes_mut() });
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

/// The web phone's session: enough to auto-login the phone and to call the API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// `_jorel-token`.
    pub token: Token,
    /// `_jorel-ccName`.
    pub contact_center: ContactCenter,
    /// `_jorel-ccLogin`, once the phone has logged in and stored it.
    pub cc_login: Option<String>,
}

impl Session {
    /// Builds a session from the three stored strings, validating each: a missing token
    /// or name means "no session" (`Ok(None)`); a present but invalid one is
    /// [`Error::CorruptSession`] naming the key.
    pub fn from_stored(
        token: Option<&str>,
        contact_center: Option<&str>,
        cc_login: Option<&str>,
    ) -> Result<Option<Session>, Error> {
        let token = match token {
            Some(t) => Some(Token::parse(t).map_err(|_| Error::CorruptSession(TOKEN_KEY))?),
            None => None,
        };
        let contact_center = match contact_center {
            Some(c) => {
                Some(ContactCenter::parse(c).map_err(|_| Error::CorruptSession(CC_NAME_KEY))?)
            }
            None => None,
        };
        let cc_login = match cc_login {
            Some(l) if is_login(l) => Some(l.to_owned()),
            Some(_) => return Err(Error::CorruptSession(CC_LOGIN_KEY)),
            None => None,
        };
        Ok(match (token, contact_center) {
            (Some(token), Some(contact_center)) => Some(Session {
                token,
                contact_center,
                cc_login,
            }),
            _ => None,
        })
    }
}

/// What changed in the web phone's session, as another tab changed it. The token is
/// checked but never included: read it with `read_session` where it is needed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionChange {
    /// A valid session is stored now.
    pub signed_in: bool,
    /// Its contact center.
    pub contact_center: Option<ContactCenter>,
    /// Its agent's login (`_jorel-ccLogin`), once the phone has stored it.
    pub cc_login: Option<String>,
    /// Why the stored session could not be read ([`Error::StorageUnavailable`],
    /// [`Error::CorruptSession`]); then `signed_in` is `false`.
    pub error: Option<Error>,
}

impl SessionChange {
    /// The change from what reading the stored session gave.
    pub fn from_read(read: Result<Option<Session>, Error>) -> SessionChange {
        match read {
            Ok(Some(s)) => SessionChange {
                signed_in: true,
                contact_center: Some(s.contact_center.clone()),
                cc_login: s.cc_login.clone(),
                error: None,
            },
            Ok(None) => SessionChange {
                signed_in: false,
                contact_center: None,
                cc_login: None,
                error: None,
            },
            Err(e) => SessionChange {
                signed_in: false,
                contact_center: None,
                cc_login: None,
                error: Some(e),
            },
        }
    }
}

fn is_login(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= MAX_LOGIN_LEN
        && text.bytes().all(|b| b.is_ascii_graphic() && b != b'"')
}

/// Is `key` one of the phone's session keys (or `None`, which a `storage` event uses
/// for `localStorage.clear()`)?
pub fn is_session_key(key: Option<&str>) -> bool {
    match key {
        None => true,
        Some(k) => k == TOKEN_KEY || k == CC_NAME_KEY || k == CC_LOGIN_KEY,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_refuses_json_encoding_spaces_and_control_characters() {
        assert!(Token::parse("b10c6840-a9e7-11e8-8476-8d2a2f09b159").is_ok());
        assert!(Token::parse("eyJhbGciOi.J9.x_y-z+/=").is_ok());
        for bad in ["", "\"abc\"", "a b", "a\nb", "a\u{0}", "é", "a'b", "a\\b"] {
            assert_eq!(Token::parse(bad), Err(Error::InvalidToken), "{bad:?}");
        }
        assert!(Token::parse(&"a".repeat(4097)).is_err());
    }

    #[test]
    fn stored_session_needs_token_and_name_and_names_the_bad_key() {
        let s = Session::from_stored(Some("tok"), Some("acme"), Some("1001"))
            .unwrap()
            .unwrap();
        assert_eq!(s.token.expose(), "tok");
        assert_eq!(s.contact_center.as_str(), "acme");
        assert_eq!(s.cc_login.as_deref(), Some("1001"));
        assert_eq!(Session::from_stored(None, Some("acme"), None), Ok(None));
        assert_eq!(Session::from_stored(Some("tok"), None, None), Ok(None));
        assert_eq!(
            Session::from_stored(Some("\"tok\""), Some("acme"), None),
            Err(Error::CorruptSession(TOKEN_KEY))
        );
        assert_eq!(
            Session::from_stored(Some("tok"), Some("evil.com/"), None),
            Err(Error::CorruptSession(CC_NAME_KEY))
        );
        assert_eq!(
            Session::from_stored(Some("tok"), Some("acme"), Some("")),
            Err(Error::CorruptSession(CC_LOGIN_KEY))
        );
    }

    #[test]
    fn debug_never_shows_the_token() {
        let s = Session::from_stored(Some("secret-token"), Some("acme"), None)
            .unwrap()
            .unwrap();
        assert!(!format!("{s:?}").contains("secret-token"));
    }

    #[test]
    fn session_keys() {
        assert!(is_session_key(None));
        assert!(is_session_key(Some(TOKEN_KEY)));
        assert!(is_session_key(Some(CC_LOGIN_KEY)));
        assert!(!is_session_key(Some(POSITION_KEY)));
    }
}
