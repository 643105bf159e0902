//! Indexes of a kept table, compared by name; a changed definition is dropped and recreated.

use super::context::TableDiff;
use crate::op::Op;
use crate::phase::Phase;
use std::collections::BTreeMap;

pub(crate) fn compare_indexes(t: &mut TableDiff) {
    let have: BTreeMap<_, _> = t.have.indexes.iter().map(|i| (&i.name, i)).collect();
    let want: BTreeMap<_, _> = t.want.indexes.iter().map(|i| (&i.name, i)).collect();
    let table = t.name().to_string();
    for (n, i) in &have {
        if !want.get(n).is_some_and(|w| w.same_definition(i)) {
            let index = (*i).clone();
            let table = table.clone();
            t.ops
                .push((Phase::DropIndexes, Op::DropIndex { table, index }));
        }
    }
    for (n, i) in &want {
        if !have.get(n).is_some_and(|h| h.same_definition(i)) {
            let index = (*i).clone();
            let table = table.clone();
            t.ops
                .push((Phase::CreateIndexes, Op::CreateIndex { table, index }));
        }
    }
}
