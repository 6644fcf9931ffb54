//! The library half of the `latchkey` package: the server's storage ([`db`]), shared by the binary
//! and the integration tests.

pub mod db;
