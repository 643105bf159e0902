//! MySQL / MariaDB sessions: `GET_LOCK` with sqlx's key; DDL commits as it goes, so revisions
//! run statement by statement without a transaction.

use super::facts::MigrateDialect;
use crate::error::{Result, RuntimeError};
use crate::version_table::{sqlx_lock_id, sqlx_table_ddl};
use autogen_schema::{Dialect, SqlDialect};
use sqlx::MySqlConnection;
use std::time::Duration;

pub(crate) struct MySql;

impl MigrateDialect for MySql {
    fn sql(&self) -> &'static dyn SqlDialect {
        Dialect::MySql.sql()
    }

    fn table_exists_sql(&self, table: &str) -> String {
        format!(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = {}",
            self.sql().string_literal(table)
        )
    }

    fn sqlx_table_ddl(&self) -> String {
        sqlx_table_ddl("TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP", "BLOB")
    }

    fn revisions_table_ddl(&self) -> String {
        crate::ledger::table_ddl("LONGTEXT", "TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP")
    }

    fn parser(&self) -> &'static dyn sqlparser::dialect::Dialect {
        &sqlparser::dialect::MySqlDialect {}
    }

    /// The `mysql` / `mariadb` client ends a statement at every `;`, so a compound statement
    /// (a trigger or routine body) is written between `DELIMITER` lines.
    fn script_statement(&self, statement: &str) -> String {
        if !statement.contains(';') {
            return format!("{statement};");
        }
        let delimiter = ["$$", "//", "$$$$", "@@@@"]
            .into_iter()
            .find(|d| !statement.contains(d))
            .unwrap_or("$$");
        format!("DELIMITER {delimiter}\n{statement}{delimiter}\nDELIMITER ;")
    }

    fn crate_lock_module(&self) -> &'static str {
        include_str!("../../templates/lock_mysql.rs")
    }

    /// Table exists (1050), unknown table (1051), duplicate column (1060) or key name (1061),
    /// nothing to drop (1091), duplicate foreign key name (1826).
    fn already_done(&self, e: &sqlx::Error) -> bool {
        e.as_database_error()
            .and_then(|d| d.try_downcast_ref::<sqlx::mysql::MySqlDatabaseError>())
            .is_some_and(|d| matches!(d.number(), 1050 | 1051 | 1060 | 1061 | 1091 | 1826))
    }

    fn sea_orm_features(&self) -> (&'static str, &'static str) {
        ("sqlx-mysql", "runtime-tokio-rustls")
    }
}

async fn lock_name(c: &mut MySqlConnection) -> Result<String> {
    let name: String = sqlx::query_scalar("SELECT DATABASE()")
        .fetch_one(&mut *c)
        .await?;
    Ok(format!("{:x}", sqlx_lock_id(&name)))
}

/// Takes the lock, waiting at most `timeout`; returns its name, for [`unlock`].
pub(crate) async fn lock(c: &mut MySqlConnection, timeout: Duration) -> Result<String> {
    let name = lock_name(c).await?;
    // GET_LOCK waits in whole seconds; 1 = got it, 0 = timed out.
    let got: Option<i64> = sqlx::query_scalar("SELECT GET_LOCK(?, ?)")
        .bind(&name)
        .bind(timeout.as_secs_f64().ceil() as i64)
        .fetch_one(&mut *c)
        .await?;
    if got == Some(1) {
        Ok(name)
    } else {
        Err(RuntimeError::LockTimeout {
            waited: timeout.as_secs_f64(),
        })
    }
}

pub(crate) async fn unlock(c: &mut MySqlConnection, name: &str) -> Result<()> {
    sqlx::query("SELECT RELEASE_LOCK(?)")
        .bind(name)
        .execute(&mut *c)
        .await?;
    Ok(())
}
