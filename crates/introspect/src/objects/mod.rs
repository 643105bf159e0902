//! Views, materialized views, functions, procedures, aggregates and triggers: read from the
//! catalog, and the declared ones rendered by the server itself (`render_objects`): created in a
//! transaction that is rolled back, in place of the database's objects of the same names, and
//! read back with the same catalog queries. Nothing it does lasts.

pub(crate) mod mysql;
pub(crate) mod postgres;
mod probe;
pub(crate) mod sqlite;

pub use probe::{PLAIN_INDEX_IN_FILE, Rendered};
use probe::{attempt, create_all, matched, same_name};

use crate::error::IntrospectError;
use autogen_db::{Db, Pool};
use autogen_schema::{Schema, SqlObject};
use sqlx::{Connection, Executor};

/// Each of `declared` as the server renders it once created over `current` (the database as it
/// is), in the order given. An object the server refuses comes back as the server's message.
pub async fn render_objects(
    db: &Db,
    declared: &[SqlObject],
    current: &Schema,
) -> Result<Vec<Rendered>, IntrospectError> {
    // A file that holds the database's rendering of its object renders as that object: what a
    // file written back by `entities` holds until someone edits it. The server is asked about
    // the rest only (a probe builds an exclusion constraint's index, or a type's columns again).
    let unchanged = |d: &SqlObject| {
        let text = d.source.trim_end().trim_end_matches(';').trim_end();
        current
            .objects
            .get(&d.key())
            .filter(|live| live.definition == text)
            .map(|live| SqlObject {
                source: d.source.clone(),
                file: d.file.clone(),
                ..live.clone()
            })
    };
    let known: Vec<Option<SqlObject>> = declared.iter().map(unchanged).collect();
    let asked: Vec<SqlObject> = declared
        .iter()
        .zip(&known)
        .filter(|(_, k)| k.is_none())
        .map(|(d, _)| d.clone())
        .collect();
    let mut rendered = probe(db, &asked, current).await?.into_iter();
    Ok(known
        .into_iter()
        .map(|k| match k {
            Some(live) => Ok(live),
            None => rendered
                .next()
                .unwrap_or_else(|| Err("not rendered".to_string())),
        })
        .collect())
}

/// Each of `declared` as the server renders it, from a probe that lasts nothing.
async fn probe(
    db: &Db,
    declared: &[SqlObject],
    current: &Schema,
) -> Result<Vec<Rendered>, IntrospectError> {
    if declared.is_empty() {
        return Ok(Vec::new());
    }
    let replaced: Vec<&SqlObject> = current
        .objects
        .values()
        .filter(|live| declared.iter().any(|d| same_name(d, live)))
        .collect();
    match db.pool() {
        Pool::Postgres(pool) => {
            let mut conn = pool.acquire().await.map_err(refused)?;
            let mut tx = conn.begin().await.map_err(refused)?;
            for s in [
                "SET LOCAL lock_timeout = '5s'",
                "SET LOCAL check_function_bodies = off",
            ] {
                tx.execute(s).await.map_err(refused)?;
            }
            for live in &replaced {
                let drop = format!("{} CASCADE", live.drop_sql(&quote, true));
                // One may already be gone with another's CASCADE.
                let _ = attempt(&mut *tx, &drop).await;
            }
            let outcome = create_all(&mut *tx, declared, None).await;
            let managed = "(SELECT oid FROM pg_namespace WHERE nspname = current_schema())";
            let read = postgres::read(&mut tx, &schemas_of(declared, managed)).await;
            tx.rollback().await.map_err(refused)?;
            let read: Vec<SqlObject> = read?.into_iter().map(|(_, o)| o).collect();
            Ok(matched(declared, outcome, &read))
        }
        Pool::Sqlite(pool) => {
            let mut conn = pool.acquire().await.map_err(refused)?;
            let mut tx = conn.begin().await.map_err(refused)?;
            for live in &replaced {
                let _ = attempt(&mut *tx, &live.drop_sql(&quote, false)).await;
            }
            let outcome = create_all(&mut *tx, declared, None).await;
            let read = sqlite::read(&mut tx).await;
            tx.rollback().await.map_err(refused)?;
            Ok(matched(declared, outcome, &read?))
        }
        Pool::MySql(pool) => {
            let mariadb = db.profile().flavor == autogen_schema::Flavor::MariaDb;
            mysql::render(pool, mariadb, declared, current).await
        }
    }
}

/// The managed-schema condition for the probe: the connection's own schema and those the
/// declared objects name.
fn schemas_of(declared: &[SqlObject], fallback: &str) -> String {
    let schemas: Vec<String> = declared
        .iter()
        .filter_map(|d| autogen_schema::lexical::split_qualified(&d.name).0)
        .map(autogen_schema::lexical::quote_string)
        .collect();
    if schemas.is_empty() {
        return fallback.to_string();
    }
    format!(
        "(SELECT oid FROM pg_namespace WHERE nspname = current_schema() OR nspname IN ({}))",
        schemas.join(", ")
    )
}

/// PostgreSQL's and SQLite's quoting of a name.
fn quote(name: &str) -> String {
    autogen_schema::lexical::quote_identifier(name, '"')
}

fn refused(source: sqlx::Error) -> IntrospectError {
    IntrospectError::Render {
        what: "views, functions and triggers",
        how: "the declared ones in a transaction it rolls back",
        source,
    }
}
