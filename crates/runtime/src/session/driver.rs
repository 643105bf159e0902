//! One connection of the database's kind, held for a whole run, and the registry of the
//! dialects' session files.

use super::facts::MigrateDialect;
use super::{mysql, postgres, sqlite};
use crate::error::Result;
use autogen_db::Pool;
use autogen_schema::Dialect;
use sqlx::migrate::{AppliedMigration, Migrate, Migration};
use sqlx::pool::PoolConnection;
use sqlx::{AssertSqlSafe, MySql, Postgres, Sqlite};
use std::fs::File;
use std::time::Duration;

/// The registry: each dialect's session facts.
pub fn migrate_dialect(dialect: Dialect) -> &'static dyn MigrateDialect {
    match dialect {
        Dialect::Postgres => &postgres::Postgres,
        Dialect::Sqlite => &sqlite::Sqlite,
        Dialect::MySql => &mysql::MySql,
    }
}

pub enum Conn {
    /// With the advisory lock's key, once taken.
    Postgres(PoolConnection<Postgres>, Option<i64>),
    /// With the `GET_LOCK` name, once taken.
    MySql(PoolConnection<MySql>, Option<String>),
    /// With the file lock, once taken.
    Sqlite(PoolConnection<Sqlite>, Option<File>),
}

/// The same call on whichever connection it is: the part that is not dialect knowledge.
macro_rules! on_conn {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            Conn::Postgres($c, _) => $body,
            Conn::MySql($c, _) => $body,
            Conn::Sqlite($c, _) => $body,
        }
    };
}

impl Conn {
    pub async fn acquire(pool: &Pool) -> Result<Conn> {
        Ok(match pool {
            Pool::Postgres(p) => Conn::Postgres(p.acquire().await?, None),
            Pool::MySql(p) => Conn::MySql(p.acquire().await?, None),
            Pool::Sqlite(p) => Conn::Sqlite(p.acquire().await?, None),
        })
    }

    pub fn dialect(&self) -> Dialect {
        match self {
            Conn::Postgres(..) => Dialect::Postgres,
            Conn::MySql(..) => Dialect::MySql,
            Conn::Sqlite(..) => Dialect::Sqlite,
        }
    }

    pub fn facts(&self) -> &'static dyn MigrateDialect {
        migrate_dialect(self.dialect())
    }

    /// Takes the migration lock, waiting at most `timeout`.
    pub async fn lock(&mut self, timeout: Duration) -> Result<()> {
        match self {
            Conn::Postgres(c, key) => {
                *key = Some(postgres::lock(c, timeout).await?);
                Ok(())
            }
            Conn::MySql(c, key) => {
                *key = Some(mysql::lock(c, timeout).await?);
                Ok(())
            }
            Conn::Sqlite(c, file) => {
                *file = sqlite::lock(c, timeout).await?;
                Ok(())
            }
        }
    }

    pub async fn unlock(&mut self) -> Result<()> {
        match self {
            Conn::Postgres(c, key) => match key.take() {
                Some(key) => postgres::unlock(c, key).await,
                None => Ok(()),
            },
            Conn::MySql(c, key) => match key.take() {
                Some(key) => mysql::unlock(c, &key).await,
                None => Ok(()),
            },
            Conn::Sqlite(_, file) => {
                file.take();
                Ok(())
            }
        }
    }

    pub async fn execute(&mut self, sql: &str) -> Result<(), sqlx::Error> {
        let sql = AssertSqlSafe(sql.to_string());
        on_conn!(self, c => sqlx::raw_sql(sql).execute(&mut **c).await.map(drop))
    }

    pub async fn count(&mut self, sql: &str) -> Result<i64, sqlx::Error> {
        let sql = AssertSqlSafe(sql.to_string());
        let n: Option<i64> =
            on_conn!(self, c => sqlx::query_scalar(sql).fetch_optional(&mut **c).await)?;
        Ok(n.unwrap_or(0))
    }

    pub async fn strings(&mut self, sql: &str) -> Result<Vec<String>, sqlx::Error> {
        let sql = AssertSqlSafe(sql.to_string());
        on_conn!(self, c => sqlx::query_scalar(sql).fetch_all(&mut **c).await)
    }

    pub async fn pairs(&mut self, sql: &str) -> Result<Vec<(String, String)>, sqlx::Error> {
        let sql = AssertSqlSafe(sql.to_string());
        on_conn!(self, c => sqlx::query_as(sql).fetch_all(&mut **c).await)
    }

    pub async fn table_exists(&mut self, table: &str) -> Result<bool, sqlx::Error> {
        let sql = self.facts().table_exists_sql(table);
        Ok(self.count(&sql).await? > 0)
    }

    /// autogen's records of applied revisions (`ledger.rs`).
    pub async fn ledger_rows(&mut self) -> Result<Vec<crate::ledger::Row>, sqlx::Error> {
        let sql = AssertSqlSafe(crate::ledger::select());
        on_conn!(self, c => sqlx::query_as(sql).fetch_all(&mut **c).await)
    }

    // sqlx's own `Migrate` implementation writes and reads `_sqlx_migrations`.

    pub async fn sqlx_ensure_table(&mut self) -> Result<()> {
        let table = autogen_db::SQLX_TABLE;
        on_conn!(self, c => c.ensure_migrations_table(table).await?);
        Ok(())
    }

    pub async fn sqlx_dirty(&mut self) -> Result<Option<i64>> {
        let table = autogen_db::SQLX_TABLE;
        Ok(on_conn!(self, c => c.dirty_version(table).await?))
    }

    pub async fn sqlx_applied(&mut self) -> Result<Vec<AppliedMigration>> {
        let table = autogen_db::SQLX_TABLE;
        Ok(on_conn!(self, c => c.list_applied_migrations(table).await?))
    }

    /// Records `m` as applied, through sqlx (its `skip`: the row, the checksum, no statements).
    pub async fn sqlx_record(&mut self, m: &Migration) -> Result<()> {
        let table = autogen_db::SQLX_TABLE;
        on_conn!(self, c => c.skip(table, m).await?);
        Ok(())
    }
}
