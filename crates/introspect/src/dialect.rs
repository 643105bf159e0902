//! The registry: which dialect's module reads a connection's catalog.

use crate::error::Result;
use crate::{mysql, postgres, sqlite};
use autogen_db::{Db, Pool};
use autogen_schema::Schema;

/// Reads the whole user schema (version tables excluded), normalized for its dialect.
pub async fn introspect(db: &Db) -> Result<Schema> {
    let schema = match db.pool() {
        Pool::Postgres(pool) => postgres::introspect(pool).await?,
        Pool::Sqlite(pool) => sqlite::introspect(pool).await?,
        Pool::MySql(pool) => mysql::introspect(pool, db.profile()).await?,
    };
    Ok(schema.into_normalized(db.dialect()))
}
