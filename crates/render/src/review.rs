//! A plan as the revisions a policy writes ([`Review`]), and what `diff`, `check` and `lint`
//! print about it ([`Report`]): text for people, JSON for tools (the shape
//! `schema/review.schema.json` publishes), Markdown for a pull-request comment, and GitHub
//! Actions annotations. Names reach every format escaped for it, so that no name can forge a
//! line, a table cell, markup or an annotation.

use crate::body::Body;
use crate::error::RenderError;
use crate::policy::{Policy, Safety, StageKind};
use crate::render_plan::{plan_stages, render_stage};
use autogen_diff::{Hazard, Op, Plan};
use autogen_schema::lexical::{SCHEMA_SEPARATOR, comment_text, display_name};
use autogen_schema::{Dialect, LeftAlone};
use serde::Serialize;
use std::fmt::Write as _;

/// The version of the JSON shape; it changes only when a field changes meaning or goes away.
pub const REPORT_SCHEMA_VERSION: u32 = 1;

/// One revision of a plan under a policy.
#[derive(Debug, Clone)]
pub struct StageBodies {
    pub kind: StageKind,
    pub up: Body,
    pub down: Body,
    /// (n, of): the stage's n-th revision of `of`, where it is split so that each statement
    /// refusing a transaction block is alone in its file ([`Body::parts`]).
    pub part: Option<(usize, usize)>,
}

/// A plan and the revisions `policy` writes for it.
#[derive(Debug, Clone)]
pub struct Review {
    pub plan: Plan,
    pub safety: Safety,
    pub stages: Vec<StageBodies>,
}

impl Review {
    pub fn new(plan: &Plan, policy: &Policy) -> Result<Review, RenderError> {
        let mut stages = Vec::new();
        let dialect = plan.dialect();
        for stage in plan_stages(plan, policy) {
            let (up, down) = render_stage(&stage, policy)?;
            // Reverting runs the last revision's down first: the down parts go in reverse.
            let parts = |b: &Body| match policy.one_query_files {
                true => b.parts(dialect),
                false => vec![b.clone()],
            };
            let (ups, downs) = (parts(&up), parts(&down));
            let of = ups.len().max(downs.len());
            let none = |b: &Body| Body {
                steps: Vec::new(),
                hazards: Vec::new(),
                ownership: Vec::new(),
                ..b.clone()
            };
            for i in 0..of {
                stages.push(StageBodies {
                    kind: stage.kind,
                    up: ups.get(i).cloned().unwrap_or_else(|| none(&up)),
                    down: downs
                        .get(of - 1 - i)
                        .cloned()
                        .unwrap_or_else(|| none(&down)),
                    part: (of > 1).then_some((i + 1, of)),
                });
            }
        }
        Ok(Review {
            plan: plan.clone(),
            safety: policy.safety,
            stages,
        })
    }

    /// Findings of the up revisions, then of the down ones.
    pub fn findings(&self) -> Vec<Finding> {
        let mut out = Vec::new();
        for (direction, pick) in [
            (
                Direction::Up,
                (|s: &StageBodies| &s.up) as fn(&StageBodies) -> &Body,
            ),
            (Direction::Down, |s: &StageBodies| &s.down),
        ] {
            for stage in &self.stages {
                out.extend(
                    pick(stage)
                        .hazards
                        .iter()
                        .map(|h| Finding::new(h.clone(), direction)),
                );
            }
        }
        out
    }
}

/// Which way a finding's statement runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Up,
    Down,
}

/// A finding as reported: the hazard (rule, severity, kind, message, table, statement), what
/// to do about it, where it comes from, and whether it fails the run.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    #[serde(flatten)]
    pub hazard: Hazard,
    pub name: &'static str,
    pub fix: &'static str,
    pub direction: Direction,
    /// The revision it was found in (`lint`); none for a plan not written yet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
    /// The file and line that caused it: the entity (a plan) or the revision file (`lint`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// The reason a revision's header gives for allowing it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed: Option<String>,
    /// Its rule is denied and the revision does not allow it: the run fails.
    pub denied: bool,
}

impl Finding {
    /// The finding as a text report lists it: `  ! [AG101 drop-table] (down) drops table …`.
    pub fn text_line(&self) -> String {
        finding_line(self)
    }

    pub fn new(hazard: Hazard, direction: Direction) -> Finding {
        Finding {
            name: hazard.rule.name(),
            fix: hazard.rule.fix(),
            hazard,
            direction,
            revision: None,
            file: None,
            line: None,
            allowed: None,
            denied: false,
        }
    }
}

/// What a command found, in every output format.
#[derive(Debug, Clone)]
pub struct Report {
    /// `diff`, `check` or `lint`.
    pub command: &'static str,
    /// `in_sync`, `changes`, `drift`, `pending`, `round_trip`, `forked`, `denied`, `clean`,
    /// `findings`.
    pub status: &'static str,
    pub dialect: Dialect,
    pub safety: Safety,
    /// One line that says it all.
    pub summary: String,
    pub review: Option<Review>,
    pub findings: Vec<Finding>,
    /// Revisions not applied (`check`), as `id message`.
    pub pending: Vec<String>,
    /// Further lines for people (what a round trip changed, which revisions were linted).
    pub notes: Vec<String>,
}

impl Report {
    /// A report with nothing in it yet.
    pub fn new(
        command: &'static str,
        status: &'static str,
        dialect: Dialect,
        safety: Safety,
        summary: String,
    ) -> Report {
        Report {
            command,
            status,
            dialect,
            safety,
            summary,
            review: None,
            findings: Vec::new(),
            pending: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Whether a finding fails the run.
    pub fn denied(&self) -> bool {
        self.findings.iter().any(|f| f.denied)
    }

    /// The summary as the one line a terminal shows: escaped as findings are, so that a value
    /// a migration wrote (quoted in a seeded run's summary) cannot forge the lines after it.
    pub fn summary_line(&self) -> String {
        comment_text(&self.summary)
    }

    /// For people at a terminal.
    pub fn text(&self) -> String {
        let mut out = String::new();
        match &self.review {
            Some(review) if !review.plan.is_empty() => {
                // The plan's findings as reported (placed, allowed, denied); a lint's others
                // are listed below.
                let own: Vec<Finding> = self
                    .findings
                    .iter()
                    .filter(|f| f.revision.is_none())
                    .cloned()
                    .collect();
                plan_text(&mut out, review, &own)
            }
            Some(review) => {
                out.push_str("No changes detected.\n");
                left_alone(&mut out, &review.plan.left_alone);
            }
            None => {}
        }
        for p in &self.pending {
            let _ = writeln!(out, "  pending {}", comment_text(p));
        }
        for n in &self.notes {
            let _ = writeln!(out, "{}", comment_text(n));
        }
        // A shown plan lists its own findings; what is left are a lint's revisions' findings.
        let plan_shown = self.review.as_ref().is_some_and(|r| !r.plan.is_empty());
        for f in self
            .findings
            .iter()
            .filter(|f| !plan_shown || f.revision.is_some())
        {
            let _ = writeln!(out, "{}", finding_line(f));
        }
        let denied: Vec<&Finding> = self.findings.iter().filter(|f| f.denied).collect();
        if !denied.is_empty() {
            let _ = writeln!(
                out,
                "Denied: {} (`deny` lists the rule, or safety = \"online\" refuses a table copy; allow it in the revision with a reason, or change the plan)",
                denied
                    .iter()
                    .map(|f| f.hazard.rule.id())
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        out
    }

    /// For tools: the shape `schema/review.schema.json` publishes. A table of another
    /// PostgreSQL schema reads `billing.invoice`, as in the text.
    pub fn json(&self) -> String {
        let plan = self.review.as_ref().map(|r| &r.plan);
        let entries = |p: Option<&Plan>| -> Vec<serde_json::Value> {
            p.map(|p| p.ops.iter().map(op_entry).collect())
                .unwrap_or_default()
        };
        let revisions: Vec<serde_json::Value> = self
            .review
            .iter()
            .flat_map(|r| &r.stages)
            .map(|s| {
                serde_json::json!({
                    "stage": s.kind,
                    "transaction": s.up.no_transaction.is_none(),
                    "up": s.up.statements().collect::<Vec<_>>(),
                    "down": s.down.statements().collect::<Vec<_>>(),
                })
            })
            .collect();
        let mut value = serde_json::json!({
            "schema_version": REPORT_SCHEMA_VERSION,
            "command": self.command,
            "status": self.status,
            "summary": self.summary,
            "dialect": self.dialect,
            "safety": self.safety,
            "operations": entries(plan),
            "down": entries(plan.map(Plan::reverse).as_ref()),
            "revisions": revisions,
            "findings": self.findings,
            "pending": self.pending,
            "notes": self.notes,
            "left_alone": plan.map(|p| p.left_alone.clone()).unwrap_or_default(),
        });
        readable_names(&mut value);
        serde_json::to_string_pretty(&value).unwrap_or_default()
    }

    /// For a pull-request comment: a summary line, the operations, the findings with their
    /// rule ids and fixes, and the down migration folded.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "### autogen {}: {}\n\n{} · safety `{}`\n",
            self.command,
            md(&self.summary),
            self.dialect.sql().name(),
            match self.safety {
                Safety::Online => "online",
                Safety::Simple => "simple",
            }
        );
        if let Some(review) = self.review.as_ref().filter(|r| !r.plan.is_empty()) {
            op_table(&mut out, &review.plan.ops);
            if review.stages.len() > 1 {
                let _ = writeln!(out, "\n{}", stages_line(review));
            }
        }
        for p in &self.pending {
            // Plain escaped text, not a code span: a backtick in a message cannot end one.
            let _ = writeln!(out, "- pending {}", md(p));
        }
        for n in &self.notes {
            let _ = writeln!(out, "- {}", md(n));
        }
        if !self.findings.is_empty() {
            out.push_str("\n**Findings**\n\n| rule | severity | finding | fix |\n| --- | --- | --- | --- |\n");
            for f in &self.findings {
                let mut what = format!("{}{}", direction_mark(f), md(&f.hazard.message));
                if let Some(reason) = &f.allowed {
                    what.push_str(&format!(" — allowed: {}", md(reason)));
                }
                if f.denied {
                    what.push_str(" — **denied**");
                }
                let _ = writeln!(
                    out,
                    "| `{}` {} | {} | {} | {} |",
                    f.hazard.rule.id(),
                    f.name,
                    f.hazard.severity,
                    what,
                    md(f.fix)
                );
            }
        }
        if let Some(review) = self.review.as_ref().filter(|r| !r.plan.is_empty()) {
            let down = review.plan.reverse();
            let _ = writeln!(
                out,
                "\n<details><summary>Down migration ({} operation{})</summary>\n",
                down.ops.len(),
                plural(down.ops.len())
            );
            op_table(&mut out, &down.ops);
            out.push_str("\n</details>\n");
        }
        out
    }

    /// GitHub Actions workflow annotations, one per finding, at the entity line (or revision
    /// file) that caused it.
    pub fn github(&self) -> String {
        let mut out = String::new();
        for f in &self.findings {
            let level = match (f.denied, f.hazard.severity) {
                (true, _) | (_, autogen_diff::Severity::Error) => "error",
                (_, autogen_diff::Severity::Warning) => "warning",
                (_, autogen_diff::Severity::Notice) => "notice",
            };
            let mut props = Vec::new();
            if let Some(file) = &f.file {
                props.push(format!("file={}", gh_property(file)));
                if let Some(line) = f.line {
                    props.push(format!("line={line}"));
                }
            }
            props.push(format!("title={}", gh_property(&f.hazard.rule.to_string())));
            let _ = writeln!(
                out,
                "::{level} {}::{}",
                props.join(","),
                gh_data(&format!(
                    "{}{} Fix: {}",
                    direction_mark(f),
                    f.hazard.message,
                    f.fix
                ))
            );
        }
        let _ = writeln!(out, "{}", gh_data(&self.summary));
        out
    }
}

/// `Revisions: 3 (safety = "online"): transactional, then online (outside a transaction, each
/// statement idempotent), then validating`; a stage split into parts says how many
/// (`online in 4 revisions (…; each statement that refuses a transaction block alone)`).
fn stages_line(review: &Review) -> String {
    let mut kinds: Vec<String> = Vec::new();
    for s in &review.stages {
        if s.part.is_some_and(|(n, _)| n > 1) {
            continue;
        }
        let parts = s.part.map(|(_, of)| of);
        kinds.push(match (s.kind, parts) {
            (StageKind::Main, None) => "transactional".into(),
            (StageKind::Online, None) => {
                "online (outside a transaction, each statement idempotent)".into()
            }
            (StageKind::Online, Some(of)) => format!(
                "online in {of} revisions (outside a transaction, each statement idempotent; \
                 each statement that refuses a transaction block alone, as sqlx's runner needs)"
            ),
            (StageKind::Validate, _) => "validating (in a transaction)".into(),
            (StageKind::Main, Some(of)) => format!("transactional in {of} revisions"),
        });
    }
    format!(
        "Revisions: {} (safety = \"online\"): {}",
        review.stages.len(),
        kinds.join(", then ")
    )
}

/// `(down) ` before a finding of a down migration, in every format: rolling back has hazards
/// of its own, and a reviewer must not read one as the up's.
fn direction_mark(f: &Finding) -> &'static str {
    match f.direction {
        Direction::Up => "",
        Direction::Down => "(down) ",
    }
}

fn finding_line(f: &Finding) -> String {
    let mut line = format!(
        "  ! [{}] {}{}",
        f.hazard.rule,
        direction_mark(f),
        comment_text(&f.hazard.message)
    );
    if let Some(rev) = &f.revision {
        line = format!("{line} (revision {})", comment_text(rev));
    }
    if let Some(reason) = &f.allowed {
        line.push_str(&format!(" — allowed: {}", comment_text(reason)));
    }
    if f.denied {
        line.push_str(" — denied");
    }
    line
}

/// The text review of a plan: what it does, its findings, the revisions it becomes, and what
/// its down migration does.
fn plan_text(out: &mut String, review: &Review, findings: &[Finding]) {
    let plan = &review.plan;
    let _ = writeln!(
        out,
        "Plan for {} ({} operation{}):",
        plan.dialect(),
        plan.ops.len(),
        plural(plan.ops.len())
    );
    for op in &plan.ops {
        let _ = writeln!(out, "  {} {}", sign(op), comment_text(&op.describe()));
    }
    let (up, down): (Vec<_>, Vec<_>) = findings.iter().partition(|f| f.direction == Direction::Up);
    if !up.is_empty() {
        let _ = writeln!(out, "Hazards:");
        for f in up {
            let _ = writeln!(out, "{}", finding_line(f));
        }
    }
    if review.stages.iter().any(|s| s.kind != StageKind::Main) {
        let _ = writeln!(out, "{}", stages_line(review));
    }
    let reverse = plan.reverse();
    let _ = writeln!(out, "Down migration:");
    for op in &reverse.ops {
        let _ = writeln!(out, "  {} {}", sign(op), comment_text(&op.describe()));
    }
    // Rolling back has its own hazards: a dropped NOT NULL column cannot come back once the
    // table has rows; an added table or column goes with its data.
    if !down.is_empty() {
        let _ = writeln!(out, "Down migration hazards:");
        for f in down {
            let _ = writeln!(out, "{}", finding_line(f));
        }
    }
    left_alone(out, &plan.left_alone);
}

/// `Left alone: 7 views, 5 partitions` — what the database holds that autogen does not manage.
fn left_alone(out: &mut String, left: &LeftAlone) {
    if !left.is_empty() {
        let _ = writeln!(out, "Left alone: {}", comment_text(&left.to_string()));
    }
}

/// Human review of a plan in its plain forms (what `-m` prints before writing under `simple`).
pub fn review_text(plan: &Plan) -> String {
    match Review::new(plan, &Policy::simple()) {
        Ok(review) => {
            let mut out = String::new();
            if plan.is_empty() {
                out.push_str("No changes detected.\n");
                left_alone(&mut out, &plan.left_alone);
            } else {
                plan_text(&mut out, &review, &review.findings());
            }
            out
        }
        Err(e) => format!("error: {e}\n"),
    }
}

fn op_entry(op: &Op) -> serde_json::Value {
    serde_json::json!({
        "sign": sign(op).to_string(),
        "describe": op.describe(),
        "table": op.table(),
        "op": op,
    })
}

fn op_table(out: &mut String, ops: &[Op]) {
    out.push_str("| | operation |\n| --- | --- |\n");
    for op in ops {
        let _ = writeln!(out, "| {} | {} |", sign(op), md(&op.describe()));
    }
}

/// Text for a Markdown table cell: one line, no markup, no HTML, no `@mention` or `#123`
/// reference that GitHub would make live.
fn md(text: &str) -> String {
    let mut out = String::new();
    for c in comment_text(&display_name(text)).chars() {
        match c {
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '~' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '@' => out.push_str("&#64;"),
            c => out.push(c),
        }
    }
    out
}

/// An annotation's message, as GitHub's workflow commands escape it.
fn gh_data(text: &str) -> String {
    display_name(text)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// An annotation property (file, title), as GitHub's workflow commands escape it.
fn gh_property(text: &str) -> String {
    gh_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Table keys as people read them, everywhere in `value` (no other text holds a NUL: the
/// model refuses one in any name, comment or value).
fn readable_names(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::String(s) if s.contains(SCHEMA_SEPARATOR) => *s = display_name(s),
        Value::Array(items) => items.iter_mut().for_each(readable_names),
        Value::Object(map) => map.values_mut().for_each(readable_names),
        _ => {}
    }
}

/// `s` after a count that is not one (`1 operation`, `2 operations`).
pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn sign(op: &Op) -> char {
    op.effect().sign()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A message in Markdown cannot end a code span, add markup, or mention anyone.
    #[test]
    fn markdown_text_stays_text() {
        let mut report = Report::new(
            "check",
            "pending",
            autogen_schema::Dialect::Postgres,
            Safety::Online,
            "s".into(),
        );
        report.pending = vec!["1 fix `x` @octocat #12 <b>|".into()];
        let text = report.markdown();
        let line = text.lines().find(|l| l.starts_with("- pending")).unwrap();
        assert_eq!(
            line,
            "- pending 1 fix \\`x\\` &#64;octocat \\#12 &lt;b&gt;\\|"
        );
    }
}
