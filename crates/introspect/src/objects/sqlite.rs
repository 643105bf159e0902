//! SQLite's replaceable objects: views and triggers, as `sqlite_master` keeps their SQL (the
//! statement as written, which is SQLite's own rendering of it). SQLite records no dependencies:
//! a view reads the tables and views its statement names.

use crate::error::{Result, query_failed as q};
use autogen_schema::{SqlKind, SqlObject};
use sqlx::{Row, SqliteConnection};
use std::collections::BTreeSet;

const OBJECTS: &str = "
SELECT type, name, tbl_name, sql FROM sqlite_master
WHERE type IN ('view', 'trigger') AND sql IS NOT NULL ORDER BY type DESC, name";

/// Every view and trigger, with the tables and views each view's statement names.
pub(crate) async fn read(conn: &mut SqliteConnection) -> Result<Vec<SqlObject>> {
    let rows = sqlx::query(OBJECTS)
        .fetch_all(&mut *conn)
        .await
        .map_err(q("views and triggers"))?;
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(q("tables"))?;
    let mut objects: Vec<SqlObject> = rows
        .iter()
        .map(|r| {
            let kind = if r.get::<String, _>(0) == "view" {
                SqlKind::View
            } else {
                SqlKind::Trigger
            };
            let sql: String = r.get(3);
            SqlObject {
                kind,
                name: r.get(1),
                arguments: None,
                table: (kind == SqlKind::Trigger).then(|| r.get(2)),
                definition: sql.clone(),
                source: sql,
                depends_on: Default::default(),
                reads: Default::default(),
                owned: false,
                file: None,
            }
        })
        .collect();
    let views: Vec<String> = objects
        .iter()
        .filter(|o| o.kind == SqlKind::View)
        .map(|o| o.name.clone())
        .collect();
    for o in objects.iter_mut().filter(|o| o.kind == SqlKind::View) {
        let words = named(&o.definition);
        for t in tables.iter().filter(|t| words.contains(&t.to_lowercase())) {
            o.reads.entry(t.clone()).or_default();
        }
        for v in views
            .iter()
            .filter(|v| **v != o.name && words.contains(&v.to_lowercase()))
        {
            o.depends_on.insert(format!("view {v}"));
        }
    }
    Ok(objects)
}

/// The words and quoted names of a statement, lower-cased (SQLite's names are
/// case-insensitive).
fn named(sql: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    for c in sql.chars().chain(std::iter::once(' ')) {
        match quote {
            Some(q) if c == q => {
                out.insert(std::mem::take(&mut word).to_lowercase());
                quote = None;
            }
            Some(_) => word.push(c),
            None if c == '"' || c == '`' || c == '[' => {
                quote = Some(if c == '[' { ']' } else { c });
            }
            None if c.is_alphanumeric() || c == '_' => word.push(c),
            None => {
                if !word.is_empty() {
                    out.insert(std::mem::take(&mut word).to_lowercase());
                }
            }
        }
    }
    out
}
