//! Views, materialized views, functions, procedures, aggregates and triggers: read from the
//! catalog, and the declared ones rendered by the server itself (`render_objects`): created in a
//! transaction that is rolled back, in place of the database's objects of the same names, and
//! read back with the same catalog queries. Nothing it does lasts.

pub(crate) mod postgres;
pub(crate) mod sqlite;

use crate::error::IntrospectError;
use autogen_db::{Db, Pool};
use autogen_schema::{Schema, SqlKind, SqlObject};
use sqlx::{Connection, Executor};

/// What the server made of one declared object: its rendering, or why it could not create it.
pub type Rendered = Result<SqlObject, String>;

/// Each of `declared` as the server renders it once created over `current` (the database as it
/// is), in the order given. An object the server refuses comes back as the server's message.
pub async fn render_objects(
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
            let outcome = create_all(&mut *tx, declared).await;
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
            let outcome = create_all(&mut *tx, declared).await;
            let read = sqlite::read(&mut tx).await;
            tx.rollback().await.map_err(refused)?;
            Ok(matched(declared, outcome, &read?))
        }
        Pool::MySql(_) => Ok(declared
            .iter()
            .map(|_| Err("autogen does not compare MySQL views, routines or triggers yet".into()))
            .collect()),
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

/// Two objects that hold the same name: one replaces the other (a view and a materialized view
/// share relation names; overloads of a routine are all replaced by the declared ones).
fn same_name(a: &SqlObject, b: &SqlObject) -> bool {
    let relation = |k: SqlKind| matches!(k, SqlKind::View | SqlKind::MaterializedView);
    let group = |k: SqlKind| (relation(k), k.routine(), k == SqlKind::Trigger);
    a.name == b.name && group(a.kind) == group(b.kind) && a.table == b.table
}

/// Runs `sql` under a savepoint; whether it succeeded, or the server's message.
async fn attempt<C>(conn: &mut C, sql: &str) -> Result<(), String>
where
    for<'c> &'c mut C: Executor<'c>,
{
    let sp = |verb: &str| format!("{verb} SAVEPOINT autogen_probe");
    let _ = (&mut *conn).execute(sqlx::AssertSqlSafe(sp(""))).await;
    match (&mut *conn)
        .execute(sqlx::AssertSqlSafe(sql.to_string()))
        .await
    {
        Ok(_) => {
            let _ = (&mut *conn)
                .execute(sqlx::AssertSqlSafe(sp("RELEASE")))
                .await;
            Ok(())
        }
        Err(e) => {
            let _ = (&mut *conn)
                .execute(sqlx::AssertSqlSafe(sp("ROLLBACK TO")))
                .await;
            Err(autogen_db::error_text(&e))
        }
    }
}

/// Creates every declared object, again and again while any that failed can now be created
/// (one may read another declared later): for each, whether it was created or the last
/// refusal.
async fn create_all<C>(conn: &mut C, declared: &[SqlObject]) -> Vec<Result<(), String>>
where
    for<'c> &'c mut C: Executor<'c>,
{
    let mut outcome: Vec<Result<(), String>> =
        vec![Err("not attempted".to_string()); declared.len()];
    loop {
        let mut progress = false;
        for (i, d) in declared.iter().enumerate() {
            if outcome[i].is_ok() {
                continue;
            }
            outcome[i] = attempt(conn, &d.source).await;
            progress |= outcome[i].is_ok();
        }
        if !progress || outcome.iter().all(Result::is_ok) {
            return outcome;
        }
    }
}

/// Each declared object's rendering: the object read back under its name (a routine: the one
/// of its name whose arguments the server prints as the file's do, else the only one).
fn matched(
    declared: &[SqlObject],
    outcome: Vec<Result<(), String>>,
    read: &[SqlObject],
) -> Vec<Rendered> {
    declared
        .iter()
        .zip(outcome)
        .map(|(d, created)| {
            created?;
            let candidates: Vec<&SqlObject> = read
                .iter()
                .filter(|o| o.kind == d.kind && same_name(d, o))
                .collect();
            let found = match candidates.as_slice() {
                [one] => Some(*one),
                many => many
                    .iter()
                    .find(|o| o.arguments == d.arguments)
                    .copied()
                    .or_else(|| many.iter().find(|o| same_arguments(o, d)).copied()),
            };
            let found = found.ok_or_else(|| {
                format!(
                    "the statement did not create the {} {} its head names",
                    d.kind,
                    d.label()
                )
            })?;
            Ok(SqlObject {
                source: d.source.clone(),
                file: d.file.clone(),
                ..found.clone()
            })
        })
        .collect()
}

/// The argument types of `a` (as the server prints them) appear, in order, in `b`'s text.
fn same_arguments(a: &SqlObject, b: &SqlObject) -> bool {
    let (Some(x), Some(y)) = (&a.arguments, &b.arguments) else {
        return false;
    };
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric() && c != '_')
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    words(x) == words(y)
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
