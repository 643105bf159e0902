//! The registry: which dialect's file connects to a URL.

use crate::error::DbError;
use crate::pool::Db;
use crate::url::redact_url;
use crate::{mysql, postgres, sqlite};
use autogen_schema::Dialect;

impl Db {
    /// Connects to `url` and reads the server's profile.
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        let connect_err = |source| DbError::Connect {
            url: redact_url(url),
            source,
        };
        let dialect = Dialect::from_url(url).ok_or_else(|| DbError::UnsupportedUrl {
            url: redact_url(url),
        })?;
        let (pool, profile) = match dialect {
            Dialect::Postgres => postgres::connect(url).await,
            Dialect::Sqlite => sqlite::connect(url).await,
            Dialect::MySql => mysql::connect(url).await,
        }
        .map_err(connect_err)?;
        Ok(Db { pool, profile })
    }
}
