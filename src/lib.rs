//! Embed and drive the [ZIWO](https://www.ziwo.io) contact-center web phone from a CRM
//! page compiled to WebAssembly: install its loader, log the agent in, dial, hear every
//! call's transitions, open the customer's record, and call ZIWO's REST API with the
//! phone's own session.
//!
//! The crate has two layers:
//!
//! - [`core`]: pure Rust, no browser. Contact-center names, phone numbers and tokens,
//!   event parsing, the per-call [`Tracker`](core::Tracker), the pop-up rule, the REST
//!   API's routes and envelopes ([`core::api`]), call-tracker webhooks
//!   ([`core::webhooks`]). Usable on a server.
//! - The browser layer, re-exported at the root: [`WebPhone`], [`Install`], [`dial`],
//!   [`Popup`], the session functions and [`ApiClient`]. It needs `wasm32` and a page.
//!
//! Errors are one type, [`Error`], with a stable [`code`](Error::code). Bad input
//! changes nothing and never panics.
//!
//! A [`WebPhone`] listens from [`WebPhone::new`] until [`WebPhone::dispose`], whether or
//! not a handle is kept; after `dispose` its methods fail with [`Error::Disposed`].
//!
//! **Callbacks must not panic.** In the browser a panic does not unwind: the module is
//! built with `panic = "abort"` (and `wasm32-unknown-unknown` aborts anyway), so a Rust
//! callback that panics (a call, mute, phone or session listener, a pop-up resolver or
//! handler, a call-log handler or drop listener, a click-to-dial error handler, a logger
//! sink) aborts the whole module, and every later call into it fails.
//! Handle errors inside callbacks instead.
//!
//! # Install the phone
//!
//! ```no_run
//! use ziwo_webphone::{ContactCenter, Install, Position, Size, Token};
//! # async fn run() -> Result<(), ziwo_webphone::Error> {
//! Install::new(ContactCenter::parse("wayne-enterprise")?)
//!     .position(Position::BottomLeft)
//!     .size(Size::Small)
//!     .token(Token::parse("b10c6840-a9e7-11e8-8476-8d2a2f09b159")?) // auto-login
//!     .run()? // inserted now; the future follows the script's load
//!     .await?;
//! # Ok(()) }
//! ```
//!
//! # Follow the calls: a stream, or callbacks
//!
//! ```no_run
//! use futures_util::StreamExt;
//! use ziwo_webphone::{CallState, WebPhone};
//! # fn run() -> Result<(), ziwo_webphone::Error> {
//! let phone = WebPhone::new()?;
//! let mut calls = phone.call_events()?;
//! wasm_bindgen_futures::spawn_local(async move {
//!     while let Some(event) = calls.next().await {
//!         if *event.state() == CallState::Destroy {
//!             let d = event.call.durations(event.at());
//!             // show the call's times: d.ring_ms, d.talk_ms, d.hold_ms... (to log
//!             // every call without losing one to a reload, use `on_call_ended`)
//!             let _ = d;
//!         }
//!     }
//! });
//! // Or a callback, removed when the subscription is dropped (or kept with `forget`,
//! // until `dispose`):
//! phone
//!     .on_call(|event| {
//!         let _ = (&event.call.customer_number, event.state(), &event.previous);
//!     })?
//!     .forget();
//! # Ok(()) }
//! ```
//!
//! # Log every call, with its outcome
//!
//! The call log keeps each ended call's record in a durable outbox until the handler
//! takes it; with a REST client, each record first waits for the call's CDR from ZIWO's
//! API (disposition, who hung up, the recording):
//!
//! ```no_run
//! use ziwo_webphone::{ApiClient, CallLogOptions, CdrStatus, WebPhone};
//! # fn run() -> Result<(), ziwo_webphone::Error> {
//! let phone = WebPhone::new()?;
//! let options = CallLogOptions::new().cdr(ApiClient::from_session()?);
//! phone
//!     .on_call_ended_with(options, |record| async move {
//!         let outcome = match (&record.cdr_status, &record.cdr) {
//!             (Some(CdrStatus::Found), Some(cdr)) => cdr.disposition.clone(),
//!             _ => None, // not found within the wait, or the API failed
//!         };
//!         // POST the record and its outcome to the CRM; Err(..) retries later.
//!         let _ = (record.call_id, outcome);
//!         Ok::<(), ()>(())
//!     })?
//!     .forget();
//! # Ok(()) }
//! ```
//!
//! # Click to call
//!
//! ```no_run
//! use ziwo_webphone::{dial, PhoneNumber, DEFAULT_DIAL_TIMEOUT_MS};
//! # async fn run() -> Result<(), ziwo_webphone::Error> {
//! // Waits (bounded: at most 600000 ms) until the phone has loaded and defined its dial
//! // function.
//! dial(&PhoneNumber::parse("+971 (50) 123-4567")?, DEFAULT_DIAL_TIMEOUT_MS).await?;
//! // Or through a WebPhone, which refuses with `Error::Disposed` once disposed.
//! let phone = ziwo_webphone::WebPhone::new()?;
//! phone.dial(&PhoneNumber::parse("1001")?, DEFAULT_DIAL_TIMEOUT_MS).await?;
//! # Ok(()) }
//! ```
//!
//! # The CRM pop-up
//!
//! ```no_run
//! use ziwo_webphone::{Popup, WebPhone};
//! # fn run() -> Result<(), ziwo_webphone::Error> {
//! let phone = WebPhone::new()?;
//! // Once per call, across every tab of the CRM: at `ringing` (inbound) or `early`
//! // (outbound); never for a call recovered after a reload.
//! phone.set_popup(
//!     Popup::template("https://crm.example/customers?phone={number}")
//!         .on_blocked(|url, _event| { /* show a link to `url` */ let _ = url; }),
//! )?;
//! # Ok(()) }
//! ```
//!
//! # The session
//!
//! ```no_run
//! use ziwo_webphone::{clear_session, read_session, WebPhone};
//! # fn run() -> Result<(), ziwo_webphone::Error> {
//! if let Some(session) = read_session()? {
//!     let _ = (session.contact_center, session.cc_login); // the token stays redacted in Debug
//! }
//! let phone = WebPhone::new()?;
//! phone
//!     .on_session_change(|change| {
//!         // Another tab signed in or out; the change never carries the token.
//!         let _ = (change.signed_in, &change.contact_center, &change.error);
//!     })?
//!     .forget();
//! clear_session()?; // log out
//! # Ok(()) }
//! ```
//!
//! # The REST API
//!
//! ```no_run
//! use ziwo_webphone::core::api::Page;
//! use ziwo_webphone::{ApiClient, ApiReply};
//! # async fn run() -> Result<(), ziwo_webphone::Error> {
//! let api = ApiClient::from_session()?; // the web phone's own session
//! let request = api.requests().call_history_list(None, Page::default())?;
//! let cdrs = api.send(&request).await?.content(); // the envelope's `content`
//! if let ApiReply::Bytes(mp3) = api.send(&api.requests().recording("fdf893f5")?).await? {
//!     let _ = mp3; // a web_sys::Blob
//! }
//! # let _ = cdrs; Ok(()) }
//! ```
//!
//! # Pure core, natively
//!
//! ```
//! use ziwo_webphone::core::{parse_call, CallState, Raw, RawCall, Tracker, Update};
//! let mut tracker = Tracker::new();
//! let raw = RawCall { call_id: Raw::Str("c-1".into()), ..RawCall::default() };
//! for state in [CallState::Ringing, CallState::Ringing, CallState::Active] {
//!     if let Some(Update::State(event)) = tracker.apply(parse_call(state, &raw, 0.0).unwrap()) {
//!         println!("{} -> {}", event.previous.as_ref().map_or("-".into(), |p| p.to_string()), event.state());
//!     }
//! } // prints "- -> ringing" and "ringing -> active": repeats are not transitions
//! ```
//!
//! # Features
//!
//! - `browser` (default): the browser layer (`web-sys`, `wasm-bindgen`). Without it the
//!   crate is the [`core`] alone.
//! - `js`: the `wasm-bindgen` exports that the npm package's JavaScript facade wraps
//!   (the same browser layer, for JavaScript callers), and `talc` as the global
//!   allocator of that artifact. Rust users leave it off (it would set their allocator).
//! - `serde`: (de)serialisation of the webhook payloads and CDRs, and
//!   [`ApiReply::decode`] into typed values.
#![warn(missing_docs)]

#[cfg(feature = "browser")]
mod browser;
pub mod core;

#[cfg(feature = "browser")]
pub use crate::browser::*;
pub use crate::core::{
    Agent, CallDetail, CallEvent, CallRecord, CallSnapshot, CallState, CdrStatus, Connection,
    ContactCenter, Direction, Durations, Error, MuteEvent, PhoneEvent, PhoneNumber, PopupRule,
    Position, Session, SessionChange, Size, Token,
};
