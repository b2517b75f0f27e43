//! Which calls already had their CRM pop-up, shared by every tab of the CRM through
//! `localStorage`, so that one call opens one pop-up whichever tabs see its events.
//!
//! The record is plain text, one `<callId>\t<unix seconds>` line per claim, newest last,
//! bounded in count and age. Anything unreadable in it is skipped, never trusted.

use super::text::{parse_decimal, push_integer};

/// The `localStorage` key of the claims (the library's own, not the phone's).
pub const CLAIMS_KEY: &str = "_ziwo-webphone-popups";
/// Most claims kept.
pub const MAX_CLAIMS: usize = 64;
/// Claims older than this are forgotten (a day).
pub const CLAIM_TTL_SECS: u64 = 24 * 60 * 60;

/// The calls whose pop-up some tab opened.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PopupClaims {
    entries: Vec<(Box<str>, u64)>,
}

impl PopupClaims {
    /// Reads the stored record; malformed lines are dropped.
    pub fn parse(text: &str) -> PopupClaims {
        let entries = text
            .lines()
            .filter_map(|line| {
                let (id, secs) = line.split_once('\t')?;
                let valid_id =
                    !id.is_empty() && id.len() <= 256 && !id.chars().any(char::is_control);
                let secs = parse_decimal(secs)?;
                valid_id.then(|| (Box::from(id), secs))
            })
            .take(MAX_CLAIMS * 2)
            .collect();
        PopupClaims { entries }
    }

    /// Whether a tab claimed `call_id`.
    pub fn contains(&self, call_id: &str) -> bool {
        self.entries.iter().any(|(id, _)| &**id == call_id)
    }

    /// Claims `call_id` at `now` (unix seconds): `false` if it was claimed already.
    /// Also forgets claims older than a day and the oldest beyond [`MAX_CLAIMS`].
    pub fn claim(&mut self, call_id: &str, now: u64) -> bool {
        // A day either way: tabs' clocks may disagree (one ahead, one a day behind), and a
        // claim must not be dropped for it.
        self.entries.retain(|(_, at)| {
            now.saturating_sub(*at) <= CLAIM_TTL_SECS && at.saturating_sub(now) <= CLAIM_TTL_SECS
        });
        if self.contains(call_id) {
            return false;
        }
        self.entries.push((call_id.into(), now));
        if self.entries.len() > MAX_CLAIMS {
            let extra = self.entries.len() - MAX_CLAIMS;
            self.entries.drain(..extra);
        }
        true
    }

    /// The record to store.
    pub fn serialize(&self) -> String {
        let mut out = String::new();
        for (id, at) in &self.entries {
            out.push_str(id);
            out.push('\t');
            push_integer(&mut out, *at);
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_call_is_claimed_once_across_round_trips() {
        let mut claims = PopupClaims::default();
        assert!(claims.claim("c-1", 1000));
        let mut other_tab = PopupClaims::parse(&claims.serialize());
        assert!(!other_tab.claim("c-1", 1001));
        assert!(other_tab.claim("c-2", 1001));
        assert_eq!(other_tab.serialize(), "c-1\t1000\nc-2\t1001\n");
    }

    #[test]
    fn old_and_excess_claims_are_forgotten() {
        let mut claims = PopupClaims::default();
        assert!(claims.claim("old", 0));
        assert!(claims.claim("new", CLAIM_TTL_SECS + 10));
        assert!(!claims.contains("old"));
        for i in 0..200 {
            claims.claim(&format!("c{i}"), CLAIM_TTL_SECS + 20);
        }
        assert_eq!(claims.entries.len(), MAX_CLAIMS);
        assert!(claims.contains("c199") && !claims.contains("c0"));
    }

    #[test]
    fn claims_survive_tabs_whose_clocks_disagree_by_up_to_a_day() {
        let mut ahead = PopupClaims::default();
        assert!(ahead.claim("c-1", 1_000_000 + 120));
        // A tab two minutes behind, and one a day behind, still see the claim.
        for behind in [1_000_000, 1_000_000 + 120 - CLAIM_TTL_SECS] {
            let mut other = PopupClaims::parse(&ahead.serialize());
            assert!(!other.claim("c-1", behind), "{behind}");
        }
    }

    #[test]
    fn garbage_is_skipped() {
        let claims = PopupClaims::parse(
            "x\n\tl\na\t-1\nb\t99999999999999999999\nok\t5\nc\u{7}\t1\n{\"json\":1}",
        );
        assert_eq!(claims.serialize(), "ok\t5\n");
    }
}
