//! The ZIWO REST API, without a network: the route table, request building (paths,
//! queries, bodies, which credential goes in which header) and the classification of
//! responses. The browser layer sends what this builds; a Rust server can use it too.
//!
//! Sources (see `docs/api-routes.md`): the seed (ZIWO's developer portal), the contract
//! (ZIWO's own SDK and public integrations), or assumed where neither gives a path. Every
//! path can be overridden with [`Routes::set`].

use super::error::Error;
use super::number::PhoneNumber;
use super::session::Token;
use super::text::{find, push_integer, push_uri_component, redact};
use super::url::is_dot_segment;

/// An HTTP method.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// GET.
    Get,
    /// POST.
    Post,
    /// PUT.
    Put,
    /// DELETE.
    Delete,
}

impl Method {
    /// The method's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

/// Which credential a route takes, always as a header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Credential {
    /// None (login).
    None,
    /// `access_token: <token>` (agents and admins).
    AccessToken,
    /// `api_key: <key>` (the CTI module).
    ApiKey,
}

/// The credential a client sends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credentials {
    /// None: only login works.
    None,
    /// An agent's or admin's access token (`access_token` header).
    AccessToken(Token),
    /// A CTI api_key (`api_key` header). Keep it on a server: a browser shows it to
    /// whoever opens the developer tools.
    ApiKey(Token),
}

/// The header that carries `credentials` for a route that takes `needed`: `None` for a
/// route without credentials (login). Admin routes take either credential (seed, "Admin
/// API"); the CTI routes only an api_key.
pub fn credential_header(
    needed: Credential,
    credentials: &Credentials,
) -> Result<Option<(&'static str, &str)>, Error> {
    Ok(Some(match (needed, credentials) {
        (Credential::None, _) => return Ok(None),
        (Credential::ApiKey, Credentials::ApiKey(key)) => ("api_key", key.expose()),
        (Credential::ApiKey, _) => {
            return Err(Error::InvalidOption("the CTI routes need an api_key"))
        }
        (Credential::AccessToken, Credentials::AccessToken(t)) => ("access_token", t.expose()),
        (Credential::AccessToken, Credentials::ApiKey(k)) => ("api_key", k.expose()),
        (Credential::AccessToken, Credentials::None) => return Err(Error::ApiUnauthorized(401)),
    }))
}

/// Where a route's path comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// ZIWO's developer portal text.
    Seed,
    /// ZIWO's SDK or public integrations.
    Contract,
    /// Neither gives a path: assumed, and overridable.
    Assumed,
}

macro_rules! ops {
    ($($op:ident = $name:literal, $method:ident, $path:literal, $cred:ident, $source:ident;)+) => {
        /// Every operation of the client.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[allow(missing_docs)]
        pub enum Op { $($op),+ }

        /// The route table: operation, its name, method, path template, credential, source.
        pub const ROUTES: &[(Op, &str, Method, &str, Credential, Source)] = &[
            $((Op::$op, $name, Method::$method, $path, Credential::$cred, Source::$source)),+
        ];
    };
}

ops! {
    Login = "login", Post, "/auth/login", None, Contract;
    CallHistory = "callHistory", Get, "/callHistory/{id}", AccessToken, Seed;
    CallHistoryList = "callHistoryList", Get, "/callHistory/", AccessToken, Contract;
    AgentCalls = "agentCalls", Get, "/agents/channels/calls", AccessToken, Contract;
    Recording = "recording", Get, "/surveillance/recordings/{callID}.mp3", AccessToken, Seed;
    AdminCall = "adminCall", Post, "/integrations/cti/agents/call/{number}", AccessToken, Contract;
    CtiCall = "ctiCall", Post, "/integrations/cti/agents/{ccLogin}/call/{number}", ApiKey, Contract;
    CtiLogin = "ctiLogin", Post, "/integrations/cti/agents/{ccLogin}/login", ApiKey, Assumed;
    CtiStatus = "ctiStatus", Put, "/integrations/cti/agents/{ccLogin}/status", ApiKey, Assumed;
    CtiIvr = "ctiIvr", Post, "/integrations/cti/ivrs/{ivr}/call/{number}", ApiKey, Assumed;
    CtiLogout = "ctiLogout", Post, "/integrations/cti/agents/{ccLogin}/logout", ApiKey, Assumed;
    Eavesdrop = "eavesdrop", Post, "/live/calls/eavesdrop/{agentId}", AccessToken, Seed;
    Whisper = "whisper", Put, "/live/calls/eavesdrop/{callID}", AccessToken, Seed;
    TrackerList = "trackerList", Get, "/admin/callTrackers/", AccessToken, Contract;
    TrackerGet = "trackerGet", Get, "/admin/callTrackers/{id}", AccessToken, Contract;
    TrackerCreate = "trackerCreate", Post, "/admin/callTrackers", AccessToken, Contract;
    TrackerUpdate = "trackerUpdate", Put, "/admin/callTrackers/{id}", AccessToken, Contract;
    TrackerBlock = "trackerBlock", Put, "/admin/callTrackers/{idOrName}/block", AccessToken, Contract;
    TrackerUnblock = "trackerUnblock", Put, "/admin/callTrackers/{idOrName}/unblock", AccessToken, Contract;
    TrackerDelete = "trackerDelete", Delete, "/admin/callTrackers/{idOrName}", AccessToken, Contract;
    TrackerLogs = "trackerLogs", Get, "/admin/callTrackers/logs", AccessToken, Contract;
    TrackerTest = "trackerTest", Put, "/admin/callTrackers/{id}/test", AccessToken, Contract;
    ProfileCreate = "profileCreate", Post, "/customers/profiles", AccessToken, Assumed;
    ProfileUpdate = "profileUpdate", Put, "/customers/profiles/{id}", AccessToken, Assumed;
    ProfileDelete = "profileDelete", Delete, "/customers/profiles/{id}", AccessToken, Assumed;
    ProfileSearch = "profileSearch", Get, "/customers/profiles/search", AccessToken, Assumed;
    AddressCreate = "addressCreate", Post, "/customers/addresses", AccessToken, Assumed;
    AddressUpdate = "addressUpdate", Put, "/customers/addresses/{id}", AccessToken, Assumed;
    AddressDelete = "addressDelete", Delete, "/customers/addresses/{id}", AccessToken, Assumed;
    NumberCreate = "numberCreate", Post, "/customers/numbers", AccessToken, Assumed;
    NumberDelete = "numberDelete", Delete, "/customers/numbers/{id}", AccessToken, Assumed;
    SocialCreate = "socialCreate", Post, "/customers/socialAccounts", AccessToken, Assumed;
    SocialUpdate = "socialUpdate", Put, "/customers/socialAccounts/{id}", AccessToken, Assumed;
    SocialDelete = "socialDelete", Delete, "/customers/socialAccounts/{id}", AccessToken, Assumed;
    LinkAddress = "linkAddress", Put, "/customers/profiles/{id}/addresses/{addressId}", AccessToken, Assumed;
    UnlinkAddress = "unlinkAddress", Delete, "/customers/profiles/{id}/addresses/{addressId}", AccessToken, Assumed;
    LinkNumber = "linkNumber", Put, "/customers/profiles/{id}/numbers/{numberId}", AccessToken, Assumed;
    UnlinkNumber = "unlinkNumber", Delete, "/customers/profiles/{id}/numbers/{numberId}", AccessToken, Assumed;
    LinkSocial = "linkSocial", Put, "/customers/profiles/{id}/socialAccounts/{socialAccountId}", AccessToken, Assumed;
    UnlinkSocial = "unlinkSocial", Delete, "/customers/profiles/{id}/socialAccounts/{socialAccountId}", AccessToken, Assumed;
}

impl Op {
    fn row(self) -> &'static (Op, &'static str, Method, &'static str, Credential, Source) {
        // Every `Op` has exactly one row, generated by the same macro.
        ROUTES.iter().find(|r| r.0 == self).unwrap_or(&ROUTES[0])
    }

    /// The operation by its name (`"callHistory"`...).
    pub fn from_name(name: &str) -> Option<Op> {
        ROUTES.iter().find(|r| r.1 == name).map(|r| r.0)
    }

    /// The operation's name.
    pub fn name(self) -> &'static str {
        self.row().1
    }

    /// The HTTP method.
    pub fn method(self) -> Method {
        self.row().2
    }

    /// The credential it takes.
    pub fn credential(self) -> Credential {
        self.row().4
    }

    /// Where its path comes from.
    pub fn source(self) -> Source {
        self.row().5
    }
}

/// The path templates in use: the table's, with the caller's overrides.
#[derive(Clone, Debug, Default)]
pub struct Routes {
    overrides: Vec<(Op, String)>,
}

impl Routes {
    /// Replaces the path template of `op` (same `{placeholders}` as the table's, in
    /// the same order). Templates must start with `/` and hold no `?`, `#` or `..`.
    pub fn set(&mut self, op: Op, template: &str) -> Result<(), Error> {
        let wanted: Vec<&str> = placeholders(op.row().3).collect();
        let given: Vec<&str> = placeholders(template).collect();
        let ok = template.starts_with('/')
            && template.len() <= 256
            && !template.contains(['?', '#', '\\'])
            && find(template, "..").is_none()
            && !template.chars().any(|c| c.is_control() || c == ' ')
            && wanted == given;
        if !ok {
            return Err(Error::InvalidOption(
                "a route override must be a path with the same {placeholders}",
            ));
        }
        self.overrides.retain(|(o, _)| *o != op);
        self.overrides.push((op, template.to_owned()));
        Ok(())
    }

    /// The template of `op`.
    pub fn template(&self, op: Op) -> &str {
        self.overrides
            .iter()
            .find(|(o, _)| *o == op)
            .map_or(op.row().3, |(_, t)| t.as_str())
    }
}

fn placeholders(template: &str) -> impl Iterator<Item = &str> {
    template
        .split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(name, _)| name))
}

/// A request body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Body {
    /// No body.
    None,
    /// `application/json`.
    Json(String),
    /// `application/x-www-form-urlencoded`.
    Form(String),
}

/// A request, ready to send to the API's origin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// The operation.
    pub op: Op,
    /// Path and query, encoded: `/callHistory/?callID=x&limit=50`.
    pub path: String,
    /// The body.
    pub body: Body,
}

impl Request {
    /// The HTTP method.
    pub fn method(&self) -> Method {
        self.op.method()
    }

    /// The credential header it needs.
    pub fn credential(&self) -> Credential {
        self.op.credential()
    }

    /// Whether the response is bytes (a recording) rather than the JSON envelope.
    pub fn binary(&self) -> bool {
        self.op == Op::Recording
    }
}

/// Longest path parameter accepted.
const MAX_SEGMENT: usize = 256;

fn check_segment(value: &str) -> Result<(), Error> {
    if value.is_empty() || value.len() > MAX_SEGMENT || value.chars().any(char::is_control) {
        return Err(Error::InvalidOption(
            "ids must be 1-256 characters without control characters",
        ));
    }
    if is_dot_segment(value) {
        return Err(Error::InvalidOption(
            "ids may not be '.' or '..' (plain or percent-encoded): they would leave their path",
        ));
    }
    Ok(())
}

/// Builds requests against [`Routes`].
#[derive(Clone, Debug, Default)]
pub struct Requests {
    /// The path templates.
    pub routes: Routes,
}

/// A query string being built.
#[derive(Default)]
struct Query(String);

impl Query {
    fn push(&mut self, key: &str, value: &str) {
        self.0.push(if self.0.is_empty() { '?' } else { '&' });
        push_uri_component(&mut self.0, key);
        self.0.push('=');
        push_uri_component(&mut self.0, value);
    }

    fn number(&mut self, key: &str, value: u64) {
        let mut s = String::new();
        push_integer(&mut s, value);
        self.push(key, &s);
    }
}

/// One page of a list: `limit` (1 to 50, ZIWO's maximum) items after `skip`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    /// Items per page, 1 to 50.
    pub limit: u32,
    /// Items skipped.
    pub skip: u64,
}

impl Page {
    /// ZIWO's largest page.
    pub const MAX_LIMIT: u32 = 50;

    /// A page, checked.
    pub fn new(limit: u32, skip: u64) -> Result<Page, Error> {
        if limit == 0 || limit > Page::MAX_LIMIT {
            return Err(Error::InvalidOption("limit must be 1-50"));
        }
        Ok(Page { limit, skip })
    }

    /// The page after this one.
    pub fn next(self) -> Page {
        Page {
            limit: self.limit,
            skip: self.skip + u64::from(self.limit),
        }
    }

    fn push(self, q: &mut Query) {
        q.number("limit", u64::from(self.limit));
        q.number("skip", self.skip);
    }
}

impl Default for Page {
    fn default() -> Page {
        Page {
            limit: Page::MAX_LIMIT,
            skip: 0,
        }
    }
}

/// An agent's status in the CTI module (values seen in ZIWO's Android SDK).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AgentStatus {
    /// -1.
    Retrying,
    /// 0.
    LoggedOut,
    /// 1.
    Available,
    /// 2.
    OnBreak,
    /// 3.
    Meeting,
    /// 4.
    Outgoing,
}

impl AgentStatus {
    /// The status by its code (-1 to 4).
    pub fn from_code(code: i32) -> Result<AgentStatus, Error> {
        Ok(match code {
            -1 => AgentStatus::Retrying,
            0 => AgentStatus::LoggedOut,
            1 => AgentStatus::Available,
            2 => AgentStatus::OnBreak,
            3 => AgentStatus::Meeting,
            4 => AgentStatus::Outgoing,
            _ => return Err(Error::InvalidOption("status must be -1, 0, 1, 2, 3 or 4")),
        })
    }

    /// The code.
    pub fn code(self) -> i32 {
        match self {
            AgentStatus::Retrying => -1,
            AgentStatus::LoggedOut => 0,
            AgentStatus::Available => 1,
            AgentStatus::OnBreak => 2,
            AgentStatus::Meeting => 3,
            AgentStatus::Outgoing => 4,
        }
    }
}

/// Who hears the supervisor in a whispered call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Whisper {
    /// The supervisor speaks to the agent only.
    Agent,
    /// To both.
    Both,
    /// Listens only.
    None,
}

impl Whisper {
    /// Parses `agent`, `both` or `none`.
    pub fn parse(name: &str) -> Result<Whisper, Error> {
        match name {
            "agent" => Ok(Whisper::Agent),
            "both" => Ok(Whisper::Both),
            "none" => Ok(Whisper::None),
            _ => Err(Error::InvalidOption(
                "whisper must be 'agent', 'both' or 'none'",
            )),
        }
    }

    /// The name.
    pub fn as_str(self) -> &'static str {
        match self {
            Whisper::Agent => "agent",
            Whisper::Both => "both",
            Whisper::None => "none",
        }
    }
}

/// The fields of a call tracker (create or update; `None` leaves a field out).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrackerFields {
    /// `name`.
    pub name: Option<String>,
    /// `startRequestURL`.
    pub start_request_url: Option<String>,
    /// `startRequestAPIKey` (sent in the body, to ZIWO, which calls the URL with it).
    pub start_request_api_key: Option<String>,
    /// `startRequestTimeout`, ms.
    pub start_request_timeout: Option<u32>,
    /// `endRequestURL`.
    pub end_request_url: Option<String>,
    /// `endRequestAPIKey`.
    pub end_request_api_key: Option<String>,
    /// `endRequestTimeout`, ms.
    pub end_request_timeout: Option<u32>,
    /// `welcomePlayback`.
    pub welcome_playback: Option<String>,
    /// `errorPlayback`.
    pub error_playback: Option<String>,
}

/// The names of [`TrackerFields`] as the API spells them.
pub const TRACKER_FIELDS: [&str; 9] = [
    "name",
    "startRequestURL",
    "startRequestAPIKey",
    "startRequestTimeout",
    "endRequestURL",
    "endRequestAPIKey",
    "endRequestTimeout",
    "welcomePlayback",
    "errorPlayback",
];

impl TrackerFields {
    /// Sets a field by its API name; numbers are given as decimal text.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), Error> {
        let text = || -> Result<Option<String>, Error> {
            if value.len() > 2048 || value.chars().any(char::is_control) {
                return Err(Error::InvalidOption(
                    "call tracker fields are text without control characters",
                ));
            }
            Ok(Some(value.to_owned()))
        };
        let ms = || -> Result<Option<u32>, Error> {
            value
                .parse::<u32>()
                .ok()
                .filter(|ms| *ms <= 600_000)
                .map(Some)
                .ok_or(Error::InvalidOption(
                    "call tracker timeouts are ms from 0 to 600000",
                ))
        };
        match name {
            "name" => self.name = text()?,
            "startRequestURL" => self.start_request_url = text()?,
            "startRequestAPIKey" => self.start_request_api_key = text()?,
            "startRequestTimeout" => self.start_request_timeout = ms()?,
            "endRequestURL" => self.end_request_url = text()?,
            "endRequestAPIKey" => self.end_request_api_key = text()?,
            "endRequestTimeout" => self.end_request_timeout = ms()?,
            "welcomePlayback" => self.welcome_playback = text()?,
            "errorPlayback" => self.error_playback = text()?,
            _ => return Err(Error::InvalidOption("unknown call tracker field")),
        }
        Ok(())
    }

    fn form(&self) -> String {
        let mut form = Form::default();
        let number = |n: Option<u32>| {
            n.map(|n| {
                let mut s = String::new();
                push_integer(&mut s, u64::from(n));
                s
            })
        };
        let values = [
            self.name.clone(),
            self.start_request_url.clone(),
            self.start_request_api_key.clone(),
            number(self.start_request_timeout),
            self.end_request_url.clone(),
            self.end_request_api_key.clone(),
            number(self.end_request_timeout),
            self.welcome_playback.clone(),
            self.error_playback.clone(),
        ];
        for (name, value) in TRACKER_FIELDS.iter().zip(values) {
            if let Some(v) = value {
                form.push(name, &v);
            }
        }
        form.0
    }
}

/// The query of the call trackers' logs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrackerLogQuery {
    /// `fromDate` (as the API takes it, e.g. `2026-11-01`).
    pub from_date: Option<String>,
    /// `toDate`.
    pub to_date: Option<String>,
    /// `fetchStart`.
    pub fetch_start: Option<u64>,
    /// `fetchStop`.
    pub fetch_stop: Option<u64>,
    /// `callTrackers[]`: only these trackers.
    pub trackers: Vec<String>,
}

/// Which customer entity (CDB).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entity {
    /// A profile.
    Profile,
    /// An address.
    Address,
    /// A number (add and delete only).
    Number,
    /// A social account.
    SocialAccount,
}

/// `application/x-www-form-urlencoded` being built.
#[derive(Default)]
struct Form(String);

impl Form {
    fn push(&mut self, key: &str, value: &str) {
        if !self.0.is_empty() {
            self.0.push('&');
        }
        push_uri_component(&mut self.0, key);
        self.0.push('=');
        push_uri_component(&mut self.0, value);
    }
}

/// Appends `text` as a JSON string.
pub fn push_json_string(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                let n = c as u32;
                out.push_str("\\u");
                for shift in [12, 8, 4, 0] {
                    out.push(HEX[((n >> shift) & 15) as usize] as char);
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A JSON object of string, boolean and integer members.
#[derive(Default)]
struct JsonObject(String);

impl JsonObject {
    fn key(&mut self, key: &str) {
        self.0.push(if self.0.is_empty() { '{' } else { ',' });
        push_json_string(&mut self.0, key);
        self.0.push(':');
    }

    fn string(mut self, key: &str, value: &str) -> Self {
        self.key(key);
        push_json_string(&mut self.0, value);
        self
    }

    fn boolean(mut self, key: &str, value: bool) -> Self {
        self.key(key);
        self.0.push_str(if value { "true" } else { "false" });
        self
    }

    fn integer(mut self, key: &str, value: i32) -> Self {
        self.key(key);
        if value < 0 {
            self.0.push('-');
        }
        push_integer(&mut self.0, u64::from(value.unsigned_abs()));
        self
    }

    fn finish(mut self) -> String {
        if self.0.is_empty() {
            self.0.push('{');
        }
        self.0.push('}');
        self.0
    }
}

impl Requests {
    /// Builds the path of `op` with `params` filled in, in template order, each
    /// URL-encoded as one path segment.
    pub fn path(&self, op: Op, params: &[&str]) -> Result<String, Error> {
        let template = self.routes.template(op);
        let mut out = String::with_capacity(template.len() + 32);
        let mut params = params.iter();
        let mut rest = template;
        while let Some((before, after)) = rest.split_once('{') {
            out.push_str(before);
            let (_, tail) = after.split_once('}').unwrap_or(("", ""));
            let value = params
                .next()
                .ok_or(Error::InvalidOption("a path parameter is missing"))?;
            check_segment(value)?;
            push_uri_component(&mut out, value);
            rest = tail;
        }
        out.push_str(rest);
        if params.next().is_some() {
            return Err(Error::InvalidOption("too many path parameters"));
        }
        Ok(out)
    }

    fn simple(&self, op: Op, params: &[&str]) -> Result<Request, Error> {
        Ok(Request {
            op,
            path: self.path(op, params)?,
            body: Body::None,
        })
    }

    /// `POST /auth/login` with the agent's credentials (JSON, as ZIWO's SDK sends them).
    pub fn login(&self, username: &str, password: &str) -> Result<Request, Error> {
        if username.is_empty()
            || password.is_empty()
            || username.len() > 256
            || password.len() > 1024
        {
            return Err(Error::InvalidOption("username and password are required"));
        }
        Ok(Request {
            op: Op::Login,
            path: self.path(Op::Login, &[])?,
            body: Body::Json(
                JsonObject::default()
                    .string("username", username)
                    .string("password", password)
                    .finish(),
            ),
        })
    }

    /// `GET /callHistory/{id}`: one CDR.
    pub fn call_history(&self, id: &str) -> Result<Request, Error> {
        self.simple(Op::CallHistory, &[id])
    }

    /// `GET /callHistory/?callID=…&limit&skip`: one page of CDRs, of one call or all.
    pub fn call_history_list(&self, call_id: Option<&str>, page: Page) -> Result<Request, Error> {
        let mut q = Query::default();
        if let Some(id) = call_id {
            check_segment(id)?;
            q.push("callID", id);
        }
        page.push(&mut q);
        let mut path = self.path(Op::CallHistoryList, &[])?;
        path.push_str(&q.0);
        Ok(Request {
            op: Op::CallHistoryList,
            path,
            body: Body::None,
        })
    }

    /// `GET /agents/channels/calls?fetchStart&fetchStop`: the agent's own latest calls
    /// (CDRs, newest first), `fetch_start` to `fetch_stop` (at most 50 of them).
    pub fn agent_calls(&self, fetch_start: u64, fetch_stop: u64) -> Result<Request, Error> {
        if fetch_stop < fetch_start || fetch_stop - fetch_start > u64::from(Page::MAX_LIMIT) {
            return Err(Error::InvalidOption(
                "fetchStop must be fetchStart to fetchStart + 50",
            ));
        }
        let mut q = Query::default();
        q.number("fetchStart", fetch_start);
        q.number("fetchStop", fetch_stop);
        let mut path = self.path(Op::AgentCalls, &[])?;
        path.push_str(&q.0);
        Ok(Request {
            op: Op::AgentCalls,
            path,
            body: Body::None,
        })
    }

    /// `GET /surveillance/recordings/{callID}.mp3`: a recording or a voicemail (bytes).
    pub fn recording(&self, call_id: &str) -> Result<Request, Error> {
        self.simple(Op::Recording, &[call_id])
    }

    /// Admin click to call: `POST /integrations/cti/agents/call/{number}`.
    pub fn admin_call(&self, number: &PhoneNumber, roaming_only: bool) -> Result<Request, Error> {
        Ok(Request {
            op: Op::AdminCall,
            path: self.path(Op::AdminCall, &[number.as_str()])?,
            body: Body::Json(
                JsonObject::default()
                    .boolean("roamingOnly", roaming_only)
                    .finish(),
            ),
        })
    }

    fn notes(notes: Option<&str>) -> Result<Body, Error> {
        Ok(match notes {
            None => Body::None,
            Some(n) if n.len() <= 4096 => {
                Body::Json(JsonObject::default().string("notes", n).finish())
            }
            Some(_) => return Err(Error::InvalidOption("notes are at most 4096 bytes")),
        })
    }

    /// CTI click to call for agent `cc_login`, with optional notes.
    pub fn cti_call(
        &self,
        cc_login: &str,
        number: &PhoneNumber,
        notes: Option<&str>,
    ) -> Result<Request, Error> {
        Ok(Request {
            op: Op::CtiCall,
            path: self.path(Op::CtiCall, &[cc_login, number.as_str()])?,
            body: Self::notes(notes)?,
        })
    }

    /// CTI click to IVR: connects `number` to IVR `ivr`, with optional notes.
    pub fn cti_ivr(
        &self,
        ivr: &str,
        number: &PhoneNumber,
        notes: Option<&str>,
    ) -> Result<Request, Error> {
        Ok(Request {
            op: Op::CtiIvr,
            path: self.path(Op::CtiIvr, &[ivr, number.as_str()])?,
            body: Self::notes(notes)?,
        })
    }

    /// CTI agent login.
    pub fn cti_login(&self, cc_login: &str) -> Result<Request, Error> {
        self.simple(Op::CtiLogin, &[cc_login])
    }

    /// CTI agent logout.
    pub fn cti_logout(&self, cc_login: &str) -> Result<Request, Error> {
        self.simple(Op::CtiLogout, &[cc_login])
    }

    /// CTI agent status change.
    pub fn cti_status(&self, cc_login: &str, status: AgentStatus) -> Result<Request, Error> {
        Ok(Request {
            op: Op::CtiStatus,
            path: self.path(Op::CtiStatus, &[cc_login])?,
            body: Body::Json(
                JsonObject::default()
                    .integer("status", status.code())
                    .finish(),
            ),
        })
    }

    /// Starts listening to agent `agent_id`'s calls (optionally from a named position).
    pub fn eavesdrop(&self, agent_id: &str, position: Option<&str>) -> Result<Request, Error> {
        let mut form = Form::default();
        if let Some(p) = position {
            check_segment(p)?;
            form.push("positionName", p);
        }
        Ok(Request {
            op: Op::Eavesdrop,
            path: self.path(Op::Eavesdrop, &[agent_id])?,
            body: Body::Form(form.0),
        })
    }

    /// Sets who hears the supervisor in the eavesdrop call `call_id`.
    pub fn whisper(&self, call_id: &str, whisper: Whisper) -> Result<Request, Error> {
        let mut form = Form::default();
        form.push("whisper", whisper.as_str());
        Ok(Request {
            op: Op::Whisper,
            path: self.path(Op::Whisper, &[call_id])?,
            body: Body::Form(form.0),
        })
    }

    /// Lists call trackers. `order` is a field name, `~` first for descending.
    pub fn trackers(
        &self,
        page: Page,
        search: Option<&str>,
        order: Option<&str>,
    ) -> Result<Request, Error> {
        let mut q = Query::default();
        page.push(&mut q);
        if let Some(s) = search {
            check_segment(s)?;
            q.push("search", s);
        }
        if let Some(o) = order {
            let field = o.strip_prefix('~').unwrap_or(o);
            if field.is_empty()
                || field.len() > 64
                || !field
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
            {
                return Err(Error::InvalidOption(
                    "order is a field name, with '~' first for descending",
                ));
            }
            q.push("order", o);
        }
        let mut path = self.path(Op::TrackerList, &[])?;
        path.push_str(&q.0);
        Ok(Request {
            op: Op::TrackerList,
            path,
            body: Body::None,
        })
    }

    /// One call tracker.
    pub fn tracker(&self, id: &str) -> Result<Request, Error> {
        self.simple(Op::TrackerGet, &[id])
    }

    /// Creates a call tracker (`name` and `startRequestURL` are required).
    pub fn create_tracker(&self, fields: &TrackerFields) -> Result<Request, Error> {
        if fields.name.is_none() || fields.start_request_url.is_none() {
            return Err(Error::InvalidOption(
                "a call tracker needs a name and a startRequestURL",
            ));
        }
        Ok(Request {
            op: Op::TrackerCreate,
            path: self.path(Op::TrackerCreate, &[])?,
            body: Body::Form(fields.form()),
        })
    }

    /// Updates the fields given.
    pub fn update_tracker(&self, id: &str, fields: &TrackerFields) -> Result<Request, Error> {
        Ok(Request {
            op: Op::TrackerUpdate,
            path: self.path(Op::TrackerUpdate, &[id])?,
            body: Body::Form(fields.form()),
        })
    }

    /// Blocks (`true`) or unblocks a tracker, by id or name.
    pub fn block_tracker(&self, id_or_name: &str, block: bool) -> Result<Request, Error> {
        self.simple(
            if block {
                Op::TrackerBlock
            } else {
                Op::TrackerUnblock
            },
            &[id_or_name],
        )
    }

    /// Deletes a tracker, by id or name.
    pub fn delete_tracker(&self, id_or_name: &str) -> Result<Request, Error> {
        self.simple(Op::TrackerDelete, &[id_or_name])
    }

    /// Tests a tracker's URLs.
    pub fn test_tracker(&self, id: &str) -> Result<Request, Error> {
        self.simple(Op::TrackerTest, &[id])
    }

    /// The trackers' logs.
    pub fn tracker_logs(&self, query: &TrackerLogQuery) -> Result<Request, Error> {
        let mut q = Query::default();
        for (key, value) in [("fromDate", &query.from_date), ("toDate", &query.to_date)] {
            if let Some(v) = value {
                check_segment(v)?;
                q.push(key, v);
            }
        }
        for (key, value) in [
            ("fetchStart", query.fetch_start),
            ("fetchStop", query.fetch_stop),
        ] {
            if let Some(v) = value {
                q.number(key, v);
            }
        }
        for t in &query.trackers {
            check_segment(t)?;
            q.push("callTrackers[]", t);
        }
        let mut path = self.path(Op::TrackerLogs, &[])?;
        path.push_str(&q.0);
        Ok(Request {
            op: Op::TrackerLogs,
            path,
            body: Body::None,
        })
    }

    /// Creates a customer entity from a JSON object.
    pub fn create_customer(&self, entity: Entity, json: &str) -> Result<Request, Error> {
        let op = match entity {
            Entity::Profile => Op::ProfileCreate,
            Entity::Address => Op::AddressCreate,
            Entity::Number => Op::NumberCreate,
            Entity::SocialAccount => Op::SocialCreate,
        };
        Ok(Request {
            op,
            path: self.path(op, &[])?,
            body: Body::Json(json_object(json)?),
        })
    }

    /// Updates a customer entity (numbers cannot be updated, per the seed).
    pub fn update_customer(&self, entity: Entity, id: &str, json: &str) -> Result<Request, Error> {
        let op = match entity {
            Entity::Profile => Op::ProfileUpdate,
            Entity::Address => Op::AddressUpdate,
            Entity::SocialAccount => Op::SocialUpdate,
            Entity::Number => {
                return Err(Error::InvalidOption(
                    "customer numbers are added and deleted, not updated",
                ))
            }
        };
        Ok(Request {
            op,
            path: self.path(op, &[id])?,
            body: Body::Json(json_object(json)?),
        })
    }

    /// Deletes a customer entity.
    pub fn delete_customer(&self, entity: Entity, id: &str) -> Result<Request, Error> {
        let op = match entity {
            Entity::Profile => Op::ProfileDelete,
            Entity::Address => Op::AddressDelete,
            Entity::Number => Op::NumberDelete,
            Entity::SocialAccount => Op::SocialDelete,
        };
        self.simple(op, &[id])
    }

    /// Links (`true`) or unlinks an address, number or social account to a profile.
    pub fn link_customer(
        &self,
        profile_id: &str,
        entity: Entity,
        id: &str,
        link: bool,
    ) -> Result<Request, Error> {
        let op = match (entity, link) {
            (Entity::Address, true) => Op::LinkAddress,
            (Entity::Address, false) => Op::UnlinkAddress,
            (Entity::Number, true) => Op::LinkNumber,
            (Entity::Number, false) => Op::UnlinkNumber,
            (Entity::SocialAccount, true) => Op::LinkSocial,
            (Entity::SocialAccount, false) => Op::UnlinkSocial,
            (Entity::Profile, _) => {
                return Err(Error::InvalidOption(
                    "profiles are linked to addresses, numbers and social accounts",
                ))
            }
        };
        self.simple(op, &[profile_id, id])
    }

    /// Searches customer profiles.
    pub fn search_customers(&self, text: &str, page: Page) -> Result<Request, Error> {
        check_segment(text)?;
        let mut q = Query::default();
        q.push("q", text);
        page.push(&mut q);
        let mut path = self.path(Op::ProfileSearch, &[])?;
        path.push_str(&q.0);
        Ok(Request {
            op: Op::ProfileSearch,
            path,
            body: Body::None,
        })
    }
}

/// Checks that `json` is one JSON object (`{...}`) of at most 64 KiB; its members are the
/// caller's, since ZIWO does not document the customer entities.
fn json_object(json: &str) -> Result<String, Error> {
    let t = json.trim();
    if t.len() > 65_536 || !t.starts_with('{') || !t.ends_with('}') {
        return Err(Error::InvalidOption("the body must be a JSON object"));
    }
    Ok(t.to_owned())
}

/// What a response says, as read from its status and envelope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Envelope {
    /// `result`, when it is a boolean.
    pub result: Option<bool>,
    /// `info.message`, when it is a string.
    pub message: Option<String>,
}

/// Classifies a response: `Ok(())` for an HTTP success whose envelope says `result: true`.
/// `envelope` is `None` when the body is not a JSON object (a proxy's HTML page...).
/// A refusal's message is the server's, cut to 200 characters, with `secret` (the token
/// or key sent, whatever its length) removed should the server echo it
/// ([`redact`]).
pub fn classify(status: u16, envelope: Option<&Envelope>, secret: &str) -> Result<(), Error> {
    if status == 401 || status == 403 {
        return Err(Error::ApiUnauthorized(status));
    }
    let refused = |e: &Envelope| redact(e.message.as_deref().unwrap_or(""), &[secret]);
    match envelope {
        Some(e) if e.result == Some(false) => Err(Error::ApiRefused(status, refused(e))),
        _ if !(200..300).contains(&status) => Err(Error::ApiStatus(status)),
        Some(e) if e.result == Some(true) => Ok(()),
        _ => Err(Error::ApiMalformed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req() -> Requests {
        Requests::default()
    }

    #[test]
    fn every_op_has_a_row_and_a_name() {
        for (op, name, ..) in ROUTES {
            assert_eq!(Op::from_name(name), Some(*op));
            assert_eq!(op.name(), *name);
        }
        assert_eq!(Op::from_name("nope"), None);
    }

    #[test]
    fn dot_segments_never_leave_their_path() {
        let r = req();
        let n = PhoneNumber::parse("+15550100").unwrap();
        for dots in [".", "..", "%2e", ".%2E", "%2e%2e"] {
            let refused = |result: Result<Request, Error>| {
                assert!(
                    matches!(result, Err(Error::InvalidOption(m)) if m.contains("'..'")),
                    "{dots}"
                )
            };
            refused(r.call_history(dots));
            refused(r.recording(dots));
            refused(r.delete_tracker(dots));
            refused(r.block_tracker(dots, true));
            refused(r.delete_customer(Entity::Profile, dots));
            refused(r.cti_call(dots, &n, None));
            refused(r.link_customer("1", Entity::Address, dots, true));
        }
        // Dots among other characters are an ordinary, encoded id.
        assert_eq!(r.call_history("...").unwrap().path, "/callHistory/...");
        assert!(r.call_history("%2e").is_err());
        assert_eq!(r.call_history("a.b").unwrap().path, "/callHistory/a.b");
    }

    #[test]
    fn paths_encode_each_segment() {
        let r = req().call_history("46").unwrap();
        assert_eq!(r.path, "/callHistory/46");
        assert_eq!(r.method(), Method::Get);
        assert_eq!(r.credential(), Credential::AccessToken);
        let r = req().recording("../../admin?x=1#y").unwrap();
        assert_eq!(
            r.path,
            "/surveillance/recordings/..%2F..%2Fadmin%3Fx%3D1%23y.mp3"
        );
        assert!(r.binary());
        assert!(req().call_history("").is_err());
        assert!(req().call_history("a\nb").is_err());
        assert!(req().call_history(&"x".repeat(257)).is_err());
    }

    #[test]
    fn queries_and_pages() {
        let r = req()
            .call_history_list(Some("c&1"), Page::new(50, 100).unwrap())
            .unwrap();
        assert_eq!(r.path, "/callHistory/?callID=c%261&limit=50&skip=100");
        let r = req().call_history_list(None, Page::default()).unwrap();
        assert_eq!(r.path, "/callHistory/?limit=50&skip=0");
        let r = req().agent_calls(0, 6).unwrap();
        assert_eq!(r.path, "/agents/channels/calls?fetchStart=0&fetchStop=6");
        assert_eq!(r.credential(), Credential::AccessToken);
        assert!(req().agent_calls(5, 4).is_err());
        assert!(req().agent_calls(0, 51).is_err());
        assert!(Page::new(51, 0).is_err());
        assert!(Page::new(0, 0).is_err());
        assert_eq!(
            Page::new(10, 0).unwrap().next(),
            Page {
                limit: 10,
                skip: 10
            }
        );
        let r = req()
            .trackers(Page::default(), Some("main line"), Some("~name"))
            .unwrap();
        assert_eq!(
            r.path,
            "/admin/callTrackers/?limit=50&skip=0&search=main%20line&order=~name"
        );
        assert!(req()
            .trackers(Page::default(), None, Some("~na me"))
            .is_err());
        let logs = TrackerLogQuery {
            from_date: Some("2026-11-01".into()),
            fetch_start: Some(0),
            fetch_stop: Some(50),
            trackers: vec!["a".into(), "b".into()],
            ..TrackerLogQuery::default()
        };
        assert_eq!(
            req().tracker_logs(&logs).unwrap().path,
            "/admin/callTrackers/logs?fromDate=2026-11-01&fetchStart=0&fetchStop=50&callTrackers%5B%5D=a&callTrackers%5B%5D=b"
        );
    }

    #[test]
    fn bodies() {
        let r = req().login("agent@example.com", "p\"ss\\w\u{1}").unwrap();
        assert_eq!(
            r.body,
            Body::Json(r#"{"username":"agent@example.com","password":"p\"ss\\w\u0001"}"#.into())
        );
        assert_eq!(r.credential(), Credential::None);
        let n = PhoneNumber::parse("+971 50 123").unwrap();
        assert_eq!(
            req().admin_call(&n, true).unwrap(),
            Request {
                op: Op::AdminCall,
                path: "/integrations/cti/agents/call/%2B97150123".into(),
                body: Body::Json(r#"{"roamingOnly":true}"#.into())
            }
        );
        let r = req().cti_call("1001", &n, Some("VIP")).unwrap();
        assert_eq!(r.path, "/integrations/cti/agents/1001/call/%2B97150123");
        assert_eq!(r.credential(), Credential::ApiKey);
        assert_eq!(r.body, Body::Json(r#"{"notes":"VIP"}"#.into()));
        let r = req()
            .cti_status("1001", AgentStatus::from_code(-1).unwrap())
            .unwrap();
        assert_eq!(r.body, Body::Json(r#"{"status":-1}"#.into()));
        assert!(AgentStatus::from_code(5).is_err());
        let r = req().eavesdrop("5555", Some("my desk")).unwrap();
        assert_eq!(r.body, Body::Form("positionName=my%20desk".into()));
        let r = req()
            .whisper("c-1", Whisper::parse("both").unwrap())
            .unwrap();
        assert_eq!(
            (r.method(), r.body),
            (Method::Put, Body::Form("whisper=both".into()))
        );
        assert!(Whisper::parse("all").is_err());
    }

    #[test]
    fn call_trackers() {
        let mut f = TrackerFields::default();
        assert!(
            req().create_tracker(&f).is_err(),
            "name and start URL are required"
        );
        f.set("name", "Main & co").unwrap();
        f.set("startRequestURL", "https://crm.example/start")
            .unwrap();
        f.set("startRequestTimeout", "3000").unwrap();
        assert!(f.set("startRequestTimeout", "soon").is_err());
        assert!(f.set("colour", "red").is_err());
        let r = req().create_tracker(&f).unwrap();
        assert_eq!(
            r.body,
            Body::Form("name=Main%20%26%20co&startRequestURL=https%3A%2F%2Fcrm.example%2Fstart&startRequestTimeout=3000".into())
        );
        assert_eq!(
            req().block_tracker("Main line", true).unwrap().path,
            "/admin/callTrackers/Main%20line/block"
        );
        assert_eq!(
            req().block_tracker("7", false).unwrap().path,
            "/admin/callTrackers/7/unblock"
        );
        assert_eq!(req().delete_tracker("7").unwrap().method(), Method::Delete);
    }

    #[test]
    fn customers_and_overrides() {
        let r = req()
            .create_customer(Entity::Profile, r#" {"firstName":"Selina"} "#)
            .unwrap();
        assert_eq!(
            (r.path.as_str(), r.body),
            (
                "/customers/profiles",
                Body::Json(r#"{"firstName":"Selina"}"#.into())
            )
        );
        assert!(req().create_customer(Entity::Profile, "[1]").is_err());
        assert!(req().update_customer(Entity::Number, "1", "{}").is_err());
        let r = req()
            .link_customer("p1", Entity::SocialAccount, "s/1", true)
            .unwrap();
        assert_eq!(r.path, "/customers/profiles/p1/socialAccounts/s%2F1");
        let mut requests = Requests::default();
        requests
            .routes
            .set(Op::LinkNumber, "/cdb/{id}/numbers/{numberId}/link")
            .unwrap();
        assert_eq!(
            requests
                .link_customer("p1", Entity::Number, "n1", true)
                .unwrap()
                .path,
            "/cdb/p1/numbers/n1/link"
        );
        for bad in [
            "cdb/{id}/{numberId}",
            "/cdb/{numberId}",
            "/cdb/{id}/{numberId}?x",
            "/../{id}/{numberId}",
            "/a b/{id}/{numberId}",
        ] {
            assert!(requests.routes.set(Op::LinkNumber, bad).is_err(), "{bad}");
        }
        assert_eq!(Op::LinkNumber.source(), Source::Assumed);
        assert_eq!(Op::CallHistory.source(), Source::Seed);
    }

    #[test]
    fn envelopes() {
        let ok = Envelope {
            result: Some(true),
            message: None,
        };
        let no = Envelope {
            result: Some(false),
            message: Some("Agent is busy".into()),
        };
        let t = "test-access-token";
        assert_eq!(classify(200, Some(&ok), t), Ok(()));
        assert_eq!(
            classify(200, Some(&no), t),
            Err(Error::ApiRefused(200, "Agent is busy".into()))
        );
        assert_eq!(
            classify(400, Some(&no), t),
            Err(Error::ApiRefused(400, "Agent is busy".into()))
        );
        assert_eq!(
            classify(401, Some(&ok), t),
            Err(Error::ApiUnauthorized(401))
        );
        assert_eq!(classify(403, None, t), Err(Error::ApiUnauthorized(403)));
        assert_eq!(classify(500, None, t), Err(Error::ApiStatus(500)));
        assert_eq!(classify(200, None, t), Err(Error::ApiMalformed));
        assert_eq!(
            classify(
                200,
                Some(&Envelope {
                    result: None,
                    message: None
                }),
                t
            ),
            Err(Error::ApiMalformed)
        );
        let echo = Envelope {
            result: Some(false),
            message: Some("bad token tok-12345\n".into()),
        };
        assert_eq!(
            classify(200, Some(&echo), "tok-12345"),
            Err(Error::ApiRefused(200, "bad token <redacted>".into()))
        );
    }

    /// No part of the secret survives the cut to 200 characters, wherever it falls.
    #[test]
    fn a_refusal_never_keeps_part_of_the_secret() {
        let secret = "tok-1234567890abcdef";
        let refused = |message: String| match classify(
            200,
            Some(&Envelope {
                result: Some(false),
                message: Some(message),
            }),
            secret,
        ) {
            Err(Error::ApiRefused(_, text)) => text,
            other => panic!("{other:?}"),
        };
        for at in 150..200 {
            // The whole secret echoed across the cut, and the server's own cut echo.
            let whole = refused(format!("{}{secret} and more", "x".repeat(at)));
            let cut = refused(format!("{}{}", "x".repeat(at), &secret[..8]));
            for text in [&whole, &cut] {
                assert!(text.chars().count() <= 200 + "<redacted>".len(), "{text}");
                for k in 8..=secret.len() {
                    assert!(!text.ends_with(&secret[..k]), "{at}: {text}");
                }
                assert!(!text.contains("tok-1234"), "{at}: {text}");
            }
        }
        // A message that merely ends like the secret's first few characters is kept.
        assert_eq!(refused("Refused by tok-123".into()), "Refused by tok-123");
        // Any secret (the function is public): no panic on a character boundary.
        let envelope = Envelope {
            result: Some(false),
            message: Some("échec éééé".into()),
        };
        assert!(classify(200, Some(&envelope), "éééééééé").is_err());
        assert!(classify(200, Some(&envelope), "test-access-token").is_err());
    }
}
