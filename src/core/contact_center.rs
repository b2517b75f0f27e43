//! Contact-center (instance) names. The name becomes part of the loader script's host
//! (`https://<name>.aswat.co/scripts/jorel.js`) and of the API host, so it is validated
//! as a single DNS label before anything is built from it: a crafted name such as
//! `evil.com/x#` could otherwise load a script from another host.

use super::error::{Error, NameProblem};
use core::fmt;

/// Longest DNS label.
pub const MAX_NAME_LEN: usize = 63;

/// A validated contact-center name: a DNS label of `a-z`, `0-9` and `-`, 1 to 63
/// characters, not starting or ending with `-`.
///
/// ```
/// use ziwo_webphone::ContactCenter;
/// let cc = ContactCenter::parse("wayne-enterprise").unwrap();
/// assert_eq!(cc.loader_url(), "https://wayne-enterprise.aswat.co/scripts/jorel.js");
/// assert_eq!(ContactCenter::parse("evil.com/x").unwrap_err().code(), "invalid-contact-center");
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ContactCenter(Box<str>);

impl ContactCenter {
    /// Validates `name`. Upper-case letters are refused rather than folded, so what the
    /// phone stores in `_jorel-ccName` is byte for byte what was given.
    pub fn parse(name: &str) -> Result<Self, Error> {
        check_label(name).map_err(Error::InvalidContactCenter)?;
        Ok(ContactCenter(name.into()))
    }

    /// The name, as given.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `https://<name>.aswat.co/scripts/jorel.js`, the URL ZIWO's own snippet loads.
    pub fn loader_url(&self) -> String {
        let mut url = String::with_capacity(self.0.len() + 40);
        url.push_str("https://");
        url.push_str(&self.0);
        url.push_str(".aswat.co/scripts/jorel.js");
        url
    }

    /// `https://<name>-api.aswat.co`, the REST API's origin.
    pub fn api_origin(&self) -> String {
        let mut url = String::with_capacity(self.0.len() + 24);
        url.push_str("https://");
        url.push_str(&self.0);
        url.push_str("-api.aswat.co");
        url
    }
}

impl fmt::Debug for ContactCenter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ContactCenter").field(&&*self.0).finish()
    }
}

impl fmt::Display for ContactCenter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn check_label(name: &str) -> Result<(), NameProblem> {
    let bytes = name.as_bytes();
    if bytes.is_empty() {
        return Err(NameProblem::Empty);
    }
    if bytes.len() > MAX_NAME_LEN {
        return Err(NameProblem::TooLong);
    }
    if !bytes
        .iter()
        .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(NameProblem::BadCharacter);
    }
    if bytes.first() == Some(&b'-') || bytes.last() == Some(&b'-') {
        return Err(NameProblem::HyphenAtEdge);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(name: &str) -> NameProblem {
        match ContactCenter::parse(name) {
            Err(Error::InvalidContactCenter(p)) => p,
            other => panic!("{name:?} gave {other:?}"),
        }
    }

    #[test]
    fn accepts_dns_labels() {
        for ok in [
            "a",
            "wayne-enterprise",
            "cc1",
            "0",
            "a-b-c",
            &"x".repeat(63),
        ] {
            assert_eq!(ContactCenter::parse(ok).unwrap().as_str(), ok);
        }
    }

    #[test]
    fn refuses_anything_that_could_change_the_host_or_path() {
        assert_eq!(problem(""), NameProblem::Empty);
        assert_eq!(problem(&"x".repeat(64)), NameProblem::TooLong);
        for bad in [
            "evil.com/x",
            "a.b",
            "a/b",
            "a@evil.com",
            "a#",
            "a?x=1",
            "a:80",
            "a b",
            "Wayne",
            "wаyne", // Cyrillic 'а'
            "a\u{0}",
            "a\n",
            "%2e",
            "a_b",
        ] {
            assert_eq!(problem(bad), NameProblem::BadCharacter, "{bad:?}");
        }
        assert_eq!(problem("-a"), NameProblem::HyphenAtEdge);
        assert_eq!(problem("a-"), NameProblem::HyphenAtEdge);
    }

    #[test]
    fn builds_the_documented_urls() {
        let cc = ContactCenter::parse("wayne-enterprise").unwrap();
        assert_eq!(
            cc.loader_url(),
            "https://wayne-enterprise.aswat.co/scripts/jorel.js"
        );
        assert_eq!(cc.api_origin(), "https://wayne-enterprise-api.aswat.co");
    }
}
