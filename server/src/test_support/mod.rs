//! Helpers for the unit tests: the official Twilio library as an oracle, a stand-in for Twilio's REST
//! API, and a minimal SMTP server.

pub mod rng;
pub mod smtp;
pub mod twilio_api;
pub mod twilio_python;
