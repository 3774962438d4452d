//! ICAO 9303-3 §4.9 check digits: weights 7, 3, 1 repeating; digits count as themselves, letters A..Z
//! as 10..35 and the filler '<' as 0, so trailing fillers never change a check digit.

/// Character values of ICAO 9303-3 §4.9; lower case is folded in so callers need not upper-case first.
/// Anything outside the MRZ alphabet counts as 0: the parser reports such characters separately.
static VALUES: [u8; 256] = build_values();

const fn build_values() -> [u8; 256] {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 10 {
        table[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 26 {
        table[b'A' as usize + i] = 10 + i as u8;
        table[b'a' as usize + i] = 10 + i as u8;
        i += 1;
    }
    table
}

const WEIGHTS: [u64; 3] = [7, 3, 1];

/// The check digit (as an ASCII digit) over `text`, e.g. `check_digit(b"740812") == b'2'`.
pub fn check_digit(text: &[u8]) -> u8 {
    CheckSum::default().feed(text).digit()
}

/// A running weighted sum, so a composite check digit over several separate ranges needs no copy.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct CheckSum {
    sum: u64,
    position: usize,
}

impl CheckSum {
    pub(crate) fn feed(mut self, bytes: &[u8]) -> Self {
        for &byte in bytes {
            self.sum += u64::from(VALUES[usize::from(byte)]) * WEIGHTS[self.position % 3];
            self.position += 1;
        }
        self
    }

    pub(crate) fn digit(self) -> u8 {
        // `sum % 10` is below 10, so the cast cannot truncate.
        b'0' + (self.sum % 10) as u8
    }
}
