//! The IR both sides of a diff are written in: tables, columns, types, defaults, keys, enums.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// A whole database schema (one PostgreSQL schema, one SQLite file, one MySQL database).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    /// Tables by name.
    pub tables: BTreeMap<String, Table>,
    /// Database enum types by name (PostgreSQL `CREATE TYPE … AS ENUM`).
    pub enums: BTreeMap<String, EnumType>,
    /// PostgreSQL domains by name (`CREATE DOMAIN`), which columns name as their type.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub domains: BTreeMap<String, Domain>,
    /// PostgreSQL sequences that column defaults use (`nextval('…')`) and that are not a
    /// `serial` column's own, by name. Created when missing; never dropped (one no default uses
    /// any more is left alone).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub sequences: BTreeSet<String>,
    /// The options of those of [`Schema::sequences`] made with any (`START WITH 1000`), by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sequence_options: BTreeMap<String, crate::SequenceOptions>,
    /// Database side: what the catalog holds that autogen does not model (views, triggers,
    /// partitions, …), counted by kind. Never dropped, never compared.
    #[serde(default, skip_serializing_if = "LeftAlone::is_empty")]
    pub left_alone: LeftAlone,
    /// Database side: names of relations autogen leaves alone (views, partitions, virtual
    /// tables, ...). An entity for one (SeaORM maps views too) is left alone as well.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub unmanaged: BTreeSet<String>,
    /// PostgreSQL extensions (`citext`, `uuid-ossp`, …): created when the entities declare one
    /// the database lacks, never dropped by a diff.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub extensions: BTreeSet<String>,
    /// The schema an extension's objects live in (`CREATE EXTENSION … WITH SCHEMA`), for each
    /// extension that is not in the connection's own schema.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extension_schemas: BTreeMap<String, String>,
    /// Views, materialized views, functions, procedures, aggregates and triggers, by
    /// [`SqlObject::key`](crate::SqlObject::key).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub objects: BTreeMap<String, crate::SqlObject>,
    /// Database side (PostgreSQL): the connection's own schema, whose tables are keyed by their
    /// bare name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_schema: Option<String>,
}

/// What autogen leaves alone in a database, counted by kind (`views`, `partitions`, …).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct LeftAlone(pub BTreeMap<String, usize>);

impl LeftAlone {
    /// Counts `n` more of `kind` (a plural noun: `views`, `check constraints`).
    pub fn add(&mut self, kind: &str, n: usize) {
        if n > 0 {
            *self.0.entry(kind.to_string()).or_default() += n;
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn extend(&mut self, other: &LeftAlone) {
        for (kind, n) in &other.0 {
            self.add(kind, *n);
        }
    }
}

impl fmt::Display for LeftAlone {
    /// `7 views, 5 partitions`, largest count first.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut kinds: Vec<(&String, &usize)> = self.0.iter().collect();
        kinds.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let parts: Vec<String> = kinds
            .iter()
            .map(|(k, n)| match n {
                1 => format!("1 {}", singular(k)),
                n => format!("{n} {k}"),
            })
            .collect();
        f.write_str(&parts.join(", "))
    }
}

/// `views` -> `view`, `check constraints` -> `check constraint`, `indexes autogen cannot
/// recreate` -> `index autogen cannot recreate`, `inheriting tables no entity declares` ->
/// `inheriting table no entity declares`: the plural noun is the last word, or the one before
/// the first clause.
fn singular(kind: &str) -> String {
    let noun = |w: &str| -> String {
        if w.ends_with("ics") {
            // `statistics`: one object of extended statistics is still `statistics`.
            w.to_string()
        } else if let Some(stem) = w.strip_suffix("ies") {
            format!("{stem}y")
        } else if let Some(stem) = w.strip_suffix("xes") {
            format!("{stem}x")
        } else {
            w.strip_suffix('s').unwrap_or(w).to_string()
        }
    };
    let words: Vec<&str> = kind.split(' ').collect();
    let clause = words
        .iter()
        .position(|w| matches!(*w, "in" | "of" | "the" | "autogen" | "no" | "whose"));
    let at = match clause {
        Some(c) => c.saturating_sub(1),
        None => words.len() - 1,
    };
    words
        .iter()
        .enumerate()
        .map(|(i, w)| if i == at { noun(w) } else { w.to_string() })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A PostgreSQL domain: a base type with an optional default, NOT NULL and CHECKs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Domain {
    pub name: String,
    /// The base type as the server prints it (`integer`, `character varying(20)`).
    pub base: String,
    pub not_null: bool,
    /// The default expression as the server prints it.
    pub default: Option<String>,
    /// Named CHECK constraints, each as the server prints it (`CHECK ((VALUE >= 1901))`).
    pub checks: Vec<DomainCheck>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DomainCheck {
    pub name: String,
    pub definition: String,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EnumType {
    pub name: String,
    /// Values in declaration order; the order is significant.
    pub values: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub name: String,
    /// Columns in declaration order.
    pub columns: Vec<Column>,
    /// Primary key columns in key order (empty: no primary key).
    pub primary_key: Vec<String>,
    /// The primary key constraint's name, where the database keeps one (PostgreSQL) or the
    /// model declares it. Compared only when both sides have one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_key_name: Option<String>,
    pub uniques: Vec<Unique>,
    pub indexes: Vec<Index>,
    pub foreign_keys: Vec<ForeignKey>,
    pub comment: Option<String>,
    /// Model side only: the table's previous name (`renamed_from`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub renamed_from: Option<String>,
    /// Model side only: columns of `#[sea_orm(ignore)]` fields. A database column of that
    /// name, and what is built on it, is left alone: never dropped, never altered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignored: Vec<String>,
    /// Database side, where the dialect rebuilds tables (SQLite): the SQL of what autogen
    /// leaves alone on this table and a rebuild must recreate (triggers, expression indexes).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub kept: Vec<String>,
    /// CHECK constraints, each compared by name (where both sides have one) and by its
    /// definition as the server renders it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<Check>,
    /// Database side: what a rebuild of this table could not carry over (CHECK constraints,
    /// generated columns), described for the error that refuses such a rebuild.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rebuild_would_lose: Vec<String>,
    /// PostgreSQL: a partitioned table's partition key, as `pg_get_partkeydef` prints it
    /// (`RANGE (payment_date)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_by: Option<String>,
    /// PostgreSQL: the partitioned table this table is a partition of, with its bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_of: Option<PartitionOf>,
    /// PostgreSQL: the tables this one inherits columns from (`INHERITS`), in order (keys).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inherits: Vec<String>,
    /// MySQL: the table's default collation (and so character set) where it is not the
    /// database's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// Table options that change how rows are kept, each as the dialect spells it: SQLite's
    /// `WITHOUT ROWID` and `STRICT`; MySQL's `ENGINE=…` (where not the server's default) and its
    /// `CREATE TABLE` options (`ROW_FORMAT=COMPRESSED`, `STATS_PERSISTENT=0`, …); PostgreSQL's
    /// `UNLOGGED` and storage parameters (`WITH (fillfactor=70)`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
}

/// A partition's parent and bound.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionOf {
    /// The partitioned table (its key).
    pub table: String,
    /// `FOR VALUES FROM (…) TO (…)`, `FOR VALUES IN (…)`, `FOR VALUES WITH (…)` or `DEFAULT`,
    /// as `pg_get_expr(relpartbound)` prints it.
    pub bound: String,
}

impl Schema {
    /// What autogen models of this schema: without the database side's notes on what it leaves
    /// alone (the counts, the names of unmanaged relations, the connection's own schema, what a
    /// rebuild carries over or cannot, which CHECKs autogen owns).
    pub fn modelled(mut self) -> Schema {
        self.left_alone = LeftAlone::default();
        self.unmanaged.clear();
        self.default_schema = None;
        for t in self.tables.values_mut() {
            t.kept.clear();
            t.rebuild_would_lose.clear();
            for c in &mut t.checks {
                c.owned = false;
            }
        }
        for o in self.objects.values_mut() {
            o.owned = false;
            o.file = None;
        }
        self
    }

    /// Keys the tables of `schema` by their bare name (it is the connection's own), in the
    /// tables and in the foreign keys that reference them.
    pub fn unqualify(&mut self, schema: &str) {
        let bare = |key: &str| match crate::lexical::split_qualified(key) {
            (Some(s), table) if s == schema => table.to_string(),
            _ => key.to_string(),
        };
        let tables = std::mem::take(&mut self.tables);
        for (key, mut table) in tables {
            table.name = bare(&key);
            for fk in &mut table.foreign_keys {
                fk.ref_table = bare(&fk.ref_table);
            }
            self.tables.insert(table.name.clone(), table);
        }
    }
}

impl Table {
    pub fn new(name: impl Into<String>) -> Table {
        Table {
            name: name.into(),
            ..Table::default()
        }
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    pub fn column_mut(&mut self, name: &str) -> Option<&mut Column> {
        self.columns.iter_mut().find(|c| c.name == name)
    }

    /// Names of the tables this table needs to exist first: those it references through
    /// foreign keys (itself excluded), the table it is a partition of, those it inherits from.
    pub fn referenced_tables(&self) -> impl Iterator<Item = &str> {
        self.foreign_keys
            .iter()
            .map(|fk| fk.ref_table.as_str())
            .chain(self.partition_of.iter().map(|p| p.table.as_str()))
            .chain(self.inherits.iter().map(String::as_str))
            .filter(move |t| *t != self.name)
    }

    /// The tables it takes columns from: the one it is a partition of, those it inherits from.
    pub fn parents(&self) -> impl Iterator<Item = &str> {
        self.partition_of
            .iter()
            .map(|p| p.table.as_str())
            .chain(self.inherits.iter().map(String::as_str))
    }

    /// How it is tied to other tables' columns: its partition key, its parent and bound, what
    /// it inherits (what autogen creates but does not change).
    pub fn lineage(&self) -> (Option<&str>, Option<&PartitionOf>, &[String]) {
        (
            self.partition_by.as_deref(),
            self.partition_of.as_ref(),
            &self.inherits,
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: ColumnType,
    pub nullable: bool,
    pub default: Option<DefaultValue>,
    /// The default as SQL, where the exact spelling is known and matters (`now()` rather than
    /// `CURRENT_TIMESTAMP`): what the database printed, or an entity's `Expr::cust(…)`.
    /// Written as it is; never compared (`default` is).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_sql: Option<String>,
    /// The database generates the value: `serial`/identity on PostgreSQL (or a `nextval(…)`
    /// default, kept in `default`), `AUTOINCREMENT` on SQLite, `AUTO_INCREMENT` on MySQL.
    pub auto_increment: bool,
    /// MySQL's `ON UPDATE CURRENT_TIMESTAMP` (SeaORM: `extra = "ON UPDATE CURRENT_TIMESTAMP"`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub on_update: Option<DefaultValue>,
    pub comment: Option<String>,
    /// Model side only: the column's previous name (`renamed_from`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub renamed_from: Option<String>,
    /// PostgreSQL: the sequence this column's `nextval(…)` default draws from belongs to the
    /// column (`serial`, or `ALTER SEQUENCE … OWNED BY`): it goes with the column.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub owns_sequence: bool,
    /// PostgreSQL: an identity column `GENERATED ALWAYS` (an insert may not give a value unless
    /// it says `OVERRIDING SYSTEM VALUE`) rather than `BY DEFAULT`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub identity_always: bool,
    /// PostgreSQL: an identity column's sequence where its name or options are not the
    /// defaults. An entity that names no sequence speaks for the options only: a sequence
    /// whose table was renamed keeps its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_sequence: Option<crate::IdentitySequence>,
    /// The column's collation where it is not the default: its table's (MySQL), its type's
    /// (PostgreSQL), `BINARY` (SQLite).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// The database computes the column from others (`GENERATED ALWAYS AS (…)`): it has no
    /// default and takes no value on insert.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<Generated>,
}

/// A generated column's expression, as the server renders it once created (compared as such,
/// like a CHECK's), and whether its values are stored or computed when read.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Generated {
    pub expression: String,
    pub stored: bool,
}

impl Column {
    pub fn new(name: impl Into<String>, ty: ColumnType) -> Column {
        Column {
            name: name.into(),
            ty,
            nullable: false,
            default: None,
            default_sql: None,
            auto_increment: false,
            on_update: None,
            comment: None,
            renamed_from: None,
            owns_sequence: false,
            identity_always: false,
            identity_sequence: None,
            collation: None,
            generated: None,
        }
    }

    /// The column with model-only annotations and spellings removed, for comparing
    /// definitions.
    pub fn definition(&self) -> Column {
        Column {
            renamed_from: None,
            default_sql: None,
            ..self.clone()
        }
    }
}

/// Column types, following sea-query's `ColumnType` (which SeaORM maps Rust types to).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ColumnType {
    TinyInteger,
    SmallInteger,
    Integer,
    BigInteger,
    TinyUnsigned,
    SmallUnsigned,
    Unsigned,
    BigUnsigned,
    Float,
    Double,
    Decimal(Option<(u32, u32)>),
    Char(Option<u32>),
    /// `varchar(n)`; `None` is SeaORM's unsized `String`.
    String(Option<u32>),
    Text,
    Boolean,
    Date,
    Time,
    /// Timestamp without time zone, as SeaORM's `DateTime` (chrono `NaiveDateTime`).
    DateTime,
    Timestamp,
    TimestampWithTimeZone,
    Uuid,
    Json,
    JsonBinary,
    Binary(u32),
    VarBinary(Option<u32>),
    Blob,
    /// A named database enum (its values live in [`Schema::enums`]).
    Enum(String),
    Array(Box<ColumnType>),
    /// A type spelled verbatim (`column_type = "Custom(...)"`), or one autogen does not model.
    Custom(String),
}

impl ColumnType {
    /// Integers of every width and signedness, floats and decimals.
    pub fn is_numeric(&self) -> bool {
        use ColumnType as T;
        matches!(
            self,
            T::TinyInteger
                | T::SmallInteger
                | T::Integer
                | T::BigInteger
                | T::TinyUnsigned
                | T::SmallUnsigned
                | T::Unsigned
                | T::BigUnsigned
                | T::Float
                | T::Double
                | T::Decimal(_)
        )
    }
}

impl fmt::Display for ColumnType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ColumnType::Decimal(Some((p, s))) => write!(f, "Decimal({p}, {s})"),
            ColumnType::Char(Some(n)) => write!(f, "Char({n})"),
            ColumnType::String(Some(n)) => write!(f, "String({n})"),
            ColumnType::String(None) => f.write_str("String"),
            ColumnType::Binary(n) => write!(f, "Binary({n})"),
            ColumnType::VarBinary(Some(n)) => write!(f, "VarBinary({n})"),
            ColumnType::Enum(name) => write!(f, "Enum({name})"),
            ColumnType::Array(inner) => write!(f, "Array({inner})"),
            ColumnType::Custom(s) => write!(f, "Custom({s})"),
            other => {
                let s = format!("{other:?}");
                f.write_str(s.split('(').next().unwrap_or(&s))
            }
        }
    }
}

/// A column default, in a form that compares equal however the database spells it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum DefaultValue {
    Null,
    Bool(bool),
    /// A numeric literal in canonical form (see [`canonical_number`]).
    Number(String),
    String(String),
    CurrentTimestamp,
    CurrentDate,
    CurrentTime,
    /// Any other SQL expression, verbatim.
    Expr(String),
}

impl fmt::Display for DefaultValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DefaultValue::Null => f.write_str("NULL"),
            DefaultValue::Bool(b) => write!(f, "{b}"),
            DefaultValue::Number(n) => f.write_str(n),
            DefaultValue::String(s) => f.write_str(&crate::lexical::quote_string(s)),
            DefaultValue::CurrentTimestamp => f.write_str("CURRENT_TIMESTAMP"),
            DefaultValue::CurrentDate => f.write_str("CURRENT_DATE"),
            DefaultValue::CurrentTime => f.write_str("CURRENT_TIME"),
            DefaultValue::Expr(e) => f.write_str(e),
        }
    }
}

/// A CHECK constraint of a table.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Check {
    /// The constraint's name: the database always keeps one (SQLite only where the table's SQL
    /// says `CONSTRAINT name`); a model check without one is matched by its definition.
    pub name: Option<String>,
    /// `CHECK (…)` as the server renders it (PostgreSQL's `pg_get_constraintdef`, MySQL's
    /// `SHOW CREATE TABLE`; SQLite keeps the text as written). The model side's text is put in
    /// the server's rendering before a diff (`introspect::render_checks`).
    pub definition: String,
    /// Model side only: the entity gave no name; autogen derived this one (`<table>_check`),
    /// and the database's CHECK of the same definition matches it by any name.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub derived: bool,
    /// Database side: autogen created this constraint (a revision or an adoption baseline
    /// recorded it). One no entity declares is dropped only when autogen owns it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub owned: bool,
    /// The column it was declared on or is part of the definition of (MariaDB's column-level
    /// CHECK, named after its column). Not compared: it says how MariaDB makes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
}

impl Check {
    /// What a revision header records it by: its name, or its definition where it has none.
    pub fn key(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.definition)
    }
}

/// A UNIQUE constraint. Compared by its columns (databases name unnamed constraints
/// themselves), and by name where both sides have one.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Unique {
    pub name: Option<String>,
    pub columns: Vec<String>,
    /// Model side only: the name is SeaORM's derivation (MySQL keeps a `unique_key` index as
    /// its UNIQUE), not one the entity chose.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub derived: bool,
}

impl Unique {
    /// The name both sides must agree on: one the database keeps or the model chose.
    pub fn chosen_name(&self) -> Option<&str> {
        (!self.derived).then_some(self.name.as_deref()).flatten()
    }
}

/// An index that is not a constraint. Compared by name, except that one whose name the model
/// did not choose ([`Index::derived`]) matches an index of the same definition by any name.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Index {
    pub name: String,
    pub columns: Vec<String>,
    pub unique: bool,
    /// Partial index predicate (`WHERE …`), as the database prints it.
    pub predicate: Option<String>,
    /// The index method where it is not the default B-tree: PostgreSQL's `gin`, `gist`,
    /// `hash`, `brin`, `spgist`; MySQL's `fulltext`, `spatial`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub using: Option<String>,
    /// Model side only: the name is SeaORM's derivation (`indexed`, `unique_key`), not one the
    /// entity chose.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub derived: bool,
    /// MySQL: each key column's prefix length (`meta_key(191)`), 0 for the whole column, in
    /// key order; empty when no key has one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lengths: Vec<u32>,
}

impl Index {
    /// Everything that makes the index what it is, without its name: what an index whose name
    /// was derived is matched by.
    pub fn same_definition(&self, other: &Index) -> bool {
        self.columns == other.columns
            && self.unique == other.unique
            && self.predicate == other.predicate
            && self.using == other.using
            && self.lengths == other.lengths
    }

    /// A unique B-tree index over whole columns, with no predicate: the same thing as a UNIQUE
    /// constraint over those columns.
    pub fn is_plain_unique(&self) -> bool {
        self.unique && self.predicate.is_none() && self.using.is_none() && self.lengths.is_empty()
    }

    /// Key `i`'s prefix length, where it has one.
    pub fn length(&self, i: usize) -> Option<u32> {
        self.lengths.get(i).copied().filter(|n| *n > 0)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ForeignKey {
    /// Constraint name; SQLite does not keep one, so FKs are compared without it.
    pub name: Option<String>,
    pub columns: Vec<String>,
    pub ref_table: String,
    pub ref_columns: Vec<String>,
    pub on_delete: FkAction,
    pub on_update: FkAction,
    /// PostgreSQL: checked at the end of the transaction rather than at once (`DEFERRABLE`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deferrable: Option<Deferrable>,
}

/// When a `DEFERRABLE` foreign key is checked unless a transaction says otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Deferrable {
    /// `DEFERRABLE INITIALLY IMMEDIATE`.
    InitiallyImmediate,
    /// `DEFERRABLE INITIALLY DEFERRED`.
    InitiallyDeferred,
}

impl Deferrable {
    /// The clause after the key's actions.
    pub fn sql(self) -> &'static str {
        match self {
            Deferrable::InitiallyImmediate => "DEFERRABLE INITIALLY IMMEDIATE",
            Deferrable::InitiallyDeferred => "DEFERRABLE INITIALLY DEFERRED",
        }
    }

    /// The declaration's spelling: `immediate`, `deferred`.
    pub fn word(self) -> &'static str {
        match self {
            Deferrable::InitiallyImmediate => "immediate",
            Deferrable::InitiallyDeferred => "deferred",
        }
    }

    pub fn parse(word: &str) -> Option<Deferrable> {
        match word {
            "immediate" => Some(Deferrable::InitiallyImmediate),
            "deferred" => Some(Deferrable::InitiallyDeferred),
            _ => None,
        }
    }
}

impl ForeignKey {
    /// The key without its name: what is compared (SQLite keeps no foreign-key names).
    pub fn unnamed(&self) -> ForeignKey {
        ForeignKey {
            name: None,
            ..self.clone()
        }
    }
}

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum FkAction {
    #[default]
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

impl FkAction {
    pub fn sql(self) -> &'static str {
        match self {
            FkAction::NoAction => "NO ACTION",
            FkAction::Restrict => "RESTRICT",
            FkAction::Cascade => "CASCADE",
            FkAction::SetNull => "SET NULL",
            FkAction::SetDefault => "SET DEFAULT",
        }
    }

    /// Parses `CASCADE`, `SET NULL`, … (any case, spaces or underscores) and SeaORM's variant names.
    pub fn parse(s: &str) -> Option<FkAction> {
        let norm: String = s
            .chars()
            .filter(|c| !matches!(c, ' ' | '_'))
            .collect::<String>()
            .to_ascii_lowercase();
        Some(match norm.as_str() {
            "noaction" | "a" => FkAction::NoAction,
            "restrict" | "r" => FkAction::Restrict,
            "cascade" | "c" => FkAction::Cascade,
            "setnull" | "n" => FkAction::SetNull,
            "setdefault" | "d" => FkAction::SetDefault,
            _ => return None,
        })
    }
}

impl Schema {
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.get(name)
    }

    pub fn add_table(&mut self, table: Table) {
        self.tables.insert(table.name.clone(), table);
    }

    /// Columns (table, column) whose type is the named domain.
    pub fn domain_users(&self, domain: &str) -> usize {
        self.tables
            .values()
            .flat_map(|t| &t.columns)
            .filter(|c| matches!(&c.ty, ColumnType::Custom(t) if t == domain))
            .count()
    }

    /// Columns (table, column) whose type is the named enum.
    pub fn enum_users(&self, enum_name: &str) -> Vec<(&Table, &Column)> {
        let mut out = Vec::new();
        for t in self.tables.values() {
            for c in &t.columns {
                if column_uses_enum(&c.ty, enum_name) {
                    out.push((t, c));
                }
            }
        }
        out
    }
}

fn column_uses_enum(ty: &ColumnType, enum_name: &str) -> bool {
    match ty {
        ColumnType::Enum(n) => n == enum_name,
        ColumnType::Array(inner) => column_uses_enum(inner, enum_name),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn left_alone_reads_as_english() {
        let mut l = LeftAlone::default();
        l.add("views", 7);
        l.add("materialized views", 1);
        l.add("indexes autogen cannot recreate", 1);
        l.add("tables in other schemas", 2);
        l.add("triggers", 0);
        l.add("entities of views", 1);
        assert_eq!(
            l.to_string(),
            "7 views, 2 tables in other schemas, 1 entity of views, 1 index autogen cannot \
             recreate, 1 materialized view"
        );
    }

    #[test]
    fn fk_action_parse() {
        assert_eq!(FkAction::parse("SET NULL"), Some(FkAction::SetNull));
        assert_eq!(FkAction::parse("SetNull"), Some(FkAction::SetNull));
        assert_eq!(FkAction::parse("no action"), Some(FkAction::NoAction));
        assert_eq!(FkAction::parse("Cascade"), Some(FkAction::Cascade));
        assert_eq!(FkAction::parse("explode"), None);
    }

    #[test]
    fn enum_users_finds_arrays_too() {
        let mut s = Schema::default();
        let mut t = Table::new("t");
        t.columns
            .push(Column::new("a", ColumnType::Enum("e".into())));
        t.columns.push(Column::new(
            "b",
            ColumnType::Array(Box::new(ColumnType::Enum("e".into()))),
        ));
        t.columns.push(Column::new("c", ColumnType::Text));
        s.add_table(t);
        let users: Vec<_> = s
            .enum_users("e")
            .into_iter()
            .map(|(_, c)| c.name.as_str())
            .collect();
        assert_eq!(users, ["a", "b"]);
    }
}

/// Which namespace a name autogen creates lives in, as each dialect keeps them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    /// An index: PostgreSQL's relations of the table's schema, MySQL's indexes of the table,
    /// SQLite's objects of the database.
    Index,
    /// A constraint without an index (a foreign key, a CHECK): PostgreSQL's constraints of the
    /// table, MySQL's of the database; SQLite keeps no such names.
    Constraint,
    /// A UNIQUE constraint: both.
    Unique,
}

/// A name asked about before a plan uses it: is it held on (or near) `table`?
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameProbe {
    pub table: String,
    pub kind: NameKind,
    pub name: String,
}
