//! Catalog type names -> the IR, per dialect: what introspection reads, and what
//! normalization runs a model's `Custom("…")` type through, so that a custom spelling of a known
//! type (`Custom("mediumtext")` on MySQL) compares as that type.

use crate::ColumnType;

/// `information_schema`'s `data_type` and `column_type` -> the IR type.
pub fn mysql_type(data_type: &str, column_type: &str) -> ColumnType {
    use ColumnType as T;
    let ct = column_type.to_ascii_lowercase();
    let unsigned = ct.contains("unsigned");
    let args: Vec<u32> = ct
        .split_once('(')
        .and_then(|(_, rest)| rest.split_once(')'))
        .map(|(inside, _)| {
            inside
                .split(',')
                .filter_map(|n| n.trim().parse().ok())
                .collect()
        })
        .unwrap_or_default();
    let first = args.first().copied();
    match data_type.to_ascii_lowercase().as_str() {
        "tinyint" if ct.starts_with("tinyint(1)") && !unsigned => T::Boolean,
        "tinyint" if unsigned => T::TinyUnsigned,
        "tinyint" => T::TinyInteger,
        "smallint" if unsigned => T::SmallUnsigned,
        "smallint" => T::SmallInteger,
        "mediumint" | "int" | "integer" if unsigned => T::Unsigned,
        "mediumint" | "int" | "integer" => T::Integer,
        "bigint" if unsigned => T::BigUnsigned,
        "bigint" => T::BigInteger,
        "float" => T::Float,
        "double" | "real" => T::Double,
        "decimal" | "numeric" => T::Decimal(match args.as_slice() {
            [p, s] => Some((*p, *s)),
            [p] => Some((*p, 0)),
            _ => None,
        }),
        "char" => T::Char(first),
        "varchar" => T::String(first),
        "tinytext" | "text" | "mediumtext" | "longtext" => T::Text,
        "date" => T::Date,
        "time" => T::Time,
        "datetime" => T::DateTime,
        "timestamp" => T::Timestamp,
        "json" => T::Json,
        "binary" => T::Binary(first.unwrap_or(1)),
        "varbinary" => T::VarBinary(first),
        "tinyblob" | "blob" | "mediumblob" | "longblob" => T::Blob,
        "enum" => T::Custom(column_type.to_string()),
        _ => T::Custom(column_type.to_string()),
    }
}

/// Declared type -> column type. SQLite keeps the declared name, and sea-query's SQLite backend
/// (which SeaORM uses) writes a distinct name for each column type; this is its inverse.
pub fn sqlite_type(decl: &str) -> ColumnType {
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
        "varchar" => T::String(first),
        "char" => T::Char(first),
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
    fn types_as_mysql_and_mariadb_report_them() {
        assert_eq!(mysql_type("tinyint", "tinyint(1)"), T::Boolean);
        assert_eq!(mysql_type("tinyint", "tinyint(4)"), T::TinyInteger);
        assert_eq!(mysql_type("int", "int(10) unsigned"), T::Unsigned);
        assert_eq!(mysql_type("bigint", "bigint(20)"), T::BigInteger);
        assert_eq!(
            mysql_type("decimal", "decimal(10,2)"),
            T::Decimal(Some((10, 2)))
        );
        assert_eq!(mysql_type("varchar", "varchar(255)"), T::String(Some(255)));
        assert_eq!(
            mysql_type("enum", "enum('pending','paid')"),
            T::Custom("enum('pending','paid')".into())
        );
    }

    #[test]
    fn sqlite_reads_sea_query_names_and_common_spellings() {
        assert_eq!(sqlite_type("timestamp_text"), T::Timestamp);
        assert_eq!(sqlite_type("real(10, 2)"), T::Decimal(Some((10, 2))));
        assert_eq!(sqlite_type("varchar"), T::String(None));
        assert_eq!(sqlite_type("varchar(64)"), T::String(Some(64)));
        assert_eq!(
            sqlite_type("timestamp_with_timezone_text"),
            T::TimestampWithTimeZone
        );
        assert_eq!(sqlite_type("enum_text"), T::Custom("enum_text".into()));
        assert_eq!(sqlite_type("INTEGER"), T::Integer);
        assert_eq!(sqlite_type("numeric(10,2)"), T::Decimal(Some((10, 2))));
        assert_eq!(sqlite_type("citext"), T::Custom("citext".into()));
    }
}
