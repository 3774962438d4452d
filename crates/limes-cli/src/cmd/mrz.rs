//! `limes mrz parse`: one document's MRZ on stdin, its reading as JSON on stdout.
//!
//! Contract choices (the library documents the reading itself):
//! - Input: surrounding whitespace, blank lines and CRLF are ignored, lower case is read as upper
//!   case, and a zone on one line (90, 72 or 88 characters) is split into its lines.
//! - `checks` always holds all five keys as booleans. `true` means "no check digit failed": a check
//!   digit the format does not have (the optional data outside TD3, the composite on visas) is
//!   reported `true`, so that `checks` never contradicts `valid`.
//! - `optional_data_2` is present for TD1 only.
//! - Dates the MRZ cannot give (unreadable year, impossible day) are `null`, with the field named in
//!   `errors`.
//! - Exit 0 whenever a reading is printed, valid or not (`valid` says which); exit 1 with the reason on
//!   stderr when the text is not an MRZ.

use std::io::Read;
use std::process::ExitCode;

use anyhow::Context;
use limes_formats::{Mrz, MrzField, MrzIssue, check_passed, parse_mrz};
use limes_model::{Clock, PartialDate, Sex, SystemClock};
use serde::Serialize;

#[derive(clap::Subcommand)]
pub enum MrzCommand {
    /// Parse one document MRZ from stdin and print it as JSON
    Parse,
}

pub fn run(command: MrzCommand) -> anyhow::Result<ExitCode> {
    match command {
        MrzCommand::Parse => parse(),
    }
}

/// More than any MRZ plus generous whitespace; guards against piping a large file by mistake.
const MAX_INPUT: u64 = 64 * 1024;

fn parse() -> anyhow::Result<ExitCode> {
    let mut text = String::new();
    std::io::stdin()
        .take(MAX_INPUT)
        .read_to_string(&mut text)
        .context("reading the MRZ from stdin")?;
    let (mrz, issues) = parse_mrz(&text, SystemClock.today())?;
    let report = Report::new(&mrz, &issues);
    println!(
        "{}",
        serde_json::to_string(&report).context("writing the reading as JSON")?
    );
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct Report<'a> {
    document_type: &'a str,
    issuing_state: &'a str,
    surname: &'a str,
    given_names: &'a str,
    document_number: &'a str,
    nationality: &'a str,
    birth_date: Option<PartialDate>,
    sex: Sex,
    expiry_date: Option<PartialDate>,
    optional_data: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    optional_data_2: Option<&'a str>,
    checks: Checks,
    errors: Vec<MrzField>,
    warnings: Vec<Warning>,
    valid: bool,
}

#[derive(Serialize)]
struct Checks {
    document_number: bool,
    birth_date: bool,
    expiry_date: bool,
    optional_data: bool,
    composite: bool,
}

#[derive(Serialize, PartialEq)]
struct Warning {
    field: MrzField,
    kind: &'static str,
}

impl<'a> Report<'a> {
    fn new(mrz: &'a Mrz, issues: &[MrzIssue]) -> Self {
        let passed = |field| check_passed(mrz.format, issues, field).unwrap_or(true);
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        for issue in issues {
            if issue.is_error() {
                if !errors.contains(&issue.field) {
                    errors.push(issue.field);
                }
            } else {
                let warning = Warning {
                    field: issue.field,
                    kind: issue.kind.as_str(),
                };
                if !warnings.contains(&warning) {
                    warnings.push(warning);
                }
            }
        }
        Report {
            document_type: &mrz.document_type,
            issuing_state: &mrz.issuing_state,
            surname: &mrz.surname,
            given_names: &mrz.given_names,
            document_number: &mrz.document_number,
            nationality: &mrz.nationality,
            birth_date: mrz.birth_date,
            sex: mrz.sex,
            expiry_date: mrz.expiry_date,
            optional_data: &mrz.optional_data,
            optional_data_2: mrz.optional_data_2.as_deref(),
            checks: Checks {
                document_number: passed(MrzField::DocumentNumber),
                birth_date: passed(MrzField::BirthDate),
                expiry_date: passed(MrzField::ExpiryDate),
                optional_data: passed(MrzField::OptionalData),
                composite: passed(MrzField::Composite),
            },
            valid: errors.is_empty(),
            errors,
            warnings,
        }
    }
}
