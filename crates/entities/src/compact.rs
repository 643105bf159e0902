//! The compact format: `DeriveEntityModel` on a `Model` struct, relations in a `Relation` enum
//! with `impl Related` for each unambiguous one, as sea-orm-cli writes it.

use crate::entity::{Entity, Plan};
use crate::files::header;
use crate::text::{declaration_attrs, lit, sea_orm_attr};
use autogen_model::Declaration;
use autogen_schema::lexical::split_qualified;

pub(crate) fn write(e: &Entity, plan: &Plan) -> String {
    let mut out = header(e, plan);
    out.push_str(&model_struct(e, &[]));
    out.push('\n');
    out.push_str(&relation_enum(e));
    for r in e.belongs_to.iter().filter(|r| r.related) {
        if let Some(target) = &r.target {
            out.push_str(&related(target, &r.variant));
        }
    }
    for h in e.has_many.iter().filter(|h| h.related) {
        out.push_str(&related(&h.target, &h.variant));
    }
    out.push_str("\nimpl ActiveModelBehavior for ActiveModel {}\n");
    out
}

/// The `Model` struct, with `extra_fields` (the dense format's relation fields) at its end.
pub(crate) fn model_struct(e: &Entity, extra_fields: &[String]) -> String {
    let mut out = String::new();
    let eq = if e.eq { "Eq, " } else { "" };
    out.push_str(&format!(
        "#[derive(Clone, Debug, PartialEq, {eq}DeriveEntityModel)]\n"
    ));
    let (schema, table) = split_qualified(&e.table);
    let mut table_attrs = vec![format!("table_name = {}", lit(table))];
    if let Some(schema) = schema {
        table_attrs.push(format!("schema_name = {}", lit(schema)));
    }
    if let Some(c) = &e.comment {
        table_attrs.push(format!("comment = {}", lit(c)));
    }
    out.push_str(&sea_orm_attr("", &table_attrs));
    out.push_str(&declaration_attrs("", &e.declarations));
    out.push_str("pub struct Model {\n");
    for f in &e.fields {
        out.push_str(&sea_orm_attr("    ", &f.attrs));
        out.push_str(&declaration_attrs("    ", &f.declarations));
        out.push_str(&format!("    pub {}: {},\n", f.ident, f.rust));
    }
    for f in extra_fields {
        out.push_str(f);
    }
    out.push_str("}\n");
    out
}

fn relation_enum(e: &Entity) -> String {
    let mut variants = Vec::new();
    for r in &e.belongs_to {
        let target = match &r.target {
            Some(m) => format!("super::{m}::"),
            None => String::new(),
        };
        let cols = |prefix: &str, cols: &[String]| {
            let list: Vec<String> = cols
                .iter()
                .map(|c| format!("{prefix}Column::{c}"))
                .collect();
            if list.len() == 1 {
                list[0].clone()
            } else {
                format!("({})", list.join(", "))
            }
        };
        let mut items = vec![
            format!("belongs_to = {}", lit(&format!("{target}Entity"))),
            format!("from = {}", lit(&cols("", &r.from))),
            format!("to = {}", lit(&cols(&target, &r.to))),
        ];
        if let Some(name) = &r.fk_name {
            items.push(format!("fk_name = {}", lit(name)));
        }
        items.extend(r.extra.iter().cloned());
        let declared = match r.deferrable {
            Some(d) => {
                let decl = Declaration::ForeignKey {
                    name: None,
                    deferrable: Some(d),
                };
                format!("    {}\n", decl.attribute())
            }
            None => String::new(),
        };
        variants.push(format!(
            "    #[sea_orm(\n        {}\n    )]\n{declared}    {},\n",
            items.join(",\n        "),
            r.variant
        ));
    }
    for h in &e.has_many {
        variants.push(format!(
            "    #[sea_orm(has_many = {})]\n    {},\n",
            lit(&format!("super::{}::Entity", h.target)),
            h.variant
        ));
    }
    let body = if variants.is_empty() {
        "pub enum Relation {}\n".to_string()
    } else {
        format!("pub enum Relation {{\n{}}}\n", variants.join(""))
    };
    format!("#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]\n{body}")
}

fn related(target: &str, variant: &str) -> String {
    format!(
        "\nimpl Related<super::{target}::Entity> for Entity {{\n    fn to() -> RelationDef {{\n        Relation::{variant}.def()\n    }}\n}}\n"
    )
}
