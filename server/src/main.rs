//! `latchkey`: the server (`latchkey serve`) and command-line tools over latchkey-core. All of it
//! lives in the library (`latchkey::cli`).

fn main() -> std::process::ExitCode {
    latchkey::cli::run(std::env::args_os())
}
