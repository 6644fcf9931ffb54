//! A small seeded generator for randomized tests; the seed is printed so a failure can be replayed
//! with `LATCHKEY_TEST_SEED=…`.

pub struct Rng(u64);

impl Rng {
    pub fn from_env_or_random() -> Rng {
        let seed = match std::env::var("LATCHKEY_TEST_SEED") {
            Ok(s) => s.parse().expect("LATCHKEY_TEST_SEED must be a number"),
            Err(_) => {
                let mut b = [0u8; 8];
                getrandom::fill(&mut b).expect("the OS random source");
                u64::from_le_bytes(b)
            }
        };
        eprintln!("randomized test seed: LATCHKEY_TEST_SEED={seed}");
        Rng(seed | 1)
    }

    /// xorshift64*: plenty for picking test inputs.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// A string of `0..max` characters drawn from a mix that stresses encoding and sorting.
    pub fn text(&mut self, max: usize) -> String {
        const PIECES: &[&str] = &[
            "a", "Z", "0", "9", " ", "+", "&", "=", "%", "/", "?", "#", "_", "-", ".", "é", "Ü", "😀", "中", "\n", "'",
            "\"", "~", "*",
        ];
        (0..self.below(max + 1)).map(|_| *self.pick(PIECES)).collect()
    }
}
