//! What every per-kind comparison of one kept table shares.

use crate::error::DiffError;
use crate::phase::PhasedOps;
use autogen_schema::{Capabilities, Dialect, Table};
use std::collections::BTreeSet;

/// One kept table being compared: its current and desired definitions, the dialect's
/// capabilities, and the operations found so far.
pub(crate) struct TableDiff<'a> {
    pub have: &'a Table,
    pub want: &'a Table,
    pub dialect: Dialect,
    pub caps: &'a Capabilities,
    pub ops: PhasedOps,
}

impl TableDiff<'_> {
    pub fn name(&self) -> &str {
        &self.want.name
    }

    /// The dialect can neither alter this in place nor rebuild the table for it.
    pub fn unsupported(&self, what: String) -> DiffError {
        DiffError::Unsupported {
            dialect: self.dialect,
            table: self.want.name.clone(),
            what,
            // Reached only where the dialect can neither alter nor rebuild (SQLite rebuilds instead).
            hint: "write this migration by hand (autogen revision -m ...)".into(),
        }
    }
}

/// The items of `from` whose key no item of `other` has, in `from`'s order.
pub(crate) fn missing<'a, T, K: Ord>(
    from: &'a [T],
    other: &[T],
    key: impl Fn(&T) -> K,
) -> Vec<&'a T> {
    let keys: BTreeSet<K> = other.iter().map(&key).collect();
    from.iter().filter(|x| !keys.contains(&key(x))).collect()
}
