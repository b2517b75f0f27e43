//! Lists of listeners that tolerate being changed while they are called: a listener may
//! unsubscribe itself or others, or subscribe new ones, from inside a call. Listeners
//! removed during a dispatch are not called; listeners added during it are called from
//! the next event on (the DOM's `EventTarget` rules).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// A Rust listener (JS listeners subscribe through `js/index.js`, which keeps its own list).
pub(crate) type Listener<E> = Box<dyn Fn(&E)>;

pub(crate) struct Subscribers<E> {
    next_id: Cell<u32>,
    list: RefCell<Vec<(u32, Rc<Listener<E>>)>>,
}

impl<E> Default for Subscribers<E> {
    fn default() -> Self {
        Subscribers {
            next_id: Cell::new(1),
            list: RefCell::new(Vec::new()),
        }
    }
}

impl<E> Subscribers<E> {
    pub(crate) fn add(&self, listener: Listener<E>) -> u32 {
        let id = self.next_id.get();
        self.next_id.set(id.wrapping_add(1).max(1));
        self.list.borrow_mut().push((id, Rc::new(listener)));
        id
    }

    pub(crate) fn remove(&self, id: u32) -> bool {
        // Taken out, then dropped outside the borrow: dropping a listener may run user
        // code (a `Subscription` it owns unsubscribes from this same list).
        let removed = {
            let mut list = self.list.borrow_mut();
            list.iter()
                .position(|(i, _)| *i == id)
                .map(|at| list.remove(at))
        };
        removed.is_some()
    }

    pub(crate) fn clear(&self) {
        // Drop the listeners outside the borrow: dropping one may run user code.
        let old = self.list.take();
        drop(old);
    }

    pub(crate) fn len(&self) -> usize {
        self.list.borrow().len()
    }

    fn contains(&self, id: u32) -> bool {
        self.list.borrow().iter().any(|(i, _)| *i == id)
    }

    /// Calls every listener (JS listeners subscribe through `js/index.js`, which keeps
    /// its own list).
    pub(crate) fn emit(&self, event: &E) {
        let snapshot: Vec<(u32, Rc<Listener<E>>)> = self.list.borrow().clone();
        for (id, listener) in snapshot {
            if self.contains(id) {
                listener(event);
            }
        }
    }
}

/// Things held by id until removed or cleared (the click listeners of `linkify`).
pub(crate) struct Held<T> {
    next_id: Cell<u32>,
    list: RefCell<Vec<(u32, T)>>,
}

impl<T> Default for Held<T> {
    fn default() -> Self {
        Held {
            next_id: Cell::new(1),
            list: RefCell::new(Vec::new()),
        }
    }
}

impl<T> Held<T> {
    pub(crate) fn add(&self, item: T) -> u32 {
        let id = self.next_id.get();
        self.next_id.set(id.wrapping_add(1).max(1));
        self.list.borrow_mut().push((id, item));
        id
    }

    pub(crate) fn remove(&self, id: u32) {
        // Dropped outside the borrow.
        let removed = {
            let mut list = self.list.borrow_mut();
            list.iter()
                .position(|(i, _)| *i == id)
                .map(|at| list.remove(at))
        };
        drop(removed);
    }

    pub(crate) fn clear(&self) {
        let old = self.list.take();
        drop(old);
    }
}
