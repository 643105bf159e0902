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
use autogen_diff::{Effect, ObjectKind, Op, Plan};
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
    if !policy.online() || r.online_in_place() {
        return single();
    }
    let plan = plan.without_redundant_drops();
    let created = plan.created_tables();
    let mut main = Vec::new();
    let mut online = Vec::new();
    let mut validate = Vec::new();
    for op in &plan.ops {
        // Nothing is built concurrently or NOT VALID on a partitioned table.
        let existing = op
            .table()
            .is_some_and(|t| !created.contains(t) && !plan.partitioned.contains(t));
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
        plan: plan.with_ops(ops),
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
/// gone (the referenced table's drop). A CHECK's drop goes online with its replacement, so that
/// the down migration adds it back in the online form too (a column the transactional stage
/// drops takes its CHECKs with it; the drop's `IF EXISTS` finds nothing then).
fn up_online(op: &Op) -> bool {
    let (object, effect) = op.kind();
    object.built_on_columns() && !(object == ObjectKind::ForeignKey && effect == Effect::Drop)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::renderer;
    use crate::render_plan::render_stages;
    use autogen_schema::{Column, ColumnType, Dialect, Index, Profile, Table, Unique};

    fn plan(server: &str, dialect: Dialect, ops: Vec<Op>) -> Plan {
        let mut plan = Plan::empty(Profile::from_server(dialect, server));
        plan.ops = ops;
        plan
    }

    fn index(name: &str, column: &str) -> Op {
        Op::CreateIndex {
            table: "t".into(),
            index: Index {
                name: name.into(),
                columns: vec![column.into()],
                ..Default::default()
            },
        }
    }

    fn kinds(p: &Plan, policy: &Policy) -> Vec<StageKind> {
        stages(p, policy, renderer(p.dialect()))
            .iter()
            .map(|s| s.kind)
            .collect()
    }

    #[test]
    fn postgres_changes_to_existing_tables_are_staged() {
        let online = Policy::default();
        let add = Op::AddColumn {
            table: "t".into(),
            column: Column {
                nullable: true,
                ..Column::new("a", ColumnType::Integer)
            },
        };
        let p = plan(
            "15.4",
            Dialect::Postgres,
            vec![add.clone(), index("i", "a")],
        );
        assert_eq!(kinds(&p, &online), [StageKind::Main, StageKind::Online]);
        assert_eq!(kinds(&p, &Policy::simple()), [StageKind::Main]);
        // NOT NULL: a CHECK added online, validated in a transaction after; before PostgreSQL
        // 12, SET NOT NULL cannot trust the CHECK, so it stays plain.
        let set = Op::AlterColumn {
            table: "t".into(),
            from: Column {
                nullable: true,
                ..Column::new("a", ColumnType::Integer)
            },
            to: Column::new("a", ColumnType::Integer),
        };
        let p = plan("15.4", Dialect::Postgres, vec![set.clone()]);
        assert_eq!(kinds(&p, &online), [StageKind::Online, StageKind::Validate]);
        let bodies = render_stages(&p, &online).unwrap();
        let online_sql: Vec<&str> = bodies[0].0.statements().collect();
        assert!(
            online_sql
                .iter()
                .any(|s| s.ends_with("CHECK (\"a\" IS NOT NULL) NOT VALID"))
        );
        let validate: Vec<&str> = bodies[1].0.statements().collect();
        assert!(validate.contains(&"ALTER TABLE \"t\" ALTER COLUMN \"a\" SET NOT NULL"));
        assert_eq!(
            kinds(&plan("11.9", Dialect::Postgres, vec![set]), &online),
            [StageKind::Main]
        );
        // On a table the plan creates, nothing moves.
        let mut created = plan("15.4", Dialect::Postgres, vec![index("i", "a")]);
        created.ops.insert(0, Op::CreateTable(Table::new("t")));
        assert_eq!(kinds(&created, &online), [StageKind::Main]);
    }

    #[test]
    fn what_the_transactional_stage_builds_on_stays_there() {
        let mut child = Table::new("c");
        child.foreign_keys.push(autogen_schema::ForeignKey {
            columns: vec!["p_code".into()],
            ref_table: "t".into(),
            ref_columns: vec!["code".into()],
            ..autogen_schema::ForeignKey::default()
        });
        let unique = Op::AddUnique {
            table: "t".into(),
            unique: Unique {
                name: None,
                columns: vec!["code".into()],
                derived: false,
            },
        };
        let p = plan(
            "15.4",
            Dialect::Postgres,
            vec![Op::CreateTable(child), unique],
        );
        assert_eq!(kinds(&p, &Policy::default()), [StageKind::Main]);
    }

    #[test]
    fn mysql_writes_its_online_forms_in_place() {
        let add = Op::AddColumn {
            table: "t".into(),
            column: Column {
                nullable: true,
                ..Column::new("a", ColumnType::Integer)
            },
        };
        let maria = plan(
            "10.11.6-MariaDB",
            Dialect::MySql,
            vec![add.clone(), index("i", "a")],
        );
        assert_eq!(kinds(&maria, &Policy::default()), [StageKind::Main]);
        let up = &render_stages(&maria, &Policy::default()).unwrap()[0].0;
        let sql: Vec<&str> = up.statements().collect();
        assert!(sql[0].ends_with(", ALGORITHM=INSTANT"), "{sql:?}");
        assert!(sql[1].ends_with(" ALGORITHM=INPLACE LOCK=NONE"), "{sql:?}");
        // MySQL 8.0 picks INSTANT by itself from 8.0.12; which 8.0 this is, the profile does
        // not say: no clause that an older 8.0 would refuse.
        let mysql = plan("8.0.36", Dialect::MySql, vec![add]);
        let up = &render_stages(&mysql, &Policy::default()).unwrap()[0].0;
        assert!(!up.statements().any(|s| s.contains("ALGORITHM")));
    }
}
