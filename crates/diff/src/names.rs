//! The names a plan gives new objects, and what happens when the database already holds one:
//! autogen only creates under a name nothing else holds, and never takes one over. A name the
//! entities declare that an object autogen does not own already holds is an error before
//! anything is written; a name autogen derives moves to the next free one (`…_2`, `…_3`).
//!
//! The database is asked once, for every name the plan would create and its alternatives
//! ([`Plan::name_claims`]); what it answers settles the plan ([`Plan::settle_names`]).

use crate::error::DiffError;
use crate::op::Op;
use crate::plan::Plan;
use autogen_schema::lexical::{foreign_key_name, not_null_check_name, truncate_bytes, unique_name};
use autogen_schema::{Check, ForeignKey, Index, NameKind, NameProbe, SqlDialect, Table, Unique};
use std::collections::BTreeSet;

/// How many alternatives of a derived name are asked about at once.
const ALTERNATIVES: usize = 8;

/// A name the plan would create on `table`, with the names it may take instead (empty for a
/// name the entities declare).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameClaim {
    pub table: String,
    pub kind: NameKind,
    pub name: String,
    pub alternatives: Vec<String>,
}

impl NameClaim {
    fn new(sql: &dyn SqlDialect, table: &str, kind: NameKind, name: &str, derived: bool) -> Self {
        let alternatives = if derived {
            (2..ALTERNATIVES + 2)
                .map(|n| alternative(sql, name, n))
                .collect()
        } else {
            Vec::new()
        };
        // A declared name is the entity's, as the server keeps it (normalization cut it).
        let name = if derived {
            sql.derived_name(name)
        } else {
            name.to_string()
        };
        NameClaim {
            table: table.to_string(),
            kind,
            name,
            alternatives,
        }
    }

    /// The probe for the claim's own name.
    pub fn probe(&self) -> NameProbe {
        self.probe_of(&self.name)
    }

    /// The probe for `name` in the claim's place.
    pub fn probe_of(&self, name: &str) -> NameProbe {
        NameProbe {
            table: self.table.clone(),
            kind: self.kind,
            name: name.to_string(),
        }
    }

    /// The claim's name and its alternatives, in order of preference.
    pub fn candidates(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.alternatives.iter().map(String::as_str))
    }
}

/// The `n`th alternative of a derived name: `<name>_<n>`, fitted as the name is.
fn alternative(sql: &dyn SqlDialect, name: &str, n: usize) -> String {
    let suffix = format!("_{n}");
    let base = sql.derived_name(name);
    match sql.max_name_bytes() {
        Some(max) => format!("{}{suffix}", truncate_bytes(&base, max - suffix.len())),
        None => format!("{base}{suffix}"),
    }
}

/// The name of the CHECK that proves `column` holds no NULL, as the renderer writes it for
/// this plan: the first candidate the database does not hold.
pub fn not_null_check(plan: &Plan, table: &str, column: &str) -> String {
    let sql = plan.dialect().sql();
    let claim = NameClaim::new(
        sql,
        table,
        NameKind::Constraint,
        &not_null_check_name(table, column),
        true,
    );
    claim
        .candidates()
        .find(|c| {
            !plan
                .held_names
                .contains(&(table.to_string(), c.to_string()))
        })
        .unwrap_or(&claim.name)
        .to_string()
}

impl Plan {
    /// Every name this plan would create, each with the alternatives a derived one may take.
    pub fn name_claims(&self) -> Vec<NameClaim> {
        let sql = self.dialect().sql();
        let mut out = Vec::new();
        for op in &self.ops {
            match op {
                Op::CreateTable(t) => out.extend(table_claims(sql, t)),
                Op::CreateIndex { table, index } => out.push(index_claim(sql, table, index)),
                Op::AddUnique { table, unique } => out.push(unique_claim(sql, table, unique)),
                Op::AddForeignKey { table, fk, .. } => out.push(fk_claim(sql, table, fk)),
                Op::AddCheck { table, check } => out.extend(check_claim(sql, table, check)),
                // The CHECK the online form of NOT NULL adds for a while.
                Op::AlterColumn { table, from, to } => {
                    if from.nullable && !to.nullable {
                        out.push(NameClaim::new(
                            sql,
                            table,
                            NameKind::Constraint,
                            &not_null_check_name(table, &to.name),
                            true,
                        ));
                    }
                }
                // A rebuild recreates the table's own names, which it drops first.
                Op::RebuildTable { .. }
                | Op::CreateEnum(_)
                | Op::DropEnum(_)
                | Op::CreateDomain(_)
                | Op::DropDomain(_)
                | Op::CreateExtension { .. }
                | Op::DropExtension { .. }
                | Op::CreateSequence { .. }
                | Op::DropSequence { .. }
                | Op::AddEnumValue { .. }
                | Op::RecreateEnum { .. }
                | Op::DropTable(_)
                | Op::RenameTable { .. }
                | Op::AddColumn { .. }
                | Op::DropColumn { .. }
                | Op::RenameColumn { .. }
                | Op::DropIndex { .. }
                | Op::DropUnique { .. }
                | Op::DropForeignKey { .. }
                | Op::DropCheck { .. }
                | Op::SetTableComment { .. }
                | Op::CreateObject(_)
                | Op::DropObject(_)
                | Op::ReplaceObject { .. }
                | Op::AlterPrimaryKey { .. } => {}
            }
        }
        out
    }

    /// Settles the plan's names against what the database holds: `held[i]` are the candidates
    /// of `claims[i]` that an object holds. A name the plan itself frees first (an index it
    /// drops and builds anew) is not held. A declared name that is held is an error; a derived
    /// one moves to its first free alternative.
    pub fn settle_names(
        &mut self,
        claims: &[NameClaim],
        held: &[BTreeSet<String>],
    ) -> Result<(), DiffError> {
        let freed = self.freed_names();
        for (claim, held) in claims.iter().zip(held) {
            let held: BTreeSet<&String> = held
                .iter()
                .filter(|n| !freed.contains(&(claim.table.clone(), (*n).clone())))
                .collect();
            for name in &held {
                self.held_names
                    .insert((claim.table.clone(), (*name).clone()));
            }
            if !held.contains(&claim.name) {
                continue;
            }
            if claim.alternatives.is_empty() {
                return Err(DiffError::NameHeld {
                    table: claim.table.clone(),
                    name: claim.name.clone(),
                });
            }
            let Some(free) = claim.alternatives.iter().find(|a| !held.contains(a)) else {
                return Err(DiffError::NameHeld {
                    table: claim.table.clone(),
                    name: claim.name.clone(),
                });
            };
            self.rename_derived(claim, free);
        }
        Ok(())
    }

    /// `(table, name)` of every index and constraint the plan drops (or rebuilds) before it
    /// creates anything.
    fn freed_names(&self) -> BTreeSet<(String, String)> {
        let sql = self.dialect().sql();
        let mut out = BTreeSet::new();
        let mut table_names = |t: &Table| {
            for c in table_claims(sql, t) {
                out.insert((t.name.clone(), c.name));
            }
        };
        for op in &self.ops {
            if let Op::DropTable(t) | Op::RebuildTable { from: t, .. } = op {
                table_names(t);
            }
        }
        for op in &self.ops {
            if let Op::DropIndex { table, index } = op {
                out.insert((table.clone(), index.name.clone()));
            } else if let Op::DropUnique { table, unique } = op {
                out.insert((table.clone(), unique_claim(sql, table, unique).name));
            } else if let Op::DropForeignKey { table, fk, .. } = op {
                out.insert((table.clone(), fk_claim(sql, table, fk).name));
            } else if let Op::DropCheck { table, check } = op
                && let Some(name) = &check.name
            {
                out.insert((table.clone(), name.clone()));
            }
        }
        out
    }

    /// Gives the object `claim` is about the name `to` (the first op that creates it).
    fn rename_derived(&mut self, claim: &NameClaim, to: &str) {
        let sql = self.dialect().sql();
        let is = |c: NameClaim| c.table == claim.table && c.name == claim.name;
        for op in &mut self.ops {
            let check = if let Op::CreateTable(t) = op {
                let table = t.name.clone();
                t.checks
                    .iter_mut()
                    .find(|c| check_claim(sql, &table, c).is_some_and(is))
            } else if let Op::AddCheck { table, check } = op {
                Some(check).filter(|c| check_claim(sql, table, c).is_some_and(is))
            } else {
                None
            };
            if let Some(c) = check {
                c.name = Some(to.to_string());
                return;
            }
            let (index, unique, fk) = if let Op::CreateTable(t) = op {
                let table = t.name.clone();
                (
                    t.indexes
                        .iter_mut()
                        .find(|i| is(index_claim(sql, &table, i))),
                    t.uniques
                        .iter_mut()
                        .find(|u| is(unique_claim(sql, &table, u))),
                    t.foreign_keys
                        .iter_mut()
                        .find(|f| is(fk_claim(sql, &table, f))),
                )
            } else if let Op::CreateIndex { table, index } = op {
                (
                    Some(index).filter(|i| is(index_claim(sql, table, i))),
                    None,
                    None,
                )
            } else if let Op::AddUnique { table, unique } = op {
                (
                    None,
                    Some(unique).filter(|u| is(unique_claim(sql, table, u))),
                    None,
                )
            } else if let Op::AddForeignKey { table, fk, .. } = op {
                (None, None, Some(fk).filter(|f| is(fk_claim(sql, table, f))))
            } else {
                continue;
            };
            if let Some(i) = index {
                i.name = to.to_string();
            } else if let Some(u) = unique {
                u.name = Some(to.to_string());
            } else if let Some(f) = fk {
                f.name = Some(to.to_string());
            } else {
                continue;
            }
            return;
        }
    }
}

fn table_claims(sql: &dyn SqlDialect, t: &Table) -> Vec<NameClaim> {
    let mut out: Vec<NameClaim> = t
        .indexes
        .iter()
        .map(|i| index_claim(sql, &t.name, i))
        .collect();
    out.extend(t.uniques.iter().map(|u| unique_claim(sql, &t.name, u)));
    out.extend(t.foreign_keys.iter().map(|fk| fk_claim(sql, &t.name, fk)));
    out.extend(t.checks.iter().filter_map(|c| check_claim(sql, &t.name, c)));
    out
}

/// A named CHECK's name, where the dialect keeps CHECKs as named constraints it alters (SQLite
/// keeps them only in the table's SQL).
fn check_claim(sql: &dyn SqlDialect, table: &str, check: &Check) -> Option<NameClaim> {
    let name = check.name.as_deref()?;
    sql.capabilities()
        .alter_checks
        .then(|| NameClaim::new(sql, table, NameKind::Constraint, name, check.derived))
}

fn index_claim(sql: &dyn SqlDialect, table: &str, index: &Index) -> NameClaim {
    NameClaim::new(sql, table, NameKind::Index, &index.name, index.derived)
}

fn unique_claim(sql: &dyn SqlDialect, table: &str, unique: &Unique) -> NameClaim {
    match unique.chosen_name() {
        Some(name) => NameClaim::new(sql, table, NameKind::Unique, name, false),
        None => {
            let derived = unique
                .name
                .clone()
                .unwrap_or_else(|| unique_name(table, &unique.columns));
            NameClaim::new(sql, table, NameKind::Unique, &derived, true)
        }
    }
}

/// A foreign key's name is derived when it is SeaORM's (`fk-<table>-<columns>`): foreign keys
/// are compared without their names, so moving it changes nothing a user declared.
fn fk_claim(sql: &dyn SqlDialect, table: &str, fk: &ForeignKey) -> NameClaim {
    let derived = foreign_key_name(table, &fk.columns);
    match &fk.name {
        Some(name) if *name != derived && *name != sql.derived_name(&derived) => {
            NameClaim::new(sql, table, NameKind::Constraint, name, false)
        }
        _ => NameClaim::new(sql, table, NameKind::Constraint, &derived, true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use autogen_schema::{Column, ColumnType, Dialect, Profile};

    fn plan(ops: Vec<Op>) -> Plan {
        let mut p = Plan::empty(Profile::oldest(Dialect::Postgres));
        p.ops = ops;
        p
    }

    fn index(name: &str, derived: bool) -> Op {
        Op::CreateIndex {
            table: "t".into(),
            index: Index {
                name: name.into(),
                columns: vec!["a".into()],
                derived,
                ..Index::default()
            },
        }
    }

    fn held(claims: &[NameClaim], names: &[&str]) -> Vec<BTreeSet<String>> {
        claims
            .iter()
            .map(|c| {
                c.candidates()
                    .filter(|n| names.contains(n))
                    .map(str::to_string)
                    .collect()
            })
            .collect()
    }

    #[test]
    fn a_held_derived_name_moves_and_a_held_declared_one_is_an_error() {
        let mut p = plan(vec![index("idx-t-a", true)]);
        let claims = p.name_claims();
        p.settle_names(&claims, &held(&claims, &["idx-t-a", "idx-t-a_2"]))
            .expect("settles");
        assert!(matches!(&p.ops[0], Op::CreateIndex { index, .. } if index.name == "idx-t-a_3"));

        let mut p = plan(vec![index("mine", false)]);
        let claims = p.name_claims();
        let err = p
            .settle_names(&claims, &held(&claims, &["mine"]))
            .unwrap_err();
        assert!(matches!(err, DiffError::NameHeld { name, .. } if name == "mine"));
    }

    #[test]
    fn a_name_the_plan_frees_first_is_not_held() {
        let drop = Op::DropIndex {
            table: "t".into(),
            index: Index {
                name: "mine".into(),
                columns: vec!["b".into()],
                ..Index::default()
            },
        };
        let mut p = plan(vec![drop, index("mine", false)]);
        let claims = p.name_claims();
        p.settle_names(&claims, &held(&claims, &["mine"]))
            .expect("the plan drops it first");
    }

    #[test]
    fn the_not_null_check_skips_held_names_and_long_names_stay_apart() {
        let col = |nullable| Column {
            nullable,
            ..Column::new("a", ColumnType::Integer)
        };
        let mut p = plan(vec![Op::AlterColumn {
            table: "t".into(),
            from: col(true),
            to: col(false),
        }]);
        let claims = p.name_claims();
        p.settle_names(&claims, &held(&claims, &["t_a_not_null"]))
            .expect("settles");
        assert_eq!(not_null_check(&p, "t", "a"), "t_a_not_null_2");
        let long = "c".repeat(60);
        let one = not_null_check(&p, "t", &format!("{long}1"));
        let two = not_null_check(&p, "t", &format!("{long}2"));
        assert_ne!(one, two);
        assert!(one.len() <= 63 && two.len() <= 63, "{one} {two}");
    }
}
