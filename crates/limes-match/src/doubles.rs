//! Gallery doubles: records that no matcher can tell from a probe, because they carry the same
//! name (the same spellings, in any order) and a birth date that agrees on everything both
//! records know.
//!
//! Why an evaluation needs them: a probe with no true match that has such a double in the gallery
//! hits, and ought to, since the same evidence on a true match is a hit. How many no-match probes
//! have one depends on how concentrated a culture's names are (NGUYEN THỊ HÀ has many namesakes,
//! some recorded with the year alone), not on the matcher. A culture's false-hit rate therefore
//! mixes two things a reviewer should see apart: the doubles, and the false hits the matcher
//! could have avoided.

use std::collections::HashMap;

use limes_model::{Identity, PartialDate};

use crate::compare::{DateKind, NameForm, Prepared, compare_dates};

/// Gallery records by name, to find a probe's namesakes and doubles.
pub struct Doubles<'g> {
    by_name: HashMap<u64, Vec<&'g Identity>>,
}

/// A record's name as the matcher reads it: the key under which the index counts its first
/// written form's carriers ([`crate::index::whole_name_key`]: its skeletons, order ignored).
fn name_key(identity: &Identity) -> u64 {
    let prepared = Prepared::new(identity);
    crate::index::whole_name_key(prepared.names.first().unwrap_or(&NameForm::default()))
}

/// Whether two birth dates agree on every part both know (a missing date agrees with any).
fn consistent(a: Option<PartialDate>, b: Option<PartialDate>) -> bool {
    matches!(
        compare_dates(a, b),
        DateKind::Exact | DateKind::Partial(_) | DateKind::Missing
    )
}

impl<'g> Doubles<'g> {
    pub fn new(gallery: &'g [Identity]) -> Self {
        let mut by_name: HashMap<u64, Vec<&'g Identity>> = HashMap::new();
        for identity in gallery {
            by_name
                .entry(name_key(identity))
                .or_default()
                .push(identity);
        }
        Self { by_name }
    }

    /// How many gallery records carry `identity`'s name.
    pub fn namesakes(&self, identity: &Identity) -> usize {
        self.by_name.get(&name_key(identity)).map_or(0, Vec::len)
    }

    /// Whether a gallery record other than the one with id `except` carries `identity`'s name
    /// and a consistent birth date.
    pub fn has_double(&self, identity: &Identity, except: Option<&str>) -> bool {
        self.by_name
            .get(&name_key(identity))
            .into_iter()
            .flatten()
            .any(|g| Some(g.id.as_str()) != except && consistent(g.birth_date, identity.birth_date))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::tests::person;

    #[test]
    fn a_double_has_the_name_and_a_date_that_cannot_tell_them_apart() {
        let gallery = vec![
            person("G1", "Nguyễn", "Thị Hà", "1946-00-00"),
            person("G2", "Nguyen", "Thi Ha", "1971-03-02"),
            person("G3", "Nguyễn", "Thị Hạnh", "1946-11-29"),
        ];
        let doubles = Doubles::new(&gallery);
        let probe = person("P1", "NGUYEN", "THI HA", "1946-11-29");
        // G1 (year alone) is a double; G2 (another date) a namesake; G3 another name.
        assert_eq!(doubles.namesakes(&probe), 2);
        assert!(doubles.has_double(&probe, None));
        assert!(!doubles.has_double(&probe, Some("G1")));
        // Order is not trusted: the swapped name is the same name.
        let swapped = person("P2", "Thi Ha", "Nguyen", "1946-05-01");
        assert!(doubles.has_double(&swapped, None));
        let other_year = person("P3", "Nguyen", "Thi Ha", "1950-11-29");
        assert!(!doubles.has_double(&other_year, None));
    }
}
