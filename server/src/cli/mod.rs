//! The command line: `latchkey COMMAND [ARGS]`.
//!
//! Each subcommand has a module with `run(Args)`; adding one (`sms-code`, …) means a module, a match
//! arm in [`dispatch`] and a line in [`HELP`].

mod args;
mod error;
mod serve;
mod sms_code;
mod totp;

use std::ffi::OsString;
use std::io::Write;
use std::process::ExitCode;

pub use args::{Arg, Args};
pub use error::CliError;

const HELP: &str = "\
latchkey: share the logins of third-party apps, two-factor step included.

Usage:
  latchkey totp SECRET_OR_URI [OPTIONS]   print a one-time code (like oathtool)
  latchkey sms-code [--json] < MESSAGE   print the verification code in an SMS (exit 1: none)
  latchkey serve [--addr IP:PORT] [--data-dir DIR] [--database-url URL] [--demo]
                                          run the workspace server (--demo: with a demo app to try it)
  latchkey --help                         this help
  latchkey --version                      the version

Run `latchkey COMMAND --help` for a command's options.
";

/// Runs the command line (without the program name) and returns the process exit status.
pub fn run(args: Vec<OsString>) -> ExitCode {
    match utf8(args).and_then(dispatch) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("latchkey: {err}");
            ExitCode::from(err.exit_code())
        }
    }
}

fn utf8(args: Vec<OsString>) -> Result<Vec<String>, CliError> {
    args.into_iter()
        .enumerate()
        .map(|(i, a)| a.into_string().map_err(|_| CliError::NotUtf8(i + 1)))
        .collect()
}

fn dispatch(mut args: Vec<String>) -> Result<(), CliError> {
    if args.is_empty() {
        return Err(CliError::NoCommand);
    }
    let command = args.remove(0);
    let args = Args::new(args);
    match command.as_str() {
        "totp" => totp::run(args),
        "serve" => serve::run(args),
        "sms-code" => sms_code::run(args),
        "-h" | "--help" | "help" => print(HELP),
        "-V" | "--version" | "version" => print(&format!("latchkey {}\n", env!("CARGO_PKG_VERSION"))),
        flag if flag.starts_with('-') => Err(CliError::UnknownTopFlag(command)),
        _ => Err(CliError::UnknownCommand(command)),
    }
}

/// Writes to stdout, ignoring a closed pipe (`latchkey --help | head -1`).
pub fn print(text: &str) -> Result<(), CliError> {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
    Ok(())
}
