//! What a reviewer must be told about each operation.

use crate::op::Op;
use crate::rule::{HazardKind, Rule, Severity};
use autogen_schema::lexical::split_qualified;
use autogen_schema::{Column, Table};
use serde::Serialize;

/// A finding: what a reviewer must be told about one operation, under a stable rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hazard {
    pub rule: Rule,
    pub kind: HazardKind,
    pub severity: Severity,
    pub message: String,
    /// The table it concerns, where it concerns one (a table key).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// The statement it concerns, once rendered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statement: Option<String>,
    /// The column it concerns, where it concerns one: where a review places it in the entity.
    #[serde(skip)]
    pub column: Option<String>,
}

impl Hazard {
    pub fn new(rule: Rule, message: impl Into<String>) -> Hazard {
        Hazard {
            rule,
            kind: rule.kind(),
            severity: rule.severity(),
            message: autogen_schema::lexical::display_name(&message.into()),
            table: None,
            statement: None,
            column: None,
        }
    }

    /// A drop's finding says how much it drops: `(1,204 rows)`.
    pub(crate) fn lost_rows(&mut self, rows: autogen_schema::RowCount) {
        if matches!(self.rule, Rule::DropTable | Rule::DropColumn) {
            self.message = format!("{} ({rows})", self.message);
        }
    }

    /// The same finding, about `column` of its table.
    fn of_column(mut self, column: &str) -> Hazard {
        self.column = Some(column.to_string());
        self
    }
}

impl Op {
    /// What a reviewer must be told about this operation, in its plain form on a table that
    /// holds rows. (An index on a table created in the same migration locks nothing anyone
    /// waits on: [`Plan::hazards`](crate::Plan::hazards) leaves those out; an online form
    /// leaves out what it solves, [`Rule::solved_online`].)
    pub fn hazards(&self) -> Vec<Hazard> {
        let table = self.table().unwrap_or_default();
        let mut out = self.hazards_of();
        for h in &mut out {
            if h.table.is_none() && !table.is_empty() {
                h.table = Some(table.to_string());
            }
        }
        out
    }

    fn hazards_of(&self) -> Vec<Hazard> {
        use Rule as R;
        match self {
            Op::DropTable(t) => vec![Hazard::new(
                R::DropTable,
                format!("drops table {} and every row in it", t.name),
            )],
            Op::DropColumn { table, column } => vec![drops_column(table, column)],
            Op::DropEnum(e) => vec![Hazard::new(
                R::DropType,
                format!("drops enum type {}", e.name),
            )],
            Op::AddColumn { table, column } if adds_column(table, column).is_some() => {
                adds_column(table, column).into_iter().collect()
            }
            Op::AlterColumn { table, from, to } => alter_column(table, from, to),
            Op::CreateIndex { table, index } => vec![blocking_index(true, &index.name, table)],
            Op::DropIndex { table, index } => vec![blocking_index(false, &index.name, table)],
            Op::AddUnique { table, unique } => adds_unique(table, &unique.columns.join(", ")),
            Op::DropUnique { table, unique } => vec![drops_constraint(
                &format!("UNIQUE ({}) of {table}", unique.columns.join(", ")),
                "duplicates become possible",
            )],
            Op::AddForeignKey { table, fk, .. } => vec![Hazard::new(
                R::ValidatingConstraint,
                format!(
                    "adds a foreign key on {table}({}): checks every row under a lock that blocks writes, and fails on orphans",
                    fk.columns.join(", ")
                ),
            )],
            Op::DropForeignKey { table, fk, .. } => vec![drops_constraint(
                &format!(
                    "the foreign key {table}({}) -> {}",
                    fk.columns.join(", "),
                    fk.ref_table
                ),
                "rows pointing nowhere become possible",
            )],
            Op::AddCheck { table, check } => vec![adds_check(table, check.key())],
            Op::DropCheck { table, check } => vec![drops_constraint(
                &format!("CHECK {} of {table}", check.key()),
                "rows it kept out become possible",
            )],
            Op::RenameTable { from, to } => renames(&format!("table {from}"), from, to),
            Op::RenameColumn { table, from, to } => {
                renames(&format!("column {table}.{from}"), from, to)
            }
            Op::AddEnumValue { name, .. } => vec![Hazard::new(
                R::IrreversibleEnumValue,
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
                        R::RemoveEnumValues,
                        format!(
                            "recreates type {name} without {}: fails if any row holds them",
                            removed.join(", ")
                        ),
                    )]
                }
            }
            Op::RebuildTable { from, to } => rebuild(from, to),
            Op::AlterPrimaryKey { table, to, .. } if to.columns.is_empty() => vec![Hazard::new(
                R::DropPrimaryKey,
                format!("drops the primary key of {table}: rows are no longer kept unique by it"),
            )],
            Op::AlterPrimaryKey { table, to, .. } => vec![Hazard::new(
                R::PrimaryKeyChange,
                format!(
                    "builds the primary key ({}) of {table}: fails if the columns hold NULLs or \
                     duplicates, and locks {table} while it builds",
                    to.columns.join(", ")
                ),
            )],
            Op::DropDomain(d) => vec![Hazard::new(
                R::DropDomain,
                format!(
                    "drops domain {}: fails while a column still uses it",
                    d.name
                ),
            )],
            Op::DropSequence { name, .. } => vec![Hazard::new(
                R::DropSequence,
                format!("drops sequence {name} and the position it had reached"),
            )],
            Op::DropExtension { name, .. } => vec![Hazard::new(
                R::DropExtension,
                format!("drops extension {name}: fails while anything still uses it"),
            )],
            // A SQL file's index (on its table, or materialized view).
            Op::CreateObject(o) => object_hazards(o, true),
            Op::DropObject(o) => object_hazards(o, false),
            Op::CreateDomain(_)
            | Op::CreateSequence { .. }
            | Op::CreateExtension { .. }
            | Op::ReplaceObject { .. } => Vec::new(),
            Op::CreateEnum(_)
            | Op::CreateTable(_)
            | Op::AddColumn { .. }
            | Op::SetTableComment { .. } => Vec::new(),
        }
    }
}

/// A SQL file's object created (`create`) or dropped: its index built or dropped, its exclusion
/// constraint added or dropped, a type or another object dropped.
fn object_hazards(o: &autogen_schema::SqlObject, create: bool) -> Vec<Hazard> {
    let on = o.table.as_deref().unwrap_or_default();
    match (o.kind, create) {
        (k, build) if k.builds_index() => {
            vec![blocking_index(build, split_qualified(&o.name).1, on)]
        }
        (k, true) if k.table_constraint() => vec![Hazard::new(
            Rule::UniqueOnDuplicates,
            format!(
                "adds {k} {} on {on}: fails if rows violate it, and blocks writes of {on} \
                 while it checks them (and reads, while it builds an index)",
                o.name
            ),
        )],
        (k, false) if k.table_constraint() => vec![drops_constraint(
            &format!("{k} {}", o.label()),
            "rows that violate it can be written again",
        )],
        (_, true) => Vec::new(),
        // A comment holds no data: clearing one is harmless.
        (k, false) if k.annotation() => Vec::new(),
        (k, false) if k.column_type() => vec![Hazard::new(
            Rule::DropType,
            format!(
                "drops type {}: fails while a column still uses it",
                o.label()
            ),
        )],
        (_, false) => vec![drops_object(o)],
    }
}

/// An index built (`build`) or dropped in its plain form.
fn blocking_index(build: bool, index: &str, table: &str) -> Hazard {
    if build {
        let message =
            format!("builds index {index} on {table}, blocking writes to {table} while it runs");
        Hazard::new(Rule::BlockingIndexBuild, message)
    } else {
        let message = format!(
            "drops index {index} of {table} under a lock that waits for every query on {table}"
        );
        Hazard::new(Rule::BlockingIndexDrop, message)
    }
}

fn drops_object(o: &autogen_schema::SqlObject) -> Hazard {
    let message = format!("drops {} {}: what uses it fails", o.kind, o.label());
    Hazard::new(Rule::DropObject, message)
}

/// A UNIQUE fails on duplicates (whatever the form), and blocks writes while it builds (the
/// plain form).
fn adds_unique(table: &str, cols: &str) -> Vec<Hazard> {
    vec![
        Hazard::new(
            Rule::UniqueOnDuplicates,
            format!("adds UNIQUE ({cols}) on {table}: fails if duplicates exist"),
        ),
        Hazard::new(
            Rule::BlockingUnique,
            format!("builds UNIQUE ({cols}) on {table}, blocking writes while it builds"),
        ),
    ]
}

fn renames(what: &str, from: &str, to: &str) -> Vec<Hazard> {
    let rule = if what.starts_with("table") {
        Rule::RenameTable
    } else {
        Rule::RenameColumn
    };
    let hazard = Hazard::new(
        rule,
        format!("renames {what} to {to}: code still using {from} breaks until it is deployed"),
    );
    vec![if rule == Rule::RenameColumn {
        hazard.of_column(to)
    } else {
        hazard
    }]
}

fn adds_check(table: &str, name: &str) -> Hazard {
    Hazard::new(
        Rule::ValidatingConstraint,
        format!(
            "adds CHECK {name} on {table}: checks every row under a lock that blocks writes, and \
             fails on a row that breaks it"
        ),
    )
}

fn drops_constraint(what: &str, then: &str) -> Hazard {
    Hazard::new(Rule::DropConstraint, format!("drops {what}: {then}"))
}

/// Adding a column: one that needs a value every row lacks fails on rows; a stored generated
/// one is computed for every row.
fn adds_column(table: &str, column: &Column) -> Option<Hazard> {
    if requires_value(column) {
        return Some(adds_required_column(table, &column.name));
    }
    column.generated.as_ref().filter(|g| g.stored).map(|_| {
        Hazard::new(
            Rule::TableCopy,
            format!(
                "adds stored generated column {table}.{}: computes it for every row, rewriting \
                 {table} under a lock that blocks reads and writes",
                column.name
            ),
        )
        .of_column(&column.name)
    })
}

/// A column added without a value for existing rows.
fn requires_value(c: &Column) -> bool {
    !c.nullable && c.default.is_none() && !c.auto_increment && c.generated.is_none()
}

fn drops_column(table: &str, column: &Column) -> Hazard {
    let name = &column.name;
    let what = match column.generated {
        // What reads it fails; its values come back only with its declaration.
        Some(_) => format!("drops generated column {table}.{name}"),
        None => format!("drops column {table}.{name} and its data"),
    };
    Hazard::new(Rule::DropColumn, what).of_column(name)
}

fn adds_required_column(table: &str, column: &str) -> Hazard {
    Hazard::new(
        Rule::AddRequiredColumn,
        format!(
            "adds NOT NULL column {table}.{column} without a default: fails if {table} has rows"
        ),
    )
    .of_column(column)
}

/// Setting NOT NULL: fails on NULLs (whatever the form), and scans the table under its
/// strongest lock (the plain form).
fn sets_not_null(table: &str, column: &str) -> Vec<Hazard> {
    vec![
        not_null_on_nulls(table, column),
        Hazard::new(
            Rule::NotNullScan,
            format!("sets {table}.{column} NOT NULL: scans every row while reads and writes wait"),
        )
        .of_column(column),
    ]
}

fn not_null_on_nulls(table: &str, column: &str) -> Hazard {
    Hazard::new(
        Rule::NotNullOnNulls,
        format!("sets {table}.{column} NOT NULL: fails if any row holds NULL"),
    )
    .of_column(column)
}

fn alter_column(table: &str, from: &Column, to: &Column) -> Vec<Hazard> {
    let mut out = Vec::new();
    // MySQL's enums are column types: one that only gains values holds every value it held;
    // one that loses values fails while rows hold them.
    let inline_enum = |c: &Column| crate::op::inline_enum(&c.ty);
    if let (Some(old), Some(new)) = (inline_enum(from), inline_enum(to)) {
        let removed: Vec<String> = old.iter().filter(|v| !new.contains(v)).cloned().collect();
        if !removed.is_empty() {
            out.push(
                Hazard::new(
                    Rule::RemoveEnumValues,
                    format!(
                        "changes {table}.{} to an enum without {}: fails if any row holds them",
                        to.name,
                        removed.join(", ")
                    ),
                )
                .of_column(&to.name),
            );
        }
    } else if from.ty != to.ty {
        out.push(
            Hazard::new(
                Rule::ChangeColumnType,
                format!(
                    "changes {table}.{} from {} to {}: rewrites the table and fails (or truncates) \
                 on values the new type cannot hold",
                    to.name, from.ty, to.ty
                ),
            )
            .of_column(&to.name),
        );
    }
    if from.nullable && !to.nullable {
        out.extend(sets_not_null(table, &to.name));
    }
    out
}

fn rebuild(from: &Table, to: &Table) -> Vec<Hazard> {
    let mut out = vec![Hazard::new(
        Rule::TableRebuild,
        format!(
            "rebuilds table {0}: creates it anew, copies every row, drops the old one \
             (foreign-key checks off, verified before commit); the database is locked for writes meanwhile",
            to.name
        ),
    )];
    for c in &from.columns {
        if to.column(&c.name).is_none() {
            out.push(drops_column(&to.name, c));
        }
    }
    for c in &to.columns {
        match from.column(&c.name) {
            None if requires_value(c) => out.push(adds_required_column(&to.name, &c.name)),
            Some(old) if old.nullable && !c.nullable => {
                out.push(not_null_on_nulls(&to.name, &c.name))
            }
            _ => {}
        }
    }
    out
}
