//! One kept table: its key, constraints, indexes, columns and comment, each compared by its
//! own file; what the dialect cannot alter in place becomes one table rebuild where it can.

use super::columns::compare_columns;
use super::context::TableDiff;
use super::foreign_keys::compare_foreign_keys;
use super::indexes::compare_indexes;
use super::uniques::compare_uniques;
use crate::error::DiffError;
use crate::op::Op;
use crate::phase::{Phase, PhasedOps};
use autogen_schema::{Capabilities, Column, Dialect, Table};

/// The operations that take `have` to `want`. Where the dialect's `ALTER TABLE` cannot make a
/// change and it rebuilds tables (SQLite), the table's operations become one rebuild.
pub(crate) fn compare_table(
    have: &Table,
    want: &Table,
    dialect: Dialect,
    caps: &Capabilities,
) -> Result<PhasedOps, DiffError> {
    let mut t = TableDiff {
        have,
        want,
        dialect,
        caps,
        ops: Vec::new(),
    };
    match compare_parts(&mut t) {
        Ok(()) => Ok(t.ops),
        Err(DiffError::Unsupported { .. }) if caps.rebuild_tables => Ok(vec![(
            Phase::Columns,
            Op::RebuildTable {
                from: definition(have),
                to: definition(want),
            },
        )]),
        Err(e) => Err(e),
    }
}

fn compare_parts(t: &mut TableDiff) -> Result<(), DiffError> {
    if t.have.primary_key != t.want.primary_key {
        return Err(t.unsupported(format!(
            "change the primary key from ({}) to ({})",
            t.have.primary_key.join(", "),
            t.want.primary_key.join(", ")
        )));
    }
    compare_foreign_keys(t)?;
    compare_indexes(t);
    compare_uniques(t)?;
    compare_columns(t)?;
    if t.have.comment != t.want.comment {
        t.ops.push((
            Phase::Columns,
            Op::SetTableComment {
                table: t.name().to_string(),
                from: t.have.comment.clone(),
                to: t.want.comment.clone(),
            },
        ));
    }
    Ok(())
}

/// A table without model-only annotations (`renamed_from`), as a rebuild states it.
fn definition(t: &Table) -> Table {
    Table {
        renamed_from: None,
        columns: t.columns.iter().map(Column::definition).collect(),
        ..t.clone()
    }
}
