//! Declared renames (`renamed_from`), applied to the current schema so that every later step
//! compares like with like.

use crate::op::Op;
use crate::phase::{Phase, PhasedOps};
use autogen_schema::Schema;

/// Table renames: `renamed_from` on an entity whose old table exists and new one does not.
pub(crate) fn rename_tables(cur: &mut Schema, desired: &Schema, ops: &mut PhasedOps) {
    for table in desired.tables.values() {
        let Some(old) = &table.renamed_from else {
            continue;
        };
        if cur.tables.contains_key(old) && !cur.tables.contains_key(&table.name) {
            rename_table(cur, old, &table.name);
            ops.push((
                Phase::Renames,
                Op::RenameTable {
                    from: old.clone(),
                    to: table.name.clone(),
                },
            ));
        }
    }
}

/// Column renames inside kept tables.
pub(crate) fn rename_columns(cur: &mut Schema, desired: &Schema, ops: &mut PhasedOps) {
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
            rename_column(cur, &table.name, &from, &to);
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
}

pub(crate) fn rename_table(schema: &mut Schema, from: &str, to: &str) {
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

pub(crate) fn rename_column(schema: &mut Schema, table: &str, from: &str, to: &str) {
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
