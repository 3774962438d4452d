//! Name normalisation: from a name as written to the forms matching works on.
//!
//! Three layers, each coarser than the one before, because each answers a different question:
//!
//! 1. [`fold`]: NFKC, upper case, ICAO 9303 Part 3 transliteration (Ü→UE, Ø→OE, Å→AA, ß→SS, Cyrillic,
//!    Greek, Arabic), other diacritics dropped, anything else through `deunicode`. Apostrophes join
//!    (O'Brien → OBRIEN), hyphens and punctuation split. This is "the same letters as a passport MRZ
//!    would print".
//! 2. [`skeleton`]: national spelling variants that come back as the same person are folded together
//!    (MUELLER/MULLER, SCHEWTSCHENKO/SHEVCHENKO, YOUSSEF/YUSEF, MACDONALD/MCDONALD). Two tokens with equal
//!    skeletons are reported as a "spelling variant".
//! 3. [`phonetic`]: a deliberately coarse sound key (sibilants, labials, dentals, velars each one
//!    class; vowels after the first and H dropped) so HSU/XU, CHEVTCHENKO/SHEVCHENKO,
//!    MOHAMMED/MUHAMMAD/MEHMET agree. It drives the candidate index and a "sounds alike" score.
//!
//! Names are never stored back in normalised form; the officer always sees what was written.

use unicode_normalization::UnicodeNormalization;

/// Particles that carry no identifying power and are dropped or attached differently across
/// records (al-, el-, ben, de la, van der, von...). A name made only of particles keeps them.
const PARTICLES: &[&str] = &[
    "AL", "EL", "UL", "BEN", "BIN", "IBN", "BINT", "DE", "DEL", "DELLA", "DELA", "LA", "LE", "DA",
    "DI", "DO", "DOS", "DAS", "DU", "VAN", "VON", "DER", "DEN", "TER", "TEN", "Y", "ZU",
];

/// Whether a folded token is a particle.
pub fn is_particle(token: &str) -> bool {
    PARTICLES.contains(&token)
}

/// ICAO 9303 Part 3 (Table A) for Latin letters whose transliteration is not "drop the accent".
fn icao_latin(upper: char) -> Option<&'static str> {
    Some(match upper {
        'Ä' | 'Æ' => "AE",
        'Ö' | 'Ø' | 'Œ' => "OE",
        'Ü' => "UE",
        'Å' => "AA",
        'ß' | 'ẞ' => "SS",
        'Þ' => "TH",
        'Ð' | 'Đ' => "D",
        'Ł' => "L",
        'Ħ' => "H",
        'Ĳ' => "IJ",
        'ı' | 'İ' => "I",
        _ => return None,
    })
}

/// ICAO 9303 Part 3 Cyrillic (Russian, Ukrainian, Belarusian, Serbian, Macedonian letters).
fn icao_cyrillic(upper: char) -> Option<&'static str> {
    Some(match upper {
        'А' => "A",
        'Б' => "B",
        'В' => "V",
        'Г' => "G",
        'Ґ' => "G",
        'Д' => "D",
        'Ђ' => "D",
        'Ѓ' => "G",
        'Е' | 'Ё' | 'Э' => "E",
        'Є' => "IE",
        'Ж' => "ZH",
        'З' => "Z",
        'Ѕ' => "DZ",
        'И' | 'І' | 'Ї' | 'Й' => "I",
        'Ј' => "J",
        'К' => "K",
        'Л' => "L",
        'Љ' => "LJ",
        'М' => "M",
        'Н' => "N",
        'Њ' => "NJ",
        'О' => "O",
        'П' => "P",
        'Р' => "R",
        'С' => "S",
        'Т' => "T",
        'Ћ' => "C",
        'Ќ' => "K",
        'У' | 'Ў' => "U",
        'Ф' => "F",
        'Х' => "KH",
        'Ц' => "TS",
        'Ч' => "CH",
        'Џ' => "DZ",
        'Ш' => "SH",
        'Щ' => "SHCH",
        'Ъ' => "IE",
        'Ы' => "Y",
        'Ь' => "",
        'Ю' => "IU",
        'Я' => "IA",
        _ => return None,
    })
}

/// ICAO 9303 Part 3 Greek.
fn icao_greek(upper: char) -> Option<&'static str> {
    Some(match upper {
        'Α' | 'Ά' => "A",
        'Β' => "V",
        'Γ' => "G",
        'Δ' => "D",
        'Ε' | 'Έ' => "E",
        'Ζ' => "Z",
        'Η' | 'Ή' => "I",
        'Θ' => "TH",
        'Ι' | 'Ί' | 'Ϊ' => "I",
        'Κ' => "K",
        'Λ' => "L",
        'Μ' => "M",
        'Ν' => "N",
        'Ξ' => "X",
        'Ο' | 'Ό' => "O",
        'Π' => "P",
        'Ρ' => "R",
        'Σ' => "S",
        'Τ' => "T",
        'Υ' | 'Ύ' | 'Ϋ' => "Y",
        'Φ' => "F",
        'Χ' => "CH",
        'Ψ' => "PS",
        'Ω' | 'Ώ' => "O",
        _ => return None,
    })
}

/// Arabic letters. ICAO 9303 Part 3 writes several letters as reversible X-digraphs (ث→XTH,
/// ح→XH); those exist for round-tripping a chip, not for matching against how the same name is
/// written in Latin elsewhere, so we use the plain digraph the X marks (ث→TH, ح→H).
fn arabic(ch: char) -> Option<&'static str> {
    Some(match ch {
        'ا' | 'أ' | 'إ' | 'آ' | 'ى' => "A",
        'ء' | 'ئ' | 'ؤ' => "",
        'ب' => "B",
        'ت' | 'ط' => "T",
        'ة' => "A",
        'ث' => "TH",
        'ج' => "J",
        'ح' | 'ه' => "H",
        'خ' => "KH",
        'د' | 'ض' => "D",
        'ذ' | 'ظ' => "DH",
        'ر' => "R",
        'ز' => "Z",
        'س' | 'ص' => "S",
        'ش' => "SH",
        'ع' => "",
        'غ' => "GH",
        'ف' => "F",
        'ق' => "Q",
        'ك' => "K",
        'ل' => "L",
        'م' => "M",
        'ن' => "N",
        'و' => "W",
        'ي' => "Y",
        'پ' => "P",
        'چ' => "CH",
        'ژ' => "ZH",
        'گ' => "G",
        'ک' => "K",
        'ی' => "Y",
        _ => return None,
    })
}

fn push_ascii_letters(out: &mut String, text: &str) {
    for b in text.bytes() {
        if b.is_ascii_alphabetic() {
            out.push(char::from(b.to_ascii_uppercase()));
        } else if b == b' ' {
            out.push(' ');
        }
    }
}

/// Folds a name as written into upper-case ASCII letters and single spaces (see module doc).
///
/// Idempotent: `fold(fold(x)) == fold(x)`.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    for ch in text.nfkc() {
        if ch.is_ascii_alphabetic() {
            out.push(ch.to_ascii_uppercase());
            continue;
        }
        if matches!(ch, '\'' | '’' | 'ʼ' | '`' | '´' | 'ʻ' | '‘') {
            continue;
        }
        if !ch.is_alphabetic() {
            out.push(' ');
            continue;
        }
        // Upper-case first: tables are written in capitals; `to_uppercase` already maps ß to SS.
        for upper in ch.to_uppercase() {
            if upper.is_ascii_alphabetic() {
                out.push(upper);
            } else if matches!(upper, 'Υ' | 'Ύ') && out.ends_with('O') {
                // ICAO: the Greek digraph ΟΥ is written OU.
                out.push('U');
            } else if let Some(t) = icao_latin(upper)
                .or_else(|| icao_cyrillic(upper))
                .or_else(|| icao_greek(upper))
                .or_else(|| arabic(upper))
            {
                out.push_str(t);
            } else {
                let mut base = String::new();
                for d in std::iter::once(upper).nfd() {
                    if d.is_ascii_alphabetic() {
                        base.push(d);
                    }
                }
                if base.is_empty() {
                    push_ascii_letters(&mut out, deunicode::deunicode_char(upper).unwrap_or(""));
                } else {
                    out.push_str(&base);
                }
            }
        }
    }
    // Collapse whitespace so the result is a clean token list.
    let mut clean = String::with_capacity(out.len());
    for token in out.split_ascii_whitespace() {
        if !clean.is_empty() {
            clean.push(' ');
        }
        clean.push_str(token);
    }
    clean
}

/// The folded tokens of a name part with particles removed (unless only particles are left).
pub fn tokens(text: &str) -> Vec<String> {
    tokens_in(text, true)
}

/// As [`tokens`], for the surname (`surname`) or the given names. VAN is a particle of Dutch and
/// Flemish surnames only; in given names it is the Vietnamese middle name VĂN, which tells
/// NGUYEN VAN DUNG from NGUYEN NGOC DUNG and is kept.
///
/// A particle stands before the name it belongs to (DE LA CRUZ, AL MASRI); one that ends the
/// field is a name of its own (the Vietnamese LỆ of NGUYEN THI LE, or LÊ when the name parts
/// are written in the other order) and is kept.
pub fn tokens_in(text: &str, surname: bool) -> Vec<String> {
    particles_dropped(&folded_tokens(text), surname)
}

fn folded_tokens(text: &str) -> Vec<String> {
    fold(text)
        .split(' ')
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

fn particles_dropped(all: &[String], surname: bool) -> Vec<String> {
    if all.iter().all(|t| is_particle(t)) {
        return all.to_vec();
    }
    all.iter()
        .enumerate()
        .filter(|&(i, t)| !is_particle(t) || (!surname && t == "VAN") || i + 1 == all.len())
        .map(|(_, t)| t.clone())
        .collect()
}

/// The folded tokens of a name's surname and given names, particles removed as by
/// [`tokens_in`], except in a Vietnamese name ([`crate::frequency::is_vietnamese_marker`]),
/// which has no particles: LÊ, ĐỖ and VĂN are a surname and a middle name there, wherever the
/// record puts them.
pub fn name_tokens(surname: &str, given_names: &str) -> (Vec<String>, Vec<String>) {
    let surnames = folded_tokens(surname);
    let given = folded_tokens(given_names);
    let vietnamese = surnames
        .iter()
        .chain(&given)
        .any(|t| crate::frequency::is_vietnamese_marker(t) && !is_particle(t));
    if vietnamese {
        (surnames, given)
    } else {
        (
            particles_dropped(&surnames, true),
            particles_dropped(&given, false),
        )
    }
}

/// Rewrites applied left to right, longest first, by [`skeleton`]. Each line is a national variant
/// seen on real documents for the same sound.
const SKELETON_RULES: &[(&str, &str)] = &[
    ("SCHTSCH", "SHCH"), // German for Щ
    ("SZCZ", "SHCH"),    // Polish for Щ
    ("TSCH", "CH"),      // German for Ч
    ("TCH", "CH"),       // French for Ч
    ("SCH", "SH"),       // German for Ш
    ("CZ", "CH"),        // Polish
    ("SZ", "SH"),        // Polish / Hungarian S
    ("DJ", "J"),         // French/Serbian for Дж/Ђ
    ("DZH", "J"),        // ICAO for Дж
    ("KH", "H"),         // Х / خ
    ("PH", "F"),
    ("TH", "T"),
    // French OU before A is W at the start of a name (OUALID / WALID, OUARDA / WARDA).
    ("OUA", "VA"),
    ("OU", "U"), // French U (Youssef, Boutros)
    ("OO", "U"), // English U (Mahmood)
    ("EE", "I"), // English I (Fareed)
    ("UE", "U"), // ICAO Ü vs plain U
    ("OE", "O"), // ICAO Ö/Ø
    ("AE", "A"), // ICAO Ä/Æ
    ("AA", "A"), // ICAO Å
    // MAC and MC as one prefix, written MK so that the C-before-L rule below cannot split them
    // (MCLEOD would be MKLEOD, MACLEOD MCLEOD).
    ("MAC", "MK"),
    ("MC", "MK"),
    // The theophoric ABD AL- (servant of): ABDELRAHMAN, ABDULRAHMAN, ABDALRAHMAN and ABD
    // AL-RAHMAN (whose AL the particle rule drops) are one name. At the start only, like MAC.
    ("ABDEL", "ABD"),
    ("ABDUL", "ABD"),
    ("ABDAL", "ABD"),
    ("W", "V"),
    ("Y", "I"),
    ("QU", "KV"), // Swedish QV, English QU (KW)
    ("Q", "K"),
    ("CK", "K"),
    // C before a back vowel or a consonant is K in every Latin orthography we meet (NICOLAOU /
    // NIKOLAOU, CARL / KARL, COSTA / KOSTA); before E, I, Y it is not (CESAR, CIRO).
    ("CA", "KA"),
    ("CO", "KO"),
    ("CU", "KU"),
    ("CL", "KL"),
    ("CR", "KR"),
];

/// Given names that are the same name in another form: hypocoristics used on documents
/// (Greek, Yoruba, Igbo) and English renderings; also a few surnames spelt several ways by
/// one country's own records (CHOWDHURY / CHAUDHARY). Folded form → canonical folded form.
const SAME_NAME: &[(&str, &str)] = &[
    ("GIORGOS", "GEORGIOS"),
    ("YIORGOS", "GEORGIOS"),
    ("GEORGE", "GEORGIOS"),
    ("DIMITRIS", "DIMITRIOS"),
    ("KOSTAS", "KONSTANTINOS"),
    ("GIANNIS", "IOANNIS"),
    ("YIANNIS", "IOANNIS"),
    ("NIKOS", "NIKOLAOS"),
    ("THANASIS", "ATHANASIOS"),
    ("VASILIS", "VASILEIOS"),
    ("VASSILIS", "VASILEIOS"),
    ("MICHALIS", "MICHAIL"),
    ("STELIOS", "STYLIANOS"),
    ("MANOLIS", "EMMANOUIL"),
    ("TASOS", "ANASTASIOS"),
    ("PANOS", "PANAGIOTIS"),
    ("LEFTERIS", "ELEFTHERIOS"),
    ("HARIS", "CHARALAMPOS"),
    ("BABIS", "CHARALAMPOS"),
    ("VANGELIS", "EVANGELOS"),
    ("SPIROS", "SPYRIDON"),
    ("PANAYIOTIS", "PANAGIOTIS"),
    ("HELEN", "ELENI"),
    ("KATERINA", "AIKATERINI"),
    ("EKATERINI", "AIKATERINI"),
    ("VASO", "VASILIKI"),
    ("VOULA", "PARASKEVI"),
    ("IRINI", "EIRINI"),
    ("IRENE", "EIRINI"),
    ("SEUN", "OLUWASEUN"),
    ("FEMI", "OLUWAFEMI"),
    ("TUNDE", "BABATUNDE"),
    ("KUNLE", "AKINKUNLE"),
    ("SEGUN", "OLUSEGUN"),
    ("FUNMI", "FUNMILAYO"),
    ("KEMI", "OLUWAKEMI"),
    ("EMEKA", "CHUKWUEMEKA"),
    ("WALE", "ADEWALE"),
    ("BAYO", "ADEBAYO"),
    ("TUNJI", "ADETUNJI"),
    ("TOBI", "OLUWATOBI"),
    ("IAIN", "IAN"),
    ("BILL", "WILLIAM"),
    ("BOB", "ROBERT"),
    ("JIM", "JAMES"),
    ("SASHA", "ALEKSANDR"),
    ("ALEXANDER", "ALEKSANDR"),
    ("ALEXANDR", "ALEKSANDR"),
    ("VOVA", "VLADIMIR"),
    // Ukrainian forms (the national transliteration of 2010, and the older -IY spellings) and
    // the Russian form of the same name as ICAO 9303 writes it: one person's documents and
    // records from either language carry either (СЕРГІЙ / СЕРГЕЙ).
    ("OLEKSANDR", "ALEKSANDR"),
    ("SERHII", "SERGEI"),
    ("SERHIY", "SERGEI"),
    ("OLEKSII", "ALEKSEI"),
    ("OLEKSIY", "ALEKSEI"),
    ("ANDRII", "ANDREI"),
    ("ANDRIY", "ANDREI"),
    ("MYKOLA", "NIKOLAI"),
    ("VOLODYMYR", "VLADIMIR"),
    ("DMYTRO", "DMITRII"),
    ("MYKHAILO", "MIKHAIL"),
    ("VASYL", "VASILII"),
    ("HRYHORII", "GRIGORII"),
    ("PAVLO", "PAVEL"),
    ("PETRO", "PETR"),
    ("OLEH", "OLEG"),
    ("IHOR", "IGOR"),
    ("BOHDAN", "BOGDAN"),
    ("YEVHEN", "EVGENII"),
    ("YEVHENII", "EVGENII"),
    ("OLENA", "ELENA"),
    ("HALYNA", "GALINA"),
    ("TETIANA", "TATIANA"),
    ("TETYANA", "TATIANA"),
    ("KATERYNA", "AIKATERINI"),
    ("EKATERINA", "AIKATERINI"),
    ("SVITLANA", "SVETLANA"),
    ("OLHA", "OLGA"),
    ("VIRA", "VERA"),
    // The same Ukrainian names folded from Cyrillic by the ICAO table (И → I, Є → IE, Г → G).
    ("SERGII", "SERGEI"),
    ("MIKOLA", "NIKOLAI"),
    ("VOLODIMIR", "VLADIMIR"),
    ("DMITRO", "DMITRII"),
    ("MIKHAILO", "MIKHAIL"),
    ("VASIL", "VASILII"),
    ("IEVGEN", "EVGENII"),
    ("IEVGENII", "EVGENII"),
    ("KOSTIANTYN", "KONSTANTIN"),
    ("KOSTYANTYN", "KONSTANTIN"),
    ("KOSTIANTIN", "KONSTANTIN"),
    ("MYKYTA", "NIKITA"),
    ("MIKITA", "NIKITA"),
    ("KYRYLO", "KIRILL"),
    ("KIRILO", "KIRILL"),
    ("FEDIR", "FEDOR"),
    ("YEHOR", "EGOR"),
    ("IEGOR", "EGOR"),
    ("HENNADII", "GENNADII"),
    ("NADIIA", "NADEZHDA"),
    ("NADIYA", "NADEZHDA"),
    ("ALONA", "ALENA"),
    ("XENIA", "KSENIA"),
    ("KSENIYA", "KSENIA"),
    ("KSENIJA", "KSENIA"),
    // Egyptian Arabic says and writes G for the J (ج) of the other dialects.
    ("GAMAL", "JAMAL"),
    ("GAMIL", "JAMIL"),
    ("GAMILA", "JAMILA"),
    ("RAGAB", "RAJAB"),
    ("NAGIB", "NAJIB"),
    ("NAGUIB", "NAJIB"),
    ("MAGDI", "MAJDI"),
    ("MAGDY", "MAJDI"),
    ("GALAL", "JALAL"),
    ("HAGAR", "HAJAR"),
    // Somali orthography writes ح as X and ع as C: MAXAMED CABDI CALI is MOHAMED ABDI ALI.
    ("MAXAMED", "MOHAMED"),
    ("AXMED", "AHMED"),
    ("XASAN", "HASAN"),
    ("XUSEEN", "HUSEIN"),
    ("XALIIMO", "HALIMA"),
    ("XAWO", "HAWA"),
    ("CALI", "ALI"),
    ("CABDI", "ABDI"),
    ("CUMAR", "UMAR"),
    ("CUSMAAN", "USMAN"),
    ("CABDULLAAHI", "ABDULLAHI"),
    ("CABDULLAHI", "ABDULLAHI"),
    ("CABDIRAXMAAN", "ABDIRAHMAN"),
    ("CIISE", "ISA"),
    ("CAASHA", "AISHA"),
    ("MIKAEL", "MICHAEL"),
    ("UTHMAN", "OSMAN"),
    ("OTHMAN", "OSMAN"),
    ("CHAUDHARY", "CHOWDHURY"),
    ("CHOUDHARY", "CHOWDHURY"),
    ("CHAUDHRY", "CHOWDHURY"),
    // Korean 박: PARK in most passports, PAK and BAK by the romanisations (whose syllables the
    // romanisation key reads; the English R is no syllable of theirs).
    ("PARK", "PAK"),
];

/// Every spelling the name table knows for the name of `folded` (its canonical form first, then
/// the forms that map onto it): OLENA is ELENA, so O is one of ELENA's initials, as V is one of
/// EVANGELOS's (VANGELIS).
pub fn same_name_forms(folded: &str) -> impl Iterator<Item = &str> {
    let canonical = SAME_NAME
        .iter()
        .find(|(from, _)| *from == folded)
        .map_or(folded, |(_, to)| to);
    std::iter::once(canonical).chain(
        SAME_NAME
            .iter()
            .filter(move |(_, to)| *to == canonical)
            .map(|(from, _)| *from),
    )
}

/// The name table's groups of forms of one name (KONSTANTINOS, KOSTAS), numbered from 1 so that
/// a token can carry its group in a few bits ([`name_group`], [`group_forms`]): the group of each
/// skeleton, and the forms of each group.
struct NameGroups {
    ids: std::collections::HashMap<String, u8>,
    forms: Vec<Vec<&'static str>>,
}

fn name_groups() -> &'static NameGroups {
    static GROUPS: std::sync::OnceLock<NameGroups> = std::sync::OnceLock::new();
    GROUPS.get_or_init(|| {
        let mut ids: std::collections::HashMap<String, u8> = std::collections::HashMap::new();
        // Group 0 is "no group".
        let mut forms: Vec<Vec<&'static str>> = vec![Vec::new()];
        for &(from, to) in SAME_NAME {
            let next = u8::try_from(forms.len()).unwrap_or(u8::MAX);
            let id = *ids.entry(skeleton(to)).or_insert(next);
            if usize::from(id) == forms.len() {
                forms.push(Vec::new());
            }
            if let Some(group) = forms.get_mut(usize::from(id)) {
                for form in [to, from] {
                    if !group.contains(&form) {
                        group.push(form);
                    }
                }
            }
        }
        NameGroups { ids, forms }
    })
}

/// Most groups a token can name: the index stores the group in the seven high bits of a byte.
pub const MAX_NAME_GROUPS: u8 = 127;

/// The group of forms the name table knows for the name whose skeleton is `skel` (1 and up), or
/// 0 when the table has no other form of it.
pub fn name_group(skel: &str) -> u8 {
    name_groups().ids.get(skel).copied().unwrap_or(0)
}

/// Every form of the name in group `id` (KONSTANTINOS, KOSTAS); empty for 0 or an unknown group.
pub fn group_forms(id: u8) -> &'static [&'static str] {
    name_groups()
        .forms
        .get(usize::from(id))
        .map_or(&[], Vec::as_slice)
}

/// The token read with each Ukrainian H as the G that Russian and ICAO 9303 write for the same
/// letter Г (HONCHARENKO / GONCHARENKO, HUSIEV / GUSEV, HENNADII / GENNADII), or `None` when it
/// has no H of its own: the H of KH, ZH, SH and CH (Х, Ж, Ш, Ч) is part of another letter, and
/// TH, PH, GH and DH are no Ukrainian spelling (THOMAS is not read TGOMAS).
pub fn cyrillic_g_reading(folded: &str) -> Option<String> {
    let bytes = folded.as_bytes();
    let own_h = |i: usize| {
        bytes.get(i) == Some(&b'H')
            && !matches!(
                i.checked_sub(1).and_then(|j| bytes.get(j)),
                Some(b'K' | b'Z' | b'S' | b'C' | b'T' | b'P' | b'G' | b'D')
            )
    };
    if !(0..bytes.len()).any(own_h) {
        return None;
    }
    Some(
        bytes
            .iter()
            .enumerate()
            .map(|(i, &b)| if own_h(i) { 'G' } else { char::from(b) })
            .collect(),
    )
}

/// The token read as a German transliteration of a Cyrillic name (Duden: W for В, SCH for Ш,
/// TSCH for Ч, CH for Х, J for Й and the J of Я, Ю, Є, Z for Ц, S for both С and З) and put on a
/// key that other schemes' spellings reach through [`cyrillic_sibilant_key`]: Z becomes TS, J
/// becomes I, CH (not in SCH) becomes KH, and S and Z are one letter (SAJEZ / ZAIETS,
/// SAJZEWA / ZAITSEVA, SELESNEW / SELEZNEV). `None` unless the token has a W, a J, a Z or an SCH,
/// the marks of the German scheme.
pub fn german_cyrillic_reading(folded: &str) -> Option<String> {
    if !folded.contains(['W', 'J', 'Z']) && !folded.contains("SCH") {
        return None;
    }
    let bytes = folded.as_bytes();
    let mut out = String::with_capacity(folded.len() + 4);
    let mut i = 0;
    while let Some(&c) = bytes.get(i) {
        let prev = i.checked_sub(1).and_then(|j| bytes.get(j)).copied();
        let after_s_or_t = matches!(prev, Some(b'S' | b'T' | b'D'));
        match c {
            b'Z' if !after_s_or_t => out.push_str("TS"),
            b'J' => out.push('I'),
            b'C' if bytes.get(i + 1) == Some(&b'H') && !after_s_or_t => {
                out.push_str("KH");
                i += 1;
            }
            _ => out.push(char::from(c)),
        }
        i += 1;
    }
    Some(cyrillic_sibilant_key(&out))
}

/// A spelling with S and Z as one letter, the key on which [`german_cyrillic_reading`] meets
/// the ICAO, English and French spellings of a Cyrillic name (Z for З, S for С).
pub fn cyrillic_sibilant_key(folded: &str) -> String {
    folded.replace('Z', "S")
}

/// The token read with Serbian and Croatian DJ (Đ, Ђ) as the D that ICAO 9303 writes for the same
/// letter: DJORDJEVIC is ĐORĐEVIĆ as most records spell it, DORDEVIC as the machine-readable zone
/// does. `None` without a DJ. (The skeleton reads DJ as J, which is right for French DJAMEL.)
pub fn serbian_d_reading(folded: &str) -> Option<String> {
    folded.contains("DJ").then(|| folded.replace("DJ", "D"))
}

/// The token read with French J for Ж as the ZH of ICAO 9303 and English (JOUKOV / ZHUKOV,
/// JOURAVLEV / ZHURAVLEV), or `None` when it has no such J: only a J before a vowel and not after
/// D (French DJ is Дж).
pub fn french_j_reading(folded: &str) -> Option<String> {
    let bytes = folded.as_bytes();
    let reads = |i: usize| {
        bytes.get(i) == Some(&b'J')
            && bytes.get(i + 1).is_some_and(|&b| is_vowel(b))
            && i.checked_sub(1).and_then(|j| bytes.get(j)) != Some(&b'D')
    };
    if !(0..bytes.len()).any(reads) {
        return None;
    }
    let mut out = String::with_capacity(folded.len() + 2);
    for (i, &b) in bytes.iter().enumerate() {
        if reads(i) {
            out.push_str("ZH");
        } else {
            out.push(char::from(b));
        }
    }
    Some(out)
}

/// The other way round: the token with ICAO ZH written as the French J (ZHUKOV / JOUKOV, as the
/// skeleton reads OU as U), or `None` without a ZH.
pub fn zh_as_french_j(folded: &str) -> Option<String> {
    folded.contains("ZH").then(|| folded.replace("ZH", "J"))
}

/// The token with the Greek stops that ELOT 743 and ICAO 9303 write letter by letter (ΜΠ as MP,
/// ΝΤ as NT, ΓΚ as GK) read as spoken and as phonetic spellings write them: B, D, G (MPOZIKIS /
/// BOZIKIS, NTINOS / DINOS, GKIKAS / GIKAS). The spoken spellings' MB, ND and NG inside a name
/// (LAMBROS for ΛΑΜΠΡΟΣ, ANDONIS for ΑΝΤΩΝΗΣ) read the same way, so both sides of a pair are read
/// with [`greek_stop_reading`] before their skeletons are compared. `None` when the token has
/// none of these pairs.
pub fn greek_stop_reading(folded: &str) -> Option<String> {
    const PAIRS: [(&str, &str); 6] = [
        ("MP", "B"),
        ("MB", "B"),
        ("NT", "D"),
        ("ND", "D"),
        ("GK", "G"),
        ("NG", "G"),
    ];
    if !PAIRS.iter().any(|(pair, _)| folded.contains(pair)) {
        return None;
    }
    let mut out = String::with_capacity(folded.len());
    let mut rest = folded;
    'outer: while let Some(c) = rest.chars().next() {
        for (pair, stop) in PAIRS {
            if let Some(after) = rest.strip_prefix(pair) {
                out.push_str(stop);
                rest = after;
                continue 'outer;
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    Some(out)
}

/// Greek stops as ELOT 743 and ICAO 9303 write them, letter by letter.
const GREEK_STOPS_WRITTEN: [&str; 3] = ["MP", "NT", "GK"];

/// Whether the token starts with a Greek stop written letter by letter (MP, NT, GK): almost only
/// Greek names do, so both sides of the index key such names by their spoken reading as well.
pub fn starts_with_greek_stop(folded: &str) -> bool {
    GREEK_STOPS_WRITTEN.iter().any(|p| folded.starts_with(p))
}

/// Whether the token has a Greek stop written letter by letter anywhere (LAMPROS). One pass over
/// the letters: the comparator asks this of most compared pairs.
pub fn has_greek_stop(folded: &str) -> bool {
    folded
        .as_bytes()
        .windows(2)
        .any(|w| GREEK_STOPS_WRITTEN.iter().any(|p| p.as_bytes() == w))
}

/// Canonical spelling of one folded token (see module doc): variant digraphs unified, doubled
/// letters collapsed. Equal skeletons mean "the same name spelt by another country's rules".
pub fn skeleton(token: &str) -> String {
    let token = SAME_NAME
        .iter()
        .find(|(from, _)| from.len() == token.len() && *from == token)
        .map_or(token, |(_, to)| to);
    // Wade–Giles HS (Hsu, Hsieh) is pinyin X; a final -IEH is pinyin -IE.
    let owned;
    let token = if let Some(rest) = token.strip_prefix("HS") {
        owned = format!(
            "X{}",
            rest.strip_suffix("IEH")
                .map_or(rest.to_owned(), |r| format!("{r}IE"))
        );
        owned.as_str()
    } else {
        token
    };
    let bytes = token.as_bytes();
    let mut raw = String::with_capacity(bytes.len());
    let mut i = 0;
    'outer: while i < bytes.len() {
        let rest = &token[i..];
        for (from, to) in SKELETON_RULES {
            // First byte first: this loop runs for every letter of every compared name.
            if from.as_bytes().first() == rest.as_bytes().first() && rest.starts_with(from) {
                // MAC, MC, OUA and ABD- only as a prefix (MACDONALD), never inside (KAMACHO).
                if (matches!(*from, "MAC" | "MC" | "OUA") || from.starts_with("ABD"))
                    && (i != 0 || token.len() <= 4)
                {
                    continue;
                }
                raw.push_str(to);
                i += from.len();
                continue 'outer;
            }
        }
        raw.push(char::from(bytes[i]));
        i += 1;
    }
    let mut out = String::with_capacity(raw.len());
    let mut last = 0u8;
    for b in raw.bytes() {
        if b != last {
            out.push(char::from(b));
        }
        last = b;
    }
    // The theophoric "… of the faith" (… AL-DIN) is written with the article assimilated or
    // dropped: NOUREDDINE, NURUDDIN, NOUR AL-DIN (joined NOURDIN) and NOURELDIN are one name.
    // After at least three letters, so that ALA AL-DIN stays ALADIN. (The French -DINE is -DIN.)
    if out.ends_with("DINE") {
        out.pop();
    }
    if let Some(stem) = DIN_ENDINGS
        .iter()
        .find_map(|ending| out.strip_suffix(ending))
        .filter(|stem| stem.len() >= 3)
    {
        out = format!("{stem}DIN");
    }
    out
}

/// Endings of a name in -DIN (skeletons: doubled letters already single).
const DIN_ENDINGS: &[&str] = &["EDIN", "UDIN", "ADIN", "ELDIN", "ALDIN", "ULDIN"];

pub(crate) fn is_vowel(b: u8) -> bool {
    matches!(b, b'A' | b'E' | b'I' | b'O' | b'U' | b'Y')
}

/// A coarse sound key of a skeleton (see module doc). Empty only for an empty token.
pub fn phonetic(skel: &str) -> String {
    encode(skel, 0).0
}

/// The sound keys of a skeleton: the primary key first, then the key with every ambiguous letter
/// read the other way, then the mixed readings (at most four keys, no duplicates).
///
/// Two spellings are ambiguous across languages: CH (English/French "ch", German and Polish "kh",
/// Greek "k"; Mikhail/Michail, Christos/Hristos) read as a sibilant or as a dropped H, and J
/// (English "dzh", German/Slavic/Nordic "y"; Jekaterina/Ekaterina, Andrej/Andrei) read as a
/// consonant or a vowel.
pub fn phonetic_keys(skel: &str) -> Vec<String> {
    let (primary, branches) = encode(skel, 0);
    let mut keys = vec![primary];
    if branches == 0 {
        return keys;
    }
    let used = branches.min(2);
    let all = (1u32 << used) - 1;
    for mask in std::iter::once(all).chain(1..all) {
        let key = encode(skel, mask).0;
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys
}

/// Encodes with the ambiguous letters whose bit is set in `mask` read the alternative way; returns
/// the key and how many ambiguous letters were met.
fn encode(skel: &str, mask: u32) -> (String, u32) {
    let b = skel.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(b.len());
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    let mut branch = 0u32;
    let mut i = 0;
    while i < b.len() {
        let c = at(i);
        let next = at(i + 1);
        let mut alternative = || {
            let bit = branch < 2 && mask & (1 << branch) != 0;
            branch += 1;
            bit
        };
        let (code, step) = match c {
            b'A' | b'E' | b'I' | b'O' | b'U' | b'Y' => (if i == 0 { b'A' } else { 0 }, 1),
            b'S' if next == b'H' => (b'S', 2),
            b'C' if next == b'H' => (if alternative() { 0 } else { b'S' }, 2),
            b'T' if next == b'S' || next == b'Z' => (b'S', 2),
            b'C' if matches!(next, b'E' | b'I' | b'Y') => (b'S', 1),
            b'C' | b'K' | b'G' | b'Q' => (b'K', 1),
            b'X' if i == 0 => (b'S', 1), // pinyin X (Xu = Hsu)
            b'X' => {
                out.push(b'K');
                (b'S', 1)
            }
            b'S' | b'Z' => (b'S', 1),
            b'J' => (
                if alternative() {
                    if i == 0 { b'A' } else { 0 }
                } else {
                    b'J'
                },
                1,
            ),
            b'B' | b'P' => (b'P', 1),
            b'D' | b'T' => (b'T', 1),
            b'F' | b'V' | b'W' => (b'F', 1),
            b'H' => (0, 1),
            b'L' | b'M' | b'N' | b'R' => (c, 1),
            _ => (0, 1),
        };
        if code != 0 && out.last() != Some(&code) {
            out.push(code);
        }
        i += step;
    }
    if out.is_empty() && !b.is_empty() {
        out.push(if is_vowel(at(0)) { b'A' } else { b'H' });
    }
    (String::from_utf8(out).unwrap_or_default(), branch)
}

/// Syllable initials of pinyin, Wade–Giles and the Korean romanisations, longest first, with the
/// class they fall into. Wade–Giles writes pinyin ZH and J as CH, Q and CH as CH' (the apostrophe
/// is lost in folding), X as HS, Z as TS, C as TS', G as K, D as T, B as P; Korean writes one sound
/// as J, CH or Ch' and another as K or G, P or B. The affricates and sibilants therefore form one
/// class, and so do the stop pairs.
const SINITIC_INITIALS: &[(&str, &str)] = &[
    ("ZH", "S"),
    ("CH", "S"),
    ("SH", "S"),
    ("HS", "S"),
    ("TS", "S"),
    ("TZ", "S"),
    ("J", "S"),
    ("Q", "S"),
    ("X", "S"),
    ("Z", "S"),
    ("C", "S"),
    ("S", "S"),
    ("G", "K"),
    ("K", "K"),
    ("B", "P"),
    ("P", "P"),
    ("D", "T"),
    ("T", "T"),
    ("M", "M"),
    ("F", "F"),
    ("N", "N"),
    ("L", "L"),
    ("H", "H"),
    ("R", "R"),
    ("W", "W"),
    ("Y", "Y"),
    ("", ""),
];

/// Syllable finals (folded: Ü is UE, apostrophes gone), longest first, with a normal form that
/// puts Wade–Giles and Korean spellings on the pinyin one (-IEH → -IE, -IH → -I, -UNG → -ONG,
/// Korean EO → O).
const SINITIC_FINALS: &[(&str, &str)] = &[
    // Wade–Giles -ÜEH (HSÜEH, YÜEH) is pinyin -UE (XUE, YUE), whose UE reads as a folded Ü
    // below: all four come to U, with or without the umlaut (folded ÜEH is UEEH).
    ("UEEH", "U"),
    ("UEANG", "UANG"),
    ("IUNG", "IONG"),
    ("IONG", "IONG"),
    ("IANG", "IANG"),
    ("UANG", "UANG"),
    ("EONG", "ONG"),
    ("UEAN", "UAN"),
    ("IAO", "IAO"),
    ("IAN", "IAN"),
    ("IEN", "IAN"),
    ("IEH", "IE"),
    ("UEH", "U"),
    ("ANG", "ANG"),
    ("ENG", "ENG"),
    ("ONG", "ONG"),
    ("UNG", "ONG"),
    ("UAI", "UAI"),
    ("UAN", "UAN"),
    ("UEN", "UN"),
    ("UEI", "UI"),
    ("ING", "ING"),
    ("OON", "UN"),
    ("EON", "ON"),
    ("AI", "AI"),
    ("EI", "EI"),
    ("AO", "AO"),
    ("OU", "OU"),
    ("AN", "AN"),
    ("EN", "EN"),
    ("ER", "ER"),
    ("IA", "IA"),
    ("IE", "IE"),
    ("IU", "IU"),
    ("IN", "IN"),
    ("IM", "IM"),
    ("IH", "I"),
    ("UA", "UA"),
    ("UO", "UO"),
    ("UI", "UI"),
    ("UN", "UN"),
    ("UE", "U"),
    ("OI", "OI"),
    ("OE", "OI"),
    ("EO", "O"),
    ("EE", "I"),
    ("OO", "U"),
    ("OH", "O"),
    ("EH", "E"),
    ("A", "A"),
    ("O", "O"),
    ("E", "E"),
    ("I", "I"),
    ("U", "U"),
];

/// A sound key for names written in a Chinese or Korean romanisation, or `None` when the folded
/// token does not read as a sequence of such syllables (at most four). Pinyin and Wade–Giles
/// spellings of one name share it: ZHANG/CHANG, ZHOU/CHOU, QIANG/CHIANG, JING/CHING,
/// XIAOMING/HSIAOMING, CAO/TSAO; so do Korean JEONG/CHUNG (and JUNG, through [`sinitic_keys`]).
/// It is coarse on purpose (pinyin SHI, XI, ZHI and JI share one), so a match on it counts as
/// "sounds alike", never as exact.
pub fn sinitic_key(folded: &str) -> Option<String> {
    sinitic_reading(folded, false)
}

/// Every reading [`sinitic_key`] knows for the token: the first is `sinitic_key`'s; a second when
/// the token has a J before U, which pinyin and Korean read J (JUN, JUNG: Korean 정) and
/// Wade–Giles R (JUNG for pinyin RONG: TE-JUNG / DERONG).
pub fn sinitic_keys(folded: &str) -> Vec<String> {
    let mut keys: Vec<String> = sinitic_reading(folded, false).into_iter().collect();
    if !keys.is_empty()
        && folded.contains("JU")
        && let Some(other) = sinitic_reading(folded, true)
        && !keys.contains(&other)
    {
        keys.push(other);
    }
    keys
}

/// Every spelling of one romanised syllable (an initial and a final of the tables above, in any
/// of the systems) whose reading is `key` ([`sinitic_keys`]): ZHAO's key gives ZHAO, CHAO, JAO…
/// `None` for a key no single syllable has. Built once; a few thousand parses.
pub fn syllable_spellings(key: &str) -> Option<&'static [String]> {
    use std::collections::HashMap;
    static SPELLINGS: std::sync::OnceLock<HashMap<String, Vec<String>>> =
        std::sync::OnceLock::new();
    SPELLINGS
        .get_or_init(|| {
            let mut map: HashMap<String, Vec<String>> = HashMap::new();
            for (initial, _) in SINITIC_INITIALS {
                for (fin, _) in SINITIC_FINALS {
                    let spelling = format!("{initial}{fin}");
                    for key in sinitic_keys(&spelling) {
                        let spellings = map.entry(key).or_default();
                        if !spellings.contains(&spelling) {
                            spellings.push(spelling.clone());
                        }
                    }
                }
            }
            map
        })
        .get(key)
        .map(Vec::as_slice)
}

/// Pinyin Ü written without the umlaut after L and N (LV, LVE, LYU, NYU), read as the U of the
/// folded Ü (UE), longest first. No final of [`SINITIC_FINALS`] starts with V or Y.
const UMLAUT_FINALS: &[(&str, &str)] = &[("YUE", "U"), ("YU", "U"), ("VE", "U"), ("V", "U")];

/// Wade–Giles finals that pinyin spells otherwise after certain initials, as pinyin's normal form;
/// `None` where the final table's normal form holds. Pinyin has no syllable KO, GO or HO, nor DO,
/// TO, LO, NO, ZO, SO, CHO or JO: Wade–Giles O is pinyin E after K and H (KO / GE, HO / HE, the
/// Cantonese HO as well) and UO after the dental and sibilant initials (TSO / ZUO, TO / DUO,
/// LO / LUO); after Y, EN is pinyin AN (YEN / YAN). Korean CHO and JO read as ZHUO then, which
/// changes nothing between Korean spellings.
/// On bytes: the syllable parser runs for every token made, candidates' included.
fn wade_giles_final(class: &str, fin: &str) -> Option<&'static str> {
    match (class.as_bytes(), fin.as_bytes()) {
        ([b'K' | b'H'], b"O") => Some("E"),
        ([b'T' | b'S' | b'L' | b'N' | b'R'], b"O") => Some("UO"),
        (b"Y", b"EN") => Some("AN"),
        _ => None,
    }
}

/// `wade_giles_ju`: read J before U as Wade–Giles (pinyin R).
fn sinitic_reading(folded: &str, wade_giles_ju: bool) -> Option<String> {
    /// Longest token considered; positions fit the memo below.
    const MAX_LEN: usize = 16;
    /// `dead[syllables]` has bit `pos` set once reading from `pos` after that many syllables
    /// failed: each state is tried once, so the search is linear in the token, not exponential.
    struct Search<'a> {
        text: &'a str,
        dead: [u32; 5],
        out: String,
        wade_giles_ju: bool,
    }
    fn parse(search: &mut Search<'_>, pos: usize, syllables: usize) -> bool {
        let Some(rest) = search.text.get(pos..) else {
            return false;
        };
        if rest.is_empty() {
            return syllables > 0;
        }
        if syllables >= 4 || search.dead[syllables] & (1 << pos) != 0 {
            return false;
        }
        let first = rest.as_bytes().first().copied();
        for (initial, class) in SINITIC_INITIALS {
            if !initial.is_empty() && initial.as_bytes().first().copied() != first {
                continue;
            }
            // Pinyin writes a vowel-initial syllable inside a name only after an apostrophe
            // (XI'AN), which folding drops: without one, a syllable after the first has an
            // initial. So JIANGUO reads JIAN-GUO (Wade–Giles CHIEN-KUO), not JIANG-UO.
            if initial.is_empty() && syllables > 0 {
                continue;
            }
            let Some(after) = rest.strip_prefix(initial) else {
                continue;
            };
            // Pinyin Ü after L and N, as keyboards and PRC passports write it: LV, LVE (pinyin
            // input) and LYU, NYU (passports since 2012) for LÜ, LÜE, NÜ, which read as LU.
            // Otherwise every final starts with a vowel: most non-Chinese spellings fail here,
            // cheaply.
            let umlauts: &[(&str, &str)] = if matches!(initial.as_bytes(), b"L" | b"N")
                && matches!(after.as_bytes().first(), Some(b'V' | b'Y'))
            {
                UMLAUT_FINALS
            } else if matches!(
                after.as_bytes().first(),
                Some(b'A' | b'E' | b'I' | b'O' | b'U')
            ) {
                &[]
            } else {
                continue;
            };
            // Pinyin J comes only before I and Ü (JI, JIA, JU); before A, E, O and in JUI and
            // JIH it is Wade–Giles J, pinyin R (JUI-HAO / RUIHAO, JEN / REN). Korean JEONG keeps
            // its J; J before U is read both ways (see `sinitic_keys`).
            let class = if *initial == "J"
                && ((!after.starts_with("EO")
                    && ["A", "E", "O", "UI", "IH"]
                        .iter()
                        .any(|p| after.starts_with(p)))
                    || (search.wade_giles_ju && after.starts_with('U')))
            {
                "R"
            } else {
                class
            };
            for (fin, normal) in umlauts.iter().chain(SINITIC_FINALS) {
                if !after.starts_with(fin) {
                    continue;
                }
                let normal = wade_giles_final(class, fin).unwrap_or(normal);
                let mark = search.out.len();
                search.out.push_str(class);
                search.out.push_str(normal);
                if parse(search, pos + initial.len() + fin.len(), syllables + 1) {
                    return true;
                }
                search.out.truncate(mark);
            }
        }
        search.dead[syllables] |= 1 << pos;
        false
    }
    if folded.len() < 2 || folded.len() > MAX_LEN || !folded.bytes().all(|b| b.is_ascii_uppercase())
    {
        return None;
    }
    let mut search = Search {
        text: folded,
        dead: [0; 5],
        out: String::with_capacity(folded.len()),
        wade_giles_ju,
    };
    parse(&mut search, 0, 0).then_some(search.out)
}

#[cfg(test)]
mod tests;
