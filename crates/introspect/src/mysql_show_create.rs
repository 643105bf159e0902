//! What only MySQL's `SHOW CREATE TABLE` tells: the statement itself, and the method a key
//! was made with where it names one.

use crate::error::{Result, query_failed as q};
use autogen_schema::{Index, Schema};
use sqlx::{MySqlPool, Row};

/// The method a key was made with where its statement names one (`KEY k (a) USING BTREE`, as
/// Rails and GUI tools write them; MariaDB's long UNIQUE `USING HASH`): `information_schema` says
/// BTREE either way, so only `SHOW CREATE TABLE` tells it from the default. Read for every table
/// with keys, several tables at a time.
pub(crate) async fn read_index_methods(pool: &MySqlPool, schema: &mut Schema) -> Result<()> {
    use futures_util::{StreamExt, TryStreamExt, stream};
    let keyed: Vec<String> = schema
        .tables
        .values()
        .filter(|t| !t.indexes.is_empty() || !t.uniques.is_empty() || !t.primary_key.is_empty())
        .map(|t| t.name.clone())
        .collect();
    let statements: Vec<(String, String)> = stream::iter(keyed)
        .map(|name| async move {
            let text = show_create(pool, &name, "index methods").await?;
            Ok::<_, crate::IntrospectError>((name, text))
        })
        .buffer_unordered(8)
        .try_collect()
        .await?;
    for (name, text) in statements {
        let Some(t) = schema.tables.get_mut(&name) else {
            continue;
        };
        for (key, method) in explicit_methods(&text) {
            match key {
                Some(key) => with_method(t, &key, method),
                None => schema
                    .left_alone
                    .add("primary keys made with an explicit index method", 1),
            }
        }
    }
    Ok(())
}

/// Each key of a `SHOW CREATE TABLE` statement that names its method, by name (none: the
/// primary key), with the method (`btree`, `hash`).
fn explicit_methods(statement: &str) -> Vec<(Option<String>, &'static str)> {
    let mut out = Vec::new();
    for line in statement.lines().map(str::trim_start) {
        let (name, rest) = if let Some(rest) = line.strip_prefix("PRIMARY KEY ") {
            (None, rest)
        } else if let Some(rest) = line
            .strip_prefix("UNIQUE KEY ")
            .or_else(|| line.strip_prefix("KEY "))
        {
            let Some((name, rest)) = backquoted(rest) else {
                continue;
            };
            (Some(name), rest)
        } else {
            continue;
        };
        let Some(after) = after_key_parts(rest) else {
            continue;
        };
        let method = if after.starts_with(" USING BTREE") {
            "btree"
        } else if after.starts_with(" USING HASH") {
            "hash"
        } else {
            continue;
        };
        out.push((name, method));
    }
    out
}

/// The name a line starts with, backquoted (a doubled backquote is one), and what follows it.
fn backquoted(text: &str) -> Option<(String, &str)> {
    let body = text.strip_prefix('`')?;
    let mut name = String::new();
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '`' {
            name.push(c);
        } else if chars.peek().is_some_and(|(_, n)| *n == '`') {
            chars.next();
            name.push('`');
        } else {
            return Some((name, &body[i + 1..]));
        }
    }
    None
}

/// What follows a key's parenthesised parts (` (`a`,`b`(10))`), quotes and nesting followed.
fn after_key_parts(text: &str) -> Option<&str> {
    let text = text.trim_start();
    if !text.starts_with('(') {
        return None;
    }
    let (mut depth, mut quote) = (0usize, None::<char>);
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '`' | '\'' | '"') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => {
                depth -= 1;
                if depth == 0 {
                    return Some(&text[i + 1..]);
                }
            }
            _ => {}
        }
    }
    None
}

/// Index or UNIQUE `key` of `t` made with `method`: a UNIQUE becomes a unique index with it.
fn with_method(t: &mut autogen_schema::Table, key: &str, method: &str) {
    if let Some(index) = t.indexes.iter_mut().find(|i| i.name == key) {
        if index.using.is_none() {
            index.using = Some(method.to_string());
        }
    } else if let Some(at) = t
        .uniques
        .iter()
        .position(|u| u.name.as_deref() == Some(key))
    {
        let unique = t.uniques.remove(at);
        t.indexes.push(Index {
            name: key.to_string(),
            columns: unique.columns,
            unique: true,
            using: Some(method.to_string()),
            ..Default::default()
        });
    }
}

/// `SHOW CREATE TABLE`'s statement of table `name`.
pub(crate) async fn show_create(
    pool: &MySqlPool,
    name: &str,
    what: &'static str,
) -> Result<String> {
    let sql = format!(
        "SHOW CREATE TABLE {}",
        autogen_schema::lexical::quote_identifier(name, '`')
    );
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_one(pool)
        .await
        .map_err(q(what))?;
    row.try_get(1).map_err(q(what))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_methods_are_read_from_the_statement() {
        let statement = "CREATE TABLE `t` (\n  `id` int NOT NULL,\n  `a``b` varchar(20),\n  PRIMARY KEY (`id`) USING BTREE,\n  UNIQUE KEY `by_a` (`a``b`(10)) USING HASH,\n  KEY `plain` (`id`),\n  KEY `odd ) name` (`id`) USING BTREE COMMENT 'x'\n) ENGINE=InnoDB";
        assert_eq!(
            explicit_methods(statement),
            [
                (None, "btree"),
                (Some("by_a".to_string()), "hash"),
                (Some("odd ) name".to_string()), "btree")
            ]
        );
    }
}
