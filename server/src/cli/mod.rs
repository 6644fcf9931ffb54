//! The command line: `latchkey COMMAND [ARGS]`, declared with `clap` (one struct per subcommand).
//!
//! Adding a subcommand means a module with an `Args` struct and `run(Args)`, and a variant of
//! [`Command`]. Usage errors are reworded by [`usage`] into one line of our own, exit status 2.

mod audit;
mod automation;
mod error;
mod mail_code;
mod scim_token;
mod serve;
mod sms_code;
mod totp;
mod usage;

use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use error::CliError;

/// Shown under every help page that lists subcommands.
const AFTER_HELP: &str = "Run `latchkey COMMAND --help` for a command's options.";

#[derive(Debug, Parser)]
#[command(
    name = "latchkey",
    version,
    about = "latchkey: share the logins of third-party apps, two-factor step included.",
    override_usage = "latchkey totp SECRET_OR_URI [OPTIONS]     print a one-time code (like oathtool)\n       \
                      latchkey sms-code [--json] < MESSAGE     print the verification code in an SMS (exit 1: none)\n       \
                      latchkey mail-code [--json] < MESSAGE.eml  print the verification code in an e-mail (exit 1: none)\n       \
                      latchkey serve [--addr IP:PORT] [--data-dir DIR] [--database-url URL] [--demo]\n       \
                      latchkey audit verify [--data-dir DIR | --database-url URL]\n       \
                      latchkey scim-token create --workspace NAME [--name LABEL] [--data-dir DIR | --database-url URL]\n       \
                      latchkey automation check FILE [--origin URL]   dry-run an automation (exit 1: refused)\n       \
                      latchkey --help | --version",
    after_help = AFTER_HELP,
    subcommand_required = true,
    help_template = "{about}\n\n{usage-heading} {usage}\n\nCommands:\n{subcommands}\n\nOptions:\n{options}{after-help}\n"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print a one-time code (like oathtool)
    Totp(totp::Args),
    /// Print the verification code in an SMS read on standard input (exit 1: none)
    SmsCode(sms_code::Args),
    /// Print the verification code in a raw e-mail read on standard input (exit 1: none)
    MailCode(mail_code::Args),
    /// Run the workspace server (--demo: with a demo workspace to try it)
    Serve(Box<serve::Args>),
    /// Check the audit log's hash chains (audit verify)
    Audit(audit::Args),
    /// Print a new SCIM token for a workspace (scim-token create)
    ScimToken(scim_token::Args),
    /// Check an automation file and print its plan, changing nothing (automation check)
    Automation(automation::Args),
    /// Print the version
    #[command(hide = true)]
    Version,
}

/// Runs the command line (the program name first, as `std::env::args_os` gives it) and returns
/// the process exit status.
pub fn run(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let args: Vec<OsString> = args.into_iter().collect();
    match parse(&args).and_then(dispatch) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("latchkey: {err}");
            ExitCode::from(err.exit_code())
        }
    }
}

/// What the command line asks for, or `None` when it asked for help or the version (printed).
fn parse(args: &[OsString]) -> Result<Option<Command>, CliError> {
    // Checked first so the message can say which argument (clap's would repeat it, and a positional
    // argument may be a secret key).
    if let Some(i) = args.iter().skip(1).position(|a| a.to_str().is_none()) {
        return Err(CliError::NotUtf8(i + 1));
    }
    match Cli::try_parse_from(args) {
        Ok(cli) => Ok(Some(cli.command)),
        Err(err) => usage::reword(err, args).map(|()| None),
    }
}

fn dispatch(command: Option<Command>) -> Result<(), CliError> {
    match command {
        None => Ok(()),
        Some(Command::Totp(args)) => totp::run(args),
        Some(Command::SmsCode(args)) => sms_code::run(args),
        Some(Command::MailCode(args)) => mail_code::run(args),
        Some(Command::Serve(args)) => serve::run(*args),
        Some(Command::Audit(args)) => audit::run(args),
        Some(Command::ScimToken(args)) => scim_token::run(args),
        Some(Command::Automation(args)) => automation::run(args),
        Some(Command::Version) => print(&format!("latchkey {}\n", env!("CARGO_PKG_VERSION"))),
    }
}

/// Writes to stdout, ignoring a closed pipe (`latchkey --help | head -1`).
/// The database a host command works on: PostgreSQL at `database_url`, else the SQLite file in
/// `data_dir` (default ./latchkey-data), which must exist: opening would create an empty one, and
/// a wrong directory must not "verify" or get a token.
fn existing_database(
    data_dir: Option<std::path::PathBuf>,
    database_url: Option<String>,
) -> Result<crate::db::Target, CliError> {
    use crate::db::{Target, SQLITE_FILE};
    if let Some(url) = database_url {
        return Ok(Target::Postgres(url));
    }
    let dir = data_dir.unwrap_or_else(|| std::path::PathBuf::from(serve::DEFAULT_DATA_DIR));
    let file = dir.join(SQLITE_FILE);
    if !file.is_file() {
        return Err(CliError::NoDatabase(file.display().to_string()));
    }
    Ok(Target::Sqlite(file))
}

/// A one-thread runtime for a host command's database work.
fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(CliError::Runtime)
}

pub fn print(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_line(line: &[&str]) -> Result<Option<Command>, CliError> {
        let mut args = vec![OsString::from("latchkey")];
        args.extend(line.iter().map(OsString::from));
        parse(&args)
    }

    #[test]
    fn inline_values_double_dash_and_stdin() {
        let Ok(Some(Command::Totp(args))) = parse_line(&["totp", "--time=5", "--", "--digits"]) else {
            panic!("not parsed")
        };
        assert_eq!((args.input.as_str(), args.time), ("--digits", Some(5)));
        let Ok(Some(Command::Totp(args))) = parse_line(&["totp", "-", "--digits", "8"]) else {
            panic!("not parsed")
        };
        assert_eq!((args.input.as_str(), args.digits), ("-", Some(8)));
    }

    #[test]
    fn a_value_is_the_next_token_even_if_it_looks_like_a_flag() {
        let err = parse_line(&["totp", "KEY", "--time", "-1"]).unwrap_err();
        assert!(err.to_string().starts_with("--time must be a Unix time"), "{err}");
        let err = parse_line(&["totp", "KEY", "--digits"]).unwrap_err();
        assert_eq!(err.to_string(), "--digits needs a value, as in `--digits VALUE`");
    }

    #[test]
    fn the_declaration_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
