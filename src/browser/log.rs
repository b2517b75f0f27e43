//! The logging hook: quiet by default. Messages describe what the library did or
//! dropped, with the event name at most; they never contain a token, a number or an
//! event's detail.

use std::cell::RefCell;
use std::rc::Rc;

/// How much to log.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Something the page should act on (a subscriber threw, a pop-up failed).
    Error,
    /// Input the library dropped (a malformed event, an invalid stored value).
    Warn,
    /// What the library did (installed, opened a pop-up).
    Info,
    /// Every event.
    Debug,
}

impl Level {
    /// The level's name.
    pub fn name(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warn => "warn",
            Level::Info => "info",
            Level::Debug => "debug",
        }
    }

    /// Parses a level name.
    pub fn parse(name: &str) -> Option<Level> {
        Some(match name {
            "error" => Level::Error,
            "warn" => Level::Warn,
            "info" => Level::Info,
            "debug" => Level::Debug,
            _ => return None,
        })
    }
}

type Sink = Rc<dyn Fn(Level, &str)>;

thread_local! {
    static LOGGER: RefCell<Option<(Level, Sink)>> = const { RefCell::new(None) };
}

/// Sends messages of `level` and more severe to `sink`. Replaces any previous logger.
/// The same arguments, in the same order, as the JavaScript `setLogger(sink, level)`.
///
/// ```no_run
/// use ziwo_webphone::{set_logger, Level};
/// set_logger(|level, message| web_sys::console::log_1(&format!("{}: {message}", level.name()).into()), Level::Info);
/// ```
pub fn set_logger(sink: impl Fn(Level, &str) + 'static, level: Level) {
    LOGGER.with(|l| *l.borrow_mut() = Some((level, Rc::new(sink))));
}

/// Stops logging (the default).
pub fn clear_logger() {
    LOGGER.with(|l| *l.borrow_mut() = None);
}

/// Logs the concatenation of `parts`, built only when a logger wants this level.
pub(crate) fn log(level: Level, parts: &[&str]) {
    let sink = LOGGER.with(|l| {
        l.borrow()
            .as_ref()
            .filter(|(max, _)| level <= *max)
            .map(|(_, sink)| sink.clone())
    });
    if let Some(sink) = sink {
        sink(level, &parts.concat());
    }
}
