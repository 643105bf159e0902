//! Per-dialect normalization: "what will the database report back".
//!
//! Every rule here exists because a database spells one thing two ways. The round-trip tests
//! (`tests/`) check `diff(introspect(apply(plan(M))), M)` is empty, which is what keeps this honest.

use crate::{Column, ColumnType, DefaultValue, Dialect, FkAction, Schema, Table, Unique};

pub(crate) fn normalize(schema: &Schema, dialect: Dialect) -> Schema {
    let mut out = schema.clone();
    if dialect == Dialect::MySql {
        // MySQL's enums are column types, `enum('a','b')`, as information_schema prints them.
        for table in out.tables.values_mut() {
            for column in &mut table.columns {
                if let ColumnType::Enum(name) = &column.ty
                    && let Some(e) = schema.enums.get(name)
                {
                    column.ty = ColumnType::Custom(mysql_enum(&e.values));
                }
            }
        }
    }
    if dialect != Dialect::Postgres {
        // Only PostgreSQL has named enum types; elsewhere an enum is a column-level affair.
        out.enums.clear();
    }
    for table in out.tables.values_mut() {
        normalize_table(table, dialect);
    }
    out
}

/// `enum('a','b')`: MySQL's spelling of an enum column type.
pub fn mysql_enum(values: &[String]) -> String {
    let quoted: Vec<String> = values
        .iter()
        .map(|v| format!("'{}'", v.replace('\'', "''")))
        .collect();
    format!("enum({})", quoted.join(","))
}

fn normalize_table(table: &mut Table, dialect: Dialect) {
    let pk = table.primary_key.clone();
    for column in &mut table.columns {
        if pk.contains(&column.name) {
            column.nullable = false;
        }
        normalize_column(column, dialect);
    }
    if dialect == Dialect::Sqlite {
        table.comment = None;
    }
    if dialect == Dialect::Postgres {
        for i in &mut table.indexes {
            pg_truncate(&mut i.name);
        }
        for name in table
            .uniques
            .iter_mut()
            .filter_map(|u| u.name.as_mut())
            .chain(
                table
                    .foreign_keys
                    .iter_mut()
                    .filter_map(|f| f.name.as_mut()),
            )
        {
            pg_truncate(name);
        }
    }
    if dialect == Dialect::MySql {
        // MySQL has no UNIQUE constraints apart from unique indexes: one kind, compared by columns.
        let (unique, plain): (Vec<_>, Vec<_>) = std::mem::take(&mut table.indexes)
            .into_iter()
            .partition(|i| i.unique && i.predicate.is_none());
        table.indexes = plain;
        table.uniques.extend(unique.into_iter().map(|i| Unique {
            name: Some(i.name),
            columns: i.columns,
        }));
        // InnoDB checks NO ACTION immediately, which is RESTRICT; it reports either.
        for fk in &mut table.foreign_keys {
            for action in [&mut fk.on_delete, &mut fk.on_update] {
                if *action == FkAction::NoAction {
                    *action = FkAction::Restrict;
                }
            }
        }
    }
    // A UNIQUE constraint equal to the primary key is redundant; databases keep only the key.
    table
        .uniques
        .retain(|u| u.columns != table.primary_key || pk.is_empty());
    table.uniques.sort_by(|a, b| a.columns.cmp(&b.columns));
    table.uniques.dedup_by(|a, b| a.columns == b.columns);
    table.indexes.sort_by(|a, b| a.name.cmp(&b.name));
    table.foreign_keys.sort_by(|a, b| {
        (&a.columns, &a.ref_table, &a.ref_columns).cmp(&(&b.columns, &b.ref_table, &b.ref_columns))
    });
}

fn normalize_column(column: &mut Column, dialect: Dialect) {
    column.ty = normalize_type(&column.ty, dialect);
    if column.default == Some(DefaultValue::Null) {
        column.default = None;
    }
    if column.auto_increment {
        column.default = None;
    }
    if let Some(DefaultValue::Number(n)) = &column.default {
        column.default = Some(DefaultValue::Number(canonical_number(n)));
    }
    // `DEFAULT '6'` on a number column is the number 6 (the database converts it on write).
    if let Some(DefaultValue::String(s)) = &column.default
        && column.ty.is_numeric()
        && is_number(s.trim())
    {
        column.default = Some(DefaultValue::Number(canonical_number(s.trim())));
    }
    if dialect == Dialect::Sqlite {
        column.comment = None;
    }
    if dialect == Dialect::MySql
        && let Some(DefaultValue::Bool(b)) = column.default
    {
        // `bool` is `tinyint(1)`: its default reads back as a number.
        column.default = Some(DefaultValue::Number(if b { "1" } else { "0" }.into()));
    }
}

/// PostgreSQL keeps the first 63 bytes of an identifier (NAMEDATALEN - 1) and says nothing.
const PG_NAME_BYTES: usize = 63;

fn pg_truncate(name: &mut String) {
    if name.len() > PG_NAME_BYTES {
        let mut end = PG_NAME_BYTES;
        while !name.is_char_boundary(end) {
            end -= 1;
        }
        name.truncate(end);
    }
}

fn normalize_type(ty: &ColumnType, dialect: Dialect) -> ColumnType {
    use ColumnType as T;
    match dialect {
        Dialect::Postgres => match ty {
            T::TinyInteger | T::TinyUnsigned => T::SmallInteger,
            T::SmallUnsigned => T::Integer,
            T::Unsigned | T::BigUnsigned => T::BigInteger,
            T::DateTime => T::Timestamp,
            T::Binary(_) | T::VarBinary(_) => T::Blob,
            T::Char(None) => T::Char(Some(1)),
            T::Array(inner) => T::Array(Box::new(normalize_type(inner, dialect))),
            other => other.clone(),
        },
        // sea-query's SQLite backend writes these type names; SQLite keeps the declared name.
        Dialect::Sqlite => match ty {
            T::Unsigned | T::BigInteger | T::BigUnsigned => T::Integer,
            T::TinyUnsigned => T::TinyInteger,
            T::SmallUnsigned => T::SmallInteger,
            T::Enum(_) => T::Custom("enum_text".into()),
            T::Custom(decl) => crate::sqlite_type(decl),
            other => other.clone(),
        },
        // What sea-query's MySQL backend writes, as information_schema reports it back.
        Dialect::MySql => match ty {
            T::String(None) => T::String(Some(255)),
            T::VarBinary(None) => T::VarBinary(Some(255)),
            T::Char(None) => T::Char(Some(1)),
            T::Decimal(None) => T::Decimal(Some((10, 0))),
            T::JsonBinary => T::Json,
            T::Uuid => T::Binary(16),
            T::TimestampWithTimeZone => T::Timestamp,
            T::Custom(decl) => {
                let base = decl.split(['(', ' ']).next().unwrap_or(decl);
                let read = crate::mysql_type(base, decl);
                // A spelling MySQL reads as a known type is that type, as it will report it.
                if matches!(read, T::Custom(_)) {
                    read
                } else {
                    normalize_type(&read, dialect)
                }
            }
            other => other.clone(),
        },
    }
}

/// A numeric literal in one spelling: no `+`, no parentheses, no trailing fractional zeros.
pub fn canonical_number(raw: &str) -> String {
    let mut s = raw.trim();
    while s.starts_with('(') && s.ends_with(')') {
        s = s[1..s.len() - 1].trim();
    }
    let s = s.strip_prefix('+').unwrap_or(s);
    let mut s = s.to_string();
    if s.contains('.') && !s.contains(['e', 'E']) {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    if s == "-0" || s.is_empty() {
        s = "0".into();
    }
    s
}

fn is_number(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    !s.is_empty() && s.parse::<f64>().is_ok() && s.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// Parses a default expression as `dialect`'s catalog prints it (`'pending'::fee_status`,
/// `now()`, `CURRENT_TIMESTAMP`, `(-1)`, `'0'::numeric`, `TRUE`, …) into a [`DefaultValue`].
pub fn default_from_sql(dialect: Dialect, raw: &str) -> DefaultValue {
    let mut s = raw.trim();
    // Strip PostgreSQL casts (`'x'::text`, `'1'::numeric`), remembering the last target type.
    let mut cast_target: Option<&str> = None;
    if dialect == Dialect::Postgres {
        while let Some(pos) = find_top_level_cast(s) {
            cast_target = Some(s[pos + 2..].trim());
            s = s[..pos].trim();
        }
    }
    let mut inner = s;
    while inner.starts_with('(') && inner.ends_with(')') && balanced(&inner[1..inner.len() - 1]) {
        inner = inner[1..inner.len() - 1].trim();
    }
    let upper = inner.to_ascii_uppercase();
    match upper.as_str() {
        "NULL" => return DefaultValue::Null,
        "TRUE" => return DefaultValue::Bool(true),
        "FALSE" => return DefaultValue::Bool(false),
        "NOW()" | "CURRENT_TIMESTAMP" | "CURRENT_TIMESTAMP()" | "LOCALTIMESTAMP" => {
            return DefaultValue::CurrentTimestamp;
        }
        "CURRENT_DATE" => return DefaultValue::CurrentDate,
        "CURRENT_TIME" => return DefaultValue::CurrentTime,
        _ => {}
    }
    if is_number(inner) {
        return DefaultValue::Number(canonical_number(inner));
    }
    if let Some(lit) = string_literal(inner) {
        let numeric_cast = cast_target.is_some_and(|t| {
            let t = t.to_ascii_lowercase();
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
        });
        if numeric_cast && is_number(&lit) {
            return DefaultValue::Number(canonical_number(&lit));
        }
        if cast_target.is_some_and(|t| t.eq_ignore_ascii_case("boolean")) {
            match lit.as_str() {
                "true" | "t" => return DefaultValue::Bool(true),
                "false" | "f" => return DefaultValue::Bool(false),
                _ => {}
            }
        }
        return DefaultValue::String(lit);
    }
    DefaultValue::Expr(raw.trim().to_string())
}

fn balanced(s: &str) -> bool {
    let mut depth = 0i32;
    let mut in_str = false;
    for c in s.chars() {
        match c {
            '\'' => in_str = !in_str,
            '(' if !in_str => depth += 1,
            ')' if !in_str => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
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

/// The text of a single-quoted SQL string literal, or `None` if `s` is not exactly one.
fn string_literal(s: &str) -> Option<String> {
    let body = s.strip_prefix('\'')?.strip_suffix('\'')?;
    let mut out = String::new();
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            // Only a doubled quote may appear inside.
            if chars.next() != Some('\'') {
                return None;
            }
        }
        out.push(c);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use DefaultValue as D;

    #[test]
    fn postgres_defaults() {
        let pg = |s| default_from_sql(Dialect::Postgres, s);
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
    }

    #[test]
    fn sqlite_defaults() {
        let lite = |s| default_from_sql(Dialect::Sqlite, s);
        assert_eq!(lite("'pending'"), D::String("pending".into()));
        assert_eq!(lite("CURRENT_TIMESTAMP"), D::CurrentTimestamp);
        assert_eq!(lite("1"), D::Number("1".into()));
        assert_eq!(lite("TRUE"), D::Bool(true));
        assert_eq!(lite("'a'||'b'"), D::Expr("'a'||'b'".into()));
    }

    #[test]
    fn canonical_numbers() {
        assert_eq!(canonical_number("+1.500"), "1.5");
        assert_eq!(canonical_number("(-0)"), "0");
        assert_eq!(canonical_number("10"), "10");
        assert_eq!(canonical_number("1e10"), "1e10");
    }

    #[test]
    fn types_fold_the_way_each_dialect_stores_them() {
        use ColumnType as T;
        assert_eq!(normalize_type(&T::BigInteger, Dialect::Sqlite), T::Integer);
        assert_eq!(
            normalize_type(&T::BigInteger, Dialect::Postgres),
            T::BigInteger
        );
        assert_eq!(
            normalize_type(&T::DateTime, Dialect::Postgres),
            T::Timestamp
        );
        assert_eq!(
            normalize_type(&T::VarBinary(None), Dialect::Postgres),
            T::Blob
        );
        assert_eq!(
            normalize_type(&T::Enum("e".into()), Dialect::Sqlite),
            T::Custom("enum_text".into())
        );
    }
}
