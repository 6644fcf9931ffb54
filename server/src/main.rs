//! `latchkey`: the server (`latchkey serve`) and command-line tools over latchkey-core.
//!
//! Kept thin: argument handling lives in `cli`, the HTTP server in `serve`.

mod cli;
mod log;
// Parts of the workspace server (issue 4) that the HTTP routes and storage will wire up next.
#[allow(dead_code, unused_imports)]
mod mail;
mod numbers;
mod phone;
mod serve;
#[allow(dead_code, unused_imports)]
mod sms;
#[cfg(test)]
mod test_support;

fn main() -> std::process::ExitCode {
    cli::run(std::env::args_os().skip(1).collect())
}
