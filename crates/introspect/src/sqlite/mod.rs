//! SQLite: a few queries over `sqlite_master` joined with the `pragma_*` table-valued
//! functions. Virtual tables (FTS and the like) and their shadow tables are counted into
//! [`Schema::left_alone`]; views, triggers and the indexes an entity cannot declare are SQL
//! objects (`objects::sqlite`).

mod table_sql;

use crate::error::{Result, query_failed as q};
use autogen_db::VERSION_TABLES;
use autogen_schema::{
    Column, Dialect, FkAction, ForeignKey, Generated, Index, NameKind, NameProbe, Schema, Table,
    Unique, dialect::sqlite_declared_type,
};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqlitePool};
use std::collections::{BTreeMap, BTreeSet};

/// Ordinary tables only (`pragma_table_list` tells virtual and shadow tables apart).
const TABLES: &str = "
SELECT m.name, m.sql, tl.wr, tl.strict FROM sqlite_master m
JOIN pragma_table_list tl ON tl.schema = 'main' AND tl.name = m.name AND tl.type = 'table'
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
ORDER BY m.name";

/// Views, virtual tables (SQL files' objects) and their shadow tables (their modules'): not
/// tables of entities.
const UNMANAGED: &str = "
SELECT name FROM pragma_table_list WHERE schema = 'main' AND type IN ('view', 'virtual', 'shadow')";

/// What a table rebuild must recreate: its triggers.
const ATTACHED: &str = "
SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND sql IS NOT NULL
ORDER BY 1, 2";

/// `hidden` is 2 for a virtual generated column, 3 for a stored one.
const COLUMNS: &str = "
SELECT m.name, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk, p.hidden
FROM sqlite_master m JOIN pragma_table_xinfo(m.name) p
WHERE m.type = 'table'
ORDER BY m.name, p.cid";

const INDEXES: &str = "
SELECT m.name, il.name, il.\"unique\", il.origin, il.partial,
       CASE WHEN ii.\"desc\" THEN NULL ELSE ii.name END, s.sql
FROM sqlite_master m
JOIN pragma_index_list(m.name) il
JOIN pragma_index_xinfo(il.name) ii ON ii.key = 1
LEFT JOIN sqlite_master s ON s.type = 'index' AND s.name = il.name
WHERE m.type = 'table'
ORDER BY m.name, il.name, ii.seqno";

const FOREIGN_KEYS: &str = "
SELECT m.name, f.id, f.\"table\", f.\"from\", f.\"to\", f.on_update, f.on_delete
FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f
WHERE m.type = 'table'
ORDER BY m.name, f.id, f.seq";

/// Which of `probes` the database holds: an index name among every object of the database
/// (SQLite keeps no constraint names apart).
pub async fn held_names(pool: &SqlitePool, probes: &[NameProbe]) -> Result<Vec<bool>> {
    let names: BTreeSet<&str> = probes.iter().map(|p| p.name.as_str()).collect();
    let mut held: BTreeSet<String> = BTreeSet::new();
    for chunk in names.into_iter().collect::<Vec<_>>().chunks(500) {
        let marks = vec!["?"; chunk.len()].join(", ");
        let sql = format!("SELECT name FROM sqlite_master WHERE name IN ({marks})");
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for name in chunk {
            query = query.bind(*name);
        }
        for r in query.fetch_all(pool).await.map_err(q("names held"))? {
            held.insert(r.get(0));
        }
    }
    Ok(probes
        .iter()
        .map(|p| p.kind != NameKind::Constraint && held.contains(&p.name))
        .collect())
}

pub async fn introspect(pool: &SqlitePool) -> Result<Schema> {
    let fetch = |sql: &'static str, what: &'static str| async move {
        sqlx::query(sql).fetch_all(pool).await.map_err(q(what))
    };
    let mut schema = Schema::default();
    for row in fetch(UNMANAGED, "views").await? {
        schema.unmanaged.insert(row.get(0));
    }
    let written = read_tables(&mut schema, &fetch(TABLES, "tables").await?);
    read_columns(&mut schema, &fetch(COLUMNS, "columns").await?, &written);
    read_indexes(&mut schema, &fetch(INDEXES, "indexes").await?);
    read_foreign_keys(
        &mut schema,
        &fetch(FOREIGN_KEYS, "foreign keys").await?,
        &written,
    );
    read_attached(&mut schema, &fetch(ATTACHED, "triggers").await?);
    let mut conn = pool.acquire().await.map_err(q("views and triggers"))?;
    for o in crate::objects::sqlite::read(&mut conn).await? {
        schema.objects.insert(o.key(), o);
    }
    Ok(schema)
}

/// What only a table's `CREATE TABLE` text says.
#[derive(Default)]
struct Written {
    autoincrement: bool,
    /// Column collations other than `BINARY`, generation expressions.
    columns: Vec<(String, table_sql::ColumnClauses)>,
    /// The foreign keys declared `DEFERRABLE`, by their columns.
    deferrable: Vec<(Vec<String>, autogen_schema::Deferrable)>,
}

/// The tables, and for each what its SQL says of its columns.
fn read_tables(schema: &mut Schema, rows: &[SqliteRow]) -> BTreeMap<String, Written> {
    let mut written = BTreeMap::new();
    for row in rows {
        let name: String = row.get(0);
        if VERSION_TABLES.contains(&name.as_str()) {
            continue;
        }
        let sql: String = row.get::<Option<String>, _>(1).unwrap_or_default();
        let words = sql_words(&sql);
        written.insert(
            name.clone(),
            Written {
                autoincrement: words.iter().any(|w| w == "AUTOINCREMENT"),
                columns: table_sql::column_clauses(&sql),
                deferrable: table_sql::deferrable_keys(&sql),
            },
        );
        let checks = words.iter().filter(|w| *w == "CHECK").count();
        let mut table = Table::new(name.clone());
        // A key's or NOT NULL's conflict resolution (`UNIQUE (a) ON CONFLICT REPLACE`): what an
        // insert that breaks it does. Not modelled: named, and a rebuild would lose it.
        let conflicts = words
            .windows(2)
            .filter(|w| w[0] == "ON" && w[1] == "CONFLICT")
            .count();
        if conflicts > 0 {
            schema.left_alone.add("ON CONFLICT clauses", conflicts);
            table
                .rebuild_would_lose
                .push(format!("{conflicts} ON CONFLICT clause(s)"));
        }
        for (on, option) in [
            (row.get::<i64, _>(2), "WITHOUT ROWID"),
            (row.get(3), "STRICT"),
        ] {
            if on != 0 {
                table.options.push(option.to_string());
            }
        }
        // CHECKs as written (SQLite keeps the text); one this reader cannot find for certain
        // makes a rebuild an error instead.
        match table_sql::checks(&sql) {
            Some(found) if found.len() == checks => table.checks = found,
            _ => {
                schema
                    .left_alone
                    .add("CHECK constraints autogen cannot read", checks);
                table
                    .rebuild_would_lose
                    .push(format!("{checks} CHECK constraint(s)"));
            }
        }
        schema.add_table(table);
    }
    written
}

fn read_columns(schema: &mut Schema, rows: &[SqliteRow], written: &BTreeMap<String, Written>) {
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
        // SQLite keeps a default as it was written (`DEFAULT NULL` too): its spelling is kept.
        let raw: Option<String> = row.get(4);
        let default = raw
            .as_deref()
            .map(|d| Dialect::Sqlite.sql().parse_default(d));
        let clauses = written.get(&table_name).and_then(|w| {
            let found = w
                .columns
                .iter()
                .find(|(c, _)| c.eq_ignore_ascii_case(&name));
            found.map(|(_, clauses)| clauses)
        });
        let collation = clauses.and_then(|c| c.collation.clone());
        let hidden: i64 = row.get(6);
        let generated = match (hidden, clauses.and_then(|c| c.generated.clone())) {
            (2 | 3, Some(expression)) => Some(Generated {
                expression,
                stored: hidden == 3,
            }),
            (2 | 3, None) => {
                // Not found in the text: a rebuild would make it a plain column.
                table
                    .rebuild_would_lose
                    .push(format!("generated column {name}"));
                None
            }
            _ => None,
        };
        table.columns.push(Column {
            nullable: row.get::<i64, _>(3) == 0,
            default_sql: default.as_ref().and(raw),
            default,
            collation,
            generated,
            ..Column::new(name, sqlite_declared_type(&decl))
        });
    }
    for (table_name, mut positions) in pk_positions {
        let Some(table) = schema.tables.get_mut(&table_name) else {
            continue;
        };
        positions.sort();
        table.primary_key = positions.into_iter().map(|(_, n)| n).collect();
        if table.primary_key.len() == 1 && written.get(&table_name).is_some_and(|w| w.autoincrement)
        {
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
        // Expression index keys have no column name, and a descending key is read as one: the
        // index is marked by an empty key and left alone.
        entry
            .4
            .push(row.get::<Option<String>, _>(5).unwrap_or_default());
    }
    for ((table_name, index_name), (unique, origin, partial, sql, columns)) in indexes {
        let Some(table) = schema.tables.get_mut(&table_name) else {
            continue;
        };
        // One an entity cannot declare is a SQL object (`objects::sqlite`), which a rebuild
        // recreates from its own SQL.
        if !crate::objects::sqlite::plain_index(&columns, sql.as_deref()) {
            table.kept.extend(sql);
            continue;
        }
        match origin.as_str() {
            "pk" => {}
            "u" => table.uniques.push(Unique {
                name: None,
                columns,
                ..Default::default()
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
                ..Default::default()
            }),
        }
    }
}

/// Triggers of each table: recreated by a rebuild, as dropping the table drops them.
fn read_attached(schema: &mut Schema, rows: &[SqliteRow]) {
    for row in rows {
        let (table, text): (String, String) = (row.get(0), row.get(1));
        if let Some(table) = schema.tables.get_mut(&table) {
            table.kept.push(text);
        }
    }
}

fn read_foreign_keys(schema: &mut Schema, rows: &[SqliteRow], written: &BTreeMap<String, Written>) {
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
            deferrable: None,
        });
        fk.columns.push(row.get(3));
        fk.ref_columns
            .push(row.get::<Option<String>, _>(4).unwrap_or_default());
    }
    for ((table_name, _), mut fk) in fks {
        fk.deferrable = written.get(&table_name).and_then(|w| {
            let of = |(columns, d): &(Vec<String>, _)| (*columns == fk.columns).then_some(*d);
            w.deferrable.iter().find_map(of)
        });
        if let Some(table) = schema.tables.get_mut(&table_name) {
            table.foreign_keys.push(fk);
        }
    }
}

/// The words of a statement outside quotes and comments, upper-cased.
fn sql_words(sql: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut chars = sql.chars().peekable();
    let flush = |word: &mut String, words: &mut Vec<String>| {
        if !word.is_empty() {
            words.push(std::mem::take(word).to_ascii_uppercase());
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' | '`' | '[' => {
                flush(&mut word, &mut words);
                let close = if c == '[' { ']' } else { c };
                for d in chars.by_ref() {
                    if d == close {
                        break;
                    }
                }
            }
            '-' if chars.peek() == Some(&'-') => {
                flush(&mut word, &mut words);
                for d in chars.by_ref() {
                    if d == '\n' {
                        break;
                    }
                }
            }
            c if c.is_alphanumeric() || c == '_' => word.push(c),
            _ => flush(&mut word, &mut words),
        }
    }
    flush(&mut word, &mut words);
    words
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

    #[test]
    fn words_outside_quotes() {
        let words = sql_words(
            "CREATE TABLE t (\"check\" int CHECK (x > 0), y text DEFAULT 'check') -- CHECK",
        );
        assert_eq!(words.iter().filter(|w| *w == "CHECK").count(), 1);
    }
}
