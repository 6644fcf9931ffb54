//! `latchkey sms-code`: the verification code in one SMS read on standard input.

use std::io::Read;

use latchkey_core::sms::{self, SmsCode};

use super::{print, CliError};

/// More than any SMS (a 10-part concatenated SMS is under 2 KiB); a larger input is a mistake.
pub const MAX_MESSAGE: usize = 64 * 1024;

#[derive(Debug, clap::Args)]
#[command(
    before_help = "Reads one SMS (UTF-8, at most 64 KiB) on standard input and prints the verification code in it,\n\
                   as a person would type it (123456 for \"123 456\"). Exits 1, printing nothing, when the message has\n\
                   no code; 2 for input that is not UTF-8 or too long.",
    override_usage = "latchkey sms-code [--json] < MESSAGE",
    help_template = "{usage-heading} {usage}\n\n{before-help}Options:\n{options}\n"
)]
pub struct Args {
    /// Print {"code","kind","start","end","domain"}: kind is numeric or alphanumeric,
    /// start..end is where the code is written in the message, in UTF-16 code units (as
    /// JavaScript counts), and domain is the site of a domain-bound line (@site #code) or null
    #[arg(long, verbatim_doc_comment)]
    pub json: bool,
}

pub fn run(args: Args) -> Result<(), CliError> {
    let text = read_message(std::io::stdin().lock())?;
    let code = sms::extract(&text).ok_or(CliError::NoSmsCode)?;
    if args.json {
        print(&format!("{}\n", to_json(&code)))
    } else {
        print(&format!("{}\n", code.code))
    }
}

/// The message from `input`: UTF-8 and at most [`MAX_MESSAGE`] bytes, or a one-line error.
pub fn read_message(input: impl Read) -> Result<String, CliError> {
    let mut bytes = Vec::new();
    input
        .take(MAX_MESSAGE as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(CliError::SmsStdin)?;
    if bytes.len() > MAX_MESSAGE {
        return Err(CliError::SmsTooLong);
    }
    String::from_utf8(bytes).map_err(|e| CliError::SmsNotUtf8(e.utf8_error().valid_up_to()))
}

pub fn to_json(code: &SmsCode) -> serde_json::Value {
    serde_json::json!({
        "code": code.code,
        "kind": code.kind.as_str(),
        "start": code.span_utf16.start,
        "end": code.span_utf16.end,
        "domain": code.domain,
    })
}
