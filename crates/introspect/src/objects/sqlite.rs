//! SQLite's replaceable objects: views and triggers, as `sqlite_master` keeps their SQL (the
//! statement as written, which is SQLite's own rendering of it). SQLite records no dependencies:
//! a view reads the tables and views its statement names.

use crate::error::{Result, query_failed as q};
use autogen_schema::{SqlKind, SqlObject, references};
use sqlx::{Row, SqliteConnection};

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
            let table = (kind == SqlKind::Trigger).then(|| r.get(2));
            SqlObject::from_statement(kind, r.get(1), None, table, r.get(3))
        })
        .collect();
    let views: Vec<String> = objects
        .iter()
        .filter(|o| o.kind == SqlKind::View)
        .map(|o| o.name.clone())
        .collect();
    for o in objects.iter_mut().filter(|o| o.kind == SqlKind::View) {
        let words = references(&o.definition, false).words;
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
