use super::*;

const SHIPPED: &str = include_str!("../../../../config/refusal-reasons.toml");

fn letter(text: &str) -> ReasonLetter {
    ReasonLetter::parse(text).expect("test letters are valid")
}

#[test]
fn shipped_configuration_loads_with_nine_letters() {
    let reasons = RefusalReasons::parse(SHIPPED).expect("the shipped file is valid");
    let letters: String = reasons
        .iter()
        .map(|reason| reason.letter.as_char())
        .collect();
    assert_eq!(letters, "ABCDEFGHI");
    let biometric: String = reasons
        .iter()
        .filter(|reason| reason.needs_biometrics)
        .map(|reason| reason.letter.as_char())
        .collect();
    assert_eq!(biometric, "BDH");
    assert!(
        reasons
            .iter()
            .all(|reason| reason.legal_reference.contains("Annex V Part B"))
    );
}

#[test]
fn refusal_needs_biometrics_when_any_letter_does() {
    let reasons = RefusalReasons::parse(SHIPPED).expect("valid");
    assert_eq!(
        reasons.needs_biometrics(&[letter("A"), letter("E")]),
        Ok(false)
    );
    assert_eq!(
        reasons.needs_biometrics(&[letter("E"), letter("H")]),
        Ok(true)
    );
    assert_eq!(
        reasons.needs_biometrics(&[]),
        Err(RefusalConfigError::NoReason)
    );
    assert_eq!(
        reasons.needs_biometrics(&[letter("J")]),
        Err(RefusalConfigError::Unknown(letter("J")))
    );
}

#[test]
fn configuration_cannot_drop_biometrics_for_b_d_h() {
    let edited = SHIPPED.replacen("needs_biometrics = true", "needs_biometrics = false", 1);
    assert_eq!(
        RefusalReasons::parse(&edited),
        Err(RefusalConfigError::BiometricsRequired(letter("B")))
    );
}

#[test]
fn configuration_must_have_every_letter_once() {
    let without_i = SHIPPED
        .split("[[reason]]")
        .filter(|block| !block.contains("letter = \"I\""))
        .collect::<Vec<_>>()
        .join("[[reason]]");
    assert_eq!(
        RefusalReasons::parse(&without_i),
        Err(RefusalConfigError::Missing('I'))
    );
    let doubled = format!(
        "{SHIPPED}\n[[reason]]\nletter = \"A\"\ntext = \"x\"\nlegal_reference = \"y\"\nneeds_biometrics = false\n"
    );
    assert_eq!(
        RefusalReasons::parse(&doubled),
        Err(RefusalConfigError::Duplicate(letter("A")))
    );
    assert!(matches!(
        RefusalReasons::parse("reason = 3"),
        Err(RefusalConfigError::Toml(_))
    ));
    assert!(ReasonLetter::parse("AB").is_err());
    assert!(ReasonLetter::parse("a").is_err());
}
