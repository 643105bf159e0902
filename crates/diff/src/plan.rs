use crate::hazard::Hazard;
use crate::kind::{Effect, ObjectKind};
use crate::op::Op;
use autogen_schema::{Dialect, LeftAlone, Profile, RowCount};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// An ordered list of operations for one server profile. `reverse()` is the down migration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Plan {
    /// The dialect, flavour and version the plan is for (what renderers ask about versions).
    pub profile: Profile,
    pub ops: Vec<Op>,
    /// What the database holds that the plan leaves alone (views, partitions, columns the
    /// entities ignore, …), counted by kind.
    #[serde(skip_serializing_if = "LeftAlone::is_empty")]
    pub left_alone: LeftAlone,
    /// `(table, name)` of names near what the plan creates that objects autogen does not own
    /// hold in the database ([`Plan::settle_names`]): names the renderer must not derive.
    #[serde(skip)]
    pub held_names: BTreeSet<(String, String)>,
    /// The database's partitioned tables: PostgreSQL builds nothing on them concurrently or
    /// `NOT VALID`, so their changes stay in the transactional stage.
    #[serde(skip)]
    pub partitioned: BTreeSet<String>,
    /// The rows of tables the plan drops, or drops columns of, as the database held them when
    /// the plan was made: what their findings say a drop loses. Not carried to the reverse
    /// (its drops run later, on rows not there yet).
    #[serde(skip)]
    pub row_counts: BTreeMap<String, RowCount>,
}

impl Plan {
    /// A plan with nothing to do (a merge revision's).
    pub fn empty(profile: impl Into<Profile>) -> Plan {
        Plan {
            profile: profile.into(),
            ops: Vec::new(),
            left_alone: LeftAlone::default(),
            held_names: BTreeSet::new(),
            partitioned: BTreeSet::new(),
            row_counts: BTreeMap::new(),
        }
    }

    /// This plan's profile and notes with other operations (a stage of it, its reverse).
    pub fn with_ops(&self, ops: Vec<Op>) -> Plan {
        Plan {
            profile: self.profile,
            ops,
            left_alone: self.left_alone.clone(),
            held_names: self.held_names.clone(),
            partitioned: self.partitioned.clone(),
            row_counts: self.row_counts.clone(),
        }
    }

    pub fn dialect(&self) -> Dialect {
        self.profile.dialect
    }

    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// The plan that undoes this one: each op reversed, in reverse order.
    pub fn reverse(&self) -> Plan {
        let mut reverse = self.with_ops(self.ops.iter().rev().map(Op::reverse).collect());
        reverse.row_counts.clear();
        reverse
    }

    /// The tables whose rows a drop of the plan loses: those it drops, and those it drops
    /// columns of (what [`row_counts`](Self::row_counts) is filled for).
    pub fn losing_rows(&self) -> BTreeSet<&str> {
        self.ops
            .iter()
            .filter(|op| matches!(op, Op::DropTable(_) | Op::DropColumn { .. }))
            .filter_map(Op::table)
            .collect()
    }

    /// The plan without index and UNIQUE drops on tables it drops anyway. They are redundant
    /// everywhere, and on MySQL they fail when the index is the one backing a foreign key (MySQL
    /// adopts a user's index for that). Foreign-key drops stay: they may break a cycle.
    pub fn without_redundant_drops(&self) -> Plan {
        let dropped: BTreeSet<&str> = self
            .ops
            .iter()
            .filter(|op| matches!(op, Op::DropTable(_)))
            .filter_map(Op::table)
            .collect();
        self.with_ops(
            self.ops
                .iter()
                .filter(|op| {
                    !(matches!(op, Op::DropIndex { .. } | Op::DropUnique { .. })
                        && op.table().is_some_and(|t| dropped.contains(t)))
                })
                .cloned()
                .collect(),
        )
    }

    /// Tables this plan creates: what is built on them blocks nobody.
    /// (A materialized view the plan creates is one too: its indexes block nobody either.)
    pub fn created_tables(&self) -> BTreeSet<&str> {
        let views = self.ops.iter().filter_map(|op| {
            let Op::CreateObject(o) = op else { return None };
            o.kind.holds_rows().then_some(o.name.as_str())
        });
        self.ops
            .iter()
            .filter(|op| matches!(op, Op::CreateTable(_)))
            .filter_map(Op::table)
            .chain(views)
            .collect()
    }

    /// Tables this plan drops.
    pub fn dropped_tables(&self) -> BTreeSet<&str> {
        self.ops
            .iter()
            .filter(|op| matches!(op, Op::DropTable(_)))
            .filter_map(Op::table)
            .collect()
    }

    /// Findings of every op in its plain form, except those that only matter for a table that
    /// already holds rows (an index or constraint on a table this plan creates blocks nobody)
    /// and constraint drops on a table the plan drops anyway.
    pub fn hazards(&self) -> Vec<Hazard> {
        self.op_hazards().into_iter().flat_map(|(_, h)| h).collect()
    }

    /// Each op of [`without_redundant_drops`](Self::without_redundant_drops) with its findings
    /// (see [`hazards`](Self::hazards)).
    pub fn op_hazards(&self) -> Vec<(Op, Vec<Hazard>)> {
        let created = self.created_tables();
        let dropped = self.dropped_tables();
        // A view or trigger dropped and created again around a change is not gone.
        let recreated: BTreeSet<String> = self
            .ops
            .iter()
            .filter_map(|op| {
                if let Op::CreateObject(o) = op {
                    Some(o.key())
                } else {
                    None
                }
            })
            .collect();
        self.without_redundant_drops()
            .ops
            .into_iter()
            .map(|op| {
                let on = |set: &BTreeSet<&str>| op.table().is_some_and(|t| set.contains(t));
                let quiet = op.builds_on_table() && on(&created)
                    || op.kind() == (ObjectKind::ForeignKey, Effect::Drop) && on(&dropped)
                    || matches!(&op, Op::DropObject(o) if recreated.contains(&o.key()));
                let mut hazards = if quiet { Vec::new() } else { op.hazards() };
                if let Some(rows) = op.table().and_then(|t| self.row_counts.get(t)) {
                    for h in &mut hazards {
                        h.lost_rows(*rows);
                    }
                }
                (op, hazards)
            })
            .collect()
    }
}
