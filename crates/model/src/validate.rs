//! A model checked against the dialect it is about to be written for, before anything renders:
//! every problem is an error at the entity's `file:line:col`, never a migration that fails late
//! or, worse, applies something else (a PostgreSQL name cut to 63 bytes that never converges).

use crate::error::{Location, ModelError};
use crate::source_map::Model;
use autogen_schema::lexical::{display_name, split_qualified};
use autogen_schema::{
    Column, ColumnType, DefaultValue, Profile, SqlDialect, Table, nextval_sequence,
};

/// Checks `model` against the server it will be written for.
pub fn validate(model: &Model, profile: Profile) -> Result<(), ModelError> {
    let sql = profile.sql();
    let at = |location: Option<&Location>, message: String| match location {
        Some(l) => ModelError::At {
            location: l.clone(),
            message,
        },
        None => ModelError::Invalid { message },
    };
    let src = &model.sources;
    for (name, e) in &model.schema.enums {
        let place = src.enum_type(name);
        if let Some(why) = name_problem(sql, name, false) {
            return Err(at(place, format!("enum type `{name}`: {why}")));
        }
        for value in &e.values {
            if let Some(why) = sql.enum_value_problem(value) {
                return Err(at(
                    place,
                    format!("value \"{value}\" of enum `{name}`: {why}"),
                ));
            }
        }
    }
    for table in model.schema.tables.values() {
        validate_table(table, sql).map_err(|(column, message)| {
            let place = match &column {
                Some(c) => src.column(&table.name, c),
                None => src.table(&table.name),
            };
            at(place, message)
        })?;
        for (name, place) in src.names(&table.name) {
            if let Some(why) = name_problem(sql, name, false) {
                return Err(at(Some(place), format!("name `{name}`: {why}")));
            }
        }
        for index in &table.indexes {
            let place = src
                .names(&table.name)
                .find(|(n, _)| *n == index.name)
                .map(|(_, l)| l)
                .or_else(|| src.table(&table.name));
            if let Some(why) = index
                .using
                .as_deref()
                .and_then(|m| sql.index_method_problem(m))
            {
                return Err(at(place, format!("index `{}`: {why}", index.name)));
            }
            if index.predicate.is_some() && !sql.partial_indexes() {
                return Err(at(
                    place,
                    format!(
                        "index `{}`: {} has no partial indexes (predicate = \"…\")",
                        index.name,
                        sql.name()
                    ),
                ));
            }
        }
    }
    if !sql.deferrable_foreign_keys() {
        for table in model.schema.tables.values() {
            if let Some(fk) = table.foreign_keys.iter().find(|fk| fk.deferrable.is_some()) {
                return Err(at(
                    src.table(&table.name),
                    format!(
                        "foreign key ({}) of table `{}`: deferrable = \"…\": {} has no DEFERRABLE \
                         foreign keys",
                        fk.columns.join(", "),
                        display_name(&table.name),
                        sql.name()
                    ),
                ));
            }
        }
    }
    if !sql.domains_and_sequences() {
        if let Some(name) = model.schema.extensions.iter().next() {
            return Err(at(
                src.domain(&format!("extension {name}")),
                format!("extension `{name}`: {} has no extensions", sql.name()),
            ));
        }
        if let Some(name) = model.schema.domains.keys().next() {
            return Err(at(
                src.domain(name),
                format!("domain `{name}`: {} has no domains", sql.name()),
            ));
        }
        for table in model.schema.tables.values() {
            for c in &table.columns {
                if c.default.as_ref().and_then(nextval_sequence).is_some() {
                    return Err(at(
                        src.column(&table.name, &c.name),
                        format!(
                            "column `{}.{}`: a nextval(…) default draws from a PostgreSQL \
                             sequence; {} has none",
                            table.name,
                            c.name,
                            sql.name()
                        ),
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Why `sql` cannot hold a name the user wrote: too long for the server (PostgreSQL would cut
/// it silently, MySQL refuses it), or characters it refuses.
fn name_problem(sql: &dyn SqlDialect, name: &str, table: bool) -> Option<String> {
    if let Some(max) = sql.max_name_bytes()
        && name.len() > max
    {
        return Some(format!(
            "{} bytes long; {} keeps names of at most {max} bytes",
            name.len(),
            sql.name()
        ));
    }
    sql.name_problem(name, table)
}

/// The first problem in `table`: the column it is about (`None`: the table) and what it is.
fn validate_table(table: &Table, sql: &dyn SqlDialect) -> Result<(), (Option<String>, String)> {
    let table_err = |m: String| (None, m);
    let (schema, bare) = split_qualified(&table.name);
    if let Some(schema) = schema {
        if !sql.schemas() {
            return Err(table_err(format!(
                "table `{bare}`: schema_name = \"{schema}\": {} has no schemas within a database; \
                 use another database URL for tables elsewhere",
                sql.name()
            )));
        }
        if let Some(why) = name_problem(sql, schema, true) {
            return Err(table_err(format!("schema `{schema}`: {why}")));
        }
    }
    if let Some(why) = name_problem(sql, bare, true) {
        return Err(table_err(format!(
            "table `{}`: {why}",
            display_name(&table.name)
        )));
    }
    if let Some(why) = table
        .comment
        .as_deref()
        .and_then(|c| sql.metadata_text_problem(c))
    {
        return Err(table_err(format!(
            "the comment of table `{}`: {why}",
            table.name
        )));
    }
    for c in &table.columns {
        let col_err = |m: String| (Some(c.name.clone()), m);
        if let Some(why) = name_problem(sql, &c.name, false) {
            return Err(col_err(format!("column `{}`: {why}", c.name)));
        }
        if let Some(why) = column_problem(c, sql) {
            return Err(col_err(format!(
                "column `{}.{}`: {why}",
                table.name, c.name
            )));
        }
    }
    // A fulltext or spatial index keys what B-tree cannot (MySQL's `text`), and so does a key
    // of a column's first characters (`lengths`).
    let whole = |i: &autogen_schema::Index| -> Vec<String> {
        let keys = i.columns.iter().enumerate();
        keys.filter(|(n, _)| i.length(*n).is_none())
            .map(|(_, c)| c.clone())
            .collect()
    };
    let keyed = table
        .indexes
        .iter()
        .filter(|i| i.using.is_none())
        .map(|i| (whole(i), "an index"))
        .chain(
            table
                .uniques
                .iter()
                .map(|u| (u.columns.clone(), "a UNIQUE")),
        )
        .chain(std::iter::once((
            table.primary_key.clone(),
            "the primary key",
        )));
    for (columns, what) in keyed {
        for name in &columns {
            if let Some(c) = table.column(name)
                && !sql.indexable(&c.ty)
            {
                return Err((
                    Some(name.clone()),
                    format!(
                        "column `{}.{name}` of type {} is in {what}, and {} cannot index that type \
                         (give it a length, e.g. column_type = \"String(StringLen::N(255))\")",
                        table.name,
                        c.ty,
                        sql.name()
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Why `sql` cannot hold the column as declared.
fn column_problem(c: &Column, sql: &dyn SqlDialect) -> Option<String> {
    let normalized = sql.normalize_type(&c.ty);
    if !holds(sql, &normalized) {
        return Some(format!("{} has no column type {}", sql.name(), c.ty));
    }
    if c.auto_increment && !sql.auto_increments(&normalized) {
        return Some(format!(
            "{} auto-increments integer columns only, not {}; if the key is set by the \
             application, say #[sea_orm(primary_key, auto_increment = false)]",
            sql.name(),
            c.ty
        ));
    }
    if c.on_update.is_some() && !sql.on_update_clause() {
        return Some(format!(
            "ON UPDATE CURRENT_TIMESTAMP is a MySQL feature; {} has none (use a trigger, or set it in code)",
            sql.name()
        ));
    }
    let texts = [
        c.comment.as_deref(),
        match &c.default {
            Some(DefaultValue::String(s)) => Some(s.as_str()),
            _ => None,
        },
    ];
    if texts.iter().flatten().any(|t| t.contains('\0')) {
        return Some(
            "its comment or default holds a NUL character, which no database keeps".into(),
        );
    }
    None
}

/// Whether the dialect holds the type once normalized; enums are their own matter (MySQL and
/// SQLite turn them into column types), arrays are not.
fn holds(sql: &dyn SqlDialect, ty: &ColumnType) -> bool {
    match ty {
        ColumnType::Enum(_) => true,
        ColumnType::Array(inner) => sql.holds(ty) && holds(sql, inner),
        other => sql.holds(other),
    }
}
