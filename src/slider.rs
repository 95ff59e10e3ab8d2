//! The skew slider's scale: finest near zero, where skews that matter live
//! (a few ms to a few hundred), and coarse toward the ends.
//!
//! The slider's value is a *position* in `-POSITIONS..=POSITIONS`; the skew is
//! `range · (position / POSITIONS)²` with the position's sign. On a 300 px
//! slider that is under 1 ms per pixel for the first 50 ms and about 7 ms per
//! pixel at ±1 s, against a steady 6.7 ms per pixel for a linear slider. The
//! number box beside it takes any exact value, and the arrow keys step 1 ms.

use hlc::Time;

/// Slider positions on each side of zero.
pub const POSITIONS: i64 = 1_000;

/// The smallest range the slider spans on each side, ms; a typed skew beyond
/// it widens the range so the thumb can show it.
pub const MIN_RANGE_MS: Time = 1_000;

/// The range (ms each side) a slider showing `skew_ms` spans.
pub fn range_for(skew_ms: Time) -> Time {
    skew_ms.saturating_abs().max(MIN_RANGE_MS)
}

/// The skew at slider `position` on a slider spanning `range_ms` each side.
pub fn skew_at(position: i64, range_ms: Time) -> Time {
    let p = position.clamp(-POSITIONS, POSITIONS) as f64 / POSITIONS as f64;
    let skew = (range_ms as f64 * p * p).round() as Time;
    if position < 0 {
        -skew
    } else {
        skew
    }
}

/// The slider position that shows `skew_ms` (the nearest one).
pub fn position_of(skew_ms: Time, range_ms: Time) -> i64 {
    if range_ms <= 0 {
        return 0;
    }
    let fraction = (skew_ms.saturating_abs() as f64 / range_ms as f64).min(1.0);
    let position = (fraction.sqrt() * POSITIONS as f64).round() as i64;
    if skew_ms < 0 {
        -position
    } else {
        position
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scale_is_monotone_symmetric_and_reaches_the_range() {
        let range = range_for(0);
        let mut previous = skew_at(-POSITIONS, range);
        assert_eq!(previous, -range);
        for p in -POSITIONS + 1..=POSITIONS {
            let s = skew_at(p, range);
            assert!(s >= previous, "not monotone at {p}");
            assert_eq!(skew_at(-p, range), -s);
            previous = s;
        }
        assert_eq!(previous, range);
    }

    #[test]
    fn it_is_fine_near_zero_and_coarse_at_the_ends() {
        let range = range_for(0);
        // 100 positions (30 px on a 300 px slider) cover the first 10 ms ...
        assert_eq!(skew_at(100, range), 10);
        // ... and the last 100 positions cover 190 ms.
        assert_eq!(skew_at(1_000, range) - skew_at(900, range), 190);
    }

    #[test]
    fn a_skew_shows_at_the_position_that_gives_it_back_within_rounding() {
        for skew in [
            -5_000, -1_000, -333, -1, 0, 1, 7, 250, 999, 1_000, 86_400_000,
        ] {
            let range = range_for(skew);
            let p = position_of(skew, range);
            let back = skew_at(p, range);
            // One position is worth at most 2·range/POSITIONS ms.
            assert!(
                (back - skew).abs() <= 2 * range / POSITIONS + 1,
                "{skew} -> {p} -> {back}"
            );
        }
        assert_eq!(position_of(i64::MIN, range_for(i64::MIN)), -POSITIONS);
    }
}
