//! MySQL and MariaDB: five `information_schema` queries for the whole database (`DATABASE()`).
//!
//! What MySQL reports in its own way is mapped back here or in `Schema::normalized`: `tinyint(1)`
//! is a bool, a UNIQUE constraint is a unique index, every foreign key brings an index of its
//! name, MariaDB's `json` is `longtext` with a `json_valid` CHECK, and a display width other
//! than the server's own (`int(11) unsigned`) is kept as spelled but compares as its type.

use crate::error::{Result, query_failed as q};
use crate::mysql_show_create::{KeyMethods, read_index_methods, show_create};
use autogen_db::VERSION_TABLES;
use autogen_schema::dialect::{
    mysql_column_type, mysql_read_string_literal as read_string_literal,
};
use autogen_schema::{
    Check, Column, ColumnType, DefaultValue, Dialect, FkAction, Flavor, ForeignKey, Generated,
    Index, NameKind, NameProbe, Profile, Schema, Table, Unique,
};
use sqlx::mysql::MySqlRow;
use sqlx::{MySqlPool, Row};
use std::collections::{BTreeMap, BTreeSet};

const TABLES: &str = "
SELECT CAST(table_name AS CHAR), CAST(table_comment AS CHAR), CAST(table_collation AS CHAR),
       CAST(NULLIF(engine, @@default_storage_engine) AS CHAR), CAST(create_options AS CHAR),
       CAST(table_type AS CHAR)
FROM information_schema.tables
WHERE table_schema = DATABASE() AND table_type IN ('BASE TABLE', 'SYSTEM VERSIONED')
ORDER BY table_name";

const COLUMNS: &str = "
SELECT CAST(table_name AS CHAR), CAST(column_name AS CHAR), CAST(data_type AS CHAR),
       CAST(column_type AS CHAR), CAST(is_nullable AS CHAR), CAST(column_default AS CHAR),
       CAST(extra AS CHAR), CAST(column_comment AS CHAR), CAST(collation_name AS CHAR),
       CAST(generation_expression AS CHAR)
FROM information_schema.columns
WHERE table_schema = DATABASE()
ORDER BY table_name, ordinal_position";

const INDEXES: &str = "
SELECT CAST(table_name AS CHAR), CAST(index_name AS CHAR), CAST(non_unique AS SIGNED),
       CAST(column_name AS CHAR), CAST(sub_part AS SIGNED), CAST(index_type AS CHAR),
       CAST(collation AS CHAR), CAST(seq_in_index AS SIGNED)
FROM information_schema.statistics
WHERE table_schema = DATABASE()";

const FOREIGN_KEYS: &str = "
SELECT CAST(k.table_name AS CHAR), CAST(k.constraint_name AS CHAR), CAST(k.column_name AS CHAR),
       CAST(k.referenced_table_name AS CHAR), CAST(k.referenced_column_name AS CHAR),
       CAST(r.delete_rule AS CHAR), CAST(r.update_rule AS CHAR)
FROM information_schema.key_column_usage k
JOIN information_schema.referential_constraints r
  ON r.constraint_schema = k.constraint_schema AND r.constraint_name = k.constraint_name
 AND r.table_name = k.table_name
WHERE k.table_schema = DATABASE() AND k.referenced_table_name IS NOT NULL
ORDER BY k.table_name, k.constraint_name, k.ordinal_position";

/// The database's default collation: a table of another says so.
const DATABASE_COLLATION: &str = "
SELECT CAST(default_collation_name AS CHAR) FROM information_schema.schemata
WHERE schema_name = DATABASE()";

/// Views (and other relations that are not base tables): left alone.
const UNMANAGED: &str = "
SELECT CAST(table_name AS CHAR) FROM information_schema.tables
WHERE table_schema = DATABASE() AND table_type NOT IN ('BASE TABLE', 'SYSTEM VERSIONED')";

/// MariaDB spells `json` as `longtext` plus `CHECK (json_valid(col))`, named after the column
/// (a CHECK of that definition by another name is the user's).
const JSON_CHECKS: &str = "
SELECT CAST(table_name AS CHAR), CAST(constraint_name AS CHAR)
FROM information_schema.check_constraints
WHERE constraint_schema = DATABASE()
  AND check_clause = CONCAT('json_valid(`', REPLACE(constraint_name, '`', '``'), '`)')";

/// CHECK constraints: MySQL names them per database, MariaDB per table (and reports the table,
/// and from 10.5.10 whether the CHECK is of a column's definition, named after it).
const CHECKS_MYSQL: &str = "
SELECT CAST(tc.table_name AS CHAR), CAST(cc.constraint_name AS CHAR), CAST(cc.check_clause AS CHAR),
       CAST(NULL AS CHAR)
FROM information_schema.table_constraints tc
JOIN information_schema.check_constraints cc
  ON cc.constraint_schema = tc.constraint_schema AND cc.constraint_name = tc.constraint_name
WHERE tc.constraint_schema = DATABASE() AND tc.constraint_type = 'CHECK'
ORDER BY 1, 2";

const CHECKS_MARIADB: &str = "
SELECT CAST(table_name AS CHAR), CAST(constraint_name AS CHAR), CAST(check_clause AS CHAR),
       CAST(CASE WHEN level = 'Column' THEN constraint_name END AS CHAR)
FROM information_schema.check_constraints
WHERE constraint_schema = DATABASE()
ORDER BY 1, 2";

const CHECKS_MARIADB_10_5: &str = "
SELECT CAST(table_name AS CHAR), CAST(constraint_name AS CHAR), CAST(check_clause AS CHAR),
       CAST(NULL AS CHAR)
FROM information_schema.check_constraints
WHERE constraint_schema = DATABASE()
ORDER BY 1, 2";

/// Which of `probes` the database holds: an index name among the table's indexes, a constraint
/// name among the database's (foreign keys and CHECKs are named per database).
pub async fn held_names(pool: &MySqlPool, probes: &[NameProbe]) -> Result<Vec<bool>> {
    let names: BTreeSet<&str> = probes.iter().map(|p| p.name.as_str()).collect();
    let mut indexes: BTreeSet<(String, String)> = BTreeSet::new();
    let mut constraints: BTreeSet<String> = BTreeSet::new();
    for chunk in names.into_iter().collect::<Vec<_>>().chunks(500) {
        let marks = vec!["?"; chunk.len()].join(", ");
        let sql = format!(
            "SELECT CAST(table_name AS CHAR), CAST(index_name AS CHAR) FROM information_schema.statistics \
             WHERE table_schema = DATABASE() AND index_name IN ({marks}) \
             UNION ALL SELECT '', CAST(constraint_name AS CHAR) FROM information_schema.table_constraints \
             WHERE constraint_schema = DATABASE() AND constraint_type IN ('FOREIGN KEY', 'CHECK') \
             AND constraint_name IN ({marks})"
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for name in chunk.iter().chain(chunk.iter()) {
            query = query.bind(*name);
        }
        for r in query.fetch_all(pool).await.map_err(q("names held"))? {
            let (table, name): (String, String) = (r.get(0), r.get(1));
            if table.is_empty() {
                constraints.insert(name);
            } else {
                indexes.insert((table, name));
            }
        }
    }
    Ok(probes
        .iter()
        .map(|p| {
            let index = indexes.contains(&(p.table.clone(), p.name.clone()));
            match p.kind {
                NameKind::Index | NameKind::Unique => index,
                NameKind::Constraint => constraints.contains(&p.name),
            }
        })
        .collect())
}

pub async fn introspect(pool: &MySqlPool, profile: Profile) -> Result<Schema> {
    let fetch = |sql: &'static str, what: &'static str| async move {
        sqlx::query(sql).fetch_all(pool).await.map_err(q(what))
    };
    let mariadb = profile.flavor == Flavor::MariaDb;
    let json_columns: BTreeSet<(String, String)> = if mariadb {
        fetch(JSON_CHECKS, "check constraints")
            .await?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect()
    } else {
        BTreeSet::new()
    };

    // Each query's rows are read into the schema and dropped before the next runs.
    let mut schema = Schema::default();
    for r in fetch(UNMANAGED, "views").await? {
        schema.unmanaged.insert(r.get(0));
    }
    let database_collation: Option<String> = fetch(DATABASE_COLLATION, "the database's collation")
        .await?
        .first()
        .and_then(|r| r.get(0));
    let (collations, partitioned) = read_tables(
        &mut schema,
        &fetch(TABLES, "tables").await?,
        database_collation.as_deref(),
    );
    read_show_create_options(pool, &mut schema, partitioned).await?;
    let columns = fetch(COLUMNS, "columns").await?;
    read_columns(&mut schema, &columns, &json_columns, &collations, mariadb);
    drop(columns);
    // Foreign keys first: the index MySQL makes for each one is not the user's.
    read_foreign_keys(&mut schema, &fetch(FOREIGN_KEYS, "foreign keys").await?);
    let methods = read_index_methods(pool, &mut schema).await?;
    read_indexes(&mut schema, &fetch(INDEXES, "indexes").await?, &methods);
    // An index the optimizer is told not to use: MariaDB's IGNORED (10.6+), MySQL's INVISIBLE
    // (8.0+). Older servers have neither.
    let hidden = if mariadb {
        profile
            .at_least(10, 6)
            .then_some(("ignored = 'YES'", "ignored indexes"))
    } else {
        profile
            .at_least(8, 0)
            .then_some(("is_visible = 'NO'", "invisible indexes"))
    };
    if let Some((condition, kind)) = hidden {
        let sql = format!(
            "SELECT count(DISTINCT table_name, index_name) FROM information_schema.statistics
             WHERE table_schema = DATABASE() AND {condition}"
        );
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .fetch_one(pool)
            .await
            .map_err(q("indexes the optimizer ignores"))?;
        schema.left_alone.add(kind, usize::try_from(n).unwrap_or(0));
    }
    let commented: i64 = sqlx::query_scalar(
        "SELECT count(DISTINCT table_name, index_name) FROM information_schema.statistics
         WHERE table_schema = DATABASE() AND index_comment <> ''",
    )
    .fetch_one(pool)
    .await
    .map_err(q("index comments"))?;
    schema
        .left_alone
        .add("index comments", usize::try_from(commented).unwrap_or(0));
    let checks = match (mariadb, profile.at_least(10, 6)) {
        (true, true) => CHECKS_MARIADB,
        (true, false) => CHECKS_MARIADB_10_5,
        (false, _) => CHECKS_MYSQL,
    };
    for r in fetch(checks, "check constraints").await? {
        let (table, name, clause): (String, String, String) = (r.get(0), r.get(1), r.get(2));
        // MariaDB's spelling of `json`, not the user's.
        if json_columns.contains(&(table.clone(), name.clone())) {
            continue;
        }
        if mariadb && is_period(pool, &table, &name, &clause).await? {
            schema.left_alone.add("application-time periods", 1);
            continue;
        }
        if let Some(t) = schema.tables.get_mut(&table) {
            t.checks.push(Check {
                column: r.get(3),
                ..check_of(name, &clause)
            });
        }
    }
    let mut conn = pool
        .acquire()
        .await
        .map_err(q("views, routines and triggers"))?;
    let database: String = sqlx::query_scalar("SELECT DATABASE()")
        .fetch_one(&mut *conn)
        .await
        .map_err(q("the database's name"))?;
    let objects =
        crate::objects::mysql::read(&mut conn, &database, mariadb, true, &mut schema.left_alone)
            .await?;
    for o in objects {
        schema.objects.insert(o.key(), o);
    }
    Ok(schema)
}

/// A partitioned table's `PARTITION BY …` is read from `SHOW CREATE TABLE`, and whether an
/// Aria table was made `TRANSACTIONAL=1`.
async fn read_show_create_options(
    pool: &MySqlPool,
    schema: &mut Schema,
    partitioned: Vec<String>,
) -> Result<()> {
    for name in partitioned {
        let text = show_create(pool, &name, "partitioned tables").await?;
        let Some(t) = schema.tables.get_mut(&name) else {
            continue;
        };
        let options_line = text
            .lines()
            .find(|l| l.starts_with(") "))
            .unwrap_or_default();
        if options_line
            .split_whitespace()
            .any(|w| w == "TRANSACTIONAL=1")
        {
            t.options.push("TRANSACTIONAL=1".into());
        }
        t.options.extend(partition_clause(&text));
    }
    Ok(())
}

/// Whether MariaDB's CHECK `name` (`` `s` < `e` ``) is the one an application-time period
/// makes (`PERIOD FOR name (s, e)`), which `information_schema` lists as a table's CHECK: only
/// `SHOW CREATE TABLE` tells, asked only of a CHECK of that shape.
async fn is_period(pool: &MySqlPool, table: &str, name: &str, clause: &str) -> Result<bool> {
    let shaped = clause.matches('`').count() == 4
        && clause.starts_with('`')
        && clause.ends_with('`')
        && clause.contains("` < `");
    if !shaped {
        return Ok(false);
    }
    let text = show_create(pool, table, "application-time periods").await?;
    let period = format!(
        "PERIOD FOR {} (",
        autogen_schema::lexical::quote_identifier(name, '`')
    );
    Ok(text.contains(&period))
}

/// A CHECK as `SHOW CREATE TABLE` writes it, from the catalog's clause.
fn check_of(name: String, clause: &str) -> Check {
    Check {
        name: Some(name),
        definition: format!("CHECK ({clause})"),
        ..Check::default()
    }
}

/// MariaDB's system-versioned table, a table option of autogen's.
const SYSTEM_VERSIONING: &str = "WITH SYSTEM VERSIONING";

/// The `PARTITION BY …` that ends a `SHOW CREATE TABLE` (MySQL wraps it in a versioned comment,
/// `/*!50100 PARTITION BY … */`), as one table option.
/// It is looked for where the server puts it, at the start of a line after the table's options,
/// so that a comment or default spelling `PARTITION BY` is not taken for it.
fn partition_clause(create: &str) -> Option<String> {
    if let Some(at) = create.rfind("\n/*!50100 PARTITION BY ") {
        let clause = create[at + "\n/*!50100 ".len()..].trim_end();
        return Some(
            clause
                .strip_suffix("*/")
                .unwrap_or(clause)
                .trim_end()
                .to_string(),
        );
    }
    let at = create.rfind("\n PARTITION BY ")?;
    Some(create[at..].trim().to_string())
}

/// A table's options as `SHOW CREATE TABLE` writes them: its engine where not the server's
/// default, then its `CREATE TABLE` options (`row_format=COMPRESSED` as `ROW_FORMAT=COMPRESSED`;
/// `partitioned` says only that it is; MariaDB reports Aria's defaults, `transactional=1` and
/// `page_checksum=1`, of tables never given them).
fn table_options(engine: Option<String>, create_options: Option<String>) -> Vec<String> {
    let mut out: Vec<String> = engine.map(|e| format!("ENGINE={e}")).into_iter().collect();
    for option in create_options.iter().flat_map(|o| o.split_whitespace()) {
        if let Some((key, value)) = option.split_once('=')
            && !(["transactional", "page_checksum"].contains(&key) && value == "1")
        {
            out.push(format!("{}={value}", key.to_ascii_uppercase()));
        }
    }
    out
}

/// The tables, each with its collation where not the database's; returns every table's
/// collation (what its columns' are compared with) and the partitioned tables' names.
fn read_tables(
    schema: &mut Schema,
    rows: &[MySqlRow],
    database_collation: Option<&str>,
) -> (BTreeMap<String, String>, Vec<String>) {
    let mut collations = BTreeMap::new();
    let mut partitioned = Vec::new();
    for r in rows {
        let name: String = r.get(0);
        if VERSION_TABLES.contains(&name.as_str()) {
            continue;
        }
        let comment: Option<String> = r.get(1);
        let collation: Option<String> = r.get(2);
        let mut t = Table::new(name.clone());
        t.comment = comment.filter(|c| !c.is_empty());
        t.collation = collation
            .clone()
            .filter(|c| Some(c.as_str()) != database_collation);
        if let Some(c) = collation {
            collations.insert(name, c);
        }
        let create_options: Option<String> = r.get(4);
        // Partitioned, or Aria's `transactional=1`, which MariaDB reports whether or not the
        // table was made with it: `SHOW CREATE TABLE` says which.
        if create_options.as_deref().is_some_and(|o| {
            o.split_whitespace()
                .any(|w| w == "partitioned" || w == "transactional=1")
        }) {
            partitioned.push(t.name.clone());
        }
        t.options = table_options(r.get(3), create_options);
        if r.get::<Option<String>, _>(5).as_deref() == Some("SYSTEM VERSIONED") {
            t.options.push(SYSTEM_VERSIONING.into());
        }
        schema.add_table(t);
    }
    (collations, partitioned)
}

fn read_columns(
    schema: &mut Schema,
    rows: &[MySqlRow],
    json_columns: &BTreeSet<(String, String)>,
    table_collations: &BTreeMap<String, String>,
    mariadb: bool,
) {
    for r in rows {
        let table: String = r.get(0);
        let Some(t) = schema.tables.get_mut(&table) else {
            continue;
        };
        let name: String = r.get(1);
        let data_type: String = r.get(2);
        let column_type: String = r.get(3);
        let nullable: String = r.get(4);
        let default: Option<String> = r.get(5);
        let extra: String = r.get::<Option<String>, _>(6).unwrap_or_default();
        let comment: Option<String> = r.get(7);
        // `VIRTUAL GENERATED`, `STORED GENERATED` (not `DEFAULT_GENERATED`: an expression
        // default). The expression as `SHOW CREATE TABLE` prints it too.
        let upper = extra.to_ascii_uppercase();
        // Column attributes autogen does not model: the column is built without them.
        if upper.split_whitespace().any(|w| w == "INVISIBLE") {
            schema.left_alone.add("invisible columns", 1);
        }
        if column_type.contains("COMPRESSED") {
            schema.left_alone.add("compressed columns", 1);
        }
        let generated = match r.get::<Option<String>, _>(9) {
            Some(expression) if upper.ends_with(" GENERATED") => Some(Generated {
                expression,
                stored: upper.starts_with("STORED"),
            }),
            _ => None,
        };
        let json = json_columns.contains(&(table.clone(), name.clone()));
        let ty = if json {
            ColumnType::Json
        } else {
            mysql_column_type(&data_type, &column_type)
        };
        let mut c = Column::new(name, ty);
        c.nullable = nullable == "YES";
        c.auto_increment = extra.to_ascii_lowercase().contains("auto_increment");
        if extra
            .to_ascii_lowercase()
            .contains("on update current_timestamp")
        {
            c.on_update = Some(DefaultValue::CurrentTimestamp);
        }
        c.default = default
            .filter(|_| generated.is_none())
            .and_then(|d| default_from(&d, &extra, mariadb, &c.ty));
        c.generated = generated;
        c.comment = comment.filter(|c| !c.is_empty());
        // Its collation where not its table's (MariaDB's `json` is `utf8mb4_bin` text by
        // definition, not by choice).
        let collation: Option<String> = r.get(8);
        c.collation = collation.filter(|coll| !json && table_collations.get(&t.name) != Some(coll));
        t.columns.push(c);
    }
}

fn read_foreign_keys(schema: &mut Schema, rows: &[MySqlRow]) {
    let mut fks: BTreeMap<(String, String), ForeignKey> = BTreeMap::new();
    for r in rows {
        let table: String = r.get(0);
        let name: String = r.get(1);
        let fk = fks
            .entry((table, name.clone()))
            .or_insert_with(|| ForeignKey {
                name: Some(name),
                columns: Vec::new(),
                ref_table: r.get(3),
                ref_columns: Vec::new(),
                on_delete: FkAction::parse(&r.get::<String, _>(5)).unwrap_or_default(),
                on_update: FkAction::parse(&r.get::<String, _>(6)).unwrap_or_default(),
                deferrable: None,
            });
        fk.columns.push(r.get(2));
        fk.ref_columns.push(r.get(4));
    }
    for ((table, _), fk) in fks {
        if let Some(t) = schema.tables.get_mut(&table) {
            t.foreign_keys.push(fk);
        }
    }
}

/// Index rows, one per column; gathered per (table, index).
/// The indexes in the order the server keeps them (the rows' own order, unsorted: `SHOW CREATE
/// TABLE` prints keys in it, so a new environment makes them in it too).
/// `methods`: the keys made with an explicit method (`USING BTREE`), which `SHOW CREATE TABLE`
/// alone tells.
fn read_indexes(schema: &mut Schema, rows: &[MySqlRow], methods: &KeyMethods) {
    /// Unique, columns, prefix lengths, left alone, method, a file's (a descending key).
    type Grouped = (bool, Vec<String>, Vec<u32>, bool, Option<String>, bool);
    let mut rows: Vec<&MySqlRow> = rows.iter().collect();
    // Stable: each index's columns by position, the indexes as they came.
    rows.sort_by_key(|r| r.get::<i64, _>(7));
    let mut first: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (i, r) in rows.iter().enumerate() {
        first.entry((r.get(0), r.get(1))).or_insert(i);
    }
    rows.sort_by_key(|r| first.get(&(r.get(0), r.get(1))).copied());
    let mut order: Vec<(String, String)> = Vec::new();
    let mut grouped: BTreeMap<(String, String), Grouped> = BTreeMap::new();
    for r in rows {
        let table: String = r.get(0);
        let name: String = r.get(1);
        let non_unique: i64 = r.get(2);
        let column: Option<String> = r.get(3);
        let sub_part: Option<i64> = r.get(4);
        let kind: String = r.get::<Option<String>, _>(5).unwrap_or_default();
        let using = matches!(kind.as_str(), "FULLTEXT" | "SPATIAL")
            .then(|| kind.to_lowercase())
            .or_else(|| {
                let method = methods.get(&(table.clone(), name.clone()));
                method.map(|m| m.to_string())
            });
        if !grouped.contains_key(&(table.clone(), name.clone())) {
            order.push((table.clone(), name.clone()));
        }
        let entry = grouped.entry((table, name)).or_insert((
            non_unique == 0,
            Vec::new(),
            Vec::new(),
            false,
            using,
            false,
        ));
        let descending = r.get::<Option<String>, _>(6).as_deref() == Some("D");
        match column {
            // A column, whole or its first `sub_part` characters (`col(191)`).
            Some(c) if !descending => {
                entry.1.push(c);
                entry
                    .2
                    .push(sub_part.and_then(|n| u32::try_from(n).ok()).unwrap_or(0));
            }
            // A descending key: the index is a SQL file's (`objects::mysql`), unless an
            // expression makes it one autogen cannot recreate yet.
            Some(_) => entry.5 = true,
            None => entry.3 = true,
        }
    }
    for key in order {
        let Some((unique, columns, lengths, skipped, using, descending)) = grouped.remove(&key)
        else {
            continue;
        };
        let (table, name) = key;
        let Some(t) = schema.tables.get_mut(&table) else {
            continue;
        };
        if name == "PRIMARY" {
            t.primary_key = columns;
            continue;
        }
        let backs_fk = t
            .foreign_keys
            .iter()
            .any(|fk| fk.name.as_deref() == Some(name.as_str()));
        if skipped {
            schema.left_alone.add("indexes autogen cannot recreate", 1);
            continue;
        }
        if descending {
            continue;
        }
        // A foreign key's own index, unless made with a method of its own.
        if backs_fk && !unique && using.is_none() {
            continue;
        }
        // A FULLTEXT key's "prefix" is not one; a key of whole columns has none.
        let text_or_space = matches!(using.as_deref(), Some("fulltext" | "spatial"));
        let lengths = if !text_or_space && lengths.iter().any(|n| *n > 0) {
            lengths
        } else {
            Vec::new()
        };
        if unique && using.is_none() && lengths.is_empty() {
            t.uniques.push(Unique {
                name: Some(name),
                columns,
                ..Default::default()
            });
        } else {
            t.indexes.push(Index {
                name,
                columns,
                unique,
                predicate: None,
                using,
                lengths,
                ..Default::default()
            });
        }
    }
}

/// A column default as MySQL (literal text, `DEFAULT_GENERATED` expressions) or MariaDB (SQL
/// expressions: `'text'`, `NULL`, `current_timestamp()`) reports it.
fn default_from(raw: &str, extra: &str, mariadb: bool, ty: &ColumnType) -> Option<DefaultValue> {
    let expression = mariadb || extra.to_ascii_uppercase().contains("DEFAULT_GENERATED");
    let value = if expression && let Some(text) = read_string_literal(raw) {
        DefaultValue::String(text)
    } else if expression {
        Dialect::MySql.sql().parse_default(raw)
    } else if ty.is_numeric() || *ty == ColumnType::Boolean {
        DefaultValue::Number(autogen_schema::canonical_number(raw))
    } else {
        DefaultValue::String(raw.to_string())
    };
    // A fixed-length binary column's default is padded with NUL bytes to its length (`DEFAULT
    // ''` on `binary(32)` reads back as 32 of them); the padding is the server's, not the
    // default's, and `DEFAULT ''` makes it again.
    let value = match (value, ty) {
        (DefaultValue::String(s), ColumnType::Binary(_)) => {
            DefaultValue::String(s.trim_end_matches('\0').to_string())
        }
        (value, _) => value,
    };
    (value != DefaultValue::Null).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partition_clause_of_either_server() {
        let mariadb = "CREATE TABLE `p` (\n  `d` date NOT NULL COMMENT 'PARTITION BY day'\n) \
                       ENGINE=InnoDB\n PARTITION BY RANGE (year(`d`))\n(PARTITION `p0` VALUES \
                       LESS THAN (2020) ENGINE = InnoDB)";
        assert_eq!(
            partition_clause(mariadb).as_deref(),
            Some(
                "PARTITION BY RANGE (year(`d`))\n(PARTITION `p0` VALUES LESS THAN (2020) ENGINE \
                 = InnoDB)"
            )
        );
        let mysql = "CREATE TABLE `p` (\n  `id` int\n) ENGINE=InnoDB\n/*!50100 PARTITION BY \
                     HASH (`id`)\nPARTITIONS 4 */";
        assert_eq!(
            partition_clause(mysql).as_deref(),
            Some("PARTITION BY HASH (`id`)\nPARTITIONS 4")
        );
        assert_eq!(
            partition_clause("CREATE TABLE `t` (`a` int) COMMENT='PARTITION BY x'"),
            None
        );
    }

    #[test]
    fn defaults_from_either_server() {
        let int = ColumnType::Integer;
        let text = ColumnType::String(Some(10));
        assert_eq!(default_from("NULL", "", true, &text), None);
        assert_eq!(
            default_from("'pending'", "", true, &text),
            Some(DefaultValue::String("pending".into()))
        );
        assert_eq!(
            default_from("pending", "", false, &text),
            Some(DefaultValue::String("pending".into()))
        );
        assert_eq!(
            default_from("0.50", "", false, &ColumnType::Decimal(Some((4, 2)))),
            Some(DefaultValue::Number("0.5".into()))
        );
        assert_eq!(
            default_from("current_timestamp()", "", true, &ColumnType::Timestamp),
            Some(DefaultValue::CurrentTimestamp)
        );
        assert_eq!(
            default_from(
                "CURRENT_TIMESTAMP",
                "DEFAULT_GENERATED",
                false,
                &ColumnType::Timestamp
            ),
            Some(DefaultValue::CurrentTimestamp)
        );
        // MariaDB's binary(3) DEFAULT '', and MySQL's report of the same.
        for (raw, mariadb) in [("'\\0\\0\\0'", true), ("\0\0\0", false)] {
            assert_eq!(
                default_from(raw, "", mariadb, &ColumnType::Binary(3)),
                Some(DefaultValue::String(String::new()))
            );
        }
        assert_eq!(
            default_from("'ab\\0'", "", true, &ColumnType::Binary(3)),
            Some(DefaultValue::String("ab".into()))
        );
        assert_eq!(
            default_from("1", "", true, &int),
            Some(DefaultValue::Number("1".into()))
        );
    }
}
