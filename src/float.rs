//! `floor` for `f64` without the standard library, which the package's `no_std` .wasm is built without.

/// The largest integer not above `x` (`x` itself when it is not finite or already whole).
pub fn floor(x: f64) -> f64 {
    // From 2^52 up every f64 is whole; below, truncation toward zero is exact in an i64.
    if x.is_nan() || x.abs() >= 4_503_599_627_370_496.0 {
        return x;
    }
    let truncated = x as i64 as f64;
    if truncated > x {
        truncated - 1.0
    } else {
        truncated
    }
}

#[cfg(test)]
mod tests {
    use super::floor;

    #[test]
    fn floors_as_the_standard_library_does() {
        for x in [
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.0,
            -1.0,
            2.7,
            -2.7,
            1e15 + 0.5,
            -1e15 - 0.5,
            1e300,
            -1e300,
            f64::MAX,
            f64::MIN,
        ] {
            assert_eq!(floor(x), x.floor(), "{x}");
        }
        assert!(floor(f64::NAN).is_nan());
        assert_eq!(floor(f64::INFINITY), f64::INFINITY);
        assert_eq!(floor(f64::NEG_INFINITY), f64::NEG_INFINITY);
    }
}
