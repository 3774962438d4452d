//! Fellegi–Sunter scoring: every field comparison contributes a weight log2(m/u), where m is how
//! often the comparison outcome is seen for the same person and u how often for two different
//! people; the sum is turned into a probability by a logistic calibration.
//!
//! The weights are set, not learnt, and each has its reason next to it. The constants were then
//! checked against `limes generate persons` data (per culture) and FEBRL; the calibration maps a
//! total weight of [`CALIBRATION_CENTRE`] bits to probability 0.5.

use std::borrow::Cow;
use std::fmt;

use crate::compare::{
    DateKind, NameForm, Prepared, Token, TokenKind, compare_dates, compare_documents, pair_tokens,
};

/// How common names are among the people screened against. A match on a rare name is stronger
/// evidence than on a common one, and a second agreeing name part is judged by how common it is
/// *among people who share the first* (name parts are not independent: VAN follows NGUYEN).
pub trait NameFrequency {
    /// Share in (0,1] of people carrying a token with this skeleton (spelling variants together).
    fn share(&self, skeleton: &str) -> f64;
    /// Share in (0,1] of people carrying a token with this primary sound key (used when two tokens
    /// only sound alike, so that every spelling of the name counts).
    fn sound_share(&self, sound_key: &str) -> f64 {
        let _ = sound_key;
        TYPICAL_TOKEN_SHARE
    }
    /// Share of people carrying `skeleton` among those who carry `given` (both skeletons).
    fn conditional_share(&self, given: &str, skeleton: &str) -> f64 {
        let _ = given;
        prior_conditional_share(skeleton)
    }
    /// Share of people of nationality `nationality` among those who carry `skeleton`: how often
    /// two people who share this name also share a nationality by chance (u of a nationality
    /// agreement). Everyone called KOWALSKI is Polish; HADDAD is carried across the Arab world.
    /// `None` when too few carriers are known to tell.
    fn nationality_share(&self, skeleton: &str, nationality: [u8; 3]) -> Option<f64> {
        let _ = (skeleton, nationality);
        None
    }
    /// Whether `skeleton` is a name in its own right rather than a spelling nobody else carries
    /// (a typo): without counts, when the compiled-in name table knows it.
    fn is_established(&self, skeleton: &str) -> bool {
        crate::frequency::within_culture(skeleton).is_some()
    }
    /// Share of the people carrying `skeleton` whose name has more than `parts` parts: how often
    /// a namesake who agrees on a name of `parts` parts has a further one. `None` when unknown
    /// (no gallery counts, or a name length the counts do not cover).
    fn longer_share(&self, skeleton: &str, parts: usize) -> Option<f64> {
        let _ = (skeleton, parts);
        None
    }
    /// How many gallery people carry this whole name (all its parts, any order, spelling
    /// variants together), and how many people the gallery holds. `None` without gallery counts.
    fn namesakes(&self, form: &NameForm) -> Option<(u32, u64)> {
        let _ = form;
        None
    }
}

/// u of a nationality agreement when nothing is known of the name's spread: about 0.6 among
/// people whose names agree (names already carry the culture), which with m ≈ 0.9 is the half
/// bit a nationality agreement was always worth.
pub const PRIOR_NATIONALITY_SHARE: f64 = 0.63;

/// The frequency model used when no gallery statistics exist: the compiled-in name table
/// ([`crate::frequency`]) where it knows a name, otherwise every token as common as a typical
/// surname in a large mixed population (1 in 2,000).
#[derive(Clone, Copy, Debug, Default)]
pub struct FlatFrequency;

/// Typical share of one name token in a mixed population. Used as a prior so that a tiny gallery
/// does not make every name look common.
pub const TYPICAL_TOKEN_SHARE: f64 = 1.0 / 2000.0;

/// Prior share of a token in a mixed gallery: the table's within-culture share scaled by
/// [`crate::frequency::CULTURE_SHARE`], never below [`TYPICAL_TOKEN_SHARE`].
pub fn prior_share(skeleton: &str) -> f64 {
    crate::frequency::within_culture(skeleton)
        .map_or(TYPICAL_TOKEN_SHARE, |s| s * crate::frequency::CULTURE_SHARE)
        .max(TYPICAL_TOKEN_SHARE)
}

/// Prior share of a token among people who already share another name part with the probe, i.e.
/// within one culture: the table's figure, or a typical token's share within one culture
/// ([`TYPICAL_TOKEN_SHARE`] / [`crate::frequency::CULTURE_SHARE`], 1 in 200).
pub fn prior_conditional_share(skeleton: &str) -> f64 {
    crate::frequency::within_culture(skeleton)
        .unwrap_or(TYPICAL_TOKEN_SHARE / crate::frequency::CULTURE_SHARE)
}

impl NameFrequency for FlatFrequency {
    fn share(&self, skeleton: &str) -> f64 {
        prior_share(skeleton)
    }
}

/// m: a name token of the same person agrees (exactly or as a variant) 95 % of the time.
const M_TOKEN: f64 = 0.95;
/// Per-token agreement is capped at 12 bits (u ≥ 1/4096): name tokens are correlated within a
/// culture, so the independence assumption would otherwise let three rare tokens outweigh a
/// clearly different birth date, and namesakes must not hit.
const MAX_TOKEN_BITS: f64 = 12.0;
/// The whole name is capped at 28 bits: beyond that the independence of tokens is fiction (long
/// names repeat within families), and a clearly different birth date must still win.
const MAX_NAME_BITS: f64 = 28.0;
/// ...and a token floored at half a bit: even the commonest token (NGUYEN, 38 % of its culture,
/// log2(0.95 / 0.38) ≈ 1.3 bits; VAN after NGUYEN ≈ 1.9 bits) says a little.
const MIN_TOKEN_BITS: f64 = 0.5;
/// A token pair that clearly differs: m ≈ 0.004 (typos beyond recognition; a changed surname is
/// recorded as an alias, and aliases are compared too), u ≈ 0.95 → log2(0.004 / 0.95) ≈ −8.
/// Half the name disagreeing must outweigh one common given name agreeing on the same birth
/// date, or every AHMET born on 17 June 1988 would hit every other. Set one bit lower still:
/// with −8, pairs whose surname and full birth date agreed but a given name clearly differed
/// scored 0.58 on generated data and were the same person 45 % of the time.
const TOKEN_DISAGREE_BITS: f64 = -9.0;
/// A given name that clearly differs where both spellings are established names
/// ([`both_established`]): m is lower than for a garbled spelling, since a record seldom turns one
/// real name into another (the forms of one name, KOSTAS for KONSTANTINOS or MIKAEL for MICHAEL,
/// are variants, not differences), while u is as high; twins are exactly such pairs. Not far
/// lower: a familiar form the name table lacks (PEGGY for MARGARET) is also two established names,
/// and FEBRL's corruptions replace a given name by another one. Measured on twelve generated sets
/// of 50,000: at −9, pairs with the same surname and full birth date and two such given names
/// (DEMIR MEHMET / DEMIR EMRE) scored 0.39 and were the same person 2 % of the time (1 of 56
/// Turkish, 0 of 38 Polish). At −11, no-match false hits fell from 1.097 to 1.057 % and recall
/// at 1 % false hits rose from 0.9869 to 0.9880; on FEBRL4, recall at 1 % false hits stayed
/// 0.9324 (the default threshold's point moved: recall 0.912 → 0.902, false hits 0.32 → 0.28 %).
/// At −13, FEBRL4's recall at 1 % fell to 0.9304.
const TWO_GIVEN_NAMES_BITS: f64 = -11.0;
/// Share of the people in a gallery from which a spelling is a name in its own right
/// ([`NameFrequency::is_established`] with gallery counts): one in 5,000, a name carried by one
/// in 500 of one culture of a mixed gallery. A spelling the gallery has never seen has a
/// twentieth of that in a gallery of 50,000 and less in a larger one, so a typo never qualifies.
pub const ESTABLISHED_SHARE: f64 = 1.0 / 5000.0;
/// A surname that clearly differs: rarer still for the same person than a given name that does
/// (given names are shortened, replaced by a familiar form, or dropped; a changed surname is
/// recorded as an alias). Measured on generated data: of pairs with a clearly different surname
/// and the same full birth date, 1.6 % were the same person while −8 bits scored them 0.4.
const SURNAME_DISAGREE_BITS: f64 = -11.0;
/// Close but not a recognised typo (JOHANSSON/JONSSON, Jaro–Winkler ≥ 0.75): a different name far
/// more often than a mistyped one, so it counts against, but less than a clear difference. (At
/// −3, such pairs with an agreeing partial date scored 0.42 and were the same person 72 % of
/// the time: familiar forms such as TASOS/ANASTASIOS land here.) Only when one of the two
/// spellings is garbled: two names in their own right that look alike are two names
/// ([`both_established`]), weighed as any two such names are. Counting HUNG/DUNG or THANH/THINH
/// as a near miss made Vietnamese the culture with the most false hits (1.60 % on 60k/seed 2;
/// 1.00 % as two names). Until the eighth session only names carried by one in a thousand
/// counted as two names here; at one in 5,000 (the established share), on twelve generated sets
/// of 50,000 no-match false hits fell from 1.048 to 0.978 % (Vietnamese 1.314 → 1.128 %:
/// NGUYEN VAN TRUONG / NGUYEN VAN HUNG, YANG JINZHEN / YANG JINLONG born the same day) and
/// recall at 1 % false hits rose from 0.9902 to 0.9908; FEBRL4's stayed 0.9328.
const NEAR_MISS_BITS: f64 = -2.0;
/// Two established one-syllable parts of a Vietnamese name that differ ([`crate::frequency::
/// is_vietnamese_marker`]): HƯƠNG and HỒNG, HẠNH and HẰNG, TÀI and THÁI. The sound key and the
/// skeleton, built for names whose vowels and consonant clusters vary with the transliteration,
/// read such pairs as one name; in Quốc ngữ they are two. Not as strong as two other given
/// names, because the stock is so dense that a slip of the pen often lands on another name
/// (HUONG with its O dropped is HUNG).
const TWO_SYLLABLES_BITS: f64 = -4.0;
/// A name part written on one side only (a missing middle name): common for the same person,
/// but it is also how two relatives or strangers with a shared first and last name differ
/// (NOWAK EWA / NOWAK EWA MARIA). At −0.7 bits such pairs without a birth date scored 0.32 and
/// were the same person 7 % of the time on generated data.
const MISSING_TOKEN_BITS: f64 = -2.0;
/// m of a name part written on one side only: how often a record of the same person leaves out
/// a part (a dropped middle name, a form with one given-name field).
///
/// With gallery counts, the weight is log2(m / u), where u is how often a record of someone
/// else who carries the agreeing parts reads exactly like the shorter side: the person has no
/// further part (1 − q, q from [`NameFrequency::longer_share`]), or has one and it was left out
/// (q · m). Where nearly every carrier has one more part (NGUYEN ANH: VĂN, THỊ, NGỌC… follow
/// almost always), a name written without it is an omission, for the same person as for anyone
/// else, and the missing part says little; where most carriers have none (NOWAK EWA), it is how
/// a namesake looks. q = 0.45 gives the −2 bits used without counts.
const M_MISSING_PART: f64 = 0.15;
/// Bounds of the missing part's weight. The upper bound is a choice between two burdens, not a
/// likelihood: by the formula, names whose carriers nearly all have a further part would get
/// about −0.4 bits, and on twelve generated sets of 50,000 their culture's no-match probes then
/// hit 1.38 % of the time against 1.05 % overall (its recall 0.9851). At −1 they hit 1.31 %
/// (recall 0.9829; it was 0.9762 with −2 for every missing part, at 1.17 %): most of the recall,
/// and no culture's no-match probes carrying more than twice the lightest burden.
const MISSING_PART_BITS_RANGE: (f64, f64) = (-2.5, -1.0);

/// Weight of one name part written on one side only, when the shorter side has `shorter` parts:
/// the agreeing parts' lowest "has a further part" share decides (the most cautious weight).
/// Without counts, [`MISSING_TOKEN_BITS`].
fn missing_part_bits<'t>(
    freq: &dyn NameFrequency,
    shorter: usize,
    agreeing: impl Iterator<Item = &'t Token>,
) -> f64 {
    agreeing
        .filter_map(|t| freq.longer_share(&t.skeleton, shorter))
        .reduce(f64::min)
        .map_or(MISSING_TOKEN_BITS, |q| {
            (M_MISSING_PART / (1.0 - q * (1.0 - M_MISSING_PART)))
                .log2()
                .clamp(MISSING_PART_BITS_RANGE.0, MISSING_PART_BITS_RANGE.1)
        })
}
/// Share of an agreement's weight kept when two tokens only sound alike: m for "the same
/// person's name written so that only the sound key agrees" is lower than for an exact match
/// (about 0.9 of it in log terms on generated and FEBRL data); u is the sound key's share.
const SOUNDS_ALIKE_FACTOR: f64 = 0.9;
/// Share of an agreement's weight kept for a typo (one slip of the pen; two in long names; u is
/// the commoner of the sound key's and the skeleton's share). It used to shrink with the spelling
/// distance (similarity − 0.3, about 0.6), and pairs with a typo and an agreeing partial date
/// then scored 0.77 while 94 % were the same person: a typo is already at most one slip.
const TYPO_FACTOR: f64 = 0.8;
/// An initial agreeing with a full token: u ≈ 1/15 (initial letters are unevenly spread), m ≈ 0.8
/// of a written-out name's → about 3.6 bits.
const INITIAL_BITS: f64 = 3.5;
/// Surname and given names swapped: no evidence either way. Swaps are frequent in real data
/// (carriers, family-name-first cultures), and the coincidence of unrelated people's name parts
/// is already priced by the name weights; at −0.5, swapped pairs scored 0.91 where 96 % were the
/// same person.
const ORDER_SWAP_BITS: f64 = 0.0;

/// Birth date weights. u for a full date among adults ≈ 1/(365 × 70) → log2(0.93 × 25550) ≈ 14.5.
const DATE_EXACT_BITS: f64 = 14.0;
/// Year only known: u ≈ 1/50 (ages on watch lists cluster between 20 and 70), m ≈ 0.8 (a year
/// alone is often an estimate: "about 1980") → log2(0.8 × 50) ≈ 5.3 by Fellegi–Sunter; year and
/// month: u ≈ 1/600 → ≈ 8.9. We set both about two bits lower on purpose: a partial date cannot
/// refute a namesake (the day and month that would tell them apart are missing), so the names
/// must carry more of the evidence before such a pair hits. This is what keeps strangers with a
/// common name from hitting every partial-date record of the same year. (Lowered by 1.5 bits
/// rather than 2 since typos are weighed at their worth: pairs with an agreeing partial date
/// were then under-confident in every name class, 0.92 against 94 % the same person.)
const DATE_PARTIAL_YEAR_BITS: f64 = 4.0;
const DATE_PARTIAL_MONTH_BITS: f64 = 7.5;
/// Data-entry errors: m ≈ 0.02–0.04 each. u: a one-digit day or month difference within the same
/// year happens for ~1 in 3,500 random pairs (about seven neighbouring dates), a slipped year
/// for ~1 in 3,000, a swap for ~1 in 25,000 → log2(m/u) ≈ 6, 6 and 9 by Fellegi–Sunter. We set
/// them two to three bits lower: these outcomes are exactly how namesakes born close together
/// look (LE DUC born 22 and 23 November), and with a common name nothing else tells them apart.
/// Measured: at 5.5 bits namesake false hits rose by a third for a recall gain of half that.
const DATE_SWAP_BITS: f64 = 6.0;
const DATE_TYPO_BITS: f64 = 4.0;
const DATE_YEAR_SLIP_BITS: f64 = 4.0;
/// Same year but day/month unexplained: m ≈ 0.005, u ≈ 1/70.
const DATE_SAME_YEAR_BITS: f64 = -12.0;
/// One side partial, years one apart: m ≈ 0.05 (estimated years), u ≈ 1/35 → about +0.8 by
/// Fellegi–Sunter; we count it against (−2.5), since it cannot tell namesakes apart either: at
/// −1, exact names with such dates scored 0.29 and were the same person 10 % of the time.
const DATE_PARTIAL_NEAR_YEAR_BITS: f64 = -2.5;
/// Clearly different: m ≈ 1e-5 (only gross errors), u ≈ 1 → the namesake rule. Large enough that
/// the maximum name evidence (three capped tokens) plus nationality and sex stays below the centre.
const DATE_DIFFERENT_BITS: f64 = -30.0;

/// Nationality: m ≈ 0.9 (dual nationals, carrier errors); agreement is worth little because
/// names already carry the culture: u is the nationality's share among people who carry the
/// agreeing name ([`NameFrequency::nationality_share`], about 0.6 without gallery counts: half a
/// bit). A name carried in one country only (KOWALSKI) makes agreement worth nothing and leaves a
/// namesake's false hit to the other fields; a name carried across many (HADDAD) makes it count.
const NAT_M: f64 = 0.9;
/// The most a nationality agreement can add (u ≥ 0.24). Kept below two bits so that a
/// same-year, other-day candidate (−12 bits) cannot reach the centre of a million-record
/// gallery (18.43 bits) even with the largest name weight (28 + 1.9 + 0.5 − 12 = 18.4), and the
/// index skips it without comparing names, as it did before nationality agreement was weighed.
const NAT_AGREE_MAX_BITS: f64 = 1.9;
/// Different nationalities: m ≈ 0.05 (dual nationals, a carrier's error), u ≈ 0.8 among people
/// whose names agree → −4. (At −2.5, pairs with exact names and agreeing partial dates but
/// different nationalities scored 0.33 on generated data; none was the same person.)
const NAT_DISAGREE_BITS: f64 = -4.0;
/// Sex: m ≈ 0.99, u ≈ 0.5 (agree) / m ≈ 0.01, u ≈ 0.5 (disagree, but data-entry errors exist).
const SEX_AGREE_BITS: f64 = 0.5;
const SEX_DISAGREE_BITS: f64 = -4.0;
/// Document number shared: u for a 9-character number is negligible; m limited by reissued
/// passports, not by coincidence.
const DOC_AGREE_BITS: f64 = 18.0;
/// Different numbers: people hold several documents over time, so weak.
const DOC_DISAGREE_BITS: f64 = -1.0;

/// Total weight (bits) at which the calibrated probability is 0.5 when two records are compared
/// outside a gallery ([`compare_prepared`]): that of a gallery of about 40,000 people.
pub const CALIBRATION_CENTRE: f64 = 14.5;
/// The lowest calibration centre of a gallery, that of about 11,000 people: a smaller gallery is
/// treated as a sample of a larger population, whose namesakes it has not met yet. It was
/// [`CALIBRATION_CENTRE`] (a gallery of ~40,000) until measured: with it, pairs scored 0.1–0.2
/// in a 10,000-person generated gallery were the same person 44 % of the time (at 12: 14 %), and
/// on FEBRL4 (2,500 people) 92 % (at 12: 76 %; FEBRL's corruptions are harsher than its names
/// are common).
pub const MIN_GALLERY_CENTRE: f64 = 12.0;
/// Logistic slope per bit: ln 2, so that one bit of evidence doubles the odds, as the
/// Fellegi–Sunter weights mean. (It was 0.5 before the weights were made frequency- and
/// pair-aware; the reliability table on generated data then showed scores under-confident
/// between 0.1 and 0.8: of pairs scored 0.3–0.4, 57 % were the same person.)
pub const CALIBRATION_SLOPE: f64 = std::f64::consts::LN_2;
/// Bits by which the centre sits below log2 of the gallery size. The prior odds that one given
/// candidate is the probe's person are about 1/N, which puts the centre at log2 N; our weights
/// are deliberately conservative (capped name evidence, lowered partial-date and date-error
/// weights, a floor under common tokens), and on generated multicultural data pairs at a total of
/// log2 N − 1.5 bits were the same person about half of the time.
pub const CALIBRATION_OFFSET: f64 = 1.5;

/// The calibration centre for a gallery of `people`: the prior odds that a given candidate is
/// the probe's person fall with gallery size (≈ 1/N), so the evidence needed rises by log2 N bits.
/// Never below [`MIN_GALLERY_CENTRE`].
pub fn centre_for(people: u64) -> f64 {
    (((people as f64) + 1000.0).log2() - CALIBRATION_OFFSET).max(MIN_GALLERY_CENTRE)
}

/// Calibrated probability for a total weight in bits (default centre).
pub fn probability(weight_bits: f64) -> f64 {
    probability_at(weight_bits, CALIBRATION_CENTRE)
}

/// Calibrated probability for a total weight in bits around `centre`.
pub fn probability_at(weight_bits: f64, centre: f64) -> f64 {
    let z = (weight_bits - centre) * CALIBRATION_SLOPE;
    let p = 1.0 / (1.0 + (-z).exp());
    if p.is_finite() {
        p.clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// One field's evidence as a reviewer reads it.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldEvidence {
    pub field: &'static str,
    pub verdict: Cow<'static, str>,
    /// Similarity in [0,1], when the field has one.
    pub similarity: Option<f64>,
    /// Contribution to the total, in bits.
    pub weight: f64,
}

/// The result of comparing two identities.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// Calibrated probability that both records are the same person, in [0,1].
    pub score: f64,
    /// Sum of the field weights, in bits.
    pub weight: f64,
    pub evidence: Vec<FieldEvidence>,
}

impl fmt::Display for Comparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.evidence.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {}", e.field, e.verdict)?;
            if let Some(s) = e.similarity {
                write!(f, " {s:.2}")?;
            }
        }
        Ok(())
    }
}

struct NameResult {
    weight: f64,
    evidence: Vec<FieldEvidence>,
    /// When both sides agree on a nationality: its share among the carriers of the agreeing
    /// name part most concentrated in it (either reading), `None` when no part has enough
    /// carriers to tell.
    nationality_share: Option<f64>,
}

fn token_bits(share: f64) -> f64 {
    (M_TOKEN / share.max(1e-12))
        .log2()
        .clamp(MIN_TOKEN_BITS, MAX_TOKEN_BITS)
}

/// Whether two spellings are both names in their own right ([`NameFrequency::is_established`]:
/// MEHMET and EMRE, HATICE and FATMA), rather than one of them a spelling garbled past
/// recognition (HOIA for XIA, CVRL for KARL), which nobody else carries.
fn both_established(freq: &dyn NameFrequency, a: &Token, b: &Token) -> bool {
    freq.is_established(&a.skeleton) && freq.is_established(&b.skeleton)
}

fn compare_name_forms(
    probe: &NameForm,
    candidate: &NameForm,
    freq: &dyn NameFrequency,
    nationality: Option<[u8; 3]>,
) -> NameResult {
    let (mut pairs, left, right) = pair_tokens(probe, candidate);
    // In a Vietnamese name (Quốc ngữ: one syllable a part, one spelling a name), two established
    // parts that only look or sound alike are two names.
    let vietnamese = left
        .iter()
        .chain(right.iter())
        .any(|t| crate::frequency::is_vietnamese_marker(&t.folded));
    // Pairs (by index, below 64) that are two such syllables.
    let mut two_syllables = 0u64;
    for (index, pair) in pairs.iter_mut().enumerate() {
        let (Some(a), Some(b)) = (left.get(pair.probe), right.get(pair.candidate)) else {
            continue;
        };
        if !matches!(
            pair.kind,
            TokenKind::Variant
                | TokenKind::SoundsAlike
                | TokenKind::Typo
                | TokenKind::RomanisationSlip
        ) || !both_established(freq, a, b)
        {
            continue;
        }
        if pair.kind == TokenKind::RomanisationSlip {
            // A slip that makes a romanisation (CHRO for CHAO) is for spellings nobody carries:
            // two established names (VAN and LAN) are two names, however close.
            pair.kind = TokenKind::Different;
        } else if vietnamese
            && index < 64
            && crate::frequency::is_one_syllable(&a.folded)
            && crate::frequency::is_one_syllable(&b.folded)
        {
            pair.kind = TokenKind::Different;
            two_syllables |= 1 << index;
        }
    }
    let mut weight = 0.0;
    let mut swapped = false;
    // Per part of the probe: (sum similarity, count, worst kind).
    let mut parts: [(f64, usize, TokenKind); 2] = [(0.0, 0, TokenKind::Exact); 2];
    // Agreeing pairs: (share, pair index). Their weights are set below, rarest first, each later
    // one by its share among people who share the earlier ones.
    let mut agreeing: Vec<(f64, usize)> = Vec::with_capacity(pairs.len());
    for (index, pair) in pairs.iter().enumerate() {
        let (Some(a), Some(b)) = (left.get(pair.probe), right.get(pair.candidate)) else {
            continue;
        };
        let w = match pair.kind {
            TokenKind::Exact | TokenKind::Variant => {
                // The commoner of the two readings: conservative, and the same whichever side is
                // the probe.
                let share = freq.share(&a.skeleton).max(freq.share(&b.skeleton));
                agreeing.push((share, index));
                0.0
            }
            TokenKind::SoundsAlike | TokenKind::Typo | TokenKind::RomanisationSlip => {
                // Every spelling that sounds alike counts towards how common the name is.
                let share = freq
                    .sound_share(a.primary_key())
                    .max(freq.sound_share(b.primary_key()))
                    .max(freq.share(&a.skeleton).max(freq.share(&b.skeleton)));
                agreeing.push((share, index));
                0.0
            }
            TokenKind::Initial => INITIAL_BITS,
            TokenKind::Different if two_syllables & (1 << index) != 0 => TWO_SYLLABLES_BITS,
            TokenKind::Different if pair.similarity >= 0.75 && !both_established(freq, a, b) => {
                NEAR_MISS_BITS
            }
            TokenKind::Different if a.surname || b.surname => SURNAME_DISAGREE_BITS,
            TokenKind::Different if both_established(freq, a, b) => TWO_GIVEN_NAMES_BITS,
            TokenKind::Different => TOKEN_DISAGREE_BITS,
        };
        weight += w;
        if pair.kind > TokenKind::Different && a.surname != b.surname {
            swapped = true;
        }
        let part = &mut parts[usize::from(!a.surname)];
        part.0 += pair.similarity;
        part.1 += 1;
        part.2 = part.2.min(pair.kind);
    }
    // Rarest first; ties broken by what does not depend on which side is the probe (stronger
    // kind, higher similarity, then the two spellings in alphabetical order), so the score stays
    // symmetric.
    let tie_key = |index: usize| {
        let pair = pairs.get(index)?;
        let (a, b) = (left.get(pair.probe)?, right.get(pair.candidate)?);
        let (x, y) = if a.skeleton <= b.skeleton {
            (&a.skeleton, &b.skeleton)
        } else {
            (&b.skeleton, &a.skeleton)
        };
        Some((std::cmp::Reverse(pair.kind), x, y))
    };
    agreeing.sort_by(|x, y| {
        x.0.total_cmp(&y.0)
            .then_with(|| {
                let (px, py) = (pairs.get(x.1), pairs.get(y.1));
                let (sx, sy) = (
                    px.map_or(0.0, |p| p.similarity),
                    py.map_or(0.0, |p| p.similarity),
                );
                sy.total_cmp(&sx)
            })
            .then_with(|| tie_key(x.1).cmp(&tie_key(y.1)))
    });
    for (k, &(share, index)) in agreeing.iter().enumerate() {
        let Some(pair) = pairs.get(index) else {
            continue;
        };
        let (Some(a), Some(b)) = (left.get(pair.probe), right.get(pair.candidate)) else {
            continue;
        };
        // P(all agree) = P(first) · P(second | first) · …: a later name part is judged by its
        // share among people who carry an earlier one (the commoner estimate over earlier parts
        // and both sides, never rarer than its plain share).
        let mut effective = share;
        for &(_, earlier) in agreeing.get(..k).unwrap_or_default() {
            let Some(prev) = pairs.get(earlier) else {
                continue;
            };
            let (Some(pa), Some(pb)) = (left.get(prev.probe), right.get(prev.candidate)) else {
                continue;
            };
            let conditional = freq
                .conditional_share(&pb.skeleton, &b.skeleton)
                .max(freq.conditional_share(&pa.skeleton, &a.skeleton));
            effective = effective.max(conditional);
        }
        let agree = token_bits(effective);
        weight += match pair.kind {
            TokenKind::Exact => agree,
            TokenKind::Variant => agree * 0.95,
            // Sounding alike is already judged by how many people share the sound key (its
            // share above is over every spelling that sounds the same): scaling it down again by
            // the spelling distance counted the same doubt twice (MARIAM/MIRIAM 0.88 kept only
            // 58 % of the agreement).
            TokenKind::SoundsAlike => agree * SOUNDS_ALIKE_FACTOR,
            TokenKind::Typo | TokenKind::RomanisationSlip => agree * TYPO_FACTOR,
            // Never among the agreeing pairs: weighed in the first pass.
            TokenKind::Initial | TokenKind::Different => 0.0,
        };
    }
    weight = weight.min(MAX_NAME_BITS);
    let unpaired = (left.len() + right.len()).saturating_sub(2 * pairs.len());
    let unpaired_weight = if unpaired == 0 {
        0.0
    } else {
        let agreeing_tokens = pairs
            .iter()
            .filter(|p| p.kind > TokenKind::Initial)
            .filter_map(|p| Some([left.get(p.probe)?, right.get(p.candidate)?]))
            .flatten();
        unpaired as f64 * missing_part_bits(freq, left.len().min(right.len()), agreeing_tokens)
    };
    weight += unpaired_weight;
    if swapped {
        weight += ORDER_SWAP_BITS;
    }
    let mut evidence = Vec::with_capacity(3);
    for (i, field) in ["surname", "given names"].into_iter().enumerate() {
        let (sum, count, kind) = parts[i];
        if count == 0 {
            continue;
        }
        evidence.push(FieldEvidence {
            field,
            verdict: Cow::Borrowed(kind.label()),
            similarity: Some(sum / count as f64),
            weight: 0.0,
        });
    }
    if let Some(first) = evidence.first_mut() {
        first.weight = weight - unpaired_weight - if swapped { ORDER_SWAP_BITS } else { 0.0 };
    }
    if unpaired > 0 {
        evidence.push(FieldEvidence {
            field: "name parts",
            verdict: Cow::Owned(format!(
                "{unpaired} written on one side only (e.g. missing middle name)"
            )),
            similarity: None,
            weight: unpaired_weight,
        });
    }
    if swapped {
        evidence.push(FieldEvidence {
            field: "name order",
            verdict: Cow::Borrowed("surname and given names swapped"),
            similarity: None,
            weight: ORDER_SWAP_BITS,
        });
    }
    // The most telling agreeing name part: the one whose carriers are most often of this
    // nationality (KOWALCZYK, not MARIA), so agreement is never overcounted.
    let nationality_share = nationality.and_then(|nat| {
        agreeing
            .iter()
            .filter_map(|&(_, index)| {
                let pair = pairs.get(index)?;
                let (a, b) = (left.get(pair.probe)?, right.get(pair.candidate)?);
                let share_a = freq.nationality_share(&a.skeleton, nat);
                if a.skeleton == b.skeleton {
                    return share_a;
                }
                match (share_a, freq.nationality_share(&b.skeleton, nat)) {
                    (Some(x), Some(y)) => Some(x.max(y)),
                    (x, y) => x.or(y),
                }
            })
            .reduce(f64::max)
    });
    NameResult {
        weight,
        evidence,
        nationality_share,
    }
}

/// The highest total weight a pair can reach given its birth-date outcome, whether both sides
/// have documents and the two nationalities: the shortcut that lets the index skip namesakes
/// without comparing names.
pub fn best_weight_given(
    date: DateKind,
    documents_on_both_sides: bool,
    nationalities: (Option<[u8; 3]>, Option<[u8; 3]>),
) -> f64 {
    let nationality = match nationalities {
        (Some(a), Some(b)) if a == b => NAT_AGREE_MAX_BITS,
        (Some(_), Some(_)) => NAT_DISAGREE_BITS,
        _ => 0.0,
    };
    MAX_NAME_BITS
        + date_bits(date)
        + nationality
        + SEX_AGREE_BITS
        + if documents_on_both_sides {
            DOC_AGREE_BITS
        } else {
            0.0
        }
}

/// Share of a gallery's people from which a name is crowded ([`crowded`]): one in 5,000, ten
/// carriers in a gallery of 50,000.
const CROWDED_SHARE: f64 = 1.0 / 5000.0;
/// A name with fewer carriers than this is never crowded, however small the gallery.
const MIN_CROWD: u32 = 8;

/// How many gallery people carry the commoner of two names, when they are so many
/// ([`CROWDED_SHARE`], [`MIN_CROWD`]) that a birth date known only in part or one slip away
/// cannot single one of them out.
///
/// Why: a no-match traveller whose name many carry meets as many chances of a namesake whose
/// year, or a date one slip from theirs, agrees; a weak date therefore stops the bearers of
/// common names far more often than others (Vietnamese no-match probes hit 0.94 % against
/// 0.27 % for German ones on twelve generated sets, NGUYEN being 38 % of Vietnamese). Such a
/// date is weighed as no date for a crowded name, so that a hit needs a full date, a document
/// or a rarer name, and false hits do not fall harder on one name culture. The score is then the
/// probability on the evidence it uses. This withholds hits on some people who are in the
/// gallery: on those sets, 1.5 % of Vietnamese true matches, about 0.03 % of Arabic ones and
/// none elsewhere.
fn crowded(freq: &dyn NameFrequency, probe: &NameForm, candidate: &NameForm) -> Option<u32> {
    let (a, people) = freq.namesakes(probe)?;
    let (b, _) = freq.namesakes(candidate)?;
    let carriers = a.max(b);
    (carriers >= MIN_CROWD && f64::from(carriers) >= people as f64 * CROWDED_SHARE)
        .then_some(carriers)
}

fn date_bits(kind: DateKind) -> f64 {
    match kind {
        DateKind::Exact => DATE_EXACT_BITS,
        DateKind::Partial(2) => DATE_PARTIAL_MONTH_BITS,
        DateKind::Partial(_) => DATE_PARTIAL_YEAR_BITS,
        DateKind::DayMonthSwapped => DATE_SWAP_BITS,
        DateKind::DigitTypo => DATE_TYPO_BITS,
        DateKind::YearSlip => DATE_YEAR_SLIP_BITS,
        DateKind::SameYearOnly => DATE_SAME_YEAR_BITS,
        DateKind::PartialNearYear => DATE_PARTIAL_NEAR_YEAR_BITS,
        DateKind::Different => DATE_DIFFERENT_BITS,
        DateKind::Missing => 0.0,
    }
}

/// Compares two prepared identities. Symmetric when `freq` is symmetric in the sense that it does
/// not depend on which side a token came from (the frequency of the rarer reading is used).
pub fn compare_prepared(
    probe: &Prepared,
    candidate: &Prepared,
    freq: &dyn NameFrequency,
) -> Comparison {
    compare_prepared_at(probe, candidate, freq, CALIBRATION_CENTRE)
}

/// As [`compare_prepared`] with the calibration centre of a given gallery ([`centre_for`]).
pub fn compare_prepared_at(
    probe: &Prepared,
    candidate: &Prepared,
    freq: &dyn NameFrequency,
    centre: f64,
) -> Comparison {
    let mut evidence = Vec::with_capacity(8);
    let mut weight = 0.0;

    // Names: the best pairing over all written forms (main name and aliases) on both sides.
    let mut best: Option<NameResult> = None;
    let mut best_forms: Option<(&NameForm, &NameForm)> = None;
    let agreed_nationality = probe
        .nationality
        .filter(|n| candidate.nationality == Some(*n));
    for p in &probe.names {
        for c in &candidate.names {
            let result = compare_name_forms(p, c, freq, agreed_nationality);
            if best.as_ref().is_none_or(|b| result.weight > b.weight) {
                best = Some(result);
                best_forms = Some((p, c));
            }
        }
    }
    let nationality_share = best.as_ref().and_then(|b| b.nationality_share);
    match best {
        Some(result) => {
            weight += result.weight;
            evidence.extend(result.evidence);
        }
        None => evidence.push(FieldEvidence {
            field: "name",
            verdict: Cow::Borrowed("no data"),
            similarity: None,
            weight: 0.0,
        }),
    }

    let date = compare_dates(probe.birth_date, candidate.birth_date);
    let mut w = date_bits(date);
    let mut verdict = Cow::Borrowed(date.label());
    if w > 0.0
        && date.is_weak()
        && let Some(carriers) = best_forms.and_then(|(p, c)| crowded(freq, p, c))
    {
        w = 0.0;
        verdict = Cow::Owned(format!(
            "{}, not used: {carriers} gallery records carry this name",
            date.label()
        ));
    }
    weight += w;
    evidence.push(FieldEvidence {
        field: "birth date",
        verdict,
        similarity: None,
        weight: w,
    });

    let (verdict, w) = match (probe.nationality, candidate.nationality) {
        (Some(a), Some(b)) if a == b => {
            let share = nationality_share.unwrap_or(PRIOR_NATIONALITY_SHARE);
            (
                "same",
                (NAT_M / share.max(1e-9))
                    .log2()
                    .clamp(0.0, NAT_AGREE_MAX_BITS),
            )
        }
        (Some(_), Some(_)) => ("different", NAT_DISAGREE_BITS),
        _ => ("no data", 0.0),
    };
    weight += w;
    evidence.push(FieldEvidence {
        field: "nationality",
        verdict: Cow::Borrowed(verdict),
        similarity: None,
        weight: w,
    });

    let (verdict, w) = match (probe.sex, candidate.sex) {
        (Some(a), Some(b)) if a == b => ("same", SEX_AGREE_BITS),
        (Some(_), Some(_)) => ("different", SEX_DISAGREE_BITS),
        _ => ("no data", 0.0),
    };
    weight += w;
    evidence.push(FieldEvidence {
        field: "sex",
        verdict: Cow::Borrowed(verdict),
        similarity: None,
        weight: w,
    });

    let (verdict, w) = match compare_documents(&probe.documents, &candidate.documents) {
        Some(true) => ("same number", DOC_AGREE_BITS),
        Some(false) => ("different numbers", DOC_DISAGREE_BITS),
        None => ("no data", 0.0),
    };
    weight += w;
    evidence.push(FieldEvidence {
        field: "document",
        verdict: Cow::Borrowed(verdict),
        similarity: None,
        weight: w,
    });

    Comparison {
        score: probability_at(weight, centre),
        weight,
        evidence,
    }
}

#[cfg(test)]
mod tests;
