//! `latchkey serve`: parses the server's flags and hands over to [`crate::serve`].

use std::net::SocketAddr;
use std::path::PathBuf;

use super::args::set_once;
use super::{print, Arg, Args, CliError};
use crate::serve::{self, Config};
use latchkey::db::Target;

const HELP: &str = "\
Usage: latchkey serve [--addr IP:PORT] [--data-dir DIR] [--database-url postgres://…]

Runs the Latchkey server. For now it serves a demo app, Northwind Cloud, at /demo/ for trying
Latchkey: sign up, turn on two-factor authentication, sign in with a code. Stop it with Ctrl-C.

Options:
  --addr IP:PORT          where to listen (default: 127.0.0.1:8787; port 0 picks a free port)
  --data-dir DIR          where the server keeps its files, created if missing (default: ./latchkey-data);
                          the database is the SQLite file DIR/latchkey.db unless --database-url is given
  --database-url URL      use PostgreSQL instead: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE
                          (several servers may share one database)
  -h, --help              this help

The database's schema is created or updated at start. Exit status: 2 for a bad option,
3 when the database cannot be reached or opened, 4 when its schema cannot be brought up to date.
";

pub const DEFAULT_ADDR: &str = "127.0.0.1:8787";
pub const DEFAULT_DATA_DIR: &str = "latchkey-data";

pub fn run(mut args: Args) -> Result<(), CliError> {
    let mut addr = None;
    let mut data_dir = None;
    let mut database_url = None;
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
    Ok(serve::run(Config {
        addr,
        data_dir,
        database,
    })?)
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
