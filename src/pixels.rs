//! Rectangles rasterised to RGBA pixels: the page paints long runs of
//! opaque rectangles (the density strips of a big trace, one bar per 2 px
//! column of every line, thousands a frame) this way instead of one
//! `fillRect` each (see `web::raster`). Pure, so it is tested natively.
//!
//! A run is planned in three steps, all in device pixels:
//! 1. [`device_rects`]: the rectangles scaled, clipped to the canvas and the
//!    rows being painted, with their colours;
//! 2. [`cut_tiles`]: consecutive rectangles whose rows fit in a given
//!    height (a strip and its found ticks) make a tile;
//! 3. [`plan_packs`]: tiles stacked one under another in one buffer, up to a
//!    pixel count. A pack whose every edge is on an even pixel (2 px bars on
//!    even columns) keeps one buffer pixel per two columns, to be stretched
//!    back without smoothing, which is exact.
//!
//! [`rasterise`] then fills a pack's buffer: each rectangle, in order, gives
//! each pixel its colour by the share of the pixel it covers, over what is
//! there (straight, not premultiplied, alpha, as `ImageData` holds it).

use crate::scene::{Color, Draw};
use std::ops::Range;

/// An opaque `#rrggbb` colour as bytes; `None` for anything else.
pub fn rgb(color: Color) -> Option<[u8; 3]> {
    let hex = color.strip_prefix('#')?;
    if hex.len() != 6 {
        return None;
    }
    let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// A rectangle in an opaque `#rrggbb` colour.
pub fn is_plain_rect(command: &Draw) -> bool {
    matches!(command, Draw::Rect { fill, .. } if rgb(fill).is_some())
}

/// A rectangle in device pixels, with its colour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DeviceRect {
    /// Left edge.
    pub x0: f64,
    /// Top edge.
    pub y0: f64,
    /// Right edge.
    pub x1: f64,
    /// Bottom edge.
    pub y1: f64,
    /// Colour.
    pub rgb: [u8; 3],
}

/// The opaque rectangles of `run` in device pixels (`ratio` per CSS px),
/// clipped to a canvas of `size` device pixels and to the rows `clip`
/// (device px); empty, non-finite and other commands are left out.
pub fn device_rects(
    run: &[Draw],
    ratio: f64,
    size: (f64, f64),
    clip: (f64, f64),
) -> Vec<DeviceRect> {
    let (top, bottom) = (clip.0.max(0.0), clip.1.min(size.1));
    run.iter()
        .filter_map(|command| {
            let Draw::Rect { x, y, w, h, fill } = command else {
                return None;
            };
            // Checked before clamping: `min` and `max` pass over a NaN.
            if ![x, y, w, h].iter().all(|v| v.is_finite()) {
                return None;
            }
            let r = DeviceRect {
                x0: (x * ratio).max(0.0),
                y0: (y * ratio).max(top),
                x1: ((x + w) * ratio).min(size.0),
                y1: ((y + h) * ratio).min(bottom),
                rgb: rgb(fill)?,
            };
            (r.x1 > r.x0 && r.y1 > r.y0).then_some(r)
        })
        .collect()
}

/// Consecutive rectangles painted together, and their bounds.
#[derive(Debug, Clone, PartialEq)]
pub struct Tile {
    /// Left edge of the rectangles, device px.
    pub left: f64,
    /// Right edge.
    pub right: f64,
    /// Top edge.
    pub top: f64,
    /// Bottom edge.
    pub bottom: f64,
    /// Its rectangles, as indexes of the run.
    pub rects: Range<usize>,
}

impl Tile {
    /// The top-left corner of its pixels.
    pub fn origin(&self) -> (f64, f64) {
        (self.left.floor(), self.top.floor())
    }

    /// Its width and height in whole device pixels.
    pub fn size(&self) -> (usize, usize) {
        (
            (self.right.ceil() - self.left.floor()).max(1.0) as usize,
            (self.bottom.ceil() - self.top.floor()).max(1.0) as usize,
        )
    }
}

/// Cuts `rects` into tiles of consecutive rectangles whose rows fit in
/// `tallest` device px (a rectangle taller than that is a tile of its own).
pub fn cut_tiles(rects: &[DeviceRect], tallest: f64) -> Vec<Tile> {
    let mut tiles: Vec<Tile> = Vec::new();
    for (k, r) in rects.iter().enumerate() {
        match tiles.last_mut() {
            Some(t) if t.bottom.max(r.y1) - t.top.min(r.y0) <= tallest => {
                t.left = t.left.min(r.x0);
                t.right = t.right.max(r.x1);
                t.top = t.top.min(r.y0);
                t.bottom = t.bottom.max(r.y1);
                t.rects.end = k + 1;
            }
            _ => tiles.push(Tile {
                left: r.x0,
                right: r.x1,
                top: r.y0,
                bottom: r.y1,
                rects: k..k + 1,
            }),
        }
    }
    tiles
}

/// Tiles stacked one under another in one buffer.
#[derive(Debug, Clone, PartialEq)]
pub struct Pack {
    /// Its tiles, as indexes of the tiles.
    pub tiles: Range<usize>,
    /// Device pixels per buffer pixel across: 2 when every edge is on an
    /// even pixel, else 1.
    pub sx: usize,
    /// The buffer's width and height in its own pixels.
    pub size: (usize, usize),
}

/// Groups `tiles` into packs of at most `max_pixels` device pixels (a tile
/// bigger than that is a pack of its own).
pub fn plan_packs(rects: &[DeviceRect], tiles: &[Tile], max_pixels: usize) -> Vec<Pack> {
    let mut packs = Vec::new();
    let mut start = 0;
    while start < tiles.len() {
        let (mut width, mut height, mut end) = (0_usize, 0_usize, start);
        while let Some(t) = tiles.get(end) {
            let (w, h) = t.size();
            let (wider, taller) = (width.max(w), height + h);
            if end > start && wider.saturating_mul(taller) > max_pixels {
                break;
            }
            (width, height, end) = (wider, taller, end + 1);
        }
        let even = |x: f64| x.fract() == 0.0 && x.rem_euclid(2.0) == 0.0;
        let halve = tiles[start..end].iter().all(|t| {
            even(t.origin().0)
                && rects
                    .get(t.rects.clone())
                    .unwrap_or(&[])
                    .iter()
                    .all(|r| even(r.x0) && even(r.x1))
        });
        let sx = if halve { 2 } else { 1 };
        packs.push(Pack {
            tiles: start..end,
            sx,
            size: (width.div_ceil(sx), height),
        });
        start = end;
    }
    packs
}

/// Fills `buffer` with `pack` (its tiles one under another, from the top):
/// `size.0 * size.1` RGBA pixels, transparent where no rectangle is.
pub fn rasterise(buffer: &mut Vec<u8>, rects: &[DeviceRect], tiles: &[Tile], pack: &Pack) {
    let (w, h) = pack.size;
    buffer.clear();
    buffer.resize(w * h * 4, 0);
    let sx = pack.sx as f64;
    let mut row = 0.0;
    for tile in tiles.get(pack.tiles.clone()).unwrap_or(&[]) {
        let (left, top) = tile.origin();
        let origin = (left / sx, top - row);
        for r in rects.get(tile.rects.clone()).unwrap_or(&[]) {
            let scaled = DeviceRect {
                x0: r.x0 / sx,
                x1: r.x1 / sx,
                ..*r
            };
            fill(buffer, w, origin, &scaled);
        }
        row += tile.size().1 as f64;
    }
}

/// Draws `r` over `buffer` (`w` pixels wide, its top-left corner at
/// `origin`): each pixel gets the colour by the share of it the rectangle
/// covers, over what is there.
fn fill(buffer: &mut [u8], w: usize, origin: (f64, f64), r: &DeviceRect) {
    let (x0, x1) = (r.x0 - origin.0, r.x1 - origin.0);
    let (y0, y1) = (r.y0 - origin.1, r.y1 - origin.1);
    let cover = |from: f64, to: f64, px: usize| {
        let p = px as f64;
        (to.min(p + 1.0) - from.max(p)).clamp(0.0, 1.0)
    };
    let (px0, px1) = (x0.max(0.0).floor() as usize, x1.max(0.0).ceil() as usize);
    let (py0, py1) = (y0.max(0.0).floor() as usize, y1.max(0.0).ceil() as usize);
    for py in py0..py1 {
        let cy = cover(y0, y1, py);
        let row = py * w;
        for px in px0..px1.min(w) {
            let a = cy * cover(x0, x1, px);
            if a <= 0.0 {
                continue;
            }
            let at = (row + px) * 4;
            let Some(pixel) = buffer.get_mut(at..at + 4) else {
                continue;
            };
            over(pixel, r.rgb, a);
        }
    }
}

/// Source-over of `rgb` at coverage `a` onto a straight-alpha RGBA pixel.
fn over(pixel: &mut [u8], rgb: [u8; 3], a: f64) {
    if a >= 1.0 {
        pixel[..3].copy_from_slice(&rgb);
        pixel[3] = 255;
        return;
    }
    let below = f64::from(pixel[3]) / 255.0;
    let out = a + below * (1.0 - a);
    if out <= 0.0 {
        return;
    }
    for k in 0..3 {
        let c = (f64::from(rgb[k]) * a + f64::from(pixel[k]) * below * (1.0 - a)) / out;
        pixel[k] = c.round().clamp(0.0, 255.0) as u8;
    }
    pixel[3] = (out * 255.0).round().clamp(0.0, 255.0) as u8;
}
