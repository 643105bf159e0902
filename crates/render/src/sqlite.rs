//! SQLite DDL through sea-query's SQLite backend, for what SQLite's `ALTER TABLE` can do; the
//! rest is a table rebuild (never a sea-query SQLite call that would panic on it).

use crate::body::Step;
use crate::common::{
    add_column_sql, create_index_sql, create_object, create_table_sql, drop_column_sql,
    drop_index_sql, drop_object, drop_table_sql, rename_column_sql, rename_table_sql, unsupported,
};
use crate::error::RenderError;
use crate::renderer::{DialectRenderer, Wrapper};
use autogen_diff::{Op, Plan};
use autogen_schema::{Dialect, Profile, SqlDialect, Table};
use sea_query::SqliteQueryBuilder;

pub struct Sqlite;

impl DialectRenderer for Sqlite {
    fn sql(&self) -> &'static dyn SqlDialect {
        Dialect::Sqlite.sql()
    }

    fn type_text(&self, ty: &autogen_schema::ColumnType) -> Result<String, RenderError> {
        crate::common::type_sql(&SqliteQueryBuilder, ty, self.sql())
    }

    fn inline_comments(&self) -> bool {
        false
    }

    fn op_statements(&self, op: &Op, _profile: Profile) -> Result<Vec<String>, RenderError> {
        let no = |what: &str| Err(unsupported(Dialect::Sqlite, what));
        Ok(match op {
            Op::CreateEnum(_) => return no("create an enum type"),
            Op::DropEnum(_) => return no("drop an enum type"),
            Op::AddEnumValue { .. } => return no("add an enum value"),
            Op::RecreateEnum { .. } => return no("recreate an enum type"),
            Op::CreateTable(t) => vec![create_table(t, self)?],
            Op::DropTable(t) => vec![drop_table_sql(SqliteQueryBuilder, &t.name)],
            Op::RenameTable { from, to } => vec![rename_table_sql(SqliteQueryBuilder, from, to)],
            Op::AddColumn { table, column } => {
                vec![add_column_sql(SqliteQueryBuilder, table, column, self)?]
            }
            Op::DropColumn { table, column } => {
                vec![drop_column_sql(SqliteQueryBuilder, table, &column.name)]
            }
            Op::RenameColumn { table, from, to } => {
                vec![rename_column_sql(SqliteQueryBuilder, table, from, to)]
            }
            Op::AlterColumn { .. } => return no("alter a column"),
            Op::CreateIndex { table, index } => {
                vec![create_index_sql(SqliteQueryBuilder, table, index, self)?]
            }
            Op::DropIndex { index, .. } => {
                vec![drop_index_sql(
                    SqliteQueryBuilder,
                    self.sql(),
                    &index.name,
                    None,
                )]
            }
            Op::AddUnique { .. } => return no("add a UNIQUE constraint to an existing table"),
            Op::DropUnique { .. } => return no("drop a UNIQUE constraint"),
            Op::AddCheck { .. } | Op::DropCheck { .. } => {
                return no("add or drop a CHECK of an existing table");
            }
            Op::AddForeignKey { .. } => return no("add a foreign key to an existing table"),
            Op::DropForeignKey { .. } => return no("drop a foreign key"),
            Op::SetTableComment { .. } => Vec::new(),
            Op::CreateDomain(_) | Op::DropDomain(_) => return no("create or drop a domain"),
            Op::CreateSequence { .. } | Op::DropSequence { .. } => {
                return no("create or drop a sequence");
            }
            Op::CreateExtension { .. } | Op::DropExtension { .. } => {
                return no("create or drop an extension");
            }
            Op::CreateObject(o) => vec![create_object(o)],
            Op::DropObject(o) => vec![drop_object(self.sql(), o, false)],
            Op::ReplaceObject { .. } => return no("replace a routine (SQLite has none)"),
            Op::AlterPrimaryKey { .. } => return no("change a primary key in place"),
            Op::RebuildTable { from, to } => rebuild_table(from, to, self)?,
        })
    }

    /// Around table rebuilds: foreign-key enforcement off (it cannot change inside a
    /// transaction, and dropping a parent table with it on would cascade into its children's
    /// rows), one transaction, and a check before committing that no row points nowhere (a
    /// failed CHECK aborts the migration).
    fn wrapper(&self, plan: &Plan) -> Option<Wrapper> {
        let rebuilds = plan
            .ops
            .iter()
            .any(|op| matches!(op, Op::RebuildTable { .. }));
        if !rebuilds {
            return None;
        }
        let check = self.sql().quote_ident("_autogen_fk_check");
        Some(Wrapper {
            before: Step::wrapper(
                "rebuild: foreign keys off, one transaction",
                vec!["PRAGMA foreign_keys = OFF".into(), "BEGIN".into()],
            ),
            after: Step::wrapper(
                "rebuild: no row may point nowhere; commit; foreign keys on",
                vec![
                    format!(
                        "CREATE TEMP TABLE {check} (violations INTEGER NOT NULL CHECK (violations = 0))"
                    ),
                    format!("INSERT INTO {check} SELECT count(*) FROM pragma_foreign_key_check"),
                    format!("DROP TABLE {check}"),
                    "COMMIT".into(),
                    "PRAGMA foreign_keys = ON".into(),
                ],
            ),
        })
    }
}

/// SQLite's table rebuild (its documented twelve steps, less what the file wrapper does):
/// the new table under a temporary name, rows copied for the columns both versions have, the
/// old table dropped, the new one renamed, its indexes created.
/// `CREATE TABLE`, with its options after the columns (`WITHOUT ROWID, STRICT`).
fn create_table(t: &Table, r: &Sqlite) -> Result<String, RenderError> {
    let mut create = create_table_sql(SqliteQueryBuilder, t, r)?;
    if !t.options.is_empty() {
        create.push(' ');
        create.push_str(&t.options.join(", "));
    }
    Ok(create)
}

fn rebuild_table(from: &Table, to: &Table, r: &Sqlite) -> Result<Vec<String>, RenderError> {
    let q = |s: &str| r.sql().quote_ident(s);
    let temp = format!("_autogen_new_{}", to.name);
    let mut new_table = to.clone();
    new_table.name = temp.clone();
    new_table.indexes.clear();
    let create = create_table(&new_table, r)?;
    let mut out = vec![create];
    // A generated column takes no value: the new table computes it.
    let common: Vec<String> = to
        .columns
        .iter()
        .filter(|c| c.generated.is_none() && from.column(&c.name).is_some())
        .map(|c| q(&c.name))
        .collect();
    if !common.is_empty() {
        let cols = common.join(", ");
        out.push(format!(
            "INSERT INTO {} ({cols}) SELECT {cols} FROM {}",
            q(&temp),
            q(&from.name)
        ));
    }
    out.push(format!("DROP TABLE {}", q(&from.name)));
    // Legacy renaming: a view naming the table would otherwise fail the rename's check of the
    // schema (the table is missing for a moment), and nothing needs rewriting: the new table
    // takes the old one's name.
    out.push("PRAGMA legacy_alter_table = ON".into());
    out.push(format!(
        "ALTER TABLE {} RENAME TO {}",
        q(&temp),
        q(&to.name)
    ));
    out.push("PRAGMA legacy_alter_table = OFF".into());
    for index in &to.indexes {
        out.push(create_index_sql(SqliteQueryBuilder, &to.name, index, r)?);
    }
    // Triggers and expression indexes autogen leaves alone went with the old table.
    out.extend(to.kept.iter().cloned());
    Ok(out)
}
