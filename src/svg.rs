//! The diagram as a standalone SVG 1.1 document (vector, for slides and
//! papers). It replays the same [`Draw`] commands as `web::canvas` with the
//! same geometry, so the file looks like the page.
//!
//! Everything that reaches the document is either a number this module
//! formats, a colour it parses and re-emits, or text it escapes: node names
//! come from strangers and can never become markup.

use crate::scene::{self, arrow_shape, Align, ArrowShape, Draw};

/// The canvas's font stack (kept equal to `web::canvas`, which only exists on
/// `wasm32`; a test compares the two).
pub const FONT_FAMILY: &str =
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif";

/// The canvas's dash pattern, px on and px off.
const DASH_ARRAY: &str = "6 5";

/// The whole scene as an SVG document `width` × `height` CSS px.
///
/// A command whose numbers are not all finite (or whose radius, line width or
/// font size is negative) is left out, as is one the canvas would not paint
/// (an arrow shorter than 1 px, a line with fewer than two distinct points).
pub fn to_svg(scene: &[Draw], width: f64, height: f64) -> String {
    let (width, height) = (length_or_zero(width), length_or_zero(height));
    let mut out = String::with_capacity(256 + scene.len() * 96);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\"");
    attr(&mut out, "width", &num(width));
    attr(&mut out, "height", &num(height));
    attr(
        &mut out,
        "viewBox",
        &format!("0 0 {} {}", num(width), num(height)),
    );
    // canvas `fillText` keeps every space; SVG collapses them unless told not to
    attr(&mut out, "xml:space", "preserve");
    out.push_str(">\n<g");
    attr(&mut out, "font-family", FONT_FAMILY);
    attr(&mut out, "stroke-linecap", "round");
    attr(&mut out, "stroke-linejoin", "round");
    out.push_str(">\n");
    for command in scene {
        command_to_svg(&mut out, command);
    }
    out.push_str("</g>\n</svg>\n");
    out
}

/// The page's current frame as an SVG document the size of its viewport.
pub fn app_to_svg(app: &crate::app::App) -> String {
    let vp = app.viewport;
    to_svg(&scene::build_whole(app), vp.width, vp.height)
}

fn command_to_svg(out: &mut String, command: &Draw) {
    match command {
        Draw::Rect { x, y, w, h, fill } => {
            if !all_finite(&[*x, *y, *w, *h]) {
                return;
            }
            // like `fillRect`, a negative size extends left / up
            let (x, w) = if *w < 0.0 { (x + w, -w) } else { (*x, *w) };
            let (y, h) = if *h < 0.0 { (y + h, -h) } else { (*y, *h) };
            out.push_str("<rect");
            attr(out, "x", &num(x));
            attr(out, "y", &num(y));
            attr(out, "width", &num(w));
            attr(out, "height", &num(h));
            paint(out, "fill", fill);
            out.push_str("/>\n");
        }
        Draw::Line {
            points,
            stroke,
            width,
            dashed,
        } => {
            if !valid_width(*width) || points.iter().any(|&(x, y)| !all_finite(&[x, y])) {
                return;
            }
            // the canvas prunes zero-length segments and strokes nothing if
            // that leaves no segment (SVG would draw a round dot)
            let Some(first) = points.first() else {
                return;
            };
            if points.iter().all(|p| same_point(*p, *first)) {
                return;
            }
            let coordinates: Vec<String> = points.iter().map(|&p| point(p)).collect();
            out.push_str("<polyline");
            attr(out, "points", &coordinates.join(" "));
            out.push_str(" fill=\"none\"");
            stroke_attrs(out, stroke, *width, *dashed);
            out.push_str("/>\n");
        }
        Draw::Arrow {
            from,
            to,
            stroke,
            width,
            dashed,
        } => {
            if !valid_width(*width) || !all_finite(&[from.0, from.1, to.0, to.1]) {
                return;
            }
            let Some(ArrowShape {
                shaft: (start, end),
                head: [tip, left, right],
            }) = arrow_shape(*from, *to, *width)
            else {
                return;
            };
            out.push_str("<line");
            attr(out, "x1", &num(start.0));
            attr(out, "y1", &num(start.1));
            attr(out, "x2", &num(end.0));
            attr(out, "y2", &num(end.1));
            stroke_attrs(out, stroke, *width, *dashed);
            out.push_str("/>\n");
            out.push_str("<polygon");
            attr(
                out,
                "points",
                &format!("{} {} {}", point(tip), point(left), point(right)),
            );
            paint(out, "fill", stroke);
            out.push_str("/>\n");
        }
        Draw::Circle {
            x,
            y,
            r,
            fill,
            stroke,
        } => {
            if !all_finite(&[*x, *y, *r]) || *r < 0.0 {
                return;
            }
            if stroke.is_some_and(|(_, width)| !valid_width(width)) {
                return;
            }
            out.push_str("<circle");
            attr(out, "cx", &num(*x));
            attr(out, "cy", &num(*y));
            attr(out, "r", &num(*r));
            match fill {
                Some(fill) => paint(out, "fill", fill),
                None => out.push_str(" fill=\"none\""),
            }
            if let Some((color, width)) = stroke {
                stroke_attrs(out, color, *width, false);
            }
            out.push_str("/>\n");
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
            if !all_finite(&[*x, *y, *size]) || *size <= 0.0 {
                return;
            }
            let mut content = String::with_capacity(text.len());
            push_escaped(&mut content, text);
            if content.is_empty() {
                return;
            }
            out.push_str("<text");
            attr(out, "x", &num(*x));
            attr(out, "y", &num(*y));
            attr(out, "font-size", &num(*size));
            if *bold {
                out.push_str(" font-weight=\"600\"");
            }
            let anchor = match align {
                Align::Left => "start",
                Align::Center => "middle",
                Align::Right => "end",
            };
            attr(out, "text-anchor", anchor);
            paint(out, "fill", color);
            out.push('>');
            out.push_str(&content);
            out.push_str("</text>\n");
        }
    }
}

fn stroke_attrs(out: &mut String, color: &str, width: f64, dashed: bool) {
    paint(out, "stroke", color);
    attr(out, "stroke-width", &num(width));
    if dashed {
        attr(out, "stroke-dasharray", DASH_ARRAY);
    }
}

/// `fill="#rrggbb"` or `stroke="#rrggbb"`, plus `fill-opacity` / `stroke-opacity`
/// when the colour is translucent (SVG 1.1 has no `rgba()`).
fn paint(out: &mut String, property: &str, color: &str) {
    let ([r, g, b], alpha) = parse_color(color).unwrap_or(([0, 0, 0], 1.0));
    attr(out, property, &format!("#{r:02x}{g:02x}{b:02x}"));
    if alpha < 1.0 {
        attr(out, &format!("{property}-opacity"), &num(alpha));
    }
}

/// A CSS colour in one of the forms the palette uses: `#rgb`, `#rgba`,
/// `#rrggbb`, `#rrggbbaa`, or `rgb()` / `rgba()` of plain numbers or
/// percentages (comma- or space-separated). Anything else is `None`.
fn parse_color(color: &str) -> Option<([u8; 3], f64)> {
    let color = color.trim_matches(|c: char| c.is_ascii_whitespace());
    if let Some(hex) = color.strip_prefix('#') {
        return parse_hex(hex);
    }
    let lower = color.to_ascii_lowercase();
    let inner = lower
        .strip_prefix("rgba(")
        .or_else(|| lower.strip_prefix("rgb("))?
        .strip_suffix(')')?;
    let (channels, alpha): (Vec<&str>, Option<&str>) = if inner.contains(',') {
        let mut parts: Vec<&str> = inner.split(',').map(str::trim).collect();
        let alpha = if parts.len() == 4 { parts.pop() } else { None };
        (parts, alpha)
    } else {
        let mut halves = inner.split('/');
        let channels = halves.next()?.split_ascii_whitespace().collect();
        let alpha = halves.next().map(str::trim);
        if halves.next().is_some() {
            return None;
        }
        (channels, alpha)
    };
    if channels.len() != 3 {
        return None;
    }
    let mut rgb = [0u8; 3];
    for (slot, text) in rgb.iter_mut().zip(channels) {
        let value = match text.strip_suffix('%') {
            Some(percent) => plain_number(percent)? * 2.55,
            None => plain_number(text)?,
        };
        *slot = value.clamp(0.0, 255.0).round() as u8;
    }
    let alpha = match alpha {
        None => 1.0,
        Some(text) => match text.strip_suffix('%') {
            Some(percent) => plain_number(percent)? / 100.0,
            None => plain_number(text)?,
        }
        .clamp(0.0, 1.0),
    };
    Some((rgb, alpha))
}

fn parse_hex(hex: &str) -> Option<([u8; 3], f64)> {
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let digits: Vec<u8> = hex
        .bytes()
        .map(|b| (b as char).to_digit(16).map_or(0, |d| d as u8))
        .collect();
    let bytes: Vec<u8> = match digits.len() {
        3 | 4 => digits.iter().map(|d| d * 17).collect(),
        6 | 8 => digits.chunks(2).map(|p| p[0] * 16 + p[1]).collect(),
        _ => return None,
    };
    let alpha = bytes.get(3).map_or(1.0, |&a| f64::from(a) / 255.0);
    Some(([bytes[0], bytes[1], bytes[2]], alpha))
}

/// `[+-]digits[.digits]` or `[+-].digits`; no exponents, `inf` or `NaN`.
fn plain_number(text: &str) -> Option<f64> {
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.len() + fraction.len() == 0 || !digits(whole) || !digits(fraction) {
        return None;
    }
    if unsigned.ends_with('.') {
        return None;
    }
    text.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// ` name="value"`, the value escaped.
fn attr(out: &mut String, name: &str, value: &str) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    push_escaped(out, value);
    out.push('"');
}

/// Appends `text` as XML character data (valid in content and in quoted
/// attributes): markup characters become entities; ASCII whitespace becomes a
/// space, as the canvas draws it; other control characters and the
/// non-characters XML 1.0 forbids are dropped.
fn push_escaped(out: &mut String, text: &str) {
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\u{c}' | '\r' => out.push(' '),
            '\u{fffe}' | '\u{ffff}' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
}

/// At most two decimals, no trailing zeros, never `-0`.
fn num(value: f64) -> String {
    if !value.is_finite() {
        return "0".into();
    }
    let mut text = format!("{value:.2}");
    if text.contains('.') {
        let trimmed = text.trim_end_matches('0').trim_end_matches('.').len();
        text.truncate(trimmed);
    }
    if text == "-0" {
        text.remove(0);
    }
    text
}

fn point((x, y): (f64, f64)) -> String {
    format!("{},{}", num(x), num(y))
}

fn same_point(a: (f64, f64), b: (f64, f64)) -> bool {
    a.0 == b.0 && a.1 == b.1
}

fn all_finite(values: &[f64]) -> bool {
    values.iter().all(|v| v.is_finite())
}

fn valid_width(width: f64) -> bool {
    width.is_finite() && width >= 0.0
}

fn length_or_zero(value: f64) -> f64 {
    if value.is_finite() && value > 0.0 {
        value
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_compact() {
        assert_eq!(num(2.0), "2");
        assert_eq!(num(100.0), "100");
        assert_eq!(num(10.5), "10.5");
        assert_eq!(num(1.23456), "1.23");
        assert_eq!(num(-3.999), "-4");
        assert_eq!(num(-0.0), "0");
        assert_eq!(num(-0.004), "0");
        assert_eq!(num(0.1 + 0.2), "0.3");
        assert_eq!(num(f64::NAN), "0");
    }

    #[test]
    fn colours_parse_strictly() {
        assert_eq!(parse_color("#2563eb"), Some(([0x25, 0x63, 0xeb], 1.0)));
        assert_eq!(parse_color("#FFF"), Some(([255, 255, 255], 1.0)));
        assert_eq!(
            parse_color("#00000080").map(|c| num(c.1)),
            Some("0.5".into())
        );
        assert_eq!(
            parse_color("rgba(255,255,255,0.92)"),
            Some(([255, 255, 255], 0.92))
        );
        assert_eq!(
            parse_color("rgb(10 20 30 / 50%)"),
            Some(([10, 20, 30], 0.5))
        );
        assert_eq!(parse_color("rgb(100%, 0%, 0%)"), Some(([255, 0, 0], 1.0)));
        for bad in [
            "",
            "red",
            "#12",
            "#12345",
            "#ggg",
            "rgb(1,2)",
            "rgb(1,2,3,4,5)",
            "rgb(1e3,2,3)",
            "rgb(inf,2,3)",
            "rgb(NaN,2,3)",
            "rgb(1.,2,3)",
            "rgb(1,2,3",
            "rgb(1,2,3)\" onload=\"x",
            "url(#a)",
            "rgb(1 2 3 / 4 / 5)",
        ] {
            assert_eq!(parse_color(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn escaping_drops_what_xml_forbids() {
        let mut out = String::new();
        push_escaped(&mut out, "a<b>&\"'\u{0}\u{1b}\t\n\u{fffe}\u{7f}\u{85}é😀");
        assert_eq!(out, "a&lt;b&gt;&amp;&quot;&apos;  é😀");
    }
}
