//! The expanded format: `impl EntityName`, `enum Column` with `impl ColumnTrait`,
//! `enum PrimaryKey` with `impl PrimaryKeyTrait`, `impl RelationTrait`.

use crate::attrs::sea_orm_attrs;
use crate::defaults::{as_string, cust_sql, expr_default, literal_default, on_update_extra};
use crate::error::ModelError;
use crate::raw::{Ctx, RawColumn, RawEntity, RawReference, RawRelation, TypeSpec};
use crate::relation::path_module;
use crate::types::column_type_expr;
use autogen_schema::{ColumnType, FkAction};
use heck::ToSnakeCase;
use proc_macro2::Span;
use syn::spanned::Spanned;
use syn::{Expr, ImplItem, Lit, Stmt};

pub(crate) fn read_column_enum(
    ctx: &Ctx,
    e: &syn::ItemEnum,
    entity: &mut RawEntity,
) -> Result<(), ModelError> {
    for v in &e.variants {
        let attrs = sea_orm_attrs(&v.attrs).map_err(|err| ctx.syn_err(err))?;
        let variant = v.ident.to_string();
        let name = attrs
            .str("column_name")
            .unwrap_or_else(|| variant.to_snake_case());
        if entity.columns.iter().any(|c| c.variant == variant) {
            continue;
        }
        entity.columns.push(RawColumn {
            variant,
            field: None,
            name,
            ty: TypeSpec::Known(ColumnType::Custom("unknown".into())),
            nullable: false,
            primary_key: false,
            auto_increment: None,
            declared: Vec::new(),
            unique: false,
            unique_key: None,
            indexed: false,
            default: None,
            default_sql: None,
            on_update: None,
            comment: None,
            renamed_from: None,
            at: ctx.location(v.ident.span()),
        });
    }
    Ok(())
}

fn impl_trait_name(i: &syn::ItemImpl) -> Option<String> {
    let (path, _) = i.trait_.as_ref()?;
    path.segments.last().map(|s| s.ident.to_string())
}

pub(crate) fn read_impl(
    ctx: &Ctx,
    i: &syn::ItemImpl,
    entity: &mut RawEntity,
) -> Result<(), ModelError> {
    let Some(trait_name) = impl_trait_name(i) else {
        return Ok(());
    };
    for item in &i.items {
        let ImplItem::Fn(f) = item else { continue };
        let fname = f.sig.ident.to_string();
        match (trait_name.as_str(), fname.as_str()) {
            ("EntityName", "table_name") => {
                entity.at = Some(ctx.location(f.sig.ident.span()));
                entity.table_name = tail_string(&f.block.stmts);
                if entity.table_name.is_none() {
                    return Err(ctx.err(
                        f.sig.ident.span(),
                        "table_name() must return a string literal",
                    ));
                }
            }
            ("EntityName", "comment") => entity.comment = tail_string(&f.block.stmts),
            ("PrimaryKeyTrait", "auto_increment") => {
                entity.pk_auto_increment = match tail_expr(&f.block.stmts) {
                    Some(Expr::Lit(l)) => match &l.lit {
                        Lit::Bool(b) => Some(b.value),
                        _ => None,
                    },
                    _ => None,
                };
            }
            ("ColumnTrait", "def") => {
                for (variant, expr) in match_arms(ctx, &f.block.stmts, f.sig.ident.span())? {
                    read_column_def_expr(ctx, entity, &variant, expr)?;
                }
            }
            // sea-orm-cli writes `panic!("No RelationDef")` for an entity without relations.
            ("RelationTrait", "def") if tail_is_macro(&f.block.stmts) => {}
            ("RelationTrait", "def") => {
                for (_, expr) in match_arms(ctx, &f.block.stmts, f.sig.ident.span())? {
                    read_relation_expr(ctx, entity, expr)?;
                }
            }
            _ => {}
        }
    }
    Ok(())
}

fn tail_expr(stmts: &[Stmt]) -> Option<&Expr> {
    match stmts.last()? {
        Stmt::Expr(e, None) => Some(e),
        _ => None,
    }
}

/// Whether a body ends in a macro call (`panic!(…)`, `unreachable!()`, `todo!()`).
fn tail_is_macro(stmts: &[Stmt]) -> bool {
    matches!(
        stmts.last(),
        Some(Stmt::Macro(_) | Stmt::Expr(Expr::Macro(_), _))
    )
}

fn tail_string(stmts: &[Stmt]) -> Option<String> {
    match tail_expr(stmts)? {
        Expr::Lit(l) => match &l.lit {
            Lit::Str(s) => Some(s.value()),
            _ => None,
        },
        _ => None,
    }
}

/// `match self { Self::A => expr, … }` -> [("A", expr), …].
fn match_arms<'a>(
    ctx: &Ctx,
    stmts: &'a [Stmt],
    span: Span,
) -> Result<Vec<(String, &'a Expr)>, ModelError> {
    let Some(Expr::Match(m)) = tail_expr(stmts) else {
        return Err(ctx.err(
            span,
            "expected the body to be `match self { Self::Variant => ... }`",
        ));
    };
    let mut out = Vec::new();
    for arm in &m.arms {
        let variant = match &arm.pat {
            syn::Pat::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
            _ => None,
        }
        .ok_or_else(|| ctx.err(arm.pat.span(), "expected a `Self::Variant` pattern"))?;
        out.push((variant, &*arm.body));
    }
    Ok(out)
}

/// Flattens `a.b(x).c()` into (receiver, [(method, args)…]).
fn method_chain(e: &Expr) -> (&Expr, Vec<(String, Vec<&Expr>)>) {
    let mut calls = Vec::new();
    let mut cur = e;
    while let Expr::MethodCall(m) = cur {
        calls.push((m.method.to_string(), m.args.iter().collect()));
        cur = &m.receiver;
    }
    calls.reverse();
    (cur, calls)
}

fn read_column_def_expr(
    ctx: &Ctx,
    entity: &mut RawEntity,
    variant: &str,
    expr: &Expr,
) -> Result<(), ModelError> {
    let span = expr.span();
    let (base, calls) = method_chain(expr);
    // `FeeStatus::db_type()` (an active enum) or `ColumnType::X(..)`.
    let mut calls = calls.into_iter().peekable();
    let ty = if let Expr::Call(c) = base
        && let Expr::Path(p) = &*c.func
        && p.path.segments.last().is_some_and(|s| s.ident == "db_type")
        && p.path.segments.len() >= 2
    {
        TypeSpec::Named(p.path.segments[p.path.segments.len() - 2].ident.to_string())
    } else {
        TypeSpec::Known(column_type_expr(base).map_err(|m| ctx.err(span, m))?)
    };
    let col = entity
        .columns
        .iter_mut()
        .find(|c| c.variant == variant)
        .ok_or_else(|| {
            ctx.err(
                span,
                format!("`Self::{variant}` is not a variant of `enum Column`"),
            )
        })?;
    col.ty = ty;
    for (method, args) in calls.by_ref() {
        let arg = args.first().copied();
        match method.as_str() {
            "def" | "into" => {}
            "null" | "nullable" => col.nullable = true,
            "not_null" => col.nullable = false,
            "unique" => col.unique = true,
            "indexed" => col.indexed = true,
            "unique_key" => col.unique_key = arg.and_then(literal_default).and_then(as_string),
            "comment" => col.comment = arg.and_then(literal_default).and_then(as_string),
            "renamed_from" => col.renamed_from = arg.and_then(literal_default).and_then(as_string),
            "default_value" => {
                col.default = Some(
                    arg.and_then(literal_default)
                        .ok_or_else(|| ctx.err(span, "default_value(..) must be a literal"))?,
                )
            }
            "default" => {
                col.default = Some(
                    arg.and_then(expr_default)
                        .ok_or_else(|| ctx.err(span, "default(..) is not understood"))?,
                );
                col.default_sql = arg.and_then(cust_sql);
            }
            "select_as" | "save_as" => {}
            "extra" => {
                let text = arg.and_then(|a| match a {
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }) => Some(s.value()),
                    _ => None,
                });
                col.on_update = Some(on_update_extra(text.as_deref()).ok_or_else(|| {
                    ctx.err(
                        span,
                        "`.extra(..)` is raw SQL that autogen cannot compare with the database \
                         (it understands only \"ON UPDATE CURRENT_TIMESTAMP\")",
                    )
                })?);
            }
            other => {
                return Err(ctx.err(
                    span,
                    format!("column definition method `.{other}()` is not understood"),
                ));
            }
        }
    }
    Ok(())
}

/// `Entity::belongs_to(…).from(…).to(…)…` is a foreign key; `has_many` / `has_one` carry no
/// schema, but must name an entity that exists.
fn read_relation_expr(ctx: &Ctx, entity: &mut RawEntity, expr: &Expr) -> Result<(), ModelError> {
    let span = expr.span();
    let (base, calls) = method_chain(expr);
    let Expr::Call(c) = base else {
        return Err(ctx.err(
            span,
            "expected `Entity::belongs_to(..)` / `Entity::has_many(..)`",
        ));
    };
    let Expr::Path(p) = &*c.func else {
        return Err(ctx.err(span, "expected `Entity::belongs_to(..)`"));
    };
    let kind = p
        .path
        .segments
        .last()
        .map(|s| s.ident.to_string())
        .unwrap_or_default();
    let target_module = match c.args.first() {
        Some(Expr::Path(tp)) => path_module(&tp.path).unwrap_or_else(|| entity.module.clone()),
        _ => return Err(ctx.err(span, format!("{kind}(..) takes the target Entity"))),
    };
    if kind != "belongs_to" {
        if kind == "has_many" || kind == "has_one" {
            entity.references.push(RawReference {
                target_module,
                at: ctx.location(span),
            });
        }
        return Ok(());
    }
    let mut rel = RawRelation {
        target_module,
        from: Vec::new(),
        to: Vec::new(),
        on_delete: None,
        on_update: None,
        fk_name: None,
        deferrable: None,
        at: ctx.location(span),
    };
    for (method, args) in calls {
        let refs = || -> Vec<String> {
            args.iter()
                .flat_map(|a| match a {
                    Expr::Tuple(t) => t.elems.iter().collect::<Vec<_>>(),
                    other => vec![*other],
                })
                .filter_map(|a| match a {
                    Expr::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
                    _ => None,
                })
                .collect()
        };
        let action = || {
            args.first().and_then(|a| match a {
                Expr::Path(p) => p
                    .path
                    .segments
                    .last()
                    .and_then(|s| FkAction::parse(&s.ident.to_string())),
                _ => None,
            })
        };
        match method.as_str() {
            "from" => rel.from = refs(),
            "to" => rel.to = refs(),
            "on_delete" => rel.on_delete = action(),
            "on_update" => rel.on_update = action(),
            "fk_name" => {
                rel.fk_name = args
                    .first()
                    .and_then(|a| literal_default(a))
                    .and_then(as_string)
            }
            "skip_fk" => return Ok(()),
            _ => {}
        }
    }
    entity.relations.push(rel);
    Ok(())
}
