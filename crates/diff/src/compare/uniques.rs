//! UNIQUE constraints of a kept table, compared by their columns (databases name them).

use super::context::{TableDiff, missing};
use crate::error::DiffError;
use crate::op::Op;
use crate::phase::Phase;
use autogen_schema::Unique;
use autogen_schema::lexical::unique_name;

pub(crate) fn compare_uniques(t: &mut TableDiff) -> Result<(), DiffError> {
    let key = |u: &Unique| u.columns.clone();
    let (have, want) = (t.have, t.want);
    for u in missing(&have.uniques, &want.uniques, key) {
        if !t.caps.alter_uniques {
            let cols = u.columns.join(", ");
            return Err(t.unsupported(format!("drop UNIQUE ({cols})")));
        }
        let (table, unique) = (t.name().to_string(), u.clone());
        t.ops
            .push((Phase::DropIndexes, Op::DropUnique { table, unique }));
    }
    for u in missing(&want.uniques, &have.uniques, key) {
        if !t.caps.alter_uniques {
            let cols = u.columns.join(", ");
            return Err(t.unsupported(format!("add UNIQUE ({cols})")));
        }
        let table = t.name().to_string();
        let unique = Unique {
            name: Some(
                u.name
                    .clone()
                    .unwrap_or_else(|| unique_name(&table, &u.columns)),
            ),
            columns: u.columns.clone(),
        };
        t.ops
            .push((Phase::CreateIndexes, Op::AddUnique { table, unique }));
    }
    Ok(())
}
