//! `latchkey automation check FILE`: the dry run of an automation that changes nothing. The core
//! parses and checks the file (crate/src/automation) and the plan is printed step by step, each
//! `open` resolved on `--origin` (the account's saved site) and checked against the automation's
//! site, exactly as the extension's runner would before acting. No browser, vault or network.

use std::path::PathBuf;

use latchkey_core::automation::{parse, StepKind};
use latchkey_core::site::PublicSuffixList;

use super::{print, CliError};

/// Debian's `publicsuffix` package (`./build.sh setup` installs it).
const DEFAULT_PSL: &str = "/usr/share/publicsuffix/public_suffix_list.dat";

#[derive(Debug, clap::Args)]
#[command(
    override_usage = "latchkey automation check FILE [--origin URL] [--psl FILE]",
    subcommand_required = true
)]
pub struct Args {
    #[command(subcommand)]
    command: AutomationCommand,
}

#[derive(Debug, clap::Subcommand)]
enum AutomationCommand {
    /// Check an automation and print what it would do, changing nothing (exit 1: refused)
    Check(CheckArgs),
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// the automation file (extension/automations/*.automation)
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// the account's site, on which the pages are opened, e.g. https://app.example.com
    #[arg(long, value_name = "URL")]
    origin: Option<String>,
    /// the Public Suffix List (default: Debian's)
    #[arg(long, value_name = "FILE")]
    psl: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<(), CliError> {
    let AutomationCommand::Check(args) = args.command;
    let psl_path = args.psl.unwrap_or_else(|| PathBuf::from(DEFAULT_PSL));
    let psl = std::fs::read_to_string(&psl_path)
        .map_err(|e| CliError::AutomationFile(psl_path.display().to_string(), e.to_string()))?;
    let psl = PublicSuffixList::parse(&psl);
    let file = args.file.display().to_string();
    let text =
        std::fs::read_to_string(&args.file).map_err(|e| CliError::AutomationFile(file.clone(), e.to_string()))?;
    let automation = parse(&text, &psl).map_err(|e| CliError::AutomationRefused(file.clone(), e.to_string()))?;
    let mut out = format!(
        "{file}: {} ({}) on {}: {} steps, nothing changed (dry run)\n",
        automation.app,
        automation.task.name(),
        automation.site,
        automation.steps.len()
    );
    let mut depth = 0;
    for step in &automation.steps {
        if step.kind == StepKind::End {
            depth = 0;
        }
        let what = match (&step.kind, &args.origin) {
            (StepKind::Open(target), Some(origin)) => {
                let url = automation
                    .page_url(&psl, origin, target)
                    .map_err(|e| CliError::AutomationRefused(file.clone(), format!("line {}: {e}", step.line)))?;
                format!("open {url}")
            }
            _ => step.describe(),
        };
        out.push_str(&format!(
            "  line {:>3}: {}{what} (up to {}s)\n",
            step.line,
            "  ".repeat(depth),
            step.timeout_s
        ));
        if matches!(step.kind, StepKind::When(_)) {
            depth = 1;
        }
    }
    print(&out)
}
