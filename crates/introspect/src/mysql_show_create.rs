//! What only MySQL's `SHOW CREATE TABLE` tells: the statement itself, and the method a key
//! was made with where it names one.

use crate::error::{Result, query_failed as q};
use autogen_schema::Schema;
use autogen_schema::dialect::PRIMARY_KEY_USING;
use sqlx::{MySqlPool, Row};
use std::collections::BTreeMap;

/// The keys other than the primary key made with an explicit method, by table and name.
pub(crate) type KeyMethods = BTreeMap<(String, String), &'static str>;

/// The method a key was made with where its statement names one (`KEY k (a) USING BTREE`, as
/// Rails and GUI tools write them; MariaDB's long UNIQUE `USING HASH`): `information_schema` says
/// BTREE either way, so only `SHOW CREATE TABLE` tells it from the default. Read for every
/// table, several at a time; the primary key's becomes a table option (made with the table),
/// the others' are returned for the index reader.
pub(crate) async fn read_index_methods(
    pool: &MySqlPool,
    schema: &mut Schema,
) -> Result<KeyMethods> {
    use futures_util::{StreamExt, TryStreamExt, stream};
    let names: Vec<String> = schema.tables.keys().cloned().collect();
    let statements: Vec<(String, String)> = stream::iter(names)
        .map(|name| async move {
            let text = show_create(pool, &name, "index methods").await?;
            Ok::<_, crate::IntrospectError>((name, text))
        })
        .buffer_unordered(8)
        .try_collect()
        .await?;
    let mut methods = KeyMethods::new();
    for (name, text) in statements {
        for (key, method) in explicit_methods(&text) {
            match key {
                Some(key) => {
                    methods.insert((name.clone(), key), method);
                }
                None => {
                    if let Some(t) = schema.tables.get_mut(&name) {
                        t.options.push(format!(
                            "{PRIMARY_KEY_USING}{}",
                            method.to_ascii_uppercase()
                        ));
                    }
                }
            }
        }
    }
    Ok(methods)
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
    // Sent as text, not prepared: a statement per table would fill the connection's cache of
    // prepared statements, each closed again as the next pushes it out.
    let row = sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
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
