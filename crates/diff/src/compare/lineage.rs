//! Partitions and inheriting tables (PostgreSQL): a table tied to another's columns. Their
//! columns (and a partition's key) are the parent's: a change to them is planned on the parent,
//! which the server carries down, so both sides are compared without them. A partition or an
//! inheriting table no entity declares is left alone (partitions are often made at run time,
//! by the application or pg_partman). How a table is partitioned, its bound and what it
//! inherits are created, never changed: such a change is an error, not a silent difference;
//! an entity that declares none of them (sea-orm-cli writes none) keeps the database's, counted.
//! A MySQL table's default collation is the same kind of fact: made with the table, kept. A
//! column's collation no entity declares is the database's (autogen never changes how values
//! compare unasked); nor are a table's options. What the dialect cannot build (a partition off
//! PostgreSQL, a table collation or a prefix key off MySQL) is an error before anything is
//! compared.

use crate::error::DiffError;
use autogen_schema::{Dialect, LeftAlone, Schema, Table};
use std::collections::BTreeSet;

/// Prepares both sides: undeclared partitions and inheriting tables out of `cur` (counted into
/// `left_alone`), a change of lineage refused, inherited columns and keys taken out.
pub(crate) fn prepare_lineage(
    cur: &mut Schema,
    desired: &mut Schema,
    dialect: Dialect,
    left_alone: &mut LeftAlone,
) -> Result<(), DiffError> {
    buildable(desired, dialect)?;
    let declared_elsewhere: BTreeSet<String> = desired
        .tables
        .values()
        .filter_map(|t| t.renamed_from.clone())
        .collect();
    let kept = |name: &str| desired.tables.contains_key(name) || declared_elsewhere.contains(name);
    // Left alone under a parent that stays; under one the plan drops, they go first (a
    // parent with inheriting tables cannot be dropped alone).
    let undeclared: Vec<String> = cur
        .tables
        .values()
        .filter(|t| t.parents().next().is_some() && t.parents().all(kept))
        .filter(|t| !kept(&t.name))
        .map(|t| t.name.clone())
        .collect();
    for name in undeclared {
        if let Some(t) = cur.tables.remove(&name) {
            let kind = if t.partition_of.is_some() {
                "partitions no entity declares"
            } else {
                "inheriting tables no entity declares"
            };
            left_alone.add(kind, 1);
        }
    }
    for (name, want) in desired.tables.iter_mut() {
        let have = want
            .renamed_from
            .as_ref()
            .and_then(|old| cur.tables.get(old))
            .or_else(|| cur.tables.get(name));
        let Some(have) = have else {
            continue;
        };
        // An entity that says nothing of it (sea-orm-cli's cannot) keeps the database's.
        if want.lineage() == (None, None, &[][..]) && have.lineage() != want.lineage() {
            want.partition_by = have.partition_by.clone();
            want.partition_of = have.partition_of.clone();
            want.inherits = have.inherits.clone();
            left_alone.add("tables whose partitioning or parents no entity declares", 1);
        }
        keep_undeclared(name, want, have, dialect, left_alone)?;
        if have.lineage() != want.lineage() {
            return Err(DiffError::Unsupported {
                dialect,
                table: name.clone(),
                what: "change how a table is partitioned, its partition bound or what it inherits"
                    .into(),
                hint: "autogen creates partitioned, partition and inheriting tables but does not \
                       change them yet: write this migration by hand (autogen revision -m ...)"
                    .into(),
            });
        }
    }
    without_inherited(cur);
    without_inherited(desired);
    Ok(())
}

/// What a table's entity does not declare of its collations and options is the database's; a
/// table collation or option declared otherwise is refused.
fn keep_undeclared(
    name: &str,
    want: &mut Table,
    have: &Table,
    dialect: Dialect,
    left_alone: &mut LeftAlone,
) -> Result<(), DiffError> {
    // A column's collation no entity declares is the database's: never changed unasked
    // (it decides how values compare and sort).
    for c in want.columns.iter_mut().filter(|c| c.collation.is_none()) {
        let old = c.renamed_from.as_deref().unwrap_or(&c.name);
        if let Some(kept) = have.column(old).and_then(|h| h.collation.clone()) {
            c.collation = Some(kept);
        }
    }
    // The default collation declared (`BINARY`, `default`) is the column having none.
    let default = dialect.sql().default_collation();
    for c in &mut want.columns {
        if c.collation
            .as_deref()
            .zip(default)
            .is_some_and(|(a, b)| a.eq_ignore_ascii_case(b))
        {
            c.collation = None;
        }
    }
    // A table's default collation (MySQL) likewise: made with the table, not changed here.
    if want.collation.is_none() && have.collation.is_some() {
        want.collation = have.collation.clone();
        left_alone.add("tables whose collation no entity declares", 1);
    }
    // Its options (`STRICT`, `ENGINE=MyISAM`, `UNLOGGED`, …) likewise.
    if want.options.is_empty() && !have.options.is_empty() {
        want.options = have.options.clone();
        left_alone.add("tables whose options no entity declares", 1);
    }
    if !same_options(&have.options, &want.options) {
        return Err(DiffError::Unsupported {
            dialect,
            table: name.to_string(),
            what: format!(
                "change a table's options ({} to {})",
                options_text(&have.options),
                options_text(&want.options)
            ),
            hint: "autogen creates a table with its options but does not change them yet: \
                   write this migration by hand (autogen revision -m ...), then declare \
                   what it made"
                .into(),
        });
    }
    want.options = have.options.clone();
    if have.collation != want.collation {
        return Err(DiffError::Unsupported {
            dialect,
            table: name.to_string(),
            what: "change a table's default collation".into(),
            hint: "it applies to columns added later, not to those the table has: write \
                   this migration by hand (ALTER TABLE … CONVERT TO CHARACTER SET …), then \
                   declare what it made"
                .into(),
        });
    }
    Ok(())
}

/// What this dialect cannot build is an error here, not a difference on every run.
fn buildable(desired: &Schema, dialect: Dialect) -> Result<(), DiffError> {
    if !dialect.sql().table_inheritance()
        && let Some(t) = desired
            .tables
            .values()
            .find(|t| t.parents().next().is_some() || t.partition_by.is_some())
    {
        return Err(DiffError::Unsupported {
            dialect,
            table: t.name.clone(),
            what: "partition a table or make it inherit another's columns".into(),
            hint: "partitioned, partition and inheriting tables are PostgreSQL's: take the \
                   declaration off the entity"
                .into(),
        });
    }
    let sql = dialect.sql();
    let refused = |table: &str, what: &str, hint: &str| DiffError::Unsupported {
        dialect,
        table: table.to_string(),
        what: what.into(),
        hint: hint.into(),
    };
    for t in desired.tables.values() {
        if !sql.prefix_keys() && t.indexes.iter().any(|i| !i.lengths.is_empty()) {
            return Err(refused(
                &t.name,
                "key an index by a column's first characters",
                "prefix lengths are MySQL's: take lengths(...) off the index",
            ));
        }
        if t.collation.is_some() && !sql.table_collations() {
            return Err(refused(
                &t.name,
                "give a table a default collation",
                "a table's default collation is MySQL's: declare the collation on each field",
            ));
        }
    }
    Ok(())
}

/// Each partition and inheriting table without the columns its parents have, and a partition
/// without its parent's primary key.
fn without_inherited(schema: &mut Schema) {
    // Read from the tables as they are, before any loses a column: a partition of a partition
    // has its grandparent's columns through its parent's.
    let stripped: Vec<(String, BTreeSet<String>, bool)> = schema
        .tables
        .values()
        .filter(|t| t.parents().next().is_some())
        .map(|child| {
            let inherited = child
                .parents()
                .filter_map(|p| schema.tables.get(p))
                .flat_map(|p| p.columns.iter().map(|c| c.name.clone()))
                .collect();
            (child.name.clone(), inherited, child.partition_of.is_some())
        })
        .collect();
    for (name, inherited, partition) in stripped {
        if let Some(child) = schema.tables.get_mut(&name) {
            child.columns.retain(|c| !inherited.contains(&c.name));
            if partition {
                child.primary_key.clear();
                child.primary_key_name = None;
            }
        }
    }
}

/// The same options, whatever their order and the case of their keywords.
fn same_options(a: &[String], b: &[String]) -> bool {
    let norm = |o: &[String]| {
        let mut v: Vec<String> = o
            .iter()
            .map(|s| {
                s.split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .to_ascii_uppercase()
            })
            .collect();
        v.sort();
        v
    };
    norm(a) == norm(b)
}

fn options_text(options: &[String]) -> String {
    if options.is_empty() {
        "none".into()
    } else {
        options.join(", ")
    }
}
