//! The safety policy: under `online`, a plan's changes to tables that already hold rows are
//! written in their lock-friendly forms. Where such a form cannot run in a transaction
//! (PostgreSQL's `CREATE INDEX CONCURRENTLY`, validating a constraint apart from adding it), the
//! plan is split into ordered stages, each one revision: the transactional changes first, then
//! the online ones in a revision outside a transaction whose every statement is idempotent, then
//! (for NOT NULL, proved by a CHECK added NOT VALID in the online stage) the validation and
//! `SET NOT NULL` in a transaction of their own.
//! Which operations have an online form is each dialect's renderer's answer
//! ([`DialectRenderer::has_online_form`]); this file only sorts them.

use crate::policy::{Policy, StageKind};
use crate::renderer::DialectRenderer;
use autogen_diff::{Op, Plan};
use std::collections::BTreeSet;

/// One revision's worth of a staged plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    pub plan: Plan,
    pub kind: StageKind,
}

/// The plan as the revisions `policy` writes it: one stage, or the transactional stage and
/// then the online one. A stage with nothing to do is left out.
pub fn stages(plan: &Plan, policy: &Policy, r: &dyn DialectRenderer) -> Vec<Stage> {
    let single = || {
        vec![Stage {
            plan: plan.clone(),
            kind: StageKind::Main,
        }]
    };
    if !policy.online() {
        return single();
    }
    let plan = plan.without_redundant_drops();
    let created = plan.created_tables();
    let mut main = Vec::new();
    let mut online = Vec::new();
    let mut validate = Vec::new();
    for op in &plan.ops {
        let existing = op.table().is_some_and(|t| !created.contains(t));
        match split_nullability(op) {
            Some((rest, nullability))
                if existing && r.has_online_form(&nullability, plan.profile) =>
            {
                main.extend(rest);
                online.push(nullability.clone());
                validate.push(nullability);
            }
            _ if existing && up_online(op) && r.has_online_form(op, plan.profile) => {
                online.push(op.clone())
            }
            _ => main.push(op.clone()),
        }
    }
    keep_dependencies_in_main(&mut main, &mut online);
    if online.is_empty() {
        return single();
    }
    let part = |ops: Vec<Op>, kind: StageKind| Stage {
        plan: Plan {
            profile: plan.profile,
            ops,
            left_alone: plan.left_alone.clone(),
        },
        kind,
    };
    [
        (main, StageKind::Main),
        (online, StageKind::Online),
        (validate, StageKind::Validate),
    ]
    .into_iter()
    .filter(|(ops, _)| !ops.is_empty())
    .map(|(ops, kind)| part(ops, kind))
    .collect()
}

/// Ops whose up direction moves to the online stage when the renderer has a form for them.
/// A foreign key's drop stays in the transactional stage: what follows it there may need it
/// gone (the referenced table's drop).
fn up_online(op: &Op) -> bool {
    matches!(
        op,
        Op::CreateIndex { .. }
            | Op::DropIndex { .. }
            | Op::AddUnique { .. }
            | Op::DropUnique { .. }
            | Op::AddForeignKey { .. }
    )
}

/// A column change that sets NOT NULL, as the rest of the change (if any) and the nullability
/// change alone. (Dropping NOT NULL is instant: it stays whole, in the transactional stage.)
fn split_nullability(op: &Op) -> Option<(Option<Op>, Op)> {
    let Op::AlterColumn { table, from, to } = op else {
        return None;
    };
    if !from.nullable || to.nullable {
        return None;
    }
    let mut mid = to.clone();
    mid.nullable = from.nullable;
    let rest = (&mid != from).then(|| Op::AlterColumn {
        table: table.clone(),
        from: from.clone(),
        to: mid.clone(),
    });
    Some((
        rest,
        Op::AlterColumn {
            table: table.clone(),
            from: mid,
            to: to.clone(),
        },
    ))
}

/// What the transactional stage builds on goes there too, in its plain form: a UNIQUE (or
/// unique index) that a foreign key created there references, and the drop of an index whose
/// name an index created there reuses.
fn keep_dependencies_in_main(main: &mut Vec<Op>, online: &mut Vec<Op>) {
    let mut referenced: BTreeSet<(String, Vec<String>)> = BTreeSet::new();
    let mut index_names: BTreeSet<String> = BTreeSet::new();
    for op in main.iter() {
        if let Op::CreateTable(t) = op {
            for fk in &t.foreign_keys {
                referenced.insert((fk.ref_table.clone(), fk.ref_columns.clone()));
            }
            index_names.extend(t.indexes.iter().map(|i| i.name.clone()));
        } else if let Op::AddForeignKey { fk, .. } = op {
            referenced.insert((fk.ref_table.clone(), fk.ref_columns.clone()));
        } else if let Op::CreateIndex { index, .. } = op {
            index_names.insert(index.name.clone());
        }
    }
    let needed = |op: &Op| {
        if let Op::AddUnique { table, unique } = op {
            referenced.contains(&(table.clone(), unique.columns.clone()))
        } else if let Op::CreateIndex { table, index } = op {
            index.unique && referenced.contains(&(table.clone(), index.columns.clone()))
        } else if let Op::DropIndex { index, .. } = op {
            index_names.contains(&index.name)
        } else {
            false
        }
    };
    let (keep, rest): (Vec<Op>, Vec<Op>) = online.drain(..).partition(needed);
    // Drops go before what the stage creates; creations after.
    for op in keep {
        if matches!(op, Op::DropIndex { .. }) {
            main.insert(0, op);
        } else {
            main.push(op);
        }
    }
    *online = rest;
}
