//! When to open the customer's CRM page (seed, "CRM profile Pop-up"): once per call,
//! at `ringing` for inbound calls and at `early` for outbound calls, never for a call
//! that came back as `recovering` after a reload.

use super::recent::RecentIds;
use super::state::{CallState, Direction};
use super::text::push_uri_component;
use super::tracker::CallEvent;
use super::url::is_dot_segment;
use super::Error;

/// How many call ids the gate remembers having opened a pop-up for.
const REMEMBERED: usize = 64;

/// The state at which each direction's pop-up opens; `None` never opens one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PopupRule {
    /// Default `ringing`.
    pub inbound: Option<CallState>,
    /// Default `early`.
    pub outbound: Option<CallState>,
    /// Default `None`.
    pub internal: Option<CallState>,
    /// Default `None`.
    pub service: Option<CallState>,
}

impl Default for PopupRule {
    fn default() -> Self {
        PopupRule {
            inbound: Some(CallState::Ringing),
            outbound: Some(CallState::Early),
            internal: None,
            service: None,
        }
    }
}

impl PopupRule {
    /// Every trigger is a call state: `mute` and `unmute` are not (they never open a
    /// pop-up), and are [`Error::InvalidOption`].
    pub fn check(&self) -> Result<(), Error> {
        let triggers = [&self.inbound, &self.outbound, &self.internal, &self.service];
        if triggers
            .iter()
            .any(|t| matches!(t, Some(CallState::Mute | CallState::Unmute)))
        {
            return Err(Error::InvalidOption(
                "pop-up states must be call states; mute and unmute are not",
            ));
        }
        Ok(())
    }

    /// The trigger state for a direction.
    pub fn trigger(&self, direction: Direction) -> Option<&CallState> {
        match direction {
            Direction::Inbound => self.inbound.as_ref(),
            Direction::Outbound => self.outbound.as_ref(),
            Direction::Internal => self.internal.as_ref(),
            Direction::Service => self.service.as_ref(),
            Direction::Unknown => None,
        }
    }
}

/// Decides, transition by transition, whether to open a pop-up.
#[derive(Clone, Debug, Default)]
pub struct PopupGate {
    rule: PopupRule,
    opened: RecentIds<REMEMBERED>,
}

impl PopupGate {
    /// A gate applying `rule`.
    pub fn new(rule: PopupRule) -> PopupGate {
        PopupGate {
            rule,
            opened: RecentIds::default(),
        }
    }

    /// `true` exactly once per call: when it reaches its direction's trigger state, or
    /// when it starts talking without having passed through it (an outbound call answered
    /// without `early`). Never for a recovered call.
    pub fn decide(&mut self, t: &CallEvent) -> bool {
        let call = &t.call;
        if *t.state() == CallState::Destroy {
            self.opened.forget(&call.call_id);
            return false;
        }
        if call.recovered || self.opened.contains(&call.call_id) {
            return false;
        }
        let Some(trigger) = self.rule.trigger(call.direction) else {
            return false;
        };
        let state = t.state();
        let skipped_trigger =
            state.is_talking() && !call.history.iter().any(|e| e.state == *trigger);
        if state != trigger && !skipped_trigger {
            return false;
        }
        self.opened.remember(call.call_id.clone());
        true
    }
}

/// The `window.open` features to use for the page's `features`, and whether a `null`
/// answer still means "blocked". `noopener` is dropped: the library cuts the opener
/// itself once the window is open, and with `noopener` the browser answers `null` even
/// for a window it opened. With `noreferrer` (which implies `noopener` and keeps the
/// Referer from the CRM's page) the answer is `null` too, so a blocked pop-up cannot be
/// told from an opened one.
///
/// ```
/// use ziwo_webphone::core::popup_features;
/// assert_eq!(popup_features("popup, noopener,width=800"), ("popup,width=800".to_owned(), true));
/// assert_eq!(popup_features("noreferrer"), ("noreferrer".to_owned(), false));
/// ```
pub fn popup_features(features: &str) -> (String, bool) {
    let mut kept = String::with_capacity(features.len());
    let mut detectable = true;
    for token in features.split(',').map(str::trim).filter(|t| !t.is_empty()) {
        let name = token.split('=').next().unwrap_or_default().trim();
        if name.eq_ignore_ascii_case("noopener") {
            continue;
        }
        if name.eq_ignore_ascii_case("noreferrer") {
            detectable = false;
        }
        if !kept.is_empty() {
            kept.push(',');
        }
        kept.push_str(token);
    }
    (kept, detectable)
}

/// Fills a URL template: `{number}` becomes the customer's number and `{callId}` the
/// call id, each encoded as by `encodeURIComponent`, so neither can add a path, a
/// query parameter or a fragment. A value that is a dot segment (`.`, `..`, plain or
/// percent-encoded: [`is_dot_segment`](crate::core::is_dot_segment)) would still move a
/// path, so it is refused with [`Error::PopupFailed`].
///
/// ```
/// use ziwo_webphone::core::expand_template;
/// assert_eq!(
///     expand_template("https://crm.example/find?phone={number}", "+971 50&x=1", "c1").unwrap(),
///     "https://crm.example/find?phone=%2B971%2050%26x%3D1"
/// );
/// assert!(expand_template("https://crm.example/customers/{number}", "..", "c1").is_err());
/// ```
pub fn expand_template(template: &str, number: &str, call_id: &str) -> Result<String, Error> {
    let mut out = String::with_capacity(template.len() + number.len() * 3);
    let mut rest = template;
    while let Some((before, after)) = rest.split_once('{') {
        out.push_str(before);
        let value = if let Some(after) = after.strip_prefix("number}") {
            rest = after;
            Some(number)
        } else if let Some(after) = after.strip_prefix("callId}") {
            rest = after;
            Some(call_id)
        } else {
            None
        };
        if let Some(value) = value {
            if is_dot_segment(value) {
                return Err(Error::PopupFailed);
            }
            push_uri_component(&mut out, value);
        } else {
            out.push('{');
            rest = after;
        }
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::event::CallSignal;
    use crate::core::tracker::{Tracker, Update};

    fn feed(direction: Direction, states: &[&str]) -> Vec<bool> {
        let mut tracker = Tracker::new();
        let mut gate = PopupGate::default();
        states
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                match tracker.apply(CallSignal {
                    call_id: "c".into(),
                    primary_call_id: None,
                    customer_number: Some("+1555".into()),
                    direction,
                    state: CallState::from_name(s),
                    at: i as f64,
                }) {
                    Some(Update::State(t)) => Some(t),
                    _ => None,
                }
            })
            .map(|t| gate.decide(&t))
            .collect()
    }

    #[test]
    fn mute_is_no_trigger() {
        assert_eq!(PopupRule::default().check(), Ok(()));
        let rule = PopupRule {
            service: Some(CallState::Unmute),
            ..PopupRule::default()
        };
        assert_eq!(rule.check().map_err(|e| e.code()), Err("invalid-option"));
    }

    #[test]
    fn inbound_opens_at_ringing_once() {
        let got = feed(
            Direction::Inbound,
            &[
                "ringing",
                "ringing",
                "answering",
                "active",
                "held",
                "active",
                "hangup",
                "destroy",
            ],
        );
        assert_eq!(got, [true, false, false, false, false, false, false]);
    }

    #[test]
    fn outbound_opens_at_early_or_when_answered_without_it() {
        assert_eq!(
            feed(
                Direction::Outbound,
                &["requesting", "trying", "early", "active"]
            ),
            [false, false, true, false]
        );
        assert_eq!(
            feed(
                Direction::Outbound,
                &["requesting", "trying", "active", "held", "active"]
            ),
            [false, false, true, false, false]
        );
    }

    #[test]
    fn recovered_and_internal_calls_never_open() {
        assert_eq!(
            feed(Direction::Inbound, &["recovering", "active", "hangup"]),
            [false, false, false]
        );
        assert_eq!(
            feed(Direction::Internal, &["ringing", "active"]),
            [false, false]
        );
    }

    #[test]
    fn templates_encode_everything_that_could_inject() {
        assert_eq!(
            expand_template(
                "https://crm/c/{number}?id={callId}&n={number}",
                "1/../x",
                "a#b"
            )
            .unwrap(),
            "https://crm/c/1%2F..%2Fx?id=a%23b&n=1%2F..%2Fx"
        );
        assert_eq!(expand_template("x{y}{", "1", "c").unwrap(), "x{y}{");
        assert_eq!(
            expand_template("{number}", "javascript:alert(1)", "c").unwrap(),
            "javascript%3Aalert(1)"
        );
        for dots in [".", "..", "%2e%2E", ".%2e"] {
            assert_eq!(
                expand_template("https://crm/customers/{number}", dots, "c"),
                Err(Error::PopupFailed)
            );
            assert_eq!(
                expand_template("https://crm/calls/{callId}", "+1", dots),
                Err(Error::PopupFailed)
            );
        }
        // A value that only contains dots among other characters is encoded, as before.
        assert_eq!(
            expand_template("https://crm/c/{number}", "...", "c").unwrap(),
            "https://crm/c/..."
        );
    }
}
