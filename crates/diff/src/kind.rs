//! What an operation touches and what it does to it: the one classification of [`Op`] that
//! review, staging, rendering and summaries ask, instead of matching `Op` themselves. A new
//! operation is classified here once; the compiler points at this match.

use crate::op::Op;
use serde::Serialize;

/// The kind of object an operation touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectKind {
    EnumType,
    /// One value of an enum type.
    EnumValue,
    Domain,
    Extension,
    Sequence,
    Table,
    Column,
    Index,
    Unique,
    ForeignKey,
    PrimaryKey,
    /// A CHECK constraint of a table (or PostgreSQL's exclusion constraint).
    Check,
    /// A table's comment.
    Comment,
    /// A view, materialized view, function, procedure, aggregate, trigger, rule, policy,
    /// event, or composite or range type.
    Replaceable,
}

/// What an operation does to its object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    Create,
    Drop,
    Change,
    Rename,
}

impl ObjectKind {
    /// Whether the object lives on a table (and goes with it).
    pub fn on_table(self) -> bool {
        matches!(
            self,
            ObjectKind::Column
                | ObjectKind::Index
                | ObjectKind::Unique
                | ObjectKind::ForeignKey
                | ObjectKind::PrimaryKey
                | ObjectKind::Check
                | ObjectKind::Comment
        )
    }

    /// Whether the object is a constraint or index built on a table's columns (what the online
    /// forms build concurrently or validate apart).
    pub fn built_on_columns(self) -> bool {
        matches!(
            self,
            ObjectKind::Index | ObjectKind::Unique | ObjectKind::ForeignKey | ObjectKind::Check
        )
    }
}

impl Effect {
    /// `+`, `-`, `~`: how plans and reviews mark it.
    pub fn sign(self) -> char {
        match self {
            Effect::Create => '+',
            Effect::Drop => '-',
            Effect::Change | Effect::Rename => '~',
        }
    }
}

/// A SQL file's index is an index (built on columns, concurrently where online), its
/// constraint (exclusion, UNIQUE, foreign key) a table's constraint; the other kinds are replaceable objects.
fn object_kind(o: &autogen_schema::SqlObject) -> ObjectKind {
    if o.kind.builds_index() {
        ObjectKind::Index
    } else if o.kind.table_constraint() {
        ObjectKind::Check
    } else {
        ObjectKind::Replaceable
    }
}

impl Op {
    /// The object this operation touches, and what it does to it.
    pub fn kind(&self) -> (ObjectKind, Effect) {
        use Effect as E;
        use ObjectKind as K;
        match self {
            Op::CreateEnum(_) => (K::EnumType, E::Create),
            Op::DropEnum(_) => (K::EnumType, E::Drop),
            Op::RecreateEnum { .. } => (K::EnumType, E::Change),
            Op::AddEnumValue { .. } => (K::EnumValue, E::Create),
            Op::CreateDomain(_) => (K::Domain, E::Create),
            Op::DropDomain(_) => (K::Domain, E::Drop),
            Op::CreateExtension { .. } => (K::Extension, E::Create),
            Op::DropExtension { .. } => (K::Extension, E::Drop),
            Op::CreateSequence { .. } => (K::Sequence, E::Create),
            Op::DropSequence { .. } => (K::Sequence, E::Drop),
            Op::CreateTable(_) => (K::Table, E::Create),
            Op::DropTable(_) => (K::Table, E::Drop),
            Op::RenameTable { .. } => (K::Table, E::Rename),
            Op::RebuildTable { .. } => (K::Table, E::Change),
            Op::AddColumn { .. } => (K::Column, E::Create),
            Op::DropColumn { .. } => (K::Column, E::Drop),
            Op::RenameColumn { .. } => (K::Column, E::Rename),
            Op::AlterColumn { .. } => (K::Column, E::Change),
            Op::CreateIndex { .. } => (K::Index, E::Create),
            Op::DropIndex { .. } => (K::Index, E::Drop),
            Op::AddUnique { .. } => (K::Unique, E::Create),
            Op::DropUnique { .. } => (K::Unique, E::Drop),
            Op::AddForeignKey { .. } => (K::ForeignKey, E::Create),
            Op::DropForeignKey { .. } => (K::ForeignKey, E::Drop),
            Op::AlterPrimaryKey { .. } => (K::PrimaryKey, E::Change),
            Op::AddCheck { .. } => (K::Check, E::Create),
            Op::DropCheck { .. } => (K::Check, E::Drop),
            Op::SetTableComment { .. } => (K::Comment, E::Change),
            Op::CreateObject(o) => (object_kind(o), E::Create),
            Op::DropObject(o) => (object_kind(o), E::Drop),
            Op::ReplaceObject { to, .. } => (object_kind(to), E::Change),
        }
    }

    /// The object kind this operation touches.
    pub fn object(&self) -> ObjectKind {
        self.kind().0
    }

    /// What this operation does to its object.
    pub fn effect(&self) -> Effect {
        self.kind().1
    }

    /// Whether it builds something on a table (an index, UNIQUE or foreign key): on a table the
    /// same plan creates, that blocks nobody.
    pub fn builds_on_table(&self) -> bool {
        self.effect() == Effect::Create && self.object().built_on_columns()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arbitrary;

    /// An operation and its reverse touch the same kind of object; creating and dropping swap.
    #[test]
    fn a_reverse_touches_the_same_object() {
        use proptest::prelude::*;
        use proptest::test_runner::TestRunner;
        let mut runner = TestRunner::default();
        runner
            .run(
                &(arbitrary::arb_schema(), arbitrary::arb_schema()),
                |(a, b)| {
                    let plan = crate::diff(&a, &b, autogen_schema::Dialect::Postgres)
                        .map_err(|e| TestCaseError::fail(e.to_string()))?;
                    // An enum value added is reversed by recreating the type.
                    for op in plan
                        .ops
                        .iter()
                        .filter(|op| op.object() != ObjectKind::EnumValue)
                    {
                        let (kind, effect) = op.kind();
                        let (rkind, reffect) = op.reverse().kind();
                        prop_assert_eq!(kind, rkind, "{}", op.describe());
                        let swapped = match effect {
                            Effect::Create => Effect::Drop,
                            Effect::Drop => Effect::Create,
                            other => other,
                        };
                        prop_assert_eq!(swapped, reffect, "{}", op.describe());
                    }
                    Ok(())
                },
            )
            .expect("kinds");
    }
}
