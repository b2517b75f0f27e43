//! What the API's routes answer (the envelope's `content`), as Rust types for Rust users
//! (`ApiReply::decode` with the `serde` feature). Fields ZIWO may leave out are `Option`s;
//! ids are taken as text or numbers, since ZIWO uses both (`46`, `"46:5196"`).
//! [`Cdr`](super::webhooks::Cdr) is the call history's record.

#[cfg(feature = "serde")]
use serde::{Deserialize, Deserializer, Serialize};

/// An id that ZIWO sends as a number or as text, kept as text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize))]
pub struct Id(pub String);

#[cfg(feature = "serde")]
impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Id, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Either {
            Text(String),
            Number(i64),
        }
        Ok(Id(match Either::deserialize(d)? {
            Either::Text(t) => t,
            Either::Number(n) => n.to_string(),
        }))
    }
}

/// `POST /auth/login`.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", default))]
pub struct LoginReply {
    /// The agent's access token.
    #[cfg_attr(feature = "serde", serde(rename = "access_token"))]
    pub access_token: String,
    /// The agent's contact-center login.
    pub cc_login: Option<String>,
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
}

/// The routes that start a call: admin and CTI click to call, click to IVR, eavesdrop.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct CallStarted {
    /// The new call's id.
    #[cfg_attr(feature = "serde", serde(rename = "callID"))]
    pub call_id: String,
}

/// CTI agent login, status and logout.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", default))]
pub struct AgentState {
    /// The agent.
    pub cc_login: String,
    /// The status code (see [`AgentStatus`](super::api::AgentStatus)).
    pub status: i32,
}

/// A call tracker.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", default))]
pub struct CallTracker {
    /// Its id.
    pub id: Id,
    /// Its name.
    pub name: String,
    /// `active` or `blocked`.
    pub status: Option<String>,
    /// Called at the start of a call.
    #[cfg_attr(feature = "serde", serde(rename = "startRequestURL"))]
    pub start_request_url: Option<String>,
    /// Called at the end of a call.
    #[cfg_attr(feature = "serde", serde(rename = "endRequestURL"))]
    pub end_request_url: Option<String>,
    /// ms.
    pub start_request_timeout: Option<u32>,
    /// ms.
    pub end_request_timeout: Option<u32>,
    /// Played first.
    pub welcome_playback: Option<String>,
    /// Played when the start request fails.
    pub error_playback: Option<String>,
}

/// One row of the call trackers' logs.
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase", default))]
pub struct TrackerLog {
    /// The row's id.
    pub id: Id,
    /// The tracker.
    #[cfg_attr(feature = "serde", serde(rename = "callTrackerID"))]
    pub call_tracker_id: Id,
    /// The call.
    #[cfg_attr(feature = "serde", serde(rename = "callID"))]
    pub call_id: Option<String>,
    /// `start` or `end`.
    #[cfg_attr(feature = "serde", serde(rename = "type"))]
    pub kind: Option<String>,
    /// The URL called.
    #[cfg_attr(feature = "serde", serde(rename = "requestURL"))]
    pub request_url: Option<String>,
    /// Its HTTP status.
    pub status_code: Option<u16>,
    /// Its time, ms.
    pub response_time: Option<u32>,
    /// What failed.
    pub error: Option<String>,
}

/// A CRM customer entity: its id, and its fields as ZIWO sends them (the CDB's fields
/// are not documented, so they are kept as a JSON map).
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct CustomerEntity {
    /// Its id.
    pub id: Id,
    /// Every other field.
    #[cfg(feature = "serde")]
    #[serde(flatten)]
    pub fields: std::collections::BTreeMap<String, serde_json_value::Value>,
}

#[cfg(feature = "serde")]
mod serde_json_value {
    //! A JSON value without serde_json: what `serde` can hold of any member.
    use serde::{Deserialize, Serialize};

    /// Any JSON value.
    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    #[serde(untagged)]
    pub enum Value {
        /// `null`.
        Null,
        /// A boolean.
        Bool(bool),
        /// A number.
        Number(f64),
        /// A string.
        Text(String),
        /// An array.
        Array(Vec<Value>),
        /// An object.
        Object(std::collections::BTreeMap<String, Value>),
    }
}

#[cfg(feature = "serde")]
pub use serde_json_value::Value;

#[cfg(all(test, feature = "serde"))]
mod tests {
    use super::*;

    #[test]
    fn ids_and_replies() {
        let t: CallTracker = serde_json::from_str(r#"{"id":2,"name":"calltracker-01","status":"active","startRequestURL":"https://ct.example.com/start.php","startRequestTimeout":10000,"createdAt":"x"}"#).unwrap();
        assert_eq!(t.id, Id("2".into()));
        assert_eq!(t.start_request_timeout, Some(10000));
        let log: TrackerLog = serde_json::from_str(r#"{"id":"46:5196","callTrackerID":1,"type":"start","statusCode":504,"error":"ETIMEDOUT"}"#).unwrap();
        assert_eq!(
            (log.id.0.as_str(), log.kind.as_deref()),
            ("46:5196", Some("start"))
        );
        let c: CustomerEntity =
            serde_json::from_str(r#"{"id":1,"firstName":"Selina","links":{"numbers":[1]}}"#)
                .unwrap();
        assert_eq!(
            c.fields.get("firstName"),
            Some(&Value::Text("Selina".into()))
        );
        let l: LoginReply =
            serde_json::from_str(r#"{"access_token":"t","ccLogin":"1001"}"#).unwrap();
        assert_eq!(
            (l.access_token.as_str(), l.cc_login.as_deref()),
            ("t", Some("1001"))
        );
    }
}
