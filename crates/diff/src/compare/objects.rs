//! Views, materialized views, functions, procedures, aggregates and triggers: compared by the
//! server's rendering of them, created, replaced or dropped in dependency order. A view or
//! trigger that reads a column the plan changes or drops, or an object being dropped or
//! replaced, is dropped before and created again after, in the same plan.

use crate::error::DiffError;
use crate::op::Op;
use crate::phase::{Phase, PhasedOps};
use autogen_schema::{Dialect, LeftAlone, Schema, SqlObject};
use std::collections::{BTreeMap, BTreeSet};

/// Appends the object operations to `ops` (which holds the table operations already, so that
/// the objects reading what they change are rebuilt around them).
pub(crate) fn compare_objects(
    cur: &Schema,
    desired: &Schema,
    ops: &mut PhasedOps,
    left_alone: &mut LeftAlone,
    dialect: Dialect,
) -> Result<(), DiffError> {
    let mut replaced: Vec<(&SqlObject, &SqlObject)> = Vec::new();
    // Keys dropped (and, where declared, created again) around the plan.
    let mut rebuilt: BTreeSet<&str> = BTreeSet::new();
    let mut created: Vec<&SqlObject> = Vec::new();
    let mut dropped: Vec<&SqlObject> = Vec::new();
    for (key, want) in &desired.objects {
        match cur.objects.get(key) {
            None => created.push(want),
            Some(have) if have.definition == want.definition => {}
            Some(have) if want.kind.routine() => replaced.push((have, want)),
            // Columns are of it: dropped and made again, it would take them along.
            Some(_) if want.kind.under_columns() => {
                let how = want.kind.changed_by_hand();
                return Err(DiffError::Unsupported {
                    dialect,
                    table: want.name.clone(),
                    what: format!("change {} {}", want.kind, want.label()),
                    hint: format!("write this migration by hand ({how}: autogen revision -m ...)"),
                });
            }
            Some(_) => {
                rebuilt.insert(key);
            }
        }
    }
    let mut foreign: BTreeMap<String, usize> = BTreeMap::new();
    for (key, have) in &cur.objects {
        if desired.objects.contains_key(key) {
            continue;
        }
        if have.owned {
            dropped.push(have);
        } else {
            *foreign
                .entry(have.kind.dir().replace('_', " "))
                .or_default() += 1;
        }
    }
    for (kind, n) in foreign {
        left_alone.add(&kind, n);
    }
    // What reads a changed column, then whatever depends on what goes.
    let touched = touched_columns(ops);
    let gone: BTreeSet<String> = dropped.iter().map(|o| o.key()).collect();
    // A routine is replaced in place, never rebuilt; a type stays under its columns.
    let kept = || {
        cur.objects
            .iter()
            .filter(|(key, o)| !o.kind.before_tables() && !gone.contains(key.as_str()))
    };
    for (key, o) in kept() {
        if touched.iter().any(|(t, c)| o.reads_column(t, c.as_deref())) {
            rebuilt.insert(key);
        }
    }
    loop {
        let before = rebuilt.len();
        for (key, o) in kept() {
            if o.depends_on
                .iter()
                .any(|d| rebuilt.contains(d.as_str()) || gone.contains(d))
            {
                rebuilt.insert(key);
            }
        }
        if rebuilt.len() == before {
            break;
        }
    }
    let mut drops: Vec<&SqlObject> = dropped.clone();
    for key in &rebuilt {
        if let Some(have) = cur.objects.get(*key) {
            drops.push(have);
            // Declared: as declared; otherwise the database's own, as it was.
            created.push(desired.objects.get(*key).unwrap_or(have));
        }
    }
    for o in in_dependency_order(&drops).into_iter().rev() {
        let phase = if o.kind.before_tables() {
            Phase::DropRoutines
        } else {
            Phase::DropObjects
        };
        ops.push((phase, Op::DropObject(o.clone())));
    }
    for (from, to) in replaced {
        let op = Op::ReplaceObject {
            from: from.clone(),
            to: to.clone(),
        };
        ops.push((create_phase(to), op));
    }
    for o in in_dependency_order(&created) {
        ops.push((create_phase(o), Op::CreateObject(o.clone())));
    }
    Ok(())
}

/// Types, and routines that need no table, come before the tables (a column may be of one, a
/// default or CHECK may call one); everything else after them.
fn create_phase(o: &SqlObject) -> Phase {
    if o.kind.before_tables() && !o.depends_on.iter().any(|d| d.starts_with("table ")) {
        Phase::CreateRoutines
    } else {
        Phase::CreateObjects
    }
}

/// The columns (None: the whole table) the table operations change or drop.
fn touched_columns(ops: &PhasedOps) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for (_, op) in ops {
        if let Op::AlterColumn { table, from, .. } = op {
            out.push((table.clone(), Some(from.name.clone())));
        } else if let Op::DropColumn { table, column } = op {
            out.push((table.clone(), Some(column.name.clone())));
        } else if let Op::DropTable(t) = op {
            out.push((t.name.clone(), None));
        } else if let Op::RecreateEnum { columns, .. } = op {
            out.extend(
                columns
                    .iter()
                    .map(|c| (c.table.clone(), Some(c.column.clone()))),
            );
        }
    }
    out
}

/// Objects each after those of the list it depends on (ties, and cycles, by kind then key).
fn in_dependency_order<'a>(objects: &[&'a SqlObject]) -> Vec<&'a SqlObject> {
    let mut pending: Vec<&SqlObject> = objects.to_vec();
    pending.sort_by_key(|o| (o.kind, o.key()));
    let keys: BTreeSet<String> = pending.iter().map(|o| o.key()).collect();
    let mut done: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::with_capacity(pending.len());
    while !pending.is_empty() {
        let ready = pending.iter().position(|o| {
            o.depends_on
                .iter()
                .all(|d| !keys.contains(d) || done.contains(d))
        });
        let o = pending.remove(ready.unwrap_or(0));
        done.insert(o.key());
        out.push(o);
    }
    out
}
