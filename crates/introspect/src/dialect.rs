//! The registry: which dialect's module reads a connection's catalog.

use crate::error::Result;
use crate::{mysql, postgres, sqlite};
use autogen_db::{Db, Pool};
use autogen_schema::{NameProbe, Schema};

/// Reads the whole user schema (version tables excluded), normalized for its dialect.
pub async fn introspect(db: &Db) -> Result<Schema> {
    introspect_schemas(db, &[]).await
}

/// [`introspect`], and on PostgreSQL the tables of `schemas` too, each keyed with its schema
/// ([`autogen_schema::lexical::qualified`]); the other dialects have no schemas to add.
pub async fn introspect_schemas(db: &Db, schemas: &[String]) -> Result<Schema> {
    let schema = match db.pool() {
        Pool::Postgres(pool) => postgres::introspect(pool, schemas).await?,
        Pool::Sqlite(pool) => sqlite::introspect(pool).await?,
        Pool::MySql(pool) => mysql::introspect(pool, db.profile()).await?,
    };
    Ok(schema.into_normalized(db.dialect()))
}

/// Which of `probes` an object of the database holds, in one or a few queries whatever their
/// number: what a plan asks before it gives a new object a name.
pub async fn held_names(db: &Db, probes: &[NameProbe]) -> Result<Vec<bool>> {
    if probes.is_empty() {
        return Ok(Vec::new());
    }
    match db.pool() {
        Pool::Postgres(pool) => postgres::held_names(pool, probes).await,
        Pool::Sqlite(pool) => sqlite::held_names(pool, probes).await,
        Pool::MySql(pool) => mysql::held_names(pool, probes).await,
    }
}
