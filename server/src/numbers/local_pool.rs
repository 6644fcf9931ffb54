//! Numbers from the configuration, handed out first-free. For the demo (whose "carrier" is the server
//! itself) and for deployments that bring their own numbers and point their webhooks here.

use std::sync::Mutex;

use super::{BoxFuture, ManagedNumber, NumberError, NumberProvider, NumberRequest};
use crate::phone::E164;

pub struct LocalPool {
    /// In configuration order: each number and the account holding it, if any.
    slots: Mutex<Vec<(E164, Option<String>)>>,
}

impl LocalPool {
    /// `numbers` from the configuration; `held` the (number, account) pairs already in storage.
    /// Pool numbers are US numbers, like every managed number.
    pub fn new<'a>(
        numbers: impl IntoIterator<Item = &'a str>,
        held: impl IntoIterator<Item = (E164, String)>,
    ) -> Result<LocalPool, NumberError> {
        let mut slots: Vec<(E164, Option<String>)> = Vec::new();
        for text in numbers {
            let number = E164::parse(text.trim())
                .filter(E164::is_us)
                .ok_or_else(|| NumberError::BadPoolNumber(text.to_string()))?;
            if !slots.iter().any(|(n, _)| *n == number) {
                slots.push((number, None));
            }
        }
        for (number, account) in held {
            // A held number no longer in the configuration keeps working until released.
            match slots.iter_mut().find(|(n, _)| *n == number) {
                Some(slot) => slot.1 = Some(account),
                None => slots.push((number, Some(account))),
            }
        }
        Ok(LocalPool {
            slots: Mutex::new(slots),
        })
    }

    fn take(&self, request: &NumberRequest) -> Result<ManagedNumber, NumberError> {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        let managed = |n: &E164| ManagedNumber {
            number: n.clone(),
            provider_id: n.to_string(),
        };
        // Asking twice for the same account (a retried request) gives the same number.
        if let Some((n, _)) = slots
            .iter()
            .find(|(_, a)| a.as_deref() == Some(request.account_id.as_str()))
        {
            return Ok(managed(n));
        }
        let total = slots.len();
        let (n, holder) = slots
            .iter_mut()
            .find(|(_, a)| a.is_none())
            .ok_or(NumberError::PoolExhausted(total))?;
        *holder = Some(request.account_id.clone());
        Ok(managed(n))
    }

    fn give_back(&self, number: &ManagedNumber) -> Result<(), NumberError> {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        match slots.iter_mut().find(|(n, a)| *n == number.number && a.is_some()) {
            Some(slot) => {
                slot.1 = None;
                Ok(())
            }
            None => Err(NumberError::NotInPool(number.number.to_string())),
        }
    }
}

impl NumberProvider for LocalPool {
    fn obtain<'a>(&'a self, request: &'a NumberRequest) -> BoxFuture<'a, Result<ManagedNumber, NumberError>> {
        Box::pin(async move { self.take(request) })
    }

    fn release<'a>(&'a self, number: &'a ManagedNumber) -> BoxFuture<'a, Result<(), NumberError>> {
        Box::pin(async move { self.give_back(number) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(account: &str) -> NumberRequest {
        NumberRequest {
            account_id: account.into(),
            voip_ok: false,
        }
    }

    #[tokio::test]
    async fn hands_out_free_numbers_until_exhausted() {
        let pool = LocalPool::new(["+18005550100", " +18005550101", "+18005550100"], []).unwrap();
        let provider: &dyn NumberProvider = &pool;
        let a = provider.obtain(&req("a")).await.unwrap();
        assert_eq!(a.number.as_str(), "+18005550100");
        assert_eq!(
            provider.obtain(&req("a")).await.unwrap(),
            a,
            "same account, same number"
        );
        let b = provider.obtain(&req("b")).await.unwrap();
        assert_eq!(b.number.as_str(), "+18005550101");
        assert_eq!(provider.obtain(&req("c")).await, Err(NumberError::PoolExhausted(2)));
        provider.release(&a).await.unwrap();
        assert_eq!(
            provider.release(&a).await,
            Err(NumberError::NotInPool("+18005550100".into()))
        );
        assert_eq!(
            provider.obtain(&req("c")).await.unwrap().number.as_str(),
            "+18005550100"
        );
    }

    #[tokio::test]
    async fn respects_numbers_already_held_and_refuses_bad_ones() {
        let held = [(E164::parse("+18005550100").unwrap(), "a".to_string())];
        let pool = LocalPool::new(["+18005550100", "+18005550101"], held).unwrap();
        assert_eq!(pool.obtain(&req("b")).await.unwrap().number.as_str(), "+18005550101");
        assert_eq!(pool.obtain(&req("a")).await.unwrap().number.as_str(), "+18005550100");
        for bad in ["8005550100", "+442071838750", "+1800555010x"] {
            assert!(
                matches!(LocalPool::new([bad], []), Err(NumberError::BadPoolNumber(_))),
                "{bad}"
            );
        }
    }
}
