//! PostgreSQL's online forms: what `has_online_form` says an op has, each statement
//! idempotent, each guard asserting that what it would clear is autogen's own (`guard.rs`).

use super::guard::{
    Own, OwnIndex, drop_constraint_if_own, index_name_free_or_defined, index_name_free_or_own,
};
use crate::common::{
    alter_table, check_clause, check_name, create_index_sql, fk_name, foreign_key,
    unique_constraint_name,
};
use crate::error::RenderError;
use crate::renderer::DialectRenderer;
use autogen_diff::{Op, Plan, not_null_check};
use autogen_schema::lexical::{qualified, split_qualified};
use autogen_schema::{Dialect, SqlObject};
use sea_query::PostgresQueryBuilder;

/// The online forms (see `has_online_form`): every statement idempotent, since the stage runs
/// outside a transaction and a rerun after a failure starts it again from the top. What an
/// earlier run left (an INVALID index of a failed concurrent build, a constraint half added) is
/// cleared first, and only when it is autogen's own (`guard.rs`).
pub(super) fn online_statements(
    r: &dyn DialectRenderer,
    op: &Op,
    plan: &Plan,
) -> Result<Vec<String>, RenderError> {
    let sql = r.sql();
    match op {
        Op::CreateIndex { table, index } => {
            let mut out = drop_index(table, &index.name, own_index(index));
            out.push(concurrently(create_index_sql(
                PostgresQueryBuilder,
                table,
                index,
                r,
            )?));
            Ok(out)
        }
        Op::DropIndex { table, index } => Ok(drop_index(table, &index.name, own_index(index))),
        // A SQL file's index, by the server's rendering of it.
        Op::CreateObject(o) if o.kind.builds_index() => Ok(index_file(o, plan, true)),
        Op::DropObject(o) if o.kind.builds_index() => Ok(index_file(o, plan, false)),
        Op::AddUnique { table, unique } => online_add_unique(r, table, unique),
        Op::DropUnique { table, unique } => {
            let own = Own::Unique {
                columns: &unique.columns,
            };
            let name = unique_constraint_name(sql, table, unique);
            Ok(drop_constraint_if_own(table, &name, &own))
        }
        Op::AddForeignKey { table, fk, .. } => {
            let name = fk_name(sql, table, fk);
            let mut out = drop_constraint_if_own(table, &name, &own_fk(fk));
            out.push(format!("{} NOT VALID", add_foreign_key(table, fk)));
            out.push(alter_table(
                sql,
                table,
                &format!("VALIDATE CONSTRAINT {}", q(&name)),
            ));
            Ok(out)
        }
        Op::DropForeignKey { table, fk, .. } => Ok(drop_constraint_if_own(
            table,
            &fk_name(sql, table, fk),
            &own_fk(fk),
        )),
        // NOT VALID takes a brief lock and reads nothing; VALIDATE reads the rows without
        // blocking writes.
        Op::AddCheck { table, check } => {
            let name = check_name(Dialect::Postgres, check)?;
            let own = Own::Check {
                definition: &check.definition,
            };
            let mut out = drop_constraint_if_own(table, name, &own);
            out.push(format!(
                "{} NOT VALID",
                alter_table(sql, table, &format!("ADD {}", check_clause(sql, check)))
            ));
            out.push(alter_table(
                sql,
                table,
                &format!("VALIDATE CONSTRAINT {}", q(name)),
            ));
            Ok(out)
        }
        Op::DropCheck { table, check } => {
            let own = Own::Check {
                definition: &check.definition,
            };
            Ok(drop_constraint_if_own(
                table,
                check_name(Dialect::Postgres, check)?,
                &own,
            ))
        }
        // NOT NULL's first half: the CHECK that will prove it, added without a scan.
        Op::AlterColumn { table, to, .. } => {
            let check = not_null_check(plan, table, &to.name);
            let own = Own::NotNullCheck { column: &to.name };
            let mut out = drop_constraint_if_own(table, &check, &own);
            if !to.nullable {
                out.push(add_not_null_check(table, &to.name, &check));
            }
            Ok(out)
        }
        // No online form of their own (`has_online_form` says so): the plain one.
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
        | Op::CreateTable(_)
        | Op::DropTable(_)
        | Op::RenameTable { .. }
        | Op::AddColumn { .. }
        | Op::DropColumn { .. }
        | Op::RenameColumn { .. }
        | Op::SetTableComment { .. }
        | Op::AlterPrimaryKey { .. }
        | Op::CreateObject(_)
        | Op::DropObject(_)
        | Op::ReplaceObject { .. }
        | Op::RebuildTable { .. } => r.op_statements(op, plan.profile),
    }
}

/// A SQL file's index dropped (and, `create`, built) concurrently, after a guard that the name
/// is free or held by the index the plan drops or creates under it (a rerun finds the latter).
fn index_file(o: &SqlObject, plan: &Plan, create: bool) -> Vec<String> {
    let table = o.table.as_deref().unwrap_or_default();
    let name = split_qualified(&o.name).1;
    let (schema, _) = split_qualified(table);
    let mut definitions: Vec<&str> = Vec::new();
    for other in &plan.ops {
        if let Op::CreateObject(c) | Op::DropObject(c) = other
            && c.key() == o.key()
            && !definitions.contains(&c.statement())
        {
            definitions.push(c.statement());
        }
    }
    let mut out = vec![
        index_name_free_or_defined(table, name, &definitions),
        format!(
            "DROP INDEX CONCURRENTLY IF EXISTS {}",
            q(&qualified(schema, name))
        ),
    ];
    if create {
        // One statement each: `CONCURRENTLY` runs alone, outside any transaction.
        out.push(concurrently(o.statement().to_string()));
        out.extend(o.comment_statements());
    }
    out
}

/// The guard, then `DROP INDEX CONCURRENTLY IF EXISTS` (in the table's schema).
fn drop_index(table: &str, name: &str, own: OwnIndex) -> Vec<String> {
    let (schema, _) = split_qualified(table);
    vec![
        index_name_free_or_own(table, name, &own),
        format!(
            "DROP INDEX CONCURRENTLY IF EXISTS {}",
            q(&qualified(schema, name))
        ),
    ]
}

/// `CREATE [UNIQUE] INDEX` as `… CONCURRENTLY IF NOT EXISTS`.
fn concurrently(create: String) -> String {
    create
        .replacen("CREATE INDEX", "CREATE INDEX CONCURRENTLY IF NOT EXISTS", 1)
        .replacen(
            "CREATE UNIQUE INDEX",
            "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS",
            1,
        )
}

fn own_index(index: &autogen_schema::Index) -> OwnIndex<'_> {
    OwnIndex {
        columns: &index.columns,
        unique: index.unique,
        partial: index.predicate.is_some(),
        method: index.using.as_deref().unwrap_or("btree"),
    }
}

fn own_fk(fk: &autogen_schema::ForeignKey) -> Own<'_> {
    Own::ForeignKey {
        columns: &fk.columns,
        ref_table: &fk.ref_table,
    }
}

/// A UNIQUE added online: its index built concurrently (after clearing autogen's own leftovers
/// of an earlier run), then the constraint on it.
fn online_add_unique(
    r: &dyn DialectRenderer,
    table: &str,
    unique: &autogen_schema::Unique,
) -> Result<Vec<String>, RenderError> {
    let sql = r.sql();
    let name = unique_constraint_name(sql, table, unique);
    let index = autogen_schema::Index {
        name: name.clone(),
        columns: unique.columns.clone(),
        unique: true,
        using: None,
        predicate: None,
        ..Default::default()
    };
    let own = Own::Unique {
        columns: &unique.columns,
    };
    let mut out = drop_constraint_if_own(table, &name, &own);
    out.extend(drop_index(table, &name, own_index(&index)));
    out.push(concurrently(create_index_sql(
        PostgresQueryBuilder,
        table,
        &index,
        r,
    )?));
    out.push(alter_table(
        sql,
        table,
        &format!(
            "ADD CONSTRAINT {} UNIQUE USING INDEX {}",
            q(&name),
            q(&name)
        ),
    ));
    Ok(out)
}

/// `ADD CONSTRAINT <check> CHECK (column IS NOT NULL) NOT VALID`.
fn add_not_null_check(table: &str, column: &str, check: &str) -> String {
    alter_table(
        Dialect::Postgres.sql(),
        table,
        &format!(
            "ADD CONSTRAINT {} CHECK ({} IS NOT NULL) NOT VALID",
            q(check),
            q(column)
        ),
    )
}

/// NOT NULL's second half, in a transaction: validate the CHECK (no write lock), then SET NOT
/// NULL trusts it (PostgreSQL 12+, no scan) and the CHECK goes. Its reverse puts the column and
/// the CHECK back as the first half left them.
pub(super) fn not_null_validated(table: &str, column: &str, check: &str, set: bool) -> Vec<String> {
    let sql = Dialect::Postgres.sql();
    let col = q(column);
    if set {
        vec![
            alter_table(sql, table, &format!("VALIDATE CONSTRAINT {}", q(check))),
            alter_table(sql, table, &format!("ALTER COLUMN {col} SET NOT NULL")),
            alter_table(sql, table, &format!("DROP CONSTRAINT {}", q(check))),
        ]
    } else {
        vec![
            alter_table(sql, table, &format!("ALTER COLUMN {col} DROP NOT NULL")),
            add_not_null_check(table, column, check),
        ]
    }
}

pub(super) fn q(name: &str) -> String {
    Dialect::Postgres.sql().quote_ident(name)
}

/// `ALTER TABLE … ADD CONSTRAINT … FOREIGN KEY …`, with `DEFERRABLE …` where the key is.
pub(super) fn add_foreign_key(table: &str, fk: &autogen_schema::ForeignKey) -> String {
    let mut sql = foreign_key(Dialect::Postgres.sql(), table, fk).to_string(PostgresQueryBuilder);
    if let Some(d) = fk.deferrable {
        sql.push(' ');
        sql.push_str(d.sql());
    }
    sql
}

/// `ALTER TABLE … DROP CONSTRAINT` of a CHECK (its plain form).
pub(super) fn drop_check(
    table: &str,
    check: &autogen_schema::Check,
) -> Result<String, RenderError> {
    let name = q(check_name(Dialect::Postgres, check)?);
    Ok(alter_table(
        Dialect::Postgres.sql(),
        table,
        &format!("DROP CONSTRAINT {name}"),
    ))
}
