//! The phone's keys in `localStorage`, read and written as plain strings, exactly as
//! `localStorage.setItem(key, value)` writes them (the phone does not JSON-decode).
//!
//! `gloo-storage` is not used here: it JSON-encodes every value (`"\"abc\""`), which
//! breaks the phone's auto-login.

use crate::core::{ContactCenter, Error, Session, Token, CC_LOGIN_KEY, CC_NAME_KEY, TOKEN_KEY};
use web_sys::Storage;

/// `window.localStorage`, or [`Error::StorageUnavailable`] when there is none or the
/// browser refuses access (blocked cookies, sandboxed frames: the getter throws).
pub(crate) fn local_storage() -> Result<Storage, Error> {
    let window = web_sys::window().ok_or(Error::StorageUnavailable)?;
    match window.local_storage() {
        Ok(Some(storage)) => Ok(storage),
        _ => Err(Error::StorageUnavailable),
    }
}

pub(crate) fn get(storage: &Storage, key: &str) -> Result<Option<String>, Error> {
    storage.get_item(key).map_err(|_| Error::StorageUnavailable)
}

/// Writes every pair, or none: when a write throws (quota, a page's override), the
/// values written before it are put back and [`Error::StorageFailed`] is returned; when a
/// read throws, they are put back too and the error is [`Error::StorageUnavailable`].
pub(crate) fn set_all(storage: &Storage, pairs: &[(&str, &str)]) -> Result<(), Error> {
    let mut previous: Vec<(&str, Option<String>)> = Vec::with_capacity(pairs.len());
    for &(key, value) in pairs {
        let before = get(storage, key).inspect_err(|_| restore(storage, &previous))?;
        if storage.set_item(key, value).is_err() {
            restore(storage, &previous);
            return Err(Error::StorageFailed);
        }
        previous.push((key, before));
    }
    Ok(())
}

/// Removes every key, or none (see [`set_all`]).
pub(crate) fn remove_all(storage: &Storage, keys: &[&str]) -> Result<(), Error> {
    let mut previous: Vec<(&str, Option<String>)> = Vec::with_capacity(keys.len());
    for &key in keys {
        let before = get(storage, key).inspect_err(|_| restore(storage, &previous))?;
        if storage.remove_item(key).is_err() {
            restore(storage, &previous);
            return Err(Error::StorageFailed);
        }
        previous.push((key, before));
    }
    Ok(())
}

fn restore(storage: &Storage, previous: &[(&str, Option<String>)]) {
    for (key, value) in previous.iter().rev() {
        let _ = match value {
            Some(v) => storage.set_item(key, v),
            None => storage.remove_item(key),
        };
    }
}

/// Reads the web phone's session (`_jorel-token`, `_jorel-ccName`, `_jorel-ccLogin`).
///
/// `Ok(None)` when the token or the name is missing; [`Error::CorruptSession`] naming
/// the key when a stored value is not valid (a JSON-encoded token, say);
/// [`Error::StorageUnavailable`] when there is no `localStorage` or a read throws (then
/// whether the agent is signed in is unknown: it is never read as logged out).
pub fn read_session() -> Result<Option<Session>, Error> {
    let storage = local_storage()?;
    let token = get(&storage, TOKEN_KEY)?;
    let name = get(&storage, CC_NAME_KEY)?;
    let login = get(&storage, CC_LOGIN_KEY)?;
    Session::from_stored(token.as_deref(), name.as_deref(), login.as_deref())
}

/// Writes the auto-login keys `_jorel-token` and `_jorel-ccName` (both or neither).
/// The phone connects by itself when they are set before its loader runs.
pub fn write_session(token: &Token, contact_center: &ContactCenter) -> Result<(), Error> {
    set_all(
        &local_storage()?,
        &[
            (TOKEN_KEY, token.expose()),
            (CC_NAME_KEY, contact_center.as_str()),
        ],
    )
}

/// Logs out: removes `_jorel-token`, `_jorel-ccName` and `_jorel-ccLogin`.
pub fn clear_session() -> Result<(), Error> {
    remove_all(&local_storage()?, &[TOKEN_KEY, CC_NAME_KEY, CC_LOGIN_KEY])
}
