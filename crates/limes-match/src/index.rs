//! The in-memory candidate index: blocking keys over sound keys of name tokens, birth years and
//! document numbers, so a probe is compared with a few hundred candidates, not the whole gallery.
//!
//! Layout, chosen for 10 M identities in a few GiB:
//! - records live in arenas (one `Vec<u8>` for names, ids and documents, `u64` offsets), not as
//!   one heap object per person;
//! - postings are a frozen CSR block (sorted `u64` keys, `u32` offsets, `u32` handles) built in one
//!   sort by [`Index::build`], plus a small delta map for incremental [`Index::insert`]s, folded in by
//!   [`Index::compact`];
//! - [`Index::remove`] marks a tombstone in a roaring bitmap; stale postings are skipped and
//!   dropped at the next compaction.
//!
//! Blocking keys per name form (main name and each alias), with `p` the sound key of a token:
//! `T(p)`, `T(p, birth year or 0)`, `P(p1, p2)` and `P(p1, p2, birth year)` for unordered token
//! pairs (order swaps and missing middle names keep at least one pair), and `D(document)`.
//! A probe looks up its keys with years y−1..y+1 (year slips) and the most selective keys first,
//! skipping keys whose postings exceed a cap (a common name alone selects nothing).

use std::collections::HashMap;

use limes_model::{Identity, PartialDate, Sex};
use roaring::RoaringBitmap;

use crate::compare::{NameForm, Prepared, Token, compare_dates};
use crate::score::{Comparison, NameFrequency, TYPICAL_TOKEN_SHARE, compare_prepared_at};

/// The most records of a tie group at the `max_scored` cut that are read to order it. Each is a
/// cache miss or two in a 10 M gallery's arena: at 1,024 the batch rate at 10 M fell from 7,336
/// to 5,654 probes/s (p99 0.52 → 0.83 ms) for recall 0.9892 on the independent 100k set; at 256
/// it is 6,724 probes/s (p99 0.64 ms) for 0.9888 (0.9878 without the tie-break).
const TIE_LIMIT: usize = 256;
/// The strongest tie group ([`KeyKind::strength`] summed) the tie-break orders.
const TIE_MAX_STRENGTH: u32 = 2;
/// Probe spellings compared by the tie-break (main name first, then aliases).
const MAX_LIKENESS_TOKENS: usize = 6;

/// What [`Records::walk_names`] meets in the arena: a name form with its token count, then its
/// tokens (flag byte: bit 0 surname, bits 1-7 the name table's group).
enum Stored<'a> {
    Form(usize),
    Token {
        flags: u8,
        folded: &'a [u8],
        skeleton: &'a [u8],
        phonetic: &'a [u8],
    },
}

/// A gallery record's position in the index.
pub type Handle = u32;

/// Tuning of the candidate search.
#[derive(Clone, Debug)]
pub struct IndexConfig {
    /// Postings longer than this are not read for a probe (the key is not selective).
    pub max_postings_per_key: usize,
    /// Stop collecting candidates once this many postings were read.
    pub candidate_budget: usize,
    /// At most this many candidates (those sharing the most keys with the probe) are scored.
    pub max_scored: usize,
    /// Name forms contribute keys for at most this many tokens each.
    pub max_key_tokens: usize,
}

impl Default for IndexConfig {
    fn default() -> Self {
        Self {
            max_postings_per_key: 4000,
            candidate_budget: 2000,
            max_scored: 80,
            max_key_tokens: 5,
        }
    }
}

/// Options of one screening request.
#[derive(Clone, Debug)]
pub struct ScreenOptions {
    /// Calibrated probability at or above which a candidate is a hit.
    pub threshold: f64,
    pub max_hits: usize,
    /// Keep per-field evidence on each hit.
    pub explain: bool,
}

/// Default hit threshold: a hit is a candidate that is the probe's person with probability 0.25
/// or more.
///
/// Chosen to keep recall high, as a screening hit is a prompt to look closer, not a decision:
/// missing a wanted person costs more than an officer's second look. The score is calibrated (on
/// generated multicultural data, pairs scored 0.2–0.3 were the same person 21 % of the time,
/// 0.4–0.5 42 %, 0.7–0.8 75 %), so the threshold can be explained. Measured with 0.25 on
/// `eval_debug`-generated data: 60,000 identities, 2 variants, seed 1: recall 0.986, false hits
/// on no-match probes 1.3 %; 100,000, seed 2: recall 0.982 at 1.7 %. At 0.5 recall drops to
/// 0.975 / 0.966 for 0.8 % / 1.0 % false hits. Deployments that want fewer hits raise it per
/// use (the border check reads its own `person_hit_threshold`).
pub const DEFAULT_THRESHOLD: f64 = 0.25;

impl Default for ScreenOptions {
    fn default() -> Self {
        Self {
            threshold: DEFAULT_THRESHOLD,
            max_hits: 10,
            explain: false,
        }
    }
}

/// One screening hit.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub id: String,
    pub handle: Handle,
    pub score: f64,
    /// Present when [`ScreenOptions::explain`] was set.
    pub explanation: Option<Comparison>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IndexError {
    #[error("identity {0:?} is already in the index")]
    Duplicate(String),
    #[error("the index is full ({0} records)")]
    Full(usize),
}

fn fnv(seed: u64, bytes: &[u8]) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64 ^ seed.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    // Final avalanche so that the top bits (used to partition the build) are well spread.
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h
}

fn token_key(phon: &str) -> u64 {
    fnv(1, phon.as_bytes())
}
fn token_year_key(phon: u64, year: u16) -> u64 {
    fnv(
        2,
        &[phon.to_le_bytes().as_slice(), &year.to_le_bytes()].concat(),
    )
}
fn pair_key(a: u64, b: u64) -> u64 {
    let (x, y) = if a <= b { (a, b) } else { (b, a) };
    fnv(3, &[x.to_le_bytes(), y.to_le_bytes()].concat())
}
fn pair_year_key(pair: u64, year: u16) -> u64 {
    fnv(
        4,
        &[pair.to_le_bytes().as_slice(), &year.to_le_bytes()].concat(),
    )
}
/// A token's first letter with a complete birth date: finds the same person when every name part
/// has a typo past its first letter (LODGW JOE / LODGE JOEL) or the only correct part is too
/// common to be read (DAROWSKA ANNA / DABROWSKA ANNA). About N / 25,000 / 15 postings per key.
fn initial_date_key(initial: u8, date: u32) -> u64 {
    fnv(8, &[&[initial][..], &date.to_le_bytes()].concat())
}
fn doc_key(doc: &str) -> u64 {
    fnv(5, doc.as_bytes())
}
fn id_hash(id: &str) -> u64 {
    fnv(6, id.as_bytes())
}

/// Which kind of blocking key, for choosing what to read first.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum KeyKind {
    Document,
    PairYear,
    InitialDate,
    TokenYear,
    Pair,
    Token,
}

/// Blocking keys of one token: every sound key (token keys), and the primary and fully
/// alternative readings (pair keys, to keep pairs at most 2 × 2 per token pair).
struct TokenKeys {
    all: Vec<u64>,
    pair: Vec<u64>,
    initial: Option<u8>,
}

/// `joined_pairs`: whether a name part written in several tokens also forms pair keys as one
/// (probe side only: the gallery keys it as written, and a probe that split what the gallery
/// joined, WU SHU-T'AO / WU SHUTAO, must still meet the pair WU + SHUTAO when WU alone is too
/// common to read).
fn token_keys(form: &NameForm, max: usize, joined_pairs: bool) -> Vec<TokenKeys> {
    let mut seen: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for token in form.tokens.iter().filter(|t| t.folded.len() > 1) {
        if out.len() >= max {
            break;
        }
        // One entry per spelling: two different names may share a sound key (SAYED and SOUAD
        // both read ST), and the pair of them is the only selective key such a name has.
        if seen.contains(&token.skeleton.as_str()) {
            continue;
        }
        seen.push(&token.skeleton);
        let mut all: Vec<u64> = token.sound_keys().map(token_key).collect();
        let mut pair: Vec<u64> = all.iter().take(2).copied().collect();
        // The Arabic article written onto the name (ALMASRI): the normaliser drops it when it
        // stands apart (AL-MASRI, EL MASRI → MASRI), so the joined spelling is keyed without it
        // as well, as the comparator reads it.
        let article = crate::compare::without_attached_particles(&token.folded, false).next();
        if let Some(rest) = article {
            add_reading(rest, token.surname, &mut all, Some(&mut pair));
        }
        // A particle written onto a surname (DELACRUZ, BENALI): the probe also looks up the
        // rest, as the comparator reads it (probe side only; the gallery keys AL/EL above).
        if joined_pairs && token.surname {
            // Rests of four letters or more: DEMIR must not look up every MIR.
            for rest in crate::compare::without_attached_particles(&token.folded, true)
                .filter(|&rest| rest.len() >= 4 && Some(rest) != article)
            {
                add_reading(rest, token.surname, &mut all, None);
            }
        }
        // Ukrainian H for Russian G (HONCHARENKO / GONCHARENKO): the comparator reads it as
        // sounding alike, so a probe also looks it up the Russian way. Probe side only, so
        // that the gallery's index does not grow by a key for every H.
        if joined_pairs
            && token.folded.len() >= 5
            && let Some(reading) = crate::normalize::cyrillic_g_reading(&token.folded)
        {
            add_reading(&reading, token.surname, &mut all, Some(&mut pair));
        }
        // Greek stops written letter by letter (MPOZIKIS / BOZIKIS): on both sides when the
        // name starts with one (almost only Greek names do), on the probe side when one is
        // inside (LAMPROS / LAMBROS; English names have MP and NT too: CAMPBELL, HUNTER). Only
        // the letter-by-letter spelling is read: a spoken one (ZHANG, LAMBERT) would only add
        // keys nobody else has.
        if token.folded.len() >= 5
            && (crate::normalize::starts_with_greek_stop(&token.folded)
                || (joined_pairs && crate::normalize::has_greek_stop(&token.folded)))
            && let Some(reading) = crate::normalize::greek_stop_reading(&token.folded)
        {
            add_reading(&reading, token.surname, &mut all, Some(&mut pair));
        }
        // Serbian DJ for ICAO D (DJORDJEVIC / DORDEVIC) on both sides, since either side may
        // hold either spelling (few names have a DJ, so the gallery's index barely grows); French
        // J for ZH (JOUKOV / ZHUKOV) and ZH for J on the probe side, as for Ukrainian H.
        if token.folded.len() >= 5 {
            if let Some(reading) = crate::normalize::serbian_d_reading(&token.folded) {
                add_reading(&reading, token.surname, &mut all, Some(&mut pair));
            }
            // Only for names that read as Russian the French way (-OV, -EV, -INE, OU for У) and
            // never for Chinese syllables (ZHANG is not JANG): every extra key is candidates to
            // compare, and J begins many names (JOSE, JENSEN, JAMAL).
            let russian = |t: &str| {
                t.contains("OU")
                    || ["OV", "OVA", "EV", "EVA", "INE", "INA", "IN"]
                        .iter()
                        .any(|end| t.ends_with(end))
            };
            if joined_pairs && token.sinitic_key().is_none() && russian(&token.folded) {
                let french = crate::normalize::french_j_reading(&token.folded)
                    .or_else(|| crate::normalize::zh_as_french_j(&token.folded));
                if let Some(reading) = french {
                    add_reading(&reading, token.surname, &mut all, Some(&mut pair));
                }
            }
        }
        // Two-syllable Chinese names rely on the pair keys: the romanisation key must be one.
        for key in token.sinitic_keys().map(token_key) {
            push_new(&mut pair, key);
        }
        out.push(TokenKeys {
            all,
            pair,
            initial: token.skeleton.bytes().next(),
        });
    }
    // A name part written in several tokens is also keyed as one (SACHI N / SACHIN, XIAO MING /
    // XIAOMING): the other record may have joined what this one split.
    for surname in [true, false] {
        let part: Vec<&str> = form
            .tokens
            .iter()
            .filter(|t| t.surname == surname)
            .map(|t| t.folded.as_str())
            .collect();
        if part.len() < 2 {
            continue;
        }
        // Only the primary and romanisation keys: each key costs a lookup per probe.
        let joined = Token::new(&part.concat(), surname);
        let mut all = vec![token_key(joined.primary_key())];
        all.extend(joined.sinitic_keys().map(token_key));
        out.push(TokenKeys {
            pair: if joined_pairs {
                all.clone()
            } else {
                Vec::new()
            },
            all,
            initial: None,
        });
    }
    out
}

/// Keys of another reading of a token (ALMASRI read as MASRI, HONCHARENKO as GONCHARENKO): each
/// sound key among the token keys, and the primary one among the pair keys when `pair` is given.
fn add_reading(reading: &str, surname: bool, all: &mut Vec<u64>, pair: Option<&mut Vec<u64>>) {
    let token = Token::new(reading, surname);
    if let Some(pair) = pair {
        push_new(pair, token_key(token.primary_key()));
    }
    for key in token.sound_keys().map(token_key) {
        push_new(all, key);
    }
}

fn push_new(keys: &mut Vec<u64>, key: u64) {
    if !keys.contains(&key) {
        keys.push(key);
    }
}

/// Gallery-side keys of one prepared identity.
fn gallery_keys(prepared: &Prepared, max_tokens: usize, out: &mut Vec<u64>) {
    let year = prepared.birth_date.map_or(0, |d| d.year());
    let full_date = prepared
        .birth_date
        .filter(|d| d.is_complete())
        .map(|d| pack_date(Some(d)));
    for form in &prepared.names {
        let tokens = token_keys(form, max_tokens, false);
        for (i, a) in tokens.iter().enumerate() {
            for &k in &a.all {
                out.push(k);
                out.push(token_year_key(k, year));
            }
            if let (Some(date), Some(initial)) = (full_date, a.initial) {
                out.push(initial_date_key(initial, date));
            }
            for b in &tokens[i + 1..] {
                for &x in &a.pair {
                    for &y in &b.pair {
                        let pair = pair_key(x, y);
                        out.push(pair);
                        out.push(pair_year_key(pair, year));
                    }
                }
            }
        }
    }
    for doc in &prepared.documents {
        out.push(doc_key(doc));
    }
    out.sort_unstable();
    out.dedup();
}

/// Probe-side keys with their kind: the gallery keys widened to years y−1..y+1 and "year unknown".
fn probe_keys(prepared: &Prepared, max_tokens: usize) -> Vec<(KeyKind, u64)> {
    let mut years: Vec<u16> = vec![0];
    if let Some(d) = prepared.birth_date {
        let y = d.year();
        years.extend([y, y.saturating_sub(1), y.saturating_add(1)]);
    }
    // The full date and its day/month swap (the commonest date error that keeps the digits).
    let mut dates: Vec<u32> = Vec::new();
    if let Some(d) = prepared.birth_date.filter(|d| d.is_complete()) {
        dates.push(pack_date(Some(d)));
        if let Ok(swapped) = PartialDate::new(d.year(), d.day(), d.month()) {
            dates.push(pack_date(Some(swapped)));
        }
    }
    let mut out = Vec::new();
    for form in &prepared.names {
        // A name part written as its initial (CHÜ K for QU GUIXIN) has no key of its own: with
        // a full date it looks up the gallery's first letters on that date, and in a Chinese
        // name also the letters another romanisation begins it with (Wade–Giles K for pinyin G).
        // (Most probes have no initial, or no full date: they skip the romanisation check.)
        let initials = || form.tokens.iter().filter(|t| t.skeleton.len() == 1);
        if !dates.is_empty() && initials().next().is_some() {
            let sinitic = form.tokens.iter().any(|t| t.sinitic_key().is_some());
            for token in initials() {
                let Some(&letter) = token.skeleton.as_bytes().first() else {
                    continue;
                };
                let others = if sinitic {
                    sinitic_initial_alternatives(letter)
                } else {
                    &[]
                };
                for &initial in std::iter::once(&letter).chain(others) {
                    for &date in &dates {
                        out.push((KeyKind::InitialDate, initial_date_key(initial, date)));
                    }
                }
            }
        }
        let tokens = token_keys(form, max_tokens, true);
        for (i, a) in tokens.iter().enumerate() {
            for &k in &a.all {
                out.push((KeyKind::Token, k));
                for &y in &years {
                    out.push((KeyKind::TokenYear, token_year_key(k, y)));
                }
            }
            if let Some(initial) = a.initial {
                for &date in &dates {
                    out.push((KeyKind::InitialDate, initial_date_key(initial, date)));
                }
            }
            for b in &tokens[i + 1..] {
                for &x in &a.pair {
                    for &z in &b.pair {
                        let pair = pair_key(x, z);
                        out.push((KeyKind::Pair, pair));
                        for &y in &years {
                            out.push((KeyKind::PairYear, pair_year_key(pair, y)));
                        }
                    }
                }
            }
        }
    }
    for doc in &prepared.documents {
        out.push((KeyKind::Document, doc_key(doc)));
    }
    out.sort_unstable();
    out.dedup_by_key(|k| k.1);
    out
}

/// The letters another romanisation of Chinese may begin a syllable with, for an initial:
/// Wade–Giles K, T, P, CH, TS, HS, J against pinyin G, D, B, ZH/J/Q, Z/C, X, R, and back.
fn sinitic_initial_alternatives(letter: u8) -> &'static [u8] {
    match letter {
        b'K' => b"G",
        b'G' => b"K",
        b'T' => b"DZC",
        b'D' => b"T",
        b'P' => b"B",
        b'B' => b"P",
        b'C' => b"ZJQ",
        b'Z' => b"CT",
        b'J' => b"CRZQ",
        b'Q' => b"CJ",
        b'H' => b"X",
        b'X' => b"H",
        b'R' => b"J",
        _ => b"",
    }
}

impl KeyKind {
    /// How much sharing this key says about a candidate, for ranking candidates before scoring.
    fn strength(self) -> u32 {
        match self {
            KeyKind::Document => 8,
            KeyKind::PairYear | KeyKind::InitialDate => 4,
            KeyKind::Pair | KeyKind::TokenYear => 2,
            KeyKind::Token => 1,
        }
    }
}

/// Hasher for keys that are already well-mixed 64-bit hashes (our blocking and token keys, and
/// the name-frequency table's).
#[derive(Clone, Copy, Default)]
pub(crate) struct PrehashedKey(u64);

impl std::hash::Hasher for PrehashedKey {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub(crate) type Prehashed = std::hash::BuildHasherDefault<PrehashedKey>;
type KeyMap<V> = HashMap<u64, V, Prehashed>;

/// Frozen postings in CSR form.
#[derive(Default)]
struct Frozen {
    keys: Vec<u64>,
    /// `offsets[i]..offsets[i+1]` are the handles of `keys[i]`; len = keys.len() + 1.
    offsets: Vec<u32>,
    handles: Vec<u32>,
}

impl Frozen {
    fn get(&self, key: u64) -> &[u32] {
        match self.keys.binary_search(&key) {
            Ok(i) => {
                let start = self.offsets.get(i).copied().unwrap_or(0) as usize;
                let end = self.offsets.get(i + 1).copied().unwrap_or(0) as usize;
                self.handles.get(start..end).unwrap_or(&[])
            }
            Err(_) => &[],
        }
    }
}

/// Gallery records in arenas. Names: per form a count byte, then per token a flag byte
/// (bit 0: surname, bits 1-7: the name table's group of forms) and three length-prefixed strings
/// (folded, skeleton, sound key).
#[derive(Default)]
struct Records {
    ids: Vec<u8>,
    id_offsets: Vec<u64>,
    names: Vec<u8>,
    name_offsets: Vec<u64>,
    docs: Vec<u8>,
    doc_offsets: Vec<u64>,
    birth: Vec<u32>,
    nationality: Vec<[u8; 3]>,
    sex: Vec<u8>,
}

fn push_str(buf: &mut Vec<u8>, text: &str) {
    let len = u8::try_from(text.len()).unwrap_or(u8::MAX);
    buf.push(len);
    buf.extend_from_slice(text.as_bytes().get(..usize::from(len)).unwrap_or_default());
}

fn pack_date(date: Option<PartialDate>) -> u32 {
    date.map_or(0, |d| {
        (1 << 31) | (u32::from(d.year()) << 9) | (u32::from(d.month()) << 5) | u32::from(d.day())
    })
}

fn unpack_date(packed: u32) -> Option<PartialDate> {
    if packed & (1 << 31) == 0 {
        return None;
    }
    let year = u16::try_from((packed >> 9) & 0xFFFF).ok()?;
    let month = u8::try_from((packed >> 5) & 0xF).ok()?;
    let day = u8::try_from(packed & 0x1F).ok()?;
    PartialDate::new(year, month, day).ok()
}

impl Records {
    fn len(&self) -> usize {
        self.birth.len()
    }

    fn push(&mut self, id: &str, prepared: &Prepared) {
        self.ids.extend_from_slice(id.as_bytes());
        self.id_offsets.push(self.ids.len() as u64);
        self.names
            .push(u8::try_from(prepared.names.len()).unwrap_or(u8::MAX));
        for form in prepared.names.iter().take(usize::from(u8::MAX)) {
            self.names
                .push(u8::try_from(form.tokens.len()).unwrap_or(u8::MAX));
            for token in form.tokens.iter().take(usize::from(u8::MAX)) {
                // Bit 0: surname; the seven above: the name table's group.
                let group = token.name_group.min(crate::normalize::MAX_NAME_GROUPS);
                self.names.push(u8::from(token.surname) | (group << 1));
                push_str(&mut self.names, &token.folded);
                push_str(&mut self.names, &token.skeleton);
                push_str(&mut self.names, &token.phonetic);
            }
        }
        self.name_offsets.push(self.names.len() as u64);
        for (i, doc) in prepared.documents.iter().enumerate() {
            if i > 0 {
                self.docs.push(b' ');
            }
            self.docs.extend_from_slice(doc.as_bytes());
        }
        self.doc_offsets.push(self.docs.len() as u64);
        self.birth.push(pack_date(prepared.birth_date));
        self.nationality
            .push(prepared.nationality.unwrap_or([0; 3]));
        self.sex.push(match prepared.sex {
            Some(Sex::M) => 1,
            Some(Sex::F) => 2,
            Some(Sex::X) => 3,
            None => 0,
        });
    }

    fn range(offsets: &[u64], handle: usize) -> (usize, usize) {
        let start = if handle == 0 {
            0
        } else {
            offsets.get(handle - 1).copied().unwrap_or(0) as usize
        };
        let end = offsets.get(handle).copied().unwrap_or(0) as usize;
        (start, end)
    }

    fn has_documents(&self, handle: usize) -> bool {
        let (s, e) = Self::range(&self.doc_offsets, handle);
        e > s
    }

    fn id(&self, handle: Handle) -> &str {
        let (s, e) = Self::range(&self.id_offsets, handle as usize);
        self.ids
            .get(s..e)
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("")
    }

    /// Walks a record's name forms in the arena: each form, then each of its tokens, as stored
    /// by [`Records::push`]. One reader for [`Records::prepared`] and the tie-break's
    /// [`Records::prefix_likeness`], which must not allocate.
    fn walk_names<'a>(&'a self, handle: Handle, mut visit: impl FnMut(Stored<'a>)) {
        let (s, e) = Self::range(&self.name_offsets, handle as usize);
        let bytes = self.names.get(s..e).unwrap_or_default();
        let mut pos = 1usize;
        let read = |pos: &mut usize| -> &'a [u8] {
            let len = usize::from(bytes.get(*pos).copied().unwrap_or(0));
            let text = bytes.get(*pos + 1..*pos + 1 + len).unwrap_or_default();
            *pos += 1 + len;
            text
        };
        for _ in 0..bytes.first().copied().unwrap_or(0) {
            let count = bytes.get(pos).copied().unwrap_or(0);
            pos += 1;
            visit(Stored::Form(usize::from(count)));
            for _ in 0..count {
                let flags = bytes.get(pos).copied().unwrap_or(0);
                pos += 1;
                let folded = read(&mut pos);
                let skeleton = read(&mut pos);
                let phonetic = read(&mut pos);
                visit(Stored::Token {
                    flags,
                    folded,
                    skeleton,
                    phonetic,
                });
            }
        }
    }

    /// How far the record's name parts begin as the probe's do: per probe spelling (`probe`,
    /// at most [`MAX_LIKENESS_TOKENS`]), the longest common prefix (at most four letters) with
    /// any of the record's spellings, summed. A cheap stand-in for the comparison, to order
    /// candidates that share equally many keys: one pass over the arena, no allocation.
    fn prefix_likeness(&self, handle: Handle, probe: &[&[u8]]) -> u32 {
        let mut best = [0u8; MAX_LIKENESS_TOKENS];
        self.walk_names(handle, |stored| {
            let Stored::Token {
                skeleton: theirs, ..
            } = stored
            else {
                return;
            };
            for (mine, best) in probe.iter().zip(best.iter_mut()) {
                let common = mine
                    .iter()
                    .zip(theirs)
                    .take(4)
                    .take_while(|(a, b)| a == b)
                    .count() as u8;
                *best = (*best).max(common);
            }
        });
        best.iter().map(|&b| u32::from(b)).sum()
    }

    fn prepared(&self, handle: Handle) -> Prepared {
        let h = handle as usize;
        let text = |b: &[u8]| std::str::from_utf8(b).unwrap_or("").to_owned();
        let mut names: Vec<NameForm> = Vec::new();
        self.walk_names(handle, |stored| match stored {
            Stored::Form(count) => names.push(NameForm {
                tokens: Vec::with_capacity(count),
            }),
            Stored::Token {
                flags,
                folded,
                skeleton,
                phonetic,
            } => {
                if let Some(form) = names.last_mut() {
                    form.tokens.push(Token {
                        folded: text(folded),
                        skeleton: text(skeleton),
                        phonetic: text(phonetic),
                        surname: flags & 1 == 1,
                        name_group: flags >> 1,
                        slip_join: false,
                    });
                }
            }
        });
        let (ds, de) = Self::range(&self.doc_offsets, h);
        let documents = self
            .docs
            .get(ds..de)
            .and_then(|b| std::str::from_utf8(b).ok())
            .map(|t| {
                t.split(' ')
                    .filter(|d| !d.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        let nat = self.nationality.get(h).copied().unwrap_or([0; 3]);
        Prepared {
            names,
            birth_date: unpack_date(self.birth.get(h).copied().unwrap_or(0)),
            nationality: (nat != [0; 3]).then_some(nat),
            sex: match self.sex.get(h) {
                Some(1) => Some(Sex::M),
                Some(2) => Some(Sex::F),
                Some(3) => Some(Sex::X),
                _ => None,
            },
            documents,
        }
    }

    fn heap_bytes(&self) -> usize {
        self.ids.capacity()
            + self.id_offsets.capacity() * 8
            + self.names.capacity()
            + self.name_offsets.capacity() * 8
            + self.docs.capacity()
            + self.doc_offsets.capacity() * 8
            + self.birth.capacity() * 4
            + self.nationality.capacity() * 3
            + self.sex.capacity()
    }
}

/// Counts of people per token (by sound key and by skeleton) and per pair of skeletons, for the
/// name-frequency adjustment.
struct Frequencies<'a> {
    counts: &'a NameCounts,
    total: u64,
    /// Answers already given while screening one probe: its candidates were found through
    /// shared names, so the same few lookups into large maps repeat for every candidate.
    memo: std::cell::RefCell<KeyMap<f64>>,
}

impl<'a> Frequencies<'a> {
    fn new(counts: &'a NameCounts, total: u64) -> Self {
        Self {
            counts,
            total,
            memo: std::cell::RefCell::new(KeyMap::default()),
        }
    }

    fn remembered(&self, key: u64, compute: impl FnOnce() -> f64) -> f64 {
        if let Some(&value) = self.memo.borrow().get(&key) {
            return value;
        }
        let value = compute();
        self.memo.borrow_mut().insert(key, value);
        value
    }
}

/// Pseudo-count of the frequency prior: a gallery smaller than this mostly inherits the
/// compiled-in table ([`crate::score::prior_share`]), a big one speaks for itself.
const PRIOR_PEOPLE: f64 = 1000.0;
/// Pseudo-count of the conditional prior: with fewer than this many people carrying the first
/// name part, the share of the second among them leans on the table's within-culture figure.
const PRIOR_CONDITIONAL_PEOPLE: f64 = 20.0;

fn skeleton_key(skeleton: &str) -> u64 {
    fnv(7, skeleton.as_bytes())
}

/// Key of a whole name form (the sorted skeletons of all its parts, so order swaps and spelling
/// variants count as one name) in [`NameCounts::names`], and the evaluation's notion of a
/// namesake ([`crate::doubles`]).
pub(crate) fn whole_name_key(form: &NameForm) -> u64 {
    let mut keys: Vec<u64> = form
        .tokens
        .iter()
        .map(|t| skeleton_key(&t.skeleton))
        .collect();
    keys.sort_unstable();
    let bytes: Vec<u8> = keys.iter().flat_map(|k| k.to_le_bytes()).collect();
    fnv(8, &bytes)
}

/// Key of (name part, nationality) in [`NameCounts::nationality`].
fn nationality_key(skeleton: u64, nationality: [u8; 3]) -> u64 {
    fnv(skeleton ^ 0x6e61_7469_6f6e, &nationality)
}

/// Name lengths (in parts) for which [`NameCounts::longer`] counts carriers of longer names: a
/// missing middle name leaves two or three parts.
const LONGER_PARTS: std::ops::RangeInclusive<usize> = 2..=3;
/// Prior share of carriers with a further name part, and its pseudo-count: a name few gallery
/// people carry gets about the weight a missing part has without counts (−2 bits).
const PRIOR_LONGER_SHARE: f64 = 0.45;
const PRIOR_LONGER_PEOPLE: f64 = 20.0;

/// Key of (name part, name length) in [`NameCounts::longer`].
fn longer_key(skeleton: u64, parts: usize) -> u64 {
    fnv(skeleton ^ 0x6c6f_6e67_6572, &(parts as u64).to_le_bytes())
}

/// Pseudo-count of the nationality prior: a name carried by a handful of gallery people says
/// little yet about where its carriers come from.
const PRIOR_NATIONALITY_PEOPLE: f64 = 5.0;
/// Below this many gallery carriers a name part says nothing about its carriers' nationalities
/// (its estimate would only echo the prior).
const MIN_NATIONALITY_CARRIERS: f64 = 5.0;

impl NameFrequency for Frequencies<'_> {
    fn share(&self, skeleton: &str) -> f64 {
        let key = skeleton_key(skeleton);
        self.remembered(key, || {
            let count = f64::from(self.counts.skeleton(key));
            (count + PRIOR_PEOPLE * crate::score::prior_share(skeleton))
                / (self.total as f64 + PRIOR_PEOPLE)
        })
    }
    fn sound_share(&self, sound_key: &str) -> f64 {
        let key = token_key(sound_key);
        self.remembered(key.rotate_left(17), || {
            let count = f64::from(self.counts.sound.get(&key).copied().unwrap_or(0));
            (count + PRIOR_PEOPLE * TYPICAL_TOKEN_SHARE) / (self.total as f64 + PRIOR_PEOPLE)
        })
    }
    /// As [`NameFrequency::share`] would say, except that a spelling neither the name table
    /// knows nor two gallery people carry is never established: in a gallery of fewer than
    /// 1,500 people the share's prior alone reached [`crate::score::ESTABLISHED_SHARE`], and a
    /// typo nobody carries counted as a name in its own right.
    fn is_established(&self, skeleton: &str) -> bool {
        let key = skeleton_key(skeleton);
        self.remembered(key.rotate_left(29) ^ 0x6573_7461_626c, || {
            let count = f64::from(self.counts.skeleton(key));
            let prior = match (crate::frequency::within_culture(skeleton), count >= 2.0) {
                (Some(_), _) => crate::score::prior_share(skeleton),
                (None, true) => 0.0,
                (None, false) => return 0.0,
            };
            let share = (count + PRIOR_PEOPLE * prior) / (self.total as f64 + PRIOR_PEOPLE);
            f64::from(u8::from(share >= crate::score::ESTABLISHED_SHARE))
        }) > 0.5
    }
    fn nationality_share(&self, skeleton: &str, nationality: [u8; 3]) -> Option<f64> {
        let k = skeleton_key(skeleton);
        let key = nationality_key(k, nationality);
        let share = self.remembered(key.rotate_left(41) ^ 0x2545_f491_4f6c_dd1d, || {
            let carriers = f64::from(self.counts.skeleton(k));
            if carriers < MIN_NATIONALITY_CARRIERS {
                return -1.0;
            }
            let both = f64::from(self.counts.nationality.get(&key).copied().unwrap_or(0));
            ((both + PRIOR_NATIONALITY_PEOPLE * crate::score::PRIOR_NATIONALITY_SHARE)
                / (carriers + PRIOR_NATIONALITY_PEOPLE))
                .min(1.0)
        });
        (share >= 0.0).then_some(share)
    }
    fn longer_share(&self, skeleton: &str, parts: usize) -> Option<f64> {
        if !LONGER_PARTS.contains(&parts) {
            return None;
        }
        let k = skeleton_key(skeleton);
        let key = longer_key(k, parts);
        Some(self.remembered(key.rotate_left(13) ^ 0x9e37_79b9, || {
            let carriers = f64::from(self.counts.skeleton(k));
            let longer = f64::from(self.counts.longer.get(&key).copied().unwrap_or(0));
            ((longer + PRIOR_LONGER_PEOPLE * PRIOR_LONGER_SHARE) / (carriers + PRIOR_LONGER_PEOPLE))
                .min(1.0)
        }))
    }
    fn namesakes(&self, form: &NameForm) -> Option<(u32, u64)> {
        let count = self
            .counts
            .names
            .get(&whole_name_key(form))
            .copied()
            .unwrap_or(0);
        Some((count, self.total))
    }
    fn conditional_share(&self, given: &str, skeleton: &str) -> f64 {
        let (g, k) = (skeleton_key(given), skeleton_key(skeleton));
        // Ordered (P(k | g) is not P(g | k)), unlike the unordered pair count it reads.
        self.remembered(g.rotate_left(29) ^ k ^ 0x5bd1_e995, || {
            let given_count = f64::from(self.counts.skeleton(g));
            let both = f64::from(self.counts.pairs.get(&pair_key(g, k)).copied().unwrap_or(0));
            let prior = crate::score::prior_conditional_share(skeleton);
            ((both + PRIOR_CONDITIONAL_PEOPLE * prior) / (given_count + PRIOR_CONDITIONAL_PEOPLE))
                .min(1.0)
        })
    }
}

/// People per sound key, per skeleton and per unordered pair of skeletons (over all of a person's
/// name forms, each person counted once per key).
#[derive(Default)]
struct NameCounts {
    sound: KeyMap<u32>,
    skeletons: KeyMap<u32>,
    pairs: KeyMap<u32>,
    /// People per (skeleton, nationality).
    nationality: KeyMap<u32>,
    /// People per (skeleton, n) whose name has more than n parts, n in [`LONGER_PARTS`].
    longer: KeyMap<u32>,
    /// People per whole name ([`whole_name_key`]): how many namesakes a name has.
    names: KeyMap<u32>,
}

/// One person's keys into [`NameCounts`].
struct CountKeys {
    sound: Vec<u64>,
    skeletons: Vec<u64>,
    pairs: Vec<u64>,
    nationality: Vec<u64>,
    longer: Vec<u64>,
    names: Vec<u64>,
}

/// A person's name parts beyond this many do not add pair counts (bounded work per insert).
const MAX_PAIR_TOKENS: usize = 6;

impl NameCounts {
    fn skeleton(&self, key: u64) -> u32 {
        self.skeletons.get(&key).copied().unwrap_or(0)
    }

    /// The count keys of one person (pure; computed on worker threads during a bulk build).
    fn keys(prepared: &Prepared) -> CountKeys {
        let mut sound: Vec<u64> = Vec::new();
        let mut skeletons: Vec<u64> = Vec::new();
        for token in prepared.names.iter().flat_map(|f| f.tokens.iter()) {
            sound.push(token_key(token.primary_key()));
            skeletons.push(skeleton_key(&token.skeleton));
        }
        let mut pairs: Vec<u64> = Vec::new();
        for form in &prepared.names {
            let keys: Vec<u64> = form
                .tokens
                .iter()
                .take(MAX_PAIR_TOKENS)
                .map(|t| skeleton_key(&t.skeleton))
                .collect();
            for (i, &a) in keys.iter().enumerate() {
                for &b in keys.get(i + 1..).unwrap_or_default() {
                    if a != b {
                        pairs.push(pair_key(a, b));
                    }
                }
            }
        }
        let mut longer: Vec<u64> = Vec::new();
        for form in &prepared.names {
            let len = form.tokens.len();
            for token in &form.tokens {
                let key = skeleton_key(&token.skeleton);
                longer.extend(
                    LONGER_PARTS
                        .filter(|&parts| len > parts)
                        .map(|parts| longer_key(key, parts)),
                );
            }
        }
        let mut names: Vec<u64> = prepared.names.iter().map(whole_name_key).collect();
        for list in [
            &mut sound,
            &mut skeletons,
            &mut pairs,
            &mut longer,
            &mut names,
        ] {
            list.sort_unstable();
            list.dedup();
        }
        let nationality: Vec<u64> = prepared.nationality.map_or_else(Vec::new, |nat| {
            skeletons.iter().map(|&k| nationality_key(k, nat)).collect()
        });
        CountKeys {
            sound,
            skeletons,
            pairs,
            nationality,
            longer,
            names,
        }
    }

    /// Adds (`add`) or removes one person's names.
    fn apply(&mut self, keys: &CountKeys, add: bool) {
        let change = |map: &mut KeyMap<u32>, key: u64| {
            let count = map.entry(key).or_insert(0);
            *count = if add {
                count.saturating_add(1)
            } else {
                count.saturating_sub(1)
            };
        };
        for &key in &keys.sound {
            change(&mut self.sound, key);
        }
        for &key in &keys.skeletons {
            change(&mut self.skeletons, key);
        }
        for &key in &keys.pairs {
            change(&mut self.pairs, key);
        }
        for &key in &keys.nationality {
            change(&mut self.nationality, key);
        }
        for &key in &keys.longer {
            change(&mut self.longer, key);
        }
        for &key in &keys.names {
            change(&mut self.names, key);
        }
    }

    fn heap_bytes(&self) -> usize {
        (self.sound.capacity()
            + self.skeletons.capacity()
            + self.pairs.capacity()
            + self.nationality.capacity()
            + self.longer.capacity()
            + self.names.capacity())
            * 13
    }
}

/// The screening index (see module doc).
pub struct Index {
    config: IndexConfig,
    records: Records,
    frozen: Frozen,
    delta: KeyMap<Vec<u32>>,
    removed: RoaringBitmap,
    by_id: KeyMap<Handle>,
    /// Ids whose hash collides with another live id's (practically never).
    by_id_overflow: HashMap<String, Handle>,
    name_counts: NameCounts,
    live: u64,
}

impl Index {
    pub fn new(config: IndexConfig) -> Self {
        Self {
            config,
            records: Records::default(),
            frozen: Frozen::default(),
            delta: KeyMap::default(),
            removed: RoaringBitmap::new(),
            by_id: KeyMap::default(),
            by_id_overflow: HashMap::new(),
            name_counts: NameCounts::default(),
            live: 0,
        }
    }

    /// Builds an index from many identities at once (one sort instead of many map inserts).
    /// Duplicate ids are reported with the first duplicate met.
    pub fn build<I>(config: IndexConfig, identities: I) -> Result<Self, IndexError>
    where
        I: IntoIterator,
        I::Item: std::borrow::Borrow<Identity>,
    {
        use std::borrow::Borrow;
        let mut builder = IndexBuilder::new(config);
        for identity in identities {
            builder.add(identity.borrow())?;
        }
        Ok(builder.finish())
    }

    fn lookup_id(&self, id: &str) -> Option<Handle> {
        if let Some(&h) = self.by_id_overflow.get(id) {
            return Some(h);
        }
        let h = *self.by_id.get(&id_hash(id))?;
        (self.records.id(h) == id).then_some(h)
    }

    fn register(
        &mut self,
        id: &str,
        prepared: &Prepared,
        count_keys: &CountKeys,
    ) -> Result<Handle, IndexError> {
        if self.lookup_id(id).is_some() {
            return Err(IndexError::Duplicate(id.to_owned()));
        }
        let handle = Handle::try_from(self.records.len())
            .map_err(|_| IndexError::Full(self.records.len()))?;
        self.records.push(id, prepared);
        match self.by_id.entry(id_hash(id)) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(handle);
            }
            std::collections::hash_map::Entry::Occupied(_) => {
                self.by_id_overflow.insert(id.to_owned(), handle);
            }
        }
        self.name_counts.apply(count_keys, true);
        self.live += 1;
        Ok(handle)
    }

    /// Adds one identity; it is searchable at once.
    pub fn insert(&mut self, identity: &Identity) -> Result<Handle, IndexError> {
        let prepared = Prepared::new(identity);
        let handle = self.register(&identity.id, &prepared, &NameCounts::keys(&prepared))?;
        let mut keys = Vec::new();
        gallery_keys(&prepared, self.config.max_key_tokens, &mut keys);
        for key in keys {
            self.delta.entry(key).or_default().push(handle);
        }
        Ok(handle)
    }

    /// Removes an identity by id; returns whether it was present.
    pub fn remove(&mut self, id: &str) -> bool {
        let Some(handle) = self.lookup_id(id) else {
            return false;
        };
        if self.by_id_overflow.remove(id).is_none() {
            self.by_id.remove(&id_hash(id));
        }
        self.removed.insert(handle);
        let prepared = self.records.prepared(handle);
        self.name_counts.apply(&NameCounts::keys(&prepared), false);
        self.live = self.live.saturating_sub(1);
        true
    }

    /// Folds the delta postings into the frozen block and drops removed handles' postings.
    pub fn compact(&mut self) {
        let mut pairs: Vec<(u64, u32)> = Vec::new();
        for (key, handles) in self.delta.drain() {
            pairs.extend(handles.into_iter().map(|h| (key, h)));
        }
        for (i, &key) in self.frozen.keys.iter().enumerate() {
            let (s, e) = (
                self.frozen.offsets.get(i).copied().unwrap_or(0) as usize,
                self.frozen.offsets.get(i + 1).copied().unwrap_or(0) as usize,
            );
            for &h in self.frozen.handles.get(s..e).unwrap_or_default() {
                pairs.push((key, h));
            }
        }
        pairs.retain(|(_, h)| !self.removed.contains(*h));
        pairs.sort_unstable();
        self.frozen = csr(&pairs);
    }

    /// Number of live identities.
    pub fn len(&self) -> usize {
        self.live as usize
    }
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Approximate heap bytes held (records, postings, maps).
    pub fn heap_bytes(&self) -> usize {
        self.records.heap_bytes()
            + self.frozen.keys.capacity() * 8
            + self.frozen.offsets.capacity() * 4
            + self.frozen.handles.capacity() * 4
            + self
                .delta
                .values()
                .map(|v| v.capacity() * 4 + 40)
                .sum::<usize>()
            + self.by_id.capacity() * 16
            + self.name_counts.heap_bytes()
            + self.removed.serialized_size()
    }

    /// The id of a handle (also for removed handles).
    pub fn id(&self, handle: Handle) -> &str {
        self.records.id(handle)
    }

    fn postings(&self, key: u64) -> (&[u32], &[u32]) {
        (
            self.frozen.get(key),
            self.delta.get(&key).map_or(&[][..], Vec::as_slice),
        )
    }

    /// Candidate handles for a probe, strongest shared keys first, at most `max_scored`.
    ///
    /// Selective keys (document, token pair, token + birth year) are read first; bare token keys
    /// only when those found almost nothing (a probe with a typo in all but one token, or without
    /// a birth date). Keys with more postings than `max_postings_per_key` are not read.
    pub fn candidates(&self, probe: &Prepared) -> Vec<Handle> {
        // Each key's postings are looked up once (a binary search over the frozen keys is the
        // dominant cost of a probe).
        let mut keys: Vec<(usize, KeyKind, &[u32], &[u32])> =
            probe_keys(probe, self.config.max_key_tokens)
                .into_iter()
                .filter_map(|(kind, key)| {
                    let (a, b) = self.postings(key);
                    let len = a.len() + b.len();
                    (len > 0
                        && (kind == KeyKind::Document || len <= self.config.max_postings_per_key))
                        .then_some((len, kind, a, b))
                })
                .collect();
        keys.sort_unstable_by_key(|(len, kind, _, _)| (*kind != KeyKind::Document, *len));
        let mut found: Vec<(u32, u32)> = Vec::new();
        let read = |kinds: &dyn Fn(KeyKind) -> bool, found: &mut Vec<(u32, u32)>| {
            for &(len, kind, a, b) in &keys {
                if !kinds(kind)
                    || (!found.is_empty() && found.len() + len > self.config.candidate_budget)
                {
                    continue;
                }
                let strength = kind.strength();
                found.extend(a.iter().chain(b).map(|&h| (h, strength)));
            }
        };
        read(&|k| k != KeyKind::Token, &mut found);
        if found.len() < 30 {
            read(&|k| k == KeyKind::Token, &mut found);
        }
        found.sort_unstable_by_key(|p| p.0);
        let mut counted: Vec<(u32, Handle)> = Vec::new();
        for run in found.chunk_by(|a, b| a.0 == b.0) {
            if let Some(&(h, _)) = run.first()
                && !self.removed.contains(h)
            {
                counted.push((run.iter().map(|p| p.1).sum(), h));
            }
        }
        let max = self.config.max_scored;
        if counted.len() > max {
            counted.select_nth_unstable_by(max, |a, b| b.0.cmp(&a.0));
            self.break_tie_at_cut(probe, &mut counted, max);
            counted.truncate(max);
        }
        counted.into_iter().map(|(_, h)| h).collect()
    }

    /// When the `max_scored` cut falls inside a group of candidates that share equally many keys
    /// (everyone called MAIER, for a probe MAIER DAVKD without a birth date), the group's places
    /// went to whichever the selection left first, and the person typed with one slip lost to
    /// strangers. The group is ordered instead by how far each record's names begin as the
    /// probe's do ([`Records::prefix_likeness`]), so DAVID goes before DANIEL and DIETER.
    /// Reads at most [`TIE_LIMIT`] records of the group, from the arena, without scoring them,
    /// and only for groups that share at most one name key ([`TIE_MAX_STRENGTH`]).
    fn break_tie_at_cut(&self, probe: &Prepared, counted: &mut [(u32, Handle)], max: usize) {
        let Some(&(cut, _)) = counted.get(max) else {
            return;
        };
        // After the selection: the first `max` are the strongest, in no order.
        let (kept, rest) = counted.split_at_mut(max);
        let tied_kept = kept.iter().filter(|c| c.0 == cut).count();
        // Only where the group shares at most one name key (a bare name, a name and year, or a
        // pair): a group that shares more is already narrow, and reading it costs at 10 M.
        if cut > TIE_MAX_STRENGTH || tied_kept == 0 || !rest.iter().any(|c| c.0 == cut) {
            return;
        }
        // Rank the group (its members before and after the cut) and give its places before the
        // cut to the best.
        let spellings: Vec<&[u8]> = probe
            .names
            .iter()
            .flat_map(|form| &form.tokens)
            .map(|t| t.skeleton.as_bytes())
            .take(MAX_LIKENESS_TOKENS)
            .collect();
        let mut group: Vec<(u32, Handle)> = kept
            .iter()
            .chain(rest.iter())
            .filter(|c| c.0 == cut)
            .take(TIE_LIMIT)
            .map(|&(_, h)| (self.records.prefix_likeness(h, &spellings), h))
            .collect();
        group.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut winners = group.iter().take(tied_kept).map(|&(_, h)| h);
        for slot in kept.iter_mut().filter(|c| c.0 == cut) {
            if let Some(h) = winners.next() {
                slot.1 = h;
            }
        }
    }

    /// Compares a probe with one gallery record, with this gallery's name frequencies.
    pub fn compare_handle(&self, probe: &Prepared, handle: Handle) -> Comparison {
        self.compare_with(
            &Frequencies::new(&self.name_counts, self.live),
            probe,
            handle,
        )
    }

    fn compare_with(&self, freq: &Frequencies<'_>, probe: &Prepared, handle: Handle) -> Comparison {
        compare_prepared_at(
            probe,
            &self.records.prepared(handle),
            freq,
            crate::score::centre_for(self.live),
        )
    }

    /// Screens one probe: its hits, best first.
    pub fn screen(&self, probe: &Identity, options: &ScreenOptions) -> Vec<Hit> {
        self.screen_prepared(&Prepared::new(probe), options)
    }

    /// As [`Index::screen`] for an already prepared probe.
    pub fn screen_prepared(&self, probe: &Prepared, options: &ScreenOptions) -> Vec<Hit> {
        let mut hits: Vec<Hit> = Vec::new();
        // A clearly different birth date caps what names can add; skip such candidates without
        // decoding their names when even the best name evidence could not reach the threshold.
        let probe_docs = !probe.documents.is_empty();
        let centre = crate::score::centre_for(self.live);
        let freq = Frequencies::new(&self.name_counts, self.live);
        for handle in self.candidates(probe) {
            let h = handle as usize;
            let date = compare_dates(
                probe.birth_date,
                unpack_date(self.records.birth.get(h).copied().unwrap_or(0)),
            );
            let docs = probe_docs && self.records.has_documents(h);
            let nationality = self
                .records
                .nationality
                .get(h)
                .copied()
                .filter(|n| *n != [0; 3]);
            let best =
                crate::score::best_weight_given(date, docs, (probe.nationality, nationality));
            if crate::score::probability_at(best, centre) < options.threshold {
                continue;
            }
            let comparison = self.compare_with(&freq, probe, handle);
            if comparison.score >= options.threshold {
                hits.push(Hit {
                    id: self.records.id(handle).to_owned(),
                    handle,
                    score: comparison.score,
                    explanation: options.explain.then_some(comparison),
                });
            }
        }
        hits.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
        hits.truncate(options.max_hits);
        hits
    }
}

/// One identity prepared on a worker thread: its normal forms, blocking keys and count keys.
type PreparedEntry = (Prepared, Vec<u64>, CountKeys);

/// Bulk construction: add identities (one by one or in batches prepared on several threads),
/// then [`IndexBuilder::finish`] sorts all postings once.
pub struct IndexBuilder {
    index: Index,
    flat: Vec<u64>,
    flat_offsets: Vec<u64>,
}

impl IndexBuilder {
    pub fn new(config: IndexConfig) -> Self {
        Self {
            index: Index::new(config),
            flat: Vec::new(),
            flat_offsets: Vec::new(),
        }
    }

    fn add_prepared(
        &mut self,
        id: &str,
        prepared: &Prepared,
        keys: &[u64],
        count_keys: &CountKeys,
    ) -> Result<Handle, IndexError> {
        let handle = self.index.register(id, prepared, count_keys)?;
        self.flat.extend_from_slice(keys);
        self.flat_offsets.push(self.flat.len() as u64);
        Ok(handle)
    }

    pub fn add(&mut self, identity: &Identity) -> Result<Handle, IndexError> {
        let prepared = Prepared::new(identity);
        let mut keys = Vec::new();
        gallery_keys(&prepared, self.index.config.max_key_tokens, &mut keys);
        self.add_prepared(&identity.id, &prepared, &keys, &NameCounts::keys(&prepared))
    }

    /// Adds a batch, normalising on `threads` threads (pure computation; order is kept).
    pub fn add_batch(&mut self, identities: &[Identity], threads: usize) -> Result<(), IndexError> {
        let threads = threads.max(1);
        let chunk = identities.len().div_ceil(threads).max(1);
        let max_tokens = self.index.config.max_key_tokens;
        let prepared: Vec<Vec<PreparedEntry>> = std::thread::scope(|scope| {
            let workers: Vec<_> = identities
                .chunks(chunk)
                .map(|part| {
                    scope.spawn(move || {
                        part.iter()
                            .map(|identity| {
                                let prepared = Prepared::new(identity);
                                let mut keys = Vec::new();
                                gallery_keys(&prepared, max_tokens, &mut keys);
                                let counts = NameCounts::keys(&prepared);
                                (prepared, keys, counts)
                            })
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            workers
                .into_iter()
                .map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        });
        for (identity, (prep, keys, counts)) in
            identities.iter().zip(prepared.into_iter().flatten())
        {
            self.add_prepared(&identity.id, &prep, &keys, &counts)?;
        }
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.flat_offsets.len()
    }
    pub fn is_empty(&self) -> bool {
        self.flat_offsets.is_empty()
    }

    pub fn finish(mut self) -> Index {
        self.index.frozen = freeze(&self.flat, &self.flat_offsets, None);
        self.index
    }
}

fn csr(pairs: &[(u64, u32)]) -> Frozen {
    let mut frozen = Frozen::default();
    append_csr(&mut frozen, pairs);
    frozen
}

fn append_csr(frozen: &mut Frozen, pairs: &[(u64, u32)]) {
    if frozen.offsets.is_empty() {
        frozen.offsets.push(0);
    }
    for run in pairs.chunk_by(|a, b| a.0 == b.0) {
        let Some(first) = run.first() else { continue };
        frozen.keys.push(first.0);
        frozen.handles.extend(run.iter().map(|p| p.1));
        frozen
            .offsets
            .push(u32::try_from(frozen.handles.len()).unwrap_or(u32::MAX));
    }
}

/// Builds the CSR block from per-handle key lists in 16 partitions by the key's top bits, so the
/// peak extra memory is one partition's (key, handle) pairs rather than all of them.
fn freeze(flat: &[u64], offsets: &[u64], removed: Option<&RoaringBitmap>) -> Frozen {
    let mut frozen = Frozen::default();
    frozen.keys.reserve(flat.len() / 2);
    frozen.handles.reserve(flat.len());
    let mut pairs: Vec<(u64, u32)> = Vec::new();
    for part in 0..16u64 {
        pairs.clear();
        let mut start = 0usize;
        for (h, &end) in offsets.iter().enumerate() {
            let end = end as usize;
            let handle = u32::try_from(h).unwrap_or(u32::MAX);
            if removed.is_none_or(|r| !r.contains(handle)) {
                for &key in flat.get(start..end).unwrap_or_default() {
                    if key >> 60 == part {
                        pairs.push((key, handle));
                    }
                }
            }
            start = end;
        }
        pairs.sort_unstable();
        append_csr(&mut frozen, &pairs);
    }
    frozen.keys.shrink_to_fit();
    frozen.handles.shrink_to_fit();
    frozen.offsets.shrink_to_fit();
    frozen
}

#[cfg(test)]
pub(crate) mod tests;
