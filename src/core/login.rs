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
