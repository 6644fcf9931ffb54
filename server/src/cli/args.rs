//! A tiny command-line tokenizer, enough for `--flag VALUE`, `--flag=VALUE`, `-h` and `--`.
//! Each subcommand loops over [`Args::next`] and matches the flags it knows, so a new subcommand
//! or flag is one more match arm.

use std::collections::VecDeque;

use super::CliError;

/// One token of a command line.
#[derive(Debug, PartialEq, Eq)]
pub enum Arg {
    /// `--name`, `-n` or `--name=value` (then the value is inline).
    Flag { name: String, inline: Option<String> },
    /// Anything else, and everything after `--`. A lone `-` means standard input.
    Value(String),
}

pub struct Args {
    rest: VecDeque<String>,
    only_values: bool,
}

impl Args {
    pub fn new(args: Vec<String>) -> Self {
        Args {
            rest: args.into(),
            only_values: false,
        }
    }

    pub fn next(&mut self) -> Option<Arg> {
        let token = self.rest.pop_front()?;
        if self.only_values || token == "-" || !token.starts_with('-') {
            return Some(Arg::Value(token));
        }
        if token == "--" {
            self.only_values = true;
            return self.next();
        }
        Some(match token.split_once('=') {
            Some((name, value)) if name.starts_with("--") => Arg::Flag {
                name: name.to_string(),
                inline: Some(value.to_string()),
            },
            _ => Arg::Flag {
                name: token,
                inline: None,
            },
        })
    }

    /// The value of flag `name`: its inline `=value`, else the next token whatever it looks like
    /// (so `--time -1` reaches the number check and gets a clear message).
    pub fn value(&mut self, name: &str, inline: Option<String>) -> Result<String, CliError> {
        inline
            .or_else(|| self.rest.pop_front())
            .ok_or_else(|| CliError::MissingValue(name.to_string()))
    }
}

/// Stores a flag's parsed value, refusing a second occurrence: a repeated flag is more likely a
/// mistake than an intentional override.
pub fn set_once<T>(slot: &mut Option<T>, flag: &str, value: T) -> Result<(), CliError> {
    if slot.is_some() {
        return Err(CliError::Repeated(flag.to_string()));
    }
    *slot = Some(value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(line: &[&str]) -> Vec<Arg> {
        let mut args = Args::new(line.iter().map(|s| s.to_string()).collect());
        std::iter::from_fn(|| args.next()).collect()
    }

    #[test]
    fn splits_flags_values_and_double_dash() {
        let flag = |n: &str, v: Option<&str>| Arg::Flag {
            name: n.into(),
            inline: v.map(Into::into),
        };
        assert_eq!(
            tokens(&["KEY", "--time=5", "-h", "-", "--", "--digits"]),
            vec![
                Arg::Value("KEY".into()),
                flag("--time", Some("5")),
                flag("-h", None),
                Arg::Value("-".into()),
                Arg::Value("--digits".into()),
            ]
        );
    }

    #[test]
    fn value_takes_the_next_token_even_if_it_looks_like_a_flag() {
        let mut args = Args::new(vec!["--time".into(), "-1".into()]);
        let Some(Arg::Flag { name, inline }) = args.next() else {
            panic!()
        };
        assert_eq!(args.value(&name, inline).unwrap(), "-1");
        assert!(matches!(args.value("--digits", None), Err(CliError::MissingValue(f)) if f == "--digits"));
    }
}
