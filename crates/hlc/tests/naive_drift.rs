//! The paper's message loop: the naive Figure 3 rule (`l = max(l + 1, l_m + 1, pt)`)
//! lets `l - pt` grow without bound when messages travel faster than the physical
//! clocks tick, while the Figure 5 rule keeps `l - pt` within the skew spread and
//! `c` bounded.
//!
//! Setup: nodes in a ring (two nodes: a ping-pong). A message hops from node to node;
//! each receive is immediately followed by a send to the next node at the same
//! physical time. Real time at hop `h` is `T0 + h * ticks / hops` (integer division),
//! i.e. `hops` hops happen per `ticks` clock ticks, and node j reads
//! `real + skews[j]`. Clocks never step back.

use hlc::{Hlc, NaiveHlc, Time};

const T0: Time = 1_000;

/// The loop's speed: `ticks` clock ticks per `hops` hops.
#[derive(Debug, Clone, Copy)]
struct Rate {
    ticks: i64,
    hops: i64,
}

/// What one hop (a receive followed by the send onward) left behind.
#[derive(Debug, Clone, Copy)]
struct Hop {
    /// Naive `l - pt` after the send (the larger of the hop's two events).
    naive_drift: Time,
    /// Naive `l - max_j pt_j`: how far `l` runs ahead of the fastest clock now.
    naive_lead: Time,
    /// HLC `l - pt`, the larger over the receive and the send.
    hlc_drift: Time,
    /// HLC `l - max_j pt_j` (Corollary 1: never above 0).
    hlc_lead: Time,
    /// HLC `c`, the larger over the receive and the send.
    hlc_c: u32,
}

/// Runs `hops` hops of the loop; `result[h - 1]` is hop h.
fn message_loop(skews: &[Time], rate: Rate, hops: usize) -> Vec<Hop> {
    let n = skews.len();
    let max_skew = *skews.iter().max().unwrap();
    let real = |hop: usize| T0 + hop as i64 * rate.ticks / rate.hops;
    let mut naive: Vec<NaiveHlc> = vec![NaiveHlc::new(); n];
    let mut clocks: Vec<Hlc> = vec![Hlc::new(); n];
    // Node 0 starts the loop at hop 0.
    let mut naive_msg = naive[0].send(real(0) + skews[0]);
    let mut hlc_msg = clocks[0].send(real(0) + skews[0]).unwrap().timestamp;
    let mut out = Vec::with_capacity(hops);
    for h in 1..=hops {
        let node = h % n;
        let p = real(h) + skews[node];
        let fastest = real(h) + max_skew;

        let got = naive[node].recv(p, naive_msg);
        assert!(got > naive_msg, "hop {h}: naive receive above its message");
        naive_msg = naive[node].send(p);

        let r = clocks[node].recv(p, hlc_msg).unwrap();
        let s = clocks[node].send(p).unwrap();
        assert!(
            hlc_msg < r.timestamp && r.timestamp < s.timestamp,
            "hop {h}: causality"
        );
        assert!(
            !r.carried && !s.carried,
            "hop {h}: the 16-bit counter never carries here"
        );
        hlc_msg = s.timestamp;

        out.push(Hop {
            naive_drift: naive_msg - p,
            naive_lead: naive_msg - fastest,
            hlc_drift: r.timestamp.l.max(s.timestamp.l) - p,
            hlc_lead: r.timestamp.l.max(s.timestamp.l) - fastest,
            hlc_c: r.timestamp.c.max(s.timestamp.c),
        });
    }
    out
}

fn spread(skews: &[Time]) -> Time {
    skews.iter().max().unwrap() - skews.iter().min().unwrap()
}

/// The value at hop `h` (1-based).
fn at(run: &[Hop], h: usize) -> Hop {
    run[h - 1]
}

/// The naive rule's drift on a loop whose messages outpace the clocks.
///
/// Why the lead (not `l - pt`) is the quantity compared 10x: once the naive `l` is
/// ahead of every clock, each hop adds exactly 2 to `l` (+1 on the receive, +1 on
/// the send) while the fastest clock gains `r` = ticks/hops, so
/// `lead(h) = (2 - r) * h - delta`, where `delta > 0` is what the warm-up lost (the
/// loop starts at node 0, which is not the fastest clock, so `lead(0) < 0`). Hence
/// `lead(10_000) > 10 * lead(1_000)` exactly. `l - pt` on the other hand is the lead
/// plus the receiver's distance to the fastest clock (between 0 and the spread),
/// a positive offset, so for it we assert a growth of more than 9x instead.
fn assert_naive_drifts(run: &[Hop], skews: &[Time], rate: Rate) {
    let eps = spread(skews);
    let (early, late) = (at(run, 1_000), at(run, 10_000));
    assert!(early.naive_lead > 0, "{early:?}");
    assert!(
        late.naive_lead > 10 * early.naive_lead,
        "lead over the fastest clock: {} at 10_000 hops vs {} at 1_000",
        late.naive_lead,
        early.naive_lead
    );
    assert!(
        10 * late.naive_drift > 90 * early.naive_drift,
        "l - pt: {} at 10_000 hops vs {} at 1_000",
        late.naive_drift,
        early.naive_drift
    );
    // Far past any fixed bound such as the skew spread (which HLC respects).
    assert!(
        late.naive_drift > 1_000 * eps,
        "{} vs spread {eps}",
        late.naive_drift
    );
    // The growth rate is (2 - r) per hop: check it between the two checkpoints.
    let grown = late.naive_lead - early.naive_lead;
    let expected = 2 * 9_000 - 9_000 * rate.ticks / rate.hops;
    assert_eq!(grown, expected, "lead grows by 2 - ticks/hops per hop");
    // And it never shrinks along the way: the lead at every 1_000th hop grows.
    let checkpoints: Vec<Time> = (1..=10).map(|k| at(run, k * 1_000).naive_lead).collect();
    assert!(
        checkpoints.windows(2).all(|w| w[0] < w[1]),
        "{checkpoints:?}"
    );
}

/// HLC on the same loop: `l - pt <= spread` and `l <= fastest clock` at every hop
/// (Corollary 1), and `c` bounded.
///
/// The bound on `c`: the loop is one causal chain, so by Theorem 4 `c(f)` is at most
/// the number of earlier events of the chain with the same `l = L`. Such an event g
/// happens at a real time `t` with `L <= t + max_skew` (Corollary 1) and
/// `t + skew(g) = pt(g) <= L`, i.e. within `spread + 1` consecutive clock ticks;
/// each tick holds at most `ceil(hops / ticks)` hops of 2 events each. So
/// `c <= 2 * ceil(hops / ticks) * (spread + 1)`. We also assert that `c` stops
/// growing: its maximum over 10_000 hops is already reached in the first 1_000.
fn assert_hlc_bounded(run: &[Hop], skews: &[Time], rate: Rate) {
    let eps = spread(skews);
    for (i, hop) in run.iter().enumerate() {
        assert!(
            (0..=eps).contains(&hop.hlc_drift),
            "hop {}: l - pt = {} outside 0..={eps}",
            i + 1,
            hop.hlc_drift
        );
        assert!(hop.hlc_lead <= 0, "hop {}: l ahead of every clock", i + 1);
    }
    let per_tick = (rate.hops + rate.ticks - 1) / rate.ticks;
    let bound = 2 * per_tick as u32 * (eps as u32 + 1);
    let max_c = run.iter().map(|h| h.hlc_c).max().unwrap();
    assert!(max_c <= bound, "c reached {max_c}, bound {bound}");
    let max_c_early = run[..1_000].iter().map(|h| h.hlc_c).max().unwrap();
    assert_eq!(max_c, max_c_early, "c kept growing after hop 1_000");
}

#[test]
fn three_node_ring_clock_ticks_once_per_hop() {
    // Node 2's clock is 7 ahead of node 0's: spread 7.
    let skews = [0, 3, 7];
    let rate = Rate { ticks: 1, hops: 1 };
    let run = message_loop(&skews, rate, 10_000);
    assert_naive_drifts(&run, &skews, rate);
    assert_hlc_bounded(&run, &skews, rate);
}

#[test]
fn two_node_ping_pong_four_hops_per_tick() {
    let skews = [0, 5];
    let rate = Rate { ticks: 1, hops: 4 };
    let run = message_loop(&skews, rate, 10_000);
    assert_naive_drifts(&run, &skews, rate);
    assert_hlc_bounded(&run, &skews, rate);
}

#[test]
fn four_node_ring_two_hops_per_three_ticks_behind_the_clocks() {
    // The loop starts at the slowest node; messages still outpace the clocks
    // (r = 2/3 < 2), so the naive rule drifts at 4/3 per hop.
    let skews = [0, 12, 4, 9];
    let rate = Rate { ticks: 2, hops: 3 };
    let run = message_loop(&skews, rate, 10_000);
    assert_naive_drifts(&run, &skews, rate);
    assert_hlc_bounded(&run, &skews, rate);
}

#[test]
fn naive_rule_keeps_up_when_clocks_outrun_messages() {
    // Contrast: when the clocks gain 3 per hop, more than the naive rule's +2, the
    // naive l never gets more than 1 past the fastest clock (after a hop,
    // l = max(l_m + 2, pt + 1), so lead' <= max(lead - 1, 1)), and l - pt stays
    // within spread + 1. The drift above is caused by messages outpacing clocks.
    let skews = [0, 5];
    let rate = Rate { ticks: 3, hops: 1 };
    let run = message_loop(&skews, rate, 10_000);
    for (i, hop) in run.iter().enumerate() {
        assert!(hop.naive_lead <= 1, "hop {}: {hop:?}", i + 1);
        assert!(
            hop.naive_drift <= spread(&skews) + 1,
            "hop {}: {hop:?}",
            i + 1
        );
    }
    assert_hlc_bounded(&run, &skews, rate);
}

#[test]
fn frozen_clocks_hlc_counter_absorbs_the_loop() {
    // All hops inside one clock tick (the paper's limit case): the naive l gains 2
    // per hop, while HLC's l sits on the fastest clock and only c grows, by exactly
    // 2 per hop (one receive, one send). This is where the counter width matters;
    // the bound on c above needs clocks that tick.
    let skews = [0, 2, 9];
    let rate = Rate { ticks: 0, hops: 1 };
    let run = message_loop(&skews, rate, 10_000);
    assert!(at(&run, 10_000).naive_drift > 1_000 * spread(&skews));
    for h in 3..=10_000 {
        let (prev, hop) = (at(&run, h - 1), at(&run, h));
        assert_eq!(hop.hlc_lead, 0, "hop {h}: l is the fastest clock");
        assert!(hop.hlc_drift <= spread(&skews), "hop {h}");
        assert_eq!(hop.hlc_c, prev.hlc_c + 2, "hop {h}");
        assert_eq!(hop.naive_lead, prev.naive_lead + 2, "hop {h}");
    }
}
