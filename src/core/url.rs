//! URLs that the library hands to the browser (the loader script, pop-ups, the API's
//! origin) must be `http:` or `https:`: never `javascript:`, `data:` or `blob:`.

use super::error::Error;

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
}
