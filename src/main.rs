//! Entry point: parse the command line, run one command, print any error once, set the exit code.
#![forbid(unsafe_code)]
#![deny(clippy::print_stdout, clippy::print_stderr)]

use caracal_wizard::cli::{self, Cli, Command, Exit};
use caracal_wizard::frontend::visible::visible;
use clap::Parser;

fn run(cli: Cli) -> anyhow::Result<i32> {
    match cli.command {
        None => cli::run_wizard(&cli.wizard),
        Some(Command::Wizard(args)) => cli::run_wizard(&args),
        Some(Command::Demo(args)) => cli::run_demo(&args),
        Some(Command::New(args)) => cli::run_new(&args),
        Some(Command::Preview(args)) => cli::run_preview(&args),
        Some(Command::Check(args)) => cli::run_check(&args),
        Some(Command::Migrate(args)) => cli::run_migrate(&args),
    }
}

fn main() {
    let cli = Cli::parse();
    let code = match run(cli) {
        Ok(code) => code,
        Err(err) => {
            let code = err.downcast_ref::<Exit>().map_or(1, |e| e.code);
            let msg = format!("{err:#}");
            if !msg.is_empty() {
                // Answers and overlay files end up in messages: no escape sequence gets through.
                caracal_wizard::stdio::diagnostic(&format!(
                    "caracal-wizard: error: {}",
                    visible(&msg)
                ));
            }
            code
        }
    };
    std::process::exit(code);
}
