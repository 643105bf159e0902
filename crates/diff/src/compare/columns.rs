//! Columns of a kept table: added, altered, dropped.

use super::context::TableDiff;
use crate::error::DiffError;
use crate::op::Op;
use crate::phase::Phase;
use autogen_schema::Column;

/// The database's column as far as the entity's speaks for it: an entity that names no
/// identity sequence takes it by whatever name it has (a renamed table's keeps its old one).
fn spoken_for(have: &Column, want: &Column) -> Column {
    let mut have = have.clone();
    if want
        .identity_sequence
        .as_ref()
        .is_none_or(|s| s.name.is_none())
        && let Some(s) = &mut have.identity_sequence
    {
        s.name = None;
        if s.is_default() {
            have.identity_sequence = None;
        }
    }
    have
}

pub(crate) fn compare_columns(t: &mut TableDiff) -> Result<(), DiffError> {
    let (have, want) = (t.have, t.want);
    let table = t.name().to_string();
    let sql = t.dialect.sql();
    // What the column means, however the two sides spell it.
    let same = |old: &Column, new: &Column| {
        let key = have.primary_key.contains(&new.name) && want.primary_key.contains(&new.name);
        sql.comparable_column(&spoken_for(old, new), key) == sql.comparable_column(new, key)
    };
    for c in &want.columns {
        match have.column(&c.name) {
            None => {
                if let Some(why) = (t.caps.add_column_blocker)(c) {
                    return Err(t.unsupported(format!("add column {}: {why}", c.name)));
                }
                let column = c.definition();
                let table = table.clone();
                t.ops
                    .push((Phase::Columns, Op::AddColumn { table, column }))
            }
            Some(old) if !same(old, c) => {
                if !t.caps.alter_columns {
                    return Err(t.unsupported(format!("alter column {}", c.name)));
                }
                if let Some(hint) = (t.caps.alter_generated_blocker)(old, c) {
                    return Err(DiffError::Unsupported {
                        dialect: t.dialect,
                        table: table.clone(),
                        what: format!("change how column {} is generated", c.name),
                        hint: hint.into(),
                    });
                }
                let (from, to) = (spoken_for(old, c).definition(), c.definition());
                let table = table.clone();
                t.ops
                    .push((Phase::Columns, Op::AlterColumn { table, from, to }))
            }
            Some(_) => {}
        }
    }
    for c in &have.columns {
        if want.column(&c.name).is_some() {
            continue;
        }
        // Indexes on the column are dropped earlier in the plan; constraints are not.
        let constrained = have
            .foreign_keys
            .iter()
            .any(|f| f.columns.contains(&c.name))
            || have.uniques.iter().any(|u| u.columns.contains(&c.name));
        if constrained && !t.caps.drop_constrained_column {
            return Err(t.unsupported(format!(
                "drop column {} while it is part of a UNIQUE or foreign key",
                c.name
            )));
        }
        let column = c.clone();
        let table = table.clone();
        t.ops
            .push((Phase::Columns, Op::DropColumn { table, column }));
    }
    Ok(())
}
