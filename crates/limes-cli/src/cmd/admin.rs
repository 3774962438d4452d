use std::io::Read as _;
use std::process::ExitCode;

use anyhow::Context as _;
use limes_model::Role;

use super::common::{StoreArgs, cli_actor, load_matrix, open_hub, parse_duration, runtime};

#[derive(clap::Subcommand)]
pub enum AdminCommand {
    /// Create a user with one or more roles; the password is read from stdin
    CreateUser {
        #[command(flatten)]
        store: StoreArgs,
        #[arg(long)]
        name: String,
        #[arg(long = "role", required = true)]
        roles: Vec<String>,
        /// Read the password from standard input (required: passwords never go on the command line)
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Mint an API token for a user; the token is printed on the last line, once
    CreateToken {
        #[command(flatten)]
        store: StoreArgs,
        #[arg(long)]
        name: String,
        /// Lifetime such as 30d, 12h (default 30d)
        #[arg(long)]
        expires_in: Option<String>,
    },
    /// Revoke a token by its id (as printed by create-token and list-tokens)
    RevokeToken {
        #[command(flatten)]
        store: StoreArgs,
        #[arg(long)]
        id: String,
    },
    /// List users and their roles
    ListUsers {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// List tokens (ids, owners, expiry, revocation), never their secrets
    ListTokens {
        #[command(flatten)]
        store: StoreArgs,
        #[arg(long)]
        name: Option<String>,
    },
    /// Print the access matrix (role × purpose × action × category) with its legal bases
    AccessMatrix {
        /// Access matrix configuration to print instead of the shipped one
        #[arg(long)]
        access_matrix: Option<std::path::PathBuf>,
    },
}

pub fn run(command: AdminCommand) -> anyhow::Result<ExitCode> {
    if let AdminCommand::AccessMatrix { access_matrix } = &command {
        print!("{}", load_matrix(access_matrix.as_deref())?.render());
        return Ok(ExitCode::SUCCESS);
    }
    runtime()?.block_on(run_async(command))
}

async fn run_async(command: AdminCommand) -> anyhow::Result<ExitCode> {
    let actor = cli_actor();
    match command {
        AdminCommand::CreateUser {
            store,
            name,
            roles,
            password_stdin: _,
        } => {
            let roles = roles
                .iter()
                .map(|r| r.parse::<Role>())
                .collect::<Result<Vec<_>, _>>()?;
            let mut password = String::new();
            std::io::stdin()
                .read_to_string(&mut password)
                .context("reading the password from stdin")?;
            let password = password.trim_end_matches(['\n', '\r']);
            let hub = open_hub(&store).await?;
            hub.create_user(&actor, &name, &roles, password)
                .await
                .with_context(|| format!("creating user {name}"))?;
            println!("created user {name}");
        }
        AdminCommand::CreateToken {
            store,
            name,
            expires_in,
        } => {
            let ttl = expires_in.as_deref().map(parse_duration).transpose()?;
            let hub = open_hub(&store).await?;
            let (id, secret, expires_at) = hub
                .create_token(&actor, &name, ttl)
                .await
                .with_context(|| format!("creating a token for {name}"))?;
            let expires = expires_at
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default();
            println!("token id {id} for {name}, expires {expires}");
            println!("{secret}");
        }
        AdminCommand::RevokeToken { store, id } => {
            let hub = open_hub(&store).await?;
            hub.revoke_token(&actor, &id)
                .await
                .with_context(|| format!("revoking token {id}"))?;
            println!("revoked token {id}");
        }
        AdminCommand::ListUsers { store } => {
            let hub = open_hub(&store).await?;
            for user in hub.list_users(&actor).await? {
                println!(
                    "{}\t{}{}",
                    user.name,
                    user.roles.join(","),
                    if user.disabled { "\tdisabled" } else { "" }
                );
            }
        }
        AdminCommand::ListTokens { store, name } => {
            let hub = open_hub(&store).await?;
            for token in hub.tokens(name.as_deref()).await? {
                let expires = token
                    .expires_at
                    .format(&time::format_description::well_known::Rfc3339)
                    .unwrap_or_default();
                println!(
                    "{}\t{}\t{}\t{}",
                    token.id,
                    token.user,
                    expires,
                    if token.revoked { "revoked" } else { "active" }
                );
            }
        }
        AdminCommand::AccessMatrix { .. } => unreachable!("handled without a runtime"),
    }
    Ok(ExitCode::SUCCESS)
}
