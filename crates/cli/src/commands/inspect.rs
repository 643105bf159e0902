//! Reading the history: `current`, `history`, `heads`, `branches`, `show`.

use crate::config::Config;
use crate::context::{load_dir_or_new, open};
use crate::error::CliError;
use crate::outcome::Outcome;
use autogen_db::redact_url;
use autogen_migrate::MigrationsDir;
use std::io::Write;

/// The applied revisions nothing applied builds on: where the database is.
fn current_revisions<'a>(
    dir: &'a MigrationsDir,
    applied: &[String],
) -> Vec<&'a autogen_migrate::Revision> {
    dir.revisions
        .iter()
        .filter(|r| applied.contains(&r.meta.id))
        .filter(|r| {
            !dir.children(&r.meta.id)
                .iter()
                .any(|c| applied.contains(&c.meta.id))
        })
        .collect()
}

/// One revision, as `history`, `heads`, `branches` and `show` print it.
pub(crate) fn describe(
    out: &mut dyn Write,
    dir: &MigrationsDir,
    r: &autogen_migrate::Revision,
    verbose: bool,
    marks: &[&str],
) -> std::io::Result<()> {
    let children = dir.children(&r.meta.id);
    let mut tags: Vec<&str> = marks.to_vec();
    if children.is_empty() {
        tags.push("(head)");
    }
    if children.len() > 1 {
        tags.push("(branchpoint)");
    }
    if r.meta.parents.len() > 1 {
        tags.push("(mergepoint)");
    }
    let stages = dir.change_of(&r.meta.id);
    let stage = (stages.len() > 1).then(|| {
        let n = stages
            .iter()
            .position(|s| s.meta.id == r.meta.id)
            .unwrap_or(0)
            + 1;
        format!(
            "(stage {n}/{} of change {})",
            stages.len(),
            r.meta.change_id()
        )
    });
    tags.extend(stage.as_deref());
    let parents = autogen_migrate::parents_text(&r.meta.parents);
    if !verbose {
        let tags: String = tags.iter().map(|t| format!(" {t}")).collect();
        return writeln!(
            out,
            "{parents} -> {}{tags} {}",
            r.meta.id,
            r.meta.message_line()
        );
    }
    writeln!(out, "Rev: {} {}", r.meta.id, tags.join(" "))?;
    writeln!(out, "Parent: {parents}")?;
    if !children.is_empty() {
        let ids: Vec<&str> = children.iter().map(|c| c.meta.id.as_str()).collect();
        writeln!(out, "Children: {}", ids.join(", "))?;
    }
    writeln!(out, "Path: {}", r.path.display())?;
    writeln!(out, "\n    {}\n", r.meta.message_line())
}

pub(crate) async fn current(
    out: &mut dyn Write,
    cfg: &Config,
    verbose: bool,
) -> Result<Outcome, CliError> {
    let (db, dir, applied) = open(cfg).await?;
    db.close().await;
    if verbose {
        writeln!(
            out,
            "Current revision(s) for {}:",
            redact_url(&cfg.database_url)
        )?;
    }
    let current = current_revisions(&dir, &applied);
    if current.is_empty() {
        writeln!(out, "base (no revision applied)")?;
    }
    for r in current {
        // A change is at its last applied stage; the listing says which change that is.
        if verbose {
            describe(out, &dir, r, true, &[])?;
        } else {
            let head = dir.children(&r.meta.id).is_empty();
            writeln!(
                out,
                "{} {}{}",
                r.meta.id,
                r.meta.message_line(),
                if head { " (head)" } else { "" }
            )?;
        }
    }
    for line in dir.half_applied(&applied) {
        writeln!(out, "{line}")?;
    }
    Ok(Outcome::Success)
}

pub(crate) async fn history(
    out: &mut dyn Write,
    cfg: &Config,
    range: Option<&str>,
    verbose: bool,
    indicate_current: bool,
) -> Result<Outcome, CliError> {
    let (db, dir, applied) = open(cfg).await?;
    db.close().await;
    let current: Vec<String> = current_revisions(&dir, &applied)
        .iter()
        .map(|r| r.meta.id.clone())
        .collect();
    // `START:END`: descendants of START that are ancestors of END.
    let endpoint = |s: &str| -> Result<Option<std::collections::BTreeSet<String>>, CliError> {
        Ok(match s {
            "" | "base" | "heads" => None,
            "current" => Some(current.iter().flat_map(|c| dir.ancestors(c)).collect()),
            rev => Some(dir.ancestors(&dir.resolve(rev)?.meta.id)),
        })
    };
    let (lower, upper) = match range {
        None => (None, None),
        Some(r) => {
            let (start, end) = r
                .split_once(':')
                .ok_or_else(|| CliError::Usage(format!("-r takes START:END, not `{r}`")))?;
            let lower = match start {
                "" | "base" => None,
                "current" => Some(current.iter().flat_map(|c| dir.descendants(c)).collect()),
                rev => Some(dir.descendants(&dir.resolve(rev)?.meta.id)),
            };
            (lower, endpoint(end)?)
        }
    };
    for r in &dir.revisions {
        let id = &r.meta.id;
        if lower
            .as_ref()
            .is_some_and(|l: &std::collections::BTreeSet<String>| !l.contains(id))
            || upper.as_ref().is_some_and(|u| !u.contains(id))
        {
            continue;
        }
        let mut marks = vec![if applied.contains(id) {
            "[applied]"
        } else {
            "[pending]"
        }];
        if indicate_current && current.contains(id) {
            marks.push("(current)");
        }
        describe(out, &dir, r, verbose, &marks)?;
    }
    Ok(Outcome::Success)
}

/// `heads`: the revisions nothing builds on yet.
pub(crate) fn heads(out: &mut dyn Write, cfg: &Config, verbose: bool) -> Result<Outcome, CliError> {
    let dir = load_dir_or_new(cfg)?;
    for r in dir.heads() {
        describe(out, &dir, r, verbose, &[])?;
    }
    Ok(Outcome::Success)
}

/// `branches`: revisions two or more revisions build on, with those children.
pub(crate) fn branches(
    out: &mut dyn Write,
    cfg: &Config,
    verbose: bool,
) -> Result<Outcome, CliError> {
    let dir = load_dir_or_new(cfg)?;
    for (r, children) in dir.branch_points() {
        describe(out, &dir, r, verbose, &[])?;
        for c in children {
            writeln!(out, "    -> {} {}", c.meta.id, c.meta.message_line())?;
        }
    }
    Ok(Outcome::Success)
}

/// `show REV`: one revision in full, and its file's text.
pub(crate) fn show(out: &mut dyn Write, cfg: &Config, revision: &str) -> Result<Outcome, CliError> {
    let dir = load_dir_or_new(cfg)?;
    let r = dir.resolve(revision)?;
    describe(out, &dir, r, true, &[])?;
    let text = std::fs::read_to_string(&r.path).map_err(CliError::Output)?;
    writeln!(out, "\n{text}")?;
    Ok(Outcome::Success)
}
