//! A person as a screening record: what an officer, a carrier or an alert says about someone.
//!
//! Names are kept exactly as written (UTF-8); matching works on normalised forms computed by
//! `limes-match`, never stored back here, so the officer always sees the original spelling.

use serde::{Deserialize, Serialize};

use crate::PartialDate;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Sex {
    M,
    F,
    X,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameVariant {
    #[serde(default)]
    pub surname: String,
    #[serde(default)]
    pub given_names: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRef {
    pub number: String,
    #[serde(default)]
    pub country: Option<String>,
}

/// The screening record of the `limes screen` contract; unknown JSON fields are ignored because
/// carriers and alert feeds carry much more than matching needs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    pub id: String,
    #[serde(default)]
    pub surname: String,
    #[serde(default)]
    pub given_names: String,
    #[serde(default)]
    pub birth_date: Option<PartialDate>,
    #[serde(default)]
    pub nationality: Option<String>,
    #[serde(default)]
    pub sex: Option<Sex>,
    #[serde(default)]
    pub aliases: Vec<NameVariant>,
    #[serde(default)]
    pub documents: Vec<DocumentRef>,
}
