//! Nationality and issuing-state codes: ISO 3166-1 alpha-3, plus the ICAO 9303 codes that are not
//! ISO (D for Germany, the British nationality classes, UN and refugee/stateless codes, Kosovo).
//!
//! Records from carriers and alerts write the same country as `D`, `DEU`, `deu` or `DE`; matching
//! and rules need one spelling, so everything is reduced to an [`Alpha3`] or rejected.

use std::fmt;

/// ISO 3166-1 alpha-3 codes (officially assigned), sorted.
const ISO_ALPHA3: &str = "ABW AFG AGO AIA ALA ALB AND ARE ARG ARM ASM ATA ATF ATG AUS AUT AZE BDI BEL BEN BES BFA \
BGD BGR BHR BHS BIH BLM BLR BLZ BMU BOL BRA BRB BRN BTN BVT BWA CAF CAN CCK CHE CHL CHN CIV CMR COD COG COK COL COM \
CPV CRI CUB CUW CXR CYM CYP CZE DEU DJI DMA DNK DOM DZA ECU EGY ERI ESH ESP EST ETH FIN FJI FLK FRA FRO FSM GAB GBR \
GEO GGY GHA GIB GIN GLP GMB GNB GNQ GRC GRD GRL GTM GUF GUM GUY HKG HMD HND HRV HTI HUN IDN IMN IND IOT IRL IRN IRQ \
ISL ISR ITA JAM JEY JOR JPN KAZ KEN KGZ KHM KIR KNA KOR KWT LAO LBN LBR LBY LCA LIE LKA LSO LTU LUX LVA MAC MAF MAR \
MCO MDA MDG MDV MEX MHL MKD MLI MLT MMR MNE MNG MNP MOZ MRT MSR MTQ MUS MWI MYS MYT NAM NCL NER NFK NGA NIC NIU NLD \
NOR NPL NRU NZL OMN PAK PAN PCN PER PHL PLW PNG POL PRI PRK PRT PRY PSE PYF QAT REU ROU RUS RWA SAU SDN SEN SGP SGS \
SHN SJM SLB SLE SLV SMR SOM SPM SRB SSD STP SUR SVK SVN SWE SWZ SXM SYC SYR TCA TCD TGO THA TJK TKL TKM TLS TON TTO \
TUN TUR TUV TWN TZA UGA UKR UMI URY USA UZB VAT VCT VEN VGB VIR VNM VUT WLF WSM YEM ZAF ZMB ZWE";

/// ICAO 9303 Part 3 codes that are not ISO alpha-3 but appear in MRZs, mapped to the code matching
/// should compare with. British classes all mean the United Kingdom for matching purposes; the UN,
/// EU, refugee and stateless codes are kept as themselves.
const ICAO_EXTRA: &[(&str, &str)] = &[
    ("D", "DEU"),
    ("GBD", "GBR"),
    ("GBN", "GBR"),
    ("GBO", "GBR"),
    ("GBP", "GBR"),
    ("GBS", "GBR"),
    ("RKS", "RKS"),
    ("EUE", "EUE"),
    ("UNO", "UNO"),
    ("UNA", "UNA"),
    ("UNK", "UNK"),
    ("XOM", "XOM"),
    ("XPO", "XPO"),
    ("XXA", "XXA"),
    ("XXB", "XXB"),
    ("XXC", "XXC"),
    ("XXX", "XXX"),
];

/// Alpha-2 codes for the Schengen area and the most frequent third countries in border traffic.
const ALPHA2: &[(&str, &str)] = &[
    ("AT", "AUT"),
    ("BE", "BEL"),
    ("BG", "BGR"),
    ("CH", "CHE"),
    ("CY", "CYP"),
    ("CZ", "CZE"),
    ("DE", "DEU"),
    ("DK", "DNK"),
    ("EE", "EST"),
    ("ES", "ESP"),
    ("FI", "FIN"),
    ("FR", "FRA"),
    ("GB", "GBR"),
    ("UK", "GBR"),
    ("GR", "GRC"),
    ("HR", "HRV"),
    ("HU", "HUN"),
    ("IE", "IRL"),
    ("IS", "ISL"),
    ("IT", "ITA"),
    ("LI", "LIE"),
    ("LT", "LTU"),
    ("LU", "LUX"),
    ("LV", "LVA"),
    ("MT", "MLT"),
    ("NL", "NLD"),
    ("NO", "NOR"),
    ("PL", "POL"),
    ("PT", "PRT"),
    ("RO", "ROU"),
    ("SE", "SWE"),
    ("SI", "SVN"),
    ("SK", "SVK"),
    ("US", "USA"),
    ("CA", "CAN"),
    ("TR", "TUR"),
    ("UA", "UKR"),
    ("RU", "RUS"),
    ("BY", "BLR"),
    ("RS", "SRB"),
    ("AL", "ALB"),
    ("MA", "MAR"),
    ("DZ", "DZA"),
    ("TN", "TUN"),
    ("EG", "EGY"),
    ("SY", "SYR"),
    ("IQ", "IRQ"),
    ("IR", "IRN"),
    ("AF", "AFG"),
    ("PK", "PAK"),
    ("IN", "IND"),
    ("CN", "CHN"),
    ("VN", "VNM"),
    ("NG", "NGA"),
    ("BR", "BRA"),
    ("MX", "MEX"),
    ("JP", "JPN"),
    ("KR", "KOR"),
    ("LB", "LBN"),
    ("HT", "HTI"),
];

/// A normalised three-letter country code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Alpha3([u8; 3]);

impl Alpha3 {
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }
    pub fn to_bytes(self) -> [u8; 3] {
        self.0
    }
}

impl fmt::Display for Alpha3 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

fn from_code(code: &str) -> Option<Alpha3> {
    let bytes: [u8; 3] = code.as_bytes().try_into().ok()?;
    Some(Alpha3(bytes))
}

/// Normalises a written country code (any case, MRZ filler `<` allowed, ICAO and common alpha-2
/// forms accepted); `None` for anything that is not a known code.
pub fn alpha3(text: &str) -> Option<Alpha3> {
    let code: String = text
        .trim()
        .trim_matches('<')
        .chars()
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if let Some((_, to)) = ICAO_EXTRA
        .iter()
        .chain(ALPHA2)
        .find(|(from, _)| *from == code)
    {
        return from_code(to);
    }
    if code.len() == 3 && is_iso_alpha3(code.as_bytes()) {
        return from_code(&code);
    }
    None
}

/// Binary search in [`ISO_ALPHA3`] read as fixed 4-byte cells ("ABW "): every alert, probe
/// and record names countries, and a bulk import checks 20 M of them.
fn is_iso_alpha3(code: &[u8]) -> bool {
    let table = ISO_ALPHA3.as_bytes();
    let cells = table.len().div_ceil(4);
    let cell = |i: usize| table.get(4 * i..4 * i + 3).unwrap_or_default();
    let (mut lo, mut hi) = (0, cells);
    while lo < hi {
        let mid = (lo + hi) / 2;
        match cell(mid).cmp(code) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_iso_table_is_sorted_fixed_cells() {
        let codes: Vec<&str> = ISO_ALPHA3.split(' ').collect();
        assert!(codes.iter().all(|c| c.len() == 3));
        assert!(codes.windows(2).all(|w| w[0] < w[1]));
        for code in &codes {
            assert!(is_iso_alpha3(code.as_bytes()), "{code}");
        }
        for absent in ["AAA", "ZZZ", "DEV", "ABX", "ZWF"] {
            assert!(!is_iso_alpha3(absent.as_bytes()), "{absent}");
        }
    }

    #[test]
    fn normalises_written_forms() {
        assert_eq!(alpha3("D").map(|c| c.to_string()), Some("DEU".into()));
        assert_eq!(alpha3("D<<").map(|c| c.to_string()), Some("DEU".into()));
        assert_eq!(alpha3("deu").map(|c| c.to_string()), Some("DEU".into()));
        assert_eq!(alpha3("SE").map(|c| c.to_string()), Some("SWE".into()));
        assert_eq!(alpha3("GBN").map(|c| c.to_string()), Some("GBR".into()));
        assert_eq!(alpha3("XXA").map(|c| c.to_string()), Some("XXA".into()));
        assert_eq!(alpha3("QQQ"), None);
        assert_eq!(alpha3(""), None);
        assert_eq!(alpha3("ÄÖÜ"), None);
    }

    #[test]
    fn iso_list_is_sorted_and_three_letters() {
        let codes: Vec<&str> = ISO_ALPHA3.split(' ').collect();
        assert!(codes.len() > 240);
        assert!(codes.windows(2).all(|w| w[0] < w[1]));
        assert!(
            codes
                .iter()
                .all(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()))
        );
    }
}
