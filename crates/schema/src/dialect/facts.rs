//! The definitions every dialect file implements: the dialect's identity, its server flavours
//! and versions, its capabilities and the [`SqlDialect`] trait.

use crate::ir::{Column, ColumnType, DefaultValue, FkAction, Schema, Table};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A database dialect autogen can target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    Postgres,
    Sqlite,
    MySql,
}

/// A server release, `major.minor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Version {
    pub major: u32,
    pub minor: u32,
}

impl Version {
    pub const fn new(major: u32, minor: u32) -> Version {
        Version { major, minor }
    }

    /// The leading `major[.minor]` of a version string (`15.4`, `10.11.6-MariaDB-0+deb12u1`,
    /// `8.0.36`, `3.46.0`).
    pub fn parse(text: &str) -> Option<Version> {
        let mut parts = text
            .trim()
            .split(|c: char| !c.is_ascii_digit())
            .filter(|p| !p.is_empty());
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next().and_then(|m| m.parse().ok()).unwrap_or(0);
        Some(Version { major, minor })
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// Which server speaks a dialect: MySQL and MariaDB share one, and differ in places.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Flavor {
    Postgres,
    MySql,
    MariaDb,
    Sqlite,
}

/// What a dialect can change in place. The differ asks; it never matches on a dialect.
#[derive(Debug, Clone)]
pub struct Capabilities {
    /// `ALTER COLUMN` type / nullability / default / comment.
    pub alter_columns: bool,
    /// Add or drop a foreign key on an existing table.
    pub alter_foreign_keys: bool,
    /// Add or drop a UNIQUE constraint on an existing table.
    pub alter_uniques: bool,
    /// `ALTER TABLE … ADD CONSTRAINT … CHECK` and its drop.
    pub alter_checks: bool,
    /// Drop and add a primary key on an existing table.
    pub alter_primary_key: bool,
    /// Drop a column that an index, UNIQUE or foreign key uses (with them).
    pub drop_constrained_column: bool,
    /// A foreign key may name a table created later (SQLite checks references only when rows
    /// are written), so foreign-key cycles need no separate `ADD FOREIGN KEY`.
    pub forward_references: bool,
    /// Why a column cannot be added with `ADD COLUMN`, if it cannot.
    pub add_column_blocker: fn(&Column) -> Option<&'static str>,
    /// What to do instead where a column's generation (`GENERATED ALWAYS AS …`, or none)
    /// cannot change in place from the first to the second (both ways, as a plan must reverse).
    pub alter_generated_blocker: fn(&Column, &Column) -> Option<&'static str>,
    /// Make such changes by rebuilding the table (create anew, copy rows, drop, rename).
    pub rebuild_tables: bool,
}

impl Capabilities {
    /// What PostgreSQL and MySQL share: every change is an `ALTER` in place.
    pub const ALTER_IN_PLACE: Capabilities = Capabilities {
        alter_columns: true,
        alter_foreign_keys: true,
        alter_uniques: true,
        alter_checks: true,
        alter_primary_key: true,
        drop_constrained_column: true,
        forward_references: false,
        add_column_blocker: any_column,
        alter_generated_blocker: generation_fixed,
        rebuild_tables: false,
    };
}

/// PostgreSQL before 17 changes no column's generation in place, and none can turn a column
/// into a generated one: the column is dropped and added back instead, by the user, in two
/// revisions (a plan that did so would lose the indexes and views built on it).
fn generation_fixed(from: &Column, to: &Column) -> Option<&'static str> {
    (from.generated != to.generated)
        .then_some("drop the column in one revision and add it back, as declared, in the next")
}

fn any_column(_: &Column) -> Option<&'static str> {
    None
}

/// A dialect's facts at the schema layer. One implementation per dialect file.
pub trait SqlDialect: Sync {
    fn dialect(&self) -> Dialect;
    /// `postgres`, `mysql`, `sqlite`: how files, tests and messages name the dialect.
    fn name(&self) -> &'static str;

    // ---- lexical facts -----------------------------------------------------------------------

    /// The identifier quoted for this dialect, embedded quote characters doubled.
    fn quote_ident(&self, name: &str) -> String;
    /// A string literal this dialect reads back as exactly `s`.
    fn string_literal(&self, s: &str) -> String;
    /// A number as a column default writes it: as it is, unless the dialect keeps it the same
    /// way in another spelling that readers take for a constant (PostgreSQL keeps `-1` as
    /// `'-1'::integer`).
    fn number_default(&self, n: &str) -> String {
        n.to_string()
    }
    /// A binary literal.
    fn bytes_literal(&self, bytes: &[u8]) -> String;
    /// A literal the type `decl` (one autogen holds as `ColumnType::Custom`: a range, a network
    /// address, a spatial value, a `year`) accepts, the `serial`th of values that differ from
    /// one another and do not overlap, for seeding its columns (`check --seed`); `None` when
    /// the dialect knows no value of it (plain text is tried then).
    fn custom_literal(&self, _decl: &str, _serial: u64) -> Option<String> {
        None
    }
    /// An expression reading `column` (quoted already) of type `ty` as text, for comparing
    /// values across revisions (`check --seed`): binary values as hexadecimal digits.
    fn value_text(&self, column: &str, ty: &ColumnType) -> String;
    /// A query for the server's estimate of the rows of the table `key` (one text value), where
    /// the server keeps one: what a finding says a drop loses when counting would be slow.
    fn estimated_rows(&self, _key: &str) -> Option<String> {
        None
    }
    /// An INSERT of one row of defaults into `table` (quoted already).
    fn insert_defaults(&self, table: &str) -> String {
        format!("INSERT INTO {table} DEFAULT VALUES")
    }
    /// Whether the server refuses `statement` inside a transaction block (what a revision's
    /// `-- no-transaction` marker is for).
    fn refuses_transaction(&self, _statement: &str) -> bool {
        false
    }
    /// A one-line comment that nothing in `text` can end.
    fn comment_line(&self, text: &str) -> String {
        crate::lexical::sql_comment_line(text)
    }
    /// The longest identifier the server keeps, in bytes (`None`: no limit).
    fn max_name_bytes(&self) -> Option<usize>;
    /// A name as the server stores it (PostgreSQL silently keeps the first 63 bytes).
    fn stored_name(&self, name: &str) -> String {
        name.to_string()
    }
    /// A name autogen derives (an index's, a foreign key's, a CHECK's), as it must write it so
    /// the server keeps it whole and apart from every other: see
    /// [`fit_derived_name`](crate::lexical::fit_derived_name).
    fn derived_name(&self, name: &str) -> String {
        match self.max_name_bytes() {
            Some(max) => crate::lexical::fit_derived_name(name, max),
            None => name.to_string(),
        }
    }
    /// Whether DDL can be rolled back with the transaction it ran in.
    fn transactional_ddl(&self) -> bool;
    /// The name the server gives a one-column UNIQUE written on its column, if it keeps one.
    fn unnamed_unique_name(&self, _table: &str, _column: &str) -> Option<String> {
        None
    }
    /// The name the server gives a primary key written on its column, if it keeps one.
    fn unnamed_primary_key_name(&self, _table: &str) -> Option<String> {
        None
    }
    /// Whether the catalog keeps a column default as it was written (SQLite), rather than in
    /// a spelling of its own whatever wrote it.
    fn keeps_default_spelling(&self) -> bool {
        false
    }
    /// How the catalog prints the number default `n` of a `ty` column when autogen writes it
    /// (PostgreSQL: a negative one as `'-1'::integer`), where the dialect's catalog spells
    /// numbers its own way; a default the catalog prints otherwise was written otherwise.
    fn stored_number_default(&self, _n: &str, _ty: &ColumnType) -> Option<String> {
        None
    }

    // ---- servers -----------------------------------------------------------------------------

    fn default_flavor(&self) -> Flavor;
    /// The flavour a server's version string reveals.
    fn flavor_of(&self, _server_version: &str) -> Flavor {
        self.default_flavor()
    }
    fn oldest_supported(&self, flavor: Flavor) -> Version;

    // ---- normalization: what the server will report back --------------------------------------

    /// Schema-wide rules (whether enums are types of their own or column types).
    fn normalize_schema(&self, schema: &mut Schema);
    /// A column type as this dialect stores and reports it.
    fn normalize_type(&self, ty: &ColumnType) -> ColumnType;
    /// The type without what only changes how it is displayed (MariaDB's and MySQL 5's integer
    /// display widths, `int(11) unsigned`): two columns whose types differ only so hold the
    /// same values, so a diff plans nothing between them and seeding draws the type's values.
    /// A table or column made anew keeps the width it was declared with.
    fn without_display_width(&self, ty: &ColumnType) -> ColumnType {
        ty.clone()
    }
    /// Column rules beyond the type (comments it cannot keep, how defaults read back).
    fn normalize_column(&self, _column: &mut Column) {}
    /// Table rules (comments, constraint kinds, name truncation).
    fn normalize_table(&self, _table: &mut Table) {}
    /// Whether a column can have this (normalized) type here: named enum types and arrays are
    /// PostgreSQL's (MySQL spells enums as column types, SQLite as text).
    fn holds(&self, ty: &ColumnType) -> bool;
    /// Whether a column of this (normalized) type can be an identity / serial / auto-increment
    /// column.
    fn auto_increments(&self, ty: &ColumnType) -> bool;
    /// Whether a column may say `ON UPDATE CURRENT_TIMESTAMP` (MySQL).
    fn on_update_clause(&self) -> bool {
        false
    }
    /// Why the server cannot hold `name` as a table (`table`) or other name, beyond its length
    /// (which [`max_name_bytes`](SqlDialect::max_name_bytes) bounds).
    fn name_problem(&self, _name: &str, _table: bool) -> Option<String> {
        None
    }
    /// Why the server cannot keep `text` exactly as schema metadata (a comment, an enum value, a
    /// string default): what it reads back would differ.
    fn metadata_text_problem(&self, _text: &str) -> Option<String> {
        None
    }
    /// Why the server cannot keep `value` as an enum value exactly.
    fn enum_value_problem(&self, _value: &str) -> Option<String> {
        None
    }
    /// Whether a plain (btree) index or UNIQUE can key a column of this type: MySQL cannot key
    /// `text`, `blob` or `json` without a prefix length (which a model cannot give); PostgreSQL's
    /// `json` has no btree operator class.
    fn indexable(&self, _ty: &ColumnType) -> bool {
        true
    }
    /// Why the server has no index of `method` (`gin`, `fulltext`), if it has none.
    fn index_method_problem(&self, method: &str) -> Option<String> {
        Some(format!(
            "{} has one kind of index; `using = \"{method}\"` is not one",
            self.name()
        ))
    }
    /// Whether an index may have a predicate (`WHERE …`).
    fn partial_indexes(&self) -> bool {
        true
    }
    /// Whether a foreign key no index leads with gets an index of its own, made when the key is
    /// (MySQL's `KEY` named after the constraint, listed after the table's other keys).
    fn foreign_key_makes_index(&self) -> bool {
        false
    }
    /// Whether a key column may hold NULL unless declared NOT NULL (SQLite's old rule); where
    /// not, the server makes key columns NOT NULL itself.
    fn nullable_key_columns(&self) -> bool {
        false
    }
    /// The type as compared: what it means, not how it is spelled (SQLite's `DATETIME` and
    /// sea-query's `datetime_text` both hold a date and time).
    fn comparable_type(&self, ty: &ColumnType) -> ColumnType {
        self.normalize_type(ty)
    }
    /// The column as compared (`key`: it is part of the primary key on both sides): its type
    /// by [`SqlDialect::comparable_type`], no spellings, `DEFAULT NULL` as no default.
    fn comparable_column(&self, c: &Column, key: bool) -> Column {
        let mut c = c.definition();
        c.ty = self.comparable_type(&c.ty);
        if c.default == Some(DefaultValue::Null) {
            c.default = None;
        }
        if key && self.nullable_key_columns() {
            c.nullable = false;
        }
        if c.generated.is_some() && !self.generated_not_null() {
            c.nullable = true;
        }
        c
    }
    /// Whether a generated column may be `NOT NULL` (MariaDB refuses it: autogen writes none
    /// on MySQL either, and compares a generated column's nullability on neither).
    fn generated_not_null(&self) -> bool {
        true
    }
    /// The action the server enforces for `action` (MySQL checks NO ACTION at once: it is
    /// RESTRICT, and the catalog reports either as it was written).
    fn enforced_action(&self, action: FkAction) -> FkAction {
        action
    }
    /// Whether the server has domains and sequences of its own (PostgreSQL).
    fn domains_and_sequences(&self) -> bool {
        false
    }
    /// Whether a database holds schemas of tables (PostgreSQL): `schema_name` means something.
    fn schemas(&self) -> bool {
        false
    }
    /// Whether an unquoted name in SQL text means its lower-case form (PostgreSQL).
    fn folds_unquoted_names(&self) -> bool {
        false
    }
    /// Whether routines of one name are told apart by their arguments (PostgreSQL): the
    /// arguments are part of a routine's identity and of its DROP.
    fn overloads_routines(&self) -> bool {
        false
    }
    /// Whether tables can be partitioned by a key and inherit another's columns (PostgreSQL).
    fn table_inheritance(&self) -> bool {
        false
    }
    /// Whether a table has a default collation of its own (MySQL).
    fn table_collations(&self) -> bool {
        false
    }
    /// Whether an index may key a column's first characters (`col(191)`: MySQL).
    fn prefix_keys(&self) -> bool {
        false
    }
    /// The name a column's default collation is declared by (`BINARY`, `default`): declared,
    /// it asks for no collation of the column's own.
    fn default_collation(&self) -> Option<&'static str> {
        None
    }
    /// Whether foreign keys can be `DEFERRABLE` and autogen reads it back (PostgreSQL's catalog;
    /// SQLite's table statement, since its pragmas do not say).
    fn deferrable_foreign_keys(&self) -> bool {
        false
    }
    /// A default expression as this dialect's catalog prints it.
    fn parse_default(&self, raw: &str) -> DefaultValue {
        crate::defaults::default_from_sql(raw)
    }
    /// An expression default (an entity's `Expr::cust(…)`) as this dialect's catalog would
    /// read it back, where the catalog's spelling is SQL (PostgreSQL: `''::character varying`
    /// is the empty string). Unchanged where the catalog prints something else.
    fn expression_default(&self, expr: &str) -> DefaultValue {
        DefaultValue::Expr(expr.to_string())
    }

    // ---- what ALTER TABLE can do -------------------------------------------------------------

    fn capabilities(&self) -> Capabilities;
}
