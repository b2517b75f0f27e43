//! Checks of option values that are neither names, numbers, tokens nor URLs: a CSP
//! nonce for the loader script, and the extra call states a phone listens to.

use super::Error;

/// A CSP nonce is a base64 value: `A-Z a-z 0-9 + / = - _`, 1 to 256 characters.
pub fn check_nonce(nonce: &str) -> Result<(), Error> {
    let ok = !nonce.is_empty()
        && nonce.len() <= 256
        && nonce
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+/=-_".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidOption(
            "nonce must be 1-256 base64 characters",
        ))
    }
}

/// An extra call state to listen to (a newer phone's): 1 to 64 characters of `a-z`,
/// `0-9` and `-`, so that `_jorel-dialog-state-<name>` is an event name of the phone.
pub fn check_extra_state(name: &str) -> Result<(), Error> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidOption(
            "extra state names are 1-64 characters of a-z, 0-9 and '-'",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_are_base64() {
        assert_eq!(check_nonce("r4nd0m+/=-_"), Ok(()));
        assert_eq!(check_nonce(&"a".repeat(256)), Ok(()));
        for bad in ["", "a b", "a\"b", "<x>", &"a".repeat(257)] {
            assert!(check_nonce(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn extra_states_are_event_name_suffixes() {
        assert_eq!(check_extra_state("transferring"), Ok(()));
        assert_eq!(check_extra_state("state-2"), Ok(()));
        for bad in ["", "Bad", "a b", "a_b", "é", &"a".repeat(65)] {
            assert!(check_extra_state(bad).is_err(), "{bad:?}");
        }
    }
}

/// The longest wait the library accepts, for dialling and for API requests (10 minutes).
pub const MAX_TIMEOUT_MS: u32 = 600_000;

/// Checks a timeout given in ms: a number from `min` (0 for dialling, 1 for API
/// requests) to [`MAX_TIMEOUT_MS`]; fractions are cut. The same rule for Rust and JS callers.
pub fn check_timeout_ms(ms: f64, min: u32) -> Result<u32, Error> {
    if ms.is_finite() && ms >= f64::from(min) && ms <= f64::from(MAX_TIMEOUT_MS) {
        Ok(ms as u32)
    } else if min == 0 {
        Err(Error::InvalidOption(
            "timeoutMs must be a number of ms between 0 and 600000",
        ))
    } else {
        Err(Error::InvalidOption(
            "timeoutMs must be a number of ms between 1 and 600000",
        ))
    }
}

#[cfg(test)]
mod timeout_tests {
    use super::*;

    #[test]
    fn timeouts_are_checked_alike() {
        assert_eq!(check_timeout_ms(0.0, 0), Ok(0));
        assert_eq!(check_timeout_ms(50.7, 0), Ok(50));
        assert_eq!(check_timeout_ms(600_000.0, 1), Ok(600_000));
        for bad in [-1.0, 600_001.0, f64::NAN, f64::INFINITY] {
            assert!(check_timeout_ms(bad, 0).is_err(), "{bad}");
        }
        assert!(check_timeout_ms(0.0, 1).is_err());
        assert!(check_timeout_ms(0.5, 1).is_err());
    }
}
