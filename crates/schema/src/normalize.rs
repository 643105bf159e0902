//! Normalization: "what will the database report back". The rules every dialect shares are
//! here; each dialect's own (type spelling, comments it cannot keep, constraint kinds, name
//! truncation) are hooks of its [`SqlDialect`], in its own file.
//!
//! The round-trip tests (`tests/`) check `diff(introspect(apply(plan(M))), M)` is empty, which is
//! what keeps this honest.

use crate::defaults::{canonical_number, is_number};
use crate::dialect::{Dialect, SqlDialect};
use crate::ir::{Column, DefaultValue, Schema, Table};

impl Schema {
    /// The schema as `dialect` would report it back after autogen created it, with every
    /// collection in a canonical order. Both sides of a diff go through this.
    pub fn normalized(&self, dialect: Dialect) -> Schema {
        self.clone().into_normalized(dialect)
    }

    /// [`Schema::normalized`], in place: no copy of a schema that is not needed as it was.
    pub fn into_normalized(mut self, dialect: Dialect) -> Schema {
        let sql = dialect.sql();
        sql.normalize_schema(&mut self);
        for table in self.tables.values_mut() {
            normalize_table(table, sql);
        }
        self
    }
}

impl Schema {
    /// Sequence `name`'s options as the server holds them, `data_type` `None` for `bigint`
    /// only: a type not said is the owning column's (`serial`'s convention; a column owns the
    /// sequence its `nextval` default draws from), else `bigint`.
    pub fn sequence_options_in_effect(&self, name: &str) -> crate::SequenceOptions {
        let mut options = self.sequence_options.get(name).cloned().unwrap_or_default();
        if options.data_type.is_none() {
            let owner = self.tables.values().flat_map(|t| &t.columns).find(|c| {
                c.owns_sequence
                    && c.default
                        .as_ref()
                        .and_then(crate::defaults::nextval_sequence)
                        .as_deref()
                        == Some(name)
            });
            options.data_type = match owner.map(|c| &c.ty) {
                Some(crate::ir::ColumnType::Integer) => Some("integer".into()),
                Some(crate::ir::ColumnType::SmallInteger) => Some("smallint".into()),
                _ => None,
            };
        }
        if options.data_type.as_deref() == Some("bigint") {
            options.data_type = None;
        }
        options
    }
}

fn normalize_table(table: &mut Table, sql: &dyn SqlDialect) {
    let pk = table.primary_key.clone();
    for column in &mut table.columns {
        if pk.contains(&column.name) && !sql.nullable_key_columns() {
            column.nullable = false;
        }
        normalize_column(column, sql);
    }
    // A name autogen derives fits the server whole and stays apart from the others.
    for index in table.indexes.iter_mut().filter(|i| i.derived) {
        index.name = sql.derived_name(&index.name);
    }
    for unique in table.uniques.iter_mut().filter(|u| u.derived) {
        unique.name = unique.name.as_deref().map(|n| sql.derived_name(n));
    }
    sql.normalize_table(table);
    // A UNIQUE constraint equal to the primary key is redundant; databases keep only the key.
    table
        .uniques
        .retain(|u| u.columns != table.primary_key || pk.is_empty());
    // UNIQUEs keep their order too (MySQL prints those of one kind in the order they were
    // made); one over the same columns as an earlier one is that one.
    let mut seen = std::collections::BTreeSet::new();
    table.uniques.retain(|u| seen.insert(u.columns.clone()));
    // Indexes keep their order: MySQL prints a table's keys in the order they were made, so a
    // new environment makes them in the order the database it was read from has them.
    for check in &mut table.checks {
        check.definition = check.definition.trim().to_string();
    }
    table.checks.sort_by(|a, b| a.key().cmp(b.key()));
    table.foreign_keys.sort_by(|a, b| {
        (&a.columns, &a.ref_table, &a.ref_columns).cmp(&(&b.columns, &b.ref_table, &b.ref_columns))
    });
}

fn normalize_column(column: &mut Column, sql: &dyn SqlDialect) {
    column.ty = sql.normalize_type(&column.ty);
    if let Some(DefaultValue::Expr(e)) = &column.default {
        column.default = Some(sql.expression_default(e));
    }
    // Only a sequence a `nextval(…)` default draws from can be the column's own.
    // Only a column the database generates without a default (an identity) can be ALWAYS,
    // or have an identity sequence.
    let identity = sql.domains_and_sequences()
        && column.auto_increment
        && column
            .default
            .as_ref()
            .is_none_or(|d| crate::nextval_sequence(d).is_none());
    column.identity_always &= identity;
    if !identity
        || column
            .identity_sequence
            .as_ref()
            .is_some_and(|s| s.is_default())
    {
        column.identity_sequence = None;
    }
    column.owns_sequence &= sql.domains_and_sequences()
        && column
            .default
            .as_ref()
            .and_then(crate::defaults::nextval_sequence)
            .is_some();
    // `DEFAULT NULL` is no default, unless the catalog spells it out (SQLite keeps what was
    // written; PostgreSQL keeps `NULL::type`).
    if column.default == Some(DefaultValue::Null) && column.default_sql.is_none() {
        column.default = None;
    }
    // The database generates an auto-increment column's value: no default, except the
    // `nextval(…)` through which PostgreSQL does so for a sequence no column owns.
    if column.auto_increment
        && column
            .default
            .as_ref()
            .is_none_or(|d| crate::nextval_sequence(d).is_none())
    {
        column.default = None;
        column.default_sql = None;
    }
    if column.default.is_none() {
        column.default_sql = None;
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
    sql.normalize_column(column);
}
