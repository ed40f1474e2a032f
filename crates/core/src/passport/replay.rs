//! Replay detection: an assertion id (`origid`) is accepted once within its freshness window.

use std::collections::{HashMap, VecDeque};

/// Remembers the assertion ids seen in the last `window` seconds. Time is passed in.
#[derive(Debug, Clone, Default)]
pub struct ReplayCache {
    seen: HashMap<String, i64>,
    order: VecDeque<(i64, String)>,
    window: i64,
}

impl ReplayCache {
    /// A cache that forgets ids after `window` seconds (use at least the freshness window: an
    /// older token is refused as stale anyway).
    pub fn new(window: i64) -> Self {
        ReplayCache {
            window: window.max(1),
            ..Default::default()
        }
    }

    /// Records `origid` at `now`; returns false if it was already seen within the window.
    pub fn first_use(&mut self, origid: &str, now: i64) -> bool {
        while let Some((t, _)) = self.order.front() {
            if now - *t <= self.window {
                break;
            }
            let (_, id) = self.order.pop_front().expect("front exists");
            if self
                .seen
                .get(&id)
                .is_some_and(|&seen_at| now - seen_at > self.window)
            {
                self.seen.remove(&id);
            }
        }
        if self.seen.contains_key(origid) {
            return false;
        }
        self.seen.insert(origid.to_string(), now);
        self.order.push_back((now, origid.to_string()));
        true
    }

    /// How many ids are remembered.
    pub fn len(&self) -> usize {
        self.seen.len()
    }

    /// Whether none are.
    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn once_per_window() {
        let mut c = ReplayCache::new(60);
        assert!(c.first_use("a", 1000));
        assert!(!c.first_use("a", 1030));
        assert!(c.first_use("b", 1030));
        assert!(c.first_use("a", 1100), "forgotten after the window");
        assert_eq!(c.len(), 1, "b is forgotten too");
    }
}
