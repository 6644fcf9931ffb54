//! `latchkey mail-code`: the verification code in one raw e-mail read on standard input.

use std::io::Read;

use latchkey_core::mail::{self, Found, Mail};

use super::{print, CliError};

#[derive(Debug, clap::Args)]
#[command(
    before_help = "Reads one raw e-mail (an .eml file: headers, a blank line, the MIME body; at most 32 MiB) on standard\n\
                   input and prints the verification code in its subject or body, as a person would type it (123456\n\
                   for \"123 456\"). HTML is read as text, never rendered. Exits 1, printing nothing, when the message\n\
                   has no code; 2 for input that is not an e-mail or too long.",
    override_usage = "latchkey mail-code [--json] < MESSAGE.eml",
    help_template = "{usage-heading} {usage}\n\n{before-help}Options:\n{options}\n"
)]
pub struct Args {
    /// Print {"code","kind","in","start","end","domain","links"}: kind is numeric or
    /// alphanumeric, in is subject or text (the body as plain text), start..end is where the
    /// code is written in that field, in UTF-16 code units (as JavaScript counts), domain is the
    /// site of a domain-bound line (@site #code) or null, and links are the verification links
    /// ({"url","start","end"}, spans in the text)
    #[arg(long, verbatim_doc_comment)]
    pub json: bool,
}

pub fn run(args: Args) -> Result<(), CliError> {
    let raw = read_message(std::io::stdin().lock())?;
    let (mail, found) = mail::read_and_extract(&raw).map_err(CliError::NotMail)?;
    let found = found.ok_or(CliError::NoMailCode)?;
    if args.json {
        print(&format!("{}\n", to_json(&mail, &found)))
    } else {
        print(&format!("{}\n", found.code.code))
    }
}

/// The raw message from `input`, at most [`mail::MAX_BYTES`], or a one-line error.
pub fn read_message(input: impl Read) -> Result<Vec<u8>, CliError> {
    let mut bytes = Vec::new();
    input
        .take(mail::MAX_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(CliError::MailStdin)?;
    if bytes.len() > mail::MAX_BYTES {
        return Err(CliError::MailTooLong);
    }
    Ok(bytes)
}

pub fn to_json(mail: &Mail, found: &Found) -> serde_json::Value {
    let links: Vec<_> = mail
        .links
        .iter()
        .map(|l| serde_json::json!({"url": l.url, "start": l.span_utf16.start, "end": l.span_utf16.end}))
        .collect();
    serde_json::json!({
        "code": found.code.code,
        "kind": found.code.kind.as_str(),
        "in": found.field.as_str(),
        "start": found.code.span_utf16.start,
        "end": found.code.span_utf16.end,
        "domain": found.code.domain,
        "links": links,
    })
}
