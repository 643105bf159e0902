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
mod terminal;

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
    let parsed = Cli::try_parse_from(args);
    // Only `--format github` prints workflow commands, and only its own annotations.
    let github = parsed.as_ref().is_ok_and(|cli| {
        matches!(
            &cli.command,
            Some(
                args::Command::Check { format, .. }
                    | args::Command::Diff { format, .. }
                    | args::Command::Lint { format, .. }
            ) if *format == args::OutputFormat::Github
        )
    });
    let mut out = terminal::Guarded::new(out, github);
    let mut err = terminal::Guarded::new(err, false);
    let (out, err): (&mut dyn Write, &mut dyn Write) = (&mut out, &mut err);
    let cli = match parsed {
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
    match dispatch(cli, out, err).await {
        Ok(o) => o,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            Outcome::Error
        }
    }
}
