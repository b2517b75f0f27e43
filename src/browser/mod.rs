//! The browser layer: translates between the DOM and the pure core.

mod api;
#[cfg(feature = "js")]
mod bindings;
mod calllog;
mod cdr;
mod control;
mod dialer;
mod links;
mod loader;
mod log;
mod oneshot;
mod phone;
mod popup;
mod presence;
pub(crate) mod read;
mod storage;
mod subscribers;

pub use crate::core::api::Credentials;
pub use api::{login, ApiCall, ApiClient, ApiReply, DEFAULT_API_TIMEOUT_MS};
pub use calllog::{CallLogOptions, Dropped, MAX_DELIVERIES};
pub use control::Command;
pub use dialer::{dial, Dialing, DEFAULT_DIAL_TIMEOUT_MS, DIAL_FUNCTION};
pub use links::{LinkErrorHandler, Links, NUMBER_ATTRIBUTE};
pub use loader::{install, Install, ScriptLoad, SCRIPT_ID};
pub use log::{clear_logger, set_logger, Level};
pub use phone::{Events, PhoneOptions, Ready, Subscription, WebPhone, DEFAULT_READY_TIMEOUT_MS};
pub use popup::{Popup, PopupReply, PopupUrl};
pub use storage::{clear_session, read_session, write_session};
