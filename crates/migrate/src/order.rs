//! The order of a directory's revisions: parents before children.

use crate::error::{MigrateError, Result};
use crate::revision::Revision;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Orders revisions so that every parent comes before its children (ties by id, so the order is
/// stable and, for ids that are timestamps, chronological). Reports dangling parents and cycles.
pub(crate) fn topological(revisions: Vec<Revision>, dir: &Path) -> Result<Vec<Revision>> {
    let ids: BTreeSet<String> = revisions.iter().map(|r| r.meta.id.clone()).collect();
    if ids.len() != revisions.len() {
        let mut seen = BTreeSet::new();
        for r in &revisions {
            if !seen.insert(&r.meta.id) {
                return Err(MigrateError::Graph(format!(
                    "two migration files in {} claim revision {}",
                    dir.display(),
                    r.meta.id
                )));
            }
        }
    }
    for r in &revisions {
        if let Some(p) = r.meta.parents.iter().find(|p| !ids.contains(*p)) {
            return Err(MigrateError::MissingParent {
                id: r.meta.id.clone(),
                parent: p.clone(),
                dir: dir.to_path_buf(),
            });
        }
    }
    let mut waiting: BTreeMap<String, Revision> = revisions
        .into_iter()
        .map(|r| (r.meta.id.clone(), r))
        .collect();
    let mut placed: BTreeSet<String> = BTreeSet::new();
    let mut ordered = Vec::new();
    loop {
        // The smallest id whose parents are all placed; quadratic, but histories are short.
        let next = waiting
            .values()
            .find(|r| r.meta.parents.iter().all(|p| placed.contains(p)))
            .map(|r| r.meta.id.clone());
        let Some(id) = next else { break };
        if let Some(r) = waiting.remove(&id) {
            placed.insert(id);
            ordered.push(r);
        }
    }
    if let Some(r) = waiting.values().next() {
        return Err(MigrateError::Graph(format!(
            "revision {} is part of a cycle of parent links",
            r.meta.id
        )));
    }
    Ok(ordered)
}
