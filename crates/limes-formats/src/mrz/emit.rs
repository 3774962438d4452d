//! Writing an [`Mrz`] back as its printed lines, with every check digit computed.
//!
//! Used for round-trip tests and to generate synthetic documents quickly (the border-check benchmark
//! needs millions); it writes into fixed buffers and allocates only the output string.

use limes_model::{PartialDate, Sex};

use super::check_digit::CheckSum;
use super::{MAX_LINE, Mrz, MrzField, MrzFormat};

/// A field that the layout cannot hold.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MrzEmitError {
    #[error("{field} has {len} characters where the {format:?} layout holds {max}")]
    TooLong {
        field: MrzField,
        format: MrzFormat,
        len: usize,
        max: usize,
    },
    #[error("{field} holds {character:?}, which the MRZ alphabet cannot write")]
    InvalidCharacter { field: MrzField, character: char },
}

impl Mrz {
    /// The zone as lines joined by '\n' (no trailing newline).
    ///
    /// Names are written ICAO-style (spaces and hyphens become '<', apostrophes are dropped) and cut
    /// at the end of the name field if too long; the other fields are refused if they do not fit.
    /// Sex X is written '<' as Part 4 prescribes; an unknown month or day as '<<'.
    /// TD1 and TD2 document numbers longer than 9 characters continue in the optional data.
    pub fn emit(&self) -> Result<String, MrzEmitError> {
        let mut out = String::with_capacity(3 * 31);
        self.emit_into(&mut out)?;
        Ok(out)
    }

    /// As [`Mrz::emit`], appending to `out` so that a generator can reuse one buffer.
    pub fn emit_into(&self, out: &mut String) -> Result<(), MrzEmitError> {
        let format = self.format;
        let mut zone = Zone {
            format,
            buffers: [[b'<'; MAX_LINE]; 3],
        };
        zone.code(MrzField::DocumentType, &self.document_type, 1, 1, 2)?;
        zone.code(MrzField::IssuingState, &self.issuing_state, 1, 3, 3)?;
        let (name_line, name_position) = match format {
            MrzFormat::Td1 => (3, 1),
            _ => (1, 6),
        };
        zone.name(
            &self.surname,
            &self.given_names,
            name_line,
            name_position,
            format.name_len(),
        )?;

        let (number_line, number_position, optional_line, optional_position) = match format {
            MrzFormat::Td1 => (1, 6, 1, 16),
            _ => (2, 1, 2, 29),
        };
        let (nationality_position, birth_position, sex_position, expiry_position) = match format {
            MrzFormat::Td1 => (16, 1, 8, 9),
            _ => (11, 14, 21, 22),
        };
        let optional_len = format.optional_data_len();
        let number = self.document_number.as_bytes();
        check_alphabet(MrzField::DocumentNumber, &self.document_number, false)?;
        check_alphabet(MrzField::OptionalData, &self.optional_data, true)?;
        let optional = self.optional_data.as_bytes();
        match number.split_at_checked(9) {
            Some((head, tail))
                if !tail.is_empty() && matches!(format, MrzFormat::Td1 | MrzFormat::Td2) =>
            {
                // Part 5 note j / Part 6 note j: '<' in the check position, the rest of the number
                // and its check digit first in the optional data, then a filler.
                let separator = usize::from(!optional.is_empty());
                let needed = tail.len() + 1 + separator + optional.len();
                if needed > optional_len {
                    return Err(MrzEmitError::TooLong {
                        field: MrzField::DocumentNumber,
                        format,
                        len: number.len(),
                        max: 9 + optional_len - 1 - separator - optional.len(),
                    });
                }
                zone.put(number_line, number_position, head);
                zone.put(optional_line, optional_position, tail);
                let check = CheckSum::default().feed(number).digit();
                zone.put(optional_line, optional_position + tail.len(), &[check]);
                zone.put(
                    optional_line,
                    optional_position + tail.len() + 1 + separator,
                    optional,
                );
            }
            _ => {
                zone.fits(MrzField::DocumentNumber, number.len(), 9)?;
                zone.fits(MrzField::OptionalData, optional.len(), optional_len)?;
                zone.put(number_line, number_position, number);
                zone.check(number_line, number_position, 9);
                zone.put(optional_line, optional_position, optional);
            }
        }
        zone.code(
            MrzField::Nationality,
            &self.nationality,
            2,
            nationality_position,
            3,
        )?;
        zone.date(self.birth_date, 2, birth_position);
        zone.put(
            2,
            sex_position,
            &[match self.sex {
                Sex::M => b'M',
                Sex::F => b'F',
                Sex::X => b'<',
            }],
        );
        zone.date(self.expiry_date, 2, expiry_position);

        match format {
            MrzFormat::Td1 => {
                if let Some(optional_2) = &self.optional_data_2 {
                    zone.code(MrzField::OptionalData2, optional_2, 2, 19, 11)?;
                }
                let sum = CheckSum::default()
                    .feed(zone.at(1, 6, 25))
                    .feed(zone.at(2, 1, 7))
                    .feed(zone.at(2, 9, 7))
                    .feed(zone.at(2, 19, 11));
                zone.put(2, 30, &[sum.digit()]);
            }
            MrzFormat::Td2 => {
                let sum = CheckSum::default()
                    .feed(zone.at(2, 1, 10))
                    .feed(zone.at(2, 14, 7))
                    .feed(zone.at(2, 22, 14));
                zone.put(2, 36, &[sum.digit()]);
            }
            MrzFormat::Td3 => {
                // Part 4: an unused personal number may take '<' as its check digit.
                if !optional.is_empty() {
                    zone.check(2, 29, 14);
                }
                let sum = CheckSum::default()
                    .feed(zone.at(2, 1, 10))
                    .feed(zone.at(2, 14, 7))
                    .feed(zone.at(2, 22, 22));
                zone.put(2, 44, &[sum.digit()]);
            }
            MrzFormat::MrvA | MrzFormat::MrvB => {}
        }

        let line_len = format.line_len();
        for (index, buffer) in zone.buffers.iter().take(format.line_count()).enumerate() {
            if index > 0 {
                out.push('\n');
            }
            out.extend(buffer.iter().take(line_len).map(|&byte| char::from(byte)));
        }
        Ok(())
    }
}

fn check_alphabet(field: MrzField, value: &str, fillers: bool) -> Result<(), MrzEmitError> {
    match value
        .chars()
        .find(|&c| !(c.is_ascii_uppercase() || c.is_ascii_digit() || (fillers && c == '<')))
    {
        Some(character) => Err(MrzEmitError::InvalidCharacter { field, character }),
        None => Ok(()),
    }
}

struct Zone {
    format: MrzFormat,
    buffers: [[u8; MAX_LINE]; 3],
}

impl Zone {
    fn at(&self, line: usize, position: usize, len: usize) -> &[u8] {
        let start = position.saturating_sub(1);
        self.buffers
            .get(line.saturating_sub(1))
            .and_then(|buffer| buffer.get(start..start + len))
            .unwrap_or(&[])
    }

    /// Writes `bytes` at the 1-based position; callers checked the length, and anything past the
    /// buffer is dropped rather than panicking.
    fn put(&mut self, line: usize, position: usize, bytes: &[u8]) {
        if let Some(buffer) = self.buffers.get_mut(line.saturating_sub(1)) {
            let start = position.saturating_sub(1);
            for (slot, &byte) in buffer.iter_mut().skip(start).zip(bytes) {
                *slot = byte;
            }
        }
    }

    fn fits(&self, field: MrzField, len: usize, max: usize) -> Result<(), MrzEmitError> {
        if len > max {
            return Err(MrzEmitError::TooLong {
                field,
                format: self.format,
                len,
                max,
            });
        }
        Ok(())
    }

    /// Writes the check digit of the `len` characters at `position` right after them.
    fn check(&mut self, line: usize, position: usize, len: usize) {
        let digit = CheckSum::default()
            .feed(self.at(line, position, len))
            .digit();
        self.put(line, position + len, &[digit]);
    }

    fn code(
        &mut self,
        field: MrzField,
        value: &str,
        line: usize,
        position: usize,
        max: usize,
    ) -> Result<(), MrzEmitError> {
        check_alphabet(field, value, true)?;
        self.fits(field, value.len(), max)?;
        self.put(line, position, value.as_bytes());
        Ok(())
    }

    fn date(&mut self, date: Option<PartialDate>, line: usize, position: usize) {
        let mut text = [b'<'; 6];
        if let Some(date) = date {
            let parts = [
                date.year() % 100,
                u16::from(date.month()),
                u16::from(date.day()),
            ];
            for (index, (part, slot)) in parts.iter().zip(text.chunks_exact_mut(2)).enumerate() {
                // Year always written; month or day 0 means unknown, written as fillers.
                if index == 0 || *part != 0 {
                    let tens = (part / 10) as u8;
                    let units = (part % 10) as u8;
                    slot.copy_from_slice(&[b'0' + tens, b'0' + units]);
                }
            }
        }
        self.put(line, position, &text);
        self.check(line, position, 6);
    }

    /// ICAO 9303-3 §4.6: surname, '<<', given names, each part separated by one '<'.
    fn name(
        &mut self,
        surname: &str,
        given_names: &str,
        line: usize,
        position: usize,
        len: usize,
    ) -> Result<(), MrzEmitError> {
        let mut field = [b'<'; MAX_LINE];
        let mut used = 0usize;
        let mut push = |byte: u8| {
            if let Some(slot) = field.get_mut(used)
                && used < len
            {
                *slot = byte;
                used += 1;
            }
        };
        write_name_part(MrzField::Surname, surname, &mut push)?;
        if !given_names.trim().is_empty() {
            push(b'<');
            push(b'<');
            write_name_part(MrzField::GivenNames, given_names, &mut push)?;
        }
        self.put(line, position, field.get(..len).unwrap_or(&[]));
        Ok(())
    }
}

fn write_name_part(
    field: MrzField,
    value: &str,
    push: &mut impl FnMut(u8),
) -> Result<(), MrzEmitError> {
    let mut gap = false;
    let mut started = false;
    for character in value.chars() {
        match character {
            'A'..='Z' | 'a'..='z' => {
                if gap && started {
                    push(b'<');
                }
                gap = false;
                started = true;
                push(character.to_ascii_uppercase() as u8);
            }
            ' ' | '-' | '<' => gap = true,
            '\'' => {}
            _ => return Err(MrzEmitError::InvalidCharacter { field, character }),
        }
    }
    Ok(())
}
