//! URLs that the library hands to the browser (the loader script, pop-ups, the API's
//! origin) must be `http:` or `https:`: never `javascript:`, `data:` or `blob:`.

use super::error::Error;
use super::text::find;

/// Accepts `href`, a URL already resolved and serialised by the browser's URL parser
/// (`new URL(url, base).href`: the scheme lowercased, no leading spaces), when its scheme
/// is `http` or `https`; [`Error::InvalidUrl`] otherwise (an empty `href` stands for a
/// URL that did not parse).
pub fn check_http_url(href: &str) -> Result<(), Error> {
    let scheme = href.bytes().position(|b| b == b':').unwrap_or(0);
    match href.as_bytes().get(..scheme) {
        Some(b"http") | Some(b"https") => Ok(()),
        _ => Err(Error::InvalidUrl),
    }
}

/// The origin (`scheme://host[:port]`) of an `http:` or `https:` `href` serialised by the
/// browser's URL parser (which lowercases the host and drops a default port, so the origin
/// is the href's beginning). A URL with a user name or password is refused: credentials
/// travel only in headers.
pub fn http_origin(href: &str) -> Result<&str, Error> {
    check_http_url(href)?;
    let start = find(href, "://").ok_or(Error::InvalidUrl)? + 3;
    let rest = href.as_bytes().get(start..).unwrap_or_default();
    let end = start
        + rest
            .iter()
            .position(|&b| b == b'/' || b == b'?' || b == b'#')
            .unwrap_or(rest.len());
    let authority = href.as_bytes().get(start..end).unwrap_or_default();
    if authority.is_empty() || authority.contains(&b'@') {
        return Err(Error::InvalidUrl);
    }
    href.get(..end).ok_or(Error::InvalidUrl)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_and_https_pass() {
        for ok in ["http://x.test/", "https://acme.aswat.co/scripts/jorel.js"] {
            assert_eq!(check_http_url(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "javascript:alert(1)",
            "data:text/html,x",
            "blob:https://x.test/1",
            "httpx://x.test/",
            "ftp://x.test/",
            "//x.test/",
            "https",
        ] {
            assert_eq!(check_http_url(bad), Err(Error::InvalidUrl), "{bad}");
        }
    }

    #[test]
    fn origins_are_the_scheme_and_authority_without_credentials() {
        for (href, origin) in [
            ("http://127.0.0.1:47882/", "http://127.0.0.1:47882"),
            (
                "https://acme-api.aswat.co/callHistory/?x=1",
                "https://acme-api.aswat.co",
            ),
            ("https://acme-api.aswat.co", "https://acme-api.aswat.co"),
            ("http://[::1]:8080/a", "http://[::1]:8080"),
            ("https://h.test?q", "https://h.test"),
        ] {
            assert_eq!(http_origin(href), Ok(origin), "{href}");
        }
        for bad in [
            "http://user:pw@h.test/",
            "http://user@h.test/",
            "javascript://h.test/",
            "http:///path",
            "",
        ] {
            assert_eq!(http_origin(bad), Err(Error::InvalidUrl), "{bad}");
        }
    }
}

/// Whether `segment` is a dot segment of a URL path: `.` or `..`, plain or with its dots
/// percent-encoded (`%2e`, `%2E`), which browsers resolve as `.` and `..` too (WHATWG URL
/// Standard, "single-dot" and "double-dot" segments). A path parameter or a pop-up
/// template's value that is one would move the URL out of its place.
///
/// ```
/// use ziwo_webphone::core::is_dot_segment;
/// assert!(is_dot_segment("..") && is_dot_segment(".%2E") && is_dot_segment("%2e"));
/// assert!(!is_dot_segment("...") && !is_dot_segment("a.") && !is_dot_segment(""));
/// ```
pub fn is_dot_segment(segment: &str) -> bool {
    // Count the dots, each `.` or `%2e`/`%2E`; anything else is no dot segment.
    let mut dots = 0;
    let mut rest = segment.as_bytes();
    while !rest.is_empty() {
        match rest {
            [b'.', tail @ ..] => rest = tail,
            [b'%', b'2', b'e' | b'E', tail @ ..] => rest = tail,
            _ => return false,
        }
        dots += 1;
    }
    dots == 1 || dots == 2
}

#[cfg(test)]
mod dot_tests {
    use super::is_dot_segment;

    #[test]
    fn dot_segments_plain_and_encoded() {
        for yes in [".", "..", "%2e", "%2E", ".%2e", "%2E.", "%2e%2E"] {
            assert!(is_dot_segment(yes), "{yes}");
        }
        for no in [
            "",
            "...",
            "a",
            ".a",
            "a..",
            "%2e%2e%2e",
            "%2",
            "%2f",
            "%252e",
            "..%2f",
        ] {
            assert!(!is_dot_segment(no), "{no}");
        }
    }
}
