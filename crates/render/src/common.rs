//! What the dialects' renderers share: sea-query statements for the operations sea-query can
//! express, built once here and turned into SQL by each dialect file with its own backend, and
//! the few pieces every dialect writes the same way. Names and literals come from the dialect's
//! [`SqlDialect`](autogen_schema::SqlDialect), never from here.

use crate::error::RenderError;
use crate::renderer::DialectRenderer;
use autogen_schema::lexical::{foreign_key_name, primary_key_name, split_qualified, unique_name};
use autogen_schema::{
    Column, ColumnType, DefaultValue, Dialect, FkAction, ForeignKey, Index, SqlDialect, Table,
    Unique,
};
use sea_query::ColumnType as SqColumnType;
use sea_query::{
    Alias, ColumnDef, Expr, ForeignKey as SqForeignKey, ForeignKeyAction,
    ForeignKeyCreateStatement, Index as SqIndex, IndexCreateStatement, IntoIden, Keyword,
    SchemaBuilder, StringLen, Table as SqTable, TableBuilder, TableCreateStatement, TableName,
};

pub(crate) fn unsupported(dialect: Dialect, what: impl Into<String>) -> RenderError {
    RenderError::Unsupported {
        dialect,
        what: what.into(),
    }
}

/// The IR type as sea-query's.
pub(crate) fn sq_type(
    ty: &ColumnType,
    sql: &dyn SqlDialect,
) -> Result<sea_query::ColumnType, RenderError> {
    use ColumnType as T;
    use sea_query::ColumnType as S;
    if !sql.holds(ty) {
        return Err(RenderError::UnsupportedType {
            dialect: sql.dialect(),
            ty: ty.to_string(),
        });
    }
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
        // A named enum type, quoted like any identifier. (MySQL's enums are column types, which
        // normalization spells out as `Custom("enum(…)")`.)
        T::Enum(name) => S::Custom(sql.quote_ident(name).into()),
        T::Array(inner) => S::Array(sea_query::RcOrArc::new(sq_type(inner, sql)?)),
        T::Custom(s) => S::Custom(s.clone().into()),
    })
}

/// The type as `builder`'s dialect spells it (`decimal(10, 2)`, `"fee_status"`).
pub(crate) fn type_sql(
    builder: &impl TableBuilder,
    ty: &ColumnType,
    sql: &dyn SqlDialect,
) -> Result<String, RenderError> {
    let sq = sq_type(ty, sql)?;
    let mut s = String::new();
    builder.prepare_column_type(&sq, &mut s);
    Ok(s)
}

/// A default as sea-query writes it after `DEFAULT`: a literal as it is (`DEFAULT 'eu'`,
/// `DEFAULT TRUE`), an expression between parentheses (sea-query's own rule for what is not a
/// value). squawk and other readers take a parenthesised default for a possibly volatile
/// expression; a constant needs no table rewrite, so it is written as one.
pub(crate) fn default_expr(d: &DefaultValue, sql: &dyn SqlDialect) -> Expr {
    let literal = |text: String| Expr::Keyword(Keyword::Custom(Alias::new(text).into_iden()));
    match d {
        DefaultValue::String(s) => literal(sql.string_literal(s)),
        DefaultValue::Null => Expr::Keyword(Keyword::Null),
        DefaultValue::Bool(b) => literal(if *b { "TRUE" } else { "FALSE" }.into()),
        DefaultValue::Number(n) => literal(sql.number_default(n)),
        // A keyword every dialect takes bare; PostgreSQL reads it as stable, not volatile.
        DefaultValue::CurrentTimestamp => Expr::Keyword(Keyword::CurrentTimestamp),
        DefaultValue::CurrentDate => Expr::cust("CURRENT_DATE"),
        DefaultValue::CurrentTime => Expr::cust("CURRENT_TIME"),
        DefaultValue::Expr(e) => Expr::cust(e.clone()),
    }
}

/// A collation's name as SQL: quoted where the dialect folds unquoted names (PostgreSQL's
/// `"C"`, `"en_US"`), bare where it is a plain word (MySQL's `utf8mb4_bin`, SQLite's `NOCASE`).
pub(crate) fn collation_name(sql: &dyn SqlDialect, name: &str) -> String {
    let plain = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain && !sql.folds_unquoted_names() {
        name.to_string()
    } else {
        sql.quote_ident(name)
    }
}

pub(crate) fn column_def(
    c: &Column,
    single_pk: bool,
    r: &dyn DialectRenderer,
) -> Result<ColumnDef, RenderError> {
    let sql = r.sql();
    // `COLLATE` follows the type directly (PostgreSQL requires it there), and the generation
    // comes before any other clause (MySQL requires it there).
    let mut clauses = String::new();
    if let Some(collation) = &c.collation {
        clauses.push_str(&format!(" COLLATE {}", collation_name(sql, collation)));
    }
    if let Some(g) = &c.generated {
        let storage = if g.stored { "STORED" } else { "VIRTUAL" };
        clauses.push_str(&format!(
            " GENERATED ALWAYS AS ({}) {storage}",
            g.expression
        ));
    }
    let ty = if clauses.is_empty() {
        sq_type(&c.ty, sql)?
    } else {
        SqColumnType::custom(format!("{}{clauses}", r.type_text(&c.ty)?))
    };
    let mut def = ColumnDef::new_with_type(c.name.clone(), ty);
    if !c.nullable && (c.generated.is_none() || sql.generated_not_null()) {
        def.not_null();
    }
    match (&c.default_sql, &c.default) {
        // A generated column has no default.
        _ if c.generated.is_some() => {}
        (Some(raw), Some(_)) => {
            def.default(Expr::cust(raw.clone()));
        }
        (None, Some(d)) => {
            def.default(default_expr(d, sql));
        }
        _ => {}
    }
    // A column that draws from a sequence of its own (`nextval(…)` default) is not `serial`.
    if c.auto_increment && c.default.is_none() {
        def.auto_increment();
    }
    if r.inline_comments()
        && let Some(comment) = &c.comment
    {
        def.comment(comment.clone());
    }
    if let Some(on_update) = &c.on_update {
        if !sql.on_update_clause() {
            return Err(unsupported(
                sql.dialect(),
                format!(
                    "update column {} ON UPDATE {on_update} (a MySQL feature; use a trigger or set it in code)",
                    c.name
                ),
            ));
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

/// A foreign key's name: its own, or SeaORM's `fk-<table>-<columns>`.
pub(crate) fn fk_name(sql: &dyn SqlDialect, table: &str, fk: &ForeignKey) -> String {
    fk.name
        .clone()
        .unwrap_or_else(|| sql.derived_name(&foreign_key_name(table, &fk.columns)))
}

/// A UNIQUE constraint's name: its own, or `<table>_<columns>_key`.
pub(crate) fn unique_constraint_name(sql: &dyn SqlDialect, table: &str, unique: &Unique) -> String {
    unique
        .name
        .clone()
        .unwrap_or_else(|| sql.derived_name(&unique_name(table, &unique.columns)))
}

/// A name for sea-query's index, key and constraint builders, which write it between the
/// dialect's quotes as it is: escaped here the way the dialect quotes (its quote doubled), so a
/// name holding a quote stays one name.
pub(crate) fn builder_name(sql: &dyn SqlDialect, name: &str) -> String {
    let quoted = sql.quote_ident(name);
    let mut inner = quoted.chars();
    inner.next();
    inner.next_back();
    inner.as_str().to_string()
}

/// A table key as sea-query's table name: schema-qualified where the key holds a schema.
pub(crate) fn table_ref(key: &str) -> TableName {
    match split_qualified(key) {
        (Some(schema), table) => TableName::from((schema.to_string(), table.to_string())),
        (None, table) => TableName::from(table.to_string()),
    }
}

pub(crate) fn foreign_key(
    sql: &dyn SqlDialect,
    table: &str,
    fk: &ForeignKey,
) -> ForeignKeyCreateStatement {
    let mut f = SqForeignKey::create();
    f.name(builder_name(sql, &fk_name(sql, table, fk)))
        .from_tbl(table_ref(table))
        .to_tbl(table_ref(&fk.ref_table))
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

/// `CREATE TABLE`: columns (a one-column key on its column, as SeaORM writes it), a composite
/// key, UNIQUEs, foreign keys and, where the dialect writes them inline, the table comment.
pub(crate) fn create_table(
    t: &Table,
    r: &dyn DialectRenderer,
) -> Result<TableCreateStatement, RenderError> {
    let mut stmt = SqTable::create();
    stmt.table(table_ref(&t.name));
    // A one-column key is written on its column, unless it has a name of its own.
    let single_pk = t.primary_key.len() == 1 && t.primary_key_name.is_none();
    for c in &t.columns {
        let is_pk = single_pk && t.primary_key[0] == c.name;
        let mut def = column_def(c, is_pk, r)?;
        // A one-column, unnamed UNIQUE is written on the column, as SeaORM does.
        if t.uniques
            .iter()
            .any(|u| u.name.is_none() && u.columns == [c.name.clone()])
        {
            def.unique_key();
        }
        stmt.col(def);
    }
    if !t.primary_key.is_empty() && !single_pk {
        let mut pk = SqIndex::create();
        let name = (t.primary_key_name.clone()).unwrap_or_else(|| primary_key_name(&t.name));
        pk.name(builder_name(r.sql(), &name)).primary();
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
        idx.name(builder_name(
            r.sql(),
            &unique_constraint_name(r.sql(), &t.name, u),
        ))
        .unique();
        for c in &u.columns {
            idx.col(c.clone());
        }
        stmt.index(&mut idx);
    }
    // sea-query cannot write `DEFERRABLE`: such a key follows the table as its own statement.
    for fk in t.foreign_keys.iter().filter(|fk| fk.deferrable.is_none()) {
        stmt.foreign_key(&mut foreign_key(r.sql(), &t.name, fk));
    }
    if r.inline_comments()
        && let Some(c) = &t.comment
    {
        stmt.comment(c.clone());
    }
    Ok(stmt)
}

// ---- statements every backend writes alike, each dialect with its own builder ---------------

/// `CREATE TABLE`, one column or constraint per line.
pub(crate) fn create_table_sql(
    builder: impl SchemaBuilder,
    t: &Table,
    r: &dyn DialectRenderer,
) -> Result<String, RenderError> {
    let mut extra: Vec<String> = Vec::new();
    // Where a key cannot be added after the table (SQLite), a `DEFERRABLE` one sea-query cannot
    // write is a line of the table's own.
    if !r.sql().capabilities().alter_foreign_keys {
        let deferrable = t.foreign_keys.iter().filter(|fk| fk.deferrable.is_some());
        extra.extend(deferrable.map(|fk| deferrable_key_clause(r.sql(), fk)));
    }
    extra.extend(t.checks.iter().map(|c| check_clause(r.sql(), c)));
    Ok(items_per_line(
        &create_table(t, r)?.to_string(builder),
        &extra,
    ))
}

/// `FOREIGN KEY (…) REFERENCES t (…) ON DELETE … ON UPDATE … DEFERRABLE …`, a table's item.
fn deferrable_key_clause(sql: &dyn SqlDialect, fk: &autogen_schema::ForeignKey) -> String {
    let list = |cols: &[String]| {
        let quoted: Vec<String> = cols.iter().map(|c| sql.quote_ident(c)).collect();
        quoted.join(", ")
    };
    format!(
        "FOREIGN KEY ({}) REFERENCES {} ({}) ON DELETE {} ON UPDATE {} {}",
        list(&fk.columns),
        sql.quote_ident(&fk.ref_table),
        list(&fk.ref_columns),
        fk.on_delete.sql(),
        fk.on_update.sql(),
        fk.deferrable.map(|d| d.sql()).unwrap_or_default()
    )
}

/// The name a CHECK is dropped or validated by (the database side always has one where the
/// dialect alters CHECKs; a model one gets a derived name before it is planned).
pub(crate) fn check_name(dialect: Dialect, c: &autogen_schema::Check) -> Result<&str, RenderError> {
    c.name.as_deref().ok_or_else(|| {
        unsupported(
            dialect,
            format!("alter the unnamed CHECK {} in place", c.definition),
        )
    })
}

/// `ALTER TABLE … ADD CONSTRAINT … CHECK (…)`.
pub(crate) fn add_check(sql: &dyn SqlDialect, table: &str, c: &autogen_schema::Check) -> String {
    alter_table(sql, table, &format!("ADD {}", check_clause(sql, c)))
}

/// A CHECK as a table constraint: `CONSTRAINT "name" CHECK (…)`, or the bare definition.
/// A name autogen derived is written only where the dialect alters CHECKs by name: SQLite
/// keeps an unnamed CHECK unnamed.
pub(crate) fn check_clause(sql: &dyn SqlDialect, c: &autogen_schema::Check) -> String {
    match &c.name {
        Some(name) if !c.derived || sql.capabilities().alter_checks => {
            format!("CONSTRAINT {} {}", sql.quote_ident(name), c.definition)
        }
        _ => c.definition.clone(),
    }
}

pub(crate) fn drop_table_sql(builder: impl SchemaBuilder, table: &str) -> String {
    SqTable::drop().table(table_ref(table)).to_string(builder)
}

/// `ALTER TABLE from RENAME TO to`: the new name is bare (a table stays in its schema).
pub(crate) fn rename_table_sql(builder: impl SchemaBuilder, from: &str, to: &str) -> String {
    SqTable::rename()
        .table(table_ref(from), split_qualified(to).1.to_string())
        .to_string(builder)
}

pub(crate) fn add_column_sql(
    builder: impl SchemaBuilder,
    table: &str,
    column: &Column,
    r: &dyn DialectRenderer,
) -> Result<String, RenderError> {
    let mut stmt = SqTable::alter();
    stmt.table(table_ref(table))
        .add_column(column_def(column, false, r)?);
    Ok(stmt.to_string(builder))
}

pub(crate) fn drop_column_sql(builder: impl SchemaBuilder, table: &str, column: &str) -> String {
    let mut stmt = SqTable::alter();
    stmt.table(table_ref(table)).drop_column(column.to_string());
    stmt.to_string(builder)
}

pub(crate) fn rename_column_sql(
    builder: impl SchemaBuilder,
    table: &str,
    from: &str,
    to: &str,
) -> String {
    let mut stmt = SqTable::alter();
    stmt.table(table_ref(table))
        .rename_column(from.to_string(), to.to_string());
    stmt.to_string(builder)
}

/// `CREATE [UNIQUE] INDEX … [USING method] … [WHERE predicate]`. The method is written as
/// SQL, so only a plain word is accepted (the catalog's and the model's both are).
pub(crate) fn create_index_sql(
    builder: impl SchemaBuilder,
    table: &str,
    index: &Index,
    r: &dyn DialectRenderer,
) -> Result<String, RenderError> {
    let mut stmt = create_index(r.sql(), table, index);
    let mut keyword = None;
    if let Some(method) = &index.using {
        if method.is_empty()
            || !method
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            return Err(unsupported(
                r.sql().dialect(),
                format!("create index {} using `{method}`", index.name),
            ));
        }
        keyword = r.index_method(&mut stmt, method)?;
    }
    let mut text = stmt.to_string(builder);
    if let Some(kind) = keyword {
        text = text.replacen("CREATE INDEX", &format!("CREATE {kind} INDEX"), 1);
    }
    Ok(with_predicate(text, index))
}

/// `DROP INDEX name`, and `ON table` where the dialect wants it.
pub(crate) fn drop_index_sql(
    builder: impl SchemaBuilder,
    sql: &dyn SqlDialect,
    index: &str,
    on: Option<&str>,
) -> String {
    let mut stmt = SqIndex::drop();
    stmt.name(builder_name(sql, index));
    if let Some(table) = on {
        stmt.table(table_ref(table));
    }
    stmt.to_string(builder)
}

/// `ALTER TABLE t ADD CONSTRAINT name UNIQUE (a, b)`.
pub(crate) fn add_unique_sql(sql: &dyn SqlDialect, table: &str, unique: &Unique) -> String {
    let cols: Vec<_> = unique.columns.iter().map(|c| sql.quote_ident(c)).collect();
    alter_table(
        sql,
        table,
        &format!(
            "ADD CONSTRAINT {} UNIQUE ({})",
            sql.quote_ident(&unique_constraint_name(sql, table, unique)),
            cols.join(", ")
        ),
    )
}

/// `CREATE [UNIQUE] INDEX` without its predicate (the dialect appends `WHERE …`).
pub(crate) fn create_index(
    sql: &dyn SqlDialect,
    table: &str,
    index: &Index,
) -> IndexCreateStatement {
    let mut stmt = SqIndex::create();
    stmt.name(builder_name(sql, &index.name))
        .table(table_ref(table));
    for (i, c) in index.columns.iter().enumerate() {
        match index.length(i) {
            Some(n) => stmt.col((sea_query::Alias::new(c.clone()), n)),
            None => stmt.col(c.clone()),
        };
    }
    if index.unique {
        stmt.unique();
    }
    stmt
}

/// `CREATE INDEX … ON t (a)` plus `WHERE predicate` for a partial index.
fn with_predicate(mut sql: String, index: &Index) -> String {
    if let Some(p) = &index.predicate {
        sql.push_str(" WHERE ");
        sql.push_str(p);
    }
    sql
}

pub(crate) fn alter_table(sql: &dyn SqlDialect, table: &str, rest: &str) -> String {
    format!("ALTER TABLE {} {rest}", sql.quote_ident(table))
}

/// `CREATE TABLE "t" ( a, b )` -> one column or constraint per line, for reviewers.
/// Splits only at top-level commas (outside parentheses and quotes); anything it does not
/// recognize is returned unchanged.
pub fn one_item_per_line(sql: &str) -> String {
    items_per_line(sql, &[])
}

/// [`one_item_per_line`], with `extra` items (table constraints) after the others.
fn items_per_line(sql: &str, extra: &[String]) -> String {
    let Some(open) = sql.find(" ( ") else {
        // No column of its own (a PostgreSQL table that inherits them all): its constraints
        // alone, which sea-query, writing no column list, has no place for.
        if extra.is_empty() {
            return sql.to_string();
        }
        return format!("{sql} (\n    {}\n)", extra.join(",\n    "));
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
    items.extend(extra.iter().map(String::as_str));
    // What follows the column list: table options such as MySQL's `COMMENT '…'`.
    let rest = &sql[close + 1..];
    format!("{} (\n    {}\n){rest}", &sql[..open], items.join(",\n    "))
}

/// A view's, routine's or trigger's statement as it creates the object: its source, without
/// the final `;` (the file writer ends every statement).
pub(crate) fn create_object(o: &autogen_schema::SqlObject) -> String {
    o.source.trim().trim_end_matches(';').trim_end().to_string()
}

/// The statement that replaces a routine in place (`CREATE OR REPLACE`).
pub(crate) fn replace_object(o: &autogen_schema::SqlObject) -> String {
    autogen_schema::or_replace(&create_object(o))
}

/// `DROP VIEW …`, `DROP FUNCTION f(…)`, `DROP TRIGGER t [ON table]`, names quoted as the
/// dialect quotes them.
pub(crate) fn drop_object(
    sql: &dyn SqlDialect,
    o: &autogen_schema::SqlObject,
    trigger_on_table: bool,
) -> String {
    o.drop_sql(&|n| sql.quote_ident(n), trigger_on_table)
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
}
