//! Entry point: parse the command line, run one command, print any error once, set the exit code.
#![forbid(unsafe_code)]

use caracal_wizard::cli::{self, Cli, Command, Exit};
use clap::Parser;

fn run(cli: Cli) -> anyhow::Result<i32> {
    match cli.command {
        Command::New(args) => cli::run_new(&args),
        Command::Preview(args) => cli::run_preview(&args),
        Command::Check(args) => cli::run_check(&args),
        Command::Migrate(args) => cli::run_migrate(&args),
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
                eprintln!("caracal-wizard: error: {msg}");
            }
            code
        }
    };
    std::process::exit(code);
}
