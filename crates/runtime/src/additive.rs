//! Whether a revision only adds: what lets an older build start on a database a newer one
//! migrated (`Ahead::AllowAdditive`). Read from the statements as sqlparser parses them for the
//! dialect, so hand-written revisions are judged like generated ones. Anything it cannot show
//! only adds — a statement it cannot parse included — is not additive: the gate fails closed.

use autogen_schema::lexical::upper_words;
use sqlparser::ast::{
    AlterTableOperation, AlterTypeOperation, ColumnDef, ColumnOption, DataType, EnumMember,
    Statement,
};
use sqlparser::dialect::Dialect as ParserDialect;
use sqlparser::parser::Parser;

/// The first statement that does more than add (new tables, views, types, sequences, schemas,
/// functions, non-unique indexes, nullable or defaulted columns, enum values, rows), or `None`
/// when every statement only adds. `change` holds the statements of the other revisions of the
/// same change (the stages one `-m` wrote); `down` the revision's down statements, which say
/// what a changed column was before (a MySQL enum given more values only adds).
pub fn blocker(
    statements: &[String],
    change: &[String],
    down: &[String],
    parser: &dyn ParserDialect,
) -> Option<String> {
    // Indexes the change creates: dropping a leftover of one of them first (an online build's
    // INVALID index from a failed try) is part of creating it. Each statement is parsed alone
    // and its tree dropped at once: a baseline of thousands of tables is judged in little memory.
    let created: Vec<String> = statements
        .iter()
        .chain(change)
        .filter(|s| matches!(head(s).as_slice(), [c, i] if c == "CREATE" && i == "INDEX"))
        .filter_map(|s| match Parser::parse_sql(parser, s).ok()?.first()? {
            Statement::CreateIndex(i) if !i.unique => i.name.as_ref().map(|n| n.to_string()),
            _ => None,
        })
        .collect();
    statements
        .iter()
        .find(|s| !only_adds(s, parser, &created, down))
        .map(|s| {
            let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
            match one_line.char_indices().nth(120) {
                Some((i, _)) => format!("{}…", &one_line[..i]),
                None => one_line,
            }
        })
}

/// A statement's first two words, upper-cased.
fn head(statement: &str) -> Vec<String> {
    statement
        .split_whitespace()
        .take(2)
        .map(str::to_ascii_uppercase)
        .collect()
}

fn only_adds(
    statement: &str,
    parser: &dyn ParserDialect,
    created: &[String],
    down: &[String],
) -> bool {
    let head = head(statement);
    let first = head.first().map(String::as_str).unwrap_or("");
    // Session settings, transaction control and comments change no schema an older build uses.
    if matches!(
        first,
        "SET" | "RESET" | "PRAGMA" | "BEGIN" | "COMMIT" | "START" | "COMMENT" | "ANALYZE"
    ) || (first == "DO" && is_guard(statement))
    {
        return true;
    }
    // A new table or a new non-unique index, the bulk of a baseline, read from its first words.
    if let [c, what] = head.as_slice()
        && c == "CREATE"
        && (what == "TABLE" || what == "INDEX")
    {
        return true;
    }
    if let Some(name) = dropped_index(statement) {
        return created.contains(&name);
    }
    Parser::parse_sql(parser, statement).is_ok_and(|p| {
        p.iter()
            .all(|s| statement_only_adds(s, &|t, c| before(down, parser, t, c)))
    })
}

/// What the down statements set `table`.`column` back to (`MODIFY COLUMN`): its type and options,
/// as sqlparser prints them.
fn before(
    down: &[String],
    parser: &dyn ParserDialect,
    table: &str,
    column: &str,
) -> Option<ColumnShape> {
    down.iter()
        .filter(|s| s.to_ascii_uppercase().contains("MODIFY"))
        .filter_map(|s| Parser::parse_sql(parser, s).ok())
        .flatten()
        .find_map(|s| match s {
            Statement::AlterTable(a) if a.name.to_string() == table => {
                a.operations.into_iter().find_map(|op| match op {
                    AlterTableOperation::ModifyColumn {
                        col_name,
                        data_type,
                        options,
                        ..
                    } if col_name.to_string() == column => {
                        Some((data_type, options_text(&options)))
                    }
                    _ => None,
                })
            }
            _ => None,
        })
}

fn options_text(options: &[ColumnOption]) -> String {
    options
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A MySQL enum column given more values, nothing else about it changed: every value an older
/// build writes is still accepted, and stored values keep theirs.
fn widens_enum(
    data_type: &DataType,
    options: &[ColumnOption],
    before: Option<ColumnShape>,
) -> bool {
    let name = |m: &EnumMember| match m {
        EnumMember::Name(n) | EnumMember::NamedValue(n, _) => n.clone(),
    };
    match (data_type, before) {
        (DataType::Enum(new, _), Some((DataType::Enum(old, _), old_options))) => {
            old_options == options_text(options)
                && old.iter().all(|o| new.iter().any(|n| name(n) == name(o)))
        }
        _ => false,
    }
}

/// autogen's own guard (`DO $autogen$ … $autogen$`): it reads the catalog and raises when a name
/// is held by an object autogen does not own, and changes nothing. A block that could change
/// something (any statement word that writes) is not one.
fn is_guard(statement: &str) -> bool {
    const WRITES: [&str; 14] = [
        "INSERT", "UPDATE", "DELETE", "DROP", "ALTER", "CREATE", "TRUNCATE", "EXECUTE", "PERFORM",
        "CALL", "COPY", "GRANT", "REVOKE", "MERGE",
    ];
    // Words of the code, not of its messages: string literals left out ('' is two of them).
    let mut quoted = false;
    let code: String = statement
        .chars()
        .map(|c| {
            if c == '\'' {
                quoted = !quoted;
            }
            if quoted { ' ' } else { c }
        })
        .collect();
    statement.contains("$autogen$")
        && !upper_words(&code)
            .iter()
            .flat_map(|w| w.split(|c: char| !c.is_ascii_alphabetic()))
            .any(|w| WRITES.contains(&w))
}

/// The index `DROP INDEX [CONCURRENTLY] IF EXISTS name` drops (sqlparser reads no
/// `CONCURRENTLY` there), as sqlparser prints a name.
fn dropped_index(statement: &str) -> Option<String> {
    let words: Vec<&str> = statement.split_whitespace().collect();
    let upper: Vec<String> = words.iter().map(|w| w.to_ascii_uppercase()).collect();
    let mut i = 2;
    if upper.get(..2)? != ["DROP", "INDEX"] {
        return None;
    }
    if upper.get(i).is_some_and(|w| w == "CONCURRENTLY") {
        i += 1;
    }
    match words.get(i..)? {
        [_, _, name] if upper[i] == "IF" && upper[i + 1] == "EXISTS" => {
            Some(name.trim_end_matches(';').to_string())
        }
        _ => None,
    }
}

/// A column as a `MODIFY COLUMN` sets it: its type, and its options as sqlparser prints them.
type ColumnShape = (DataType, String);

/// `before(table, column)`: what the revision's down sets a modified column back to.
fn statement_only_adds(s: &Statement, before: &dyn Fn(&str, &str) -> Option<ColumnShape>) -> bool {
    match s {
        Statement::CreateTable(t) => !t.or_replace,
        Statement::CreateView(v) => !v.or_replace,
        Statement::CreateFunction(f) => !f.or_replace,
        // A unique index refuses rows an older build may still write.
        Statement::CreateIndex(i) => !i.unique,
        Statement::CreateExtension(_)
        | Statement::CreateSchema { .. }
        | Statement::CreateSequence { .. }
        | Statement::CreateType { .. }
        | Statement::Insert(_) => true,
        Statement::AlterType(a) => matches!(a.operation, AlterTypeOperation::AddValue(_)),
        Statement::AlterTable(a) => a.operations.iter().all(|op| match op {
            AlterTableOperation::AddColumn { column_def, .. } => column_only_adds(column_def),
            AlterTableOperation::ModifyColumn {
                col_name,
                data_type,
                options,
                ..
            } => widens_enum(
                data_type,
                options,
                before(&a.name.to_string(), &col_name.to_string()),
            ),
            _ => false,
        }),
        _ => false,
    }
}

/// A new column an older build's inserts can leave out: nullable, or NOT NULL with a default,
/// and no key or check of its own.
fn column_only_adds(c: &ColumnDef) -> bool {
    let mut not_null = false;
    let mut default = false;
    for o in &c.options {
        match &o.option {
            ColumnOption::NotNull => not_null = true,
            ColumnOption::Default(_) => default = true,
            ColumnOption::Null
            | ColumnOption::Comment(_)
            | ColumnOption::Collation(_)
            | ColumnOption::CharacterSet(_) => {}
            _ => return false,
        }
    }
    !not_null || default
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlparser::dialect::{MySqlDialect, PostgreSqlDialect, SQLiteDialect};

    fn judge(parser: &dyn ParserDialect, statements: &[&str]) -> Option<String> {
        let v: Vec<String> = statements.iter().map(|s| s.to_string()).collect();
        blocker(&v, &[], &[], parser)
    }

    #[test]
    fn additions_are_additive() {
        let pg = PostgreSqlDialect {};
        assert_eq!(
            judge(
                &pg,
                &[
                    "SET LOCAL lock_timeout = '5s'",
                    "CREATE TABLE fee (id serial PRIMARY KEY, amount int NOT NULL)",
                    "ALTER TABLE student ADD COLUMN nickname varchar(20)",
                    "ALTER TABLE student ADD COLUMN active boolean NOT NULL DEFAULT true",
                    "DO $autogen$ BEGIN IF NOT FOUND THEN RETURN; END IF; RAISE EXCEPTION 'held' USING HINT = 'drop it'; END $autogen$",
                    "DROP INDEX CONCURRENTLY IF EXISTS \"i\"",
                    "CREATE INDEX CONCURRENTLY IF NOT EXISTS \"i\" ON student (nickname)",
                    "ALTER TYPE fee_status ADD VALUE 'waived'",
                    "CREATE VIEW v AS SELECT 1",
                    "RESET lock_timeout",
                ]
            ),
            None
        );
        let my = MySqlDialect {};
        assert_eq!(
            judge(&my, &["ALTER TABLE `t` ADD COLUMN `c` int NULL"]),
            None
        );
        let lite = SQLiteDialect {};
        assert_eq!(
            judge(&lite, &["PRAGMA foreign_keys = OFF", "CREATE TABLE t (a)"]),
            None
        );
    }

    #[test]
    fn a_leftover_index_dropped_before_the_change_creates_it_only_adds() {
        let pg = PostgreSqlDialect {};
        let drop = vec!["DROP INDEX CONCURRENTLY IF EXISTS \"i\"".to_string()];
        let create = vec!["CREATE INDEX CONCURRENTLY IF NOT EXISTS \"i\" ON t (a)".to_string()];
        assert_eq!(blocker(&drop, &create, &[], &pg), None);
        assert!(blocker(&drop, &[], &[], &pg).is_some());
    }

    #[test]
    fn anything_else_blocks_and_is_named() {
        let pg = PostgreSqlDialect {};
        for s in [
            "ALTER TABLE student DROP COLUMN nickname",
            "ALTER TABLE student ADD COLUMN code int NOT NULL",
            "ALTER TABLE student ALTER COLUMN name SET NOT NULL",
            "ALTER TABLE student RENAME COLUMN a TO b",
            "CREATE UNIQUE INDEX i ON student (email)",
            "DROP TABLE fee",
            "CREATE OR REPLACE VIEW v AS SELECT 2",
            "UPDATE student SET name = ''",
            "DROP INDEX IF EXISTS other",
            "DO $autogen$ BEGIN EXECUTE 'DROP TABLE t'; END $autogen$",
            "DO $autogen$ BEGIN IF true THEN DROP TABLE t; END IF; END $autogen$",
            "this is not sql",
        ] {
            assert_eq!(
                judge(&pg, &["CREATE TABLE x (a int)", s]).as_deref(),
                Some(s)
            );
        }
    }
}

#[cfg(test)]
mod enum_tests {
    use super::*;
    use sqlparser::dialect::MySqlDialect;

    fn judge(up: &str, down: &str) -> Option<String> {
        blocker(
            &[up.to_string()],
            &[],
            &[down.to_string()],
            &MySqlDialect {},
        )
    }

    #[test]
    fn a_mysql_enum_given_more_values_only_adds_and_nothing_else_about_the_column_does() {
        let was = "ALTER TABLE `fees` MODIFY COLUMN `status` enum('pending','paid') NOT NULL DEFAULT 'pending'";
        let widened = "ALTER TABLE `fees` MODIFY COLUMN `status` enum('pending','waived','paid') NOT NULL DEFAULT 'pending'";
        assert_eq!(judge(widened, was), None);
        for blocks in [
            // A value removed.
            "ALTER TABLE `fees` MODIFY COLUMN `status` enum('pending','waived') NOT NULL DEFAULT 'pending'",
            // Values added, and the default changed too.
            "ALTER TABLE `fees` MODIFY COLUMN `status` enum('pending','waived','paid') NOT NULL DEFAULT 'paid'",
            // Another column's down.
            "ALTER TABLE `fees` MODIFY COLUMN `state` enum('pending','waived','paid') NOT NULL DEFAULT 'pending'",
            // Not an enum any more.
            "ALTER TABLE `fees` MODIFY COLUMN `status` varchar(10) NOT NULL DEFAULT 'pending'",
        ] {
            assert_eq!(judge(blocks, was).as_deref(), Some(blocks));
        }
        // No down saying what it was: not shown to only add.
        assert_eq!(
            blocker(&[widened.to_string()], &[], &[], &MySqlDialect {}).as_deref(),
            Some(widened)
        );
    }
}
