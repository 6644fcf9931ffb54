//! `latchkey serve`: parses the server's flags and hands over to [`crate::serve`].

use std::net::SocketAddr;
use std::path::PathBuf;

use super::args::set_once;
use super::{print, Arg, Args, CliError};
use crate::serve::{self, Config, NumberSource};
use latchkey::db::Target;

const HELP: &str = "\
Usage: latchkey serve [OPTIONS]

Runs the Latchkey workspace server: the JSON API the extension joins (/api/v1) and the SMS webhook
(/webhooks/sms/twilio); with --demo also a demo app, Northwind Cloud, at /demo/. Stop it with Ctrl-C.

Options:
  --addr IP:PORT          where to listen (default: 127.0.0.1:8787; port 0 picks a free port)
  --data-dir DIR          where the server keeps its files, created if missing (default: ./latchkey-data);
                          the database is the SQLite file DIR/latchkey.db unless --database-url is given
  --database-url URL      use PostgreSQL instead: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE
                          (several servers may share one database: give them all the same server key)
  --key-file PATH         the server key file (default: DIR/server.key, created mode 0600 at first start);
                          it must be readable and writable by its owner only
  --public-url URL        the URL the world reaches this server at, as configured in Twilio's webhook
                          (default: http://ADDR); webhook signatures are checked against it
  --smtp-url URL          the relay for verification e-mail: smtp://HOST[:PORT] (plain SMTP to a local or
                          trusted relay); without it, e-mails go to DIR/outbox and are NOT sent
  --mail-from ADDRESS     the sender of verification e-mail (default: Latchkey <no-reply@latchkey.localhost>)
  --pool-numbers LIST     US numbers (+1…) the local pool gives to accounts, comma-separated
  --numbers PROVIDER      where managed numbers come from: pool (default: the --pool-numbers list) or
                          twilio (bought through Twilio's REST API; needs --twilio-account-sid and
                          LATCHKEY_TWILIO_AUTH_TOKEN)
  --twilio-account-sid SID  the Twilio account (AC and 32 hex digits): SMS webhooks naming another
                          account are refused, and with --numbers twilio it buys the numbers; without it,
                          only the local account AC000…0 (the demo's carrier, a local simulator) is accepted
  --twilio-api-url URL    Twilio's REST API (default: https://api.twilio.com; https needs a build with
                          --features twilio-tls, or an http:// URL of a TLS-terminating proxy)
  --demo                  seed a demo workspace (users, accounts, a managed number), serve the demo app at
                          /demo/ and print how to sign in; for trying Latchkey only, never a real workspace
  --trust-forwarded-for   the server sits behind a reverse proxy that appends the client's address to
                          X-Forwarded-For: limits and approval prompts use that last address instead of
                          the proxy's (off by default; never turn it on without such a proxy in front, or
                          any client could claim any address)
  -h, --help              this help

Environment (kept out of the command line, where other users could read it):
  LATCHKEY_TWILIO_AUTH_TOKEN  the auth token that signs Twilio's webhooks and, with --numbers twilio,
                          authenticates to Twilio's API; without it, webhooks are checked against a token
                          derived from the server key (what the demo's carrier signs with)
  LATCHKEY_SERVER_KEY     the server key as 64 hex digits, instead of a key file

The server key is the secret every server secret is derived from (the key that hashes e-mailed codes,
the local webhook token); it is never stored in the database, so a copy of the database alone reveals
no live code. Instances sharing one PostgreSQL database need the same key: copy the key file (mode
0600) or set the same LATCHKEY_SERVER_KEY; an instance with another key refuses to start.

The database's schema is created or updated at start. Exit status: 2 for a bad option,
3 when the database cannot be reached or opened, 4 when its schema cannot be brought up to date,
5 when the server key cannot be used (a key file others may read or write, a malformed key, or a key
that is not the one the database was set up with).
";

pub const DEFAULT_ADDR: &str = "127.0.0.1:8787";
pub const DEFAULT_DATA_DIR: &str = "latchkey-data";

pub fn run(mut args: Args) -> Result<(), CliError> {
    let mut addr = None;
    let mut data_dir = None;
    let mut database_url = None;
    let mut public_url = None;
    let mut smtp_url = None;
    let mut mail_from = None;
    let mut pool_numbers: Option<Vec<String>> = None;
    let mut numbers = None;
    let mut twilio_account_sid = None;
    let mut twilio_api_url = None;
    let mut key_file = None;
    let mut demo = false;
    let mut trust_forwarded_for = false;
    while let Some(arg) = args.next() {
        match arg {
            Arg::Flag { name, inline } => match name.as_str() {
                "-h" | "--help" => return print(HELP),
                "--addr" => set_once(&mut addr, &name, parse_addr(&args.value(&name, inline)?)?)?,
                "--data-dir" => set_once(&mut data_dir, &name, parse_data_dir(&args.value(&name, inline)?)?)?,
                "--database-url" => set_once(
                    &mut database_url,
                    &name,
                    parse_database_url(&args.value(&name, inline)?)?,
                )?,
                "--public-url" => set_once(&mut public_url, &name, parse_public_url(&args.value(&name, inline)?)?)?,
                "--smtp-url" => set_once(&mut smtp_url, &name, parse_smtp_url(&args.value(&name, inline)?)?)?,
                "--mail-from" => set_once(&mut mail_from, &name, args.value(&name, inline)?)?,
                "--pool-numbers" => set_once(
                    &mut pool_numbers,
                    &name,
                    parse_pool_numbers(&args.value(&name, inline)?)?,
                )?,
                "--numbers" => set_once(&mut numbers, &name, parse_provider(&args.value(&name, inline)?)?)?,
                "--twilio-account-sid" => set_once(
                    &mut twilio_account_sid,
                    &name,
                    parse_account_sid(&args.value(&name, inline)?)?,
                )?,
                "--twilio-api-url" => {
                    set_once(&mut twilio_api_url, &name, parse_api_url(&args.value(&name, inline)?)?)?
                }
                "--key-file" => set_once(&mut key_file, &name, parse_key_file(&args.value(&name, inline)?)?)?,
                "--demo" if inline.is_none() => demo = true,
                "--trust-forwarded-for" if inline.is_none() => trust_forwarded_for = true,
                _ => {
                    return Err(CliError::UnknownFlag {
                        command: "serve",
                        flag: name,
                    })
                }
            },
            Arg::Value(_) => {
                return Err(CliError::ExtraArgument {
                    command: "serve",
                    takes: "no arguments, only options",
                })
            }
        }
    }
    let addr = match addr {
        Some(addr) => addr,
        None => parse_addr(DEFAULT_ADDR)?,
    };
    let data_dir = data_dir.unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR));
    let database = match database_url {
        Some(url) => Target::Postgres(url),
        None => Target::in_data_dir(&data_dir),
    };
    let twilio_auth_token = std::env::var("LATCHKEY_TWILIO_AUTH_TOKEN")
        .ok()
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    let server_key_env = std::env::var(crate::serve::server_key::KEY_ENV)
        .ok()
        .filter(|k| !k.trim().is_empty());
    if server_key_env.is_some() && key_file.is_some() {
        return Err(CliError::Conflict(
            "--key-file and LATCHKEY_SERVER_KEY both give the server key: keep one",
        ));
    }
    let number_source = match numbers.unwrap_or(Provider::Pool) {
        Provider::Pool => {
            if twilio_api_url.is_some() {
                return Err(CliError::Conflict("--twilio-api-url is for --numbers twilio"));
            }
            NumberSource::Pool
        }
        Provider::Twilio => {
            if pool_numbers.is_some() {
                return Err(CliError::Conflict(
                    "--pool-numbers is for --numbers pool: with --numbers twilio the numbers are bought from Twilio",
                ));
            }
            NumberSource::Twilio {
                account_sid: twilio_account_sid.clone().ok_or(CliError::MissingArgument {
                    command: "serve",
                    what: "--twilio-account-sid (the Twilio account that buys numbers) for --numbers twilio",
                })?,
                auth_token: twilio_auth_token.clone().ok_or(CliError::MissingArgument {
                    command: "serve",
                    what: "the Twilio auth token for --numbers twilio: set LATCHKEY_TWILIO_AUTH_TOKEN",
                })?,
                api_url: twilio_api_url.unwrap_or_else(|| crate::numbers::twilio::TWILIO_API.to_string()),
            }
        }
    };
    Ok(serve::run(Config {
        addr,
        data_dir,
        database,
        public_url,
        smtp_url,
        mail_from,
        pool_numbers: pool_numbers.unwrap_or_default(),
        number_source,
        twilio_auth_token,
        twilio_account_sid,
        server_key_env,
        key_file,
        demo,
        trust_forwarded_for,
    })?)
}

enum Provider {
    Pool,
    Twilio,
}

fn parse_provider(value: &str) -> Result<Provider, CliError> {
    match value.trim() {
        "pool" => Ok(Provider::Pool),
        "twilio" => Ok(Provider::Twilio),
        _ => Err(CliError::BadValue {
            flag: "--numbers",
            expected: "pool or twilio",
            value: value.to_string(),
        }),
    }
}

/// `AC` and 32 hex digits, as Twilio shows it in its console.
fn parse_account_sid(value: &str) -> Result<String, CliError> {
    let value = value.trim();
    let ok = value.len() == 34 && value.starts_with("AC") && value[2..].bytes().all(|b| b.is_ascii_hexdigit());
    if !ok {
        return Err(CliError::BadValue {
            flag: "--twilio-account-sid",
            expected: "a Twilio account SID (AC and 32 hex digits)",
            value: value.to_string(),
        });
    }
    Ok(value.to_string())
}

fn parse_api_url(value: &str) -> Result<String, CliError> {
    let value = value.trim().trim_end_matches('/');
    let rest = value.strip_prefix("https://").or_else(|| value.strip_prefix("http://"));
    if rest.is_none_or(|r| r.is_empty() || r.contains(['?', '#', '@'])) {
        return Err(CliError::BadValue {
            flag: "--twilio-api-url",
            expected: "an http:// or https:// URL such as https://api.twilio.com",
            value: value.to_string(),
        });
    }
    Ok(value.to_string())
}

/// Comma-separated US numbers in E.164 form (`+1` and ten digits).
fn parse_pool_numbers(value: &str) -> Result<Vec<String>, CliError> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(
            |n| match crate::phone::E164::parse(n).filter(crate::phone::E164::is_us) {
                Some(number) => Ok(number.as_str().to_string()),
                None => Err(CliError::BadValue {
                    flag: "--pool-numbers",
                    expected: "US numbers such as +12025550142, separated by commas",
                    value: n.to_string(),
                }),
            },
        )
        .collect()
}

fn parse_public_url(value: &str) -> Result<String, CliError> {
    let value = value.trim();
    crate::sms::twilio_signature::webhook_url(value, "/").map_err(|_| CliError::BadValue {
        flag: "--public-url",
        expected: "an absolute http:// or https:// URL without user name, query or fragment",
        value: value.to_string(),
    })?;
    Ok(value.trim_end_matches('/').to_string())
}

/// Checked here so a typo is a usage error (exit 2); the URL is not repeated (it may hold a password).
fn parse_smtp_url(value: &str) -> Result<String, CliError> {
    crate::mail::SmtpRelay::parse(value.trim()).map_err(|e| CliError::BadSmtpUrl(e.to_string()))?;
    Ok(value.trim().to_string())
}

fn parse_key_file(value: &str) -> Result<PathBuf, CliError> {
    if value.trim().is_empty() {
        return Err(CliError::BadValue {
            flag: "--key-file",
            expected: "a file path",
            value: value.to_string(),
        });
    }
    Ok(PathBuf::from(value))
}

fn parse_data_dir(value: &str) -> Result<PathBuf, CliError> {
    if value.trim().is_empty() {
        return Err(CliError::BadValue {
            flag: "--data-dir",
            expected: "a directory",
            value: value.to_string(),
        });
    }
    Ok(PathBuf::from(value))
}

/// Only PostgreSQL URLs: SQLite is chosen by leaving the flag out (the file is in --data-dir).
fn parse_database_url(value: &str) -> Result<String, CliError> {
    let value = value.trim();
    let has_host = value
        .split_once("://")
        .is_some_and(|(scheme, rest)| matches!(scheme, "postgres" | "postgresql") && !rest.is_empty());
    if !has_host {
        return Err(CliError::BadDatabaseUrl);
    }
    Ok(value.to_string())
}

/// `IP:PORT`, or `localhost:PORT` as 127.0.0.1 (no other names: resolving one could ask the network).
fn parse_addr(value: &str) -> Result<SocketAddr, CliError> {
    let bad = || CliError::BadValue {
        flag: "--addr",
        expected: "IP:PORT such as 127.0.0.1:8787",
        value: value.to_string(),
    };
    let value = value.trim();
    match value.strip_prefix("localhost:") {
        Some(port) => Ok(SocketAddr::from(([127, 0, 0, 1], port.parse().map_err(|_| bad())?))),
        None => value.parse().map_err(|_| bad()),
    }
}
