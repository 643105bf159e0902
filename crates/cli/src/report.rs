//! What `diff`, `check`, `lint` and `-m` report: findings placed at the entity line that caused
//! them, `deny` applied, in the format asked for.

use crate::args::OutputFormat;
use crate::config::Config;
use autogen_diff::Plan;
use autogen_migrate::Allowance;
use autogen_model::SourceMap;
use autogen_render::{Finding, FindingDirection, Report, Review};
use std::io::Write;

/// Places a plan's findings at the entity file and line they come from: the column's field,
/// else the table's struct.
pub(crate) fn place(findings: &mut [Finding], sources: &SourceMap) {
    for f in findings {
        let Some(table) = f.hazard.table.as_deref() else {
            continue;
        };
        let at = match f.hazard.column.as_deref() {
            Some(column) => sources.column(table, column),
            None => sources.table(table),
        };
        if let Some(at) = at {
            f.file = Some(at.file.display().to_string());
            f.line = Some(at.line);
        }
    }
}

/// Marks the findings whose rule is denied and not allowed; allowed ones carry the reason.
/// Under `safety = "online"` a table copy (AG307) is denied too: online means no silent copy.
/// `deny` judges what an upgrade does: a down migration's findings are shown, never denied (a
/// new table's down drops it; denying AG101 must not refuse every new table). A statement
/// autogen could not read (AG504) is denied under any `deny`, since no rule judged it, unless the
/// revision allows it.
pub(crate) fn apply_deny(findings: &mut [Finding], cfg: &Config, allow: &[Allowance]) {
    use autogen_diff::Rule;
    for f in findings {
        let rule = f.hazard.rule;
        if let Some(a) = allow.iter().find(|a| a.rule == rule) {
            f.allowed = Some(a.reason.clone());
        } else if f.direction == FindingDirection::Up
            && (cfg.deny.contains(&rule)
                || cfg.policy.online() && rule == Rule::TableCopy
                || !cfg.deny.is_empty() && rule == Rule::UnparsedStatement)
        {
            f.denied = true;
        }
    }
}

/// The report of a plan (`diff`, `check`, `-m`), findings placed and deny applied.
pub(crate) fn plan_report(
    cfg: &Config,
    command: &'static str,
    plan: &Plan,
    sources: Option<&SourceMap>,
    allow: &[Allowance],
) -> Result<Report, crate::error::CliError> {
    let review = Review::new(plan, &cfg.policy)?;
    let mut findings = review.findings();
    if let Some(sources) = sources {
        place(&mut findings, sources);
    }
    apply_deny(&mut findings, cfg, allow);
    let denied = findings.iter().filter(|f| f.denied).count();
    let summary = if plan.is_empty() {
        "no changes: entities, migrations and database agree".to_string()
    } else {
        format!(
            "{} operation{} in {} revision{}, {} finding{}{}",
            plan.ops.len(),
            plural(plan.ops.len()),
            review.stages.len(),
            plural(review.stages.len()),
            findings.len(),
            plural(findings.len()),
            if denied > 0 {
                format!(" ({denied} denied)")
            } else {
                String::new()
            }
        )
    };
    let status = match (plan.is_empty(), denied > 0, command) {
        (true, _, _) => "in_sync",
        (false, true, _) => "denied",
        (false, false, "check") => "drift",
        (false, false, _) => "changes",
    };
    let mut report = Report::new(command, status, plan.dialect(), cfg.policy.safety, summary);
    report.review = Some(review);
    report.findings = findings;
    Ok(report)
}

pub(crate) use autogen_render::plural;

/// Writes `report` in `format`.
pub(crate) fn emit(
    out: &mut dyn Write,
    report: &Report,
    format: OutputFormat,
) -> std::io::Result<()> {
    match format {
        OutputFormat::Text => write!(out, "{}", report.text()),
        OutputFormat::Json => writeln!(out, "{}", report.json()),
        OutputFormat::Markdown => write!(out, "{}", report.markdown()),
        OutputFormat::Github => write!(out, "{}", report.github()),
    }
}
