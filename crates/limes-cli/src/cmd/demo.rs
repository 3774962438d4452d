use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use limes_model::Role;

use super::common::{StoreArgs, cli_actor, open_hub, runtime};
use super::serve::{init_tracing, serve_hub};

#[derive(clap::Args)]
pub struct DemoArgs {
    /// Address to listen on
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Keep the demo data here instead of a fresh temporary directory
    #[arg(long)]
    pub data: Option<std::path::PathBuf>,
}

/// Size of the synthetic SIS national copy the demo loads.
const DEMO_SIS_ALERTS: usize = 100_000;

/// The demo accounts: one per role, so every screen can be tried.
pub const DEMO_USERS: &[(&str, &[Role])] = &[
    ("guard", &[Role::BorderGuard]),
    ("police", &[Role::PoliceOfficer]),
    ("immigration", &[Role::ImmigrationOfficer]),
    ("sirene", &[Role::SireneOperator]),
    ("piu", &[Role::PiuAnalyst]),
    ("etias", &[Role::EtiasOfficer]),
    ("dpo", &[Role::DataProtectionOfficer]),
    ("admin", &[Role::Admin]),
    ("cap", &[Role::EesCentralAccessPoint]),
    ("kiosk", &[Role::Kiosk]),
];

pub fn run(args: DemoArgs) -> anyhow::Result<ExitCode> {
    init_tracing();
    runtime()?.block_on(async move {
        let data = match args.data {
            Some(dir) => dir,
            None => {
                let name = format!(
                    "limes-demo-{}",
                    hex::encode(limes_hub::credentials::random_bytes::<6>()?)
                );
                std::env::temp_dir().join(name)
            }
        };
        let store = StoreArgs {
            data: data.clone(),
            database: None,
            audit_key: Some(data.join("audit.key")),
            node: "demo".to_owned(),
            access_matrix: None,
            member_state: limes_hub::ees::DEFAULT_MEMBER_STATE.to_owned(),
        };
        let hub = Arc::new(open_hub(&store).await?);
        let actor = cli_actor();
        let mut lines = Vec::new();
        for (name, roles) in DEMO_USERS {
            let password = format!(
                "demo-{name}-{}",
                hex::encode(limes_hub::credentials::random_bytes::<4>()?)
            );
            if hub.store().user(name).await?.is_none() {
                hub.create_user(&actor, name, roles, &password).await?;
                let roles: Vec<_> = roles.iter().map(|r| r.as_str()).collect();
                lines.push(format!("  {name:<12} {password:<26} {}", roles.join(", ")));
            }
        }
        let started = std::time::Instant::now();
        let travellers = hub.load_demo_sis(&actor, DEMO_SIS_ALERTS).await?;
        let loaded = started.elapsed();
        let ees_travellers = hub.load_demo_ees(&actor).await?;
        serve_hub(hub, args.listen, false, move |addr| {
            println!("Limes demo is running. Open http://{addr}/ in a browser.");
            println!("Data directory: {}", data.display());
            if lines.is_empty() {
                println!("Demo users already exist in this data directory.");
            } else {
                println!("Demo users (name, password, roles):");
                for line in &lines {
                    println!("{line}");
                }
            }
            println!(
                "Synthetic SIS: {DEMO_SIS_ALERTS} alerts ready in {:.1} s. Demo travellers (sign in as guard, purpose border_check, open /border and paste):",
                loaded.as_secs_f64()
            );
            for t in &travellers {
                println!("  {} ({}):\n{}", t.label, t.expect, t.mrz);
            }
            println!("Synthetic EES (stay status on the border check; statistics at /ees/statistics as admin):");
            for t in &ees_travellers {
                println!("  {} ({}):\n{}", t.label, t.expect, t.mrz);
            }
            println!("Press Ctrl-C to stop.");
        })
        .await?;
        Ok(ExitCode::SUCCESS)
    })
}
