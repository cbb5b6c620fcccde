//! The command line: `serve` (default), `migrate`, `admin create`, `audit verify`, `ledger verify`, `readiness`,
//! `search reindex`.

use crate::config::Config;
use crate::startup;
use agora_app::auth::service::{create_super_admin, NewAccount};
use agora_app::i18n::Lang;
use agora_app::platform::audit_log::{verify_chain, ChainStatus};
use agora_app::platform::caller::RequestMeta;
use anyhow::Context;
use clap::{Parser, Subcommand};
use std::io::Read;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(name = "agora-server", about = "Agora marketplace server")]
pub struct Cli {
    /// The runtime configuration file; AGORA_* variables override its keys.
    #[arg(long, default_value = "Leptos.toml", global = true)]
    pub config: PathBuf,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Migrate the database and serve HTTP (the default).
    Serve,
    /// Apply pending migrations and exit.
    Migrate,
    /// Operator accounts.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// The double-entry ledger.
    Ledger {
        #[command(subcommand)]
        command: LedgerCommand,
    },
    /// Launch readiness: every check measured now (area, id, status, evidence, fix). Exit 0 when
    /// nothing fails, 1 when a blocker is open (or a warning, with `--fail-on warning`), 2 on error.
    Readiness {
        /// The lowest status that fails the command: blocker (default) or warning.
        #[arg(long, value_enum, default_value = "blocker")]
        fail_on: FailOn,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// The storefront search index.
    Search {
        #[command(subcommand)]
        command: SearchCommand,
    },
    /// The runtime settings (the console's settings centre).
    Settings {
        #[command(subcommand)]
        command: SettingsCommand,
    },
}

#[derive(Subcommand, Debug)]
pub enum SettingsCommand {
    /// Seal every stored secret again under AGORA_SETTINGS_KEY; the old key must be in
    /// AGORA_SETTINGS_KEY_PREVIOUS. All or nothing: a secret neither key opens changes nothing (exit 1).
    RotateKey,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    Blocker,
    Warning,
}

#[derive(Subcommand, Debug)]
pub enum SearchCommand {
    /// Rebuild the index from the live listings (after a bulk load by SQL, or a tokenizer change).
    Reindex,
}

#[derive(Subcommand, Debug)]
pub enum LedgerCommand {
    /// Check every posting balances, every account's balance equals its entries and the trial
    /// balance is zero per currency. Exit 0 when sound; otherwise 1 and the problems found.
    Verify,
}

#[derive(Subcommand, Debug)]
pub enum AdminCommand {
    /// Create a super admin. The password is read from AGORA_ADMIN_PASSWORD, else from stdin.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "Administrator")]
        name: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Recompute the hash chain. Exit 0 when intact; otherwise 1 and the first broken entry.
    Verify,
}

pub async fn run(cli: Cli) -> anyhow::Result<i32> {
    let config = Config::load(&cli.config)?;
    crate::telemetry::init(&config.log, &config.log_format);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => startup::serve(config).await.map(|_| 0),
        Command::Migrate => {
            startup::app_state(&config).await?;
            println!("migrations applied");
            Ok(0)
        }
        Command::Admin { command: AdminCommand::Create { email, name } } => {
            let password = match std::env::var("AGORA_ADMIN_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    let mut p = String::new();
                    std::io::stdin().read_to_string(&mut p).context("reading the password from stdin")?;
                    p.trim_end_matches(['\r', '\n']).to_string()
                }
            };
            let state = startup::app_state(&config).await?;
            let account = NewAccount::parse(&email, &name, &password, Lang::En)
                .map_err(|e| anyhow::anyhow!("{}", e.message_key()))?;
            let meta = RequestMeta { ip: "cli".into(), user_agent: "agora-server admin create".into() };
            let id = create_super_admin(&state, &meta, "cli", account)
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.message_key()))?;
            println!("created super admin {email} (user {id})");
            Ok(0)
        }
        Command::Audit { command: AuditCommand::Verify } => {
            let state = startup::app_state(&config).await?;
            match verify_chain(&state.db).await? {
                ChainStatus::Intact { entries } => {
                    println!("audit chain intact: {entries} entries");
                    Ok(0)
                }
                ChainStatus::Broken { entries_checked, at } => {
                    println!(
                        "audit chain BROKEN at entry {} ({at:?}); {entries_checked} entries before it are intact",
                        at.id()
                    );
                    Ok(1)
                }
                ChainStatus::Truncated { entries } => {
                    println!(
                        "audit chain BROKEN: the last entries were removed ({entries} remain, head does not match)"
                    );
                    Ok(1)
                }
            }
        }
        Command::Readiness { fail_on, json } => {
            let state = startup::app_state(&config).await?;
            let report = agora_app::readiness::service::report(&state)
                .await
                .map_err(|e| anyhow::anyhow!("measuring readiness: {}", e.message_key()))?;
            crate::readiness_cli::print(&report, json)?;
            let s = report.summary;
            let failed = s.blockers > 0 || (fail_on == FailOn::Warning && s.warnings > 0);
            Ok(if failed { 1 } else { 0 })
        }
        Command::Search { command: SearchCommand::Reindex } => {
            let state = startup::app_state(&config).await?;
            let n =
                agora_app::platform::search_index::reindex(&state.db).await.context("rebuilding the search index")?;
            println!("search index rebuilt: {n} live listings");
            Ok(0)
        }
        Command::Settings { command: SettingsCommand::RotateKey } => {
            let state = startup::app_state(&config).await?;
            match agora_app::settings::service::rotate_key(&state)
                .await
                .map_err(|e| anyhow::anyhow!("rotating the settings key: {}", e.message_key()))?
            {
                agora_app::settings::service::Rotation::Done { resealed, current_already } => {
                    println!("settings key rotated: {resealed} sealed again, {current_already} already under the current key");
                    Ok(0)
                }
                agora_app::settings::service::Rotation::Unreadable(keys) => {
                    eprintln!(
                        "nothing changed: no configured key opens the stored value of {} (set AGORA_SETTINGS_KEY_PREVIOUS to the key they were sealed with)",
                        keys.join(", ")
                    );
                    Ok(1)
                }
            }
        }
        Command::Ledger { command: LedgerCommand::Verify } => {
            let state = startup::app_state(&config).await?;
            let mut conn = state.db.read().acquire().await?;
            let problems = agora_app::platform::ledger::check_invariants(&mut conn)
                .await
                .map_err(|e| anyhow::anyhow!("reading the ledger: {e}"))?;
            let postings: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM ledger_postings").fetch_one(&mut *conn).await?;
            let accounts: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM ledger_accounts").fetch_one(&mut *conn).await?;
            if problems.is_empty() {
                println!("ledger sound: {postings} postings, {accounts} accounts, trial balance zero");
                Ok(0)
            } else {
                println!("ledger BROKEN: {} problem(s)", problems.len());
                for p in problems {
                    println!("  {p}");
                }
                Ok(1)
            }
        }
    }
}
