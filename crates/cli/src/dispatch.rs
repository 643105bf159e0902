//! Arguments -> the command's function.

use crate::args::{Cli, Command, OutputFormat};
use crate::commands::adopt::{entities, init_from_database};
use crate::commands::init::init;
use crate::commands::inspect::{current, describe, history};
use crate::commands::revision::{merge, revision};
use crate::commands::run::{migrate, offline, stamp};
use crate::config::{self, Overrides};
use crate::context::{load_dir_or_new, parse_x_args};
use crate::error::CliError;
use crate::outcome::Outcome;
use autogen_migrate::Direction;
use std::io::Write;

pub(crate) async fn dispatch(cli: Cli, out: &mut dyn Write) -> Result<Outcome, CliError> {
    let command = match (cli.command, cli.message) {
        (Some(c), _) => c,
        (None, Some(message)) => Command::Revision {
            message,
            autogenerate: true,
        },
        (None, None) => {
            return Err(CliError::Usage(
                "nothing to do: try `autogen -m \"message\"` or `autogen --help`".into(),
            ));
        }
    };
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
        } => revision(out, &cfg, &message, autogenerate, &allow).await,
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
        Command::Heads { verbose } => {
            let dir = load_dir_or_new(&cfg)?;
            for r in dir.heads() {
                describe(out, &dir, r, verbose, &[])?;
            }
            Ok(Outcome::Success)
        }
        Command::Branches { verbose } => {
            let dir = load_dir_or_new(&cfg)?;
            for (r, children) in dir.branch_points() {
                describe(out, &dir, r, verbose, &[])?;
                for c in children {
                    writeln!(out, "    -> {} {}", c.meta.id, c.meta.message_line())?;
                }
            }
            Ok(Outcome::Success)
        }
        Command::Show { revision } => {
            let dir = load_dir_or_new(&cfg)?;
            let r = dir.resolve(&revision)?;
            describe(out, &dir, r, true, &[])?;
            let text = std::fs::read_to_string(&r.path).map_err(CliError::Output)?;
            writeln!(out, "\n{text}")?;
            Ok(Outcome::Success)
        }
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
        Command::Diff { json, format } => {
            let format = if json { OutputFormat::Json } else { format };
            crate::commands::check::diff(out, &cfg, format).await
        }
    }
}
