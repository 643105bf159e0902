//! What `diff`, `check`, `lint` and `-m` report: findings placed at the entity line that caused
//! them, `deny` applied, in the format asked for.

use crate::args::OutputFormat;
use crate::config::Config;
use autogen_diff::Plan;
use autogen_migrate::Allowance;
use autogen_model::SourceMap;
use autogen_render::{Finding, Report, Review};
use std::io::Write;

/// Places a plan's findings at the entity file and line they come from: the column's field,
/// else the table's struct.
pub(crate) fn place(findings: &mut [Finding], sources: &SourceMap) {
    for f in findings {
        let Some(table) = f.hazard.table.as_deref() else {
            continue;
        };
        let column = column_of(&f.hazard.message, table);
        let at = column
            .and_then(|c| sources.column(table, c))
            .or_else(|| sources.table(table));
        if let Some(at) = at {
            f.file = Some(at.file.display().to_string());
            f.line = Some(at.line);
        }
    }
}

/// The column of `table` a finding's message names as `table.column`, if any.
fn column_of<'a>(message: &'a str, table: &str) -> Option<&'a str> {
    let prefix = format!("{}.", autogen_schema::lexical::display_name(table));
    let at = message.find(&prefix)? + prefix.len();
    message[at..]
        .split_whitespace()
        .next()
        .map(|c| c.trim_end_matches([',', ':', ';']))
        .filter(|c| !c.is_empty())
}

/// Marks the findings whose rule is denied and not allowed; allowed ones carry the reason.
/// Under `safety = "online"` a table copy (AG307) is denied too: online means no silent copy.
pub(crate) fn apply_deny(findings: &mut [Finding], cfg: &Config, allow: &[Allowance]) {
    for f in findings {
        let rule = f.hazard.rule;
        if let Some(a) = allow.iter().find(|a| a.rule == rule) {
            f.allowed = Some(a.reason.clone());
        } else if cfg.deny.contains(&rule)
            || cfg.policy.online() && rule == autogen_diff::Rule::TableCopy
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
    Ok(Report {
        command,
        status,
        dialect: plan.dialect(),
        safety: cfg.policy.safety,
        summary,
        review: Some(review),
        findings,
        pending: Vec::new(),
        notes: Vec::new(),
    })
}

pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

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

#[cfg(test)]
mod tests {
    use super::column_of;

    #[test]
    fn the_column_a_message_names() {
        assert_eq!(
            column_of("drops column fees.description and its data", "fees"),
            Some("description")
        );
        assert_eq!(
            column_of("sets t.name NOT NULL: fails if any row holds NULL", "t"),
            Some("name")
        );
        assert_eq!(
            column_of(
                "drops column billing.invoice.total and its data",
                "billing\0invoice"
            ),
            Some("total")
        );
        assert_eq!(
            column_of("drops table fees and every row in it", "fees"),
            None
        );
    }
}
