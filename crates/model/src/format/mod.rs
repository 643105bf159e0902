//! Entity files -> raw entities, by entity format: `compact.rs` (and the dense format's relation
//! fields, `dense.rs`), `expanded.rs`, `active_enum.rs`. `resolve.rs` then resolves them into
//! one schema.

mod active_enum;
mod compact;
mod dense;
mod expanded;

use crate::attrs::{has_attr_path, has_derive};
use crate::error::ModelError;
use crate::raw::{Ctx, RawEntity, RawEnum};
use crate::resolve::resolve;
use autogen_schema::Schema;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use syn::Item;

/// Parses the given (path, source) pairs into one schema. Module names come from file names
/// (`cake.rs` is module `cake`), which is how `super::cake::Entity` references are resolved.
pub fn parse_sources(sources: &[(PathBuf, String)]) -> Result<Schema, ModelError> {
    let mut entities: Vec<RawEntity> = Vec::new();
    let mut enums: BTreeMap<String, RawEnum> = BTreeMap::new();
    for (path, text) in sources {
        let ctx = Ctx { path };
        let file = syn::parse_file(text).map_err(|e| ctx.syn_err(e))?;
        let module = module_name(path);
        let mut entity = RawEntity {
            module: module.clone(),
            file: path.clone(),
            ..RawEntity::default()
        };
        read_items(&ctx, &file.items, &mut entity, &mut enums)?;
        if entity.table_name.is_some() {
            entities.push(entity);
        } else if let Some(span) = entity.span {
            return Err(ctx.err(
                span,
                "entity has no table name: add #[sea_orm(table_name = \"...\")]",
            ));
        }
    }
    resolve(entities, &enums)
}

fn module_name(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    if stem == "mod" {
        path.parent()
            .and_then(|p| p.file_name())
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or(stem)
    } else {
        stem
    }
}

fn read_items(
    ctx: &Ctx,
    items: &[Item],
    entity: &mut RawEntity,
    enums: &mut BTreeMap<String, RawEnum>,
) -> Result<(), ModelError> {
    for item in items {
        match item {
            Item::Struct(s) if s.ident == "Model" => {
                let is_dense = has_attr_path(&s.attrs, "sea_orm", "model")
                    || has_attr_path(&s.attrs, "sea_orm", "compact_model");
                if is_dense || has_derive(&s.attrs, "DeriveEntityModel") {
                    compact::read_model_struct(ctx, s, entity)?;
                }
            }
            Item::Enum(e) if has_derive(&e.attrs, "DeriveActiveEnum") => {
                let (name, raw) = active_enum::read_active_enum(ctx, e)?;
                enums.insert(name, raw);
            }
            Item::Enum(e) if e.ident == "Relation" && has_derive(&e.attrs, "DeriveRelation") => {
                compact::read_relation_enum(ctx, e, entity)?;
            }
            Item::Enum(e) if e.ident == "Column" && has_derive(&e.attrs, "DeriveColumn") => {
                expanded::read_column_enum(ctx, e, entity)?;
            }
            Item::Enum(e)
                if e.ident == "PrimaryKey" && has_derive(&e.attrs, "DerivePrimaryKey") =>
            {
                entity.pk_variants = e.variants.iter().map(|v| v.ident.to_string()).collect();
            }
            Item::Impl(i) => expanded::read_impl(ctx, i, entity)?,
            Item::Mod(m) => {
                if let Some((_, inner)) = &m.content {
                    read_items(ctx, inner, entity, enums)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}
