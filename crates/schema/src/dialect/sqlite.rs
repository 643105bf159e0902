//! SQLite at the schema layer: `"`-quoted names of any length, transactional DDL, the declared
//! type name kept as written (sea-query writes a distinct one per column type), no comments, no
//! enum types, and an `ALTER TABLE` that rebuilds tables for most changes.

use super::facts::{Capabilities, Dialect, Flavor, SqlDialect, Version};
use crate::ir::{Column, ColumnType, DefaultValue, Schema, Table};
use crate::lexical::{hex, quote_identifier, quote_string};

pub struct Sqlite;

impl SqlDialect for Sqlite {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn name(&self) -> &'static str {
        "sqlite"
    }

    /// `PRAGMA foreign_keys` is ignored inside a transaction; `VACUUM` refuses one.
    fn refuses_transaction(&self, statement: &str) -> bool {
        let words = crate::lexical::upper_words(statement);
        let first = words.first().map(String::as_str);
        (first == Some("PRAGMA") && words.iter().any(|w| w.contains("FOREIGN_KEYS")))
            || first == Some("VACUUM")
    }

    fn quote_ident(&self, name: &str) -> String {
        quote_identifier(name, '"')
    }

    fn string_literal(&self, s: &str) -> String {
        quote_string(s)
    }

    fn bytes_literal(&self, bytes: &[u8]) -> String {
        format!("X'{}'", hex(bytes))
    }

    /// A value's storage class decides, not the declared type: a blob as hexadecimal digits.
    fn value_text(&self, column: &str, _ty: &ColumnType) -> String {
        format!(
            "CASE WHEN typeof({column}) = 'blob' THEN hex({column}) ELSE CAST({column} AS TEXT) END"
        )
    }

    fn max_name_bytes(&self) -> Option<usize> {
        None
    }

    fn transactional_ddl(&self) -> bool {
        true
    }

    fn default_flavor(&self) -> Flavor {
        Flavor::Sqlite
    }

    fn oldest_supported(&self, _flavor: Flavor) -> Version {
        Version::new(3, 35)
    }

    /// `sqlite_` starts the names of SQLite's own tables, which it refuses to create.
    fn name_problem(&self, name: &str, table: bool) -> Option<String> {
        (table && name.to_ascii_lowercase().starts_with("sqlite_"))
            .then(|| "SQLite reserves names that start with sqlite_ for itself".into())
    }

    /// Only PostgreSQL has named enum types; here an enum is a text column.
    fn holds(&self, ty: &ColumnType) -> bool {
        !matches!(ty, ColumnType::Enum(_) | ColumnType::Array(_))
    }

    /// `AUTOINCREMENT` is for `INTEGER PRIMARY KEY` only.
    fn auto_increments(&self, ty: &ColumnType) -> bool {
        matches!(ty, ColumnType::Integer)
    }

    fn normalize_schema(&self, schema: &mut Schema) {
        schema.enums.clear();
    }

    /// sea-query's SQLite backend writes these type names; SQLite keeps the declared name, so a
    /// name written otherwise (`DATETIME`, `NVARCHAR(40)`) stays as written: its affinity is
    /// not sea-query's (`datetime_text` is text, `DATETIME` numeric).
    fn normalize_type(&self, ty: &ColumnType) -> ColumnType {
        use ColumnType as T;
        match ty {
            T::Unsigned | T::BigInteger | T::BigUnsigned => T::Integer,
            T::TinyUnsigned => T::TinyInteger,
            T::SmallUnsigned => T::SmallInteger,
            T::Enum(_) => T::Custom("enum_text".into()),
            T::Custom(decl) => declared_type(decl),
            other => other.clone(),
        }
    }

    /// What a declared type means, however it is spelled.
    fn comparable_type(&self, ty: &ColumnType) -> ColumnType {
        match self.normalize_type(ty) {
            ColumnType::Custom(decl) => match column_type(&decl) {
                ColumnType::Custom(_) => ColumnType::Custom(decl.to_ascii_lowercase()),
                known => self.normalize_type(&known),
            },
            other => other,
        }
    }

    fn nullable_key_columns(&self) -> bool {
        true
    }

    /// Read from the table's statement, where SQLite keeps the clause.
    fn deferrable_foreign_keys(&self) -> bool {
        true
    }

    fn normalize_column(&self, column: &mut Column) {
        column.comment = None;
    }

    fn keeps_default_spelling(&self) -> bool {
        true
    }

    fn normalize_table(&self, table: &mut Table) {
        table.comment = None;
        // SQLite keeps no name for a primary key.
        table.primary_key_name = None;
        // Its collations' names are read in any case; the built-in ones are written upper-case.
        for c in &mut table.columns {
            if let Some(name) = &mut c.collation {
                let upper = name.to_ascii_uppercase();
                if ["BINARY", "NOCASE", "RTRIM"].contains(&upper.as_str()) {
                    *name = upper;
                }
            }
        }
    }

    fn default_collation(&self) -> Option<&'static str> {
        Some("BINARY")
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            alter_columns: false,
            alter_foreign_keys: false,
            alter_uniques: false,
            alter_checks: false,
            alter_primary_key: false,
            drop_constrained_column: false,
            forward_references: true,
            add_column_blocker,
            // The rebuild makes every change of a column.
            alter_generated_blocker: |_, _| None,
            rebuild_tables: true,
        }
    }
}

/// SQLite's `ALTER TABLE ADD COLUMN` rules.
fn add_column_blocker(c: &Column) -> Option<&'static str> {
    if c.generated.as_ref().is_some_and(|g| g.stored) {
        return Some("SQLite cannot add a stored generated column");
    }
    if !c.nullable && c.default.is_none() {
        return Some("SQLite cannot add a NOT NULL column without a default");
    }
    match c.default {
        Some(
            DefaultValue::CurrentTimestamp
            | DefaultValue::CurrentDate
            | DefaultValue::CurrentTime
            | DefaultValue::Expr(_),
        ) => Some("SQLite cannot add a column whose default is an expression"),
        _ => None,
    }
}

/// Declared type -> column type. SQLite keeps the declared name, and sea-query's SQLite backend
/// (which SeaORM uses) writes a distinct name for each column type; this is its inverse.
/// A declared type as read from the catalog: the column type whose name sea-query writes
/// exactly so, or else the name as written.
pub fn declared_type(decl: &str) -> ColumnType {
    let ty = column_type(decl);
    let plain = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase()
    };
    match sea_query_name(&ty) {
        Some(name) if plain(&name) == plain(decl) => ty,
        _ => ColumnType::Custom(decl.to_string()),
    }
}

/// The type name sea-query's SQLite backend writes for `ty`.
fn sea_query_name(ty: &ColumnType) -> Option<String> {
    use ColumnType as T;
    Some(match ty {
        T::Char(Some(n)) => format!("char({n})"),
        T::Char(None) => "char".into(),
        T::String(Some(n)) => format!("varchar({n})"),
        T::String(None) => "varchar".into(),
        T::Text => "text".into(),
        T::TinyInteger | T::TinyUnsigned => "tinyint".into(),
        T::SmallInteger | T::SmallUnsigned => "smallint".into(),
        T::Integer | T::Unsigned | T::BigInteger | T::BigUnsigned => "integer".into(),
        T::Float => "float".into(),
        T::Double => "double".into(),
        T::Decimal(Some((p, s))) => format!("real({p}, {s})"),
        T::Decimal(None) => "real_decimal".into(),
        T::DateTime => "datetime_text".into(),
        T::Timestamp => "timestamp_text".into(),
        T::TimestampWithTimeZone => "timestamp_with_timezone_text".into(),
        T::Time => "time_text".into(),
        T::Date => "date_text".into(),
        T::Binary(n) => format!("blob({n})"),
        T::VarBinary(Some(n)) => format!("varbinary_blob({n})"),
        T::VarBinary(None) => "varbinary_blob".into(),
        T::Blob => "blob".into(),
        T::Boolean => "boolean".into(),
        T::Json => "json_text".into(),
        T::JsonBinary => "jsonb_text".into(),
        T::Uuid => "uuid_text".into(),
        _ => return None,
    })
}

pub fn column_type(decl: &str) -> ColumnType {
    use ColumnType as T;
    let lower = decl.trim().to_ascii_lowercase();
    let (base, args) = match lower.split_once('(') {
        Some((b, rest)) => (
            b.trim().to_string(),
            rest.trim_end_matches(')')
                .split(',')
                .filter_map(|p| p.trim().parse::<u32>().ok())
                .collect::<Vec<_>>(),
        ),
        None => (lower.clone(), Vec::new()),
    };
    let first = args.first().copied();
    match base.as_str() {
        "integer" | "int" | "bigint" => T::Integer,
        "tinyint" => T::TinyInteger,
        "smallint" => T::SmallInteger,
        "float" => T::Float,
        "double" => T::Double,
        "real" if args.len() == 2 => T::Decimal(Some((args[0], args[1]))),
        "real" => T::Float,
        "real_decimal" => T::Decimal(None),
        // The usual spellings of hand-written (or other tools') tables, for the same types.
        "numeric" | "decimal" => T::Decimal(match args.as_slice() {
            [p, s] => Some((*p, *s)),
            [p] => Some((*p, 0)),
            _ => None,
        }),
        "timestamp" => T::Timestamp,
        "datetime" => T::DateTime,
        "date" => T::Date,
        "time" => T::Time,
        "json" => T::Json,
        "uuid" => T::Uuid,
        "bool" => T::Boolean,
        "varchar" | "nvarchar" | "character varying" | "varying character" | "nvarchar2" => {
            T::String(first)
        }
        "char" | "nchar" | "character" | "native character" => T::Char(first),
        "text" => T::Text,
        "boolean" => T::Boolean,
        "datetime_text" => T::DateTime,
        "timestamp_text" => T::Timestamp,
        "timestamp_with_timezone_text" => T::TimestampWithTimeZone,
        "time_text" => T::Time,
        "date_text" => T::Date,
        "blob" if first.is_some() => T::Binary(first.unwrap_or(1)),
        "blob" => T::Blob,
        "varbinary_blob" => T::VarBinary(first),
        "json_text" => T::Json,
        "jsonb_text" => T::JsonBinary,
        "uuid_text" => T::Uuid,
        _ => T::Custom(lower),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ColumnType as T;

    #[test]
    fn sqlite_reads_sea_query_names_and_common_spellings() {
        assert_eq!(column_type("timestamp_text"), T::Timestamp);
        assert_eq!(column_type("real(10, 2)"), T::Decimal(Some((10, 2))));
        assert_eq!(column_type("varchar"), T::String(None));
        assert_eq!(column_type("varchar(64)"), T::String(Some(64)));
        assert_eq!(
            column_type("timestamp_with_timezone_text"),
            T::TimestampWithTimeZone
        );
        assert_eq!(column_type("enum_text"), T::Custom("enum_text".into()));
        assert_eq!(column_type("INTEGER"), T::Integer);
        assert_eq!(column_type("numeric(10,2)"), T::Decimal(Some((10, 2))));
        assert_eq!(column_type("citext"), T::Custom("citext".into()));
    }

    #[test]
    fn types_fold_the_way_sqlite_stores_them() {
        assert_eq!(Sqlite.normalize_type(&T::BigInteger), T::Integer);
        assert_eq!(
            Sqlite.normalize_type(&T::Enum("e".into())),
            T::Custom("enum_text".into())
        );
    }
}
