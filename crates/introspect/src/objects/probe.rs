//! What every server's probe does: run the declared statements, again while any that failed
//! can now be created, and match what the catalog then holds to what was declared.

use autogen_schema::{SqlKind, SqlObject};
use sqlx::Executor;

/// What the server made of one declared object: its rendering, or why it could not create it.
pub type Rendered = Result<SqlObject, String>;

/// Two objects that hold the same name: one replaces the other (a view and a materialized view
/// share relation names; overloads of a routine are all replaced by the declared ones).
pub(crate) fn same_name(a: &SqlObject, b: &SqlObject) -> bool {
    let group = |k: SqlKind| {
        (
            k.relation(),
            k.routine(),
            (!k.relation() && !k.routine()).then_some(k),
        )
    };
    a.name == b.name && group(a.kind) == group(b.kind) && a.table == b.table
}

/// Runs an object's statement, and the `SET …` before it (see [`autogen_schema::leading_set`])
/// then `restore` after it (and what the `SET` changed that the session must get back:
/// [`autogen_schema::session_restores`]);
/// whether the statement succeeded, or the server's message.
pub(crate) async fn attempt_object<C>(
    conn: &mut C,
    source: &str,
    restore: Option<&str>,
) -> Result<(), String>
where
    for<'c> &'c mut C: Executor<'c>,
{
    let Some((set, rest)) = autogen_schema::leading_set(source) else {
        return attempt(conn, source).await;
    };
    let (save, back) = autogen_schema::session_restores(set);
    for s in &save {
        attempt(conn, s).await?;
    }
    attempt(conn, set).await?;
    let outcome = attempt(conn, rest).await;
    if let Some(r) = restore {
        attempt(conn, r).await?;
    }
    for s in &back {
        attempt(conn, s).await?;
    }
    outcome
}

/// Runs `sql` under a savepoint; whether it succeeded, or the server's message.
pub(crate) async fn attempt<C>(conn: &mut C, sql: &str) -> Result<(), String>
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
/// refusal. `restore`: what undoes an object's leading `SET` (MySQL's `sql_mode`).
pub(crate) async fn create_all<C>(
    conn: &mut C,
    declared: &[SqlObject],
    restore: Option<&str>,
) -> Vec<Result<(), String>>
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
            outcome[i] = attempt_object(conn, &d.source, restore).await;
            progress |= outcome[i].is_ok();
        }
        if !progress || outcome.iter().all(Result::is_ok) {
            return outcome;
        }
    }
}

/// What a declared index an entity could declare is told by: the caller refuses it.
pub const PLAIN_INDEX_IN_FILE: &str = "a plain index in a SQL file";

/// Each declared object's rendering: the object read back under its name (a routine: the one
/// of its name whose arguments the server prints as the file's do, else the only one).
pub(crate) fn matched(
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
            let found = found.ok_or_else(|| match d.kind {
                // Made, but read as a table's index: one its entity declares.
                k if k.builds_index() => format!(
                    "{PLAIN_INDEX_IN_FILE}: index {} keys whole columns in order, which its \
                     table's entity declares (#[cfg_attr(any(), autogen(index(...)))] or \
                     `indexed`); a file holds an index no entity can",
                    d.label()
                ),
                _ => format!(
                    "the statement did not create the {} {} its head names",
                    d.kind,
                    d.label()
                ),
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
