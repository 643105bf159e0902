//! MySQL / MariaDB DDL through sea-query's MySQL backend: `MODIFY COLUMN` restates a column
//! whole, UNIQUE constraints are unique indexes, and a foreign key gets an index of its own name.

use crate::common::{
    add_column_sql, add_unique_sql, alter_table, column_def, create_index_sql, create_table_sql,
    drop_column_sql, drop_index_sql, drop_table_sql, fk_name, foreign_key, rename_column_sql,
    rename_table_sql, table_ref, unique_constraint_name, unsupported,
};
use crate::error::RenderError;
use crate::renderer::DialectRenderer;
use autogen_diff::Op;
use autogen_schema::{Dialect, Profile, SqlDialect};
use sea_query::{MysqlQueryBuilder, SchemaStatementBuilder, Table as SqTable};

pub struct MySql;

fn build(stmt: &impl SchemaStatementBuilder) -> String {
    stmt.to_string(MysqlQueryBuilder)
}

impl DialectRenderer for MySql {
    fn sql(&self) -> &'static dyn SqlDialect {
        Dialect::MySql.sql()
    }

    fn inline_comments(&self) -> bool {
        true
    }

    /// `CREATE FULLTEXT INDEX`, `CREATE SPATIAL INDEX`.
    fn index_method(
        &self,
        stmt: &mut sea_query::IndexCreateStatement,
        method: &str,
    ) -> Result<Option<&'static str>, RenderError> {
        match method {
            "fulltext" => {
                stmt.full_text();
                Ok(None)
            }
            "spatial" => Ok(Some("SPATIAL")),
            other => Err(unsupported(
                Dialect::MySql,
                format!("create an index using {other}"),
            )),
        }
    }

    fn op_statements(&self, op: &Op, _profile: Profile) -> Result<Vec<String>, RenderError> {
        let sql = self.sql();
        let q = |s: &str| sql.quote_ident(s);
        let no = |what: &str| Err(unsupported(Dialect::MySql, what));
        Ok(match op {
            Op::CreateEnum(_) => return no("create an enum type"),
            Op::DropEnum(_) => return no("drop an enum type"),
            Op::AddEnumValue { .. } => return no("add an enum value"),
            Op::RecreateEnum { .. } => return no("recreate an enum type"),
            Op::CreateTable(t) => vec![create_table_sql(MysqlQueryBuilder, t, self)?],
            Op::DropTable(t) => vec![drop_table_sql(MysqlQueryBuilder, &t.name)],
            Op::RenameTable { from, to } => vec![rename_table_sql(MysqlQueryBuilder, from, to)],
            Op::AddColumn { table, column } => {
                vec![add_column_sql(MysqlQueryBuilder, table, column, self)?]
            }
            Op::DropColumn { table, column } => {
                vec![drop_column_sql(MysqlQueryBuilder, table, &column.name)]
            }
            Op::RenameColumn { table, from, to } => {
                vec![rename_column_sql(MysqlQueryBuilder, table, from, to)]
            }
            Op::AlterColumn { table, to, .. } => {
                // MySQL restates the whole column: type, nullability, default, comment.
                let mut stmt = SqTable::alter();
                stmt.table(table_ref(table))
                    .modify_column(column_def(to, false, self)?);
                vec![build(&stmt)]
            }
            Op::CreateIndex { table, index } => {
                if index.predicate.is_some() {
                    return no(&format!(
                        "create the partial index {} (MySQL has none)",
                        index.name
                    ));
                }
                vec![create_index_sql(MysqlQueryBuilder, table, index, self)?]
            }
            Op::DropIndex { table, index } => {
                vec![drop_index_sql(
                    MysqlQueryBuilder,
                    self.sql(),
                    &index.name,
                    Some(table),
                )]
            }
            Op::AddUnique { table, unique } => vec![add_unique_sql(sql, table, unique)],
            // A MySQL UNIQUE constraint is a unique index.
            Op::DropUnique { table, unique } => vec![alter_table(
                sql,
                table,
                &format!("DROP INDEX {}", q(&unique_constraint_name(table, unique))),
            )],
            // MySQL backs every foreign key with an index, using one of the table's that starts
            // with the key's columns. Where none does, autogen makes one of the key's own name,
            // so that the drop below always finds it.
            Op::AddForeignKey { table, fk, covered } => {
                let mut out = Vec::new();
                if !covered {
                    let cols: Vec<_> = fk.columns.iter().map(|c| q(c)).collect();
                    out.push(format!(
                        "CREATE INDEX {} ON {} ({})",
                        q(&fk_name(table, fk)),
                        q(table),
                        cols.join(", ")
                    ));
                }
                out.push(build(&foreign_key(self.sql(), table, fk)));
                out
            }
            Op::DropForeignKey { table, fk, covered } => {
                let name = q(&fk_name(table, fk));
                let mut out = vec![alter_table(sql, table, &format!("DROP FOREIGN KEY {name}"))];
                if !covered {
                    out.push(alter_table(sql, table, &format!("DROP INDEX {name}")));
                }
                out
            }
            Op::SetTableComment { table, to, .. } => vec![alter_table(
                sql,
                table,
                &format!(
                    "COMMENT = {}",
                    sql.string_literal(to.as_deref().unwrap_or(""))
                ),
            )],
            Op::CreateDomain(_) | Op::DropDomain(_) => return no("create or drop a domain"),
            Op::CreateSequence { .. } | Op::DropSequence { .. } => {
                return no("create or drop a sequence");
            }
            Op::CreateExtension { .. } | Op::DropExtension { .. } => {
                return no("create or drop an extension");
            }
            Op::AlterPrimaryKey { table, from, to } => {
                // One statement: an AUTO_INCREMENT column must stay part of a key throughout.
                let mut parts = Vec::new();
                if !from.columns.is_empty() {
                    parts.push("DROP PRIMARY KEY".to_string());
                }
                if !to.columns.is_empty() {
                    let cols: Vec<_> = to.columns.iter().map(|c| q(c)).collect();
                    parts.push(format!("ADD PRIMARY KEY ({})", cols.join(", ")));
                }
                vec![alter_table(sql, table, &parts.join(", "))]
            }
            Op::RebuildTable { to, .. } => return no(&format!("rebuild table {}", to.name)),
        })
    }
}
