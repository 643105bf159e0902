//! Applying and reverting revisions, safely.
//!
//! One connection holds the migration lock for the whole run (the advisory lock sqlx's own
//! `Migrator` takes, so `sqlx migrate run` and autogen exclude each other). SQLite has no such
//! lock: autogen runs take an OS file lock beside the database file, and each revision runs in a
//! `BEGIN IMMEDIATE` transaction that re-checks it is still pending (against other tools). What
//! is applied is read again under the lock, so of several processes started at once each
//! revision is applied by exactly one.
//!
//! SQL revisions: the version table is sqlx's `_sqlx_migrations` and its rows are written by
//! sqlx's own `Migrate` implementation; autogen runs the statements itself, one by one, so a
//! failure names its statement, and on MySQL (whose DDL commits as it goes) the statements that
//! stayed applied. Each revision runs in its own transaction except where the file starts with
//! sqlx's `-- no-transaction` marker, or on MySQL.
//!
//! Rust revisions run in the migration crate (`cargo run -- up -n N`, as sea-orm-cli does) while
//! autogen holds the lock.

use crate::graph::{Direction, Target};
use crate::{Format, MigrateError, MigrationsDir, Result, Revision, split};
use autogen_introspect::Db;
use autogen_schema::Dialect;
use sqlx::migrate::{Migrate, Migration, MigrationType};
use sqlx::pool::PoolConnection;
use sqlx::{AssertSqlSafe, MySql, Postgres, Sqlite};
use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

pub const SQLX_TABLE: &str = "_sqlx_migrations";
pub const SEAQL_TABLE: &str = "seaql_migrations";
/// Checksums of applied Rust revisions (`seaql_migrations` has no column for them).
pub const CHECKSUM_TABLE: &str = "autogen_checksums";

/// SHA-384 of a file's text, hex: what [`CHECKSUM_TABLE`] records for a Rust revision.
pub(crate) fn file_checksum(text: &str) -> String {
    use sha2::Digest;
    sha2::Sha384::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// How a run behaves.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// How long to wait for another process's migration lock before giving up.
    pub lock_timeout: Duration,
    /// `-x key=value` arguments for hand-written (Rust) migrations.
    pub x_args: Vec<(String, String)>,
    /// The database URL, for the Rust migration crate.
    pub url: String,
}

/// The lock key sqlx's `Migrator` derives from the database name (CRC-32 times a constant).
fn lock_id(database_name: &str) -> i64 {
    const CRC: crc::Crc<u32> = crc::Crc::<u32>::new(&crc::CRC_32_ISO_HDLC);
    0x3d32ad9e * (CRC.checksum(database_name.as_bytes()) as i64)
}

/// One connection of the database's kind, held for a whole run.
enum Conn {
    Pg(PoolConnection<Postgres>),
    My(PoolConnection<MySql>),
    Lite(PoolConnection<Sqlite>),
}

macro_rules! on_conn {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            Conn::Pg($c) => $body,
            Conn::My($c) => $body,
            Conn::Lite($c) => $body,
        }
    };
}

impl Conn {
    async fn acquire(db: &Db) -> Result<Conn> {
        Ok(match db {
            Db::Postgres(p) => Conn::Pg(p.acquire().await?),
            Db::MySql(p) => Conn::My(p.acquire().await?),
            Db::Sqlite(p) => Conn::Lite(p.acquire().await?),
        })
    }

    fn dialect(&self) -> Dialect {
        match self {
            Conn::Pg(_) => Dialect::Postgres,
            Conn::My(_) => Dialect::MySql,
            Conn::Lite(_) => Dialect::Sqlite,
        }
    }

    async fn execute(&mut self, sql: &str) -> Result<(), sqlx::Error> {
        let sql = AssertSqlSafe(sql.to_string());
        on_conn!(self, c => sqlx::raw_sql(sql).execute(&mut **c).await.map(drop))
    }

    async fn scalar_i64(&mut self, sql: &str) -> Result<Option<i64>, sqlx::Error> {
        let sql = AssertSqlSafe(sql.to_string());
        on_conn!(self, c => sqlx::query_scalar(sql).fetch_optional(&mut **c).await)
    }

    async fn table_exists(&mut self, table: &str) -> Result<bool, sqlx::Error> {
        let sql = match self {
            Conn::Pg(_) => format!(
                "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = '{table}'"
            ),
            Conn::My(_) => format!(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = '{table}'"
            ),
            Conn::Lite(_) => {
                format!(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'"
                )
            }
        };
        Ok(self.scalar_i64(&sql).await?.unwrap_or(0) > 0)
    }

    async fn ensure_table(&mut self, format: Format) -> Result<()> {
        match format {
            Format::Sql => on_conn!(self, c => c.ensure_migrations_table(SQLX_TABLE).await?),
            Format::Rust => {
                self.execute(&crate::offline::seaql_table_ddl()).await?;
                self.execute(&crate::offline::checksum_table_ddl()).await?;
            }
        }
        Ok(())
    }

    /// Takes the migration lock, waiting at most `timeout`. SQLite locks per revision instead
    /// (`BEGIN IMMEDIATE`, waiting up to the busy timeout).
    async fn lock(&mut self, timeout: Duration) -> Result<()> {
        let give_up = || MigrateError::LockTimeout {
            waited: timeout.as_secs_f64(),
        };
        match self {
            Conn::Pg(c) => {
                let name: String = sqlx::query_scalar("SELECT current_database()")
                    .fetch_one(&mut **c)
                    .await?;
                let id = lock_id(&name);
                let start = Instant::now();
                loop {
                    let got: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
                        .bind(id)
                        .fetch_one(&mut **c)
                        .await?;
                    if got {
                        return Ok(());
                    }
                    if start.elapsed() >= timeout {
                        return Err(give_up());
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
            Conn::My(c) => {
                let name: String = sqlx::query_scalar("SELECT DATABASE()")
                    .fetch_one(&mut **c)
                    .await?;
                // GET_LOCK waits in whole seconds; 1 = got it, 0 = timed out.
                let got: Option<i64> = sqlx::query_scalar("SELECT GET_LOCK(?, ?)")
                    .bind(format!("{:x}", lock_id(&name)))
                    .bind(timeout.as_secs_f64().ceil() as i64)
                    .fetch_one(&mut **c)
                    .await?;
                if got == Some(1) {
                    Ok(())
                } else {
                    Err(give_up())
                }
            }
            Conn::Lite(c) => {
                let ms = timeout.as_millis().min(i32::MAX as u128);
                sqlx::raw_sql(AssertSqlSafe(format!("PRAGMA busy_timeout = {ms}")))
                    .execute(&mut **c)
                    .await?;
                Ok(())
            }
        }
    }

    async fn unlock(&mut self) -> Result<()> {
        match self {
            Conn::Pg(c) => {
                let name: String = sqlx::query_scalar("SELECT current_database()")
                    .fetch_one(&mut **c)
                    .await?;
                sqlx::query("SELECT pg_advisory_unlock($1)")
                    .bind(lock_id(&name))
                    .execute(&mut **c)
                    .await?;
            }
            Conn::My(c) => {
                let name: String = sqlx::query_scalar("SELECT DATABASE()")
                    .fetch_one(&mut **c)
                    .await?;
                sqlx::query("SELECT RELEASE_LOCK(?)")
                    .bind(format!("{:x}", lock_id(&name)))
                    .execute(&mut **c)
                    .await?;
            }
            Conn::Lite(_) => {}
        }
        Ok(())
    }

    /// Revision ids the version table records, with sqlx's checksum (SQL format).
    async fn recorded(&mut self, dir: &MigrationsDir) -> Result<Vec<Recorded>> {
        match dir.format {
            Format::Sql => {
                if !self.table_exists(SQLX_TABLE).await? {
                    return Ok(Vec::new());
                }
                let dirty = on_conn!(self, c => c.dirty_version(SQLX_TABLE).await?);
                if let Some(v) = dirty {
                    return Err(MigrateError::Dirty(v.to_string()));
                }
                let rows = on_conn!(self, c => c.list_applied_migrations(SQLX_TABLE).await?);
                Ok(rows
                    .into_iter()
                    .map(|m| Recorded {
                        id: m.version.to_string(),
                        checksum: Some(m.checksum.into_owned()),
                    })
                    .collect())
            }
            Format::Rust => {
                if !self.table_exists(SEAQL_TABLE).await? {
                    return Ok(Vec::new());
                }
                let sql = format!("SELECT version FROM {SEAQL_TABLE} ORDER BY version");
                let names: Vec<String> = on_conn!(self, c => sqlx::query_scalar(AssertSqlSafe(sql)).fetch_all(&mut **c).await?);
                // Revisions sea-orm-cli applied on its own have no checksum row: nothing to compare.
                let mut sums: BTreeMap<String, String> = BTreeMap::new();
                if self.table_exists(CHECKSUM_TABLE).await? {
                    let sql = format!("SELECT version, checksum FROM {CHECKSUM_TABLE}");
                    let rows: Vec<(String, String)> = on_conn!(self, c => sqlx::query_as(AssertSqlSafe(sql)).fetch_all(&mut **c).await?);
                    sums.extend(rows);
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
}

struct Recorded {
    id: String,
    checksum: Option<Vec<u8>>,
}

/// sqlx's view of the SQL files (version, description, checksum, `-- no-transaction`), by id.
pub(crate) struct SqlFiles {
    up: BTreeMap<String, Migration>,
    down: BTreeMap<String, Migration>,
}

impl SqlFiles {
    pub(crate) fn load(dir: &MigrationsDir) -> Result<SqlFiles> {
        let mut files = SqlFiles {
            up: BTreeMap::new(),
            down: BTreeMap::new(),
        };
        if dir.format != Format::Sql || !dir.path.exists() {
            return Ok(files);
        }
        let resolved = sqlx::migrate::resolve_blocking(&dir.path)
            .map_err(|e| MigrateError::Graph(format!("{}: {e}", dir.path.display())))?;
        for (m, _) in resolved {
            let id = m.version.to_string();
            match m.migration_type {
                MigrationType::ReversibleDown => files.down.insert(id, m),
                _ => files.up.insert(id, m),
            };
        }
        Ok(files)
    }

    pub(crate) fn get(&self, rev: &Revision, direction: Direction) -> Result<&Migration> {
        let (map, suffix) = match direction {
            Direction::Up => (&self.up, "up"),
            Direction::Down => (&self.down, "down"),
        };
        map.get(&rev.meta.id).ok_or_else(|| {
            MigrateError::Graph(format!(
                "revision {} has no .{suffix}.sql file",
                rev.meta.id
            ))
        })
    }
}

/// What the database records as applied, checked against the directory: a revision recorded
/// but missing on disk, or whose file changed since it ran (checksum), is an error before
/// anything runs. Ids come back in graph order.
async fn checked_applied(
    conn: &mut Conn,
    dir: &MigrationsDir,
    files: &SqlFiles,
) -> Result<BTreeSet<String>> {
    let recorded = conn.recorded(dir).await?;
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
                let text = std::fs::read_to_string(&rev.path).map_err(crate::io(&rev.path))?;
                file_checksum(&text).as_bytes() == sum.as_slice()
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

/// SQLite: an exclusive OS lock on `<database>-autogen.lock`, held (and released by the OS, even
/// if the process dies) until the returned file is dropped. `None` for other databases and for
/// in-memory SQLite.
async fn sqlite_file_lock(db: &Db, timeout: Duration) -> Result<Option<std::fs::File>> {
    let Db::Sqlite(pool) = db else {
        return Ok(None);
    };
    let db_file = pool.connect_options().get_filename().to_path_buf();
    if db_file.as_os_str().is_empty() || db_file.to_string_lossy().contains(":memory:") {
        return Ok(None);
    }
    let mut name = db_file.into_os_string();
    name.push("-autogen.lock");
    let path = std::path::PathBuf::from(name);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(crate::io(&path))?;
    let start = Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(Some(file)),
            Err(std::fs::TryLockError::WouldBlock) if start.elapsed() < timeout => {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(MigrateError::LockTimeout {
                    waited: timeout.as_secs_f64(),
                });
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(crate::io(&path)(e)),
        }
    }
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
async fn locked<T>(
    db: &Db,
    options: &RunOptions,
    f: impl AsyncFnOnce(&mut Conn) -> Result<T>,
) -> Result<T> {
    let _file_lock = sqlite_file_lock(db, options.lock_timeout).await?;
    let mut conn = Conn::acquire(db).await?;
    conn.lock(options.lock_timeout).await?;
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
    conn.ensure_table(dir.format).await?;
    let applied = checked_applied(conn, dir, files).await?;
    let steps = dir.steps(&applied, target, direction)?;
    if dir.format == Format::Rust {
        crate::cargo::run_steps(dir, &applied, &steps, direction, options).await?;
        for r in &steps {
            record_checksum(conn, r, direction).await?;
            done(r);
        }
        return Ok(steps.iter().map(|r| r.meta.id.clone()).collect());
    }
    let mut moved = Vec::new();
    for rev in steps {
        let migration = files.get(rev, direction)?;
        if run_one(conn, rev, migration, direction).await? {
            done(rev);
            moved.push(rev.meta.id.clone());
        }
    }
    Ok(moved)
}

/// Records (up) or forgets (down) a Rust revision's file checksum.
async fn record_checksum(conn: &mut Conn, rev: &Revision, direction: Direction) -> Result<()> {
    let dialect = conn.dialect();
    for statement in crate::offline::checksum_statements(rev, direction, dialect)? {
        conn.execute(&statement).await?;
    }
    Ok(())
}

/// Runs one SQL revision and records it. Returns false when another process got there first
/// (SQLite, where the lock is the revision's own transaction).
async fn run_one(
    conn: &mut Conn,
    rev: &Revision,
    m: &Migration,
    direction: Direction,
) -> Result<bool> {
    let dialect = conn.dialect();
    let statements = split::statements(m.sql.as_str(), dialect);
    let in_tx = !m.no_tx && dialect != Dialect::MySql;
    if in_tx {
        let begin = if dialect == Dialect::Sqlite {
            "BEGIN IMMEDIATE"
        } else {
            "BEGIN"
        };
        conn.execute(begin).await?;
        if dialect == Dialect::Sqlite {
            let sql = format!(
                "SELECT count(*) FROM {SQLX_TABLE} WHERE version = {}",
                m.version
            );
            let recorded = conn.scalar_i64(&sql).await?.unwrap_or(0) > 0;
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
            return Err(MigrateError::Failed(Box::new(crate::Failure {
                id: rev.meta.id.clone(),
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
                source,
            })));
        }
    }
    let record = match direction {
        Direction::Up => {
            on_conn!(conn, c => c.skip(SQLX_TABLE, m).await).map_err(MigrateError::from)
        }
        Direction::Down => conn
            .execute(&format!(
                "DELETE FROM {SQLX_TABLE} WHERE version = {}",
                m.version
            ))
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
        .filter(|s| !s.trim_start().to_ascii_uppercase().starts_with("PRAGMA"))
        .cloned()
        .collect()
}

/// Marks the database as being at `target` without running anything (Alembic's `stamp`):
/// records `target` and its ancestors, forgets the rest. Returns (recorded, forgotten).
pub async fn stamp(
    db: &Db,
    dir: &MigrationsDir,
    target: &Target,
    options: &RunOptions,
) -> Result<(Vec<String>, Vec<String>)> {
    let wanted: BTreeSet<String> = match target {
        Target::Base => BTreeSet::new(),
        Target::Heads => dir.revisions.iter().map(|r| r.meta.id.clone()).collect(),
        Target::Head => match dir.single_head()? {
            Some(h) => dir.ancestors(&h.meta.id),
            None => BTreeSet::new(),
        },
        Target::Revision(id) => dir.ancestors(&dir.resolve(id)?.meta.id),
        Target::Relative(_) | Target::FromRevision(..) => {
            return Err(MigrateError::Target(
                "stamp takes a revision, head, heads or base".into(),
            ));
        }
    };
    let files = SqlFiles::load(dir)?;
    locked(db, options, async |conn| {
        stamp_locked(conn, dir, &files, &wanted).await
    })
    .await
}

async fn stamp_locked(
    conn: &mut Conn,
    dir: &MigrationsDir,
    files: &SqlFiles,
    wanted: &BTreeSet<String>,
) -> Result<(Vec<String>, Vec<String>)> {
    conn.ensure_table(dir.format).await?;
    // Stamping is how a database is brought back in line, so only missing files stop it.
    let recorded: BTreeSet<String> = conn
        .recorded(dir)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect();
    let add: Vec<&Revision> = dir
        .revisions
        .iter()
        .filter(|r| wanted.contains(&r.meta.id) && !recorded.contains(&r.meta.id))
        .collect();
    let remove: Vec<String> = recorded
        .iter()
        .filter(|id| !wanted.contains(*id))
        .cloned()
        .collect();
    let in_tx = conn.dialect() != Dialect::MySql;
    if in_tx {
        conn.execute("BEGIN").await?;
    }
    let result = async {
        for r in &add {
            match dir.format {
                Format::Sql => {
                    let m = files.get(r, Direction::Up)?;
                    on_conn!(&mut *conn, c => c.skip(SQLX_TABLE, m).await?);
                }
                Format::Rust => {
                    conn.execute(&crate::offline::seaql_insert(&r.name, conn.dialect()))
                        .await?;
                }
            }
        }
        for id in &remove {
            let sql = match dir.format {
                Format::Sql => format!(
                    "DELETE FROM {SQLX_TABLE} WHERE version = {}",
                    crate::sql_version(id)?
                ),
                Format::Rust => {
                    let name = dir.find(id).map(|r| r.name.as_str()).unwrap_or(id);
                    format!(
                        "DELETE FROM {SEAQL_TABLE} WHERE version = {}",
                        crate::offline::string_literal(name, conn.dialect())
                    )
                }
            };
            conn.execute(&sql).await?;
        }
        Ok::<_, MigrateError>(())
    }
    .await;
    match result {
        Ok(()) if in_tx => conn.execute("COMMIT").await?,
        Ok(()) => {}
        Err(e) => {
            if in_tx {
                let _ = conn.execute("ROLLBACK").await;
            }
            return Err(e);
        }
    }
    Ok((add.iter().map(|r| r.meta.id.clone()).collect(), remove))
}
