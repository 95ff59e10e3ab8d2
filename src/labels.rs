//! Label placement: how big a text is on the canvas, and where it can go
//! without covering another label, an event dot or an arrowhead.
//!
//! The scene blocks every mark a label must not cover on a [`Board`], then
//! offers each label a few candidate boxes in priority order; the first free
//! one wins and is blocked in turn. A label with no free candidate is left out,
//! and the scene marks its dot so the absence is visible. The board is a grid
//! of buckets, so a frame with thousands of dots costs a few lookups per label,
//! not a scan of every placed box.
//!
//! Text extents come from [`text_width`], one estimate shared by the placer and
//! the tests that prove no two labels overlap. It is deliberately wide: per
//! character it takes at least the advance of DejaVu Sans (the widest of the
//! fonts in the canvas's `system-ui` stack) and a browser test checks it against
//! `measureText` in real Chromium.

/// An axis-aligned box in CSS px (`x0 <= x1`, `y0 <= y1`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left.
    pub x0: f64,
    /// Top.
    pub y0: f64,
    /// Right.
    pub x1: f64,
    /// Bottom.
    pub y1: f64,
}

impl Rect {
    /// The box from `(x0, y0)` to `(x1, y1)`.
    pub fn new(x0: f64, y0: f64, x1: f64, y1: f64) -> Rect {
        Rect { x0, y0, x1, y1 }
    }

    /// The square of half-side `r` centred on `(x, y)`.
    pub fn around(x: f64, y: f64, r: f64) -> Rect {
        Rect::new(x - r, y - r, x + r, y + r)
    }

    /// The smallest box holding every point.
    pub fn bounding(points: &[(f64, f64)]) -> Option<Rect> {
        let (first, rest) = points.split_first()?;
        let mut r = Rect::new(first.0, first.1, first.0, first.1);
        for &(x, y) in rest {
            r = Rect::new(r.x0.min(x), r.y0.min(y), r.x1.max(x), r.y1.max(y));
        }
        Some(r)
    }

    /// Width.
    pub fn width(&self) -> f64 {
        self.x1 - self.x0
    }

    /// Height.
    pub fn height(&self) -> f64 {
        self.y1 - self.y0
    }

    /// Centre.
    pub fn centre(&self) -> (f64, f64) {
        ((self.x0 + self.x1) / 2.0, (self.y0 + self.y1) / 2.0)
    }

    /// Grown by `p` on every side.
    pub fn pad(&self, p: f64) -> Rect {
        Rect::new(self.x0 - p, self.y0 - p, self.x1 + p, self.y1 + p)
    }

    /// Whether the interiors meet (touching edges do not overlap).
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x0 < other.x1 && other.x0 < self.x1 && self.y0 < other.y1 && other.y0 < self.y1
    }

    /// Whether `self` lies wholly inside `other`.
    pub fn inside(&self, other: &Rect) -> bool {
        self.x0 >= other.x0 && self.x1 <= other.x1 && self.y0 >= other.y0 && self.y1 <= other.y1
    }

    /// Moved sideways (never up or down) to lie inside `bounds` when it is
    /// narrow enough to, so a label near the plot's edge stays whole.
    pub fn nudged_into(self, bounds: &Rect) -> Rect {
        let dx = if self.x0 < bounds.x0 {
            bounds.x0 - self.x0
        } else if self.x1 > bounds.x1 {
            bounds.x1 - self.x1
        } else {
            0.0
        };
        Rect::new(self.x0 + dx, self.y0, self.x1 + dx, self.y1)
    }

    fn is_finite(&self) -> bool {
        self.x0.is_finite() && self.y0.is_finite() && self.x1.is_finite() && self.y1.is_finite()
    }
}

/// Height above the baseline a text box reserves, in em (DejaVu Sans rises
/// 0.93 em, parentheses 0.76).
pub const ASCENT: f64 = 0.95;
/// Depth below the baseline a text box reserves, in em (DejaVu Sans: 0.24).
pub const DESCENT: f64 = 0.25;
/// How much wider bold (weight 600) text is, at most: DejaVu Sans Bold's
/// comma is 1.19 times the regular one, its digits 1.09 times.
const BOLD_WIDENING: f64 = 1.2;

/// The advance of one character in em, at least DejaVu Sans's.
fn advance_em(c: char) -> f64 {
    match c {
        '0'..='9' => 0.64,
        '(' | ')' | '[' | ']' | '{' | '}' => 0.40,
        ',' | '.' | ' ' | ';' | '\'' | '|' => 0.33,
        ':' | '-' | '!' | '/' => 0.37,
        'm' => 0.98,
        'w' => 0.82,
        'a'..='z' => 0.64,
        'M' => 0.87,
        'W' => 1.0,
        'A'..='Z' => 0.8,
        '"' | '*' | '_' | '?' => 0.53,
        '$' | '^' => 0.84,
        '&' => 0.8,
        '+' | '=' | '<' | '>' | '~' | '−' | '×' | '±' | '#' => 0.84,
        '%' => 0.96,
        '@' => 1.0,
        '…' => 1.0,
        // Bidi isolates and other format characters take no room.
        '\u{2066}'..='\u{2069}' | '\u{202a}'..='\u{202e}' | '\u{200b}'..='\u{200f}' => 0.0,
        c if (c as u32) > 0xffff => 1.25,
        _ => 1.0,
    }
}

/// The width of `text` drawn at `size` px, never less than the browser's.
pub fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    let em: f64 = text.chars().map(advance_em).sum();
    em * size * if bold { BOLD_WIDENING } else { 1.0 }
}

/// The height of a line of text at `size` px.
pub fn line_height(size: f64) -> f64 {
    (ASCENT + DESCENT) * size
}

/// Where text is anchored horizontally (mirrors `scene::Align`, which this
/// module does not depend on).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// `x` is the left edge.
    Left,
    /// `x` is the centre.
    Center,
    /// `x` is the right edge.
    Right,
}

/// The box `text` covers when drawn with its baseline at `y`, anchored at `x`.
pub fn text_box(x: f64, y: f64, text: &str, size: f64, bold: bool, anchor: Anchor) -> Rect {
    let w = text_width(text, size, bold);
    let x0 = match anchor {
        Anchor::Left => x,
        Anchor::Center => x - w / 2.0,
        Anchor::Right => x - w,
    };
    Rect::new(x0, y - ASCENT * size, x0 + w, y + DESCENT * size)
}

/// The baseline that puts a line of text at `size` px inside `rect`.
pub fn baseline_in(rect: &Rect, size: f64) -> f64 {
    rect.y1 - DESCENT * size
}

/// The first of `variants` (longest first) that fits in `max_width`, else
/// the last one cut with "…" to fit.
pub fn fit_text(variants: &[String], size: f64, bold: bool, max_width: f64) -> String {
    if let Some(fits) = variants
        .iter()
        .find(|v| text_width(v, size, bold) <= max_width)
    {
        return fits.clone();
    }
    let Some(last) = variants.last() else {
        return String::new();
    };
    let mut kept = String::new();
    for c in last.chars() {
        let next = format!("{kept}{c}…");
        if text_width(&next, size, bold) > max_width {
            break;
        }
        kept.push(c);
    }
    if kept.is_empty() {
        String::new()
    } else {
        kept.push('…');
        kept
    }
}

/// Side of a bucket of the board, px: about one short label.
const CELL: f64 = 32.0;

/// The boxes already taken on a canvas, bucketed by a grid so a query looks
/// only at its neighbourhood.
#[derive(Debug, Clone)]
pub struct Board {
    canvas: Rect,
    cols: usize,
    rows: usize,
    cells: Vec<Vec<u32>>,
    taken: Vec<Rect>,
}

impl Board {
    /// An empty board over a `width` x `height` canvas.
    pub fn new(width: f64, height: f64) -> Board {
        let width = if width.is_finite() {
            width.max(1.0)
        } else {
            1.0
        };
        let height = if height.is_finite() {
            height.max(1.0)
        } else {
            1.0
        };
        // A canvas is at most a few thousand px; the cap only guards the
        // allocation against a nonsense size.
        let cols = ((width / CELL).ceil() as usize).clamp(1, 1024);
        let rows = ((height / CELL).ceil() as usize).clamp(1, 1024);
        Board {
            canvas: Rect::new(0.0, 0.0, width, height),
            cols,
            rows,
            cells: vec![Vec::new(); cols * rows],
            taken: Vec::new(),
        }
    }

    /// The canvas.
    pub fn canvas(&self) -> Rect {
        self.canvas
    }

    fn cell_span(&self, r: &Rect) -> (usize, usize, usize, usize) {
        let col = |x: f64| ((x / CELL).floor().max(0.0) as usize).min(self.cols - 1);
        let row = |y: f64| ((y / CELL).floor().max(0.0) as usize).min(self.rows - 1);
        (col(r.x0), col(r.x1), row(r.y0), row(r.y1))
    }

    /// Marks `r` as taken. Boxes off the canvas are dropped: nothing is ever
    /// placed there.
    pub fn block(&mut self, r: Rect) {
        if !r.is_finite() || !r.overlaps(&self.canvas) {
            return;
        }
        let id = self.taken.len() as u32;
        self.taken.push(r);
        let (c0, c1, r0, r1) = self.cell_span(&r);
        for row in r0..=r1 {
            for col in c0..=c1 {
                self.cells[row * self.cols + col].push(id);
            }
        }
    }

    /// Whether `r` lies inside `within` and overlaps nothing taken.
    pub fn is_free(&self, r: &Rect, within: &Rect) -> bool {
        if !r.is_finite() || !r.inside(within) || !r.inside(&self.canvas) {
            return false;
        }
        let (c0, c1, r0, r1) = self.cell_span(r);
        (r0..=r1).all(|row| {
            (c0..=c1).all(|col| {
                self.cells[row * self.cols + col]
                    .iter()
                    .all(|&id| !self.taken[id as usize].overlaps(r))
            })
        })
    }

    /// Takes and returns the first free candidate inside `within`, if any.
    pub fn place(&mut self, candidates: &[Rect], within: &Rect) -> Option<Rect> {
        let free = *candidates.iter().find(|c| self.is_free(c, within))?;
        self.block(free);
        Some(free)
    }

    /// A mark to return to with [`Board::rollback`].
    pub fn checkpoint(&self) -> usize {
        self.taken.len()
    }

    /// Frees every box taken since `checkpoint`.
    pub fn rollback(&mut self, checkpoint: usize) {
        while self.taken.len() > checkpoint {
            let Some(r) = self.taken.pop() else {
                break;
            };
            let id = self.taken.len() as u32;
            let (c0, c1, r0, r1) = self.cell_span(&r);
            for row in r0..=r1 {
                for col in c0..=c1 {
                    // Ids only grow, so the newest box is last in its cells.
                    let cell = &mut self.cells[row * self.cols + col];
                    if cell.last() == Some(&id) {
                        cell.pop();
                    }
                }
            }
        }
    }

    /// Like [`Board::place`], but when no candidate is free takes
    /// `candidates[fallback]` anyway: for a label that must be drawn (the
    /// hovered one, the cut legend), on a card over what it covers.
    pub fn place_or_take(
        &mut self,
        candidates: &[Rect],
        within: &Rect,
        fallback: usize,
    ) -> Option<Rect> {
        if let Some(free) = self.place(candidates, within) {
            return Some(free);
        }
        let taken = *candidates.get(fallback)?;
        self.block(taken);
        Some(taken)
    }
}

/// Candidate boxes of size `w` x `h` for the label of a dot centred on
/// `(x, y)` whose marks (dot, ring, hidden-label tick) fill `reach_above`
/// px above the centre and `reach_below` px below: straight above, straight
/// below, then shifted right and left, then one row further out. Each is
/// nudged sideways into `bounds`. `rows` > 2 adds rows further out still (for
/// the hovered label, which must find a place).
pub fn around_dot(
    (x, y): (f64, f64),
    (w, h): (f64, f64),
    (reach_above, reach_below): (f64, f64),
    rows: usize,
    bounds: &Rect,
) -> Vec<Rect> {
    const GAP: f64 = 2.0;
    // Shifted boxes still cover the dot's x, so each reads as its dot's.
    let lefts = [x - w / 2.0, x - w * 0.15, x - w * 0.85];
    let mut out = Vec::with_capacity(rows * 6);
    for row in 0..rows.max(1) {
        let out_by = row as f64 * (h + GAP);
        let above_bottom = y - reach_above - GAP - out_by;
        let below_top = y + reach_below + GAP + out_by;
        let above = |x0: f64| Rect::new(x0, above_bottom - h, x0 + w, above_bottom);
        let below = |x0: f64| Rect::new(x0, below_top, x0 + w, below_top + h);
        // Above before below, centred before shifted.
        let row = [
            above(lefts[0]),
            below(lefts[0]),
            above(lefts[1]),
            above(lefts[2]),
            below(lefts[1]),
            below(lefts[2]),
        ];
        out.extend(row.iter().map(|r| r.nudged_into(bounds)));
    }
    out
}

/// Candidate boxes of size `w` x `h` centred on points along the segment
/// from `a` to `b`, middle first.
pub fn along_segment(a: (f64, f64), b: (f64, f64), (w, h): (f64, f64)) -> Vec<Rect> {
    [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8]
        .iter()
        .map(|f| {
            let (cx, cy) = (a.0 + (b.0 - a.0) * f, a.1 + (b.1 - a.1) * f);
            Rect::new(cx - w / 2.0, cy - h / 2.0, cx + w / 2.0, cy + h / 2.0)
        })
        .collect()
}

/// Candidate boxes of size `w` x `h` for a note: the corners of `area`, then
/// steps along its bottom and top edges.
pub fn corners(area: &Rect, (w, h): (f64, f64)) -> Vec<Rect> {
    let at = |x0: f64, y0: f64| Rect::new(x0, y0, x0 + w, y0 + h);
    let (left, right) = (area.x0, area.x1 - w);
    let (top, bottom) = (area.y0, area.y1 - h);
    let mut out = vec![
        at(left, bottom),
        at(right, bottom),
        at(left, top),
        at(right, top),
    ];
    let steps = 8;
    for k in 1..steps {
        let x0 = left + (right - left) * k as f64 / steps as f64;
        out.push(at(x0, bottom));
        out.push(at(x0, top));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_board_refuses_what_overlaps_and_what_sticks_out() {
        let mut board = Board::new(200.0, 100.0);
        let all = board.canvas();
        board.block(Rect::new(10.0, 10.0, 50.0, 30.0));
        assert!(!board.is_free(&Rect::new(40.0, 20.0, 60.0, 40.0), &all));
        assert!(
            board.is_free(&Rect::new(50.0, 10.0, 90.0, 30.0), &all),
            "touching is fine"
        );
        assert!(!board.is_free(&Rect::new(190.0, 10.0, 210.0, 30.0), &all));
        assert!(!board.is_free(&Rect::new(f64::NAN, 0.0, 1.0, 1.0), &all));
        let first = board.place(
            &[
                Rect::new(20.0, 20.0, 30.0, 25.0),
                Rect::new(60.0, 60.0, 70.0, 70.0),
            ],
            &all,
        );
        assert_eq!(first, Some(Rect::new(60.0, 60.0, 70.0, 70.0)));
        assert!(!board.is_free(&Rect::new(65.0, 65.0, 66.0, 66.0), &all));
        let mark = board.checkpoint();
        board.block(Rect::new(100.0, 0.0, 200.0, 100.0));
        assert!(!board.is_free(&Rect::new(150.0, 50.0, 160.0, 60.0), &all));
        board.rollback(mark);
        assert!(board.is_free(&Rect::new(150.0, 50.0, 160.0, 60.0), &all));
        assert!(!board.is_free(&Rect::new(65.0, 65.0, 66.0, 66.0), &all));
    }

    #[test]
    fn text_is_measured_per_character_and_bold_is_wider() {
        let w = text_width("(560, 0)", 12.0, false);
        assert!((w - 12.0 * (0.4 * 2.0 + 0.64 * 4.0 + 0.33 * 2.0)).abs() < 1e-9);
        assert!(text_width("(560, 0)", 12.0, true) > w);
        assert_eq!(text_width("\u{2068}A\u{2069}", 10.0, false), 8.0);
        let b = text_box(100.0, 50.0, "(560, 0)", 12.0, false, Anchor::Center);
        assert!((b.width() - w).abs() < 1e-9 && (b.centre().0 - 100.0).abs() < 1e-9);
        assert!((b.height() - line_height(12.0)).abs() < 1e-9);
        assert!((baseline_in(&b, 12.0) - 50.0).abs() < 1e-9);
    }

    #[test]
    fn fit_text_takes_the_longest_variant_that_fits() {
        let v = ["a long note".to_string(), "short".to_string()];
        assert_eq!(fit_text(&v, 10.0, false, 1000.0), "a long note");
        assert_eq!(fit_text(&v, 10.0, false, 40.0), "short");
        let cut = fit_text(&v, 10.0, false, 25.0);
        assert!(
            cut.ends_with('…') && text_width(&cut, 10.0, false) <= 25.0,
            "{cut}"
        );
        assert_eq!(fit_text(&v, 10.0, false, 1.0), "");
    }

    #[test]
    fn dot_candidates_start_above_and_cover_the_dot() {
        let bounds = Rect::new(0.0, 0.0, 500.0, 500.0);
        let c = around_dot((100.0, 100.0), (40.0, 14.0), (11.0, 9.0), 2, &bounds);
        assert_eq!(c.len(), 12);
        assert_eq!(c[0], Rect::new(80.0, 73.0, 120.0, 87.0), "straight above");
        assert_eq!(c[1], Rect::new(80.0, 111.0, 120.0, 125.0), "straight below");
        for r in &c {
            assert!(r.x0 <= 100.0 && r.x1 >= 100.0, "{r:?} reads as the dot's");
            assert!(!r.overlaps(&Rect::new(94.0, 89.0, 106.0, 109.0)));
        }
        let edge = around_dot((495.0, 100.0), (40.0, 14.0), (11.0, 9.0), 1, &bounds);
        assert!(edge.iter().all(|r| r.x1 <= 500.0));
    }
}
