//! The REST client's decisions for `js/api.js` (the npm entry `ziwo-webphone/full`):
//! which request each operation is (method, path on the one API origin, body, credential
//! header), and what each answer means ([`classify`]). `js/api.js` does the `fetch`,
//! the timeout (an `AbortController`) and `JSON.parse`. Rust users send through
//! [`ApiClient`](crate::ApiClient), which makes the same decisions from the same core.

use super::{op, session_pairs, stored, Args, Out, State};
use crate::core::api::{
    classify, credential_header, AgentStatus, Body, Credentials, Entity, Envelope, Op, Page,
    Request, Requests, TrackerFields, TrackerLogQuery, Whisper,
};
use crate::core::{http_origin, ContactCenter, Error, PhoneNumber, Token};

/// One REST client of the page.
pub(crate) struct Api {
    origin: String,
    contact_center: ContactCenter,
    credentials: Credentials,
    requests: Requests,
}

/// The client operations of `ziwo_run` (see [`op`]).
pub(crate) fn run(
    st: &mut State,
    code: u32,
    handle: u32,
    mut args: Args,
    n: [f64; 4],
) -> Result<i32, Error> {
    match code {
        op::API_NEW => return Ok(st.apis.add(Api::new(args, n[0] == 1.0)?)),
        op::API_FREE => st.apis.free(handle),
        op::API_REQUEST => {
            let api = st.apis.get(handle)?;
            let name = args.text();
            api.request(&mut st.out, name, &args.rest())?;
        }
        op::API_CHECK => st.apis.get(handle)?.check(args.next(), n)?,
        op::API_SESSION_PLAN => {
            let api = st.apis.get(handle)?;
            let token = Token::parse(args.text()).map_err(|_| Error::ApiMalformed)?;
            session_pairs(&mut st.out, &token, &api.contact_center);
        }
        _ => return Err(Error::InvalidOption("unknown operation")),
    }
    Ok(0)
}

fn arg<'a>(args: &[&'a str], i: usize) -> &'a str {
    args.get(i).copied().unwrap_or("")
}

fn optional<'a>(args: &[&'a str], i: usize) -> Option<&'a str> {
    Some(arg(args, i)).filter(|s| !s.is_empty())
}

fn integer<T: std::str::FromStr>(text: &str, what: &'static str) -> Result<T, Error> {
    text.parse().map_err(|_| Error::InvalidOption(what))
}

fn page(args: &[&str], i: usize) -> Result<Page, Error> {
    let limit =
        optional(args, i).map_or(Ok(Page::MAX_LIMIT), |l| integer(l, "limit must be 1-50"))?;
    let skip =
        optional(args, i + 1).map_or(Ok(0), |s| integer(s, "skip must be a whole number"))?;
    Page::new(limit, skip)
}

/// Name/value pairs: `[name, value, name, value...]`.
fn tracker_fields(pairs: &[&str]) -> Result<TrackerFields, Error> {
    let mut fields = TrackerFields::default();
    for pair in pairs.chunks(2) {
        fields.set(arg(pair, 0), arg(pair, 1))?;
    }
    Ok(fields)
}

impl Api {
    /// A client. Empty strings mean "not given". With `from_session`, the web phone's
    /// session, from its three stored strings (absent: the key is missing), gives the
    /// contact center and the token. `base` is another API origin (tests, a proxy): the
    /// URL as the facade resolved it (`new URL(url, document.baseURI).href`, empty when
    /// it did not parse); only an `http(s)` one without a user name or password is taken
    /// ([`http_origin`]). Then route names and paths, alternating.
    fn new(mut args: Args, from_session: bool) -> Result<Api, Error> {
        let (contact_center, token, api_key) = (args.text(), args.text(), args.text());
        let session = stored(&mut args);
        let (cc, credentials) = if from_session {
            let session = session?.ok_or(Error::NotSignedIn)?;
            (
                session.contact_center,
                Credentials::AccessToken(session.token),
            )
        } else {
            let cc = ContactCenter::parse(contact_center)?;
            let credentials = match (token, api_key) {
                ("", "") => Credentials::None,
                (t, "") => Credentials::AccessToken(Token::parse(t)?),
                ("", k) => Credentials::ApiKey(Token::parse(k).map_err(|_| Error::InvalidToken)?),
                _ => return Err(Error::InvalidOption("give a token or an apiKey, not both")),
            };
            (cc, credentials)
        };
        let origin = match args.next() {
            None => cc.api_origin(),
            Some(href) => http_origin(href)?.to_owned(),
        };
        let mut requests = Requests::default();
        for pair in args.rest().chunks(2) {
            let op =
                Op::from_name(arg(pair, 0)).ok_or(Error::InvalidOption("unknown route name"))?;
            requests.routes.set(op, arg(pair, 1))?;
        }
        Ok(Api {
            origin,
            contact_center: cc,
            credentials,
            requests,
        })
    }

    /// The request of operation `op` from its arguments: `[method, url, body, binary,
    /// header, value...]` (`body` empty: none; `binary` `"1"` for a recording). The URL
    /// is always on the client's origin; the credential goes only in a header.
    fn request(&self, out: &mut Out, op: &str, args: &[&str]) -> Result<(), Error> {
        let request = self.build(op, args)?;
        let header = credential_header(request.credential(), &self.credentials)?;
        let (kind, body) = match &request.body {
            Body::None => ("", ""),
            Body::Json(json) => ("application/json", json.as_str()),
            Body::Form(form) => ("application/x-www-form-urlencoded", form.as_str()),
        };
        out.str(request.method().as_str());
        out.strs(&[&self.origin, &request.path]);
        out.str(body);
        out.str(if request.binary() { "1" } else { "" });
        if let Some((name, value)) = header {
            out.str(name);
            out.str(value);
        }
        if !kind.is_empty() {
            out.str("content-type");
            out.str(kind);
        }
        Ok(())
    }

    /// Judges an answer: `n[0]` the status, `n[1]` 1 when the body parsed as a JSON
    /// object, `n[2]` its `result` (-1: not a boolean), `message` its `info.message`.
    /// The typed error (a refusal's message without the credential, should the server
    /// echo it), or `Ok` when the envelope's `content` is the answer.
    fn check(&self, message: Option<&str>, n: [f64; 4]) -> Result<(), Error> {
        let secret = match &self.credentials {
            Credentials::None => "",
            Credentials::AccessToken(t) | Credentials::ApiKey(t) => t.expose(),
        };
        let object = n[1] == 1.0;
        let envelope = Envelope {
            result: (n[2] >= 0.0).then_some(n[2] == 1.0),
            message: message.map(str::to_owned),
        };
        classify(n[0] as u16, object.then_some(&envelope), secret)?;
        if object {
            Ok(())
        } else {
            Err(Error::ApiMalformed)
        }
    }

    fn build(&self, op: &str, a: &[&str]) -> Result<Request, Error> {
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
                    trackers: a
                        .get(4..)
                        .unwrap_or_default()
                        .iter()
                        .map(|s| (*s).to_owned())
                        .collect(),
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
