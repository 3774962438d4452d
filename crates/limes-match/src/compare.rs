//! Field comparators. Each answers "how alike are these two values, and in which way" with a
//! similarity in [0,1] and a kind a reviewer can read; turning that into evidence is `score`'s job.

use std::borrow::Cow;

use limes_model::{Identity, PartialDate, Sex};

use crate::normalize::{name_tokens, phonetic_keys, skeleton};

/// One name token in its three normal forms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub folded: String,
    pub skeleton: String,
    /// Sound keys joined by ',' (primary first, see `normalize::phonetic_keys`).
    pub phonetic: String,
    /// Written in the surname field (order is compared, but not trusted).
    pub surname: bool,
    /// The name table's group of forms of this name (KOSTAS for KONSTANTINOS; 0 for none), so
    /// that a typo in one of them is looked for ([`typo_of_a_known_form`]) without a lookup.
    pub name_group: u8,
    /// Two parts joined with a slip in one syllable ([`join_compounds`]): its `~` reading is
    /// the other side's, and only [`token_similarity`] reads it. A flag, so that every other
    /// token pair is told so without scanning its sound keys.
    pub slip_join: bool,
}

impl Token {
    /// The sound keys of this token, primary first.
    pub fn sound_keys(&self) -> impl Iterator<Item = &str> {
        self.phonetic.split(',')
    }
    /// The primary sound key.
    pub fn primary_key(&self) -> &str {
        self.phonetic.split(',').next().unwrap_or("")
    }
    /// The Chinese/Korean romanisation key, if the token reads as one (see
    /// `normalize::sinitic_key`).
    pub fn sinitic_key(&self) -> Option<&str> {
        self.sinitic_keys().next()
    }
    /// Every romanisation key of the token (two when its J reads both ways, JUNG).
    pub fn sinitic_keys(&self) -> impl Iterator<Item = &str> {
        self.sound_keys().filter(|k| k.starts_with('#'))
    }
    /// Whether two tokens share a romanisation key.
    pub fn same_sinitic(&self, other: &Token) -> bool {
        self.sinitic_keys()
            .any(|a| other.sinitic_keys().any(|b| a == b))
    }
    /// Whether two tokens share a sound key.
    pub fn sounds_like(&self, other: &Token) -> bool {
        if self.phonetic == other.phonetic {
            return true;
        }
        self.sound_keys()
            .any(|a| other.sound_keys().any(|b| a == b))
    }

    pub fn new(folded: &str, surname: bool) -> Self {
        let skel = skeleton(folded);
        let mut keys = phonetic_keys(&skel);
        // Chinese and Korean romanisations get one more key (marked '#', never equal to a plain
        // sound key) so that pinyin and Wade–Giles spellings meet in the index and in scoring.
        for key in crate::normalize::sinitic_keys(folded) {
            keys.push(format!("#{key}"));
        }
        let phon = keys.join(",");
        let name_group = crate::normalize::name_group(&skel);
        Self {
            folded: folded.to_owned(),
            skeleton: skel,
            phonetic: phon,
            surname,
            name_group,
            slip_join: false,
        }
    }
}

/// One written form of a person's name (the main one or an alias), tokenised.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NameForm {
    pub tokens: Vec<Token>,
}

impl NameForm {
    pub fn new(surname: &str, given_names: &str) -> Self {
        let (surnames, given) = name_tokens(surname, given_names);
        let mut out: Vec<Token> = surnames.iter().map(|t| Token::new(t, true)).collect();
        out.extend(given.iter().map(|t| Token::new(t, false)));
        Self { tokens: out }
    }
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }
}

/// An identity prepared for comparison: names tokenised once, documents normalised once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Prepared {
    pub names: Vec<NameForm>,
    pub birth_date: Option<PartialDate>,
    pub nationality: Option<[u8; 3]>,
    pub sex: Option<Sex>,
    pub documents: Vec<String>,
}

impl Prepared {
    pub fn new(identity: &Identity) -> Self {
        let mut names = vec![NameForm::new(&identity.surname, &identity.given_names)];
        for alias in &identity.aliases {
            let form = NameForm::new(&alias.surname, &alias.given_names);
            if !form.is_empty() && !names.contains(&form) {
                names.push(form);
            }
        }
        names.retain(|n| !n.is_empty());
        Self {
            names,
            birth_date: identity.birth_date,
            nationality: identity
                .nationality
                .as_deref()
                .and_then(limes_model::country::alpha3)
                .map(|c| c.to_bytes()),
            sex: identity.sex,
            documents: identity
                .documents
                .iter()
                .map(|d| document_key(&d.number))
                .filter(|d| !d.is_empty())
                .collect(),
        }
    }
}

/// How two name tokens relate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum TokenKind {
    Different,
    Initial,
    /// A slip in a one-syllable Chinese or Korean name written in another romanisation (CHRO for
    /// CHAO, i.e. ZHAO). Weighed as a typo, except between two established names (VAN and LAN):
    /// the scorer must know which rule found it, so it is a kind of its own.
    RomanisationSlip,
    Typo,
    SoundsAlike,
    Variant,
    Exact,
}

impl TokenKind {
    pub fn label(self) -> &'static str {
        match self {
            TokenKind::Exact => "exact",
            TokenKind::Variant => "spelling/transliteration variant",
            TokenKind::SoundsAlike => "sounds alike",
            TokenKind::Typo => "typo",
            TokenKind::RomanisationSlip => "typo (other romanisation)",
            TokenKind::Initial => "initial",
            TokenKind::Different => "different",
        }
    }
}

fn jaro_winkler(a: &str, b: &str) -> f64 {
    rapidfuzz::distance::jaro_winkler::normalized_similarity(a.bytes(), b.bytes())
}

/// Similarity of two tokens. Exact 1.0; same skeleton 0.97; a single letter against a token with
/// that initial 0.8; same sound key at least 0.88; otherwise Jaro–Winkler on skeletons (typos).
pub fn token_similarity(a: &Token, b: &Token) -> (f64, TokenKind) {
    if a.folded == b.folded {
        return (1.0, TokenKind::Exact);
    }
    if a.skeleton == b.skeleton {
        return (0.97, TokenKind::Variant);
    }
    if attached_particle(a, b) || attached_particle(b, a) || other_transliteration(a, b) {
        return (0.95, TokenKind::Variant);
    }
    if a.folded.len() == 1 || b.folded.len() == 1 {
        let (initial, full) = if a.folded.len() == 1 { (a, b) } else { (b, a) };
        return if initial
            .folded
            .as_bytes()
            .first()
            .is_some_and(|&letter| initial_of(full, letter))
        {
            (0.8, TokenKind::Initial)
        } else {
            (0.0, TokenKind::Different)
        };
    }
    // On skeletons (spelling variants folded) and on the letters as written: collapsing doubled
    // letters makes a typo look bigger than it is (ANBNA/ANNA is 0.69 on skeletons, 0.88 as
    // written).
    let jw = match jaro_winkler(&a.skeleton, &b.skeleton) {
        high if high >= 0.88 => high,
        low => low.max(jaro_winkler(&a.folded, &b.folded)),
    };
    // A sound key of a two- or three-letter name is little more than its first consonant (LE and
    // LY, HO and HU are different Vietnamese surnames), so short names must be spelling variants
    // or typos, never merely "sounds alike".
    let short = a.skeleton.len().min(b.skeleton.len()) <= 3;
    if a.same_sinitic(b) {
        return (jw.max(0.9), TokenKind::SoundsAlike);
    }
    // Before any sound key: a slip join reads as the other side only through its slip.
    if slip_reading_meets(a, b) || slip_reading_meets(b, a) {
        return (jw.max(0.85), TokenKind::RomanisationSlip);
    }
    // The sound key is coarse (MEHTA and MOHAMED share one): sounding alike only counts when the
    // spellings are not far apart either (MUHAMAD/MOHAMED 0.83, FIODOROVA/FEDOROVA 0.81,
    // MEHTA/MOHAMED 0.68), and not for Slavic surnames whose suffixes differ (NOWAK/NOWICKI).
    if !short
        && jw >= 0.72
        && (a.sounds_like(b) || ukrainian_h(a, b))
        && !other_slavic_suffix(a, b)
        && !one_name_inside_another(a, b)
    {
        return (jw.max(0.88), TokenKind::SoundsAlike);
    }
    // A Cyrillic name in the German scheme against another scheme (SAJEZ / ZAIETS): the
    // spellings can be far apart (0.58), but they read as the same letters. Unrelated names
    // (below 0.5) are not read at all: this runs for most pairs that are not yet a match.
    if jw >= 0.5 && (german_cyrillic(a, b) || german_cyrillic(b, a)) {
        return (jw.max(0.88), TokenKind::SoundsAlike);
    }
    // Greek stops written letter by letter on one side (MPOZIKIS / BOZIKIS): another
    // transliteration of the same letters. (LAMPROS / LAMBROS already sound alike.)
    if jw >= 0.5 && greek_stops_agree(a, b) {
        return (0.95, TokenKind::Variant);
    }
    // Names of two or three letters differ by one letter from other short names (HO/HOA, VU/VO,
    // LE/LY, THU/THUY): only an equal spelling skeleton counts for them. A typo is one slip of
    // the keyboard or pen (a letter wrong, missing, added or two swapped; two in a long name):
    // ANNA and JOANNA are close by Jaro–Winkler but two letters apart in a short name, so two
    // names.
    if jw >= 0.88 && a.folded.len().min(b.folded.len()) > 3 && few_slips(a, b) {
        (jw, TokenKind::Typo)
    } else if let Some(similarity) =
        typo_of_a_known_form(a, b).or_else(|| typo_of_a_known_form(b, a))
    {
        (similarity, TokenKind::Typo)
    } else if let Some(similarity) = typo_after_particle(a, b).or_else(|| typo_after_particle(b, a))
    {
        (similarity, TokenKind::Typo)
    } else if romanisation_slip(a, b) || romanisation_slip(b, a) {
        (jw.max(0.85), TokenKind::RomanisationSlip)
    } else {
        (jw, TokenKind::Different)
    }
}

/// A slip in a one-syllable Chinese or Korean name written in another romanisation (CHRO for
/// CHAO, i.e. ZHAO): `written` reads as no romanisation, and it is one slip from a spelling of
/// the syllable `name` reads as ([`crate::normalize::syllable_spellings`]).
fn romanisation_slip(written: &Token, name: &Token) -> bool {
    let len = written.folded.len();
    if !(3..=7).contains(&len) || written.sinitic_key().is_some() {
        return false;
    }
    name.sinitic_keys()
        .filter_map(|k| k.strip_prefix('#'))
        .any(|key| slip_of_syllable(&written.folded, key))
}

/// Whether `joined`, two parts joined with a slip in one syllable ([`join_compounds`]), reads
/// as `name` does.
fn slip_reading_meets(joined: &Token, name: &Token) -> bool {
    joined.slip_join
        && joined
            .sound_keys()
            .filter_map(|k| k.strip_prefix('~'))
            .any(|k| name.sinitic_keys().any(|n| n.strip_prefix('#') == Some(k)))
}

/// Whether `written` is one slip from a spelling, in any romanisation, of the one syllable that
/// reads as `key` ([`crate::normalize::syllable_spellings`]: a hash lookup and a few edit
/// distances). Three letters at least: shorter spellings are one slip from too many syllables.
fn slip_of_syllable(written: &str, key: &str) -> bool {
    written.len() >= 3
        && crate::normalize::syllable_spellings(key).is_some_and(|spellings| {
            spellings
                .iter()
                .any(|s| s.len().abs_diff(written.len()) <= 1 && slips(s, written) <= 1)
        })
}

/// A typo in another form of the name (KOSTLAS for KOSTAS, i.e. KONSTANTINOS; HEELN for HELEN,
/// i.e. ELENI): one slip from a form the name table knows, under the same rules as any typo.
/// Its similarity, or `None`.
fn typo_of_a_known_form(written: &Token, name: &Token) -> Option<f64> {
    if name.name_group == 0 || written.folded.len() <= 3 {
        return None;
    }
    let len = written.folded.len();
    crate::normalize::group_forms(name.name_group)
        .iter()
        // A slip changes the length by one at most (two in long names): most forms end here.
        .filter(|form| {
            form.len() > 3
                && form.len().abs_diff(len) <= slips_allowed(len.min(form.len()))
                && **form != name.folded
        })
        .filter(|form| slips(&written.folded, form) <= slips_allowed(len.min(form.len())))
        .map(|form| jaro_winkler(&written.folded, form))
        .reduce(f64::max)
}

/// Whether one token is the other as another country transliterates the same letter: Serbian
/// DJ for the D of ICAO 9303 (Đ: DJORDJEVIC / DORDEVIC), French J for ZH (Ж: JOUKOV / ZHUKOV).
/// Names of five letters or more, so that JANG and ZHANG stay two names.
fn other_transliteration(a: &Token, b: &Token) -> bool {
    // Both readings turn on a J (DJ, or J against ZH), which few names have: this runs for every
    // compared token pair that is not the same spelling.
    if !a.folded.contains('J') && !b.folded.contains('J') {
        return false;
    }
    let reads_as = |x: &Token, y: &Token| {
        let reading = if x.folded.contains("DJ") && y.folded.contains('D') {
            crate::normalize::serbian_d_reading(&x.folded)
        } else if x.folded.contains('J') && y.folded.contains("ZH") {
            crate::normalize::french_j_reading(&x.folded)
        } else {
            None
        };
        x.folded.len().min(y.folded.len()) >= 5
            && reading.is_some_and(|r| crate::normalize::skeleton(&r) == y.skeleton)
    };
    reads_as(a, b) || reads_as(b, a)
}

/// Whether the two tokens are one Greek name with its stops written letter by letter on one side
/// (ELOT 743 and ICAO 9303: MPOZIKIS, LAMPROS, NTINOS) and as spoken on the other (BOZIKIS,
/// LAMBROS, DINOS); see [`crate::normalize::greek_stop_reading`]. Only when one side has a
/// letter-by-letter pair (MP, NT, GK) and the other does not, so that two spoken spellings
/// (LAMBERT / LABERT) never meet this way, and only when that side ends as Greek names do, in a
/// vowel or S (CAMPBELL and HUNTER are not read CABEL and HUDER); names of five letters or more.
fn greek_stops_agree(a: &Token, b: &Token) -> bool {
    // Runs for nearly every compared pair: lengths and last letters first, then one pass over
    // the letters.
    if a.folded.len().min(b.folded.len()) < 5 || a.folded.len().abs_diff(b.folded.len()) > 3 {
        return false;
    }
    let written = |t: &Token| {
        t.folded
            .bytes()
            .last()
            .is_some_and(|c| matches!(c, b'A' | b'E' | b'I' | b'O' | b'U' | b'S'))
            && crate::normalize::has_greek_stop(&t.folded)
    };
    if written(a) == written(b) {
        return false;
    }
    let read = |t: &Token| {
        crate::normalize::greek_stop_reading(&t.folded).map(|r| crate::normalize::skeleton(&r))
    };
    match (read(a), read(b)) {
        (Some(x), Some(y)) => x == y,
        (Some(x), None) => x == b.skeleton,
        (None, Some(y)) => y == a.skeleton,
        (None, None) => false,
    }
}

/// Whether `german` is `other` transliterated from Cyrillic by the German scheme (SAJEZ for
/// ZAIETS, ЗАЄЦЬ; SAJZEWA for ZAITSEVA): their skeletons agree once the German spelling is read
/// back ([`crate::normalize::german_cyrillic_reading`]) and S and Z are one letter on both
/// sides. Names of five letters or more, with the German marks on one side only, and Slavic
/// suffixes of one class (NOWAK is not NOWICKI read another way).
fn german_cyrillic(german: &Token, other: &Token) -> bool {
    fn bytes(t: &Token) -> &[u8] {
        t.folded.as_bytes()
    }
    let marks = |t: &Token| {
        bytes(t).iter().any(|&c| c == b'W' || c == b'J') || bytes(t).windows(3).any(|w| w == b"SCH")
    };
    // The German scheme's own letters: Z for Ц and J for Й. W and SCH the skeleton already
    // reads as V and SH, so a name with only those meets the other spelling without this rule.
    let reads_otherwise = |t: &Token| bytes(t).iter().any(|&c| c == b'Z' || c == b'J');
    german.folded.len().min(other.folded.len()) >= 5
        && german.folded.len().abs_diff(other.folded.len()) <= 3
        && reads_otherwise(german)
        && marks(german)
        && !marks(other)
        && crate::normalize::german_cyrillic_reading(&german.folded).is_some_and(|reading| {
            crate::normalize::skeleton(&reading)
                == crate::normalize::skeleton(&crate::normalize::cyrillic_sibilant_key(
                    &other.folded,
                ))
        })
        && !other_slavic_suffix(german, other)
}

/// Whether one token is the other with Ukrainian H for Russian G (Г): Ukraine's passports write
/// HONCHARENKO and HENNADII, Russian-language records and ICAO 9303 GONCHARENKO and GENNADII.
/// Names of five letters or more, so that HILL and GILL stay two names.
fn ukrainian_h(a: &Token, b: &Token) -> bool {
    let reads_as = |h: &Token, g: &Token| {
        h.folded.contains('H')
            && g.folded.contains('G')
            && h.folded.len().min(g.folded.len()) >= 5
            && crate::normalize::cyrillic_g_reading(&h.folded).is_some_and(|reading| {
                let skel = crate::normalize::skeleton(&reading);
                skel == g.skeleton
                    || crate::normalize::phonetic_keys(&skel)
                        .iter()
                        .any(|k| g.sound_keys().any(|o| o == k))
            })
    };
    reads_as(a, b) || reads_as(b, a)
}

/// Slavic surnames are a stem and a derivational suffix, and the suffix makes the name: NOWAK and
/// NOWICKI, KOWALSKI and KOWALCZYK, KOVALENKO and KOVALEV are different families, though their
/// sound keys agree. A suffix's gender or spelling forms are one class (KOWALSKI / KOWALSKA /
/// KOVALSKY, IVANOV / IVANOVA). Only for pairs more than a slip apart, so that a typo in the
/// suffix (NOWAK / NOWEK) stays a typo.
fn other_slavic_suffix(a: &Token, b: &Token) -> bool {
    fn class(folded: &str) -> Option<u8> {
        const CLASSES: &[(&[&str], u8)] = &[
            (&["SKI", "SKA", "SKY", "SKIY", "SKII"], 1),
            (&["CKI", "CKA", "CKY", "TSKI", "TSKA", "TSKY"], 2),
            (&["CZYK", "CHYK", "CHIK"], 3),
            (&["CZAK", "CHAK"], 4),
            (
                &["OWICZ", "EWICZ", "OVICH", "EVICH", "OVIC", "EVIC", "OVITCH"],
                5,
            ),
            (&["ENKO"], 6),
            (&["CHUK", "CZUK"], 7),
            (
                &[
                    "OV", "EV", "OVA", "EVA", "OW", "EW", "OWA", "EWA", "IEV", "IEVA", "YOV",
                ],
                8,
            ),
            (&["AK"], 9),
            (&["EK"], 10),
            (&["UK"], 11),
        ];
        CLASSES
            .iter()
            .flat_map(|(ends, class)| ends.iter().map(move |end| (*end, *class)))
            .filter(|(end, _)| folded.len() >= end.len() + 3 && folded.ends_with(end))
            .max_by_key(|(end, _)| end.len())
            .map(|(_, class)| class)
    }
    match (class(&a.folded), class(&b.folded)) {
        (Some(x), Some(y)) => x != y && !few_slips(a, b),
        _ => false,
    }
}

/// Whether `letter` is the initial of `full` as some record may write it: its own first letter,
/// the first letter of its other Chinese romanisation ([`romanised_initials`], only for tokens
/// that read as Chinese syllables, so that C never stands for JOHANNES), or that of another
/// country's spelling ([`transliterated_initials`], not for one-letter tokens, so that two
/// initials compare the same both ways).
fn initial_of(full: &Token, letter: u8) -> bool {
    let f = full.folded.as_bytes();
    let (first, second) = (f.first().copied(), f.get(1).copied());
    first == Some(letter)
        || (full.sinitic_key().is_some() && romanised_initials(first, second).contains(&letter))
        || (f.len() > 1 && transliterated_initials(first, second).contains(&letter))
        || crate::normalize::same_name_forms(&full.folded)
            .any(|form| form.as_bytes().first() == Some(&letter))
}

/// The initials another country's spelling of a name beginning `first`, `second` may start
/// with: the same name crosses scripts and languages with a different first letter (CHRISTOS
/// is HRISTOS, YELENA is ELENA, KARL is CARL, ZHANNA is JANNA, GANNA is HANNA, OMAR is UMAR,
/// VALERIJ is WALERIJ), so a record that keeps only the initial carries that spelling's letter.
fn transliterated_initials(first: Option<u8>, second: Option<u8>) -> &'static [u8] {
    let vowel = |c: Option<u8>| matches!(c, Some(b'A' | b'E' | b'I' | b'O' | b'U' | b'Y'));
    match (first, second) {
        (Some(b'C' | b'K'), Some(b'H')) => b"HKC",
        (Some(b'Z'), Some(b'H')) => b"J",
        (Some(b'P'), Some(b'H')) => b"F",
        (Some(b'C'), _) => b"K",
        (Some(b'K'), _) => b"C",
        (Some(b'E'), _) => b"YJ",
        (Some(b'I'), s) if vowel(s) => b"YJ",
        (Some(b'Y'), _) => b"IJE",
        (Some(b'J'), _) => b"YIZ",
        (Some(b'G'), Some(b'E' | b'I' | b'Y')) => b"YH",
        (Some(b'G'), _) => b"H",
        (Some(b'H'), _) => b"GCK",
        (Some(b'V'), _) => b"W",
        (Some(b'W'), _) => b"V",
        (Some(b'F'), _) => b"P",
        (Some(b'O'), _) => b"U",
        (Some(b'U'), _) => b"O",
        _ => b"",
    }
}

/// The initials of a Chinese syllable beginning `first`, `second` in the other romanisation: a
/// Taiwanese passport writes CHIA-FENG, so its holder's initial is C where the pinyin register
/// has J (JIAFENG); X is Wade–Giles HS, G is K, D is T, B is P, R is J, Z and C are TS.
fn romanised_initials(first: Option<u8>, second: Option<u8>) -> &'static [u8] {
    match (first, second) {
        // Wade–Giles spellings and what pinyin writes for them.
        (Some(b'C'), Some(b'H')) => b"JQZC",
        (Some(b'H'), Some(b'S')) => b"X",
        (Some(b'T'), Some(b'S' | b'Z')) => b"ZC",
        // Pinyin spellings and their Wade–Giles initial. A J is pinyin J (Wade–Giles CH) or
        // Wade–Giles J (pinyin R: JUI-HAO, RUIHAO).
        (Some(b'J'), _) => b"CR",
        (Some(b'Q'), _) | (Some(b'Z'), Some(b'H')) => b"C",
        (Some(b'X'), _) => b"H",
        (Some(b'Z' | b'C'), _) => b"T",
        (Some(b'G'), _) => b"K",
        (Some(b'K'), _) => b"G",
        (Some(b'D'), _) => b"T",
        (Some(b'T'), _) => b"D",
        (Some(b'B'), _) => b"P",
        (Some(b'P'), _) => b"B",
        (Some(b'R'), _) => b"J",
        _ => b"",
    }
}

/// Whether two tokens are at most one edit apart (two for names of eight letters or more), as
/// written or as skeletons (a typo in a variant spelling).
fn few_slips(a: &Token, b: &Token) -> bool {
    let allowed = slips_allowed(a.folded.len().min(b.folded.len()));
    slips(&a.skeleton, &b.skeleton) <= allowed || slips(&a.folded, &b.folded) <= allowed
}

/// Edits a typo may make in a name of `len` letters: one, two from eight letters on.
fn slips_allowed(len: usize) -> usize {
    if len >= 8 { 2 } else { 1 }
}

/// Edits (a letter wrong, missing, added, or two neighbours swapped) between two spellings.
fn slips(a: &str, b: &str) -> usize {
    rapidfuzz::distance::osa::distance(a.bytes(), b.bytes())
}

/// Whether one spelling is the other with a syllable of its own before or after it (KAYA /
/// GOKKAYA, DEMIR / DEMIRER, HASAN / HASANOV): another name built on the same one, which the
/// coarse sound key cannot tell apart because it drops vowels and merges repeated consonants.
/// Only for additions of two letters or more with a vowel: one letter is a gendered or
/// transliterated ending (IVANOV / IVANOVA, YURI / YURIY), which the sound key may judge.
fn one_name_inside_another(a: &Token, b: &Token) -> bool {
    let (short, long) = if a.skeleton.len() <= b.skeleton.len() {
        (&a.skeleton, &b.skeleton)
    } else {
        (&b.skeleton, &a.skeleton)
    };
    let extra = match (
        long.strip_prefix(short.as_str()),
        long.strip_suffix(short.as_str()),
    ) {
        (Some(rest), _) | (None, Some(rest)) => rest,
        (None, None) => return false,
    };
    extra.len() >= 2 && extra.bytes().any(crate::normalize::is_vowel)
}

/// Whether `long` is `short` with a particle written onto it: ALMASRI / MASRI for any name
/// part, and for surnames DELACRUZ / CRUZ, VANDERBERG / BERG, BENALI / ALI, DASILVA / SILVA,
/// OBRIEN / BRIEN. Records drop a separate particle (DE LA CRUZ → CRUZ) and keep an attached
/// one, so the two forms of one name meet only here.
fn attached_particle(long: &Token, short: &Token) -> bool {
    let surname = long.surname || short.surname;
    // This runs for every compared token pair: first the one test most pairs fail, that the
    // longer ends with the shorter, then whether what precedes it is a particle.
    let attached = |long: &str, short: &str| {
        long.strip_suffix(short)
            .is_some_and(|prefix| is_attached_particle(prefix, short.len(), surname))
    };
    attached(&long.skeleton, &short.skeleton)
        // As written too: the skeleton merges a letter doubled across the join (DOSSANTOS →
        // DOSANTOS).
        || (surname && attached(&long.folded, &short.folded))
}

/// Particles written onto a name, with the shortest rest that still reads as a name of its own
/// (ALI and ELENA never lose a syllable; D' only before five letters: DANGELO, never DAVIS /
/// AVIS), and whether only surnames carry them that way. The Arabic article is written onto
/// any name part (ALMASRI, ELSAYED); the others onto surnames.
const ATTACHED_PARTICLES: &[(&str, usize, bool)] = &[
    ("AL", 4, false),
    ("EL", 4, false),
    ("BEN", 3, true),
    ("BIN", 3, true),
    ("IBN", 3, true),
    ("DE", 3, true),
    ("DEL", 3, true),
    ("DELA", 3, true),
    ("DELLA", 3, true),
    ("LA", 3, true),
    ("LE", 3, true),
    ("DA", 3, true),
    ("DI", 3, true),
    ("DOS", 3, true),
    ("DAS", 3, true),
    ("DU", 3, true),
    ("VAN", 3, true),
    ("VANDER", 3, true),
    ("VANDEN", 3, true),
    ("VON", 3, true),
    ("TER", 3, true),
    ("TEN", 3, true),
    ("O", 4, true),
    ("D", 5, true),
];

/// A slip in a name with a particle written onto it (ALMASI or ALMKSRI for AL-MASRI, whose
/// record keeps MASRI): what follows the particle is one slip from the other token. Only the
/// Arabic article and particles of three letters or more, on names of five letters and rests of
/// four: with a short particle or rest, a slip meets too many names by chance (ÖZCAN is O and
/// one slip from ERCAN; DEMIR is DE and one slip from MIRA).
fn typo_after_particle(long: &Token, short: &Token) -> Option<f64> {
    let surname = long.surname || short.surname;
    if short.folded.len() < 5 || long.folded.len() <= short.folded.len() {
        return None;
    }
    ATTACHED_PARTICLES
        .iter()
        .filter(|&&(particle, _, surnames_only)| !surnames_only || (surname && particle.len() >= 3))
        .find_map(|&(particle, min, _)| {
            let rest = long.folded.strip_prefix(particle)?;
            (rest.len() >= min.max(4)
                && rest.len().abs_diff(short.folded.len()) <= 1
                && slips(rest, &short.folded) <= 1)
                .then(|| jaro_winkler(rest, &short.folded))
        })
}

fn is_attached_particle(prefix: &str, rest: usize, surname: bool) -> bool {
    ATTACHED_PARTICLES
        .iter()
        .any(|&(particle, min, surnames_only)| {
            particle == prefix && rest >= min && (surname || !surnames_only)
        })
}

/// Every rest of a token after a particle written onto it (VANDERBERG → DERBERG, BERG): only
/// the Arabic article unless `surname`. The index keys the rests, so that both readings meet
/// there as they do in [`attached_particle`].
pub(crate) fn without_attached_particles(token: &str, surname: bool) -> impl Iterator<Item = &str> {
    ATTACHED_PARTICLES
        .iter()
        .filter_map(move |&(particle, min, surnames_only)| {
            token
                .strip_prefix(particle)
                .filter(|rest| rest.len() >= min && (surname || !surnames_only))
        })
}

/// A pairing of probe token `probe` with candidate token `candidate`.
#[derive(Clone, Debug, PartialEq)]
pub struct TokenPair {
    pub probe: usize,
    pub candidate: usize,
    pub similarity: f64,
    pub kind: TokenKind,
}

/// The best one-to-one pairing of tokens of two name forms, ignoring order (surname and given names
/// are swapped in real data), after joining adjacent tokens written apart on one side only
/// (ABDEL RAHMAN / ABDELRAHMAN). Returns the pairs and the two (possibly joined) token lists.
pub fn pair_tokens<'a>(
    probe: &'a NameForm,
    candidate: &'a NameForm,
) -> (Vec<TokenPair>, Cow<'a, [Token]>, Cow<'a, [Token]>) {
    let mut left = Cow::Borrowed(probe.tokens.as_slice());
    let mut right = Cow::Borrowed(candidate.tokens.as_slice());
    // Joined to a fixed point (SCHM IT T / SCHMIT T: both end as SCHMITT), always starting from
    // the same one of the two sides whichever is the probe, so the outcome is symmetric. Every
    // join removes a token, so this ends.
    let swap = probe
        .tokens
        .iter()
        .map(|t| t.folded.as_str())
        .gt(candidate.tokens.iter().map(|t| t.folded.as_str()));
    if swap {
        std::mem::swap(&mut left, &mut right);
    }
    while left.len() != right.len() {
        let mut changed = false;
        if let Some(joined) = join_compounds(&left, &right) {
            left = Cow::Owned(joined);
            changed = true;
        }
        if let Some(joined) = join_compounds(&right, &left) {
            right = Cow::Owned(joined);
            changed = true;
        }
        if !changed {
            break;
        }
    }
    if swap {
        std::mem::swap(&mut left, &mut right);
    }
    let mut all: Vec<TokenPair> = Vec::with_capacity(left.len() * right.len());
    for (i, a) in left.iter().enumerate() {
        for (j, b) in right.iter().enumerate() {
            let (similarity, kind) = token_similarity(a, b);
            all.push(TokenPair {
                probe: i,
                candidate: j,
                similarity,
                kind,
            });
        }
    }
    // Greedy by similarity; ties prefer keeping surname with surname.
    all.sort_by(|x, y| {
        y.similarity
            .total_cmp(&x.similarity)
            .then_with(|| {
                let same_x = left.get(x.probe).map(|t| t.surname)
                    == right.get(x.candidate).map(|t| t.surname);
                let same_y = left.get(y.probe).map(|t| t.surname)
                    == right.get(y.candidate).map(|t| t.surname);
                same_y.cmp(&same_x)
            })
            .then_with(|| (x.probe, x.candidate).cmp(&(y.probe, y.candidate)))
    });
    let mut used_left = vec![false; left.len()];
    let mut used_right = vec![false; right.len()];
    let mut pairs = Vec::new();
    for pair in all {
        if used_left.get(pair.probe) == Some(&false)
            && used_right.get(pair.candidate) == Some(&false)
        {
            used_left[pair.probe] = true;
            used_right[pair.candidate] = true;
            pairs.push(pair);
        }
    }
    pairs.sort_by_key(|p| p.probe);
    (pairs, left, right)
}

/// Joins two adjacent tokens of `side` when their concatenation's skeleton equals a token of `other`.
fn join_compounds(side: &[Token], other: &[Token]) -> Option<Vec<Token>> {
    if side.len() < 2 {
        return None;
    }
    let mut side = side.to_vec();
    let before = side.len();
    let mut i = 0;
    while i + 1 < side.len() {
        let (a, b) = (&side[i], &side[i + 1]);
        // Joining keeps the first token's first letter: skip pairs no token of `other` could
        // equal (this runs for every compared candidate whose token count differs).
        let first = a.skeleton.as_bytes().first();
        if a.surname == b.surname && other.iter().any(|o| o.skeleton.as_bytes().first() == first) {
            let joined = format!("{}{}", a.folded, b.folded);
            // Only the skeleton decides; the full token (sound keys) is built for a join only.
            let joined_skeleton = skeleton(&joined);
            // ...or is one slip from one (MEHI LING / MEILING): a typo inside a name written
            // in two parts on one side must not leave both parts unpaired.
            if other.iter().any(|o| {
                o.skeleton == joined_skeleton
                    || (o.skeleton.len() >= 6
                        && o.skeleton.len().abs_diff(joined_skeleton.len()) <= 1
                        && slips(&o.skeleton, &joined_skeleton)
                            <= slips_allowed(o.skeleton.len().min(joined_skeleton.len())))
            }) {
                side[i] = Token::new(&joined, a.surname);
                side.remove(i + 1);
                continue;
            }
        }
        // Wade–Giles writes a two-syllable given name with a hyphen (CHIH-MING, CHIEN-KUO), pinyin
        // as one word (ZHIMING, JIANGUO): join when the syllables read as the other side's token.
        // A part with a slip (HJIAO-YAN for HSIAO-YEN, XIAOYAN) reads as nothing; it joins when
        // the other part reads as the start or the end of a token of `other` and the syllable
        // left over is one slip from it ([`slip_of_syllable`]).
        let met = (a.surname == b.surname
            && (a.sinitic_key().is_some() || b.sinitic_key().is_some()))
        .then(|| {
            fn plain(t: &Token) -> Vec<&str> {
                t.sinitic_keys()
                    .filter_map(|k| k.strip_prefix('#'))
                    .collect()
            }
            let (first, second) = (plain(a), plain(b));
            // Whether `key`, a reading of a token of `other`, starts with a reading of the first
            // part and leaves a syllable one slip from the second part as written; and the same
            // the other way round.
            let slip_in_second = |key: &str| {
                first.iter().any(|ka| {
                    key.len() > ka.len()
                        && key
                            .strip_prefix(ka)
                            .is_some_and(|kb| slip_of_syllable(&b.folded, kb))
                })
            };
            let slip_in_first = |key: &str| {
                second.iter().any(|kb| {
                    key.len() > kb.len()
                        && key
                            .strip_suffix(kb)
                            .is_some_and(|ka| slip_of_syllable(&a.folded, ka))
                })
            };
            // Whether `key` is the two parts' readings joined; a part that reads as nothing may
            // be one slip from the syllable it leaves over.
            let joins = |key: &str| {
                if first.is_empty() {
                    slip_in_first(key)
                } else if second.is_empty() {
                    slip_in_second(key)
                } else {
                    first.iter().any(|ka| {
                        key.strip_prefix(ka)
                            .is_some_and(|rest| second.contains(&rest))
                    })
                }
            };
            // Both parts read, but one of them as another syllable one slip away (HUN-LING
            // for HUNG-LING, i.e. HONGLING). The join is kept as a slip reading (`~`), which
            // only [`token_similarity`] reads, as a romanisation slip: two established names a
            // slip apart (MINGHUA, MINGHUI) stay two names.
            let slipped = |key: &str| {
                !first.is_empty()
                    && !second.is_empty()
                    && (slip_in_second(key) || slip_in_first(key))
            };
            let readings = || {
                other
                    .iter()
                    .flat_map(|o| o.sinitic_keys().filter_map(|k| k.strip_prefix('#')))
            };
            readings()
                .find(|k| joins(k))
                .map(|k| format!("#{k}"))
                .or_else(|| readings().find(|k| slipped(k)).map(|k| format!("~{k}")))
        })
        .flatten();
        if let Some(key) = met {
            let joined = format!("{}{}", a.folded, b.folded);
            let mut token = Token::new(&joined, a.surname);
            // The joined spelling may parse into other syllables than its parts did; the parts'
            // reading is the one that met the other side.
            let mut keys: Vec<&str> = token.sound_keys().filter(|k| !k.starts_with('#')).collect();
            keys.push(&key);
            token.phonetic = keys.join(",");
            token.slip_join = key.starts_with('~');
            side[i] = token;
            side.remove(i + 1);
            continue;
        }
        // A typo can move the syllable boundary of a Wade–Giles name (CHINGY-I for CHING-YI):
        // the joined spelling, read afresh, meets the other side's pinyin (JINGYI).
        if a.surname == b.surname
            && (a.sinitic_key().is_none() || b.sinitic_key().is_none())
            && other.iter().any(|o| o.sinitic_key().is_some())
        {
            let joined = format!("{}{}", a.folded, b.folded);
            if crate::normalize::sinitic_keys(&joined).iter().any(|key| {
                other.iter().any(|o| {
                    o.sinitic_keys()
                        .any(|k| k.strip_prefix('#') == Some(key.as_str()))
                })
            }) {
                side[i] = Token::new(&joined, a.surname);
                side.remove(i + 1);
                continue;
            }
        }
        i += 1;
    }
    (side.len() != before).then_some(side)
}

/// How two birth dates relate. Partial dates (unknown month/day written 00) agree on what is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateKind {
    /// Full dates, identical.
    Exact,
    /// Same known parts, one or both partial; the value is how many parts are known on both (1 or 2).
    Partial(u8),
    DayMonthSwapped,
    /// Full dates differing in one digit of day or month.
    DigitTypo,
    /// Same day and month, year differs by one digit (1979/1989) or by one.
    YearSlip,
    /// Same year, different day/month that no common error explains.
    SameYearOnly,
    /// One side partial and the years one apart: a year written alone is often an estimate
    /// ("about 1975"), so this neither confirms nor clearly refutes.
    PartialNearYear,
    /// Clearly different dates.
    Different,
    Missing,
}

impl DateKind {
    /// Agreement that a namesake's date meets by chance far more often than an exact date: a
    /// partial date, or a full one a slip away. Not a day/month swap: only one date in about
    /// 25,000 is another's swap, about as rare as the same date.
    pub fn is_weak(self) -> bool {
        matches!(
            self,
            DateKind::Partial(_)
                | DateKind::DigitTypo
                | DateKind::YearSlip
                | DateKind::PartialNearYear
        )
    }

    pub fn label(self) -> &'static str {
        match self {
            DateKind::Exact => "exact",
            DateKind::Partial(_) => "agrees on the known parts (partial date)",
            DateKind::DayMonthSwapped => "day/month swapped",
            DateKind::DigitTypo => "one digit differs",
            DateKind::YearSlip => "year off by one or one digit",
            DateKind::SameYearOnly => "same year, different day",
            DateKind::PartialNearYear => "partial date, year off by one",
            DateKind::Different => "different",
            DateKind::Missing => "no data",
        }
    }
}

fn digits_differ_by_one(a: u16, b: u16, width: usize) -> bool {
    let (a, b) = (format!("{a:0width$}"), format!("{b:0width$}"));
    a.bytes().zip(b.bytes()).filter(|(x, y)| x != y).count() == 1
}

/// Compares two birth dates (order-independent).
pub fn compare_dates(a: Option<PartialDate>, b: Option<PartialDate>) -> DateKind {
    let (Some(a), Some(b)) = (a, b) else {
        return DateKind::Missing;
    };
    let (ya, ma, da) = (a.year(), a.month(), a.day());
    let (yb, mb, db) = (b.year(), b.month(), b.day());
    let month_ok = ma == 0 || mb == 0 || ma == mb;
    let day_ok = da == 0 || db == 0 || da == db;
    let both_full = a.is_complete() && b.is_complete();
    if ya == yb {
        if both_full {
            if ma == mb && da == db {
                return DateKind::Exact;
            }
            if ma == db && da == mb {
                return DateKind::DayMonthSwapped;
            }
            let month_typo = ma == mb || digits_differ_by_one(u16::from(ma), u16::from(mb), 2);
            let day_typo = da == db || digits_differ_by_one(u16::from(da), u16::from(db), 2);
            if month_typo && day_typo && ((ma == mb) != (da == db)) {
                return DateKind::DigitTypo;
            }
            return DateKind::SameYearOnly;
        }
        if month_ok && day_ok {
            let known = 1 + u8::from(ma != 0 && mb != 0);
            return DateKind::Partial(known);
        }
        return DateKind::SameYearOnly;
    }
    // A slipped year is only believable when the rest of a full date agrees; with a partial
    // date a different year is simply a different year.
    // A year off by one (an age counted wrongly) or one mistyped digit within the same decade
    // or the next (1979/1989); a mistyped decade digit further away (1960/1990) is far more
    // often simply another person.
    let year_slip =
        ya.abs_diff(yb) == 1 || (ya.abs_diff(yb) <= 10 && digits_differ_by_one(ya, yb, 4));
    if year_slip && both_full && ma == mb && da == db {
        return DateKind::YearSlip;
    }
    if !both_full && ya.abs_diff(yb) == 1 && month_ok && day_ok {
        return DateKind::PartialNearYear;
    }
    DateKind::Different
}

/// A travel document number reduced to what survives retyping: upper-case letters and digits, MRZ
/// fillers and spaces removed, the letter O read as zero (the commonest OCR and typing confusion).
pub fn document_key(number: &str) -> String {
    number
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            other => other,
        })
        .collect()
}

/// Whether two document number lists share a number (after [`document_key`]); `None` when either
/// side has no document.
pub fn compare_documents(a: &[String], b: &[String]) -> Option<bool> {
    if a.is_empty() || b.is_empty() {
        return None;
    }
    Some(a.iter().any(|x| b.contains(x)))
}

/// Number plate characters that cameras and people confuse, mapped to one representative.
fn plate_class(c: char) -> char {
    match c {
        'O' | '0' | 'Q' | 'D' => '0',
        'I' | '1' | 'L' => '1',
        'B' | '8' => '8',
        'S' | '5' => '5',
        'Z' | '2' => '2',
        'G' | '6' => '6',
        other => other,
    }
}

/// A number plate reduced to letters and digits (spaces, dashes and dots removed, upper case).
pub fn plate_key(plate: &str) -> String {
    fold_plate(plate)
}

fn fold_plate(plate: &str) -> String {
    plate
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Similarity of two number plates. `country` codes are optional on either side and only
/// disagree when both are given. 1.0 identical; 0.9 identical up to OCR confusions (O/0/Q/D,
/// I/1/L, B/8, S/5, Z/2, G/6); otherwise a normalised edit similarity over confusion classes,
/// scaled down so one wrong character stays below 0.9.
pub fn plate_similarity(a: &str, a_country: Option<&str>, b: &str, b_country: Option<&str>) -> f64 {
    if let (Some(x), Some(y)) = (a_country, b_country) {
        let (x, y) = (
            limes_model::country::alpha3(x),
            limes_model::country::alpha3(y),
        );
        if x.is_some() && y.is_some() && x != y {
            return 0.0;
        }
    }
    let (a, b) = (fold_plate(a), fold_plate(b));
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    if a == b {
        return 1.0;
    }
    let ca: String = a.chars().map(plate_class).collect();
    let cb: String = b.chars().map(plate_class).collect();
    if ca == cb {
        return 0.9;
    }
    0.8 * rapidfuzz::distance::levenshtein::normalized_similarity(ca.chars(), cb.chars())
}

#[cfg(test)]
mod tests;
