//! `limes check`: the border check from a terminal or a document reader. Reads one document's MRZ
//! lines on stdin, asks the server (`POST /api/v1/border-checks`, purpose border_check), prints
//! the answer as JSON and exits 0 clean, 3 any hit, 4 document findings only, 1 error (2 usage,
//! from clap).

use std::io::Read as _;
use std::process::ExitCode;

use anyhow::Context as _;
use http_body_util::{BodyExt as _, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};

use super::common::runtime;

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Direction {
    Entry,
    Exit,
}

#[derive(clap::Args)]
pub struct CheckArgs {
    /// Base URL of the Limes server (http://host:port)
    #[arg(long, env = "LIMES_SERVER")]
    pub server: String,
    /// API token of a border guard
    #[arg(long, env = "LIMES_TOKEN", hide_env_values = true)]
    pub token: String,
    /// Border crossing point code
    #[arg(long)]
    pub crossing_point: String,
    #[arg(long, value_enum)]
    pub direction: Direction,
    /// For a minor: the accompanying adult (name and document)
    #[arg(long)]
    pub accompanying_adult: Option<String>,
}

pub const EXIT_HIT: u8 = 3;
pub const EXIT_DOCUMENT: u8 = 4;

pub fn run(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let mut mrz = String::new();
    std::io::stdin()
        .read_to_string(&mut mrz)
        .context("reading the MRZ on stdin")?;
    anyhow::ensure!(!mrz.trim().is_empty(), "no MRZ on stdin");
    let body = json!({
        "mrz": mrz.trim(),
        "crossing_point": args.crossing_point,
        "direction": match args.direction { Direction::Entry => "entry", Direction::Exit => "exit" },
        "accompanying_adult": args.accompanying_adult,
    });
    let uri: hyper::Uri = format!("{}/api/v1/border-checks", args.server.trim_end_matches('/'))
        .parse()
        .context("--server is not a URL")?;
    anyhow::ensure!(
        uri.scheme_str() == Some("http"),
        "--server must be http:// (put TLS in front of the server and use a local address)"
    );
    runtime()?.block_on(async move {
        let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
        let request = hyper::Request::post(uri)
            .header("authorization", format!("Bearer {}", args.token))
            .header("limes-purpose", "border_check")
            .header("content-type", "application/json")
            .body(Full::new(Bytes::from(body.to_string())))
            .context("building the request")?;
        let response = client
            .request(request)
            .await
            .context("calling the server")?;
        let status = response.status();
        let bytes = response
            .into_body()
            .collect()
            .await
            .context("reading the answer")?
            .to_bytes();
        let answer: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        if !status.is_success() {
            let detail = answer["detail"]
                .as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| String::from_utf8_lossy(&bytes).into_owned());
            anyhow::bail!("the server answered {status}: {detail}");
        }
        println!(
            "{}",
            serde_json::to_string_pretty(&answer).context("printing the answer")?
        );
        let hits = answer["hits"].as_array().map_or(0, Vec::len);
        let findings = answer["document_findings"].as_array().map_or(0, Vec::len);
        Ok(if hits > 0 {
            ExitCode::from(EXIT_HIT)
        } else if findings > 0 {
            ExitCode::from(EXIT_DOCUMENT)
        } else {
            ExitCode::SUCCESS
        })
    })
}
