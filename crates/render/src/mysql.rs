//! MySQL / MariaDB DDL through sea-query's MySQL backend: `MODIFY COLUMN` restates a column
//! whole, UNIQUE constraints are unique indexes, and a foreign key gets an index of its own name.

use crate::common::{
    add_check, add_column_sql, add_unique_sql, alter_table, check_name, collation_name, column_def,
    create_index_sql, create_object, create_table_sql, drop_column_sql, drop_index_sql,
    drop_object, drop_table_sql, fk_name, foreign_key, rename_column_sql, rename_table_sql,
    table_ref, unique_constraint_name, unsupported,
};
use crate::error::RenderError;
use crate::renderer::DialectRenderer;
use autogen_diff::{Op, Plan};
use autogen_schema::{Dialect, Profile, SqlDialect};
use sea_query::{MysqlQueryBuilder, SchemaStatementBuilder, Table as SqTable};

pub struct MySql;

fn build(stmt: &impl SchemaStatementBuilder) -> String {
    stmt.to_string(MysqlQueryBuilder)
}

/// `DROP VIEW …`, …; a file's index is dropped from its table (`DROP INDEX i ON t`).
fn drop_file_object(sql: &dyn SqlDialect, o: &autogen_schema::SqlObject) -> String {
    match &o.table {
        Some(table) if o.kind.builds_index() => format!(
            "DROP INDEX {} ON {}",
            sql.quote_ident(&o.name),
            sql.quote_ident(table)
        ),
        _ => drop_object(sql, o, false),
    }
}

impl DialectRenderer for MySql {
    fn sql(&self) -> &'static dyn SqlDialect {
        Dialect::MySql.sql()
    }

    fn type_text(&self, ty: &autogen_schema::ColumnType) -> Result<String, RenderError> {
        crate::common::type_sql(&MysqlQueryBuilder, ty, self.sql())
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
            // A key's explicit method: `… (a) USING BTREE`.
            "btree" => {
                stmt.index_type(sea_query::IndexType::BTree);
                Ok(None)
            }
            "hash" => {
                stmt.index_type(sea_query::IndexType::Hash);
                Ok(None)
            }
            other => Err(unsupported(
                Dialect::MySql,
                format!("create an index using {other}"),
            )),
        }
    }

    /// Index and UNIQUE builds and drops with `ALGORITHM=INPLACE, LOCK=NONE`, a new column with
    /// `ALGORITHM=INSTANT` (MariaDB; MySQL from 8.1, and 8.0.12+ picks it by itself): the server
    /// refuses the statement rather than silently copying or locking the table.
    fn online_in_place(&self) -> bool {
        true
    }

    fn has_online_form(&self, op: &Op, profile: Profile) -> bool {
        if let Op::AddColumn { column, .. } = op {
            let instant =
                profile.flavor == autogen_schema::Flavor::MariaDb || profile.at_least(8, 1);
            return instant && !column.auto_increment;
        }
        if let Op::CreateIndex { index, .. } = op {
            // FULLTEXT and SPATIAL builds take a shared lock whatever is asked.
            return index
                .using
                .as_deref()
                .is_none_or(|m| matches!(m, "btree" | "hash"));
        }
        if let Op::AlterColumn { from, to, .. } = op {
            return appends_enum_values(from, to);
        }
        matches!(
            op,
            Op::DropIndex { .. } | Op::AddUnique { .. } | Op::DropUnique { .. }
        )
    }

    fn online_statements(
        &self,
        op: &Op,
        plan: &Plan,
        _stage: crate::policy::StageKind,
    ) -> Result<Vec<String>, RenderError> {
        // MariaDB reads no algorithm clause on `DROP INDEX … ON`: the `ALTER TABLE` form.
        if let Op::DropIndex { table, index } = op {
            let name = self.sql().quote_ident(&index.name);
            return Ok(vec![alter_table(
                self.sql(),
                table,
                &format!("DROP INDEX {name}, ALGORITHM=INPLACE, LOCK=NONE"),
            )]);
        }
        let mut out = self.op_statements(op, plan.profile)?;
        let clause = if matches!(op, Op::AddColumn { .. }) {
            ", ALGORITHM=INSTANT"
        } else if matches!(op, Op::CreateIndex { .. }) {
            " ALGORITHM=INPLACE LOCK=NONE"
        } else {
            ", ALGORITHM=INPLACE, LOCK=NONE"
        };
        if let Some(last) = out.last_mut() {
            last.push_str(clause);
        }
        Ok(out)
    }

    /// A column's type change (enum values reordered included) and a foreign key added with
    /// its checks on: InnoDB copies the table for both.
    fn copies_table(&self, op: &Op, _profile: Profile) -> bool {
        if let Op::AlterColumn { from, to, .. } = op {
            // A stored generated column's new expression is computed for every row.
            let recomputed =
                from.generated != to.generated && to.generated.as_ref().is_some_and(|g| g.stored);
            return (from.ty != to.ty && !appends_enum_values(from, to)) || recomputed;
        }
        matches!(op, Op::AddForeignKey { .. })
    }

    fn op_statements(&self, op: &Op, profile: Profile) -> Result<Vec<String>, RenderError> {
        let sql = self.sql();
        let q = |s: &str| sql.quote_ident(s);
        let no = |what: &str| Err(unsupported(Dialect::MySql, what));
        Ok(match op {
            Op::CreateEnum(_) => return no("create an enum type"),
            Op::DropEnum(_) => return no("drop an enum type"),
            Op::AddEnumValue { .. } => return no("add an enum value"),
            Op::RecreateEnum { .. } => return no("recreate an enum type"),
            Op::CreateTable(t) => vec![create_table(t, self, profile)?],
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
            Op::AddCheck { table, check } => vec![add_check(sql, table, check)],
            Op::DropCheck { table, check } => vec![drop_check(table, check, profile)?],
            // A MySQL UNIQUE constraint is a unique index.
            Op::DropUnique { table, unique } => vec![alter_table(
                sql,
                table,
                &format!(
                    "DROP INDEX {}",
                    q(&unique_constraint_name(MySql.sql(), table, unique))
                ),
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
                        q(&fk_name(MySql.sql(), table, fk)),
                        q(table),
                        cols.join(", ")
                    ));
                }
                out.push(build(&foreign_key(self.sql(), table, fk)));
                out
            }
            Op::DropForeignKey { table, fk, covered } => {
                let name = q(&fk_name(MySql.sql(), table, fk));
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
            Op::CreateObject(o) => create_moded(o),
            Op::DropObject(o) => vec![drop_file_object(sql, o)],
            // MySQL has no `CREATE OR REPLACE` for routines (MariaDB's is its own).
            Op::ReplaceObject { from, to } => {
                let mut out = vec![drop_object(sql, from, false)];
                out.extend(create_moded(to));
                out
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

/// `CREATE TABLE`, with its options (`ENGINE=…`, `ROW_FORMAT=…`) and its default collation
/// (and so character set) where not the database's.
fn create_table(
    t: &autogen_schema::Table,
    r: &MySql,
    profile: Profile,
) -> Result<String, RenderError> {
    // MariaDB makes a CHECK of a column's definition there and names it after the column:
    // one read so, or declared on the column's field with its name, is made so.
    let mut table_level = t.clone();
    let mut of_columns = Vec::new();
    if profile.flavor == autogen_schema::Flavor::MariaDb {
        table_level.checks.retain(|c| match &c.column {
            Some(column) if c.name.as_ref() == Some(column) => {
                of_columns.push((column.clone(), c.definition.clone()));
                false
            }
            _ => true,
        });
    }
    let mut create = create_table_sql(MysqlQueryBuilder, &table_level, r)?;
    for (column, check) in of_columns {
        // Each column is a line of its own, `    `name` …,`.
        let head = format!("\n    {} ", r.sql().quote_ident(&column));
        if let Some(at) = create.find(&head) {
            let end = create[at + 1..]
                .find('\n')
                .map_or(create.len(), |n| at + 1 + n);
            let end = if create[..end].ends_with(',') {
                end - 1
            } else {
                end
            };
            create.insert_str(end, &format!(" {check}"));
        }
    }
    let key_method = t
        .options
        .iter()
        .find_map(|o| o.strip_prefix(autogen_schema::dialect::PRIMARY_KEY_USING));
    if let Some(method) = key_method {
        create = with_primary_key_method(create, t, method, r.sql());
    }
    // Clauses (`WITH SYSTEM VERSIONING`, `PARTITION BY …`, which ends the statement) come after
    // the options of the form `KEY=value`.
    let (clauses, options): (Vec<&String>, Vec<&String>) = t
        .options
        .iter()
        .filter(|o| !o.starts_with(autogen_schema::dialect::PRIMARY_KEY_USING))
        .partition(|o| o.starts_with("WITH ") || o.starts_with("PARTITION BY"));
    for option in options {
        create.push_str(&format!(" {option}"));
    }
    if let Some(c) = &t.collation {
        create.push_str(&format!(" COLLATE={}", collation_name(r.sql(), c)));
    }
    for clause in clauses {
        create.push_str(&format!("\n{clause}"));
    }
    Ok(create)
}

/// The `CREATE TABLE` with its primary key made `USING method`: the key's own line gets it; a
/// one-column key written on its column becomes a line of its own that says it.
fn with_primary_key_method(
    create: String,
    t: &autogen_schema::Table,
    method: &str,
    sql: &dyn SqlDialect,
) -> String {
    let mut lines: Vec<String> = create.lines().map(str::to_string).collect();
    let using = format!(" USING {method}");
    if let Some(line) = lines
        .iter_mut()
        .find(|l| l.trim_start().starts_with("PRIMARY KEY "))
    {
        let comma = line.ends_with(',');
        let body = line.trim_end_matches(',').to_string();
        *line = format!("{body}{using}{}", if comma { "," } else { "" });
        return lines.join("\n");
    }
    let [column] = t.primary_key.as_slice() else {
        return create;
    };
    let head = format!("    {} ", sql.quote_ident(column));
    let Some(at) = lines.iter().position(|l| l.starts_with(&head)) else {
        return create;
    };
    lines[at] = lines[at].replacen(" PRIMARY KEY", "", 1);
    // The last item gains a comma, the key follows it.
    let Some(close) = lines.iter().position(|l| l.starts_with(')')) else {
        return create;
    };
    if let Some(last) = close.checked_sub(1) {
        lines[last].push(',');
    }
    lines.insert(
        close,
        format!("    PRIMARY KEY ({}){using}", sql.quote_ident(column)),
    );
    lines.join("\n")
}

/// A view, routine or trigger created. A routine or trigger keeps the SQL mode it is created
/// under: one whose file sets a mode (as mysqldump writes them) is created under it, then the
/// server's own comes back; any other is created under the server's own, whatever session
/// runs the revision (sqlx's and SeaORM's add `PIPES_AS_CONCAT`, which changes what `||`
/// means in its body).
fn create_moded(o: &autogen_schema::SqlObject) -> Vec<String> {
    use autogen_schema::dialect::MYSQL_SERVER_SQL_MODE as SERVER_MODE;
    match autogen_schema::leading_set(&o.source) {
        // An event's time zone, a view's client character set: the session's are kept and put
        // back after.
        Some((set, rest)) => {
            let (mut out, back) = autogen_schema::session_restores(set);
            out.push(set.to_string());
            out.push(rest.trim().trim_end_matches(';').trim_end().to_string());
            out.push(SERVER_MODE.to_string());
            out.extend(back);
            out
        }
        None if !o.kind.keeps_sql_mode() => vec![create_object(o)],
        None => vec![SERVER_MODE.to_string(), create_object(o)],
    }
}

/// MySQL spells it `DROP CHECK` (8.0.16; `DROP CONSTRAINT` only from 8.0.19), MariaDB
/// `DROP CONSTRAINT`.
fn drop_check(
    table: &str,
    check: &autogen_schema::Check,
    profile: Profile,
) -> Result<String, RenderError> {
    let sql = MySql.sql();
    let verb = if profile.flavor == autogen_schema::Flavor::MariaDb {
        "DROP CONSTRAINT"
    } else {
        "DROP CHECK"
    };
    let name = sql.quote_ident(check_name(Dialect::MySql, check)?);
    Ok(alter_table(sql, table, &format!("{verb} {name}")))
}

/// Whether an enum column only gains values at the end of its list, within the same storage
/// width (up to 255 values take one byte): InnoDB changes only the definition, in place, with
/// writes going on (`ALGORITHM=INPLACE, LOCK=NONE`); anything else about the column unchanged.
fn appends_enum_values(from: &autogen_schema::Column, to: &autogen_schema::Column) -> bool {
    use autogen_schema::ColumnType::Custom;
    let values = |c: &autogen_schema::Column| match &c.ty {
        Custom(decl) => autogen_schema::dialect::mysql_enum_values(decl),
        _ => None,
    };
    let (Some(old), Some(new)) = (values(from), values(to)) else {
        return false;
    };
    let same_otherwise = from.nullable == to.nullable
        && from.default == to.default
        && from.comment == to.comment
        && from.collation == to.collation
        && from.generated == to.generated
        && from.on_update == to.on_update
        && from.auto_increment == to.auto_increment;
    new.len() > old.len()
        && new.starts_with(&old)
        && (old.len() <= 255) == (new.len() <= 255)
        && same_otherwise
}
