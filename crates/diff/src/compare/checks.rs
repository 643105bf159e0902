//! CHECK constraints of a kept table, compared by name and by the definition as the server
//! renders it: one whose definition changed is dropped and added anew.

use super::context::TableDiff;
use crate::error::DiffError;
use crate::op::Op;
use crate::phase::Phase;
use autogen_schema::Check;

pub(crate) fn compare_checks(t: &mut TableDiff) -> Result<(), DiffError> {
    let (have, want) = (t.have, t.want);
    let same = |a: &Check, b: &Check| a.key() == b.key() && a.definition == b.definition;
    let dropped: Vec<&Check> = have
        .checks
        .iter()
        .filter(|h| !want.checks.iter().any(|w| same(h, w)))
        .collect();
    let added: Vec<&Check> = want
        .checks
        .iter()
        .filter(|w| !have.checks.iter().any(|h| same(h, w)))
        .collect();
    if (!dropped.is_empty() || !added.is_empty()) && !t.caps.alter_checks {
        let what = dropped
            .iter()
            .map(|c| format!("drop CHECK {}", c.key()))
            .chain(added.iter().map(|c| format!("add CHECK {}", c.key())))
            .collect::<Vec<_>>()
            .join(", ");
        return Err(t.unsupported(what));
    }
    for c in dropped {
        let (table, check) = (t.name().to_string(), c.clone());
        t.ops
            .push((Phase::DropIndexes, Op::DropCheck { table, check }));
    }
    for c in added {
        let (table, check) = (t.name().to_string(), c.clone());
        t.ops
            .push((Phase::CreateIndexes, Op::AddCheck { table, check }));
    }
    Ok(())
}
