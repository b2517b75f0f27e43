//! Per-call tracking: turns the phone's noisy stream of call events (both prefixes,
//! repeated states, late events after `destroy`, interleaved transfers) into one
//! [`CallEvent`] per real change of a call's state.
//!
//! Memory stays flat over a shift: a call is forgotten at `destroy`, at most
//! [`MAX_LIVE_CALLS`] calls are kept (the least recently active one is evicted), and
//! the set of forgotten ids that late events are checked against is bounded.

use super::event::CallSignal;
use super::recent::RecentIds;
use super::state::{CallState, Direction};

/// Most calls tracked at once; a phone has a handful at most.
pub const MAX_LIVE_CALLS: usize = 32;
/// How many destroyed call ids are remembered, to ignore their late events.
pub const FORGOTTEN_IDS: usize = 32;
/// Most entries kept in a call's history: its first [`HISTORY_FIRST`] states and its
/// latest ones. A call that goes on and off hold all day keeps a bounded history (and
/// each event copies a bounded one); its durations still count every state.
pub const MAX_HISTORY: usize = 64;
/// How many of a call's first states its history always keeps (the ring and the answer).
pub const HISTORY_FIRST: usize = 8;

/// One state a call went through.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryEntry {
    /// The state (or `mute`/`unmute`, which the history keeps as the phone named them).
    pub state: CallState,
    /// When the call entered it, in milliseconds since the epoch.
    pub at: f64,
}

/// Time spent ringing, talking, on hold and muted, in milliseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Durations {
    /// From `ringing`/`early` to the answer (or to the end, for an unanswered call).
    pub ring_ms: f64,
    /// Time in `active` (muted or not).
    pub talk_ms: f64,
    /// Time in `held`.
    pub hold_ms: f64,
    /// Time with the agent's microphone muted, until unmuted or the call's end.
    pub muted_ms: f64,
}

/// A call's running times: the spans closed so far and the start of the open ones.
/// Kept as each state arrives, so that the durations count every state however long the
/// history grows (the history itself is bounded).
#[derive(Clone, Debug, Default, PartialEq)]
struct Clock {
    /// When the call started ringing (`ringing`/`early`).
    ring_start: Option<f64>,
    /// The ring's length, once it is over (answered, ended, or never rang).
    ring_ms: Option<f64>,
    talk_ms: f64,
    hold_ms: f64,
    muted_ms: f64,
    /// Muted since then.
    muted_since: Option<f64>,
    /// The call reached `hangup`, `purge` or `destroy`.
    ended: bool,
}

/// What is known of one call at one moment.
#[derive(Clone, Debug, PartialEq)]
pub struct CallSnapshot {
    /// `callID`: this leg of the call.
    pub call_id: Box<str>,
    /// `primaryCallID`: the first leg, when the phone gives it.
    pub primary_call_id: Option<Box<str>>,
    /// The customer's number, when the phone gives it.
    pub customer_number: Option<Box<str>>,
    /// Who placed the call.
    pub direction: Direction,
    /// The call came back as `recovering` (after a reload): it is not a new call.
    pub recovered: bool,
    /// The states the call went through, oldest first, `mute` and `unmute` included;
    /// never empty. At most [`MAX_HISTORY`]: the first [`HISTORY_FIRST`] and the latest
    /// ones (the durations count them all).
    pub history: Vec<HistoryEntry>,
    /// The call's state (never `mute`/`unmute`) and when it was entered.
    current: HistoryEntry,
    clock: Clock,
}

impl CallSnapshot {
    fn new(signal: CallSignal) -> CallSnapshot {
        let entry = HistoryEntry {
            state: signal.state,
            at: signal.at,
        };
        let mut clock = Clock::default();
        match entry.state {
            CallState::Ringing | CallState::Early => clock.ring_start = Some(entry.at),
            CallState::Requesting | CallState::Trying => {}
            _ => clock.ring_ms = Some(0.0),
        }
        clock.ended = entry.state.is_ending();
        CallSnapshot {
            call_id: signal.call_id,
            primary_call_id: signal.primary_call_id,
            customer_number: signal.customer_number,
            direction: signal.direction,
            recovered: entry.state == CallState::Recovering,
            history: vec![entry.clone()],
            current: entry,
            clock,
        }
    }

    /// The current state: a call state, never `mute` or `unmute`.
    pub fn state(&self) -> &CallState {
        &self.current.state
    }

    /// When the current state was entered.
    pub fn at(&self) -> f64 {
        self.current.at
    }

    /// When the call was first seen.
    pub fn started_at(&self) -> f64 {
        self.history.first().map_or(self.current.at, |e| e.at)
    }

    /// The call reached `hangup`, `purge` or `destroy`.
    pub fn ended(&self) -> bool {
        self.clock.ended
    }

    /// The agent's microphone is muted on this call (`mute` came last, not `unmute`;
    /// never after the call's end).
    pub fn muted(&self) -> bool {
        self.clock.muted_since.is_some()
    }

    /// Ring, talk, hold and muted time up to `until` (ms since the epoch). The current
    /// state counts up to `until`, so a live call's figures keep growing.
    pub fn durations(&self, until: f64) -> Durations {
        let c = &self.clock;
        let open = |since: f64| (until - since).max(0.0);
        let current = open(self.current.at);
        let state = &self.current.state;
        Durations {
            ring_ms: c.ring_ms.unwrap_or_else(|| c.ring_start.map_or(0.0, open)),
            talk_ms: c.talk_ms + if state.is_talking() { current } else { 0.0 },
            hold_ms: c.hold_ms
                + if *state == CallState::Held {
                    current
                } else {
                    0.0
                },
            muted_ms: c.muted_ms + c.muted_since.map_or(0.0, open),
        }
    }

    /// The latest moment in the history: entries are kept in order even when the
    /// phone's dates and the clock disagree, so that no duration is negative.
    fn latest(&self) -> f64 {
        self.history.last().map_or(self.current.at, |e| e.at)
    }

    /// Enters call state `state` at `at`.
    fn enter(&mut self, state: CallState, at: f64) {
        let at = at.max(self.latest());
        let span = at - self.current.at;
        let c = &mut self.clock;
        if self.current.state.is_talking() {
            c.talk_ms += span;
        } else if self.current.state == CallState::Held {
            c.hold_ms += span;
        }
        if c.ring_ms.is_none() {
            match state {
                CallState::Ringing | CallState::Early => {
                    c.ring_start.get_or_insert(at);
                }
                CallState::Requesting | CallState::Trying => {}
                _ => c.ring_ms = Some(c.ring_start.map_or(0.0, |start| (at - start).max(0.0))),
            }
        }
        if state.is_ending() {
            c.ended = true;
            if let Some(since) = c.muted_since.take() {
                c.muted_ms += (at - since).max(0.0);
            }
        }
        if state == CallState::Recovering {
            self.recovered = true;
        }
        let entry = HistoryEntry { state, at };
        self.current = entry.clone();
        self.push(entry);
    }

    /// Mutes or unmutes at `at`; `false` (nothing changed) when it already was so, or
    /// when the call has ended.
    fn set_muted(&mut self, muted: bool, at: f64) -> bool {
        if muted == self.muted() || self.clock.ended {
            return false;
        }
        let at = at.max(self.latest());
        match self.clock.muted_since.take() {
            Some(since) => self.clock.muted_ms += (at - since).max(0.0),
            None => self.clock.muted_since = Some(at),
        }
        let state = if muted {
            CallState::Mute
        } else {
            CallState::Unmute
        };
        self.push(HistoryEntry { state, at });
        true
    }

    /// Appends `entry`; past [`MAX_HISTORY`], drops the oldest entry after the first
    /// [`HISTORY_FIRST`] (the durations do not depend on the history).
    fn push(&mut self, entry: HistoryEntry) {
        self.history.push(entry);
        if self.history.len() > MAX_HISTORY {
            self.history.remove(HISTORY_FIRST);
        }
    }
}

/// One real change of a call's state.
#[derive(Clone, Debug, PartialEq)]
pub struct CallEvent {
    /// The state before, or `None` for the first event of a call.
    pub previous: Option<CallState>,
    /// The call after the change; its [`state`](CallSnapshot::state) is the new state.
    pub call: CallSnapshot,
}

impl CallEvent {
    /// The new state.
    pub fn state(&self) -> &CallState {
        self.call.state()
    }

    /// When the call entered it (ms since the epoch).
    pub fn at(&self) -> f64 {
        self.call.at()
    }
}

/// The agent's microphone was muted or unmuted on a call (core-front's `mute` and
/// `unmute` events). Not a change of the call's state.
#[derive(Clone, Debug, PartialEq)]
pub struct MuteEvent {
    /// Muted now (`mute`), or unmuted (`unmute`).
    pub muted: bool,
    /// When, in ms since the epoch.
    pub at: f64,
    /// The call after the change.
    pub call: CallSnapshot,
}

/// What one event of the phone changed.
#[derive(Clone, Debug, PartialEq)]
pub enum Update {
    /// A call changed state.
    State(CallEvent),
    /// The agent's microphone was muted or unmuted on a call.
    Mute(MuteEvent),
}

/// What one event did to the tracked calls.
enum Step {
    /// The call at this index changed state (from this state, unless it is new).
    Live(usize, Option<CallState>),
    /// The call was destroyed (from this state) and forgotten.
    Destroyed(CallSnapshot, CallState),
    /// The call at this index was muted or unmuted.
    Mute(usize),
}

/// Tracks every live call of the phone.
#[derive(Debug, Default)]
pub struct Tracker {
    calls: Vec<CallSnapshot>,
    forgotten: RecentIds<FORGOTTEN_IDS>,
    /// The call last evicted to stay bounded, until [`Tracker::take_evicted`].
    evicted: Option<Box<str>>,
}

impl Tracker {
    /// An empty tracker.
    pub fn new() -> Tracker {
        Tracker::default()
    }

    /// The live calls, in the order they were first seen.
    pub fn calls(&self) -> &[CallSnapshot] {
        &self.calls
    }

    /// The live call `call_id`, if any.
    pub fn call(&self, call_id: &str) -> Option<&CallSnapshot> {
        self.calls.iter().find(|c| &*c.call_id == call_id)
    }

    /// Forgets every call.
    pub fn clear(&mut self) {
        self.calls.clear();
        self.forgotten.clear();
        self.evicted = None;
    }

    /// Whether call `call_id` is live after an event in `state` (before it is applied):
    /// not for `destroy`, a call already destroyed, or a mute change of a call never seen.
    /// What the browser layer keeps of a call (its object, to act on it) is kept then.
    pub fn keeps(&self, call_id: &str, state: &CallState) -> bool {
        if *state == CallState::Destroy || self.forgotten.contains(call_id) {
            return false;
        }
        self.call(call_id).is_some() || !matches!(state, CallState::Mute | CallState::Unmute)
    }

    /// The call evicted (the oldest of [`MAX_LIVE_CALLS`] live ones) since last asked.
    pub fn take_evicted(&mut self) -> Option<Box<str>> {
        self.evicted.take()
    }

    /// Applies one event. Returns what changed, or `None` when the event repeats the
    /// call's current state (or mute), belongs to a call already destroyed, destroys or
    /// mutes a call never seen.
    pub fn apply(&mut self, signal: CallSignal) -> Option<Update> {
        Some(match self.step(signal)? {
            Step::Live(index, previous) => Update::State(CallEvent {
                previous,
                call: self.calls.get(index)?.clone(),
            }),
            Step::Destroyed(call, previous) => Update::State(CallEvent {
                previous: Some(previous),
                call,
            }),
            Step::Mute(index) => {
                let call = self.calls.get(index)?.clone();
                Update::Mute(MuteEvent {
                    muted: call.muted(),
                    at: call.latest(),
                    call,
                })
            }
        })
    }

    /// [`apply`](Tracker::apply) without building the update, for when nobody listens:
    /// `true` when something changed.
    pub fn record(&mut self, signal: CallSignal) -> bool {
        self.step(signal).is_some()
    }

    fn step(&mut self, signal: CallSignal) -> Option<Step> {
        let mute = match signal.state {
            CallState::Mute => Some(true),
            CallState::Unmute => Some(false),
            _ => None,
        };
        // A live call is never among the forgotten (a forgotten id is never tracked
        // again), so they are looked at only for an id that is not live.
        let Some(index) = self.calls.iter().position(|c| c.call_id == signal.call_id) else {
            if self.forgotten.contains(&signal.call_id) || mute.is_some() {
                return None;
            }
            if signal.state == CallState::Destroy {
                self.forget(signal.call_id);
                return None;
            }
            if self.calls.len() >= MAX_LIVE_CALLS {
                self.evict_stalest();
            }
            self.calls.push(CallSnapshot::new(signal));
            return Some(Step::Live(self.calls.len() - 1, None));
        };
        let call = self.calls.get_mut(index)?;
        if let Some(muted) = mute {
            return call
                .set_muted(muted, signal.at)
                .then_some(Step::Mute(index));
        }
        if *call.state() == signal.state {
            return None;
        }
        let previous = call.state().clone();
        // Later events may fill in what earlier ones lacked; they never blank it.
        if signal.primary_call_id.is_some() {
            call.primary_call_id = signal.primary_call_id;
        }
        if signal.customer_number.is_some() {
            call.customer_number = signal.customer_number;
        }
        if signal.direction != Direction::Unknown {
            call.direction = signal.direction;
        }
        let destroyed = signal.state == CallState::Destroy;
        call.enter(signal.state, signal.at);
        if destroyed {
            let call = self.calls.remove(index);
            self.forget(call.call_id.clone());
            return Some(Step::Destroyed(call, previous));
        }
        Some(Step::Live(index, Some(previous)))
    }

    fn forget(&mut self, id: Box<str>) {
        self.forgotten.remember(id);
    }

    fn evict_stalest(&mut self) {
        let stalest = self
            .calls
            .iter()
            .enumerate()
            .min_by(|a, b| a.1.latest().total_cmp(&b.1.latest()))
            .map(|(i, _)| i);
        if let Some(i) = stalest {
            self.evicted = Some(self.calls.remove(i).call_id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sig(id: &str, state: &str, at: f64) -> CallSignal {
        CallSignal {
            call_id: id.into(),
            primary_call_id: None,
            customer_number: Some("+15550100".into()),
            direction: Direction::Inbound,
            state: CallState::from_name(state),
            at,
        }
    }

    /// The state change of an update, if it is one.
    fn changed(update: Option<Update>) -> Option<CallEvent> {
        match update? {
            Update::State(event) => Some(event),
            Update::Mute(_) => None,
        }
    }

    fn run(tracker: &mut Tracker, events: &[(&str, &str, f64)]) -> Vec<(String, Option<String>)> {
        events
            .iter()
            .filter_map(|(id, state, at)| changed(tracker.apply(sig(id, state, *at))))
            .map(|t| {
                (
                    format!("{}:{}", t.call.call_id, t.state().raw_name()),
                    t.previous.map(|p| p.raw_name().to_owned()),
                )
            })
            .collect()
    }

    #[test]
    fn core_front_repeats_are_one_transition_each() {
        let mut t = Tracker::new();
        // Inbound as core-front emits it, each event under both prefixes.
        let mut events = vec![];
        for (state, at) in [
            ("ringing", 0.0),
            ("answering", 1000.0),
            ("answering", 1000.0),
            ("active", 1100.0),
            ("active", 1200.0),
            ("hangup", 5000.0),
            ("hangup", 5050.0),
            ("destroy", 5100.0),
        ] {
            events.push(("c1", state, at));
            events.push(("c1", state, at));
        }
        let got = run(&mut t, &events);
        let states: Vec<_> = got.iter().map(|g| g.0.as_str()).collect();
        assert_eq!(
            states,
            [
                "c1:ringing",
                "c1:answering",
                "c1:active",
                "c1:hangup",
                "c1:destroy"
            ]
        );
        assert_eq!(got[0].1, None);
        assert_eq!(got[1].1.as_deref(), Some("ringing"));
        assert!(t.calls().is_empty(), "destroyed calls are forgotten");
    }

    #[test]
    fn media_before_answer_order_is_kept() {
        let mut t = Tracker::new();
        let got = run(
            &mut t,
            &[
                ("c1", "ringing", 0.0),
                ("c1", "active", 1.0),
                ("c1", "answering", 2.0),
                ("c1", "answering", 3.0),
                ("c1", "active", 4.0),
            ],
        );
        let states: Vec<_> = got.iter().map(|g| g.0.as_str()).collect();
        assert_eq!(
            states,
            ["c1:ringing", "c1:active", "c1:answering", "c1:active"]
        );
    }

    #[test]
    fn late_events_after_destroy_are_ignored() {
        let mut t = Tracker::new();
        run(&mut t, &[("c1", "ringing", 0.0), ("c1", "destroy", 1.0)]);
        assert!(run(&mut t, &[("c1", "hangup", 2.0), ("c1", "destroy", 3.0)]).is_empty());
        assert!(t.calls().is_empty());
        // A destroy for a call never seen creates nothing.
        assert!(run(&mut t, &[("zz", "destroy", 4.0)]).is_empty());
        assert!(t.calls().is_empty());
    }

    #[test]
    fn interleaved_calls_are_tracked_apart() {
        let mut t = Tracker::new();
        let got = run(
            &mut t,
            &[
                ("a", "active", 0.0),
                ("a", "held", 1.0),
                ("b", "requesting", 1.0),
                ("b", "trying", 2.0),
                ("a", "held", 2.5),
                ("b", "early", 3.0),
                ("b", "active", 4.0),
            ],
        );
        assert_eq!(got.len(), 6);
        assert_eq!(t.calls().len(), 2);
        assert_eq!(*t.calls()[0].state(), CallState::Held);
        assert_eq!(*t.calls()[1].state(), CallState::Active);
    }

    #[test]
    fn unknown_states_are_transitions_too() {
        let mut t = Tracker::new();
        let got = run(&mut t, &[("a", "active", 0.0), ("a", "transferring", 1.0)]);
        assert_eq!(got[1].0, "a:transferring");
        assert_eq!(
            *t.calls()[0].state(),
            CallState::Other("transferring".into())
        );
    }

    #[test]
    fn recovering_marks_the_call() {
        let mut t = Tracker::new();
        let tr = changed(t.apply(sig("a", "recovering", 0.0))).unwrap();
        assert!(tr.call.recovered);
        let tr = changed(t.apply(sig("a", "active", 1.0))).unwrap();
        assert!(tr.call.recovered);
    }

    #[test]
    fn durations() {
        let mut t = Tracker::new();
        let mut last = None;
        for (state, at) in [
            ("ringing", 1000.0),
            ("answering", 4000.0),
            ("active", 4500.0),
            ("held", 10_000.0),
            ("active", 13_000.0),
            ("mute", 14_000.0),
            ("hangup", 20_000.0),
            ("destroy", 20_100.0),
        ] {
            last = changed(t.apply(sig("c", state, at))).or(last);
        }
        let call = last.unwrap().call;
        let d = call.durations(call.at());
        assert_eq!(d.ring_ms, 3000.0);
        assert_eq!(d.talk_ms, 5500.0 + 1000.0 + 6000.0);
        assert_eq!(d.hold_ms, 3000.0);
        assert_eq!(d.muted_ms, 6000.0, "muted from 14 s to the hang-up");
        assert!(call.ended());
        assert!(!call.muted(), "nobody is muted on an ended call");
        assert_eq!(call.started_at(), 1000.0);
    }

    #[test]
    fn mute_is_not_a_state() {
        let mut t = Tracker::new();
        t.apply(sig("c", "ringing", 0.0));
        t.apply(sig("c", "active", 1_000.0));
        // Muting does not change the state: an update of its own.
        let Some(Update::Mute(m)) = t.apply(sig("c", "mute", 2_000.0)) else {
            panic!("mute is a mute update")
        };
        assert!(m.muted && m.call.muted());
        assert_eq!(m.at, 2_000.0);
        assert_eq!(*m.call.state(), CallState::Active);
        assert_eq!(m.call.at(), 1_000.0, "still active since 1 s");
        // Repeats change nothing; neither does an `active` repeat after it.
        assert_eq!(t.apply(sig("c", "mute", 2_100.0)), None);
        assert_eq!(t.apply(sig("c", "active", 2_200.0)), None);
        let Some(Update::Mute(u)) = t.apply(sig("c", "unmute", 5_000.0)) else {
            panic!("unmute is a mute update")
        };
        assert!(!u.muted && !u.call.muted());
        assert_eq!(u.call.durations(6_000.0).muted_ms, 3_000.0);
        assert_eq!(
            u.call.durations(6_000.0).talk_ms,
            5_000.0,
            "talking while muted"
        );
        // The hang-up's previous state is the call state, not `unmute`.
        let hangup = changed(t.apply(sig("c", "hangup", 7_000.0))).unwrap();
        assert_eq!(hangup.previous, Some(CallState::Active));
        // The raw names stay in the history.
        let names: Vec<_> = hangup
            .call
            .history
            .iter()
            .map(|e| e.state.raw_name())
            .collect();
        assert_eq!(names, ["ringing", "active", "mute", "unmute", "hangup"]);
        // After the end, muting is nothing.
        assert_eq!(t.apply(sig("c", "mute", 7_100.0)), None);
    }

    #[test]
    fn what_is_kept_of_a_call_follows_its_life() {
        let mut t = Tracker::new();
        let ringing = CallState::Ringing;
        assert!(t.keeps("c", &ringing), "a new call");
        assert!(
            !t.keeps("c", &CallState::Mute),
            "a mute change of a call never seen"
        );
        t.apply(sig("c", "ringing", 0.0));
        assert!(t.keeps("c", &CallState::Mute));
        assert!(!t.keeps("c", &CallState::Destroy));
        t.apply(sig("c", "destroy", 1.0));
        assert!(!t.keeps("c", &CallState::Hangup), "the server's late bye");
        for i in 0..=MAX_LIVE_CALLS {
            t.apply(sig(&format!("e{i}"), "ringing", f64::from(i as u32)));
        }
        assert_eq!(t.take_evicted().as_deref(), Some("e0"));
        assert_eq!(t.take_evicted(), None);
    }

    #[test]
    fn mute_of_an_unknown_call_creates_nothing() {
        let mut t = Tracker::new();
        assert_eq!(t.apply(sig("x", "mute", 0.0)), None);
        assert_eq!(t.apply(sig("x", "unmute", 0.0)), None);
        assert!(t.calls().is_empty());
        assert!(!t.record(sig("x", "mute", 0.0)));
    }

    #[test]
    fn a_state_kept_through_many_mutes_is_still_the_state() {
        let mut t = Tracker::new();
        t.apply(sig("c", "active", 0.0));
        t.apply(sig("c", "held", 10.0));
        for i in 0..200 {
            let name = if i % 2 == 0 { "mute" } else { "unmute" };
            assert!(t.apply(sig("c", name, 20.0 + f64::from(i))).is_some());
        }
        let call = &t.calls()[0];
        assert_eq!(call.history.len(), MAX_HISTORY);
        assert_eq!(
            *call.state(),
            CallState::Held,
            "the held entry left the history"
        );
        assert!(!call.history[HISTORY_FIRST..]
            .iter()
            .any(|e| e.state == CallState::Held));
        assert_eq!(call.durations(300.0).hold_ms, 290.0);
        assert_eq!(call.durations(300.0).muted_ms, 100.0);
    }

    #[test]
    fn unanswered_call_rings_until_now_or_its_end() {
        let mut t = Tracker::new();
        let tr = changed(t.apply(sig("c", "ringing", 1000.0))).unwrap();
        assert_eq!(tr.call.durations(2500.0).ring_ms, 1500.0);
        let tr = changed(t.apply(sig("c", "hangup", 9000.0))).unwrap();
        assert_eq!(tr.call.durations(99_999.0).ring_ms, 8000.0);
        assert_eq!(tr.call.durations(99_999.0).talk_ms, 0.0);
    }

    #[test]
    fn clock_going_backwards_never_gives_negative_durations() {
        let mut t = Tracker::new();
        t.apply(sig("c", "active", 5000.0));
        let tr = changed(t.apply(sig("c", "held", 1000.0))).unwrap();
        assert_eq!(tr.at(), 5000.0);
        assert!(tr.call.durations(4000.0).hold_ms >= 0.0);
    }

    #[test]
    fn memory_is_bounded() {
        let mut t = Tracker::new();
        for i in 0..1000 {
            let id = format!("leak-{i}");
            t.apply(sig(&id, "ringing", f64::from(i)));
        }
        assert_eq!(t.calls().len(), MAX_LIVE_CALLS);
        assert_eq!(
            &*t.calls()[0].call_id,
            "leak-968",
            "the stalest calls were evicted"
        );
        for i in 0..1000 {
            let id = format!("done-{i}");
            t.apply(sig(&id, "ringing", 0.0));
            t.apply(sig(&id, "destroy", 0.0));
        }
        assert!(t.forgotten.len() <= FORGOTTEN_IDS);
    }

    #[test]
    fn a_long_call_keeps_a_bounded_history_and_exact_durations() {
        let mut tracker = Tracker::new();
        let mut at = 1_000.0;
        let mut expected = Durations::default();
        let mut seed = 7_u64;
        tracker.apply(sig("long", "ringing", at));
        at += 3_000.0;
        expected.ring_ms = 3_000.0;
        tracker.apply(sig("long", "active", at));
        let mut state = "active";
        for _ in 0..20_000 {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let span = (seed >> 40) as f64 % 5_000.0;
            if state == "active" {
                expected.talk_ms += span;
            } else {
                expected.hold_ms += span;
            }
            at += span;
            state = if state == "active" { "held" } else { "active" };
            let event = changed(tracker.apply(sig("long", state, at))).unwrap();
            assert!(event.call.history.len() <= MAX_HISTORY);
        }
        let call = &tracker.calls()[0];
        assert_eq!(call.history.len(), MAX_HISTORY);
        assert_eq!(call.started_at(), 1_000.0);
        assert_eq!(call.history[1].state, CallState::Active);
        assert_eq!(call.history.last().map(|e| e.at), Some(at));
        let d = call.durations(at);
        assert_eq!(d.ring_ms, expected.ring_ms);
        assert!(
            (d.talk_ms - expected.talk_ms).abs() < 1e-3,
            "{} {}",
            d.talk_ms,
            expected.talk_ms
        );
        assert!(
            (d.hold_ms - expected.hold_ms).abs() < 1e-3,
            "{} {}",
            d.hold_ms,
            expected.hold_ms
        );
        // Up to a later moment, the current state keeps counting.
        let later = call.durations(at + 500.0);
        let current = if state == "active" {
            later.talk_ms - d.talk_ms
        } else {
            later.hold_ms - d.hold_ms
        };
        assert_eq!(current, 500.0);
    }
}
