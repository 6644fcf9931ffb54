//! SMS intake from Twilio: checking that a webhook really comes from Twilio ([`twilio_signature`]) and
//! reading its form into checked fields ([`inbound`]). The route that uses both, and sealing the
//! message to the account's inbox key, come with the HTTP API.

pub mod inbound;
pub mod twilio_signature;

pub use inbound::{InboundError, InboundSms, Sender};
pub use twilio_signature::{SignatureError, TwilioSignature};
