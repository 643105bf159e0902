//! Plan -> SQL statements, through sea-query's backends.
//!
//! Statements sea-query cannot express (enum recreation, comments, `ALTER COLUMN … USING`,
//! named UNIQUE constraints) are built from identifiers quoted by [`quote_ident`], the one
//! place autogen quotes a name itself.

use crate::RenderError;
use autogen_diff::{EnumColumn, EnumPosition, Op, Plan};
use autogen_schema::{
    Column, ColumnType, DefaultValue, Dialect, FkAction, ForeignKey, Index, Table,
};
use sea_query::extension::postgres::Type as PgType;
use sea_query::{
    ColumnDef, Expr, ForeignKey as SqForeignKey, ForeignKeyAction, Index as SqIndex,
    MysqlQueryBuilder, PostgresQueryBuilder, SqliteQueryBuilder, StringLen, Table as SqTable,
    TableBuilder,
};

/// Quotes an identifier for `dialect` (doubling embedded quote characters).
pub fn quote_ident(dialect: Dialect, name: &str) -> String {
    match dialect {
        Dialect::MySql => format!("`{}`", name.replace('`', "``")),
        _ => format!("\"{}\"", name.replace('"', "\"\"")),
    }
}

/// A SQL string literal.
pub fn quote_literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A string literal for `dialect`: MySQL also reads backslashes as escapes.
fn literal(dialect: Dialect, s: &str) -> String {
    match dialect {
        Dialect::MySql => quote_literal(&s.replace('\\', "\\\\")),
        _ => quote_literal(s),
    }
}

/// The statements for every op of `plan`, in order.
pub fn plan_statements(plan: &Plan) -> Result<Vec<String>, RenderError> {
    let mut out = Vec::new();
    let wrapper = rebuild_wrapper(plan);
    if let Some((before, _)) = &wrapper {
        out.extend(before.iter().cloned());
    }
    for op in &plan.without_redundant_drops().ops {
        out.extend(op_statements(op, plan.dialect)?);
    }
    if let Some((_, after)) = wrapper {
        out.extend(after);
    }
    Ok(out)
}

fn sq_type(ty: &ColumnType, dialect: Dialect) -> Result<sea_query::ColumnType, RenderError> {
    use ColumnType as T;
    use sea_query::ColumnType as S;
    let len = |n: &Option<u32>| match n {
        Some(n) => StringLen::N(*n),
        None => StringLen::None,
    };
    Ok(match ty {
        T::TinyInteger => S::TinyInteger,
        T::SmallInteger => S::SmallInteger,
        T::Integer => S::Integer,
        T::BigInteger => S::BigInteger,
        T::TinyUnsigned => S::TinyUnsigned,
        T::SmallUnsigned => S::SmallUnsigned,
        T::Unsigned => S::Unsigned,
        T::BigUnsigned => S::BigUnsigned,
        T::Float => S::Float,
        T::Double => S::Double,
        T::Decimal(p) => S::Decimal(*p),
        T::Char(n) => S::Char(*n),
        T::String(n) => S::String(len(n)),
        T::Text => S::Text,
        T::Boolean => S::Boolean,
        T::Date => S::Date,
        T::Time => S::Time,
        T::DateTime => S::DateTime,
        T::Timestamp => S::Timestamp,
        T::TimestampWithTimeZone => S::TimestampWithTimeZone,
        T::Uuid => S::Uuid,
        T::Json => S::Json,
        T::JsonBinary => S::JsonBinary,
        T::Binary(n) => S::Binary(*n),
        T::VarBinary(n) => S::VarBinary(len(n)),
        T::Blob => S::Blob,
        // PostgreSQL: the enum type by name, quoted like any identifier. (MySQL's enums are
        // column types, which normalization spells out as `Custom("enum(…)")`.)
        T::Enum(name) if dialect == Dialect::Postgres => {
            S::Custom(quote_ident(dialect, name).into())
        }
        T::Enum(_) => {
            return Err(RenderError::UnsupportedType {
                dialect,
                ty: ty.to_string(),
            });
        }
        T::Array(inner) if dialect == Dialect::Postgres => {
            S::Array(sea_query::RcOrArc::new(sq_type(inner, dialect)?))
        }
        T::Array(_) => {
            return Err(RenderError::UnsupportedType {
                dialect,
                ty: ty.to_string(),
            });
        }
        T::Custom(s) => S::Custom(s.clone().into()),
    })
}

/// The type as the dialect spells it (`decimal(10, 2)`, `"fee_status"`).
fn type_sql(ty: &ColumnType, dialect: Dialect) -> Result<String, RenderError> {
    let sq = sq_type(ty, dialect)?;
    let mut s = String::new();
    match dialect {
        Dialect::Postgres => PostgresQueryBuilder.prepare_column_type(&sq, &mut s),
        Dialect::MySql => MysqlQueryBuilder.prepare_column_type(&sq, &mut s),
        Dialect::Sqlite => {
            return Err(RenderError::UnsupportedDialect { dialect });
        }
    }
    Ok(s)
}

fn default_expr(d: &DefaultValue, dialect: Dialect) -> Expr {
    match d {
        DefaultValue::String(s) => Expr::cust(literal(dialect, s)),
        DefaultValue::Null => Expr::cust("NULL"),
        DefaultValue::Bool(b) => Expr::cust(if *b { "TRUE" } else { "FALSE" }),
        DefaultValue::Number(n) => Expr::cust(n.clone()),
        DefaultValue::CurrentTimestamp => Expr::cust("CURRENT_TIMESTAMP"),
        DefaultValue::CurrentDate => Expr::cust("CURRENT_DATE"),
        DefaultValue::CurrentTime => Expr::cust("CURRENT_TIME"),
        DefaultValue::Expr(e) => Expr::cust(e.clone()),
    }
}

/// A default as SQL text, for `ALTER COLUMN … SET DEFAULT`.
fn default_sql(d: &DefaultValue) -> String {
    match d {
        DefaultValue::String(s) => literal(Dialect::Postgres, s),
        other => other.to_string(),
    }
}

fn column_def(c: &Column, single_pk: bool, dialect: Dialect) -> Result<ColumnDef, RenderError> {
    let mut def = ColumnDef::new_with_type(c.name.clone(), sq_type(&c.ty, dialect)?);
    if !c.nullable {
        def.not_null();
    }
    if let Some(d) = &c.default {
        def.default(default_expr(d, dialect));
    }
    if c.auto_increment {
        def.auto_increment();
    }
    if dialect == Dialect::MySql
        && let Some(comment) = &c.comment
    {
        def.comment(comment.clone());
    }
    if let Some(on_update) = &c.on_update {
        if dialect != Dialect::MySql {
            return Err(RenderError::Unsupported {
                dialect,
                what: format!(
                    "update column {} ON UPDATE {on_update} (a MySQL feature; use a trigger or set it in code)",
                    c.name
                ),
            });
        }
        def.extra(format!("ON UPDATE {on_update}"));
    }
    if single_pk {
        def.primary_key();
    }
    Ok(def)
}

fn fk_action(a: FkAction) -> ForeignKeyAction {
    match a {
        FkAction::NoAction => ForeignKeyAction::NoAction,
        FkAction::Restrict => ForeignKeyAction::Restrict,
        FkAction::Cascade => ForeignKeyAction::Cascade,
        FkAction::SetNull => ForeignKeyAction::SetNull,
        FkAction::SetDefault => ForeignKeyAction::SetDefault,
    }
}

fn fk_name(table: &str, fk: &ForeignKey) -> String {
    fk.name
        .clone()
        .unwrap_or_else(|| format!("fk-{table}-{}", fk.columns.join("-")))
}

fn foreign_key(table: &str, fk: &ForeignKey) -> sea_query::ForeignKeyCreateStatement {
    let mut f = SqForeignKey::create();
    f.name(fk_name(table, fk))
        .from_tbl(table.to_string())
        .to_tbl(fk.ref_table.clone())
        .on_delete(fk_action(fk.on_delete))
        .on_update(fk_action(fk.on_update));
    for c in &fk.columns {
        f.from_col(c.clone());
    }
    for c in &fk.ref_columns {
        f.to_col(c.clone());
    }
    f
}

macro_rules! build {
    ($stmt:expr, $dialect:expr) => {
        match $dialect {
            Dialect::Postgres => $stmt.to_string(PostgresQueryBuilder),
            Dialect::MySql => $stmt.to_string(MysqlQueryBuilder),
            Dialect::Sqlite => $stmt.to_string(SqliteQueryBuilder),
        }
    };
}

fn create_table(t: &Table, dialect: Dialect) -> Result<Vec<String>, RenderError> {
    let mut stmt = SqTable::create();
    stmt.table(t.name.clone());
    let single_pk = t.primary_key.len() == 1;
    for c in &t.columns {
        let is_pk = single_pk && t.primary_key[0] == c.name;
        let mut def = column_def(c, is_pk, dialect)?;
        // A one-column, unnamed UNIQUE is written on the column, as SeaORM does.
        if t.uniques
            .iter()
            .any(|u| u.name.is_none() && u.columns == [c.name.clone()])
        {
            def.unique_key();
        }
        stmt.col(def);
    }
    if t.primary_key.len() > 1 {
        let mut pk = SqIndex::create();
        pk.name(format!("pk-{}", t.name)).primary();
        for c in &t.primary_key {
            pk.col(c.clone());
        }
        stmt.primary_key(&mut pk);
    }
    for u in &t.uniques {
        if u.name.is_none() && u.columns.len() == 1 {
            continue;
        }
        let mut idx = SqIndex::create();
        idx.name(
            u.name
                .clone()
                .unwrap_or_else(|| format!("{}_{}_key", t.name, u.columns.join("_"))),
        )
        .unique();
        for c in &u.columns {
            idx.col(c.clone());
        }
        stmt.index(&mut idx);
    }
    for fk in &t.foreign_keys {
        stmt.foreign_key(&mut foreign_key(&t.name, fk));
    }
    if dialect == Dialect::MySql
        && let Some(c) = &t.comment
    {
        stmt.comment(c.clone());
    }
    let mut out = vec![one_item_per_line(&build!(stmt, dialect))];
    if dialect == Dialect::Postgres {
        out.extend(comment_statements(t));
    }
    Ok(out)
}

/// `CREATE TABLE "t" ( a, b )` -> one column or constraint per line, for reviewers.
/// Splits only at top-level commas (outside parentheses and quotes); anything it does not
/// recognize is returned unchanged.
pub fn one_item_per_line(sql: &str) -> String {
    let Some(open) = sql.find(" ( ") else {
        return sql.to_string();
    };
    let body_start = open + 3;
    let mut items = Vec::new();
    let (mut depth, mut quote, mut start) = (0i32, None::<char>, body_start);
    let mut close = None;
    for (i, c) in sql[body_start..].char_indices() {
        let i = body_start + i;
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"' | '`') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') if depth == 0 => {
                close = Some(i);
                break;
            }
            (None, ')') => depth -= 1,
            (None, ',') if depth == 0 => {
                items.push(sql[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    let Some(close) = close else {
        return sql.to_string();
    };
    items.push(sql[start..close].trim());
    // What follows the column list: table options such as MySQL's `COMMENT '…'`.
    let rest = &sql[close + 1..];
    format!("{} (\n    {}\n){rest}", &sql[..open], items.join(",\n    "))
}

fn comment_statements(t: &Table) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(c) = &t.comment {
        out.push(table_comment(&t.name, Some(c)));
    }
    for col in &t.columns {
        if let Some(c) = &col.comment {
            out.push(column_comment(&t.name, &col.name, Some(c)));
        }
    }
    out
}

fn table_comment(table: &str, comment: Option<&String>) -> String {
    format!(
        "COMMENT ON TABLE {} IS {}",
        quote_ident(Dialect::Postgres, table),
        comment.map_or("NULL".to_string(), |c| quote_literal(c))
    )
}

fn column_comment(table: &str, column: &str, comment: Option<&String>) -> String {
    format!(
        "COMMENT ON COLUMN {}.{} IS {}",
        quote_ident(Dialect::Postgres, table),
        quote_ident(Dialect::Postgres, column),
        comment.map_or("NULL".to_string(), |c| quote_literal(c))
    )
}

fn create_index(table: &str, index: &Index, dialect: Dialect) -> Result<String, RenderError> {
    if index.predicate.is_some() && dialect == Dialect::MySql {
        return Err(RenderError::Unsupported {
            dialect,
            what: format!("create the partial index {} (MySQL has none)", index.name),
        });
    }
    let mut stmt = SqIndex::create();
    stmt.name(index.name.clone()).table(table.to_string());
    for c in &index.columns {
        stmt.col(c.clone());
    }
    if index.unique {
        stmt.unique();
    }
    let mut sql = build!(stmt, dialect);
    if let Some(p) = &index.predicate {
        sql.push_str(" WHERE ");
        sql.push_str(p);
    }
    Ok(sql)
}

fn drop_index(table: &str, index_name: &str, dialect: Dialect) -> String {
    let mut stmt = SqIndex::drop();
    stmt.name(index_name.to_string());
    if dialect != Dialect::Postgres && dialect != Dialect::Sqlite {
        stmt.table(table.to_string());
    }
    build!(stmt, dialect)
}

fn alter_table(dialect: Dialect, table: &str, rest: &str) -> String {
    format!("ALTER TABLE {} {rest}", quote_ident(dialect, table))
}

fn recreate_enum(
    dialect: Dialect,
    name: &str,
    to: &[String],
    columns: &[EnumColumn],
) -> Vec<String> {
    let q = |s: &str| quote_ident(dialect, s);
    let old = format!("{name}_old");
    let mut out = vec![format!("ALTER TYPE {} RENAME TO {}", q(name), q(&old))];
    out.push(
        PgType::create()
            .as_enum(name.to_string())
            .values(to.iter().cloned())
            .to_string(PostgresQueryBuilder),
    );
    for c in columns {
        let target = if c.array {
            format!("{}[]", q(name))
        } else {
            q(name)
        };
        let via = if c.array { "text[]" } else { "text" };
        if c.default.is_some() {
            out.push(alter_table(
                dialect,
                &c.table,
                &format!("ALTER COLUMN {} DROP DEFAULT", q(&c.column)),
            ));
        }
        out.push(alter_table(
            dialect,
            &c.table,
            &format!(
                "ALTER COLUMN {col} TYPE {target} USING {col}::{via}::{target}",
                col = q(&c.column)
            ),
        ));
        if let Some(d) = &c.default {
            out.push(alter_table(
                dialect,
                &c.table,
                &format!(
                    "ALTER COLUMN {} SET DEFAULT {}",
                    q(&c.column),
                    default_sql(d)
                ),
            ));
        }
    }
    out.push(format!("DROP TYPE {}", q(&old)));
    out
}

fn alter_column(
    dialect: Dialect,
    table: &str,
    from: &Column,
    to: &Column,
) -> Result<Vec<String>, RenderError> {
    let q = |s: &str| quote_ident(dialect, s);
    let col = q(&to.name);
    let mut out = Vec::new();
    if from.ty != to.ty || from.auto_increment != to.auto_increment {
        if from.auto_increment != to.auto_increment {
            return Err(RenderError::Unsupported {
                dialect,
                what: format!("change auto increment of {table}.{}", to.name),
            });
        }
        let ty = type_sql(&to.ty, dialect)?;
        if from.default.is_some() {
            out.push(alter_table(
                dialect,
                table,
                &format!("ALTER COLUMN {col} DROP DEFAULT"),
            ));
        }
        out.push(alter_table(
            dialect,
            table,
            &format!("ALTER COLUMN {col} TYPE {ty} USING {col}::{ty}"),
        ));
        if let Some(d) = &to.default {
            out.push(alter_table(
                dialect,
                table,
                &format!("ALTER COLUMN {col} SET DEFAULT {}", default_sql(d)),
            ));
        }
    } else if from.default != to.default {
        out.push(alter_table(
            dialect,
            table,
            &match &to.default {
                Some(d) => format!("ALTER COLUMN {col} SET DEFAULT {}", default_sql(d)),
                None => format!("ALTER COLUMN {col} DROP DEFAULT"),
            },
        ));
    }
    if from.nullable != to.nullable {
        out.push(alter_table(
            dialect,
            table,
            &format!(
                "ALTER COLUMN {col} {} NOT NULL",
                if to.nullable { "DROP" } else { "SET" }
            ),
        ));
    }
    if from.comment != to.comment {
        out.push(column_comment(table, &to.name, to.comment.as_ref()));
    }
    Ok(out)
}

/// SQLite's table rebuild (its documented twelve steps, less what the file wrapper does):
/// the new table under a temporary name, rows copied for the columns both versions have, the
/// old table dropped, the new one renamed, its indexes created.
fn rebuild_table(from: &Table, to: &Table, dialect: Dialect) -> Result<Vec<String>, RenderError> {
    if dialect != Dialect::Sqlite {
        return Err(RenderError::Unsupported {
            dialect,
            what: format!("rebuild table {}", to.name),
        });
    }
    let q = |s: &str| quote_ident(dialect, s);
    let temp = format!("_autogen_new_{}", to.name);
    let mut new_table = to.clone();
    new_table.name = temp.clone();
    new_table.indexes.clear();
    let mut out = create_table(&new_table, dialect)?;
    let common: Vec<String> = to
        .columns
        .iter()
        .filter(|c| from.column(&c.name).is_some())
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
    out.push(format!(
        "ALTER TABLE {} RENAME TO {}",
        q(&temp),
        q(&to.name)
    ));
    for index in &to.indexes {
        out.push(create_index(&to.name, index, dialect)?);
    }
    Ok(out)
}

/// Statements a whole SQLite file needs around table rebuilds: foreign-key enforcement off
/// (it cannot change inside a transaction, and dropping a parent table with it on would cascade
/// into its children's rows), one transaction, and a check before committing that no row
/// points nowhere (a failed CHECK aborts the migration). `None` when the plan rebuilds nothing.
pub fn rebuild_wrapper(plan: &Plan) -> Option<(Vec<String>, Vec<String>)> {
    let rebuilds = plan
        .ops
        .iter()
        .any(|op| matches!(op, Op::RebuildTable { .. }));
    if !rebuilds || plan.dialect != Dialect::Sqlite {
        return None;
    }
    let check = quote_ident(Dialect::Sqlite, "_autogen_fk_check");
    Some((
        vec!["PRAGMA foreign_keys = OFF".into(), "BEGIN".into()],
        vec![
            format!(
                "CREATE TEMP TABLE {check} (violations INTEGER NOT NULL CHECK (violations = 0))"
            ),
            format!("INSERT INTO {check} SELECT count(*) FROM pragma_foreign_key_check"),
            format!("DROP TABLE {check}"),
            "COMMIT".into(),
            "PRAGMA foreign_keys = ON".into(),
        ],
    ))
}

/// The statements for one op.
pub fn op_statements(op: &Op, dialect: Dialect) -> Result<Vec<String>, RenderError> {
    let q = |s: &str| quote_ident(dialect, s);
    let pg_only = |what: &str| -> Result<(), RenderError> {
        if dialect == Dialect::Postgres {
            Ok(())
        } else {
            Err(RenderError::Unsupported {
                dialect,
                what: what.to_string(),
            })
        }
    };
    Ok(match op {
        Op::CreateEnum(e) => {
            pg_only("create an enum type")?;
            vec![
                PgType::create()
                    .as_enum(e.name.clone())
                    .values(e.values.iter().cloned())
                    .to_string(PostgresQueryBuilder),
            ]
        }
        Op::DropEnum(e) => {
            pg_only("drop an enum type")?;
            vec![
                PgType::drop()
                    .name(e.name.clone())
                    .to_string(PostgresQueryBuilder),
            ]
        }
        Op::AddEnumValue {
            name,
            value,
            position,
            ..
        } => {
            pg_only("add an enum value")?;
            let mut stmt = PgType::alter().name(name.clone()).add_value(value.clone());
            stmt = match position {
                EnumPosition::Before(v) => stmt.before(v.clone()),
                EnumPosition::After(v) => stmt.after(v.clone()),
                EnumPosition::Last => stmt,
            };
            vec![stmt.to_string(PostgresQueryBuilder)]
        }
        Op::RecreateEnum {
            name, to, columns, ..
        } => {
            pg_only("recreate an enum type")?;
            recreate_enum(dialect, name, to, columns)
        }
        Op::CreateTable(t) => create_table(t, dialect)?,
        Op::DropTable(t) => vec![build!(SqTable::drop().table(t.name.clone()), dialect)],
        Op::RenameTable { from, to } => {
            vec![build!(
                SqTable::rename().table(from.clone(), to.clone()),
                dialect
            )]
        }
        Op::AddColumn { table, column } => {
            let mut stmt = SqTable::alter();
            stmt.table(table.clone())
                .add_column(column_def(column, false, dialect)?);
            let mut out = vec![build!(stmt, dialect)];
            if dialect == Dialect::Postgres && column.comment.is_some() {
                out.push(column_comment(table, &column.name, column.comment.as_ref()));
            }
            out
        }
        Op::DropColumn { table, column } => {
            let mut stmt = SqTable::alter();
            stmt.table(table.clone()).drop_column(column.name.clone());
            vec![build!(stmt, dialect)]
        }
        Op::RenameColumn { table, from, to } => {
            let mut stmt = SqTable::alter();
            stmt.table(table.clone())
                .rename_column(from.clone(), to.clone());
            vec![build!(stmt, dialect)]
        }
        Op::AlterColumn { table, to, .. } if dialect == Dialect::MySql => {
            // MySQL restates the whole column: type, nullability, default, comment.
            let mut stmt = SqTable::alter();
            stmt.table(table.clone())
                .modify_column(column_def(to, false, dialect)?);
            vec![build!(stmt, dialect)]
        }
        Op::AlterColumn { table, from, to } => {
            pg_only("alter a column")?;
            alter_column(dialect, table, from, to)?
        }
        Op::CreateIndex { table, index } => vec![create_index(table, index, dialect)?],
        Op::DropIndex { table, index } => vec![drop_index(table, &index.name, dialect)],
        Op::AddUnique { table, unique } => {
            if dialect == Dialect::Sqlite {
                pg_only("add a UNIQUE constraint to an existing table")?;
            }
            let name = unique
                .name
                .clone()
                .unwrap_or_else(|| format!("{table}_{}_key", unique.columns.join("_")));
            let cols: Vec<_> = unique.columns.iter().map(|c| q(c)).collect();
            vec![alter_table(
                dialect,
                table,
                &format!("ADD CONSTRAINT {} UNIQUE ({})", q(&name), cols.join(", ")),
            )]
        }
        Op::DropUnique { table, unique } => {
            if dialect == Dialect::Sqlite {
                pg_only("drop a UNIQUE constraint")?;
            }
            let name = unique
                .name
                .clone()
                .unwrap_or_else(|| format!("{table}_{}_key", unique.columns.join("_")));
            // A MySQL UNIQUE constraint is a unique index.
            let what = if dialect == Dialect::MySql {
                "INDEX"
            } else {
                "CONSTRAINT"
            };
            vec![alter_table(
                dialect,
                table,
                &format!("DROP {what} {}", q(&name)),
            )]
        }
        Op::AddForeignKey { table, fk } if dialect == Dialect::MySql => {
            // MySQL backs every foreign key with an index, reusing any that fits; giving it one
            // of the key's own name makes the drop below always find it.
            let name = fk_name(table, fk);
            let cols: Vec<_> = fk.columns.iter().map(|c| q(c)).collect();
            vec![
                format!(
                    "CREATE INDEX {} ON {} ({})",
                    q(&name),
                    q(table),
                    cols.join(", ")
                ),
                build!(foreign_key(table, fk), dialect),
            ]
        }
        Op::AddForeignKey { table, fk } => {
            pg_only("add a foreign key to an existing table")?;
            vec![foreign_key(table, fk).to_string(PostgresQueryBuilder)]
        }
        Op::DropForeignKey { table, fk } if dialect == Dialect::MySql => {
            let name = q(&fk_name(table, fk));
            vec![
                alter_table(dialect, table, &format!("DROP FOREIGN KEY {name}")),
                alter_table(dialect, table, &format!("DROP INDEX {name}")),
            ]
        }
        Op::DropForeignKey { table, fk } => {
            pg_only("drop a foreign key")?;
            vec![
                SqForeignKey::drop()
                    .name(fk_name(table, fk))
                    .table(table.clone())
                    .to_string(PostgresQueryBuilder),
            ]
        }
        Op::RebuildTable { from, to } => rebuild_table(from, to, dialect)?,
        Op::SetTableComment { table, to, .. } => match dialect {
            Dialect::Postgres => vec![table_comment(table, to.as_ref())],
            Dialect::MySql => vec![alter_table(
                dialect,
                table,
                &format!(
                    "COMMENT = {}",
                    literal(dialect, to.as_deref().unwrap_or(""))
                ),
            )],
            Dialect::Sqlite => Vec::new(),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_table_is_split_at_top_level_commas_only() {
        let sql =
            r#"CREATE TABLE "t" ( "a" real(10, 2) NOT NULL DEFAULT ('x, y'), "b,c" integer )"#;
        assert_eq!(
            one_item_per_line(sql),
            "CREATE TABLE \"t\" (\n    \"a\" real(10, 2) NOT NULL DEFAULT ('x, y'),\n    \"b,c\" integer\n)"
        );
        assert_eq!(one_item_per_line("DROP TABLE \"t\""), "DROP TABLE \"t\"");
    }

    #[test]
    fn identifiers_are_quoted_with_embedded_quotes_doubled() {
        assert_eq!(quote_ident(Dialect::Postgres, "a\"b"), "\"a\"\"b\"");
        assert_eq!(quote_ident(Dialect::Sqlite, "order"), "\"order\"");
        assert_eq!(quote_ident(Dialect::MySql, "a`b"), "`a``b`");
        assert_eq!(quote_literal("it's"), "'it''s'");
    }
}
