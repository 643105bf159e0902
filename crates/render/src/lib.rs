//! Plan -> migration files (SQL in sqlx's reversible layout, Rust for sea-orm-migration) and
//! review output (text, JSON).

mod rust;
pub mod sql;

use autogen_diff::{Op, Plan};
use autogen_schema::Dialect;
use std::fmt::Write as _;

pub use rust::{render_rust_empty, render_rust_lib, render_rust_migration, x_arg_env};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RenderError {
    #[error("{dialect} has no column type {ty}")]
    UnsupportedType { dialect: Dialect, ty: String },
    #[error("{dialect} cannot {what}")]
    Unsupported { dialect: Dialect, what: String },
    #[error("rendering for {dialect} is not supported yet")]
    UnsupportedDialect { dialect: Dialect },
}

/// What a migration file records about itself; autogen reads it back from the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionMeta {
    /// `YYYYMMDDHHMMSS`: sortable, and sqlx's version number.
    pub id: String,
    /// The revisions this one applies on top of: none for the first, one usually, several for a
    /// merge (`autogen merge`).
    pub parents: Vec<String>,
    pub message: String,
}

pub const HEADER_REVISION: &str = "autogen revision:";
pub const HEADER_PARENT: &str = "autogen parent:";
pub const HEADER_MESSAGE: &str = "autogen message:";

fn header_lines(meta: &RevisionMeta, hazards: &[autogen_diff::Hazard]) -> Vec<String> {
    let mut lines = vec![
        format!("{HEADER_REVISION} {}", meta.id),
        format!("{HEADER_PARENT} {}", parents_text(&meta.parents)),
        format!("{HEADER_MESSAGE} {}", meta.message),
    ];
    if !hazards.is_empty() {
        lines.push(String::new());
        lines.push("Hazards (review before applying):".into());
        for h in hazards {
            lines.push(format!("  [{}] {}", h.kind, h.message));
        }
    }
    lines
}

/// `base`, `a`, or `a, b` for a merge: how headers and `history` write a revision's parents.
pub fn parents_text(parents: &[String]) -> String {
    if parents.is_empty() {
        "base".into()
    } else {
        parents.join(", ")
    }
}

/// sqlx's marker (it must be a migration file's very first line): the file runs outside a
/// transaction.
pub const NO_TRANSACTION_MARKER: &str = "-- no-transaction";

/// Statements that cannot run inside a transaction block (PostgreSQL refuses them; SQLite
/// ignores `PRAGMA foreign_keys` there).
pub fn is_non_transactional(statement: &str) -> bool {
    let upper = statement.to_ascii_uppercase();
    let words: Vec<&str> = upper.split_whitespace().collect();
    if words.first() == Some(&"PRAGMA") && upper.contains("FOREIGN_KEYS") {
        return true;
    }
    words.windows(2).any(|w| {
        matches!(
            (w[0], w[1]),
            ("INDEX", "CONCURRENTLY") | ("REINDEX", _) | ("DATABASE", _)
        )
    }) || words.first() == Some(&"VACUUM")
}

/// The `.up.sql` and `.down.sql` contents for `plan`.
pub fn render_sql_migration(
    meta: &RevisionMeta,
    plan: &Plan,
) -> Result<(String, String), RenderError> {
    let file = |plan: &Plan, direction: &str| -> Result<String, RenderError> {
        let mut statements = Vec::new();
        let wrapper = sql::rebuild_wrapper(plan);
        if let Some((before, _)) = &wrapper {
            statements.push((
                "rebuild: foreign keys off, one transaction".to_string(),
                before.clone(),
            ));
        }
        for op in &plan.without_redundant_drops().ops {
            statements.push((op.describe(), sql::op_statements(op, plan.dialect)?));
        }
        if let Some((_, after)) = wrapper {
            statements.push((
                "rebuild: no row may point nowhere; commit; foreign keys on".to_string(),
                after,
            ));
        }
        let mut out = String::new();
        if let Some(why) = plan.outside_transaction() {
            let _ = writeln!(
                out,
                "{NO_TRANSACTION_MARKER}\n-- This migration runs outside a transaction: {why}.\n\
                 -- If it fails halfway, the statements before the failing one stay applied."
            );
        } else if statements
            .iter()
            .flat_map(|(_, s)| s)
            .any(|s| is_non_transactional(s))
        {
            let _ = writeln!(
                out,
                "{NO_TRANSACTION_MARKER}\n-- This migration runs outside the runner's transaction: it holds a statement \
                 that cannot run inside one\n-- (CREATE INDEX CONCURRENTLY, or SQLite's PRAGMA foreign_keys, \
                 which a table rebuild needs; the rebuild makes its own transaction)."
            );
        }
        for line in header_lines(meta, &plan.hazards()) {
            if line.is_empty() {
                out.push_str("--\n");
            } else {
                let _ = writeln!(out, "-- {line}");
            }
        }
        let _ = writeln!(out, "-- autogen direction: {direction}");
        for (describe, stmts) in statements {
            let _ = write!(out, "\n-- {describe}\n");
            for stmt in stmts {
                let _ = writeln!(out, "{stmt};");
            }
        }
        Ok(out)
    };
    let down = plan.reverse();
    Ok((file(plan, "up")?, file(&down, "down")?))
}

/// A migration with no operations, to be filled in by hand (`autogen revision -m`).
pub fn render_sql_empty(meta: &RevisionMeta) -> (String, String) {
    let head = |direction: &str, hint: &str| {
        let mut out = String::new();
        for line in header_lines(meta, &[]) {
            let _ = writeln!(out, "-- {line}");
        }
        let _ = writeln!(out, "-- autogen direction: {direction}\n\n-- {hint}");
        out
    };
    (
        head(
            "up",
            "Write the forward change here. A data migration on a large table updates in batches,\n\
             -- so that no statement holds its locks for long; repeat this until it updates no rows\n\
             -- (or write the migration in Rust, whose template loops for you):\n\
             --\n\
             -- UPDATE fees SET status = 'paid'\n\
             --  WHERE id IN (SELECT id FROM fees WHERE status = 'settled' LIMIT 1000);",
        ),
        head(
            "down",
            "Write the statements that undo the up migration here.",
        ),
    )
}

/// Human review of a plan: what it does, its hazards, and what its down migration does.
pub fn review_text(plan: &Plan) -> String {
    let mut out = String::new();
    if plan.is_empty() {
        out.push_str("No changes detected.\n");
        return out;
    }
    let _ = writeln!(
        out,
        "Plan for {} ({} operations):",
        plan.dialect,
        plan.ops.len()
    );
    for op in &plan.ops {
        let _ = writeln!(out, "  {} {}", sign(op), op.describe());
    }
    let hazards = plan.hazards();
    if !hazards.is_empty() {
        let _ = writeln!(out, "Hazards:");
        for h in hazards {
            let _ = writeln!(out, "  ! [{}] {}", h.kind, h.message);
        }
    }
    let _ = writeln!(out, "Down migration:");
    for op in plan.reverse().ops {
        let _ = writeln!(out, "  {} {}", sign(&op), op.describe());
    }
    out
}

/// The plan as JSON, for tools.
pub fn review_json(plan: &Plan) -> String {
    let value = serde_json::json!({
        "dialect": plan.dialect,
        "operations": plan.ops,
        "hazards": plan.hazards(),
    });
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

fn sign(op: &Op) -> char {
    match op {
        Op::CreateEnum(_)
        | Op::CreateTable(_)
        | Op::AddColumn { .. }
        | Op::CreateIndex { .. }
        | Op::AddUnique { .. }
        | Op::AddForeignKey { .. }
        | Op::AddEnumValue { .. } => '+',
        Op::DropEnum(_)
        | Op::DropTable(_)
        | Op::DropColumn { .. }
        | Op::DropIndex { .. }
        | Op::DropUnique { .. }
        | Op::DropForeignKey { .. } => '-',
        _ => '~',
    }
}

/// Reads the (revision, parent, message) header that [`render_sql_migration`] and
/// [`render_rust_migration`] write.
pub fn parse_header(text: &str) -> Option<RevisionMeta> {
    let mut id = None;
    let mut parents = Vec::new();
    let mut message = String::new();
    for line in text.lines().take(40) {
        let line = line
            .trim_start_matches("--")
            .trim_start_matches("//!")
            .trim();
        if let Some(v) = line.strip_prefix(HEADER_REVISION) {
            id = Some(v.trim().to_string());
        } else if let Some(v) = line.strip_prefix(HEADER_PARENT) {
            parents = v
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty() && *p != "base")
                .map(str::to_string)
                .collect();
        } else if let Some(v) = line.strip_prefix(HEADER_MESSAGE) {
            message = v.trim().to_string();
        }
    }
    Some(RevisionMeta {
        id: id?,
        parents,
        message,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn statements_that_refuse_a_transaction() {
        use super::is_non_transactional as no_tx;
        assert!(no_tx("CREATE INDEX CONCURRENTLY i ON t (a)"));
        assert!(no_tx("create unique index concurrently i on t (a)"));
        assert!(no_tx("DROP INDEX CONCURRENTLY i"));
        assert!(no_tx("VACUUM t"));
        assert!(!no_tx("CREATE INDEX i ON t (a)"));
        assert!(!no_tx("ALTER TYPE s ADD VALUE 'x'"));
    }

    use super::*;

    #[test]
    fn headers_round_trip() {
        let meta = RevisionMeta {
            id: "20261126041500".into(),
            parents: vec!["20261126030000".into()],
            message: "add fees table".into(),
        };
        let plan = Plan::empty(Dialect::Postgres);
        let (up, down) = render_sql_migration(&meta, &plan).unwrap();
        assert_eq!(parse_header(&up), Some(meta.clone()));
        assert_eq!(parse_header(&down), Some(meta.clone()));
        let rust = render_rust_migration(&meta, &plan).unwrap();
        assert_eq!(parse_header(&rust), Some(meta));
    }

    #[test]
    fn first_revision_has_base_parent() {
        let meta = RevisionMeta {
            id: "1".into(),
            parents: vec![],
            message: "initial".into(),
        };
        let (up, _) = render_sql_empty(&meta);
        assert!(up.contains("-- autogen parent: base"));
        assert_eq!(parse_header(&up).unwrap().parents, Vec::<String>::new());
    }
}

#[cfg(test)]
mod transaction_tests {
    use super::*;
    use autogen_diff::{EnumPosition, Op};

    fn adds_value(postgres_version: Option<u32>) -> Plan {
        let mut plan = Plan::empty(Dialect::Postgres);
        plan.postgres_version = postgres_version;
        plan.ops.push(Op::AddEnumValue {
            name: "fee_status".into(),
            value: "waived".into(),
            position: EnumPosition::Last,
            before: vec!["pending".into()],
            columns: vec![],
        });
        plan
    }

    #[test]
    fn add_value_runs_outside_a_transaction_before_postgres_12() {
        let meta = RevisionMeta {
            id: "1".into(),
            parents: vec![],
            message: "m".into(),
        };
        let (up, down) = render_sql_migration(&meta, &adds_value(Some(11))).unwrap();
        assert!(up.starts_with("-- no-transaction\n"), "{up}");
        assert!(
            up.contains("PostgreSQL 11 refuses ALTER TYPE … ADD VALUE"),
            "{up}"
        );
        assert!(
            !down.starts_with("-- no-transaction"),
            "the down recreates the type: {down}"
        );
        let rust = render_rust_migration(&meta, &adds_value(Some(11))).unwrap();
        assert!(rust.contains("Some(false)"), "{rust}");
        // 12 and later (and an unknown version) keep the transaction.
        for version in [Some(15), None] {
            let (up, _) = render_sql_migration(&meta, &adds_value(version)).unwrap();
            assert!(!up.starts_with("-- no-transaction"), "{up}");
        }
    }
}
