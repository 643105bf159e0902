//! `check`: the drift gate.

use crate::config::Config;
use crate::context::{open, pending, plan};
use crate::error::CliError;
use crate::outcome::Outcome;
use std::io::Write;

pub(crate) async fn check(out: &mut dyn Write, cfg: &Config) -> Result<Outcome, CliError> {
    // A project without migrations yet is drift (the plan), not an error.
    let (db, dir, applied) = open(cfg).await?;
    dir.head()?;
    let pending = pending(&dir, &applied);
    if !pending.is_empty() {
        writeln!(out, "Database is not at head; pending revisions:")?;
        for r in pending {
            writeln!(out, "  {} {}", r.meta.id, r.meta.message_line())?;
        }
        return Ok(Outcome::Drift);
    }
    let plan = plan(cfg, &db).await?;
    if plan.is_empty() {
        writeln!(
            out,
            "No changes detected: entities, migrations and database agree."
        )?;
        Ok(Outcome::Success)
    } else {
        writeln!(
            out,
            "Entities differ from the database; `autogen -m <message>` would write:"
        )?;
        write!(out, "{}", autogen_render::review_text(&plan))?;
        Ok(Outcome::Drift)
    }
}
