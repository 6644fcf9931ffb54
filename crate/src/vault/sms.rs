//! SMS in an account's shared inbox. The server receives an SMS in clear from the carrier (SMS is
//! plaintext there), seals it at once to the account's inbox public key, and keeps only that.

use zeroize::{Zeroize, ZeroizeOnDrop};

use super::codec::{Reader, Writer};
use super::{Context, Envelope, InboxKeyPair, InboxPublicKey, ObjectType, VaultError};

/// One received SMS. Wiped on drop; `Debug` prints neither sender nor text.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct Sms {
    pub from: String,
    pub text: String,
}

const FORMAT: u8 = 1;
const FROM: u8 = 1;
const TEXT: u8 = 2;

impl Sms {
    /// Seals to the inbox key (done by the server, natively).
    pub fn seal(&self, inbox: &InboxPublicKey, context: &Context) -> Result<Envelope, VaultError> {
        context.expect(ObjectType::Sms)?;
        let mut w = Writer::new(FORMAT);
        w.str(FROM, &self.from).str(TEXT, &self.text);
        let plaintext = zeroize::Zeroizing::new(std::mem::take(&mut w.out));
        Envelope::seal(&inbox.0, context, &plaintext)
    }

    /// Opens an SMS sealed to this inbox.
    pub fn open(inbox: &InboxKeyPair, envelope: &Envelope, context: &Context) -> Result<Sms, VaultError> {
        context.expect(ObjectType::Sms)?;
        let plaintext = envelope.open(&inbox.0, context)?;
        let mut r = Reader::new(&plaintext, FORMAT, "SMS")?;
        let mut sms = Sms {
            from: String::new(),
            text: String::new(),
        };
        while let Some((tag, value)) = r.next_field()? {
            match tag {
                FROM => sms.from = r.str(value)?.to_string(),
                TEXT => sms.text = r.str(value)?.to_string(),
                _ => {}
            }
        }
        Ok(sms)
    }
}

impl std::fmt::Debug for Sms {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Sms({} characters, redacted)", self.text.chars().count())
    }
}
