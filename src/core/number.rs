//! Phone numbers for click-to-call. ZIWO's SDK accepts `^\+?\d+$`; people paste numbers
//! such as `+971 (50) 123-4567` or `050.123.4567`, so common separators are removed first
//! and anything else is refused.

use super::error::{Error, NumberProblem};
use core::fmt;

/// Most digits accepted (E.164 allows 15; international prefixes such as `00` add a few).
pub const MAX_DIGITS: usize = 20;
/// Longest input looked at, separators included.
const MAX_INPUT: usize = 64;

/// A normalised phone number: an optional leading `+` followed by 1 to 20 ASCII digits.
///
/// ```
/// use ziwo_webphone::PhoneNumber;
/// assert_eq!(PhoneNumber::parse("+971 (50) 123-4567").unwrap().as_str(), "+971501234567");
/// assert_eq!(PhoneNumber::parse("call me").unwrap_err().code(), "invalid-number");
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PhoneNumber(Box<str>);

impl PhoneNumber {
    /// Removes spaces (including no-break spaces), `-`, `.`, `(` and `)`, then checks
    /// that what is left is `+` (optional, first) and digits.
    pub fn parse(input: &str) -> Result<Self, Error> {
        normalise(input)
            .map(|s| PhoneNumber(s.into()))
            .map_err(Error::InvalidNumber)
    }

    /// The normalised number, as handed to the phone.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PhoneNumber").field(&&*self.0).finish()
    }
}

impl fmt::Display for PhoneNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The number of a click-to-dial link: the `href` of a `tel:` or `callto:` link
/// (`tel:+971-50-123-4567`, `callto://+15550100`, `tel:%2B1%20555%200100;ext=2`), with
/// its parameters (after `;`, `?` or `#`) dropped and percent-escapes decoded. `None` for
/// any other link (it keeps its default).
///
/// ```
/// use ziwo_webphone::core::number_from_link;
/// let n = number_from_link("TEL:%2B971%2050-123-4567;ext=12").unwrap().unwrap();
/// assert_eq!(n.as_str(), "+971501234567");
/// assert!(number_from_link("callto:nobody").unwrap().is_err());
/// assert!(number_from_link("https://crm.example/tel:1").is_none());
/// ```
pub fn number_from_link(href: &str) -> Option<Result<PhoneNumber, Error>> {
    let href = href.trim();
    let (scheme, rest) = href.split_once(':')?;
    if !scheme.eq_ignore_ascii_case("tel") && !scheme.eq_ignore_ascii_case("callto") {
        return None;
    }
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let number = rest.split([';', '?', '#']).next().unwrap_or_default();
    Some(match percent_decode(number) {
        Some(text) => PhoneNumber::parse(&text),
        None => Err(Error::InvalidNumber(NumberProblem::BadCharacter)),
    })
}

/// `%XX` escapes decoded; `None` when one is malformed or the result is not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn is_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '-' | '.' | '(' | ')' | '\u{00A0}' | '\u{202F}' | '\u{2009}'
    )
}

fn normalise(input: &str) -> Result<String, NumberProblem> {
    if input.len() > MAX_INPUT {
        return Err(NumberProblem::TooLong);
    }
    let mut out = String::with_capacity(input.len());
    for c in input.chars() {
        if c.is_ascii_digit() {
            if out.len() > MAX_DIGITS {
                return Err(NumberProblem::TooLong);
            }
            out.push(c);
        } else if c == '+' {
            if !out.is_empty() {
                return Err(NumberProblem::MisplacedPlus);
            }
            out.push(c);
        } else if !is_separator(c) {
            return Err(NumberProblem::BadCharacter);
        }
    }
    let digits = out.len() - usize::from(out.starts_with('+'));
    if digits == 0 {
        return Err(NumberProblem::Empty);
    }
    if digits > MAX_DIGITS {
        return Err(NumberProblem::TooLong);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_of_links() {
        let ok = |href: &str| number_from_link(href).unwrap().unwrap().as_str().to_owned();
        assert_eq!(ok("tel:+15550100"), "+15550100");
        assert_eq!(ok(" Tel:+1 (555) 0100 "), "+15550100");
        assert_eq!(ok("callto://+44%2020%207946%200000"), "+442079460000");
        assert_eq!(ok("tel:%2B15550100;phone-context=example.com"), "+15550100");
        assert_eq!(ok("tel:0501234567?x=1#y"), "0501234567");
        for bad in [
            "tel:",
            "tel:%",
            "tel:%zz12",
            "tel:%C3",
            "callto:skype.user",
            "tel:+1%2B2",
        ] {
            assert!(number_from_link(bad).unwrap().is_err(), "{bad}");
        }
        for other in [
            "",
            "https://x/tel:1",
            "mailto:a@b",
            "/relative",
            "telephone:1",
            "tel",
        ] {
            assert!(number_from_link(other).is_none(), "{other}");
        }
    }

    fn problem(input: &str) -> NumberProblem {
        match PhoneNumber::parse(input) {
            Err(Error::InvalidNumber(p)) => p,
            other => panic!("{input:?} gave {other:?}"),
        }
    }

    #[test]
    fn removes_common_separators() {
        for (input, want) in [
            ("+971 50 123 4567", "+971501234567"),
            ("+1 (555) 010-0199", "+15550100199"),
            ("050.123.4567", "0501234567"),
            ("1001", "1001"),
            ("+44\u{00A0}20\u{202F}7946\u{2009}0958", "+442079460958"),
            ("  +33 1 ", "+331"),
        ] {
            assert_eq!(PhoneNumber::parse(input).unwrap().as_str(), want);
        }
    }

    #[test]
    fn refuses_everything_else() {
        assert_eq!(problem(""), NumberProblem::Empty);
        assert_eq!(problem("+"), NumberProblem::Empty);
        assert_eq!(problem(" - "), NumberProblem::Empty);
        assert_eq!(problem("1+2"), NumberProblem::MisplacedPlus);
        assert_eq!(problem("++1"), NumberProblem::MisplacedPlus);
        for bad in [
            "12a4",
            "tel:123",
            "123;ext=4",
            "1\n2",
            "1\u{0}",
            "١٢٣",
            "*123#",
            "1,2",
            "1/2",
        ] {
            assert_eq!(problem(bad), NumberProblem::BadCharacter, "{bad:?}");
        }
        assert_eq!(problem(&"1".repeat(21)), NumberProblem::TooLong);
        assert_eq!(problem(&" ".repeat(65)), NumberProblem::TooLong);
        assert!(PhoneNumber::parse(&format!("+{}", "1".repeat(20))).is_ok());
    }
}
