//! Click-to-dial anywhere in the CRM: one delegated click listener on a root, for the
//! `tel:` and `callto:` links and the elements with `data-ziwo-number` inside it, present
//! or added later.

use super::dialer::DEFAULT_DIAL_TIMEOUT_MS;
use super::phone::{PhoneCore, WebPhone};
use crate::core::{number_from_link, Error, PhoneNumber};
use gloo_events::{EventListener, EventListenerOptions};
use std::rc::{Rc, Weak};
use wasm_bindgen::JsCast;
use web_sys::{Element, MouseEvent, Node};

/// The attribute that makes any element dial its value when clicked.
pub const NUMBER_ATTRIBUTE: &str = "data-ziwo-number";
/// What a click may land on: a link, or an element with [`NUMBER_ATTRIBUTE`].
const SELECTOR: &str = "a[href], [data-ziwo-number]";

/// Reports a number that was not dialled: refused ([`Error::InvalidNumber`]) or failed
/// (the errors of [`WebPhone::dial`]), with the element clicked.
pub type LinkErrorHandler = Rc<dyn Fn(&Error, &Element)>;

impl WebPhone {
    /// Dials the numbers of `tel:` and `callto:` links and of elements with a
    /// `data-ziwo-number` attribute inside `root` (a document or an element), present or
    /// added later, through [`dial`](WebPhone::dial), instead of the browser's default.
    /// One click listener on `root`, removed when the returned [`Links`] is dropped (or
    /// at `dispose`, after [`forget`](Links::forget)).
    ///
    /// A click with a modifier (Ctrl, Meta, Shift, Alt) or another button than the main
    /// one, or one that a handler already cancelled, keeps its default. A number that does
    /// not validate is not dialled; it and a dial that fails (the phone not ready...) go to
    /// `on_error` with the element clicked. [`Error::Disposed`] after `dispose`.
    ///
    /// ```no_run
    /// use ziwo_webphone::WebPhone;
    /// # fn run() -> Result<(), ziwo_webphone::Error> {
    /// let phone = WebPhone::new()?;
    /// let document = web_sys::window().unwrap().document().unwrap();
    /// phone
    ///     .linkify(&document, |error, _element| {
    ///         web_sys::console::warn_1(&error.to_string().into());
    ///     })?
    ///     .forget();
    /// # Ok(()) }
    /// ```
    pub fn linkify(
        &self,
        root: &Node,
        on_error: impl Fn(&Error, &Element) + 'static,
    ) -> Result<Links, Error> {
        let core = self.core();
        core.check_live()?;
        let weak = Rc::downgrade(core);
        let scope = root.clone();
        let report: LinkErrorHandler = Rc::new(on_error);
        // Not passive: the listener cancels the browser's default for the links it dials.
        let options = EventListenerOptions::enable_prevent_default();
        let listener = EventListener::new_with_options(root, "click", options, move |event| {
            clicked(&weak, &scope, event, &report);
        });
        let id = core.links.add(listener);
        Ok(Links {
            core: Rc::downgrade(core),
            id,
        })
    }
}

/// One click inside the root.
fn clicked(core: &Weak<PhoneCore>, root: &Node, event: &web_sys::Event, report: &LinkErrorHandler) {
    let Some(core) = core.upgrade().filter(|c| c.check_live().is_ok()) else {
        return;
    };
    let Some(click) = event.dyn_ref::<MouseEvent>() else {
        return;
    };
    let modified = click.ctrl_key()
        || click.meta_key()
        || click.shift_key()
        || click.alt_key()
        || click.button() != 0;
    if modified || click.default_prevented() {
        return;
    }
    let Some(element) = click
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .and_then(|e| e.closest(SELECTOR).ok().flatten())
        .filter(|e| root.contains(Some(e)))
    else {
        return;
    };
    let number = match element.get_attribute(NUMBER_ATTRIBUTE) {
        Some(text) => PhoneNumber::parse(&text),
        None => match element
            .get_attribute("href")
            .as_deref()
            .and_then(number_from_link)
        {
            Some(number) => number,
            None => return, // an ordinary link
        },
    };
    click.prevent_default();
    let number = match number {
        Ok(number) => number,
        Err(e) => return report(&e, &element),
    };
    let report = report.clone();
    WebPhone::from_core(core)
        .dial(&number, DEFAULT_DIAL_TIMEOUT_MS)
        .0
        .then(move |outcome| {
            if let Err(e) = outcome {
                report(&e, &element);
            }
        });
}

/// Click-to-dial in a root (see [`WebPhone::linkify`]): the listener is removed when
/// this is dropped, or at `dispose` after [`forget`](Links::forget).
#[must_use = "the links stop dialling when Links is dropped"]
pub struct Links {
    core: Weak<PhoneCore>,
    id: u32,
}

impl Links {
    /// Its number among the phone's links (for the JS facade's undo function).
    #[cfg(feature = "js")]
    pub(crate) fn id(&self) -> u32 {
        self.id
    }

    /// Keeps the listener until the phone is disposed.
    pub fn forget(self) {
        std::mem::forget(self);
    }
}

impl Drop for Links {
    fn drop(&mut self) {
        if let Some(core) = self.core.upgrade() {
            core.links.remove(self.id);
        }
    }
}
