//! Defaults, `extra` and `column_type` attributes: attribute values -> the IR.

use crate::attrs::{AttrItem, Attrs};
use crate::error::ModelError;
use crate::raw::Ctx;
use crate::types::column_type_expr;
use autogen_schema::{ColumnType, DefaultValue, canonical_number};
use syn::{Expr, Lit, UnOp};

pub(crate) fn parse_column_type_attr(ctx: &Ctx, item: &AttrItem) -> Result<ColumnType, ModelError> {
    let s = item
        .str_value()
        .ok_or_else(|| ctx.err(item.span, "column_type takes a string"))?;
    let expr: Expr =
        syn::parse_str(&s).map_err(|e| ctx.err(item.span, format!("column_type \"{s}\": {e}")))?;
    column_type_expr(&expr).map_err(|m| ctx.err(item.span, format!("column_type \"{s}\": {m}")))
}

pub(crate) fn read_default(ctx: &Ctx, attrs: &Attrs) -> Result<Option<DefaultValue>, ModelError> {
    if let Some(item) = attrs.get("default_value") {
        let Some(value) = &item.value else {
            return Err(ctx.err(item.span, "default_value needs a value"));
        };
        return literal_default(value).map(Some).ok_or_else(|| {
            ctx.err(
                item.span,
                "default_value must be a literal (string, number or bool)",
            )
        });
    }
    if let Some(item) = attrs.get("default_expr") {
        let s = item
            .str_value()
            .ok_or_else(|| ctx.err(item.span, "default_expr takes a string"))?;
        let expr: Expr = syn::parse_str(&s)
            .map_err(|e| ctx.err(item.span, format!("default_expr \"{s}\": {e}")))?;
        return expr_default(&expr).map(Some).ok_or_else(|| {
            ctx.err(
                item.span,
                format!(
                    "default_expr \"{s}\" is not understood; use Expr::current_timestamp(), \
                     Expr::current_date(), Expr::current_time(), Expr::val(..) or Expr::cust(\"SQL\")"
                ),
            )
        });
    }
    Ok(None)
}

pub(crate) fn literal_default(e: &Expr) -> Option<DefaultValue> {
    match e {
        Expr::Lit(l) => match &l.lit {
            Lit::Str(s) => Some(DefaultValue::String(s.value())),
            Lit::Int(i) => Some(DefaultValue::Number(canonical_number(i.base10_digits()))),
            Lit::Float(f) => Some(DefaultValue::Number(canonical_number(f.base10_digits()))),
            Lit::Bool(b) => Some(DefaultValue::Bool(b.value)),
            _ => None,
        },
        Expr::Unary(u) if matches!(u.op, UnOp::Neg(_)) => match literal_default(&u.expr)? {
            DefaultValue::Number(n) => {
                Some(DefaultValue::Number(canonical_number(&format!("-{n}"))))
            }
            _ => None,
        },
        Expr::Paren(p) => literal_default(&p.expr),
        Expr::Group(g) => literal_default(&g.expr),
        Expr::MethodCall(m)
            if m.method == "to_owned" || m.method == "to_string" || m.method == "into" =>
        {
            literal_default(&m.receiver)
        }
        _ => None,
    }
}

/// `Expr::current_timestamp()` and friends, as SeaORM's `default_expr` takes them.
pub(crate) fn expr_default(e: &Expr) -> Option<DefaultValue> {
    let Expr::Call(call) = e else {
        return literal_default(e);
    };
    let Expr::Path(p) = &*call.func else {
        return None;
    };
    let name = p.path.segments.last()?.ident.to_string();
    match name.as_str() {
        "current_timestamp" => Some(DefaultValue::CurrentTimestamp),
        "current_date" => Some(DefaultValue::CurrentDate),
        "current_time" => Some(DefaultValue::CurrentTime),
        "val" | "value" => literal_default(call.args.first()?),
        "cust" | "custom_keyword" => match literal_default(call.args.first()?)? {
            DefaultValue::String(sql) => Some(autogen_schema::default_from_sql(&sql)),
            _ => None,
        },
        _ => None,
    }
}

/// The SQL of `Expr::cust("…")`: a default whose exact spelling the entity gives, written as
/// it is (`now()` stays `now()`).
pub(crate) fn cust_sql(e: &Expr) -> Option<String> {
    let Expr::Call(call) = e else {
        return None;
    };
    let Expr::Path(p) = &*call.func else {
        return None;
    };
    let name = p.path.segments.last()?.ident.to_string();
    if !matches!(name.as_str(), "cust" | "custom_keyword") {
        return None;
    }
    as_string(literal_default(call.args.first()?)?)
}

/// [`cust_sql`] of a `default_expr = "…"` attribute.
pub(crate) fn default_expr_sql(attrs: &Attrs) -> Option<String> {
    let s = attrs.get("default_expr")?.str_value()?;
    cust_sql(&syn::parse_str::<Expr>(&s).ok()?)
}

pub(crate) fn as_string(d: DefaultValue) -> Option<String> {
    match d {
        DefaultValue::String(s) => Some(s),
        _ => None,
    }
}

/// `ON UPDATE CURRENT_TIMESTAMP` (any case, optional `()`): the `extra` autogen models.
pub(crate) fn on_update_extra(text: Option<&str>) -> Option<DefaultValue> {
    let words: Vec<String> = text?
        .split_whitespace()
        .map(|w| w.to_ascii_uppercase())
        .collect();
    match words.as_slice() {
        [on, update, now] if on == "ON" && update == "UPDATE" => matches!(
            now.as_str(),
            "CURRENT_TIMESTAMP" | "CURRENT_TIMESTAMP()" | "NOW()"
        )
        .then_some(DefaultValue::CurrentTimestamp),
        _ => None,
    }
}
