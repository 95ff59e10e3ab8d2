//! Long runs of opaque rectangles (the density strips of a big trace)
//! painted as pixels: planned and rasterised in wasm by [`crate::pixels`],
//! then put on the canvas with one `putImageData` into a scratch canvas and
//! one `drawImage` per tile from it, which blends each tile over what is
//! already drawn (the node line under a strip stays).
//!
//! Each `fillRect` is a separate operation for the browser to record and
//! rasterise: at 100,000 events on 32 nodes a frame held about 11,700 of
//! them, and they were most of its time. The buffer is reused from frame to
//! frame and holds one pack (at most 4 MB), so memory does not grow with the
//! trace.

pub use crate::pixels::is_plain_rect;
use crate::pixels::{self, DeviceRect, Pack, Tile};
use crate::scene::{Band, Draw};
use std::cell::RefCell;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// Runs shorter than this are left to `fillRect` (a tile costs two calls and
/// a buffer clear, so a few rectangles are cheaper drawn one by one).
pub const MIN_RUN: usize = 48;

/// The tallest tile, CSS px: a density strip is 28 px with its found ticks
/// 6 px above, so one strip and its ticks make one tile.
const TILE_CSS_HEIGHT: f64 = 40.0;

/// The most pixels one buffer holds (4 MB): tiles are packed one under
/// another into a buffer up to this, and put into a scratch canvas at once.
const MAX_PACK_PIXELS: usize = 1 << 20;

/// Scratch canvases one frame may use. Writing to a scratch canvas the
/// diagram still has a pending `drawImage` from makes the browser rasterise
/// the diagram there and then (2 to 3 ms each time here), so the packs of one
/// frame each get their own: the k-th pack of every frame goes through the
/// k-th scratch canvas, which by then the last frame has finished with. A
/// frame with more packs paints the rest with `fillRect`.
const SCRATCH_CANVASES: usize = 8;

/// The pixel buffer and the scratch canvases, kept from frame to frame.
struct State {
    buffer: Vec<u8>,
    scratch: Vec<Scratch>,
    /// The next scratch canvas this frame.
    next: usize,
}

struct Scratch {
    canvas: HtmlCanvasElement,
    ctx: CanvasRenderingContext2d,
}

thread_local! {
    static STATE: RefCell<State> = const {
        RefCell::new(State {
            buffer: Vec::new(),
            scratch: Vec::new(),
            next: 0,
        })
    };
}

fn make_scratch() -> Option<Scratch> {
    let document = web_sys::window()?.document()?;
    let canvas: HtmlCanvasElement = document.create_element("canvas").ok()?.dyn_into().ok()?;
    // Kept in memory, not on a GPU: it is written with putImageData and
    // read by drawImage every frame.
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"willReadFrequently".into(), &true.into()).ok()?;
    let ctx: CanvasRenderingContext2d = canvas
        .get_context_with_context_options("2d", &options)
        .ok()??
        .dyn_into()
        .ok()?;
    Some(Scratch { canvas, ctx })
}

impl State {
    /// Whether `packs` more scratch canvases can be had this frame (made
    /// when first needed).
    fn reserve(&mut self, packs: usize) -> bool {
        let wanted = self.next + packs;
        if wanted > SCRATCH_CANVASES {
            return false;
        }
        while self.scratch.len() < wanted {
            match make_scratch() {
                Some(made) => self.scratch.push(made),
                None => return false,
            }
        }
        true
    }

    /// The next scratch canvas this frame (see [`State::reserve`]).
    fn next_scratch(&mut self) -> Option<&Scratch> {
        let k = self.next;
        self.next += 1;
        self.scratch.get(k)
    }
}

/// Starts a frame: its packs take the scratch canvases from the first.
pub fn begin_frame() {
    STATE.with(|cell| cell.borrow_mut().next = 0);
}

/// Paints `run` (opaque rectangles only, see [`is_plain_rect`]) as pixels.
/// `ratio` is the device pixel ratio; `band` the rows to paint (CSS px), as
/// in `canvas::paint_band`. Returns false, having drawn nothing, when the
/// page gives no scratch canvas, the frame has used them all, or one
/// rectangle alone would need a buffer over the cap (a background, say):
/// the caller then draws the run one by one.
pub fn paint_rects(
    ctx: &CanvasRenderingContext2d,
    run: &[Draw],
    ratio: f64,
    band: Option<Band>,
) -> bool {
    let Some(canvas) = ctx.canvas() else {
        return false;
    };
    let (width, height) = (f64::from(canvas.width()), f64::from(canvas.height()));
    let clip = match band {
        Some((top, bottom)) => (top * ratio, bottom * ratio),
        None => (0.0, height),
    };
    let rects = pixels::device_rects(run, ratio, (width, height), clip);
    let tiles = pixels::cut_tiles(&rects, TILE_CSS_HEIGHT * ratio);
    let packs = pixels::plan_packs(&rects, &tiles, MAX_PACK_PIXELS);
    if packs
        .iter()
        .any(|p| p.size.0 * p.sx * p.size.1 > MAX_PACK_PIXELS)
    {
        return false;
    }
    STATE.with(|cell| {
        let mut state = cell.borrow_mut();
        if !state.reserve(packs.len()) {
            return false;
        }
        for pack in &packs {
            draw_pack(ctx, &mut state, &rects, &tiles, pack, ratio);
        }
        true
    })
}

/// Rasterises `pack` into the buffer, puts it into the next scratch canvas
/// and draws each of its tiles from there to its place, in order. `ratio`
/// is the context's scale (device px per CSS px).
fn draw_pack(
    ctx: &CanvasRenderingContext2d,
    state: &mut State,
    rects: &[DeviceRect],
    tiles: &[Tile],
    pack: &Pack,
    ratio: f64,
) {
    let (w, h) = pack.size;
    if w == 0 || h == 0 {
        return;
    }
    pixels::rasterise(&mut state.buffer, rects, tiles, pack);
    let Ok(image) = web_sys::ImageData::new_with_u8_clamped_array_and_sh(
        // One copy into JavaScript (the crate has no unsafe code, so no view
        // of the wasm memory), then one into the scratch canvas.
        wasm_bindgen::Clamped(&state.buffer[..]),
        w as u32,
        h as u32,
    ) else {
        return;
    };
    let Some(scratch) = state.next_scratch() else {
        return;
    };
    if (scratch.canvas.width() as usize) < w {
        scratch.canvas.set_width(w as u32);
    }
    if (scratch.canvas.height() as usize) < h {
        scratch.canvas.set_height(h as u32);
    }
    if scratch.ctx.put_image_data(&image, 0.0, 0.0).is_err() {
        return;
    }
    // A halved pack is stretched back without smoothing: exact.
    let halved = pack.sx > 1;
    if halved {
        ctx.set_image_smoothing_enabled(false);
    }
    let sx = pack.sx as f64;
    let mut row = 0.0;
    for tile in tiles.get(pack.tiles.clone()).unwrap_or(&[]) {
        let (left, top) = tile.origin();
        let (tw, th) = tile.size();
        let (source_w, th) = ((tw as f64 / sx).ceil(), th as f64);
        let _ = ctx.draw_image_with_html_canvas_element_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
            &scratch.canvas,
            0.0,
            row,
            source_w,
            th,
            // The context keeps its CSS px transform: these land on the
            // device pixels the tile was rasterised for.
            left / ratio,
            top / ratio,
            source_w * sx / ratio,
            th / ratio,
        );
        row += th;
    }
    if halved {
        ctx.set_image_smoothing_enabled(true);
    }
}
