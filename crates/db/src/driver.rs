//! The registry: which dialect's file connects to a URL.

use crate::error::DbError;
use crate::pool::{Db, Pool};
use crate::url::redact_url;
use crate::{mysql, postgres, sqlite};
use autogen_schema::Dialect;

impl Db {
    /// Connects to `url` and reads the server's profile; a SQLite file that does not exist is
    /// created (for commands that write: `upgrade`, `stamp`).
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        Db::connect_with(url, true).await
    }

    /// Connects to `url` for commands that only read: a SQLite file that does not exist is an
    /// empty database, and stays uncreated.
    pub async fn connect_existing(url: &str) -> Result<Db, DbError> {
        Db::connect_with(url, false).await
    }

    /// Drops database `name` of this server (ending its sessions where the server can): for
    /// scratch databases. SQLite has no databases within a server: nothing to do.
    pub async fn drop_database(&self, name: &str) -> Result<(), sqlx::Error> {
        match self.pool() {
            Pool::Postgres(pool) => postgres::drop_database(pool, name).await,
            Pool::MySql(pool) => mysql::drop_database(pool, name).await,
            Pool::Sqlite(_) => Ok(()),
        }
    }

    /// Databases of this server named `prefix…` that no session is connected to.
    pub async fn idle_databases(&self, prefix: &str) -> Result<Vec<String>, sqlx::Error> {
        match self.pool() {
            Pool::Postgres(pool) => postgres::idle_databases(pool, prefix).await,
            Pool::MySql(pool) => mysql::idle_databases(pool, prefix).await,
            Pool::Sqlite(_) => Ok(Vec::new()),
        }
    }

    async fn connect_with(url: &str, create: bool) -> Result<Db, DbError> {
        let connect_err = |source| DbError::Connect {
            url: redact_url(url),
            source,
        };
        let dialect = Dialect::from_url(url).ok_or_else(|| DbError::UnsupportedUrl {
            url: redact_url(url),
        })?;
        let (pool, profile) = match dialect {
            Dialect::Postgres => postgres::connect(url).await,
            Dialect::Sqlite => sqlite::connect(url, create).await,
            Dialect::MySql => mysql::connect(url).await,
        }
        .map_err(connect_err)?;
        let db = Db { pool, profile };
        let oldest = dialect.sql().oldest_supported(profile.flavor);
        if profile.version < oldest {
            db.close().await;
            return Err(DbError::TooOld {
                url: redact_url(url),
                server: profile.to_string(),
                oldest: oldest.to_string(),
            });
        }
        Ok(db)
    }
}

impl Pool {
    /// The dialect of the pool's server.
    pub fn dialect(&self) -> Dialect {
        match self {
            Pool::Postgres(_) => Dialect::Postgres,
            Pool::Sqlite(_) => Dialect::Sqlite,
            Pool::MySql(_) => Dialect::MySql,
        }
    }
}
