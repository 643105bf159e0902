//! What autogen owns among the objects it does not drop unless it made them (CHECKs, views,
//! routines, triggers): each
//! revision records what its up direction creates and drops (`autogen owns:` and `autogen
//! releases:` header lines, written by `migrate`), and an adoption baseline records everything
//! it builds. Replaying the records in revision order gives what autogen owns now.

use crate::op::Op;
use crate::plan::Plan;
use autogen_schema::{Check, Schema, SqlObject, Table};
use std::collections::BTreeSet;

/// One ownership record: a CHECK (kind `check`, by its table and [`Check::key`]) or a view,
/// routine or trigger (by its kind and [`SqlObject::key`], no table) created or dropped.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Owned {
    pub created: bool,
    pub kind: String,
    pub table: String,
    pub key: String,
}

impl Owned {
    /// `named`: the dialect keeps CHECK names (SQLite writes a derived name nowhere, so the
    /// database knows such a CHECK by its definition).
    fn of(created: bool, table: &str, c: &Check, named: bool) -> Owned {
        let key = if c.derived && !named {
            &c.definition
        } else {
            c.key()
        };
        Owned {
            created,
            kind: "check".into(),
            table: table.to_string(),
            key: key.to_string(),
        }
    }

    fn object(created: bool, o: &SqlObject) -> Owned {
        Owned {
            created,
            kind: o.kind.word().into(),
            table: String::new(),
            key: o.key(),
        }
    }
}

impl Plan {
    /// What this plan's revision records: each CHECK it creates (with a table or alone) and
    /// each it drops.
    pub fn ownership(&self) -> Vec<Owned> {
        let named = self.dialect().sql().capabilities().alter_checks;
        let of = |created: bool, table: &str, c: &Check| Owned::of(created, table, c, named);
        let mut out = Vec::new();
        for op in &self.ops {
            match op {
                Op::CreateTable(t) => out.extend(t.checks.iter().map(|c| of(true, &t.name, c))),
                Op::DropTable(t) => out.extend(t.checks.iter().map(|c| of(false, &t.name, c))),
                // What the rebuild drops, then what it adds (a CHECK it carries over is neither).
                Op::RebuildTable { from, to } => {
                    let kept = |c: &Check, other: &Table| {
                        other
                            .checks
                            .iter()
                            .any(|o| o.key() == c.key() && o.definition == c.definition)
                    };
                    out.extend(
                        from.checks
                            .iter()
                            .filter(|c| !kept(c, to))
                            .map(|c| of(false, &to.name, c)),
                    );
                    out.extend(
                        to.checks
                            .iter()
                            .filter(|c| !kept(c, from))
                            .map(|c| of(true, &to.name, c)),
                    );
                }
                Op::AddCheck { table, check } => out.push(of(true, table, check)),
                Op::DropCheck { table, check } => out.push(of(false, table, check)),
                Op::CreateObject(o) => out.push(Owned::object(true, o)),
                Op::DropObject(o) => out.push(Owned::object(false, o)),
                Op::CreateEnum(_)
                | Op::DropEnum(_)
                | Op::CreateDomain(_)
                | Op::DropDomain(_)
                | Op::CreateExtension { .. }
                | Op::DropExtension { .. }
                | Op::CreateSequence { .. }
                | Op::DropSequence { .. }
                | Op::AddEnumValue { .. }
                | Op::RecreateEnum { .. }
                | Op::RenameTable { .. }
                | Op::AddColumn { .. }
                | Op::DropColumn { .. }
                | Op::RenameColumn { .. }
                | Op::AlterColumn { .. }
                | Op::CreateIndex { .. }
                | Op::DropIndex { .. }
                | Op::AddUnique { .. }
                | Op::DropUnique { .. }
                | Op::AddForeignKey { .. }
                | Op::DropForeignKey { .. }
                | Op::SetTableComment { .. }
                | Op::ReplaceObject { .. }
                | Op::AlterPrimaryKey { .. } => {}
            }
        }
        out
    }
}

/// Marks the CHECKs of `current` that the records (in revision order) say autogen owns.
pub fn mark_owned(current: &mut Schema, records: impl IntoIterator<Item = Owned>) {
    let mut owned: BTreeSet<(String, String)> = BTreeSet::new();
    for r in records {
        if r.created {
            owned.insert((r.table, r.key));
        } else {
            owned.remove(&(r.table, r.key));
        }
    }
    for o in current.objects.values_mut() {
        o.owned = owned.contains(&(String::new(), o.key()));
    }
    for t in current.tables.values_mut() {
        for c in &mut t.checks {
            c.owned = owned.contains(&(t.name.clone(), c.key().to_string()));
        }
    }
}
