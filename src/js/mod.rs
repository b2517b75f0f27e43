//! The wasm that the npm package ships: the decisions, and only the decisions, behind a
//! small C ABI of strings in and strings out.
//!
//! `js/index.js` is the public facade and does the browser's mechanics itself (inserting
//! the loader script, localStorage reads and writes, window listeners, the dial
//! function's polling, `window.open`, Web Locks, Promises and the lists of subscribers).
//! Everything that decides anything comes from here, from the pure core: validation of
//! names, numbers, tokens, nonces, URLs, extra states and stored sessions; which events
//! are listened to; parsing each event, tracking calls and turning repeats into nothing;
//! the pop-up rule, its template and its cross-tab claims; every error's code and
//! message; and, with the `api` feature, every REST request and the judgement of every
//! answer. Rust users get the same decisions through the Rust browser layer
//! ([`crate::WebPhone`] and friends).
//!
//! # The ABI (driven by `js/wasm.js`)
//!
//! The module imports nothing and exports its `memory` and three functions:
//!
//! - `ziwo_input(size) -> ptr`: a buffer of at least `size` bytes for the next call's
//!   strings;
//! - `ziwo_run(op, handle, len, a, b, c, d) -> status`: runs operation `op` (the `op`
//!   module below) on the `len` bytes of strings in the buffer, on the phone or client
//!   `handle`, with up to four numbers. Each string is a little-endian `u32` byte length
//!   (`0xFFFF_FFFF`: absent) followed by its UTF-8 bytes. The status is the operation's
//!   answer, or [`FAILED`]: the output is then an error;
//! - `ziwo_output() -> ptr`: four `usize`: where the last call's output strings are
//!   (same encoding) and how many bytes, where its numbers are (`f64`) and how many.
//!
//! Strings cross the boundary only as bytes in memory, the way `wasm-bindgen` passes
//! them, but without its generated glue: one encoder and one decoder serve every
//! operation. The input is zeroed after each call and the output before the next, and
//! the allocator zeroes every block it takes back, so that a token passed in or out does
//! not linger in the module's memory. Buffers that a large call grew past [`KEPT`] bytes
//! are freed after it.

use crate::core::{
    check_extra_state, check_http_url, check_nonce, expand_template, is_session_key,
    listened_events, parse_call_with, parse_phone, wipe, CallSnapshot, CallState, ContactCenter,
    Error, EventName, PhoneEvent, PhoneNumber, PopupClaims, PopupGate, PopupRule, Position,
    RawCall, RawPhone, Session, Size, Token, Tracker, CC_LOGIN_KEY, CC_NAME_KEY, CLAIMS_KEY,
    POSITION_KEY, SIZE_KEY, TOKEN_KEY,
};
use std::cell::UnsafeCell;

#[cfg(feature = "api")]
mod api;

// The npm package is a final artifact, so it picks its allocator: lol_alloc's free list
// is the smallest that reuses freed memory (a long shift allocates and frees all day),
// and every block is zeroed as it is freed, so that no token (nor any other string the
// page passed in) stays behind in freed memory. Rust users of the crate keep their own.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
// SAFETY: wasm32 without atomics runs this module on one thread.
static ALLOCATOR: Wiping =
    Wiping(unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) });

/// An allocator that zeroes each block before it goes back to the free list
/// (`realloc` is alloc, copy, dealloc: the old block is zeroed too).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
struct Wiping(lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator>);

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
// SAFETY: forwards to lol_alloc; only zeroes memory that the caller gives back.
unsafe impl std::alloc::GlobalAlloc for Wiping {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        self.0.alloc(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        // The free list then links the block: the zeroes stay observable, so they are not
        // optimised away.
        std::ptr::write_bytes(ptr, 0, layout.size());
        self.0.dealloc(ptr, layout)
    }
}

/// The operations of `ziwo_run`; `js/wasm.js` has the same numbers.
pub(crate) mod op {
    /// `(code, detail?)`: the error of `code` that the facade's mechanics met (`detail`:
    /// what the phone's function threw). Unknown codes are `no-document`.
    pub const ERROR: u32 = 0;
    /// `(contactCenter, position?, size?, token?, nonce?, scriptUrl?)` → `[src, key,
    /// value...]`: what `install` writes and loads, once every option is valid.
    pub const INSTALL_PLAN: u32 = 1;
    /// `(href)` → `[href]` when it is an `http(s)` URL.
    pub const HTTP_URL: u32 = 2;
    /// `(number)` → `[the number to dial]`.
    pub const DIAL_NUMBER: u32 = 3;
    /// `(token, contactCenter)` → `[key, value, key, value]`: what `setSession` writes.
    pub const SESSION_PLAN: u32 = 4;
    /// `(token?, name?, login?)` as stored → 1 and `[token, name, login?]`, or 0: none.
    pub const SESSION: u32 = 5;
    /// `()` → `[ABI version, token key, name key, login key, claims key]`.
    pub const KEYS: u32 = 6;
    /// `(key?)` → 1 when a `storage` event's key is the session's (absent: `clear()`).
    pub const IS_SESSION_KEY: u32 = 7;
    /// `(claims, callId)`, `a`: now in seconds → 1 and `[claims]` when this tab is the
    /// first to claim the call's pop-up, else 0.
    pub const CLAIM: u32 = 8;
    /// `(template, number, callId)` → `[url]`.
    pub const EXPAND: u32 = 9;
    /// `(extra states...)` → the handle of a new phone, `[event names]` and, in the
    /// numbers, 1 for each name that is a call state.
    pub const PHONE_NEW: u32 = 10;
    /// `(packed)` (`readCall`), `a`: the index of the event name, `b`: `readDate()`, `c`:
    /// now, `d`: 1 when someone listens to calls → [`IGNORED`](super::IGNORED)...; for a
    /// transition, its previous state's index (-1: none) and its call.
    pub const HANDLE_CALL: u32 = 11;
    /// `(packed)` (`readPhone`), `a`: the index of the event name → 0, or 4 with the
    /// event: `[type, a?, b?, c?, d?]` and its code (NaN: none).
    pub const HANDLE_PHONE: u32 = 12;
    /// `(inbound, outbound, internal, service)`: opens pop-ups by this rule (a state
    /// name per direction, `""` for none).
    pub const POPUP: u32 = 13;
    /// `()`: stops deciding pop-ups.
    pub const CLEAR_POPUP: u32 = 14;
    /// `a`: now → the live calls: their count, then each call.
    pub const CALLS: u32 = 15;
    /// `()` → `[unknown | connected | disconnected]`.
    pub const CONNECTION: u32 = 16;
    /// `()`: forgets the phone (at `dispose`).
    pub const PHONE_FREE: u32 = 17;
    /// `(contactCenter, token, apiKey, storedToken?, storedName?, storedLogin?, base?,
    /// route, path...)`, `a`: 1 to use the stored session → the handle of a REST client.
    #[cfg(feature = "api")]
    pub const API_NEW: u32 = 18;
    /// `(operation, arguments...)` → `[method, url, body, binary, header, value...]`.
    #[cfg(feature = "api")]
    pub const API_REQUEST: u32 = 19;
    /// `(message?)`, `a`: the HTTP status, `b`: 1 when the body is a JSON object, `c`:
    /// its `result` (1, 0, or -1: not a boolean) → 0, or the error the answer is.
    #[cfg(feature = "api")]
    pub const API_CHECK: u32 = 20;
    /// `(token)` → `[key, value, key, value]`: saving a login's token as the session.
    #[cfg(feature = "api")]
    pub const API_SESSION_PLAN: u32 = 21;
    /// `()`: forgets the client (the facade's FinalizationRegistry).
    #[cfg(feature = "api")]
    pub const API_FREE: u32 = 22;
}

/// The status of an operation that failed: its output is `[code, message, key?]` and
/// the HTTP status (NaN: none).
pub const FAILED: i32 = -1;

/// What one call event was ([`op::HANDLE_CALL`]), and one phone event
/// ([`op::HANDLE_PHONE`]).
const IGNORED: i32 = 0;
const TRANSITION: i32 = 1;
const POPUP: i32 = 2;
const NO_CALL_ID: i32 = 3;
const PHONE_EVENT: i32 = 4;
const NO_NUMBER: i32 = 5;

/// The version of this ABI (its operations and their answers), which `js/wasm.js`
/// checks at load: a cached wasm of another version is refused, not misread.
pub const ABI_VERSION: &str = "2";

/// The most bytes of strings one call takes (`js/wasm.js` has the same limit).
pub const MAX_INPUT: usize = 1 << 20;

/// The most bytes a buffer keeps between calls; a larger one is freed after its call.
pub const KEPT: usize = 64 * 1024;

/// The strings of one call.
pub(crate) struct Args<'a>(&'a [u8]);

impl<'a> Args<'a> {
    /// The next string; `None` when it is absent (or the input ends or is not UTF-8,
    /// which the facade never sends).
    pub(crate) fn next(&mut self) -> Option<&'a str> {
        let input = std::mem::take(&mut self.0);
        let (len, rest) = input.split_first_chunk::<4>()?;
        let len = u32::from_le_bytes(*len);
        if len == u32::MAX {
            self.0 = rest;
            return None;
        }
        // A length past the end: nothing more to read.
        let (text, rest) = rest.split_at_checked(len as usize)?;
        self.0 = rest;
        utf8(text)
    }

    /// The next string, `""` when absent.
    pub(crate) fn text(&mut self) -> &'a str {
        self.next().unwrap_or("")
    }

    /// Every string left (absent ones as `""`).
    pub(crate) fn rest(mut self) -> Vec<&'a str> {
        let mut all = Vec::new();
        while !self.0.is_empty() {
            all.push(self.text());
        }
        all
    }
}

/// `bytes` as text when they are UTF-8: `std::str::from_utf8`'s verdict (a property test
/// compares them) in a fraction of its code, which is built for speed on long texts.
pub(crate) fn utf8(bytes: &[u8]) -> Option<&str> {
    let mut i = 0;
    while let Some(&lead) = bytes.get(i) {
        let (more, min) = match lead {
            0x00..=0x7F => (0, 0),
            0xC0..=0xDF => (1, 0x80),
            0xE0..=0xEF => (2, 0x800),
            0xF0..=0xF7 => (3, 0x1_0000),
            _ => return None,
        };
        let mut scalar = u32::from(lead) & (0x7F >> more);
        for k in 1..=more {
            let next = *bytes.get(i + k)?;
            if next & 0xC0 != 0x80 {
                return None;
            }
            scalar = scalar << 6 | u32::from(next & 0x3F);
        }
        // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
        if scalar < min || (0xD800..0xE000).contains(&scalar) || scalar > 0x10_FFFF {
            return None;
        }
        i += more + 1;
    }
    // SAFETY: every sequence was just checked to be the shortest encoding of a scalar value.
    Some(unsafe { std::str::from_utf8_unchecked(bytes) })
}

/// What one call gives back.
#[derive(Default)]
pub(crate) struct Out {
    text: Vec<u8>,
    nums: Vec<f64>,
}

impl Out {
    pub(crate) fn str(&mut self, s: &str) {
        self.strs(&[s]);
    }

    /// One string made of `parts`.
    pub(crate) fn strs(&mut self, parts: &[&str]) {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        self.text.extend_from_slice(&(len as u32).to_le_bytes());
        for part in parts {
            self.text.extend_from_slice(part.as_bytes());
        }
    }

    pub(crate) fn opt(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.str(s),
            None => self.text.extend_from_slice(&u32::MAX.to_le_bytes()),
        }
    }

    pub(crate) fn num(&mut self, n: f64) {
        self.nums.push(n);
    }

    /// Empties the output, zeroing what it held (and freeing it past [`KEPT`] bytes).
    fn clear(&mut self) {
        wipe(&mut self.text);
        self.text.clear();
        if self.text.capacity() > KEPT {
            self.text = Vec::new();
        }
        self.nums.clear();
    }

    /// A failure: `[code, message, key?]` and the HTTP status. The message never
    /// contains what the caller passed in (only the phone's or the API's own words).
    fn error(&mut self, error: &Error) -> i32 {
        self.clear();
        self.str(error.code());
        match error {
            Error::PhoneThrew(inner) | Error::ApiRefused(_, inner) if !inner.is_empty() => {
                self.strs(&[error.message(), ": ", inner])
            }
            _ => self.str(error.message()),
        }
        let (key, status) = match error {
            Error::CorruptSession(key) => (Some(*key), None),
            Error::ApiUnauthorized(status)
            | Error::ApiStatus(status)
            | Error::ApiRefused(status, _) => (None, Some(*status)),
            _ => (None, None),
        };
        self.opt(key);
        self.num(status.map_or(f64::NAN, f64::from));
        FAILED
    }

    /// One call: `[callId, primaryCallId?, customerNumber?, unknown state names...]`;
    /// direction, recovered, ended, startedAt, ringMs, talkMs, holdMs, the number of
    /// history entries, their states' indexes, their times. Durations up to `until`.
    fn call(&mut self, call: &CallSnapshot, until: f64) {
        self.str(&call.call_id);
        self.opt(call.primary_call_id.as_deref());
        self.opt(call.customer_number.as_deref());
        let d = call.durations(until);
        for n in [
            f64::from(call.direction.index()),
            f64::from(u8::from(call.recovered)),
            f64::from(u8::from(call.ended())),
            call.started_at(),
            d.ring_ms,
            d.talk_ms,
            d.hold_ms,
            call.history.len() as f64,
        ] {
            self.num(n);
        }
        for entry in &call.history {
            self.num(f64::from(entry.state.index()));
            if let CallState::Other(name) = &entry.state {
                self.str(name);
            }
        }
        for entry in &call.history {
            self.num(entry.at);
        }
    }
}

/// The handles of the phones (or clients) alive: `handle - 1` is the slot.
pub(crate) struct Slots<T>(Vec<Option<T>>);

impl<T> Slots<T> {
    const fn new() -> Self {
        Slots(Vec::new())
    }

    pub(crate) fn add(&mut self, value: T) -> i32 {
        let slot = match self.0.iter().position(Option::is_none) {
            Some(free) => free,
            None => {
                self.0.push(None);
                self.0.len() - 1
            }
        };
        self.0[slot] = Some(value);
        slot as i32 + 1
    }

    /// The value of `handle`; a freed or unknown one is a `disposed` error.
    pub(crate) fn get(&mut self, handle: u32) -> Result<&mut T, Error> {
        (handle as usize)
            .checked_sub(1)
            .and_then(|slot| self.0.get_mut(slot))
            .and_then(Option::as_mut)
            .ok_or(Error::Disposed)
    }

    pub(crate) fn free(&mut self, handle: u32) {
        if let Some(slot) = (handle as usize)
            .checked_sub(1)
            .and_then(|slot| self.0.get_mut(slot))
        {
            *slot = None;
        }
    }
}

/// The module's state. The wasm imports nothing, so nothing runs while an export runs:
/// no export is re-entered and [`state`] is never borrowed twice.
struct State {
    input: Vec<u8>,
    out: Out,
    header: [usize; 4],
    phones: Slots<Phone>,
    #[cfg(feature = "api")]
    apis: Slots<api::Api>,
}

struct Global(UnsafeCell<State>);

// SAFETY: wasm32 without atomics has one thread; natively, only the tests touch it, one
// at a time (they hold a lock).
unsafe impl Sync for Global {}

static STATE: Global = Global(UnsafeCell::new(State {
    input: Vec::new(),
    out: Out {
        text: Vec::new(),
        nums: Vec::new(),
    },
    header: [0; 4],
    phones: Slots::new(),
    #[cfg(feature = "api")]
    apis: Slots::new(),
}));

fn state() -> &'static mut State {
    // SAFETY: see `State`: one borrow at a time.
    unsafe { &mut *STATE.0.get() }
}

/// A buffer of at least `size` bytes for the next call's strings; null past
/// [`MAX_INPUT`] (the facade refuses such text before it asks).
#[no_mangle]
pub extern "C" fn ziwo_input(size: usize) -> *mut u8 {
    let input = &mut state().input;
    if size > MAX_INPUT {
        return std::ptr::null_mut();
    }
    if input.len() < size {
        input.resize(size, 0);
    }
    input.as_mut_ptr()
}

/// Where the last call's output is: text pointer and length, numbers pointer and count.
#[no_mangle]
pub extern "C" fn ziwo_output() -> *const usize {
    state().header.as_ptr()
}

/// Runs operation `op` on the first `len` bytes of the input (see the module's docs).
#[no_mangle]
pub extern "C" fn ziwo_run(
    op: u32,
    handle: u32,
    len: usize,
    a: f64,
    b: f64,
    c: f64,
    d: f64,
) -> i32 {
    let st = state();
    // Out of the state while it runs: the strings borrow it.
    let mut input = std::mem::take(&mut st.input);
    let len = len.min(input.len());
    st.out.clear();
    let status = match run(st, op, handle, Args(&input[..len]), [a, b, c, d]) {
        Ok(status) => status,
        Err(e) => st.out.error(&e),
    };
    wipe(&mut input[..len]);
    if input.len() > KEPT {
        input = Vec::new();
    }
    st.input = input;
    st.header = [
        st.out.text.as_ptr() as usize,
        st.out.text.len(),
        st.out.nums.as_ptr() as usize,
        st.out.nums.len(),
    ];
    status
}

/// One operation; the output goes to `st.out`.
fn run(st: &mut State, op: u32, handle: u32, mut args: Args, n: [f64; 4]) -> Result<i32, Error> {
    let out = &mut st.out;
    match op {
        op::ERROR => {
            let (code, detail) = (args.text(), args.text());
            return Err(match code {
                "invalid-url" => Error::InvalidUrl,
                "storage-unavailable" => Error::StorageUnavailable,
                "storage-failed" => Error::StorageFailed,
                "script-failed" => Error::ScriptFailed,
                "phone-not-ready" => Error::PhoneNotReady,
                "phone-threw" => Error::PhoneThrew(detail.to_owned()),
                "popup-failed" => Error::PopupFailed,
                "disposed" => Error::Disposed,
                "malformed-response" => Error::ApiMalformed,
                "network" => Error::ApiNetwork,
                "timeout" => Error::ApiTimeout,
                "too-long" => Error::InvalidOption("a text passed in is too long"),
                "not-text" => Error::InvalidOption("a value that should be text is not a string"),
                _ => Error::NoDocument,
            });
        }
        op::INSTALL_PLAN => install_plan(out, args)?,
        op::HTTP_URL => {
            let href = args.text();
            check_http_url(href)?;
            out.str(href);
        }
        op::DIAL_NUMBER => out.str(PhoneNumber::parse(args.text())?.as_str()),
        op::SESSION_PLAN => {
            let token = Token::parse(args.text())?;
            session_pairs(out, &token, &ContactCenter::parse(args.text())?);
        }
        op::SESSION => return Ok(session(out, stored(&mut args)?.as_ref())),
        op::KEYS => {
            for key in [
                ABI_VERSION,
                TOKEN_KEY,
                CC_NAME_KEY,
                CC_LOGIN_KEY,
                CLAIMS_KEY,
            ] {
                out.str(key);
            }
        }
        op::IS_SESSION_KEY => return Ok(i32::from(is_session_key(args.next()))),
        op::CLAIM => {
            let mut claims = PopupClaims::parse(args.text());
            if !claims.claim(args.text(), n[0] as u64) {
                return Ok(0);
            }
            out.str(&claims.serialize());
            return Ok(1);
        }
        op::EXPAND => {
            let template = args.text();
            out.str(&expand_template(template, args.text(), args.text()));
        }
        op::PHONE_NEW => {
            let phone = Phone::new(args.rest())?;
            for (kind, name) in &phone.events {
                out.str(name);
                out.num(f64::from(u8::from(matches!(kind, EventName::Call(_)))));
            }
            return Ok(st.phones.add(phone));
        }
        op::PHONE_FREE => st.phones.free(handle),
        #[cfg(feature = "api")]
        op::API_NEW..=op::API_FREE => return api::run(st, op, handle, args, n),
        _ => return st.phones.get(handle)?.run(out, op, args, n),
    }
    Ok(0)
}

/// `install`'s plan: the name, the display defaults and the token, then the script URL
/// and the nonce, are checked in this order (the facade checks for a document and its
/// body after this); nothing is written before this returns.
fn install_plan(out: &mut Out, mut args: Args) -> Result<(), Error> {
    let name = ContactCenter::parse(args.text())?;
    let position = args.next().map(Position::parse).transpose()?;
    let size = args.next().map(Size::parse).transpose()?;
    let token = args.next().map(Token::parse).transpose()?;
    let (nonce, script_url) = (args.next(), args.next());
    match script_url {
        Some(url) => {
            check_http_url(url)?;
            out.str(url);
        }
        None => out.str(&name.loader_url()),
    }
    if let Some(n) = nonce {
        check_nonce(n)?;
    }
    if let Some(t) = &token {
        session_pairs(out, t, &name);
    }
    if let Some(p) = position {
        out.str(POSITION_KEY);
        out.str(p.as_str());
    }
    if let Some(s) = size {
        out.str(SIZE_KEY);
        out.str(s.as_str());
    }
    Ok(())
}

/// `[_jorel-token, token, _jorel-ccName, name]`: what saving a session writes.
pub(crate) fn session_pairs(out: &mut Out, token: &Token, name: &ContactCenter) {
    out.str(TOKEN_KEY);
    out.str(token.expose());
    out.str(CC_NAME_KEY);
    out.str(name.as_str());
}

/// The session from the next three strings as stored (absent: the key is missing).
pub(crate) fn stored(args: &mut Args) -> Result<Option<Session>, Error> {
    let token = args.next();
    let name = args.next();
    Session::from_stored(token, name, args.next())
}

/// 1 and `[token, contactCenter, ccLogin?]`, or 0 when there is no session.
fn session(out: &mut Out, session: Option<&Session>) -> i32 {
    let Some(s) = session else { return 0 };
    out.str(s.token.expose());
    out.str(s.contact_center.as_str());
    out.opt(s.cc_login.as_deref());
    1
}

/// `""` is `None`: how the facade says "no pop-up for this direction".
fn trigger(name: &str) -> Result<Option<CallState>, Error> {
    if name.is_empty() {
        return Ok(None);
    }
    CallState::known(name).map(Some).ok_or(Error::InvalidOption(
        "pop-up states must be call state names or null",
    ))
}

/// The decisions of one web phone on the page: which events to listen to, what each
/// one means, the calls and their transitions, the pop-up rule and the connection.
struct Phone {
    /// The events listened to: what each means, and its name.
    events: Vec<(EventName, String)>,
    tracker: Tracker,
    gate: Option<PopupGate>,
    connection: i32,
}

impl Phone {
    /// The decisions of a phone that also listens to `extra_states`.
    fn new(extra_states: Vec<&str>) -> Result<Phone, Error> {
        for name in &extra_states {
            check_extra_state(name)?;
        }
        Ok(Phone {
            events: listened_events(extra_states),
            tracker: Tracker::new(),
            gate: None,
            connection: 0,
        })
    }

    fn run(&mut self, out: &mut Out, op: u32, mut args: Args, n: [f64; 4]) -> Result<i32, Error> {
        match op {
            op::HANDLE_CALL => return Ok(self.handle_call(out, args.text(), n)),
            op::HANDLE_PHONE => {
                let Some((kind, _)) = self.events.get(n[0] as usize) else {
                    return Ok(IGNORED);
                };
                let event = parse_phone(kind, &RawPhone::unpack(args.text()));
                match event {
                    Some(PhoneEvent::Connected { .. }) => self.connection = 1,
                    Some(PhoneEvent::Disconnected { .. }) => self.connection = 2,
                    None => return Ok(IGNORED),
                    _ => {}
                }
                phone_event(out, event.as_ref());
                return Ok(PHONE_EVENT);
            }
            op::POPUP => {
                let rule = PopupRule {
                    inbound: trigger(args.text())?,
                    outbound: trigger(args.text())?,
                    internal: trigger(args.text())?,
                    service: trigger(args.text())?,
                };
                self.gate = Some(PopupGate::new(rule));
            }
            op::CLEAR_POPUP => self.gate = None,
            op::CALLS => {
                let calls = self.tracker.calls();
                out.num(calls.len() as f64);
                for call in calls {
                    out.call(call, n[0]);
                }
            }
            op::CONNECTION => out.str(match self.connection {
                1 => "connected",
                2 => "disconnected",
                _ => "unknown",
            }),
            _ => return Err(Error::InvalidOption("unknown operation")),
        }
        Ok(0)
    }

    /// One call event (its twin already dropped): `n[0]` is its index among the event
    /// names, `packed` its detail's fields as `readCall` packs them, `n[1]` the date
    /// `readDate` gave, `n[2]` now, `n[3]` 1 when someone listens to calls (transitions
    /// are then built). The answer: nothing to do, a transition (written to `out`), a
    /// transition that opens the pop-up, no valid callID, or a transition that would
    /// open the pop-up but the call has no customer number.
    fn handle_call(&mut self, out: &mut Out, packed: &str, n: [f64; 4]) -> i32 {
        let Some((EventName::Call(state), _)) = self.events.get(n[0] as usize) else {
            return IGNORED;
        };
        let Ok(signal) = parse_call_with(state.clone(), &RawCall::unpack(packed, n[1]), || n[2])
        else {
            return NO_CALL_ID;
        };
        if n[3] == 0.0 && self.gate.is_none() {
            self.tracker.record(signal);
            return IGNORED;
        }
        let Some(t) = self.tracker.apply(signal) else {
            return IGNORED;
        };
        let popup = self.gate.as_mut().is_some_and(|g| g.decide(&t));
        let answer = match (popup, &t.call.customer_number) {
            (false, _) => TRANSITION,
            (true, Some(_)) => POPUP,
            (true, None) => NO_NUMBER,
        };
        out.num(t.previous.as_ref().map_or(-1.0, |p| f64::from(p.index())));
        out.call(&t.call, t.call.at());
        answer
    }
}

/// `[type, a?, b?, c?, d?]` and the code (NaN: none), as `phoneEvent` (js/wasm.js)
/// builds it.
fn phone_event(out: &mut Out, event: Option<&PhoneEvent>) {
    let (kind, fields, code): (&str, [Option<&str>; 4], Option<u32>) = match event {
        None => return,
        Some(PhoneEvent::Connected {
            cc_login,
            first_name,
            last_name,
            contact_center,
        }) => (
            "connected",
            [
                cc_login.as_deref(),
                first_name.as_deref(),
                last_name.as_deref(),
                contact_center.as_deref(),
            ],
            None,
        ),
        Some(PhoneEvent::Disconnected { reason, message }) => (
            "disconnected",
            [Some(reason.name()), message.as_deref(), None, None],
            None,
        ),
        Some(PhoneEvent::Error { code, kind }) => {
            ("error", [Some(kind.name()), None, None, None], *code)
        }
        Some(PhoneEvent::DeviceChanged { input }) => (
            "device-changed",
            [
                Some(if *input { "input" } else { "output" }),
                None,
                None,
                None,
            ],
            None,
        ),
    };
    out.str(kind);
    for field in fields {
        out.opt(field);
    }
    out.num(code.map_or(f64::NAN, f64::from));
}

// Natively (proptest is a native dev-dependency).
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
