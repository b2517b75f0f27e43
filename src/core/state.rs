//! Call states and directions as the web phone names them (seed, "CRM profile Pop-up";
//! core-front `events.ts`).

use core::fmt;

/// The state a call is in, named after the suffix of `_jorel-dialog-state-<state>`.
///
/// States the library does not know yet are kept as [`CallState::Other`] with their
/// name, not dropped.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CallState {
    /// Outbound: asking the operator to place the call.
    Requesting,
    /// Outbound: the operator is trying to place it.
    Trying,
    /// Outbound: waiting for the customer to pick up.
    Early,
    /// Inbound: ringing the agent's phone.
    Ringing,
    /// Inbound: the agent is answering.
    Answering,
    /// Agent and customer can talk.
    Active,
    /// The customer is on hold.
    Held,
    /// The call is being hung up.
    Hangup,
    /// The call is destroyed; it is forgotten after this event.
    Destroy,
    /// A call that had not ended came back after a reload.
    Recovering,
    /// core-front: the call is about to be destroyed.
    Purge,
    /// core-front: the agent's microphone was muted. Not a call state: it appears only
    /// in a call's history (see [`MuteEvent`](crate::core::MuteEvent)).
    Mute,
    /// core-front: the agent's microphone was unmuted. Only in a call's history.
    Unmute,
    /// A state this version does not know, with the name as received.
    Other(Box<str>),
}

/// The suffixes of every known call state, in the order of a call's life.
pub const KNOWN_CALL_STATES: [&str; 13] = [
    "requesting",
    "trying",
    "early",
    "ringing",
    "answering",
    "active",
    "held",
    "hangup",
    "destroy",
    "recovering",
    "purge",
    "mute",
    "unmute",
];

impl CallState {
    /// Maps an event suffix to a state; unknown suffixes become [`CallState::Other`].
    pub fn from_name(name: &str) -> CallState {
        CallState::known(name).unwrap_or_else(|| CallState::Other(name.into()))
    }

    /// A known state by name, or `None`.
    pub fn known(name: &str) -> Option<CallState> {
        Some(match name {
            "requesting" => CallState::Requesting,
            "trying" => CallState::Trying,
            "early" => CallState::Early,
            "ringing" => CallState::Ringing,
            "answering" => CallState::Answering,
            "active" => CallState::Active,
            "held" => CallState::Held,
            "hangup" => CallState::Hangup,
            "destroy" => CallState::Destroy,
            "recovering" => CallState::Recovering,
            "purge" => CallState::Purge,
            "mute" => CallState::Mute,
            "unmute" => CallState::Unmute,
            _ => return None,
        })
    }

    /// The state's name: the event suffix, or `"unknown"` for [`CallState::Other`]
    /// (whose received name is [`CallState::raw_name`]).
    pub fn name(&self) -> &'static str {
        match self {
            CallState::Requesting => "requesting",
            CallState::Trying => "trying",
            CallState::Early => "early",
            CallState::Ringing => "ringing",
            CallState::Answering => "answering",
            CallState::Active => "active",
            CallState::Held => "held",
            CallState::Hangup => "hangup",
            CallState::Destroy => "destroy",
            CallState::Recovering => "recovering",
            CallState::Purge => "purge",
            CallState::Mute => "mute",
            CallState::Unmute => "unmute",
            CallState::Other(_) => "unknown",
        }
    }

    /// The state's position in [`KNOWN_CALL_STATES`], or 13 for [`CallState::Other`]
    /// (the JS facade's tables use the same order).
    pub fn index(&self) -> u8 {
        match self {
            CallState::Requesting => 0,
            CallState::Trying => 1,
            CallState::Early => 2,
            CallState::Ringing => 3,
            CallState::Answering => 4,
            CallState::Active => 5,
            CallState::Held => 6,
            CallState::Hangup => 7,
            CallState::Destroy => 8,
            CallState::Recovering => 9,
            CallState::Purge => 10,
            CallState::Mute => 11,
            CallState::Unmute => 12,
            CallState::Other(_) => 13,
        }
    }

    /// The name as received in the event.
    pub fn raw_name(&self) -> &str {
        match self {
            CallState::Other(name) => name,
            known => known.name(),
        }
    }

    /// Agent and customer can talk (`active`, muted or not).
    pub fn is_talking(&self) -> bool {
        *self == CallState::Active
    }

    /// The call is being torn down.
    pub fn is_ending(&self) -> bool {
        matches!(
            self,
            CallState::Hangup | CallState::Purge | CallState::Destroy
        )
    }
}

impl fmt::Display for CallState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.raw_name())
    }
}

/// Who placed the call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Direction {
    /// The customer called the agent.
    Inbound,
    /// The agent called the customer.
    Outbound,
    /// Between two agents.
    Internal,
    /// A service call (voicemail, eavesdrop...).
    Service,
    /// Missing or not one of the above.
    Unknown,
}

impl Direction {
    /// Parses the `direction` field; anything unexpected is [`Direction::Unknown`].
    pub fn from_name(name: &str) -> Direction {
        match name {
            "inbound" => Direction::Inbound,
            "outbound" => Direction::Outbound,
            "internal" => Direction::Internal,
            "service" => Direction::Service,
            _ => Direction::Unknown,
        }
    }

    /// The direction's position in `inbound, outbound, internal, service, unknown`.
    pub fn index(self) -> u8 {
        match self {
            Direction::Inbound => 0,
            Direction::Outbound => 1,
            Direction::Internal => 2,
            Direction::Service => 3,
            Direction::Unknown => 4,
        }
    }

    /// The direction's name.
    pub fn name(self) -> &'static str {
        match self {
            Direction::Inbound => "inbound",
            Direction::Outbound => "outbound",
            Direction::Internal => "internal",
            Direction::Service => "service",
            Direction::Unknown => "unknown",
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_is_kept() {
        for name in KNOWN_CALL_STATES {
            let s = CallState::from_name(name);
            assert_eq!(s.name(), name);
            assert_eq!(s.raw_name(), name);
        }
        let other = CallState::from_name("transferring");
        assert_eq!(other, CallState::Other("transferring".into()));
        assert_eq!(other.name(), "unknown");
        assert_eq!(other.raw_name(), "transferring");
    }

    #[test]
    fn indexes_follow_the_tables() {
        for (i, name) in KNOWN_CALL_STATES.iter().enumerate() {
            assert_eq!(usize::from(CallState::from_name(name).index()), i);
        }
        assert_eq!(CallState::from_name("parked").index(), 13);
        for (i, d) in ["inbound", "outbound", "internal", "service", "unknown"]
            .iter()
            .enumerate()
        {
            assert_eq!(usize::from(Direction::from_name(d).index()), i);
        }
    }

    #[test]
    fn directions() {
        for d in ["inbound", "outbound", "internal", "service"] {
            assert_eq!(Direction::from_name(d).name(), d);
        }
        assert_eq!(Direction::from_name("sideways"), Direction::Unknown);
    }
}
