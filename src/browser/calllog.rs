//! The call log that survives the tab (issue #14): each call's record is written to a
//! durable outbox in `localStorage` at its `destroy`, before anyone is handed it, and
//! delivered to the page's handler until the handler takes it: retried with backoff,
//! resumed by the next page of the CRM after a reload or a closed tab, delivered by one tab
//! when several see the call (the tabs' Web Lock agreement of the pop-ups, one lock per
//! record, held while it is delivered). With [`CallLogOptions::cdr`], a record first waits
//! in the outbox for its CDR from ZIWO's API (issue #16): one tab polls for it, under the
//! same lock, and the wait resumes after a reload. The decisions are the core's
//! ([`plan`](crate::core::plan), [`Entry`], [`Lookup`]).

use super::api::ApiClient;
use super::cdr;
use super::log::{log, Level};
use super::oneshot::{after, Oneshot};
use super::phone::{PhoneCore, Subscription, WebPhone};
use super::read;
use super::storage;
#[cfg(feature = "js")]
use crate::core::check_timeout_ms;
use crate::core::{
    is_due, plan, retry_delay_ms, CallRecord, CallSnapshot, Entry, Error, Lookup,
    DEFAULT_CDR_WAIT_MS, FIRST_LOOKUP_MS, MAX_CDR_WAIT_MS, OUTBOX_PREFIX,
};
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::rc::{Rc, Weak};
use wasm_bindgen::prelude::*;

/// Most records delivered at once (a CRM reopened after a weekend does not get 500 calls
/// of its handler at the same moment).
pub const MAX_DELIVERIES: usize = 4;
/// How long a record's Web Lock is held at most when the handler never settles: another
/// tab may then deliver it.
const HOLD_MS: f64 = 5.0 * 60_000.0;
/// How long a tab keeps a record's Web Lock after its handler took it, so that a tab whose
/// view of `localStorage` lags behind sees the delivered marker before it can claim it.
const SETTLE_MS: i32 = 30_000;
/// When another tab is delivering a record, this tab looks again after this long.
const RECHECK_MS: f64 = 2_000.0;
/// How long a tab keeps a record's Web Lock after a poll that found nothing, so that the
/// other tabs see the next poll's time before they can claim the record.
const POLL_SETTLE_MS: i32 = 500;

/// How the call log works: [`WebPhone::on_call_ended_with`].
///
/// ```no_run
/// use ziwo_webphone::{ApiClient, CallLogOptions};
/// # fn run() -> Result<(), ziwo_webphone::Error> {
/// let options = CallLogOptions::new()
///     .cdr(ApiClient::from_session()?)
///     .cdr_wait_ms(60_000)?;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct CallLogOptions {
    cdr: Option<ApiClient>,
    cdr_wait_ms: u32,
}

impl Default for CallLogOptions {
    fn default() -> Self {
        CallLogOptions {
            cdr: None,
            cdr_wait_ms: DEFAULT_CDR_WAIT_MS,
        }
    }
}

impl CallLogOptions {
    /// Records delivered as soon as the call ends, without a CDR.
    pub fn new() -> CallLogOptions {
        CallLogOptions::default()
    }

    /// Each record waits in the outbox for the call's CDR from ZIWO's API through `client`
    /// (the web phone's session: [`ApiClient::from_session`]), then is delivered with it
    /// ([`CallRecord::cdr`], [`CallRecord::cdr_status`]). The CDR is looked up by the
    /// call's id, then its primary call id, then among the agent's recent calls by number,
    /// direction and end time (within [`MATCH_WINDOW_MS`](crate::core::MATCH_WINDOW_MS));
    /// polls come about 1, 2, 4, 8 ... s apart; a 5xx, a timeout or a network error is
    /// tried again within the wait; a refused credential (401/403) ends it at once
    /// (`Failed`) unless another source answered; a source that refuses the request
    /// (another 4xx) gives way to the next, and when none answers the wait goes on and
    /// ends `Failed`.
    pub fn cdr(mut self, client: ApiClient) -> CallLogOptions {
        self.cdr = Some(client);
        self
    }

    /// How long a record waits for its CDR, counted from the call's end (also across
    /// reloads): 0 to 600000 ms, by default 2 minutes; then it is delivered `NotFound` (or
    /// `Failed` when the API's last answer was an error). Else [`Error::InvalidOption`].
    pub fn cdr_wait_ms(mut self, ms: u32) -> Result<CallLogOptions, Error> {
        if ms > MAX_CDR_WAIT_MS {
            return Err(Error::InvalidOption("cdrWaitMs must be 0 to 600000"));
        }
        self.cdr_wait_ms = ms;
        Ok(self)
    }

    /// `cdrWaitMs` as JS gives it: a number of ms (fractions cut).
    #[cfg(feature = "js")]
    pub(crate) fn wait_from_js(self, ms: f64) -> Result<CallLogOptions, Error> {
        check_timeout_ms(ms, 0)
            .map_err(|_| Error::InvalidOption("cdrWaitMs must be 0 to 600000"))
            .and_then(|ms| self.cdr_wait_ms(ms))
    }
}

/// The wait for CDRs of a call log.
#[derive(Clone)]
struct CdrWait {
    client: ApiClient,
    wait_ms: u32,
}

/// Why a record left the outbox without being delivered.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum Dropped {
    /// The outbox held [`MAX_PENDING`](crate::core::MAX_PENDING) records: the oldest went.
    Full(CallRecord),
    /// An entry that cannot be read was skipped and removed (its storage key).
    Corrupt(String),
    /// The outbox could not be written (`storage-unavailable`, `storage-failed`): the
    /// record was handed to the handler once, without being kept.
    NotKept(CallRecord, Error),
}

/// Delivers a record to the page's handler; settles `true` when the handler took it.
pub(crate) type Deliver = Rc<dyn Fn(CallRecord, Oneshot<bool>)>;

/// A phone's call log: its handler, and the records being delivered by this tab.
pub(crate) struct CallLog {
    deliver: Deliver,
    cdr: Option<CdrWait>,
    /// Which `on_call_ended` this is (a replaced one delivers nothing more).
    pub(crate) id: u32,
    in_flight: RefCell<Vec<Box<str>>>,
    /// The wake-up timer set for the next retry, by its time (0: none).
    wake_at: Cell<f64>,
    /// What releases the Web Lock of each record this tab is delivering.
    held: RefCell<Vec<js_sys::Function>>,
    /// When this tab tries again each record whose handler failed (also when the storage
    /// refused to keep the retry time).
    retries: RefCell<Vec<(Box<str>, f64)>>,
}

impl CallLog {
    /// Record `id` waits for its retry in this tab until `at` (`None`: no more).
    fn retry_at(&self, id: &str, at: Option<f64>) {
        let mut list = self.retries.borrow_mut();
        list.retain(|(i, _)| &**i != id);
        if let Some(at) = at {
            list.push((id.into(), at));
        }
    }

    /// Whether record `id` is waiting for its retry here at `now`.
    fn waiting(&self, id: &str, now: f64) -> bool {
        self.retries
            .borrow()
            .iter()
            .any(|(i, at)| &**i == id && *at > now)
    }

    /// The log stops (replaced, unsubscribed, disposed): the records it was delivering are
    /// left to the next handler, here or in another tab (their locks go now).
    pub(crate) fn release(&self) {
        for resolve in self.held.take() {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
    }
}

impl WebPhone {
    /// Logs every call through `handler`, which gets each ended call's [`CallRecord`] and
    /// answers with a future: the record stays in the page's durable outbox until it
    /// resolves to `Ok`. An `Err` is tried again with backoff (1, 2, 4 ... s, at most
    /// 5 min); records still pending when the tab closed are delivered when a page of the
    /// CRM next sets its handler. Several tabs that see the same call agree on one to
    /// deliver it (a Web Lock per record, held while it is delivered, 5 minutes at most).
    /// Delivery is at least once (a handler that never answers, a log stopped while it
    /// delivers, no Web Locks): deduplicate on `call_id`. A second handler replaces the
    /// first. The handler must not panic (see [the crate docs](crate)). See [`on_call_dropped`](WebPhone::on_call_dropped)
    /// for the records that could not be kept.
    ///
    /// ```no_run
    /// use ziwo_webphone::WebPhone;
    /// # fn run() -> Result<(), ziwo_webphone::Error> {
    /// let phone = WebPhone::new()?;
    /// phone
    ///     .on_call_ended(|record| async move {
    ///         // POST it to the CRM; Err(..) retries later.
    ///         let _ = (record.call_id, record.talk_ms);
    ///         Ok::<(), ()>(())
    ///     })?
    ///     .forget();
    /// # Ok(()) }
    /// ```
    pub fn on_call_ended<F, Fut, E>(&self, handler: F) -> Result<Subscription, Error>
    where
        F: Fn(CallRecord) -> Fut + 'static,
        Fut: Future<Output = Result<(), E>> + 'static,
    {
        self.on_call_ended_with(CallLogOptions::new(), handler)
    }

    /// [`on_call_ended`](WebPhone::on_call_ended) with options: with
    /// [`CallLogOptions::cdr`], each record waits for the call's CDR from ZIWO's API and is
    /// delivered with it (or when the wait ran out). One tab looks each call up, at most
    /// [`MAX_DELIVERIES`] records at a time, with a bounded number of requests per record;
    /// a reload resumes the wait where it stood.
    ///
    /// ```no_run
    /// use ziwo_webphone::{ApiClient, CallLogOptions, CdrStatus, WebPhone};
    /// # fn run() -> Result<(), ziwo_webphone::Error> {
    /// let phone = WebPhone::new()?;
    /// let options = CallLogOptions::new().cdr(ApiClient::from_session()?);
    /// phone
    ///     .on_call_ended_with(options, |record| async move {
    ///         if let (Some(CdrStatus::Found), Some(cdr)) = (&record.cdr_status, &record.cdr) {
    ///             let _ = (&cdr.disposition, cdr.duration_s, &cdr.recording_file);
    ///         }
    ///         Ok::<(), ()>(())
    ///     })?
    ///     .forget();
    /// # Ok(()) }
    /// ```
    pub fn on_call_ended_with<F, Fut, E>(
        &self,
        options: CallLogOptions,
        handler: F,
    ) -> Result<Subscription, Error>
    where
        F: Fn(CallRecord) -> Fut + 'static,
        Fut: Future<Output = Result<(), E>> + 'static,
    {
        let deliver: Deliver = Rc::new(move |record, done: Oneshot<bool>| {
            let future = handler(record);
            wasm_bindgen_futures::spawn_local(async move { done.settle(future.await.is_ok()) });
        });
        self.set_call_log(deliver, options)
    }

    pub(crate) fn set_call_log(
        &self,
        deliver: Deliver,
        options: CallLogOptions,
    ) -> Result<Subscription, Error> {
        let core = self.core();
        core.check_live()?;
        let id = core.next_log_id();
        let cdr = options.cdr.map(|client| CdrWait {
            client,
            wait_ms: options.cdr_wait_ms,
        });
        let old = core.call_log.borrow_mut().replace(Rc::new(CallLog {
            deliver,
            cdr,
            id,
            in_flight: RefCell::new(Vec::new()),
            wake_at: Cell::new(0.0),
            held: RefCell::new(Vec::new()),
            retries: RefCell::new(Vec::new()),
        }));
        if let Some(old) = old {
            old.release();
        }
        pump(core);
        Ok(core.log_subscription(id))
    }
}

/// The outbox's entries: `(key, value)` of the storage keys with the outbox's prefix.
pub(crate) fn read_outbox(store: &web_sys::Storage) -> Result<Vec<(String, String)>, Error> {
    let n = store.length().map_err(|_| Error::StorageUnavailable)?;
    let keys: Vec<String> = (0..n)
        .filter_map(|i| store.key(i).ok().flatten())
        .filter(|k| k.starts_with(OUTBOX_PREFIX))
        .collect();
    Ok(keys
        .into_iter()
        .filter_map(|k| storage::get(store, &k).ok().flatten().map(|v| (k, v)))
        .collect())
}

/// A call ended: the tab that gets the record's Web Lock writes it to the outbox (unless
/// it is there already, or delivered) and delivers it; the other tabs that saw the call
/// write nothing (their view of the storage may lag behind that tab's). Without storage,
/// the handler gets the record once.
pub(crate) fn call_ended(core: &Rc<PhoneCore>, call: &CallSnapshot) {
    let Some(log_) = core.call_log.borrow().clone() else {
        return;
    };
    let record = CallRecord::from_call(call);
    let readable = storage::local_storage().and_then(|s| storage::get(&s, &record.key()));
    if let Err(e) = readable {
        not_kept(core, &log_, record, e);
        return;
    }
    claim(core, &log_, record, 0, true);
}

/// The outbox cannot be written: the record is handed over once and reported.
fn not_kept(core: &Rc<PhoneCore>, log_: &Rc<CallLog>, record: CallRecord, e: Error) {
    log(
        Level::Error,
        &[
            "the call log's outbox is not available (",
            e.code(),
            "): this call is handed over once, not kept",
        ],
    );
    core.report_dropped(&Dropped::NotKept(record.clone(), e));
    (log_.deliver)(record, Oneshot::new());
}

/// Delivers what is due in the outbox, at most [`MAX_DELIVERIES`] at a time, and sets a
/// timer for the next retry.
pub(crate) fn pump(core: &Rc<PhoneCore>) {
    if core.check_live().is_err() {
        return;
    }
    let Some(log_) = core.call_log.borrow().clone() else {
        return;
    };
    let Ok(store) = storage::local_storage() else {
        return;
    };
    let entries = match read_outbox(&store) {
        Ok(e) => e,
        Err(_) => return,
    };
    let now = js_sys::Date::now();
    let p = plan(entries.iter().map(|(k, v)| (k.as_str(), v.as_str())), now);
    for key in &p.corrupt {
        log(Level::Warn, &["skipped a call record that cannot be read"]);
        let _ = store.remove_item(key);
        core.report_dropped(&Dropped::Corrupt(key.clone()));
    }
    for record in p.dropped {
        log(
            Level::Warn,
            &["dropped the oldest call record: the outbox is full"],
        );
        let _ = store.remove_item(&record.key());
        core.report_dropped(&Dropped::Full(record));
    }
    for key in &p.expired {
        let _ = store.remove_item(key);
    }
    let mut wake_at = p.wake_at;
    for (record, attempts) in p.due {
        if log_.waiting(&record.call_id, now) {
            // The storage did not keep its retry time: this tab's own decides.
            let at = log_
                .retries
                .borrow()
                .iter()
                .find(|(i, _)| *i == record.call_id)
                .map_or(now, |(_, at)| *at);
            wake_at = Some(wake_at.map_or(at, |w: f64| w.min(at)));
            continue;
        }
        if log_.in_flight.borrow().len() >= MAX_DELIVERIES {
            break;
        }
        if log_.in_flight.borrow().contains(&record.call_id) {
            continue;
        }
        claim(core, &log_, record, attempts, false);
    }
    if let Some(at) = wake_at {
        wake(core, &log_, at);
    }
}

/// Sets the retry timer for `at`, unless one is set for as soon.
fn wake(core: &Rc<PhoneCore>, log_: &Rc<CallLog>, at: f64) {
    let set = log_.wake_at.get();
    if set != 0.0 && set <= at {
        return;
    }
    log_.wake_at.set(at);
    let weak = Rc::downgrade(core);
    let id = log_.id;
    let ms = (at - js_sys::Date::now()).clamp(0.0, f64::from(i32::MAX)) as i32;
    after(
        ms,
        Box::new(move || {
            if let Some(core) = weak.upgrade() {
                let current = core.call_log.borrow().clone();
                if let Some(log_) = current.filter(|l| l.id == id) {
                    if log_.wake_at.get() == at {
                        log_.wake_at.set(0.0);
                    }
                    pump(&core);
                }
            }
        }),
    );
}

/// The phone, while it lives and `log_` is its call log (not replaced, stopped or
/// disposed).
fn current(weak: &Weak<PhoneCore>, log_: &CallLog) -> Option<Rc<PhoneCore>> {
    weak.upgrade().filter(|c| {
        c.check_live().is_ok()
            && c.call_log
                .borrow()
                .as_ref()
                .is_some_and(|l| l.id == log_.id)
    })
}

/// Delivers `record` if this tab gets its Web Lock (or there are no Web Locks), holding
/// the lock until the handler answered, and for [`SETTLE_MS`] more after it took the
/// record. A `fresh` record (its call just ended) is written to the outbox first.
fn claim(core: &Rc<PhoneCore>, log_: &Rc<CallLog>, record: CallRecord, attempts: u32, fresh: bool) {
    log_.in_flight.borrow_mut().push(record.call_id.clone());
    let weak: Weak<PhoneCore> = Rc::downgrade(core);
    let log_ = log_.clone();
    let name = ["ziwo-webphone-log:", &record.call_id].concat();
    let answer = Closure::once_into_js(move |won: JsValue| -> JsValue {
        let won = won.as_f64().map_or(-1, |w| w as i32);
        let live = current(&weak, &log_);
        let (Some(core), true) = (live.clone(), won != 0) else {
            // Another tab delivers it (or this log is gone): look again later, should that
            // tab close before its handler answered.
            if let Some(core) = live {
                wake(&core, &log_, js_sys::Date::now() + RECHECK_MS);
            }
            done_with(&weak, &log_, &record.call_id, false);
            return JsValue::FALSE;
        };
        match start(&core, &log_, &record, attempts, fresh, won) {
            Some(held) => held.into(),
            None => {
                done_with(&weak, &log_, &record.call_id, false);
                JsValue::FALSE
            }
        }
    });
    read::claim_across_tabs(&name, HOLD_MS, &answer);
}

/// In the tab that may deliver `record` (`won`: 1, or -1 without Web Locks): writes a fresh
/// record, checks that it is still due, and polls for its CDR or hands it to the handler.
/// The Promise that holds the record's lock, or `None` when there is nothing to do now.
fn start(
    core: &Rc<PhoneCore>,
    log_: &Rc<CallLog>,
    record: &CallRecord,
    attempts: u32,
    fresh: bool,
    won: i32,
) -> Option<js_sys::Promise> {
    let now = js_sys::Date::now();
    let store = storage::local_storage().ok()?;
    let key = record.key();
    let (attempts, lookup) = match storage::get(&store, &key) {
        // Still waiting, and due (another tab may have delivered it meanwhile). Without Web
        // Locks, a fresh call whose record another tab wrote is that tab's to deliver.
        Ok(Some(v)) => match Entry::decode(&v) {
            Ok(Entry::Pending {
                attempts,
                next_at,
                lookup,
                ..
            }) if !(fresh && won < 0) => {
                if !is_due(next_at, now) {
                    // Another tab moved its next try: this tab looks again then.
                    wake(core, log_, next_at);
                    return None;
                }
                (attempts, lookup)
            }
            _ => return None,
        },
        // Written now, before it is handed to anyone; with a CDR to wait for, its first
        // poll is a second after the call's end.
        Ok(None) if fresh => {
            let waits = log_.cdr.is_some();
            let next_at = if waits {
                record.ended_at + FIRST_LOOKUP_MS
            } else {
                0.0
            };
            let lookup = Lookup {
                asked: waits,
                ..Lookup::default()
            };
            let entry = Entry::Pending {
                record: record.clone(),
                attempts,
                next_at,
                lookup: lookup.clone(),
            };
            if store.set_item(&key, &entry.encode()).is_err() {
                not_kept(core, log_, record.clone(), Error::StorageFailed);
                return None;
            }
            // The outbox stays bounded (this record is in flight: not started twice).
            pump(core);
            // Its first poll a second after the call's end: now, when the call ended
            // earlier (a hang-up long before the `destroy`, a late lock), unless this tab
            // runs as many lookups as it may (then when one ends).
            let busy = log_.in_flight.borrow().len() > MAX_DELIVERIES;
            if waits && (next_at > now || busy) {
                let at = if busy {
                    next_at.max(now + RECHECK_MS)
                } else {
                    next_at
                };
                wake(core, log_, at);
                return None;
            }
            (attempts, lookup)
        }
        _ => return None,
    };
    if log_.waiting(&record.call_id, now) {
        return None;
    }
    let (held, lock) = Held::new(core, log_, &record.call_id);
    match &log_.cdr {
        Some(wait) if lookup.status.is_none() => {
            look_up(core, log_, record.clone(), lookup, wait.clone(), lock)
        }
        _ => deliver(core, log_, record.clone(), attempts, lookup, lock),
    }
    Some(held)
}

/// A record's Web Lock, held by this tab.
struct Held {
    resolve: RefCell<Option<js_sys::Function>>,
    log_: Rc<CallLog>,
}

impl Held {
    /// The Promise that holds the lock until [`release`](Held::release), and the lock.
    /// A handler or a poll that never ends: after [`HOLD_MS`] the lock goes (the snippet
    /// lets it go too), and this tab stops counting the record as in flight.
    fn new(core: &Rc<PhoneCore>, log_: &Rc<CallLog>, id: &str) -> (js_sys::Promise, Rc<Held>) {
        let lock = Rc::new(Held {
            resolve: RefCell::new(None),
            log_: log_.clone(),
        });
        let keep = lock.clone();
        let held = js_sys::Promise::new(&mut |resolve, _| {
            log_.held.borrow_mut().push(resolve.clone());
            *keep.resolve.borrow_mut() = Some(resolve);
        });
        let abandon = lock.clone();
        let weak = Rc::downgrade(core);
        let id: Box<str> = id.into();
        after(
            HOLD_MS as i32,
            Box::new(move || {
                if abandon.resolve.borrow().is_some() {
                    log(Level::Warn, &["the call log's handler did not answer in 5 minutes: the record is left to the next try"]);
                    abandon.release();
                    done_with(&weak, &abandon.log_, &id, true);
                }
            }),
        );
        (held, lock)
    }

    fn release(&self) {
        if let Some(resolve) = self.resolve.borrow_mut().take() {
            let _ = resolve.call0(&JsValue::UNDEFINED);
            self.log_
                .held
                .borrow_mut()
                .retain(|r| !js_sys::Object::is(r, &resolve));
        }
    }
}

/// The stored entry of `key` when it is still waiting.
fn pending(key: &str) -> Option<(u32, Lookup)> {
    let store = storage::local_storage().ok()?;
    match Entry::decode(&storage::get(&store, key).ok()??) {
        Ok(Entry::Pending {
            attempts, lookup, ..
        }) => Some((attempts, lookup)),
        _ => None,
    }
}

/// Polls once for `record`'s CDR, holding its lock; then writes where the wait stands and
/// either delivers the record (found, or the wait is over) or lets the lock go until the
/// next poll.
fn look_up(
    core: &Rc<PhoneCore>,
    log_: &Rc<CallLog>,
    record: CallRecord,
    lookup: Lookup,
    wait: CdrWait,
    lock: Rc<Held>,
) {
    let weak = Rc::downgrade(core);
    let log_ = log_.clone();
    cdr::poll(&wait.client, &record).then(move |outcome| {
        let now = js_sys::Date::now();
        let started = lookup.clone();
        let (lookup, next) = lookup.after(outcome, record.ended_at, wait.wait_ms, now);
        let key = record.key();
        let id = record.call_id.clone();
        // Delivered meanwhile (another handler, another tab), or its wait moved on (a poll
        // of the handler that replaced this one): what is stored stands.
        let Some((attempts, _)) = pending(&key).filter(|(_, stored)| *stored == started) else {
            lock.release();
            return done_with(&weak, &log_, &id, true);
        };
        let entry = Entry::Pending {
            record: record.clone(),
            attempts,
            next_at: next.unwrap_or(0.0),
            lookup: lookup.clone(),
        };
        if let Ok(store) = storage::local_storage() {
            let _ = store.set_item(&key, &entry.encode());
        }
        // Kept here too, should the storage refuse the write.
        log_.retry_at(&id, next);
        match (next, current(&weak, &log_)) {
            (None, Some(core)) => deliver(&core, &log_, record, attempts, lookup, lock),
            _ => {
                after(POLL_SETTLE_MS, Box::new(move || lock.release()));
                done_with(&weak, &log_, &id, true);
            }
        }
    });
}

/// Hands `record` (with its CDR, when the wait found one) to the handler, holding its lock;
/// writes the delivered marker when the handler took it, the next try when it did not.
fn deliver(
    core: &Rc<PhoneCore>,
    log_: &Rc<CallLog>,
    mut record: CallRecord,
    attempts: u32,
    lookup: Lookup,
    lock: Rc<Held>,
) {
    let key = record.key();
    let done = Oneshot::new();
    let weak = Rc::downgrade(core);
    let log2 = log_.clone();
    let id = record.call_id.clone();
    let for_retry = record.clone();
    let cdr_key = lookup.cdr_key.clone();
    record.cdr = lookup.cdr_json.as_deref().and_then(cdr::detail_from_json);
    record.cdr_status = lookup.status.clone();
    done.then(move |taken: bool| {
        let now = js_sys::Date::now();
        let store = storage::local_storage().ok();
        // What is stored now decides: a delivered marker (this record taken through
        // another handler, or another tab, meanwhile) is never replaced.
        let current = store
            .as_ref()
            .and_then(|s| storage::get(s, &key).ok().flatten())
            .map(|v| Entry::decode(&v));
        let delivered = matches!(current, Some(Ok(Entry::Delivered { .. })));
        if taken {
            log2.retry_at(&id, None);
            if let (Some(store), false) = (&store, delivered) {
                let marker = Entry::Delivered {
                    at: now,
                    cdr: cdr_key,
                };
                let _ = store.set_item(&key, &marker.encode());
            }
        } else if !delivered {
            let attempts = attempts.saturating_add(1);
            let next_at = now + retry_delay_ms(attempts);
            log(
                Level::Warn,
                &["the call log's handler failed: the record is tried again later"],
            );
            // Kept here too, should the storage refuse the write.
            log2.retry_at(&id, Some(next_at));
            let entry = Entry::Pending {
                record: for_retry,
                attempts,
                next_at,
                lookup,
            };
            if let Some(store) = &store {
                let _ = store.set_item(&key, &entry.encode());
            }
        }
        // Taken: the lock stays a while, until the other tabs' view of the storage shows
        // the delivered marker; not taken: it goes now, for the retry.
        after(
            if taken { SETTLE_MS } else { 0 },
            Box::new(move || lock.release()),
        );
        done_with(&weak, &log2, &id, true);
    });
    (log_.deliver)(record, done);
}

/// The delivery of `id` by this tab is over; when it delivered (`next`), the next due
/// record may go.
fn done_with(core: &Weak<PhoneCore>, log_: &Rc<CallLog>, id: &str, next: bool) {
    log_.in_flight.borrow_mut().retain(|i| &**i != id);
    if let (Some(core), true) = (core.upgrade(), next) {
        // Later, not inside the handler's answer or the snippet's lock callback.
        let weak = Rc::downgrade(&core);
        after(
            0,
            Box::new(move || {
                if let Some(core) = weak.upgrade() {
                    pump(&core);
                }
            }),
        );
    }
}
