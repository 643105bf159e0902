//! The compact format (`DeriveEntityModel` on a `Model` struct, relations in a `Relation`
//! enum); the dense format shares the `Model` struct and adds relation fields (`dense.rs`).

use crate::attrs::{AttrItem, sea_orm_attrs};
use crate::declaration::Declaration;
use crate::declared::declarations;
use crate::defaults::{default_expr_sql, on_update_extra, parse_column_type_attr, read_default};
use crate::error::ModelError;
use crate::format::dense::dense_relation_field;
use crate::raw::Declared;
use crate::raw::{
    Ctx, FIELD_KEYS, RELATION_KEYS, RawColumn, RawEntity, RawReference, STRUCT_KEYS, TypeSpec,
};
use crate::relation::{apply_fk_declarations, read_relation, str_module};
use crate::types::{last_ident, rust_type_to_column, unwrap_option};
use autogen_schema::lexical::{
    SCHEMA_SEPARATOR, qualified, seaorm_column_variant, split_qualified,
};
use autogen_schema::{Check, Column, ColumnType};
use syn::Fields;
use syn::spanned::Spanned;

pub(crate) fn read_model_struct(
    ctx: &Ctx,
    s: &syn::ItemStruct,
    entity: &mut RawEntity,
) -> Result<(), ModelError> {
    let attrs = sea_orm_attrs(&s.attrs).map_err(|e| ctx.syn_err(e))?;
    ctx.check_keys(&attrs, STRUCT_KEYS, "an entity")?;
    if entity.at.is_some() {
        return Err(ctx.err(
            s.ident.span(),
            "a second entity in one module: SeaORM allows one Model per module; put this one \
             in a file (or `mod`) of its own",
        ));
    }
    entity.at = Some(ctx.location(s.ident.span()));
    entity.table_name = attrs.str("table_name");
    // A table in another PostgreSQL schema is known by its schema and name together (the
    // dialect check, and whether `schemas` lists it, come later).
    if let Some(item) = attrs.get("schema_name") {
        let schema = item
            .str_value()
            .ok_or_else(|| ctx.err(item.span, "`schema_name` takes a string"))?;
        if schema.is_empty() || schema.contains(SCHEMA_SEPARATOR) {
            return Err(ctx.err(item.span, "schema_name must be a name: not empty, no NUL"));
        }
        entity.table_name = entity
            .table_name
            .take()
            .map(|t| qualified(Some(&schema), &t));
    }
    entity.comment = attrs.str("comment");
    // A table renamed within its schema: the old name is in the same schema.
    let schema = entity
        .table_name
        .as_deref()
        .and_then(|t| split_qualified(t).0)
        .map(str::to_string);
    entity.renamed_from = attrs
        .str("renamed_from")
        .map(|old| qualified(schema.as_deref(), &old));
    entity.declared = declarations(ctx, &s.attrs)?
        .into_iter()
        .filter(|d| {
            !matches!(
                d.decl,
                Declaration::Domain(..) | Declaration::Extension { .. } | Declaration::Sequence(..)
            )
        })
        .collect();
    let Fields::Named(fields) = &s.fields else {
        return Err(ctx.err(s.ident.span(), "entity Model must have named fields"));
    };
    for field in &fields.named {
        read_field(ctx, field, entity)?;
    }
    Ok(())
}

/// One field of the `Model` struct: a column, an ignored field, or a dense relation.
fn read_field(ctx: &Ctx, field: &syn::Field, entity: &mut RawEntity) -> Result<(), ModelError> {
    let Some(ident) = &field.ident else {
        return Ok(());
    };
    let fattrs = sea_orm_attrs(&field.attrs).map_err(|e| ctx.syn_err(e))?;
    ctx.check_keys(&fattrs, FIELD_KEYS, "a field")?;
    if fattrs.has("ignore") {
        // Not a column to SeaORM; the database's column of that name is left alone.
        let name = ident.to_string().trim_start_matches("r#").to_string();
        entity
            .ignored
            .push(fattrs.str("column_name").unwrap_or(name));
        return Ok(());
    }
    let on_update = match fattrs.get("extra") {
        Some(item) => Some(on_update_extra(item.str_value().as_deref()).ok_or_else(|| {
            ctx.err(
                item.span,
                "extra = \"...\" is raw SQL that autogen cannot compare with the database \
                 (it understands only \"ON UPDATE CURRENT_TIMESTAMP\"); use column_type, \
                 default_value or default_expr, or write this migration by hand",
            )
        })?),
        None => None,
    };
    let field_name = ident.to_string().trim_start_matches("r#").to_string();
    // Dense-format relation fields are not columns.
    if dense_relation_field(ctx, field, &fattrs, entity)? {
        return Ok(());
    }
    let (inner, nullable) = unwrap_option(&field.ty);
    let ty = match fattrs.get("column_type") {
        Some(item) => TypeSpec::Known(parse_column_type_attr(ctx, item)?),
        None => match rust_type_to_column(inner) {
            Some(t) => TypeSpec::Known(t),
            None => match last_ident(inner) {
                Some(name) => TypeSpec::Named(name),
                None => {
                    return Err(ctx.err(
                        field.ty.span(),
                        "cannot map this field type to a column type; add #[sea_orm(column_type = \"...\")]",
                    ));
                }
            },
        },
    };
    let default = read_default(ctx, &fattrs)?;
    let column_name = fattrs.str("column_name").unwrap_or(field_name.clone());
    let declared = field_declarations(ctx, field, &column_name, &mut entity.declared)?;
    let auto_increment = match fattrs.get("auto_increment") {
        Some(item) => Some(
            item.bool_value()
                .ok_or_else(|| ctx.err(item.span, "auto_increment takes true or false"))?,
        ),
        None => None,
    };
    let variant = fattrs
        .str("enum_name")
        .unwrap_or_else(|| seaorm_column_variant(&field_name));
    entity.columns.push(RawColumn {
        variant,
        field: Some(field_name.clone()),
        name: column_name,
        ty,
        nullable: nullable || fattrs.has("nullable"),
        primary_key: fattrs.has("primary_key"),
        auto_increment,
        unique: fattrs.has("unique"),
        unique_key: fattrs.str("unique_key"),
        indexed: fattrs.has("indexed"),
        default,
        default_sql: default_expr_sql(&fattrs),
        declared,
        on_update,
        comment: fattrs.str("comment"),
        renamed_from: fattrs.str("renamed_from"),
        at: ctx.location(ident.span()),
    });
    Ok(())
}

/// A field's declarations about its column (kept for [`Declaration::apply_to_column`]), and a
/// CHECK about the column (the table's, written beside it: added to `table_level`, knowing its
/// column); any other declaration belongs on the struct or a relation.
fn field_declarations(
    ctx: &Ctx,
    field: &syn::Field,
    column: &str,
    table_level: &mut Vec<Declared>,
) -> Result<Vec<Declaration>, ModelError> {
    let mut out = Vec::new();
    // Only to ask each declaration whether it is about a column.
    let mut scratch = Column::new("", ColumnType::Text);
    for Declared { decl, at } in declarations(ctx, &field.attrs)? {
        match decl {
            Declaration::Check(check) => table_level.push(Declared {
                decl: Declaration::Check(Check {
                    column: Some(column.to_string()),
                    ..check
                }),
                at,
            }),
            Declaration::ForeignKey { .. } => {
                return Err(ModelError::at(
                    &at,
                    "foreign_key(…) belongs on a `belongs_to` relation (a `Relation` variant, or \
                     a dense relation field)",
                ));
            }
            decl if decl.apply_to_column(&mut scratch) => out.push(decl),
            _ => {
                return Err(ModelError::at(
                    &at,
                    "this declaration belongs on the `Model` struct, not a field",
                ));
            }
        }
    }
    Ok(out)
}

pub(crate) fn read_relation_enum(
    ctx: &Ctx,
    e: &syn::ItemEnum,
    entity: &mut RawEntity,
) -> Result<(), ModelError> {
    for v in &e.variants {
        let attrs = sea_orm_attrs(&v.attrs).map_err(|e| ctx.syn_err(e))?;
        ctx.check_keys(&attrs, RELATION_KEYS, "a relation")?;
        for kind in ["has_many", "has_one"] {
            if let Some(item) = attrs.get(kind) {
                let target_module = target_module(ctx, item, kind, entity)?;
                let span = item.span;
                entity.references.push(RawReference {
                    target_module,
                    at: ctx.location(span),
                });
            }
        }
        if attrs.has("skip_fk") {
            continue;
        }
        let Some(item) = attrs.get("belongs_to") else {
            continue;
        };
        let module = target_module(ctx, item, "belongs_to", entity)?;
        let mut relation = read_relation(ctx, &attrs, module, v.ident.span())?;
        apply_fk_declarations(declarations(ctx, &v.attrs)?, &mut relation)?;
        entity.relations.push(relation);
    }
    Ok(())
}

/// The module of a relation's target entity: `"super::cake::Entity"` is `cake`, `"Entity"` this
/// entity's own.
fn target_module(
    ctx: &Ctx,
    item: &AttrItem,
    kind: &str,
    entity: &RawEntity,
) -> Result<String, ModelError> {
    let target = item.str_value().ok_or_else(|| {
        ctx.err(
            item.span,
            format!("{kind} takes the target entity path as a string"),
        )
    })?;
    if target == "Entity" {
        return Ok(entity.module.clone());
    }
    str_module(&target).ok_or_else(|| {
        ctx.err(
            item.span,
            format!("cannot tell which entity `{target}` is; write super::<module>::Entity"),
        )
    })
}
