//! The statements that let a server render the model's CHECKs and generation expressions as
//! it renders its own: each table with either as a temporary table of its columns (and, on
//! PostgreSQL, the enum types and domains it needs that the database lacks, in a transaction
//! the caller rolls back). `introspect::render_checks` runs them; nothing they create lasts.

use crate::dialect::renderer;
use crate::error::RenderError;
use autogen_diff::Op;
use autogen_schema::{Check, Profile, Schema, Table};

/// What to run, and where each probed CHECK came from.
#[derive(Debug, Clone, Default)]
pub struct CheckProbe {
    /// Run first: types and domains the probe tables need.
    pub setup: Vec<String>,
    /// `(temporary table, CREATE TEMPORARY TABLE …)`.
    pub tables: Vec<(String, String)>,
    /// For each probed CHECK name: the model table and the index of its CHECK.
    pub origin: Vec<(String, String, usize)>,
    /// For each probed generated column, by `temporary table.column`: the model table and the
    /// column.
    pub generated: Vec<(String, String, String)>,
}

/// The probe for the CHECKs of `model`'s tables, against the database `db` holds.
pub fn check_probe(
    model: &Schema,
    db: &Schema,
    profile: Profile,
) -> Result<CheckProbe, RenderError> {
    let r = renderer(profile.dialect);
    let mut probe = CheckProbe::default();
    let with_checks: Vec<&Table> = model
        .tables
        .values()
        .filter(|t| !t.checks.is_empty() || t.columns.iter().any(|c| c.generated.is_some()))
        .collect();
    if with_checks.is_empty() {
        return Ok(probe);
    }
    if r.sql().domains_and_sequences() {
        let mut setup = Vec::new();
        for e in model
            .enums
            .values()
            .filter(|e| !db.enums.contains_key(&e.name))
        {
            setup.push(Op::CreateEnum(e.clone()));
        }
        for d in model
            .domains
            .values()
            .filter(|d| !db.domains.contains_key(&d.name))
        {
            setup.push(Op::CreateDomain(d.clone()));
        }
        for op in &setup {
            probe.setup.extend(r.op_statements(op, profile)?);
        }
    }
    for (i, t) in with_checks.into_iter().enumerate() {
        let temp = format!("autogen_ck_{i}");
        let mut table = Table::new(&temp);
        table.columns = t
            .columns
            .iter()
            .map(|c| {
                if c.generated.is_some() {
                    let key = format!("{temp}.{}", c.name);
                    probe.generated.push((key, t.name.clone(), c.name.clone()));
                }
                let mut c = c.definition();
                c.default = None;
                c.auto_increment = false;
                c.on_update = None;
                c.comment = None;
                c.owns_sequence = false;
                c.nullable = true;
                c
            })
            .collect();
        for (j, c) in t.checks.iter().enumerate() {
            let name = format!("{temp}_{j}");
            probe.origin.push((name.clone(), t.name.clone(), j));
            table.checks.push(Check {
                name: Some(name),
                definition: c.definition.clone(),
                ..Check::default()
            });
        }
        let create = r
            .op_statements(&Op::CreateTable(table), profile)?
            .into_iter()
            .find(|s| s.starts_with("CREATE TABLE"))
            .unwrap_or_default();
        let create = create.replacen("CREATE TABLE", "CREATE TEMPORARY TABLE", 1);
        probe.tables.push((temp, create));
    }
    Ok(probe)
}
