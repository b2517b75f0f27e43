//! The REST client: sends what [`core::api`](crate::core::api) builds to the API's origin
//! with `fetch`, and classifies what comes back.
//!
//! Credentials travel only in a header (`access_token` or `api_key`), only to the one
//! origin of the client, never in a URL, a log line or an error message; redirects are
//! refused so that no header can follow one to another host; no cookies are sent.

use super::loader::resolve_http_url;
use super::oneshot::{after, when_settled, Oneshot};
use super::read;
use super::storage::{read_session, write_session};
use crate::core::api::{
    classify, credential_header, Body, Credentials, Envelope, Request, Requests,
};
use crate::core::{check_http_url, check_timeout_ms, http_origin, ContactCenter, Error, Token};
use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// How long a request may take by default.
pub const DEFAULT_API_TIMEOUT_MS: u32 = 15_000;

/// A client of one contact center's API.
///
/// ```no_run
/// use ziwo_webphone::{ApiClient, ApiReply};
/// # async fn run() -> Result<(), ziwo_webphone::Error> {
/// let api = ApiClient::from_session()?; // the web phone's own session
/// let request = api.requests().call_history("46")?;
/// if let ApiReply::Json(cdr) = api.send(&request).await? {
///     // `cdr` is the envelope's `content`
/// }
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct ApiClient {
    origin: String,
    contact_center: Option<ContactCenter>,
    credentials: Credentials,
    timeout_ms: u32,
    requests: Requests,
}

impl ApiClient {
    /// A client of `https://<cc>-api.aswat.co` with `credentials`.
    pub fn new(contact_center: &ContactCenter, credentials: Credentials) -> ApiClient {
        ApiClient {
            origin: contact_center.api_origin(),
            contact_center: Some(contact_center.clone()),
            credentials,
            timeout_ms: DEFAULT_API_TIMEOUT_MS,
            requests: Requests::default(),
        }
    }

    /// A client of the API at `base_url` (a CRM's proxy, a test stand-in), which has no
    /// contact-center name: as [`with_base_url`](ApiClient::with_base_url) takes it.
    /// Credentials go to that origin only.
    pub fn at(base_url: &str, credentials: Credentials) -> Result<ApiClient, Error> {
        ApiClient {
            origin: String::new(),
            contact_center: None,
            credentials,
            timeout_ms: DEFAULT_API_TIMEOUT_MS,
            requests: Requests::default(),
        }
        .with_base_url(base_url)
    }

    /// A client on the web phone's session (`_jorel-token`, `_jorel-ccName`).
    pub fn from_session() -> Result<ApiClient, Error> {
        let session = read_session()?.ok_or(Error::NotSignedIn)?;
        Ok(ApiClient::new(
            &session.contact_center,
            Credentials::AccessToken(session.token),
        ))
    }

    /// Sends to another origin (a loopback server in tests, a proxy): an `http(s)` URL
    /// whose path, query and fragment are ignored; only its origin is kept. In a page it may
    /// be relative to the page; elsewhere (Node) it must be absolute.
    pub fn with_base_url(mut self, url: &str) -> Result<ApiClient, Error> {
        let href = match web_sys::window().and_then(|w| w.document()) {
            Some(document) => resolve_http_url(&document, url)?,
            None => {
                let href = web_sys::Url::new(url)
                    .map_err(|_| Error::InvalidUrl)?
                    .href();
                check_http_url(&href)?;
                href
            }
        };
        self.origin = http_origin(&href)?.to_owned();
        Ok(self)
    }

    /// Aborts requests after `ms` milliseconds (1 to 600000; the default is
    /// [`DEFAULT_API_TIMEOUT_MS`]), or [`Error::InvalidOption`].
    pub fn with_timeout(mut self, ms: u32) -> Result<ApiClient, Error> {
        self.timeout_ms = check_timeout_ms(f64::from(ms), 1)?;
        Ok(self)
    }

    /// The request builder, with this client's route table.
    pub fn requests(&self) -> &Requests {
        &self.requests
    }

    /// The contact center, when the client was made from one.
    pub fn contact_center(&self) -> Option<&ContactCenter> {
        self.contact_center.as_ref()
    }

    /// The route table, to override an assumed path.
    pub fn requests_mut(&mut self) -> &mut Requests {
        &mut self.requests
    }

    /// The origin requests go to.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The secret sent, to keep it out of error messages.
    fn secret(&self) -> &str {
        match &self.credentials {
            Credentials::None => "",
            Credentials::AccessToken(t) | Credentials::ApiKey(t) => t.expose(),
        }
    }

    /// Sends `request`. An `ApiCall` is a future of the envelope's `content` (or of the
    /// bytes, for a recording).
    pub fn send(&self, request: &Request) -> ApiCall {
        let done = Oneshot::new();
        if let Err(e) = self.start(request, done.clone()) {
            done.settle(Err(e));
        }
        ApiCall(done)
    }

    fn start(
        &self,
        request: &Request,
        done: Oneshot<Result<ApiReply, Error>>,
    ) -> Result<(), Error> {
        // `fetch`, `Headers` and `AbortController` are globals in a page and in Node 18+.
        let headers = web_sys::Headers::new().map_err(|_| Error::NoDocument)?;
        let header =
            |name: &str, value: &str| headers.set(name, value).map_err(|_| Error::InvalidToken);
        if let Some((name, value)) = credential_header(request.credential(), &self.credentials)? {
            header(name, value)?;
        }
        let init = web_sys::RequestInit::new();
        init.set_method(request.method().as_str());
        match &request.body {
            Body::None => {}
            Body::Json(json) => {
                header("content-type", "application/json")?;
                init.set_body(&JsValue::from_str(json));
            }
            Body::Form(form) => {
                header("content-type", "application/x-www-form-urlencoded")?;
                init.set_body(&JsValue::from_str(form));
            }
        }
        init.set_headers(&headers);
        init.set_redirect(web_sys::RequestRedirect::Error);
        init.set_credentials(web_sys::RequestCredentials::Omit);
        init.set_cache(web_sys::RequestCache::NoStore);
        let controller = web_sys::AbortController::new().map_err(|_| Error::NoDocument)?;
        init.set_signal(Some(&controller.signal()));

        let mut url = String::with_capacity(self.origin.len() + request.path.len());
        url.push_str(&self.origin);
        url.push_str(&request.path);
        // Through the snippet: a page's `fetch` that throws is a rejection, not an
        // exception through this module.
        let fetched = read::request(&url, &init);

        let timed_out = Rc::new(Cell::new(false));
        let on_timeout = timed_out.clone();
        after(
            self.timeout_ms.min(i32::MAX as u32) as i32,
            Box::new(move || {
                on_timeout.set(true);
                controller.abort();
            }),
        );
        let exchange = Exchange {
            binary: request.binary(),
            secret: self.secret().to_owned(),
            timed_out,
            done,
        };
        exchange.on_response(&fetched);
        Ok(())
    }
}

/// One request in flight.
#[derive(Clone)]
struct Exchange {
    binary: bool,
    secret: String,
    timed_out: Rc<Cell<bool>>,
    done: Oneshot<Result<ApiReply, Error>>,
}

impl Exchange {
    fn finish(&self, result: Result<ApiReply, Error>) {
        // The timer is left to fire (it aborts a request that is over: nothing), so
        // that its callback is called and freed.
        self.done.settle(result);
    }

    fn failed(&self) -> Error {
        if self.timed_out.get() {
            Error::ApiTimeout
        } else {
            Error::ApiNetwork
        }
    }

    fn on_response(self, fetched: &JsValue) {
        let on_err = self.clone();
        when_settled(
            fetched,
            move |response| self.read(response.unchecked_into()),
            move |_| on_err.finish(Err(on_err.failed())),
        );
    }

    fn read(self, response: web_sys::Response) {
        let status = read::status(&response);
        if status == 0 {
            return self.finish(Err(Error::ApiNetwork));
        }
        let ok = (200..300).contains(&status);
        if self.binary && ok {
            let body = response.blob().map(JsValue::from);
            let on_err = self.clone();
            return match body {
                Ok(body) => {
                    when_settled(
                        &body,
                        move |blob| self.finish(Ok(ApiReply::Bytes(blob.unchecked_into()))),
                        move |_| on_err.finish(Err(on_err.failed())),
                    );
                }
                Err(_) => self.finish(Err(Error::ApiNetwork)),
            };
        }
        let text = response.text().map(JsValue::from);
        let on_err = self.clone();
        match text {
            Ok(text) => {
                when_settled(
                    &text,
                    move |text| {
                        let result = self.envelope(status, &text);
                        self.finish(result)
                    },
                    move |_| on_err.finish(Err(on_err.failed())),
                );
            }
            Err(_) => self.finish(Err(Error::ApiNetwork)),
        }
    }

    /// Reads `{result, content, info: {message}}` from the body text.
    fn envelope(&self, status: u16, text: &JsValue) -> Result<ApiReply, Error> {
        let parsed = text
            .as_string()
            .and_then(|t| js_sys::JSON::parse(&t).ok())
            .filter(|v| v.is_object() && !js_sys::Array::is_array(v));
        let Some(body) = parsed else {
            classify(status, None, &self.secret)?;
            return Err(Error::ApiMalformed);
        };
        let get = |o: &JsValue, key: &str| {
            js_sys::Reflect::get(o, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
        };
        let info = get(&body, "info");
        let envelope = Envelope {
            result: get(&body, "result").as_bool(),
            message: if info.is_object() {
                get(&info, "message").as_string()
            } else {
                None
            },
        };
        classify(status, Some(&envelope), &self.secret)?;
        Ok(ApiReply::Json(get(&body, "content")))
    }
}

/// What the API answered.
#[derive(Clone, Debug)]
pub enum ApiReply {
    /// The envelope's `content`, as parsed by `JSON.parse`.
    Json(JsValue),
    /// A recording's bytes.
    Bytes(web_sys::Blob),
}

impl ApiReply {
    /// The JSON content (`undefined` for bytes).
    pub fn content(&self) -> JsValue {
        match self {
            ApiReply::Json(v) => v.clone(),
            ApiReply::Bytes(_) => JsValue::UNDEFINED,
        }
    }

    /// Decodes the content into a typed value ([`Cdr`](crate::core::webhooks::Cdr)...).
    #[cfg(feature = "serde")]
    pub fn decode<T: serde::de::DeserializeOwned>(&self) -> Result<T, Error> {
        serde_wasm_bindgen::from_value(self.content()).map_err(|_| Error::ApiMalformed)
    }
}

/// A request in flight: a future of its reply. Cheap to clone.
#[derive(Clone)]
#[must_use = "the request is sent even if this is dropped; await it for the reply"]
pub struct ApiCall(pub(crate) Oneshot<Result<ApiReply, Error>>);

impl Future for ApiCall {
    type Output = Result<ApiReply, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.0).poll(cx)
    }
}

/// Logs an agent in (`POST /auth/login`) and returns the access token; with
/// `save_session`, writes it with the contact center as the web phone's auto-login.
pub async fn login(
    client: &ApiClient,
    username: &str,
    password: &str,
    save_session: bool,
) -> Result<Token, Error> {
    let reply = client
        .send(&client.requests().login(username, password)?)
        .await;
    logged_in(client, reply, save_session)
}

/// The token of a login's reply, saved as the auto-login with `save_session`.
pub(crate) fn logged_in(
    client: &ApiClient,
    reply: Result<ApiReply, Error>,
    save_session: bool,
) -> Result<Token, Error> {
    let reply = reply?;
    let token = js_sys::Reflect::get(&reply.content(), &JsValue::from_str("access_token"))
        .ok()
        .and_then(|t| t.as_string())
        .ok_or(Error::ApiMalformed)?;
    let token = Token::parse(&token).map_err(|_| Error::ApiMalformed)?;
    if save_session {
        let cc = client.contact_center.as_ref().ok_or(Error::InvalidOption(
            "saving the session needs the contact center",
        ))?;
        write_session(&token, cc)?;
    }
    Ok(token)
}
