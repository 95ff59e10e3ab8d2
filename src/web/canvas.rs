//! Replays scene draw commands on a 2D canvas context.
//!
//! Every context setter crosses into JavaScript (and a colour or font string
//! is decoded there each time), so a paint sets the fill, stroke, width, dash,
//! font and alignment only when they change. Runs of consecutive dots,
//! solid lines or solid arrows in one opaque colour become one path, filled
//! or stroked once: at 10,000 events a frame is mostly such runs, and each
//! fill or stroke is a separate rasterising operation. Only consecutive
//! commands are merged, so nothing is drawn in another order, and only opaque
//! colours, where drawing a shape over another of the same colour changes
//! nothing. Long runs of opaque rectangles (density strips) are painted as
//! pixels instead ([`raster`]).

use super::raster;
pub use crate::scene::Band;
use crate::scene::{arrow_shape, outside, Align, ArrowShape, Color, Draw};
use web_sys::CanvasRenderingContext2d;

const FONT_FAMILY: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif";

/// Whether a colour is opaque: the palette writes those as `#rrggbb`.
fn opaque(color: Color) -> bool {
    color.starts_with('#')
}

/// The context's state as this paint last set it.
struct Pen<'a> {
    ctx: &'a CanvasRenderingContext2d,
    solid: js_sys::Array,
    dashes: js_sys::Array,
    fill: Option<Color>,
    stroke: Option<Color>,
    width: Option<f64>,
    dashed: Option<bool>,
    font: Option<(bool, f64)>,
    align: Option<Align>,
}

impl<'a> Pen<'a> {
    fn new(ctx: &'a CanvasRenderingContext2d) -> Self {
        Pen {
            ctx,
            solid: js_sys::Array::new(),
            dashes: js_sys::Array::of2(&6.0.into(), &5.0.into()),
            fill: None,
            stroke: None,
            width: None,
            dashed: None,
            font: None,
            align: None,
        }
    }

    fn fill(&mut self, color: Color) {
        if self.fill != Some(color) {
            self.ctx.set_fill_style_str(color);
            self.fill = Some(color);
        }
    }

    fn stroke(&mut self, color: Color, width: f64) {
        if self.stroke != Some(color) {
            self.ctx.set_stroke_style_str(color);
            self.stroke = Some(color);
        }
        if self.width != Some(width) {
            self.ctx.set_line_width(width);
            self.width = Some(width);
        }
    }

    fn dash(&mut self, dashed: bool) {
        if self.dashed != Some(dashed) {
            let _ = self
                .ctx
                .set_line_dash(if dashed { &self.dashes } else { &self.solid });
            self.dashed = Some(dashed);
        }
    }

    fn font(&mut self, bold: bool, size: f64, align: Align) {
        if self.font != Some((bold, size)) {
            let weight = if bold { "600 " } else { "" };
            self.ctx
                .set_font(&format!("{weight}{size}px {FONT_FAMILY}"));
            self.font = Some((bold, size));
        }
        if self.align != Some(align) {
            self.ctx.set_text_align(match align {
                Align::Left => "left",
                Align::Center => "center",
                Align::Right => "right",
            });
            self.align = Some(align);
        }
    }
}

/// A filled dot with no outline, in an opaque colour: its colour.
fn plain_dot(command: &Draw) -> Option<Color> {
    match command {
        Draw::Circle {
            fill: Some(fill),
            stroke: None,
            ..
        } if opaque(fill) => Some(fill),
        _ => None,
    }
}

/// A solid line in an opaque colour: its colour and width.
fn plain_line(command: &Draw) -> Option<(Color, u64)> {
    match command {
        Draw::Line {
            stroke,
            width,
            dashed: false,
            ..
        } if opaque(stroke) => Some((stroke, width.to_bits())),
        _ => None,
    }
}

/// A solid arrow in an opaque colour: its colour and width.
fn plain_arrow(command: &Draw) -> Option<(Color, u64)> {
    match command {
        Draw::Arrow {
            stroke,
            width,
            dashed: false,
            ..
        } if opaque(stroke) => Some((stroke, width.to_bits())),
        _ => None,
    }
}

/// How many commands from the start of `rest` share `first`'s style by `style`.
fn run_length<K: PartialEq>(rest: &[Draw], style: impl Fn(&Draw) -> Option<K>) -> usize {
    let Some(first) = rest.first().and_then(&style) else {
        return 0;
    };
    rest.iter()
        .take_while(|c| style(c).as_ref() == Some(&first))
        .count()
}

fn trace_polyline(ctx: &CanvasRenderingContext2d, points: &[(f64, f64)]) {
    let Some(((x0, y0), rest)) = points.split_first() else {
        return;
    };
    ctx.move_to(*x0, *y0);
    for (x, y) in rest {
        ctx.line_to(*x, *y);
    }
}

fn trace_head(ctx: &CanvasRenderingContext2d, [tip, left, right]: [(f64, f64); 3]) {
    ctx.move_to(tip.0, tip.1);
    ctx.line_to(left.0, left.1);
    ctx.line_to(right.0, right.1);
    ctx.close_path();
}

/// Paints a frame. `ratio` is the device pixel ratio the backing store was
/// sized with; commands are in CSS pixels.
pub fn paint(ctx: &CanvasRenderingContext2d, scene: &[Draw], ratio: f64) {
    paint_band(ctx, scene, ratio, None);
}

/// [`paint`], but only the rows of `band` when one is given (the canvas
/// rows its scrolling stage shows): every command wholly outside it is
/// skipped and the rest are clipped to it. Rows outside keep whatever they
/// showed, so the page paints again when the stage scrolls.
pub fn paint_band(ctx: &CanvasRenderingContext2d, scene: &[Draw], ratio: f64, band: Option<Band>) {
    let _ = ctx.set_transform(ratio, 0.0, 0.0, ratio, 0.0, 0.0);
    ctx.set_line_cap("round");
    ctx.set_line_join("round");
    ctx.set_text_baseline("alphabetic");
    if let Some((top, bottom)) = band {
        ctx.save();
        ctx.begin_path();
        ctx.rect(0.0, top, f64::from(u32::MAX), bottom - top);
        ctx.clip();
    }
    raster::begin_frame();
    let mut pen = Pen::new(ctx);
    let mut at = 0;
    while let Some(command) = scene.get(at) {
        let rest = &scene[at..];
        // A run of opaque rectangles is taken whole: as pixels when it is
        // long enough and a scratch canvas is free, else one by one.
        let rects = rest.iter().take_while(|c| raster::is_plain_rect(c)).count();
        if rects > 0 {
            let run = &rest[..rects];
            if rects < raster::MIN_RUN || !raster::paint_rects(ctx, run, ratio, band) {
                for command in run.iter().filter(|c| !outside(c, band)) {
                    paint_one(&mut pen, command);
                }
            }
            at += rects;
            continue;
        }
        let dots = run_length(rest, plain_dot);
        if dots > 1 {
            paint_dots(&mut pen, &rest[..dots], band);
            at += dots;
            continue;
        }
        let lines = run_length(rest, plain_line);
        if lines > 1 {
            paint_lines(&mut pen, &rest[..lines], band);
            at += lines;
            continue;
        }
        let arrows = run_length(rest, plain_arrow);
        if arrows > 1 {
            paint_arrows(&mut pen, &rest[..arrows], band);
            at += arrows;
            continue;
        }
        if !outside(command, band) {
            paint_one(&mut pen, command);
        }
        at += 1;
    }
    if band.is_some() {
        ctx.restore();
    }
}

/// Dots of one colour, no outline: one path, one fill.
fn paint_dots(pen: &mut Pen, run: &[Draw], band: Option<Band>) {
    let ctx = pen.ctx;
    ctx.begin_path();
    let mut color = None;
    for command in run.iter().filter(|c| !outside(c, band)) {
        if let Draw::Circle { x, y, r, fill, .. } = command {
            color = color.or(*fill);
            ctx.move_to(x + r, *y);
            let _ = ctx.arc(*x, *y, *r, 0.0, std::f64::consts::TAU);
        }
    }
    if let Some(color) = color {
        pen.fill(color);
        ctx.fill();
    }
}

/// Solid lines of one colour and width: one path, one stroke.
fn paint_lines(pen: &mut Pen, run: &[Draw], band: Option<Band>) {
    let ctx = pen.ctx;
    ctx.begin_path();
    let mut style = None;
    for command in run.iter().filter(|c| !outside(c, band)) {
        if let Draw::Line {
            points,
            stroke,
            width,
            ..
        } = command
        {
            style = style.or(Some((*stroke, *width)));
            trace_polyline(ctx, points);
        }
    }
    if let Some((color, width)) = style {
        pen.dash(false);
        pen.stroke(color, width);
        ctx.stroke();
    }
}

/// Solid arrows of one colour and width: their shafts in one stroke, then
/// their heads in one fill.
fn paint_arrows(pen: &mut Pen, run: &[Draw], band: Option<Band>) {
    let ctx = pen.ctx;
    let shapes = || {
        run.iter()
            .filter(|c| !outside(c, band))
            .filter_map(|command| match command {
                Draw::Arrow {
                    from, to, width, ..
                } => arrow_shape(*from, *to, *width),
                _ => None,
            })
    };
    let Some((color, width)) = run.first().and_then(|c| match c {
        Draw::Arrow { stroke, width, .. } => Some((*stroke, *width)),
        _ => None,
    }) else {
        return;
    };
    pen.dash(false);
    pen.stroke(color, width);
    pen.fill(color);
    ctx.begin_path();
    for ArrowShape {
        shaft: (start, end),
        ..
    } in shapes()
    {
        ctx.move_to(start.0, start.1);
        ctx.line_to(end.0, end.1);
    }
    ctx.stroke();
    ctx.begin_path();
    for shape in shapes() {
        trace_head(ctx, shape.head);
    }
    ctx.fill();
}

fn paint_one(pen: &mut Pen, command: &Draw) {
    let ctx = pen.ctx;
    match command {
        Draw::Rect { x, y, w, h, fill } => {
            pen.fill(fill);
            ctx.fill_rect(*x, *y, *w, *h);
        }
        Draw::Line {
            points,
            stroke,
            width,
            dashed,
        } => {
            if points.is_empty() {
                return;
            }
            pen.dash(*dashed);
            pen.stroke(stroke, *width);
            ctx.begin_path();
            trace_polyline(ctx, points);
            ctx.stroke();
        }
        Draw::Arrow {
            from,
            to,
            stroke,
            width,
            dashed,
        } => {
            let Some(ArrowShape {
                shaft: (start, end),
                head,
            }) = arrow_shape(*from, *to, *width)
            else {
                return;
            };
            pen.dash(*dashed);
            pen.stroke(stroke, *width);
            pen.fill(stroke);
            ctx.begin_path();
            ctx.move_to(start.0, start.1);
            ctx.line_to(end.0, end.1);
            ctx.stroke();
            pen.dash(false);
            ctx.begin_path();
            trace_head(ctx, head);
            ctx.fill();
        }
        Draw::Circle {
            x,
            y,
            r,
            fill,
            stroke,
        } => {
            pen.dash(false);
            ctx.begin_path();
            let _ = ctx.arc(*x, *y, *r, 0.0, std::f64::consts::TAU);
            if let Some(fill) = fill {
                pen.fill(fill);
                ctx.fill();
            }
            if let Some((color, width)) = stroke {
                pen.stroke(color, *width);
                ctx.stroke();
            }
        }
        Draw::Text {
            x,
            y,
            text,
            color,
            size,
            bold,
            align,
        } => {
            pen.font(*bold, *size, *align);
            pen.fill(color);
            let _ = ctx.fill_text(text, *x, *y);
        }
    }
}
