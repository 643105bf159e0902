//! Dependency order for tables created or dropped together.

use autogen_schema::{ForeignKey, Index, Table};
use std::collections::{BTreeMap, BTreeSet};

/// Splits a table to be created (or dropped) into the table itself, its indexes (separate
/// statements) and the foreign keys [`order_for_create`] deferred to break a cycle.
pub(crate) fn detach(
    mut table: Table,
    deferred: &[(String, ForeignKey)],
) -> (Table, Vec<Index>, Vec<ForeignKey>) {
    let late: Vec<ForeignKey> = deferred
        .iter()
        .filter(|(t, _)| *t == table.name)
        .map(|(_, fk)| fk.clone())
        .collect();
    table.foreign_keys.retain(|fk| !late.contains(fk));
    let indexes = std::mem::take(&mut table.indexes);
    (table, indexes, late)
}

/// Orders tables so that each comes after the tables it references. Where references form a
/// cycle, the foreign keys that close it are returned separately, to be added after the tables
/// (Atlas's `DetachCycles`), unless the dialect accepts references to tables created later.
/// Deterministic: ties are broken by name.
pub(crate) fn order_for_create(
    tables: &[&Table],
    forward_references: bool,
) -> (Vec<Table>, Vec<(String, ForeignKey)>) {
    let names: BTreeSet<&str> = tables.iter().map(|t| t.name.as_str()).collect();
    let mut remaining: BTreeMap<&str, &Table> =
        tables.iter().map(|t| (t.name.as_str(), *t)).collect();
    let mut done: BTreeSet<String> = BTreeSet::new();
    let mut ordered = Vec::new();
    let mut deferred = Vec::new();
    while let Some((&first, &first_table)) = remaining.iter().next() {
        let ready = remaining.iter().find(|(_, t)| {
            t.referenced_tables()
                .all(|r| !names.contains(r) || done.contains(r))
        });
        let name = match ready {
            Some((n, _)) => *n,
            None => {
                // A cycle: take the first remaining table and defer its FKs to pending tables.
                let t = first_table;
                for fk in t.foreign_keys.iter().filter(|_| !forward_references) {
                    if fk.ref_table != t.name
                        && names.contains(fk.ref_table.as_str())
                        && !done.contains(&fk.ref_table)
                    {
                        deferred.push((t.name.clone(), fk.clone()));
                    }
                }
                first
            }
        };
        if let Some(t) = remaining.remove(name) {
            done.insert(name.to_string());
            ordered.push(t.clone());
        }
    }
    (ordered, deferred)
}
