//! The table view: one row per event, one column per clock, sortable by any
//! column. Plain data; the page renders it.

use crate::scenario::{EventRef, Scenario};
use crate::sim::Trace;
use std::cmp::Ordering;

/// A column of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// Replay order.
    Index,
    /// Node name.
    Node,
    /// Which event (local, send or receive, with its number).
    Event,
    /// Real time.
    Real,
    /// The node's physical clock.
    Pt,
    /// HLC `(l, c)`.
    Hlc,
    /// `l - pt`.
    Drift,
    /// The naive Figure 3 clock.
    Naive,
    /// Lamport clock.
    Lamport,
    /// Vector clock.
    Vector,
    /// The HLC rule branch that fired.
    Rule,
}

impl Column {
    /// Every column, in display order.
    pub const ALL: [Column; 11] = [
        Column::Index,
        Column::Node,
        Column::Event,
        Column::Real,
        Column::Pt,
        Column::Hlc,
        Column::Drift,
        Column::Naive,
        Column::Lamport,
        Column::Vector,
        Column::Rule,
    ];

    /// Header text.
    pub fn title(self) -> &'static str {
        match self {
            Column::Index => "#",
            Column::Node => "node",
            Column::Event => "event",
            Column::Real => "real",
            Column::Pt => "pt",
            Column::Hlc => "HLC (l, c)",
            Column::Drift => "l − pt",
            Column::Naive => "naive l",
            Column::Lamport => "Lamport",
            Column::Vector => "vector",
            Column::Rule => "rule",
        }
    }

    /// Whether the column holds numbers (right-aligned).
    pub fn numeric(self) -> bool {
        !matches!(
            self,
            Column::Node | Column::Event | Column::Vector | Column::Rule
        )
    }
}

/// The cell of trace event `index` in `column`.
pub fn cell(scenario: &Scenario, trace: &Trace, index: usize, column: Column) -> String {
    let Some(e) = trace.event(index) else {
        return String::new();
    };
    match column {
        Column::Index => index.to_string(),
        Column::Node => scenario
            .nodes
            .get(e.node)
            .map_or_else(String::new, |n| crate::bidi::isolate(&n.name)),
        Column::Event => {
            let mut text = match e.source {
                EventRef::Local(i) => format!("local e{i}"),
                EventRef::Send(i) => format!("send m{i}"),
                EventRef::Recv(i) => format!("recv m{i}"),
            };
            if e.rejection.is_some() {
                text.push_str(" (rejected)");
            } else if e.refused() {
                text.push_str(" (refused)");
            }
            text
        }
        Column::Real => e.real_ms.to_string(),
        Column::Pt => e.pt().to_string(),
        Column::Hlc => e.hlc().to_string(),
        Column::Drift => e.hlc().l.saturating_sub(e.pt()).to_string(),
        Column::Naive => e.naive_l.to_string(),
        Column::Lamport => e.lamport.to_string(),
        Column::Vector => {
            let entries: Vec<String> = trace.vector(index).iter().map(u32::to_string).collect();
            format!("[{}]", entries.join(" "))
        }
        Column::Rule if e.stopped => "refused: node stopped, clocks kept".to_string(),
        Column::Rule if e.unsent => "refused: never sent, clocks kept".to_string(),
        Column::Rule => {
            let mut text = e.tick.rule.summary().to_string();
            if e.tick.carried {
                text.push_str(" + carry");
            }
            text
        }
    }
}

fn compare(scenario: &Scenario, trace: &Trace, a: usize, b: usize, column: Column) -> Ordering {
    let (Some(x), Some(y)) = (trace.event(a), trace.event(b)) else {
        return a.cmp(&b);
    };
    let name = |n: usize| scenario.nodes.get(n).map(|node| node.name.as_str());
    match column {
        Column::Index => a.cmp(&b),
        Column::Node => name(x.node).cmp(&name(y.node)).then(x.node.cmp(&y.node)),
        Column::Event => x.source.cmp(&y.source),
        Column::Real => x.real_ms.cmp(&y.real_ms),
        Column::Pt => x.pt().cmp(&y.pt()),
        Column::Hlc => x.hlc().cmp(&y.hlc()),
        Column::Drift => (x.hlc().l.saturating_sub(x.pt())).cmp(&y.hlc().l.saturating_sub(y.pt())),
        Column::Naive => x.naive_l.cmp(&y.naive_l),
        Column::Lamport => x.lamport.cmp(&y.lamport),
        Column::Vector => trace.vector(a).cmp(trace.vector(b)),
        Column::Rule => x.tick.rule.summary().cmp(y.tick.rule.summary()),
    }
    .then(a.cmp(&b))
}

/// Trace indices in the order of `column` (descending if asked); ties keep
/// replay order.
pub fn sorted_rows(
    scenario: &Scenario,
    trace: &Trace,
    column: Column,
    descending: bool,
) -> Vec<usize> {
    let mut rows: Vec<usize> = (0..trace.events().len()).collect();
    rows.sort_by(|&a, &b| {
        let order = compare(scenario, trace, a, b, column);
        if descending {
            order.reverse()
        } else {
            order
        }
    });
    rows
}
