//! Usage errors in our words: `clap` finds them, this module says them in one line, as the rest of
//! the command line does, and never repeats a positional argument (it may be a secret key).

use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};

use super::{print, CliError};

/// Prints help or the version (`Ok`), or turns a usage error into a [`CliError`] (exit status 2).
pub fn reword(err: clap::Error, args: &[OsString]) -> Result<(), CliError> {
    let command = args.get(1).and_then(|a| a.to_str()).and_then(subcommand);
    let context = |kind: ContextKind| match err.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(all)) => all.first().cloned().unwrap_or_default(),
        _ => String::new(),
    };
    // "--time <UNIX>" → "--time"
    let flag_of = |arg: String| arg.split([' ', '=']).next().unwrap_or_default().to_string();
    Err(match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => return print(&err.render().to_string()),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => CliError::NoCommand,
        ErrorKind::InvalidSubcommand => CliError::UnknownCommand(context(ContextKind::InvalidSubcommand)),
        ErrorKind::UnknownArgument => {
            let arg = context(ContextKind::InvalidArg);
            match (command, arg.starts_with('-')) {
                (None, _) => CliError::UnknownTopFlag(flag_of(arg)),
                (Some("sms-code"), false) => CliError::SmsArgument,
                (Some("mail-code"), false) => CliError::MailArgument,
                (Some(command), false) => CliError::ExtraArgument {
                    command,
                    takes: takes(command),
                },
                (Some(command), true) => CliError::UnknownFlag {
                    command,
                    flag: flag_of(arg),
                },
            }
        }
        ErrorKind::InvalidValue if context(ContextKind::InvalidValue).is_empty() => {
            CliError::MissingValue(flag_of(context(ContextKind::InvalidArg)))
        }
        // Our value parsers' own sentences.
        ErrorKind::ValueValidation => match std::error::Error::source(&err) {
            Some(reason) => CliError::Usage(reason.to_string()),
            None => CliError::Usage(format!("{} has a bad value", flag_of(context(ContextKind::InvalidArg)))),
        },
        ErrorKind::ArgumentConflict if context(ContextKind::InvalidArg) == context(ContextKind::PriorArg) => {
            CliError::Repeated(flag_of(context(ContextKind::InvalidArg)))
        }
        ErrorKind::ArgumentConflict => CliError::Usage(format!(
            "{} and {} cannot be given together",
            flag_of(context(ContextKind::PriorArg)),
            flag_of(context(ContextKind::InvalidArg))
        )),
        ErrorKind::TooManyValues | ErrorKind::NoEquals => CliError::NoValueTaken {
            flag: flag_of(context(ContextKind::InvalidArg)),
            value: context(ContextKind::InvalidValue),
        },
        ErrorKind::MissingRequiredArgument => CliError::MissingArgument {
            command: command.unwrap_or("COMMAND"),
            what: match command {
                Some("totp") => "SECRET_OR_URI",
                _ => "an argument",
            },
        },
        other => CliError::Usage(format!(
            "the command line is not understood ({other}): see `latchkey --help`"
        )),
    })
}

/// The subcommand a token names, as a `'static` name for messages.
fn subcommand(token: &str) -> Option<&'static str> {
    ["totp", "sms-code", "mail-code", "serve", "audit"]
        .into_iter()
        .find(|c| *c == token)
}

/// What a subcommand takes besides options, for "takes …" messages.
fn takes(command: &str) -> &'static str {
    match command {
        "totp" => "one SECRET_OR_URI",
        _ => "no arguments, only options",
    }
}
