//! PostgreSQL sessions: sqlx's advisory lock key, polled with `pg_try_advisory_lock` (waiting
//! on `pg_advisory_lock` would queue behind, and deadlock with, a concurrent index build).

use super::facts::MigrateDialect;
use crate::error::{Result, RuntimeError};
use crate::version_table::{sqlx_lock_id, sqlx_table_ddl};
use autogen_schema::{Dialect, SqlDialect};
use sqlx::PgConnection;
use std::time::{Duration, Instant};

pub(crate) struct Postgres;

impl MigrateDialect for Postgres {
    fn sql(&self) -> &'static dyn SqlDialect {
        Dialect::Postgres.sql()
    }

    fn table_exists_sql(&self, table: &str) -> String {
        format!(
            "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = {}",
            self.sql().string_literal(table)
        )
    }

    fn sqlx_table_ddl(&self) -> String {
        sqlx_table_ddl("TIMESTAMPTZ NOT NULL DEFAULT now()", "BYTEA")
    }

    fn revisions_table_ddl(&self) -> String {
        crate::ledger::table_ddl("TEXT", "TIMESTAMPTZ NOT NULL DEFAULT now()")
    }

    fn parser(&self) -> &'static dyn sqlparser::dialect::Dialect {
        &sqlparser::dialect::PostgreSqlDialect {}
    }

    fn invalid_index_sql(&self, statement: &str) -> Option<String> {
        use sqlparser::ast::Statement;
        let parsed = sqlparser::parser::Parser::parse_sql(self.parser(), statement).ok()?;
        let [Statement::CreateIndex(ix)] = &parsed[..] else {
            return None;
        };
        let name = ix.name.as_ref().filter(|_| ix.concurrently)?;
        let parts = |n: &sqlparser::ast::ObjectName| -> Vec<String> {
            n.0.iter()
                .filter_map(|p| p.as_ident().map(|i| i.value.clone()))
                .collect()
        };
        // An index lives in its table's schema.
        let namespace = match &parts(&ix.table_name)[..] {
            [schema, _] => format!("to_regnamespace({})", self.sql().string_literal(schema)),
            _ => "CAST(current_schema() AS regnamespace)".to_string(),
        };
        Some(format!(
            "SELECT CAST(CAST(i.indexrelid AS regclass) AS text) FROM pg_index i \
             JOIN pg_class c ON c.oid = i.indexrelid \
             WHERE NOT i.indisvalid AND c.relnamespace = {namespace} AND c.relname = {}",
            self.sql().string_literal(parts(name).last()?)
        ))
    }

    /// Network databases get TLS (rustls), as autogen itself has.
    /// duplicate_table (relations and indexes), duplicate_column, duplicate_object,
    /// duplicate_schema; undefined_table, undefined_column, undefined_object for a drop.
    fn already_done(&self, e: &sqlx::Error) -> bool {
        e.as_database_error()
            .and_then(|d| d.code())
            .is_some_and(|c| {
                [
                    "42P07", "42701", "42710", "42P06", "42P01", "42703", "42704",
                ]
                .contains(&&*c)
            })
    }

    fn crate_lock_module(&self) -> &'static str {
        include_str!("../../templates/lock_postgres.rs")
    }

    fn sea_orm_features(&self) -> (&'static str, &'static str) {
        ("sqlx-postgres", "runtime-tokio-rustls")
    }
}

async fn lock_key(c: &mut PgConnection) -> Result<i64> {
    let name: String = sqlx::query_scalar("SELECT current_database()")
        .fetch_one(&mut *c)
        .await?;
    Ok(sqlx_lock_id(&name))
}

/// Takes the lock, waiting at most `timeout`; returns its key, for [`unlock`].
pub(crate) async fn lock(c: &mut PgConnection, timeout: Duration) -> Result<i64> {
    let id = lock_key(c).await?;
    let start = Instant::now();
    loop {
        let got: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
            .bind(id)
            .fetch_one(&mut *c)
            .await?;
        if got {
            return Ok(id);
        }
        if start.elapsed() >= timeout {
            return Err(RuntimeError::LockTimeout {
                waited: timeout.as_secs_f64(),
            });
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

pub(crate) async fn unlock(c: &mut PgConnection, id: i64) -> Result<()> {
    sqlx::query("SELECT pg_advisory_unlock($1)")
        .bind(id)
        .execute(&mut *c)
        .await?;
    Ok(())
}
