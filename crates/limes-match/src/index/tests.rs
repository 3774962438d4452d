use super::*;

/// A gallery or probe record with a name and a birth date only (also for other modules' tests).
pub(crate) fn person(id: &str, surname: &str, given: &str, birth: &str) -> Identity {
    Identity {
        id: id.into(),
        surname: surname.into(),
        given_names: given.into(),
        birth_date: birth.parse().ok(),
        ..Identity::default()
    }
}

fn gallery() -> Vec<Identity> {
    vec![
        person("A1", "Lindqvist", "Karin Sofia", "1979-06-02"),
        person("A2", "Okafor", "Chinedu", "1990-00-00"),
        person("A3", "Müller", "Hans", "1970-03-04"),
        person("A4", "Müller", "Hans", "1951-08-19"),
    ]
}

#[test]
fn build_and_insert_find_the_same() {
    let built = Index::build(IndexConfig::default(), gallery()).expect("unique ids");
    let mut grown = Index::new(IndexConfig::default());
    for p in gallery() {
        grown.insert(&p).expect("unique ids");
    }
    let probe = person("Q", "MUELLER", "HANS", "1970-03-04");
    for index in [&built, &grown] {
        let hits = index.screen(&probe, &ScreenOptions::default());
        assert_eq!(
            hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(),
            vec!["A3"]
        );
    }
}

#[test]
fn remove_and_compact() {
    let mut index = Index::build(IndexConfig::default(), gallery()).expect("unique ids");
    let probe = person("Q", "Lindqvist", "Karin", "1979-06-02");
    assert_eq!(index.screen(&probe, &ScreenOptions::default()).len(), 1);
    assert!(index.remove("A1"));
    assert!(!index.remove("A1"));
    assert!(index.screen(&probe, &ScreenOptions::default()).is_empty());
    index
        .insert(&person("A1", "Lindqvist", "Karin", "1979-06-02"))
        .expect("id free again");
    index
        .insert(&person("A5", "Nowak", "Jan", "1980-01-01"))
        .expect("new id");
    index.compact();
    assert_eq!(index.len(), 5);
    let hits = index.screen(&probe, &ScreenOptions::default());
    assert_eq!(hits.len(), 1);
    assert_eq!(index.id(hits[0].handle), "A1");
}

#[test]
fn duplicate_ids_are_refused() {
    let mut index = Index::new(IndexConfig::default());
    index
        .insert(&person("A1", "X", "Y", "1990-01-01"))
        .expect("first");
    assert_eq!(
        index.insert(&person("A1", "Z", "W", "1990-01-01")),
        Err(IndexError::Duplicate("A1".into()))
    );
}

#[test]
fn explanation_only_when_asked() {
    let index = Index::build(IndexConfig::default(), gallery()).expect("unique ids");
    let probe = person("Q", "Okafor", "Chinedu", "1990-04-04");
    let options = ScreenOptions {
        explain: true,
        ..ScreenOptions::default()
    };
    let hits = index.screen(&probe, &options);
    assert!(
        hits[0]
            .explanation
            .as_ref()
            .is_some_and(|e| e.to_string().contains("partial"))
    );
    assert!(
        index.screen(&probe, &ScreenOptions::default())[0]
            .explanation
            .is_none()
    );
}

#[test]
fn dates_pack_and_unpack() {
    for s in ["1979-06-02", "2024-02-29", "1975-00-00", "0001-12-00"] {
        let date: PartialDate = s.parse().expect("valid");
        assert_eq!(unpack_date(pack_date(Some(date))), Some(date));
    }
    assert_eq!(unpack_date(pack_date(None)), None);
}

#[test]
fn gallery_frequencies_follow_inserts_and_removals() {
    // A name carried by many gallery people weighs less; removing them restores the weight.
    let mut index = Index::build(IndexConfig::default(), gallery()).expect("unique ids");
    let probe = person("Q", "Lindqvist", "Karin Sofia", "1979-06-02");
    let target = index.lookup_id("A1").expect("in the gallery");
    let before = index.compare_handle(&Prepared::new(&probe), target).weight;
    for i in 0..300 {
        index
            .insert(&person(
                &format!("N{i}"),
                "Lindqvist",
                "Karin Sofia",
                "1960-01-01",
            ))
            .expect("new id");
    }
    let crowded = index.compare_handle(&Prepared::new(&probe), target).weight;
    assert!(crowded + 4.0 < before, "{crowded} vs {before}");
    for i in 0..300 {
        assert!(index.remove(&format!("N{i}")));
    }
    let after = index.compare_handle(&Prepared::new(&probe), target).weight;
    assert!((after - before).abs() < 1e-9, "{after} vs {before}");
}

#[test]
fn typo_in_every_name_part_but_one_is_still_found_by_its_full_date() {
    let mut people = gallery();
    for i in 0..200 {
        people.push(person(
            &format!("F{i}"),
            &format!("Filler{i}"),
            "Anna",
            "1982-00-00",
        ));
    }
    people.push(person("D1", "Dąbrowska", "Anna", "1982-12-30"));
    let index = Index::build(IndexConfig::default(), people).expect("unique ids");
    let probe = Prepared::new(&person("Q", "Darowska", "Anna", "1982-12-30"));
    let target = index.lookup_id("D1").expect("in the gallery");
    assert!(index.candidates(&probe).contains(&target));
}

#[test]
fn nationality_agreement_counts_only_where_the_name_crosses_borders() {
    // Everyone called Kowalczyk in this gallery is Polish; Haddads come from six countries.
    let with_nat = |id: String, surname: &str, nat: &str| Identity {
        nationality: Some(nat.into()),
        ..person(&id, surname, "Filler", "1960-01-01")
    };
    let mut people = Vec::new();
    for i in 0..60 {
        people.push(with_nat(format!("K{i}"), "Kowalczyk", "POL"));
        let nat = ["EGY", "SYR", "JOR", "LBN", "IRQ", "TUN"][i % 6];
        people.push(with_nat(format!("H{i}"), "Haddad", nat));
    }
    people.push(Identity {
        nationality: Some("POL".into()),
        ..person("TK", "Kowalczyk", "Paweł", "1980-05-05")
    });
    people.push(Identity {
        nationality: Some("SYR".into()),
        ..person("TH", "Haddad", "Rami", "1980-05-05")
    });
    let index = Index::build(IndexConfig::default(), people).expect("unique ids");
    let nat_weight = |probe: Identity, id: &str| {
        let handle = index.lookup_id(id).expect("in the gallery");
        index
            .compare_handle(&Prepared::new(&probe), handle)
            .evidence
            .iter()
            .find(|e| e.field == "nationality")
            .map(|e| e.weight)
            .unwrap_or(f64::NAN)
    };
    let polish = nat_weight(
        Identity {
            nationality: Some("POL".into()),
            ..person("Q1", "Kowalczyk", "Paweł", "1980-05-05")
        },
        "TK",
    );
    let syrian = nat_weight(
        Identity {
            nationality: Some("SYR".into()),
            ..person("Q2", "Haddad", "Rami", "1980-05-05")
        },
        "TH",
    );
    assert!(polish.abs() < 0.2, "{polish}");
    assert!(syrian >= 1.4, "{syrian}");
}

#[test]
fn an_article_written_onto_the_name_still_finds_it() {
    // AL-MASRI is normalised to MASRI; ALMASRI keeps its article. An initial and a partial date
    // leave the surname as the only key, so it must be keyed both ways.
    for (gallery_surname, probe_surname) in [
        ("Al-Masri", "Almasri"),
        ("Elmasri", "El Masri"),
        ("de la Cruz", "Delacruz"),
        ("da Silva", "Dasilva"),
    ] {
        let index = Index::build(
            IndexConfig::default(),
            vec![
                person("G1", gallery_surname, "Aisha", "1987-07-00"),
                person("G2", "Haddad", "Aisha", "1987-07-00"),
            ],
        )
        .expect("unique ids");
        let probe = Prepared::new(&person("Q", probe_surname, "A", "1987-07-08"));
        let found: Vec<&str> = index
            .candidates(&probe)
            .into_iter()
            .map(|h| index.id(h))
            .collect();
        assert_eq!(found, vec!["G1"], "{gallery_surname} / {probe_surname}");
    }
}

#[test]
fn a_ukrainian_spelling_finds_the_russian_one() {
    // HRYSHCHUK M on a Ukrainian passport, GRISHCHUK MAKSIM in the register: the surname is the
    // only key the probe has, and it must be looked up the Russian way too.
    let index = Index::build(
        IndexConfig::default(),
        vec![
            person("G1", "Grishchuk", "Maksim", "1948-10-17"),
            person("G2", "Kovalchuk", "Maksim", "1948-10-17"),
        ],
    )
    .expect("unique ids");
    let probe = Prepared::new(&person("Q", "Hryshchuk", "M", "1948-10-17"));
    let found: Vec<&str> = index
        .candidates(&probe)
        .into_iter()
        .map(|h| index.id(h))
        .collect();
    assert!(found.contains(&"G1"), "{found:?}");
}

#[test]
fn other_transliterations_find_each_other_without_a_birth_date() {
    // Both name parts spelt another country's way, and no birth date to block on: the index must
    // read the letters as the comparator does, either way round.
    let index = Index::build(
        IndexConfig::default(),
        vec![
            person("S1", "Đorđević", "Đorđe", "1980-00-00"),
            person("S2", "Zhukov", "Andrei", "1975-00-00"),
            person("S3", "Djuric", "Djordje", "1962-00-00"),
            person("S4", "Joukova", "Olga", "1966-00-00"),
        ],
    )
    .expect("unique ids");
    for (surname, given, expected) in [
        ("Djordjevic", "Djordje", "S1"),
        ("Dordevic", "Dorde", "S1"),
        ("Joukov", "Andrei", "S2"),
        ("Đurić", "Đorđe", "S3"),
        ("Zhukova", "Olga", "S4"),
    ] {
        let probe = person("P", surname, given, "");
        let hits = index.screen(
            &probe,
            &ScreenOptions {
                threshold: 0.01,
                ..ScreenOptions::default()
            },
        );
        assert_eq!(
            hits.first().map(|h| index.id(h.handle)),
            Some(expected),
            "{surname} {given}: {hits:?}"
        );
    }
}

#[test]
fn real_world_name_pairs_are_found() {
    // Each pair is one person whose two records were written by different rules, against a
    // generated gallery of 20,000 others: with a full birth date the other record must be the
    // best hit and nearly certain, and with surname and given names swapped as well.
    let pairs: Vec<Vec<&str>> = include_str!("../../data/real_world_pairs.txt")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('|').collect())
        .collect();
    assert!(pairs.len() > 100, "{}", pairs.len());
    let mut gallery: Vec<Identity> = (0..20_000)
        .map(|i| crate::generate::gallery_person(11, i).identity)
        .collect();
    // A birth date of its own per pair: two pairs may share a spelling (SHEVCHENKO).
    let record = |i: usize, surname: &str, given: &str, nat: &str, sex: &str| Identity {
        id: format!("X{i}"),
        surname: surname.into(),
        given_names: given.into(),
        birth_date: format!("{}-{:02}-{:02}", 1940 + i % 60, 1 + i % 12, 1 + i % 28)
            .parse()
            .ok(),
        nationality: Some(nat.into()),
        sex: Some(if sex == "F" {
            limes_model::Sex::F
        } else {
            limes_model::Sex::M
        }),
        ..Identity::default()
    };
    for (i, p) in pairs.iter().enumerate() {
        let [sa, ga, _, _, nat, sex] = p.as_slice() else {
            panic!("malformed line {p:?}");
        };
        gallery.push(record(i, sa, ga, nat, sex));
    }
    let index = Index::build(IndexConfig::default(), gallery).expect("unique ids");
    let mut missed = Vec::new();
    for (i, p) in pairs.iter().enumerate() {
        let [_, _, sb, gb, nat, sex] = p.as_slice() else {
            continue;
        };
        for probe in [record(i, sb, gb, nat, sex), record(i, gb, sb, nat, sex)] {
            let hits = index.screen(&probe, &ScreenOptions::default());
            let found = hits
                .first()
                .is_some_and(|h| index.id(h.handle) == format!("X{i}") && h.score >= 0.9);
            if !found {
                missed.push(format!(
                    "{} {} / {} {}",
                    p[0], p[1], probe.surname, probe.given_names
                ));
            }
        }
    }
    assert!(missed.is_empty(), "{missed:#?}");
}

#[test]
fn a_missing_part_weighs_by_the_gallery_carriers_longer_names() {
    // Everyone called Nguyen here has a middle name; no Nowak Ewa has a further name but one.
    let mut people = gallery();
    for i in 0..100 {
        people.push(person(&format!("V{i}"), "Nguyen", "Van Anh", "1960-01-01"));
        people.push(person(&format!("P{i}"), "Nowak", "Ewa", "1960-01-01"));
    }
    people.push(person("T1", "Nguyen", "Thi Anh", "1985-04-12"));
    people.push(person("T2", "Nowak", "Ewa Maria", "1985-04-12"));
    let mut index = Index::build(IndexConfig::default(), people).expect("unique ids");
    let parts_weight = |index: &Index, surname: &str, given: &str, target: &str| {
        let probe = Prepared::new(&person("Q", surname, given, "1985-04-12"));
        let handle = index.lookup_id(target).expect("in the gallery");
        let comparison = index.compare_handle(&probe, handle);
        comparison
            .evidence
            .iter()
            .find(|e| e.field == "name parts")
            .map_or(f64::NAN, |e| e.weight)
    };
    let nguyen = parts_weight(&index, "Nguyen", "Anh", "T1");
    let nowak = parts_weight(&index, "Nowak", "Ewa", "T2");
    assert!(nguyen > -1.5, "{nguyen}");
    assert!(nowak < -2.2, "{nowak}");
    // The counts follow removals: without the Nowaks of one name, Nowak Ewa is back near the
    // prior.
    for i in 0..100 {
        assert!(index.remove(&format!("P{i}")));
    }
    let fewer = parts_weight(&index, "Nowak", "Ewa", "T2");
    assert!(fewer > nowak + 0.2, "{fewer} vs {nowak}");
}

#[test]
fn a_spelling_nobody_else_carries_is_never_a_name_in_its_own_right() {
    // In a small gallery the frequency prior alone used to make every spelling "established",
    // so a garbled one weighed as a second, different name. Now a spelling must be known to the
    // name table or carried by two gallery people.
    let mut people = gallery();
    people.push(person("B1", "Qxuvzek", "Maria", "1980-01-01"));
    let index = Index::build(IndexConfig::default(), people.clone()).expect("unique ids");
    let freq = Frequencies::new(&index.name_counts, index.live);
    let skel = |s: &str| crate::normalize::skeleton(&crate::normalize::fold(s));
    assert!(freq.is_established(&skel("Maria")));
    assert!(!freq.is_established(&skel("Qxuvzek")));
    assert!(!freq.is_established(&skel("Zyxwqo")));
    people.push(person("B2", "Qxuvzek", "Ewa", "1981-01-01"));
    let index = Index::build(IndexConfig::default(), people).expect("unique ids");
    let freq = Frequencies::new(&index.name_counts, index.live);
    assert!(freq.is_established(&skel("Qxuvzek")));
}

/// The truth `T` after 250 others that share one of its names (`surname` or `given`; the other
/// is `filler` followed by AA, AB, …), and the candidate ids the index gives for `probe`. The
/// truth comes last, so that an arbitrary order among equals would not favour it.
fn candidates_among_namesakes(
    truth: Identity,
    (surname, given, filler): (Option<&str>, Option<&str>, &str),
    probe: &Identity,
) -> Vec<String> {
    let mut gallery = Vec::new();
    for i in 0..250u8 {
        let other = format!(
            "{filler}{}{}",
            char::from(b'a' + i / 26),
            char::from(b'a' + i % 26)
        );
        let surname = surname.unwrap_or(&other);
        let given = given.unwrap_or(&other);
        gallery.push(person(&format!("N{i}"), surname, given, "1960-01-01"));
    }
    gallery.push(truth);
    let index = Index::build(IndexConfig::default(), gallery).expect("unique ids");
    index
        .candidates(&Prepared::new(probe))
        .into_iter()
        .map(|h| index.id(h).to_owned())
        .collect()
}

#[test]
fn two_names_with_one_sound_key_still_make_a_pair() {
    // SAYED and SOUAD both read ST. Keyed once, the record had no pair key, and a probe without a
    // birth date found it only among everyone whose one name reads ST, where the cut of
    // `max_scored` dropped it at random. (The others' surnames begin as SAYD does, so that
    // only the pair key, not the order of a tie by spelling, can set the truth apart.)
    let found = candidates_among_namesakes(
        person("T", "Al-Sayed", "Souad", "1995-12-16"),
        (None, Some("Souad"), "Saykor"),
        &person("Q", "Sayd", "Souad", ""),
    );
    assert!(found.iter().any(|id| id == "T"), "{found:?}");
}

#[test]
fn a_slip_in_one_name_is_not_lost_among_the_namesakes_of_the_other() {
    // MAIER DAVKD without a birth date shares one key with every MAIER: of that tie group the
    // candidates whose names begin as the probe's are scored first.
    let found = candidates_among_namesakes(
        person("T", "Maier", "David", "1971-05-02"),
        (Some("Maier"), None, "Kor"),
        &person("Q", "Maier", "Davkd", ""),
    );
    assert_eq!(found.len(), IndexConfig::default().max_scored);
    assert!(found.iter().any(|id| id == "T"), "{found:?}");
}

#[test]
fn an_initial_with_a_full_date_finds_the_name_in_another_romanisation() {
    // CHÜ K on a Taiwanese record, QU GUIXIN in the register, both born on one day with 250 other
    // QUs: the initial looks up the first letters on that date, Wade–Giles K as pinyin G too.
    let found = candidates_among_namesakes(
        person("T", "Qu", "Guixin", "1960-01-01"),
        (Some("Qu"), None, "Mor"),
        &person("Q", "Chü", "K", "1960-01-01"),
    );
    assert!(found.iter().any(|id| id == "T"), "{found:?}");
}

#[test]
fn a_weak_date_does_not_single_out_one_of_many_namesakes() {
    // Twelve NGUYEN VAN HUNG known by their year alone and one by a full date. A traveller of
    // that name born in 1955 agrees with one of them on the year: with so many carriers that is
    // what a namesake's record looks like, so the year is not used and nobody is hit. A full date
    // still singles out its record.
    let mut gallery: Vec<Identity> = (0..12)
        .map(|i| {
            person(
                &format!("N{i}"),
                "Nguyễn",
                "Văn Hùng",
                &format!("{}-00-00", 1950 + i),
            )
        })
        .collect();
    gallery.push(person("F", "Nguyễn", "Văn Hùng", "1970-01-02"));
    let mut index = Index::build(IndexConfig::default(), gallery).expect("unique ids");
    let options = ScreenOptions {
        explain: true,
        ..ScreenOptions::default()
    };
    let year_only = person("Q", "NGUYEN", "VAN HUNG", "1955-04-03");
    assert!(index.screen(&year_only, &options).is_empty());
    let everything = ScreenOptions {
        threshold: 0.0,
        ..options.clone()
    };
    let n5 = index
        .screen(&year_only, &everything)
        .into_iter()
        .find(|h| h.id == "N5")
        .and_then(|h| h.explanation)
        .expect("N5 compared");
    assert!(
        n5.to_string().contains("not used: 13 gallery records"),
        "{n5}"
    );
    let full = index.screen(&person("Q", "NGUYEN", "VAN HUNG", "1970-01-02"), &options);
    assert_eq!(full.first().map(|h| h.id.as_str()), Some("F"));
    // With six carriers left the year is evidence again.
    for id in ["N0", "N1", "N2", "N3", "N4", "N6", "N7"] {
        assert!(index.remove(id));
    }
    let hits = index.screen(&year_only, &options);
    assert_eq!(
        hits.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(),
        vec!["N5"]
    );
}
