//! `check`: the drift gate.

use crate::args::OutputFormat;
use crate::config::Config;
use crate::context::{open, pending, plan_with_sources};
use crate::error::CliError;
use crate::outcome::Outcome;
use crate::report::{emit, plan_report};
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
        let mut report = autogen_render::Report::new(
            "check",
            "pending",
            db.dialect(),
            cfg.policy.safety,
            format!(
                "the database is not at head: {} pending revision{}",
                pending.len(),
                crate::report::plural(pending.len())
            ),
        );
        report.pending = pending
            .iter()
            .map(|r| format!("{} {}", r.meta.id, r.meta.message))
            .collect();
        report.notes.extend(dir.half_applied(&applied));
        if format == OutputFormat::Text {
            writeln!(out, "Database is not at head; pending revisions:")?;
            for r in pending {
                writeln!(out, "  {} {}", r.meta.id, r.meta.message_line())?;
            }
            for line in dir.half_applied(&applied) {
                writeln!(out, "{line}")?;
            }
        } else {
            emit(out, &report, format)?;
        }
        return Ok(Outcome::Drift);
    }
    let (plan, sources) = plan_with_sources(cfg, &db).await?;
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

/// `diff`: the plan `-m` would write, in `format`, without writing it. Informational: a denied
/// finding is shown as denied, and fails `-m`, `check` and `lint`, not `diff`.
pub(crate) async fn diff(
    out: &mut dyn Write,
    cfg: &Config,
    format: OutputFormat,
) -> Result<Outcome, CliError> {
    let db = autogen_db::Db::connect_existing(&cfg.database_url).await?;
    let (plan, sources) = plan_with_sources(cfg, &db).await?;
    let report = plan_report(cfg, "diff", &plan, Some(&sources), &[])?;
    emit(out, &report, format)?;
    Ok(Outcome::Success)
}
