//! Each host's clock offset, estimated from the messages of a recorded run.
//!
//! Real time is not in a log, but a message cannot be received before it was
//! sent. With `offset = clock − real` for each host, a message from `i` to
//! `j`, sent when `i`'s clock read `s` and received when `j`'s read `r`, gives
//!
//! ```text
//! real(recv) ≥ real(send)  ⇔  r − offset_j ≥ s − offset_i  ⇔  offset_j − offset_i ≤ r − s
//! ```
//!
//! a bound on the difference of two offsets (the reasoning of NTP's
//! round-trip filter and of Jaeger's clock-skew adjuster). Messages both ways
//! bound it from both sides. The bounds are difference constraints, so the
//! tightest bound on `offset_v − offset_ref` over every chain of messages is a
//! shortest path in the graph with an edge `i → j` of weight `min(r − s)`
//! (Floyd–Warshall over at most [`crate::scenario::MAX_NODES`] hosts). A
//! negative cycle means no offsets satisfy the log (a message chain that
//! arrives before it left whatever the offsets: a clock stepped during the
//! run, or the log is wrong), and is reported, never looped on.
//!
//! The estimate is the midpoint of the bounds; with messages both ways over one
//! link it is NTP's offset estimate from the fastest message each way, and its
//! error is at most half the difference of those two one-way delays.
//!
//! ```
//! use hlcviz::offsets::{estimate, Exchange};
//! // b's clock is 40 ahead of a's; messages take 2 one way, 3 the other.
//! let log = [
//!     Exchange { from: 0, to: 1, sent: 100, received: 142 }, // 40 + 2
//!     Exchange { from: 1, to: 0, sent: 150, received: 113 }, // −40 + 3
//! ];
//! let offsets = estimate(2, 0, &log).unwrap();
//! assert_eq!((offsets[1].lower, offsets[1].upper), (Some(37), Some(42)));
//! assert_eq!(offsets[1].estimate, 39); // (37 + 42) / 2, rounded down
//! assert_eq!(offsets[0].estimate, 0, "the reference");
//! ```

/// One message of the log, in the clock readings of its two hosts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exchange {
    /// Sending host.
    pub from: usize,
    /// Receiving host.
    pub to: usize,
    /// The sender's clock at the send.
    pub sent: i64,
    /// The receiver's clock at the receive.
    pub received: i64,
}

/// A host's offset relative to the reference host, in the unit of the
/// readings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HostOffset {
    /// The largest offset no message rules out from below; `None`: no chain of
    /// messages from this host reaches the reference.
    pub lower: Option<i128>,
    /// The smallest offset no message rules out from above; `None`: no chain
    /// of messages from the reference reaches this host.
    pub upper: Option<i128>,
    /// The midpoint of the bounds (rounded down); the one bound when only one
    /// is known; 0 when neither is.
    pub estimate: i128,
}

impl HostOffset {
    /// Whether `offset` lies within the bounds (an unknown bound admits
    /// everything on its side).
    ///
    /// ```
    /// let o = hlcviz::offsets::HostOffset { lower: Some(-3), upper: None, estimate: -3 };
    /// assert!(o.contains(1_000) && o.contains(-3) && !o.contains(-4));
    /// ```
    pub fn contains(&self, offset: i128) -> bool {
        self.lower.is_none_or(|lo| lo <= offset) && self.upper.is_none_or(|hi| offset <= hi)
    }
}

/// No offsets satisfy the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inconsistent {
    /// The hosts on a negative cycle, in order; the sum of the cycle's bounds
    /// is below zero.
    pub cycle: Vec<usize>,
    /// How far below zero (in the readings' unit): the least a message of the
    /// cycle would have to have travelled back in real time.
    pub deficit: i128,
}

/// The tightest bounds on every host's offset relative to host `reference`
/// (whose own offset is 0 by definition), from the messages in `log`.
/// Exchanges naming a host `>= hosts`, and a host's messages to itself, are
/// ignored.
///
/// ```
/// use hlcviz::offsets::{estimate, Exchange};
/// // a → b → a arriving before it left on a's own clock: inconsistent.
/// let log = [
///     Exchange { from: 0, to: 1, sent: 100, received: 50 },
///     Exchange { from: 1, to: 0, sent: 60, received: 90 },
/// ];
/// let err = estimate(2, 0, &log).unwrap_err();
/// assert_eq!(err.deficit, 20);
/// ```
pub fn estimate(
    hosts: usize,
    reference: usize,
    log: &[Exchange],
) -> Result<Vec<HostOffset>, Inconsistent> {
    let n = hosts;
    // dist[i][j]: the tightest known bound on offset_j − offset_i.
    let mut dist: Vec<Vec<Option<i128>>> = vec![vec![None; n]; n];
    let mut next: Vec<Vec<usize>> = (0..n).map(|_| (0..n).collect()).collect();
    for (i, row) in dist.iter_mut().enumerate() {
        row[i] = Some(0);
    }
    for e in log {
        if e.from >= n || e.to >= n || e.from == e.to {
            continue;
        }
        let w = i128::from(e.received) - i128::from(e.sent);
        let slot = &mut dist[e.from][e.to];
        if slot.is_none_or(|old| w < old) {
            *slot = Some(w);
        }
    }
    for k in 0..n {
        for i in 0..n {
            let Some(ik) = dist[i][k] else { continue };
            for j in 0..n {
                let Some(kj) = dist[k][j] else { continue };
                let through = ik + kj;
                if dist[i][j].is_none_or(|old| through < old) {
                    dist[i][j] = Some(through);
                    next[i][j] = next[i][k];
                }
            }
            if dist[i][i].is_some_and(|d| d < 0) {
                return Err(Inconsistent {
                    cycle: cycle_from(&next, i),
                    deficit: -dist[i][i].unwrap_or(0),
                });
            }
        }
    }
    let Some(reference) = (reference < n).then_some(reference) else {
        return Ok(Vec::new());
    };
    Ok((0..n)
        .map(|v| {
            let upper = dist[reference][v];
            let lower = dist[v][reference].map(|d| -d);
            let estimate = match (lower, upper) {
                (Some(lo), Some(hi)) => (lo + hi).div_euclid(2),
                (Some(bound), None) | (None, Some(bound)) => bound,
                (None, None) => 0,
            };
            HostOffset {
                lower,
                upper,
                estimate,
            }
        })
        .collect())
}

/// The hosts on the path from `start` back to itself, following `next`
/// (at most every host once).
fn cycle_from(next: &[Vec<usize>], start: usize) -> Vec<usize> {
    let mut cycle = vec![start];
    let mut at = next[start][start];
    while at != start && cycle.len() < next.len() {
        cycle.push(at);
        at = next[at][start];
    }
    cycle
}

#[cfg(test)]
mod tests {
    use super::*;

    fn x(from: usize, to: usize, sent: i64, received: i64) -> Exchange {
        Exchange {
            from,
            to,
            sent,
            received,
        }
    }

    #[test]
    fn chains_of_messages_bound_hosts_that_never_talk_to_the_reference() {
        // a ↔ b and b ↔ c, never a ↔ c. True offsets: b = +10, c = −5.
        let log = [
            x(0, 1, 0, 12),  // b − a ≤ 12
            x(1, 0, 20, 11), // a − b ≤ −9  → b − a ≥ 9
            x(1, 2, 30, 16), // c − b ≤ −14
            x(2, 1, 20, 36), // b − c ≤ 16  → c − b ≥ −16
        ];
        let o = estimate(3, 0, &log).unwrap();
        assert_eq!((o[1].lower, o[1].upper), (Some(9), Some(12)));
        assert_eq!((o[2].lower, o[2].upper), (Some(9 - 16), Some(12 - 14)));
        assert!(o[2].contains(-5));
    }

    #[test]
    fn one_way_traffic_bounds_one_side_only() {
        let o = estimate(3, 0, &[x(0, 1, 0, 25)]).unwrap();
        assert_eq!(
            (o[1].lower, o[1].upper, o[1].estimate),
            (None, Some(25), 25)
        );
        assert_eq!((o[2].lower, o[2].upper, o[2].estimate), (None, None, 0));
    }

    #[test]
    fn extreme_readings_do_not_overflow() {
        let log = [x(0, 1, i64::MIN, i64::MAX), x(1, 0, i64::MIN, i64::MAX)];
        let o = estimate(2, 0, &log).unwrap();
        assert!(o[1].contains(0));
        let bad = [x(0, 1, i64::MAX, i64::MIN), x(1, 0, i64::MAX, i64::MIN)];
        assert!(estimate(2, 0, &bad).is_err());
    }

    #[test]
    fn a_negative_cycle_names_its_hosts() {
        let log = [x(0, 1, 0, 0), x(1, 2, 0, 0), x(2, 0, 5, 0)];
        let err = estimate(3, 0, &log).unwrap_err();
        assert_eq!(err.deficit, 5);
        let mut hosts = err.cycle.clone();
        hosts.sort_unstable();
        assert_eq!(hosts, vec![0, 1, 2], "{err:?}");
    }
}
