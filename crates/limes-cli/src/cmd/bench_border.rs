//! `limes bench border-check`: the issue's end-to-end figures for the systematic border check.
//!
//! 1. Generates N person alerts (names from limes-match's multicultural generator) and N document
//!    alerts as JSON-lines import files (not timed).
//! 2. Loads them as `limes import sis` does — read, hash, validate every line, write each file in
//!    one transaction with one journal entry — then builds the in-memory indexes as a starting
//!    server does; reports the load time (index build included), the disk used and the RSS.
//! 3. Serves the data directory on loopback (the real router, in this process) and sends border
//!    checks at a fixed open-loop rate; reports client latency (from the scheduled send time, so a
//!    stall is not hidden), the server-side p50/p99 with the p99 broken into match, store reads
//!    and commit wait, and the disk's fsync p50/p99 measured on a file in the data directory.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use http_body_util::{BodyExt as _, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use limes_hub::border::CheckTiming;
use limes_hub::sis::{
    Alert, AlertCategory, AlertKind, AlertObject, ImportValidator, ListKind, ListRecord,
};
use limes_match::generate;
use limes_model::{PartialDate, Sex};
use serde_json::{Value, json};
use time::Date;

use super::common::{StoreArgs, cli_actor, open_hub, runtime};

#[derive(clap::Args)]
pub struct BenchBorderArgs {
    /// Person alerts to load (at least 100,000 unless --small)
    #[arg(long, default_value_t = 10_000_000)]
    pub persons: u64,
    /// Document alerts to load (at least 100,000 unless --small)
    #[arg(long, default_value_t = 10_000_000)]
    pub documents: u64,
    /// Border checks per second, sent open-loop
    #[arg(long, default_value_t = 1_000)]
    pub rate: u64,
    /// How long to send checks (45s, 2m)
    #[arg(long, default_value = "30s")]
    pub duration: String,
    /// Data directory to create (must not exist or be empty; default a temporary directory)
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// Alerts per import file (one transaction and one journal entry each)
    #[arg(long, default_value_t = 500_000)]
    pub batch: u64,
    /// Share of checks whose traveller is on a list (half a person variant, half a document)
    #[arg(long, default_value_t = 0.02)]
    pub hit_share: f64,
    /// Seed of the generated data
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Keep the data directory afterwards
    #[arg(long)]
    pub keep: bool,
    /// Allow sizes below the issue's figures
    #[arg(long)]
    pub small: bool,
}

const PERSON_CATEGORIES: &[(AlertCategory, &str, u64)] = &[
    (AlertCategory::Arrest, "arrest and surrender", 10),
    (AlertCategory::Missing, "place under protection", 10),
    (
        AlertCategory::JudicialProcedure,
        "communicate the residence",
        12,
    ),
    (AlertCategory::DiscreetCheck, "discreet check, report", 8),
    (AlertCategory::InquiryCheck, "inquiry check, report", 2),
    (AlertCategory::SpecificCheck, "specific check", 2),
    (AlertCategory::RefusalOfEntry, "refuse entry", 40),
    (AlertCategory::Return, "enforce the return decision", 16),
];
const ISSUERS: &[&str] = &[
    "DEU", "FRA", "ITA", "ESP", "POL", "NLD", "BEL", "AUT", "CZE", "HUN", "ROU", "GRC", "PRT",
    "SWE", "FIN",
];

fn mix(seed: u64, i: u64) -> u64 {
    let mut z = seed
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(i.wrapping_mul(0xBF58_476D_1CE4_E5B9));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn pick<T: Copy>(items: &[T], r: u64) -> T {
    items[(r % items.len() as u64) as usize]
}

fn person_alert_id(i: u64) -> String {
    format!("SISP{i:09}")
}
fn document_number(i: u64) -> String {
    format!("X{i:08}")
}
fn document_country(seed: u64, i: u64) -> &'static str {
    pick(ISSUERS, mix(seed ^ 0xd0c, i))
}

fn person_alert(seed: u64, i: u64, today: Date) -> Alert {
    let r = mix(seed, i);
    let total: u64 = PERSON_CATEGORIES.iter().map(|c| c.2).sum();
    let mut roll = r % total;
    let mut chosen = PERSON_CATEGORIES[0];
    for c in PERSON_CATEGORIES {
        if roll < c.2 {
            chosen = *c;
            break;
        }
        roll -= c.2;
    }
    let mut identity = generate::gallery_person(seed, i).identity;
    identity.id = person_alert_id(i);
    Alert {
        id: person_alert_id(i),
        kind: AlertKind::Person,
        category: chosen.0,
        identity: Some(identity),
        object: None,
        markers: if (r >> 20).is_multiple_of(20) {
            vec!["armed".to_owned()]
        } else {
            Vec::new()
        },
        flags: Vec::new(),
        action: chosen.1.to_owned(),
        issuing_country: pick(ISSUERS, r >> 8).to_owned(),
        expires_at: today + time::Duration::days(30 + ((r >> 32) % 1800) as i64),
        review_at: None,
        minor: false,
        sirene_only: false,
        extensions: Vec::new(),
    }
}

fn document_alert(seed: u64, i: u64, today: Date) -> Alert {
    let r = mix(seed ^ 0xa1e, i);
    let country = document_country(seed, i);
    Alert {
        id: format!("SISD{i:09}"),
        kind: AlertKind::Object,
        category: if r.is_multiple_of(50) {
            AlertCategory::DocumentBlank
        } else {
            AlertCategory::DocumentIssued
        },
        identity: None,
        object: Some(AlertObject {
            object_type: if r.is_multiple_of(3) {
                "id_card"
            } else {
                "passport"
            }
            .to_owned(),
            number: document_number(i),
            country: Some(country.to_owned()),
            status: Some(
                if r.is_multiple_of(2) {
                    "stolen"
                } else {
                    "lost"
                }
                .to_owned(),
            ),
        }),
        markers: Vec::new(),
        flags: Vec::new(),
        action: "seize the document".to_owned(),
        issuing_country: country.to_owned(),
        expires_at: today + time::Duration::days(30 + ((r >> 32) % 3600) as i64),
        review_at: None,
        minor: false,
        sirene_only: false,
        extensions: Vec::new(),
    }
}

/// Writes the import files (persons then documents) of `batch` alerts each; returns them.
fn generate_files(args: &BenchBorderArgs, dir: &Path, today: Date) -> anyhow::Result<Vec<PathBuf>> {
    use std::io::Write as _;
    std::fs::create_dir_all(dir)?;
    let mut files = Vec::new();
    for (name, count) in [("persons", args.persons), ("documents", args.documents)] {
        let mut start = 0;
        while start < count {
            let end = (start + args.batch).min(count);
            let path = dir.join(format!("{name}-{start:09}.jsonl"));
            // Two halves on two threads.
            let half = start + (end - start) / 2;
            let render = move |from: u64, to: u64| -> anyhow::Result<String> {
                let mut text = String::with_capacity(((to - from) * 400) as usize);
                for i in from..to {
                    let alert = if name == "persons" {
                        person_alert(args.seed, i, today)
                    } else {
                        document_alert(args.seed, i, today)
                    };
                    text.push_str(ListRecord::Alert(Box::new(alert)).body()?.as_str());
                    text.push('\n');
                }
                Ok(text)
            };
            let (a, b) = std::thread::scope(|scope| {
                let a = scope.spawn(move || render(start, half));
                let b = render(half, end);
                (a.join().unwrap_or_else(|e| std::panic::resume_unwind(e)), b)
            });
            let (a, b) = (a?, b?);
            let mut file = std::io::BufWriter::new(std::fs::File::create(&path)?);
            file.write_all(a.as_bytes())?;
            file.write_all(b.as_bytes())?;
            file.flush()?;
            files.push(path);
            start = end;
        }
    }
    Ok(files)
}

/// A validated import file: its SHA-256 and its records.
type Import = (String, Vec<ListRecord>);

/// One import file read, hashed and validated as `limes import sis` does.
fn read_import(path: &Path) -> anyhow::Result<Import> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let sha256 = hex::encode(limes_hub::credentials::sha256(&bytes));
    let text = std::str::from_utf8(&bytes).context("import file is not UTF-8")?;
    let mut validator = ImportValidator::default();
    for (i, line) in text.lines().enumerate() {
        validator.push(ListKind::Sis, i + 1, line);
    }
    match validator.finish() {
        Ok(records) => Ok((sha256, records)),
        Err(errors) => anyhow::bail!(
            "{}: {} invalid lines, first: {:?}",
            path.display(),
            errors.len(),
            errors.first()
        ),
    }
}

fn du(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt as _;
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return 0;
    };
    if meta.is_dir() {
        std::fs::read_dir(path)
            .map(|entries| entries.flatten().map(|e| du(&e.path())).sum())
            .unwrap_or(0)
    } else {
        meta.blocks() * 512
    }
}

fn proc_status(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse::<u64>().ok()
}

/// CPU seconds (user + system) this process has used: with other work on the machine, wall
/// times alone do not say what the load costs.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which may hold spaces) start at ") ".
    let rest = stat.rsplit_once(") ").map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name; 100 Hz.
    (ticks(11) + ticks(12)) / 100.0
}

fn machine_load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn gib(bytes: u64) -> f64 {
    bytes as f64 / (1u64 << 30) as f64
}

fn rss_line() -> String {
    format!(
        "process RSS {:.2} GiB (peak {:.2} GiB)",
        gib(proc_status("VmRSS:").unwrap_or(0) * 1024),
        gib(proc_status("VmHWM:").unwrap_or(0) * 1024)
    )
}

/// Nearest-rank percentile of a sorted slice.
fn pct<T: Copy + Default>(sorted: &[T], p: f64) -> T {
    if sorted.is_empty() {
        return T::default();
    }
    let rank = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len());
    sorted.get(rank - 1).copied().unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// fsync latency of this disk: `n` times write 4 KiB to a file in `dir` and fsync it.
fn fsync_latencies(dir: &Path, n: usize) -> anyhow::Result<Vec<Duration>> {
    use std::io::{Seek as _, Write as _};
    let path = dir.join("fsync-probe.tmp");
    let mut file = std::fs::File::create(&path)?;
    let block = [0x5au8; 4096];
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        file.seek(std::io::SeekFrom::Start(((i % 64) * 4096) as u64))?;
        file.write_all(&block)?;
        let t = Instant::now();
        file.sync_all()?;
        out.push(t.elapsed());
    }
    drop(file);
    std::fs::remove_file(&path)?;
    out.sort_unstable();
    Ok(out)
}

fn pdate(date: PartialDate) -> Value {
    serde_json::to_value(date).unwrap_or(Value::Null)
}

/// One check request: a TD3 MRZ when the name can be written in one, else the identity data.
fn check_body(identity: &limes_model::Identity, number: &str, country: &str, today: Date) -> Value {
    let expiry = PartialDate::new(u16::try_from(today.year() + 3).unwrap_or(2030), 6, 15).ok();
    let birth = identity.birth_date;
    let nationality = identity
        .nationality
        .clone()
        .unwrap_or_else(|| country.to_owned());
    let mrz = match (birth, expiry) {
        (Some(b), Some(e)) if b.month() != 0 && b.day() != 0 => limes_hub::border::passport_mrz(
            &identity.surname,
            &identity.given_names,
            number,
            country,
            &nationality,
            b,
            identity.sex.unwrap_or(Sex::X),
            e,
        )
        .ok(),
        _ => None,
    };
    match mrz {
        Some(mrz) => json!({"mrz": mrz, "crossing_point": "BENCH-1", "direction": "entry"}),
        None => json!({
            "identity": {
                "surname": identity.surname, "given_names": identity.given_names,
                "birth_date": birth.map(pdate), "nationality": nationality,
                "document_number": number, "issuing_state": country,
                "expiry_date": expiry.map(pdate),
            },
            "crossing_point": "BENCH-1", "direction": "entry",
        }),
    }
}

/// The travellers of the timed run: mostly strangers, `hit_share` on a list.
fn travellers(args: &BenchBorderArgs, n: u64, today: Date) -> Vec<Bytes> {
    (0..n)
        .map(|j| {
            let r = mix(args.seed ^ 0x7a5e, j);
            let roll = (r % 1_000_000) as f64 / 1e6;
            let body = if roll < args.hit_share / 2.0 && args.persons > 0 {
                // A wanted person presenting their own (unlisted) passport.
                let i = (r >> 20) % args.persons;
                let person = generate::variant_of(args.seed, i, j);
                check_body(&person.identity, &format!("C{j:08}"), "DEU", today)
            } else if roll < args.hit_share && args.documents > 0 {
                // A listed document presented by a stranger.
                let i = (r >> 20) % args.documents;
                let person = generate::stranger(args.seed, j, j);
                check_body(
                    &person.identity,
                    &document_number(i),
                    document_country(args.seed, i),
                    today,
                )
            } else {
                let person = generate::stranger(args.seed, j, j);
                check_body(&person.identity, &format!("C{j:08}"), "DEU", today)
            };
            Bytes::from(body.to_string())
        })
        .collect()
}

pub fn run(args: BenchBorderArgs) -> anyhow::Result<ExitCode> {
    if !args.small {
        anyhow::ensure!(
            args.persons >= 100_000 && args.documents >= 100_000,
            "refusing a toy data set: use at least 100,000 person and document alerts, or --small"
        );
    }
    anyhow::ensure!(
        args.batch > 0 && args.rate > 0,
        "--batch and --rate must be positive"
    );
    let duration = super::common::parse_duration(&args.duration)?;
    let duration = Duration::from_secs(u64::try_from(duration.whole_seconds()).unwrap_or(30));
    runtime()?.block_on(run_async(args, duration))
}

async fn run_async(args: BenchBorderArgs, duration: Duration) -> anyhow::Result<ExitCode> {
    let temporary = args.data.is_none();
    let dir = match &args.data {
        Some(dir) => {
            let empty = std::fs::read_dir(dir).map_or(true, |mut d| d.next().is_none());
            anyhow::ensure!(empty, "{} is not empty", dir.display());
            dir.clone()
        }
        None => std::env::temp_dir().join(format!(
            "limes-bench-border-{}",
            hex::encode(limes_hub::credentials::random_bytes::<6>()?)
        )),
    };
    let data = dir.join("data");
    let input = dir.join("input");
    let today = time::OffsetDateTime::now_utc().date();
    println!(
        "bench border-check: {} person alerts + {} document alerts, {} checks/s for {} s, data {}",
        args.persons,
        args.documents,
        args.rate,
        duration.as_secs(),
        data.display()
    );

    // 1. Import files (not timed).
    let t = Instant::now();
    let files = {
        let (args_ref, input_ref) = (&args, &input);
        std::thread::scope(|s| {
            s.spawn(move || generate_files(args_ref, input_ref, today))
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e))
        })?
    };
    println!(
        "generated {} import files ({:.2} GiB of JSON lines) in {:.1} s (not part of the load)",
        files.len(),
        gib(du(&input)),
        t.elapsed().as_secs_f64()
    );

    // 2. Load: each file validated and written in one transaction; the next file is read and
    //    validated while the previous one commits.
    let store_args = StoreArgs {
        data: data.clone(),
        database: None,
        audit_key: Some(dir.join("audit.key")),
        node: "bench".to_owned(),
        access_matrix: None,
        member_state: limes_hub::ees::DEFAULT_MEMBER_STATE.to_owned(),
    };
    let hub = Arc::new(open_hub(&store_args).await?);
    let actor = cli_actor();
    let load_started = Instant::now();
    // The projection is built from the imported records while the disk commits them.
    let preloading = hub.begin_bulk_load().await?;
    let load_cpu = cpu_seconds();
    let mut imported = 0usize;
    let keep = args.keep;
    let spawn_read = move |path: PathBuf| {
        tokio::task::spawn_blocking(move || {
            let read = read_import(&path);
            if !keep {
                // The disk is shared: an imported file is not needed again.
                let _ = std::fs::remove_file(&path);
            }
            read
        })
    };
    // Two files in flight: one is turned into rows while the other commits (each is still its
    // own all-or-nothing transaction with its own journal entry).
    let mut queue = files.iter();
    let mut reading = queue.next().map(|f| spawn_read(f.clone()));
    let mut writing: std::collections::VecDeque<tokio::task::JoinHandle<anyhow::Result<usize>>> =
        std::collections::VecDeque::new();
    while let Some(read) = reading.take() {
        let (sha256, records) = read.await??;
        reading = queue.next().map(|f| spawn_read(f.clone()));
        if writing.len() >= 2
            && let Some(oldest) = writing.pop_front()
        {
            imported += oldest.await??;
            eprint!(
                "\r  imported {imported} alerts in {:.0} s",
                load_started.elapsed().as_secs_f64()
            );
        }
        let (hub, actor) = (hub.clone(), actor.clone());
        writing.push_back(tokio::spawn(async move {
            let report = hub
                .import_list(&actor, ListKind::Sis, &sha256, records)
                .await
                .context("importing")?;
            Ok(report.count)
        }));
    }
    for task in writing {
        imported += task.await??;
    }
    // The load is done when its data is in the database file, not only in the WAL.
    hub.store().checkpoint().await?;
    eprintln!();
    let import_secs = load_started.elapsed().as_secs_f64();
    if !args.keep {
        let _ = std::fs::remove_dir_all(&input);
    }
    let t = Instant::now();
    hub.build_indexes().await?;
    let index_secs = t.elapsed().as_secs_f64();
    let load_secs = load_started.elapsed().as_secs_f64();
    let size = hub.sis().size();
    println!(
        "load: {imported} alerts in {load_secs:.1} s ({:.0} alerts/s): import {import_secs:.1} s + index build {index_secs:.1} s{}",
        imported as f64 / load_secs,
        if preloading {
            " (indexed as each file committed; the index build only finishes it)"
        } else {
            " (index built from the store)"
        }
    );
    println!(
        "  load used {:.1} CPU s of this process ({} cores); machine load average now {}",
        cpu_seconds() - load_cpu,
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        machine_load()
    );
    println!(
        "  in memory: {} records, person index {} identities ≈ {:.2} GiB, projection ≈ {:.2} GiB; {}",
        size.records,
        size.persons,
        gib(size.person_index_bytes as u64),
        gib(size.projection_bytes as u64),
        rss_line()
    );
    println!(
        "  disk used by the data directory: {:.2} GiB (limes.db {:.2} GiB, WAL {:.2} GiB)",
        gib(du(&data)),
        gib(du(&data.join("limes.db"))),
        gib(du(&data.join("limes.db-wal")))
    );

    // 3. The disk's fsync latency, then the timed run.
    let fsyncs = fsync_latencies(&data, 200)?;
    println!(
        "disk fsync (4 KiB write + fsync, 200 times, in the data directory): p50 {:.2} ms, p99 {:.2} ms",
        ms(pct(&fsyncs, 0.50)),
        ms(pct(&fsyncs, 0.99))
    );

    let (token, addr) = super::bench::serve_for_bench_guard(&hub).await?;
    let uri: hyper::Uri = format!("http://{addr}/api/v1/border-checks").parse()?;
    let total = args.rate * duration.as_secs();
    let warmup = args.rate.min(2_000);
    let bodies = Arc::new(travellers(&args, total + warmup, today));
    report_mrz_rate(&bodies, today);
    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new())
        .pool_max_idle_per_host(512)
        .build_http();
    let send = {
        let client = client.clone();
        let uri = uri.clone();
        let token = token.clone();
        move |body: Bytes| {
            let request = hyper::Request::post(uri.clone())
                .header("authorization", format!("Bearer {token}"))
                .header("limes-purpose", "border_check")
                .header("content-type", "application/json")
                .body(Full::new(body))
                .expect("static request parts");
            let client = client.clone();
            async move {
                match client.request(request).await {
                    Ok(response) => {
                        let status = response.status();
                        let body = response.into_body().collect().await.ok();
                        let hits = body
                            .and_then(|b| serde_json::from_slice::<Value>(&b.to_bytes()).ok())
                            .and_then(|v| v.get("hits").and_then(Value::as_array).map(Vec::len))
                            .unwrap_or(0);
                        (status.as_u16() == 201, hits)
                    }
                    Err(_) => (false, 0),
                }
            }
        }
    };
    // Warm-up (connections, caches), not counted.
    for j in 0..warmup as usize {
        let _ = send(bodies[j].clone()).await;
    }
    let _ = hub.take_border_timings();
    let commits_before = hub.store().commits();

    let period = Duration::from_secs_f64(1.0 / args.rate as f64);
    let started = tokio::time::Instant::now();
    let mut tasks = Vec::with_capacity(total as usize);
    for k in 0..total {
        let scheduled = started + period.mul_f64(k as f64);
        tokio::time::sleep_until(scheduled).await;
        let body = bodies[(warmup + k) as usize].clone();
        let request = send(body);
        tasks.push(tokio::spawn(async move {
            let (ok, hits) = request.await;
            (ok, hits, scheduled.elapsed())
        }));
    }
    let mut latencies = Vec::with_capacity(tasks.len());
    let (mut failed, mut with_hits) = (0usize, 0usize);
    for task in tasks {
        let (ok, hits, latency) = task.await?;
        if ok {
            latencies.push(latency);
            with_hits += usize::from(hits > 0);
        } else {
            failed += 1;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let commits = hub.store().commits() - commits_before;
    latencies.sort_unstable();
    println!(
        "border checks: {} sent open-loop at {} /s over {:.1} s → {:.0} answered/s; {} ok ({} with hits), {} failed; {} commits ({:.1} checks per fsync group)",
        total,
        args.rate,
        elapsed,
        latencies.len() as f64 / elapsed,
        latencies.len(),
        with_hits,
        failed,
        commits,
        latencies.len() as f64 / commits.max(1) as f64
    );
    println!(
        "  client (HTTP over loopback, from the scheduled send time): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        ms(pct(&latencies, 0.50)),
        ms(pct(&latencies, 0.99)),
        ms(latencies.last().copied().unwrap_or_default())
    );
    println!("  machine load average after the run: {}", machine_load());
    let timings = hub.take_border_timings();
    report_server(&timings);
    println!(
        "  disk fsync beside it: p50 {:.2} ms, p99 {:.2} ms; {}",
        ms(pct(&fsyncs, 0.50)),
        ms(pct(&fsyncs, 0.99)),
        rss_line()
    );
    if temporary && !args.keep {
        let _ = std::fs::remove_dir_all(&dir);
    } else {
        println!("kept {}", dir.display());
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// MRZ parsing on one core over the run's own passports (every check digit verified), repeated
/// for at least a second.
fn report_mrz_rate(bodies: &[Bytes], today: Date) {
    let mrzs: Vec<String> = bodies
        .iter()
        .filter_map(|b| serde_json::from_slice::<Value>(b).ok())
        .filter_map(|v| v.get("mrz").and_then(Value::as_str).map(str::to_owned))
        .collect();
    if mrzs.is_empty() {
        return;
    }
    let (mut documents, mut valid) = (0u64, 0u64);
    let t = Instant::now();
    while t.elapsed() < Duration::from_secs(1) {
        for mrz in &mrzs {
            if let Ok((parsed, _)) = limes_formats::parse_mrz(std::hint::black_box(mrz), today) {
                valid += u64::from(!parsed.document_number.is_empty());
            }
        }
        documents += mrzs.len() as u64;
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "MRZ parse (TD3, one core, {} distinct passports): {:.2} M lines/s ({:.0} documents/s, {valid} parsed)",
        mrzs.len(),
        2.0 * documents as f64 / secs / 1e6,
        documents as f64 / secs
    );
}

/// Server-side percentiles (Hub::border_check, parse to durable commit) and the p99 breakdown:
/// each phase's own p99, and the phases of the checks at or above the total's p99.
fn report_server(timings: &[CheckTiming]) {
    let mut total: Vec<Duration> = timings.iter().map(|t| t.total).collect();
    total.sort_unstable();
    let phase = |f: fn(&CheckTiming) -> Duration| {
        let mut v: Vec<Duration> = timings.iter().map(f).collect();
        v.sort_unstable();
        v
    };
    let matching = phase(|t| t.matching);
    let store = phase(|t| t.store);
    let commit = phase(|t| t.commit);
    let p99 = pct(&total, 0.99);
    let tail: Vec<&CheckTiming> = timings.iter().filter(|t| t.total >= p99).collect();
    let mean = |f: fn(&CheckTiming) -> Duration| {
        let sum: Duration = tail.iter().map(|t| f(t)).sum();
        ms(sum) / tail.len().max(1) as f64
    };
    println!(
        "  server (hub border_check, MRZ to durable commit, {} checks): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        total.len(),
        ms(pct(&total, 0.50)),
        ms(p99),
        ms(total.last().copied().unwrap_or_default())
    );
    println!(
        "    per phase p50 / p99: match {:.3} / {:.3} ms, store reads {:.3} / {:.3} ms, commit wait {:.2} / {:.2} ms",
        ms(pct(&matching, 0.50)),
        ms(pct(&matching, 0.99)),
        ms(pct(&store, 0.50)),
        ms(pct(&store, 0.99)),
        ms(pct(&commit, 0.50)),
        ms(pct(&commit, 0.99)),
    );
    println!(
        "    the {} slowest 1 % (≥ p99) on average: match {:.3} ms, store reads {:.3} ms, commit wait {:.2} ms, rest {:.3} ms",
        tail.len(),
        mean(|t| t.matching),
        mean(|t| t.store),
        mean(|t| t.commit),
        mean(|t| t.total.saturating_sub(t.matching + t.store + t.commit)),
    );
}
