//! PostgreSQL at the schema layer: `"`-quoted names kept to 63 bytes, transactional DDL, enum
//! types of their own, `::casts` in catalog defaults.

use super::facts::{Capabilities, Dialect, Flavor, SqlDialect, Version};
use crate::defaults::{canonical_number, default_from_sql, is_number};
use crate::ir::{ColumnType, DefaultValue, Schema, Table};
use crate::lexical::{hex, quote_identifier, quote_string, split_qualified, truncate_bytes};

pub struct Postgres;

/// The table options ([`Table::options`]) that turn row-level security on, as the
/// `ALTER TABLE` that sets each says it: policies apply (to everyone but the owner), and to the
/// table's owner too.
pub const ROW_SECURITY: &str = "ENABLE ROW LEVEL SECURITY";
pub const FORCED_ROW_SECURITY: &str = "FORCE ROW LEVEL SECURITY";

/// PostgreSQL keeps the first 63 bytes of an identifier (NAMEDATALEN - 1) and says nothing.
const NAME_BYTES: usize = 63;

impl SqlDialect for Postgres {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn name(&self) -> &'static str {
        "postgres"
    }

    /// `CREATE INDEX CONCURRENTLY`, `REINDEX`, `CREATE`/`DROP DATABASE`, `VACUUM`.
    fn refuses_transaction(&self, statement: &str) -> bool {
        let words = crate::lexical::upper_words(statement);
        words.windows(2).any(|w| {
            matches!(
                (w[0].as_str(), w[1].as_str()),
                ("INDEX", "CONCURRENTLY") | ("REINDEX", _) | ("DATABASE", _)
            )
        }) || words.first().map(String::as_str) == Some("VACUUM")
    }

    /// A table key with a schema (`billing` + `invoice`) is written qualified.
    fn quote_ident(&self, name: &str) -> String {
        match split_qualified(name) {
            (Some(schema), table) => format!(
                "{}.{}",
                quote_identifier(schema, '"'),
                quote_identifier(table, '"')
            ),
            (None, name) => quote_identifier(name, '"'),
        }
    }

    /// A negative number as a quoted constant: PostgreSQL keeps `DEFAULT -1` and
    /// `DEFAULT '-1'` alike (`'-1'::integer`), and squawk reads only the second as a constant
    /// (its `adding-field-with-default` takes `-1` for an expression).
    fn number_default(&self, n: &str) -> String {
        if n.starts_with('-') {
            quote_string(n)
        } else {
            n.to_string()
        }
    }

    fn string_literal(&self, s: &str) -> String {
        quote_string(s)
    }

    fn bytes_literal(&self, bytes: &[u8]) -> String {
        format!("'\\x{}'::bytea", hex(bytes))
    }

    /// `pg_class.reltuples`, as of the last VACUUM or ANALYZE (-1 or 0 before the first).
    fn estimated_rows(&self, key: &str) -> Option<String> {
        let table = crate::lexical::quoted_key(key, &|n| self.quote_ident(n));
        Some(format!(
            "SELECT CAST(CAST(reltuples AS bigint) AS text) FROM pg_class WHERE oid = to_regclass({})",
            self.string_literal(&table)
        ))
    }

    /// Ranges that do not overlap (an exclusion constraint over them takes every row), network
    /// addresses, intervals and points, one of each per `serial`.
    fn custom_literal(&self, decl: &str, serial: u64) -> Option<String> {
        let n = serial % 1_000_000;
        let (a, b, c) = (n / 65536 % 256, n / 256 % 256, n % 256);
        let day = |d: u64| format!("DATE '2000-01-01' + {d}");
        let hour = |ty: &str, h: u64| format!("{ty} '2000-01-01 00:00:00' + interval '{h} hours'");
        Some(match decl.to_ascii_lowercase().as_str() {
            "int4range" | "int8range" | "numrange" => {
                format!("{decl}({}, {})", 2 * n, 2 * n + 1)
            }
            "daterange" => format!("daterange({}, {})", day(2 * n), day(2 * n + 1)),
            "tsrange" => format!(
                "tsrange({}, {})",
                hour("TIMESTAMP", 2 * n),
                hour("TIMESTAMP", 2 * n + 1)
            ),
            "tstzrange" => format!(
                "tstzrange({}, {})",
                hour("TIMESTAMPTZ", 2 * n),
                hour("TIMESTAMPTZ", 2 * n + 1)
            ),
            "inet" => format!("'10.{a}.{b}.{c}'"),
            "cidr" => format!("'10.{a}.{b}.{c}/32'"),
            "macaddr" => format!("'08:00:2b:{a:02x}:{b:02x}:{c:02x}'"),
            "interval" => format!("interval '{n} days {} seconds'", n % 60),
            "point" => format!("point({n}, {n})"),
            _ => return None,
        })
    }

    /// `bytea` prints as `\x…` (hexadecimal), every other type as its text output.
    fn value_text(&self, column: &str, _ty: &ColumnType) -> String {
        format!("CAST({column} AS text)")
    }

    fn max_name_bytes(&self) -> Option<usize> {
        Some(NAME_BYTES)
    }

    fn stored_name(&self, name: &str) -> String {
        match split_qualified(name) {
            (Some(schema), table) => crate::lexical::qualified(
                Some(truncate_bytes(schema, NAME_BYTES)),
                truncate_bytes(table, NAME_BYTES),
            ),
            (None, name) => truncate_bytes(name, NAME_BYTES).to_string(),
        }
    }

    fn transactional_ddl(&self) -> bool {
        true
    }

    fn schemas(&self) -> bool {
        true
    }

    fn folds_unquoted_names(&self) -> bool {
        true
    }

    fn overloads_routines(&self) -> bool {
        true
    }

    fn table_inheritance(&self) -> bool {
        true
    }

    fn default_collation(&self) -> Option<&'static str> {
        Some("default")
    }

    fn deferrable_foreign_keys(&self) -> bool {
        true
    }

    fn unnamed_unique_name(&self, table: &str, column: &str) -> Option<String> {
        Some(object_name(split_qualified(table).1, Some(column), "key"))
    }

    fn unnamed_primary_key_name(&self, table: &str) -> Option<String> {
        Some(object_name(split_qualified(table).1, None, "pkey"))
    }

    fn default_flavor(&self) -> Flavor {
        Flavor::Postgres
    }

    fn oldest_supported(&self, _flavor: Flavor) -> Version {
        Version::new(11, 0)
    }

    fn holds(&self, _ty: &ColumnType) -> bool {
        true
    }

    /// Identity columns are `smallint`, `integer` or `bigint`.
    fn auto_increments(&self, ty: &ColumnType) -> bool {
        matches!(
            ty,
            ColumnType::SmallInteger | ColumnType::Integer | ColumnType::BigInteger
        )
    }

    /// A custom type that names one of the schema's enum types is that enum (an entity can
    /// only say `custom("mood")` for an array of enums).
    fn normalize_schema(&self, schema: &mut Schema) {
        fn as_enum(ty: &mut ColumnType, enums: &std::collections::BTreeSet<&str>) {
            match ty {
                ColumnType::Custom(name) => {
                    let bare = name
                        .strip_prefix('"')
                        .and_then(|n| n.strip_suffix('"'))
                        .map(|n| n.replace("\"\"", "\""))
                        .unwrap_or_else(|| name.clone());
                    if enums.contains(bare.as_str()) {
                        *ty = ColumnType::Enum(bare);
                    }
                }
                ColumnType::Array(inner) => as_enum(inner, enums),
                _ => {}
            }
        }
        if schema.enums.is_empty() {
            return;
        }
        let enums: std::collections::BTreeSet<&str> =
            schema.enums.keys().map(String::as_str).collect();
        for table in schema.tables.values_mut() {
            for column in &mut table.columns {
                as_enum(&mut column.ty, &enums);
            }
        }
    }

    fn normalize_type(&self, ty: &ColumnType) -> ColumnType {
        use ColumnType as T;
        match ty {
            T::TinyInteger | T::TinyUnsigned => T::SmallInteger,
            T::SmallUnsigned => T::Integer,
            T::Unsigned | T::BigUnsigned => T::BigInteger,
            T::DateTime => T::Timestamp,
            T::Binary(_) | T::VarBinary(_) => T::Blob,
            T::Char(None) => T::Char(Some(1)),
            T::Array(inner) => T::Array(Box::new(self.normalize_type(inner))),
            other => other.clone(),
        }
    }

    /// Enum labels are names: 1 to 63 bytes.
    fn enum_value_problem(&self, value: &str) -> Option<String> {
        (value.is_empty() || value.len() > NAME_BYTES)
            .then(|| format!("PostgreSQL enum values are 1 to {NAME_BYTES} bytes long"))
    }

    fn indexable(&self, ty: &ColumnType) -> bool {
        !matches!(ty, ColumnType::Json)
    }

    /// Any access method the server has (`gin`, `gist`, `hash`, `brin`, …; an extension's too).
    fn index_method_problem(&self, _method: &str) -> Option<String> {
        None
    }

    fn domains_and_sequences(&self) -> bool {
        true
    }

    fn normalize_table(&self, table: &mut Table) {
        let names = table
            .indexes
            .iter_mut()
            .map(|i| &mut i.name)
            .chain(table.uniques.iter_mut().filter_map(|u| u.name.as_mut()))
            .chain(
                table
                    .foreign_keys
                    .iter_mut()
                    .filter_map(|f| f.name.as_mut()),
            );
        for name in names {
            *name = self.stored_name(name);
        }
    }

    fn expression_default(&self, expr: &str) -> DefaultValue {
        self.parse_default(expr)
    }

    /// `'pending'::fee_status`, `'10.00'::numeric`, `'t'::boolean`, `NULL::character varying`.
    fn parse_default(&self, raw: &str) -> DefaultValue {
        let mut s = raw.trim();
        let mut cast_target: Option<&str> = None;
        while let Some(pos) = find_top_level_cast(s) {
            cast_target = Some(s[pos + 2..].trim());
            s = s[..pos].trim();
        }
        let value = match default_from_sql(s) {
            // Not understood: kept as the catalog printed it, casts and all.
            DefaultValue::Expr(_) => return DefaultValue::Expr(raw.trim().to_string()),
            value => value,
        };
        let target = cast_target.map(str::to_ascii_lowercase).unwrap_or_default();
        match value {
            DefaultValue::String(lit) if numeric_type(&target) && is_number(&lit) => {
                DefaultValue::Number(canonical_number(&lit))
            }
            DefaultValue::String(lit) if target == "boolean" => match lit.as_str() {
                "true" | "t" => DefaultValue::Bool(true),
                "false" | "f" => DefaultValue::Bool(false),
                _ => DefaultValue::String(lit),
            },
            other => other,
        }
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::ALTER_IN_PLACE
    }

    fn stored_number_default(&self, n: &str, ty: &ColumnType) -> Option<String> {
        let name = match ty {
            ColumnType::SmallInteger => "smallint",
            ColumnType::Integer => "integer",
            ColumnType::BigInteger => "bigint",
            ColumnType::Float => "real",
            ColumnType::Double => "double precision",
            ColumnType::Decimal(_) => "numeric",
            _ => return None,
        };
        Some(if n.starts_with('-') {
            format!("'{n}'::{name}")
        } else {
            n.to_string()
        })
    }
}

fn numeric_type(t: &str) -> bool {
    [
        "integer",
        "bigint",
        "smallint",
        "numeric",
        "real",
        "double precision",
    ]
    .iter()
    .any(|n| t.starts_with(n))
}

/// Position of the last `::` that is outside quotes and parentheses.
fn find_top_level_cast(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut depth = 0i32;
    let mut in_str = false;
    let mut last = None;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\'' => in_str = !in_str,
            b'(' if !in_str => depth += 1,
            b')' if !in_str => depth -= 1,
            b':' if !in_str && depth == 0 && bytes.get(i + 1) == Some(&b':') => {
                last = Some(i);
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    last
}

/// The name PostgreSQL gives an object it names itself (`makeObjectName`): `<name1>_<label>` or
/// `<name1>_<name2>_<label>`, the names shortened alike (the longer first) to fit 63 bytes.
pub fn object_name(name1: &str, name2: Option<&str>, label: &str) -> String {
    let overhead = label.len() + 1 + usize::from(name2.is_some());
    let (mut a, mut b) = (name1.len(), name2.map_or(0, str::len));
    while a + b + overhead > NAME_BYTES {
        if a > b {
            a -= 1;
        } else {
            b -= 1;
        }
    }
    let first = truncate_bytes(name1, a);
    match name2 {
        Some(n2) => format!("{first}_{}_{label}", truncate_bytes(n2, b)),
        None => format!("{first}_{label}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DefaultValue as D;

    #[test]
    fn seeded_ranges_do_not_overlap_and_addresses_differ() {
        let sql = Postgres;
        assert_eq!(
            sql.custom_literal("int4range", 3).as_deref(),
            Some("int4range(6, 7)")
        );
        assert_eq!(
            sql.custom_literal("int4range", 4).as_deref(),
            Some("int4range(8, 9)")
        );
        let during = sql.custom_literal("tstzrange", 1).expect("tstzrange");
        assert!(
            during.contains("'2 hours'") && during.contains("'3 hours'"),
            "{during}"
        );
        assert_ne!(sql.custom_literal("inet", 1), sql.custom_literal("inet", 2));
        assert_eq!(sql.custom_literal("citext", 1), None);
    }

    #[test]
    fn postgres_defaults() {
        let pg = |s| Postgres.parse_default(s);
        assert_eq!(pg("'pending'::fee_status"), D::String("pending".into()));
        assert_eq!(pg("'it''s'::character varying"), D::String("it's".into()));
        assert_eq!(pg("now()"), D::CurrentTimestamp);
        assert_eq!(pg("CURRENT_TIMESTAMP"), D::CurrentTimestamp);
        assert_eq!(pg("'-1'::integer"), D::Number("-1".into()));
        assert_eq!(pg("(-1)"), D::Number("-1".into()));
        assert_eq!(pg("0.50"), D::Number("0.5".into()));
        assert_eq!(pg("'10.00'::numeric"), D::Number("10".into()));
        assert_eq!(pg("true"), D::Bool(true));
        assert_eq!(pg("NULL::character varying"), D::Null);
        assert_eq!(pg("gen_random_uuid()"), D::Expr("gen_random_uuid()".into()));
        assert_eq!(pg("'0'::text"), D::String("0".into()));
        assert_eq!(
            pg("(now() + '1 day'::interval)"),
            D::Expr("(now() + '1 day'::interval)".into())
        );
    }

    #[test]
    fn types_fold_the_way_postgres_stores_them() {
        use ColumnType as T;
        assert_eq!(Postgres.normalize_type(&T::BigInteger), T::BigInteger);
        assert_eq!(Postgres.normalize_type(&T::DateTime), T::Timestamp);
        assert_eq!(Postgres.normalize_type(&T::VarBinary(None)), T::Blob);
    }

    #[test]
    fn names_are_stored_in_63_bytes() {
        let long = "x".repeat(70);
        assert_eq!(Postgres.stored_name(&long).len(), 63);
        assert_eq!(Postgres.quote_ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(Postgres.bytes_literal(&[1, 255]), "'\\x01ff'::bytea");
    }
}
