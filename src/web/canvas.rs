//! Replays scene draw commands on a 2D canvas context.

use crate::scene::{arrow_shape, Align, ArrowShape, Draw};
use web_sys::CanvasRenderingContext2d;

const FONT_FAMILY: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif";

/// Paints a frame. `ratio` is the device pixel ratio the backing store was
/// sized with; commands are in CSS pixels.
pub fn paint(ctx: &CanvasRenderingContext2d, scene: &[Draw], ratio: f64) {
    let _ = ctx.set_transform(ratio, 0.0, 0.0, ratio, 0.0, 0.0);
    ctx.set_line_cap("round");
    ctx.set_line_join("round");
    let solid = js_sys::Array::new();
    let dashes = js_sys::Array::of2(&6.0.into(), &5.0.into());
    for command in scene {
        match command {
            Draw::Rect { x, y, w, h, fill } => {
                ctx.set_fill_style_str(fill);
                ctx.fill_rect(*x, *y, *w, *h);
            }
            Draw::Line {
                points,
                stroke,
                width,
                dashed,
            } => {
                let Some(((x0, y0), rest)) = points.split_first() else {
                    continue;
                };
                let _ = ctx.set_line_dash(if *dashed { &dashes } else { &solid });
                ctx.set_stroke_style_str(stroke);
                ctx.set_line_width(*width);
                ctx.begin_path();
                ctx.move_to(*x0, *y0);
                for (x, y) in rest {
                    ctx.line_to(*x, *y);
                }
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
                    head: [tip, left, right],
                }) = arrow_shape(*from, *to, *width)
                else {
                    continue;
                };
                let _ = ctx.set_line_dash(if *dashed { &dashes } else { &solid });
                ctx.set_stroke_style_str(stroke);
                ctx.set_fill_style_str(stroke);
                ctx.set_line_width(*width);
                ctx.begin_path();
                ctx.move_to(start.0, start.1);
                ctx.line_to(end.0, end.1);
                ctx.stroke();
                let _ = ctx.set_line_dash(&solid);
                ctx.begin_path();
                ctx.move_to(tip.0, tip.1);
                ctx.line_to(left.0, left.1);
                ctx.line_to(right.0, right.1);
                ctx.close_path();
                ctx.fill();
            }
            Draw::Circle {
                x,
                y,
                r,
                fill,
                stroke,
            } => {
                let _ = ctx.set_line_dash(&solid);
                ctx.begin_path();
                let _ = ctx.arc(*x, *y, *r, 0.0, std::f64::consts::TAU);
                if let Some(fill) = fill {
                    ctx.set_fill_style_str(fill);
                    ctx.fill();
                }
                if let Some((color, width)) = stroke {
                    ctx.set_stroke_style_str(color);
                    ctx.set_line_width(*width);
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
                let weight = if *bold { "600 " } else { "" };
                ctx.set_font(&format!("{weight}{size}px {FONT_FAMILY}"));
                ctx.set_text_align(match align {
                    Align::Left => "left",
                    Align::Center => "center",
                    Align::Right => "right",
                });
                ctx.set_text_baseline("alphabetic");
                ctx.set_fill_style_str(color);
                let _ = ctx.fill_text(text, *x, *y);
            }
        }
    }
}
