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
