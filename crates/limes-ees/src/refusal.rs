//! Reasons for refusal of entry: the letters of SBC Annex V Part B, loaded from configuration
//! (`config/refusal-reasons.toml`) so that an amendment of the Annex is a configuration change.
//!
//! The law fixes two things the configuration may not change, and [`RefusalReasons::parse`]
//! enforces them: letters A to I all exist, and B, D and H need biometrics in the refusal record
//! (EES Reg 2017/2226 Art 18(2)). Reading the file is the caller's job; this module parses text.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

/// One reason letter, `A`..=`Z` (the Annex uses A–I today).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ReasonLetter(char);

impl ReasonLetter {
    pub fn parse(text: &str) -> Result<Self, RefusalConfigError> {
        let mut chars = text.chars();
        match (chars.next(), chars.next()) {
            (Some(letter), None) if letter.is_ascii_uppercase() => Ok(Self(letter)),
            _ => Err(RefusalConfigError::BadLetter(text.to_owned())),
        }
    }
    pub fn as_char(self) -> char {
        self.0
    }
}

impl TryFrom<String> for ReasonLetter {
    type Error = RefusalConfigError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text)
    }
}

impl From<ReasonLetter> for String {
    fn from(letter: ReasonLetter) -> Self {
        letter.0.to_string()
    }
}

impl fmt::Display for ReasonLetter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// One lettered reason with its wording and legal reference.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefusalReason {
    pub letter: ReasonLetter,
    pub text: String,
    pub legal_reference: String,
    pub needs_biometrics: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefusalConfigError {
    #[error("refusal reasons are not valid TOML: {0}")]
    Toml(String),
    #[error("{0:?} is not a reason letter (one capital letter)")]
    BadLetter(String),
    #[error("reason {0} appears more than once")]
    Duplicate(ReasonLetter),
    #[error("reason {0} of SBC Annex V Part B is missing")]
    Missing(char),
    #[error("reason {0} must have needs_biometrics = true (Reg 2017/2226 Art 18(2))")]
    BiometricsRequired(ReasonLetter),
    #[error("reason {0} has an empty text or legal reference")]
    Empty(ReasonLetter),
    #[error("a refusal needs at least one reason")]
    NoReason,
    #[error("reason {0} is not configured")]
    Unknown(ReasonLetter),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    reason: Vec<RefusalReason>,
}

/// The configured reasons, by letter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefusalReasons {
    by_letter: BTreeMap<ReasonLetter, RefusalReason>,
}

/// Letters the law requires to carry biometrics.
const BIOMETRIC_LETTERS: [char; 3] = ['B', 'D', 'H'];

impl RefusalReasons {
    /// Parses and checks the TOML text of `config/refusal-reasons.toml`.
    pub fn parse(toml_text: &str) -> Result<Self, RefusalConfigError> {
        let file: File = toml::from_str(toml_text)
            .map_err(|error| RefusalConfigError::Toml(error.to_string()))?;
        let mut by_letter = BTreeMap::new();
        for reason in file.reason {
            if reason.text.trim().is_empty() || reason.legal_reference.trim().is_empty() {
                return Err(RefusalConfigError::Empty(reason.letter));
            }
            if BIOMETRIC_LETTERS.contains(&reason.letter.0) && !reason.needs_biometrics {
                return Err(RefusalConfigError::BiometricsRequired(reason.letter));
            }
            let letter = reason.letter;
            if by_letter.insert(letter, reason).is_some() {
                return Err(RefusalConfigError::Duplicate(letter));
            }
        }
        if let Some(missing) =
            ('A'..='I').find(|&letter| !by_letter.contains_key(&ReasonLetter(letter)))
        {
            return Err(RefusalConfigError::Missing(missing));
        }
        Ok(Self { by_letter })
    }

    pub fn get(&self, letter: ReasonLetter) -> Option<&RefusalReason> {
        self.by_letter.get(&letter)
    }

    pub fn iter(&self) -> impl Iterator<Item = &RefusalReason> {
        self.by_letter.values()
    }

    /// Checks a refusal's letters (at least one, all configured) and says whether the refusal
    /// record must carry biometrics.
    pub fn needs_biometrics(&self, letters: &[ReasonLetter]) -> Result<bool, RefusalConfigError> {
        if letters.is_empty() {
            return Err(RefusalConfigError::NoReason);
        }
        letters.iter().try_fold(false, |needs, &letter| {
            let reason = self
                .get(letter)
                .ok_or(RefusalConfigError::Unknown(letter))?;
            Ok(needs || reason.needs_biometrics)
        })
    }
}

#[cfg(test)]
mod tests;
