//! `limes ees calc` (the 90/180-day calculator) and `limes bench ees`.
//!
//! Only argument parsing, timing and printing live here; the rules are in `limes_ees`.

use std::hint::black_box;
use std::io::Write;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use limes_ees::overstay::{count_overstaying, overstaying_files};
use limes_ees::{Day, Stay, calculate, synth};

#[derive(clap::Subcommand)]
pub enum EesCommand {
    /// The 90/180-day calculator: days used, remaining and overstayed on a day, and optionally the
    /// longest stay from an entry date. Prints one JSON object.
    ///
    /// days_used counts the distinct days of presence in the 180 days ending on --on (entry and
    /// exit days included, overlapping stays once). The calculation is made as of --on: a stay
    /// with no exit ("A:") counts up to --on, and a recorded exit after --on is cut at --on.
    /// max_stay_days is the longest stay starting on --enter such that each of its days d keeps
    /// the days of presence in [d − 179, d] at 90 or fewer, counting the recorded stays plus the
    /// planned days up to d. If --enter is after --on, the person is taken to be absent between
    /// them; if it is on or before --on, planned days that are also recorded days count once.
    Calc {
        /// The day the calculation is made on (YYYY-MM-DD)
        #[arg(long, value_name = "YYYY-MM-DD")]
        on: String,
        /// A short stay, entry and exit days included; "ENTRY:" for a stay still open on --on.
        /// Repeat for each stay, in any order
        #[arg(long = "stay", value_name = "ENTRY:EXIT")]
        stays: Vec<String>,
        /// A planned entry: also print max_stay_days, the longest legal stay from that day
        #[arg(long, value_name = "YYYY-MM-DD")]
        enter: Option<String>,
    },
}

pub fn run(command: EesCommand) -> anyhow::Result<ExitCode> {
    match command {
        EesCommand::Calc { on, stays, enter } => {
            let on = parse_day(&on).context("in --on")?;
            let stays = stays
                .iter()
                .map(|text| parse_stay(text, on).with_context(|| format!("in --stay {text}")))
                .collect::<anyhow::Result<Vec<_>>>()?;
            let enter = enter
                .as_deref()
                .map(|text| parse_day(text).context("in --enter"))
                .transpose()?;
            let summary = limes_ees::calculate(&stays, on, enter);
            let mut stdout = std::io::stdout().lock();
            serde_json::to_writer(&mut stdout, &summary)?;
            writeln!(stdout)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn parse_day(text: &str) -> anyhow::Result<Day> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    // The parse error's own source chain repeats its message; keep one copy.
    let date = time::Date::parse(text.trim(), &format).map_err(|error| {
        anyhow::anyhow!("{text:?} is not a valid date written YYYY-MM-DD ({error})")
    })?;
    Ok(Day::from_date(date))
}

fn parse_stay(text: &str, on: Day) -> anyhow::Result<Stay> {
    let Some((entry, exit)) = text.split_once(':') else {
        bail!("a stay is written ENTRY:EXIT, or ENTRY: when it is still open");
    };
    let entry = parse_day(entry).context("entry date")?;
    let exit = match exit.trim() {
        "" => None,
        exit => Some(parse_day(exit).context("exit date")?),
    };
    ensure!(
        entry <= on,
        "the stay begins on {entry}, after --on {on}; the calculation is made as of --on"
    );
    Ok(Stay::new(entry, exit)?)
}

#[derive(clap::Args)]
pub struct BenchEesArgs {
    /// Entry records for the overstayer scan (generated in memory, 16 bytes each)
    #[arg(long, default_value_t = 50_000_000)]
    pub records: usize,
    /// Allow toy sizes (fewer than 1 000 000 records)
    #[arg(long)]
    pub small: bool,
}

/// The figures the issue asks for.
const TARGET_RECORDS: usize = 50_000_000;
const TARGET_SCAN: Duration = Duration::from_secs(60);
const TARGET_CALC_NS: f64 = 5_000.0;
const STAYS_PER_PERSON: usize = 200;

pub fn bench(args: BenchEesArgs) -> anyhow::Result<ExitCode> {
    if args.records < 1_000_000 && !args.small {
        bail!(
            "refusing --records {} (< 1000000) without --small: the figure to reach is for 50 M records",
            args.records
        );
    }
    ensure!(args.records > 0, "--records must be at least 1");
    let on = Day::from_date(time::macros::date!(2027 - 03 - 10));

    // 1. The calculator, one-shot (merge + days used + longest stay from an entry 30 days later)
    //    for a person with 200 recorded stays: a frequent traveller's 11-year history, and the
    //    worst case of 200 overlapping stays all inside the window.
    let enter = Some(on.plus(30));
    for (label, generate) in [
        (
            "history over years",
            synth::history as fn(u64, usize, Day) -> Vec<Stay>,
        ),
        ("all in the window", synth::dense_history),
    ] {
        let people: Vec<Vec<Stay>> = (0..256u64)
            .map(|seed| generate(seed, STAYS_PER_PERSON, on))
            .collect();
        for stays in &people {
            ensure!(
                calculate(stays, on, enter) == synth::naive_summary(stays, on, enter),
                "the calculator disagrees with the day-by-day reference"
            );
        }
        let mut calls = 0u64;
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(1) {
            for stays in &people {
                black_box(calculate(black_box(stays), black_box(on), black_box(enter)));
            }
            calls += people.len() as u64;
        }
        let calc_ns = started.elapsed().as_nanos() as f64 / calls as f64;
        println!(
            "ees calculator, {STAYS_PER_PERSON} stays ({label}), {} people, {calls} calls: \
             {calc_ns:.0} ns/op (target <= {TARGET_CALC_NS:.0} ns) {}",
            people.len(),
            verdict(calc_ns <= TARGET_CALC_NS)
        );
    }

    // 2. The overstayer scan over compact entry records held in memory.
    let generated = Instant::now();
    let (records, planted) = synth::overstay_records(0x0EE5, args.records, on);
    let generation = generated.elapsed();
    let mut files = Vec::with_capacity(planted);
    let mut best = Duration::MAX;
    for _ in 0..3 {
        files.clear();
        let started = Instant::now();
        overstaying_files(black_box(&records), black_box(on), &mut files);
        best = best.min(started.elapsed());
        ensure!(
            files.len() == planted,
            "scan found {} overstayers, {planted} were planted",
            files.len()
        );
    }
    ensure!(
        count_overstaying(&records, on) == planted,
        "count disagrees with the planted overstayers"
    );
    let per_record = best.as_secs_f64() / records.len() as f64;
    let at_target = per_record * TARGET_RECORDS as f64;
    let how = if records.len() >= TARGET_RECORDS {
        "measured"
    } else {
        "extrapolated"
    };
    println!(
        "ees overstayer scan: {} records ({} MiB, generated in {:.2} s), {planted} overstaying: \
         best of 3 {:.3} s = {:.2} ns/record; 50 M records: {at_target:.3} s {how} \
         (target <= {} s) {}",
        records.len(),
        std::mem::size_of_val(records.as_slice()) >> 20,
        generation.as_secs_f64(),
        best.as_secs_f64(),
        per_record * 1e9,
        TARGET_SCAN.as_secs(),
        verdict(at_target <= TARGET_SCAN.as_secs_f64())
    );
    Ok(ExitCode::SUCCESS)
}

fn verdict(met: bool) -> &'static str {
    if met { "ok" } else { "MISSED" }
}
