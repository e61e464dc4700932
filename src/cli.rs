//! The command line: clap definitions and the non-interactive commands.
use std::io::{IsTerminal, Write as _};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use clap::{Parser, Subcommand, ValueEnum};

use crate::answers::Answers;
use crate::catalog::Catalog;
use crate::check::{self, Severity};
use crate::error::{OverlayError, WriteError};
use crate::frontend::signals::Signalled;
use crate::frontend::visible::{shown, visible, visible_line};
use crate::frontend::{draft, prompt, tui, Session};
use crate::overlay_dir::{self, OverlayDir, OverlayPath};
use crate::render::Templates;
use crate::wizard::Wizard;

mod migrate;
mod preview;
pub use migrate::{run_migrate, MigrateArgs, Prefer};
pub use preview::run_preview;

/// Exit code for bad input: nothing was written.
pub const EXIT_USAGE: i32 = 2;
/// Exit code for check findings.
pub const EXIT_FINDINGS: i32 = 1;
/// Exit code when the user cancelled.
pub const EXIT_CANCELLED: i32 = 130;

/// Writes ready-to-commit Helm overlays for Caracal on EKS, GKE and AKS.
#[derive(Debug, Parser)]
#[command(name = "caracal-wizard", version, about, long_about = None)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// What to do; without a command, the wizard runs.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Options of the wizard when no command is given.
    #[command(flatten)]
    pub wizard: WizardArgs,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Answer the questions in a full-screen wizard with a live preview (the default).
    Wizard(WizardArgs),
    /// The wizard prefilled with a fictional example, writing to a temporary directory.
    Demo(DemoArgs),
    /// Write an overlay from an answers file, without questions (for CI).
    New(NewArgs),
    /// Print the files an answers file would produce, writing nothing.
    Preview(PreviewArgs),
    /// Re-validate an overlay directory; exit 1 with findings.
    Check(CheckArgs),
    /// Move an overlay to another profile, keeping your answers and hand edits.
    Migrate(MigrateArgs),
}

/// `new`.
#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The answers file (YAML, version 1); `-` reads standard input.
    #[arg(long, value_name = "FILE")]
    pub answers: PathBuf,
    /// Directory to write the overlay into.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Override an answer, like helm: `--set endpoints.api=internal` (repeatable).
    #[arg(long = "set", value_name = "KEY.PATH=VALUE")]
    pub sets: Vec<String>,
    /// Overwrite files edited by hand since the wizard wrote them.
    #[arg(long)]
    pub force: bool,
    /// Show what would change, write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Also write the GitOps objects installing the chart with this overlay (overrides the
    /// `gitops` answer).
    #[arg(long, value_enum, value_name = "TOOL")]
    pub gitops: Option<GitOpsArg>,
}

/// `--gitops`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GitOpsArg {
    /// An Argo CD Application (gitops/application.yaml).
    Argocd,
    /// A Flux HelmRelease, its chart source and a Flux Kustomization (gitops/).
    Flux,
}

impl From<GitOpsArg> for crate::answers::GitOps {
    fn from(a: GitOpsArg) -> Self {
        match a {
            GitOpsArg::Argocd => crate::answers::GitOps::Argocd,
            GitOpsArg::Flux => crate::answers::GitOps::Flux,
        }
    }
}

/// The overlay directory's path inside its Git repository: relative to the nearest
/// ancestor holding `.git`, or `out` itself when it is a plain relative path.
pub fn repo_relative_path(out: &Path) -> Option<String> {
    let abs = std::path::absolute(out).ok()?;
    let join = |p: &Path| -> Option<String> {
        let parts: Option<Vec<&str>> = p
            .components()
            .map(|c| match c {
                std::path::Component::Normal(s) => s.to_str(),
                _ => None,
            })
            .collect();
        let parts = parts?;
        Some(if parts.is_empty() {
            ".".into()
        } else {
            parts.join("/")
        })
    };
    if let Some(root) = abs.ancestors().find(|d| d.join(".git").exists()) {
        return join(abs.strip_prefix(root).ok()?);
    }
    if out.is_relative() {
        return join(out);
    }
    None
}

/// Applies `--gitops` and fills `gitopsRepo.path` from `--out` when the answers leave it out.
pub fn apply_gitops(mut answers: Answers, tool: Option<GitOpsArg>, out: &Path) -> Answers {
    if let Some(t) = tool {
        answers.gitops = Some(t.into());
    }
    if answers.gitops.is_some() {
        let repo = answers.gitops_repo.get_or_insert_with(Default::default);
        if repo.path.is_none() {
            repo.path = repo_relative_path(out);
        }
    }
    answers
}

/// The wizard.
#[derive(Debug, Clone, clap::Args)]
pub struct WizardArgs {
    /// Prefill every answer from this answers file (each stays editable).
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// Directory to write the overlay into.
    #[arg(long, value_name = "DIR", default_value = "caracal-overlay")]
    pub out: PathBuf,
    /// Prefill an answer, like helm: `--set endpoints.api=internal` (repeatable).
    #[arg(long = "set", value_name = "KEY.PATH=VALUE")]
    pub sets: Vec<String>,
    /// Line prompts instead of the full-screen UI (screen readers, simple terminals).
    #[arg(long)]
    pub plain: bool,
    /// Overwrite files edited by hand since the wizard wrote them.
    #[arg(long)]
    pub force: bool,
}

/// `demo`.
#[derive(Debug, Clone, clap::Args)]
pub struct DemoArgs {
    /// Write here instead of a new temporary directory.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Line prompts instead of the full-screen UI.
    #[arg(long)]
    pub plain: bool,
}

/// `preview`.
#[derive(Debug, clap::Args)]
pub struct PreviewArgs {
    /// The answers file; `-` reads standard input.
    #[arg(long, value_name = "FILE")]
    pub answers: PathBuf,
    /// Print only this file of the overlay (e.g. `values.yaml`).
    #[arg(long, value_name = "PATH")]
    pub file: Option<String>,
    /// Override an answer (repeatable).
    #[arg(long = "set", value_name = "KEY.PATH=VALUE")]
    pub sets: Vec<String>,
    /// `text`: every file under a `==> path <==` header; `yaml`: the Kubernetes objects as one
    /// multi-document stream (for `kubectl apply -f -` or `yq`); `json`: `{path: contents}`.
    #[arg(long, value_enum, default_value_t = PreviewFormat::Text)]
    pub format: PreviewFormat,
}

/// Output format of `preview`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PreviewFormat {
    /// Every file under a `==> path <==` header, for reading.
    Text,
    /// The Kubernetes objects as one YAML stream, each after a `# Source: path` comment.
    Yaml,
    /// One JSON object: path → contents, every file.
    Json,
}

/// Output format of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// A readable table.
    Table,
    /// JSON for CI.
    Json,
}

/// `check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The overlay directory.
    pub dir: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// The Caracal chart (directory or .tgz): render the overlay with helm (`$HELM` or `helm`
    /// on PATH) and check the rendered manifests and the values keys against it.
    #[arg(long, value_name = "PATH")]
    pub chart: Option<PathBuf>,
}

/// An error that maps to a specific exit code.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Exit {
    /// Code.
    pub code: i32,
    /// Message (empty: print nothing more).
    pub message: String,
}

/// A full-screen front end's failure: a termination signal exits 128 + its number (the
/// terminal is already restored); anything else is the terminal failing.
fn terminal_error(e: std::io::Error) -> anyhow::Error {
    match Signalled::of(&e) {
        Some(s) => Exit {
            code: s.exit_code(),
            message: s.to_string(),
        }
        .into(),
        None => anyhow::Error::from(e).context("the terminal failed"),
    }
}

fn usage(e: impl std::fmt::Display) -> anyhow::Error {
    Exit {
        code: EXIT_USAGE,
        message: e.to_string(),
    }
    .into()
}

/// Reads an answers file (or stdin for `-`) and applies `--set`s.
pub fn load_answers(path: &Path, sets: &[String]) -> anyhow::Result<Answers> {
    let (name, text) = if path.as_os_str() == "-" {
        let text = overlay_dir::read_answers_stdin().map_err(|e| match e {
            OverlayError::Io(e) => {
                anyhow::Error::new(e).context("reading answers from standard input")
            }
            refused => usage(refused),
        })?;
        ("<stdin>".to_string(), text)
    } else {
        let text = overlay_dir::read_answers_file(path).map_err(|e| match e {
            OverlayError::Io(e) => {
                usage(format!("{e}; give an existing answers file with --answers"))
            }
            refused => usage(refused),
        })?;
        (shown(path), text)
    };
    Answers::parse(&name, &text, sets).map_err(usage)
}

/// Plans and renders, mapping bad answers to exit 2.
pub fn build(
    answers: &Answers,
) -> anyhow::Result<(crate::plan::Plan, crate::render::RenderedTree)> {
    let catalog = Catalog::builtin()?;
    let templates = Templates::builtin()?;
    match crate::build(answers, &catalog, &templates) {
        Ok(x) => Ok(x),
        Err(crate::BuildError::Invalid(p)) => Err(usage(format!("{p}\nnothing was written"))),
        Err(e) => Err(e.into()),
    }
}

/// Prints warnings to stderr.
pub fn print_warnings(plan: &crate::plan::Plan) {
    for w in &plan.warnings {
        // Formatted first: stderr is unbuffered, so this is one write per warning.
        let line = format!("caracal-wizard: warning: {}", visible(&w.to_string()));
        crate::stdio::diagnostic(&line);
    }
}

/// `new`.
pub fn run_new(args: &NewArgs) -> anyhow::Result<i32> {
    let answers = apply_gitops(
        load_answers(&args.answers, &args.sets)?,
        args.gitops,
        &args.out,
    );
    let (plan, tree) = build(&answers)?;
    print_warnings(&plan);
    if args.dry_run {
        crate::output::ensure_writable(&args.out, &tree, args.force).map_err(usage)?;
        let overlay = OverlayDir::new(&args.out);
        let mut out = crate::stdio::stdout();
        for (path, contents) in &tree.files {
            let old = match OverlayPath::try_from(path.as_str()) {
                Ok(rel) => overlay.read(&rel).map_err(usage)?.unwrap_or_default(),
                Err(e) => return Err(usage(e)),
            };
            let status = if old.is_empty() {
                "create"
            } else if old == contents.as_bytes() {
                "same  "
            } else {
                "change"
            };
            writeln!(out, "{status} {}", shown(&args.out.join(path)))?;
        }
        writeln!(out, "dry run: nothing written")?;
        return Ok(0);
    }
    write_tree(&args.out, &plan, &tree, args.force)
}

/// Writes the overlay and says what happened.
fn write_tree(
    out_dir: &Path,
    plan: &crate::plan::Plan,
    tree: &crate::render::RenderedTree,
    force: bool,
) -> anyhow::Result<i32> {
    let report = write(out_dir, tree, force)?;
    let headline = format!(
        "Wrote {} ({} on {})",
        shown(out_dir),
        plan.profile.title,
        plan.cloud.title
    );
    print_write_report(&headline, out_dir, &report)?;
    let readme = shown(&out_dir.join("README.md"));
    writeln!(crate::stdio::stdout(), "Next: read {readme}")?;
    Ok(0)
}

/// Writes `tree` into `dir`; refusals (hand edits, a foreign directory) are bad input (exit 2).
pub fn write(
    dir: &Path,
    tree: &crate::render::RenderedTree,
    force: bool,
) -> anyhow::Result<crate::output::WriteReport> {
    crate::output::write_tree(dir, tree, force).map_err(refusal)
}

/// A write error as exit 2 when it is a refusal (hand edits, a foreign directory, a link
/// or FIFO in the way, another writer) and plain I/O otherwise.
fn refusal(e: WriteError) -> anyhow::Error {
    match e {
        WriteError::Io(_) => anyhow::Error::from(e),
        other => usage(format!("{other}\nnothing was written")),
    }
}

/// Prints what a write did: `headline: N file(s) changed, …`, and any generated secrets.
pub fn print_write_report(
    headline: &str,
    dir: &Path,
    report: &crate::output::WriteReport,
) -> anyhow::Result<()> {
    let mut out = crate::stdio::stdout();
    let removed = if report.removed.is_empty() {
        String::new()
    } else {
        format!(", {} removed", report.removed.len())
    };
    writeln!(
        out,
        "{}: {} file(s) changed, {} unchanged{removed}.",
        visible(headline),
        report.written.len(),
        report.unchanged.len(),
    )?;
    let secrets = shown(&dir.join(crate::render::LOCAL_SECRETS_FILE));
    if report.generated_secrets {
        writeln!(
            out,
            "Generated temporary evaluation secrets in {secrets} (mode 0600, git-ignored)."
        )?;
    } else if report.completed_secrets > 0 {
        writeln!(
            out,
            "Added {} missing temporary secret(s) to {secrets}; the values already there are kept.",
            report.completed_secrets,
        )?;
    }
    Ok(())
}

/// The wizard (`caracal-wizard`, `caracal-wizard wizard`).
pub fn run_wizard(args: &WizardArgs) -> anyhow::Result<i32> {
    let answers = match &args.answers {
        Some(path) => load_answers(path, &args.sets)?,
        None => Answers::parse("--set", "", &args.sets).map_err(usage)?,
    };
    let session = Session {
        out: args.out.clone(),
        force: args.force,
        drafts: draft::data_dir().map(|d| draft::dir_for(&d, &args.out)),
    };
    interactive(answers, &session, args.plain)
}

/// `demo`: the wizard prefilled with the built-in EKS production example.
pub fn run_demo(args: &DemoArgs) -> anyhow::Result<i32> {
    let answers = Answers::builtin_example("eks-production")
        .context("the built-in example is missing (a bug)")?;
    let out = match &args.out {
        Some(dir) => dir.clone(),
        None => {
            let mut suffix = [0u8; 4];
            getrandom::fill(&mut suffix)
                .map_err(|e| anyhow::anyhow!("no randomness for a temporary name: {e}"))?;
            let hex: String = suffix.iter().map(|b| format!("{b:02x}")).collect();
            std::env::temp_dir().join(format!("caracal-demo-{hex}"))
        }
    };
    // Demo runs leave no draft behind: they are for presentations, not for real installs.
    let session = Session {
        out,
        force: false,
        drafts: None,
    };
    interactive(answers, &session, args.plain)
}

fn interactive(answers: Answers, session: &Session, plain: bool) -> anyhow::Result<i32> {
    let catalog = Catalog::builtin()?;
    let templates = Templates::builtin()?;
    let saved = session.drafts.as_deref().and_then(draft::load);
    let finished = if plain || !tui::is_supported() {
        let _watch = crate::frontend::signals::watch_and_exit()?;
        let mut p = prompt::Inquire;
        let resume = match &saved {
            Some(d) => match prompt::offer_resume(d, &session.out, &mut p) {
                // Ctrl-C or Esc at the first question quits, as everywhere else.
                Err(prompt::PromptError::Cancelled) => None,
                Err(e) => return Err(usage(e)),
                Ok(yes) => Some(yes),
            },
            None => Some(false),
        };
        let wizard = match (resume, saved) {
            (None, _) => return cancelled(session),
            (Some(true), Some(d)) => Wizard::resume(catalog, d.answers.clone(), d.step()),
            _ => Wizard::new(catalog, answers),
        };
        match prompt::run(wizard, session, &templates, &mut p) {
            Ok(f) => f,
            Err(e) => return Err(usage(e)),
        }
    } else {
        let mut screen = tui::Tui::new(
            Wizard::new(catalog, answers),
            session.clone(),
            templates,
            saved,
        );
        tui::run(&mut screen).map_err(terminal_error)?
    };
    let Some(answers) = finished else {
        return cancelled(session);
    };
    let (plan, tree) = build(&answers)?;
    let code = write_tree(&session.out, &plan, &tree, session.force)?;
    if let Some(dir) = &session.drafts {
        draft::clear(dir);
    }
    Ok(code)
}

/// Says that nothing was written (and whether a draft is kept); the cancel exit code.
fn cancelled(session: &Session) -> anyhow::Result<i32> {
    let kept = if session.drafts.is_some() {
        " (the draft is kept: run caracal-wizard again to resume)"
    } else {
        ""
    };
    crate::stdio::diagnostic(&format!("caracal-wizard: cancelled; nothing written{kept}"));
    Ok(EXIT_CANCELLED)
}

/// `check`.
pub fn run_check(args: &CheckArgs) -> anyhow::Result<i32> {
    let catalog = Catalog::builtin()?;
    if !args.dir.is_dir() {
        return Err(usage(format!(
            "{} is not a directory; give an overlay directory",
            shown(&args.dir)
        )));
    }
    // check and verify walk and read the whole overlay: refuse links, FIFOs and huge files
    // first, so a hostile overlay can't hang them or make them read elsewhere (#11).
    let overlay = OverlayDir::new(&args.dir);
    overlay.ensure_plain_tree().map_err(usage)?;
    crate::output::recorded_digests(&overlay).map_err(usage)?;
    let tools = crate::verify::Tools::discover().map_err(usage)?;
    // The static checks run while helm and kubectl do: `check --chart` then takes about as
    // long as `helm template` alone.
    let (checked, verified) = std::thread::scope(|s| {
        let checked = s.spawn(|| check::check_dir(&args.dir, &catalog));
        let verified =
            crate::verify::verify_dir(&args.dir, args.chart.as_deref(), &catalog, &tools);
        let checked = checked
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (checked, verified)
    });
    let mut findings = checked.map_err(usage)?;
    let verification = verified.map_err(usage)?;
    if verification.rendered {
        findings.retain(|f| !f.rechecked_when_rendered);
    }
    findings.extend(verification.findings.iter().cloned());
    findings.sort();
    findings.dedup();
    let errors = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    let mut out = crate::stdio::stdout();
    match args.format {
        OutputFormat::Json => {
            let report = serde_json::json!({
                "dir": args.dir.display().to_string(),
                "ok": errors == 0,
                "chart": verification.chart,
                "rendered": verification.rendered,
                "kustomized": verification.kustomized,
                "notes": verification.notes,
                "findings": findings,
            });
            writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
        }
        OutputFormat::Table => {
            if let Some(c) = &verification.chart {
                let how = if verification.rendered {
                    "rendered with helm"
                } else {
                    "values keys only"
                };
                let line = format!("chart: {} {} ({}; {how})", c.name, c.version, c.path);
                writeln!(out, "{}", visible(&line))?;
            }
            for n in &verification.notes {
                writeln!(out, "note: {}", visible(n))?;
            }
            if findings.is_empty() {
                writeln!(out, "{}: clean", shown(&args.dir))?;
            } else {
                let color =
                    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
                for f in &findings {
                    let sev = match (f.severity, color) {
                        (Severity::Error, true) => "\x1b[31mERROR\x1b[0m",
                        (Severity::Error, false) => "ERROR",
                        (Severity::Note, true) => "\x1b[33mnote \x1b[0m",
                        (Severity::Note, false) => "note ",
                    };
                    let answer = f
                        .answer
                        .as_ref()
                        .map(|a| format!(" [change `{a}`]"))
                        .unwrap_or_default();
                    // Findings quote overlay files and their names: control characters and
                    // line breaks are shown, not obeyed, so a file name can't forge a line.
                    let row = format!("{:<40} {}{answer}", f.file, f.message);
                    writeln!(out, "{sev}  {}", visible_line(&row))?;
                }
                writeln!(
                    out,
                    "{errors} error(s), {} note(s)",
                    findings.len() - errors
                )?;
            }
        }
    }
    Ok(if errors > 0 { EXIT_FINDINGS } else { 0 })
}
