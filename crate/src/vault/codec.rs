//! The compact binary encoding inside envelopes: fields as (tag, length, bytes), length an
//! unsigned LEB128. Readers skip tags they do not know, so a later version can add fields that
//! older readers ignore; a field can never be reinterpreted, since tags are never reused.

use super::VaultError;

#[derive(Default)]
pub(crate) struct Writer {
    pub(crate) out: Vec<u8>,
}

impl Writer {
    pub(crate) fn new(format: u8) -> Self {
        Writer { out: vec![format] }
    }

    pub(crate) fn bytes(&mut self, tag: u8, value: &[u8]) -> &mut Self {
        self.out.push(tag);
        let mut n = value.len();
        loop {
            let more = n >= 0x80;
            self.out.push((n as u8 & 0x7f) | if more { 0x80 } else { 0 });
            n >>= 7;
            if !more {
                break;
            }
        }
        self.out.extend_from_slice(value);
        self
    }

    pub(crate) fn str(&mut self, tag: u8, value: &str) -> &mut Self {
        self.bytes(tag, value.as_bytes())
    }

    pub(crate) fn u64(&mut self, tag: u8, value: u64) -> &mut Self {
        self.bytes(tag, &value.to_be_bytes())
    }
}

/// Iterates the fields after the format byte; `what` names the object in errors.
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
    what: &'static str,
}

impl<'a> Reader<'a> {
    /// Checks the format byte, then reads fields.
    pub(crate) fn new(bytes: &'a [u8], format: u8, what: &'static str) -> Result<Self, VaultError> {
        match bytes.split_first() {
            Some((f, rest)) if *f == format => Ok(Reader { rest, what }),
            Some((f, _)) => Err(VaultError::UnsupportedFormat { what, format: *f }),
            None => Err(VaultError::Malformed(what)),
        }
    }

    pub(crate) fn next_field(&mut self) -> Result<Option<(u8, &'a [u8])>, VaultError> {
        let Some((tag, mut rest)) = self.rest.split_first() else {
            return Ok(None);
        };
        let mut len = 0usize;
        for shift in (0..).step_by(7) {
            let (b, r) = rest.split_first().ok_or(VaultError::Malformed(self.what))?;
            rest = r;
            if shift > 28 {
                return Err(VaultError::Malformed(self.what));
            }
            len |= ((b & 0x7f) as usize) << shift;
            if b & 0x80 == 0 {
                break;
            }
        }
        if rest.len() < len {
            return Err(VaultError::Malformed(self.what));
        }
        let (value, rest) = rest.split_at(len);
        self.rest = rest;
        Ok(Some((*tag, value)))
    }

    pub(crate) fn str(&self, value: &'a [u8]) -> Result<&'a str, VaultError> {
        std::str::from_utf8(value).map_err(|_| VaultError::Malformed(self.what))
    }

    pub(crate) fn u64(&self, value: &[u8]) -> Result<u64, VaultError> {
        Ok(u64::from_be_bytes(
            value.try_into().map_err(|_| VaultError::Malformed(self.what))?,
        ))
    }

    pub(crate) fn array<const N: usize>(&self, value: &[u8]) -> Result<[u8; N], VaultError> {
        value.try_into().map_err(|_| VaultError::Malformed(self.what))
    }

    pub(crate) fn malformed(&self) -> VaultError {
        VaultError::Malformed(self.what)
    }
}
