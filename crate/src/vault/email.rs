//! E-mail in an account's shared inbox. The server receives a message in clear over SMTP (as an
//! SMS arrives in clear from the carrier), seals the raw message at once to the account's inbox
//! public key, and keeps only that plus the envelope (sender, recipient, time, size). Subject and
//! body are inside the sealed raw message: reading them (MIME) is the opener's job.

use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::codec::{Reader, Writer};
use super::{Context, Envelope, InboxKeyPair, InboxPublicKey, ObjectType, VaultError};

/// One received e-mail: the raw RFC 5322 message as the SMTP client sent it after `DATA`
/// (dot-unstuffed). Wiped on drop; `Debug` prints only its size.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct Email {
    pub raw: Vec<u8>,
}

const FORMAT: u8 = 1;
const RAW: u8 = 1;

impl Email {
    /// Seals to the inbox key (done by the server, natively).
    pub fn seal(&self, inbox: &InboxPublicKey, context: &Context) -> Result<Envelope, VaultError> {
        context.expect(ObjectType::Email)?;
        let mut w = Writer::new(FORMAT);
        w.bytes(RAW, &self.raw);
        let plaintext = Zeroizing::new(std::mem::take(&mut w.out));
        Envelope::seal(&inbox.0, context, &plaintext)
    }

    /// Opens an e-mail sealed to this inbox.
    pub fn open(inbox: &InboxKeyPair, envelope: &Envelope, context: &Context) -> Result<Email, VaultError> {
        context.expect(ObjectType::Email)?;
        let plaintext = envelope.open(&inbox.0, context)?;
        let mut r = Reader::new(&plaintext, FORMAT, "e-mail")?;
        let mut email = Email { raw: Vec::new() };
        while let Some((tag, value)) = r.next_field()? {
            if tag == RAW {
                email.raw = value.to_vec();
            }
        }
        Ok(email)
    }
}

impl std::fmt::Debug for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Email({} bytes, redacted)", self.raw.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::Sms;

    #[test]
    fn seals_opens_and_binds_its_place() {
        let inbox = InboxKeyPair::generate();
        let context = Context::email("ws", "acct", "m1");
        let raw = b"Subject: Your code is 482913\r\n\r\nbody \xff not utf-8\r\n".to_vec();
        let sealed = Email { raw: raw.clone() }.seal(&inbox.public(), &context).unwrap();
        assert!(!sealed.as_bytes().windows(6).any(|w| w == b"482913"));
        assert_eq!(Email::open(&inbox, &sealed, &context).unwrap().raw, raw);
        // Moved to another account or message, or opened as an SMS: refused.
        assert!(Email::open(&inbox, &sealed, &Context::email("ws", "other", "m1")).is_err());
        assert!(Email::open(&inbox, &sealed, &Context::email("ws", "acct", "m2")).is_err());
        assert!(Sms::open(&inbox, &sealed, &Context::sms("ws", "acct", "m1")).is_err());
        assert!(!format!("{:?}", Email { raw }).contains("482913"));
    }
}
