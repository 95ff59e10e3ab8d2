//! Which node lines the diagram shows, and in what order: a big trace is read
//! by hiding the nodes that do not matter, moving the ones compared next to
//! each other, and grouping nodes that share a name prefix (`db-1`, `db-2`,
//! `web-1` group as `db` and `web`).
//!
//! This is a view of the scenario, never part of it: hiding a node hides its
//! events and the messages that touch it, and changes no timestamp.
//! [`Rows`] is the fixed-size map the layout uses (a scenario has at most
//! [`MAX_NODES`] nodes, so it stays `Copy`).

use crate::scenario::{Node, MAX_NODES};

/// A node's place in the diagram: its row from the top, or hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rows {
    /// Row of each node, [`HIDDEN`] when it is not drawn.
    row_of: [u8; MAX_NODES],
    /// Node of each row, for rows `0..count`.
    node_of: [u8; MAX_NODES],
    /// Rows shown.
    count: u8,
    /// Nodes in the scenario.
    nodes: u8,
}

const HIDDEN: u8 = u8::MAX;

impl Rows {
    /// Every node of `count`, in scenario order.
    pub fn identity(count: usize) -> Rows {
        let count = count.min(MAX_NODES);
        let mut rows = Rows {
            row_of: [HIDDEN; MAX_NODES],
            node_of: [0; MAX_NODES],
            count: 0,
            nodes: count as u8,
        };
        for node in 0..count {
            rows.push(node);
        }
        rows
    }

    fn push(&mut self, node: usize) {
        if node < usize::from(self.nodes) && self.row_of[node] == HIDDEN {
            self.row_of[node] = self.count;
            self.node_of[usize::from(self.count)] = node as u8;
            self.count += 1;
        }
    }

    /// Rows shown (at least one is laid out even when all are hidden).
    pub fn count(&self) -> usize {
        usize::from(self.count)
    }

    /// Nodes in the scenario.
    pub fn nodes(&self) -> usize {
        usize::from(self.nodes)
    }

    /// The row `node` is drawn on, `None` when it is hidden.
    pub fn row_of(&self, node: usize) -> Option<usize> {
        let row = *self.row_of.get(node)?;
        (row != HIDDEN).then_some(usize::from(row))
    }

    /// The node drawn on `row`.
    pub fn node_of(&self, row: usize) -> Option<usize> {
        (row < self.count()).then(|| usize::from(self.node_of[row]))
    }

    /// Whether `node` is drawn.
    pub fn shows(&self, node: usize) -> bool {
        self.row_of(node).is_some()
    }

    /// The nodes drawn, top to bottom.
    pub fn shown(&self) -> impl Iterator<Item = usize> + '_ {
        self.node_of[..self.count()].iter().map(|&n| usize::from(n))
    }

    /// Nodes hidden.
    pub fn hidden(&self) -> usize {
        self.nodes() - self.count()
    }
}

/// The person's choice of lines: an order and a hidden set, kept as node
/// indices and adjusted when nodes are added or removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lanes {
    /// Display order; nodes missing from it follow in scenario order.
    order: Vec<usize>,
    /// Hidden nodes.
    hidden: Vec<bool>,
    /// Whether nodes sharing a name prefix are drawn together.
    grouped: bool,
}

impl Lanes {
    /// The rows for a scenario's `nodes`.
    pub fn rows(&self, nodes: &[Node]) -> Rows {
        let count = nodes.len().min(MAX_NODES);
        let mut order: Vec<usize> = self.order.iter().copied().filter(|&n| n < count).collect();
        let mut seen = [false; MAX_NODES];
        order.retain(|&n| !std::mem::replace(&mut seen[n], true));
        order.extend((0..count).filter(|&n| !seen[n]));
        if self.grouped {
            order = grouped_order(&order, nodes);
        }
        let mut rows = Rows::identity(0);
        rows.nodes = count as u8;
        for node in order {
            if !self.is_hidden(node) {
                rows.push(node);
            }
        }
        rows
    }

    /// Whether `node` is hidden.
    pub fn is_hidden(&self, node: usize) -> bool {
        self.hidden.get(node).copied().unwrap_or(false)
    }

    /// Hides or shows `node`.
    pub fn set_hidden(&mut self, node: usize, hidden: bool) {
        if node >= MAX_NODES {
            return;
        }
        if self.hidden.len() <= node {
            self.hidden.resize(node + 1, false);
        }
        self.hidden[node] = hidden;
    }

    /// Shows every node again, in scenario order, ungrouped.
    pub fn reset(&mut self) {
        *self = Lanes::default();
    }

    /// Whether anything differs from every node in scenario order.
    pub fn is_default(&self, nodes: &[Node]) -> bool {
        self.rows(nodes) == Rows::identity(nodes.len())
    }

    /// Moves `node` one shown row up (`by` < 0) or down (`by` > 0) among the
    /// rows of `nodes`; returns whether it moved.
    pub fn shift(&mut self, nodes: &[Node], node: usize, by: isize) -> bool {
        let rows = self.rows(nodes);
        let Some(row) = rows.row_of(node) else {
            return false;
        };
        let Some(target) = row.checked_add_signed(by).and_then(|r| rows.node_of(r)) else {
            return false;
        };
        // The whole current order, hidden nodes included, with the two swapped.
        let mut order: Vec<usize> = self.full_order(nodes);
        let (Some(a), Some(b)) = (
            order.iter().position(|&n| n == node),
            order.iter().position(|&n| n == target),
        ) else {
            return false;
        };
        order.swap(a, b);
        self.order = order;
        true
    }

    /// Every node in display order, hidden ones in their places.
    fn full_order(&self, nodes: &[Node]) -> Vec<usize> {
        let mut all = self.clone();
        all.hidden.clear();
        let rows = all.rows(nodes);
        rows.shown().collect()
    }

    /// Whether nodes sharing a name prefix are drawn together.
    pub fn grouped(&self) -> bool {
        self.grouped
    }

    /// Groups (or ungroups) nodes by name prefix. Grouping keeps the order
    /// within each group and puts each group where its first node was.
    pub fn set_grouped(&mut self, nodes: &[Node], grouped: bool) {
        if grouped && !self.grouped {
            self.order = grouped_order(&self.full_order(nodes), nodes);
        }
        self.grouped = grouped;
    }

    /// Shows or hides every node whose name has `prefix`; returns how many changed.
    pub fn set_group_hidden(&mut self, nodes: &[Node], prefix: &str, hidden: bool) -> usize {
        let mut changed = 0;
        for (n, node) in nodes.iter().enumerate().take(MAX_NODES) {
            if name_prefix(&node.name) == prefix && self.is_hidden(n) != hidden {
                self.set_hidden(n, hidden);
                changed += 1;
            }
        }
        changed
    }

    /// After node `removed` left the scenario: later nodes move up one index.
    pub fn node_removed(&mut self, removed: usize) {
        self.order.retain(|&n| n != removed);
        for n in &mut self.order {
            if *n > removed {
                *n -= 1;
            }
        }
        if removed < self.hidden.len() {
            self.hidden.remove(removed);
        }
    }
}

/// `order` with each name prefix's nodes brought together, groups in the
/// order their first node appears.
fn grouped_order(order: &[usize], nodes: &[Node]) -> Vec<usize> {
    let mut prefixes: Vec<&str> = Vec::new();
    for &n in order {
        let p = nodes.get(n).map_or("", |node| name_prefix(&node.name));
        if !prefixes.contains(&p) {
            prefixes.push(p);
        }
    }
    let mut out = Vec::with_capacity(order.len());
    for p in prefixes {
        out.extend(
            order
                .iter()
                .copied()
                .filter(|&n| nodes.get(n).map_or("", |node| name_prefix(&node.name)) == p),
        );
    }
    out
}

/// A node name's group: the name without its trailing number and the
/// separator before it (`db-12` → `db`, `web3` → `web`, `us-east.a` → `us-east`).
/// A name that is all digits, or has no number or separator, is its own group.
pub fn name_prefix(name: &str) -> &str {
    let trimmed = name.trim();
    let without_number = trimmed.trim_end_matches(|c: char| c.is_ascii_digit());
    let base = if without_number.len() < trimmed.len() {
        without_number
    } else {
        // No trailing number: a last separated part is the member's own name.
        match trimmed.rfind(['-', '_', '.', ':', '/']) {
            Some(at) if at > 0 => &trimmed[..at],
            _ => trimmed,
        }
    };
    let base = base.trim_end_matches(['-', '_', '.', ':', '/', ' ']);
    if base.is_empty() {
        trimmed
    } else {
        base
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nodes(names: &[&str]) -> Vec<Node> {
        names.iter().map(|n| Node::named(*n)).collect()
    }

    #[test]
    fn prefixes() {
        assert_eq!(name_prefix("db-12"), "db");
        assert_eq!(name_prefix("web3"), "web");
        assert_eq!(name_prefix("us-east.a"), "us-east");
        assert_eq!(name_prefix("a"), "a");
        assert_eq!(name_prefix("42"), "42");
        assert_eq!(name_prefix("-"), "-");
    }

    #[test]
    fn hide_move_group() {
        let ns = nodes(&["web-1", "db-1", "web-2", "db-2"]);
        let mut lanes = Lanes::default();
        assert_eq!(lanes.rows(&ns), Rows::identity(4));
        lanes.set_hidden(1, true);
        let rows = lanes.rows(&ns);
        assert_eq!(rows.shown().collect::<Vec<_>>(), vec![0, 2, 3]);
        assert_eq!(rows.row_of(1), None);
        assert_eq!(rows.hidden(), 1);
        assert!(lanes.shift(&ns, 3, -1));
        assert_eq!(lanes.rows(&ns).shown().collect::<Vec<_>>(), vec![0, 3, 2]);
        assert!(!lanes.shift(&ns, 0, -1), "the top row cannot move up");
        lanes.set_hidden(1, false);
        lanes.set_grouped(&ns, true);
        assert_eq!(
            lanes.rows(&ns).shown().collect::<Vec<_>>(),
            vec![0, 2, 1, 3],
            "web first (its first node came first), each group's order kept"
        );
        assert_eq!(lanes.set_group_hidden(&ns, "db", true), 2);
        assert_eq!(lanes.rows(&ns).shown().collect::<Vec<_>>(), vec![0, 2]);
        lanes.reset();
        assert!(lanes.is_default(&ns));
    }

    #[test]
    fn removed_nodes_and_out_of_range_indices() {
        let ns = nodes(&["a", "b", "c"]);
        let mut lanes = Lanes::default();
        lanes.set_hidden(1, true);
        lanes.set_hidden(5_000, true);
        assert!(lanes.shift(&ns, 2, -1));
        lanes.node_removed(1);
        let two = nodes(&["a", "c"]);
        assert_eq!(lanes.rows(&two).shown().collect::<Vec<_>>(), vec![1, 0]);
        assert_eq!(lanes.rows(&[]).count(), 0);
    }
}
