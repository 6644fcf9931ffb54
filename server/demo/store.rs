//! Users and sessions in memory, and the rules of the app: e-mail and password checks, sign-in
//! stages, two-factor codes with replay refusal and an attempt limit. No HTTP here.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use latchkey_core::otp::{time_step, Otp, Secret};
use thiserror::Error;

use super::password::{constant_time_eq, PasswordHash};
use super::session::{random_bytes, random_token};
use super::{Notice, ISSUER};

pub const MIN_PASSWORD_CHARS: usize = 8;
const MAX_PASSWORD_BYTES: usize = 1024;
const MAX_EMAIL_BYTES: usize = 254;
/// Wrong codes allowed per password sign-in before it must start over.
pub const MAX_CODE_FAILURES: u32 = 5;
/// Accept the previous and next code too, for clock drift and slow typing (RFC 6238 §5.2).
const CODE_WINDOW: u64 = 1;
const SESSION_IDLE: Duration = Duration::from_secs(12 * 3600);
const VERIFY_TIME_LIMIT: Duration = Duration::from_secs(10 * 60);
/// Once the two-factor page opened after a password entry, how long its forms are taken.
const SETUP_OPEN: Duration = Duration::from_secs(10 * 60);
/// Backup codes shown once when two-factor is turned on.
const BACKUP_CODES: usize = 10;
/// Wrong codes allowed when verifying a new phone number before it must be sent again.
const MAX_PHONE_FAILURES: u32 = 5;
// Bounds on memory: anyone can create sessions and users by sending requests.
const MAX_SESSIONS: usize = 10_000;
const MAX_USERS: usize = 10_000;

/// Why a sign-up, form or code was refused; each message is shown on the page as it is.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum StoreError {
    #[error("Enter your e-mail address.")]
    EmailMissing,
    #[error("That doesn't look like an e-mail address. Check it and try again.")]
    EmailInvalid,
    #[error("An account with that e-mail address already exists. Sign in instead.")]
    EmailTaken,
    #[error("Use a password of at least 8 characters.")]
    PasswordTooShort,
    #[error("Use a password of at most 1024 characters.")]
    PasswordTooLong,
    #[error("This demo has reached its limit of accounts. Restart the server to start over.")]
    Full,
    #[error("Enter the 6-digit code from your authenticator app.")]
    CodeMissing,
    #[error("That code didn't match. Check that you added the key above, then enter the code your app shows now.")]
    SetupCodeWrong,
    #[error("Your session expired or this form is out of date. Reload the page and try again.")]
    BadCsrf,
    #[error("Enter the 6-digit code we texted to your new number.")]
    PhoneCodeMissing,
    #[error("That code didn't match the one we texted. Check the message and try again.")]
    PhoneCodeWrong,
    #[error("Too many incorrect codes. Enter your number again to get a new one.")]
    PhoneTooManyTries,
    #[error("There is no phone number waiting to be verified. Enter your number first.")]
    NoPhonePending,
}

/// A number being added to a profile: a code was texted to it; not used until the code comes back.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PhoneChange {
    number: String,
    code: String,
    failures: u32,
}

/// What a two-step verification code did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeOutcome {
    Accepted,
    Empty,
    Wrong {
        tries_left: u32,
    },
    /// Right code, but its time step was already used to sign in.
    Replayed {
        tries_left: u32,
    },
    /// The attempt limit was reached: the sign-in starts over (a notice explains why).
    TooManyTries,
    /// No sign-in is waiting for a code in this session.
    NotVerifying,
}

/// Where a user's sign-in codes are sent, when not made by an authenticator app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SentTo {
    /// Texted to this number (E.164).
    Phone(String),
    /// E-mailed to this address (which need not be the sign-in e-mail, as at many services).
    Email(String),
}

struct User {
    password: PasswordHash,
    totp: Option<Otp>,
    /// Text-message or e-mail verification: where sign-in codes are sent.
    sent_to: Option<SentTo>,
    /// The last time step that signed in, to refuse a code seen by someone looking over a shoulder.
    last_login_step: Option<u64>,
    /// The profile's verified phone number, and the one waiting for its code while it changes.
    verified_phone: Option<String>,
    phone_change: Option<PhoneChange>,
}

pub struct Session {
    pub csrf: String,
    pub stage: Stage,
    /// Shown once on the next page.
    pub notice: Option<Notice>,
    /// The two-factor key being set up: kept until confirmed so a reload shows the same key.
    pending_secret: Option<Secret>,
    /// When the password was last entered in this session (sign-in, sign-up, or asked again).
    password_at: Option<Instant>,
    /// Until when the two-factor page's forms are taken: it opened after a recent password entry.
    setup_open_until: Option<Instant>,
    /// The backup codes of the two-factor setup just finished: shown on the next page, once.
    fresh_backup_codes: Option<Vec<String>>,
    last_seen: Instant,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    Anonymous,
    /// Password accepted; waiting for the authenticator code.
    Verifying {
        email: String,
        failures: u32,
        started: Instant,
        /// The code sent for this sign-in, when the user chose text messages or e-mail.
        sent_code: Option<String>,
    },
    SignedIn {
        email: String,
    },
}

impl Session {
    fn new() -> Self {
        Session {
            csrf: random_token(),
            stage: Stage::Anonymous,
            notice: None,
            pending_secret: None,
            password_at: None,
            setup_open_until: None,
            fresh_backup_codes: None,
            last_seen: Instant::now(),
        }
    }

    /// Marks the session used now, ending a code step left waiting too long.
    fn touch(&mut self, now: Instant) {
        self.last_seen = now;
        if matches!(self.stage, Stage::Verifying { started, .. } if now.duration_since(started) > VERIFY_TIME_LIMIT) {
            self.stage = Stage::Anonymous;
            self.notice = Some(Notice::error("That sign-in took too long. Sign in again."));
        }
    }
}

/// The session a request belongs to; `is_new` when its cookie must be set.
pub struct Visit {
    pub token: String,
    pub is_new: bool,
}

impl Visit {
    /// The token to send in `Set-Cookie`, when the browser does not have it yet.
    pub fn cookie(&self) -> Option<&str> {
        self.is_new.then_some(self.token.as_str())
    }
}

/// The result of a password sign-in.
pub struct SignIn {
    pub token: String,
    pub needs_code: bool,
    /// For text-message or e-mail verification: where to send the code, and the code.
    pub send: Option<(SentTo, String)>,
}

#[derive(Default)]
pub struct Store {
    users: HashMap<String, User>,
    sessions: HashMap<String, Session>,
}

impl Store {
    /// The session for a request's cookie token, or a new one if the token is missing, unknown
    /// or idle too long.
    pub fn visit(&mut self, token: Option<String>) -> Visit {
        let now = Instant::now();
        if let Some(token) = token {
            match self.sessions.get_mut(&token) {
                Some(session) if now.duration_since(session.last_seen) < SESSION_IDLE => {
                    session.touch(now);
                    return Visit { token, is_new: false };
                }
                Some(_) => {
                    self.sessions.remove(&token);
                }
                None => {}
            }
        }
        Visit {
            token: self.new_session(Session::new()),
            is_new: true,
        }
    }

    /// The session behind `token`. One that vanished since it was checked (evicted, signed out
    /// elsewhere) comes back empty rather than panicking.
    pub fn session(&mut self, token: &str) -> &mut Session {
        self.sessions.entry(token.to_string()).or_insert_with(Session::new)
    }

    /// Checks a form's CSRF field against the session of its cookie; returns the session token.
    pub fn check_csrf(&mut self, token: Option<String>, csrf: &str) -> Result<String, StoreError> {
        let now = Instant::now();
        let token = token.ok_or(StoreError::BadCsrf)?;
        match self.sessions.get_mut(&token) {
            Some(s)
                if now.duration_since(s.last_seen) < SESSION_IDLE
                    && constant_time_eq(s.csrf.as_bytes(), csrf.as_bytes()) =>
            {
                s.touch(now);
                Ok(token)
            }
            _ => Err(StoreError::BadCsrf),
        }
    }

    /// Moves the session to a fresh token and CSRF token, so a token planted or seen before a
    /// sign-in step is worthless after it (session fixation).
    pub fn rotate(&mut self, token: &str) -> String {
        let mut session = self.sessions.remove(token).unwrap_or_else(Session::new);
        session.csrf = random_token();
        self.new_session(session)
    }

    pub fn end(&mut self, token: &str) {
        self.sessions.remove(token);
    }

    pub fn signed_in_email(&mut self, token: &str) -> Option<String> {
        match &self.sessions.get(token)?.stage {
            Stage::SignedIn { email } => Some(email.clone()),
            _ => None,
        }
    }

    /// Checks a sign-up before the (slow) password hashing; returns the normalized e-mail.
    pub fn check_new_user(&self, email: &str, password: &str) -> Result<String, StoreError> {
        let email = normalize_email(email)?;
        if self.users.contains_key(&email) {
            return Err(StoreError::EmailTaken);
        }
        if password.chars().count() < MIN_PASSWORD_CHARS {
            return Err(StoreError::PasswordTooShort);
        }
        if password.len() > MAX_PASSWORD_BYTES {
            return Err(StoreError::PasswordTooLong);
        }
        Ok(email)
    }

    /// Checks a new password's length before the (slow) hashing, as a sign-up does.
    pub fn check_password(password: &str) -> Result<(), StoreError> {
        if password.chars().count() < MIN_PASSWORD_CHARS {
            return Err(StoreError::PasswordTooShort);
        }
        if password.len() > MAX_PASSWORD_BYTES {
            return Err(StoreError::PasswordTooLong);
        }
        Ok(())
    }

    /// Replaces a user's password (the profile's Change password); false for an unknown user.
    pub fn set_password(&mut self, email: &str, password: PasswordHash) -> bool {
        match self.users.get_mut(email) {
            Some(user) => {
                user.password = password;
                true
            }
            None => false,
        }
    }

    /// Adds a user checked by [`Store::check_new_user`] (checked again: another request may have
    /// taken the address while the password was hashed).
    pub fn add_user(&mut self, email: &str, password: PasswordHash) -> Result<(), StoreError> {
        if self.users.contains_key(email) {
            return Err(StoreError::EmailTaken);
        }
        if self.users.len() >= MAX_USERS {
            return Err(StoreError::Full);
        }
        self.users.insert(
            email.to_string(),
            User {
                password,
                totp: None,
                sent_to: None,
                last_login_step: None,
                verified_phone: None,
                phone_change: None,
            },
        );
        Ok(())
    }

    /// A user who already turned on two-factor with `secret` (the `--demo` seed's team login, whose
    /// key the workspace vault holds).
    pub fn add_user_with_two_factor(
        &mut self,
        email: &str,
        password: PasswordHash,
        secret: Secret,
    ) -> Result<(), StoreError> {
        self.add_user(email, password)?;
        let otp = authenticator_entry(secret, email);
        if let Some(user) = self.users.get_mut(email) {
            user.totp = Some(otp);
        }
        Ok(())
    }

    pub fn password_of(&self, email: &str) -> Option<PasswordHash> {
        self.users.get(email).map(|u| u.password.clone())
    }

    pub fn has_two_factor(&self, email: &str) -> bool {
        self.users
            .get(email)
            .is_some_and(|u| u.totp.is_some() || u.sent_to.is_some())
    }

    /// Where a user's sign-in codes are sent, if they chose text messages or e-mail.
    pub fn sent_to(&self, email: &str) -> Option<SentTo> {
        self.users.get(email).and_then(|u| u.sent_to.clone())
    }

    /// Turns on text-message or e-mail verification (instead of an authenticator) for `email`.
    pub fn send_codes_to(&mut self, email: &str, to: SentTo) {
        if let Some(user) = self.users.get_mut(email) {
            user.totp = None;
            user.sent_to = Some(to);
        }
    }

    /// After the right password: a new session token, then either signed in or waiting for a code.
    pub fn sign_in(&mut self, token: &str, email: &str) -> SignIn {
        let needs_code = self.has_two_factor(email);
        let send = self.sent_to(email).map(|to| (to, six_digit_code()));
        let token = self.rotate(token);
        self.session(&token).password_at = Some(Instant::now());
        self.session(&token).stage = if needs_code {
            Stage::Verifying {
                email: email.to_string(),
                failures: 0,
                started: Instant::now(),
                sent_code: send.as_ref().map(|(_, code)| code.clone()),
            }
        } else {
            Stage::SignedIn {
                email: email.to_string(),
            }
        };
        SignIn {
            token,
            needs_code,
            send,
        }
    }

    /// Checks the authenticator code of a sign-in waiting in session `token`, at Unix time `now`.
    pub fn check_login_code(&mut self, token: &str, code: &str, now: u64) -> CodeOutcome {
        let Some(session) = self.sessions.get_mut(token) else {
            return CodeOutcome::NotVerifying;
        };
        let Stage::Verifying {
            email,
            failures,
            sent_code,
            ..
        } = &mut session.stage
        else {
            return CodeOutcome::NotVerifying;
        };
        if let Some(expected) = sent_code.clone() {
            if self.users.get(email.as_str()).is_none_or(|u| u.sent_to.is_none()) {
                session.stage = Stage::Anonymous;
                return CodeOutcome::NotVerifying;
            }
            if code.trim().is_empty() {
                return CodeOutcome::Empty;
            }
            if constant_time_eq(code.trim().as_bytes(), expected.as_bytes()) {
                session.stage = Stage::SignedIn { email: email.clone() };
                return CodeOutcome::Accepted;
            }
            *failures += 1;
            let tries_left = MAX_CODE_FAILURES.saturating_sub(*failures);
            if tries_left == 0 {
                session.stage = Stage::Anonymous;
                session.notice = Some(Notice::error("Too many incorrect codes. Sign in again."));
                return CodeOutcome::TooManyTries;
            }
            return CodeOutcome::Wrong { tries_left };
        }
        let Some((user, otp)) = self
            .users
            .get_mut(email.as_str())
            .and_then(|u| u.totp.clone().map(|otp| (u, otp)))
        else {
            // The account or its two-factor setting changed meanwhile: start over.
            session.stage = Stage::Anonymous;
            return CodeOutcome::NotVerifying;
        };
        if code.trim().is_empty() {
            return CodeOutcome::Empty;
        }
        let step = otp
            .verify(code, now, CODE_WINDOW)
            .and_then(|offset| time_step(now, otp.period().unwrap_or(30)).checked_add_signed(offset));
        let replayed = match step {
            Some(step) if user.last_login_step.is_some_and(|last| step <= last) => true,
            Some(step) => {
                user.last_login_step = Some(step);
                session.stage = Stage::SignedIn { email: email.clone() };
                return CodeOutcome::Accepted;
            }
            None => false,
        };
        *failures += 1;
        let tries_left = MAX_CODE_FAILURES.saturating_sub(*failures);
        if tries_left == 0 {
            session.stage = Stage::Anonymous;
            session.notice = Some(Notice::error("Too many incorrect codes. Sign in again."));
            CodeOutcome::TooManyTries
        } else if replayed {
            CodeOutcome::Replayed { tries_left }
        } else {
            CodeOutcome::Wrong { tries_left }
        }
    }

    /// The two-factor key being set up in session `token`: made on first call, then kept.
    pub fn pending_secret(&mut self, token: &str) -> Secret {
        // 160 bits, the length RFC 4226 §4 recommends.
        self.session(token)
            .pending_secret
            .get_or_insert_with(|| Secret::from_bytes(random_bytes::<20>().to_vec()))
            .clone()
    }

    /// Turns two-factor on for `email` if `code` is right for the key being set up.
    ///
    /// The setup code does not count as a sign-in step: someone who signs out and back in within
    /// the same 30 seconds would otherwise find their authenticator's code refused.
    pub fn confirm_two_factor(&mut self, token: &str, email: &str, code: &str, now: u64) -> Result<(), StoreError> {
        if code.trim().is_empty() {
            return Err(StoreError::CodeMissing);
        }
        let otp = authenticator_entry(self.pending_secret(token), email);
        if otp.verify(code, now, CODE_WINDOW).is_none() {
            return Err(StoreError::SetupCodeWrong);
        }
        let user = self.users.get_mut(email).ok_or(StoreError::BadCsrf)?;
        user.totp = Some(otp);
        user.last_login_step = None;
        let session = self.session(token);
        session.pending_secret = None;
        session.fresh_backup_codes = Some((0..BACKUP_CODES).map(|_| backup_code()).collect());
        Ok(())
    }

    /// The backup codes of the setup just finished in session `token`, once.
    pub fn take_backup_codes(&mut self, token: &str) -> Option<Vec<String>> {
        self.session(token).fresh_backup_codes.take()
    }

    /// Whether the password was entered in session `token` within `window`.
    pub fn recently_authenticated(&mut self, token: &str, window: Duration) -> bool {
        self.session(token).password_at.is_some_and(|at| at.elapsed() < window)
    }

    /// The two-factor page is shown in session `token` after a recent password entry (now, when
    /// `password_now`): its forms are taken for a while.
    pub fn open_setup(&mut self, token: &str, password_now: bool) {
        let session = self.session(token);
        if password_now {
            session.password_at = Some(Instant::now());
        }
        session.setup_open_until = Some(Instant::now() + SETUP_OPEN);
    }

    /// Whether the two-factor page's forms are taken in session `token`.
    pub fn setup_open(&mut self, token: &str) -> bool {
        self.session(token)
            .setup_open_until
            .is_some_and(|until| Instant::now() < until)
    }

    /// The profile's phone: verified, or waiting for its texted code.
    pub fn phone(&self, email: &str) -> (Option<String>, Option<String>) {
        let Some(user) = self.users.get(email) else {
            return (None, None);
        };
        let pending = user.phone_change.as_ref().map(|c| c.number.clone());
        (user.verified_phone.clone(), pending)
    }

    /// Starts changing the profile's number to `number` (E.164): the code to text to it.
    pub fn change_phone(&mut self, email: &str, number: &str) -> Option<String> {
        let user = self.users.get_mut(email)?;
        let code = six_digit_code();
        user.phone_change = Some(PhoneChange {
            number: number.to_string(),
            code: code.clone(),
            failures: 0,
        });
        Some(code)
    }

    /// Checks the code texted to the number being added; on success it becomes the profile's.
    pub fn verify_phone(&mut self, email: &str, code: &str) -> Result<String, StoreError> {
        let user = self.users.get_mut(email).ok_or(StoreError::BadCsrf)?;
        let Some(PhoneChange {
            number,
            code: expected,
            failures,
        }) = &mut user.phone_change
        else {
            return Err(StoreError::NoPhonePending);
        };
        if code.trim().is_empty() {
            return Err(StoreError::PhoneCodeMissing);
        }
        if constant_time_eq(code.trim().as_bytes(), expected.as_bytes()) {
            let number = number.clone();
            user.verified_phone = Some(number.clone());
            user.phone_change = None;
            return Ok(number);
        }
        *failures += 1;
        if *failures >= MAX_PHONE_FAILURES {
            user.phone_change = None;
            return Err(StoreError::PhoneTooManyTries);
        }
        Err(StoreError::PhoneCodeWrong)
    }

    pub fn turn_off_two_factor(&mut self, email: &str) {
        if let Some(user) = self.users.get_mut(email) {
            user.totp = None;
            user.sent_to = None;
        }
    }

    /// Stores `session` under a new token, first making room if the table is full.
    fn new_session(&mut self, session: Session) -> String {
        if self.sessions.len() >= MAX_SESSIONS {
            let now = Instant::now();
            self.sessions
                .retain(|_, s| now.duration_since(s.last_seen) < SESSION_IDLE);
        }
        if self.sessions.len() >= MAX_SESSIONS {
            let oldest = self
                .sessions
                .iter()
                .min_by_key(|(_, s)| s.last_seen)
                .map(|(t, _)| t.clone());
            if let Some(oldest) = oldest {
                self.sessions.remove(&oldest);
            }
        }
        let token = random_token();
        self.sessions.insert(token.clone(), session);
        token
    }
}

/// A backup code as apps show them: eight characters from an alphabet without look-alikes, in two
/// groups (`k7m2-9xqp`).
fn backup_code() -> String {
    const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
    let chars: String = random_bytes::<8>()
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect();
    format!("{}-{}", &chars[..4], &chars[4..])
}

/// A 6-digit code to text or e-mail (the modulo bias of 2^32 over 10^6 is negligible for a demo).
fn six_digit_code() -> String {
    format!("{:06}", u32::from_le_bytes(random_bytes::<4>()) % 1_000_000)
}

/// The authenticator entry Northwind Cloud hands out: TOTP, SHA1, 6 digits, 30 seconds, as nearly
/// every site does, labelled with the issuer and the user's e-mail.
pub fn authenticator_entry(secret: Secret, email: &str) -> Otp {
    let mut otp = Otp::totp(secret);
    otp.issuer = Some(ISSUER.to_string());
    otp.account = Some(email.to_string());
    otp
}

/// Trimmed and lower-cased, so `Alice@Example.com ` and `alice@example.com` are one account.
/// Lenient on purpose (any `x@y` without spaces): the only way to prove an address is to mail it.
pub fn normalize_email(raw: &str) -> Result<String, StoreError> {
    let email = raw.trim().to_lowercase();
    if email.is_empty() {
        return Err(StoreError::EmailMissing);
    }
    let shaped = email
        .rsplit_once('@')
        .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty());
    if !shaped || email.len() > MAX_EMAIL_BYTES || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(StoreError::EmailInvalid);
    }
    Ok(email)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = 1_700_000_000;

    /// A store with one user who has two-factor on, and a session waiting for the code.
    fn waiting_for_code() -> (Store, String, Otp) {
        let mut store = Store::default();
        store.add_user("a@example.com", PasswordHash::new("password1")).unwrap();
        let visit = store.visit(None);
        let signed_in = store.sign_in(&visit.token, "a@example.com");
        let secret = store.pending_secret(&signed_in.token);
        let otp = authenticator_entry(secret, "a@example.com");
        store
            .confirm_two_factor(&signed_in.token, "a@example.com", &otp.code_at(NOW), NOW)
            .unwrap();
        let again = store.sign_in(&signed_in.token, "a@example.com");
        assert!(again.needs_code);
        (store, again.token, otp)
    }

    #[test]
    fn emails_are_normalized_and_checked() {
        assert_eq!(normalize_email("  Alice@Example.COM "), Ok("alice@example.com".into()));
        assert_eq!(normalize_email(""), Err(StoreError::EmailMissing));
        for bad in ["alice", "@example.com", "alice@", "al ice@example.com"] {
            assert_eq!(normalize_email(bad), Err(StoreError::EmailInvalid), "{bad}");
        }
    }

    #[test]
    fn setup_code_may_sign_in_once_then_replay_is_refused() {
        let (mut store, token, otp) = waiting_for_code();
        assert_eq!(
            store.check_login_code(&token, &otp.code_at(NOW), NOW),
            CodeOutcome::Accepted
        );
        let again = store.sign_in(&token, "a@example.com").token;
        assert_eq!(
            store.check_login_code(&again, &otp.code_at(NOW), NOW + 5),
            CodeOutcome::Replayed { tries_left: 4 }
        );
        assert_eq!(
            store.check_login_code(&again, &otp.code_at(NOW + 30), NOW + 5),
            CodeOutcome::Accepted
        );
    }

    #[test]
    fn five_wrong_codes_end_the_sign_in() {
        let (mut store, token, otp) = waiting_for_code();
        let near = [otp.code_at(NOW - 30), otp.code_at(NOW), otp.code_at(NOW + 30)];
        let wrong = ["000000", "111111", "222222", "333333"]
            .into_iter()
            .find(|c| !near.iter().any(|n| n == c))
            .unwrap();
        for tries_left in (1..MAX_CODE_FAILURES).rev() {
            assert_eq!(
                store.check_login_code(&token, wrong, NOW),
                CodeOutcome::Wrong { tries_left }
            );
        }
        assert_eq!(store.check_login_code(&token, wrong, NOW), CodeOutcome::TooManyTries);
        assert_eq!(store.session(&token).stage, Stage::Anonymous);
        assert_eq!(
            store.check_login_code(&token, &otp.code_at(NOW), NOW),
            CodeOutcome::NotVerifying
        );
    }

    #[test]
    fn empty_code_costs_no_try() {
        let (mut store, token, _) = waiting_for_code();
        assert_eq!(store.check_login_code(&token, " ", NOW), CodeOutcome::Empty);
        assert!(matches!(
            store.session(&token).stage,
            Stage::Verifying { failures: 0, .. }
        ));
    }

    #[test]
    fn text_message_codes_are_sent_once_per_sign_in_and_checked() {
        let mut store = Store::default();
        store.add_user("b@example.com", PasswordHash::new("password1")).unwrap();
        store.send_codes_to("b@example.com", SentTo::Phone("+18005550199".into()));
        let visit = store.visit(None);
        let first = store.sign_in(&visit.token, "b@example.com");
        assert!(first.needs_code);
        let (to, code) = first.send.clone().unwrap();
        assert_eq!((to, code.len()), (SentTo::Phone("+18005550199".into()), 6));
        let wrong = if code == "000000" { "111111" } else { "000000" };
        assert_eq!(
            store.check_login_code(&first.token, wrong, NOW),
            CodeOutcome::Wrong { tries_left: 4 }
        );
        assert_eq!(store.check_login_code(&first.token, &code, NOW), CodeOutcome::Accepted);
        // A new sign-in texts a new code; turning two-factor off stops it.
        let again = store.sign_in(&first.token, "b@example.com");
        assert!(again.send.is_some());
        store.turn_off_two_factor("b@example.com");
        assert!(store.sign_in(&again.token, "b@example.com").send.is_none());
        assert!(!store.has_two_factor("b@example.com"));
    }

    #[test]
    fn e_mailed_codes_are_sent_once_per_sign_in_and_checked() {
        let mut store = Store::default();
        store.add_user("c@example.com", PasswordHash::new("password1")).unwrap();
        store.send_codes_to("c@example.com", SentTo::Email("team@mail.example.com".into()));
        assert!(store.has_two_factor("c@example.com"));
        let visit = store.visit(None);
        let first = store.sign_in(&visit.token, "c@example.com");
        let (to, code) = first.send.clone().unwrap();
        assert_eq!(to, SentTo::Email("team@mail.example.com".into()));
        assert_eq!(store.check_login_code(&first.token, &code, NOW), CodeOutcome::Accepted);
        // The next sign-in gets a new code; the old one is refused.
        let again = store.sign_in(&first.token, "c@example.com");
        let (_, next) = again.send.clone().unwrap();
        if next != code {
            assert_eq!(
                store.check_login_code(&again.token, &code, NOW),
                CodeOutcome::Wrong { tries_left: 4 }
            );
        }
        assert_eq!(store.check_login_code(&again.token, &next, NOW), CodeOutcome::Accepted);
    }
}
