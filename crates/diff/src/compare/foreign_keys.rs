//! Foreign keys of a kept table, compared by everything but their name (SQLite keeps none).

use super::context::{TableDiff, missing};
use crate::error::DiffError;
use crate::op::{Op, covered};
use crate::phase::Phase;
use autogen_schema::ForeignKey;

pub(crate) fn compare_foreign_keys(t: &mut TableDiff) -> Result<(), DiffError> {
    let (have, want) = (t.have, t.want);
    // Compared as the dialect enforces them (MySQL checks NO ACTION at once: RESTRICT).
    let sql = t.dialect.sql();
    let key = |fk: &ForeignKey| ForeignKey {
        on_delete: sql.enforced_action(fk.on_delete),
        on_update: sql.enforced_action(fk.on_update),
        ..fk.unnamed()
    };
    for fk in missing(&have.foreign_keys, &want.foreign_keys, key) {
        if !t.caps.alter_foreign_keys {
            let cols = fk.columns.join(", ");
            return Err(t.unsupported(format!("drop foreign key ({cols})")));
        }
        let (table, fk) = (t.name().to_string(), fk.clone());
        let covered = covered(have, &fk.columns);
        t.ops.push((
            Phase::DropForeignKeys,
            Op::DropForeignKey { table, fk, covered },
        ));
    }
    for fk in missing(&want.foreign_keys, &have.foreign_keys, key) {
        if !t.caps.alter_foreign_keys {
            let cols = fk.columns.join(", ");
            return Err(t.unsupported(format!("add foreign key ({cols})")));
        }
        let (table, fk) = (t.name().to_string(), fk.clone());
        let covered = covered(want, &fk.columns);
        t.ops.push((
            Phase::AddForeignKeys,
            Op::AddForeignKey { table, fk, covered },
        ));
    }
    Ok(())
}
