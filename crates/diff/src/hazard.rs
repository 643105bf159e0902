//! What a reviewer must be told about each operation.

use crate::op::Op;
use autogen_schema::{Column, Table};
use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HazardKind {
    /// Rows or values are destroyed.
    DataLoss,
    /// May fail on existing data (NOT NULL on NULLs, UNIQUE on duplicates, narrowing a type).
    MayFail,
    /// Takes a lock that blocks writes (or reads) while it runs.
    Locks,
    /// Code that still uses the old name breaks.
    BreaksClients,
    /// Cannot run inside a transaction block, or the down migration rebuilds something.
    Irreversible,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hazard {
    pub kind: HazardKind,
    pub message: String,
}

impl Hazard {
    fn new(kind: HazardKind, message: impl Into<String>) -> Hazard {
        Hazard {
            kind,
            message: autogen_schema::lexical::display_name(&message.into()),
        }
    }
}

impl fmt::Display for HazardKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            HazardKind::DataLoss => "data loss",
            HazardKind::MayFail => "may fail",
            HazardKind::Locks => "locks",
            HazardKind::BreaksClients => "breaks clients",
            HazardKind::Irreversible => "irreversible",
        })
    }
}

impl Op {
    /// What a reviewer must be told about this operation. (An index on a table created in the
    /// same migration locks nothing anyone waits on: [`Plan::hazards`](crate::Plan::hazards)
    /// leaves those out.)
    pub fn hazards(&self) -> Vec<Hazard> {
        use HazardKind as H;
        match self {
            Op::DropTable(t) => vec![Hazard::new(
                H::DataLoss,
                format!("drops table {} and every row in it", t.name),
            )],
            Op::DropColumn { table, column } => vec![drops_column(table, &column.name)],
            Op::DropEnum(e) => vec![Hazard::new(
                H::DataLoss,
                format!("drops enum type {}", e.name),
            )],
            Op::AddColumn { table, column } if requires_value(column) => {
                vec![adds_required_column(table, &column.name)]
            }
            Op::AlterColumn { table, from, to } => alter_column(table, from, to),
            Op::CreateIndex { table, index } => vec![Hazard::new(
                H::Locks,
                format!(
                    "builds index {} on {table}, blocking writes to {table} while it runs \
                     (on a large PostgreSQL table, consider CREATE INDEX CONCURRENTLY in a migration of its own)",
                    index.name
                ),
            )],
            Op::AddUnique { table, unique } => vec![Hazard::new(
                H::MayFail,
                format!(
                    "adds UNIQUE ({}) on {table}: fails if duplicates exist, and locks {table} while it builds",
                    unique.columns.join(", ")
                ),
            )],
            Op::AddForeignKey { table, fk, .. } => vec![Hazard::new(
                H::Locks,
                format!(
                    "adds a foreign key on {table}({}): checks every row, and fails on orphans",
                    fk.columns.join(", ")
                ),
            )],
            Op::RenameTable { from, to } => vec![Hazard::new(
                H::BreaksClients,
                format!(
                    "renames table {from} to {to}: code still using {from} breaks until it is deployed"
                ),
            )],
            Op::RenameColumn { table, from, to } => vec![Hazard::new(
                H::BreaksClients,
                format!(
                    "renames column {table}.{from} to {to}: code still using {from} breaks until it is deployed"
                ),
            )],
            Op::AddEnumValue { name, .. } => vec![Hazard::new(
                H::Irreversible,
                format!(
                    "PostgreSQL cannot remove an enum value: the down migration recreates type {name} \
                     and fails if any row uses the new value; the new value cannot be used in the same transaction"
                ),
            )],
            Op::RecreateEnum { name, from, to, .. } => {
                let removed: Vec<_> = from.iter().filter(|v| !to.contains(v)).cloned().collect();
                if removed.is_empty() {
                    vec![]
                } else {
                    vec![Hazard::new(
                        H::MayFail,
                        format!(
                            "recreates type {name} without {}: fails if any row holds them",
                            removed.join(", ")
                        ),
                    )]
                }
            }
            Op::RebuildTable { from, to } => rebuild(from, to),
            Op::AlterPrimaryKey { table, to, .. } if to.columns.is_empty() => vec![Hazard::new(
                H::BreaksClients,
                format!("drops the primary key of {table}: rows are no longer kept unique by it"),
            )],
            Op::AlterPrimaryKey { table, to, .. } => vec![Hazard::new(
                H::MayFail,
                format!(
                    "builds the primary key ({}) of {table}: fails if the columns hold NULLs or \
                     duplicates, and locks {table} while it builds",
                    to.columns.join(", ")
                ),
            )],
            Op::DropDomain(d) => vec![Hazard::new(
                H::MayFail,
                format!(
                    "drops domain {}: fails while a column still uses it",
                    d.name
                ),
            )],
            Op::DropSequence { name } => vec![Hazard::new(
                H::DataLoss,
                format!("drops sequence {name} and the position it had reached"),
            )],
            Op::DropExtension { name } => vec![Hazard::new(
                H::MayFail,
                format!("drops extension {name}: fails while anything still uses it"),
            )],
            Op::CreateDomain(_) | Op::CreateSequence { .. } | Op::CreateExtension { .. } => {
                Vec::new()
            }
            Op::CreateEnum(_)
            | Op::CreateTable(_)
            | Op::AddColumn { .. }
            | Op::DropIndex { .. }
            | Op::DropUnique { .. }
            | Op::DropForeignKey { .. }
            | Op::SetTableComment { .. } => Vec::new(),
        }
    }
}

/// A column added without a value for existing rows.
fn requires_value(c: &Column) -> bool {
    !c.nullable && c.default.is_none() && !c.auto_increment
}

fn drops_column(table: &str, column: &str) -> Hazard {
    Hazard::new(
        HazardKind::DataLoss,
        format!("drops column {table}.{column} and its data"),
    )
}

fn adds_required_column(table: &str, column: &str) -> Hazard {
    Hazard::new(
        HazardKind::MayFail,
        format!(
            "adds NOT NULL column {table}.{column} without a default: fails if {table} has rows"
        ),
    )
}

fn sets_not_null(table: &str, column: &str) -> Hazard {
    Hazard::new(
        HazardKind::MayFail,
        format!("sets {table}.{column} NOT NULL: fails if any row holds NULL"),
    )
}

fn alter_column(table: &str, from: &Column, to: &Column) -> Vec<Hazard> {
    let mut out = Vec::new();
    if from.ty != to.ty {
        out.push(Hazard::new(
            HazardKind::MayFail,
            format!(
                "changes {table}.{} from {} to {}: rewrites the table and fails (or truncates) \
                 on values the new type cannot hold",
                to.name, from.ty, to.ty
            ),
        ));
    }
    if from.nullable && !to.nullable {
        out.push(sets_not_null(table, &to.name));
    }
    out
}

fn rebuild(from: &Table, to: &Table) -> Vec<Hazard> {
    let mut out = vec![Hazard::new(
        HazardKind::Locks,
        format!(
            "rebuilds table {0}: creates it anew, copies every row, drops the old one \
             (foreign-key checks off, verified before commit); the database is locked for writes meanwhile",
            to.name
        ),
    )];
    for c in &from.columns {
        if to.column(&c.name).is_none() {
            out.push(drops_column(&to.name, &c.name));
        }
    }
    for c in &to.columns {
        match from.column(&c.name) {
            None if requires_value(c) => out.push(adds_required_column(&to.name, &c.name)),
            Some(old) if old.nullable && !c.nullable => out.push(sets_not_null(&to.name, &c.name)),
            _ => {}
        }
    }
    out
}
