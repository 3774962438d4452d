//! Name-frequency priors compiled into the crate: how common a surname or given name is *within
//! the name culture it belongs to*.
//!
//! Why a table at all: agreement on NGUYEN is weak evidence (about 38 % of Vietnamese carry it),
//! agreement on a rare name strong. The index counts its own gallery and those counts win once the
//! gallery is large; the table is the prior that a small or young gallery (or a comparison without
//! a gallery, [`crate::compare`]) falls back on, and it supplies the *conditional* share used when
//! a second name part agrees: given that two records already agree on NGUYEN, the chance that they
//! also agree on VAN is VAN's share among Vietnamese men, not its share in a mixed gallery.
//!
//! The figures are rounded population shares from public name statistics (national statistics
//! offices' surname counts and census-based surname studies: Vietnam, mainland China and Taiwan,
//! South Korea, Turkey, India, Spain, Portugal and Brazil, Germany, Poland, Russia and Ukraine, the
//! Nordic registers, Greece, Nigeria, and Arab given-name surveys). They are estimates to the
//! nearest half a percent or so: the weight of an agreement is a logarithm of them, so a factor of
//! 1.5 moves a weight by about half a bit. Spelling variants are listed once; the lookup goes
//! through [`crate::normalize::skeleton`], so MUELLER, MULLER and MÜLLER share MÜLLER's figure.
//! No data is downloaded at run time.

use std::collections::HashMap;
use std::sync::OnceLock;

/// (name as written, share within its culture). Surnames and given names are mixed: a token's
/// position is not trusted (order swaps), and the same word is often both (ALI, LI, LE).
const TABLE: &[(&str, f64)] = &[
    // Vietnamese surnames (closed stock: a handful cover most people).
    ("Nguyen", 0.38),
    ("Tran", 0.11),
    ("Le", 0.095),
    ("Pham", 0.071),
    ("Hoang", 0.051),
    ("Huynh", 0.051),
    ("Phan", 0.045),
    ("Vu", 0.039),
    ("Vo", 0.039),
    ("Dang", 0.021),
    ("Bui", 0.02),
    ("Do", 0.014),
    ("Ho", 0.013),
    ("Ngo", 0.013),
    ("Duong", 0.01),
    ("Ly", 0.005),
    // Vietnamese middle and given names: VAN for roughly half of men, THI for most women.
    ("Van", 0.25),
    ("Thi", 0.3),
    ("Minh", 0.04),
    ("Anh", 0.03),
    ("Ngoc", 0.03),
    ("Thanh", 0.03),
    ("Duc", 0.02),
    ("Hung", 0.02),
    ("Huong", 0.02),
    ("Linh", 0.02),
    ("Lan", 0.02),
    ("Hai", 0.02),
    ("Nam", 0.02),
    ("Tuan", 0.02),
    ("Dung", 0.02),
    ("Quang", 0.015),
    ("Mai", 0.015),
    ("Thu", 0.015),
    ("Hoa", 0.015),
    ("Trang", 0.015),
    // Chinese surnames (pinyin; Wade–Giles forms fold to the same skeleton or sound key).
    ("Wang", 0.071),
    ("Li", 0.079),
    ("Zhang", 0.069),
    ("Liu", 0.054),
    ("Chen", 0.045),
    ("Yang", 0.031),
    ("Huang", 0.022),
    ("Zhao", 0.021),
    ("Wu", 0.02),
    ("Zhou", 0.019),
    ("Xu", 0.017),
    ("Sun", 0.015),
    ("Ma", 0.012),
    ("Zhu", 0.012),
    ("Hu", 0.011),
    ("Guo", 0.011),
    ("He", 0.011),
    ("Lin", 0.01),
    ("Gao", 0.01),
    ("Luo", 0.009),
    ("Zheng", 0.009),
    ("Liang", 0.008),
    // Chinese given-name syllables that are whole given names for many people.
    ("Wei", 0.02),
    ("Jing", 0.015),
    ("Min", 0.01),
    ("Yan", 0.01),
    ("Fang", 0.01),
    ("Jun", 0.01),
    ("Lei", 0.01),
    ("Yong", 0.008),
    ("Jie", 0.008),
    ("Tao", 0.008),
    ("Ming", 0.008),
    ("Hui", 0.008),
    ("Hong", 0.008),
    ("Ping", 0.008),
    ("Xiuying", 0.008),
    // Korean surnames.
    ("Kim", 0.215),
    ("Lee", 0.147),
    ("Yi", 0.147),
    ("Park", 0.084),
    ("Pak", 0.084),
    ("Choi", 0.047),
    ("Jung", 0.043),
    ("Jeong", 0.043),
    ("Chung", 0.043),
    ("Kang", 0.023),
    ("Cho", 0.021),
    ("Yoon", 0.021),
    ("Jang", 0.02),
    ("Lim", 0.017),
    ("Han", 0.015),
    ("Oh", 0.015),
    ("Seo", 0.014),
    ("Shin", 0.014),
    // Arabic given names and the surnames formed from them (ism, nasab).
    ("Mohammed", 0.12),
    ("Muhammad", 0.12),
    ("Mohamed", 0.12),
    ("Ahmed", 0.05),
    ("Ahmad", 0.05),
    ("Ali", 0.04),
    ("Mahmoud", 0.025),
    ("Hassan", 0.025),
    ("Hussein", 0.02),
    ("Ibrahim", 0.02),
    ("Abdullah", 0.02),
    ("Omar", 0.02),
    ("Khaled", 0.015),
    ("Youssef", 0.015),
    ("Mustafa", 0.015),
    ("Fatima", 0.05),
    ("Aisha", 0.02),
    ("Mariam", 0.02),
    ("Zainab", 0.015),
    ("Khan", 0.03),
    // Turkish.
    ("Yilmaz", 0.04),
    ("Kaya", 0.026),
    ("Demir", 0.023),
    ("Sahin", 0.02),
    ("Celik", 0.018),
    ("Yildiz", 0.018),
    ("Yildirim", 0.017),
    ("Ozturk", 0.015),
    ("Aydin", 0.015),
    ("Ozdemir", 0.014),
    ("Mehmet", 0.05),
    ("Mustafa", 0.03),
    ("Ahmet", 0.03),
    ("Ayse", 0.03),
    ("Emine", 0.02),
    ("Fatma", 0.03),
    // Indian (Singh and Kaur are carried by most Sikhs; Kumar and Devi are very common middle
    // or last names across the north).
    ("Singh", 0.05),
    ("Kumar", 0.06),
    ("Kaur", 0.02),
    ("Devi", 0.04),
    ("Sharma", 0.02),
    ("Patel", 0.02),
    ("Yadav", 0.015),
    ("Gupta", 0.01),
    ("Shah", 0.01),
    ("Reddy", 0.01),
    ("Rao", 0.01),
    ("Das", 0.01),
    ("Raj", 0.01),
    ("Priya", 0.01),
    ("Lakshmi", 0.01),
    // Spanish and Portuguese.
    ("Garcia", 0.033),
    ("Rodriguez", 0.02),
    ("Gonzalez", 0.02),
    ("Fernandez", 0.019),
    ("Lopez", 0.019),
    ("Martinez", 0.019),
    ("Sanchez", 0.017),
    ("Perez", 0.016),
    ("Gomez", 0.01),
    ("Martin", 0.01),
    ("Silva", 0.09),
    ("Santos", 0.05),
    ("Ferreira", 0.03),
    ("Pereira", 0.03),
    ("Oliveira", 0.025),
    ("Costa", 0.02),
    ("Rodrigues", 0.02),
    ("Maria", 0.06),
    ("Jose", 0.04),
    ("Juan", 0.025),
    ("Antonio", 0.025),
    ("Carmen", 0.015),
    ("Ana", 0.02),
    // German, Polish, East Slavic.
    ("Mueller", 0.0095),
    ("Schmidt", 0.0072),
    ("Schneider", 0.0036),
    ("Fischer", 0.003),
    ("Weber", 0.0025),
    ("Meyer", 0.0025),
    ("Wagner", 0.0022),
    ("Nowak", 0.0054),
    ("Kowalski", 0.0037),
    ("Wisniewski", 0.003),
    ("Wojcik", 0.0026),
    ("Ivanov", 0.013),
    ("Ivanova", 0.013),
    ("Smirnov", 0.01),
    ("Smirnova", 0.01),
    ("Kuznetsov", 0.008),
    ("Kuznetsova", 0.008),
    ("Popov", 0.006),
    ("Popova", 0.006),
    ("Shevchenko", 0.006),
    ("Melnyk", 0.004),
    ("Kovalenko", 0.004),
    ("Aleksandr", 0.05),
    ("Sergei", 0.04),
    ("Dmitri", 0.03),
    ("Andrei", 0.03),
    ("Elena", 0.05),
    ("Olga", 0.04),
    ("Tatiana", 0.04),
    ("Natalia", 0.04),
    ("Irina", 0.03),
    ("Anna", 0.03),
    // Nordic patronymic surnames.
    ("Johansson", 0.025),
    ("Andersson", 0.024),
    ("Karlsson", 0.022),
    ("Nilsson", 0.017),
    ("Eriksson", 0.015),
    ("Hansen", 0.036),
    ("Jensen", 0.036),
    ("Nielsen", 0.034),
    ("Pedersen", 0.027),
    ("Larsen", 0.02),
    // Greek.
    ("Papadopoulos", 0.005),
    ("Georgios", 0.06),
    ("Ioannis", 0.05),
    ("Konstantinos", 0.05),
    ("Dimitrios", 0.04),
    ("Nikolaos", 0.04),
    ("Maria", 0.06),
    ("Eleni", 0.04),
    // Nigerian (Hausa names from Arabic are very common in the north).
    ("Musa", 0.02),
    ("Abubakar", 0.02),
    ("Bello", 0.015),
    ("Okafor", 0.005),
    ("Adeyemi", 0.005),
    // English given names common in every culture's records.
    ("John", 0.03),
    ("Mary", 0.02),
    ("David", 0.02),
    ("Michael", 0.02),
];

/// Share of one culture in a mixed gallery, used to turn a within-culture share into a share of
/// the whole gallery when the gallery itself cannot tell yet: a watch list mixes ten or more
/// name cultures, so a name carried by 38 % of one culture is carried by some 4 % of everyone.
pub const CULTURE_SHARE: f64 = 0.1;

/// FNV-1a over the skeleton's bytes: the table is looked up for every compared name part, so it
/// is keyed by a cheap 64-bit hash (collisions among a few hundred names are negligible and would
/// only borrow another common name's share).
fn hash(skeleton: &str) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64;
    for &b in skeleton.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

type Table = HashMap<u64, f64, crate::index::Prehashed>;

fn table() -> &'static Table {
    static TABLE_BY_SKELETON: OnceLock<Table> = OnceLock::new();
    TABLE_BY_SKELETON.get_or_init(|| {
        let mut map = Table::default();
        for &(name, share) in TABLE {
            let folded = crate::normalize::fold(name);
            let skeleton = crate::normalize::skeleton(&folded);
            let entry = map.entry(hash(&skeleton)).or_insert(0.0f64);
            *entry = entry.max(share);
        }
        map
    })
}

/// Vietnamese family names (the closed stock that nine in ten Vietnamese carry) and the women's
/// middle name THỊ, folded. A name carrying one is written in Quốc ngữ, a standard spelling in
/// which every name part is one syllable and two different spellings are two different names:
/// HƯƠNG and HỒNG, THÁI and TÀI, HẠNH and HẰNG are as different as ANNA and HANNA. Left out:
/// the stock's names that are as often Chinese (HO, LY) or Dutch (VAN).
const VIETNAMESE_MARKERS: &[&str] = &[
    "NGUYEN", "TRAN", "LE", "PHAM", "HOANG", "HUYNH", "PHAN", "VU", "VO", "DANG", "BUI", "DO",
    "NGO", "DUONG", "TRUONG", "DINH", "DOAN", "THI",
];

/// Whether a folded name part marks its name as Vietnamese ([`VIETNAMESE_MARKERS`]).
pub fn is_vietnamese_marker(folded: &str) -> bool {
    VIETNAMESE_MARKERS.contains(&folded)
}

/// Whether a folded name part is one syllable: Latin letters with a single run of vowels
/// (HUONG, NGUYEN, THANH), as every part of a Vietnamese name is.
pub fn is_one_syllable(folded: &str) -> bool {
    let vowel = |c: char| matches!(c, 'A' | 'E' | 'I' | 'O' | 'U' | 'Y');
    if folded.is_empty() || !folded.chars().all(|c| c.is_ascii_uppercase()) {
        return false;
    }
    let mut runs = 0;
    let mut previous = false;
    for c in folded.chars() {
        let v = vowel(c);
        if v && !previous {
            runs += 1;
        }
        previous = v;
    }
    runs == 1
}

/// The share of a name (by skeleton) within its culture, when the table knows it.
pub fn within_culture(skeleton: &str) -> Option<f64> {
    table().get(&hash(skeleton)).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_share_the_figure() {
        let skel = |s: &str| crate::normalize::skeleton(&crate::normalize::fold(s));
        assert_eq!(within_culture(&skel("Nguyễn")), Some(0.38));
        assert_eq!(
            within_culture(&skel("Müller")),
            within_culture(&skel("Muller"))
        );
        assert_eq!(within_culture(&skel("Muhammad")), Some(0.12));
        assert_eq!(within_culture(&skel("Zyxwvut")), None);
    }

    #[test]
    fn vietnamese_name_parts_are_one_syllable() {
        for part in ["HUONG", "NGUYEN", "THANH", "HUYNH", "QUYEN", "A"] {
            assert!(is_one_syllable(part), "{part}");
        }
        for part in ["MOHAMMED", "ANNA", "THI-HA", "", "BCD", "hung"] {
            assert!(!is_one_syllable(part), "{part}");
        }
        assert!(is_vietnamese_marker("NGUYEN") && is_vietnamese_marker("THI"));
        assert!(!is_vietnamese_marker("HO") && !is_vietnamese_marker("MUELLER"));
    }
}
