//! One kept table: its key, constraints, indexes, columns and comment, each compared by its
//! own file; what the dialect cannot alter in place becomes one table rebuild where it can.

use super::checks::compare_checks;
use super::columns::compare_columns;
use super::context::TableDiff;
use super::foreign_keys::compare_foreign_keys;
use super::indexes::compare_indexes;
use super::uniques::compare_uniques;
use crate::error::DiffError;
use crate::op::{Op, PrimaryKey};
use crate::phase::{Phase, PhasedOps};
use autogen_schema::{Capabilities, Column, Dialect, Table};

/// The operations that take `have` to `want` (both as [`super::scope`] left them). Where the
/// dialect's `ALTER TABLE` cannot make a change and it rebuilds tables (SQLite), the table's
/// operations become one rebuild, which keeps what was left alone (`original` is the table as
/// the database holds it).
pub(crate) fn compare_table(
    original: &Table,
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
        Err(DiffError::Unsupported { .. })
            if caps.rebuild_tables && !original.rebuild_would_lose.is_empty() =>
        {
            Err(DiffError::RebuildWouldLose {
                dialect,
                table: original.name.clone(),
                what: original.rebuild_would_lose.clone(),
            })
        }
        Err(DiffError::Unsupported { .. }) if caps.rebuild_tables => Ok(vec![(
            Phase::Columns,
            Op::RebuildTable {
                from: definition(original),
                to: definition(&with_left_alone(want, original, have)),
            },
        )]),
        Err(e) => Err(e),
    }
}

fn compare_parts(t: &mut TableDiff) -> Result<(), DiffError> {
    compare_primary_key(t)?;
    compare_foreign_keys(t)?;
    compare_indexes(t);
    compare_uniques(t)?;
    compare_checks(t)?;
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

/// The key's columns, and its name where both sides have one: a changed key is dropped and
/// added anew, after the columns it uses are in place.
fn compare_primary_key(t: &mut TableDiff) -> Result<(), DiffError> {
    let (from, to) = (PrimaryKey::of(t.have), PrimaryKey::of(t.want));
    let renamed = matches!((&from.name, &to.name), (Some(a), Some(b)) if a != b);
    if from.columns == to.columns && !renamed {
        return Ok(());
    }
    if !t.caps.alter_primary_key {
        return Err(t.unsupported(format!(
            "change the primary key from ({}) to ({})",
            from.columns.join(", "),
            to.columns.join(", ")
        )));
    }
    let table = t.name().to_string();
    t.ops.push((
        Phase::CreateIndexes,
        Op::AlterPrimaryKey { table, from, to },
    ));
    Ok(())
}

/// `want` with what the comparison left alone in the database (`original` less `scoped`)
/// put back, so that a rebuild keeps it.
fn with_left_alone(want: &Table, original: &Table, scoped: &Table) -> Table {
    let mut t = want.clone();
    for c in &original.columns {
        if scoped.column(&c.name).is_none() && t.column(&c.name).is_none() {
            t.columns.push(c.clone());
        }
    }
    t.indexes.extend(
        original
            .indexes
            .iter()
            .filter(|i| !scoped.indexes.contains(i))
            .cloned(),
    );
    t.uniques.extend(
        original
            .uniques
            .iter()
            .filter(|u| !scoped.uniques.contains(u))
            .cloned(),
    );
    t.foreign_keys.extend(
        original
            .foreign_keys
            .iter()
            .filter(|f| !scoped.foreign_keys.contains(f))
            .cloned(),
    );
    t.ignored.clear();
    t.kept = original.kept.clone();
    t.checks.extend(
        original
            .checks
            .iter()
            .filter(|c| !scoped.checks.contains(c))
            .cloned(),
    );
    t
}

/// A table without model-only annotations (`renamed_from`), as a rebuild states it.
fn definition(t: &Table) -> Table {
    Table {
        renamed_from: None,
        ignored: Vec::new(),
        columns: t.columns.iter().map(Column::definition).collect(),
        indexes: t
            .indexes
            .iter()
            .map(|i| autogen_schema::Index {
                derived: false,
                ..i.clone()
            })
            .collect(),
        ..t.clone()
    }
}
