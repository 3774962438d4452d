//! `limes generate persons`: writes a synthetic multicultural gallery, probes and ground truth.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use limes_match::generate::{self, Person};

#[derive(clap::Subcommand)]
pub enum GenerateCommand {
    /// Synthetic multicultural gallery, probes and ground truth (gallery.jsonl, probes.jsonl, truth.jsonl)
    Persons {
        /// Gallery size
        #[arg(long)]
        count: u64,
        /// Variant probes per matched gallery person (every other gallery person is probed)
        #[arg(long, default_value_t = 1)]
        variants: u64,
        /// Seed of the deterministic generator
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Output directory (created if missing)
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(serde::Serialize)]
struct Record<'a> {
    #[serde(flatten)]
    identity: &'a limes_model::Identity,
    culture: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    variant: Option<&'a str>,
}

fn write_person(out: &mut impl Write, person: &Person, with_kind: bool) -> anyhow::Result<()> {
    let record = Record {
        identity: &person.identity,
        culture: person.culture,
        variant: with_kind.then_some(person.kind.as_str()),
    };
    serde_json::to_writer(&mut *out, &record)?;
    out.write_all(b"\n")?;
    Ok(())
}

fn create(dir: &std::path::Path, name: &str) -> anyhow::Result<BufWriter<File>> {
    let path = dir.join(name);
    let file = File::create(&path).with_context(|| format!("creating {}", path.display()))?;
    Ok(BufWriter::new(file))
}

pub fn run(command: GenerateCommand) -> anyhow::Result<ExitCode> {
    let GenerateCommand::Persons {
        count,
        variants,
        seed,
        out,
    } = command;
    std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
    let mut gallery = create(&out, "gallery.jsonl")?;
    for index in 0..count {
        write_person(&mut gallery, &generate::gallery_person(seed, index), false)?;
    }
    gallery.flush()?;
    let mut probes = create(&out, "probes.jsonl")?;
    let mut truth = create(&out, "truth.jsonl")?;
    let mut written = 0u64;
    for person in generate::probes(seed, count, variants) {
        write_person(&mut probes, &person, true)?;
        serde_json::to_writer(
            &mut truth,
            &serde_json::json!({"id": person.identity.id, "truth": person.truth}),
        )?;
        truth.write_all(b"\n")?;
        written += 1;
    }
    probes.flush()?;
    truth.flush()?;
    eprintln!(
        "wrote {count} gallery identities and {written} probes to {}",
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}
