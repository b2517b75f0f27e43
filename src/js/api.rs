//! The wasm side of the REST client's JavaScript API (`js/api.js`): which request each
//! operation is (method, path on the one API origin, body, credential header), and what
//! each answer means ([`classify`]). `js/api.js` does the `fetch`, the timeout (an
//! `AbortController`) and `JSON.parse`. Rust users send through [`ApiClient`](crate::ApiClient),
//! which makes the same decisions from the same core.

use super::{fail, session_pairs, stored};
use crate::core::api::{
    classify, credential_header, AgentStatus, Body, Credentials, Entity, Envelope, Op, Page,
    Request, Requests, TrackerFields, TrackerLogQuery, Whisper,
};
use crate::core::{http_origin, ContactCenter, Error, PhoneNumber, Token};
use wasm_bindgen::prelude::*;

/// The REST client's decisions, as `js/api.js` drives it. Not part of the public API.
#[wasm_bindgen]
pub struct Api {
    origin: String,
    contact_center: Option<ContactCenter>,
    credentials: Credentials,
    requests: Requests,
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
    /// A client. Empty strings mean "not given". With `from_session`, the web phone's
    /// session, from its three stored strings (`None`: the key is missing), gives the
    /// contact center and the token.
    /// `base` is another API origin (tests, a proxy): the URL as the facade resolved it
    /// (`new URL(url, document.baseURI).href`, empty when it did not parse); only an
    /// `http(s)` one without a user name or password is taken ([`http_origin`]).
    #[wasm_bindgen(constructor)]
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        contact_center: &str,
        token: &str,
        api_key: &str,
        from_session: bool,
        stored_token: Option<String>,
        stored_name: Option<String>,
        stored_login: Option<String>,
        base: Option<String>,
        routes: Vec<String>,
    ) -> Result<Api, JsValue> {
        let build = || -> Result<Api, Error> {
            let (cc, credentials) = if from_session {
                let session =
                    stored(stored_token, stored_name, stored_login)?.ok_or(Error::NotSignedIn)?;
                (
                    session.contact_center,
                    Credentials::AccessToken(session.token),
                )
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
                (cc, credentials)
            };
            let origin = match base {
                None => cc.api_origin(),
                Some(href) => http_origin(&href)?.to_owned(),
            };
            let mut requests = Requests::default();
            for pair in routes.chunks(2) {
                let op = Op::from_name(arg(pair, 0))
                    .ok_or(Error::InvalidOption("unknown route name"))?;
                requests.routes.set(op, arg(pair, 1))?;
            }
            Ok(Api {
                origin,
                contact_center: Some(cc),
                credentials,
                requests,
            })
        };
        build().map_err(fail)
    }

    /// The request of operation `op` from its arguments: `[method, url, body, binary,
    /// header, value...]` (`body` empty: none; `binary` `"1"` for a recording). The URL
    /// is always on the client's origin; the credential goes only in a header.
    pub fn request(&self, op: &str, args: Vec<String>) -> Result<Vec<String>, JsValue> {
        let plan = || -> Result<Vec<String>, Error> {
            let request = self.build(op, &args)?;
            let mut out = vec![
                request.method().as_str().to_owned(),
                [self.origin.as_str(), request.path.as_str()].concat(),
                String::new(),
                if request.binary() { "1" } else { "" }.to_owned(),
            ];
            if let Some((name, value)) = credential_header(request.credential(), &self.credentials)?
            {
                out.extend([name.to_owned(), value.to_owned()]);
            }
            let (kind, body) = match request.body {
                Body::None => return Ok(out),
                Body::Json(json) => ("application/json", json),
                Body::Form(form) => ("application/x-www-form-urlencoded", form),
            };
            out[2] = body;
            out.extend(["content-type".to_owned(), kind.to_owned()]);
            Ok(out)
        };
        plan().map_err(fail)
    }

    /// Judges an answer: `status`, and when the body parsed as a JSON object (`object`),
    /// its `result` and `info.message`. Throws the typed error (a refusal's message
    /// without the credential, should the server echo it); returns when the envelope's
    /// `content` is the answer.
    pub fn check(
        &self,
        status: u16,
        object: bool,
        result: Option<bool>,
        message: Option<String>,
    ) -> Result<(), JsValue> {
        let secret = match &self.credentials {
            Credentials::None => "",
            Credentials::AccessToken(t) | Credentials::ApiKey(t) => t.expose(),
        };
        let envelope = Envelope { result, message };
        classify(status, object.then_some(&envelope), secret).map_err(fail)?;
        if object {
            Ok(())
        } else {
            Err(fail(Error::ApiMalformed))
        }
    }

    /// The `[key, value, key, value]` that saves `token` (from a login) as the web
    /// phone's auto-login session.
    #[wasm_bindgen(js_name = sessionPlan)]
    pub fn session_plan(&self, token: String) -> Result<Vec<String>, JsValue> {
        Token::parse(&token).map_err(|_| fail(Error::ApiMalformed))?;
        let cc = self.contact_center.as_ref().ok_or_else(|| {
            fail(Error::InvalidOption(
                "saving the session needs the contact center",
            ))
        })?;
        Ok(session_pairs(token, cc))
    }
}

impl Api {
    fn build(&self, op: &str, a: &[String]) -> Result<Request, Error> {
        let r = &self.requests;
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
