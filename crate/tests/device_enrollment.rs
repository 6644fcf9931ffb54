//! The enrollment proof and the server's check of approval grants: what verifies, and every
//! tampered field that must not.

use latchkey_core::device::{
    enrollment_message, sign_enrollment, verify_enrollment, ApprovalGrant, ApprovalRequest, DeviceError,
    CLOCK_SKEW_SECS, GRANT_LIFETIME_SECS,
};
use latchkey_core::vault::{DeviceKeys, KeySlot, KeyStore, PublicKeys, UserKey, UserKeyPair, VaultError};

const NOW: u64 = 1_700_000_000;

/// (user keys, workspace, user, device id, device keys, signature)
type Case<'a> = (&'a PublicKeys, &'a str, &'a str, &'a str, &'a PublicKeys, &'a [u8]);

#[test]
fn enrollment_proofs_bind_workspace_user_device_and_keys() {
    let user = UserKeyPair::generate();
    let device = DeviceKeys::generate().public();
    let proof = sign_enrollment(&user, "ws", "alice", "dev-1", &device);
    verify_enrollment(&user.public(), "ws", "alice", "dev-1", &device, &proof).unwrap();

    let other_keys = DeviceKeys::generate().public();
    let stranger = UserKeyPair::generate().public();
    let mut flipped = proof;
    flipped[3] ^= 1;
    let cases: [Case; 7] = [
        (&user.public(), "ws2", "alice", "dev-1", &device, &proof),
        (&user.public(), "ws", "bob", "dev-1", &device, &proof),
        (&user.public(), "ws", "alice", "dev-2", &device, &proof),
        (&user.public(), "ws", "alice", "dev-1", &other_keys, &proof),
        (&stranger, "ws", "alice", "dev-1", &device, &proof),
        (&user.public(), "ws", "alice", "dev-1", &device, &flipped),
        (&user.public(), "ws", "alice", "dev-1", &device, &proof[..63]),
    ];
    for (i, (keys, ws, u, d, dk, sig)) in cases.into_iter().enumerate() {
        assert_eq!(
            verify_enrollment(keys, ws, u, d, dk, sig),
            Err(DeviceError::BadProof),
            "case {i}"
        );
    }
    // Length-prefixed fields: moving a byte between fields changes the message.
    assert_ne!(
        enrollment_message("ab", "c", "d", &device),
        enrollment_message("a", "bc", "d", &device)
    );
}

#[test]
fn the_key_store_signs_enrollments_with_the_user_key_pair_only() {
    let mut store = KeyStore::new();
    let device_keys = store.create_device().unwrap();
    // Only the device keys: nothing signs for the user.
    assert_eq!(
        store.sign_enrollment("ws", "alice", "dev-1", &device_keys).unwrap_err(),
        VaultError::KeyNotOpen(KeySlot::UserKeyPair)
    );
    let user = store.create_user("ws", "alice", "dev-1").unwrap();
    let proof = store.sign_enrollment("ws", "alice", "dev-1", &device_keys).unwrap();
    verify_enrollment(&user.public_keys, "ws", "alice", "dev-1", &device_keys, &proof).unwrap();
    // The device keys and the user key are there, the user key pair is not: the store refuses
    // rather than sign with another key.
    assert!(store.forget(&KeySlot::UserKeyPair));
    assert!(store.contains(&KeySlot::Device) && store.contains(&KeySlot::UserKey));
    assert_eq!(
        store.sign_enrollment("ws", "alice", "dev-1", &device_keys).unwrap_err(),
        VaultError::KeyNotOpen(KeySlot::UserKeyPair)
    );
}

fn request(device: &DeviceKeys) -> ApprovalRequest {
    ApprovalRequest {
        workspace: "ws".into(),
        user_id: "alice".into(),
        request_id: "req-1".into(),
        device_id: "phone".into(),
        device_keys: device.public(),
    }
}

#[test]
fn the_server_checks_grants_field_by_field() {
    let approver = DeviceKeys::generate();
    let phone = DeviceKeys::generate();
    let user_key = UserKey::generate();
    let req = request(&phone);
    let grant = ApprovalGrant::approve(&approver, &user_key, &req, NOW).unwrap();
    let keys = approver.public();
    grant.verify_for_server(&req, &keys, NOW + 1).unwrap();

    // Another request, device or user than the server recorded.
    for other in [
        ApprovalRequest {
            request_id: "req-2".into(),
            ..req.clone()
        },
        ApprovalRequest {
            device_id: "laptop".into(),
            ..req.clone()
        },
        ApprovalRequest {
            user_id: "bob".into(),
            ..req.clone()
        },
        ApprovalRequest {
            workspace: "ws2".into(),
            ..req.clone()
        },
        ApprovalRequest {
            device_keys: DeviceKeys::generate().public(),
            ..req.clone()
        },
    ] {
        assert_eq!(
            grant.verify_for_server(&other, &keys, NOW + 1),
            Err(DeviceError::WrongDevice)
        );
    }
    // Made by a device other than the caller.
    let stranger = DeviceKeys::generate();
    assert_eq!(
        grant.verify_for_server(&req, &stranger.public(), NOW + 1),
        Err(DeviceError::UnknownApprover)
    );
    let by_stranger = ApprovalGrant::approve(&stranger, &user_key, &req, NOW).unwrap();
    assert_eq!(
        by_stranger.verify_for_server(&req, &keys, NOW + 1),
        Err(DeviceError::UnknownApprover)
    );
    // Tampered: signature bit, expiry, sealed key, or a request field changed after signing.
    let mut flipped = grant.clone();
    flipped.signature[0] ^= 0x80;
    let extended = ApprovalGrant {
        expires_at: grant.expires_at + 60,
        ..grant.clone()
    };
    let swapped = ApprovalGrant {
        user_key: ApprovalGrant::approve(&approver, &UserKey::generate(), &req, NOW)
            .unwrap()
            .user_key,
        ..grant.clone()
    };
    for tampered in [flipped, extended, swapped] {
        assert_eq!(
            tampered.verify_for_server(&req, &keys, NOW + 1),
            Err(DeviceError::Forged)
        );
    }
    let mut redirected = grant.clone();
    redirected.request.device_id = "laptop".into();
    let laptop_req = ApprovalRequest {
        device_id: "laptop".into(),
        ..req.clone()
    };
    assert_eq!(
        redirected.verify_for_server(&laptop_req, &keys, NOW + 1),
        Err(DeviceError::Forged)
    );
    // Expired, and too long-lived (signed with a clock far ahead).
    assert_eq!(
        grant.verify_for_server(&req, &keys, NOW + GRANT_LIFETIME_SECS),
        Err(DeviceError::Expired)
    );
    let ahead = ApprovalGrant::approve(&approver, &user_key, &req, NOW + CLOCK_SKEW_SECS + 60).unwrap();
    assert_eq!(
        ahead.verify_for_server(&req, &keys, NOW),
        Err(DeviceError::TooLongLived)
    );
    // The wire form round-trips into the same verdict.
    ApprovalGrant::parse(&grant.to_text())
        .unwrap()
        .verify_for_server(&req, &keys, NOW + 1)
        .unwrap();
}
