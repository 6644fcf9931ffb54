//! `latchkey scim-token create`: on the server's host, prints a new SCIM token for a workspace,
//! so an identity provider can be connected before anyone has a trusted browser (bootstrapping).
//! Owners create them in the API too (`POST /api/v1/scim-tokens`). The token is printed once; only
//! its hash is stored.

use std::path::PathBuf;

use super::serve::{parse_data_dir, parse_database_url};
use super::{print, CliError};
use crate::db::{Db, DbError};

const AFTER_HELP: &str = "\
Prints a new SCIM token for the workspace NAME on standard output (once: only its hash is kept).
Give it to the identity provider (Okta, Microsoft Entra ID) with the base URL
https://YOUR-SERVER/scim/v2; see docs/scim.md. Revoke it with DELETE /api/v1/scim-tokens/ID as an
owner. Exit status: 0 when created, 1 when the workspace is unknown or the name is not valid,
3 when the database cannot be reached or opened, 4 when its schema cannot be brought up to date.";

#[derive(Debug, clap::Args)]
#[command(
    override_usage = "latchkey scim-token create --workspace NAME [--name LABEL] [--data-dir DIR | --database-url URL]",
    after_help = AFTER_HELP,
    subcommand_required = true
)]
pub struct Args {
    #[command(subcommand)]
    command: TokenCommand,
}

#[derive(Debug, clap::Subcommand)]
enum TokenCommand {
    /// Print a new SCIM token for a workspace
    Create(CreateArgs),
}

#[derive(Debug, clap::Args)]
#[command(after_help = AFTER_HELP)]
struct CreateArgs {
    /// the workspace's name (as its owners see it)
    #[arg(long, value_name = "NAME")]
    workspace: String,
    /// a label for the token, shown in the token list (default: "SCIM")
    #[arg(long, value_name = "LABEL", default_value = "SCIM")]
    name: String,
    /// the server's data directory (default: ./latchkey-data), whose latchkey.db is used
    #[arg(long, value_name = "DIR", allow_hyphen_values = true, value_parser = parse_data_dir)]
    data_dir: Option<PathBuf>,
    /// use this PostgreSQL database instead: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE
    #[arg(long, value_name = "URL", allow_hyphen_values = true, value_parser = parse_database_url, conflicts_with = "data_dir")]
    database_url: Option<String>,
}

pub fn run(args: Args) -> Result<(), CliError> {
    let TokenCommand::Create(args) = args.command;
    let target = super::existing_database(args.data_dir, args.database_url)?;
    let runtime = super::runtime()?;
    let token = runtime.block_on(async {
        let db = Db::open(&target, crate::serve::now_unix()).await?;
        let made = async {
            let workspace = db.workspace_named(&args.workspace).await?;
            db.create_scim_token(&workspace.id, &args.name, None, crate::serve::now_unix())
                .await
        }
        .await;
        db.close().await;
        made.map_err(|e: DbError| match e {
            DbError::NotFound(_) => CliError::ScimToken(DbError::Invalid(format!(
                "there is no workspace named {:?}",
                args.workspace
            ))),
            other => CliError::ScimToken(other),
        })
    });
    let (_, secret) = token?;
    print(&format!("{secret}\n"))
}
