//! MySQL and MariaDB at the schema layer: `` ` ``-quoted names of up to 64 bytes, backslash
//! escapes in strings, DDL that commits as it goes, enums as column types (`enum('a','b')`),
//! UNIQUE constraints that are unique indexes, `tinyint(1)` booleans.

use super::facts::{Capabilities, Dialect, Flavor, SqlDialect, Version};
use crate::ir::{Column, ColumnType, DefaultValue, FkAction, Schema, Table, Unique};
use crate::lexical::{hex, quote_identifier, quote_string};

pub struct MySql;

/// The table option that says a MySQL/MariaDB primary key was made with an explicit method
/// (`PRIMARY KEY (id) USING BTREE`, as GUI tools export every table), followed by `BTREE` or
/// `HASH`: made with the table, inside its `CREATE TABLE`.
pub const PRIMARY_KEY_USING: &str = "PRIMARY KEY USING ";

/// Back to the server's own SQL mode: what autogen's sessions run under, and what a revision
/// restores after creating a routine under the mode its file names (sqlx and SeaORM connect
/// with `PIPES_AS_CONCAT` added, which changes what `||` means in a routine's body).
pub const SERVER_SQL_MODE: &str = "SET SESSION sql_mode = DEFAULT";

impl SqlDialect for MySql {
    fn dialect(&self) -> Dialect {
        Dialect::MySql
    }

    fn name(&self) -> &'static str {
        "mysql"
    }

    fn quote_ident(&self, name: &str) -> String {
        quote_identifier(name, '`')
    }

    /// MySQL also reads backslashes as escapes (unless `NO_BACKSLASH_ESCAPES`).
    fn string_literal(&self, s: &str) -> String {
        quote_string(&s.replace('\\', "\\\\"))
    }

    fn bytes_literal(&self, bytes: &[u8]) -> String {
        format!("X'{}'", hex(bytes))
    }

    fn insert_defaults(&self, table: &str) -> String {
        format!("INSERT INTO {table} () VALUES ()")
    }

    /// `information_schema.tables.table_rows`: InnoDB's sample-based estimate.
    fn estimated_rows(&self, key: &str) -> Option<String> {
        Some(format!(
            "SELECT CAST(table_rows AS CHAR) FROM information_schema.tables \
             WHERE table_schema = DATABASE() AND table_name = {}",
            self.string_literal(key)
        ))
    }

    fn value_text(&self, column: &str, ty: &ColumnType) -> String {
        use ColumnType as T;
        match ty {
            T::Binary(_) | T::VarBinary(_) | T::Blob | T::Uuid => format!("HEX({column})"),
            // A spatial value has no text cast (MariaDB: "Illegal parameter data type geometry
            // for operation 'cast_as_char'"): its SRID and well-known binary say all of it.
            T::Custom(decl) if spatial(decl) => {
                format!("CONCAT(ST_SRID({column}), ':', HEX(ST_AsWKB({column})))")
            }
            _ => format!("CAST({column} AS CHAR)"),
        }
    }

    fn custom_literal(&self, decl: &str, serial: u64) -> Option<String> {
        let head = type_head(decl);
        if head == "year" {
            return Some((1901 + serial % 254).to_string());
        }
        if !spatial(decl) {
            return None;
        }
        // Coordinates a geographic SRID takes too (latitudes within ±90).
        let n = serial % 90;
        let m = n + 1;
        let wkt = match head.as_str() {
            "geometry" | "point" => format!("POINT({n} {n})"),
            "linestring" => format!("LINESTRING(0 0, {n} {m})"),
            "polygon" => format!("POLYGON((0 0, {m} 0, {m} {m}, 0 0))"),
            "multipoint" => format!("MULTIPOINT({n} {n}, 0 0)"),
            "multilinestring" => format!("MULTILINESTRING((0 0, {n} {m}))"),
            "multipolygon" => format!("MULTIPOLYGON(((0 0, {m} 0, 0 {m}, 0 0)))"),
            _ => format!("GEOMETRYCOLLECTION(POINT({n} {n}))"),
        };
        // A column restricted to one SRID (MySQL 8's `point SRID 4326`) takes only values in it.
        let srid = decl
            .to_ascii_lowercase()
            .split_once("srid")
            .and_then(|(_, rest)| rest.split_whitespace().next()?.parse::<u32>().ok())
            .unwrap_or(0);
        Some(format!("ST_GeomFromText('{wkt}', {srid})"))
    }

    fn max_name_bytes(&self) -> Option<usize> {
        Some(64)
    }

    fn transactional_ddl(&self) -> bool {
        false
    }

    fn default_flavor(&self) -> Flavor {
        Flavor::MySql
    }

    fn flavor_of(&self, server_version: &str) -> Flavor {
        if server_version.to_ascii_lowercase().contains("mariadb") {
            Flavor::MariaDb
        } else {
            Flavor::MySql
        }
    }

    fn oldest_supported(&self, flavor: Flavor) -> Version {
        match flavor {
            Flavor::MariaDb => Version::new(10, 5),
            _ => Version::new(8, 0),
        }
    }

    /// Enums are column types, `enum('a','b')`, as information_schema prints them.
    fn holds(&self, ty: &ColumnType) -> bool {
        !matches!(ty, ColumnType::Enum(_) | ColumnType::Array(_))
    }

    /// `AUTO_INCREMENT` is for integer columns (on floats it is deprecated).
    fn auto_increments(&self, ty: &ColumnType) -> bool {
        use ColumnType as T;
        matches!(
            ty,
            T::TinyInteger
                | T::SmallInteger
                | T::Integer
                | T::BigInteger
                | T::TinyUnsigned
                | T::SmallUnsigned
                | T::Unsigned
                | T::BigUnsigned
        ) || matches!(ty, T::Custom(spelled) if integer_spelling(spelled))
    }

    fn normalize_schema(&self, schema: &mut Schema) {
        let enums = std::mem::take(&mut schema.enums);
        for table in schema.tables.values_mut() {
            for column in &mut table.columns {
                if let ColumnType::Enum(name) = &column.ty
                    && let Some(e) = enums.get(name)
                {
                    column.ty = ColumnType::Custom(enum_type(&e.values));
                }
            }
        }
    }

    /// What sea-query's MySQL backend writes, as information_schema reports it back.
    fn normalize_type(&self, ty: &ColumnType) -> ColumnType {
        use ColumnType as T;
        match ty {
            T::String(None) => T::String(Some(255)),
            T::VarBinary(None) => T::VarBinary(Some(255)),
            T::Char(None) => T::Char(Some(1)),
            T::Decimal(None) => T::Decimal(Some((10, 0))),
            T::JsonBinary => T::Json,
            T::Uuid => T::Binary(16),
            T::TimestampWithTimeZone => T::Timestamp,
            T::Custom(decl) => {
                let base = decl.split(['(', ' ']).next().unwrap_or(decl);
                let read = column_type(base, decl);
                // A spelling MySQL reads as a known type is that type, as it will report it.
                if matches!(read, T::Custom(_)) {
                    read
                } else {
                    self.normalize_type(&read)
                }
            }
            other => other.clone(),
        }
    }

    fn without_display_width(&self, ty: &ColumnType) -> ColumnType {
        match ty {
            ColumnType::Custom(decl)
                if integer_spelling(decl) && !decl.to_ascii_lowercase().contains("zerofill") =>
            {
                match decl.split_once('(').zip(decl.split_once(')')) {
                    Some(((head, _), (_, tail))) => {
                        self.normalize_type(&ColumnType::Custom(format!("{head}{tail}")))
                    }
                    None => ty.clone(),
                }
            }
            other => other.clone(),
        }
    }

    fn table_collations(&self) -> bool {
        true
    }

    fn prefix_keys(&self) -> bool {
        true
    }

    fn on_update_clause(&self) -> bool {
        true
    }

    /// MySQL names a UNIQUE written on a column after the column.
    fn unnamed_unique_name(&self, _table: &str, column: &str) -> Option<String> {
        Some(column.to_string())
    }

    fn index_method_problem(&self, method: &str) -> Option<String> {
        // `btree` and `hash` are a key's explicit method (`KEY k (a) USING BTREE`), which
        // `SHOW CREATE TABLE` keeps; InnoDB builds a B-tree for either.
        (!matches!(method, "fulltext" | "spatial" | "btree" | "hash")).then(|| {
            format!("MySQL indexes are B-tree (btree, hash), fulltext or spatial; `using = \"{method}\"` is none of them")
        })
    }

    fn partial_indexes(&self) -> bool {
        false
    }

    /// InnoDB checks NO ACTION immediately, which is RESTRICT.
    fn enforced_action(&self, action: FkAction) -> FkAction {
        match action {
            FkAction::NoAction => FkAction::Restrict,
            other => other,
        }
    }

    /// MySQL refuses names that end in a space and characters beyond the Basic Multilingual
    /// Plane (it stores names in 3-byte UTF-8).
    fn name_problem(&self, name: &str, _table: bool) -> Option<String> {
        // Its check is `my_isspace` on the last character: space, tab, line breaks, form feed.
        if name.ends_with([' ', '\t', '\n', '\r', '\u{0B}', '\u{0C}']) {
            return Some("MySQL refuses names that end with a space or a line break".into());
        }
        name.chars()
            .find(|c| u32::from(*c) > 0xFFFF)
            .map(|c| format!("MySQL names cannot hold {c:?} (a character beyond U+FFFF)"))
    }

    /// The data dictionary keeps comments, enum labels and defaults in 3-byte UTF-8: a character
    /// beyond U+FFFF reads back as `?`, even on a utf8mb4 server.
    fn metadata_text_problem(&self, text: &str) -> Option<String> {
        text.chars().find(|c| u32::from(*c) > 0xFFFF).map(|c| {
            format!(
                "MySQL keeps comments, enum values and defaults in 3-byte UTF-8, which cannot hold {c:?} \
                 (a character beyond U+FFFF); it would read back as '?'"
            )
        })
    }

    /// MySQL strips trailing spaces from enum values and treats `''` as its error value.
    fn enum_value_problem(&self, value: &str) -> Option<String> {
        if let Some(why) = self.metadata_text_problem(value) {
            return Some(why);
        }
        if value.is_empty() {
            Some("MySQL uses the empty string as the error value of every enum".into())
        } else if value.ends_with(' ') {
            Some("MySQL strips trailing spaces from enum values".into())
        } else if value.chars().count() > 255 {
            Some("MySQL enum values hold at most 255 characters".into())
        } else {
            None
        }
    }

    fn indexable(&self, ty: &ColumnType) -> bool {
        use ColumnType as T;
        !matches!(ty, T::Text | T::Json | T::JsonBinary | T::Blob)
    }

    fn normalize_column(&self, column: &mut Column) {
        if let Some(DefaultValue::Bool(b)) = column.default {
            // `bool` is `tinyint(1)`: its default reads back as a number.
            column.default = Some(DefaultValue::Number(if b { "1" } else { "0" }.into()));
        }
    }

    fn normalize_table(&self, table: &mut Table) {
        // MySQL's primary key is always named PRIMARY, whatever a statement says.
        table.primary_key_name = None;
        // No UNIQUE constraints apart from unique indexes: one kind, compared by columns (one
        // on columns' first characters, or made with an explicit method, stays an index: no
        // constraint says that).
        let (unique, plain): (Vec<_>, Vec<_>) = std::mem::take(&mut table.indexes)
            .into_iter()
            .partition(|i| {
                i.unique && i.using.is_none() && i.predicate.is_none() && i.lengths.is_empty()
            });
        table.indexes = plain;
        table.uniques.extend(unique.into_iter().map(|i| Unique {
            name: Some(i.name),
            columns: i.columns,
            derived: i.derived,
        }));
    }

    fn generated_not_null(&self) -> bool {
        false
    }

    fn foreign_key_makes_index(&self) -> bool {
        true
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            alter_generated_blocker,
            ..Capabilities::ALTER_IN_PLACE
        }
    }
}

/// MySQL's `MODIFY COLUMN` changes a generated column's expression, not whether the column is
/// generated or its values stored.
fn alter_generated_blocker(from: &Column, to: &Column) -> Option<&'static str> {
    match (&from.generated, &to.generated) {
        (None, None) => None,
        (Some(a), Some(b)) if a.stored == b.stored => None,
        _ => Some(
            "it changes a generated column's expression in place, not whether the column is \
             generated or stored: drop the column in one revision and add it back, as \
             declared, in the next",
        ),
    }
}

/// `enum('a','b')`: MySQL's spelling of an enum column type, as autogen writes it and compares
/// it (a catalog's spelling is read back into values and written this way too).
pub fn enum_type(values: &[String]) -> String {
    let quoted: Vec<String> = values.iter().map(|v| MySql.string_literal(v)).collect();
    format!("enum({})", quoted.join(","))
}

/// The values of `enum('a','it''s','x\ny')` as the catalog prints it.
pub fn enum_values(column_type: &str) -> Option<Vec<String>> {
    let inner = column_type
        .trim()
        .strip_prefix("enum(")
        .or_else(|| column_type.trim().strip_prefix("ENUM("))?
        .strip_suffix(')')?;
    let mut values = Vec::new();
    let mut rest = inner;
    while !rest.is_empty() {
        let (value, used) = read_string_literal_prefix(rest)?;
        values.push(value);
        rest = rest[used..].strip_prefix(',').unwrap_or(&rest[used..]);
    }
    Some(values)
}

/// The text of a MySQL string literal (`'it\'s'`, `'it''s'`, `'a\nb'`) that is all of `raw`.
pub fn read_string_literal(raw: &str) -> Option<String> {
    match read_string_literal_prefix(raw) {
        Some((value, used)) if used == raw.len() => Some(value),
        _ => None,
    }
}

/// The literal at the start of `raw`: its text and how many bytes it took.
fn read_string_literal_prefix(raw: &str) -> Option<(String, usize)> {
    let mut chars = raw.char_indices();
    if chars.next()?.1 != '\'' {
        return None;
    }
    let mut out = String::new();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => match chars.next()?.1 {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'r' => out.push('\r'),
                '0' => out.push('\0'),
                'Z' => out.push('\u{1a}'),
                'b' => out.push('\u{8}'),
                other => out.push(other),
            },
            '\'' => {
                // A doubled quote is a quote; a single one ends the literal.
                if raw[i + 1..].starts_with('\'') {
                    chars.next();
                    out.push('\'');
                } else {
                    return Some((out, i + 1));
                }
            }
            c => out.push(c),
        }
    }
    None
}

/// `information_schema`'s `data_type` and `column_type` -> the IR type.
pub fn column_type(data_type: &str, column_type: &str) -> ColumnType {
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
    let data_type = data_type.to_ascii_lowercase();
    // Attributes SeaORM's types cannot say: `zerofill`, an unsigned decimal or float, a float's
    // `(M,D)`. Kept as MySQL spells the type.
    let numeric = matches!(
        data_type.as_str(),
        "decimal" | "numeric" | "float" | "double" | "real"
    );
    if ct.contains("zerofill")
        || (numeric && unsigned)
        || (matches!(data_type.as_str(), "float" | "double" | "real") && !args.is_empty())
    {
        return T::Custom(ct);
    }
    if ct.starts_with("tinyint(1)") && !unsigned {
        return T::Boolean;
    }
    // An integer's display width (MariaDB and MySQL 5 report one, `int(11) unsigned`) other than
    // the server's own for the type is kept as spelled, so that a table made anew shows it as
    // the one read did; it changes no value (`SqlDialect::without_display_width`).
    if let Some(width) = first
        && default_display_width(&data_type, unsigned).is_some_and(|own| own != width)
    {
        return T::Custom(ct);
    }
    match data_type.as_str() {
        "tinyint" if unsigned => T::TinyUnsigned,
        "tinyint" => T::TinyInteger,
        "smallint" if unsigned => T::SmallUnsigned,
        "smallint" => T::SmallInteger,
        "int" | "integer" if unsigned => T::Unsigned,
        "int" | "integer" => T::Integer,
        // Widths SeaORM has no type for are kept as MySQL spells them.
        "mediumint" if unsigned => T::Custom("mediumint unsigned".into()),
        "mediumint" => T::Custom("mediumint".into()),
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
        "text" => T::Text,
        "tinytext" | "mediumtext" | "longtext" => T::Custom(data_type.to_ascii_lowercase()),
        "date" => T::Date,
        // Fractional seconds (`datetime(6)`) SeaORM's types cannot say: kept as spelled.
        "time" | "datetime" | "timestamp" if first.is_some_and(|n| n > 0) => T::Custom(ct.clone()),
        "time" => T::Time,
        "datetime" => T::DateTime,
        "timestamp" => T::Timestamp,
        "json" => T::Json,
        "binary" => T::Binary(first.unwrap_or(1)),
        "varbinary" => T::VarBinary(first),
        "blob" => T::Blob,
        "tinyblob" | "mediumblob" | "longblob" => T::Custom(data_type.to_ascii_lowercase()),
        "enum" => T::Custom(
            enum_values(column_type)
                .map(|v| enum_type(&v))
                .unwrap_or_else(|| column_type.to_string()),
        ),
        _ => T::Custom(column_type.to_string()),
    }
}

/// The display width MariaDB (and MySQL before 8.0.19) gives an integer type declared without
/// one.
fn default_display_width(data_type: &str, unsigned: bool) -> Option<u32> {
    Some(match (data_type, unsigned) {
        ("tinyint", false) => 4,
        ("tinyint", true) => 3,
        ("smallint", false) => 6,
        ("smallint", true) => 5,
        ("mediumint", false) => 9,
        ("mediumint", true) => 8,
        ("int" | "integer", false) => 11,
        ("int" | "integer", true) => 10,
        ("bigint", _) => 20,
        _ => return None,
    })
}

/// Whether a type is one of the spatial types (`geometry`, `point`, …, `geometrycollection`,
/// MySQL 8's `geomcollection`), with or without an SRID attribute.
fn spatial(decl: &str) -> bool {
    matches!(
        type_head(decl).as_str(),
        "geometry"
            | "point"
            | "linestring"
            | "polygon"
            | "multipoint"
            | "multilinestring"
            | "multipolygon"
            | "geometrycollection"
            | "geomcollection"
    )
}

/// A type's name without its parameters and attributes, lowercased (`point` of `POINT SRID 0`).
fn type_head(decl: &str) -> String {
    decl.trim_start()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// Whether a type SeaORM has no name for is an integer type (`mediumint`, `int(10) unsigned
/// zerofill`), which may auto-increment.
fn integer_spelling(spelled: &str) -> bool {
    matches!(
        type_head(spelled).as_str(),
        "tinyint" | "smallint" | "mediumint" | "int" | "integer" | "bigint"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use ColumnType as T;

    #[test]
    fn types_as_mysql_and_mariadb_report_them() {
        assert_eq!(column_type("tinyint", "tinyint(1)"), T::Boolean);
        assert_eq!(column_type("tinyint", "tinyint(4)"), T::TinyInteger);
        assert_eq!(column_type("int", "int(10) unsigned"), T::Unsigned);
        assert_eq!(column_type("bigint", "bigint(20)"), T::BigInteger);
        assert_eq!(column_type("datetime", "datetime"), T::DateTime);
        assert_eq!(column_type("datetime", "datetime(0)"), T::DateTime);
        assert_eq!(
            column_type("datetime", "datetime(6)"),
            T::Custom("datetime(6)".into())
        );
        assert_eq!(
            column_type("timestamp", "timestamp(3)"),
            T::Custom("timestamp(3)".into())
        );
        assert_eq!(
            column_type("decimal", "decimal(10,2)"),
            T::Decimal(Some((10, 2)))
        );
        assert_eq!(column_type("varchar", "varchar(255)"), T::String(Some(255)));
        assert_eq!(
            column_type("enum", "enum('pending','paid')"),
            T::Custom("enum('pending','paid')".into())
        );
    }

    #[test]
    fn an_integer_display_width_of_its_own_is_kept_and_changes_no_value() {
        let custom = |s: &str| T::Custom(s.into());
        // The server's own widths (MariaDB, MySQL 5) are the plain types; MySQL 8 shows none.
        assert_eq!(column_type("int", "int(11)"), T::Integer);
        assert_eq!(column_type("int", "int"), T::Integer);
        assert_eq!(
            column_type("smallint", "smallint(5) unsigned"),
            T::SmallUnsigned
        );
        // Another width is kept as spelled (PrestaShop's `int(11) unsigned`, `tinyint(1)
        // unsigned`), so that a table made anew shows it as the one read did.
        assert_eq!(
            column_type("int", "int(11) unsigned"),
            custom("int(11) unsigned")
        );
        assert_eq!(
            column_type("tinyint", "tinyint(1) unsigned"),
            custom("tinyint(1) unsigned")
        );
        assert_eq!(column_type("int", "int(2)"), custom("int(2)"));
        assert_eq!(
            column_type("bigint", "bigint(10) unsigned"),
            custom("bigint(10) unsigned")
        );
        // ...and compares as the type it displays.
        let sql = MySql;
        assert_eq!(
            sql.without_display_width(&custom("int(11) unsigned")),
            T::Unsigned
        );
        assert_eq!(
            sql.without_display_width(&custom("tinyint(1) unsigned")),
            T::TinyUnsigned
        );
        assert_eq!(sql.without_display_width(&custom("int(2)")), T::Integer);
        assert_eq!(
            sql.without_display_width(&custom("mediumint(7)")),
            custom("mediumint")
        );
        assert_eq!(sql.without_display_width(&T::Unsigned), T::Unsigned);
        // Zerofill pads the values it shows: not only a display width.
        for zerofill in [
            custom("int(8) unsigned zerofill"),
            custom("INT(8) ZEROFILL"),
        ] {
            assert_eq!(sql.without_display_width(&zerofill), zerofill);
        }
    }

    #[test]
    fn spatial_values_and_years_are_seeded_and_read_back() {
        let sql = MySql;
        for decl in [
            "geometry",
            "POINT",
            "polygon",
            "geometry /*!80003 SRID 0 */",
        ] {
            let literal = sql.custom_literal(decl, 7).expect(decl);
            assert!(literal.starts_with("ST_GeomFromText('"), "{literal}");
            assert!(
                sql.value_text("`g`", &T::Custom(decl.into()))
                    .contains("ST_AsWKB(`g`)"),
                "{decl}"
            );
        }
        assert_ne!(
            sql.custom_literal("point", 1),
            sql.custom_literal("point", 2)
        );
        assert!(
            sql.custom_literal("point NOT NULL /*!80003 SRID 4326 */", 95)
                .is_some_and(|l| l.ends_with("('POINT(5 5)', 4326)")),
        );
        assert_eq!(sql.custom_literal("year", 99).as_deref(), Some("2000"));
        assert_eq!(sql.custom_literal("set('x','y')", 1), None);
        assert_eq!(
            sql.value_text("`y`", &T::Custom("year".into())),
            "CAST(`y` AS CHAR)"
        );
    }

    #[test]
    fn enum_types_read_back_as_their_values() {
        let values = ["a".to_string(), "it's".into(), "x\ny".into(), "b\\s".into()];
        let spelled = enum_type(&values);
        assert_eq!(enum_values(&spelled).unwrap(), values);
        // MariaDB prints a newline in a label as \n: the same values.
        assert_eq!(
            column_type("enum", "enum('a','it''s','x\\ny','b\\\\s')"),
            T::Custom(spelled)
        );
        assert_eq!(read_string_literal("'it\\'s'").as_deref(), Some("it's"));
        assert_eq!(read_string_literal("'a' 'b'"), None);
    }

    #[test]
    fn lexical_facts() {
        assert_eq!(MySql.quote_ident("a`b"), "`a``b`");
        assert_eq!(MySql.string_literal("a\\b'c"), "'a\\\\b''c'");
        assert_eq!(MySql.bytes_literal(&[1, 255]), "X'01ff'");
        assert_eq!(enum_type(&["a".into(), "it's".into()]), "enum('a','it''s')");
    }
}
