use latchkey_core::otp::OtpError;
use thiserror::Error;

use crate::db::DbError;
use crate::serve::server_key::KeyError;
use crate::serve::ServeError;

/// Why a command line was refused or a command failed. Printed as one line after `latchkey: `.
///
/// Messages never repeat a positional argument: it may be a secret key.
#[derive(Debug, Error)]
pub enum CliError {
    #[error("cannot read {0}: {1}")]
    AutomationFile(String, String),
    #[error("{0}: refused: {1}")]
    AutomationRefused(String, String),
    #[error("argument {0} is not valid UTF-8")]
    NotUtf8(usize),
    #[error("no command given: use `latchkey totp SECRET` or `latchkey serve` (see `latchkey --help`)")]
    NoCommand,
    #[error("unknown command {0:?}: the commands are totp, sms-code, serve and audit (see `latchkey --help`)")]
    UnknownCommand(String),
    #[error("unknown option {0:?}: see `latchkey --help`")]
    UnknownTopFlag(String),
    #[error("unknown option {flag:?} for `latchkey {command}` (see `latchkey {command} --help`)")]
    UnknownFlag { command: &'static str, flag: String },
    #[error("{0} needs a value, as in `{0} VALUE`")]
    MissingValue(String),
    #[error("{0} was given twice")]
    Repeated(String),
    #[error("{flag} must be given without a value, not {value:?}")]
    NoValueTaken { flag: String, value: String },
    /// A usage error already worded (by a value parser).
    #[error("{0}")]
    Usage(String),
    #[error("{flag} must be {expected}, not {value:?}")]
    BadValue {
        flag: &'static str,
        expected: &'static str,
        value: String,
    },
    /// The URL is not repeated: it may hold a password.
    #[error(
        "--database-url must be a PostgreSQL URL such as postgres://latchkey@localhost/latchkey \
         (for SQLite, leave it out and use --data-dir)"
    )]
    BadDatabaseUrl,
    #[error("{0}")]
    BadSmtpUrl(String),
    #[error("missing {what}: see `latchkey {command} --help`")]
    MissingArgument { command: &'static str, what: &'static str },
    #[error("`latchkey {command}` takes {takes}: quote a key that contains spaces")]
    ExtraArgument { command: &'static str, takes: &'static str },
    #[error("{0}")]
    Conflict(&'static str),
    #[error("could not read the secret key from standard input: {0}")]
    Stdin(std::io::Error),
    /// The message is never repeated: it may hold a code.
    #[error("`latchkey sms-code` reads the message on standard input and takes no arguments besides --json")]
    SmsArgument,
    #[error("could not read the message from standard input: {0}")]
    SmsStdin(std::io::Error),
    #[error("the message on standard input is over 64 KiB: give one SMS")]
    SmsTooLong,
    #[error("the message on standard input is not valid UTF-8 (from byte {0}): give the SMS as UTF-8 text")]
    SmsNotUtf8(usize),
    #[error("no verification code in the message")]
    NoSmsCode,
    /// The message is never repeated: it may hold a code.
    #[error("`latchkey mail-code` reads the message on standard input and takes no arguments besides --json")]
    MailArgument,
    #[error("could not read the message from standard input: {0}")]
    MailStdin(std::io::Error),
    #[error("the message on standard input is over 32 MiB: give one e-mail")]
    MailTooLong,
    #[error("{0}")]
    NotMail(latchkey_core::mail::MailError),
    #[error("no verification code in the e-mail")]
    NoMailCode,
    #[error(transparent)]
    Otp(#[from] OtpError),
    #[error(transparent)]
    Serve(#[from] ServeError),
    #[error("there is no database at {0}: give the server's --data-dir (or --database-url)")]
    NoDatabase(String),
    #[error("could not start: {0}")]
    Runtime(std::io::Error),
    #[error(transparent)]
    Database(#[from] DbError),
    #[error(
        "audit log broken: workspace {workspace}, event {seq}: {reason}. Events from there on cannot be \
         trusted; restore the database from a backup and compare"
    )]
    AuditBroken {
        workspace: String,
        seq: i64,
        reason: String,
    },
    #[error("cannot use the SMTP credentials file {0}")]
    BadSmtpCredentials(String),
    #[error("cannot create the SCIM token: {0}")]
    ScimToken(DbError),
}

impl CliError {
    /// 2 for anything the person can fix on the command line (as `oathtool` and most tools do),
    /// 3 when the server's storage cannot be reached or opened, 4 when the database's schema
    /// cannot be brought up to date, 5 when the server key cannot be used (unsafe permissions,
    /// malformed, not the database's), 1 for a command that was understood but failed otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Serve(ServeError::Database(DbError::Migration { .. })) => 4,
            CliError::Serve(ServeError::Database(_) | ServeError::DataDir { .. }) => 3,
            CliError::Serve(ServeError::ServerKey(KeyError::Database(_))) => 3,
            CliError::Serve(ServeError::ServerKey(_)) => 5,
            CliError::Serve(_) | CliError::NoSmsCode | CliError::SmsStdin(_) => 1,
            CliError::NoMailCode | CliError::MailStdin(_) => 1,
            CliError::AutomationRefused(..) => 1,
            CliError::Database(DbError::Migration { .. }) => 4,
            CliError::Database(_) | CliError::NoDatabase(_) => 3,
            CliError::ScimToken(DbError::Unavailable(_) | DbError::Migration { .. }) => 3,
            CliError::AuditBroken { .. } | CliError::Runtime(_) | CliError::ScimToken(_) => 1,
            _ => 2,
        }
    }
}
