//! Sender verification of arriving mail: DKIM, SPF and DMARC (by the `mail-auth` crate), kept as
//! a verdict beside the sealed message so the inbox can show a verified sender.
//!
//! The verdict is information, never a gate: mail is stored whatever it says, and DNS can never
//! hold intake up. All of a message's lookups share one deadline ([`BUDGET`]); whatever is not
//! decided by then is `temperror`. Over SMTP all three are checked (the client's IP, HELO and
//! `MAIL FROM` are known there). Through the Mailgun webhook only DKIM can be: it covers the raw
//! message, while SPF is about the connection Mailgun received, which the post does not show us
//! (its own `X-Mailgun-Spf` header is Mailgun's claim, not something we can check), so SPF is
//! `unchecked` there and DMARC passes only through aligned DKIM (else `unchecked`).
//!
//! **Verified sender** ([`Verdict::verified`]) means: the author's domain (the `From:` header's)
//! is proven, by DMARC passing, or by a passing DKIM signature whose `d=` domain aligns with it
//! (the same domain, or one a subdomain of the other) when the domain publishes no DMARC record.
//! A valid signature of another domain (anyone can sign their own mail) is not.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use mail_auth::hickory_resolver::config::{NameServerConfig, ResolverConfig, ResolverOpts};
use mail_auth::spf::verify::SpfParameters;
use mail_auth::{
    AuthenticatedMessage, DkimOutput, DkimResult, DmarcOutput, DmarcResult, MessageAuthenticator, SpfOutput, SpfResult,
};
use thiserror::Error;
use tokio::time::Instant;

/// The most one message's verification may take, all lookups together: past it, intake goes on
/// with `temperror` for what is left.
pub const BUDGET: Duration = Duration::from_millis(2500);
/// One DNS query: a second try fits in the budget.
const QUERY_TIMEOUT: Duration = Duration::from_millis(1000);

#[derive(Debug, Error)]
pub enum MailAuthError {
    #[error(
        "cannot read the system's DNS configuration ({0}) for sender verification: give --dns-server IP[:PORT], or turn verification off with --mail-auth off"
    )]
    SystemConfig(String),
    #[error("cannot set up the DNS resolver for sender verification: {0}")]
    Resolver(String),
}

/// One mechanism's result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Pass,
    /// Checked and not passed: a signature that does not verify (altered, wrong key, no key),
    /// an IP the domain does not authorize (`-all` or `~all`), a broken record, or a DMARC
    /// policy the message does not meet.
    Fail,
    /// Nothing to check: no signature, no SPF record, no DMARC record.
    None,
    /// DNS failed or the deadline passed: neither pass nor fail.
    TempError,
    /// Not checkable on this path (SPF and, but for aligned DKIM, DMARC from a webhook).
    Unchecked,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::None => "none",
            Outcome::TempError => "temperror",
            Outcome::Unchecked => "unchecked",
        }
    }

    pub fn parse(value: &str) -> Option<Outcome> {
        Some(match value {
            "pass" => Outcome::Pass,
            "fail" => Outcome::Fail,
            "none" => Outcome::None,
            "temperror" => Outcome::TempError,
            "unchecked" => Outcome::Unchecked,
            _ => return None,
        })
    }
}

/// What was verified about a message's sender.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub dkim: Outcome,
    pub spf: Outcome,
    pub dmarc: Outcome,
    /// The domain that was authenticated, lower case: the author's (`From:`) domain when
    /// verified, else the `d=` of a passing signature, else the SPF-authorized `MAIL FROM`
    /// domain; none when nothing passed.
    pub domain: Option<String>,
    /// The author's domain is proven (see the module's comment): the inbox's "verified sender".
    pub verified: bool,
}

impl Verdict {
    /// Everything `temperror` (no DNS answer in time).
    fn temperror(spf: Outcome) -> Verdict {
        Verdict {
            dkim: Outcome::TempError,
            spf,
            dmarc: Outcome::TempError,
            domain: None,
            verified: false,
        }
    }
}

/// What the SMTP session knows of the sending client.
pub struct Connection<'a> {
    pub peer: SocketAddr,
    /// The EHLO/HELO name.
    pub helo: &'a str,
    /// The envelope sender (empty for a bounce).
    pub mail_from: &'a str,
}

/// The verifier (`--mail-auth on`, the default): one resolver for the server's life.
pub struct MailAuth {
    authenticator: Arc<MessageAuthenticator>,
    /// Our name, for SPF's `%{r}` macro.
    host: String,
}

impl MailAuth {
    /// The resolver at `dns_server` (`--dns-server`), or the system's (`/etc/resolv.conf`).
    pub fn new(dns_server: Option<SocketAddr>, host: &str) -> Result<MailAuth, MailAuthError> {
        let mut options = ResolverOpts::default();
        options.timeout = QUERY_TIMEOUT;
        options.attempts = 1;
        let config = match dns_server {
            Some(addr) => {
                let mut server = NameServerConfig::udp_and_tcp(addr.ip());
                for connection in &mut server.connections {
                    connection.port = addr.port();
                }
                ResolverConfig::from_name_servers(vec![server])
            }
            None => {
                let (config, system) = mail_auth::hickory_resolver::system_conf::read_system_conf()
                    .map_err(|e| MailAuthError::SystemConfig(e.to_string()))?;
                options.ndots = system.ndots;
                config
            }
        };
        let authenticator =
            MessageAuthenticator::new(config, options).map_err(|e| MailAuthError::Resolver(e.to_string()))?;
        Ok(MailAuth {
            authenticator: Arc::new(authenticator),
            host: host.to_string(),
        })
    }

    /// DKIM, SPF (the `MAIL FROM` identity, or HELO's for a bounce) and DMARC of a message
    /// received over SMTP, within [`BUDGET`].
    pub async fn verify_smtp(&self, raw: &[u8], connection: &Connection<'_>) -> Verdict {
        let deadline = Instant::now() + BUDGET;
        let Some(message) = AuthenticatedMessage::parse(raw) else {
            return not_a_message(Outcome::None);
        };
        let auth = &self.authenticator;
        let Ok(dkim) = tokio::time::timeout_at(deadline, auth.verify_dkim(&message)).await else {
            return Verdict::temperror(Outcome::TempError);
        };
        let ip: IpAddr = canonical(connection.peer.ip());
        let (spf_domain, spf_params) = if connection.mail_from.contains('@') {
            let params = SpfParameters::verify_mail_from(ip, connection.helo, &self.host, connection.mail_from);
            (domain_of(connection.mail_from), params)
        } else {
            (
                connection.helo.to_ascii_lowercase(),
                SpfParameters::verify_ehlo(ip, connection.helo, &self.host),
            )
        };
        let spf = match tokio::time::timeout_at(deadline, auth.verify_spf(spf_params)).await {
            Ok(spf) => spf,
            Err(_) => return decide(&message, &dkim, None, None),
        };
        let dmarc = tokio::time::timeout_at(
            deadline,
            auth.verify_dmarc(mail_auth::dmarc::verify::DmarcParameters::new(
                &message,
                &dkim,
                &spf_domain,
                &spf,
            )),
        )
        .await
        .ok();
        decide(&message, &dkim, Some((&spf, &spf_domain)), dmarc.as_ref())
    }

    /// DKIM (and DMARC through aligned DKIM) of a message posted by a webhook, within [`BUDGET`].
    pub async fn verify_dkim_only(&self, raw: &[u8]) -> Verdict {
        let deadline = Instant::now() + BUDGET;
        let Some(message) = AuthenticatedMessage::parse(raw) else {
            return not_a_message(Outcome::Unchecked);
        };
        let auth = &self.authenticator;
        let Ok(dkim) = tokio::time::timeout_at(deadline, auth.verify_dkim(&message)).await else {
            return Verdict::temperror(Outcome::Unchecked);
        };
        // SPF "none" for the MAIL FROM domain "": DMARC then weighs DKIM alone.
        let no_spf = SpfOutput::new(String::new()).with_result(SpfResult::None);
        let dmarc = tokio::time::timeout_at(
            deadline,
            auth.verify_dmarc(mail_auth::dmarc::verify::DmarcParameters::new(
                &message, &dkim, "", &no_spf,
            )),
        )
        .await
        .ok();
        let mut verdict = decide(&message, &dkim, None, dmarc.as_ref());
        verdict.spf = Outcome::Unchecked;
        if verdict.dmarc == Outcome::Fail {
            // Without SPF a DMARC failure is not established (SPF might have aligned).
            verdict.dmarc = Outcome::Unchecked;
        }
        verdict
    }
}

/// Bytes that do not parse as a message: nothing to verify.
fn not_a_message(spf: Outcome) -> Verdict {
    Verdict {
        dkim: Outcome::None,
        spf,
        dmarc: Outcome::None,
        domain: None,
        verified: false,
    }
}

/// An IPv4 client reached over an IPv6 socket (`::ffff:a.b.c.d`) is checked as IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

fn domain_of(address: &str) -> String {
    address.rsplit_once('@').map_or("", |(_, d)| d).to_ascii_lowercase()
}

/// Equal, or one a subdomain of the other (relaxed alignment without a public-suffix list: only
/// a domain's owner can publish a key or a record under it, so either direction is safe).
fn aligned(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim_end_matches('.'), b.trim_end_matches('.'));
    !a.is_empty()
        && !b.is_empty()
        && (a.eq_ignore_ascii_case(b)
            || a.to_ascii_lowercase()
                .ends_with(&format!(".{}", b.to_ascii_lowercase()))
            || b.to_ascii_lowercase()
                .ends_with(&format!(".{}", a.to_ascii_lowercase())))
}

/// DKIM over all signatures: pass if one passes, else temperror if one could not be fetched,
/// else fail if there was any, else none.
fn dkim_outcome(dkim: &[DkimOutput<'_>]) -> Outcome {
    if dkim.is_empty() {
        return Outcome::None;
    }
    if dkim.iter().any(|o| *o.result() == DkimResult::Pass) {
        Outcome::Pass
    } else if dkim.iter().any(|o| matches!(o.result(), DkimResult::TempError(_))) {
        Outcome::TempError
    } else if dkim.iter().all(|o| *o.result() == DkimResult::None) {
        Outcome::None
    } else {
        Outcome::Fail
    }
}

fn spf_outcome(spf: &SpfOutput) -> Outcome {
    match spf.result() {
        SpfResult::Pass => Outcome::Pass,
        SpfResult::Fail | SpfResult::SoftFail | SpfResult::PermError => Outcome::Fail,
        SpfResult::Neutral | SpfResult::None => Outcome::None,
        SpfResult::TempError => Outcome::TempError,
    }
}

fn dmarc_outcome(dmarc: &DmarcOutput) -> Outcome {
    let results = [dmarc.dkim_result(), dmarc.spf_result()];
    if results.contains(&&DmarcResult::Pass) {
        Outcome::Pass
    } else if results.iter().any(|r| matches!(r, DmarcResult::TempError(_))) {
        Outcome::TempError
    } else if dmarc.dmarc_record().is_some() || results.iter().any(|r| matches!(r, DmarcResult::PermError(_))) {
        Outcome::Fail
    } else {
        Outcome::None
    }
}

/// The verdict from what was checked in time (`None`: the deadline passed first).
fn decide(
    message: &AuthenticatedMessage<'_>,
    dkim: &[DkimOutput<'_>],
    spf: Option<(&SpfOutput, &str)>,
    dmarc: Option<&DmarcOutput>,
) -> Verdict {
    // The author: a message with several From domains has none (DMARC exempts it as well).
    let mut froms = message.froms().iter().map(|f| domain_of(f));
    let author = froms
        .next()
        .filter(|first| !first.is_empty() && froms.all(|d| d == *first));
    let passing: Vec<String> = dkim
        .iter()
        .filter(|o| *o.result() == DkimResult::Pass)
        .filter_map(|o| o.signature().map(|s| s.d.to_ascii_lowercase()))
        .collect();
    let dkim_aligned = author
        .as_deref()
        .is_some_and(|author| passing.iter().any(|d| aligned(d, author)));
    let spf_result = spf.map_or(Outcome::TempError, |(spf, _)| spf_outcome(spf));
    let dmarc_result = dmarc.map_or(Outcome::TempError, dmarc_outcome);
    let verified =
        author.is_some() && (dmarc_result == Outcome::Pass || (dkim_aligned && matches!(dmarc_result, Outcome::None)));
    let domain = if verified {
        author
    } else {
        passing.first().cloned().or_else(|| {
            spf.filter(|(spf, _)| spf.result() == SpfResult::Pass)
                .map(|(_, domain)| domain.to_string())
        })
    };
    Verdict {
        dkim: dkim_outcome(dkim),
        spf: spf_result,
        dmarc: dmarc_result,
        domain,
        verified,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alignment_is_the_same_domain_or_a_subdomain_never_a_lookalike() {
        assert!(aligned("example.com", "Example.COM"));
        assert!(aligned("mail.example.com", "example.com"));
        assert!(aligned("example.com", "em.example.com"));
        assert!(!aligned("badexample.com", "example.com"));
        assert!(!aligned("example.com.evil.test", "example.com"));
        assert!(!aligned("", "example.com"));
    }

    #[test]
    fn outcomes_round_trip_through_their_stored_names() {
        for o in [
            Outcome::Pass,
            Outcome::Fail,
            Outcome::None,
            Outcome::TempError,
            Outcome::Unchecked,
        ] {
            assert_eq!(Outcome::parse(o.as_str()), Some(o));
        }
        assert_eq!(Outcome::parse("softfail"), None);
    }

    #[test]
    fn an_ipv4_client_on_an_ipv6_socket_is_checked_as_ipv4() {
        let mapped: IpAddr = "::ffff:192.0.2.1".parse().unwrap();
        assert_eq!(canonical(mapped), "192.0.2.1".parse::<IpAddr>().unwrap());
        let v6: IpAddr = "2001:db8::1".parse().unwrap();
        assert_eq!(canonical(v6), v6);
    }

    #[test]
    fn spf_maps_softfail_and_permerror_to_fail_and_neutral_to_none() {
        let out = |r| spf_outcome(&SpfOutput::new("example.com".into()).with_result(r));
        assert_eq!(out(SpfResult::Pass), Outcome::Pass);
        assert_eq!(out(SpfResult::SoftFail), Outcome::Fail);
        assert_eq!(out(SpfResult::PermError), Outcome::Fail);
        assert_eq!(out(SpfResult::Neutral), Outcome::None);
        assert_eq!(out(SpfResult::TempError), Outcome::TempError);
    }
}
