//! `autogen_revisions`: autogen's record, beside sqlx's version table (never in it), of each SQL
//! revision it applied — whether its up migration only adds, the first statement that does more,
//! and its down file. An older build reads it to start on a newer database when every unknown
//! revision only adds, and `autogen downgrade --recorded-down` to revert a revision whose file
//! it does not have.

use crate::additive;
use autogen_db::REVISIONS_TABLE;
use autogen_schema::SqlDialect;
use sqlx::migrate::Migration;

/// The table as a dialect creates it: `text` is its type for long text, `timestamp` its
/// `applied_at` column.
pub fn table_ddl(text: &str, timestamp: &str) -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS {REVISIONS_TABLE} (\n    version BIGINT PRIMARY KEY,\n    \
         description {text} NOT NULL,\n    additive BOOLEAN NOT NULL,\n    blocker {text},\n    \
         down_sql {text},\n    applied_at {timestamp}\n)"
    )
}

/// What is recorded of one revision applied.
pub struct Entry<'a> {
    pub version: i64,
    pub description: &'a str,
    /// The first statement that does more than add; `None`: the revision only adds.
    pub blocker: Option<String>,
    pub down: Option<&'a str>,
}

impl<'a> Entry<'a> {
    /// `change`: the up files of the other revisions of the same change.
    pub fn of(
        up: &'a Migration,
        statements: &[String],
        down: Option<&'a Migration>,
        change: &[&Migration],
        parser: &dyn sqlparser::dialect::Dialect,
    ) -> Entry<'a> {
        let others: Vec<String> = change
            .iter()
            .flat_map(|m| crate::split::statements(m.sql.as_str(), parser))
            .collect();
        let before: Vec<String> = down
            .map(|d| crate::split::statements(d.sql.as_str(), parser))
            .unwrap_or_default();
        Entry {
            version: up.version,
            description: &up.description,
            blocker: additive::blocker(statements, &others, &before, parser),
            down: down.map(|d| d.sql.as_str()),
        }
    }
}

/// The statements that record `entry` (replacing an earlier record of the same version).
pub fn record(entry: &Entry<'_>, sql: &dyn SqlDialect) -> [String; 2] {
    let text = |s: Option<&str>| s.map_or("NULL".to_string(), |s| sql.string_literal(s));
    [
        forget(entry.version),
        format!(
            "INSERT INTO {REVISIONS_TABLE} (version, description, additive, blocker, down_sql) \
             VALUES ({}, {}, {}, {}, {})",
            entry.version,
            sql.string_literal(entry.description),
            if entry.blocker.is_none() {
                "TRUE"
            } else {
                "FALSE"
            },
            text(entry.blocker.as_deref()),
            text(entry.down),
        ),
    ]
}

/// Forgets a revision reverted (or un-stamped).
pub fn forget(version: i64) -> String {
    format!("DELETE FROM {REVISIONS_TABLE} WHERE version = {version}")
}

/// One revision as recorded: `(version, description, blocker, down_sql)`.
pub type Row = (i64, String, Option<String>, Option<String>);

/// The query that reads every record back as [`Row`]s.
pub fn select() -> String {
    format!(
        "SELECT version, description, blocker, down_sql FROM {REVISIONS_TABLE} ORDER BY version"
    )
}
