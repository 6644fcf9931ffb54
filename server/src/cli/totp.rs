//! `latchkey totp`: the code for a key or URI, the job people know from `oathtool --totp -b`.

use std::io::BufRead;
use std::time::{SystemTime, UNIX_EPOCH};

use latchkey_core::otp::{Algorithm, Kind, Otp, OtpError, MAX_DIGITS, MIN_DIGITS};

use super::{print, CliError};

/// What the command line asked for; `None` means "as the key or URI says".
#[derive(Debug, Default, clap::Args)]
#[command(
    before_help = "Prints the one-time code for a base32 secret key (spaces, dashes, lower case and padding are fine),\n\
             an otpauth:// URI or a steam://KEY. Options override what a URI says. Give - as SECRET_OR_URI to\n\
             read it from standard input, which keeps it out of shell history and the process list.",
    override_usage = "latchkey totp SECRET_OR_URI [--time UNIX] [--algorithm SHA1|SHA256|SHA512]\n                     \
                      [--digits N] [--period S] [--counter N]",
    help_template = "{usage-heading} {usage}\n\n{before-help}Options:\n{options}\n"
)]
pub struct Args {
    /// The key or URI (never repeated in messages: it is a secret)
    #[arg(value_name = "SECRET_OR_URI", hide = true)]
    pub input: String,
    /// The moment to compute the code for, in seconds since 1970 (default: now)
    #[arg(long, value_name = "UNIX", allow_hyphen_values = true, value_parser = parse_time)]
    pub time: Option<u64>,
    /// The HMAC hash: SHA1, SHA256 or SHA512 (default: SHA1, or the URI's)
    #[arg(long, value_name = "NAME", allow_hyphen_values = true, value_parser = parse_algorithm)]
    pub algorithm: Option<Algorithm>,
    /// The code length, usually 6 to 8 (default: 6, or the URI's)
    #[arg(long, value_name = "N", allow_hyphen_values = true, value_parser = parse_digits)]
    pub digits: Option<u32>,
    /// The seconds each code lasts (default: 30, or the URI's)
    #[arg(long, value_name = "S", allow_hyphen_values = true, value_parser = parse_period)]
    pub period: Option<u64>,
    /// The HOTP code for counter N instead (default for an hotp URI: its counter)
    #[arg(long, value_name = "N", allow_hyphen_values = true, value_parser = parse_counter)]
    pub counter: Option<u64>,
}

pub fn run(mut request: Args) -> Result<(), CliError> {
    if request.input == "-" {
        request.input = read_stdin()?;
    }
    print(&format!("{}\n", code(&request, now())?))
}

/// The code `request` asks for, with `now` as the default time.
pub fn code(request: &Args, now: u64) -> Result<String, CliError> {
    let mut otp = Otp::parse(&request.input)?;
    let time_flags = request.time.is_some() || request.period.is_some();
    match otp.kind {
        Kind::Steam if request.algorithm.is_some() || request.digits.is_some() || request.period.is_some() || request.counter.is_some() => {
            return Err(CliError::Conflict(
                "a Steam Guard key always gives 5 characters from SHA1 every 30 seconds: drop --algorithm, --digits, --period and --counter",
            ))
        }
        _ if request.counter.is_some() && time_flags => {
            return Err(CliError::Conflict(
                "--counter asks for an HOTP code and --time/--period for a TOTP code: give one or the other",
            ))
        }
        Kind::Hotp { .. } if time_flags => {
            return Err(CliError::Conflict("this is an HOTP (counter-based) key: use --counter N instead of --time and --period"))
        }
        _ => {}
    }
    if let Some(algorithm) = request.algorithm {
        otp.algorithm = algorithm;
    }
    if let Some(digits) = request.digits {
        otp.digits = digits;
    }
    if let Some(period) = request.period {
        otp.kind = Kind::Totp { period };
    }
    if let Some(counter) = request.counter {
        otp.kind = Kind::Hotp { counter };
    }
    Ok(otp.code_at(request.time.unwrap_or(now)))
}

fn parse_algorithm(value: &str) -> Result<Algorithm, CliError> {
    Ok(Algorithm::parse(value)?)
}

fn parse_time(value: &str) -> Result<u64, CliError> {
    value.trim().parse().map_err(|_| CliError::BadValue {
        flag: "--time",
        expected: "a Unix time in whole seconds (0 or more)",
        value: value.to_string(),
    })
}

fn parse_digits(value: &str) -> Result<u32, CliError> {
    let digits = value
        .trim()
        .parse()
        .ok()
        .filter(|d| (MIN_DIGITS..=MAX_DIGITS).contains(d));
    digits.ok_or_else(|| OtpError::InvalidDigits(value.to_string()).into())
}

fn parse_period(value: &str) -> Result<u64, CliError> {
    let period = value.trim().parse().ok().filter(|p| *p >= 1);
    period.ok_or_else(|| OtpError::InvalidPeriod(value.to_string()).into())
}

fn parse_counter(value: &str) -> Result<u64, CliError> {
    value
        .trim()
        .parse()
        .map_err(|_| OtpError::InvalidCounter(value.to_string()).into())
}

/// The first line of standard input (a key has no line breaks).
fn read_stdin() -> Result<String, CliError> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).map_err(CliError::Stdin)?;
    Ok(line)
}

fn now() -> u64 {
    // A clock before 1970 is a broken machine; 0 still gives a code rather than a panic.
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"; // RFC 6238's SHA1 key, "12345678901234567890"

    fn request(input: &str) -> Args {
        Args {
            input: input.into(),
            ..Args::default()
        }
    }

    #[test]
    fn rfc6238_vector_with_flags() {
        let r = Args {
            time: Some(59),
            digits: Some(8),
            ..request(KEY)
        };
        assert_eq!(code(&r, 0).unwrap(), "94287082");
    }

    #[test]
    fn flags_override_the_uri() {
        let uri = format!("otpauth://totp/X:y?secret={KEY}&digits=6&period=60");
        let r = Args {
            time: Some(59),
            digits: Some(8),
            period: Some(30),
            ..request(&uri)
        };
        assert_eq!(code(&r, 0).unwrap(), "94287082");
    }

    #[test]
    fn hotp_uri_uses_its_counter_and_counter_flag_overrides() {
        // RFC 4226 appendix D: counter 0 → 755224, counter 1 → 287082.
        let uri = format!("otpauth://hotp/x?secret={KEY}&counter=1");
        assert_eq!(code(&request(&uri), 0).unwrap(), "287082");
        assert_eq!(
            code(
                &Args {
                    counter: Some(0),
                    ..request(&uri)
                },
                0
            )
            .unwrap(),
            "755224"
        );
        assert_eq!(
            code(
                &Args {
                    counter: Some(0),
                    ..request(KEY)
                },
                0
            )
            .unwrap(),
            "755224"
        );
    }

    #[test]
    fn conflicting_flags_are_refused() {
        let hotp = format!("otpauth://hotp/x?secret={KEY}");
        assert!(matches!(
            code(
                &Args {
                    time: Some(1),
                    ..request(&hotp)
                },
                0
            ),
            Err(CliError::Conflict(_))
        ));
        assert!(matches!(
            code(
                &Args {
                    time: Some(1),
                    counter: Some(1),
                    ..request(KEY)
                },
                0
            ),
            Err(CliError::Conflict(_))
        ));
        assert!(matches!(
            code(
                &Args {
                    digits: Some(6),
                    ..request("steam://ABCDEFGH")
                },
                0
            ),
            Err(CliError::Conflict(_))
        ));
    }

    #[test]
    fn steam_gives_five_characters() {
        assert_eq!(code(&request("steam://ABCDEFGH"), 1_700_000_000).unwrap().len(), 5);
    }
}
