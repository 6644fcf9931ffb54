//! `latchkey audit verify`: checks every workspace's audit chain in the database (SQLite in
//! `--data-dir`, or `--database-url`) and names the first broken link. Exit 0: intact; 1: broken.

use std::path::PathBuf;

use super::serve::{parse_data_dir, parse_database_url};
use super::{print, CliError};
use crate::db::{Db, Verdict};

const AFTER_HELP: &str = "\
Checks that each workspace's audit events form an unbroken hash chain from its start (or from the
checkpoint left by --audit-retention-days) to the newest event recorded. Exit status: 0 when every
chain holds, 1 when one is broken (the first broken link is named), 3 when the database cannot be
reached or opened, 4 when its schema cannot be brought up to date.";

#[derive(Debug, clap::Args)]
#[command(
    override_usage = "latchkey audit verify [--data-dir DIR | --database-url URL]",
    after_help = AFTER_HELP,
    subcommand_required = true
)]
pub struct Args {
    #[command(subcommand)]
    command: AuditCommand,
}

#[derive(Debug, clap::Subcommand)]
enum AuditCommand {
    /// Check every workspace's audit chain and name the first broken link
    Verify(VerifyArgs),
}

#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
struct VerifyArgs {
    /// the server's data directory (default: ./latchkey-data), whose latchkey.db is checked
    #[arg(long, value_name = "DIR", allow_hyphen_values = true, value_parser = parse_data_dir)]
    data_dir: Option<PathBuf>,
    /// check this PostgreSQL database instead: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE
    #[arg(long, value_name = "URL", allow_hyphen_values = true, value_parser = parse_database_url, conflicts_with = "data_dir")]
    database_url: Option<String>,
}

pub fn run(args: Args) -> Result<(), CliError> {
    let AuditCommand::Verify(args) = args.command;
    let target = super::existing_database(args.data_dir, args.database_url)?;
    let runtime = super::runtime()?;
    let verdict = runtime.block_on(async {
        let db = Db::open(&target, crate::serve::now_unix()).await?;
        let verdict = db.verify_audit().await;
        db.close().await;
        verdict
    })?;
    match verdict {
        Verdict::Intact { workspaces, events } => print(&format!(
            "audit log intact: {events} events checked in {workspaces} workspace chains\n"
        )),
        Verdict::Broken {
            workspace_id,
            seq,
            reason,
        } => Err(CliError::AuditBroken {
            workspace: workspace_id,
            seq,
            reason,
        }),
    }
}
