//! Typed access to the ZIWO web phone from Rust compiled to WebAssembly.
#![warn(missing_docs)]

mod browser;
pub mod core;
#[cfg(feature = "js")]
mod js;

pub use crate::browser::*;
pub use crate::core::{
    CallEvent, CallSnapshot, CallState, ContactCenter, Direction, Durations, Error, PhoneEvent,
    PhoneNumber, PopupRule, Position, Session, Size, Token,
};
