//! PostgreSQL: five catalog queries for the whole schema (`current_schema()`).

use crate::error::{Result, query_failed as q};
use autogen_db::VERSION_TABLES;
use autogen_schema::{
    Column, ColumnType, DefaultValue, Dialect, EnumType, FkAction, ForeignKey, Index, Schema,
    Table, Unique,
};
use sqlx::postgres::PgRow;
use sqlx::{PgPool, Row};

const TABLES: &str = "
SELECT c.relname::text, obj_description(c.oid, 'pg_class')
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
ORDER BY 1";

const COLUMNS: &str = "
SELECT c.relname::text, a.attname::text, format_type(a.atttypid, a.atttypmod), t.typname::text,
       t.typtype::text, et.typname::text, et.typtype::text, a.attnotnull,
       pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, col_description(c.oid, a.attnum)
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY c.relname, a.attnum";

const CONSTRAINTS: &str = "
SELECT c.relname::text, con.conname::text, con.contype::text,
       ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, o)
             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.o),
       fc.relname::text,
       ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, o)
             JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.o),
       con.confdeltype::text, con.confupdtype::text
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class fc ON fc.oid = con.confrelid
WHERE n.nspname = current_schema() AND con.contype IN ('p', 'u', 'f')
ORDER BY c.relname, con.conname";

/// Expression indexes are left out: SeaORM cannot declare one, and autogen cannot recreate one
/// faithfully, so it neither compares nor drops them (Alembic skips them likewise).
const INDEXES: &str = "
SELECT t.relname::text, i.relname::text, ix.indisunique,
       ARRAY(SELECT a.attname::text
             FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(n, o)
             JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.n
             WHERE k.o <= ix.indnkeyatts ORDER BY k.o),
       pg_get_expr(ix.indpred, ix.indrelid)
FROM pg_index ix
JOIN pg_class i ON i.oid = ix.indexrelid
JOIN pg_class t ON t.oid = ix.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE n.nspname = current_schema() AND NOT ix.indisprimary AND ix.indexprs IS NULL
  AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = ix.indexrelid)
ORDER BY t.relname, i.relname";

const ENUMS: &str = "
SELECT t.typname::text, array_agg(e.enumlabel::text ORDER BY e.enumsortorder)
FROM pg_type t
JOIN pg_enum e ON e.enumtypid = t.oid
JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname = current_schema()
GROUP BY t.typname
ORDER BY 1";

pub async fn introspect(pool: &PgPool) -> Result<Schema> {
    // Five queries, one after another on one connection, each row read into the schema as it
    // arrives (a 10,000-table catalog is tens of megabytes of rows).
    // Running them in parallel saves a little on a thousand tables but costs four more
    // connections on every run, which is the larger cost for the schemas most projects have.
    let mut schema = Schema::default();
    each_row(pool, TABLES, "tables", |r| read_table(&mut schema, r)).await?;
    each_row(pool, COLUMNS, "columns", |r| read_column(&mut schema, r)).await?;
    each_row(pool, CONSTRAINTS, "constraints", |r| {
        read_constraint(&mut schema, r)
    })
    .await?;
    each_row(pool, INDEXES, "indexes", |r| read_index(&mut schema, r)).await?;
    each_row(pool, ENUMS, "enums", |r| read_enum(&mut schema, r)).await?;
    Ok(schema)
}

/// Runs `sql` and hands each row to `read` as it arrives: no query's rows are held at once.
async fn each_row(
    pool: &PgPool,
    sql: &'static str,
    what: &'static str,
    mut read: impl FnMut(PgRow),
) -> Result<()> {
    use futures_util::TryStreamExt;
    let mut rows = sqlx::query(sql).fetch(pool);
    while let Some(row) = rows.try_next().await.map_err(q(what))? {
        read(row);
    }
    Ok(())
}

fn read_table(schema: &mut Schema, row: PgRow) {
    let name: String = row.get(0);
    if VERSION_TABLES.contains(&name.as_str()) {
        return;
    }
    let mut table = Table::new(name);
    table.comment = row.get(1);
    schema.add_table(table);
}

fn read_column(schema: &mut Schema, row: PgRow) {
    let table_name: String = row.get(0);
    let Some(table) = schema.tables.get_mut(&table_name) else {
        return;
    };
    let formatted: String = row.get(2);
    let typname: String = row.get(3);
    let typtype: String = row.get(4);
    let elem: Option<String> = row.get(5);
    let elem_typtype: Option<String> = row.get(6);
    let ty = match elem {
        Some(elem) => ColumnType::Array(Box::new(map_type(
            formatted.trim_end_matches("[]"),
            &elem,
            elem_typtype.as_deref().unwrap_or("b"),
        ))),
        None => map_type(&formatted, &typname, &typtype),
    };
    let default_sql: Option<String> = row.get(8);
    let identity: String = row.get(9);
    let serial = default_sql
        .as_deref()
        .is_some_and(|d| d.starts_with("nextval("));
    let auto_increment = serial || !identity.is_empty();
    let default = match default_sql {
        Some(d) if !serial => match Dialect::Postgres.sql().parse_default(&d) {
            DefaultValue::Null => None,
            other => Some(other),
        },
        _ => None,
    };
    table.columns.push(Column {
        name: row.get(1),
        ty,
        nullable: !row.get::<bool, _>(7),
        default,
        auto_increment,
        on_update: None,
        comment: row.get(10),
        renamed_from: None,
    });
}

fn read_constraint(schema: &mut Schema, row: PgRow) {
    let table_name: String = row.get(0);
    let Some(table) = schema.tables.get_mut(&table_name) else {
        return;
    };
    let name: String = row.get(1);
    let kind: String = row.get(2);
    let columns: Vec<String> = row.get(3);
    match kind.as_str() {
        "p" => table.primary_key = columns,
        "u" => table.uniques.push(Unique {
            name: Some(name),
            columns,
        }),
        "f" => {
            let action = |s: String| FkAction::parse(&s).unwrap_or_default();
            table.foreign_keys.push(ForeignKey {
                name: Some(name),
                columns,
                ref_table: row.get::<Option<String>, _>(4).unwrap_or_default(),
                ref_columns: row.get(5),
                on_delete: action(row.get(6)),
                on_update: action(row.get(7)),
            });
        }
        _ => {}
    }
}

fn read_index(schema: &mut Schema, row: PgRow) {
    let table_name: String = row.get(0);
    let Some(table) = schema.tables.get_mut(&table_name) else {
        return;
    };
    table.indexes.push(Index {
        name: row.get(1),
        unique: row.get(2),
        columns: row.get(3),
        predicate: row.get(4),
    });
}

fn read_enum(schema: &mut Schema, row: PgRow) {
    let name: String = row.get(0);
    schema.enums.insert(
        name.clone(),
        EnumType {
            name,
            values: row.get(1),
        },
    );
}

/// `formatted` is `format_type()`'s text (`character varying(20)`, `numeric(10,2)`).
fn map_type(formatted: &str, typname: &str, typtype: &str) -> ColumnType {
    use ColumnType as T;
    if typtype == "e" {
        return T::Enum(typname.to_string());
    }
    let args = || -> Vec<u32> {
        formatted
            .split_once('(')
            .and_then(|(_, rest)| rest.split_once(')'))
            .map(|(inside, _)| {
                inside
                    .split(',')
                    .filter_map(|p| p.trim().parse().ok())
                    .collect()
            })
            .unwrap_or_default()
    };
    match typname {
        "int2" => T::SmallInteger,
        "int4" => T::Integer,
        "int8" => T::BigInteger,
        "float4" => T::Float,
        "float8" => T::Double,
        "numeric" => match args()[..] {
            [p, s] => T::Decimal(Some((p, s))),
            [p] => T::Decimal(Some((p, 0))),
            _ => T::Decimal(None),
        },
        "varchar" => T::String(args().first().copied()),
        "bpchar" => T::Char(args().first().copied()),
        "text" => T::Text,
        "bool" => T::Boolean,
        "date" => T::Date,
        "time" => T::Time,
        "timestamp" => T::Timestamp,
        "timestamptz" => T::TimestampWithTimeZone,
        "uuid" => T::Uuid,
        "json" => T::Json,
        "jsonb" => T::JsonBinary,
        "bytea" => T::Blob,
        _ => T::Custom(formatted.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_formatted_types() {
        assert_eq!(
            map_type("numeric(10,2)", "numeric", "b"),
            ColumnType::Decimal(Some((10, 2)))
        );
        assert_eq!(
            map_type("character varying(20)", "varchar", "b"),
            ColumnType::String(Some(20))
        );
        assert_eq!(
            map_type("character varying", "varchar", "b"),
            ColumnType::String(None)
        );
        assert_eq!(
            map_type("fee_status", "fee_status", "e"),
            ColumnType::Enum("fee_status".into())
        );
        assert_eq!(
            map_type("citext", "citext", "b"),
            ColumnType::Custom("citext".into())
        );
    }
}
