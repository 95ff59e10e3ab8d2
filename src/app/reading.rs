//! Reading a big trace: which node lines show (hide, move, group by name
//! prefix), finding events (a search, or a message's causal chain) and
//! stepping through what was found, runs of local events drawn as one mark,
//! and the overview strip of the whole trace with the window in view.
//!
//! All of it is view: nothing here changes the scenario or its history.

use super::App;
use crate::analysis;
use crate::lanes::{name_prefix, Rows};
use crate::search::Query;
use crate::sim::EventKind;
use hlc::Time;

/// A trace has an overview strip from this many events on.
pub const OVERVIEW_MIN_EVENTS: usize = 150;
/// Height of the overview strip's band at the foot of the canvas, CSS px.
pub const OVERVIEW_BAND_PX: f64 = 38.0;
/// Most hits a search keeps (the count says when there were more).
pub const MAX_FOUND: usize = 100_000;

/// What is being found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// A search, as typed.
    Search(String),
    /// The causal chain of the message received at this trace event.
    Follow(crate::scenario::EventRef),
}

/// What was found, and which of it is current.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The search or the followed message.
    pub finding: Finding,
    /// Trace indices found, in real-time order.
    pub hits: Vec<usize>,
    /// The same, sorted by index (for "is this event found").
    sorted: Vec<usize>,
    /// Which hit the view went to last.
    pub at: Option<usize>,
}

impl Found {
    fn new(finding: Finding, mut hits: Vec<usize>) -> Found {
        hits.truncate(MAX_FOUND);
        let mut sorted = hits.clone();
        sorted.sort_unstable();
        Found {
            finding,
            hits,
            sorted,
            at: None,
        }
    }

    /// Whether trace event `index` was found.
    pub fn contains(&self, index: usize) -> bool {
        self.sorted.binary_search(&index).is_ok()
    }

    /// The hit the view went to last.
    pub fn current(&self) -> Option<usize> {
        self.at.and_then(|a| self.hits.get(a).copied())
    }
}

impl App {
    /// Which node lines show, top to bottom.
    pub fn rows(&self) -> Rows {
        self.view.lanes.rows(&self.doc.scenario().nodes)
    }

    /// Whether `node` is hidden.
    pub fn node_hidden(&self, node: usize) -> bool {
        self.view.lanes.is_hidden(node) && node < self.doc.scenario().nodes.len()
    }

    /// Hides or shows a node's line. The last line shown cannot be hidden.
    pub fn hide_node(&mut self, node: usize, hidden: bool) -> Result<(), String> {
        if node >= self.doc.scenario().nodes.len() {
            return Err("That node no longer exists.".into());
        }
        if hidden && self.rows().count() <= 1 && !self.node_hidden(node) {
            return Err("At least one node stays shown.".into());
        }
        self.view.lanes.set_hidden(node, hidden);
        self.after_lanes_changed();
        Ok(())
    }

    /// Moves a node's line one row up (`by` < 0) or down; returns whether it moved.
    pub fn move_node(&mut self, node: usize, by: isize) -> bool {
        let moved = self.view.lanes.shift(&self.doc.scenario().nodes, node, by);
        if moved {
            self.after_lanes_changed();
        }
        moved
    }

    /// Whether nodes sharing a name prefix are drawn together.
    pub fn nodes_grouped(&self) -> bool {
        self.view.lanes.grouped()
    }

    /// Groups (or ungroups) the lines by name prefix.
    pub fn group_nodes(&mut self, grouped: bool) {
        let nodes = &self.doc.scenario().nodes;
        self.view.lanes.set_grouped(nodes, grouped);
        self.after_lanes_changed();
    }

    /// The name-prefix groups, in the order drawn: the prefix, its nodes,
    /// and how many of them are hidden.
    pub fn node_groups(&self) -> Vec<(String, Vec<usize>, usize)> {
        let nodes = &self.doc.scenario().nodes;
        let mut all = self.view.lanes.clone();
        for n in 0..nodes.len() {
            all.set_hidden(n, false);
        }
        let mut groups: Vec<(String, Vec<usize>, usize)> = Vec::new();
        for n in all.rows(nodes).shown() {
            let prefix = name_prefix(&nodes[n].name).to_string();
            let hidden = usize::from(self.node_hidden(n));
            match groups.iter_mut().find(|g| g.0 == prefix) {
                Some(g) => {
                    g.1.push(n);
                    g.2 += hidden;
                }
                None => groups.push((prefix, vec![n], hidden)),
            }
        }
        groups
    }

    /// Hides or shows every node whose name has `prefix`. The last line
    /// shown cannot be hidden.
    pub fn hide_group(&mut self, prefix: &str, hidden: bool) -> Result<(), String> {
        let nodes = &self.doc.scenario().nodes;
        let mut lanes = self.view.lanes.clone();
        if lanes.set_group_hidden(nodes, prefix, hidden) == 0 {
            return Ok(());
        }
        if lanes.rows(nodes).count() == 0 {
            return Err("At least one node stays shown.".into());
        }
        self.view.lanes = lanes;
        self.after_lanes_changed();
        Ok(())
    }

    /// Every node shown again, in scenario order, ungrouped.
    pub fn show_all_nodes(&mut self) {
        self.view.lanes.reset();
        self.after_lanes_changed();
    }

    fn after_lanes_changed(&mut self) {
        self.interrupt_gesture();
        self.view.hover = None;
        self.view.pointer_over = None;
    }

    /// What was found, if a search or a followed message is under way.
    pub fn found(&self) -> Option<&Found> {
        self.view.found.as_ref()
    }

    /// Whether trace event `index` was found.
    pub fn is_found(&self, index: usize) -> bool {
        self.view.found.as_ref().is_some_and(|f| f.contains(index))
    }

    /// Searches the trace (see [`crate::search`]); an empty query ends the
    /// search. Returns how many events match, or why the query is wrong
    /// (the previous search is kept then). The view goes to the first match.
    pub fn search(&mut self, text: &str) -> Result<usize, String> {
        let query = Query::parse(text)?;
        if query.is_empty() {
            self.end_finding();
            return Ok(0);
        }
        let hits = self.search_hits(&query);
        let count = hits.len();
        self.view.found = Some(Found::new(Finding::Search(text.trim().to_string()), hits));
        self.step_found(1);
        Ok(count)
    }

    fn search_hits(&self, query: &Query) -> Vec<usize> {
        let trace = self.doc.trace();
        let scenario = self.doc.scenario();
        let name = |node: usize| scenario.nodes.get(node).map_or("", |n| n.name.as_str());
        let mut hits = Vec::new();
        for (index, e) in trace.events().iter().enumerate() {
            let kind = e.kind();
            let (kind_word, other) = match kind {
                EventKind::Local => ("local", ""),
                EventKind::Send => (
                    "send to",
                    e.partner
                        .and_then(|p| trace.event(p))
                        .map_or("", |p| name(p.node)),
                ),
                EventKind::Recv => (
                    "recv receive from",
                    e.partner
                        .and_then(|p| trace.event(p))
                        .map_or("", |p| name(p.node)),
                ),
            };
            let text = format!("{} {kind_word} {other} {}", name(e.node), self.label(index));
            // A hidden label (an exercise's question) is not searched by its clock.
            let l = if self.hides(index) {
                Time::MIN
            } else {
                e.hlc().l
            };
            if query.matches(l, name(e.node), kind, &text) {
                hits.push(index);
                if hits.len() >= MAX_FOUND {
                    break;
                }
            }
        }
        hits
    }

    /// Highlights the causal chain of a message, forward and back, across the
    /// whole trace: what its send knew and everything its receive led to.
    /// `event` is either end of the message. Returns how many messages the
    /// chain holds, or why it cannot be followed.
    pub fn follow_message(&mut self, event: usize) -> Result<usize, String> {
        let trace = self.doc.trace();
        let Some(e) = trace.event(event) else {
            return Err("That event no longer exists.".into());
        };
        let recv = match e.kind() {
            EventKind::Recv => event,
            EventKind::Send => e
                .partner
                .ok_or_else(|| "That message was never received.".to_string())?,
            EventKind::Local => return Err("A local event sends no message to follow.".into()),
        };
        let Some(recv_ref) = trace.event(recv).map(|e| e.source) else {
            return Err("That message was never received.".into());
        };
        self.select(Some(recv_ref));
        let hits = self.chain_hits(recv);
        let count = hits.len();
        let mut found = Found::new(Finding::Follow(recv_ref), hits);
        // Step from the followed message itself.
        found.at = found.hits.iter().position(|&h| h == recv);
        self.view.found = Some(found);
        self.view.find_open = true;
        Ok(count)
    }

    /// What the find bar says of what was found: how many, and which is current.
    pub fn found_summary(&self) -> String {
        let Some(found) = self.found() else {
            return String::new();
        };
        let n = found.hits.len();
        let more = if n >= MAX_FOUND { "+" } else { "" };
        let at = found.at.map_or(String::new(), |a| format!("{} of ", a + 1));
        match &found.finding {
            Finding::Search(_) if n == 0 => "no event matches".into(),
            Finding::Search(_) => format!("{at}{n}{more} event{}", if n == 1 { "" } else { "s" }),
            Finding::Follow(recv) => {
                let trace = self.doc.trace();
                let ends = trace.index_of(*recv).and_then(|r| {
                    let e = trace.event(r)?;
                    let s = trace.event(e.partner?)?;
                    Some((self.node_name(s.node), self.node_name(e.node)))
                });
                let (from, to) = ends.unwrap_or_default();
                format!(
                    "following {from} \u{2192} {to}: {at}{n} message{} in its causal chain",
                    if n == 1 { "" } else { "s" }
                )
            }
        }
    }

    /// The receives of every message on `recv`'s causal chain: sent in the
    /// causal past of its send (or its send), or received in the causal
    /// future of its receive (or it).
    fn chain_hits(&self, recv: usize) -> Vec<usize> {
        let trace = self.doc.trace();
        let Some(send) = trace.event(recv).and_then(|e| e.partner) else {
            return Vec::new();
        };
        let mut before = analysis::causal_past(trace, send);
        before.push(send);
        before.sort_unstable();
        let mut after = analysis::causal_future(trace, recv);
        after.push(recv);
        after.sort_unstable();
        trace
            .events()
            .iter()
            .enumerate()
            .filter(|(index, e)| {
                e.kind() == EventKind::Recv
                    && e.partner.is_some_and(|s| {
                        before.binary_search(&s).is_ok() && before.binary_search(index).is_ok()
                            || after.binary_search(index).is_ok()
                    })
            })
            .map(|(index, _)| index)
            .collect()
    }

    /// Goes to the next (`by` = 1) or previous (`by` = -1) hit, wrapping
    /// around, and brings it into view. Returns the hit's trace index.
    pub fn step_found(&mut self, by: isize) -> Option<usize> {
        let found = self.view.found.as_mut()?;
        let n = found.hits.len();
        if n == 0 {
            found.at = None;
            return None;
        }
        let next = match found.at {
            None if by >= 0 => 0,
            None => n - 1,
            Some(at) => (at as isize + by).rem_euclid(n as isize) as usize,
        };
        found.at = Some(next);
        let hit = found.hits[next];
        self.bring_into_view(hit);
        Some(hit)
    }

    /// Ends the search or the following (the selection stays).
    pub fn end_finding(&mut self) {
        self.view.found = None;
    }

    /// After the trace changed: a search runs again, a followed message is
    /// followed again while it exists.
    pub(super) fn refresh_found(&mut self) {
        let Some(found) = self.view.found.take() else {
            return;
        };
        let hits = match &found.finding {
            Finding::Search(text) => Query::parse(text).ok().map(|q| self.search_hits(&q)),
            // Followed while the message exists and its receive stays selected.
            Finding::Follow(recv) => self
                .doc
                .trace()
                .index_of(*recv)
                .filter(|_| self.view.selection() == Some(*recv))
                .map(|index| self.chain_hits(index)),
        };
        if let Some(hits) = hits {
            let mut next = Found::new(found.finding, hits);
            next.at = found.at.filter(|&a| a < next.hits.len());
            self.view.found = Some(next);
        }
    }

    /// Brings trace event `index` into view, panning (never zooming) only
    /// when it is not already well inside it: then it is centred, as far as
    /// the trace's ends allow. Shows its node if it was hidden.
    fn bring_into_view(&mut self, index: usize) {
        let Some(e) = self.doc.trace().event(index) else {
            return;
        };
        let (node, t) = (e.node, e.real_ms as f64);
        if self.view.lanes.is_hidden(node) {
            self.view.lanes.set_hidden(node, false);
        }
        let width = self.viewport.plot_width() * self.viewport.ms_per_px;
        let start = self.viewport.start_ms;
        // Already well inside the view: it stays put (typing a search that
        // matches much would otherwise throw the view about).
        let margin = width * 0.05;
        if t >= start + margin && t <= start + width - margin {
            return;
        }
        // Centred, but not past the trace's ends: a hit near the start
        // leaves no half-empty view.
        let (lo, hi) = self.time_span();
        let (lo, hi) = (lo as f64, hi as f64);
        let pad = width * 0.02;
        self.viewport.start_ms = (t - width / 2.0).min(hi + pad - width).max(lo - pad);
    }

    /// Whether the find bar shows: asked for, finding something, or opened
    /// with a big trace.
    pub fn find_open(&self) -> bool {
        self.view.find_open || self.view.found.is_some()
    }

    /// Shows the find bar, or hides it and ends the search.
    pub fn set_find_open(&mut self, open: bool) {
        self.view.find_open = open;
        if !open {
            self.end_finding();
        }
    }

    /// Whether runs of local events are drawn as one mark each.
    pub fn runs_collapsed(&self) -> bool {
        self.view.collapse_runs
    }

    /// Draws runs of local events as one mark each, or every event.
    pub fn collapse_runs(&mut self, collapsed: bool) {
        self.view.collapse_runs = collapsed;
        self.view.hover = None;
    }

    /// Whether the overview strip shows (a trace too big to read at a glance).
    pub fn overview_shown(&self) -> bool {
        self.doc.trace().events().len() >= OVERVIEW_MIN_EVENTS
    }

    /// Top and bottom of the overview strip's band, CSS px, when it shows:
    /// right under the time axis, so it is in sight whenever the axis is.
    pub fn overview_band(&self) -> Option<(f64, f64)> {
        let top = self.view.scroll_top + crate::layout::AXIS_BAND;
        self.overview_shown()
            .then_some((top, top + OVERVIEW_BAND_PX))
    }

    /// How far the canvas is scrolled inside its stage, CSS px.
    pub fn scroll_top(&self) -> f64 {
        self.view.scroll_top
    }

    /// How far the canvas is scrolled inside its stage, CSS px: the time
    /// axis and the overview strip stay in sight there.
    pub fn set_scroll_top(&mut self, px: f64) {
        let px = if px.is_finite() { px.max(0.0) } else { 0.0 };
        self.view.scroll_top = px.min(self.viewport.height);
    }

    /// How many node lines' worth of height the canvas needs: the lines
    /// shown, and one more for the overview strip when it shows.
    pub fn canvas_rows(&self) -> usize {
        self.rows().count() + usize::from(self.overview_shown())
    }

    /// The real times the overview strip spans, left edge to right edge.
    pub fn overview_span(&self) -> (f64, f64) {
        let (from, to) = self.doc.fit_span();
        let (from, to) = (from as f64, to as f64);
        let pad = ((to - from) * 0.01).max(1.0);
        (from - pad, to + pad)
    }

    /// The real time under screen x in the overview strip.
    pub fn overview_time_at(&self, x: f64) -> f64 {
        let (from, to) = self.overview_span();
        let (x0, x1) = overview_x_range(self.viewport.width);
        from + (x - x0) / (x1 - x0).max(1.0) * (to - from)
    }

    /// Whether `(x, y)` is on the overview strip.
    pub fn on_overview(&self, x: f64, y: f64) -> bool {
        let (x0, x1) = overview_x_range(self.viewport.width);
        self.overview_band()
            .is_some_and(|(top, bottom)| y >= top && y <= bottom && x >= x0 - 8.0 && x <= x1 + 8.0)
    }

    /// Centres the view on the real time under x in the overview strip.
    pub fn overview_seek(&mut self, x: f64) {
        let t = self.overview_time_at(x);
        if t.is_finite() {
            let half = self.viewport.plot_width() * self.viewport.ms_per_px / 2.0;
            self.viewport.start_ms = t - half;
        }
    }
}

/// The overview strip's left and right ends, CSS px: under the plot.
pub fn overview_x_range(width: f64) -> (f64, f64) {
    let x0 = crate::layout::GUTTER;
    let x1 = (width - crate::layout::RIGHT_MARGIN).max(x0 + 1.0);
    (x0, x1)
}
