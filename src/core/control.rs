//! Acting on a call (contract §4b): which of the phone's methods each action calls, on
//! the verto dialog (`detail.dialog`) or on ZIWO's SDK `Call` (`detail.currentCall`),
//! and the checks made before anything is sent. The phone checks nothing itself (a
//! second `answer` sends a second answer), so these checks are the only guard.

use super::state::CallState;
use super::tracker::CallSnapshot;
use super::Error;

/// Most DTMF digits sent in one go.
pub const MAX_DTMF_DIGITS: usize = 32;

/// Something the page asks the phone to do with a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Action {
    /// Answer a ringing call.
    Answer,
    /// Hang up (or reject) a call.
    Hangup,
    /// Put an active call on hold.
    Hold,
    /// Take a held call off hold.
    Unhold,
    /// Mute the agent's microphone on the call.
    Mute,
    /// Unmute it.
    Unmute,
    /// Send DTMF digits.
    Dtmf,
    /// Blind-transfer the call to a number.
    Transfer,
}

/// Which object of the phone the call is driven through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Shape {
    /// The verto dialog of the older web phone (`detail.dialog`).
    Dialog,
    /// ZIWO's SDK `Call` (`detail.currentCall`).
    Call,
}

impl Action {
    /// The action's name, as the JS methods are named.
    pub fn name(self) -> &'static str {
        match self {
            Action::Answer => "answer",
            Action::Hangup => "hangup",
            Action::Hold => "hold",
            Action::Unhold => "unhold",
            Action::Mute => "mute",
            Action::Unmute => "unmute",
            Action::Dtmf => "dtmf",
            Action::Transfer => "transfer",
        }
    }

    /// The method of the phone's object that performs the action. The dialog mutes with
    /// `setMute('off')` and unmutes with `setMute('on')` (see [`Action::mute_argument`]), sends all the digits in
    /// one `dtmf(digits)` and transfers with `transfer(number)`; the SDK's `Call` has
    /// `mute()`/`unmute()`, takes one digit per `dtmf(char)` and `blindTransfer(number)`.
    pub fn method(self, shape: Shape) -> &'static str {
        match (self, shape) {
            (Action::Mute | Action::Unmute, Shape::Dialog) => "setMute",
            (Action::Transfer, Shape::Dialog) => "transfer",
            (Action::Transfer, Shape::Call) => "blindTransfer",
            (other, _) => other.name(),
        }
    }

    /// The dialog's `setMute` argument. In verto.js it names the microphone, not the
    /// mute: `setMute("off")` disables the audio tracks (mutes), `setMute("on")` enables
    /// them (unmutes).
    pub fn mute_argument(self) -> Option<&'static str> {
        match self {
            Action::Mute => Some("off"),
            Action::Unmute => Some("on"),
            _ => None,
        }
    }

    /// Whether the action may be asked of `call` now. `pending` is the action asked of
    /// it before whose effect has not arrived yet (the phone's server confirms `answer`,
    /// `hold` and `unhold` later): asking it again would send it twice.
    ///
    /// ```
    /// use ziwo_webphone::core::{Action, Error};
    /// # use ziwo_webphone::core::{CallState, CallSignal, Direction, Tracker};
    /// # let mut tracker = Tracker::new();
    /// # tracker.apply(CallSignal { call_id: "c".into(), primary_call_id: None,
    /// #     customer_number: None, direction: Direction::Inbound,
    /// #     state: CallState::Ringing, at: 0.0 });
    /// let call = tracker.call("c").unwrap(); // ringing
    /// assert_eq!(Action::Answer.check(call, None), Ok(()));
    /// assert_eq!(Action::Answer.check(call, Some(Action::Answer)).map_err(|e| e.code()), Err("invalid-state"));
    /// assert_eq!(Action::Hold.check(call, None).map_err(|e| e.code()), Err("invalid-state"));
    /// ```
    pub fn check(self, call: &CallSnapshot, pending: Option<Action>) -> Result<(), Error> {
        let state = call.state();
        if call.ended() || pending == Some(Action::Hangup) {
            return Err(Error::NoSuchCall);
        }
        if pending == Some(self) && self != Action::Dtmf {
            return Err(Error::InvalidState(match self {
                Action::Answer => "the call is already being answered",
                Action::Hold => "the call is already being put on hold",
                Action::Unhold => "the call is already being taken off hold",
                Action::Transfer => "the call is already being transferred",
                _ => "the call is already doing this",
            }));
        }
        let talking_or_held = matches!(state, CallState::Active | CallState::Held);
        let (ok, why) = match self {
            Action::Answer => (
                *state == CallState::Ringing,
                "only a ringing call can be answered",
            ),
            Action::Hangup => (true, ""),
            Action::Hold => (
                *state == CallState::Active,
                "only an active call can be put on hold",
            ),
            Action::Unhold => (
                *state == CallState::Held,
                "only a held call can be taken off hold",
            ),
            // Not checked against `muted`: only ZIWO's SDK reports mute changes with events;
            // the verto dialog switches the microphone silently, so the library's `muted`
            // may lag behind, and muting twice is harmless.
            Action::Mute => (talking_or_held, "only an active or held call can be muted"),
            Action::Unmute => (
                talking_or_held,
                "only an active or held call can be unmuted",
            ),
            Action::Dtmf => (*state == CallState::Active, "DTMF needs an active call"),
            Action::Transfer => (
                talking_or_held,
                "only an active or held call can be transferred",
            ),
        };
        if ok {
            Ok(())
        } else {
            Err(Error::InvalidState(why))
        }
    }
}

/// Checks DTMF digits: 1 to [`MAX_DTMF_DIGITS`] of `0-9 * # A-D` (`a-d` are taken as
/// `A-D`). Returns them as the phone should receive them.
///
/// ```
/// use ziwo_webphone::core::check_digits;
/// assert_eq!(check_digits("12#*ab").as_deref(), Ok("12#*AB"));
/// assert!(check_digits("").is_err() && check_digits("1 2").is_err() && check_digits("E").is_err());
/// ```
pub fn check_digits(digits: &str) -> Result<String, Error> {
    let ok = !digits.is_empty()
        && digits.len() <= MAX_DTMF_DIGITS
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'*' | b'#' | b'A'..=b'D' | b'a'..=b'd'));
    if ok {
        Ok(digits.to_ascii_uppercase())
    } else {
        Err(Error::InvalidDigits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::{CallSignal, Direction, Tracker, Update};

    fn call_in(states: &[&str]) -> CallSnapshot {
        let mut t = Tracker::new();
        let mut last = None;
        for (i, s) in states.iter().enumerate() {
            let update = t.apply(CallSignal {
                call_id: "c".into(),
                primary_call_id: None,
                customer_number: None,
                direction: Direction::Inbound,
                state: CallState::from_name(s),
                at: i as f64,
            });
            last = match update {
                Some(Update::State(e)) => Some(e.call),
                Some(Update::Mute(m)) => Some(m.call),
                None => last,
            };
        }
        last.expect("a call")
    }

    fn code(r: Result<(), Error>) -> &'static str {
        r.map_or_else(|e| e.code(), |()| "ok")
    }

    #[test]
    fn each_action_in_each_state() {
        use Action::*;
        let all = [Answer, Hangup, Hold, Unhold, Mute, Unmute, Dtmf, Transfer];
        let table: [(&[&str], [&str; 8]); 6] = [
            (
                &["ringing"],
                [
                    "ok",
                    "ok",
                    "invalid-state",
                    "invalid-state",
                    "invalid-state",
                    "invalid-state",
                    "invalid-state",
                    "invalid-state",
                ],
            ),
            (
                &["requesting", "early"],
                [
                    "invalid-state",
                    "ok",
                    "invalid-state",
                    "invalid-state",
                    "invalid-state",
                    "invalid-state",
                    "invalid-state",
                    "invalid-state",
                ],
            ),
            (
                &["ringing", "active"],
                [
                    "invalid-state",
                    "ok",
                    "ok",
                    "invalid-state",
                    "ok",
                    "ok",
                    "ok",
                    "ok",
                ],
            ),
            (
                &["ringing", "active", "held"],
                [
                    "invalid-state",
                    "ok",
                    "invalid-state",
                    "ok",
                    "ok",
                    "ok",
                    "invalid-state",
                    "ok",
                ],
            ),
            (
                &["ringing", "active", "mute"],
                [
                    "invalid-state",
                    "ok",
                    "ok",
                    "invalid-state",
                    "ok",
                    "ok",
                    "ok",
                    "ok",
                ],
            ),
            (&["ringing", "active", "hangup"], ["no-such-call"; 8]),
        ];
        for (states, want) in table {
            let call = call_in(states);
            for (action, want) in all.iter().zip(want) {
                assert_eq!(
                    code(action.check(&call, None)),
                    want,
                    "{action:?} after {states:?}"
                );
            }
        }
    }

    #[test]
    fn a_pending_action_is_not_sent_twice() {
        let ringing = call_in(&["ringing"]);
        assert_eq!(
            code(Action::Answer.check(&ringing, Some(Action::Answer))),
            "invalid-state"
        );
        assert_eq!(
            code(Action::Hangup.check(&ringing, Some(Action::Answer))),
            "ok"
        );
        let active = call_in(&["ringing", "active"]);
        assert_eq!(
            code(Action::Hold.check(&active, Some(Action::Hold))),
            "invalid-state"
        );
        assert_eq!(code(Action::Dtmf.check(&active, Some(Action::Dtmf))), "ok");
        assert_eq!(
            code(Action::Mute.check(&active, Some(Action::Hangup))),
            "no-such-call"
        );
    }

    #[test]
    fn methods_of_each_shape() {
        assert_eq!(Action::Mute.method(Shape::Dialog), "setMute");
        assert_eq!(Action::Mute.method(Shape::Call), "mute");
        assert_eq!(Action::Unmute.method(Shape::Call), "unmute");
        assert_eq!(Action::Transfer.method(Shape::Dialog), "transfer");
        assert_eq!(Action::Transfer.method(Shape::Call), "blindTransfer");
        for a in [
            Action::Answer,
            Action::Hangup,
            Action::Hold,
            Action::Unhold,
            Action::Dtmf,
        ] {
            assert_eq!(a.method(Shape::Dialog), a.name());
            assert_eq!(a.method(Shape::Call), a.name());
        }
        assert_eq!(
            Action::Mute.mute_argument(),
            Some("off"),
            "the microphone off"
        );
        assert_eq!(Action::Unmute.mute_argument(), Some("on"));
        assert_eq!(Action::Hold.mute_argument(), None);
    }

    #[test]
    fn digits() {
        assert_eq!(
            check_digits("0123456789*#ABCDabcd").as_deref(),
            Ok("0123456789*#ABCDABCD")
        );
        assert_eq!(check_digits(&"1".repeat(32)).map(|d| d.len()), Ok(32));
        for bad in ["", "1 2", "E", "+1", "１", &"1".repeat(33), "1\u{0}"] {
            assert_eq!(check_digits(bad), Err(Error::InvalidDigits), "{bad:?}");
        }
    }
}
