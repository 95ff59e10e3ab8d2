//! The gallery of scenarios that teach, each with a one-line caption. Their
//! scenarios are the files in `docs/examples/`, so the page, the command line and
//! the documentation show the same executions.

use crate::app::ClockView;
use crate::scenario::Scenario;
use hlc::Timestamp;

/// One preset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preset {
    /// Stable identifier (used in the page's menu).
    pub id: &'static str,
    /// Short title.
    pub title: &'static str,
    /// What it shows, in one line.
    pub caption: &'static str,
    /// The scenario, as JSON in the documented format.
    pub json: &'static str,
    /// A snapshot to take when it opens, if the point is the snapshot.
    pub snapshot: Option<Timestamp>,
    /// The clock its caption talks about, which labels the events when it opens.
    pub clock_view: ClockView,
}

/// The page's opening scenario.
pub const DEFAULT_JSON: &str = include_str!("../docs/examples/default.json");

/// Every preset, in teaching order.
pub const PRESETS: &[Preset] = &[
    Preset {
        id: "plain",
        title: "A plain send and receive",
        caption: "Synchronised clocks: every timestamp is just the node's clock, c stays 0.",
        json: include_str!("../docs/examples/plain.json"),
        snapshot: None,
        clock_view: ClockView::Hlc,
    },
    Preset {
        id: "sender-ahead",
        title: "Sender's clock ahead",
        caption: "The receiver's l jumps to the sender's time and c counts its events until its own clock catches up.",
        json: include_str!("../docs/examples/sender-ahead.json"),
        snapshot: None,
        clock_view: ClockView::Hlc,
    },
    Preset {
        id: "message-loop",
        title: "Naive rule drifts on a message loop",
        caption: "Figure 3's l = max(l + 1, pt) gains 1 per hop and runs away from every clock (see naive l); HLC stays on pt.",
        json: include_str!("../docs/examples/message-loop.json"),
        snapshot: None,
        clock_view: ClockView::Naive,
    },
    Preset {
        id: "slow-fast",
        title: "A slow node and a fast node",
        caption: "As in the paper's experiments: the slow node's l follows the fast clock and c stays small.",
        json: include_str!("../docs/examples/slow-fast.json"),
        snapshot: None,
        clock_view: ClockView::Hlc,
    },
    Preset {
        id: "snapshot",
        title: "Snapshot: HLC cut vs physical cut",
        caption: "At 500 ms the HLC cut is consistent; the cut where each clock reads 500 ms has m1 crossing it backwards.",
        json: DEFAULT_JSON,
        snapshot: Some(Timestamp::new(500, 0)),
        clock_view: ClockView::Hlc,
    },
    Preset {
        id: "max-offset",
        title: "Max offset rejects a message",
        caption: "B's clock is 500 ms ahead; with a 100 ms bound A refuses its message, as CockroachDB would.",
        json: include_str!("../docs/examples/max-offset.json"),
        snapshot: None,
        clock_view: ClockView::Hlc,
    },
    Preset {
        id: "counter-overflow",
        title: "A 2-bit counter carries into l",
        caption: "With counter_bits = 2, c cannot pass 3: the next tick carries into l, YugabyteDB-style.",
        json: include_str!("../docs/examples/counter-overflow.json"),
        snapshot: None,
        clock_view: ClockView::Hlc,
    },
    Preset {
        id: "clock-step",
        title: "A clock steps back",
        caption: "NTP steps A's clock back 40 ms: pt falls, HLC's l holds and c counts, so timestamps stay monotonic.",
        json: include_str!("../docs/examples/clock-step.json"),
        snapshot: None,
        clock_view: ClockView::Hlc,
    },
    Preset {
        id: "node-stops",
        title: "A node shuts itself down",
        caption: "CockroachDB's rule: C's clock jumps 450 ms ahead, over 80 % of the 500 ms max offset, so C stops at its next event and B's later message to it is refused.",
        json: include_str!("../docs/examples/node-stops.json"),
        snapshot: None,
        clock_view: ClockView::Hlc,
    },
    Preset {
        id: "db-read-restart",
        title: "Database: a read restarts",
        caption: "B's clock is 100 ms ahead: its put x=1 at (300, 0) lies in A's later get's uncertainty interval, so the get restarts at (300, 0) and reads x = 1.",
        json: include_str!("../docs/examples/db-read-restart.json"),
        snapshot: None,
        clock_view: ClockView::Hlc,
    },
    Preset {
        id: "db-stale-read",
        title: "Database: a stale read",
        caption: "B is 400 ms ahead, beyond the 250 ms max offset: its put x=1 at (600, 0) lies past A's uncertainty interval, so A's later get returns the old x = 0.",
        json: include_str!("../docs/examples/db-stale-read.json"),
        snapshot: None,
        clock_view: ClockView::Hlc,
    },
    Preset {
        id: "db-no-stale-read",
        title: "Database: the same within max offset",
        caption: "The same run with a 500 ms max offset: the interval covers B's (600, 0), so A's get restarts there and reads x = 1.",
        json: include_str!("../docs/examples/db-no-stale-read.json"),
        snapshot: None,
        clock_view: ClockView::Hlc,
    },
    Preset {
        id: "db-commit-wait",
        title: "Database: commit-wait",
        caption: "Each put is acknowledged once its node's clock passes its timestamp + 250 ms (CockroachDB's linearizable mode): 250 ms per write, a dashed span.",
        json: include_str!("../docs/examples/db-commit-wait.json"),
        snapshot: None,
        clock_view: ClockView::Hlc,
    },
    Preset {
        id: "db-observed-timestamp",
        title: "Database: an observed timestamp",
        caption: "A's get restarts for B's x=1; B's x=2 lands before the retry but above B's clock as observed at the start, (350, 0), so the retry does not restart again.",
        json: include_str!("../docs/examples/db-observed-timestamp.json"),
        snapshot: None,
        clock_view: ClockView::Hlc,
    },
];

impl Preset {
    /// The preset's scenario (the files are checked by the tests, so this only
    /// falls back to an empty three-node scenario if a file were broken).
    pub fn scenario(&self) -> Scenario {
        Scenario::from_json(self.json).unwrap_or_else(|_| Scenario::with_nodes(&["A", "B", "C"]))
    }
}

/// Finds a preset by id.
pub fn find(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_and_the_default_parse_and_validate() {
        for p in PRESETS {
            assert!(
                Scenario::from_json(p.json).is_ok(),
                "{} does not load",
                p.id
            );
            assert!(!p.caption.is_empty() && !p.title.is_empty());
            assert_eq!(find(p.id), Some(p));
        }
        assert!(Scenario::from_json(DEFAULT_JSON).is_ok());
    }

    #[test]
    fn a_preset_notice_is_never_cut_short() {
        for p in PRESETS {
            let notice = format!("{}: {}", p.title, p.caption);
            assert!(
                notice.chars().count() <= crate::app::NOTICE_MAX_CHARS,
                "{}: {} characters",
                p.id,
                notice.chars().count()
            );
        }
    }

    #[test]
    fn a_caption_that_names_a_clock_opens_with_that_clock_labelling_the_events() {
        for p in PRESETS {
            let names_naive = p.caption.contains("naive l");
            assert_eq!(p.clock_view == ClockView::Naive, names_naive, "{}", p.id);
        }
    }

    #[test]
    fn the_snapshot_preset_shows_an_inconsistent_physical_cut() {
        let p = find("snapshot").map(|p| (p.scenario(), p.snapshot));
        let Some((scenario, Some(theta))) = p else {
            panic!("snapshot preset missing");
        };
        let trace = crate::sim::replay(&scenario).expect("valid");
        assert!(crate::analysis::hlc_cut(&trace, theta).is_consistent());
        assert!(!crate::analysis::physical_cut(&trace, theta.l).is_consistent());
    }
}
