//! The automation format, line by line (docs/automations.md). A line is words separated by spaces;
//! a word with spaces is quoted (`"…"`, with `\"` and `\\` inside). Blank lines and lines starting
//! with `#` are skipped. Any step may end with `within <seconds>s`.

use super::{
    Automation, AutomationError as E, Condition, Fill, Read, Step, StepKind, Task, DEFAULT_TIMEOUT_S, MAX_BYTES,
    MAX_STEPS, MAX_TIMEOUT_S,
};
use crate::site::{host_from_input, normalize_host, PublicSuffixList};

/// The longest selector accepted, in characters.
const MAX_SELECTOR: usize = 300;

/// Parses and checks an automation. Open addresses are checked against its `site` with `psl`.
pub fn parse(text: &str, psl: &PublicSuffixList) -> Result<Automation, E> {
    if text.len() > MAX_BYTES {
        return Err(E::TooLong);
    }
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'));
    let mut last_line = 1;

    let (line, first) = match lines.next() {
        Some((line, l)) => (line, words(line, l)?),
        None => return Err(E::NoVersion { line: 1 }),
    };
    match first.as_slice() {
        [w, v] if w == "automation" && v == "1" => {}
        [w, v] if w == "automation" => return Err(E::UnknownVersion { line, found: v.clone() }),
        _ => return Err(E::NoVersion { line }),
    }

    let (mut app, mut task, mut site) = (None::<String>, None::<Task>, None::<String>);
    let mut steps: Vec<Step> = Vec::new();
    let mut open_when: Option<usize> = None;
    let mut secret_read = false;
    for (line, l) in lines {
        last_line = line;
        let mut w = words(line, l)?;
        let head = w.remove(0);
        if let Some(word) = ["app", "task", "site"].into_iter().find(|h| *h == head) {
            if !steps.is_empty() {
                return Err(E::HeaderAfterSteps { line, word: head });
            }
            let value = one(line, word, w, "a value")?;
            match word {
                "app" if app.is_some() => return Err(E::Repeated { line, word }),
                "app" => app = Some(value),
                "task" if task.is_some() => return Err(E::Repeated { line, word }),
                "task" => task = Some(Task::from_name(&value).ok_or(E::UnknownTask { line, found: value })?),
                _ if site.is_some() => return Err(E::Repeated { line, word }),
                _ => site = Some(site_host(line, &value)?),
            }
            continue;
        }
        let (task, site) = header(line, app.as_ref(), task, site.as_deref())?;
        if steps.len() == MAX_STEPS {
            return Err(E::TooManySteps { line });
        }
        let timeout_s = timeout(line, &mut w)?;
        let kind = match head.as_str() {
            "open" => StepKind::Open(address(line, psl, site, one(line, "open", w, "a path or address")?)?),
            "wait" => StepKind::Wait(selector(line, one(line, "wait", w, "a selector")?)?),
            "click" => StepKind::Click(selector(line, one(line, "click", w, "a selector")?)?),
            "fill" => {
                let (sel, value) = two(line, "fill", w, "a selector and a value")?;
                let value = Fill::from_name(&value).ok_or(E::UnknownValue { line, found: value })?;
                if !task.may_fill(value) {
                    return Err(E::ValueNotForTask {
                        line,
                        value: value.name(),
                        task: task.name(),
                    });
                }
                if value == Fill::NewCode && !secret_read {
                    return Err(E::CodeBeforeSecret { line });
                }
                StepKind::Fill(selector(line, sel)?, value)
            }
            "read" | "read-list" => {
                let step = if head == "read" { "read" } else { "read-list" };
                let (sel, what) = two(line, step, w, "a selector and what to read")?;
                let read = match (step, what.as_str()) {
                    ("read", "secret") => Read::Secret,
                    ("read-list", "backup-codes") => Read::BackupCodes,
                    _ => return Err(E::UnknownRead { line, found: what }),
                };
                if read == Read::Secret {
                    if secret_read {
                        return Err(E::SecretTwice { line });
                    }
                    secret_read = true;
                }
                StepKind::Read(selector(line, sel)?, read)
            }
            "check" => {
                if w.is_empty() {
                    return Err(E::Missing {
                        line,
                        step: "check",
                        what: "a selector and a condition",
                    });
                }
                let sel = selector(line, w.remove(0))?;
                let condition = match (w.first().map(String::as_str), w.len()) {
                    (Some("present"), 1) => Condition::Present,
                    (Some("absent"), 1) => Condition::Absent,
                    (Some("text"), 2) if !w[1].is_empty() => Condition::Text(w[1].clone()),
                    (Some("text"), 1) => {
                        return Err(E::Missing {
                            line,
                            step: "check",
                            what: "the text after `text`",
                        })
                    }
                    (None, _) => {
                        return Err(E::Missing {
                            line,
                            step: "check",
                            what: "a condition",
                        })
                    }
                    _ => {
                        return Err(E::UnknownCondition {
                            line,
                            found: w.join(" "),
                        })
                    }
                };
                StepKind::Check(sel, condition)
            }
            "when" => {
                if let Some(_open) = open_when {
                    return Err(E::NestedWhen { line });
                }
                open_when = Some(line);
                StepKind::When(selector(line, one(line, "when", w, "a selector")?)?)
            }
            "end" => {
                none(line, "end", w)?;
                open_when.take().ok_or(E::EndWithoutWhen { line })?;
                StepKind::End
            }
            _ => return Err(E::UnknownStep { line, word: head }),
        };
        if steps.is_empty() && !matches!(kind, StepKind::Open(_)) {
            return Err(E::FirstNotOpen { line });
        }
        steps.push(Step { line, kind, timeout_s });
    }
    if let Some(line) = open_when {
        return Err(E::UnclosedWhen { line });
    }
    let (task, site) = header(last_line, app.as_ref(), task, site.as_deref())?;
    complete(task, &steps, last_line)?;
    Ok(Automation {
        app: app.unwrap_or_default(),
        task,
        site: site.to_string(),
        steps,
    })
}

/// The header's task and site, once all three header lines were given.
fn header<'a>(
    line: usize,
    app: Option<&String>,
    task: Option<Task>,
    site: Option<&'a str>,
) -> Result<(Task, &'a str), E> {
    app.ok_or(E::MissingHeader { line, word: "app" })?;
    let task = task.ok_or(E::MissingHeader { line, word: "task" })?;
    let site = site.ok_or(E::MissingHeader { line, word: "site" })?;
    Ok((task, site))
}

/// Whether the steps do the whole task: each task ends in a check that the app took the change
/// (the runner confirms a pending secret only after it), and does its own part before.
fn complete(task: Task, steps: &[Step], last_line: usize) -> Result<(), E> {
    let Some(last) = steps.last() else {
        return Err(E::NoSteps { line: last_line });
    };
    let incomplete = |what| {
        Err(E::TaskIncomplete {
            line: last.line,
            task: task.name(),
            what,
        })
    };
    let fills = |value: Fill| {
        steps
            .iter()
            .position(|s| matches!(s.kind, StepKind::Fill(_, v) if v == value))
    };
    match task {
        Task::TurnOnTotp if fills(Fill::NewCode).is_none() => return incomplete("read the secret and fill new-code"),
        Task::AddNumber => match (fills(Fill::ManagedNumber), fills(Fill::SmsCode)) {
            (Some(number), Some(code)) if number < code => {}
            _ => return incomplete("fill managed-number, then the sms-code texted to it"),
        },
        _ => {}
    }
    if !matches!(last.kind, StepKind::Check(..)) {
        return incomplete("end with a check that the app took the change");
    }
    Ok(())
}

/// Splits a line into words; quoted words keep their spaces.
fn words(line: usize, text: &str) -> Result<Vec<String>, E> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut word = String::new();
        if c == '"' {
            chars.next();
            loop {
                match chars.next() {
                    None => return Err(E::UnclosedQuote { line }),
                    Some('"') => break,
                    Some('\\') => match chars.next() {
                        Some(esc @ ('"' | '\\')) => word.push(esc),
                        Some(other) => {
                            word.push('\\');
                            word.push(other);
                        }
                        None => return Err(E::UnclosedQuote { line }),
                    },
                    Some(ch) => word.push(ch),
                }
            }
        } else {
            while let Some(&ch) = chars.peek() {
                if ch.is_whitespace() {
                    break;
                }
                word.push(ch);
                chars.next();
            }
        }
        out.push(word);
    }
    Ok(out)
}

fn none(line: usize, step: &'static str, w: Vec<String>) -> Result<(), E> {
    match w.into_iter().next() {
        None => Ok(()),
        Some(found) => Err(E::Extra { line, step, found }),
    }
}

fn one(line: usize, step: &'static str, mut w: Vec<String>, what: &'static str) -> Result<String, E> {
    if w.is_empty() {
        return Err(E::Missing { line, step, what });
    }
    let first = w.remove(0);
    none(line, step, w)?;
    Ok(first)
}

fn two(line: usize, step: &'static str, mut w: Vec<String>, what: &'static str) -> Result<(String, String), E> {
    if w.len() < 2 {
        return Err(E::Missing { line, step, what });
    }
    let (a, b) = (w.remove(0), w.remove(0));
    none(line, step, w)?;
    Ok((a, b))
}

/// Takes a trailing `within Ns` off the words.
fn timeout(line: usize, w: &mut Vec<String>) -> Result<u32, E> {
    let n = w.len();
    if n < 2 || w[n - 2] != "within" {
        if w.last().is_some_and(|x| x == "within") {
            return Err(E::BadTimeout {
                line,
                found: String::new(),
            });
        }
        return Ok(DEFAULT_TIMEOUT_S);
    }
    let found = w.pop().unwrap_or_default();
    w.pop();
    found
        .strip_suffix('s')
        .and_then(|s| s.parse::<u32>().ok())
        .filter(|s| (1..=MAX_TIMEOUT_S).contains(s))
        .ok_or(E::BadTimeout { line, found })
}

fn site_host(line: usize, value: &str) -> Result<String, E> {
    let bad = |reason: String| E::BadSite {
        line,
        found: value.to_string(),
        reason,
    };
    if value.contains(['/', ':', '@']) {
        return Err(bad("give the host alone, such as app.example.com".into()));
    }
    normalize_host(value).map_err(|e| bad(e.to_string()))
}

/// An `open` target: a path (resolved on the job's origin later) or an https address on the site.
fn address(line: usize, psl: &PublicSuffixList, site: &str, target: String) -> Result<String, E> {
    let control = target.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    if control || target.starts_with("//") {
        return Err(E::BadUrl { line, url: target });
    }
    if target.starts_with('/') {
        return Ok(target);
    }
    let Some((scheme, _)) = target.split_once("://") else {
        return Err(E::BadUrl { line, url: target });
    };
    let Ok(host) = host_from_input(&target) else {
        return Err(E::BadUrl { line, url: target });
    };
    let secure = scheme == "https" || (scheme == "http" && crate::site::is_loopback(&host));
    if !secure || target.contains('@') {
        return Err(E::BadUrl { line, url: target });
    }
    if !psl.same_site(site, &host) {
        return Err(E::OffSite {
            line,
            url: target,
            site: site.to_string(),
        });
    }
    Ok(target)
}

fn selector(line: usize, s: String) -> Result<String, E> {
    let reason = if s.trim().is_empty() {
        Some("it is empty")
    } else if s.chars().count() > MAX_SELECTOR {
        Some("it is longer than 300 characters")
    } else if s.chars().any(char::is_control) {
        Some("it holds a control character")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(E::BadSelector { line, found: s, reason }),
        None => Ok(s),
    }
}
