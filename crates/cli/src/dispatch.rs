//! Arguments -> the command's function.

use crate::args::{Cli, Command, OutputFormat};
use crate::commands::adopt::{entities, init_from_database};
use crate::commands::init::init;
use crate::commands::inspect::{current, history};
use crate::commands::revision::{merge, revision};
use crate::commands::run::{migrate, offline, stamp};
use crate::config::{self, Config, Overrides};
use crate::context::parse_x_args;
use crate::error::CliError;
use crate::outcome::Outcome;
use autogen_migrate::Direction;
use std::io::Write;

pub(crate) async fn dispatch(
    cli: Cli,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<Outcome, CliError> {
    let command = command_of(cli.command, cli.message, cli.dev_url)?;
    let x_args = parse_x_args(&cli.x)?;
    let allow = crate::commands::revision::parse_allow(&cli.allow)?;
    let overrides = Overrides {
        lock_timeout: cli.lock_timeout,
        rev_id: cli.rev_id,
        database_url: cli.database_url,
        models: cli.models,
        migrations: cli.migrations,
        format: match &command {
            Command::Init { format, .. } => format.clone(),
            _ => None,
        },
        safety: cli.safety,
        deny: cli.deny,
    };
    // A configuration file the user named must exist (except for `init`, which writes it);
    // without one, `autogen.toml` here is optional and the defaults apply.
    let named = cli.config.is_some();
    let config_path = cli
        .config
        .unwrap_or_else(|| std::path::PathBuf::from(config::DEFAULT_PATH));
    if named && !config_path.exists() && !matches!(command, Command::Init { .. }) {
        return Err(CliError::Config(config::ConfigError::Missing {
            path: config_path,
        }));
    }
    let cfg = config::load(&config_path, overrides)?;
    announce(err, &cfg, &command)?;
    match command {
        // The format given, or else the configuration's (a file that exists is kept as it is).
        Command::Init {
            from_database: true,
            dense,
            force,
            ..
        } => init_from_database(out, &config_path, &cfg, cfg.format.name(), dense, force).await,
        Command::Init { .. } => init(out, &config_path, &cfg, cfg.format.name()),
        Command::Entities {
            out: dir,
            dense,
            force,
        } => entities(out, &cfg, dir.as_deref(), dense, force).await,
        Command::Revision {
            message,
            autogenerate,
            dev_url,
        } => {
            revision(
                out,
                &cfg,
                &message,
                autogenerate,
                &allow,
                dev_url.as_deref(),
            )
            .await
        }
        Command::Upgrade { target, sql: true } => offline(out, &cfg, &target, Direction::Up),
        Command::Downgrade {
            target, sql: true, ..
        } => offline(out, &cfg, &target, Direction::Down),
        Command::Upgrade { target, sql: false } => {
            migrate(out, &cfg, &target, Direction::Up, x_args, false).await
        }
        Command::Downgrade {
            target,
            sql: false,
            recorded_down,
        } => migrate(out, &cfg, &target, Direction::Down, x_args, recorded_down).await,
        Command::Current { verbose } => current(out, &cfg, verbose).await,
        Command::History {
            rev_range,
            verbose,
            indicate_current,
        } => history(out, &cfg, rev_range.as_deref(), verbose, indicate_current).await,
        Command::Heads { verbose } => crate::commands::inspect::heads(out, &cfg, verbose),
        Command::Branches { verbose } => crate::commands::inspect::branches(out, &cfg, verbose),
        Command::Show { revision } => crate::commands::inspect::show(out, &cfg, &revision),
        Command::Stamp { revision } => stamp(out, &cfg, &revision).await,
        Command::Merge { message, revisions } => merge(out, &cfg, &message, &revisions).await,
        Command::Check {
            dev_url,
            format,
            seed,
            random_seed,
        } => {
            crate::commands::dev::check_command(out, &cfg, dev_url, format, seed, random_seed).await
        }
        Command::Lint { revisions, format } => {
            crate::commands::lint::lint(out, &cfg, &revisions, format).await
        }
        Command::Diff {
            json,
            format,
            dev_url,
        } => {
            let format = if json { OutputFormat::Json } else { format };
            crate::commands::check::diff(out, &cfg, format, dev_url.as_deref()).await
        }
    }
}

/// What a command acts on, on stderr before it starts: the database it connects to (without its
/// password), and the directory it writes revisions or entities into. A URL that names no
/// database is refused first (`autogen_db::missing_database` says why, per dialect).
fn announce(err: &mut dyn Write, cfg: &Config, command: &Command) -> Result<(), CliError> {
    let (database, writes) = match command {
        Command::Init {
            from_database: false,
            ..
        }
        | Command::Heads { .. }
        | Command::Branches { .. }
        | Command::Show { .. }
        | Command::Upgrade { sql: true, .. }
        | Command::Downgrade { sql: true, .. } => return Ok(()),
        Command::Merge { .. } => (false, Some(&cfg.migrations)),
        Command::Revision {
            dev_url: Some(_), ..
        } => (false, Some(&cfg.migrations)),
        Command::Revision { .. } | Command::Init { .. } => (true, Some(&cfg.migrations)),
        Command::Entities { out, .. } => (true, Some(out.as_ref().unwrap_or(&cfg.models))),
        Command::Diff {
            dev_url: Some(_), ..
        }
        | Command::Check {
            dev_url: Some(_), ..
        } => (false, None),
        Command::Upgrade { .. }
        | Command::Downgrade { .. }
        | Command::Stamp { .. }
        | Command::Check { .. }
        | Command::Diff { .. }
        | Command::Current { .. }
        | Command::History { .. }
        | Command::Lint { .. } => (true, None),
    };
    if database && let Some(why) = autogen_db::missing_database(&cfg.database_url) {
        return Err(CliError::Usage(format!(
            "the database URL {} names no database, {why}",
            autogen_db::redact_url(&cfg.database_url)
        )));
    }
    let mut parts = Vec::new();
    if database {
        parts.push(format!(
            "database {}",
            autogen_db::redact_url(&cfg.database_url)
        ));
    }
    if let Command::Revision {
        dev_url: Some(dev), ..
    }
    | Command::Diff {
        dev_url: Some(dev), ..
    } = command
    {
        parts.push(format!(
            "planning on a scratch database at {}",
            autogen_db::redact_url(dev)
        ));
    }
    if let Some(dir) = writes {
        parts.push(format!("writing into {}", dir.display()));
    }
    if !parts.is_empty() {
        writeln!(err, "autogen: {}", parts.join("; "))?;
    }
    Ok(())
}

/// The command to run: a subcommand, or `-m MESSAGE` (with `--dev-url`) for autogenerate.
fn command_of(
    command: Option<Command>,
    message: Option<String>,
    dev_url: Option<String>,
) -> Result<Command, CliError> {
    match (command, message) {
        (Some(_), _) | (None, None) if dev_url.is_some() => Err(CliError::Usage(
            "--dev-url before a command goes with -m; a command takes its own (`autogen diff --dev-url URL`)".into(),
        )),
        (Some(c), _) => Ok(c),
        (None, Some(message)) => Ok(Command::Revision {
            message,
            autogenerate: true,
            dev_url,
        }),
        (None, None) => Err(CliError::Usage(
            "nothing to do: try `autogen -m \"message\"` or `autogen --help`".into(),
        )),
    }
}
