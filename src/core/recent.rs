//! A small bounded set of call ids, the oldest dropped first: the calls a tracker has
//! forgotten, the calls a pop-up gate has opened. Tens of ids, so a `Vec` (smaller in
//! wasm than a `VecDeque`, and as fast at this size).

/// At most `N` call ids; remembering one more drops the oldest.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct RecentIds<const N: usize>(Vec<Box<str>>);

impl<const N: usize> RecentIds<N> {
    pub(crate) fn contains(&self, id: &str) -> bool {
        self.0.iter().any(|known| **known == *id)
    }

    pub(crate) fn remember(&mut self, id: Box<str>) {
        if self.0.len() >= N {
            self.0.remove(0);
        }
        self.0.push(id);
    }

    pub(crate) fn forget(&mut self, id: &str) {
        self.0.retain(|known| **known != *id);
    }

    pub(crate) fn clear(&mut self) {
        self.0.clear();
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_oldest_first() {
        let mut ids = RecentIds::<2>::default();
        ids.remember("a".into());
        ids.remember("b".into());
        ids.remember("c".into());
        assert!(!ids.contains("a") && ids.contains("b") && ids.contains("c"));
        assert_eq!(ids.len(), 2);
        ids.forget("b");
        assert!(!ids.contains("b") && ids.contains("c"));
        ids.clear();
        assert_eq!(ids.len(), 0);
    }
}
