//! The revision graph: revisions point at their parents, so history is a DAG. Usually a line;
//! two developers branching from the same revision make two heads, and `autogen merge` joins them
//! with a revision that has both as parents (Alembic's model).

use crate::dir::MigrationsDir;
use crate::error::{MigrateError, Result};
use crate::revision::Revision;
use crate::target::{Direction, Target};
use std::collections::BTreeSet;

impl MigrationsDir {
    pub fn find(&self, id: &str) -> Option<&Revision> {
        self.revisions.iter().find(|r| r.meta.id == id)
    }

    /// Revisions no other revision follows, in order.
    pub fn heads(&self) -> Vec<&Revision> {
        let parents: BTreeSet<&str> = self
            .revisions
            .iter()
            .flat_map(|r| r.meta.parents.iter().map(String::as_str))
            .collect();
        self.revisions
            .iter()
            .filter(|r| !parents.contains(r.meta.id.as_str()))
            .collect()
    }

    /// The single head; an error naming every head (and the command that joins them) when the
    /// history has forked; `None` when there are no revisions.
    pub fn single_head(&self) -> Result<Option<&Revision>> {
        match self.heads().as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(one)),
            many => Err(MigrateError::MultipleHeads {
                heads: many.iter().map(|r| r.meta.id.clone()).collect(),
            }),
        }
    }

    pub fn children(&self, id: &str) -> Vec<&Revision> {
        self.revisions
            .iter()
            .filter(|r| r.meta.parents.iter().any(|p| p == id))
            .collect()
    }

    /// Revisions with more than one child: where the history forks.
    pub fn branch_points(&self) -> Vec<(&Revision, Vec<&Revision>)> {
        self.revisions
            .iter()
            .map(|r| (r, self.children(&r.meta.id)))
            .filter(|(_, c)| c.len() > 1)
            .collect()
    }

    /// `id` and every revision it builds on.
    pub fn ancestors(&self, id: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let mut stack = vec![id.to_string()];
        while let Some(id) = stack.pop() {
            if let Some(r) = self.find(&id)
                && out.insert(id)
            {
                stack.extend(r.meta.parents.iter().cloned());
            }
        }
        out
    }

    /// `id` and every revision that builds on it.
    pub fn descendants(&self, id: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::from([id.to_string()]);
        for r in &self.revisions {
            if r.meta.parents.iter().any(|p| out.contains(p)) {
                out.insert(r.meta.id.clone());
            }
        }
        out
    }

    /// A revision by id or unique prefix (`head` names the single head).
    pub fn resolve(&self, id: &str) -> Result<&Revision> {
        if id == "head" {
            return self
                .single_head()?
                .ok_or_else(|| MigrateError::Target("there are no revisions yet".into()));
        }
        if let Some(exact) = self.find(id) {
            return Ok(exact);
        }
        let matches: Vec<_> = self
            .revisions
            .iter()
            .filter(|r| r.meta.id.starts_with(id))
            .collect();
        match matches.as_slice() {
            [one] => Ok(one),
            [] => Err(MigrateError::Target(format!("no revision matches {id}"))),
            many => Err(MigrateError::Target(format!(
                "{id} is ambiguous: it starts {}",
                ids(many)
            ))),
        }
    }

    /// The revisions of `id`'s change (the stages one `-m` wrote), in order.
    pub fn change_of(&self, id: &str) -> Vec<&Revision> {
        let change = self.find(id).map(|r| r.meta.change_id().to_string());
        self.revisions
            .iter()
            .filter(|r| Some(r.meta.change_id()) == change.as_deref())
            .collect()
    }

    /// Changes some of whose stages are applied and some not (an upgrade or a downgrade stopped
    /// between them), each as one line that names it and the commands that finish or undo it.
    pub fn half_applied(&self, applied: &[String]) -> Vec<String> {
        let all: Vec<&Revision> = self.revisions.iter().collect();
        changes(&all)
            .into_iter()
            .filter(|stages| {
                let done = stages
                    .iter()
                    .filter(|r| applied.contains(&r.meta.id))
                    .count();
                done > 0 && done < stages.len()
            })
            .map(|stages| {
                let done = stages
                    .iter()
                    .filter(|r| applied.contains(&r.meta.id))
                    .count();
                let (first, last) = (stages[0], stages[stages.len() - 1]);
                format!(
                    "change {} ({}) is half applied: {done} of its {} stages; \
                     `autogen upgrade {}` finishes it, `autogen downgrade {}-1` undoes it",
                    first.meta.id,
                    first.meta.message_line(),
                    stages.len(),
                    last.meta.id,
                    first.meta.id
                )
            })
            .collect()
    }

    /// The last (or first) stage of `r`'s change.
    fn change_edge<'a>(&'a self, r: &'a Revision, last: bool) -> &'a Revision {
        let stages = self.change_of(&r.meta.id);
        let pick = if last { stages.last() } else { stages.first() };
        pick.copied().unwrap_or(r)
    }

    /// The revision `n` changes after (n > 0) or before (n < 0) the change holding `id`, along a
    /// line: the last stage of that change (`None`: base); an error where the way forks or ends.
    fn walk(&self, id: &str, n: i64) -> Result<Option<&Revision>> {
        let start = self.resolve(id)?;
        let edge = |r, last| self.change_edge(r, last);
        // Counting forward starts from the change's last stage, backward from its first.
        let mut at = Some(edge(start, n >= 0));
        for _ in 0..n.unsigned_abs() {
            let Some(r) = at else {
                return Err(MigrateError::Target(format!("{id}{n:+} goes below base")));
            };
            let next: Vec<&Revision> = if n > 0 {
                self.children(&r.meta.id)
            } else {
                r.meta.parents.iter().filter_map(|p| self.find(p)).collect()
            };
            at = match next.as_slice() {
                [] if n > 0 => {
                    return Err(MigrateError::Target(format!(
                        "{id}{n:+} goes beyond head {}",
                        r.meta.id
                    )));
                }
                [] => None,
                [one] => Some(edge(one, n > 0)),
                many => {
                    return Err(MigrateError::Target(format!(
                        "{id}{n:+} is ambiguous: the history forks at {} ({})",
                        r.meta.id,
                        ids(many)
                    )));
                }
            };
        }
        // Backward, the walk stops on a change's first stage; the target is its last.
        Ok(at.map(|r| edge(r, true)))
    }

    /// The revisions `target` selects: for [`Direction::Up`] the pending ones to apply, parents
    /// first; for [`Direction::Down`] the applied ones to revert, children first.
    pub fn steps(
        &self,
        applied: &BTreeSet<String>,
        target: &Target,
        direction: Direction,
    ) -> Result<Vec<&Revision>> {
        match direction {
            Direction::Up => self.upgrade_steps(applied, target),
            Direction::Down => self.downgrade_steps(applied, target),
        }
    }

    fn upgrade_steps(&self, applied: &BTreeSet<String>, target: &Target) -> Result<Vec<&Revision>> {
        let pending: Vec<&Revision> = self
            .revisions
            .iter()
            .filter(|r| !applied.contains(&r.meta.id))
            .collect();
        let wanted: BTreeSet<String> = match target {
            Target::Heads => return Ok(pending),
            Target::Head => match self.single_head()? {
                Some(head) => self.ancestors(&head.meta.id),
                None => BTreeSet::new(),
            },
            Target::Base => BTreeSet::new(),
            Target::Relative(n) if *n > 0 => {
                let n = *n as usize;
                let changes = changes(&pending);
                if n > changes.len() {
                    return Err(MigrateError::Target(format!(
                        "cannot upgrade +{n}: only {} change(s) pending",
                        changes.len()
                    )));
                }
                return Ok(changes[..n].concat());
            }
            Target::Relative(n) => {
                return Err(MigrateError::Target(format!(
                    "upgrade takes +N, not {n}; use downgrade"
                )));
            }
            Target::Revision(id) => self.ancestors(&self.resolve(id)?.meta.id),
            Target::FromRevision(id, n) => match self.walk(id, *n)? {
                Some(r) => self.ancestors(&r.meta.id),
                None => BTreeSet::new(),
            },
        };
        Ok(pending
            .into_iter()
            .filter(|r| wanted.contains(&r.meta.id))
            .collect())
    }

    fn downgrade_steps(
        &self,
        applied: &BTreeSet<String>,
        target: &Target,
    ) -> Result<Vec<&Revision>> {
        let mut applied_revs: Vec<&Revision> = self
            .revisions
            .iter()
            .filter(|r| applied.contains(&r.meta.id))
            .collect();
        applied_revs.reverse();
        let keep: BTreeSet<String> = match target {
            Target::Base => BTreeSet::new(),
            Target::Relative(n) if *n < 0 => {
                let n = n.unsigned_abs() as usize;
                let changes = changes(&applied_revs);
                if n > changes.len() {
                    return Err(MigrateError::Target(format!(
                        "cannot downgrade -{n}: only {} change(s) applied",
                        changes.len()
                    )));
                }
                return Ok(changes[..n].concat());
            }
            Target::Relative(n) => {
                return Err(MigrateError::Target(format!(
                    "downgrade takes -N, not +{n}; use upgrade"
                )));
            }
            Target::Head | Target::Heads => {
                return Err(MigrateError::Target(
                    "downgrade takes -N, base, or a revision to stay at".into(),
                ));
            }
            Target::Revision(id) | Target::FromRevision(id, 0) => {
                let r = self.resolve(id)?;
                if !applied.contains(&r.meta.id) {
                    return Err(MigrateError::Target(format!(
                        "revision {} is not applied, so the database cannot go down to it",
                        r.meta.id
                    )));
                }
                self.everything_but_descendants(&r.meta.id)
            }
            Target::FromRevision(id, n) => match self.walk(id, *n)? {
                Some(r) => self.everything_but_descendants(&r.meta.id),
                None => BTreeSet::new(),
            },
        };
        Ok(applied_revs
            .into_iter()
            .filter(|r| !keep.contains(&r.meta.id))
            .collect())
    }

    /// What stays applied when going down to `id`: all but what builds on it.
    fn everything_but_descendants(&self, id: &str) -> BTreeSet<String> {
        let mut below = self.descendants(id);
        below.remove(id);
        self.revisions
            .iter()
            .map(|r| r.meta.id.clone())
            .filter(|i| !below.contains(i))
            .collect()
    }
}

/// Revisions in the order given, grouped into the changes they are stages of (a change's stages
/// follow one another in any order a run takes them).
pub fn changes<'a>(revs: &[&'a Revision]) -> Vec<Vec<&'a Revision>> {
    let mut out: Vec<Vec<&Revision>> = Vec::new();
    for r in revs {
        match out.last_mut() {
            Some(last) if last[0].meta.change_id() == r.meta.change_id() => last.push(r),
            _ => out.push(vec![r]),
        }
    }
    out
}

pub(crate) fn ids(revs: &[&Revision]) -> String {
    revs.iter()
        .map(|r| r.meta.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
