//! Applying and reverting one SQL revision, safely: the loop the CLI's `upgrade` / `downgrade`
//! and an application's startup share, so the two cannot drift.
//!
//! One connection holds the migration lock for the whole run (the advisory lock sqlx's own
//! `Migrator` takes, so `sqlx migrate run` and autogen exclude each other; each dialect's way is
//! in `session/`). What is applied is read again under the lock, so of several processes started
//! at once each revision is applied by exactly one.
//!
//! The version table is sqlx's `_sqlx_migrations` and its rows are written by sqlx's own
//! `Migrate` implementation; autogen runs the statements itself, one by one, so a failure names
//! its statement, and where DDL commits as it goes (MySQL) the statements that stayed applied.
//! Each revision runs in its own transaction except where the file starts with sqlx's
//! `-- no-transaction` marker, or where the dialect's DDL is not transactional. Beside each row
//! of sqlx's, `autogen_revisions` records whether the revision only adds and its down
//! statements (`ledger.rs`), in the same transaction.

use crate::error::{Direction, Failure, Result, RuntimeError};
use crate::ledger;
use crate::session::Conn;
use crate::split;
use crate::version_table::sqlx_delete;
use autogen_db::{Pool, SQLX_TABLE};
use sqlx::migrate::{AppliedMigration, Migration};
use std::path::Path;
use std::time::Duration;

/// One revision to run one way.
pub struct Step<'a> {
    /// The revision id, as messages name it.
    pub id: &'a str,
    /// The file it came from, as messages name it.
    pub path: &'a Path,
    /// The up or down file, as sqlx reads it (version, checksum, `-- no-transaction`).
    pub migration: &'a Migration,
    pub direction: Direction,
    /// On the way up, the revision's down file: kept in `autogen_revisions`.
    pub down: Option<&'a Migration>,
    /// The files (of this direction) of the other revisions of its change (the stages one `-m`
    /// wrote): whether it only adds is judged with them, and a part of an online stage run in
    /// a session of its own takes the stage's session settings from them.
    pub change: Vec<&'a Migration>,
}

/// Runs `f` on one connection while holding the migration lock (waiting at most `timeout`),
/// releasing it however `f` ends.
pub async fn locked<T, E: From<RuntimeError>>(
    pool: &Pool,
    timeout: Duration,
    f: impl AsyncFnOnce(&mut Conn) -> Result<T, E>,
) -> Result<T, E> {
    let mut conn = Conn::acquire(pool).await?;
    conn.lock(timeout).await?;
    let result = f(&mut conn).await;
    let unlocked = conn.unlock().await;
    let value = result?;
    unlocked?;
    Ok(value)
}

/// Creates sqlx's version table and autogen's record beside it, if missing.
pub async fn ensure_tables(conn: &mut Conn) -> Result<()> {
    conn.sqlx_ensure_table().await?;
    let ddl = conn.facts().revisions_table_ddl();
    conn.execute(&ddl).await?;
    Ok(())
}

/// What sqlx's version table records, refusing a row sqlx marked as failed.
pub async fn recorded(conn: &mut Conn) -> Result<Vec<AppliedMigration>> {
    if !conn.table_exists(SQLX_TABLE).await? {
        return Ok(Vec::new());
    }
    recorded_in_table(conn).await
}

/// [`recorded`], where sqlx's version table is known to exist (one round trip less).
pub(crate) async fn recorded_in_table(conn: &mut Conn) -> Result<Vec<AppliedMigration>> {
    if let Some(v) = conn.sqlx_dirty().await? {
        return Err(RuntimeError::Dirty(v.to_string()));
    }
    conn.sqlx_applied().await
}

/// How many times a revision that gave up waiting for a lock (`lock_timeout`) is tried again,
/// and the first pause between tries (doubling each time: 0.5 s, 1 s, 2 s, 4 s, 8 s).
const LOCK_RETRIES: u32 = 5;
const FIRST_PAUSE: Duration = Duration::from_millis(500);

/// Runs one revision and records it, tried again after a lock timeout where that is safe: the
/// revision was rolled back whole, or it is an online revision, whose every statement is
/// idempotent. Returns false when another process got there first (SQLite, where the lock is
/// the revision's own transaction).
pub async fn apply(conn: &mut Conn, step: &Step<'_>) -> Result<bool> {
    let idempotent = is_online(step.migration.sql.as_str());
    let mut pause = FIRST_PAUSE;
    for _ in 0..LOCK_RETRIES {
        match run_one(conn, step).await {
            Err(RuntimeError::Failed(f))
                if lock_timed_out(&f.source) && (f.rolled_back || idempotent) =>
            {
                tokio::time::sleep(pause).await;
                pause *= 2;
            }
            other => return other,
        }
    }
    // The last try: a failure says how often the revision waited for its lock in vain.
    run_one(conn, step).await.map_err(|e| match e {
        RuntimeError::Failed(mut f) if lock_timed_out(&f.source) => {
            f.tries = LOCK_RETRIES + 1;
            RuntimeError::Failed(f)
        }
        other => other,
    })
}

/// The header line that marks an online revision: outside a transaction, each statement
/// committing on its own and idempotent, so that a failed run is run again.
pub const ONLINE_MARKER: &str =
    "-- This migration runs outside a transaction (safety = \"online\")";

/// The change a revision's header names it a stage of (`-- autogen change: ID`), if any.
pub fn change_of(text: &str) -> Option<&str> {
    text.lines()
        .map_while(|line| line.strip_prefix("--"))
        .find_map(|line| line.trim().strip_prefix("autogen change:"))
        .map(str::trim)
}

/// The dialect a revision's header says it was written for (`-- autogen dialect: postgres
/// (planned on PostgreSQL 15.4)`), if it says.
pub fn dialect_of(text: &str) -> Option<autogen_schema::Dialect> {
    text.lines()
        .map_while(|line| line.strip_prefix("--"))
        .find_map(|line| line.trim().strip_prefix("autogen dialect:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(autogen_schema::Dialect::from_url)
}

/// Before an online revision builds an index concurrently: the same index, left INVALID by an
/// earlier build that failed or was killed, is dropped, so that `IF NOT EXISTS` does not take
/// the broken index for done (what makes "run it again" true after a duplicate key).
async fn drop_invalid_leftover(conn: &mut Conn, statement: &str) -> Result<()> {
    let facts = conn.facts();
    let Some(query) = facts.invalid_index_sql(statement) else {
        return Ok(());
    };
    // Each as the server prints a `regclass`: quoted where needed, qualified outside the path.
    for index in conn.strings(&query).await? {
        conn.execute(&format!("DROP INDEX CONCURRENTLY IF EXISTS {index}"))
            .await?;
    }
    Ok(())
}

/// Whether the file's header (its leading comment block, never a statement's text) marks it
/// an online revision.
pub fn is_online(text: &str) -> bool {
    let marker = ONLINE_MARKER.trim_start_matches("--").trim();
    text.lines()
        .map_while(|line| line.strip_prefix("--"))
        .any(|line| line.trim().starts_with(marker))
}

/// PostgreSQL's `lock_not_available`, what `lock_timeout` raises.
fn lock_timed_out(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|d| d.code())
        .is_some_and(|code| code == "55P03")
}

async fn run_one(conn: &mut Conn, step: &Step<'_>) -> Result<bool> {
    let m = step.migration;
    let facts = conn.facts();
    let statements = split::statements(m.sql.as_str(), facts.parser());
    let in_tx = !m.no_tx && facts.sql().transactional_ddl();
    if in_tx {
        conn.execute(facts.begin()).await?;
        if facts.recheck_in_transaction() {
            let sql = format!(
                "SELECT count(*) FROM {SQLX_TABLE} WHERE version = {}",
                m.version
            );
            let recorded = conn.count(&sql).await? > 0;
            if recorded == (step.direction == Direction::Up) {
                conn.execute("ROLLBACK").await?;
                return Ok(false);
            }
        }
    }
    let resume = Resume::start(conn, step, &statements, in_tx).await?;
    let online = is_online(m.sql.as_str());
    for setting in stage_settings(step, &statements, facts.parser()) {
        conn.execute(&setting).await?;
    }
    for (i, statement) in statements.iter().enumerate() {
        let setting = is_session_setting(statement);
        // Done by the run this one resumes (session settings are this session's to make).
        if i < resume.done && !setting {
            continue;
        }
        if online {
            drop_invalid_leftover(conn, statement).await?;
        }
        match conn.execute(statement).await {
            Ok(()) => resume.advance(conn, i, setting).await?,
            // The statement the interrupted run was in when it stopped may have finished on the
            // server after its client was gone.
            Err(source) if resume.in_doubt && i == resume.done && facts.already_done(&source) => {
                resume.advance(conn, i, setting).await?;
            }
            Err(source) => {
                // In a transaction of the runner's or of the file's own (a SQLite rebuild opens
                // one): roll it back. The connection may be gone; a failed rollback changes
                // nothing the server keeps.
                let _ = conn.execute("ROLLBACK").await;
                resume.stopped(conn).await;
                let left_invalid = match facts.invalid_index_sql(statement) {
                    Some(sql) => conn.strings(&sql).await.unwrap_or_default(),
                    None => Vec::new(),
                };
                return Err(RuntimeError::Failed(Box::new(Failure {
                    id: step.id.to_string(),
                    dialect: conn.dialect(),
                    path: step.path.to_path_buf(),
                    direction: step.direction,
                    index: i,
                    total: statements.len(),
                    statement: statement.clone(),
                    applied: if in_tx {
                        Vec::new()
                    } else {
                        still_applied(&statements[..i])
                    },
                    rolled_back: in_tx,
                    online,
                    left_invalid,
                    tries: 1,
                    source,
                })));
            }
        }
    }
    if let Err(e) = record(conn, step, &statements).await {
        if in_tx {
            let _ = conn.execute("ROLLBACK").await;
        }
        return Err(e);
    }
    if in_tx {
        conn.execute("COMMIT").await?;
    }
    Ok(true)
}

/// For a part of an online stage that holds a statement refusing a transaction block alone (no
/// `SET` of its own: see `Body::parts`), the session settings (`SET lock_timeout …`) of the
/// stage's parts that run before it, so that it waits for its lock no longer than the stage
/// says even when it runs in a session of its own (a run resumed after a failure). Setting them
/// again in the same session changes nothing.
fn stage_settings(
    step: &Step<'_>,
    statements: &[String],
    parser: &dyn sqlparser::dialect::Dialect,
) -> Vec<String> {
    let is_set = |s: &String| s.trim_start().to_ascii_uppercase().starts_with("SET ");
    if !is_online(step.migration.sql.as_str()) || statements.iter().any(is_set) {
        return Vec::new();
    }
    let version = step.migration.version;
    let mut before: Vec<&Migration> = step
        .change
        .iter()
        .copied()
        .filter(|m| match step.direction {
            Direction::Up => m.version < version,
            Direction::Down => m.version > version,
        })
        .collect();
    before.sort_by_key(|m| m.version);
    if step.direction == Direction::Down {
        before.reverse();
    }
    // The settings of the nearest part before it that makes any (and is not undone since).
    before
        .iter()
        .rev()
        .map(|m| split::statements(m.sql.as_str(), parser))
        .find(|s| {
            s.iter().any(is_set)
                || s.iter()
                    .any(|s| s.trim_start().to_ascii_uppercase().starts_with("RESET "))
        })
        .map(|s| s.into_iter().filter(is_set).collect())
        .unwrap_or_default()
}

/// The version table's row (sqlx's) and autogen's record beside it.
async fn record(conn: &mut Conn, step: &Step<'_>, statements: &[String]) -> Result<()> {
    let m = step.migration;
    match step.direction {
        Direction::Up => {
            conn.sqlx_record(m).await?;
            for sql in ledger_record(conn, step, statements) {
                conn.execute(&sql).await?;
            }
        }
        Direction::Down => {
            conn.execute(&sqlx_delete(m.version)).await?;
            conn.execute(&ledger::forget(m.version)).await?;
        }
    }
    Ok(())
}

/// Where a revision that runs outside one transaction, and is not online, stands: the statements
/// a run killed or failed partway got done (`ledger::progress`), which the next run passes over
/// instead of running twice (an `INSERT` done twice is two rows); a transaction needs none of
/// this, and an online revision's statements are idempotent, so it runs from its start again.
struct Resume<'a> {
    migration: &'a Migration,
    /// Whether progress is recorded for this run.
    tracked: bool,
    /// Whether the statement after those done may have run in a run killed while it ran.
    in_doubt: bool,
    /// How many statements the interrupted run got done (0 for a fresh run).
    done: usize,
}

impl<'a> Resume<'a> {
    async fn start(
        conn: &mut Conn,
        step: &Step<'a>,
        statements: &[String],
        in_tx: bool,
    ) -> Result<Resume<'a>> {
        let m = step.migration;
        let tracked = !in_tx && step.direction == Direction::Up && !is_online(m.sql.as_str());
        let mut resume = Resume {
            migration: m,
            tracked,
            in_doubt: false,
            done: 0,
        };
        if !tracked {
            return Ok(resume);
        }
        let recorded = conn.strings(&ledger::progress_query(m.version)).await?;
        match recorded.first().and_then(|b| ledger::parse_progress(b, m)) {
            Some((done, in_doubt)) => {
                resume.in_doubt = in_doubt;
                resume.done = done.min(statements.len());
            }
            None => {
                let sql = conn.facts().sql();
                for s in ledger::progress(m, 0, sql) {
                    conn.execute(&s).await?;
                }
            }
        }
        Ok(resume)
    }

    /// A statement failed: the next run starts at it, with nothing in doubt. Best effort:
    /// the connection may be gone, and then the record says it may have run, which a rerun
    /// checks against what the database has.
    async fn stopped(&self, conn: &mut Conn) {
        if self.tracked {
            let _ = conn.execute(&ledger::stopped(self.migration)).await;
        }
    }

    /// Statement `i` is done.
    async fn advance(&self, conn: &mut Conn, i: usize, setting: bool) -> Result<()> {
        if self.tracked && !setting {
            conn.execute(&ledger::advance(self.migration, i + 1))
                .await?;
        }
        Ok(())
    }
}

/// The statements that write the revision's record in `autogen_revisions`.
fn ledger_record(conn: &Conn, step: &Step<'_>, statements: &[String]) -> [String; 2] {
    let facts = conn.facts();
    let entry = ledger::Entry::of(
        step.migration,
        statements,
        step.down,
        &step.change,
        facts.parser(),
    );
    ledger::record(&entry, facts.sql())
}

/// A statement that sets something of the session only (`SET`, `RESET`, `PRAGMA`): nothing of
/// the schema to undo, and nothing a rerun finds done.
fn is_session_setting(statement: &str) -> bool {
    let upper = statement.trim_start().to_ascii_uppercase();
    ["PRAGMA", "SET ", "RESET "]
        .iter()
        .any(|w| upper.starts_with(w))
}

/// Of the statements that ran before a failure outside the runner's transaction, those whose
/// effect remains: not a connection setting (`PRAGMA`, `SET`), not inside the file's own
/// transaction that the failure rolled back.
fn still_applied(ran: &[String]) -> Vec<String> {
    let is = |s: &String, word: &str| s.trim().eq_ignore_ascii_case(word);
    let open = ran
        .iter()
        .rposition(|s| is(s, "BEGIN"))
        .filter(|b| !ran[*b..].iter().any(|s| is(s, "COMMIT")));
    ran[..open.unwrap_or(ran.len())]
        .iter()
        // Session settings end with the session: nothing to undo.
        .filter(|s| !is_session_setting(s))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::migrate::MigrationType;
    use sqlx::{AssertSqlSafe, SqlSafeStr};
    use std::borrow::Cow;

    fn part(version: i64, body: &str) -> Migration {
        let sql = format!("-- no-transaction\n{ONLINE_MARKER}: …\n{body}");
        Migration::new(
            version,
            Cow::Borrowed("part"),
            MigrationType::ReversibleUp,
            AssertSqlSafe(sql).into_sql_str(),
            true,
        )
    }

    #[test]
    fn a_part_run_alone_takes_its_stage_s_settings_from_the_parts_before_it() {
        let parser = sqlparser::dialect::PostgreSqlDialect {};
        let first = part(
            1,
            "SET lock_timeout = '5s';\nSET statement_timeout = '1h';\nDO $g$ BEGIN END $g$;",
        );
        let build = part(2, "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);");
        let reset = part(3, "RESET lock_timeout;\nRESET statement_timeout;");
        let after = part(4, "CREATE INDEX CONCURRENTLY IF NOT EXISTS j ON t (b);");
        let settings = |m: &Migration, change: Vec<&Migration>| {
            let step = Step {
                id: "x",
                path: Path::new("x"),
                migration: m,
                direction: Direction::Up,
                down: None,
                change,
            };
            let statements = split::statements(m.sql.as_str(), &parser);
            stage_settings(&step, &statements, &parser)
        };
        assert_eq!(
            settings(&build, vec![&first, &reset]),
            ["SET lock_timeout = '5s'", "SET statement_timeout = '1h'"]
        );
        // After the stage reset them: nothing; a part with settings of its own: nothing more.
        assert!(settings(&after, vec![&first, &build, &reset]).is_empty());
        assert!(settings(&first, vec![&build, &reset]).is_empty());
    }
}
