//! The `autogen` command: parses arguments, calls the library crates, renders errors for people.
//! A library so that end-to-end tests run the very same code path in-process ([`run`]).

mod args;
mod commands;
mod config;
mod context;
mod dispatch;
mod error;
mod outcome;
mod report;

pub use outcome::Outcome;

use args::Cli;
use clap::Parser;
use dispatch::dispatch;
use std::io::Write;

/// Runs `autogen` with `args` (the first being the program name), writing what it prints to
/// `out` and errors to `err`.
pub async fn run<I, T>(args: I, out: &mut dyn Write, err: &mut dyn Write) -> Outcome
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            // `--help` and `--version` are answers, on stdout; usage errors go to stderr.
            let text = e.render().to_string();
            return if e.use_stderr() {
                let _ = write!(err, "{text}");
                Outcome::Error
            } else {
                let _ = write!(out, "{text}");
                Outcome::Success
            };
        }
    };
    match dispatch(cli, out).await {
        Ok(o) => o,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            Outcome::Error
        }
    }
}
