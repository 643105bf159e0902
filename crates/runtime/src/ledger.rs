//! `autogen_revisions`: autogen's record, beside sqlx's version table (never in it), of each SQL
//! revision it applied — whether its up migration only adds, the first statement that does more,
//! and its down file. An older build reads it to start on a newer database when every unknown
//! revision only adds, and `autogen downgrade --recorded-down` to revert a revision whose file
//! it does not have. A revision running outside one transaction keeps its progress there too
//! (a record sqlx's table has no row for), which the next run resumes from.

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

/// How a revision that runs outside one transaction (and is not online, whose statements are
/// idempotent and simply run again) marks its progress: a record written before its first
/// statement and updated after each, its `blocker` saying how many statements are done, which
/// the revision's full record replaces when it completes. A record whose version sqlx's table
/// lacks is one of these: a run killed (or failed) partway, which the next run resumes.
const IN_PROGRESS: &str = "in progress: statements done: ";
/// The same, once a statement's error was seen: the statement after those done did not run, so
/// none is in doubt (a run killed while a statement ran cannot know whether it ended).
const STOPPED: &str = "stopped by an error: statements done: ";

/// The file a progress record is of: the start of its checksum, so that a record of a run of
/// the file as it was before an edit is not taken for a run of the file as it is.
fn file_tag(m: &Migration) -> String {
    m.checksum
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The statements that mark `m` as in progress with `done` statements done.
pub fn progress(m: &Migration, done: usize, sql: &dyn SqlDialect) -> [String; 2] {
    [
        forget(m.version),
        format!(
            "INSERT INTO {REVISIONS_TABLE} (version, description, additive, blocker) \
             VALUES ({}, {}, FALSE, '{IN_PROGRESS}{done} of {}')",
            m.version,
            sql.string_literal(&m.description),
            file_tag(m)
        ),
    ]
}

/// The statement that moves `m`'s progress on to `done`.
pub fn advance(m: &Migration, done: usize) -> String {
    format!(
        "UPDATE {REVISIONS_TABLE} SET blocker = '{IN_PROGRESS}{done} of {}' WHERE version = {}",
        file_tag(m),
        m.version
    )
}

/// The statement that records that `m` stopped at an error. The count of statements done stays
/// what was committed: inside a file's own transaction (a SQLite rebuild), the error rolled
/// back the progress made in it along with its statements.
pub fn stopped(m: &Migration) -> String {
    format!(
        "UPDATE {REVISIONS_TABLE} SET blocker = REPLACE(blocker, '{IN_PROGRESS}', '{STOPPED}') \
         WHERE version = {}",
        m.version
    )
}

/// The query whose one row, if any, is `version`'s `blocker` (empty for none).
pub fn progress_query(version: i64) -> String {
    format!("SELECT COALESCE(blocker, '') FROM {REVISIONS_TABLE} WHERE version = {version}")
}

/// How many statements of `m` (as the file is now) a progress record says are done, and whether
/// the one after them may have run too (the run was killed in it, not stopped by its error);
/// `None` for a full record, or a record of the file before an edit.
pub fn parse_progress(blocker: &str, m: &Migration) -> Option<(usize, bool)> {
    let (rest, in_doubt) = match blocker.strip_prefix(IN_PROGRESS) {
        Some(rest) => (rest, true),
        None => (blocker.strip_prefix(STOPPED)?, false),
    };
    let (done, tag) = rest.split_once(" of ")?;
    (tag == file_tag(m))
        .then(|| done.parse().ok().map(|d| (d, in_doubt)))
        .flatten()
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
