//! Column types as entity fields: the Rust type a SeaORM user would write, and the
//! `column_type` attribute wherever the type SeaORM (and autogen) would derive from that Rust
//! type is not the database's, as the dialect compares them.

use crate::names::camel;
use autogen_schema::{ColumnType, Dialect, Domain, Schema};

/// A field's type: the Rust type (without `Option`) and, where needed, the `column_type`
/// attribute's expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FieldType {
    pub rust: String,
    pub column_type: Option<String>,
    /// The Rust type implements `Eq` (a float does not).
    pub eq: bool,
    /// PostgreSQL types sqlx has no Rust type for are read as text and written with a cast.
    pub cast: Option<String>,
}

/// The type SeaORM (and autogen's reader) derives from a Rust type, as in
/// `autogen_model`'s `rust_type_to_column`.
fn derived(rust: &str) -> Option<ColumnType> {
    use ColumnType as T;
    if let Some(inner) = rust.strip_prefix("Vec<").and_then(|r| r.strip_suffix('>')) {
        if inner == "u8" {
            return Some(T::VarBinary(None));
        }
        return derived(inner).map(|t| T::Array(Box::new(t)));
    }
    Some(match rust {
        "bool" => T::Boolean,
        "i8" => T::TinyInteger,
        "i16" => T::SmallInteger,
        "i32" => T::Integer,
        "i64" => T::BigInteger,
        "u8" => T::TinyUnsigned,
        "u16" => T::SmallUnsigned,
        "u32" => T::Unsigned,
        "u64" => T::BigUnsigned,
        "f32" => T::Float,
        "f64" => T::Double,
        "String" => T::String(None),
        "Decimal" => T::Decimal(None),
        "Date" => T::Date,
        "Time" => T::Time,
        "DateTime" => T::DateTime,
        "DateTimeWithTimeZone" => T::TimestampWithTimeZone,
        "Uuid" => T::Uuid,
        "Json" => T::Json,
        _ => return None,
    })
}

/// The Rust type a SeaORM user writes for `ty`.
/// `enums` names each database enum's Rust type (names equal but for case get distinct ones).
fn rust_type(ty: &ColumnType, schema: &Schema, dialect: Dialect, enums: &EnumNames) -> String {
    use ColumnType as T;
    match ty {
        T::TinyInteger => "i8".into(),
        T::SmallInteger => "i16".into(),
        T::Integer => "i32".into(),
        T::BigInteger => "i64".into(),
        T::TinyUnsigned => "u8".into(),
        T::SmallUnsigned => "u16".into(),
        T::Unsigned => "u32".into(),
        T::BigUnsigned => "u64".into(),
        T::Float => "f32".into(),
        T::Double => "f64".into(),
        T::Decimal(_) => "Decimal".into(),
        T::Char(_) | T::String(_) | T::Text => "String".into(),
        T::Boolean => "bool".into(),
        T::Date => "Date".into(),
        T::Time => "Time".into(),
        T::DateTime | T::Timestamp => "DateTime".into(),
        T::TimestampWithTimeZone => "DateTimeWithTimeZone".into(),
        T::Uuid => "Uuid".into(),
        T::Json | T::JsonBinary => "Json".into(),
        T::Binary(_) | T::VarBinary(_) | T::Blob => "Vec<u8>".into(),
        T::Enum(name) => enums
            .get(name.as_str())
            .map_or_else(|| camel(name), |r| r.to_string()),
        T::Array(inner) => format!("Vec<{}>", rust_type(inner, schema, dialect, enums)),
        T::Custom(name) => match domain(schema, name) {
            Some(d) => base_rust_type(&d.base).to_string(),
            // A spelling of a type the dialect knows (SQLite's `DATETIME`): that type's.
            None => match dialect.sql().comparable_type(ty) {
                T::Custom(_) => custom_rust_type(name).to_string(),
                // SQLite's one integer type holds 64 bits; a `BIGINT` spelling says they are used.
                T::Integer if is_bigint(name) => "i64".into(),
                known => rust_type(&known, schema, dialect, enums),
            },
        },
    }
}

fn is_bigint(spelling: &str) -> bool {
    let s = spelling.trim().to_ascii_lowercase();
    s.starts_with("bigint") || s.starts_with("int8") || s.starts_with("unsigned big int")
}

/// The domain a custom type names, if it is one (PostgreSQL prints a name that needs quotes
/// quoted: `"bıgınt"`).
pub(crate) fn domain<'a>(schema: &'a Schema, printed: &str) -> Option<&'a Domain> {
    let bare = printed
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .map(|s| s.replace("\"\"", "\""))
        .unwrap_or_else(|| printed.to_string());
    schema.domains.get(&bare)
}

/// The Rust type for a type SeaORM has no name for, by the name the catalog gives it.
/// The Rust type for a type spelled as the database spells it (`mediumint unsigned`,
/// `datetime(6)`, `int(8) unsigned zerofill`): what its values decode into.
fn custom_rust_type(name: &str) -> &'static str {
    let n = name.to_ascii_lowercase();
    let word = n.split(['(', ' ']).next().unwrap_or_default();
    let unsigned = n.contains("unsigned");
    let pick =
        |signed: &'static str, without: &'static str| if unsigned { without } else { signed };
    match word {
        "tinyint" => pick("i8", "u8"),
        "smallint" => pick("i16", "u16"),
        "mediumint" | "int" | "integer" => pick("i32", "u32"),
        "bigint" => pick("i64", "u64"),
        "decimal" | "numeric" => "Decimal",
        "float" => "f32",
        "double" | "real" => "f64",
        "date" => "Date",
        "datetime" => "DateTime",
        "timestamp" if n.contains("with time zone") => "DateTimeWithTimeZone",
        "timestamp" => "DateTime",
        "binary" | "varbinary" => "Vec<u8>",
        // `BLOB SUB_TYPE TEXT` (a Firebird spelling SQLite keeps) holds text.
        _ if n.ends_with("blob") => "Vec<u8>",
        _ => "String",
    }
}

/// The Rust type for a PostgreSQL domain's base type, as the catalog prints it.
pub(crate) fn base_rust_type(base: &str) -> &'static str {
    let b = base.to_ascii_lowercase();
    let name = b.split('(').next().unwrap_or(&b).trim();
    match name {
        "smallint" => "i16",
        "integer" => "i32",
        "bigint" => "i64",
        "real" => "f32",
        "double precision" => "f64",
        "numeric" => "Decimal",
        "boolean" => "bool",
        "date" => "Date",
        "uuid" => "Uuid",
        "json" | "jsonb" => "Json",
        "bytea" => "Vec<u8>",
        "timestamp without time zone" => "DateTime",
        "timestamp with time zone" => "DateTimeWithTimeZone",
        _ => "String",
    }
}

/// `ty` as a `column_type` expression (`String(StringLen::N(20))`, `custom("citext")`).
pub(crate) fn column_type_expr(ty: &ColumnType) -> String {
    use ColumnType as T;
    match ty {
        T::Decimal(Some((p, s))) => format!("Decimal(Some(({p}, {s})))"),
        T::Decimal(None) => "Decimal(None)".into(),
        T::Char(Some(n)) => format!("Char(Some({n}))"),
        T::Char(None) => "Char(None)".into(),
        T::String(Some(n)) => format!("String(StringLen::N({n}))"),
        T::String(None) => "String(StringLen::None)".into(),
        T::Binary(n) => format!("Binary({n})"),
        T::VarBinary(Some(n)) => format!("VarBinary(StringLen::N({n}))"),
        T::VarBinary(None) => "VarBinary(StringLen::None)".into(),
        T::Array(inner) => format!(
            "Array(RcOrArc::new(ColumnType::{}))",
            column_type_expr(inner)
        ),
        T::Custom(name) => format!("custom({})", rust_string(name)),
        T::Enum(name) => format!("custom({})", rust_string(name)),
        other => format!("{other:?}"),
    }
}

/// A Rust string literal holding `s` exactly.
pub(crate) fn rust_string(s: &str) -> String {
    proc_macro2::Literal::string(s).to_string()
}

/// A database enum's name -> its Rust type's name.
pub(crate) type EnumNames<'a> = std::collections::BTreeMap<&'a str, &'a str>;

/// The field type for a column of type `ty`.
pub(crate) fn field_type(
    ty: &ColumnType,
    schema: &Schema,
    dialect: Dialect,
    enums: &EnumNames,
) -> FieldType {
    let sql = dialect.sql();
    let rust = rust_type(ty, schema, dialect, enums);
    let same = match (&derived(&rust), ty) {
        // An active enum's type is the enum's own.
        (None, ColumnType::Enum(_)) => true,
        (Some(d), ty) => sql.normalize_type(d) == sql.normalize_type(ty),
        (None, _) => false,
    };
    let cast = match ty {
        ColumnType::Custom(name)
            if sql.domains_and_sequences() && domain(schema, name).is_none() =>
        {
            Some(name.clone())
        }
        _ => None,
    };
    FieldType {
        eq: !rust.contains("f32") && !rust.contains("f64"),
        column_type: (!same).then(|| column_type_expr(ty)),
        rust,
        cast,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ColumnType as T;

    #[test]
    fn attributes_only_where_the_rust_type_says_something_else() {
        let s = Schema::default();
        let pg = Dialect::Postgres;
        let f = |ty: T| field_type(&ty, &s, pg, &EnumNames::new());
        assert_eq!(f(T::Integer).column_type, None);
        assert_eq!(f(T::Integer).rust, "i32");
        assert_eq!(
            f(T::String(Some(40))).column_type.as_deref(),
            Some("String(StringLen::N(40))")
        );
        assert_eq!(f(T::String(None)).column_type, None);
        assert_eq!(f(T::Text).column_type.as_deref(), Some("Text"));
        // PostgreSQL has one timestamp without time zone: no attribute.
        assert_eq!(f(T::Timestamp).column_type, None);
        assert_eq!(
            field_type(&T::Timestamp, &s, Dialect::MySql, &EnumNames::new())
                .column_type
                .as_deref(),
            Some("Timestamp")
        );
        assert_eq!(
            f(T::Array(Box::new(T::Text))).column_type.as_deref(),
            Some("Array(RcOrArc::new(ColumnType::Text))")
        );
        for (spelling, rust) in [
            ("int(8) unsigned zerofill", "u32"),
            ("mediumint", "i32"),
            ("decimal(5,2) unsigned", "Decimal"),
            ("float(7,3)", "f32"),
            ("datetime(6)", "DateTime"),
            ("timestamp(3) with time zone", "DateTimeWithTimeZone"),
            ("longblob", "Vec<u8>"),
            ("geometry", "String"),
        ] {
            assert_eq!(super::custom_rust_type(spelling), rust, "{spelling}");
        }
        let tsv = f(T::Custom("tsvector".into()));
        assert_eq!(tsv.column_type.as_deref(), Some("custom(\"tsvector\")"));
        assert_eq!(tsv.cast.as_deref(), Some("tsvector"));
        assert!(!f(T::Double).eq);
    }
}
