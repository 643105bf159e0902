//! The engine: renames, enums, kept tables, new and dropped tables in dependency order, then
//! one stable sort by phase.

use crate::compare::{compare_enums, compare_table, rename_columns, rename_tables};
use crate::error::DiffError;
use crate::op::Op;
use crate::order::{Ordered, order_for_create};
use crate::phase::{Phase, PhasedOps};
use crate::plan::Plan;
use autogen_schema::{Profile, Schema, Table};

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
    let desired = desired.into_normalized(dialect);
    let mut cur = current.into_normalized(dialect);
    let mut ops: PhasedOps = Vec::new();

    rename_tables(&mut cur, &desired, &mut ops);
    rename_columns(&mut cur, &desired, &mut ops);
    compare_enums(&cur, &desired, &mut ops);
    for (name, want) in &desired.tables {
        if let Some(have) = cur.tables.get(name) {
            ops.extend(compare_table(have, want, dialect, &caps)?);
        }
    }
    create_tables(&cur, &desired, caps.forward_references, &mut ops);
    drop_tables(&cur, &desired, caps.forward_references, &mut ops);

    // Stable sort: within a phase, the order of discovery (name order) stands.
    ops.sort_by_key(|(phase, _)| *phase);
    Ok(Plan {
        profile,
        ops: ops.into_iter().map(|(_, op)| op).collect(),
    })
}

/// New tables, in dependency order; foreign keys closing a cycle are added after all tables.
fn create_tables(cur: &Schema, desired: &Schema, forward_references: bool, ops: &mut PhasedOps) {
    let new: Vec<&Table> = desired
        .tables
        .values()
        .filter(|t| !cur.tables.contains_key(&t.name))
        .collect();
    for Ordered {
        table,
        indexes,
        late,
    } in order_for_create(&new, forward_references)
    {
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
            ops.push((Phase::DropForeignKeys, Op::DropForeignKey { table, fk }));
        }
        for index in indexes {
            let table = name.clone();
            ops.push((Phase::DropIndexes, Op::DropIndex { table, index }));
        }
        ops.push((Phase::DropTables, Op::DropTable(table)));
    }
}
