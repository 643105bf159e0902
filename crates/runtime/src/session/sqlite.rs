//! SQLite sessions: no server lock exists, so an OS file lock on `<database>-autogen.lock`
//! (released by the OS even if the process dies), and each revision in a `BEGIN IMMEDIATE`
//! transaction that re-checks it is still pending (against other tools).

use super::facts::MigrateDialect;
use crate::error::Result;
use crate::lockfile::lock_file;
use crate::version_table::sqlx_table_ddl;
use autogen_schema::{Dialect, SqlDialect};
use sqlx::{AssertSqlSafe, SqliteConnection};
use std::fs::File;
use std::path::PathBuf;
use std::time::Duration;

pub(crate) struct Sqlite;

impl MigrateDialect for Sqlite {
    fn sql(&self) -> &'static dyn SqlDialect {
        Dialect::Sqlite.sql()
    }

    fn begin(&self) -> &'static str {
        "BEGIN IMMEDIATE"
    }

    fn recheck_in_transaction(&self) -> bool {
        true
    }

    fn table_exists_sql(&self, table: &str) -> String {
        format!(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = {}",
            self.sql().string_literal(table)
        )
    }

    fn sqlx_table_ddl(&self) -> String {
        sqlx_table_ddl("TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP", "BLOB")
    }

    fn revisions_table_ddl(&self) -> String {
        crate::ledger::table_ddl("TEXT", "TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP")
    }

    fn parser(&self) -> &'static dyn sqlparser::dialect::Dialect {
        &sqlparser::dialect::SQLiteDialect {}
    }

    /// SQLite needs no TLS.
    /// SQLite says it in words: `table t already exists`, `duplicate column name`, `no such …`.
    fn already_done(&self, e: &sqlx::Error) -> bool {
        e.as_database_error().is_some_and(|d| {
            let m = d.message();
            m.contains("already exists")
                || m.contains("duplicate column name")
                || m.starts_with("no such")
        })
    }

    fn crate_lock_module(&self) -> &'static str {
        include_str!("../../templates/lock_sqlite.rs")
    }

    fn sea_orm_features(&self) -> (&'static str, &'static str) {
        ("sqlx-sqlite", "runtime-tokio")
    }
}

/// Takes the file lock beside the database file (`None` for an in-memory or temporary database),
/// waiting at most `timeout`, and sets the busy timeout each revision's `BEGIN IMMEDIATE` waits
/// with.
pub(crate) async fn lock(c: &mut SqliteConnection, timeout: Duration) -> Result<Option<File>> {
    // SQLite itself says which file backs `main`: a URL's spelling does not (sqlx names an
    // in-memory database `file:sqlx-in-memory-N`, and `?mode=memory` is one too).
    let database: String =
        sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'")
            .fetch_one(&mut *c)
            .await?;
    let file = file_lock(PathBuf::from(database), timeout).await?;
    let ms = timeout.as_millis().min(i32::MAX as u128);
    sqlx::raw_sql(AssertSqlSafe(format!("PRAGMA busy_timeout = {ms}")))
        .execute(&mut *c)
        .await?;
    Ok(file)
}

async fn file_lock(database: PathBuf, timeout: Duration) -> Result<Option<File>> {
    if database.as_os_str().is_empty() {
        return Ok(None);
    }
    let mut name = database.into_os_string();
    name.push("-autogen.lock");
    lock_file(&PathBuf::from(name), timeout).await.map(Some)
}
