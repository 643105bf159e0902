//! Raw entities -> one [`Schema`]: types (active enums found in any file), keys, indexes and
//! unique keys under SeaORM's names, relations to entities in other files.

use crate::declaration::Declaration;
use crate::error::{Location, ModelError};
use crate::raw::Declared;
use crate::raw::{RawColumn, RawEntity, RawEnum, TypeSpec};
use crate::source_map::{Model, SourceMap};
use autogen_schema::lexical::{
    foreign_key_name, index_name, split_qualified, unique_key_index_name,
};
use autogen_schema::{Column, ColumnType, EnumType, ForeignKey, Index, Table, Unique};
use std::collections::BTreeMap;

pub(crate) fn resolve(
    entities: Vec<RawEntity>,
    enums: &BTreeMap<String, RawEnum>,
    domains: Vec<Declared>,
) -> Result<Model, ModelError> {
    let mut model = Model::default();
    resolve_domains(domains, &mut model)?;
    // First the tables' names and their relations, which look across entities; then each
    // entity's columns, consuming it, so that raw and resolved columns are not all held at once.
    let mut foreign_keys = Vec::with_capacity(entities.len());
    {
        let by_module: BTreeMap<&str, &RawEntity> =
            entities.iter().map(|e| (e.module.as_str(), e)).collect();
        for entity in &entities {
            let Some(at) = &entity.at else {
                foreign_keys.push(Vec::new());
                continue;
            };
            let table_name = entity.table_name.clone().unwrap_or_default();
            // A table of another schema is keyed with its schema (`schema_name`, checked apart).
            let bare = autogen_schema::lexical::split_qualified(&table_name).1;
            check_name(at, "table", bare)?;
            if model.sources.table(&table_name).is_some() {
                return Err(ModelError::at(
                    at,
                    format!("table `{table_name}` is defined by two entities"),
                ));
            }
            model.sources.add_table(&table_name, at.clone());
            for r in &entity.references {
                if !by_module.contains_key(r.target_module.as_str()) {
                    return Err(ModelError::at(&r.at, missing_target(&r.target_module)));
                }
            }
            foreign_keys.push(resolve_relations(entity, &by_module, &mut model.sources)?);
        }
    }
    for (mut entity, fks) in entities.into_iter().zip(foreign_keys) {
        let Some(at) = entity.at.clone() else {
            continue;
        };
        let declared = std::mem::take(&mut entity.declared);
        let mut table = resolve_columns(entity, enums, &mut model)?;
        // No key field: SeaORM will not compile it, but sea-orm-cli writes such entities for
        // tables that have no key. Whether the database has the table so is checked against
        // it (`check_keys`); a declaration (`no_primary_key`) says it outright.
        let declares_key = declared
            .iter()
            .any(|d| matches!(d.decl, Declaration::PrimaryKey { .. }));
        if table.primary_key.is_empty() && !declares_key {
            model.sources.add_keyless(&table.name, at.clone());
        }
        apply_declarations(&mut table, declared, &mut model.sources)?;
        table.foreign_keys = fks;
        model.schema.add_table(table);
    }
    // A database enum no column uses is declared all the same: a routine, a domain or another
    // schema's table may be of it, and `entities` writes every one the database holds.
    for e in enums.values() {
        if let ColumnType::Enum(name) = &e.ty
            && !model.schema.enums.contains_key(name)
        {
            add_enum_type(name, e, &mut model)?;
        }
    }
    // The sequences `nextval(…)` defaults draw from are part of the model (PostgreSQL).
    let used = model.schema.default_sequences();
    model.schema.sequences.extend(used);
    Ok(model)
}

/// An entity without a key field (and no `no_primary_key`) stands for a table the database
/// holds without a key; anywhere else it is an error at the entity: SeaORM needs a key.
pub fn check_keys(model: &Model, database: &autogen_schema::Schema) -> Result<(), ModelError> {
    for (table, at) in model.sources.keyless() {
        let adopted = database
            .tables
            .get(table)
            .is_some_and(|t| t.primary_key.is_empty())
            || database.unmanaged.contains(table);
        if !adopted {
            return Err(ModelError::at(
                at,
                format!(
                    "entity `{table}` has no primary key: SeaORM needs one \
                     (#[sea_orm(primary_key)] on a field)"
                ),
            ));
        }
    }
    Ok(())
}

fn resolve_domains(domains: Vec<Declared>, model: &mut Model) -> Result<(), ModelError> {
    for d in domains {
        let at = d.at;
        let domain = match d.decl {
            Declaration::Domain(domain) => domain,
            Declaration::Sequence(name, options) => {
                check_name(&at, "sequence", split_qualified(&name).1)?;
                model.sources.add_domain(&format!("sequence {name}"), at);
                if !options.is_default() {
                    model.schema.sequence_options.insert(name.clone(), options);
                }
                model.schema.sequences.insert(name);
                continue;
            }
            Declaration::Extension { name, schema } => {
                check_name(&at, "extension", &name)?;
                model.sources.add_domain(&format!("extension {name}"), at);
                if let Some(s) = schema {
                    model.schema.extension_schemas.insert(name.clone(), s);
                }
                model.schema.extensions.insert(name);
                continue;
            }
            _ => continue,
        };
        check_name(&at, "domain", &domain.name)?;
        if let Some(existing) = model.schema.domains.get(&domain.name)
            && *existing != domain
        {
            return Err(ModelError::at(
                &at,
                format!(
                    "domain `{}` is declared twice with different definitions",
                    domain.name
                ),
            ));
        }
        model.sources.add_domain(&domain.name, at);
        model.schema.domains.insert(domain.name.clone(), domain);
    }
    Ok(())
}

/// The table's own declarations: its key as the database has it, named and partial indexes,
/// named UNIQUEs. Each must name columns the table has.
fn apply_declarations(
    table: &mut Table,
    declared: Vec<Declared>,
    sources: &mut SourceMap,
) -> Result<(), ModelError> {
    let missing = |at: &Location, columns: &[String], t: &Table| -> Result<(), ModelError> {
        match columns.iter().find(|c| t.column(c).is_none()) {
            Some(c) => Err(ModelError::at(
                at,
                format!("`{c}` is not a column of `{}`", t.name),
            )),
            None => Ok(()),
        }
    };
    let mut key_declared = false;
    for Declared { decl, at } in declared {
        match decl {
            Declaration::PrimaryKey { name, columns } => {
                missing(&at, &columns, table)?;
                if key_declared {
                    return Err(ModelError::at(&at, "the primary key is declared twice"));
                }
                key_declared = true;
                if let Some(n) = &name {
                    check_name(&at, "primary key", n)?;
                    sources.add_name(&table.name, n, at.clone());
                }
                table.primary_key = columns;
                table.primary_key_name = name;
            }
            Declaration::Index(index) => {
                missing(&at, &index.columns, table)?;
                check_name(&at, "index", &index.name)?;
                if table.indexes.iter().any(|i| i.name == index.name) {
                    return Err(ModelError::at(
                        &at,
                        format!("index `{}` is declared twice", index.name),
                    ));
                }
                sources.add_name(&table.name, &index.name, at);
                table.indexes.push(index);
            }
            Declaration::Unique(unique) => {
                missing(&at, &unique.columns, table)?;
                if let Some(n) = &unique.name {
                    check_name(&at, "unique constraint", n)?;
                    sources.add_name(&table.name, n, at);
                }
                table.uniques.push(unique);
            }
            Declaration::Check(mut check) => {
                if let Some(n) = &check.name {
                    check_name(&at, "CHECK constraint", n)?;
                    if table.checks.iter().any(|c| c.name.as_deref() == Some(n)) {
                        return Err(ModelError::at(
                            &at,
                            format!("CHECK `{n}` is declared twice"),
                        ));
                    }
                    sources.add_name(&table.name, n, at);
                } else {
                    // Named as PostgreSQL would: `<table>_check`, then `<table>_check1`, ….
                    let base = format!("{}_check", split_qualified(&table.name).1);
                    let taken = |n: &str| table.checks.iter().any(|c| c.name.as_deref() == Some(n));
                    let name = (0..)
                        .map(|i| {
                            if i == 0 {
                                base.clone()
                            } else {
                                format!("{base}{i}")
                            }
                        })
                        .find(|n| !taken(n))
                        .unwrap_or(base);
                    check.name = Some(name);
                    check.derived = true;
                }
                table.checks.push(check);
            }
            Declaration::Partitioned { by } => table.partition_by = Some(by),
            Declaration::Partition(p) => table.partition_of = Some(p),
            Declaration::Inherits(parents) => table.inherits = parents,
            Declaration::Collate(name) => table.collation = Some(name),
            Declaration::Options(values) => table.options = values,
            // The schema's (domains, extensions, sequences: `resolve_domains`), a
            // relation's, and a column's (`Declaration::apply_to_column`).
            _ => {}
        }
    }
    Ok(())
}

fn missing_target(module: &str) -> String {
    format!("relation target module `{module}` has no entity in the models directory")
}

/// A name the database must be able to hold whatever the dialect: not empty, no NUL.
fn check_name(at: &Location, what: &str, name: &str) -> Result<(), ModelError> {
    if name.trim().is_empty() {
        return Err(ModelError::at(at, format!("the {what} name is empty")));
    }
    if name.contains('\0') {
        return Err(ModelError::at(
            at,
            format!(
                "the {what} name `{}` holds a NUL character, which no database keeps in a name",
                name.escape_debug()
            ),
        ));
    }
    Ok(())
}

/// The table of `entity` without its foreign keys: columns, key, indexes, UNIQUEs. Enum types
/// its columns use are added to the model.
fn resolve_columns(
    entity: RawEntity,
    enums: &BTreeMap<String, RawEnum>,
    model: &mut Model,
) -> Result<Table, ModelError> {
    let table_name = entity.table_name.clone().unwrap_or_default();
    let mut table = Table::new(table_name.clone());
    table.comment = entity.comment;
    table.renamed_from = entity.renamed_from;
    table.ignored = entity.ignored;
    let pk_count = entity
        .columns
        .iter()
        .filter(|c| c.primary_key || entity.pk_variants.contains(&c.variant))
        .count();
    let mut unique_keys: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for raw in entity.columns {
        check_name(&raw.at, "column", &raw.name)?;
        if table.column(&raw.name).is_some() {
            return Err(ModelError::at(
                &raw.at,
                format!("column `{}` is declared twice in `{table_name}`", raw.name),
            ));
        }
        let ty = resolve_type(&raw, enums, model)?;
        model.sources.add_column(&table_name, &raw.name, raw.at);
        let is_pk = raw.primary_key || entity.pk_variants.contains(&raw.variant);
        let auto_increment = is_pk
            && pk_count == 1
            && match entity.pk_auto_increment.or(raw.auto_increment) {
                Some(v) => v,
                None => !matches!(
                    ty,
                    ColumnType::String(_)
                        | ColumnType::Uuid
                        | ColumnType::Char(_)
                        | ColumnType::Text
                ),
            };
        if raw.indexed && !raw.unique {
            table.indexes.push(Index {
                name: index_name(&table_name, &raw.name),
                columns: vec![raw.name.clone()],
                derived: true,
                ..Default::default()
            });
        }
        if raw.unique {
            table.uniques.push(Unique {
                name: None,
                columns: vec![raw.name.clone()],
                ..Default::default()
            });
        }
        if let Some(key) = raw.unique_key {
            unique_keys.entry(key).or_default().push(raw.name.clone());
        }
        if is_pk {
            table.primary_key.push(raw.name.clone());
        }
        let mut column = Column::new(raw.name, ty);
        // Key columns are NOT NULL where the dialect makes them so (normalization).
        column.nullable = raw.nullable;
        column.default = raw.default;
        column.default_sql = raw.default_sql;
        column.auto_increment = auto_increment;
        column.on_update = raw.on_update;
        column.comment = raw.comment;
        column.renamed_from = raw.renamed_from;
        for decl in &raw.declared {
            decl.apply_to_column(&mut column);
        }
        table.columns.push(column);
    }
    for (key, columns) in unique_keys {
        table.indexes.push(Index {
            name: unique_key_index_name(&table_name, &key),
            columns,
            unique: true,
            derived: true,
            ..Default::default()
        });
    }
    Ok(table)
}

/// A column's type: a SeaORM value type, or an active enum defined in any file.
fn resolve_type(
    raw: &RawColumn,
    enums: &BTreeMap<String, RawEnum>,
    model: &mut Model,
) -> Result<ColumnType, ModelError> {
    match &raw.ty {
        TypeSpec::Known(ColumnType::Custom(c)) if c == "unknown" => Err(ModelError::at(
            &raw.at,
            format!(
                "column `{}` has no definition in `impl ColumnTrait for Column`",
                raw.name
            ),
        )),
        TypeSpec::Known(t) => Ok(t.clone()),
        TypeSpec::Named(name) => {
            let e = enums.get(name).ok_or_else(|| {
                ModelError::at(
                    &raw.at,
                    format!(
                        "type `{name}` of column `{}` is neither a SeaORM value type nor a DeriveActiveEnum \
                         in the models directory; add #[sea_orm(column_type = \"...\")]",
                        raw.name
                    ),
                )
            })?;
            if let ColumnType::Enum(enum_name) = &e.ty {
                add_enum_type(enum_name, e, model)?;
            }
            Ok(e.ty.clone())
        }
    }
}

/// A database enum type an active enum declares; two active enums may share one only with the
/// same values.
fn add_enum_type(name: &str, e: &RawEnum, model: &mut Model) -> Result<(), ModelError> {
    check_name(&e.at, "enum type", name)?;
    if let Some(existing) = model.schema.enums.get(name)
        && existing.values != e.values
    {
        let at = model
            .sources
            .enum_type(name)
            .map(|l| format!(" (at {l})"))
            .unwrap_or_default();
        return Err(ModelError::at(
            &e.at,
            format!(
                "enum type `{name}` is declared twice with different values{at}: one database type \
                 cannot hold both; give one of them another enum_name"
            ),
        ));
    }
    for value in &e.values {
        if value.contains('\0') {
            return Err(ModelError::at(
                &e.at,
                format!("a value of enum `{name}` holds a NUL character"),
            ));
        }
    }
    model.sources.add_enum(name, e.at.clone());
    model.schema.enums.insert(
        name.to_string(),
        EnumType {
            name: name.to_string(),
            values: e.values.clone(),
        },
    );
    Ok(())
}

/// Foreign keys of `entity`'s relations, resolved against the entities they name.
fn resolve_relations(
    entity: &RawEntity,
    by_module: &BTreeMap<&str, &RawEntity>,
    sources: &mut SourceMap,
) -> Result<Vec<ForeignKey>, ModelError> {
    let table_name = entity.table_name.clone().unwrap_or_default();
    let mut out = Vec::new();
    for rel in &entity.relations {
        let target = by_module
            .get(rel.target_module.as_str())
            .ok_or_else(|| ModelError::at(&rel.at, missing_target(&rel.target_module)))?;
        if let Some(name) = &rel.fk_name {
            check_name(&rel.at, "foreign key", name)?;
            sources.add_name(&table_name, name, rel.at.clone());
        }
        let from = resolve_refs(&rel.at, entity, &rel.from)?;
        let to = resolve_refs(&rel.at, target, &rel.to)?;
        out.push(ForeignKey {
            name: Some(
                rel.fk_name
                    .clone()
                    .unwrap_or_else(|| foreign_key_name(&table_name, &from)),
            ),
            columns: from,
            ref_table: target.table_name.clone().unwrap_or_default(),
            ref_columns: to,
            on_delete: rel.on_delete.unwrap_or_default(),
            on_update: rel.on_update.unwrap_or_default(),
            deferrable: rel.deferrable,
        });
    }
    Ok(out)
}

fn resolve_refs(
    at: &Location,
    entity: &RawEntity,
    refs: &[String],
) -> Result<Vec<String>, ModelError> {
    refs.iter()
        .map(|r| {
            entity
                .columns
                .iter()
                .find(|c| &c.variant == r || c.field.as_deref() == Some(r) || &c.name == r)
                .map(|c| c.name.clone())
                .ok_or_else(|| {
                    ModelError::at(
                        at,
                        format!(
                            "relation column `{r}` is not a column of `{}`",
                            entity.table_name.clone().unwrap_or_default()
                        ),
                    )
                })
        })
        .collect()
}
