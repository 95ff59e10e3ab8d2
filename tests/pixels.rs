//! The pixel path for long runs of rectangles (`hlcviz::pixels`): planned
//! and rasterised, then placed the way the page places it (each tile drawn
//! over the canvas in order, a halved pack stretched back), it gives what
//! drawing the rectangles one by one gives.

use hlcviz::pixels::{cut_tiles, device_rects, plan_packs, rasterise, rgb, DeviceRect, Tile};
use hlcviz::scene::{palette, Color, Draw};
use proptest::prelude::*;

/// Straight-alpha source-over of `rgb` at coverage `a` (an independent
/// reference, in f64 throughout).
fn over_f(pixel: &mut [f64; 4], rgb: [f64; 3], a: f64) {
    let below = pixel[3];
    let out = a + below * (1.0 - a);
    if out <= 0.0 {
        return;
    }
    for k in 0..3 {
        pixel[k] = (rgb[k] * a + pixel[k] * below * (1.0 - a)) / out;
    }
    pixel[3] = out;
}

/// The area of the unit pixel at (px, py) that `r` covers.
fn area(r: &DeviceRect, px: usize, py: usize) -> f64 {
    let (x, y) = (px as f64, py as f64);
    let w = (r.x1.min(x + 1.0) - r.x0.max(x)).max(0.0);
    let h = (r.y1.min(y + 1.0) - r.y0.max(y)).max(0.0);
    w * h
}

/// Every rectangle drawn one by one on a transparent canvas.
fn reference(rects: &[DeviceRect], w: usize, h: usize) -> Vec<[f64; 4]> {
    let mut canvas = vec![[0.0; 4]; w * h];
    for r in rects {
        let c = r.rgb.map(f64::from);
        for py in 0..h {
            for px in 0..w {
                let a = area(r, px, py);
                if a > 0.0 {
                    over_f(&mut canvas[py * w + px], c, a);
                }
            }
        }
    }
    canvas
}

/// The page's way: plan, rasterise each pack, then draw each tile of it
/// over the canvas in order (a halved pack's pixels two columns wide).
fn placed(rects: &[DeviceRect], w: usize, h: usize, tallest: f64, max: usize) -> Vec<[f64; 4]> {
    let tiles = cut_tiles(rects, tallest);
    let packs = plan_packs(rects, &tiles, max);
    let mut canvas = vec![[0.0; 4]; w * h];
    let mut buffer = Vec::new();
    for pack in &packs {
        rasterise(&mut buffer, rects, &tiles, pack);
        assert_eq!(buffer.len(), pack.size.0 * pack.size.1 * 4);
        let mut row = 0;
        for tile in &tiles[pack.tiles.clone()] {
            let (left, top) = tile.origin();
            let (tw, th) = tile.size();
            for dy in 0..th {
                for dx in 0..tw {
                    let (x, y) = (left as usize + dx, top as usize + dy);
                    let bx = dx / pack.sx;
                    let at = ((row + dy) * pack.size.0 + bx) * 4;
                    let p = &buffer[at..at + 4];
                    if x < w && y < h && p[3] > 0 {
                        let c = [p[0], p[1], p[2]].map(f64::from);
                        over_f(&mut canvas[y * w + x], c, f64::from(p[3]) / 255.0);
                    }
                }
            }
            row += th;
        }
    }
    canvas
}

fn assert_close(got: &[[f64; 4]], want: &[[f64; 4]], w: usize) {
    for (i, (g, e)) in got.iter().zip(want).enumerate() {
        let (x, y) = (i % w, i / w);
        assert!(
            (g[3] - e[3]).abs() <= 2.5 / 255.0,
            "alpha at ({x}, {y}): {} against {}",
            g[3],
            e[3]
        );
        // Colours compared as they show (premultiplied by alpha): a faint
        // pixel's colour is held to 8 bits of alpha, like the canvas's.
        for k in 0..3 {
            assert!(
                (g[k] * g[3] - e[k] * e[3]).abs() <= 3.0,
                "channel {k} at ({x}, {y}): {g:?} against {e:?}"
            );
        }
    }
}

/// A density strip as the scene draws it: 2 px bars on even columns around
/// `y`, and found ticks (4 px wide, on odd columns) above some of them.
fn strip(y: f64, heights: &[(u32, bool)]) -> Vec<Draw> {
    let mut out = Vec::new();
    for (i, &(h, found)) in heights.iter().enumerate() {
        let x = 2.0 * i as f64 + 4.0;
        let h = 2.0 + f64::from(h) / 3.0;
        out.push(Draw::Rect {
            x,
            y: y - h,
            w: 2.0,
            h: 2.0 * h,
            fill: palette::EVENT,
        });
        if found {
            out.push(Draw::Rect {
                x: x - 1.0,
                y: y - 20.0,
                w: 4.0,
                h: 5.0,
                fill: palette::FOUND,
            });
        }
    }
    out
}

#[test]
fn colours_are_read_from_the_palette_and_others_refused() {
    assert_eq!(rgb("#ff8000"), Some([255, 128, 0]));
    assert_eq!(rgb(palette::BACKGROUND), Some([255, 255, 255]));
    for bad in [
        "",
        "#fff",
        "#ff80001",
        "rgba(0,0,0,0.5)",
        "#gg0000",
        "#ff80é0",
    ] {
        assert_eq!(rgb(bad), None, "{bad}");
    }
}

#[test]
fn strips_are_cut_one_tile_each_and_halved_without_found_ticks() {
    let mut run = Vec::new();
    for k in 0..6 {
        let heights: Vec<(u32, bool)> = (0..100).map(|i| ((i * 7 + k) % 37, false)).collect();
        run.extend(strip(30.0 + 46.0 * k as f64, &heights));
    }
    let rects = device_rects(&run, 1.0, (400.0, 400.0), (0.0, 400.0));
    assert_eq!(rects.len(), 600);
    let tiles = cut_tiles(&rects, 40.0);
    assert_eq!(tiles.len(), 6, "one tile per strip");
    let packs = plan_packs(&rects, &tiles, 1 << 20);
    assert_eq!(packs.len(), 1);
    assert_eq!(packs[0].sx, 2, "2 px bars on even columns are halved");
    assert_eq!(packs[0].size.0, 100, "one buffer pixel per bar");
    // A found tick on an odd column keeps the pack at full width.
    let with_tick = strip(30.0, &[(3, false), (5, true), (9, false)]);
    let rects = device_rects(&with_tick, 1.0, (400.0, 400.0), (0.0, 400.0));
    let tiles = cut_tiles(&rects, 40.0);
    assert_eq!(plan_packs(&rects, &tiles, 1 << 20)[0].sx, 1);
}

#[test]
fn packs_stay_under_the_pixel_cap() {
    let heights: Vec<(u32, bool)> = (0..300).map(|i| (i % 30, i % 17 == 0)).collect();
    let run: Vec<Draw> = (0..40)
        .flat_map(|k| strip(30.0 + 30.0 * k as f64, &heights))
        .collect();
    let rects = device_rects(&run, 2.0, (2000.0, 3000.0), (0.0, 3000.0));
    let tiles = cut_tiles(&rects, 80.0);
    let max = 200_000;
    let packs = plan_packs(&rects, &tiles, max);
    assert!(packs.len() > 1);
    let mut next = 0;
    for pack in &packs {
        assert_eq!(pack.tiles.start, next, "packs cover the tiles in order");
        next = pack.tiles.end;
        let device = pack.size.0 * pack.sx * pack.size.1;
        assert!(device <= max || pack.tiles.len() == 1, "{device} pixels");
    }
    assert_eq!(next, tiles.len());
    let mut covered = 0;
    for t in &tiles {
        assert_eq!(
            t.rects.start, covered,
            "tiles cover the rectangles in order"
        );
        covered = t.rects.end;
        let (_, h) = t.size();
        assert!(
            h as f64 <= 80.0 + 1.0 || t.rects.len() == 1,
            "tile {h} px tall"
        );
    }
    assert_eq!(covered, rects.len());
}

#[test]
fn rectangles_are_clipped_and_bad_numbers_left_out() {
    let fill: Color = palette::EVENT;
    let run = vec![
        Draw::Rect {
            x: -10.0,
            y: 5.0,
            w: 20.0,
            h: 10.0,
            fill,
        },
        Draw::Rect {
            x: 95.0,
            y: 95.0,
            w: 20.0,
            h: 20.0,
            fill,
        },
        Draw::Rect {
            x: 10.0,
            y: 10.0,
            w: f64::NAN,
            h: 10.0,
            fill,
        },
        Draw::Rect {
            x: 10.0,
            y: 10.0,
            w: 0.0,
            h: 10.0,
            fill,
        },
        Draw::Rect {
            x: f64::INFINITY,
            y: 10.0,
            w: 5.0,
            h: 10.0,
            fill,
        },
        Draw::Rect {
            x: 10.0,
            y: 10.0,
            w: 5.0,
            h: 5.0,
            fill: "rgba(0, 0, 0, 0.5)",
        },
        Draw::Rect {
            x: 10.0,
            y: 1.0,
            w: 5.0,
            h: 5.0,
            fill,
        },
    ];
    let rects = device_rects(&run, 1.0, (100.0, 100.0), (4.0, 100.0));
    assert_eq!(
        rects,
        vec![
            DeviceRect {
                x0: 0.0,
                y0: 5.0,
                x1: 10.0,
                y1: 15.0,
                rgb: [0x25, 0x63, 0xeb]
            }
            .with_rgb(rgb(fill)),
            DeviceRect {
                x0: 95.0,
                y0: 95.0,
                x1: 100.0,
                y1: 100.0,
                rgb: [0; 3]
            }
            .with_rgb(rgb(fill)),
            DeviceRect {
                x0: 10.0,
                y0: 4.0,
                x1: 15.0,
                y1: 6.0,
                rgb: [0; 3]
            }
            .with_rgb(rgb(fill)),
        ]
    );
}

trait WithRgb {
    fn with_rgb(self, rgb: Option<[u8; 3]>) -> Self;
}

impl WithRgb for DeviceRect {
    fn with_rgb(mut self, rgb: Option<[u8; 3]>) -> Self {
        self.rgb = rgb.unwrap_or_default();
        self
    }
}

#[test]
fn density_strips_come_out_as_drawn_one_by_one() {
    for ratio in [1.0, 1.5, 2.0] {
        let heights: Vec<(u32, bool)> = (0..60).map(|i| ((i * 13) % 41, i % 9 == 4)).collect();
        let mut run = strip(30.0, &heights);
        run.extend(strip(60.0, &heights[..30]));
        let (w, h) = ((140.0 * ratio) as usize, (90.0 * ratio) as usize);
        let rects = device_rects(&run, ratio, (w as f64, h as f64), (0.0, h as f64));
        let want = reference(&rects, w, h);
        for max in [1 << 20, 3_000] {
            assert_close(&placed(&rects, w, h, 40.0 * ratio, max), &want, w);
        }
    }
}

fn arb_rect() -> impl Strategy<Value = Draw> {
    (
        0.0..60.0f64,
        0.0..60.0f64,
        0.1..20.0f64,
        0.1..30.0f64,
        0..3usize,
    )
        .prop_map(|(x, y, w, h, c)| {
            let fill = [palette::EVENT, palette::FOUND, palette::MESSAGE][c];
            Draw::Rect { x, y, w, h, fill }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any run of rectangles, overlapping, fractional, any order: the
    /// placed packs match drawing them one by one.
    #[test]
    fn any_run_comes_out_as_drawn_one_by_one(
        run in proptest::collection::vec(arb_rect(), 1..40),
        tallest in 4.0..60.0f64,
        max in 50usize..5_000,
    ) {
        let (w, h) = (80, 90);
        let rects = device_rects(&run, 1.0, (w as f64, h as f64), (0.0, h as f64));
        let want = reference(&rects, w, h);
        assert_close(&placed(&rects, w, h, tallest, max), &want, w);
        let tiles: Vec<Tile> = cut_tiles(&rects, tallest);
        prop_assert_eq!(tiles.iter().map(|t| t.rects.len()).sum::<usize>(), rects.len());
    }
}
