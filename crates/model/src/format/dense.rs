//! The dense format (`#[sea_orm::model]`): relation fields on the `Model` struct
//! (`HasMany<…>`, `HasOne<…>`, `BelongsTo<…>`), of which `belongs_to` ones are foreign keys.

use crate::attrs::Attrs;
use crate::declared::declarations;
use crate::error::ModelError;
use crate::raw::{Ctx, RawEntity, RawReference};
use crate::relation::{apply_fk_declarations, not_on_a_relation, read_relation, type_module};
use crate::types::{generic_arg, unwrap_option};

/// Reads `field` if it is a relation field (returns whether it was one): a `belongs_to` (or
/// `self_ref`) one becomes a relation; `has_many` / `has_one` carry no schema.
pub(crate) fn dense_relation_field(
    ctx: &Ctx,
    field: &syn::Field,
    fattrs: &Attrs,
    entity: &mut RawEntity,
) -> Result<bool, ModelError> {
    let Some(kind) = ["HasMany", "HasOne", "BelongsTo"]
        .into_iter()
        .find(|k| generic_arg(&field.ty, k).is_some())
    else {
        return Ok(false);
    };
    // `BelongsTo<Option<super::cake::Entity>>` for a key that may be NULL (sea-orm-cli's form).
    let target = generic_arg(&field.ty, kind)
        .map(|t| unwrap_option(t).0)
        .and_then(type_module);
    let target_module = target.unwrap_or_else(|| entity.module.clone());
    let span = field
        .ident
        .as_ref()
        .map(|i| i.span())
        .unwrap_or_else(proc_macro2::Span::call_site);
    let declared = declarations(ctx, &field.attrs)?;
    if fattrs.get("belongs_to").is_some() || fattrs.get("self_ref").is_some() {
        let mut relation = read_relation(ctx, fattrs, target_module, span)?;
        apply_fk_declarations(declared, &mut relation)?;
        entity.relations.push(relation);
    } else {
        if let Some(d) = declared.first() {
            return Err(not_on_a_relation(d));
        }
        entity.references.push(RawReference {
            target_module,
            at: ctx.location(span),
        });
    }
    Ok(true)
}
