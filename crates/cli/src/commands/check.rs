//! `check`: the drift gate.

use crate::args::OutputFormat;
use crate::commands::scratch::AtHead;
use crate::config::Config;
use crate::context::{Against, load_dir_or_new, open, pending, plan_with_sources};
use crate::error::CliError;
use crate::outcome::Outcome;
use crate::report::{emit, plan_report, plural};
use autogen_db::Db;
use autogen_migrate::MigrationsDir;
use autogen_render::Report;
use std::io::Write;

pub(crate) async fn check(
    out: &mut dyn Write,
    cfg: &Config,
    format: OutputFormat,
) -> Result<Outcome, CliError> {
    // A project without migrations yet is drift (the plan), not an error.
    let (db, dir, applied) = open(cfg).await?;
    dir.head()?;
    let pending = pending(&dir, &applied);
    if !pending.is_empty() {
        report_pending(out, cfg, "check", &dir, &applied, format, db.dialect())?;
        return Ok(Outcome::Drift);
    }
    let (plan, sources) = plan_with_sources(cfg, &db, Against::Configured).await?;
    let report = plan_report(cfg, "check", &plan, Some(&sources), &[])?;
    if format == OutputFormat::Text {
        if plan.is_empty() {
            writeln!(
                out,
                "No changes detected: entities, migrations and database agree."
            )?;
        } else {
            writeln!(
                out,
                "Entities differ from the database; `autogen -m <message>` would write:"
            )?;
            write!(out, "{}", report.text())?;
        }
    } else {
        emit(out, &report, format)?;
    }
    Ok(if plan.is_empty() {
        Outcome::Success
    } else {
        Outcome::Drift
    })
}

/// Names the revisions not applied (their work is not planned again as new), in `format`:
/// `check` and `diff` on a database behind head.
fn report_pending(
    out: &mut dyn Write,
    cfg: &Config,
    command: &'static str,
    dir: &MigrationsDir,
    applied: &[String],
    format: OutputFormat,
    dialect: autogen_schema::Dialect,
) -> Result<(), CliError> {
    let pending = pending(dir, applied);
    let mut report = Report::new(
        command,
        "pending",
        dialect,
        cfg.policy.safety,
        format!(
            "the database is not at head: {} pending revision{}",
            pending.len(),
            plural(pending.len())
        ),
    );
    report.pending = pending
        .iter()
        .map(|r| format!("{} {}", r.meta.id, r.meta.message))
        .collect();
    report.notes.extend(dir.half_applied(applied));
    report.notes.push(
        "their changes are not planned again: apply them (`autogen upgrade head`), or plan \
         against a scratch database at head (`--dev-url URL`)"
            .into(),
    );
    if format == OutputFormat::Text {
        writeln!(out, "Database is not at head; pending revisions:")?;
        for r in pending {
            writeln!(out, "  {} {}", r.meta.id, r.meta.message_line())?;
        }
        for line in &report.notes {
            writeln!(out, "{line}")?;
        }
    } else {
        emit(out, &report, format)?;
    }
    Ok(())
}

/// `diff`: the plan `-m` would write, in `format`, without writing it. Informational: a denied
/// finding is shown as denied, and fails `-m`, `check` and `lint`, not `diff`. A database behind
/// head is exit 1 with its pending revisions named; `--dev-url` plans against a scratch
/// database at head instead.
pub(crate) async fn diff(
    out: &mut dyn Write,
    cfg: &Config,
    format: OutputFormat,
    dev_url: Option<&str>,
) -> Result<Outcome, CliError> {
    let dir = load_dir_or_new(cfg)?;
    if let Some(url) = dev_url {
        dir.head()?;
        let at_head = AtHead::create(cfg, &dir, url).await?;
        let shown = show_plan(out, cfg, &at_head.db, Against::Scratch, format).await;
        at_head.drop().await;
        return shown;
    }
    let db = Db::connect_existing(&cfg.database_url).await?;
    let applied = autogen_migrate::applied(&db, &dir).await?;
    if !pending(&dir, &applied).is_empty() {
        report_pending(out, cfg, "diff", &dir, &applied, format, db.dialect())?;
        db.close().await;
        return Ok(Outcome::Drift);
    }
    let shown = show_plan(out, cfg, &db, Against::Configured, format).await;
    db.close().await;
    shown
}

async fn show_plan(
    out: &mut dyn Write,
    cfg: &Config,
    db: &Db,
    against: Against,
    format: OutputFormat,
) -> Result<Outcome, CliError> {
    let (plan, sources) = plan_with_sources(cfg, db, against).await?;
    let report = plan_report(cfg, "diff", &plan, Some(&sources), &[])?;
    emit(out, &report, format)?;
    Ok(Outcome::Success)
}
