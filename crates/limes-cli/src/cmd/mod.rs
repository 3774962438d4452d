//! One module per subcommand; each owns its clap arguments and a `run` returning the exit code.

pub mod admin;
pub mod audit;
pub mod bench;
pub mod bench_border;
pub mod bench_journal;
pub mod check;
pub mod common;
pub mod demo;
pub mod ees;
pub mod generate;
pub mod import;
pub mod loadgen;
pub mod mrz;
pub mod screen;
pub mod serve;
