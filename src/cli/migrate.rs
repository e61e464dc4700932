//! `migrate DIR`: the full-screen (or `--plain`) migration flow, and with `--profile P` the
//! non-interactive one.
use std::io::{BufRead as _, IsTerminal, Write as _};
use std::path::PathBuf;

use clap::ValueEnum;

use super::usage;

use crate::catalog::Catalog;
use crate::frontend::visible::visible;
use crate::frontend::{prompt, tui};
use crate::migrate::{
    self, ConflictKind, DirState, MigrateError, MigrationFlow, MigrationPlan, Side,
};
use crate::render::Templates;

/// Which side wins every conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Prefer {
    /// Keep the operator's hand-edited value.
    Ours,
    /// Take the value the new profile renders.
    Theirs,
}

/// `migrate`.
#[derive(Debug, clap::Args)]
pub struct MigrateArgs {
    /// The overlay directory (the one holding caracal-wizard.yaml).
    pub dir: PathBuf,
    /// The profile to move to: evaluation, production, private or regulated.
    #[arg(long, value_name = "PROFILE")]
    pub profile: Option<String>,
    /// Give or override an answer, like `new --set`: `--set auditExport.bucket=acme-audit` (repeatable).
    #[arg(long = "set", value_name = "KEY.PATH=VALUE")]
    pub sets: Vec<String>,
    /// Write without asking for confirmation.
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Settle every conflict between hand edits and the migration with this side.
    #[arg(long, value_enum, value_name = "SIDE")]
    pub prefer: Option<Prefer>,
    /// Show the summary and the diffs, write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Also write (or switch) the GitOps objects: shorthand for `--set gitops=TOOL`.
    #[arg(long, value_enum, value_name = "TOOL")]
    pub gitops: Option<super::GitOpsArg>,
    /// Without --profile: line prompts instead of the full-screen flow.
    #[arg(long)]
    pub plain: bool,
}

/// Colors for the diff, off unless standard output is a terminal and NO_COLOR is unset.
struct Paint {
    on: bool,
}

impl Paint {
    fn detect() -> Self {
        Self {
            on: std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        }
    }

    fn line(&self, l: &str) -> String {
        if !self.on {
            return l.to_string();
        }
        let code = if l.starts_with("+++") || l.starts_with("---") {
            "1"
        } else if l.starts_with('+') {
            "32"
        } else if l.starts_with('-') {
            "31"
        } else if l.starts_with("@@") {
            "36"
        } else {
            return l.to_string();
        };
        format!("\x1b[{code}m{l}\x1b[0m")
    }
}

/// Prints the plan with control characters made visible: hand-edited files and answers
/// are not trusted to be free of escape sequences (the colors are added after).
fn print_plan(
    out: &mut impl std::io::Write,
    args: &MigrateArgs,
    plan: &MigrationPlan,
) -> std::io::Result<()> {
    let mut text = Vec::new();
    summarize(&mut text, args, plan)?;
    out.write_all(visible(&String::from_utf8_lossy(&text)).as_bytes())?;
    let paint = Paint::detect();
    let diffs = plan.diffs();
    if !diffs.is_empty() {
        writeln!(out, "\nFiles:")?;
    }
    for d in diffs {
        for l in d.diff.lines() {
            writeln!(out, "{}", paint.line(&visible(l)))?;
        }
    }
    let mut text = Vec::new();
    list_conflicts(&mut text, plan)?;
    out.write_all(visible(&String::from_utf8_lossy(&text)).as_bytes())
}

fn summarize(
    out: &mut impl std::io::Write,
    args: &MigrateArgs,
    plan: &MigrationPlan,
) -> std::io::Result<()> {
    writeln!(
        out,
        "Migrating {} from profile `{}` to `{}`.\n",
        crate::frontend::visible::shown(&args.dir),
        plan.from_profile,
        plan.to_profile
    )?;
    writeln!(out, "What changes in the deployment:")?;
    if plan.changes.is_empty() {
        writeln!(out, "  (nothing)")?;
    }
    for c in &plan.changes {
        writeln!(out, "  - {c}")?;
    }
    if !plan.merged.is_empty() {
        writeln!(out, "\nHand edits merged into: {}", plan.merged.join(", "))?;
    }
    for n in &plan.notes {
        writeln!(out, "note: {n}")?;
    }
    for w in &plan.warnings {
        writeln!(out, "warning: {w}")?;
    }
    Ok(())
}

fn list_conflicts(out: &mut impl std::io::Write, plan: &MigrationPlan) -> std::io::Result<()> {
    if !plan.conflicts.is_empty() {
        writeln!(
            out,
            "\nConflicts between your hand edits and the migration ({}):",
            plan.conflicts.len()
        )?;
        for c in &plan.conflicts {
            let why = match c.kind {
                ConflictKind::BothChanged => "you and the migration both changed it",
                ConflictKind::Pinned => "the target profile decides this key",
                ConflictKind::UnknownBase => "edited, and the wizard's original can't be rebuilt",
            };
            let chosen = match c.resolution {
                Some(Side::Ours) => " → keeping yours",
                Some(Side::Theirs) => " → taking the new value",
                None => "",
            };
            writeln!(
                out,
                "  {} {}: {why}{chosen}",
                c.file,
                c.path.as_deref().unwrap_or("(whole file)")
            )?;
            writeln!(out, "      yours: {}", c.ours)?;
            writeln!(out, "      new:   {}", c.theirs)?;
        }
    }
    Ok(())
}

fn confirm(dir: &std::path::Path) -> anyhow::Result<bool> {
    let mut out = crate::stdio::stdout();
    write!(
        out,
        "Write these changes to {}? [y/N] ",
        crate::frontend::visible::shown(dir)
    )?;
    out.flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(matches!(line.trim(), "y" | "Y" | "yes"))
}

/// `migrate`.
pub fn run_migrate(args: &MigrateArgs) -> anyhow::Result<i32> {
    let Some(profile) = &args.profile else {
        return run_interactive(args);
    };
    let catalog = Catalog::builtin()?;
    let templates = Templates::builtin()?;
    let (old, state) = DirState::read(&args.dir).map_err(usage)?;
    let mut sets = args.sets.clone();
    if let Some(tool) = args.gitops {
        sets.push(format!(
            "gitops={}",
            crate::answers::GitOps::from(tool).key()
        ));
    }
    let mut plan = migrate::plan_migration(&old, profile, &sets, &state, &catalog, &templates)
        .map_err(|e| match e {
            MigrateError::Render(_) => anyhow::Error::from(e),
            other => usage(format!("{other}\nnothing was written")),
        })?;
    if let Some(p) = args.prefer {
        plan.resolve_all(match p {
            Prefer::Ours => Side::Ours,
            Prefer::Theirs => Side::Theirs,
        });
    }
    let mut out = crate::stdio::stdout();
    print_plan(&mut out, args, &plan)?;
    let open = plan.unresolved().count();
    if open > 0 {
        return Err(usage(format!(
            "{open} conflict(s) between hand edits and the migration; nothing was written. Re-run with --prefer ours (keep your values) or --prefer theirs (take the new profile's)"
        )));
    }
    plan.ensure_allowed(&catalog)
        .map_err(|e| usage(format!("{e}\nnothing was written")))?;
    if args.dry_run {
        writeln!(out, "\ndry run: nothing written")?;
        return Ok(0);
    }
    drop(out);
    if !args.yes {
        let interactive = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
        if !interactive {
            return Err(usage("nothing was written: re-run with --yes to write (there is no terminal to confirm on)"));
        }
        if !confirm(&args.dir)? {
            writeln!(crate::stdio::stdout(), "Nothing written.")?;
            return Ok(super::EXIT_CANCELLED);
        }
    }
    write_plan(args, &plan, "\n")
}

/// Writes a settled plan atomically (force: the merge kept every hand edit it could) and
/// says what happened. Both the non-interactive and the interactive migration end here.
fn write_plan(args: &MigrateArgs, plan: &MigrationPlan, lead: &str) -> anyhow::Result<i32> {
    plan.ensure_allowed(&Catalog::builtin()?)
        .map_err(|e| usage(format!("{e}\nnothing was written")))?;
    let report = super::write(&args.dir, &plan.tree(), true)?;
    let headline = format!(
        "{lead}Migrated {} to profile `{}`",
        crate::frontend::visible::shown(&args.dir),
        visible(&plan.to_profile)
    );
    super::print_write_report(&headline, &args.dir, &report)?;
    Ok(0)
}

/// `migrate DIR` without `--profile`: the flow asks, full-screen or with line prompts (#4).
fn run_interactive(args: &MigrateArgs) -> anyhow::Result<i32> {
    if !args.sets.is_empty()
        || args.prefer.is_some()
        || args.yes
        || args.dry_run
        || args.gitops.is_some()
    {
        return Err(usage("--set, --prefer, --yes and --dry-run go with --profile; without --profile the migration asks for everything on the terminal"));
    }
    if !std::io::stdin().is_terminal() {
        return Err(usage("give the profile to move to with --profile (evaluation, production, private or regulated): there is no terminal to ask on"));
    }
    let catalog = Catalog::builtin()?;
    let templates = Templates::builtin()?;
    let (old, state) = DirState::read(&args.dir).map_err(usage)?;
    let flow = MigrationFlow::new(old, state, catalog, templates);
    let plan = if args.plain || !tui::is_supported() {
        let _watch = crate::frontend::signals::watch_and_exit()?;
        prompt::migrate::run(flow, &args.dir, &mut prompt::Inquire).map_err(usage)?
    } else {
        let mut screen = tui::migrate::MigrateTui::new(flow, args.dir.clone());
        tui::migrate::run(&mut screen).map_err(super::terminal_error)?
    };
    let Some(plan) = plan else {
        crate::stdio::diagnostic("caracal-wizard: cancelled; nothing written");
        return Ok(super::EXIT_CANCELLED);
    };
    write_plan(args, &plan, "")
}
