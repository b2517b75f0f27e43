//! Installing the phone: what ZIWO's own snippet does (seed, "Install WebPhone"), with
//! validation first, idempotence, and a future for the script's load.

use super::oneshot::Oneshot;
use super::storage;
use crate::core::{
    check_http_url, check_nonce, ContactCenter, Error, Position, Size, Token, CC_NAME_KEY,
    POSITION_KEY, SIZE_KEY, TOKEN_KEY,
};
use gloo_events::EventListener;
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use wasm_bindgen::JsCast;
use web_sys::{Document, HtmlScriptElement};

/// The `id` ZIWO's snippet gives the loader script.
pub const SCRIPT_ID: &str = "jorelScriptLoader";
const LOADER_SELECTOR: &str = "script#jorelScriptLoader";

/// What to install: the contact center, and optionally display defaults, an auto-login
/// token, a CSP nonce and another script URL (a simulator, a staging phone).
///
/// ```no_run
/// use ziwo_webphone::{ContactCenter, Install, Position, Size};
/// # async fn run() -> Result<(), ziwo_webphone::Error> {
/// Install::new(ContactCenter::parse("wayne-enterprise")?)
///     .position(Position::TopLeft)
///     .size(Size::Small)
///     .run()?
///     .await?;
/// # Ok(()) }
/// ```
///
/// The script is ZIWO's: no `crossorigin`, no `integrity`, a `nonce` only when
/// [`nonce`](Install::nonce) is set, and the loader's URL (or [`script_url`](Install::script_url)
/// resolved against the page). A page that preloads the loader in its head, with the same
/// URL ([`ContactCenter::loader_url`], which a server can compute when it renders the
/// page), has it downloading before the module has loaded, and the script inserted here
/// takes the preloaded response instead of asking again:
///
/// ```html
/// <link rel="preload" href="https://wayne-enterprise.aswat.co/scripts/jorel.js" as="script">
/// ```
///
/// Under a nonce Content-Security-Policy the preload needs the same `nonce` attribute as
/// the script, or the browser refuses it (and the script downloads the loader itself).
#[derive(Clone, Debug)]
pub struct Install {
    contact_center: ContactCenter,
    position: Option<Position>,
    size: Option<Size>,
    token: Option<Token>,
    nonce: Option<String>,
    script_url: Option<String>,
}

impl Install {
    /// Installs the phone of `contact_center` with the phone's own display defaults.
    pub fn new(contact_center: ContactCenter) -> Install {
        Install {
            contact_center,
            position: None,
            size: None,
            token: None,
            nonce: None,
            script_url: None,
        }
    }

    /// Writes `_jorel-default-position`.
    pub fn position(mut self, position: Position) -> Install {
        self.position = Some(position);
        self
    }

    /// Writes `_jorel-default-size`.
    pub fn size(mut self, size: Size) -> Install {
        self.size = Some(size);
        self
    }

    /// Auto-login: writes `_jorel-token` and `_jorel-ccName` before the loader runs.
    pub fn token(mut self, token: Token) -> Install {
        self.token = Some(token);
        self
    }

    /// A CSP nonce for the loader script (`script-src 'nonce-…'`). Checked when the
    /// install runs: base64 characters only. A page that preloads the loader gives its
    /// `<link rel="preload">` the same nonce.
    pub fn nonce(mut self, nonce: impl Into<String>) -> Install {
        self.nonce = Some(nonce.into());
        self
    }

    /// Loads the phone from another URL (absolute, or relative to the page), for a
    /// simulator or a staging phone. Must be `http:` or `https:`.
    pub fn script_url(mut self, url: impl Into<String>) -> Install {
        self.script_url = Some(url.into());
        self
    }

    /// The contact center.
    pub fn contact_center(&self) -> &ContactCenter {
        &self.contact_center
    }

    /// Runs the install. See [`install`].
    pub fn run(&self) -> Result<ScriptLoad, Error> {
        install(self)
    }
}

/// Installs the phone and returns a future of the script's load.
///
/// Everything is validated before anything is written: a bad nonce or script URL, or a
/// missing `document.body`, is an error that changes nothing. Then the display
/// defaults and the auto-login keys are written (all or none), and only then is
/// `<script id="jorelScriptLoader" type="text/javascript" async src="…">` prepended to
/// `document.body`.
///
/// Idempotent: when the loader script is already in the page, no second one is added;
/// the display keys are still written (they apply from the phone's next load) and the
/// returned future follows the script already there. An install with another contact
/// center, script URL or auto-login token than the loader in the page is refused with
/// [`Error::AlreadyInstalled`] and writes nothing. A script that failed to load is removed,
/// so that a later install retries with a fresh one.
pub fn install(options: &Install) -> Result<ScriptLoad, Error> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or(Error::NoDocument)?;
    let body = document.body().ok_or(Error::NoDocument)?;
    let src = match &options.script_url {
        Some(url) => resolve_http_url(&document, url)?,
        None => options.contact_center.loader_url(),
    };
    if let Some(nonce) = &options.nonce {
        check_nonce(nonce)?;
    }

    // A loader already in the page: ours, or the page's own (ZIWO's snippet). Another
    // contact center, script or token than it was loaded with is refused before
    // anything is written: the keys would not match the phone that runs.
    // Only a script is a loader: any other element with that id (a CRM user's content
    // can have one) is not.
    let existing = document.query_selector(LOADER_SELECTOR).ok().flatten();
    let ours = existing.as_ref().and_then(|existing| {
        LOADER.with(|l| {
            l.borrow()
                .as_ref()
                .filter(|state| state.script.is_same_node(Some(existing)))
                .cloned()
        })
    });
    if let Some(existing) = &existing {
        let same = match &ours {
            Some(state) => {
                state.contact_center == options.contact_center
                    && state.src == src
                    && (options.token.is_none() || state.token == options.token)
            }
            None => existing
                .dyn_ref::<HtmlScriptElement>()
                .map_or(true, |script| script.src() == src),
        };
        if !same {
            return Err(Error::AlreadyInstalled);
        }
    }

    let mut pairs: Vec<(&str, &str)> = Vec::with_capacity(4);
    if let Some(token) = &options.token {
        pairs.push((TOKEN_KEY, token.expose()));
        pairs.push((CC_NAME_KEY, options.contact_center.as_str()));
    }
    if let Some(p) = options.position {
        pairs.push((POSITION_KEY, p.as_str()));
    }
    if let Some(s) = options.size {
        pairs.push((SIZE_KEY, s.as_str()));
    }
    if !pairs.is_empty() {
        storage::set_all(&storage::local_storage()?, &pairs)?;
    }

    if existing.is_some() {
        super::presence::watch();
        // A loader the page added itself: we cannot know whether it has loaded, so the
        // future is ready at once.
        return Ok(ScriptLoad(ours.map_or_else(
            || Oneshot::ready(Ok(())),
            |state| state.done.clone(),
        )));
    }

    let script: HtmlScriptElement = document
        .create_element("script")
        .map_err(|_| Error::NoDocument)?
        .unchecked_into();
    script.set_id(SCRIPT_ID);
    script.set_type("text/javascript");
    script.set_async(true);
    if let Some(nonce) = &options.nonce {
        script.set_nonce(nonce);
    }
    script.set_src(&src);

    let state = Rc::new(LoadState {
        script: script.clone(),
        contact_center: options.contact_center.clone(),
        src,
        token: options.token.clone(),
        done: Oneshot::new(),
        listeners: RefCell::new(Vec::new()),
    });
    let on_load = {
        let state = Rc::downgrade(&state);
        EventListener::once(&script, "load", move |_| {
            if let Some(state) = state.upgrade() {
                state.done.settle(Ok(()));
            }
        })
    };
    let on_error = {
        let state = Rc::downgrade(&state);
        EventListener::once(&script, "error", move |_| {
            if let Some(state) = state.upgrade() {
                // Remove the failed script so that the next install can retry.
                state.script.remove();
                state.done.settle(Err(Error::ScriptFailed));
            }
        })
    };
    state.listeners.borrow_mut().extend([on_load, on_error]);
    LOADER.with(|l| *l.borrow_mut() = Some(state.clone()));
    body.prepend_with_node_1(&script)
        .map_err(|_| Error::NoDocument)?;
    // After the loader's request has started (the script runs later, in a task of its
    // own): a phone created after the agent connected knows it.
    super::presence::watch();
    Ok(ScriptLoad(state.done.clone()))
}

thread_local! {
    static LOADER: RefCell<Option<Rc<LoadState>>> = const { RefCell::new(None) };
}

struct LoadState {
    script: HtmlScriptElement,
    /// The contact center, the loader's URL and the auto-login token it was installed
    /// with.
    contact_center: ContactCenter,
    src: String,
    token: Option<Token>,
    done: Oneshot<Result<(), Error>>,
    listeners: RefCell<Vec<EventListener>>,
}

/// The load of the phone's loader script: resolves when the script has loaded, fails
/// with [`Error::ScriptFailed`] when it could not be loaded. Cheap to clone; every clone
/// sees the same outcome.
#[derive(Clone)]
#[must_use = "a ScriptLoad does nothing unless awaited; drop it to ignore the outcome"]
pub struct ScriptLoad(pub(crate) Oneshot<Result<(), Error>>);

impl Future for ScriptLoad {
    type Output = Result<(), Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.0).poll(cx)
    }
}

/// Resolves `url` against the page and accepts only `http:` and `https:` URLs.
pub(crate) fn resolve_http_url(document: &Document, url: &str) -> Result<String, Error> {
    let base = document.base_uri().ok().flatten().unwrap_or_default();
    let parsed = web_sys::Url::new_with_base(url, &base).map_err(|_| Error::InvalidUrl)?;
    let href = parsed.href();
    check_http_url(&href)?;
    Ok(href)
}
