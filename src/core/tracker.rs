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
    /// The state.
    pub state: CallState,
    /// When the call entered it, in milliseconds since the epoch.
    pub at: f64,
}

/// Time spent ringing, talking and on hold, in milliseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Durations {
    /// From `ringing`/`early` to the answer (or to the end, for an unanswered call).
    pub ring_ms: f64,
    /// Time in `active` (muted or not).
    pub talk_ms: f64,
    /// Time in `held`.
    pub hold_ms: f64,
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
    /// The states the call went through, oldest first; never empty. At most
    /// [`MAX_HISTORY`]: the first [`HISTORY_FIRST`] and the latest ones.
    pub history: Vec<HistoryEntry>,
    /// Talk and hold time of the states dropped from `history` (a correction that
    /// [`durations`](CallSnapshot::durations) adds; zero for most calls).
    pub dropped: Durations,
}

impl CallSnapshot {
    /// The current state.
    pub fn state(&self) -> &CallState {
        &self.last().state
    }

    /// When the current state was entered.
    pub fn at(&self) -> f64 {
        self.last().at
    }

    /// When the call was first seen.
    pub fn started_at(&self) -> f64 {
        self.history.first().map_or(0.0, |e| e.at)
    }

    /// The call reached `hangup`, `purge` or `destroy`.
    pub fn ended(&self) -> bool {
        self.history.iter().any(|e| e.state.is_ending())
    }

    fn last(&self) -> &HistoryEntry {
        // `history` is never empty: a snapshot is created with its first entry.
        self.history.last().unwrap_or(&EMPTY)
    }

    /// Ring, talk and hold time up to `until` (ms since the epoch). States after the
    /// last entry are counted up to `until`, so a live call's figures keep growing.
    pub fn durations(&self, until: f64) -> Durations {
        let mut d = Durations::default();
        let mut ring_start: Option<f64> = None;
        let mut ring_done = false;
        for (i, entry) in self.history.iter().enumerate() {
            let end = self.history.get(i + 1).map_or(until, |next| next.at);
            let span = (end - entry.at).max(0.0);
            let state = &entry.state;
            if !ring_done {
                match state {
                    CallState::Ringing | CallState::Early => {
                        ring_start.get_or_insert(entry.at);
                    }
                    CallState::Requesting | CallState::Trying => {}
                    _ => {
                        if let Some(start) = ring_start {
                            d.ring_ms = (entry.at - start).max(0.0);
                        }
                        ring_done = true;
                    }
                }
            }
            if state.is_talking() {
                d.talk_ms += span;
            } else if *state == CallState::Held {
                d.hold_ms += span;
            }
        }
        if !ring_done {
            if let Some(start) = ring_start {
                d.ring_ms = (until - start).max(0.0);
            }
        }
        d.talk_ms = (d.talk_ms + self.dropped.talk_ms).max(0.0);
        d.hold_ms = (d.hold_ms + self.dropped.hold_ms).max(0.0);
        d
    }

    /// Appends `entry`; past [`MAX_HISTORY`], drops the oldest entry after the first
    /// [`HISTORY_FIRST`] and keeps its time in `dropped`. (Once it is gone, the state
    /// before it seems to last until the state after it: its span moves back to its own
    /// state.)
    fn push(&mut self, entry: HistoryEntry) {
        self.history.push(entry);
        if self.history.len() <= MAX_HISTORY {
            return;
        }
        let (Some(prior), Some(gone), Some(next)) = (
            self.history.get(HISTORY_FIRST - 1),
            self.history.get(HISTORY_FIRST),
            self.history.get(HISTORY_FIRST + 1),
        ) else {
            return;
        };
        let span = (next.at - gone.at).max(0.0);
        let mut add = |state: &CallState, ms: f64| {
            if state.is_talking() {
                self.dropped.talk_ms += ms;
            } else if *state == CallState::Held {
                self.dropped.hold_ms += ms;
            }
        };
        add(&gone.state, span);
        add(&prior.state, -span);
        self.history.remove(HISTORY_FIRST);
    }
}

static EMPTY: HistoryEntry = HistoryEntry {
    state: CallState::Destroy,
    at: 0.0,
};

/// One real change of a call's state.
#[derive(Clone, Debug, PartialEq)]
pub struct CallEvent {
    /// The state before, or `None` for the first event of a call.
    pub previous: Option<CallState>,
    /// The call after the change; its last history entry is the new state.
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

/// What one event did to the tracked calls.
enum Step {
    /// The call at this index changed (from this state, unless it is new).
    Live(usize, Option<CallState>),
    /// The call was destroyed (from this state) and forgotten.
    Destroyed(CallSnapshot, CallState),
}

/// Tracks every live call of the phone.
#[derive(Debug, Default)]
pub struct Tracker {
    calls: Vec<CallSnapshot>,
    forgotten: RecentIds<FORGOTTEN_IDS>,
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

    /// Forgets every call.
    pub fn clear(&mut self) {
        self.calls.clear();
        self.forgotten.clear();
    }

    /// Applies one event. Returns the transition, or `None` when the event repeats the
    /// call's current state, belongs to a call already destroyed, or destroys a call
    /// never seen.
    pub fn apply(&mut self, signal: CallSignal) -> Option<CallEvent> {
        Some(match self.step(signal)? {
            Step::Live(index, previous) => CallEvent {
                previous,
                call: self.calls.get(index)?.clone(),
            },
            Step::Destroyed(call, previous) => CallEvent {
                previous: Some(previous),
                call,
            },
        })
    }

    /// [`apply`](Tracker::apply) without building the event, for when nobody listens:
    /// `true` when the event was a transition.
    pub fn record(&mut self, signal: CallSignal) -> bool {
        self.step(signal).is_some()
    }

    fn step(&mut self, signal: CallSignal) -> Option<Step> {
        // A live call is never among the forgotten (a forgotten id is never tracked
        // again), so they are looked at only for an id that is not live.
        let Some(index) = self.calls.iter().position(|c| c.call_id == signal.call_id) else {
            if self.forgotten.contains(&signal.call_id) {
                return None;
            }
            if signal.state == CallState::Destroy {
                self.forget(signal.call_id);
                return None;
            }
            if self.calls.len() >= MAX_LIVE_CALLS {
                self.evict_stalest();
            }
            let recovered = signal.state == CallState::Recovering;
            self.calls.push(CallSnapshot {
                call_id: signal.call_id,
                primary_call_id: signal.primary_call_id,
                customer_number: signal.customer_number,
                direction: signal.direction,
                recovered,
                history: vec![HistoryEntry {
                    state: signal.state,
                    at: signal.at,
                }],
                dropped: Durations::default(),
            });
            return Some(Step::Live(self.calls.len() - 1, None));
        };
        let call = self.calls.get_mut(index)?;
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
        if signal.state == CallState::Recovering {
            call.recovered = true;
        }
        let destroyed = signal.state == CallState::Destroy;
        // Dates from `stateFlow` and from the clock may disagree slightly: keep the
        // history ordered so that durations are never negative.
        let at = signal.at.max(call.at());
        call.push(HistoryEntry {
            state: signal.state,
            at,
        });
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
            .min_by(|a, b| a.1.at().total_cmp(&b.1.at()))
            .map(|(i, _)| i);
        if let Some(i) = stalest {
            self.calls.remove(i);
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

    fn run(tracker: &mut Tracker, events: &[(&str, &str, f64)]) -> Vec<(String, Option<String>)> {
        events
            .iter()
            .filter_map(|(id, state, at)| tracker.apply(sig(id, state, *at)))
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
        let tr = t.apply(sig("a", "recovering", 0.0)).unwrap();
        assert!(tr.call.recovered);
        let tr = t.apply(sig("a", "active", 1.0)).unwrap();
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
            last = t.apply(sig("c", state, at)).or(last);
        }
        let call = last.unwrap().call;
        let d = call.durations(call.at());
        assert_eq!(d.ring_ms, 3000.0);
        assert_eq!(d.talk_ms, 5500.0 + 1000.0 + 6000.0);
        assert_eq!(d.hold_ms, 3000.0);
        assert!(call.ended());
        assert_eq!(call.started_at(), 1000.0);
    }

    #[test]
    fn unanswered_call_rings_until_now_or_its_end() {
        let mut t = Tracker::new();
        let tr = t.apply(sig("c", "ringing", 1000.0)).unwrap();
        assert_eq!(tr.call.durations(2500.0).ring_ms, 1500.0);
        let tr = t.apply(sig("c", "hangup", 9000.0)).unwrap();
        assert_eq!(tr.call.durations(99_999.0).ring_ms, 8000.0);
        assert_eq!(tr.call.durations(99_999.0).talk_ms, 0.0);
    }

    #[test]
    fn clock_going_backwards_never_gives_negative_durations() {
        let mut t = Tracker::new();
        t.apply(sig("c", "active", 5000.0));
        let tr = t.apply(sig("c", "held", 1000.0)).unwrap();
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
            let event = tracker.apply(sig("long", state, at)).unwrap();
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
