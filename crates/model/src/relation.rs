//! Relations as the compact and dense formats declare them in attributes, and the paths that
//! name their target entity and columns.

use crate::attrs::Attrs;
use crate::declaration::Declaration;
use crate::error::ModelError;
use crate::raw::{Ctx, Declared, RawRelation};
use autogen_schema::FkAction;
use proc_macro2::Span;
use syn::Type;

pub(crate) fn read_relation(
    ctx: &Ctx,
    attrs: &Attrs,
    target_module: String,
    span: Span,
) -> Result<RawRelation, ModelError> {
    let refs = |key: &str| -> Result<Vec<String>, ModelError> {
        let item = attrs
            .get(key)
            .ok_or_else(|| ctx.err(span, format!("belongs_to relation needs `{key}`")))?;
        let s = item
            .str_value()
            .ok_or_else(|| ctx.err(item.span, format!("`{key}` takes a string")))?;
        Ok(split_column_refs(&s))
    };
    let action = |key: &str| -> Result<Option<FkAction>, ModelError> {
        match attrs.get(key) {
            None => Ok(None),
            Some(item) => {
                let s = item.str_value().unwrap_or_default();
                FkAction::parse(&s).map(Some).ok_or_else(|| {
                    ctx.err(
                        item.span,
                        format!("`{key} = \"{s}\"`: expected Cascade, SetNull, SetDefault, Restrict or NoAction"),
                    )
                })
            }
        }
    };
    Ok(RawRelation {
        target_module,
        from: refs("from")?,
        to: refs("to")?,
        on_delete: action("on_delete")?,
        on_update: action("on_update")?,
        fk_name: attrs.str("fk_name"),
        deferrable: None,
        at: ctx.location(span),
    })
}

/// `"Column::CakeId"`, `"cake_id"`, `"(Column::A, Column::B)"`, `"super::cake::Column::Id"`
/// -> the last path segment of each.
fn split_column_refs(s: &str) -> Vec<String> {
    s.trim()
        .trim_start_matches('(')
        .trim_end_matches(')')
        .split(',')
        .map(|part| {
            part.trim()
                .rsplit("::")
                .next()
                .unwrap_or("")
                .trim()
                .to_string()
        })
        .filter(|p| !p.is_empty())
        .collect()
}

/// `super::cake::Entity` -> `cake`; `Entity` -> None (this module).
pub(crate) fn type_module(ty: &Type) -> Option<String> {
    let Type::Path(p) = ty else { return None };
    path_module(&p.path)
}

pub(crate) fn path_module(path: &syn::Path) -> Option<String> {
    let segs: Vec<_> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    if segs.len() >= 2 {
        let m = &segs[segs.len() - 2];
        if m != "super" && m != "self" && m != "crate" {
            return Some(m.clone());
        }
    }
    None
}

pub(crate) fn str_module(s: &str) -> Option<String> {
    syn::parse_str::<syn::Path>(s)
        .ok()
        .and_then(|p| path_module(&p))
}

/// autogen's `foreign_key(…)` declarations on a `belongs_to` relation: its name where SeaORM's
/// attribute cannot give it (dense fields), and whether it is `DEFERRABLE`.
pub(crate) fn apply_fk_declarations(
    declared: Vec<Declared>,
    relation: &mut RawRelation,
) -> Result<(), ModelError> {
    for d in declared {
        let Declared {
            decl: Declaration::ForeignKey { name, deferrable },
            at,
        } = d
        else {
            return Err(not_on_a_relation(&d));
        };
        if name.is_some() && relation.fk_name.is_some() {
            return Err(ModelError::at(&at, "the foreign key is named twice"));
        }
        if name.is_some() {
            relation.fk_name = name;
        }
        relation.deferrable = deferrable.or(relation.deferrable);
    }
    Ok(())
}

/// A declaration other than `foreign_key(…)` on a relation.
pub(crate) fn not_on_a_relation(d: &Declared) -> ModelError {
    ModelError::at(
        &d.at,
        "only foreign_key(…) is declared on a `belongs_to` relation",
    )
}
