//! The few protobuf wire-format pieces Google Authenticator's export uses: varints and
//! length-delimited fields (protobuf encoding guide). Unknown fields of any wire type are skipped,
//! as protobuf requires; anything that runs past the end is an error, never a panic.

/// One field: its number and its value.
pub enum Value<'a> {
    Varint(u64),
    Bytes(&'a [u8]),
    /// Fixed 32/64-bit values: valid protobuf, unused by the export, skipped.
    Fixed,
}

pub struct Reader<'a> {
    data: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Reader { data }
    }

    fn varint(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for i in 0..10 {
            let (&byte, rest) = self.data.split_first()?;
            self.data = rest;
            value |= u64::from(byte & 0x7f) << (7 * i);
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    fn take(&mut self, n: u64) -> Option<&'a [u8]> {
        let n = usize::try_from(n).ok().filter(|n| *n <= self.data.len())?;
        let (head, rest) = self.data.split_at(n);
        self.data = rest;
        Some(head)
    }

    /// The next field, `Ok(None)` at the end, `Err(())` if the bytes are not protobuf.
    #[allow(clippy::result_unit_err)]
    pub fn next_field(&mut self) -> Result<Option<(u64, Value<'a>)>, ()> {
        if self.data.is_empty() {
            return Ok(None);
        }
        let key = self.varint().ok_or(())?;
        let number = key >> 3;
        let value = match key & 7 {
            0 => Value::Varint(self.varint().ok_or(())?),
            1 => self.take(8).map(|_| Value::Fixed).ok_or(())?,
            2 => {
                let len = self.varint().ok_or(())?;
                Value::Bytes(self.take(len).ok_or(())?)
            }
            5 => self.take(4).map(|_| Value::Fixed).ok_or(())?,
            _ => return Err(()), // groups (3, 4) are deprecated and unused here; 6, 7 do not exist
        };
        if number == 0 {
            return Err(());
        }
        Ok(Some((number, value)))
    }
}
