//! Moving a database along the revision graph: which revisions a target selects, checked
//! against what the database records (checksums, files gone), then each one run by the loop an
//! application's startup also runs (`autogen_runtime`'s `apply`: the lock, one transaction per
//! revision or `-- no-transaction`, retries after lock timeouts, `autogen_revisions`).
//!
//! Rust revisions run in the migration crate (`cargo run -- up -n N`, as sea-orm-cli does) while
//! autogen holds the lock.

use crate::dir::MigrationsDir;
use crate::error::{MigrateError, Result, io};
use crate::options::RunOptions;
use crate::revision::{Format, Revision, RevisionMeta};
use crate::sql_files::SqlFiles;
use crate::target::{Direction, Target};
use crate::version_table::{
    checksum_statements, checksum_table_ddl, rust_checksum, rust_checksum_matches, seaql_table_ddl,
};
use autogen_db::{CHECKSUM_TABLE, Db, REVISIONS_TABLE, SEAQL_TABLE};
use autogen_runtime::internal::{Conn, Step, apply};
use sqlx::migrate::{Migration, MigrationType};
use sqlx::{AssertSqlSafe, SqlSafeStr};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// A revision the version table records, with its checksum where one is kept.
pub(crate) struct Recorded {
    pub id: String,
    pub checksum: Option<Vec<u8>>,
}

/// Creates the version table(s) of `format` if missing.
pub(crate) async fn ensure_tables(conn: &mut Conn, format: Format) -> Result<()> {
    match format {
        Format::Sql => Ok(autogen_runtime::internal::ensure_tables(conn).await?),
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
        Format::Sql => Ok(autogen_runtime::internal::recorded(conn)
            .await?
            .into_iter()
            .map(|m| Recorded {
                id: m.version.to_string(),
                checksum: Some(m.checksum.into_owned()),
            })
            .collect()),
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
/// anything runs. Also returns the Rust revisions whose checksum matched only in an older form.
async fn checked_applied(
    conn: &mut Conn,
    dir: &MigrationsDir,
    files: &SqlFiles,
) -> Result<(BTreeSet<String>, Vec<String>)> {
    let recorded = recorded(conn, dir).await?;
    let missing: Vec<String> = recorded
        .iter()
        .filter(|r| dir.find(&r.id).is_none())
        .map(|r| r.id.clone())
        .collect();
    if !missing.is_empty() {
        return Err(MigrateError::MissingFile(missing.join(", ")));
    }
    let mut older_form = Vec::new();
    for r in &recorded {
        let (Some(sum), Some(rev)) = (&r.checksum, dir.find(&r.id)) else {
            continue;
        };
        let matches = match dir.format {
            Format::Sql => files.get(rev, Direction::Up)?.checksum.as_ref() == sum.as_slice(),
            Format::Rust => {
                let text = std::fs::read_to_string(&rev.path).map_err(io(&rev.path))?;
                let today = rust_checksum(&text).as_bytes() == sum.as_slice();
                let older = !today && rust_checksum_matches(&text, sum);
                if older {
                    older_form.push(r.id.clone());
                }
                today || older
            }
        };
        if !matches {
            return Err(MigrateError::Tampered {
                id: r.id.clone(),
                path: rev.path.clone(),
            });
        }
    }
    Ok((recorded.into_iter().map(|r| r.id).collect(), older_form))
}

/// Rewrites, in today's form, the checksums autogen recorded for Rust revisions in an older
/// form (`older_form`, already checked to match), so that the migration crate's own startup
/// check, which knows only today's form, accepts them too.
async fn refresh_checksums(
    conn: &mut Conn,
    dir: &MigrationsDir,
    older_form: &[String],
) -> Result<()> {
    for rev in older_form.iter().filter_map(|id| dir.find(id)) {
        let sql = conn.facts().sql();
        for statement in checksum_statements(rev, Direction::Up, sql)? {
            conn.execute(&statement).await?;
        }
    }
    Ok(())
}

/// Applied revision ids, checked (see [`checked_applied`]), in graph order.
pub async fn applied(db: &Db, dir: &MigrationsDir) -> Result<Vec<String>> {
    let files = SqlFiles::load(dir)?;
    let mut conn = Conn::acquire(db.pool()).await?;
    let (set, _) = checked_applied(&mut conn, dir, &files).await?;
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
    same_dialect(dir, db.dialect(), &|| db.profile().to_string())?;
    let files = SqlFiles::load(dir)?;
    locked(db, options, async |conn| {
        run_locked(conn, dir, &files, target, direction, options, done).await
    })
    .await
}

/// Refuses a history written for another dialect before anything runs (a PostgreSQL
/// revision's first statement would fail on MariaDB, or worse, half succeed).
/// `database` names the database as the error says it (`MariaDB 10.11`).
pub(crate) fn same_dialect(
    dir: &MigrationsDir,
    dialect: autogen_schema::Dialect,
    database: &dyn Fn() -> String,
) -> Result<()> {
    for r in &dir.revisions {
        if let Some(written) = r.meta.written_for()
            && written != dialect
        {
            return Err(MigrateError::OtherDialect {
                id: r.meta.id.clone(),
                path: r.path.clone(),
                written_for: r.meta.dialect.clone().unwrap_or_default(),
                database: database(),
            });
        }
    }
    Ok(())
}

/// Runs `f` on one connection while holding the migration lock, releasing it however `f` ends.
pub(crate) async fn locked<T>(
    db: &Db,
    options: &RunOptions,
    f: impl AsyncFnOnce(&mut Conn) -> Result<T>,
) -> Result<T> {
    autogen_runtime::internal::locked(db.pool(), options.lock_timeout, f).await
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
    let mut moved = Vec::new();
    if direction == Direction::Down && options.recorded_down {
        moved = revert_recorded(conn, dir, done).await?;
        // `downgrade head --recorded-down`: stay at this checkout's head, above which only the
        // revisions it has no file for were.
        if *target == Target::Head {
            return Ok(moved);
        }
    }
    let (applied, older_form) = checked_applied(conn, dir, files).await?;
    let steps = dir.steps(&applied, target, direction)?;
    if dir.format == Format::Rust {
        refresh_checksums(conn, dir, &older_form).await?;
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
    for rev in steps {
        let path = match direction {
            Direction::Up => rev.path.clone(),
            Direction::Down => rev.down_path(),
        };
        let step = Step {
            id: &rev.meta.id,
            path: &path,
            migration: files.get(rev, direction)?,
            direction,
            down: match direction {
                Direction::Up => Some(files.get(rev, Direction::Down)?),
                Direction::Down => None,
            },
            change: change_files(dir, files, rev, direction)?,
        };
        if apply(conn, &step).await? {
            done(rev);
            moved.push(rev.meta.id.clone());
        }
    }
    Ok(moved)
}

/// `downgrade --recorded-down`: reverts, newest first, the revisions the database records that
/// this checkout has no file for, each with the down file recorded when it was applied, through
/// the same loop as any other revision. One with no record is an error before it runs.
async fn revert_recorded(
    conn: &mut Conn,
    dir: &MigrationsDir,
    done: &mut dyn FnMut(&Revision),
) -> Result<Vec<String>> {
    if dir.format != Format::Sql {
        return Err(MigrateError::Target(
            "--recorded-down reverts SQL revisions; Rust revisions are reverted by their crate"
                .into(),
        ));
    }
    let mut missing: Vec<i64> = autogen_runtime::internal::recorded(conn)
        .await?
        .iter()
        .map(|r| r.version)
        .filter(|v| dir.find(&v.to_string()).is_none())
        .collect();
    missing.sort_unstable_by(|a, b| b.cmp(a));
    let rows: BTreeMap<i64, (String, Option<String>)> = conn
        .ledger_rows()
        .await?
        .into_iter()
        .map(|(v, description, _, down)| (v, (description, down)))
        .collect();
    let mut moved = Vec::new();
    for version in missing {
        let id = version.to_string();
        let Some((description, Some(down))) = rows.get(&version) else {
            return Err(MigrateError::Target(format!(
                "revision {id} has no file here and no recorded down statements (applied by another \
                 tool, stamped, or before autogen kept them): revert it from a checkout that has it"
            )));
        };
        let migration = Migration::new(
            version,
            Cow::Owned(description.clone()),
            MigrationType::ReversibleDown,
            AssertSqlSafe(down.clone()).into_sql_str(),
            down.starts_with(crate::header::NO_TRANSACTION_MARKER),
        );
        let path = PathBuf::from(format!("{REVISIONS_TABLE}.down_sql of {id}"));
        let step = Step {
            id: &id,
            path: &path,
            migration: &migration,
            direction: Direction::Down,
            down: None,
            change: Vec::new(),
        };
        if apply(conn, &step).await? {
            done(&Revision {
                meta: RevisionMeta {
                    id: id.clone(),
                    parents: Vec::new(),
                    message: format!("{description} (recorded down statements)"),
                    allow: Vec::new(),
                    change: None,
                    dialect: None,
                },
                path,
                name: id.clone(),
            });
            moved.push(id);
        }
    }
    Ok(moved)
}

/// The files (of `direction`) of the other revisions of `rev`'s change.
pub(crate) fn change_files<'a>(
    dir: &MigrationsDir,
    files: &'a SqlFiles,
    rev: &Revision,
    direction: Direction,
) -> Result<Vec<&'a Migration>> {
    dir.revisions
        .iter()
        .filter(|r| r.meta.id != rev.meta.id && r.meta.change_id() == rev.meta.change_id())
        .map(|r| files.get(r, direction))
        .collect()
}
