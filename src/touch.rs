//! Touch as a pure state machine: pointers tracked by id become steps for the
//! one gesture machine ([`crate::input::Gesture`]), view changes (pinch zoom
//! and pan) or page scrolls. No browser types here, so every multi-touch
//! sequence is tested natively.
//!
//! - One finger on an event or a node line is a mouse press: it moves the
//!   event or draws a message, and a tap selects.
//! - One finger that starts on empty canvas swipes: mostly sideways pans time,
//!   mostly up or down scrolls the page (the canvas takes every touch itself,
//!   `touch-action: none`, so this is the only way past a tall diagram on a
//!   phone). A tap there clears the selection (or snapshots, on the axis).
//! - Two fingers pinch: the change in their distance zooms time around their
//!   midpoint and the midpoint's movement pans. The moment the second finger
//!   lands, whatever the first one began is cancelled (a half-moved event goes
//!   back, a rubber band is dropped without a message or a notice).
//! - Lifting one finger of two starts nothing: the rest of the touch is inert
//!   until every finger is up.
//! - Two taps close in time and place are a double tap (a double click).

use crate::input::Action;

/// How far (CSS px) a finger may wander and still tap: fingers are less
/// steady than a mouse, so more than [`crate::input::DRAG_THRESHOLD`].
pub const TOUCH_SLOP: f64 = 8.0;
/// Longest gap (ms) from lifting the first tap to pressing the second for a
/// double tap.
pub const DOUBLE_TAP_MS: f64 = 300.0;
/// Farthest apart (CSS px) the two presses of a double tap may be.
pub const DOUBLE_TAP_DISTANCE: f64 = 24.0;
/// Below this finger distance (CSS px) a pinch's ratio is noise, not zoom.
const MIN_PINCH_DISTANCE: f64 = 12.0;

/// One touch pointer, where it is now (CSS px on the canvas).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Finger {
    /// `PointerEvent.pointerId`.
    pub id: i32,
    /// CSS px from the canvas's left edge.
    pub x: f64,
    /// CSS px from the canvas's top edge.
    pub y: f64,
}

/// What a touch asks for, in the order given.
#[derive(Debug, Clone, PartialEq)]
pub enum TouchStep {
    /// Press the gesture machine here, as a mouse button would.
    Press(f64, f64),
    /// Move the pressed gesture here.
    Move(f64, f64),
    /// Release the gesture here.
    Release(f64, f64),
    /// Cancel the gesture (undoing a half-done move, dropping a rubber band).
    Cancel,
    /// A double tap here (a double click).
    DoubleTap(f64, f64),
    /// Change the view (only [`Action::Pan`] and [`Action::Zoom`]).
    View(Action),
    /// Scroll the page by this many CSS px (positive: down the page).
    ScrollPage(f64),
}

/// What a touch asks of the page itself, beyond the app's state.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct TouchReply {
    /// Scroll the page by this many CSS px (positive: down the page).
    pub scroll_page_by: f64,
    /// A tap selected this event (trace index): show its explanation in view.
    pub tapped_event: Option<usize>,
}

/// What one finger is doing.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Swipe {
    /// Still within [`TOUCH_SLOP`] of the press: may yet be a tap.
    Still,
    /// The gesture machine drives it (a drag, a rubber band, a time pan).
    Forwarded,
    /// Scrolling the page; `last_y` is the finger's last y.
    Scroll { last_y: f64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Default)]
enum Mode {
    #[default]
    Idle,
    One {
        press: Finger,
        /// Started on empty canvas, so it may scroll the page.
        on_empty: bool,
        swipe: Swipe,
    },
    Pinch {
        distance: f64,
        mid_x: f64,
    },
    /// A pinch ended with fingers still down: nothing until all are up.
    Lifting,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Tap {
    x: f64,
    y: f64,
    lifted_ms: f64,
}

/// Tracks touch pointers by id (at most two; a third finger is ignored).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TouchTracker {
    fingers: Vec<Finger>,
    mode: Mode,
    last_tap: Option<Tap>,
}

fn pair(fingers: &[Finger]) -> Option<(f64, f64)> {
    match fingers {
        [a, b] => Some(((a.x - b.x).hypot(a.y - b.y), (a.x + b.x) / 2.0)),
        _ => None,
    }
}

impl TouchTracker {
    /// Whether any finger is down.
    pub fn active(&self) -> bool {
        !self.fingers.is_empty()
    }

    /// Whether two fingers are pinching (or the pinch is being lifted).
    pub fn pinching(&self) -> bool {
        matches!(self.mode, Mode::Pinch { .. } | Mode::Lifting)
    }

    /// A finger touched down at `at_ms`; `on_empty` says nothing (no event,
    /// no node line) is under it.
    pub fn down(&mut self, finger: Finger, at_ms: f64, on_empty: bool) -> Vec<TouchStep> {
        if self.fingers.iter().any(|f| f.id == finger.id) || self.fingers.len() >= 2 {
            return Vec::new();
        }
        self.fingers.push(finger);
        match self.mode {
            Mode::Idle => {
                if let Some(tap) = self.last_tap {
                    let near = (finger.x - tap.x).hypot(finger.y - tap.y) <= DOUBLE_TAP_DISTANCE;
                    let soon = at_ms - tap.lifted_ms <= DOUBLE_TAP_MS;
                    if !(near && soon) {
                        self.last_tap = None;
                    }
                }
                self.mode = Mode::One {
                    press: finger,
                    on_empty,
                    swipe: Swipe::Still,
                };
                vec![TouchStep::Press(finger.x, finger.y)]
            }
            Mode::One { .. } | Mode::Lifting | Mode::Pinch { .. } => {
                self.last_tap = None;
                let Some((distance, mid_x)) = pair(&self.fingers) else {
                    return Vec::new();
                };
                let was_one = matches!(self.mode, Mode::One { .. });
                self.mode = Mode::Pinch { distance, mid_x };
                if was_one {
                    vec![TouchStep::Cancel]
                } else {
                    Vec::new()
                }
            }
        }
    }

    /// A finger moved.
    pub fn moved(&mut self, finger: Finger) -> Vec<TouchStep> {
        let Some(slot) = self.fingers.iter_mut().find(|f| f.id == finger.id) else {
            return Vec::new();
        };
        *slot = finger;
        match self.mode {
            Mode::Idle | Mode::Lifting => Vec::new(),
            Mode::One {
                press,
                on_empty,
                swipe,
            } => {
                let (dx, dy) = (finger.x - press.x, finger.y - press.y);
                let next = match swipe {
                    Swipe::Still if dx.hypot(dy) < TOUCH_SLOP => return Vec::new(),
                    Swipe::Still if on_empty && dy.abs() > dx.abs() => {
                        // Mostly vertical from empty canvas: the page's scroll,
                        // not the diagram's. The press did nothing yet.
                        self.mode = Mode::One {
                            press,
                            on_empty,
                            swipe: Swipe::Scroll { last_y: finger.y },
                        };
                        return vec![TouchStep::Cancel, TouchStep::ScrollPage(-dy)];
                    }
                    Swipe::Still => Swipe::Forwarded,
                    Swipe::Forwarded => Swipe::Forwarded,
                    Swipe::Scroll { last_y } => {
                        self.mode = Mode::One {
                            press,
                            on_empty,
                            swipe: Swipe::Scroll { last_y: finger.y },
                        };
                        return vec![TouchStep::ScrollPage(last_y - finger.y)];
                    }
                };
                self.mode = Mode::One {
                    press,
                    on_empty,
                    swipe: next,
                };
                vec![TouchStep::Move(finger.x, finger.y)]
            }
            Mode::Pinch { distance, mid_x } => {
                let Some((now_distance, now_mid_x)) = pair(&self.fingers) else {
                    return Vec::new();
                };
                self.mode = Mode::Pinch {
                    distance: now_distance,
                    mid_x: now_mid_x,
                };
                // Pan first, so the time under the old midpoint comes under
                // the new one; then zoom around it, so it stays there.
                let mut steps = Vec::new();
                if now_mid_x != mid_x {
                    steps.push(TouchStep::View(Action::Pan(now_mid_x - mid_x)));
                }
                if distance >= MIN_PINCH_DISTANCE
                    && now_distance >= MIN_PINCH_DISTANCE
                    && now_distance != distance
                {
                    steps.push(TouchStep::View(Action::Zoom {
                        factor: (now_distance / distance).clamp(0.5, 2.0),
                        x: now_mid_x,
                    }));
                }
                steps
            }
        }
    }

    /// A finger lifted at `at_ms`.
    pub fn up(&mut self, finger: Finger, at_ms: f64) -> Vec<TouchStep> {
        let Some(k) = self.fingers.iter().position(|f| f.id == finger.id) else {
            return Vec::new();
        };
        self.fingers.remove(k);
        let mode = std::mem::replace(
            &mut self.mode,
            if self.fingers.is_empty() {
                Mode::Idle
            } else {
                Mode::Lifting
            },
        );
        let Mode::One { press, swipe, .. } = mode else {
            return Vec::new();
        };
        match swipe {
            Swipe::Scroll { .. } => {
                self.last_tap = None;
                Vec::new()
            }
            Swipe::Forwarded => {
                self.last_tap = None;
                vec![TouchStep::Release(finger.x, finger.y)]
            }
            Swipe::Still => {
                let mut steps = vec![TouchStep::Release(finger.x, finger.y)];
                if self.last_tap.take().is_some() {
                    steps.push(TouchStep::DoubleTap(press.x, press.y));
                } else {
                    self.last_tap = Some(Tap {
                        x: press.x,
                        y: press.y,
                        lifted_ms: at_ms,
                    });
                }
                steps
            }
        }
    }

    /// The browser took the touch over (`pointercancel`) or the window lost
    /// focus: forget every finger; what the gesture began is undone.
    pub fn cancel(&mut self) -> Vec<TouchStep> {
        let was = std::mem::take(self);
        match was.mode {
            Mode::One { .. } => vec![TouchStep::Cancel],
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(id: i32, x: f64, y: f64) -> Finger {
        Finger { id, x, y }
    }

    fn views(steps: &[TouchStep]) -> Vec<Action> {
        steps
            .iter()
            .filter_map(|s| match s {
                TouchStep::View(a) => Some(a.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_tap_presses_and_releases() {
        let mut t = TouchTracker::default();
        assert_eq!(
            t.down(f(1, 100.0, 50.0), 0.0, false),
            vec![TouchStep::Press(100.0, 50.0)]
        );
        // A finger's jitter below the slop is still a tap.
        assert_eq!(t.moved(f(1, 103.0, 52.0)), vec![]);
        assert_eq!(
            t.up(f(1, 103.0, 52.0), 80.0),
            vec![TouchStep::Release(103.0, 52.0)]
        );
        assert!(!t.active());
    }

    #[test]
    fn a_drag_from_a_lane_or_event_is_forwarded_whole() {
        let mut t = TouchTracker::default();
        t.down(f(1, 100.0, 50.0), 0.0, false);
        // Even vertical: a message goes to another node's line.
        assert_eq!(
            t.moved(f(1, 110.0, 150.0)),
            vec![TouchStep::Move(110.0, 150.0)]
        );
        assert_eq!(
            t.moved(f(1, 120.0, 200.0)),
            vec![TouchStep::Move(120.0, 200.0)]
        );
        assert_eq!(
            t.up(f(1, 120.0, 200.0), 500.0),
            vec![TouchStep::Release(120.0, 200.0)]
        );
    }

    #[test]
    fn a_sideways_swipe_on_empty_canvas_pans_through_the_gesture() {
        let mut t = TouchTracker::default();
        t.down(f(1, 200.0, 90.0), 0.0, true);
        assert_eq!(
            t.moved(f(1, 180.0, 93.0)),
            vec![TouchStep::Move(180.0, 93.0)]
        );
        assert_eq!(
            t.moved(f(1, 150.0, 140.0)),
            vec![TouchStep::Move(150.0, 140.0)]
        );
        assert_eq!(
            t.up(f(1, 150.0, 140.0), 300.0),
            vec![TouchStep::Release(150.0, 140.0)]
        );
    }

    #[test]
    fn a_vertical_swipe_on_empty_canvas_scrolls_the_page() {
        let mut t = TouchTracker::default();
        t.down(f(1, 200.0, 300.0), 0.0, true);
        // Up by 20 px: the page scrolls down by 20, the press is dropped.
        assert_eq!(
            t.moved(f(1, 203.0, 280.0)),
            vec![TouchStep::Cancel, TouchStep::ScrollPage(20.0)]
        );
        // Then it follows the finger, sideways motion ignored.
        assert_eq!(
            t.moved(f(1, 240.0, 230.0)),
            vec![TouchStep::ScrollPage(50.0)]
        );
        assert_eq!(
            t.moved(f(1, 240.0, 260.0)),
            vec![TouchStep::ScrollPage(-30.0)]
        );
        // Lifting it is neither a tap nor a release.
        assert_eq!(t.up(f(1, 240.0, 260.0), 400.0), vec![]);
    }

    #[test]
    fn a_second_finger_cancels_the_first_fingers_gesture_and_pinches() {
        let mut t = TouchTracker::default();
        t.down(f(1, 150.0, 100.0), 0.0, false);
        assert_eq!(
            t.moved(f(1, 140.0, 100.0)),
            vec![TouchStep::Move(140.0, 100.0)]
        );
        assert_eq!(
            t.down(f(2, 240.0, 100.0), 50.0, false),
            vec![TouchStep::Cancel]
        );
        assert!(t.pinching());
        // Fingers 100 px apart (mid 190); the first moves 50 px left: 150 px
        // apart (mid 165), so zoom in by 1.5 there after panning 25 px left.
        let steps = t.moved(f(1, 90.0, 100.0));
        assert_eq!(
            views(&steps),
            vec![
                Action::Pan(-25.0),
                Action::Zoom {
                    factor: 1.5,
                    x: 165.0
                }
            ]
        );
        t.moved(f(2, 290.0, 100.0));
        // Both fingers move right by 30 px: a pan of 30 px in two halves.
        let a = t.moved(f(1, 120.0, 100.0));
        let b = t.moved(f(2, 320.0, 100.0));
        assert_eq!(views(&a)[0], Action::Pan(15.0));
        assert_eq!(views(&b)[0], Action::Pan(15.0));
    }

    #[test]
    fn pinch_zoom_is_the_ratio_of_distances_around_the_midpoint() {
        let mut t = TouchTracker::default();
        t.down(f(1, 100.0, 100.0), 0.0, true);
        t.down(f(2, 200.0, 100.0), 10.0, true);
        let steps = t.moved(f(2, 300.0, 100.0));
        assert_eq!(
            steps,
            vec![
                TouchStep::View(Action::Pan(50.0)),
                TouchStep::View(Action::Zoom {
                    factor: 2.0,
                    x: 200.0
                }),
            ]
        );
        // Pinching in zooms out.
        let steps = t.moved(f(2, 250.0, 100.0));
        assert_eq!(
            views(&steps)[1],
            Action::Zoom {
                factor: 0.75,
                x: 175.0
            }
        );
    }

    #[test]
    fn fingers_almost_on_top_of_each_other_do_not_zoom() {
        let mut t = TouchTracker::default();
        t.down(f(1, 100.0, 100.0), 0.0, true);
        t.down(f(2, 102.0, 100.0), 10.0, true);
        let steps = t.moved(f(2, 140.0, 100.0));
        assert!(views(&steps).iter().all(|a| matches!(a, Action::Pan(_))));
    }

    #[test]
    fn lifting_one_finger_of_two_starts_nothing() {
        let mut t = TouchTracker::default();
        t.down(f(1, 100.0, 100.0), 0.0, false);
        t.down(f(2, 200.0, 100.0), 10.0, false);
        assert_eq!(t.up(f(2, 200.0, 100.0), 100.0), vec![]);
        // The finger left behind moves: no drag, no pan.
        assert_eq!(t.moved(f(1, 60.0, 180.0)), vec![]);
        assert_eq!(t.up(f(1, 60.0, 180.0), 200.0), vec![]);
        assert!(!t.active());
        // And that lift was no tap: the next tap is a single one.
        t.down(f(3, 60.0, 180.0), 250.0, false);
        assert_eq!(
            t.up(f(3, 60.0, 180.0), 300.0),
            vec![TouchStep::Release(60.0, 180.0)]
        );
    }

    #[test]
    fn a_finger_landing_again_after_a_lift_resumes_the_pinch() {
        let mut t = TouchTracker::default();
        t.down(f(1, 100.0, 100.0), 0.0, false);
        t.down(f(2, 200.0, 100.0), 10.0, false);
        t.up(f(2, 200.0, 100.0), 100.0);
        assert_eq!(t.down(f(3, 300.0, 100.0), 150.0, false), vec![]);
        assert!(t.pinching());
        let steps = t.moved(f(3, 500.0, 100.0));
        assert_eq!(views(&steps).len(), 2);
    }

    #[test]
    fn a_third_finger_is_ignored() {
        let mut t = TouchTracker::default();
        t.down(f(1, 100.0, 100.0), 0.0, false);
        t.down(f(2, 200.0, 100.0), 10.0, false);
        assert_eq!(t.down(f(3, 300.0, 100.0), 20.0, false), vec![]);
        assert_eq!(t.moved(f(3, 400.0, 100.0)), vec![]);
        assert_eq!(t.up(f(3, 400.0, 100.0), 30.0), vec![]);
        assert!(t.pinching());
    }

    #[test]
    fn two_quick_near_taps_are_a_double_tap() {
        let mut t = TouchTracker::default();
        t.down(f(1, 100.0, 100.0), 0.0, false);
        t.up(f(1, 100.0, 100.0), 60.0);
        t.down(f(2, 110.0, 108.0), 200.0, false);
        assert_eq!(
            t.up(f(2, 110.0, 108.0), 260.0),
            vec![
                TouchStep::Release(110.0, 108.0),
                TouchStep::DoubleTap(110.0, 108.0)
            ]
        );
        // A third tap starts over: no second double tap.
        t.down(f(3, 110.0, 108.0), 300.0, false);
        assert_eq!(
            t.up(f(3, 110.0, 108.0), 330.0),
            vec![TouchStep::Release(110.0, 108.0)]
        );
    }

    #[test]
    fn slow_or_distant_taps_are_two_taps() {
        for (x, at) in [(100.0, 400.0), (160.0, 100.0)] {
            let mut t = TouchTracker::default();
            t.down(f(1, 100.0, 100.0), 0.0, false);
            t.up(f(1, 100.0, 100.0), 50.0);
            t.down(f(2, x, 100.0), 50.0 + at, false);
            assert_eq!(
                t.up(f(2, x, 100.0), 60.0 + at),
                vec![TouchStep::Release(x, 100.0)],
                "second tap at x {x} after {at} ms"
            );
        }
    }

    #[test]
    fn a_drag_between_taps_breaks_the_double_tap() {
        let mut t = TouchTracker::default();
        t.down(f(1, 100.0, 100.0), 0.0, false);
        t.up(f(1, 100.0, 100.0), 50.0);
        t.down(f(2, 100.0, 100.0), 100.0, false);
        t.moved(f(2, 150.0, 100.0));
        t.up(f(2, 150.0, 100.0), 150.0);
        t.down(f(3, 100.0, 100.0), 200.0, false);
        assert_eq!(
            t.up(f(3, 100.0, 100.0), 230.0),
            vec![TouchStep::Release(100.0, 100.0)]
        );
    }

    #[test]
    fn cancel_forgets_every_finger() {
        let mut t = TouchTracker::default();
        t.down(f(1, 100.0, 100.0), 0.0, false);
        t.moved(f(1, 150.0, 100.0));
        assert_eq!(t.cancel(), vec![TouchStep::Cancel]);
        assert!(!t.active());
        // Events of the forgotten finger are ignored.
        assert_eq!(t.moved(f(1, 160.0, 100.0)), vec![]);
        assert_eq!(t.up(f(1, 160.0, 100.0), 90.0), vec![]);
    }

    #[test]
    fn a_repeated_down_of_the_same_id_is_ignored() {
        let mut t = TouchTracker::default();
        t.down(f(1, 100.0, 100.0), 0.0, false);
        assert_eq!(t.down(f(1, 100.0, 100.0), 5.0, false), vec![]);
        assert!(!t.pinching());
    }
}
