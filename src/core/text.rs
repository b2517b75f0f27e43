//! Small text helpers that keep `core::fmt` out of the shipped wasm.

/// Zeroes `bytes` with writes the compiler may not drop, even when the memory is freed
/// right after (the token's bytes, the npm wasm's buffers).
pub fn wipe(bytes: &mut [u8]) {
    for b in bytes {
        // SAFETY: `b` is a valid, exclusive reference.
        unsafe { std::ptr::write_volatile(b, 0) };
    }
}

/// A whole number written in decimal digits only (no sign, no spaces), at most 19 of
/// them; anything else is `None`.
pub fn parse_decimal(text: &str) -> Option<u64> {
    if text.is_empty() || text.len() > 19 {
        return None;
    }
    text.bytes().try_fold(0u64, |n, b| {
        b.is_ascii_digit().then(|| n * 10 + u64::from(b - b'0'))
    })
}

/// Appends `n` in decimal.
pub fn push_integer(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut len = 0;
    for slot in digits.iter_mut() {
        *slot = b'0' + (n % 10) as u8;
        len += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in digits.iter().take(len).rev() {
        out.push(d as char);
    }
}

/// Appends `text` percent-encoded exactly as JavaScript's `encodeURIComponent` does:
/// everything but `A-Z a-z 0-9 - _ . ! ~ * ' ( )` is written as UTF-8 `%XX` bytes.
pub fn push_uri_component(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        }
    }
}

/// Where `needle` starts in `hay`, if anywhere. (`str::find` with a `&str` pattern
/// pulls `core::fmt` into the wasm; this does not.)
pub fn find(hay: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    hay.as_bytes()
        .windows(needle.len())
        .position(|w| w == needle.as_bytes())
}

/// `text` with every `needle` (non-empty) replaced by `with`.
pub fn replace_all(text: &str, needle: &str, with: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = find(rest, needle).filter(|_| !needle.is_empty()) {
        // `at` and `at + needle.len()` are char boundaries: `needle` is a whole `str`.
        let Some((before, after)) = rest.split_at_checked(at) else {
            break;
        };
        let Some((_, after)) = after.split_at_checked(needle.len()) else {
            break;
        };
        out.push_str(before);
        out.push_str(with);
        rest = after;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_numbers_only() {
        assert_eq!(parse_decimal("0"), Some(0));
        assert_eq!(parse_decimal("1700000000"), Some(1_700_000_000));
        assert_eq!(
            parse_decimal("9999999999999999999"),
            Some(9_999_999_999_999_999_999)
        );
        for bad in [
            "",
            "+5",
            "-1",
            " 5",
            "5 ",
            "1.5",
            "1e3",
            "12345678901234567890",
            "٣",
        ] {
            assert_eq!(parse_decimal(bad), None, "{bad:?}");
        }
        // The phone's error codes: beyond u32 is no code.
        let code = |s: &str| parse_decimal(s).and_then(|n| u32::try_from(n).ok());
        assert_eq!(
            (code("4294967295"), code("4294967296")),
            (Some(u32::MAX), None)
        );
    }

    #[test]
    fn find_and_replace() {
        assert_eq!(find("abcabc", "ca"), Some(2));
        assert_eq!(find("abc", "abcd"), None);
        assert_eq!(replace_all("a tok b tok", "tok", "<x>"), "a <x> b <x>");
        assert_eq!(replace_all("é tok é", "tok", ""), "é  é");
    }

    #[test]
    fn integers() {
        for n in [0u64, 7, 10, 1001, u64::MAX] {
            let mut s = String::new();
            push_integer(&mut s, n);
            assert_eq!(s, n.to_string());
        }
    }

    #[test]
    fn uri_component_matches_encode_uri_component() {
        let mut s = String::new();
        push_uri_component(&mut s, "+971 50/é&x=<y>#'*");
        assert_eq!(s, "%2B971%2050%2F%C3%A9%26x%3D%3Cy%3E%23'*");
    }
}

/// A message from outside (the phone's, the API's) made safe to show: control characters
/// dropped, every occurrence of each of `secrets` (the token, the values passed in;
/// whatever their length, empty ones ignored) replaced by `<redacted>`, then cut to 200
/// characters; a tail of 8 characters or more that starts a secret (an echo cut short)
/// goes too (shorter tails are as likely to be words).
pub fn redact(message: &str, secrets: &[&str]) -> String {
    let mut clean: String = message.chars().filter(|c| !c.is_control()).collect();
    // Redacted before it is cut, so that a cut cannot leave part of a secret behind.
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        if find(&clean, secret).is_some() {
            clean = replace_all(&clean, secret, "<redacted>");
        }
    }
    let mut clean: String = clean.chars().take(200).collect();
    for secret in secrets.iter().filter(|s| s.len() > 8) {
        let starts = |k: usize| secret.get(..k).is_some_and(|head| clean.ends_with(head));
        if let Some(k) = (8..secret.len()).rev().find(|&k| starts(k)) {
            clean.truncate(clean.len() - k);
            clean.push_str("<redacted>");
        }
    }
    clean
}

#[cfg(test)]
mod redact_tests {
    use super::redact;

    #[test]
    fn every_secret_goes_whatever_its_length() {
        assert_eq!(
            redact(
                "unknown token Ab3$xYz for +97150 (Ab3$xYz)",
                &["Ab3$xYz", "+97150"]
            ),
            "unknown token <redacted> for <redacted> (<redacted>)"
        );
        assert_eq!(redact("bad\n\u{7}line", &[""]), "badline");
        let long = "x".repeat(300);
        assert_eq!(redact(&long, &["tok"]).chars().count(), 200);
        assert_eq!(
            redact(
                &format!("{}b10c6840-a9e7", "y".repeat(187)),
                &["b10c6840-a9e7-11e8"]
            ),
            format!("{}<redacted>", "y".repeat(187))
        );
    }
}
