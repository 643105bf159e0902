//! Live database catalog -> [`Schema`].
//!
//! One module per dialect, each fetching its catalog with a fixed number of batched queries,
//! whatever the table count (sea-schema's discovery issues several queries per table in sequence;
//! see `DESIGN.md`). [`Db`] is the connection the rest of autogen shares.

mod mysql;
mod postgres;
mod sqlite;

use autogen_schema::{Dialect, Schema};
use sqlx::{MySqlPool, PgPool, SqlitePool};
use std::str::FromStr;

/// Tables that belong to migration runners, never to the user's schema.
pub const VERSION_TABLES: &[&str] = &["_sqlx_migrations", "seaql_migrations", "autogen_checksums"];

#[derive(Debug, thiserror::Error)]
pub enum IntrospectError {
    #[error("cannot connect to {url}: {source}")]
    Connect { url: String, source: sqlx::Error },
    #[error(
        "unsupported database URL {url}: expected postgres://, postgresql://, mysql://, mariadb:// or sqlite:"
    )]
    UnsupportedUrl { url: String },
    #[error("catalog query for {what} failed: {source}")]
    Query {
        what: &'static str,
        source: sqlx::Error,
    },
}

pub type Result<T, E = IntrospectError> = std::result::Result<T, E>;

/// `postgres://user:secret@host/db` -> `postgres://user:***@host/db`: URLs in messages never
/// carry a password.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (authority, tail) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

/// A connection pool to one of the supported databases.
#[derive(Debug, Clone)]
pub enum Db {
    Postgres(PgPool),
    Sqlite(SqlitePool),
    /// MySQL and MariaDB.
    MySql(MySqlPool),
}

impl Db {
    pub async fn connect(url: &str) -> Result<Db> {
        let connect_err = |source| IntrospectError::Connect {
            url: redact_url(url),
            source,
        };
        match Dialect::from_url(url) {
            Some(Dialect::Postgres) => {
                let pool = sqlx::postgres::PgPoolOptions::new()
                    .max_connections(2)
                    // An unreachable server is reported after a few seconds, not sqlx's 30.
                    .acquire_timeout(std::time::Duration::from_secs(5))
                    .connect(url)
                    .await
                    .map_err(connect_err)?;
                Ok(Db::Postgres(pool))
            }
            Some(Dialect::Sqlite) => {
                let opts = sqlx::sqlite::SqliteConnectOptions::from_str(url)
                    .map_err(connect_err)?
                    .create_if_missing(true)
                    .foreign_keys(true);
                // A new database file may live in a directory that does not exist yet.
                if let Some(dir) = opts.get_filename().parent()
                    && !dir.as_os_str().is_empty()
                {
                    std::fs::create_dir_all(dir).map_err(|e| connect_err(sqlx::Error::Io(e)))?;
                }
                let pool = sqlx::sqlite::SqlitePoolOptions::new()
                    .max_connections(1)
                    .connect_with(opts)
                    .await
                    .map_err(connect_err)?;
                Ok(Db::Sqlite(pool))
            }
            Some(Dialect::MySql) => {
                // sqlx knows the scheme `mysql://`; `mariadb://` is the same protocol.
                let url = match url.strip_prefix("mariadb://") {
                    Some(rest) => format!("mysql://{rest}"),
                    None => url.to_string(),
                };
                let pool = sqlx::mysql::MySqlPoolOptions::new()
                    .max_connections(2)
                    .acquire_timeout(std::time::Duration::from_secs(5))
                    .connect(&url)
                    .await
                    .map_err(connect_err)?;
                Ok(Db::MySql(pool))
            }
            None => Err(IntrospectError::UnsupportedUrl {
                url: redact_url(url),
            }),
        }
    }

    pub fn dialect(&self) -> Dialect {
        match self {
            Db::Postgres(_) => Dialect::Postgres,
            Db::Sqlite(_) => Dialect::Sqlite,
            Db::MySql(_) => Dialect::MySql,
        }
    }

    /// Reads the whole user schema (version tables excluded), normalized for its dialect.
    pub async fn introspect(&self) -> Result<Schema> {
        let schema = match self {
            Db::Postgres(pool) => postgres::introspect(pool).await?,
            Db::Sqlite(pool) => sqlite::introspect(pool).await?,
            Db::MySql(pool) => mysql::introspect(pool).await?,
        };
        Ok(schema.normalized(self.dialect()))
    }

    /// The PostgreSQL server's major version (`None` for other databases).
    pub async fn postgres_major_version(&self) -> Result<Option<u32>> {
        let Db::Postgres(pool) = self else {
            return Ok(None);
        };
        let num: String = sqlx::query_scalar("SHOW server_version_num")
            .fetch_one(pool)
            .await
            .map_err(q("server version"))?;
        Ok(num.trim().parse::<u32>().ok().map(|n| n / 10_000))
    }

    /// Runs a script of one or more statements (no parameters).
    pub async fn execute_script(&self, sql: &str) -> Result<(), sqlx::Error> {
        let sql = sqlx::AssertSqlSafe(sql.to_string());
        match self {
            Db::Postgres(pool) => sqlx::raw_sql(sql).execute(pool).await.map(drop),
            Db::Sqlite(pool) => sqlx::raw_sql(sql).execute(pool).await.map(drop),
            Db::MySql(pool) => sqlx::raw_sql(sql).execute(pool).await.map(drop),
        }
    }

    pub async fn close(&self) {
        match self {
            Db::Postgres(pool) => pool.close().await,
            Db::Sqlite(pool) => pool.close().await,
            Db::MySql(pool) => pool.close().await,
        }
    }
}

fn q(what: &'static str) -> impl FnOnce(sqlx::Error) -> IntrospectError {
    move |source| IntrospectError::Query { what, source }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords() {
        assert_eq!(
            redact_url("postgres://u:s3cret@h:5432/db?x=1"),
            "postgres://u:***@h:5432/db?x=1"
        );
        assert_eq!(redact_url("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact_url("sqlite://x.db"), "sqlite://x.db");
    }
}
