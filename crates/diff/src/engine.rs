//! The engine: renames, enums, kept tables, new and dropped tables in dependency order, then
//! one stable sort by phase.

use crate::compare::{
    compare_enums, compare_objects, compare_table, compare_types, in_database_spelling,
    prepare_lineage, rename_columns, rename_tables, without_left_alone,
};
use crate::error::DiffError;
use crate::op::Op;
use crate::order::{Ordered, order_for_create};
use crate::phase::{Phase, PhasedOps};
use crate::plan::Plan;
use autogen_schema::{ForeignKey, Profile, Schema, SqlDialect, Table};
use std::collections::BTreeSet;

/// Computes the plan that takes a database from `current` to `desired`, for a server of
/// `profile` (a plain [`Dialect`](autogen_schema::Dialect) means its oldest supported version).
pub fn diff(
    current: &Schema,
    desired: &Schema,
    profile: impl Into<Profile>,
) -> Result<Plan, DiffError> {
    diff_owned(current.clone(), desired.clone(), profile)
}

/// [`diff`] of schemas the caller no longer needs: they are normalized in place, not copied
/// (a 10,000-table schema is tens of megabytes).
pub fn diff_owned(
    current: Schema,
    desired: Schema,
    profile: impl Into<Profile>,
) -> Result<Plan, DiffError> {
    let profile = profile.into();
    let dialect = profile.dialect;
    let caps = dialect.sql().capabilities();
    let mut desired = desired.into_normalized(dialect);
    // An entity for a view (or another relation autogen leaves alone) is left alone too.
    let before = desired.tables.len();
    desired
        .tables
        .retain(|name, _| !current.unmanaged.contains(name));
    let entities_of_views = before - desired.tables.len();
    let mut cur = current.into_normalized(dialect);
    let mut ops: PhasedOps = Vec::new();
    let mut left_alone = cur.left_alone.clone();
    prepare_lineage(&mut cur, &mut desired, dialect, &mut left_alone)?;
    indexes_declared_once(&desired)?;

    rename_tables(&mut cur, &desired, &mut ops);
    rename_columns(&mut cur, &desired, &mut ops);
    left_alone.add("entities of views", entities_of_views);
    compare_enums(&cur, &desired, &mut ops);
    let unused_enums = cur
        .enums
        .keys()
        .filter(|e| !desired.enums.contains_key(*e) && cur.enum_users(e).is_empty())
        .count();
    left_alone.add("enum types", unused_enums);
    compare_types(&cur, &desired, dialect, &mut ops, &mut left_alone)?;
    let managed: BTreeSet<&str> = cur.tables.keys().map(String::as_str).collect();
    let (mut ignored_columns, mut foreign_checks) = (0, 0);
    for (name, want) in &desired.tables {
        if let Some(original) = cur.tables.get(name) {
            let (have, ignored) = without_left_alone(original, want, &managed);
            ignored_columns += ignored;
            // CHECKs no entity declares and autogen did not make: the user's own.
            foreign_checks += original.checks.len() - have.checks.len();
            let want = in_database_spelling(&have, want, dialect.sql());
            ops.extend(compare_table(original, &have, &want, dialect, &caps)?);
        }
    }
    left_alone.add("columns the entities ignore", ignored_columns);
    left_alone.add("check constraints", foreign_checks);
    create_tables(&cur, &desired, dialect.sql(), &mut ops);
    drop_tables(&cur, &desired, caps.forward_references, &mut ops);
    compare_objects(&cur, &desired, &mut ops, &mut left_alone, dialect)?;

    // Stable sort: within a phase, the order of discovery (name order) stands.
    ops.sort_by_key(|(phase, _)| *phase);
    let mut plan = Plan::empty(profile);
    plan.left_alone = left_alone;
    plan.partitioned = cur
        .tables
        .values()
        .filter(|t| t.partition_by.is_some())
        .map(|t| t.name.clone())
        .collect();
    plan.ops = ops.into_iter().map(|(_, op)| op).collect();
    Ok(plan)
}

/// An index a SQL file declares is one no entity can (an expression, an operator class, …) or a
/// materialized view's: an entity declaring an index of the same name on the same table would
/// fight it.
fn indexes_declared_once(desired: &Schema) -> Result<(), DiffError> {
    let declared_twice = desired.objects.values().find(|o| {
        o.kind.builds_index()
            && o.table.as_ref().is_some_and(|t| {
                let (_, name) = autogen_schema::lexical::split_qualified(&o.name);
                desired
                    .tables
                    .get(t)
                    .is_some_and(|t| t.indexes.iter().any(|i| i.name == name))
            })
    });
    match declared_twice {
        Some(o) => Err(DiffError::IndexInSqlFile {
            file: o.file.clone().unwrap_or_default(),
            name: o.name.clone(),
            table: o.table.clone().unwrap_or_default(),
        }),
        None => Ok(()),
    }
}

/// New tables, in dependency order; foreign keys closing a cycle are added after all tables.
///
/// Where a foreign key makes its own index (MySQL), a key no index of its table leads with is
/// added after the table's indexes, so that its index comes after theirs, as in the database it
/// was read from (its `CREATE TABLE` made its own keys first): made with the table, it would
/// come before them.
fn create_tables(cur: &Schema, desired: &Schema, sql: &dyn SqlDialect, ops: &mut PhasedOps) {
    let new: Vec<&Table> = desired
        .tables
        .values()
        .filter(|t| !cur.tables.contains_key(&t.name))
        .collect();
    for Ordered {
        table,
        indexes,
        late,
    } in order_for_create(&new, sql.capabilities().forward_references)
    {
        let whole = &desired.tables[&table.name];
        let (table, late) = keys_after_indexes(table, whole, &indexes, late, sql);
        let (table, late) = keys_after_referenced_keys(table, late, cur, desired, sql);
        let name = table.name.clone();
        ops.push((Phase::CreateTables, Op::CreateTable(table)));
        for index in indexes {
            let table = name.clone();
            ops.push((Phase::CreateIndexes, Op::CreateIndex { table, index }));
        }
        for fk in late {
            let table = name.clone();
            let covered = crate::op::covered(&desired.tables[&table], &fk.columns);
            ops.push((
                Phase::AddForeignKeys,
                Op::AddForeignKey { table, fk, covered },
            ));
        }
    }
}

fn keys_after_indexes(
    mut table: Table,
    whole: &Table,
    indexes: &[autogen_schema::Index],
    mut late: Vec<ForeignKey>,
    sql: &dyn SqlDialect,
) -> (Table, Vec<ForeignKey>) {
    if sql.foreign_key_makes_index() && !indexes.is_empty() {
        let (now, after): (Vec<_>, Vec<_>) = std::mem::take(&mut table.foreign_keys)
            .into_iter()
            .partition(|fk| crate::op::covered(whole, &fk.columns));
        table.foreign_keys = now;
        late.extend(after);
    }
    (table, late)
}

/// A new table's foreign key made with it needs the key it references to exist then: a primary
/// key or UNIQUE constraint of a table created before it (made by that table's `CREATE TABLE`),
/// or a key of a table that already has it. A key that is only a unique index (Lago's
/// `membership_roles` references `memberships (id, organization_id)`, keyed by an index), or
/// one added by this plan to a table that exists, is made in a later phase: such a foreign key
/// is added after the indexes, as pg_dump orders it. Where foreign keys cannot be added to a
/// table that exists (SQLite), the server does not look for the key when the table is made.
fn keys_after_referenced_keys(
    mut table: Table,
    mut late: Vec<ForeignKey>,
    cur: &Schema,
    desired: &Schema,
    sql: &dyn SqlDialect,
) -> (Table, Vec<ForeignKey>) {
    if !sql.capabilities().alter_foreign_keys {
        return (table, late);
    }
    let same = |a: &[String], b: &[String]| a.len() == b.len() && a.iter().all(|c| b.contains(c));
    let made_before = |fk: &ForeignKey| match cur.tables.get(&fk.ref_table) {
        Some(existing) => crate::op::covered(existing, &fk.ref_columns),
        None => desired.tables.get(&fk.ref_table).is_some_and(|t| {
            same(&t.primary_key, &fk.ref_columns)
                || t.uniques.iter().any(|u| same(&u.columns, &fk.ref_columns))
        }),
    };
    let (now, after): (Vec<_>, Vec<_>) = std::mem::take(&mut table.foreign_keys)
        .into_iter()
        .partition(|fk| made_before(fk));
    table.foreign_keys = now;
    late.extend(after);
    (table, late)
}

/// Dropped tables, referencing tables first; foreign keys inside a cycle of dropped tables are
/// dropped explicitly first so that each `DROP TABLE` succeeds.
fn drop_tables(cur: &Schema, desired: &Schema, forward_references: bool, ops: &mut PhasedOps) {
    let dropped: Vec<&Table> = cur
        .tables
        .values()
        .filter(|t| !desired.tables.contains_key(&t.name))
        .collect();
    let ordered = order_for_create(&dropped, forward_references);
    for Ordered {
        table,
        indexes,
        late,
    } in ordered.into_iter().rev()
    {
        let name = table.name.clone();
        for fk in late {
            let table = name.clone();
            let covered = crate::op::covered(&cur.tables[&table], &fk.columns);
            ops.push((
                Phase::DropForeignKeys,
                Op::DropForeignKey { table, fk, covered },
            ));
        }
        for index in indexes {
            let table = name.clone();
            ops.push((Phase::DropIndexes, Op::DropIndex { table, index }));
        }
        ops.push((Phase::DropTables, Op::DropTable(table)));
    }
}
