//! The wasm side of the REST client's JavaScript API (`js/api.js`).

use super::fail;
use crate::browser::{write_session, ApiClient, ApiReply, Credentials};
use crate::core::api::{
    AgentStatus, Entity, Op, Page, Request, TrackerFields, TrackerLogQuery, Whisper,
};
use crate::core::{ContactCenter, Error, PhoneNumber, Token};
use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;

/// The REST client, as `js/api.js` drives it. Not part of the public API.
#[wasm_bindgen]
pub struct Api {
    client: ApiClient,
}

fn arg(args: &[String], i: usize) -> &str {
    args.get(i).map_or("", String::as_str)
}

fn optional(args: &[String], i: usize) -> Option<&str> {
    Some(arg(args, i)).filter(|s| !s.is_empty())
}

fn integer<T: std::str::FromStr>(text: &str, what: &'static str) -> Result<T, Error> {
    text.parse().map_err(|_| Error::InvalidOption(what))
}

fn page(args: &[String], i: usize) -> Result<Page, Error> {
    let limit =
        optional(args, i).map_or(Ok(Page::MAX_LIMIT), |l| integer(l, "limit must be 1-50"))?;
    let skip =
        optional(args, i + 1).map_or(Ok(0), |s| integer(s, "skip must be a whole number"))?;
    Page::new(limit, skip)
}

/// Name/value pairs: `[name, value, name, value...]`.
fn tracker_fields(pairs: &[String]) -> Result<TrackerFields, Error> {
    let mut fields = TrackerFields::default();
    for pair in pairs.chunks(2) {
        fields.set(arg(pair, 0), arg(pair, 1))?;
    }
    Ok(fields)
}

#[wasm_bindgen]
impl Api {
    /// A client. Empty strings mean "not given".
    #[wasm_bindgen(constructor)]
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        contact_center: &str,
        token: &str,
        api_key: &str,
        from_session: bool,
        base_url: &str,
        timeout_ms: u32,
        routes: Vec<String>,
    ) -> Result<Api, JsValue> {
        let build = || -> Result<ApiClient, Error> {
            let mut client = if from_session {
                ApiClient::from_session()?
            } else {
                let cc = ContactCenter::parse(contact_center)?;
                let credentials = match (token, api_key) {
                    ("", "") => Credentials::None,
                    (t, "") => Credentials::AccessToken(Token::parse(t)?),
                    ("", k) => {
                        Credentials::ApiKey(Token::parse(k).map_err(|_| Error::InvalidToken)?)
                    }
                    _ => return Err(Error::InvalidOption("give a token or an apiKey, not both")),
                };
                ApiClient::new(&cc, credentials)
            };
            if !base_url.is_empty() {
                client = client.with_base_url(base_url)?;
            }
            for pair in routes.chunks(2) {
                let op = Op::from_name(arg(pair, 0))
                    .ok_or(Error::InvalidOption("unknown route name"))?;
                client.requests_mut().routes.set(op, arg(pair, 1))?;
            }
            Ok(client.with_timeout(timeout_ms))
        };
        build().map(|client| Api { client }).map_err(fail)
    }

    /// Builds the request of operation `op` from its arguments and sends it; throws on
    /// invalid arguments, else a Promise of the content (or a Blob, for recordings).
    pub fn send(&self, op: &str, args: Vec<String>) -> Result<Promise, JsValue> {
        let request = self.request(op, &args).map_err(fail)?;
        let call = self.client.send(&request);
        Ok(Promise::new(&mut |resolve: Function, reject: Function| {
            call.0.then(move |result| {
                let _ = match result {
                    Ok(ApiReply::Json(content)) => resolve.call1(&JsValue::UNDEFINED, content),
                    Ok(ApiReply::Bytes(blob)) => resolve.call1(&JsValue::UNDEFINED, blob),
                    Err(e) => reject.call1(&JsValue::UNDEFINED, &fail(e.clone())),
                };
            });
        }))
    }

    /// The contact center of the client (for `login` with `saveSession`).
    #[wasm_bindgen(js_name = saveSession)]
    pub fn save_session(&self, token: &str) -> Result<(), JsValue> {
        let token = Token::parse(token).map_err(|_| fail(Error::ApiMalformed))?;
        let cc = self.client.contact_center().ok_or_else(|| {
            fail(Error::InvalidOption(
                "saving the session needs the contact center",
            ))
        })?;
        write_session(&token, cc).map_err(fail)
    }

    fn request(&self, op: &str, a: &[String]) -> Result<Request, Error> {
        let r = self.client.requests();
        let number = |i: usize| PhoneNumber::parse(arg(a, i));
        let op = Op::from_name(op).ok_or(Error::InvalidOption("unknown API operation"))?;
        match op {
            Op::Login => r.login(arg(a, 0), arg(a, 1)),
            Op::CallHistory => r.call_history(arg(a, 0)),
            Op::CallHistoryList => r.call_history_list(optional(a, 0), page(a, 1)?),
            Op::Recording => r.recording(arg(a, 0)),
            Op::AdminCall => r.admin_call(&number(0)?, arg(a, 1) == "true"),
            Op::CtiCall => r.cti_call(arg(a, 0), &number(1)?, optional(a, 2)),
            Op::CtiIvr => r.cti_ivr(arg(a, 0), &number(1)?, optional(a, 2)),
            Op::CtiLogin => r.cti_login(arg(a, 0)),
            Op::CtiLogout => r.cti_logout(arg(a, 0)),
            Op::CtiStatus => r.cti_status(
                arg(a, 0),
                AgentStatus::from_code(integer(arg(a, 1), "status must be -1, 0, 1, 2, 3 or 4")?)?,
            ),
            Op::Eavesdrop => r.eavesdrop(arg(a, 0), optional(a, 1)),
            Op::Whisper => r.whisper(arg(a, 0), Whisper::parse(arg(a, 1))?),
            Op::TrackerList => r.trackers(page(a, 0)?, optional(a, 2), optional(a, 3)),
            Op::TrackerGet => r.tracker(arg(a, 0)),
            Op::TrackerCreate => r.create_tracker(&tracker_fields(a)?),
            Op::TrackerUpdate => {
                r.update_tracker(arg(a, 0), &tracker_fields(a.get(1..).unwrap_or_default())?)
            }
            Op::TrackerBlock => r.block_tracker(arg(a, 0), true),
            Op::TrackerUnblock => r.block_tracker(arg(a, 0), false),
            Op::TrackerDelete => r.delete_tracker(arg(a, 0)),
            Op::TrackerTest => r.test_tracker(arg(a, 0)),
            Op::TrackerLogs => {
                let number = |i: usize| -> Result<Option<u64>, Error> {
                    optional(a, i)
                        .map(|n| integer(n, "fetchStart and fetchStop are whole numbers"))
                        .transpose()
                };
                r.tracker_logs(&TrackerLogQuery {
                    from_date: optional(a, 0).map(str::to_owned),
                    to_date: optional(a, 1).map(str::to_owned),
                    fetch_start: number(2)?,
                    fetch_stop: number(3)?,
                    trackers: a.get(4..).unwrap_or_default().to_vec(),
                })
            }
            Op::ProfileCreate => r.create_customer(Entity::Profile, arg(a, 0)),
            Op::AddressCreate => r.create_customer(Entity::Address, arg(a, 0)),
            Op::NumberCreate => r.create_customer(Entity::Number, arg(a, 0)),
            Op::SocialCreate => r.create_customer(Entity::SocialAccount, arg(a, 0)),
            Op::ProfileUpdate => r.update_customer(Entity::Profile, arg(a, 0), arg(a, 1)),
            Op::AddressUpdate => r.update_customer(Entity::Address, arg(a, 0), arg(a, 1)),
            Op::SocialUpdate => r.update_customer(Entity::SocialAccount, arg(a, 0), arg(a, 1)),
            Op::ProfileDelete => r.delete_customer(Entity::Profile, arg(a, 0)),
            Op::AddressDelete => r.delete_customer(Entity::Address, arg(a, 0)),
            Op::NumberDelete => r.delete_customer(Entity::Number, arg(a, 0)),
            Op::SocialDelete => r.delete_customer(Entity::SocialAccount, arg(a, 0)),
            Op::LinkAddress => r.link_customer(arg(a, 0), Entity::Address, arg(a, 1), true),
            Op::UnlinkAddress => r.link_customer(arg(a, 0), Entity::Address, arg(a, 1), false),
            Op::LinkNumber => r.link_customer(arg(a, 0), Entity::Number, arg(a, 1), true),
            Op::UnlinkNumber => r.link_customer(arg(a, 0), Entity::Number, arg(a, 1), false),
            Op::LinkSocial => r.link_customer(arg(a, 0), Entity::SocialAccount, arg(a, 1), true),
            Op::UnlinkSocial => r.link_customer(arg(a, 0), Entity::SocialAccount, arg(a, 1), false),
            Op::ProfileSearch => r.search_customers(arg(a, 0), page(a, 1)?),
        }
    }
}
