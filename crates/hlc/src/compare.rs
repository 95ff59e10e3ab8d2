//! The clocks HLC is compared with.

use crate::timestamp::Time;
use std::cmp::Ordering;

/// The paper's Figure 3 rule, which it shows to be broken: `l = max(l + 1, pt)` on
/// a send or local event, `l = max(l + 1, l_m + 1, pt)` on a receive, and no
/// counter. On a message loop its `l - pt` grows without bound.
///
/// Arithmetic saturates at [`Time::MAX`] (the visualizer's time caps keep it far
/// from there).
///
/// ```
/// use hlc::NaiveHlc;
/// let mut a = NaiveHlc::new();
/// let mut b = NaiveHlc::new();
/// let m = a.send(10);
/// assert_eq!(m, 10);
/// assert_eq!(b.recv(10, m), 11, "the +1 pushes l past every physical clock");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NaiveHlc {
    l: Time,
}

impl NaiveHlc {
    /// A clock at `l = 0`.
    ///
    /// ```
    /// assert_eq!(hlc::NaiveHlc::new().now(), 0);
    /// ```
    pub fn new() -> NaiveHlc {
        NaiveHlc { l: 0 }
    }

    /// The same clock restarted at `l`.
    ///
    /// ```
    /// let mut c = hlc::NaiveHlc::new().starting_at(i64::MIN);
    /// assert_eq!(c.local(-5), -5);
    /// ```
    pub fn starting_at(mut self, l: Time) -> NaiveHlc {
        self.l = l;
        self
    }

    /// The last value.
    ///
    /// ```
    /// let mut c = hlc::NaiveHlc::new();
    /// c.local(3);
    /// assert_eq!(c.now(), 3);
    /// ```
    pub fn now(&self) -> Time {
        self.l
    }

    /// A local event at physical time `pt`.
    ///
    /// ```
    /// let mut c = hlc::NaiveHlc::new();
    /// assert_eq!(c.local(3), 3);
    /// assert_eq!(c.local(3), 4);
    /// ```
    pub fn local(&mut self, pt: Time) -> Time {
        self.l = self.l.saturating_add(1).max(pt);
        self.l
    }

    /// A send: the same rule as a local event; returns the message's stamp.
    ///
    /// ```
    /// assert_eq!(hlc::NaiveHlc::new().send(7), 7);
    /// ```
    pub fn send(&mut self, pt: Time) -> Time {
        self.local(pt)
    }

    /// A receive at `pt` of a message stamped `l_m`.
    ///
    /// ```
    /// let mut c = hlc::NaiveHlc::new();
    /// assert_eq!(c.recv(5, 20), 21);
    /// ```
    pub fn recv(&mut self, pt: Time, l_m: Time) -> Time {
        self.l = self.l.saturating_add(1).max(l_m.saturating_add(1)).max(pt);
        self.l
    }
}

/// A Lamport clock: `+1` on a send or local event, `max(lc, lc_m) + 1` on a
/// receive. Saturates at `u64::MAX`.
///
/// ```
/// use hlc::Lamport;
/// let mut a = Lamport::new();
/// let mut b = Lamport::new();
/// a.local();
/// let m = a.send();
/// assert_eq!(b.recv(m), 3);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Lamport {
    counter: u64,
}

impl Lamport {
    /// A clock at 0.
    ///
    /// ```
    /// assert_eq!(hlc::Lamport::new().now(), 0);
    /// ```
    pub fn new() -> Lamport {
        Lamport { counter: 0 }
    }

    /// The last value.
    ///
    /// ```
    /// let mut c = hlc::Lamport::new();
    /// c.local();
    /// assert_eq!(c.now(), 1);
    /// ```
    pub fn now(&self) -> u64 {
        self.counter
    }

    /// A local event.
    ///
    /// ```
    /// assert_eq!(hlc::Lamport::new().local(), 1);
    /// ```
    pub fn local(&mut self) -> u64 {
        self.counter = self.counter.saturating_add(1);
        self.counter
    }

    /// A send; returns the message's stamp.
    ///
    /// ```
    /// assert_eq!(hlc::Lamport::new().send(), 1);
    /// ```
    pub fn send(&mut self) -> u64 {
        self.local()
    }

    /// A receive of a message stamped `message`.
    ///
    /// ```
    /// assert_eq!(hlc::Lamport::new().recv(41), 42);
    /// ```
    pub fn recv(&mut self, message: u64) -> u64 {
        self.counter = self.counter.max(message).saturating_add(1);
        self.counter
    }
}

/// A vector clock over a fixed number of nodes: `vc[me] += 1` on a send or local
/// event; on a receive `vc = max(vc, vc_m)` then `vc[me] += 1`. Unlike HLC,
/// `vc(e) < vc(f)` exactly when `e` happened before `f`.
///
/// ```
/// use hlc::VectorClock;
/// let mut a = VectorClock::new(2, 0);
/// let mut b = VectorClock::new(2, 1);
/// let m = a.send().to_vec();
/// b.local();
/// assert_eq!(b.recv(&m), &[1, 2]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VectorClock {
    entries: Vec<u32>,
    owner: usize,
}

impl VectorClock {
    /// A zero clock over `nodes` nodes, owned by node `owner`. An `owner` outside
    /// `0..nodes` grows the vector to include it.
    ///
    /// ```
    /// assert_eq!(hlc::VectorClock::new(3, 1).entries(), &[0, 0, 0]);
    /// ```
    pub fn new(nodes: usize, owner: usize) -> VectorClock {
        VectorClock {
            entries: vec![0; nodes.max(owner + 1)],
            owner,
        }
    }

    /// The current entries.
    ///
    /// ```
    /// let mut c = hlc::VectorClock::new(2, 1);
    /// c.local();
    /// assert_eq!(c.entries(), &[0, 1]);
    /// ```
    pub fn entries(&self) -> &[u32] {
        &self.entries
    }

    /// A local event.
    ///
    /// ```
    /// assert_eq!(hlc::VectorClock::new(2, 0).local(), &[1, 0]);
    /// ```
    pub fn local(&mut self) -> &[u32] {
        let own = &mut self.entries[self.owner];
        *own = own.saturating_add(1);
        &self.entries
    }

    /// A send; returns the message's stamp.
    ///
    /// ```
    /// assert_eq!(hlc::VectorClock::new(2, 1).send(), &[0, 1]);
    /// ```
    pub fn send(&mut self) -> &[u32] {
        self.local()
    }

    /// A receive of a message stamped `message` (extra entries are ignored,
    /// missing ones count as 0).
    ///
    /// ```
    /// let mut c = hlc::VectorClock::new(3, 2);
    /// assert_eq!(c.recv(&[4, 1, 0]), &[4, 1, 1]);
    /// ```
    pub fn recv(&mut self, message: &[u32]) -> &[u32] {
        for (mine, theirs) in self.entries.iter_mut().zip(message) {
            *mine = (*mine).max(*theirs);
        }
        self.local()
    }

    /// Compares two vector stamps: `Some(Less)` when `a` happened before `b`,
    /// `Some(Greater)` for the reverse, `Some(Equal)` when equal and `None` when
    /// concurrent.
    ///
    /// ```
    /// use hlc::VectorClock;
    /// use std::cmp::Ordering;
    /// assert_eq!(VectorClock::compare(&[1, 0], &[1, 1]), Some(Ordering::Less));
    /// assert_eq!(VectorClock::compare(&[2, 0], &[1, 1]), None);
    /// ```
    pub fn compare(a: &[u32], b: &[u32]) -> Option<Ordering> {
        let len = a.len().max(b.len());
        let (mut less, mut greater) = (false, false);
        for i in 0..len {
            let x = a.get(i).copied().unwrap_or(0);
            let y = b.get(i).copied().unwrap_or(0);
            less |= x < y;
            greater |= x > y;
        }
        match (less, greater) {
            (false, false) => Some(Ordering::Equal),
            (true, false) => Some(Ordering::Less),
            (false, true) => Some(Ordering::Greater),
            (true, true) => None,
        }
    }
}
