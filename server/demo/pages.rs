//! The HTML of every demo page. Each dynamic value passes through [`escape_html`]; everything
//! else is a literal here. Styles and the one script are inline and allowed by hash in the CSP.

use std::sync::LazyLock;

use super::store::SentTo;
use super::{Notice, NoticeKind, ISSUER};
use latchkey::serve::html::{csp_hash, escape_html};

/// The Content-Security-Policy of every demo page: nothing external, only our inline style and
/// script, forms posting back to this origin.
pub fn csp() -> &'static str {
    static CSP: LazyLock<String> = LazyLock::new(|| {
        format!(
            "default-src 'none'; style-src {}; script-src {}; form-action 'self'; base-uri 'none'",
            csp_hash(STYLE),
            csp_hash(SEGMENTED_SCRIPT)
        )
    });
    &CSP
}

const STYLE: &str = r#"
:root{color-scheme:light dark;--bg:#f3f5f9;--card:#fff;--text:#172033;--muted:#5a6578;--line:#d9dfe8;--field:#fff;
--accent:#2453d4;--accent-hover:#1c43ad;--on-accent:#fff;--danger:#b42318;--danger-bg:#fdecea;--ok:#067647;--ok-bg:#e7f6ee;--soft:#eef2f8}
@media (prefers-color-scheme:dark){:root{--bg:#0e131b;--card:#161d28;--text:#e6ebf3;--muted:#97a3b6;--line:#2b3546;--field:#10161f;
--accent:#6a95ff;--accent-hover:#8aadff;--on-accent:#0b1020;--danger:#ff9b8f;--danger-bg:#3a1d1b;--ok:#74e0a8;--ok-bg:#12301f;--soft:#1d2533}}
*{box-sizing:border-box}
html{background:var(--bg)}
body{margin:0;min-height:100vh;display:flex;flex-direction:column;align-items:center;color:var(--text);
font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
header{width:100%;max-width:460px;padding:40px 20px 18px}
.brand{display:inline-flex;align-items:center;gap:10px;color:inherit;text-decoration:none;font-weight:700;font-size:18px;letter-spacing:-.01em}
main{width:calc(100% - 32px);max-width:460px;background:var(--card);border:1px solid var(--line);border-radius:16px;padding:32px;
box-shadow:0 1px 2px rgba(16,24,40,.05),0 12px 32px rgba(16,24,40,.08)}
h1{font-size:24px;line-height:1.25;margin:0 0 8px;letter-spacing:-.02em;overflow-wrap:anywhere}
h2{font-size:16px;margin:0 0 4px}
p{margin:0 0 16px;color:var(--muted)}
a{color:var(--accent)}
label,legend{display:block;font-weight:600;font-size:14px;margin:18px 0 6px;padding:0}
input{width:100%;padding:11px 12px;font:inherit;color:inherit;background:var(--field);border:1px solid var(--line);border-radius:10px}
input:focus{outline:2px solid var(--accent);outline-offset:-1px}
#otp,#code{font-size:22px;letter-spacing:.3em;font-variant-numeric:tabular-nums}
button,.button{display:block;width:100%;margin-top:22px;padding:12px 16px;font:inherit;font-weight:600;text-align:center;text-decoration:none;
color:var(--on-accent);background:var(--accent);border:1px solid transparent;border-radius:10px;cursor:pointer}
button:hover,.button:hover{background:var(--accent-hover)}
.secondary,.secondary:hover{color:var(--text);background:transparent;border-color:var(--line)}
.secondary:hover{background:var(--soft)}
.button+.button{margin-top:10px}
form+form{margin-top:0}
.notice{padding:10px 14px;border-radius:10px;margin:0 0 18px;font-size:14px}
.notice.error{color:var(--danger);background:var(--danger-bg)}
.notice.info{color:var(--ok);background:var(--ok-bg)}
.hint{font-size:14px;margin:8px 0 0}
.switch{margin:22px 0 0;text-align:center;font-size:14px}
.panel{margin:24px 0 4px;padding:18px;border:1px solid var(--line);border-radius:12px}
.panel p{margin:0}
.panel button,.panel .button{margin-top:16px}
#twofa-status{color:var(--text)}
.field-title{font-weight:600;font-size:14px;color:var(--text);margin:18px 0 6px}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
#qr svg{display:block;margin:8px 0;width:220px;height:220px}
#backup-codes{columns:2;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;margin:12px 0}
#secret{display:block;padding:12px 14px;font-size:17px;letter-spacing:.05em;word-spacing:.35em;background:var(--soft);border-radius:10px;color:var(--text)}
#otpauth-uri{display:block;padding:10px 14px;font-size:12px;line-height:1.6;word-break:break-all;background:var(--soft);border-radius:10px;color:var(--muted)}
fieldset{border:0;margin:0;padding:0;min-width:0}
.boxes{display:flex;gap:8px;justify-content:space-between}
.boxes input{width:100%;max-width:54px;height:60px;padding:0;text-align:center;font-size:26px;font-variant-numeric:tabular-nums}
footer{max-width:460px;padding:22px 20px 48px;color:var(--muted);font-size:13px;text-align:center}
"#;

/// Moves focus along the six boxes as one types, back on Backspace, and spreads a pasted code.
pub const SEGMENTED_SCRIPT: &str = r#"
(() => {
  const boxes = Array.from(document.querySelectorAll('.boxes input'));
  const spread = (from, digits) => {
    digits.slice(0, boxes.length - from).forEach((d, i) => { boxes[from + i].value = d; });
    boxes[Math.min(from + digits.length, boxes.length) - 1].focus();
  };
  boxes.forEach((box, i) => {
    box.addEventListener('input', () => {
      const digits = box.value.replace(/\D/g, '').split('');
      if (digits.length > 1) { spread(i, digits); return; }
      box.value = digits.join('');
      if (box.value && i + 1 < boxes.length) boxes[i + 1].focus();
    });
    box.addEventListener('keydown', (e) => {
      if (e.key === 'Backspace' && !box.value && i > 0) boxes[i - 1].focus();
    });
    box.addEventListener('paste', (e) => {
      const digits = (e.clipboardData ? e.clipboardData.getData('text') : '').replace(/\D/g, '').split('');
      if (digits.length > 1) { e.preventDefault(); spread(i, digits); }
    });
  });
})();
"#;

const LOGO: &str = r##"<svg width="30" height="30" viewBox="0 0 30 30" aria-hidden="true"><rect width="30" height="30" rx="8" fill="#2453d4"/><path d="M9.5 20.5a4.5 4.5 0 0 1-.4-9 6 6 0 0 1 11.5 1.6 3.7 3.7 0 0 1-.6 7.4z" fill="#fff"/><path d="M8 23.5h10" stroke="#9fb8ff" stroke-width="1.6" stroke-linecap="round"/></svg>"##;

fn layout(title: &str, body: &str, script: Option<&str>) -> String {
    let script = script.map(|s| format!("<script>{s}</script>\n")).unwrap_or_default();
    format!(
        r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · {issuer}</title>
<style>{STYLE}</style>
</head>
<body>
<header><a class="brand" href="/demo/">{LOGO}<span>{issuer}</span></a></header>
<main>
{body}</main>
<footer>{issuer} is a fictional app served by <code>latchkey serve</code> for trying Latchkey.<br>Accounts are kept in memory and reset when the server restarts.</footer>
{script}</body>
</html>
"#,
        title = escape_html(title),
        issuer = escape_html(ISSUER),
    )
}

fn notice(notice: Option<&Notice>) -> String {
    let Some(n) = notice else { return String::new() };
    let (class, role) = match n.kind {
        NoticeKind::Error => ("error", "alert"),
        NoticeKind::Info => ("info", "status"),
    };
    format!(
        "<p class=\"notice {class}\" role=\"{role}\">{}</p>\n",
        escape_html(&n.text)
    )
}

fn csrf_field(csrf: &str) -> String {
    format!("<input type=\"hidden\" name=\"csrf\" value=\"{}\">", escape_html(csrf))
}

pub fn home(signed_in_as: Option<&str>) -> String {
    let actions = match signed_in_as {
        Some(email) => format!(
            "<p>You are signed in as <strong>{}</strong>.</p>\n<a class=\"button\" href=\"/demo/account\">Go to your account</a>\n",
            escape_html(email)
        ),
        None => "<a class=\"button\" href=\"/demo/login\">Sign in</a>\n\
                 <a class=\"button secondary\" href=\"/demo/signup\">Create an account</a>\n"
            .to_string(),
    };
    let body = format!(
        "<h1>Files, projects and invoices for small teams</h1>\n\
         <p>Northwind Cloud keeps your team's work in one place. Create an account, turn on two-factor \
         authentication, and try signing in with Latchkey filling the code.</p>\n{actions}"
    );
    layout("Home", &body, None)
}

pub fn signup(csrf: &str, email: &str, message: Option<&Notice>) -> String {
    let body = format!(
        r#"<h1>Create your account</h1>
<p>All you need is an e-mail address and a password.</p>
{notice}<form method="post" action="/demo/signup">
{csrf}
<label for="email">E-mail address</label>
<input id="email" name="email" type="email" autocomplete="username" value="{email}" required>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="new-password" minlength="8" required>
<p class="hint">At least 8 characters.</p>
<button type="submit">Create account</button>
</form>
<p class="switch">Already have an account? <a href="/demo/login">Sign in</a></p>
"#,
        notice = notice(message),
        csrf = csrf_field(csrf),
        email = escape_html(email),
    );
    layout("Create your account", &body, None)
}

pub fn login(csrf: &str, email: &str, message: Option<&Notice>) -> String {
    let body = format!(
        r#"<h1>Sign in</h1>
<p>Welcome back to Northwind Cloud.</p>
{notice}<form id="sign-in" method="post" action="/demo/login">
{csrf}
<label for="email">E-mail address</label>
<input id="email" name="email" type="email" autocomplete="username" value="{email}" required>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
<p class="switch">New to Northwind Cloud? <a href="/demo/signup">Create an account</a></p>
"#,
        notice = notice(message),
        csrf = csrf_field(csrf),
        email = escape_html(email),
    );
    layout("Sign in", &body, None)
}

/// The code step of a sign-in: one field, or with `segmented` six one-digit boxes.
/// `texted_to`: the number the code was texted to, for text-message verification.
pub fn verify(csrf: &str, segmented: bool, sent_to: Option<&SentTo>, message: Option<&Notice>) -> String {
    let instructions = match sent_to {
        Some(SentTo::Phone(number)) => format!(
            "Enter the 6-digit code we texted to your phone number ending in {}.",
            escape_html(last_digits(number))
        ),
        Some(SentTo::Email(address)) => format!("Enter the 6-digit code we e-mailed to {}.", escape_html(address)),
        None => "Enter the 6-digit code from your authenticator app.".to_string(),
    };
    let (action, field) = if segmented {
        let boxes: String = (1..=6)
            .map(|i| {
                let autocomplete = if i == 1 { "one-time-code" } else { "off" };
                format!("<input name=\"d{i}\" maxlength=\"1\" inputmode=\"numeric\" autocomplete=\"{autocomplete}\" aria-label=\"Digit {i} of 6\">\n")
            })
            .collect();
        (
            "/demo/login/verify?ui=segmented",
            format!(
                "<fieldset>\n<legend>Authentication code</legend>\n<div class=\"boxes\">\n{boxes}</div>\n</fieldset>"
            ),
        )
    } else {
        (
            "/demo/login/verify",
            "<label for=\"otp\">Authentication code</label><input id=\"otp\" name=\"otp\" type=\"text\" autocomplete=\"one-time-code\" inputmode=\"numeric\" pattern=\"[0-9]*\" maxlength=\"6\">".to_string(),
        )
    };
    let body = format!(
        r#"<h1>Two-step verification</h1>
<p id="verify-instructions">{instructions}</p>
{notice}<form method="post" action="{action}">
{csrf}
{field}
<button type="submit">Verify</button>
</form>
<p class="switch"><a href="/demo/login">Sign in as someone else</a></p>
"#,
        notice = notice(message),
        csrf = csrf_field(csrf),
    );
    layout("Two-step verification", &body, segmented.then_some(SEGMENTED_SCRIPT))
}

pub fn account(
    csrf: &str,
    email: &str,
    two_factor: bool,
    sent_to: Option<&SentTo>,
    message: Option<&Notice>,
) -> String {
    let how = match sent_to {
        Some(SentTo::Phone(number)) => format!(
            "Signing in asks for a code we text to your phone number ending in {}.",
            escape_html(last_digits(number))
        ),
        Some(SentTo::Email(address)) => format!("Signing in asks for a code we e-mail to {}.", escape_html(address)),
        None => "Signing in asks for a code from your authenticator app.".to_string(),
    };
    let security = if two_factor {
        format!(
            r#"<p id="twofa-status">Two-factor authentication: <strong>On</strong></p>
<p class="hint">{how}</p>
<form method="post" action="/demo/account/2fa/off">
{}
<button type="submit" class="secondary">Turn off two-factor authentication</button>
</form>
"#,
            csrf_field(csrf)
        )
    } else {
        r#"<p id="twofa-status">Two-factor authentication: <strong>Off</strong></p>
<p class="hint">Protect your account with a second step: a 6-digit code from an authenticator app.</p>
<a class="button" href="/demo/account/2fa">Turn on two-factor authentication</a>
"#
        .to_string()
    };
    let body = format!(
        r#"<h1>Welcome, {email}</h1>
<p>This is your Northwind Cloud account.</p>
{notice}<section class="panel">
<h2>Security</h2>
{security}</section>
<p class="switch"><a href="/demo/account/profile">Profile and phone number</a></p>
<form method="post" action="/demo/logout">
{csrf}
<button type="submit" class="secondary">Sign out</button>
</form>
"#,
        email = escape_html(email),
        notice = notice(message),
        csrf = csrf_field(csrf),
    );
    layout("Your account", &body, None)
}

/// The otpauth URI as an inline SVG QR code (dark modules on white, with the quiet zone).
fn qr_svg(uri: &str) -> String {
    match qrcode::QrCode::new(uri.as_bytes()) {
        Ok(code) => {
            let svg = code
                .render::<qrcode::render::svg::Color>()
                .min_dimensions(220, 220)
                .build();
            // Inline in the page: no XML declaration.
            svg.split_once("?>").map_or(svg.clone(), |(_, rest)| rest.to_string())
        }
        // Only a URI too long for any QR version fails: the key and link below still work.
        Err(_) => String::new(),
    }
}

/// Two-factor setup: the key (grouped in fours, as apps show it), its URI, and the confirm form.
pub fn setup(
    csrf: &str,
    secret_base32: &str,
    uri: &str,
    verified_phone: Option<&str>,
    message: Option<&Notice>,
    secret_id: &str,
) -> String {
    let verified = match verified_phone {
        Some(number) => format!(
            r#"<p class="field-title">Or text codes to your verified number</p>
<form id="use-verified-number" method="post" action="/demo/account/2fa/sms-verified">
{csrf}
<p class="hint">Codes go to your profile's number ending in {last}.</p>
<button type="submit" class="secondary">Text codes to my verified number</button>
</form>
"#,
            csrf = csrf_field(csrf),
            last = escape_html(last_digits(number)),
        ),
        None => String::new(),
    };
    let body = format!(
        r#"<h1>Set up two-factor authentication</h1>
<p>Add this key to your authenticator app, then enter the 6-digit code it shows.</p>
{notice}<p class="field-title">Scan this QR code with your app</p>
<div id="qr" role="img" aria-label="QR code of the key">{qr}</div>
<p class="field-title" id="cant-scan">Can't scan it? Enter this secret key instead</p>
<code id="{secret_id}">{secret}</code>
<p class="field-title">Or, for apps that take a link</p>
<code id="otpauth-uri">{uri}</code>
<form id="confirm" method="post" action="/demo/account/2fa">
{csrf}
<label for="code">Code from your app</label>
<input id="code" name="code" type="text" autocomplete="one-time-code" inputmode="numeric" pattern="[0-9]*" maxlength="6" required>
<button type="submit">Turn on</button>
</form>
<p class="field-title">Or get codes by text message</p>
<form method="post" action="/demo/account/2fa/sms">
{csrf}
<label for="phone">Mobile phone number (+1…)</label>
<input id="phone" name="phone" type="tel" autocomplete="tel" placeholder="+14155550100" required>
<button type="submit" class="secondary">Text me codes instead</button>
</form>
<p class="field-title">Or get codes by e-mail</p>
<form method="post" action="/demo/account/2fa/email">
{csrf}
<label for="code-email">E-mail address for sign-in codes</label>
<input id="code-email" name="code_email" type="email" autocomplete="off" placeholder="you@example.com" required>
<button type="submit" class="secondary">Email me codes instead</button>
</form>
{verified}<p class="switch"><a href="/demo/account">Cancel</a></p>
"#,
        notice = notice(message),
        secret = escape_html(&group_by_four(secret_base32)),
        qr = qr_svg(uri),
        uri = escape_html(uri),
        csrf = csrf_field(csrf),
    );
    layout("Set up two-factor authentication", &body, None)
}

/// The password asked again before the two-factor page shows a new key.
pub fn reauth(csrf: &str, message: Option<&Notice>) -> String {
    let body = format!(
        r#"<h1>Confirm your password</h1>
<p>You're about to change how you sign in. Enter your password to continue.</p>
{notice}<form id="reauth" method="post" action="/demo/account/2fa/reauth">
{csrf}
<label for="reauth-password">Password</label>
<input id="reauth-password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Continue</button>
</form>
<p class="switch"><a href="/demo/account">Cancel</a></p>
"#,
        notice = notice(message),
        csrf = csrf_field(csrf),
    );
    layout("Confirm your password", &body, None)
}

/// The account page with the backup codes of the setup just finished, shown this once.
pub fn with_backup_codes(account_page: &str, codes: &[String]) -> String {
    let items: String = codes.iter().map(|c| format!("<li>{}</li>\n", escape_html(c))).collect();
    let panel = format!(
        r#"<section class="panel" id="backup-codes-panel">
<h2>Your backup codes</h2>
<p>Keep these somewhere safe. Each one signs you in once if you lose your authenticator app. They
are shown only now.</p>
<ol id="backup-codes">
{items}</ol>
<a class="button" id="backup-codes-saved" href="/demo/account">I've saved my backup codes</a>
</section>
"#
    );
    account_page.replacen(
        "<section class=\"panel\">",
        &format!("{panel}<section class=\"panel\">"),
        1,
    )
}

/// The profile: the phone number, verified by a texted code before it counts.
pub fn profile(
    csrf: &str,
    email: &str,
    verified: Option<&str>,
    pending: Option<&str>,
    message: Option<&Notice>,
) -> String {
    let status = match verified {
        Some(number) => format!(
            r#"<p id="phone-status">Phone number: {} <strong>Verified</strong></p>"#,
            escape_html(number)
        ),
        None => r#"<p id="phone-status">Phone number: <strong>None</strong></p>"#.to_string(),
    };
    let verify = match pending {
        Some(number) => format!(
            r#"<form id="verify-phone" method="post" action="/demo/account/profile/phone/verify">
{csrf}
<label for="phone-code">Code we texted to {number}</label>
<input id="phone-code" name="code" type="text" autocomplete="one-time-code" inputmode="numeric" pattern="[0-9]*" maxlength="6" required>
<button type="submit">Verify number</button>
</form>
"#,
            csrf = csrf_field(csrf),
            number = escape_html(number),
        ),
        None => String::new(),
    };
    let body = format!(
        r#"<h1>Your profile</h1>
<p>Signed in as {email}.</p>
{notice}<section class="panel">
<h2>Phone number</h2>
{status}
<form id="phone-form" method="post" action="/demo/account/profile/phone">
{csrf}
<label for="phone">New mobile phone number (+1…)</label>
<input id="phone" name="phone" type="tel" autocomplete="tel" placeholder="+14155550100" required>
<button type="submit" class="secondary">Send a verification code</button>
</form>
{verify}</section>
<section class="panel">
<h2>Password</h2>
<form id="password-form" method="post" action="/demo/account/profile/password">
{csrf}
<label for="current-password">Current password</label>
<input id="current-password" name="current-password" type="password" autocomplete="current-password" required>
<label for="new-password">New password</label>
<input id="new-password" name="new-password" type="password" autocomplete="new-password" minlength="8" required>
<button type="submit" class="secondary">Change password</button>
</form>
</section>
<p class="switch"><a href="/demo/account">Back to your account</a></p>
"#,
        email = escape_html(email),
        notice = notice(message),
        csrf = csrf_field(csrf),
    );
    layout("Your profile", &body, None)
}

/// The last four digits of a phone number, as apps show which number they texted.
fn last_digits(number: &str) -> &str {
    &number[number.len().saturating_sub(4)..]
}

pub fn forbidden() -> String {
    let body = "<h1>This form has expired</h1>\n\
        <p>Your session ended or the page was open too long. Go back, reload the page and try again.</p>\n\
        <a class=\"button\" href=\"/demo/login\">Sign in</a>\n";
    layout("Form expired", body, None)
}

/// `ABCDEFGHIJ` → `ABCD EFGH IJ`.
fn group_by_four(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_keys_in_fours() {
        assert_eq!(group_by_four("ABCDEFGHIJ"), "ABCD EFGH IJ");
        assert_eq!(group_by_four(""), "");
    }

    #[test]
    fn hostile_values_are_escaped_everywhere() {
        let evil = "\"><script>alert(1)</script>";
        for page in [
            account(evil, evil, true, None, Some(&Notice::error(evil))),
            account(evil, evil, true, Some(&SentTo::Phone(evil.into())), None),
            account(evil, evil, true, Some(&SentTo::Email(evil.into())), None),
            verify(
                evil,
                false,
                Some(&SentTo::Phone(evil.into())),
                Some(&Notice::error(evil)),
            ),
            verify(evil, false, Some(&SentTo::Email(evil.into())), None),
            signup(evil, evil, None),
            login(evil, evil, None),
            setup(evil, evil, evil, Some(evil), None, "secret"),
            reauth(evil, Some(&Notice::error(evil))),
            with_backup_codes(&account(evil, evil, true, None, None), &[evil.to_string()]),
            profile(evil, evil, Some(evil), Some(evil), Some(&Notice::error(evil))),
            home(Some(evil)),
        ] {
            assert!(!page.contains("<script>alert"), "{page}");
            assert!(page.contains("&lt;script&gt;"));
        }
    }

    #[test]
    fn only_the_segmented_page_has_a_script_and_the_csp_allows_it() {
        assert!(!verify("t", false, None, None).contains("<script>"));
        let page = verify("t", true, None, None);
        assert!(page.contains(&format!("<script>{SEGMENTED_SCRIPT}</script>")));
        assert!(page.contains(r#"<input name="d1" maxlength="1" inputmode="numeric" autocomplete="one-time-code" aria-label="Digit 1 of 6">"#));
        assert!(page.contains(
            r#"<input name="d6" maxlength="1" inputmode="numeric" autocomplete="off" aria-label="Digit 6 of 6">"#
        ));
        assert!(csp().contains(&csp_hash(SEGMENTED_SCRIPT)));
    }
}
