//! Applying and reverting revisions, safely.
//!
//! One connection holds the migration lock for the whole run (the advisory lock sqlx's own
//! `Migrator` takes, so `sqlx migrate run` and autogen exclude each other; each dialect's way is
//! in `session/`). What is applied is read again under the lock, so of several processes started
//! at once each revision is applied by exactly one.
//!
//! SQL revisions: the version table is sqlx's `_sqlx_migrations` and its rows are written by
//! sqlx's own `Migrate` implementation; autogen runs the statements itself, one by one, so a
//! failure names its statement, and where DDL commits as it goes (MySQL) the statements that
//! stayed applied. Each revision runs in its own transaction except where the file starts with
//! sqlx's `-- no-transaction` marker, or where the dialect's DDL is not transactional.
//!
//! Rust revisions run in the migration crate (`cargo run -- up -n N`, as sea-orm-cli does) while
//! autogen holds the lock.

use crate::dir::MigrationsDir;
use crate::error::{Failure, MigrateError, Result, io};
use crate::options::RunOptions;
use crate::revision::{Format, Revision};
use crate::session::Conn;
use crate::split;
use crate::sql_files::SqlFiles;
use crate::target::{Direction, Target};
use crate::version_table::{
    checksum_statements, checksum_table_ddl, rust_checksum_matches, seaql_table_ddl, sqlx_delete,
};
use autogen_db::{CHECKSUM_TABLE, Db, SEAQL_TABLE, SQLX_TABLE};
use sqlx::migrate::Migration;
use std::collections::{BTreeMap, BTreeSet};

/// A revision the version table records, with its checksum where one is kept.
pub(crate) struct Recorded {
    pub id: String,
    pub checksum: Option<Vec<u8>>,
}

/// Creates the version table(s) of `format` if missing.
pub(crate) async fn ensure_tables(conn: &mut Conn, format: Format) -> Result<()> {
    match format {
        Format::Sql => conn.sqlx_ensure_table().await,
        Format::Rust => {
            conn.execute(&seaql_table_ddl()).await?;
            conn.execute(&checksum_table_ddl()).await?;
            Ok(())
        }
    }
}

/// Revision ids the version table records, with sqlx's checksum (SQL format) or autogen's
/// (Rust format).
pub(crate) async fn recorded(conn: &mut Conn, dir: &MigrationsDir) -> Result<Vec<Recorded>> {
    match dir.format {
        Format::Sql => {
            if !conn.table_exists(SQLX_TABLE).await? {
                return Ok(Vec::new());
            }
            if let Some(v) = conn.sqlx_dirty().await? {
                return Err(MigrateError::Dirty(v.to_string()));
            }
            Ok(conn
                .sqlx_applied()
                .await?
                .into_iter()
                .map(|m| Recorded {
                    id: m.version.to_string(),
                    checksum: Some(m.checksum.into_owned()),
                })
                .collect())
        }
        Format::Rust => {
            if !conn.table_exists(SEAQL_TABLE).await? {
                return Ok(Vec::new());
            }
            let names = conn
                .strings(&format!(
                    "SELECT version FROM {SEAQL_TABLE} ORDER BY version"
                ))
                .await?;
            // Revisions sea-orm-cli applied on its own have no checksum row: nothing to compare.
            let mut sums: BTreeMap<String, String> = BTreeMap::new();
            if conn.table_exists(CHECKSUM_TABLE).await? {
                let sql = format!("SELECT version, checksum FROM {CHECKSUM_TABLE}");
                sums.extend(conn.pairs(&sql).await?);
            }
            Ok(names
                .into_iter()
                .map(|name| Recorded {
                    checksum: sums.get(&name).map(|s| s.as_bytes().to_vec()),
                    id: dir
                        .revisions
                        .iter()
                        .find(|r| r.name == name)
                        .map(|r| r.meta.id.clone())
                        .unwrap_or(name),
                })
                .collect())
        }
    }
}

/// What the database records as applied, checked against the directory: a revision recorded
/// but missing on disk, or whose file changed since it ran (checksum), is an error before
/// anything runs.
async fn checked_applied(
    conn: &mut Conn,
    dir: &MigrationsDir,
    files: &SqlFiles,
) -> Result<BTreeSet<String>> {
    let recorded = recorded(conn, dir).await?;
    let missing: Vec<String> = recorded
        .iter()
        .filter(|r| dir.find(&r.id).is_none())
        .map(|r| r.id.clone())
        .collect();
    if !missing.is_empty() {
        return Err(MigrateError::MissingFile(missing.join(", ")));
    }
    for r in &recorded {
        let (Some(sum), Some(rev)) = (&r.checksum, dir.find(&r.id)) else {
            continue;
        };
        let matches = match dir.format {
            Format::Sql => files.get(rev, Direction::Up)?.checksum.as_ref() == sum.as_slice(),
            Format::Rust => {
                let text = std::fs::read_to_string(&rev.path).map_err(io(&rev.path))?;
                rust_checksum_matches(&text, sum)
            }
        };
        if !matches {
            return Err(MigrateError::Tampered {
                id: r.id.clone(),
                path: rev.path.clone(),
            });
        }
    }
    Ok(recorded.into_iter().map(|r| r.id).collect())
}

/// Applied revision ids, checked (see [`checked_applied`]), in graph order.
pub async fn applied(db: &Db, dir: &MigrationsDir) -> Result<Vec<String>> {
    let files = SqlFiles::load(dir)?;
    let mut conn = Conn::acquire(db).await?;
    let set = checked_applied(&mut conn, dir, &files).await?;
    Ok(dir
        .revisions
        .iter()
        .filter(|r| set.contains(&r.meta.id))
        .map(|r| r.meta.id.clone())
        .collect())
}

/// Moves the database to `target`: takes the lock, reads and checks what is applied, then
/// applies or reverts revision after revision, calling `done` after each. Returns the ids moved.
pub async fn run(
    db: &Db,
    dir: &MigrationsDir,
    target: &Target,
    direction: Direction,
    options: &RunOptions,
    done: &mut dyn FnMut(&Revision),
) -> Result<Vec<String>> {
    let files = SqlFiles::load(dir)?;
    locked(db, options, async |conn| {
        run_locked(conn, dir, &files, target, direction, options, done).await
    })
    .await
}

/// Runs `f` on one connection while holding the migration lock, releasing it however `f` ends.
pub(crate) async fn locked<T>(
    db: &Db,
    options: &RunOptions,
    f: impl AsyncFnOnce(&mut Conn) -> Result<T>,
) -> Result<T> {
    let mut conn = Conn::acquire(db).await?;
    conn.lock(db, options.lock_timeout).await?;
    let result = f(&mut conn).await;
    let unlocked = conn.unlock().await;
    let value = result?;
    unlocked?;
    Ok(value)
}

async fn run_locked(
    conn: &mut Conn,
    dir: &MigrationsDir,
    files: &SqlFiles,
    target: &Target,
    direction: Direction,
    options: &RunOptions,
    done: &mut dyn FnMut(&Revision),
) -> Result<Vec<String>> {
    ensure_tables(conn, dir.format).await?;
    let applied = checked_applied(conn, dir, files).await?;
    let steps = dir.steps(&applied, target, direction)?;
    if dir.format == Format::Rust {
        crate::cargo::run_steps(dir, &applied, &steps, direction, options).await?;
        for r in &steps {
            let sql = conn.facts().sql();
            for statement in checksum_statements(r, direction, sql)? {
                conn.execute(&statement).await?;
            }
            done(r);
        }
        return Ok(steps.iter().map(|r| r.meta.id.clone()).collect());
    }
    let mut moved = Vec::new();
    for rev in steps {
        let migration = files.get(rev, direction)?;
        if run_retrying(conn, rev, migration, direction).await? {
            done(rev);
            moved.push(rev.meta.id.clone());
        }
    }
    Ok(moved)
}

/// How many times a revision that gave up waiting for a lock (`lock_timeout`) is tried again,
/// and the first pause between tries (doubling each time: 0.5 s, 1 s, 2 s, 4 s, 8 s).
const LOCK_RETRIES: u32 = 5;
const FIRST_PAUSE: std::time::Duration = std::time::Duration::from_millis(500);

/// [`run_one`], tried again after a lock timeout where that is safe: the revision was rolled
/// back whole, or it is an online revision, whose every statement is idempotent.
async fn run_retrying(
    conn: &mut Conn,
    rev: &Revision,
    m: &Migration,
    direction: Direction,
) -> Result<bool> {
    let idempotent = crate::header::is_online(m.sql.as_str());
    let mut pause = FIRST_PAUSE;
    for _ in 0..LOCK_RETRIES {
        match run_one(conn, rev, m, direction).await {
            Err(MigrateError::Failed(f))
                if lock_timed_out(&f.source) && (f.rolled_back || idempotent) =>
            {
                tokio::time::sleep(pause).await;
                pause *= 2;
            }
            other => return other,
        }
    }
    // The last try: a failure says how often the revision waited for its lock in vain.
    run_one(conn, rev, m, direction).await.map_err(|e| match e {
        MigrateError::Failed(mut f) if lock_timed_out(&f.source) => {
            f.tries = LOCK_RETRIES + 1;
            MigrateError::Failed(f)
        }
        other => other,
    })
}

/// PostgreSQL's `lock_not_available`, what `lock_timeout` raises.
fn lock_timed_out(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|d| d.code())
        .is_some_and(|code| code == "55P03")
}

/// Runs one SQL revision and records it. Returns false when another process got there first
/// (SQLite, where the lock is the revision's own transaction).
async fn run_one(
    conn: &mut Conn,
    rev: &Revision,
    m: &Migration,
    direction: Direction,
) -> Result<bool> {
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
            if recorded == (direction == Direction::Up) {
                conn.execute("ROLLBACK").await?;
                return Ok(false);
            }
        }
    }
    for (i, statement) in statements.iter().enumerate() {
        if let Err(source) = conn.execute(statement).await {
            // In a transaction of the runner's or of the file's own (a SQLite rebuild opens
            // one): roll it back. The connection may be gone; a failed rollback changes nothing
            // the server keeps.
            let _ = conn.execute("ROLLBACK").await;
            let path = match direction {
                Direction::Up => rev.path.clone(),
                Direction::Down => rev.down_path(),
            };
            return Err(MigrateError::Failed(Box::new(Failure {
                id: rev.meta.id.clone(),
                dialect: conn.dialect(),
                path,
                direction,
                index: i,
                total: statements.len(),
                statement: statement.clone(),
                applied: if in_tx {
                    Vec::new()
                } else {
                    still_applied(&statements[..i])
                },
                rolled_back: in_tx,
                online: crate::header::is_online(m.sql.as_str()),
                tries: 1,
                source,
            })));
        }
    }
    let record = match direction {
        Direction::Up => conn.sqlx_record(m).await,
        Direction::Down => conn
            .execute(&sqlx_delete(m.version))
            .await
            .map_err(MigrateError::from),
    };
    if let Err(e) = record {
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

/// Of the statements that ran before a failure outside the runner's transaction, those whose
/// effect remains: not a connection setting (`PRAGMA`), not inside the file's own transaction
/// that the failure rolled back.
fn still_applied(ran: &[String]) -> Vec<String> {
    let is = |s: &String, word: &str| s.trim().eq_ignore_ascii_case(word);
    let open = ran
        .iter()
        .rposition(|s| is(s, "BEGIN"))
        .filter(|b| !ran[*b..].iter().any(|s| is(s, "COMMIT")));
    ran[..open.unwrap_or(ran.len())]
        .iter()
        .filter(|s| {
            // Session settings end with the session: nothing to undo.
            let upper = s.trim_start().to_ascii_uppercase();
            !["PRAGMA", "SET ", "RESET "]
                .iter()
                .any(|w| upper.starts_with(w))
        })
        .cloned()
        .collect()
}
