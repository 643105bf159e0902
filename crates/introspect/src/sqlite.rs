//! SQLite: four queries over `sqlite_master` joined with the `pragma_*` table-valued functions.

use crate::error::{Result, query_failed as q};
use autogen_db::VERSION_TABLES;
use autogen_schema::{
    Column, DefaultValue, Dialect, FkAction, ForeignKey, Index, Schema, Table, Unique,
    dialect::sqlite_column_type,
};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqlitePool};
use std::collections::BTreeMap;

const TABLES: &str = "
SELECT name, sql FROM sqlite_master
WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
ORDER BY name";

const COLUMNS: &str = "
SELECT m.name, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk
FROM sqlite_master m JOIN pragma_table_info(m.name) p
WHERE m.type = 'table'
ORDER BY m.name, p.cid";

const INDEXES: &str = "
SELECT m.name, il.name, il.\"unique\", il.origin, il.partial, ii.name, s.sql
FROM sqlite_master m
JOIN pragma_index_list(m.name) il
JOIN pragma_index_info(il.name) ii
LEFT JOIN sqlite_master s ON s.type = 'index' AND s.name = il.name
WHERE m.type = 'table'
ORDER BY m.name, il.name, ii.seqno";

const FOREIGN_KEYS: &str = "
SELECT m.name, f.id, f.\"table\", f.\"from\", f.\"to\", f.on_update, f.on_delete
FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f
WHERE m.type = 'table'
ORDER BY m.name, f.id, f.seq";

pub async fn introspect(pool: &SqlitePool) -> Result<Schema> {
    let fetch = |sql: &'static str, what: &'static str| async move {
        sqlx::query(sql).fetch_all(pool).await.map_err(q(what))
    };
    let mut schema = Schema::default();
    let autoincrement = read_tables(&mut schema, &fetch(TABLES, "tables").await?);
    read_columns(
        &mut schema,
        &fetch(COLUMNS, "columns").await?,
        &autoincrement,
    );
    read_indexes(&mut schema, &fetch(INDEXES, "indexes").await?);
    read_foreign_keys(&mut schema, &fetch(FOREIGN_KEYS, "foreign keys").await?);
    Ok(schema)
}

/// The tables, and for each whether its SQL says `AUTOINCREMENT`.
fn read_tables(schema: &mut Schema, rows: &[SqliteRow]) -> BTreeMap<String, bool> {
    let mut autoincrement = BTreeMap::new();
    for row in rows {
        let name: String = row.get(0);
        if VERSION_TABLES.contains(&name.as_str()) {
            continue;
        }
        let sql: String = row.get::<Option<String>, _>(1).unwrap_or_default();
        autoincrement.insert(
            name.clone(),
            sql.to_ascii_uppercase().contains("AUTOINCREMENT"),
        );
        schema.add_table(Table::new(name));
    }
    autoincrement
}

fn read_columns(schema: &mut Schema, rows: &[SqliteRow], autoincrement: &BTreeMap<String, bool>) {
    let mut pk_positions: BTreeMap<String, Vec<(i64, String)>> = BTreeMap::new();
    for row in rows {
        let table_name: String = row.get(0);
        let Some(table) = schema.tables.get_mut(&table_name) else {
            continue;
        };
        let name: String = row.get(1);
        let decl: String = row.get(2);
        let pk: i64 = row.get(5);
        if pk > 0 {
            pk_positions
                .entry(table_name.clone())
                .or_default()
                .push((pk, name.clone()));
        }
        let default = row
            .get::<Option<String>, _>(4)
            .map(|d| Dialect::Sqlite.sql().parse_default(&d))
            .filter(|d| *d != DefaultValue::Null);
        table.columns.push(Column {
            name,
            ty: sqlite_column_type(&decl),
            nullable: row.get::<i64, _>(3) == 0,
            default,
            auto_increment: false,
            on_update: None,
            comment: None,
            renamed_from: None,
        });
    }
    for (table_name, mut positions) in pk_positions {
        let Some(table) = schema.tables.get_mut(&table_name) else {
            continue;
        };
        positions.sort();
        table.primary_key = positions.into_iter().map(|(_, n)| n).collect();
        if table.primary_key.len() == 1 && autoincrement.get(&table_name) == Some(&true) {
            let pk = table.primary_key[0].clone();
            if let Some(c) = table.column_mut(&pk) {
                c.auto_increment = true;
            }
        }
    }
}

fn read_indexes(schema: &mut Schema, rows: &[SqliteRow]) {
    // (table, index) -> (unique, origin, partial, sql, columns)
    type IndexRow = (bool, String, bool, Option<String>, Vec<String>);
    let mut indexes: BTreeMap<(String, String), IndexRow> = BTreeMap::new();
    for row in rows {
        let key = (row.get::<String, _>(0), row.get::<String, _>(1));
        let entry = indexes.entry(key).or_insert_with(|| {
            (
                row.get::<i64, _>(2) != 0,
                row.get(3),
                row.get::<i64, _>(4) != 0,
                row.get(6),
                Vec::new(),
            )
        });
        // Expression index keys have no column name: the index is marked by an empty key.
        entry
            .4
            .push(row.get::<Option<String>, _>(5).unwrap_or_default());
    }
    for ((table_name, index_name), (unique, origin, partial, sql, columns)) in indexes {
        let Some(table) = schema.tables.get_mut(&table_name) else {
            continue;
        };
        // Expression indexes are left out, as on PostgreSQL (see there).
        if columns.iter().any(String::is_empty) {
            continue;
        }
        match origin.as_str() {
            "pk" => {}
            "u" => table.uniques.push(Unique {
                name: None,
                columns,
            }),
            _ => table.indexes.push(Index {
                name: index_name,
                columns,
                unique,
                predicate: if partial {
                    sql.as_deref().and_then(partial_predicate)
                } else {
                    None
                },
            }),
        }
    }
}

fn read_foreign_keys(schema: &mut Schema, rows: &[SqliteRow]) {
    let mut fks: BTreeMap<(String, i64), ForeignKey> = BTreeMap::new();
    for row in rows {
        let key = (row.get::<String, _>(0), row.get::<i64, _>(1));
        let fk = fks.entry(key).or_insert_with(|| ForeignKey {
            name: None,
            columns: Vec::new(),
            ref_table: row.get(2),
            ref_columns: Vec::new(),
            on_delete: FkAction::parse(&row.get::<String, _>(6)).unwrap_or_default(),
            on_update: FkAction::parse(&row.get::<String, _>(5)).unwrap_or_default(),
        });
        fk.columns.push(row.get(3));
        fk.ref_columns
            .push(row.get::<Option<String>, _>(4).unwrap_or_default());
    }
    for ((table_name, _), fk) in fks {
        if let Some(table) = schema.tables.get_mut(&table_name) {
            table.foreign_keys.push(fk);
        }
    }
}

/// The `WHERE` clause of a `CREATE INDEX … WHERE …` statement.
fn partial_predicate(sql: &str) -> Option<String> {
    let upper = sql.to_ascii_uppercase();
    let pos = upper.rfind(" WHERE ")?;
    Some(sql[pos + 7..].trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_predicates() {
        assert_eq!(
            partial_predicate("CREATE INDEX i ON t(a) WHERE a > 0").as_deref(),
            Some("a > 0")
        );
        assert_eq!(partial_predicate("CREATE INDEX i ON t(a)"), None);
    }
}
