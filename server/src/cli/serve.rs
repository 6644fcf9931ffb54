//! `latchkey serve`: parses the server's flags and hands over to [`crate::serve`].

use std::net::SocketAddr;
use std::path::PathBuf;

use super::CliError;
use crate::db::Target;
use crate::domain::E164;
use crate::serve::{self, Config, NumberSource};

const BEFORE_HELP: &str = "\
Runs the Latchkey workspace server: the JSON API the extension joins (/api/v1), the SMS webhook
(/webhooks/sms/twilio) and the SMTP listener for managed e-mail addresses. Stop it with Ctrl-C.";

const AFTER_HELP: &str = "\
Environment (kept out of the command line, where other users could read it):
  LATCHKEY_TWILIO_AUTH_TOKEN  the auth token that signs Twilio's webhooks and, with --numbers twilio,
                          authenticates to Twilio's API; without it, webhooks are checked against a token
                          derived from the server key, which nothing outside the server holds
  LATCHKEY_SERVER_KEY     the server key as 64 hex digits, instead of a key file
  LATCHKEY_SMTP_USERNAME, LATCHKEY_SMTP_PASSWORD
                          the account that sends verification e-mail through a TLS --smtp-url
  LATCHKEY_MAILGUN_SIGNING_KEY
                          Mailgun's webhook signing key: mail posted by a Mailgun route to
                          /webhooks/mail/mailgun/mime is accepted (refused without it)

The server key is the secret every server secret is derived from (the key that hashes e-mailed codes,
the local webhook token); it is never stored in the database, so a copy of the database alone reveals
no live code. Instances sharing one PostgreSQL database need the same key: copy the key file (mode
0600) or set the same LATCHKEY_SERVER_KEY; an instance with another key refuses to start.

The database's schema is created or updated at start. Exit status: 2 for a bad option,
3 when the database cannot be reached or opened, 4 when its schema cannot be brought up to date,
5 when the server key cannot be used (a key file others may read or write, a malformed key, or a key
that is not the one the database was set up with).";

pub const DEFAULT_ADDR: &str = "127.0.0.1:8787";
pub const DEFAULT_DATA_DIR: &str = "latchkey-data";

#[derive(Debug, clap::Args)]
#[command(
    before_help = BEFORE_HELP,
    after_help = AFTER_HELP,
    override_usage = "latchkey serve [OPTIONS]",
    help_template = "{usage-heading} {usage}\n\n{before-help}Options:\n{options}{after-help}\n"
)]
pub struct Args {
    /// where to listen (default: 127.0.0.1:8787; port 0 picks a free port)
    #[arg(long, value_name = "IP:PORT", allow_hyphen_values = true, value_parser = parse_addr)]
    addr: Option<SocketAddr>,
    /// where the server keeps its files, created if missing (default: ./latchkey-data);
    /// the database is the SQLite file DIR/latchkey.db unless --database-url is given
    #[arg(long, value_name = "DIR", allow_hyphen_values = true, value_parser = parse_data_dir, verbatim_doc_comment)]
    data_dir: Option<PathBuf>,
    /// use PostgreSQL instead: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE
    /// (several servers may share one database: give them all the same server key)
    #[arg(long, value_name = "URL", allow_hyphen_values = true, value_parser = parse_database_url, verbatim_doc_comment)]
    database_url: Option<String>,
    /// the server key file (default: DIR/server.key, created mode 0600 at first start);
    /// it must be readable and writable by its owner only
    #[arg(long, value_name = "PATH", allow_hyphen_values = true, value_parser = parse_key_file, verbatim_doc_comment)]
    key_file: Option<PathBuf>,
    /// the URL the world reaches this server at, as configured in Twilio's webhook
    /// (default: http://ADDR); webhook signatures are checked against it
    #[arg(long, value_name = "URL", allow_hyphen_values = true, value_parser = parse_public_url, verbatim_doc_comment)]
    public_url: Option<String>,
    /// where verification e-mail goes: smtp://HOST[:PORT] (plain, to a local or trusted
    /// relay), smtp+starttls://HOST[:PORT] (STARTTLS required, port 587) or
    /// smtps://HOST[:PORT] (TLS, port 465); credentials from LATCHKEY_SMTP_USERNAME and
    /// LATCHKEY_SMTP_PASSWORD or --smtp-credentials-file, never the URL; without it,
    /// e-mails go to DIR/outbox and are NOT sent
    #[arg(long, value_name = "URL", allow_hyphen_values = true, value_parser = parse_smtp_url, verbatim_doc_comment)]
    smtp_url: Option<String>,
    /// the domain of managed e-mail addresses (random local parts at it, one per account
    /// that wants one); without it, no addresses are given out
    #[arg(long, value_name = "DOMAIN", allow_hyphen_values = true, value_parser = parse_mail_domain, verbatim_doc_comment)]
    mail_domain: Option<crate::domain::MailDomain>,
    /// where the server receives mail for managed addresses over SMTP (default:
    /// 127.0.0.1:2525; `off` turns it off; port 0 picks a free port)
    #[arg(long, value_name = "IP:PORT|off", allow_hyphen_values = true, value_parser = parse_smtp_listen, verbatim_doc_comment)]
    smtp_listen: Option<SmtpListen>,
    /// the PEM certificate chain offered with STARTTLS on --smtp-listen (with
    /// --smtp-key; without them STARTTLS is not offered)
    #[arg(long, value_name = "PATH", allow_hyphen_values = true, verbatim_doc_comment)]
    smtp_cert: Option<PathBuf>,
    /// the PEM private key of --smtp-cert (keep it readable by the server's user only)
    #[arg(long, value_name = "PATH", allow_hyphen_values = true, verbatim_doc_comment)]
    smtp_key: Option<PathBuf>,
    /// the largest message the SMTP listener takes, in bytes (default: 4194304, 4 MiB)
    #[arg(long, value_name = "BYTES", allow_hyphen_values = true, value_parser = parse_smtp_max_bytes, verbatim_doc_comment)]
    smtp_max_bytes: Option<usize>,
    /// verify the sender of arriving mail (DKIM, SPF, DMARC) and keep the verdict with it:
    /// on (default) or off; never a gate, and never more than 2.5 s of DNS per message
    #[arg(long, value_name = "on|off", allow_hyphen_values = true, value_parser = parse_on_off, verbatim_doc_comment)]
    mail_auth: Option<bool>,
    /// the DNS server sender verification asks, IP or IP:PORT (default: the system's,
    /// from /etc/resolv.conf)
    #[arg(long, value_name = "IP[:PORT]", allow_hyphen_values = true, value_parser = parse_dns_server, verbatim_doc_comment)]
    dns_server: Option<SocketAddr>,
    /// a file holding the SMTP user name on its first line and the password on its second
    /// (readable by its owner only), instead of LATCHKEY_SMTP_USERNAME/PASSWORD
    #[arg(long, value_name = "PATH", allow_hyphen_values = true, verbatim_doc_comment)]
    smtp_credentials_file: Option<PathBuf>,
    /// PEM CA certificates to trust for the --smtp-url server instead of Mozilla's roots
    #[arg(long, value_name = "PATH", allow_hyphen_values = true, verbatim_doc_comment)]
    smtp_ca_file: Option<PathBuf>,
    /// the sender of verification e-mail (default: Latchkey <no-reply@latchkey.localhost>)
    #[arg(long, value_name = "ADDRESS", allow_hyphen_values = true)]
    mail_from: Option<String>,
    /// US numbers (+1…) the local pool gives to accounts, comma-separated
    #[arg(long, value_name = "LIST", allow_hyphen_values = true, value_parser = parse_pool_numbers)]
    pool_numbers: Option<PoolNumbers>,
    /// where managed numbers come from: pool (default: the --pool-numbers list) or
    /// twilio (bought through Twilio's REST API; needs --twilio-account-sid and
    /// LATCHKEY_TWILIO_AUTH_TOKEN)
    #[arg(long, value_name = "PROVIDER", allow_hyphen_values = true, value_parser = parse_provider, verbatim_doc_comment)]
    numbers: Option<Provider>,
    /// the Twilio account (AC and 32 hex digits): SMS webhooks naming another
    /// account are refused, and with --numbers twilio it buys the numbers; without it,
    /// only the local account AC000…0 (a local carrier such as latchkey-demo's) is accepted
    #[arg(long, value_name = "SID", allow_hyphen_values = true, value_parser = parse_account_sid, verbatim_doc_comment)]
    twilio_account_sid: Option<String>,
    /// Twilio's REST API (default: https://api.twilio.com; https needs a build with
    /// --features twilio-tls, or an http:// URL of a TLS-terminating proxy)
    #[arg(long, value_name = "URL", allow_hyphen_values = true, value_parser = parse_api_url, verbatim_doc_comment)]
    twilio_api_url: Option<String>,
    /// seed a demo workspace (users with Recovery Kits, a shared account, a managed number)
    /// and print how to sign in; its demo app is the separate latchkey-demo program.
    /// For trying Latchkey only, never a real workspace
    #[arg(long, verbatim_doc_comment)]
    demo: bool,
    /// the server sits behind a reverse proxy that appends the client's address to
    /// X-Forwarded-For: limits and approval prompts use that last address instead of
    /// the proxy's (off by default; never turn it on without such a proxy in front, or
    /// any client could claim any address)
    #[arg(long, verbatim_doc_comment)]
    trust_forwarded_for: bool,
    /// delete audit-log events older than DAYS (default: keep them forever); the chain stays
    /// verifiable from a checkpoint recorded at each pruning (`latchkey audit verify`)
    #[arg(long, value_name = "DAYS", allow_hyphen_values = true, value_parser = parse_retention, verbatim_doc_comment)]
    audit_retention_days: Option<u32>,
}

/// The SMTP account for outgoing mail: from `LATCHKEY_SMTP_USERNAME` and `LATCHKEY_SMTP_PASSWORD`,
/// or from `file` (user name, then password, one per line; owner-only, like the server key).
fn smtp_credentials(file: Option<&std::path::Path>) -> Result<Option<crate::mail::SmtpCredentials>, CliError> {
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let (user, password) = (env("LATCHKEY_SMTP_USERNAME"), env("LATCHKEY_SMTP_PASSWORD"));
    let from_env = match (user, password) {
        (Some(username), Some(password)) => Some(crate::mail::SmtpCredentials {
            username,
            password: zeroize::Zeroizing::new(password),
        }),
        (None, None) => None,
        _ => {
            return Err(CliError::Conflict(
                "LATCHKEY_SMTP_USERNAME and LATCHKEY_SMTP_PASSWORD go together: set both or neither",
            ))
        }
    };
    let Some(path) = file else {
        return Ok(from_env);
    };
    if from_env.is_some() {
        return Err(CliError::Conflict(
            "--smtp-credentials-file and LATCHKEY_SMTP_USERNAME/PASSWORD both give the SMTP account: keep one",
        ));
    }
    let bad = |why: String| CliError::BadSmtpCredentials(format!("{}: {why}", path.display()));
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::metadata(path).map_err(|e| bad(e.to_string()))?;
    if meta.permissions().mode() & 0o077 != 0 {
        return Err(bad("other users may read it; chmod 600 it".into()));
    }
    let text = zeroize::Zeroizing::new(std::fs::read_to_string(path).map_err(|e| bad(e.to_string()))?);
    let mut lines = text.lines();
    match (lines.next().map(str::trim), lines.next()) {
        (Some(username), Some(password)) if !username.is_empty() && !password.is_empty() => {
            Ok(Some(crate::mail::SmtpCredentials {
                username: username.to_string(),
                password: zeroize::Zeroizing::new(password.trim_end_matches('\r').to_string()),
            }))
        }
        _ => Err(bad(
            "it must hold the user name on its first line and the password on its second".into(),
        )),
    }
}

/// `--smtp-listen`: an address, or off.
#[derive(Debug, Clone, Copy)]
enum SmtpListen {
    At(SocketAddr),
    Off,
}

fn parse_smtp_listen(value: &str) -> Result<SmtpListen, CliError> {
    match value.trim() {
        "off" => Ok(SmtpListen::Off),
        other => other.parse().map(SmtpListen::At).map_err(|_| CliError::BadValue {
            flag: "--smtp-listen",
            expected: "IP:PORT such as 127.0.0.1:2525, or off",
            value: value.to_string(),
        }),
    }
}

fn parse_mail_domain(value: &str) -> Result<crate::domain::MailDomain, CliError> {
    crate::domain::MailDomain::parse(value).map_err(|_| CliError::BadValue {
        flag: "--mail-domain",
        expected: "a DNS name such as mail.example.com",
        value: value.to_string(),
    })
}

fn parse_smtp_max_bytes(value: &str) -> Result<usize, CliError> {
    value
        .trim()
        .parse::<usize>()
        .ok()
        .filter(|n| (1024..=crate::serve::smtp::MAX_MESSAGE_BYTES_LIMIT).contains(n))
        .ok_or(CliError::BadValue {
            flag: "--smtp-max-bytes",
            expected: "a number of bytes from 1024 to 67108864",
            value: value.to_string(),
        })
}

fn parse_on_off(value: &str) -> Result<bool, CliError> {
    match value.trim() {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => Err(CliError::BadValue {
            flag: "--mail-auth",
            expected: "on or off",
            value: value.to_string(),
        }),
    }
}

/// `--dns-server`: an IP (port 53) or IP:PORT.
fn parse_dns_server(value: &str) -> Result<SocketAddr, CliError> {
    let value = value.trim();
    value
        .parse::<SocketAddr>()
        .or_else(|_| value.parse::<std::net::IpAddr>().map(|ip| SocketAddr::new(ip, 53)))
        .map_err(|_| CliError::BadValue {
            flag: "--dns-server",
            expected: "an IP address or IP:PORT such as 127.0.0.1:5353",
            value: value.to_string(),
        })
}

/// `--pool-numbers`, parsed (a newtype so clap takes the whole list as one value).
#[derive(Debug, Clone)]
struct PoolNumbers(Vec<String>);

pub fn run(args: Args) -> Result<(), CliError> {
    let addr = match args.addr {
        Some(addr) => addr,
        None => parse_addr(DEFAULT_ADDR)?,
    };
    let data_dir = args.data_dir.unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR));
    let database = match args.database_url {
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
    if server_key_env.is_some() && args.key_file.is_some() {
        return Err(CliError::Conflict(
            "--key-file and LATCHKEY_SERVER_KEY both give the server key: keep one",
        ));
    }
    let number_source = match args.numbers.unwrap_or(Provider::Pool) {
        Provider::Pool => {
            if args.twilio_api_url.is_some() {
                return Err(CliError::Conflict("--twilio-api-url is for --numbers twilio"));
            }
            NumberSource::Pool
        }
        Provider::Twilio => {
            if args.pool_numbers.is_some() {
                return Err(CliError::Conflict(
                    "--pool-numbers is for --numbers pool: with --numbers twilio the numbers are bought from Twilio",
                ));
            }
            NumberSource::Twilio {
                account_sid: args.twilio_account_sid.clone().ok_or(CliError::MissingArgument {
                    command: "serve",
                    what: "--twilio-account-sid (the Twilio account that buys numbers) for --numbers twilio",
                })?,
                auth_token: twilio_auth_token.clone().ok_or(CliError::MissingArgument {
                    command: "serve",
                    what: "the Twilio auth token for --numbers twilio: set LATCHKEY_TWILIO_AUTH_TOKEN",
                })?,
                api_url: args
                    .twilio_api_url
                    .unwrap_or_else(|| crate::numbers::twilio::TWILIO_API.to_string()),
            }
        }
    };
    let smtp_credentials = smtp_credentials(args.smtp_credentials_file.as_deref())?;
    let smtp_tls = match (args.smtp_cert, args.smtp_key) {
        (Some(cert), Some(key)) => Some((cert, key)),
        (None, None) => None,
        _ => {
            return Err(CliError::Conflict(
                "--smtp-cert and --smtp-key go together: give both (the certificate chain and its key) or neither",
            ))
        }
    };
    let smtp_listen = match args.smtp_listen {
        Some(SmtpListen::At(addr)) => Some(addr),
        Some(SmtpListen::Off) => None,
        None => Some(parse_addr(crate::serve::smtp::DEFAULT_LISTEN)?),
    };
    if smtp_listen.is_none() && smtp_tls.is_some() {
        return Err(CliError::Conflict(
            "--smtp-cert and --smtp-key are for the SMTP listener, which --smtp-listen off turns off",
        ));
    }
    let mail_auth = args.mail_auth.unwrap_or(true);
    if !mail_auth && args.dns_server.is_some() {
        return Err(CliError::Conflict(
            "--dns-server is for sender verification, which --mail-auth off turns off",
        ));
    }
    Ok(serve::run(Config {
        mail_auth,
        dns_server: args.dns_server,
        mail_domain: args.mail_domain,
        smtp_listen,
        smtp_tls,
        smtp_max_bytes: args
            .smtp_max_bytes
            .unwrap_or(crate::serve::smtp::DEFAULT_MAX_MESSAGE_BYTES),
        mailgun_signing_key: std::env::var("LATCHKEY_MAILGUN_SIGNING_KEY")
            .ok()
            .filter(|k| !k.trim().is_empty()),
        addr,
        data_dir,
        database,
        public_url: args.public_url,
        smtp_url: args.smtp_url,
        mail_options: crate::mail::MailOptions {
            credentials: smtp_credentials,
            ca_file: args.smtp_ca_file,
        },
        mail_from: args.mail_from,
        pool_numbers: args.pool_numbers.map(|p| p.0).unwrap_or_default(),
        number_source,
        twilio_auth_token,
        twilio_account_sid: args.twilio_account_sid,
        server_key_env,
        key_file: args.key_file,
        demo: args.demo,
        trust_forwarded_for: args.trust_forwarded_for,
        audit_retention_days: args.audit_retention_days,
    })?)
}

#[derive(Debug, Clone, Copy)]
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
fn parse_pool_numbers(value: &str) -> Result<PoolNumbers, CliError> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|n| match E164::parse(n).filter(E164::is_us) {
            Some(number) => Ok(number.as_str().to_string()),
            None => Err(CliError::BadValue {
                flag: "--pool-numbers",
                expected: "US numbers such as +12025550142, separated by commas",
                value: n.to_string(),
            }),
        })
        .collect::<Result<_, _>>()
        .map(PoolNumbers)
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

/// Whole days, 1 to 36500.
fn parse_retention(value: &str) -> Result<u32, CliError> {
    value
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|d| (1..=36_500).contains(d))
        .ok_or_else(|| CliError::BadValue {
            flag: "--audit-retention-days",
            expected: "a whole number of days from 1 to 36500",
            value: value.to_string(),
        })
}

pub(super) fn parse_data_dir(value: &str) -> Result<PathBuf, CliError> {
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
pub(super) fn parse_database_url(value: &str) -> Result<String, CliError> {
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
