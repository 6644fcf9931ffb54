//! Prints tests/data/envelopes_v1.json as it was made when format 1 was defined:
//! `cargo run -p latchkey-core --example envelope_fixtures`. Kept to show how the fixtures were made;
//! do not overwrite the file with new output: the point of the file is that old bytes stay readable.
#[path = "../tests/fixed_bytes/mod.rs"]
mod fixed_bytes;

fn main() {
    println!("{}", fixed_bytes::generate());
}
