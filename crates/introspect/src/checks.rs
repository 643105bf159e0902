//! The server's own rendering of CHECK definitions and generation expressions it does not hold
//! yet: the model's, created on temporary tables (in a transaction that is rolled back, on
//! PostgreSQL) and read back as the server prints them. SQLite keeps both as written: nothing
//! to ask.

use crate::error::{IntrospectError, Result};
use autogen_db::{Db, Pool};
use sqlx::{Connection, Executor, Row};
use std::collections::BTreeMap;

/// `CHECK (…)` as the server renders it, by the probe's constraint name, and each generated
/// column's expression, by `temporary table.column`: `setup` then the `CREATE TEMPORARY TABLE`
/// statements of `tables` (`(name, statement)`) are run, read and undone.
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
            let generated = sqlx::query(
                "SELECT c.relname::text || '.' || a.attname::text, pg_get_expr(d.adbin, d.adrelid)
                 FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                 JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                 WHERE c.relnamespace = pg_my_temp_schema() AND a.attgenerated <> ''",
            )
            .fetch_all(&mut *tx)
            .await
            .map_err(refused)?;
            tx.rollback().await.map_err(refused)?;
            Ok(rows
                .iter()
                .chain(&generated)
                .map(|r| (r.get(0), r.get(1)))
                .collect())
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
                    (Ok(row), Ok(_)) => {
                        let shown: String = row.get(1);
                        out.extend(shown_checks(&shown));
                        out.extend(shown_generated(name, &shown));
                    }
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
        what: "CHECK constraints and generated columns",
        how: "the entities' CHECKs and generation expressions on temporary tables (in a \
              transaction it rolls back)",
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
        let Some((name, after)) = backquoted(rest) else {
            continue;
        };
        let definition = after.trim().trim_end_matches(',');
        if definition.starts_with("CHECK") {
            out.push((name, definition.to_string()));
        }
    }
    out
}

/// The generation expressions of a `SHOW CREATE TABLE` text, by `table.column`: what a
/// `` `c` type GENERATED ALWAYS AS (…) `` line holds between its parentheses, as
/// `information_schema.columns.generation_expression` holds it.
fn shown_generated(table: &str, create: &str) -> Vec<(String, String)> {
    const CLAUSE: &str = " GENERATED ALWAYS AS (";
    let mut out = Vec::new();
    for line in create.lines() {
        let Some(rest) = line.trim_start().strip_prefix('`') else {
            continue;
        };
        let Some((name, after)) = backquoted(rest) else {
            continue;
        };
        let Some(at) = after.find(CLAUSE) else {
            continue;
        };
        let body = &after[at + CLAUSE.len()..];
        if let Some(end) = closing_paren(body) {
            out.push((format!("{table}.{name}"), body[..end].to_string()));
        }
    }
    out
}

/// A backquoted name's text (its doubled backquotes single) and what follows its closing quote.
fn backquoted(rest: &str) -> Option<(String, &str)> {
    let mut name = String::new();
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '`' {
            if chars.peek().map(|(_, n)| *n) == Some('`') {
                chars.next();
                name.push('`');
                continue;
            }
            return Some((name, &rest[i + 1..]));
        }
        name.push(c);
    }
    None
}

/// Where the `)` closing an already open `(` is in `body`: quoted text (with MySQL's
/// backslash escapes) does not count.
fn closing_paren(body: &str) -> Option<usize> {
    let (mut depth, mut quote, mut escaped) = (0usize, None::<char>, false);
    for (i, c) in body.char_indices() {
        match (quote, c) {
            (Some(_), _) if escaped => escaped = false,
            (Some(_), '\\') => escaped = true,
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"' | '`') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') if depth == 0 => return Some(i),
            (None, ')') => depth -= 1,
            (None, _) => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{shown_checks, shown_generated};

    #[test]
    fn generation_expressions_are_read_from_show_create_table() {
        let text = "CREATE TEMPORARY TABLE `t` (\n  `a` int(11) DEFAULT NULL,\n  \
                    `b``x` varchar(9) GENERATED ALWAYS AS (concat(`a`,')\\'(',\"x\")) STORED,\n  \
                    `c` int(11) GENERATED ALWAYS AS (`a` * 2) VIRTUAL,\n  \
                    CONSTRAINT `k` CHECK (`a` < 9)\n) ENGINE=InnoDB";
        assert_eq!(
            shown_generated("t", text),
            [
                ("t.b`x".to_string(), "concat(`a`,')\\'(',\"x\")".to_string()),
                ("t.c".to_string(), "`a` * 2".to_string()),
            ]
        );
    }

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
