//! Deterministic random scenarios ("random execution, N nodes, M messages"),
//! for the page, benchmarks and tests.
//!
//! The generator is seeded and self-contained (SplitMix64, no dependency), so the
//! same arguments give the same scenario on every platform, and it only ever
//! produces scenarios that pass [`Scenario::validate`].

use crate::scenario::{
    KvOp, LocalEvent, Message, Node, Put, Scenario, Settings, FORMAT_VERSION, MAX_EVENTS,
    MAX_NODES, MAX_TIME_MS,
};
use hlc::Time;
use std::collections::HashSet;

/// Largest skew the generator gives a node, ms.
pub const GENERATED_SKEW_MS: Time = 200;
/// Largest drift the generator gives a node, ppm.
pub const GENERATED_DRIFT_PPM: i64 = 200;
/// Longest message delay the generator picks, ms.
pub const GENERATED_MAX_DELAY_MS: Time = 200;

/// SplitMix64: tiny, fast, and every seed (even 0) gives a good stream.
/// Shared with the exercises, which must draw the same numbers on every
/// platform for a class to share one link.
#[derive(Debug, Clone)]
pub(crate) struct SplitMix64(pub(crate) u64);

impl SplitMix64 {
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`), by multiply-high.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    pub(crate) fn between(&mut self, lo: i64, hi: i64) -> i64 {
        let span = (hi - lo) as u64 + 1;
        lo + self.below(span) as i64
    }
}

/// The generated name of node `i`: `A` to `Z`, then `N26`, `N27`, ...
pub fn node_name(i: usize) -> String {
    match u8::try_from(i) {
        Ok(k) if k < 26 => char::from(b'A' + k).to_string(),
        _ => format!("N{i}"),
    }
}

/// A random valid scenario with `nodes` nodes, `messages` messages and `locals`
/// local events, the same for the same arguments.
///
/// Sizes are clamped so the result is always valid: `nodes` to `1..=MAX_NODES`;
/// with one node there are no messages (a message needs two nodes); `messages`
/// to `MAX_EVENTS / 2` and then `locals` to what is left of [`MAX_EVENTS`].
///
/// Each node gets a skew in `±GENERATED_SKEW_MS` and a drift in
/// `±GENERATED_DRIFT_PPM`; events spread over about four ms of real time per
/// event; a message goes to a different node and is received 1 to
/// `GENERATED_MAX_DELAY_MS` ms after it is sent; no node has two events at one
/// instant (a clashing time moves later by whole ms).
///
/// ```
/// use hlcviz::generate::random_scenario;
/// let s = random_scenario(5, 20, 10, 42);
/// assert_eq!((s.nodes.len(), s.messages.len(), s.events.len()), (5, 20, 10));
/// assert!(s.validate().is_ok());
/// assert_eq!(s, random_scenario(5, 20, 10, 42));
/// ```
pub fn random_scenario(nodes: usize, messages: usize, locals: usize, seed: u64) -> Scenario {
    let nodes = nodes.clamp(1, MAX_NODES);
    let messages = if nodes < 2 {
        0
    } else {
        messages.min(MAX_EVENTS / 2)
    };
    let locals = locals.min(MAX_EVENTS - 2 * messages);
    let total = locals + 2 * messages;

    let mut rng = SplitMix64(seed);
    let node_list: Vec<Node> = (0..nodes)
        .map(|i| Node {
            name: node_name(i),
            skew_ms: rng.between(-GENERATED_SKEW_MS, GENERATED_SKEW_MS),
            drift_ppm: rng.between(-GENERATED_DRIFT_PPM, GENERATED_DRIFT_PPM),
            steps: Vec::new(),
        })
        .collect();

    // total <= MAX_EVENTS, so the span and every bumped time stay far below
    // MAX_TIME_MS (a bump moves a time at most `total` ms past the span).
    let span = (total.max(1) as Time) * 4;
    debug_assert!(span + GENERATED_MAX_DELAY_MS + total as Time + 1 < MAX_TIME_MS);
    let mut taken: HashSet<(usize, Time)> = HashSet::with_capacity(total);
    let mut claim = |node: usize, mut at: Time| {
        while !taken.insert((node, at)) {
            at += 1;
        }
        at
    };

    let mut message_list = Vec::with_capacity(messages);
    let mut event_list = Vec::with_capacity(locals);
    // Interleave the two kinds so neither always wins the early, unclashed times.
    let (mut m_left, mut e_left) = (messages, locals);
    while m_left + e_left > 0 {
        let pick_message = rng.below((m_left + e_left) as u64) < m_left as u64;
        if pick_message {
            m_left -= 1;
            let from = rng.below(nodes as u64) as usize;
            // Any node but `from`.
            let to = (from + 1 + rng.below(nodes as u64 - 1) as usize) % nodes;
            let sent_at_ms = claim(from, rng.between(0, span));
            let delay = rng.between(1, GENERATED_MAX_DELAY_MS);
            let received_at_ms = claim(to, sent_at_ms + delay);
            message_list.push(Message {
                from,
                sent_at_ms,
                to,
                received_at_ms,
                put: None,
            });
        } else {
            e_left -= 1;
            let node = rng.below(nodes as u64) as usize;
            let at_ms = claim(node, rng.between(0, span));
            event_list.push(LocalEvent::at(node, at_ms));
        }
    }

    Scenario {
        version: FORMAT_VERSION,
        nodes: node_list,
        events: event_list,
        messages: message_list,
        settings: Settings::default(),
    }
}

/// [`random_scenario`] with database operations over `keys` keys (`k0`,
/// `k1`, ...; at least one): every local event is a put (value `v<i>`, `i`
/// counting puts) or a get, half and half, and every fourth message on
/// average carries a put from its sender to its receiver. The clocks and
/// times are exactly those of `random_scenario` with the same arguments;
/// the settings are the defaults (no max offset), for a test to set.
///
/// ```
/// use hlcviz::generate::{random_kv_scenario, random_scenario};
/// let s = random_kv_scenario(3, 20, 40, 4, 7);
/// assert!(s.validate().is_ok());
/// assert!(s.events.iter().all(|e| e.kv.is_some()));
/// let plain = random_scenario(3, 20, 40, 7);
/// assert_eq!(s.events.len(), plain.events.len());
/// assert_eq!(s.events[0].at_ms, plain.events[0].at_ms);
/// ```
pub fn random_kv_scenario(
    nodes: usize,
    messages: usize,
    locals: usize,
    keys: usize,
    seed: u64,
) -> Scenario {
    let mut scenario = random_scenario(nodes, messages, locals, seed);
    // A stream of its own, so the clocks and times stay those of the seed.
    let mut rng = SplitMix64(seed ^ 0x6b76_5f6f_7073);
    let keys = keys.max(1) as u64;
    let mut puts = 0usize;
    let mut next_put = |rng: &mut SplitMix64| {
        puts += 1;
        (format!("k{}", rng.below(keys)), format!("v{puts}"))
    };
    for event in &mut scenario.events {
        event.kv = Some(if rng.below(2) == 0 {
            let (key, value) = next_put(&mut rng);
            KvOp::Put { key, value }
        } else {
            KvOp::Get {
                key: format!("k{}", rng.below(keys)),
            }
        });
    }
    for message in &mut scenario.messages {
        if rng.below(4) == 0 {
            let (key, value) = next_put(&mut rng);
            message.put = Some(Put { key, value });
        }
    }
    scenario
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::replay;

    #[test]
    fn generated_scenarios_are_valid_for_many_seeds_and_sizes() {
        let sizes = [
            (1, 10, 5),
            (1, 0, 0),
            (2, 1, 0),
            (2, 50, 50),
            (3, 0, 7),
            (7, 300, 100),
            (32, 2_000, 1_000),
            (64, 500, 0),
            (1_000, 10, 10),
            (0, 5, 5),
        ];
        for seed in [0, 1, 2, 42, u64::MAX] {
            for &(n, m, l) in &sizes {
                let s = random_scenario(n, m, l, seed);
                assert_eq!(s.validate(), Ok(()), "seed {seed}, size {:?}", (n, m, l));
                assert_eq!(s.nodes.len(), n.clamp(1, MAX_NODES));
                let want_messages = if s.nodes.len() < 2 { 0 } else { m };
                assert_eq!(s.messages.len(), want_messages);
                assert_eq!(s.events.len(), l);
                let trace = replay(&s).unwrap();
                assert_eq!(trace.events().len(), s.event_count());
            }
        }
    }

    #[test]
    fn sizes_are_clamped_to_the_caps() {
        let s = random_scenario(2, MAX_EVENTS, 10, 7);
        assert_eq!(s.messages.len(), MAX_EVENTS / 2);
        assert_eq!(s.events.len(), 0);
        assert_eq!(s.validate(), Ok(()));
    }

    #[test]
    fn same_seed_same_scenario_other_seed_other_scenario() {
        assert_eq!(random_scenario(4, 30, 30, 9), random_scenario(4, 30, 30, 9));
        assert_ne!(
            random_scenario(4, 30, 30, 9),
            random_scenario(4, 30, 30, 10)
        );
    }

    #[test]
    fn names_are_letters_then_numbered() {
        assert_eq!(node_name(0), "A");
        assert_eq!(node_name(25), "Z");
        assert_eq!(node_name(26), "N26");
    }
}
