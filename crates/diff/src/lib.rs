//! (current, desired) -> [`Plan`]: ordered, reversible operations, each with its hazards.
//!
//! The engine is dialect-neutral; what a dialect cannot do in place is decided by its
//! [`Capabilities`] (one module per dialect, see `dialect.rs`).

#[cfg(any(test, feature = "arbitrary"))]
pub mod arbitrary;
mod dialect;
mod op;

use autogen_schema::{Column, Dialect, EnumType, ForeignKey, Schema, Table, Unique};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

pub use dialect::{Capabilities, capabilities};
pub use op::{EnumColumn, EnumPosition, Hazard, HazardKind, Op, insert_enum_value};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DiffError {
    #[error("{dialect} cannot {what} in place (table {table}); {hint}")]
    Unsupported {
        dialect: Dialect,
        table: String,
        what: String,
        hint: String,
    },
}

/// An ordered list of operations for one dialect. `reverse()` is the down migration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    pub dialect: Dialect,
    pub ops: Vec<Op>,
    /// The PostgreSQL server's major version, when known: before 12 it refuses
    /// `ALTER TYPE … ADD VALUE` inside a transaction block.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postgres_version: Option<u32>,
}

impl Plan {
    /// A plan with nothing to do (a merge revision's).
    pub fn empty(dialect: Dialect) -> Plan {
        Plan {
            dialect,
            ops: Vec::new(),
            postgres_version: None,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// The plan that undoes this one: each op reversed, in reverse order.
    pub fn reverse(&self) -> Plan {
        Plan {
            dialect: self.dialect,
            ops: self.ops.iter().rev().map(Op::reverse).collect(),
            postgres_version: self.postgres_version,
        }
    }

    /// Why this plan must run outside a transaction, when the server is known to need that:
    /// `ALTER TYPE … ADD VALUE` on PostgreSQL before 12.
    pub fn outside_transaction(&self) -> Option<String> {
        let version = self.postgres_version.filter(|v| *v < 12)?;
        let adds_value = self
            .ops
            .iter()
            .any(|op| matches!(op, Op::AddEnumValue { .. }));
        (self.dialect == Dialect::Postgres && adds_value).then(|| {
            format!(
                "PostgreSQL {version} refuses ALTER TYPE … ADD VALUE inside a transaction block (12 and later accept it)"
            )
        })
    }

    /// The plan without index and UNIQUE drops on tables it drops anyway. They are redundant
    /// everywhere, and on MySQL they fail when the index is the one backing a foreign key (MySQL
    /// adopts a user's index for that). Foreign-key drops stay: they may break a cycle.
    pub fn without_redundant_drops(&self) -> Plan {
        let dropped: BTreeSet<&str> = self
            .ops
            .iter()
            .filter_map(|op| match op {
                Op::DropTable(t) => Some(t.name.as_str()),
                _ => None,
            })
            .collect();
        Plan {
            dialect: self.dialect,
            ops: self
                .ops
                .iter()
                .filter(|op| {
                    !(matches!(op, Op::DropIndex { .. } | Op::DropUnique { .. })
                        && op.table().is_some_and(|t| dropped.contains(t)))
                })
                .cloned()
                .collect(),
            postgres_version: self.postgres_version,
        }
    }

    /// Hazards of every op, except those that only matter for a table that already holds rows
    /// (an index or constraint on a table this plan creates blocks nobody).
    pub fn hazards(&self) -> Vec<Hazard> {
        let created: BTreeSet<&str> = self
            .ops
            .iter()
            .filter_map(|op| match op {
                Op::CreateTable(t) => Some(t.name.as_str()),
                _ => None,
            })
            .collect();
        self.ops
            .iter()
            .filter(|op| {
                !(matches!(
                    op,
                    Op::CreateIndex { .. } | Op::AddUnique { .. } | Op::AddForeignKey { .. }
                ) && op.table().is_some_and(|t| created.contains(t)))
            })
            .flat_map(Op::hazards)
            .collect()
    }
}

/// Phases, in the order they run (Prisma's order, with renames first so every later op
/// names things by their new names). Reversing a plan runs them backwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Phase {
    CreateEnums,
    Renames,
    DropForeignKeys,
    DropIndexes,
    CreateTables,
    Columns,
    RecreateEnums,
    DropTables,
    CreateIndexes,
    AddForeignKeys,
    DropEnums,
}

/// Computes the plan that takes a database from `current` to `desired`.
pub fn diff(current: &Schema, desired: &Schema, dialect: Dialect) -> Result<Plan, DiffError> {
    let caps = capabilities(dialect);
    let desired = desired.normalized(dialect);
    let mut cur = current.normalized(dialect);
    let mut ops: Vec<(Phase, Op)> = Vec::new();

    // 1. Table renames, applied to `cur` so that later steps compare like with like.
    for table in desired.tables.values() {
        let Some(old) = &table.renamed_from else {
            continue;
        };
        if cur.tables.contains_key(old) && !cur.tables.contains_key(&table.name) {
            rename_table(&mut cur, old, &table.name);
            ops.push((
                Phase::Renames,
                Op::RenameTable {
                    from: old.clone(),
                    to: table.name.clone(),
                },
            ));
        }
    }

    // 2. Column renames inside kept tables.
    for table in desired.tables.values() {
        let Some(cur_table) = cur.tables.get(&table.name) else {
            continue;
        };
        let renames: Vec<(String, String)> = table
            .columns
            .iter()
            .filter_map(|c| {
                let old = c.renamed_from.as_ref()?;
                (cur_table.column(old).is_some() && cur_table.column(&c.name).is_none())
                    .then(|| (old.clone(), c.name.clone()))
            })
            .collect();
        for (from, to) in renames {
            rename_column(&mut cur, &table.name, &from, &to);
            ops.push((
                Phase::Renames,
                Op::RenameColumn {
                    table: table.name.clone(),
                    from,
                    to,
                },
            ));
        }
    }

    // 3. Enums.
    diff_enums(&cur, &desired, &mut ops);

    // 4. Kept tables. What the dialect's ALTER TABLE cannot do, a rebuild does (SQLite).
    for (name, want) in &desired.tables {
        if let Some(have) = cur.tables.get(name) {
            let mut table_ops = Vec::new();
            match diff_table(have, want, dialect, &caps, &mut table_ops) {
                Ok(()) => ops.extend(table_ops),
                Err(DiffError::Unsupported { .. }) if caps.rebuild_tables => ops.push((
                    Phase::Columns,
                    Op::RebuildTable {
                        from: definition(have),
                        to: definition(want),
                    },
                )),
                Err(e) => return Err(e),
            }
        }
    }

    // 5. New tables, in dependency order; FKs closing a cycle are added after all tables.
    let new: Vec<&Table> = desired
        .tables
        .values()
        .filter(|t| !cur.tables.contains_key(&t.name))
        .collect();
    let (ordered, deferred) = order_for_create(&new, caps.forward_references);
    for table in ordered {
        let (table, indexes, late) = detach(table, &deferred);
        let name = table.name.clone();
        ops.push((Phase::CreateTables, Op::CreateTable(table)));
        for index in indexes {
            let table = name.clone();
            ops.push((Phase::CreateIndexes, Op::CreateIndex { table, index }));
        }
        for fk in late {
            let table = name.clone();
            ops.push((Phase::AddForeignKeys, Op::AddForeignKey { table, fk }));
        }
    }

    // 6. Dropped tables, referencing tables first; FKs inside a cycle of dropped tables are
    // dropped explicitly first so that each DROP TABLE succeeds.
    let dropped: Vec<&Table> = cur
        .tables
        .values()
        .filter(|t| !desired.tables.contains_key(&t.name))
        .collect();
    let (ordered, deferred) = order_for_create(&dropped, caps.forward_references);
    for table in ordered.into_iter().rev() {
        let (table, indexes, late) = detach(table, &deferred);
        let name = table.name.clone();
        for fk in late {
            let table = name.clone();
            ops.push((Phase::DropForeignKeys, Op::DropForeignKey { table, fk }));
        }
        for index in indexes {
            let table = name.clone();
            ops.push((Phase::DropIndexes, Op::DropIndex { table, index }));
        }
        ops.push((Phase::DropTables, Op::DropTable(table)));
    }

    // Stable sort: within a phase, the order of discovery (name order) stands.
    ops.sort_by_key(|(phase, _)| *phase);
    Ok(Plan {
        dialect,
        postgres_version: None,
        ops: ops.into_iter().map(|(_, op)| op).collect(),
    })
}

/// A table without model-only annotations (`renamed_from`), as a rebuild states it.
fn definition(t: &Table) -> Table {
    Table {
        renamed_from: None,
        columns: t.columns.iter().map(Column::definition).collect(),
        ..t.clone()
    }
}

fn rename_table(schema: &mut Schema, from: &str, to: &str) {
    if let Some(mut t) = schema.tables.remove(from) {
        t.name = to.to_string();
        schema.tables.insert(to.to_string(), t);
    }
    for t in schema.tables.values_mut() {
        for fk in &mut t.foreign_keys {
            if fk.ref_table == from {
                fk.ref_table = to.to_string();
            }
        }
    }
}

fn rename_column(schema: &mut Schema, table: &str, from: &str, to: &str) {
    let rename = |cols: &mut Vec<String>| {
        for c in cols.iter_mut() {
            if c == from {
                *c = to.to_string();
            }
        }
    };
    if let Some(t) = schema.tables.get_mut(table) {
        if let Some(c) = t.column_mut(from) {
            c.name = to.to_string();
        }
        rename(&mut t.primary_key);
        t.indexes.iter_mut().for_each(|i| rename(&mut i.columns));
        t.uniques.iter_mut().for_each(|u| rename(&mut u.columns));
        t.foreign_keys
            .iter_mut()
            .for_each(|f| rename(&mut f.columns));
    }
    for t in schema.tables.values_mut() {
        for fk in &mut t.foreign_keys {
            if fk.ref_table == table {
                rename(&mut fk.ref_columns);
            }
        }
    }
}

fn enum_columns(schema: &Schema, name: &str) -> Vec<EnumColumn> {
    schema
        .enum_users(name)
        .into_iter()
        .map(|(t, c)| EnumColumn {
            table: t.name.clone(),
            column: c.name.clone(),
            default: c.default.clone(),
            array: matches!(c.ty, autogen_schema::ColumnType::Array(_)),
        })
        .collect()
}

fn diff_enums(cur: &Schema, desired: &Schema, ops: &mut Vec<(Phase, Op)>) {
    for (name, want) in &desired.enums {
        match cur.enums.get(name) {
            None => ops.push((Phase::CreateEnums, Op::CreateEnum(want.clone()))),
            Some(have) if have.values == want.values => {}
            Some(have) if is_subsequence(&have.values, &want.values) => {
                // Only additions: ADD VALUE each at its declared position.
                let mut values = have.values.clone();
                for (i, v) in want.values.iter().enumerate() {
                    if values.contains(v) {
                        continue;
                    }
                    let position = match want.values[i + 1..].iter().find(|n| values.contains(n)) {
                        Some(next) => EnumPosition::Before(next.clone()),
                        None => match want.values[..i].iter().rev().find(|p| values.contains(p)) {
                            Some(prev) => EnumPosition::After(prev.clone()),
                            None => EnumPosition::Last,
                        },
                    };
                    ops.push((
                        Phase::CreateEnums,
                        Op::AddEnumValue {
                            name: name.clone(),
                            value: v.clone(),
                            position: position.clone(),
                            before: values.clone(),
                            columns: enum_columns(cur, name),
                        },
                    ));
                    insert_enum_value(&mut values, v, &position);
                }
            }
            Some(have) => ops.push((
                Phase::RecreateEnums,
                Op::RecreateEnum {
                    name: name.clone(),
                    from: have.values.clone(),
                    to: want.values.clone(),
                    columns: enum_columns(desired, name),
                },
            )),
        }
    }
    for (name, have) in &cur.enums {
        if !desired.enums.contains_key(name) {
            ops.push((
                Phase::DropEnums,
                Op::DropEnum(EnumType {
                    name: name.clone(),
                    values: have.values.clone(),
                }),
            ));
        }
    }
}

fn is_subsequence(sub: &[String], full: &[String]) -> bool {
    let mut it = full.iter();
    sub.iter().all(|s| it.any(|f| f == s))
}

fn diff_table(
    have: &Table,
    want: &Table,
    dialect: Dialect,
    caps: &Capabilities,
    ops: &mut Vec<(Phase, Op)>,
) -> Result<(), DiffError> {
    let name = &want.name;
    let unsupported = |what: String| DiffError::Unsupported {
        dialect,
        table: name.clone(),
        what,
        // Reached only where the dialect can neither alter nor rebuild (SQLite rebuilds instead).
        hint: "write this migration by hand (autogen revision -m ...)".into(),
    };
    if have.primary_key != want.primary_key {
        return Err(DiffError::Unsupported {
            dialect,
            table: name.clone(),
            what: format!(
                "change the primary key from ({}) to ({})",
                have.primary_key.join(", "),
                want.primary_key.join(", ")
            ),
            hint: "write this migration by hand (autogen revision -m ...)".into(),
        });
    }

    // Foreign keys, by everything but their name.
    for fk in missing(&have.foreign_keys, &want.foreign_keys, ForeignKey::unnamed) {
        if !caps.alter_foreign_keys {
            let cols = fk.columns.join(", ");
            return Err(unsupported(format!("drop foreign key ({cols})")));
        }
        let (table, fk) = (name.clone(), fk.clone());
        ops.push((Phase::DropForeignKeys, Op::DropForeignKey { table, fk }));
    }
    for fk in missing(&want.foreign_keys, &have.foreign_keys, ForeignKey::unnamed) {
        if !caps.alter_foreign_keys {
            let cols = fk.columns.join(", ");
            return Err(unsupported(format!("add foreign key ({cols})")));
        }
        let (table, fk) = (name.clone(), fk.clone());
        ops.push((Phase::AddForeignKeys, Op::AddForeignKey { table, fk }));
    }

    // Indexes, by name; a changed definition is dropped and recreated.
    let have_idx: BTreeMap<_, _> = have.indexes.iter().map(|i| (&i.name, i)).collect();
    let want_idx: BTreeMap<_, _> = want.indexes.iter().map(|i| (&i.name, i)).collect();
    for (n, i) in &have_idx {
        if want_idx.get(n) != Some(i) {
            ops.push((
                Phase::DropIndexes,
                Op::DropIndex {
                    table: name.clone(),
                    index: (*i).clone(),
                },
            ));
        }
    }
    for (n, i) in &want_idx {
        if have_idx.get(n) != Some(i) {
            ops.push((
                Phase::CreateIndexes,
                Op::CreateIndex {
                    table: name.clone(),
                    index: (*i).clone(),
                },
            ));
        }
    }

    // Unique constraints, by their columns.
    let unique_key = |u: &Unique| u.columns.clone();
    for u in missing(&have.uniques, &want.uniques, unique_key) {
        if !caps.alter_uniques {
            return Err(unsupported(format!(
                "drop UNIQUE ({})",
                u.columns.join(", ")
            )));
        }
        let (table, unique) = (name.clone(), u.clone());
        ops.push((Phase::DropIndexes, Op::DropUnique { table, unique }));
    }
    for u in missing(&want.uniques, &have.uniques, unique_key) {
        if !caps.alter_uniques {
            return Err(unsupported(format!(
                "add UNIQUE ({})",
                u.columns.join(", ")
            )));
        }
        let unique = Unique {
            name: Some(
                u.name
                    .clone()
                    .unwrap_or_else(|| format!("{name}_{}_key", u.columns.join("_"))),
            ),
            columns: u.columns.clone(),
        };
        ops.push((
            Phase::CreateIndexes,
            Op::AddUnique {
                table: name.clone(),
                unique,
            },
        ));
    }

    // Columns.
    for c in &want.columns {
        match have.column(&c.name) {
            None => {
                if let Some(why) = (caps.add_column_blocker)(c) {
                    return Err(unsupported(format!("add column {}: {why}", c.name)));
                }
                ops.push((
                    Phase::Columns,
                    Op::AddColumn {
                        table: name.clone(),
                        column: c.definition(),
                    },
                ))
            }
            Some(old) if old.definition() != c.definition() => {
                if !caps.alter_columns {
                    return Err(unsupported(format!("alter column {}", c.name)));
                }
                ops.push((
                    Phase::Columns,
                    Op::AlterColumn {
                        table: name.clone(),
                        from: old.definition(),
                        to: c.definition(),
                    },
                ))
            }
            Some(_) => {}
        }
    }
    for c in &have.columns {
        if want.column(&c.name).is_none() {
            // Indexes on the column are dropped earlier in the plan; constraints are not.
            let constrained = have
                .foreign_keys
                .iter()
                .any(|f| f.columns.contains(&c.name))
                || have.uniques.iter().any(|u| u.columns.contains(&c.name));
            if constrained && !caps.drop_constrained_column {
                return Err(unsupported(format!(
                    "drop column {} while it is part of a UNIQUE or foreign key",
                    c.name
                )));
            }
            ops.push((
                Phase::Columns,
                Op::DropColumn {
                    table: name.clone(),
                    column: c.clone(),
                },
            ));
        }
    }

    if have.comment != want.comment {
        ops.push((
            Phase::Columns,
            Op::SetTableComment {
                table: name.clone(),
                from: have.comment.clone(),
                to: want.comment.clone(),
            },
        ));
    }
    Ok(())
}

/// Splits a table to be created (or dropped) into the table itself, its indexes (separate
/// statements) and the foreign keys `order_for_create` deferred to break a cycle.
fn detach(
    mut table: Table,
    deferred: &[(String, ForeignKey)],
) -> (Table, Vec<autogen_schema::Index>, Vec<ForeignKey>) {
    let late: Vec<ForeignKey> = deferred
        .iter()
        .filter(|(t, _)| *t == table.name)
        .map(|(_, fk)| fk.clone())
        .collect();
    table.foreign_keys.retain(|fk| !late.contains(fk));
    let indexes = std::mem::take(&mut table.indexes);
    (table, indexes, late)
}

/// The items of `from` whose key no item of `other` has, in `from`'s order.
fn missing<'a, T, K: Ord>(from: &'a [T], other: &[T], key: impl Fn(&T) -> K) -> Vec<&'a T> {
    let keys: BTreeSet<K> = other.iter().map(&key).collect();
    from.iter().filter(|x| !keys.contains(&key(x))).collect()
}

/// Orders tables so that each comes after the tables it references. Where references form a
/// cycle, the foreign keys that close it are returned separately, to be added after the tables
/// (Atlas's `DetachCycles`), unless the dialect accepts references to tables created later.
/// Deterministic: ties are broken by name.
fn order_for_create(
    tables: &[&Table],
    forward_references: bool,
) -> (Vec<Table>, Vec<(String, ForeignKey)>) {
    let names: BTreeSet<&str> = tables.iter().map(|t| t.name.as_str()).collect();
    let mut remaining: BTreeMap<&str, &Table> =
        tables.iter().map(|t| (t.name.as_str(), *t)).collect();
    let mut done: BTreeSet<String> = BTreeSet::new();
    let mut ordered = Vec::new();
    let mut deferred = Vec::new();
    while !remaining.is_empty() {
        let ready = remaining.iter().find(|(_, t)| {
            t.referenced_tables()
                .all(|r| !names.contains(r) || done.contains(r))
        });
        let name = match ready {
            Some((n, _)) => *n,
            None => {
                // A cycle: take the first remaining table and defer its FKs to pending tables.
                let (n, t) = remaining.iter().next().expect("non-empty");
                for fk in t.foreign_keys.iter().filter(|_| !forward_references) {
                    if fk.ref_table != t.name
                        && names.contains(fk.ref_table.as_str())
                        && !done.contains(&fk.ref_table)
                    {
                        deferred.push((t.name.clone(), fk.clone()));
                    }
                }
                *n
            }
        };
        let t = remaining.remove(name).expect("present");
        done.insert(name.to_string());
        ordered.push(t.clone());
    }
    (ordered, deferred)
}

#[cfg(test)]
mod tests;
