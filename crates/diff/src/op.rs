//! Operations: data that knows its inverse and its hazards.

use autogen_schema::lexical::display_name;
use autogen_schema::{
    Check, Column, ColumnType, Domain, EnumType, ForeignKey, Index, SequenceOptions, SqlObject,
    Table, Unique,
};
use serde::Serialize;

/// Where a new enum value goes, relative to an existing one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum EnumPosition {
    Before(String),
    After(String),
    Last,
}

/// A column whose type is an enum being recreated, with what it needs to be converted back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnumColumn {
    pub table: String,
    pub column: String,
    pub default: Option<autogen_schema::DefaultValue>,
    pub array: bool,
}

/// A table's primary key: its columns in key order (none: no key) and, where known, its
/// constraint's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrimaryKey {
    pub name: Option<String>,
    pub columns: Vec<String>,
}

/// Whether an index, UNIQUE or the primary key of `t` starts with `columns`, in order: what
/// MySQL can back a foreign key on those columns with.
pub fn covered(t: &Table, columns: &[String]) -> bool {
    let starts = |cols: &[String]| cols.len() >= columns.len() && cols[..columns.len()] == *columns;
    starts(&t.primary_key)
        || t.indexes
            .iter()
            .any(|i| i.predicate.is_none() && starts(&i.columns))
        || t.uniques.iter().any(|u| starts(&u.columns))
}

impl PrimaryKey {
    pub fn of(t: &Table) -> PrimaryKey {
        PrimaryKey {
            name: t.primary_key_name.clone(),
            columns: t.primary_key.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
// A plan holds tens of operations, not millions: boxing a rebuild's tables would cost every
// match on them more than the bytes it saves.
#[allow(clippy::large_enum_variant)]
pub enum Op {
    CreateEnum(EnumType),
    DropEnum(EnumType),
    /// PostgreSQL `CREATE DOMAIN`, before the tables whose columns use it.
    CreateDomain(Domain),
    DropDomain(Domain),
    /// PostgreSQL `CREATE SEQUENCE`, for a column default's `nextval('…')`.
    /// PostgreSQL: `CREATE EXTENSION IF NOT EXISTS` (a diff never drops one; the reverse of a
    /// creation does).
    CreateExtension {
        name: String,
        /// `WITH SCHEMA`: where its objects go, when not the connection's own schema.
        schema: Option<String>,
    },
    DropExtension {
        name: String,
        schema: Option<String>,
    },
    CreateSequence {
        name: String,
        #[serde(skip_serializing_if = "SequenceOptions::is_default")]
        options: SequenceOptions,
    },
    DropSequence {
        name: String,
        #[serde(skip_serializing_if = "SequenceOptions::is_default")]
        options: SequenceOptions,
    },
    /// `ALTER TYPE … ADD VALUE`; reversed by recreating the type with `before`'s values.
    AddEnumValue {
        name: String,
        value: String,
        position: EnumPosition,
        /// The values before this op, and the columns that use the type (for the reverse).
        before: Vec<String>,
        columns: Vec<EnumColumn>,
    },
    /// Rename the type away, create it with `to`, convert `columns`, drop the old one.
    RecreateEnum {
        name: String,
        from: Vec<String>,
        to: Vec<String>,
        columns: Vec<EnumColumn>,
    },
    CreateTable(Table),
    DropTable(Table),
    RenameTable {
        from: String,
        to: String,
    },
    AddColumn {
        table: String,
        column: Column,
    },
    DropColumn {
        table: String,
        column: Column,
    },
    RenameColumn {
        table: String,
        from: String,
        to: String,
    },
    AlterColumn {
        table: String,
        from: Column,
        to: Column,
    },
    CreateIndex {
        table: String,
        index: Index,
    },
    DropIndex {
        table: String,
        index: Index,
    },
    AddUnique {
        table: String,
        unique: Unique,
    },
    DropUnique {
        table: String,
        unique: Unique,
    },
    AddForeignKey {
        table: String,
        fk: ForeignKey,
        /// An index of the table starts with the key's columns (MySQL uses it for the key
        /// instead of making one of its own).
        covered: bool,
    },
    DropForeignKey {
        table: String,
        fk: ForeignKey,
        covered: bool,
    },
    /// A CHECK constraint added to a kept table (PostgreSQL online: `NOT VALID`, then
    /// `VALIDATE CONSTRAINT`).
    AddCheck {
        table: String,
        check: Check,
    },
    DropCheck {
        table: String,
        check: Check,
    },
    SetTableComment {
        table: String,
        from: Option<String>,
        to: Option<String>,
    },
    /// The primary key dropped and added anew (either side may be no key).
    AlterPrimaryKey {
        table: String,
        from: PrimaryKey,
        to: PrimaryKey,
    },
    /// A view, materialized view, function, procedure, aggregate or trigger, created from its
    /// statement.
    CreateObject(SqlObject),
    DropObject(SqlObject),
    /// A routine replaced in place (`CREATE OR REPLACE`), so that what calls it stays.
    ReplaceObject {
        from: SqlObject,
        to: SqlObject,
    },
    /// SQLite: a change its `ALTER TABLE` cannot make, made by building the table anew (`to`),
    /// copying the rows of the columns both versions have, dropping the old one and renaming.
    RebuildTable {
        from: Table,
        to: Table,
    },
}

/// `a, b(191)`: an index's key columns with their prefix lengths.
fn key_columns(index: &Index) -> String {
    let keys: Vec<String> = (index.columns.iter().enumerate())
        .map(|(i, c)| match index.length(i) {
            Some(n) => format!("{c}({n})"),
            None => c.clone(),
        })
        .collect();
    keys.join(", ")
}

impl Op {
    /// What a rebuild changes, in the words `describe` uses for single changes.
    fn rebuild_changes(from: &Table, to: &Table) -> Vec<String> {
        let mut out = Vec::new();
        for c in &to.columns {
            match from.column(&c.name) {
                None => out.push(format!("add column {}", c.name)),
                Some(old) if old != c => out.push(format!("alter column {}", c.name)),
                Some(_) => {}
            }
        }
        for c in &from.columns {
            if to.column(&c.name).is_none() {
                out.push(format!("drop column {}", c.name));
            }
        }
        if from.primary_key != to.primary_key {
            out.push("change primary key".into());
        }
        let fks = |t: &Table| -> Vec<ForeignKey> {
            t.foreign_keys.iter().map(ForeignKey::unnamed).collect()
        };
        if fks(from) != fks(to) {
            out.push("change foreign keys".into());
        }
        let uniques = |t: &Table| -> Vec<Vec<String>> {
            t.uniques.iter().map(|u| u.columns.clone()).collect()
        };
        if uniques(from) != uniques(to) {
            out.push("change UNIQUE constraints".into());
        }
        if from.indexes != to.indexes {
            out.push("change indexes".into());
        }
        let checks = |t: &Table| -> Vec<(String, String)> {
            t.checks
                .iter()
                .map(|c| (c.key().to_string(), c.definition.clone()))
                .collect()
        };
        if checks(from) != checks(to) {
            out.push("change CHECK constraints".into());
        }
        out
    }
}

impl Op {
    /// The operation that undoes this one.
    pub fn reverse(&self) -> Op {
        match self.clone() {
            Op::CreateEnum(e) => Op::DropEnum(e),
            Op::DropEnum(e) => Op::CreateEnum(e),
            Op::CreateDomain(d) => Op::DropDomain(d),
            Op::DropDomain(d) => Op::CreateDomain(d),
            Op::CreateExtension { name, schema } => Op::DropExtension { name, schema },
            Op::DropExtension { name, schema } => Op::CreateExtension { name, schema },
            Op::CreateSequence { name, options } => Op::DropSequence { name, options },
            Op::DropSequence { name, options } => Op::CreateSequence { name, options },
            Op::AddEnumValue {
                name,
                value,
                position,
                before,
                columns,
            } => {
                let mut after = before.clone();
                insert_enum_value(&mut after, &value, &position);
                Op::RecreateEnum {
                    name,
                    from: after,
                    to: before,
                    columns,
                }
            }
            Op::RecreateEnum {
                name,
                from,
                to,
                columns,
            } => Op::RecreateEnum {
                name,
                from: to,
                to: from,
                columns,
            },
            Op::CreateTable(t) => Op::DropTable(t),
            Op::DropTable(t) => Op::CreateTable(t),
            Op::RenameTable { from, to } => Op::RenameTable { from: to, to: from },
            Op::AddColumn { table, column } => Op::DropColumn { table, column },
            Op::DropColumn { table, column } => Op::AddColumn { table, column },
            Op::RenameColumn { table, from, to } => Op::RenameColumn {
                table,
                from: to,
                to: from,
            },
            Op::AlterColumn { table, from, to } => Op::AlterColumn {
                table,
                from: to,
                to: from,
            },
            Op::CreateIndex { table, index } => Op::DropIndex { table, index },
            Op::DropIndex { table, index } => Op::CreateIndex { table, index },
            Op::AddUnique { table, unique } => Op::DropUnique { table, unique },
            Op::DropUnique { table, unique } => Op::AddUnique { table, unique },
            Op::AddForeignKey { table, fk, covered } => Op::DropForeignKey { table, fk, covered },
            Op::DropForeignKey { table, fk, covered } => Op::AddForeignKey { table, fk, covered },
            Op::AddCheck { table, check } => Op::DropCheck { table, check },
            Op::DropCheck { table, check } => Op::AddCheck { table, check },
            Op::SetTableComment { table, from, to } => Op::SetTableComment {
                table,
                from: to,
                to: from,
            },
            Op::AlterPrimaryKey { table, from, to } => Op::AlterPrimaryKey {
                table,
                from: to,
                to: from,
            },
            Op::RebuildTable { from, to } => Op::RebuildTable { from: to, to: from },
            Op::CreateObject(o) => Op::DropObject(o),
            Op::DropObject(o) => Op::CreateObject(o),
            Op::ReplaceObject { from, to } => Op::ReplaceObject { from: to, to: from },
        }
    }

    /// One line for people: `create table fees`, `add column fees.description`.
    pub fn describe(&self) -> String {
        // A table of another schema reads `billing.invoice`.
        display_name(&self.describe_keys())
    }

    fn describe_keys(&self) -> String {
        match self {
            Op::CreateEnum(e) => format!("create enum {} ({})", e.name, e.values.join(", ")),
            Op::DropEnum(e) => format!("drop enum {}", e.name),
            Op::CreateDomain(d) => format!("create domain {} ({})", d.name, d.base),
            Op::DropDomain(d) => format!("drop domain {}", d.name),
            Op::CreateExtension { name, schema } => match schema {
                Some(s) => format!("create extension {name} in schema {s}"),
                None => format!("create extension {name}"),
            },
            Op::DropExtension { name, .. } => format!("drop extension {name}"),
            Op::CreateSequence { name, options } if !options.is_default() => {
                format!("create sequence {name} {}", options.clause())
            }
            Op::CreateSequence { name, .. } => format!("create sequence {name}"),
            Op::DropSequence { name, .. } => format!("drop sequence {name}"),
            Op::AddEnumValue {
                name,
                value,
                position,
                ..
            } => match position {
                EnumPosition::Before(v) => {
                    format!("add value '{value}' to enum {name} before '{v}'")
                }
                EnumPosition::After(v) => format!("add value '{value}' to enum {name} after '{v}'"),
                EnumPosition::Last => format!("add value '{value}' to enum {name}"),
            },
            Op::RecreateEnum { name, from, to, .. } => format!(
                "recreate enum {name}: ({}) -> ({})",
                from.join(", "),
                to.join(", ")
            ),
            Op::CreateTable(t) => format!("create table {}", t.name),
            Op::DropTable(t) => format!("drop table {}", t.name),
            Op::RenameTable { from, to } => format!("rename table {from} to {to}"),
            Op::AddColumn { table, column } => {
                format!(
                    "add column {table}.{} {}",
                    column.name,
                    column_words(column)
                )
            }
            Op::DropColumn { table, column } => format!("drop column {table}.{}", column.name),
            Op::RenameColumn { table, from, to } => {
                format!("rename column {table}.{from} to {to}")
            }
            Op::AlterColumn { table, from, to } => describe_alter(table, from, to),
            Op::CreateIndex { table, index } => format!(
                "create {}index {} on {table}{} ({}){}",
                if index.unique { "unique " } else { "" },
                index.name,
                match &index.using {
                    Some(m) => format!(" using {m}"),
                    None => String::new(),
                },
                key_columns(index),
                match &index.predicate {
                    Some(p) => format!(" where {p}"),
                    None => String::new(),
                }
            ),
            Op::DropIndex { table, index } => format!("drop index {} on {table}", index.name),
            Op::AddUnique { table, unique } => {
                format!("add unique ({}) on {table}", unique.columns.join(", "))
            }
            Op::DropUnique { table, unique } => {
                format!("drop unique ({}) on {table}", unique.columns.join(", "))
            }
            Op::AddForeignKey { table, fk, .. } => format!(
                "add foreign key {table}({}) -> {}({})",
                fk.columns.join(", "),
                fk.ref_table,
                fk.ref_columns.join(", ")
            ),
            Op::DropForeignKey { table, fk, .. } => format!(
                "drop foreign key {table}({}) -> {}",
                fk.columns.join(", "),
                fk.ref_table
            ),
            Op::AddCheck { table, check } => {
                format!("add check {} on {table}: {}", check.key(), check.definition)
            }
            Op::DropCheck { table, check } => format!("drop check {} on {table}", check.key()),
            Op::SetTableComment { table, .. } => format!("set comment on table {table}"),
            Op::AlterPrimaryKey { table, from, to } => match (&from.columns[..], &to.columns[..]) {
                ([], to) => format!("add primary key on {table} ({})", to.join(", ")),
                (_, []) => format!("drop primary key on {table}"),
                (from, to) => format!(
                    "change primary key on {table} ({}) -> ({})",
                    from.join(", "),
                    to.join(", ")
                ),
            },
            Op::RebuildTable { from, to } => format!(
                "rebuild table {} ({})",
                to.name,
                Op::rebuild_changes(from, to).join(", ")
            ),
            Op::CreateObject(o) => format!("create {} {}", o.kind, o.label()),
            Op::DropObject(o) => format!("drop {} {}", o.kind, o.label()),
            Op::ReplaceObject { to, .. } => format!("replace {} {}", to.kind, to.label()),
        }
    }

    /// The table this operation is about, if any.
    pub fn table(&self) -> Option<&str> {
        match self {
            Op::CreateTable(t) | Op::DropTable(t) => Some(&t.name),
            Op::RebuildTable { to, .. } => Some(&to.name),
            Op::RenameTable { to, .. } => Some(to),
            Op::AddColumn { table, .. }
            | Op::DropColumn { table, .. }
            | Op::RenameColumn { table, .. }
            | Op::AlterColumn { table, .. }
            | Op::CreateIndex { table, .. }
            | Op::DropIndex { table, .. }
            | Op::AddUnique { table, .. }
            | Op::DropUnique { table, .. }
            | Op::AddForeignKey { table, .. }
            | Op::DropForeignKey { table, .. }
            | Op::AddCheck { table, .. }
            | Op::DropCheck { table, .. }
            | Op::SetTableComment { table, .. }
            | Op::AlterPrimaryKey { table, .. } => Some(table),
            // A SQL file's index is on its table (or materialized view), a constraint on its
            // table.
            Op::CreateObject(o) | Op::DropObject(o) if o.kind.on_table() => o.table.as_deref(),
            Op::CreateEnum(_)
            | Op::DropEnum(_)
            | Op::CreateDomain(_)
            | Op::DropDomain(_)
            | Op::CreateSequence { .. }
            | Op::DropSequence { .. }
            | Op::CreateExtension { .. }
            | Op::DropExtension { .. }
            | Op::AddEnumValue { .. }
            | Op::RecreateEnum { .. }
            | Op::CreateObject(_)
            | Op::DropObject(_)
            | Op::ReplaceObject { .. } => None,
        }
    }
}

/// `alter column t.c: type A -> B, set not null, …`.
fn describe_alter(table: &str, from: &Column, to: &Column) -> String {
    let mut parts = Vec::new();
    if from.ty != to.ty {
        parts.push(match (inline_enum(&from.ty), inline_enum(&to.ty)) {
            (Some(old), Some(new)) => {
                format!("enum values ({}) -> ({})", old.join(", "), new.join(", "))
            }
            _ => format!("type {} -> {}", type_words(&from.ty), type_words(&to.ty)),
        });
    }
    if from.nullable != to.nullable {
        parts.push(
            if to.nullable {
                "drop not null"
            } else {
                "set not null"
            }
            .into(),
        );
    }
    if from.default != to.default {
        parts.push(match &to.default {
            Some(d) => format!("default {d}"),
            None => "drop default".into(),
        });
    }
    if from.comment != to.comment {
        parts.push("comment".into());
    }
    if from.auto_increment != to.auto_increment {
        parts.push("auto increment".into());
    }
    if from.on_update != to.on_update {
        parts.push(match &to.on_update {
            Some(u) => format!("on update {u}"),
            None => "drop on update".into(),
        });
    }
    if from.identity_always != to.identity_always {
        parts.push(
            if to.identity_always {
                "generated always"
            } else {
                "generated by default"
            }
            .into(),
        );
    }
    let none = autogen_schema::IdentitySequence::default();
    let had = from.identity_sequence.as_ref().unwrap_or(&none);
    let wanted = to.identity_sequence.as_ref().unwrap_or(&none);
    if had.name != wanted.name {
        let name = wanted.name.as_deref().unwrap_or("its default");
        parts.push(format!("identity sequence named {name}"));
    }
    if had.options != wanted.options {
        let clause = wanted.options.clause();
        parts.push(if clause.is_empty() {
            "identity numbered by default".into()
        } else {
            format!("identity numbered {clause}")
        });
    }
    if from.owns_sequence != to.owns_sequence {
        parts.push(
            if to.owns_sequence {
                "owns its sequence"
            } else {
                "disowns its sequence"
            }
            .into(),
        );
    }
    if from.collation != to.collation {
        parts.push(match &to.collation {
            Some(c) => format!("collate {c}"),
            None => "default collation".into(),
        });
    }
    if from.generated != to.generated {
        parts.push(match &to.generated {
            Some(g) => generation(g).trim_start().to_string(),
            None => "not generated".into(),
        });
    }
    format!("alter column {table}.{}: {}", to.name, parts.join(", "))
}

/// A new column as a plan line says it: its type, and everything that decides what it holds
/// (`String(3) NOT NULL DEFAULT 'EUR' COLLATE "C"`).
fn column_words(column: &Column) -> String {
    let mut words = type_words(&column.ty);
    if let Some(g) = &column.generated {
        words.push_str(&generation(g));
    }
    words.push_str(if column.nullable {
        " NULL"
    } else {
        " NOT NULL"
    });
    if column.auto_increment {
        words.push_str(" auto increment");
    }
    if let Some(d) = &column.default {
        words.push_str(&format!(" DEFAULT {d}"));
    }
    if let Some(u) = &column.on_update {
        words.push_str(&format!(" ON UPDATE {u}"));
    }
    if let Some(c) = &column.collation {
        words.push_str(&format!(" COLLATE {c}"));
    }
    words
}

/// The values of a MySQL inline enum type (`enum('pending','paid')`).
pub(crate) fn inline_enum(ty: &ColumnType) -> Option<Vec<String>> {
    match ty {
        ColumnType::Custom(decl) => autogen_schema::dialect::mysql_enum_values(decl),
        _ => None,
    }
}

/// A type in the entity's words: a MySQL inline enum by its values, not `Custom(enum(…))`.
fn type_words(ty: &ColumnType) -> String {
    match inline_enum(ty) {
        Some(values) => format!("Enum({})", values.join(", ")),
        None => ty.to_string(),
    }
}

/// ` GENERATED ALWAYS AS (…) STORED`, as a plan line says it.
fn generation(g: &autogen_schema::Generated) -> String {
    let storage = if g.stored { "STORED" } else { "VIRTUAL" };
    format!(" GENERATED ALWAYS AS ({}) {storage}", g.expression)
}

/// Inserts `value` into `values` at `position`.
pub fn insert_enum_value(values: &mut Vec<String>, value: &str, position: &EnumPosition) {
    let at = match position {
        EnumPosition::Before(v) => values.iter().position(|x| x == v),
        EnumPosition::After(v) => values.iter().position(|x| x == v).map(|i| i + 1),
        EnumPosition::Last => None,
    }
    .unwrap_or(values.len());
    values.insert(at, value.to_string());
}
