//! Argon2id's cost, written beside every PIN-locked blob so a later version can raise it: a blob
//! made with less than [`KdfParams::DEFAULT`] is re-locked with the default at its next unlock.
//!
//! The default is RFC 9106 §4's second recommended option (m = 64 MiB, t = 3, p = 4), for
//! memory-constrained settings; its first (2 GiB) is out of reach of a browser's service worker.
//! It is above every row of OWASP's Password Storage Cheat Sheet for Argon2id (the heaviest is
//! m = 46 MiB, t = 1, p = 1; all rows have m·t of 35 to 46 MiB, ours 192 MiB). The wasm core runs
//! the four lanes one after the other, so p = 4 costs the same time as p = 1 here; it is what the
//! RFC names. Measured (`./build.sh bench`): see README, "Lock and the unlock PIN".
//!
//! Stored settings are read back within bounds: below the floor (the lightest OWASP row, m·t ≥
//! 35 MiB and m ≥ 7 MiB) a blob is refused as altered; above the ceiling (512 MiB, 16 passes,
//! 8 lanes) it is refused so an altered blob cannot make the worker allocate gigabytes.

use super::PinError;

/// Argon2id's memory (KiB), passes and lanes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KdfParams {
    pub memory_kib: u32,
    pub iterations: u32,
    pub lanes: u32,
}

impl KdfParams {
    /// RFC 9106's second recommended option.
    pub const DEFAULT: KdfParams = KdfParams {
        memory_kib: 64 * 1024,
        iterations: 3,
        lanes: 4,
    };

    pub const MIN_MEMORY_KIB: u32 = 7 * 1024;
    /// The lightest OWASP row: 7 MiB × 5 passes.
    pub const MIN_WORK_KIB: u64 = 7 * 1024 * 5;
    pub const MAX_MEMORY_KIB: u32 = 512 * 1024;
    pub const MAX_ITERATIONS: u32 = 16;
    pub const MAX_LANES: u32 = 8;

    /// Whether stored settings are within the bounds this version accepts.
    pub fn check(&self) -> Result<(), PinError> {
        if self.lanes == 0 || self.lanes > Self::MAX_LANES {
            return Err(PinError::BadParams("lanes out of range"));
        }
        if self.iterations == 0 || self.iterations > Self::MAX_ITERATIONS {
            return Err(PinError::BadParams("passes out of range"));
        }
        if self.memory_kib > Self::MAX_MEMORY_KIB {
            return Err(PinError::BadParams("more memory than a browser can spare"));
        }
        if self.memory_kib < Self::MIN_MEMORY_KIB
            || (self.memory_kib as u64) * (self.iterations as u64) < Self::MIN_WORK_KIB
            || self.memory_kib < 8 * self.lanes
        {
            return Err(PinError::BadParams("weaker than the least this version accepts"));
        }
        Ok(())
    }

    /// Whether a blob made with these settings should be locked again with `target`: it uses less
    /// memory, or less memory × passes (the work each guess costs).
    pub fn weaker_than(&self, target: &KdfParams) -> bool {
        self.memory_kib < target.memory_kib
            || (self.memory_kib as u64) * (self.iterations as u64)
                < (target.memory_kib as u64) * (target.iterations as u64)
    }

    /// `target` if these settings are weaker than it, else these.
    pub fn raised_to(&self, target: &KdfParams) -> KdfParams {
        if self.weaker_than(target) {
            *target
        } else {
            *self
        }
    }
}

impl Default for KdfParams {
    fn default() -> Self {
        Self::DEFAULT
    }
}
