//! SQLite's replaceable objects: views, triggers and the indexes an entity cannot declare (an
//! expression, a descending key, a collation), as `sqlite_master` keeps their SQL (the
//! statement as written, which is SQLite's own rendering of it). SQLite records no dependencies:
//! a view reads the tables and views its statement names.

use crate::error::{Result, query_failed as q};
use autogen_schema::{SqlKind, SqlObject, references};
use sqlx::{Row, SqliteConnection};

const OBJECTS: &str = "
SELECT CASE WHEN type = 'table' THEN 'virtual' ELSE type END, name, tbl_name, sql
FROM sqlite_master
WHERE (type IN ('view', 'trigger') OR type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%')
  AND sql IS NOT NULL
ORDER BY type DESC, name";

/// Indexes made by a statement (not a constraint's), with their keys (an expression's or a
/// descending key's name empty).
const INDEXES: &str = "
SELECT s.name, s.tbl_name, s.sql,
       (SELECT group_concat(CASE WHEN x.\"desc\" THEN '' ELSE coalesce(x.name, '') END, char(31))
        FROM pragma_index_xinfo(s.name) x WHERE x.key = 1)
FROM sqlite_master s WHERE s.type = 'index' AND s.sql IS NOT NULL ORDER BY s.name";

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
            let kind = match r.get::<String, _>(0).as_str() {
                "view" => SqlKind::View,
                "virtual" => SqlKind::VirtualTable,
                _ => SqlKind::Trigger,
            };
            let table = (kind == SqlKind::Trigger).then(|| r.get(2));
            SqlObject::from_statement(kind, r.get(1), None, table, r.get(3))
        })
        .collect();
    let indexes = sqlx::query(INDEXES)
        .fetch_all(&mut *conn)
        .await
        .map_err(q("indexes"))?;
    for r in &indexes {
        let keys: String = r.get::<Option<String>, _>(3).unwrap_or_default();
        let keys: Vec<String> = keys.split('\u{1f}').map(str::to_string).collect();
        let sql: String = r.get(2);
        if !plain_index(&keys, Some(&sql)) {
            let (name, table) = (r.get(0), r.get(1));
            objects.push(SqlObject::from_statement(
                SqlKind::Index,
                name,
                None,
                Some(table),
                sql,
            ));
        }
    }
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

/// Whether an index is one an entity declares: its keys plain columns in ascending order (an
/// expression or a descending key is read as an empty name) with their own collations.
pub(crate) fn plain_index(columns: &[String], sql: Option<&str>) -> bool {
    !columns.iter().any(String::is_empty)
        && !sql.is_some_and(|sql| references(sql, false).words.contains("collate"))
}
