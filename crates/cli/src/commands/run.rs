//! Moving the database: `upgrade`, `downgrade` (online and `--sql`), `stamp`.

use crate::commands::lint::revision_findings;
use crate::config::Config;
use crate::context::{load_dir, run_options, url_dialect};
use crate::error::CliError;
use crate::outcome::Outcome;
use autogen_db::Db;
use autogen_diff::Rule;
use autogen_migrate::{Direction, Format, MigrationsDir, Target};
use autogen_render::FindingDirection;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

pub(crate) async fn migrate(
    out: &mut dyn Write,
    cfg: &Config,
    target: &str,
    direction: Direction,
    x_args: Vec<(String, String)>,
    recorded_down: bool,
) -> Result<Outcome, CliError> {
    if !x_args.is_empty() && cfg.format == Format::Sql {
        return Err(CliError::Usage(
            "-x reaches Rust migrations (as AUTOGEN_X_* environment variables); SQL migrations take no arguments"
                .into(),
        ));
    }
    let dir = load_dir(cfg)?;
    // Upgrading makes a SQLite database that does not exist yet; downgrading one does not.
    let db = match direction {
        Direction::Up => Db::connect(&cfg.database_url).await?,
        Direction::Down => Db::connect_existing(&cfg.database_url).await?,
    };
    let done_word = match direction {
        Direction::Up => "applied",
        Direction::Down => "reverted",
    };
    // What each down migration drops, counted before anything runs: printed as it is reverted.
    let mut dropping = match direction {
        Direction::Up => BTreeMap::new(),
        Direction::Down => down_findings(cfg, &dir, &db, target).await,
    };
    let mut printed: std::io::Result<()> = Ok(());
    let built = autogen_migrate::build_rust_crate(&dir, &mut |line| {
        if printed.is_ok() {
            printed = writeln!(out, "{line}");
        }
    })
    .await;
    if let Err(e) = built {
        db.close().await;
        return Err(e.into());
    }
    let moved = autogen_migrate::run(
        &db,
        &dir,
        &Target::parse(target),
        direction,
        &autogen_migrate::RunOptions {
            recorded_down,
            ..run_options(cfg, x_args)
        },
        &mut |r| {
            if printed.is_ok() {
                printed = writeln!(out, "{done_word} {} {}", r.meta.id, r.meta.message_line());
            }
            for line in dropping.remove(&r.meta.id).unwrap_or_default() {
                if printed.is_ok() {
                    printed = writeln!(out, "{line}");
                }
            }
        },
    )
    .await;
    db.close().await;
    printed?;
    if moved?.is_empty() {
        match direction {
            Direction::Up => writeln!(out, "Already at {target}.")?,
            Direction::Down => writeln!(out, "Nothing to roll back.")?,
        }
    }
    Ok(Outcome::Success)
}

/// The findings of the down migrations `downgrade TARGET` runs, by revision: each drop with the
/// rows it loses, counted now, before anything runs. Empty where the selection fails (the run
/// itself then says why).
async fn down_findings(
    cfg: &Config,
    dir: &MigrationsDir,
    db: &Db,
    target: &str,
) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    let Ok(applied) = autogen_migrate::applied(db, dir).await else {
        return out;
    };
    let applied: BTreeSet<String> = applied.into_iter().collect();
    let Ok(steps) = dir.steps(&applied, &Target::parse(target), Direction::Down) else {
        return out;
    };
    for rev in steps {
        let Ok(findings) = revision_findings(cfg, dir, rev, db.dialect()) else {
            continue;
        };
        let mut lines = Vec::new();
        for mut f in findings
            .into_iter()
            .filter(|f| f.direction == FindingDirection::Down)
        {
            if matches!(f.hazard.rule, Rule::DropTable | Rule::DropColumn)
                && let Some(table) = &f.hazard.table
                && let Some(rows) = db.row_count(table).await
            {
                f.hazard.message = format!("{} ({rows})", f.hazard.message);
            }
            lines.push(f.text_line());
        }
        out.insert(rev.meta.id.clone(), lines);
    }
    out
}

/// `upgrade --sql [START:]END`, `downgrade --sql START:END`: the script, without a database.
pub(crate) fn offline(
    out: &mut dyn Write,
    cfg: &Config,
    range: &str,
    direction: Direction,
) -> Result<Outcome, CliError> {
    let dialect = url_dialect(cfg)?;
    let (start, end) = match (range.split_once(':'), direction) {
        (Some((s, e)), _) => (if s.is_empty() { "base" } else { s }, e),
        (None, Direction::Up) => ("base", range),
        (None, Direction::Down) => {
            return Err(CliError::Usage(
                "downgrade --sql needs START:END (e.g. `head:base`): offline mode cannot ask the database where it is"
                    .into(),
            ));
        }
    };
    let dir = load_dir(cfg)?;
    let script =
        autogen_migrate::offline::script(&dir, dialect, start, &Target::parse(end), direction)?;
    write!(out, "{script}")?;
    Ok(Outcome::Success)
}

pub(crate) async fn stamp(
    out: &mut dyn Write,
    cfg: &Config,
    revision: &str,
) -> Result<Outcome, CliError> {
    let dir = load_dir(cfg)?;
    let db = Db::connect(&cfg.database_url).await?;
    let result = autogen_migrate::stamp(
        &db,
        &dir,
        &Target::parse(revision),
        &run_options(cfg, Vec::new()),
    )
    .await;
    db.close().await;
    let (added, removed) = result?;
    for id in &added {
        writeln!(out, "stamped {id} as applied")?;
    }
    for id in &removed {
        writeln!(out, "stamped {id} as not applied")?;
    }
    if added.is_empty() && removed.is_empty() {
        writeln!(out, "Already at {revision}.")?;
    }
    Ok(Outcome::Success)
}
