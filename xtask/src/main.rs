//! Project automation in Rust: `cargo xtask check-deps` makes the architecture's invariants
//! executable (pure crates pull in no I/O crate).

use std::process::{Command, ExitCode};

/// Crates that hold the pure logic: formats, matching, rules, biometrics, vocabulary, journal
/// format, the EES calculator.
const PURE: &[&str] = &[
    "limes-model",
    "limes-formats",
    "limes-match",
    "limes-rules",
    "limes-bio",
    "limes-journal",
    "limes-ees",
];

/// Crates that do I/O or bring a runtime; none may be reachable from a pure crate.
const FORBIDDEN: &[&str] = &[
    "tokio",
    "rusqlite",
    "libsqlite3-sys",
    "tokio-postgres",
    "postgres",
    "deadpool-postgres",
    "axum",
    "hyper",
    "async-nats",
    "mio",
    "reqwest",
];

fn main() -> ExitCode {
    let task = std::env::args().nth(1).unwrap_or_default();
    match task.as_str() {
        "check-deps" => check_deps(),
        _ => {
            eprintln!("usage: cargo xtask check-deps");
            ExitCode::from(2)
        }
    }
}

fn check_deps() -> ExitCode {
    let mut failed = false;
    for krate in PURE {
        let output = Command::new(env!("CARGO"))
            .args([
                "tree", "-e", "normal", "--prefix", "none", "-f", "{p}", "-p", krate,
            ])
            .output();
        let output = match output {
            Ok(output) if output.status.success() => output,
            Ok(output) => {
                eprintln!(
                    "cargo tree -p {krate} failed: {}",
                    String::from_utf8_lossy(&output.stderr)
                );
                return ExitCode::FAILURE;
            }
            Err(error) => {
                eprintln!("running cargo tree: {error}");
                return ExitCode::FAILURE;
            }
        };
        let text = String::from_utf8_lossy(&output.stdout);
        for line in text.lines() {
            let name = line.split_whitespace().next().unwrap_or("");
            if FORBIDDEN.contains(&name) {
                eprintln!("{krate} must stay pure but depends on {name}");
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        println!(
            "check-deps: {} pure crates depend on no I/O crate",
            PURE.len()
        );
        ExitCode::SUCCESS
    }
}
