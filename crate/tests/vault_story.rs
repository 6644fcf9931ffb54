//! The whole story of DESIGN.md's trusted sessions and sharing, natively (tests/story/mod.rs).
mod story;

#[test]
fn first_device_approval_sharing_rotation_and_recovery() {
    story::run();
}
