//! The hazards a SQL statement shows by itself, read with sqlparser (the dialect's grammar), for
//! revisions written by hand as much as for generated ones: the same rule ids as the plan's
//! findings, so `deny` and allowances treat them alike.

use autogen_diff::Rule;
use autogen_schema::Dialect;
use sqlparser::ast::{AlterColumnOperation, AlterTableOperation, ObjectType, Spanned, Statement};
use std::collections::BTreeSet;

/// One statement's finding, at its 1-based line.
pub(crate) struct SqlFinding {
    pub rule: Rule,
    pub message: String,
    pub line: usize,
    pub statement: String,
    /// The tables (keys) whose rows a drop finding loses: the dropped table, or the table a
    /// column is dropped from.
    pub tables: Vec<String>,
}

/// Lints a revision's statements, each as the runner splits and runs it (`(line, statement)`),
/// so that nothing runs that lint did not judge. A statement sqlparser cannot read is itself a
/// finding (AG504): no rule judged it, so it must be reviewed by hand.
pub(crate) fn lint_sql(
    statements: &[(usize, String)],
    dialect: Dialect,
    no_transaction: bool,
) -> Vec<SqlFinding> {
    let parser = autogen_migrate::sql_parser(dialect);
    let mut parsed = Vec::new();
    let mut out = Vec::new();
    for (line, text) in statements {
        match sqlparser::parser::Parser::parse_sql(parser, text) {
            Ok(stmts) => parsed.extend(stmts.into_iter().map(|s| (*line, s))),
            Err(e) => out.push(unparsed(*line, text, &e.to_string())),
        }
    }
    // The dialect with online forms (concurrent index builds, NOT VALID, lock timeouts): the
    // rules about them apply to its statements.
    let pg = autogen_render::renderer(dialect)
        .timeouts(&autogen_render::Policy::default(), true)
        .is_some();
    let mut created: BTreeSet<String> = BTreeSet::new();
    let (mut lock_timeout, mut statement_timeout) = (false, false);
    for (start, stmt) in &parsed {
        let sql = stmt.to_string();
        let upper = sql.to_ascii_uppercase();
        let line = start + usize::try_from(stmt.span().start.line).unwrap_or(1).max(1) - 1;
        let mut found: Vec<(Rule, String)> = Vec::new();
        let locks = match stmt {
            Statement::Set(_) => {
                lock_timeout |= upper.contains("LOCK_TIMEOUT");
                statement_timeout |= upper.contains("STATEMENT_TIMEOUT");
                false
            }
            Statement::StartTransaction { .. } | Statement::Commit { .. }
                if pg && !no_transaction =>
            {
                found.push((
                    Rule::TransactionNesting,
                    "BEGIN/COMMIT inside a revision autogen already runs in a transaction".into(),
                ));
                false
            }
            Statement::CreateTable(t) => {
                created.insert(t.name.to_string());
                false
            }
            Statement::CreateIndex(ix) => {
                let table = ix.table_name.to_string();
                if pg && !ix.concurrently && !created.contains(&table) {
                    found.push((
                        Rule::BlockingIndexBuild,
                        format!("CREATE INDEX on {table} without CONCURRENTLY blocks writes while it builds"),
                    ));
                }
                if no_transaction && !ix.if_not_exists {
                    found.push((
                        Rule::NonRobustStatement,
                        "CREATE INDEX without IF NOT EXISTS outside a transaction".into(),
                    ));
                }
                !created.contains(&table)
            }
            Statement::Drop {
                object_type,
                if_exists,
                names,
                ..
            } => {
                let what = names
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ");
                let concurrently = upper.contains("CONCURRENTLY");
                found.extend(drop_findings(object_type, &what, pg && !concurrently));
                if no_transaction && !if_exists {
                    found.push((
                        Rule::NonRobustStatement,
                        "DROP without IF EXISTS outside a transaction".into(),
                    ));
                }
                true
            }
            Statement::AlterTable(at) => {
                let table = at.name.to_string();
                for op in &at.operations {
                    alter_findings(op, &table, pg, &created, &mut found);
                }
                !created.contains(&table)
            }
            _ => false,
        };
        if pg && locks && !lock_timeout {
            lock_timeout = true;
            found.push((
                Rule::MissingLockTimeout,
                "DDL before any SET lock_timeout".into(),
            ));
        }
        if pg && locks && !statement_timeout {
            statement_timeout = true;
            found.push((
                Rule::MissingStatementTimeout,
                "DDL before any SET statement_timeout".into(),
            ));
        }
        out.extend(found.into_iter().map(|(rule, message)| SqlFinding {
            tables: losing_rows(rule, stmt),
            rule,
            message,
            line,
            statement: sql.clone(),
        }));
    }
    out
}

/// The finding of a statement autogen could not read (AG504).
pub(crate) fn unparsed(line: usize, statement: &str, why: &str) -> SqlFinding {
    SqlFinding {
        rule: Rule::UnparsedStatement,
        message: format!(
            "autogen could not parse this statement ({why}), so no rule judged it: review it by hand"
        ),
        line,
        statement: statement.to_string(),
        tables: Vec::new(),
    }
}

/// The tables whose rows a drop finding (`rule`) of `stmt` loses: those a `DROP TABLE` names,
/// the one an `ALTER TABLE` drops columns of (keys, as the catalog names them).
fn losing_rows(rule: Rule, stmt: &Statement) -> Vec<String> {
    if !matches!(rule, Rule::DropTable | Rule::DropColumn) {
        return Vec::new();
    }
    match stmt {
        Statement::Drop {
            object_type: ObjectType::Table,
            names,
            ..
        } => names.iter().map(object_key).collect(),
        Statement::AlterTable(at)
            if at
                .operations
                .iter()
                .any(|op| matches!(op, AlterTableOperation::DropColumn { .. })) =>
        {
            vec![object_key(&at.name)]
        }
        _ => Vec::new(),
    }
}

/// `schema.table` or `table` as a table key (names unquoted).
fn object_key(name: &sqlparser::ast::ObjectName) -> String {
    let parts: Vec<&str> = name
        .0
        .iter()
        .filter_map(|p| p.as_ident().map(|i| i.value.as_str()))
        .collect();
    match parts[..] {
        [schema, table] => autogen_schema::lexical::qualified(Some(schema), table),
        _ => parts.last().map(|t| t.to_string()).unwrap_or_default(),
    }
}

fn drop_findings(object: &ObjectType, what: &str, blocking: bool) -> Option<(Rule, String)> {
    match object {
        ObjectType::Table => Some((Rule::DropTable, format!("drops table {what}"))),
        ObjectType::Type => Some((Rule::DropType, format!("drops type {what}"))),
        ObjectType::Index if blocking => Some((
            Rule::BlockingIndexDrop,
            format!("DROP INDEX {what} without CONCURRENTLY"),
        )),
        _ => None,
    }
}

fn alter_findings(
    op: &AlterTableOperation,
    table: &str,
    pg: bool,
    created: &BTreeSet<String>,
    found: &mut Vec<(Rule, String)>,
) {
    let existing = !created.contains(table);
    match op {
        AlterTableOperation::DropColumn { column_names, .. } => {
            for c in column_names {
                found.push((Rule::DropColumn, format!("drops column {table}.{c}")));
            }
        }
        AlterTableOperation::RenameColumn {
            old_column_name,
            new_column_name,
        } => found.push((
            Rule::RenameColumn,
            format!("renames column {table}.{old_column_name} to {new_column_name}"),
        )),
        AlterTableOperation::RenameTable { .. } => {
            found.push((Rule::RenameTable, format!("renames table {table}")))
        }
        AlterTableOperation::AddColumn { column_def, .. } => {
            let def = column_def.to_string().to_ascii_uppercase();
            if existing && def.contains("NOT NULL") && !def.contains("DEFAULT") {
                found.push((
                    Rule::AddRequiredColumn,
                    format!(
                        "adds NOT NULL column {table}.{} without a default",
                        column_def.name
                    ),
                ));
            }
        }
        AlterTableOperation::AlterColumn { column_name, op } => match op {
            AlterColumnOperation::SetNotNull if existing => {
                found.push((
                    Rule::NotNullOnNulls,
                    format!("sets {table}.{column_name} NOT NULL"),
                ));
                if pg {
                    found.push((
                        Rule::NotNullScan,
                        format!("SET NOT NULL on {table}.{column_name} scans the table under its strongest lock unless a validated CHECK proves it"),
                    ));
                }
            }
            AlterColumnOperation::SetDataType { .. } if existing => found.push((
                Rule::ChangeColumnType,
                format!("changes the type of {table}.{column_name}"),
            )),
            _ => {}
        },
        AlterTableOperation::AddConstraint {
            constraint,
            not_valid,
        } if existing => {
            let text = constraint.to_string().to_ascii_uppercase();
            if text.contains("FOREIGN KEY") && pg && !not_valid {
                found.push((
                    Rule::ValidatingConstraint,
                    format!("adds a foreign key to {table} validated under lock (NOT VALID, then VALIDATE)"),
                ));
            }
            if text.contains("UNIQUE") && !text.contains("USING INDEX") {
                found.push((Rule::UniqueOnDuplicates, format!("adds UNIQUE on {table}")));
                if pg {
                    found.push((
                        Rule::BlockingUnique,
                        format!("builds UNIQUE on {table} under lock"),
                    ));
                }
            }
        }
        AlterTableOperation::DropConstraint {
            name,
            if_exists: false,
            ..
        } => found.push((
            Rule::DropConstraint,
            format!("drops constraint {name} of {table}"),
        )),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lint(sql: &str, dialect: Dialect) -> Vec<SqlFinding> {
        let no_tx = sql.starts_with(autogen_migrate::NO_TRANSACTION_MARKER);
        lint_sql(
            &autogen_migrate::split_revision(sql, dialect),
            dialect,
            no_tx,
        )
    }

    fn rules(sql: &str) -> Vec<&'static str> {
        lint(sql, Dialect::Postgres)
            .iter()
            .map(|f| f.rule.id())
            .collect()
    }

    #[test]
    fn hand_written_statements_get_the_plans_rule_ids() {
        assert_eq!(
            rules("CREATE INDEX i ON t (a);\nALTER TABLE t DROP COLUMN b;\n"),
            ["AG301", "AG308", "AG309", "AG102"]
        );
        assert_eq!(
            rules(
                "SET lock_timeout = '1s';\nSET statement_timeout = '1h';\nALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES u (id) NOT VALID;\n"
            ),
            Vec::<&str>::new()
        );
        assert_eq!(
            rules("CREATE TABLE n (id int);\nCREATE INDEX i ON n (id);\n"),
            Vec::<&str>::new(),
            "a table created in the file blocks nobody"
        );
        let no_tx = "-- no-transaction\nSET lock_timeout = '1s';\nSET statement_timeout = '1h';\nCREATE INDEX CONCURRENTLY i ON t (a);\n";
        assert_eq!(rules(no_tx), ["AG502"]);
        let sqlite = Dialect::from_url("sqlite::memory:").unwrap();
        let line = lint("\n\nALTER TABLE t RENAME COLUMN a TO b;", sqlite);
        assert_eq!((line[0].rule.id(), line[0].line), ("AG402", 3));
    }

    /// A statement sqlparser cannot read is a finding of its own, and the statements after it
    /// are still judged: a `DO` block cannot hide the `DROP TABLE` behind it.
    #[test]
    fn what_cannot_be_parsed_is_a_finding_and_hides_nothing() {
        let sql = "SET lock_timeout = '1s';\nSET statement_timeout = '1h';\n\
                   DO $$ BEGIN PERFORM 1; END $$;\nDROP TABLE t;\n";
        let found = lint(sql, Dialect::Postgres);
        let got: Vec<(&str, usize)> = found.iter().map(|f| (f.rule.id(), f.line)).collect();
        assert_eq!(got, [("AG504", 3), ("AG101", 4)], "{got:?}");
        assert!(found[0].message.contains("could not parse"));
    }
}
