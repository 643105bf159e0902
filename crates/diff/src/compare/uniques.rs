//! UNIQUE constraints of a kept table, compared by their columns (databases name them), and by
//! name where both sides have one.

use super::context::{TableDiff, missing};
use crate::error::DiffError;
use crate::op::Op;
use crate::phase::Phase;
use autogen_schema::Unique;
use autogen_schema::lexical::unique_name;

pub(crate) fn compare_uniques(t: &mut TableDiff) -> Result<(), DiffError> {
    let key = |u: &Unique| u.columns.clone();
    let (have, want) = (t.have, t.want);
    // Same columns, both named, different names: the model declared another name.
    let renamed = |u: &Unique, others: &[Unique]| {
        others.iter().any(|o| {
            o.columns == u.columns
                && matches!((o.chosen_name(), u.chosen_name()), (Some(a), Some(b)) if a != b)
        })
    };
    let dropped = missing(&have.uniques, &want.uniques, key)
        .into_iter()
        .chain(have.uniques.iter().filter(|u| renamed(u, &want.uniques)));
    let added: Vec<&Unique> = missing(&want.uniques, &have.uniques, key)
        .into_iter()
        .chain(want.uniques.iter().filter(|u| renamed(u, &have.uniques)))
        .collect();
    for u in dropped {
        if !t.caps.alter_uniques {
            let cols = u.columns.join(", ");
            return Err(t.unsupported(format!("drop UNIQUE ({cols})")));
        }
        let (table, unique) = (t.name().to_string(), u.clone());
        t.ops
            .push((Phase::DropIndexes, Op::DropUnique { table, unique }));
    }
    for u in added {
        if !t.caps.alter_uniques {
            let cols = u.columns.join(", ");
            return Err(t.unsupported(format!("add UNIQUE ({cols})")));
        }
        let table = t.name().to_string();
        // An unnamed UNIQUE gets the name autogen derives; the name may still move
        // (`Plan::settle_names`) where the database holds it.
        let derived = u.name.is_none() || u.derived;
        let unique = Unique {
            name: Some(u.name.clone().unwrap_or_else(|| {
                t.dialect
                    .sql()
                    .derived_name(&unique_name(&table, &u.columns))
            })),
            columns: u.columns.clone(),
            derived,
        };
        t.ops
            .push((Phase::CreateIndexes, Op::AddUnique { table, unique }));
    }
    Ok(())
}
