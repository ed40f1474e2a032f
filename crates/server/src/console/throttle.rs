//! Login throttling: after [`FAILURES`] failed logins from one client address within
//! [`WINDOW`], that address may not try again until the oldest of them leaves the window.
//!
//! Only failures count, so a person who logs in now and then is never slowed down, and a
//! guesser gets five tries a minute. IPv6 clients are counted per /64, the block one
//! subscriber usually holds. Behind a reverse proxy every client has the proxy's address,
//! so the limit is shared: that errs on the side of refusing guesses.

use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, Ipv6Addr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Failed logins allowed per address within [`WINDOW`].
pub const FAILURES: usize = 5;
/// The window failures are counted in.
pub const WINDOW: Duration = Duration::from_secs(60);
/// Most addresses remembered; beyond it, those with no recent failure are forgotten.
const MAX_ADDRESSES: usize = 10_000;

/// Recent failed logins by client address (`None`: the address is unknown).
#[derive(Debug, Clone, Default)]
pub(crate) struct LoginThrottle(Arc<Mutex<HashMap<Option<IpAddr>, VecDeque<Instant>>>>);

/// The address failures are counted under: IPv6 by its /64.
fn bucket(addr: Option<IpAddr>) -> Option<IpAddr> {
    addr.map(|a| match a {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
        v4 => v4,
    })
}

impl LoginThrottle {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Option<IpAddr>, VecDeque<Instant>>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// How long `addr` must wait before its next attempt, if it must.
    pub fn wait(&self, addr: Option<IpAddr>, now: Instant) -> Option<Duration> {
        let mut map = self.lock();
        let failures = map.get_mut(&bucket(addr))?;
        while failures
            .front()
            .is_some_and(|t| now.duration_since(*t) >= WINDOW)
        {
            failures.pop_front();
        }
        if failures.len() < FAILURES {
            return None;
        }
        failures
            .front()
            .map(|oldest| WINDOW.saturating_sub(now.duration_since(*oldest)))
    }

    /// Counts a failed login from `addr`.
    pub fn failed(&self, addr: Option<IpAddr>, now: Instant) {
        let mut map = self.lock();
        if map.len() >= MAX_ADDRESSES {
            map.retain(|_, f| f.back().is_some_and(|t| now.duration_since(*t) < WINDOW));
            if map.len() >= MAX_ADDRESSES {
                map.clear();
            }
        }
        let failures = map.entry(bucket(addr)).or_default();
        failures.push_back(now);
        while failures.len() > FAILURES {
            failures.pop_front();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_a_minute_then_wait_for_the_oldest() {
        let t = LoginThrottle::default();
        let a = Some("192.0.2.1".parse().unwrap());
        let b = Some("192.0.2.2".parse().unwrap());
        let start = Instant::now();
        for i in 0..FAILURES {
            assert_eq!(t.wait(a, start), None, "attempt {i}");
            t.failed(a, start + Duration::from_secs(i as u64));
        }
        let now = start + Duration::from_secs(10);
        assert_eq!(t.wait(a, now), Some(Duration::from_secs(50)));
        assert_eq!(t.wait(b, now), None, "another address is not held back");
        assert_eq!(t.wait(None, now), None);
        // The oldest failure leaves the window: one more try.
        assert_eq!(t.wait(a, start + WINDOW), None);
    }

    #[test]
    fn ipv6_counts_per_64() {
        let t = LoginThrottle::default();
        let now = Instant::now();
        for i in 0..FAILURES {
            let addr: IpAddr = format!("2001:db8:1:2::{i:x}").parse().unwrap();
            t.failed(Some(addr), now);
        }
        let same_64 = Some("2001:db8:1:2:ffff::1".parse().unwrap());
        let other_64 = Some("2001:db8:1:3::1".parse().unwrap());
        assert!(t.wait(same_64, now).is_some());
        assert_eq!(t.wait(other_64, now), None);
        let mapped = Some("::ffff:192.0.2.9".parse().unwrap());
        t.failed(mapped, now);
        assert_eq!(
            t.lock()
                .get(&Some("192.0.2.9".parse().unwrap()))
                .map(|f| f.len()),
            Some(1)
        );
    }
}
