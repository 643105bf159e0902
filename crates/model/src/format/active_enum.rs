//! `DeriveActiveEnum`: a PostgreSQL enum type (`db_type = "Enum"`) or a plain column type.

use crate::attrs::sea_orm_attrs;
use crate::defaults::literal_default;
use crate::error::ModelError;
use crate::raw::{Ctx, RawEnum};
use crate::types::column_type_expr;
use autogen_schema::{ColumnType, DefaultValue};
use heck::ToSnakeCase;
use syn::Expr;

pub(crate) fn read_active_enum(
    ctx: &Ctx,
    e: &syn::ItemEnum,
) -> Result<(String, RawEnum), ModelError> {
    let attrs = sea_orm_attrs(&e.attrs).map_err(|err| ctx.syn_err(err))?;
    let db_type = attrs
        .str("db_type")
        .ok_or_else(|| ctx.err(e.ident.span(), "DeriveActiveEnum needs db_type"))?;
    if e.variants.is_empty() {
        return Err(ctx.err(
            e.ident.span(),
            format!(
                "enum `{}` has no variants: a column of it could hold no value",
                e.ident
            ),
        ));
    }
    let mut values: Vec<String> = Vec::new();
    for v in &e.variants {
        let vattrs = sea_orm_attrs(&v.attrs).map_err(|err| ctx.syn_err(err))?;
        let value = match (vattrs.get("string_value"), vattrs.get("num_value")) {
            (Some(item), _) => item
                .str_value()
                .ok_or_else(|| ctx.err(item.span, "string_value takes a string"))?,
            (None, Some(item)) => match &item.value {
                Some(expr) => match literal_default(expr) {
                    Some(DefaultValue::Number(n)) => n,
                    _ => return Err(ctx.err(item.span, "num_value takes an integer")),
                },
                None => return Err(ctx.err(item.span, "num_value takes an integer")),
            },
            // SeaORM's default: the variant name, cased by rename_all (snake_case assumed for
            // the common "snake_case" setting; otherwise the variant name itself).
            (None, None) => match attrs.str("rename_all").as_deref() {
                Some("snake_case") => v.ident.to_string().to_snake_case(),
                _ => v.ident.to_string(),
            },
        };
        if values.contains(&value) {
            return Err(ctx.err(
                v.ident.span(),
                format!("enum `{}` has the value \"{value}\" twice", e.ident),
            ));
        }
        values.push(value);
    }
    let ty = if db_type == "Enum" {
        let name = attrs
            .str("enum_name")
            .unwrap_or_else(|| e.ident.to_string().to_snake_case());
        ColumnType::Enum(name)
    } else {
        let expr: Expr = syn::parse_str(&db_type)
            .map_err(|err| ctx.err(e.ident.span(), format!("db_type \"{db_type}\": {err}")))?;
        column_type_expr(&expr)
            .map_err(|m| ctx.err(e.ident.span(), format!("db_type \"{db_type}\": {m}")))?
    };
    let raw = RawEnum {
        ty,
        values,
        at: ctx.location(e.ident.span()),
    };
    Ok((e.ident.to_string(), raw))
}
