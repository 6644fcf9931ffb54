//! `latchkey serve`: parses the server's flags and hands over to [`crate::serve`].

use std::net::SocketAddr;

use super::args::set_once;
use super::{print, Arg, Args, CliError};
use crate::serve::{self, Config};

const HELP: &str = "\
Usage: latchkey serve [--addr IP:PORT]

Runs the Latchkey server. For now it serves a demo app, Northwind Cloud, at /demo/ for trying
Latchkey: sign up, turn on two-factor authentication, sign in with a code. Stop it with Ctrl-C.

Options:
  --addr IP:PORT   where to listen (default: 127.0.0.1:8787; port 0 picks a free port)
  -h, --help       this help
";

pub const DEFAULT_ADDR: &str = "127.0.0.1:8787";

pub fn run(mut args: Args) -> Result<(), CliError> {
    let mut addr = None;
    while let Some(arg) = args.next() {
        match arg {
            Arg::Flag { name, inline } => match name.as_str() {
                "-h" | "--help" => return print(HELP),
                "--addr" => set_once(&mut addr, &name, parse_addr(&args.value(&name, inline)?)?)?,
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
    Ok(serve::run(Config { addr })?)
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
