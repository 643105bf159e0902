//! What each dialect can change in place. The engine asks; it never matches on a dialect.

use autogen_schema::{Column, DefaultValue, Dialect};

#[derive(Debug, Clone)]
pub struct Capabilities {
    /// `ALTER COLUMN` type / nullability / default / comment.
    pub alter_columns: bool,
    /// Add or drop a foreign key on an existing table.
    pub alter_foreign_keys: bool,
    /// Add or drop a UNIQUE constraint on an existing table.
    pub alter_uniques: bool,
    /// Drop a column that an index, UNIQUE or foreign key uses (with them).
    pub drop_constrained_column: bool,
    /// A foreign key may name a table created later (SQLite checks references only when rows
    /// are written), so foreign-key cycles need no separate `ADD FOREIGN KEY`.
    pub forward_references: bool,
    /// Why a column cannot be added with `ADD COLUMN`, if it cannot.
    pub add_column_blocker: fn(&Column) -> Option<&'static str>,
    /// Make such changes by rebuilding the table (create anew, copy rows, drop, rename).
    pub rebuild_tables: bool,
}

pub fn capabilities(dialect: Dialect) -> Capabilities {
    match dialect {
        Dialect::Postgres | Dialect::MySql => Capabilities {
            alter_columns: true,
            alter_foreign_keys: true,
            alter_uniques: true,
            drop_constrained_column: true,
            forward_references: false,
            add_column_blocker: |_| None,
            rebuild_tables: false,
        },
        Dialect::Sqlite => Capabilities {
            alter_columns: false,
            alter_foreign_keys: false,
            alter_uniques: false,
            drop_constrained_column: false,
            forward_references: true,
            add_column_blocker: sqlite_add_column_blocker,
            rebuild_tables: true,
        },
    }
}

/// SQLite's `ALTER TABLE ADD COLUMN` rules.
fn sqlite_add_column_blocker(c: &Column) -> Option<&'static str> {
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
