//! Messages and wire texts joined from their pieces without `core::fmt`, whose machinery (and the call
//! into it that every `format!` makes) was 1.6 KB of the package's gzipped .wasm.

use crate::prelude::*;

/// A piece of a [`text!`]: a string as it is, an integer in decimal.
pub trait Piece {
    /// Appends the piece to `out`.
    fn push_to(&self, out: &mut String);
}

impl Piece for str {
    fn push_to(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl Piece for String {
    fn push_to(&self, out: &mut String) {
        out.push_str(self);
    }
}

impl<T: Piece + ?Sized> Piece for &T {
    fn push_to(&self, out: &mut String) {
        (**self).push_to(out);
    }
}

macro_rules! unsigned {
    ($($t:ty),*) => {$(
        impl Piece for $t {
            fn push_to(&self, out: &mut String) {
                decimal(*self as u64, out);
            }
        }
    )*};
}
unsigned!(u16, u32, u64, usize);

impl Piece for i64 {
    fn push_to(&self, out: &mut String) {
        if *self < 0 {
            out.push('-');
        }
        decimal(self.unsigned_abs(), out);
    }
}

fn decimal(mut n: u64, out: &mut String) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[start..] {
        out.push(char::from(d));
    }
}

/// `text!(a, b, …)`: a new `String` of the pieces (each a [`Piece`]) one after another.
macro_rules! text {
    ($($piece:expr),+ $(,)?) => {{
        let mut out = $crate::prelude::String::new();
        $($crate::text::Piece::push_to(&$piece, &mut out);)+
        out
    }};
}
pub(crate) use text;

#[cfg(test)]
mod tests {
    #[test]
    fn integers_in_decimal_as_display_writes_them() {
        for n in [0u64, 7, 10, 99, 100, 65_535, u64::from(u32::MAX), u64::MAX] {
            assert_eq!(text!(n), n.to_string());
        }
        for n in [0i64, -1, 42, -1_700_000_000, i64::MAX, i64::MIN] {
            assert_eq!(text!(n), n.to_string());
        }
        assert_eq!(
            text!("HTTP ", 503u16, "; ", String::from("why")),
            "HTTP 503; why"
        );
    }
}
