//! `latchkey`: the server (`latchkey serve`) and command-line tools over latchkey-core.
//!
//! Kept thin: argument handling lives in `cli`, the HTTP server in `serve`.

mod cli;
mod serve;

fn main() -> std::process::ExitCode {
    cli::run(std::env::args_os().skip(1).collect())
}
