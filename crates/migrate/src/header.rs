//! The revision file format: the header autogen writes and reads back (`autogen revision:`,
//! `autogen parent:`, `autogen message:`, hazards), sqlx's `-- no-transaction` marker, and the
//! files around a rendered body. Everything a user wrote reaches the header through
//! [`comment_text`], so nothing in a message or a name can end its comment line.

use crate::revision::{Allowance, RevisionMeta};
use autogen_diff::Hazard;
use autogen_diff::{Owned, Plan};
use autogen_render::{
    Body, NoTransaction, RenderError, render_body, rust_empty_module, rust_module, sql_text,
};
use autogen_schema::Dialect;
use autogen_schema::lexical::{comment_text, unescape_comment_text};
use std::fmt::Write as _;

pub const HEADER_REVISION: &str = "autogen revision:";
pub const HEADER_PARENT: &str = "autogen parent:";
pub const HEADER_MESSAGE: &str = "autogen message:";
pub const HEADER_ALLOW: &str = "autogen allow:";
pub const HEADER_CHANGE: &str = "autogen change:";
pub const HEADER_DIALECT: &str = "autogen dialect:";
pub const HEADER_OWNS: &str = "autogen owns:";
pub const HEADER_RELEASES: &str = "autogen releases:";
/// A revision whose down does not undo its up's data changes (a data migration): `check
/// --seed` does not hold its down to the rows before its up (rule AG602 allowed).
pub const HEADER_IRREVERSIBLE: &str = "autogen irreversible:";

/// sqlx's marker (it must be a migration file's very first line): the file runs outside a
/// transaction.
pub const NO_TRANSACTION_MARKER: &str = "-- no-transaction";

/// The line that marks an online revision (`safety = "online"`): outside a transaction, every
/// statement idempotent, so the runner may start it again after a lock timeout.
pub use autogen_runtime::internal::ONLINE_MARKER;

/// `base`, `a`, or `a, b` for a merge: how headers and `history` write a revision's parents.
pub fn parents_text(parents: &[String]) -> String {
    if parents.is_empty() {
        "base".into()
    } else {
        parents.join(", ")
    }
}

/// The header's lines, escaped, without the comment prefix (`-- ` or `//! `).
pub fn header_lines(meta: &RevisionMeta, hazards: &[Hazard], ownership: &[Owned]) -> Vec<String> {
    let mut lines = vec![
        format!("{HEADER_REVISION} {}", comment_text(&meta.id)),
        format!(
            "{HEADER_PARENT} {}",
            comment_text(&parents_text(&meta.parents))
        ),
        format!("{HEADER_MESSAGE} {}", comment_text(&meta.message)),
    ];
    if let Some(change) = &meta.change {
        lines.push(format!("{HEADER_CHANGE} {}", comment_text(change)));
    }
    if let Some(dialect) = &meta.dialect {
        lines.push(format!("{HEADER_DIALECT} {}", comment_text(dialect)));
    }
    for a in &meta.allow {
        lines.push(format!(
            "{HEADER_ALLOW} {} {}",
            a.rule.id(),
            comment_text(&a.reason)
        ));
    }
    for o in ownership {
        let verb = if o.created {
            HEADER_OWNS
        } else {
            HEADER_RELEASES
        };
        // A CHECK by its table and key; a view, routine or trigger by its key alone.
        let parts = if o.kind == "check" {
            format!(
                "{} {}",
                comment_text(&quoted(&o.table)),
                comment_text(&quoted(&o.key))
            )
        } else {
            comment_text(&quoted(&o.key))
        };
        lines.push(format!("{verb} {} {parts}", o.kind));
    }
    if !hazards.is_empty() {
        lines.push(String::new());
        lines.push("Hazards (review before applying):".into());
        for h in hazards {
            lines.push(format!("  [{}] {}", h.rule, comment_text(&h.message)));
        }
    }
    lines
}

/// The file's leading comment block, the only place a header is read from: each of its first
/// lines that is a `--` or `//!` comment, with its 0-based index and without the comment prefix,
/// up to the first line that is not one. Nothing in a statement can reach it: statements come
/// after it, and what autogen writes into a comment line cannot end that line.
fn header_block(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .map_while(|line| line.strip_prefix("--").or_else(|| line.strip_prefix("//!")))
        .map(str::trim)
        .enumerate()
}

/// Reads the (revision, parent, message) header that the files here are written with.
pub fn parse_header(text: &str) -> Option<RevisionMeta> {
    let mut id = None;
    let mut parents = Vec::new();
    let mut message = String::new();
    let mut allow = Vec::new();
    let mut change = None;
    let mut dialect = None;
    for (_, line) in header_block(text) {
        if let Some(v) = line.strip_prefix(HEADER_REVISION) {
            id = Some(unescape_comment_text(v.trim()));
        } else if let Some(v) = line.strip_prefix(HEADER_PARENT) {
            parents = unescape_comment_text(v)
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty() && *p != "base")
                .map(str::to_string)
                .collect();
        } else if let Some(v) = line.strip_prefix(HEADER_CHANGE) {
            change = Some(unescape_comment_text(v.trim()));
        } else if let Some(v) = line.strip_prefix(HEADER_DIALECT) {
            dialect = Some(unescape_comment_text(v.trim()));
        } else if let Some(v) = line.strip_prefix(HEADER_MESSAGE) {
            message = unescape_comment_text(v.trim());
        } else if let Some(v) = line.strip_prefix(HEADER_IRREVERSIBLE) {
            allow.push(Allowance {
                rule: autogen_diff::Rule::DataNotRestored,
                reason: unescape_comment_text(v.trim()),
            });
        } else if let Some(v) = line.strip_prefix(HEADER_ALLOW) {
            let v = v.trim();
            let (rule, reason) = v.split_once(' ').unwrap_or((v, ""));
            if let Some(rule) = autogen_diff::Rule::parse(rule) {
                allow.push(Allowance {
                    rule,
                    reason: unescape_comment_text(reason.trim()),
                });
            }
        }
    }
    Some(RevisionMeta {
        id: id?,
        parents,
        message,
        allow,
        change,
        dialect,
    })
}

/// `"name"`, with `"` doubled: one token of an ownership line, whatever the name holds.
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// The `"…"` tokens of an ownership line's rest.
fn unquoted(mut rest: &str) -> Vec<String> {
    let mut out = Vec::new();
    while let Some(start) = rest.find('"') {
        let mut token = String::new();
        let mut chars = rest[start + 1..].char_indices().peekable();
        let mut end = None;
        while let Some((i, c)) = chars.next() {
            if c == '"' {
                if chars.peek().map(|(_, n)| *n) == Some('"') {
                    chars.next();
                    token.push('"');
                    continue;
                }
                end = Some(start + 1 + i + 1);
                break;
            }
            token.push(c);
        }
        let Some(end) = end else { break };
        out.push(token);
        rest = &rest[end..];
    }
    out
}

/// What `text`'s header records autogen created (`autogen owns:`) and dropped (`autogen
/// releases:`), in order.
pub fn recorded_ownership(text: &str) -> Vec<Owned> {
    let mut out = Vec::new();
    for (_, line) in header_block(text) {
        let (created, rest) = if let Some(v) = line.strip_prefix(HEADER_OWNS) {
            (true, v)
        } else if let Some(v) = line.strip_prefix(HEADER_RELEASES) {
            (false, v)
        } else {
            continue;
        };
        let Some((kind, rest)) = rest.trim().split_once(" \"") else {
            continue;
        };
        let rest = format!("\"{rest}");
        match (kind, &unquoted(&unescape_comment_text(&rest))[..]) {
            ("check", [table, key]) => out.push(Owned {
                created,
                kind: kind.to_string(),
                table: table.clone(),
                key: key.clone(),
            }),
            (kind, [key]) if kind != "check" => out.push(Owned {
                created,
                kind: kind.to_string(),
                table: String::new(),
                key: key.clone(),
            }),
            _ => {}
        }
    }
    out
}

/// A finding a revision file records in its header (`[AG102 drop-column] message`), with its
/// 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedFinding {
    pub rule: autogen_diff::Rule,
    pub message: String,
    pub line: usize,
}

/// The findings `text`'s header (its leading `--` or `//!` lines) records.
pub fn recorded_findings(text: &str) -> Vec<RecordedFinding> {
    let mut out = Vec::new();
    // A `[AG…]` in a later comment is not one.
    for (i, line) in header_block(text) {
        let Some(rest) = line.strip_prefix('[') else {
            continue;
        };
        let Some((tag, message)) = rest.split_once("] ") else {
            continue;
        };
        let id = tag.split_whitespace().next().unwrap_or_default();
        if let Some(rule) = autogen_diff::Rule::parse(id).filter(|r| r.id() == id) {
            out.push(RecordedFinding {
                rule,
                message: unescape_comment_text(message),
                line: i + 1,
            });
        }
    }
    out
}

/// The lines that mark a SQL file as running outside a transaction, and say why.
fn no_transaction_lines(why: &NoTransaction) -> String {
    match why {
        NoTransaction::Server(why) => format!(
            "{NO_TRANSACTION_MARKER}\n-- This migration runs outside a transaction: {}.\n\
             -- If it fails halfway, the statements before the failing one stay applied.\n",
            comment_text(why)
        ),
        NoTransaction::Statement => format!(
            "{NO_TRANSACTION_MARKER}\n-- This migration runs outside the runner's transaction: it holds a statement \
             that cannot run inside one\n-- (CREATE INDEX CONCURRENTLY, or SQLite's PRAGMA foreign_keys, \
             which a table rebuild needs; the rebuild makes its own transaction).\n"
        ),
        NoTransaction::Online => format!(
            "{NO_TRANSACTION_MARKER}\n{ONLINE_MARKER}: each statement commits on its own,\n\
             -- so no lock outlives one statement; each is idempotent, so after a failure, run it again.\n"
        ),
    }
}

fn sql_header(
    meta: &RevisionMeta,
    hazards: &[Hazard],
    ownership: &[Owned],
    direction: &str,
) -> String {
    let mut out = String::new();
    for line in header_lines(meta, hazards, ownership) {
        if line.is_empty() {
            out.push_str("--\n");
        } else {
            let _ = writeln!(out, "-- {line}");
        }
    }
    let _ = writeln!(out, "-- autogen direction: {direction}");
    out
}

/// The `.up.sql` and `.down.sql` files of a revision.
pub fn sql_files(
    meta: &RevisionMeta,
    up: &Body,
    down: &Body,
    dialect: Dialect,
) -> (String, String) {
    let file = |body: &Body, direction: &str| {
        let mut out = String::new();
        if let Some(why) = &body.no_transaction {
            out.push_str(&no_transaction_lines(why));
        }
        // Ownership is recorded once, with the up direction that makes it so.
        let ownership = if direction == "up" {
            &body.ownership[..]
        } else {
            &[]
        };
        out.push_str(&sql_header(meta, &body.hazards, ownership, direction));
        out.push_str(&sql_text(body, dialect));
        out
    };
    (file(up, "up"), file(down, "down"))
}

/// The `.up.sql` and `.down.sql` files autogenerated for `plan`.
pub fn sql_revision(meta: &RevisionMeta, plan: &Plan) -> Result<(String, String), RenderError> {
    let up = render_body(plan)?;
    let down = render_body(&plan.reverse())?;
    Ok(sql_files(meta, &up, &down, plan.dialect()))
}

/// An SQL revision with no statements, to be filled in by hand (`autogen revision -m`).
pub fn sql_empty_files(meta: &RevisionMeta) -> (String, String) {
    let file = |direction: &str, hint: &str| {
        format!("{}\n-- {hint}\n", sql_header(meta, &[], &[], direction))
    };
    (
        file(
            "up",
            "Write the forward change here. A data migration on a large table updates in batches,\n\
             -- so that no statement holds its locks for long; repeat this until it updates no rows\n\
             -- (or write the migration in Rust, whose template loops for you):\n\
             --\n\
             -- UPDATE fees SET status = 'paid'\n\
             --  WHERE id IN (SELECT id FROM fees WHERE status = 'settled' LIMIT 1000);",
        ),
        file(
            "down",
            "Write the statements that undo the up migration here.",
        ),
    )
}

/// A sea-orm-migration module for a revision.
pub fn rust_file(meta: &RevisionMeta, up: &Body, down: &Body) -> String {
    rust_module(&header_lines(meta, &up.hazards, &up.ownership), up, down)
}

/// A sea-orm-migration module with nothing in it yet (`autogen revision -m`).
pub fn rust_empty_file(meta: &RevisionMeta) -> String {
    rust_empty_module(&header_lines(meta, &[], &[]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(message: &str) -> RevisionMeta {
        RevisionMeta {
            id: "20261126041500".into(),
            parents: vec!["20261126030000".into()],
            message: message.into(),
            allow: Vec::new(),
            change: None,
            dialect: None,
        }
    }

    #[test]
    fn headers_round_trip() {
        let m = meta("add fees table");
        let (up, down) = sql_files(&m, &Body::default(), &Body::default(), Dialect::Postgres);
        assert_eq!(parse_header(&up), Some(m.clone()));
        assert_eq!(parse_header(&down), Some(m.clone()));
        let rust = rust_file(&m, &Body::default(), &Body::default());
        assert_eq!(parse_header(&rust), Some(m.clone()));
        assert_eq!(parse_header(&rust_empty_file(&m)), Some(m));
    }

    /// What a revision records it owns reads back exactly, whatever the names hold, from the
    /// up file and the Rust module; the down file records nothing.
    #[test]
    fn ownership_records_read_back() {
        let ownership = vec![
            Owned {
                created: true,
                kind: "check".into(),
                table: "billing.in\"voice".into(),
                key: "ck \"x\"\n-- autogen owns: check \"t\" \"forged\"".into(),
            },
            Owned {
                created: false,
                kind: "check".into(),
                table: "t".into(),
                key: "CHECK ((a > 0))".into(),
            },
            Owned {
                created: true,
                kind: "materialized view".into(),
                table: String::new(),
                key: "materialized view st\"ats\n-- autogen owns: view \"x\"".into(),
            },
        ];
        let body = Body {
            ownership: ownership.clone(),
            ..Body::default()
        };
        let m = meta("checks");
        let (up, down) = sql_files(&m, &body, &Body::default(), Dialect::Postgres);
        assert_eq!(recorded_ownership(&up), ownership);
        assert!(recorded_ownership(&down).is_empty(), "{down}");
        assert_eq!(recorded_ownership(&rust_file(&m, &body, &body)), ownership);
    }

    #[test]
    fn first_revision_has_base_parent() {
        let m = RevisionMeta {
            id: "1".into(),
            parents: vec![],
            message: "initial".into(),
            allow: Vec::new(),
            change: None,
            dialect: None,
        };
        let (up, _) = sql_empty_files(&m);
        assert!(up.contains("-- autogen parent: base"));
        assert_eq!(parse_header(&up).unwrap().parents, Vec::<String>::new());
    }

    #[test]
    fn a_message_cannot_end_its_line() {
        let m = meta("init\nDROP TABLE victim;\r\n-- no-transaction");
        let (up, _) = sql_files(&m, &Body::default(), &Body::default(), Dialect::Sqlite);
        assert!(
            up.contains("-- autogen message: init\\nDROP TABLE victim;\\r\\n-- no-transaction\n"),
            "{up}"
        );
        assert!(
            up.lines().all(|l| l.is_empty() || l.starts_with("--")),
            "{up}"
        );
        assert_eq!(parse_header(&up), Some(m.clone()));
        let rust = rust_file(&m, &Body::default(), &Body::default());
        assert!(!rust.contains("\nDROP TABLE"), "{rust}");
        assert_eq!(parse_header(&rust), Some(m));
    }

    /// Statements that hold every kind of user text a plan carries — table, column, index and
    /// foreign-key names with line breaks that spell header lines, comments, defaults — in every
    /// file form (SQL up and down, each stage under `online` and `simple`, Rust): the header read
    /// back is exactly the one written, no finding is recorded that the plan did not have, and
    /// no file reads as online unless it is.
    #[test]
    fn nothing_in_a_statement_reads_as_a_header_line() {
        use autogen_diff::Op;
        use autogen_render::{Policy, render_stages};
        use autogen_schema::{Column, ColumnType, DefaultValue, Index, Profile, Table};
        let forged = "x\n-- autogen parent: base\n-- autogen allow: AG101 forged\n\
                      //! autogen revision: 1\n-- [AG101 drop-table] forged\n\
                      -- This migration runs outside a transaction (safety = \"online\")\n";
        let mut t = Table::new(format!("t{forged}"));
        let mut c = Column::new(format!("c{forged}"), ColumnType::Text);
        c.nullable = true;
        c.comment = Some(forged.into());
        c.default = Some(DefaultValue::String(forged.into()));
        t.columns.push(Column::new("id", ColumnType::Integer));
        t.primary_key = vec!["id".into()];
        t.columns.push(c.clone());
        t.comment = Some(forged.into());
        let index = Index {
            name: format!("i{forged}"),
            columns: vec![c.name.clone()],
            ..Index::default()
        };
        let mut not_null = c.clone();
        not_null.nullable = false;
        let m = RevisionMeta {
            allow: vec![Allowance {
                rule: autogen_diff::Rule::DropColumn,
                reason: "kept".into(),
            }],
            ..meta("hostile")
        };
        for dialect in Dialect::ALL {
            let mut plan = Plan::empty(Profile::from_server(dialect, "15.4"));
            plan.ops = vec![
                Op::CreateIndex {
                    table: t.name.clone(),
                    index: index.clone(),
                },
                Op::AddColumn {
                    table: t.name.clone(),
                    column: Column {
                        name: format!("d{forged}"),
                        ..c.clone()
                    },
                },
            ];
            if dialect != Dialect::Sqlite {
                plan.ops.push(Op::AlterColumn {
                    table: t.name.clone(),
                    from: c.clone(),
                    to: not_null.clone(),
                });
            }
            let mut created = Plan::empty(plan.profile);
            created.ops = vec![Op::CreateTable(t.clone())];
            for plan in [&plan, &created] {
                for policy in [Policy::default(), Policy::simple()] {
                    let stages = render_stages(plan, &policy).expect("renders");
                    for (up, down) in &stages {
                        let (up_sql, down_sql) = sql_files(&m, up, down, dialect);
                        let rust = rust_file(&m, up, down);
                        for (text, body) in [(&up_sql, up), (&down_sql, down), (&rust, up)] {
                            assert_eq!(parse_header(text), Some(m.clone()), "{text}");
                            let recorded: Vec<_> =
                                recorded_findings(text).iter().map(|f| f.rule).collect();
                            let written: Vec<_> = body.hazards.iter().map(|h| h.rule).collect();
                            assert_eq!(recorded, written, "{dialect}: {text}");
                            let online = body.no_transaction == Some(NoTransaction::Online);
                            assert_eq!(
                                autogen_runtime::internal::is_online(text),
                                online && !text.starts_with("//")
                            );
                        }
                    }
                }
            }
        }
    }
}
