//! Logged in or not (contract §4a): what a page can tell from the phone's events, from
//! whether the phone has loaded, and from the stored session.

use super::event::PhoneEvent;

/// Whether an agent is connected to the phone, as far as the page can tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Connection {
    /// Nothing tells yet (the phone is loading, or connecting with a stored session).
    Unknown,
    /// The last `connected`/`disconnected` event was `connected`.
    Connected,
    /// The last such event was `disconnected`, and a session is still stored (another tab
    /// or device took the session, or the socket closed): not logged out.
    Disconnected,
    /// No agent is connected and no session is stored: the phone shows its own login
    /// form (it loaded without a token, or the session was cleared while not connected).
    LoggedOut,
}

impl Connection {
    /// The state's name.
    pub fn name(self) -> &'static str {
        match self {
            Connection::Unknown => "unknown",
            Connection::Connected => "connected",
            Connection::Disconnected => "disconnected",
            Connection::LoggedOut => "logged-out",
        }
    }

    /// The connection as a page can tell it: `last` is from the phone's last
    /// `connected`/`disconnected` event (or [`Connection::Unknown`]); `phone_loaded`
    /// says whether the phone has loaded; `token_stored` whether `_jorel-token` is stored
    /// (`None`: storage cannot be read, which tells nothing). Logged out is: not
    /// connected, the phone loaded, and no token. Error 1001 plays no part: it is a
    /// protocol error, not a refused session.
    ///
    /// ```
    /// use ziwo_webphone::core::Connection;
    /// assert_eq!(Connection::observe(Connection::Unknown, true, Some(false)), Connection::LoggedOut);
    /// assert_eq!(Connection::observe(Connection::Disconnected, true, Some(true)), Connection::Disconnected);
    /// assert_eq!(Connection::observe(Connection::Connected, true, Some(false)), Connection::Connected);
    /// ```
    pub fn observe(last: Connection, phone_loaded: bool, token_stored: Option<bool>) -> Connection {
        match last {
            Connection::Connected => Connection::Connected,
            _ if phone_loaded && token_stored == Some(false) => Connection::LoggedOut,
            Connection::LoggedOut => Connection::Unknown,
            other => other,
        }
    }
}

/// What a page has seen of the agent's connection: the last `connected` or
/// `disconnected` event, the agent of the last `connected`, and whether the phone has
/// dispatched an event (it has loaded). The browser layer keeps one for the page, from
/// the first phone or install on, and every phone reads it: a phone created after the
/// agent connected knows it.
///
/// ```
/// use ziwo_webphone::core::{Connection, PhoneEvent, Presence};
/// let mut seen = Presence::default();
/// let connected = PhoneEvent::Connected {
///     cc_login: Some("1001".into()),
///     first_name: None,
///     last_name: None,
///     contact_center: Some("acme".into()),
/// };
/// assert_eq!(seen.see(&connected).and_then(|a| a.cc_login).as_deref(), Some("1001"));
/// assert_eq!(seen.connection(false, Some(false)), Connection::Connected);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Presence {
    /// From the last `connected`/`disconnected` event ([`Connection::Unknown`]: none yet).
    pub last: Connection,
    /// The agent of the last `connected` event.
    pub agent: Option<Agent>,
    /// The phone has dispatched a `connected`, `disconnected`, `error` or device event.
    pub loaded: bool,
}

impl Default for Presence {
    fn default() -> Presence {
        Presence {
            last: Connection::Unknown,
            agent: None,
            loaded: false,
        }
    }
}

impl Presence {
    /// Takes in one of the phone's non-call events; gives the agent when it was
    /// `connected`.
    pub fn see(&mut self, event: &PhoneEvent) -> Option<Agent> {
        self.loaded = true;
        match event {
            PhoneEvent::Connected { .. } => {
                let agent = event.agent().unwrap_or_default();
                self.last = Connection::Connected;
                self.agent = Some(agent.clone());
                Some(agent)
            }
            PhoneEvent::Disconnected { .. } => {
                self.last = Connection::Disconnected;
                None
            }
            _ => None,
        }
    }

    /// The connection ([`Connection::observe`]), given whether the phone's dial function
    /// exists (the phone has loaded) and whether a token is stored.
    pub fn connection(&self, dial_function: bool, token_stored: Option<bool>) -> Connection {
        Connection::observe(self.last, self.loaded || dial_function, token_stored)
    }
}

/// The agent connected to the phone: plain, non-secret fields of the `connected` event.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Agent {
    /// `agent.userInfo.ccLogin`.
    pub cc_login: Option<Box<str>>,
    /// `agent.userInfo.firstName`.
    pub first_name: Option<Box<str>>,
    /// `agent.userInfo.lastName`.
    pub last_name: Option<Box<str>>,
    /// `contactCenterName`.
    pub contact_center: Option<Box<str>>,
}

impl PhoneEvent {
    /// The agent of a `connected` event; `None` for other events.
    pub fn agent(&self) -> Option<Agent> {
        match self {
            PhoneEvent::Connected {
                cc_login,
                first_name,
                last_name,
                contact_center,
            } => Some(Agent {
                cc_login: cc_login.clone(),
                first_name: first_name.clone(),
                last_name: last_name.clone(),
                contact_center: contact_center.clone(),
            }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logged_out_needs_a_loaded_phone_no_token_and_no_connection() {
        use Connection::*;
        for last in [Unknown, Disconnected] {
            assert_eq!(Connection::observe(last, true, Some(false)), LoggedOut);
            assert_eq!(
                Connection::observe(last, false, Some(false)),
                last,
                "not loaded yet"
            );
            assert_eq!(
                Connection::observe(last, true, Some(true)),
                last,
                "a session is stored"
            );
            assert_eq!(
                Connection::observe(last, true, None),
                last,
                "storage tells nothing"
            );
        }
        assert_eq!(Connection::observe(Connected, true, Some(false)), Connected);
        assert_eq!(Connection::observe(LoggedOut, true, Some(true)), Unknown);
        let names: Vec<_> = [Unknown, Connected, Disconnected, LoggedOut]
            .iter()
            .map(|c| c.name())
            .collect();
        assert_eq!(
            names,
            ["unknown", "connected", "disconnected", "logged-out"]
        );
    }

    #[test]
    fn presence_follows_the_last_connected_or_disconnected_event() {
        let connected = PhoneEvent::Connected {
            cc_login: Some("1001".into()),
            first_name: Some("Ada".into()),
            last_name: None,
            contact_center: Some("acme".into()),
        };
        let disconnected = PhoneEvent::Disconnected {
            reason: crate::core::DisconnectReason::SocketClosed,
            message: Some("Socket closed".into()),
        };
        let mut seen = Presence::default();
        assert_eq!(
            seen.connection(false, Some(false)),
            Connection::Unknown,
            "nothing loaded"
        );
        assert_eq!(
            seen.connection(true, Some(false)),
            Connection::LoggedOut,
            "dial function, no token"
        );
        assert_eq!(seen.see(&PhoneEvent::DeviceChanged { input: true }), None);
        assert!(seen.loaded);
        assert_eq!(
            seen.connection(false, Some(false)),
            Connection::LoggedOut,
            "an event says loaded"
        );
        let agent = seen.see(&connected).expect("connected gives the agent");
        assert_eq!(agent.first_name.as_deref(), Some("Ada"));
        assert_eq!(seen.agent, Some(agent.clone()));
        assert_eq!(seen.connection(true, Some(false)), Connection::Connected);
        assert_eq!(seen.see(&disconnected), None);
        assert_eq!(seen.connection(true, Some(true)), Connection::Disconnected);
        assert_eq!(
            seen.connection(true, Some(false)),
            Connection::LoggedOut,
            "token gone"
        );
        assert_eq!(seen.agent, Some(agent), "the last agent stays");
    }

    #[test]
    fn the_agent_of_a_connected_event() {
        let e = PhoneEvent::Connected {
            cc_login: Some("1001".into()),
            first_name: None,
            last_name: Some("Li".into()),
            contact_center: Some("acme".into()),
        };
        let agent = e.agent().unwrap();
        assert_eq!(agent.cc_login.as_deref(), Some("1001"));
        assert_eq!(agent.contact_center.as_deref(), Some("acme"));
        assert_eq!(PhoneEvent::DeviceChanged { input: true }.agent(), None);
    }
}
