//! The dense format (`#[sea_orm::model]`): relations are fields of the `Model` struct
//! (`BelongsTo<…>`, `HasMany<…>`), as sea-orm-cli's dense writer writes them.

use crate::compact::model_struct;
use crate::entity::{Entity, Plan};
use crate::files::header;
use crate::names::{Unique, field, plural};
use crate::text::lit;
use autogen_model::Declaration;

pub(crate) fn write(e: &Entity, plan: &Plan) -> String {
    let mut out = header(e, plan);
    let mut names = Unique::default();
    for f in &e.fields {
        names.take(f.ident.clone());
    }
    let mut fields = Vec::new();
    for r in &e.belongs_to {
        let name = names.take(field(&r.variant));
        let target = match &r.target {
            Some(m) => format!("super::{m}::Entity"),
            None => "Entity".to_string(),
        };
        let ty = if r.required {
            format!("BelongsTo<{target}>")
        } else {
            format!("BelongsTo<Option<{target}>>")
        };
        let col_list = |cols: &[String]| -> String {
            let c: Vec<String> = cols.iter().map(|c| column_field(e, c)).collect();
            if c.len() == 1 {
                c[0].clone()
            } else {
                format!("({})", c.join(", "))
            }
        };
        let kind = if r.target.is_none() {
            "self_ref"
        } else {
            "belongs_to"
        };
        let mut items = vec![kind.to_string()];
        if !r.related || r.target.is_none() {
            items.push(format!("relation_enum = {}", lit(&r.variant)));
        }
        items.push(format!("from = {}", lit(&col_list(&r.from))));
        items.push(format!("to = {}", lit(&target_fields(r, e, plan))));
        items.extend(r.extra.iter().cloned());
        // SeaORM's dense relation fields cannot name their foreign key: autogen's declaration does.
        let declared = if r.fk_name.is_some() || r.deferrable.is_some() {
            let decl = Declaration::ForeignKey {
                name: r.fk_name.clone(),
                deferrable: r.deferrable,
            };
            format!("    {}\n", decl.attribute())
        } else {
            String::new()
        };
        fields.push(format!(
            "    #[sea_orm({})]\n{declared}    pub {name}: {ty},\n",
            items.join(", ")
        ));
    }
    for h in e.has_many.iter().filter(|h| h.related) {
        let name = names.take(field(&plural(&h.target)));
        fields.push(format!(
            "    #[sea_orm(has_many)]\n    pub {name}: HasMany<super::{}::Entity>,\n",
            h.target
        ));
    }
    out.push_str("#[sea_orm::model]\n");
    out.push_str(&model_struct(e, &fields));
    out.push_str("\nimpl ActiveModelBehavior for ActiveModel {}\n");
    out
}

/// The field name of the column whose `Column` variant is `variant`.
fn column_field(e: &Entity, variant: &str) -> String {
    e.fields
        .iter()
        .find(|f| f.variant == variant)
        .map(|f| f.ident.trim_start_matches("r#").to_string())
        .unwrap_or_else(|| variant.to_string())
}

/// The target's key fields, by field name (the entity's own for a reference to itself).
fn target_fields(r: &crate::entity::BelongsTo, own: &Entity, plan: &Plan) -> String {
    let target = match &r.target {
        Some(m) => plan.entities.iter().find(|e| e.module == *m).unwrap_or(own),
        None => own,
    };
    let names: Vec<String> = r.to.iter().map(|v| column_field(target, v)).collect();
    if names.len() == 1 {
        names[0].clone()
    } else {
        format!("({})", names.join(", "))
    }
}
