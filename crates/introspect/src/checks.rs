//! The server's own rendering of CHECK definitions it does not hold yet: the model's CHECKs,
//! created on temporary tables (in a transaction that is rolled back, on PostgreSQL) and read
//! back as the server prints them. SQLite keeps a CHECK's text as written: nothing to ask.

use crate::error::{IntrospectError, Result};
use autogen_db::{Db, Pool};
use sqlx::{Connection, Executor, Row};
use std::collections::BTreeMap;

/// `CHECK (…)` as the server renders it, by the probe's constraint name: `setup` then the
/// `CREATE TEMPORARY TABLE` statements of `tables` (`(name, statement)`) are run, read and
/// undone.
pub async fn render_checks(
    db: &Db,
    setup: &[String],
    tables: &[(String, String)],
) -> Result<BTreeMap<String, String>> {
    if tables.is_empty() {
        return Ok(BTreeMap::new());
    }
    match db.pool() {
        Pool::Postgres(pool) => {
            let mut conn = pool.acquire().await.map_err(refused)?;
            let mut tx = conn.begin().await.map_err(refused)?;
            for s in setup.iter().chain(tables.iter().map(|(_, s)| s)) {
                tx.execute(sqlx::AssertSqlSafe(s.as_str()))
                    .await
                    .map_err(refused)?;
            }
            let rows = sqlx::query(
                "SELECT k.conname::text, regexp_replace(pg_get_constraintdef(k.oid), ' NOT VALID$', '')
                 FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
                 WHERE c.relnamespace = pg_my_temp_schema() AND k.contype = 'c'",
            )
            .fetch_all(&mut *tx)
            .await
            .map_err(refused)?;
            tx.rollback().await.map_err(refused)?;
            Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
        }
        Pool::MySql(pool) => {
            let mut conn = pool.acquire().await.map_err(refused)?;
            let mut out = BTreeMap::new();
            let mut result = Ok(());
            for (name, create) in tables {
                if let Err(e) = conn.execute(sqlx::AssertSqlSafe(create.as_str())).await {
                    result = Err(refused(e));
                    break;
                }
                let shown = sqlx::query(sqlx::AssertSqlSafe(format!("SHOW CREATE TABLE `{name}`")))
                    .fetch_one(&mut *conn)
                    .await
                    .map_err(refused);
                let dropped = conn
                    .execute(sqlx::AssertSqlSafe(format!(
                        "DROP TEMPORARY TABLE `{name}`"
                    )))
                    .await
                    .map_err(refused);
                match (shown, dropped) {
                    (Ok(row), Ok(_)) => out.extend(shown_checks(&row.get::<String, _>(1))),
                    (Err(e), _) | (_, Err(e)) => {
                        result = Err(e);
                        break;
                    }
                }
            }
            result.map(|()| out)
        }
        Pool::Sqlite(_) => Ok(BTreeMap::new()),
    }
}

fn refused(source: sqlx::Error) -> IntrospectError {
    IntrospectError::Render {
        what: "CHECK constraints",
        how: "the entities' CHECKs on temporary tables (in a transaction it rolls back)",
        source,
    }
}

/// The CHECKs of a `SHOW CREATE TABLE` text: `` CONSTRAINT `name` CHECK (…) `` lines.
fn shown_checks(create: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in create.lines() {
        let Some(rest) = line.trim_start().strip_prefix("CONSTRAINT `") else {
            continue;
        };
        let mut name = String::new();
        let mut chars = rest.char_indices().peekable();
        let mut end = None;
        while let Some((i, c)) = chars.next() {
            if c == '`' {
                if chars.peek().map(|(_, n)| *n) == Some('`') {
                    chars.next();
                    name.push('`');
                    continue;
                }
                end = Some(i + 1);
                break;
            }
            name.push(c);
        }
        let Some(end) = end else { continue };
        let definition = rest[end..].trim().trim_end_matches(',');
        if definition.starts_with("CHECK") {
            out.push((name, definition.to_string()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::shown_checks;

    #[test]
    fn checks_are_read_from_show_create_table() {
        let text = "CREATE TEMPORARY TABLE `t` (\n  `a` int(11) DEFAULT NULL,\n  CONSTRAINT `c``1` CHECK (`a` > 0 and `b` in ('x','y')),\n  CONSTRAINT `k` CHECK (`a` < 9)\n) ENGINE=InnoDB";
        assert_eq!(
            shown_checks(text),
            [
                (
                    "c`1".to_string(),
                    "CHECK (`a` > 0 and `b` in ('x','y'))".to_string()
                ),
                ("k".to_string(), "CHECK (`a` < 9)".to_string()),
            ]
        );
    }
}
