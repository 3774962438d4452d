//! Machine-readable zones of travel documents, ICAO Doc 9303 Parts 3–7 (8th edition).
//!
//! [`parse_mrz`] turns the printed lines into an [`Mrz`] plus the [`MrzIssue`]s found on the way; only
//! text that is not recognisably an MRZ at all is an error ([`NotAnMrz`]).
//! A border guard needs the partial reading of a damaged or forged zone more than a refusal, so wrong
//! check digits, impossible dates and OCR slips are reported, never silently repaired, and never stop
//! the reading.
//! [`Mrz::emit`] writes an `Mrz` back as lines, for round-trip tests and synthetic test data.
//!
//! Layouts (1-based positions, as in the spec):
//!
//! | format | lines | line 1 | line 2 | line 3 |
//! |---|---|---|---|---|
//! | TD1 (Part 5) | 3×30 | code 1–2, state 3–5, number 6–14, check 15, optional 16–30 | birth 1–6, check 7, sex 8, expiry 9–14, check 15, nationality 16–18, optional 19–29, composite 30 | name |
//! | TD2 (Part 6) | 2×36 | code, state, name 6–36 | number 1–9, check 10, nationality 11–13, birth 14–19, check 20, sex 21, expiry 22–27, check 28, optional 29–35, composite 36 | |
//! | TD3 (Part 4) | 2×44 | code, state, name 6–44 | as TD2 to 28, personal number 29–42, check 43, composite 44 | |
//! | MRV-A (Part 7) | 2×44 | code "V…", state, name 6–44 | as TD2 to 28, optional 29–44, no composite | |
//! | MRV-B (Part 7) | 2×36 | code "V…", state, name 6–36 | as TD2 to 28, optional 29–36, no composite | |

mod check_digit;
mod emit;
#[cfg(test)]
mod tests;

use std::fmt;

use limes_model::{PartialDate, Sex};
use serde::Serialize;
use time::Date;

pub use check_digit::check_digit;
pub use emit::MrzEmitError;

use check_digit::CheckSum;

/// The longest MRZ line (TD3 and MRV-A).
const MAX_LINE: usize = 44;

/// The document layouts of ICAO 9303 Parts 4–7.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MrzFormat {
    /// Identity cards, 3 lines of 30 (Part 5).
    Td1,
    /// Official travel documents, 2 lines of 36 (Part 6).
    Td2,
    /// Passports, 2 lines of 44 (Part 4).
    Td3,
    /// Full-size visas, 2 lines of 44 (Part 7).
    MrvA,
    /// Smaller visas leaving a clear area on the passport page, 2 lines of 36 (Part 7).
    MrvB,
}

impl MrzFormat {
    pub fn line_count(self) -> usize {
        match self {
            MrzFormat::Td1 => 3,
            _ => 2,
        }
    }

    pub fn line_len(self) -> usize {
        match self {
            MrzFormat::Td1 => 30,
            MrzFormat::Td2 | MrzFormat::MrvB => 36,
            MrzFormat::Td3 | MrzFormat::MrvA => 44,
        }
    }

    /// Visas carry no composite check digit (Part 7 §4.2).
    pub fn has_composite(self) -> bool {
        !matches!(self, MrzFormat::MrvA | MrzFormat::MrvB)
    }

    /// Only the passport protects its optional data (the personal number) with a check digit.
    pub fn has_optional_data_check(self) -> bool {
        self == MrzFormat::Td3
    }

    /// How many characters the name field holds.
    pub fn name_len(self) -> usize {
        match self {
            MrzFormat::Td1 => 30,
            _ => self.line_len() - 5,
        }
    }

    /// How many characters the (first) optional data field holds.
    pub fn optional_data_len(self) -> usize {
        match self {
            MrzFormat::Td1 => 15,
            MrzFormat::Td2 => 7,
            MrzFormat::Td3 => 14,
            MrzFormat::MrvA => 16,
            MrzFormat::MrvB => 8,
        }
    }
}

/// One document's MRZ as read: text without fillers, names with their parts joined by one space.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Mrz {
    pub format: MrzFormat,
    /// As printed without fillers: "P", "I", "ID", "V"…
    pub document_type: String,
    /// As printed without fillers: "D" for Germany, "UTO", "XXA"…
    pub issuing_state: String,
    /// Primary identifier; "" when absent.
    pub surname: String,
    /// Secondary identifier; "" when absent.
    pub given_names: String,
    /// Without fillers; a TD1/TD2 long number includes its continuation from the optional data.
    pub document_number: String,
    pub nationality: String,
    /// `None` only when the year cannot be read; unknown month or day are 0.
    pub birth_date: Option<PartialDate>,
    pub sex: Sex,
    pub expiry_date: Option<PartialDate>,
    /// Trailing and leading fillers removed; for TD1/TD2 long numbers, what follows the continuation.
    pub optional_data: String,
    /// TD1 line 2 positions 19–29; `None` in every other format.
    pub optional_data_2: Option<String>,
}

/// The fields an issue can be about; serialised with the names of the CLI contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MrzField {
    DocumentType,
    IssuingState,
    Surname,
    GivenNames,
    DocumentNumber,
    Nationality,
    BirthDate,
    Sex,
    ExpiryDate,
    OptionalData,
    OptionalData2,
    Composite,
}

impl MrzField {
    pub fn as_str(self) -> &'static str {
        match self {
            MrzField::DocumentType => "document_type",
            MrzField::IssuingState => "issuing_state",
            MrzField::Surname => "surname",
            MrzField::GivenNames => "given_names",
            MrzField::DocumentNumber => "document_number",
            MrzField::Nationality => "nationality",
            MrzField::BirthDate => "birth_date",
            MrzField::Sex => "sex",
            MrzField::ExpiryDate => "expiry_date",
            MrzField::OptionalData => "optional_data",
            MrzField::OptionalData2 => "optional_data_2",
            MrzField::Composite => "composite",
        }
    }
}

impl fmt::Display for MrzField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What is wrong with a field. Errors make the document invalid; warnings ask the officer to look.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MrzIssueKind {
    /// Error: the printed check digit differs from the one computed on the printed text.
    CheckDigit,
    /// Error: not a calendar date (month 13, 31 April, a day without a month, unreadable year).
    InvalidDate,
    /// Error: a character outside the field's alphabet that is not a known OCR confusion.
    InvalidCharacter,
    /// Error: a sex other than M, F, X or '<'.
    InvalidValue,
    /// Warning: a character that OCR typically confuses (O/0, I/1, S/5, B/8…) in the wrong kind of
    /// field. Dates are read as the likely digit; check digits still use the printed character.
    OcrConfusion,
    /// Warning: the name fills its field to the last position, so it may have been truncated.
    PossiblyTruncated,
}

impl MrzIssueKind {
    pub fn is_error(self) -> bool {
        !matches!(
            self,
            MrzIssueKind::OcrConfusion | MrzIssueKind::PossiblyTruncated
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            MrzIssueKind::CheckDigit => "check_digit",
            MrzIssueKind::InvalidDate => "invalid_date",
            MrzIssueKind::InvalidCharacter => "invalid_character",
            MrzIssueKind::InvalidValue => "invalid_value",
            MrzIssueKind::OcrConfusion => "ocr_confusion",
            MrzIssueKind::PossiblyTruncated => "possibly_truncated",
        }
    }
}

/// One finding, with the 1-based line and column of the offending character (or of the field).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct MrzIssue {
    pub field: MrzField,
    pub kind: MrzIssueKind,
    pub line: u8,
    pub column: u8,
}

impl MrzIssue {
    pub fn is_error(&self) -> bool {
        self.kind.is_error()
    }
}

/// Whether the check digit protecting `field` passed: `None` when the format has no such check
/// digit (the optional data outside TD3, the composite on visas).
pub fn check_passed(format: MrzFormat, issues: &[MrzIssue], field: MrzField) -> Option<bool> {
    let present = match field {
        MrzField::DocumentNumber | MrzField::BirthDate | MrzField::ExpiryDate => true,
        MrzField::OptionalData => format.has_optional_data_check(),
        MrzField::Composite => format.has_composite(),
        _ => false,
    };
    present.then(|| {
        !issues
            .iter()
            .any(|issue| issue.field == field && issue.kind == MrzIssueKind::CheckDigit)
    })
}

/// Text that cannot be read as an MRZ at all; the message says why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NotAnMrz {
    #[error("no text: expected the 2 or 3 lines of a machine-readable zone")]
    Empty,
    #[error(
        "not an MRZ: expected 3 lines of 30 characters (TD1), or 2 lines of 36 (TD2, MRV-B) or 44 \
         (TD3, MRV-A), got {lines} line(s) of {} characters",
        DisplayLengths(.lengths)
    )]
    Shape {
        lines: usize,
        /// The first few lines' lengths, in characters.
        lengths: Vec<usize>,
    },
    #[error(
        "not an MRZ: {outside} of {total} characters are outside the MRZ alphabet (A-Z, 0-9, '<') \
         or there is no '<' filler at all"
    )]
    Alphabet { outside: usize, total: usize },
}

struct DisplayLengths<'a>(&'a [usize]);

impl fmt::Display for DisplayLengths<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, length) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{length}")?;
        }
        Ok(())
    }
}

/// Reads one document's MRZ.
///
/// Input handling: surrounding whitespace and blank lines are ignored, CRLF and CR line ends are
/// accepted, lower case is read as upper case (the MRZ alphabet has no lower case, so this loses
/// nothing), and a zone pasted as one line of 90, 72 or 88 characters is split into its lines.
/// Whitespace *inside* a line is not removed: it is an invalid character of the field it falls in.
///
/// `today` resolves the birth-date century (never in the future) and comes from the caller's clock.
pub fn parse_mrz(text: &str, today: Date) -> Result<(Mrz, Vec<MrzIssue>), NotAnMrz> {
    let lines = Lines::read(text)?;
    let mut reader = Reader {
        lines: &lines,
        issues: Vec::new(),
    };
    let mrz = reader.parse(today);
    Ok((mrz, reader.issues))
}

/// The zone's lines in fixed buffers: upper-cased ASCII, every non-ASCII character replaced by '?'
/// so that byte positions are character positions and slicing cannot split a character.
struct Lines {
    format: MrzFormat,
    buffers: [[u8; MAX_LINE]; 3],
}

impl Lines {
    fn read(text: &str) -> Result<Self, NotAnMrz> {
        let mut count = 0usize;
        let mut lengths = [0usize; 3];
        let mut firsts: [&str; 3] = [""; 3];
        for line in split_lines(text) {
            if count < 3 {
                firsts[count] = line;
                lengths[count] = char_len(line);
            }
            count += 1;
        }
        if count == 0 {
            return Err(NotAnMrz::Empty);
        }
        let (format_lines, line_len) = match (count, lengths) {
            (3, [30, 30, 30]) => (firsts, 30),
            (2, [36, 36, _]) => (firsts, 36),
            (2, [44, 44, _]) => (firsts, 44),
            // A zone pasted or scanned without line breaks.
            (1, [90, _, _]) => (split_chars(firsts[0], 30), 30),
            (1, [72, _, _]) => (split_chars(firsts[0], 36), 36),
            (1, [88, _, _]) => (split_chars(firsts[0], 44), 44),
            _ => {
                return Err(NotAnMrz::Shape {
                    lines: count,
                    lengths: split_lines(text).take(5).map(char_len).collect(),
                });
            }
        };
        let line_count = if line_len == 30 { 3 } else { 2 };
        let mut buffers = [[b'<'; MAX_LINE]; 3];
        let mut outside = 0usize;
        let mut total = 0usize;
        for (buffer, line) in buffers.iter_mut().zip(format_lines).take(line_count) {
            if line.is_ascii() {
                for (slot, byte) in buffer.iter_mut().zip(line.bytes()) {
                    *slot = byte.to_ascii_uppercase();
                }
            } else {
                for (slot, character) in buffer.iter_mut().zip(line.chars()) {
                    *slot = if character.is_ascii() {
                        (character as u8).to_ascii_uppercase()
                    } else {
                        b'?'
                    };
                }
            }
            for &byte in buffer.iter().take(line_len) {
                total += 1;
                if !is_mrz_char(byte) {
                    outside += 1;
                }
            }
        }
        // A few bad characters are a damaged MRZ worth reading; many are something else, and so is
        // text of the right length without a single filler (every real zone has several).
        let fillers = buffers
            .iter()
            .take(line_count)
            .flatten()
            .any(|&byte| byte == b'<');
        if outside * 10 > total || !fillers {
            return Err(NotAnMrz::Alphabet { outside, total });
        }
        let first = buffers[0][0];
        let format = match (line_len, first) {
            (30, _) => MrzFormat::Td1,
            (36, b'V') => MrzFormat::MrvB,
            (36, _) => MrzFormat::Td2,
            (_, b'V') => MrzFormat::MrvA,
            _ => MrzFormat::Td3,
        };
        Ok(Lines { format, buffers })
    }

    /// Bytes at 1-based `line` and `position`, as in the spec's tables; empty if out of range, which
    /// the fixed layouts never ask for.
    fn at(&self, line: usize, position: usize, len: usize) -> &[u8] {
        let start = position.saturating_sub(1);
        self.buffers
            .get(line.saturating_sub(1))
            .and_then(|buffer| buffer.get(start..start + len))
            .unwrap_or(&[])
    }

    fn byte(&self, line: usize, position: usize) -> u8 {
        self.at(line, position, 1).first().copied().unwrap_or(b'<')
    }
}

/// Non-blank lines, trimmed, for LF, CRLF and CR line ends. Splitting on one `char` at a time lets
/// the standard library use its memchr fast path, which a set of characters would not.
fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n')
        .flat_map(|line| line.split('\r'))
        .map(str::trim)
        .filter(|line| !line.is_empty())
}

fn char_len(line: &str) -> usize {
    if line.is_ascii() {
        line.len()
    } else {
        line.chars().count()
    }
}

/// Splits a one-line zone into lines of `len` characters; the caller checked the total length.
fn split_chars(line: &str, len: usize) -> [&str; 3] {
    let mut parts = [""; 3];
    let mut rest = line;
    for part in parts.iter_mut() {
        let cut = rest
            .char_indices()
            .nth(len)
            .map_or(rest.len(), |(index, _)| index);
        let (head, tail) = rest.split_at(cut);
        *part = head;
        rest = tail;
    }
    parts
}

fn is_mrz_char(byte: u8) -> bool {
    byte.is_ascii_uppercase() || byte.is_ascii_digit() || byte == b'<'
}

/// The digit a letter is typically misread for, for the OCR-confusion warning in numeric fields.
fn confused_digit(byte: u8) -> Option<u8> {
    Some(match byte {
        b'O' | b'Q' | b'D' => b'0',
        b'I' | b'L' => b'1',
        b'Z' => b'2',
        b'S' => b'5',
        b'G' => b'6',
        b'B' => b'8',
        _ => return None,
    })
}

/// Words separated by '<' (runs of fillers count once), joined by one space; leading and trailing
/// fillers dropped.
fn words(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    let mut gap = false;
    for &byte in bytes {
        if byte == b'<' {
            gap = true;
            continue;
        }
        if gap && !out.is_empty() {
            out.push(' ');
        }
        gap = false;
        out.push(char::from(byte));
    }
    out
}

/// The field without leading and trailing fillers; inner fillers stay as printed.
fn trim_fillers(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|&b| b != b'<').unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|&b| b != b'<')
        .map_or(start, |i| i + 1);
    bytes.get(start..end).unwrap_or(&[])
}

fn text(bytes: &[u8]) -> String {
    // The buffers hold ASCII only, so this never falls back to the empty string.
    std::str::from_utf8(trim_fillers(bytes))
        .map(str::to_owned)
        .unwrap_or_default()
}

#[derive(Clone, Copy)]
enum DateKind {
    Birth,
    Expiry,
}

/// The character classes a field may hold.
#[derive(Clone, Copy)]
enum Alphabet {
    /// Names and country codes: letters and '<'; a digit there is an OCR slip.
    Letters,
    /// Document numbers, document codes and optional data.
    Alphanumeric,
}

struct Reader<'a> {
    lines: &'a Lines,
    issues: Vec<MrzIssue>,
}

impl Reader<'_> {
    fn issue(&mut self, field: MrzField, kind: MrzIssueKind, line: usize, column: usize) {
        let issue = MrzIssue {
            field,
            kind,
            line: u8::try_from(line).unwrap_or(u8::MAX),
            column: u8::try_from(column).unwrap_or(u8::MAX),
        };
        if !self.issues.contains(&issue) {
            self.issues.push(issue);
        }
    }

    fn parse(&mut self, today: Date) -> Mrz {
        let format = self.lines.format;
        let lines = self.lines;
        let document_type =
            self.text_field(MrzField::DocumentType, Alphabet::Alphanumeric, 1, 1, 2);
        if !lines.byte(1, 1).is_ascii_uppercase() {
            self.issue(MrzField::DocumentType, MrzIssueKind::InvalidCharacter, 1, 1);
        }
        let issuing_state = self.text_field(MrzField::IssuingState, Alphabet::Letters, 1, 3, 3);
        let (name_line, name_position) = match format {
            MrzFormat::Td1 => (3, 1),
            _ => (1, 6),
        };
        let (surname, given_names) = self.name(name_line, name_position, format.name_len());

        // Line 2 of TD2, TD3 and both visas shares positions 1–28; TD1 moves the number to line 1.
        let (number_line, number_position, optional_line, optional_position) = match format {
            MrzFormat::Td1 => (1, 6, 1, 16),
            _ => (2, 1, 2, 29),
        };
        let (birth_line, birth_position, sex_position, expiry_position, nationality_line, nat_pos) =
            match format {
                MrzFormat::Td1 => (2, 1, 8, 9, 2, 16),
                _ => (2, 14, 21, 22, 2, 11),
            };
        let optional_len = format.optional_data_len();
        let optional = lines.at(optional_line, optional_position, optional_len);
        self.characters(
            MrzField::OptionalData,
            Alphabet::Alphanumeric,
            optional_line,
            optional_position,
            optional,
        );
        let (document_number, optional_data) = self.document_number(
            number_line,
            number_position,
            optional,
            matches!(format, MrzFormat::Td1 | MrzFormat::Td2),
        );
        let nationality = self.text_field(
            MrzField::Nationality,
            Alphabet::Letters,
            nationality_line,
            nat_pos,
            3,
        );
        let birth_date = self.date(
            MrzField::BirthDate,
            DateKind::Birth,
            birth_line,
            birth_position,
            today,
        );
        let sex = self.sex(birth_line, sex_position);
        let expiry_date = self.date(
            MrzField::ExpiryDate,
            DateKind::Expiry,
            birth_line,
            expiry_position,
            today,
        );

        let optional_data_2 = if format == MrzFormat::Td1 {
            Some(self.text_field(MrzField::OptionalData2, Alphabet::Alphanumeric, 2, 19, 11))
        } else {
            None
        };
        if format.has_optional_data_check() {
            let data = lines.at(2, 29, 14);
            let printed = lines.byte(2, 43);
            // Part 4 §4.2.2 note: an unused personal number may carry '<' as its check digit.
            let empty_ok = printed == b'<' && data.iter().all(|&b| b == b'<');
            if !empty_ok {
                self.check(
                    MrzField::OptionalData,
                    CheckSum::default().feed(data),
                    2,
                    43,
                );
            }
        }
        match format {
            MrzFormat::Td1 => {
                let sum = CheckSum::default()
                    .feed(lines.at(1, 6, 25))
                    .feed(lines.at(2, 1, 7))
                    .feed(lines.at(2, 9, 7))
                    .feed(lines.at(2, 19, 11));
                self.check(MrzField::Composite, sum, 2, 30);
            }
            MrzFormat::Td2 => {
                let sum = CheckSum::default()
                    .feed(lines.at(2, 1, 10))
                    .feed(lines.at(2, 14, 7))
                    .feed(lines.at(2, 22, 14));
                self.check(MrzField::Composite, sum, 2, 36);
            }
            MrzFormat::Td3 => {
                let sum = CheckSum::default()
                    .feed(lines.at(2, 1, 10))
                    .feed(lines.at(2, 14, 7))
                    .feed(lines.at(2, 22, 22));
                self.check(MrzField::Composite, sum, 2, 44);
            }
            MrzFormat::MrvA | MrzFormat::MrvB => {}
        }
        self.issues
            .sort_by_key(|issue| (issue.line, issue.column, issue.field as u8));

        Mrz {
            format,
            document_type,
            issuing_state,
            surname,
            given_names,
            document_number,
            nationality,
            birth_date,
            sex,
            expiry_date,
            optional_data,
            optional_data_2,
        }
    }

    /// Reports characters outside `alphabet`: digits among letters (and the reverse is impossible
    /// to tell) as OCR confusions, anything else as invalid.
    fn characters(
        &mut self,
        field: MrzField,
        alphabet: Alphabet,
        line: usize,
        position: usize,
        bytes: &[u8],
    ) {
        for (offset, &byte) in bytes.iter().enumerate() {
            let kind = match (alphabet, byte) {
                (_, b'A'..=b'Z' | b'<') => continue,
                (Alphabet::Alphanumeric, b'0'..=b'9') => continue,
                (Alphabet::Letters, b'0'..=b'9') => MrzIssueKind::OcrConfusion,
                _ => MrzIssueKind::InvalidCharacter,
            };
            self.issue(field, kind, line, position + offset);
        }
    }

    fn text_field(
        &mut self,
        field: MrzField,
        alphabet: Alphabet,
        line: usize,
        position: usize,
        len: usize,
    ) -> String {
        let bytes = self.lines.at(line, position, len);
        self.characters(field, alphabet, line, position, bytes);
        text(bytes)
    }

    /// ICAO 9303-3 §4.6: surname, "<<", given names; '<' between the parts of each.
    fn name(&mut self, line: usize, position: usize, len: usize) -> (String, String) {
        let bytes = self.lines.at(line, position, len);
        let split = bytes.windows(2).position(|pair| pair == b"<<");
        let (surname_bytes, given_bytes, given_position) = match split {
            Some(at) => (
                bytes.get(..at).unwrap_or(&[]),
                bytes.get(at + 2..).unwrap_or(&[]),
                position + at + 2,
            ),
            None => (bytes, &[][..], position + len),
        };
        self.characters(
            MrzField::Surname,
            Alphabet::Letters,
            line,
            position,
            surname_bytes,
        );
        self.characters(
            MrzField::GivenNames,
            Alphabet::Letters,
            line,
            given_position,
            given_bytes,
        );
        let surname = words(surname_bytes);
        let given_names = words(given_bytes);
        if bytes.last().is_some_and(|&b| b != b'<') {
            let field = if given_names.is_empty() {
                MrzField::Surname
            } else {
                MrzField::GivenNames
            };
            self.issue(
                field,
                MrzIssueKind::PossiblyTruncated,
                line,
                position + len - 1,
            );
        }
        (surname, given_names)
    }

    /// The document number and what remains of the optional data.
    ///
    /// TD1 (Part 5 §4.2.2 note j) and TD2 (Part 6 note j) numbers longer than 9 characters put '<'
    /// in the check-digit position and continue in the optional data, ending with the check digit
    /// computed over the whole number without the '<'.
    fn document_number(
        &mut self,
        line: usize,
        position: usize,
        optional: &[u8],
        may_continue: bool,
    ) -> (String, String) {
        let lines = self.lines;
        let head = lines.at(line, position, 9);
        self.characters(
            MrzField::DocumentNumber,
            Alphabet::Alphanumeric,
            line,
            position,
            head,
        );
        let printed = lines.byte(line, position + 9);
        if may_continue && printed == b'<' && optional.first().is_some_and(|&b| b != b'<') {
            let end = optional
                .iter()
                .position(|&b| b == b'<')
                .unwrap_or(optional.len());
            let (tail, check) = match end {
                0 => (&[][..], b'<'),
                _ => (
                    optional.get(..end - 1).unwrap_or(&[]),
                    optional.get(end - 1).copied().unwrap_or(b'<'),
                ),
            };
            let optional_position = match line {
                1 => 16,
                _ => 29,
            };
            let sum = CheckSum::default().feed(head).feed(tail);
            self.compare(
                MrzField::DocumentNumber,
                sum.digit(),
                check,
                line,
                optional_position + end.saturating_sub(1),
            );
            let mut number = String::with_capacity(head.len() + tail.len());
            number.extend(head.iter().chain(tail).map(|&byte| char::from(byte)));
            let rest = optional.get(end..).unwrap_or(&[]);
            return (number, text(rest));
        }
        self.check(
            MrzField::DocumentNumber,
            CheckSum::default().feed(head),
            line,
            position + 9,
        );
        (text(head), text(optional))
    }

    /// Compares the check digit printed at (`line`, `position`) with the one computed on `sum`.
    fn check(&mut self, field: MrzField, sum: CheckSum, line: usize, position: usize) {
        let printed = self.lines.byte(line, position);
        self.compare(field, sum.digit(), printed, line, position);
    }

    fn compare(
        &mut self,
        field: MrzField,
        computed: u8,
        printed: u8,
        line: usize,
        position: usize,
    ) {
        if printed.is_ascii_digit() || printed == b'<' {
            if printed != computed {
                self.issue(field, MrzIssueKind::CheckDigit, line, position);
            }
            return;
        }
        // A letter where a digit belongs is never a match: check digits are compared as printed.
        let kind = if confused_digit(printed).is_some() {
            MrzIssueKind::OcrConfusion
        } else {
            MrzIssueKind::InvalidCharacter
        };
        self.issue(field, kind, line, position);
        self.issue(field, MrzIssueKind::CheckDigit, line, position);
    }

    fn sex(&mut self, line: usize, position: usize) -> Sex {
        match self.lines.byte(line, position) {
            b'M' => Sex::M,
            b'F' => Sex::F,
            // Part 4 §4.2.2: '<' is "unspecified"; 9303 8th edition and many states print X.
            b'X' | b'<' => Sex::X,
            _ => {
                self.issue(MrzField::Sex, MrzIssueKind::InvalidValue, line, position);
                Sex::X
            }
        }
    }

    /// YYMMDD with its check digit in the next position. '<<' (and 00) mark an unknown month or day
    /// (Part 3 §4.6.2 / national practice); the check digit is verified on the printed text.
    fn date(
        &mut self,
        field: MrzField,
        kind: DateKind,
        line: usize,
        position: usize,
        today: Date,
    ) -> Option<PartialDate> {
        let bytes = self.lines.at(line, position, 6);
        self.check(field, CheckSum::default().feed(bytes), line, position + 6);
        let mut parts = [0u8; 3];
        let mut known = [true; 3];
        let mut readable = true;
        for (index, pair) in bytes.chunks_exact(2).enumerate() {
            let column = position + 2 * index;
            match pair {
                [b'<', b'<'] => known[index] = false,
                [high, low] => {
                    let high = self.digit(field, *high, line, column);
                    let low = self.digit(field, *low, line, column + 1);
                    match (high, low) {
                        (Some(high), Some(low)) => parts[index] = 10 * high + low,
                        _ => readable = false,
                    }
                }
                _ => readable = false,
            }
        }
        let [yy, month, day] = parts;
        if !readable || !known[0] {
            self.issue(field, MrzIssueKind::InvalidDate, line, position);
            return None;
        }
        let month = if known[1] { month } else { 0 };
        let day = if known[2] { day } else { 0 };
        let year = match kind {
            DateKind::Expiry => 2000 + u16::from(yy),
            DateKind::Birth => {
                let this_year = today.year();
                let candidate = 2000 + i32::from(yy);
                let today_md = (u8::from(today.month()), today.day());
                // Never in the future: a 20YY birth date after today belongs to the last century.
                if candidate > this_year || (candidate == this_year && (month, day) > today_md) {
                    1900 + u16::from(yy)
                } else {
                    2000 + u16::from(yy)
                }
            }
        };
        match PartialDate::new(year, month, day) {
            Ok(date) => Some(date),
            Err(_) => {
                self.issue(field, MrzIssueKind::InvalidDate, line, position);
                None
            }
        }
    }

    /// A digit of a numeric field; a confusable letter is read as its digit with a warning.
    fn digit(&mut self, field: MrzField, byte: u8, line: usize, column: usize) -> Option<u8> {
        if byte.is_ascii_digit() {
            return Some(byte - b'0');
        }
        match confused_digit(byte) {
            Some(digit) => {
                self.issue(field, MrzIssueKind::OcrConfusion, line, column);
                Some(digit - b'0')
            }
            None => {
                self.issue(field, MrzIssueKind::InvalidCharacter, line, column);
                None
            }
        }
    }
}
