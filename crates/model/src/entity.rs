//! Entity files -> raw entities -> resolved [`Schema`].

use crate::attrs::{Attrs, has_attr_path, has_derive, sea_orm_attrs};
use crate::types::{column_type_expr, generic_arg, last_ident, rust_type_to_column, unwrap_option};
use crate::{Location, ModelError};
use autogen_schema::lexical::{foreign_key_name, index_name, unique_key_index_name};
use autogen_schema::{
    Column, ColumnType, DefaultValue, EnumType, FkAction, ForeignKey, Index, Schema, Table, Unique,
    canonical_number,
};
use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::Span;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use syn::spanned::Spanned;
use syn::{Expr, Fields, ImplItem, Item, Lit, Stmt, Type, UnOp};

const FIELD_KEYS: &[&str] = &[
    "primary_key",
    "auto_increment",
    "column_type",
    "column_name",
    "nullable",
    "unique",
    "unique_key",
    "indexed",
    "default_value",
    "default_expr",
    "enum_name",
    "comment",
    "renamed_from",
    "extra",
    "ignore",
    "select_as",
    "save_as",
    // dense-format relation fields
    "belongs_to",
    "has_one",
    "has_many",
    "from",
    "to",
    "on_delete",
    "on_update",
    "fk_name",
    "skip_fk",
    "relation_enum",
    "relation_reverse",
    "via",
    "via_rel",
    "self_ref",
    "on_condition",
    "condition_type",
];
const STRUCT_KEYS: &[&str] = &[
    "table_name",
    "schema_name",
    "comment",
    "renamed_from",
    "table_iden",
    "model_attrs",
    "active_model_attrs",
    "column_name_case",
];
const RELATION_KEYS: &[&str] = &[
    "belongs_to",
    "has_one",
    "has_many",
    "from",
    "to",
    "on_delete",
    "on_update",
    "fk_name",
    "skip_fk",
    "on_condition",
    "condition_type",
    "condition",
];

struct Ctx<'a> {
    path: &'a Path,
}

impl Ctx<'_> {
    fn err(&self, span: Span, message: impl Into<String>) -> ModelError {
        let start = span.start();
        ModelError::At {
            location: Location {
                file: self.path.to_path_buf(),
                line: start.line,
                column: start.column + 1,
            },
            message: message.into(),
        }
    }

    fn syn_err(&self, e: syn::Error) -> ModelError {
        self.err(e.span(), e.to_string())
    }

    fn check_keys(&self, attrs: &Attrs, allowed: &[&str], what: &str) -> Result<(), ModelError> {
        for item in &attrs.items {
            if !allowed.contains(&item.key.as_str()) {
                return Err(self.err(
                    item.span,
                    format!("unknown #[sea_orm({})] on {what}", item.key),
                ));
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone)]
enum TypeSpec {
    Known(ColumnType),
    /// A type that is not a built-in: an active enum, resolved after all files are read.
    Named(String),
}

#[derive(Debug, Clone)]
struct RawColumn {
    /// The Rust name of the `Column` variant (`CakeId`), for relation references.
    variant: String,
    /// The Rust field name, if the entity has a `Model` field for it.
    field: Option<String>,
    name: String,
    ty: TypeSpec,
    nullable: bool,
    primary_key: bool,
    auto_increment: Option<bool>,
    unique: bool,
    unique_key: Option<String>,
    indexed: bool,
    default: Option<DefaultValue>,
    /// `extra = "ON UPDATE CURRENT_TIMESTAMP"`, the one `extra` autogen understands.
    on_update: Option<DefaultValue>,
    comment: Option<String>,
    renamed_from: Option<String>,
    span: Span,
    file: PathBuf,
}

#[derive(Debug, Clone)]
struct RawRelation {
    target_module: String,
    from: Vec<String>,
    to: Vec<String>,
    on_delete: Option<FkAction>,
    on_update: Option<FkAction>,
    fk_name: Option<String>,
    span: Span,
}

#[derive(Debug, Default)]
struct RawEntity {
    module: String,
    file: PathBuf,
    table_name: Option<String>,
    comment: Option<String>,
    renamed_from: Option<String>,
    columns: Vec<RawColumn>,
    relations: Vec<RawRelation>,
    /// Expanded format: `PrimaryKey` variants and `auto_increment()`.
    pk_variants: Vec<String>,
    pk_auto_increment: Option<bool>,
    span: Option<Span>,
}

#[derive(Debug, Clone)]
struct RawEnum {
    ty: ColumnType,
    values: Vec<String>,
}

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
                    read_model_struct(ctx, s, entity)?;
                }
            }
            Item::Enum(e) if has_derive(&e.attrs, "DeriveActiveEnum") => {
                let (name, raw) = read_active_enum(ctx, e)?;
                enums.insert(name, raw);
            }
            Item::Enum(e) if e.ident == "Relation" && has_derive(&e.attrs, "DeriveRelation") => {
                read_relation_enum(ctx, e, entity)?;
            }
            Item::Enum(e) if e.ident == "Column" && has_derive(&e.attrs, "DeriveColumn") => {
                read_column_enum(ctx, e, entity)?;
            }
            Item::Enum(e)
                if e.ident == "PrimaryKey" && has_derive(&e.attrs, "DerivePrimaryKey") =>
            {
                entity.pk_variants = e.variants.iter().map(|v| v.ident.to_string()).collect();
            }
            Item::Impl(i) => read_impl(ctx, i, entity)?,
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

fn read_model_struct(
    ctx: &Ctx,
    s: &syn::ItemStruct,
    entity: &mut RawEntity,
) -> Result<(), ModelError> {
    let attrs = sea_orm_attrs(&s.attrs).map_err(|e| ctx.syn_err(e))?;
    ctx.check_keys(&attrs, STRUCT_KEYS, "an entity")?;
    entity.span = Some(s.ident.span());
    entity.table_name = attrs.str("table_name");
    if let Some(item) = attrs.get("schema_name") {
        return Err(ctx.err(
            item.span,
            "schema_name is not supported yet: autogen manages the connection's current schema \
             (set it with the database URL's search_path)",
        ));
    }
    entity.comment = attrs.str("comment");
    entity.renamed_from = attrs.str("renamed_from");
    let Fields::Named(fields) = &s.fields else {
        return Err(ctx.err(s.ident.span(), "entity Model must have named fields"));
    };
    for field in &fields.named {
        let Some(ident) = &field.ident else { continue };
        let fattrs = sea_orm_attrs(&field.attrs).map_err(|e| ctx.syn_err(e))?;
        ctx.check_keys(&fattrs, FIELD_KEYS, "a field")?;
        if fattrs.has("ignore") {
            continue;
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
        if let Some(kind) = ["HasMany", "HasOne", "BelongsTo"]
            .into_iter()
            .find(|k| generic_arg(&field.ty, k).is_some())
        {
            if fattrs.get("belongs_to").is_some() || fattrs.get("self_ref").is_some() {
                let target = generic_arg(&field.ty, kind).and_then(type_module);
                let target_module = target.unwrap_or_else(|| entity.module.clone());
                entity
                    .relations
                    .push(read_relation(ctx, &fattrs, target_module, ident.span())?);
            }
            continue;
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
        let auto_increment = match fattrs.get("auto_increment") {
            Some(item) => Some(
                item.bool_value()
                    .ok_or_else(|| ctx.err(item.span, "auto_increment takes true or false"))?,
            ),
            None => None,
        };
        let variant = fattrs
            .str("enum_name")
            .unwrap_or_else(|| field_name.to_upper_camel_case());
        entity.columns.push(RawColumn {
            variant,
            field: Some(field_name.clone()),
            name: fattrs.str("column_name").unwrap_or(field_name),
            ty,
            nullable: nullable || fattrs.has("nullable"),
            primary_key: fattrs.has("primary_key"),
            auto_increment,
            unique: fattrs.has("unique"),
            unique_key: fattrs.str("unique_key"),
            indexed: fattrs.has("indexed"),
            default,
            on_update,
            comment: fattrs.str("comment"),
            renamed_from: fattrs.str("renamed_from"),
            span: ident.span(),
            file: ctx.path.to_path_buf(),
        });
    }
    Ok(())
}

fn parse_column_type_attr(
    ctx: &Ctx,
    item: &crate::attrs::AttrItem,
) -> Result<ColumnType, ModelError> {
    let s = item
        .str_value()
        .ok_or_else(|| ctx.err(item.span, "column_type takes a string"))?;
    let expr: Expr =
        syn::parse_str(&s).map_err(|e| ctx.err(item.span, format!("column_type \"{s}\": {e}")))?;
    column_type_expr(&expr).map_err(|m| ctx.err(item.span, format!("column_type \"{s}\": {m}")))
}

fn read_default(ctx: &Ctx, attrs: &Attrs) -> Result<Option<DefaultValue>, ModelError> {
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

fn literal_default(e: &Expr) -> Option<DefaultValue> {
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
fn expr_default(e: &Expr) -> Option<DefaultValue> {
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

fn read_relation(
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
        span,
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
fn type_module(ty: &Type) -> Option<String> {
    let Type::Path(p) = ty else { return None };
    path_module(&p.path)
}

fn path_module(path: &syn::Path) -> Option<String> {
    let segs: Vec<_> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    if segs.len() >= 2 {
        let m = &segs[segs.len() - 2];
        if m != "super" && m != "self" && m != "crate" {
            return Some(m.clone());
        }
    }
    None
}

fn str_module(s: &str) -> Option<String> {
    syn::parse_str::<syn::Path>(s)
        .ok()
        .and_then(|p| path_module(&p))
}

fn read_relation_enum(
    ctx: &Ctx,
    e: &syn::ItemEnum,
    entity: &mut RawEntity,
) -> Result<(), ModelError> {
    for v in &e.variants {
        let attrs = sea_orm_attrs(&v.attrs).map_err(|e| ctx.syn_err(e))?;
        ctx.check_keys(&attrs, RELATION_KEYS, "a relation")?;
        if attrs.has("skip_fk") {
            continue;
        }
        let Some(item) = attrs.get("belongs_to") else {
            continue;
        };
        let target = item.str_value().ok_or_else(|| {
            ctx.err(
                item.span,
                "belongs_to takes the target entity path as a string",
            )
        })?;
        let module = if target == "Entity" {
            entity.module.clone()
        } else {
            str_module(&target).ok_or_else(|| {
                ctx.err(
                    item.span,
                    format!(
                        "cannot tell which entity `{target}` is; write super::<module>::Entity"
                    ),
                )
            })?
        };
        entity
            .relations
            .push(read_relation(ctx, &attrs, module, v.ident.span())?);
    }
    Ok(())
}

fn read_active_enum(ctx: &Ctx, e: &syn::ItemEnum) -> Result<(String, RawEnum), ModelError> {
    let attrs = sea_orm_attrs(&e.attrs).map_err(|err| ctx.syn_err(err))?;
    let db_type = attrs
        .str("db_type")
        .ok_or_else(|| ctx.err(e.ident.span(), "DeriveActiveEnum needs db_type"))?;
    let mut values = Vec::new();
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
    Ok((e.ident.to_string(), RawEnum { ty, values }))
}

// ---- expanded format -------------------------------------------------------------------------

fn read_column_enum(
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
            unique: false,
            unique_key: None,
            indexed: false,
            default: None,
            on_update: None,
            comment: None,
            renamed_from: None,
            span: v.ident.span(),
            file: ctx.path.to_path_buf(),
        });
    }
    Ok(())
}

fn impl_trait_name(i: &syn::ItemImpl) -> Option<String> {
    let (path, _) = i.trait_.as_ref()?;
    path.segments.last().map(|s| s.ident.to_string())
}

fn read_impl(ctx: &Ctx, i: &syn::ItemImpl, entity: &mut RawEntity) -> Result<(), ModelError> {
    let Some(trait_name) = impl_trait_name(i) else {
        return Ok(());
    };
    for item in &i.items {
        let ImplItem::Fn(f) = item else { continue };
        let fname = f.sig.ident.to_string();
        match (trait_name.as_str(), fname.as_str()) {
            ("EntityName", "table_name") => {
                entity.span = Some(f.sig.ident.span());
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
            ("RelationTrait", "def") => {
                for (_, expr) in match_arms(ctx, &f.block.stmts, f.sig.ident.span())? {
                    if let Some(rel) = read_relation_expr(ctx, entity, expr)? {
                        entity.relations.push(rel);
                    }
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
                )
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

fn as_string(d: DefaultValue) -> Option<String> {
    match d {
        DefaultValue::String(s) => Some(s),
        _ => None,
    }
}

fn read_relation_expr(
    ctx: &Ctx,
    entity: &RawEntity,
    expr: &Expr,
) -> Result<Option<RawRelation>, ModelError> {
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
    if kind != "belongs_to" {
        return Ok(None);
    }
    let target_module = match c.args.first() {
        Some(Expr::Path(tp)) => path_module(&tp.path).unwrap_or_else(|| entity.module.clone()),
        _ => return Err(ctx.err(span, "belongs_to(..) takes the target Entity")),
    };
    let mut rel = RawRelation {
        target_module,
        from: Vec::new(),
        to: Vec::new(),
        on_delete: None,
        on_update: None,
        fk_name: None,
        span,
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
            "skip_fk" => return Ok(None),
            _ => {}
        }
    }
    Ok(Some(rel))
}

// ---- resolution ------------------------------------------------------------------------------

fn resolve(
    entities: Vec<RawEntity>,
    enums: &BTreeMap<String, RawEnum>,
) -> Result<Schema, ModelError> {
    let mut schema = Schema::default();
    let by_module: BTreeMap<&str, &RawEntity> =
        entities.iter().map(|e| (e.module.as_str(), e)).collect();
    for entity in &entities {
        let ctx = Ctx { path: &entity.file };
        let table_name = entity.table_name.clone().unwrap_or_default();
        if schema.tables.contains_key(&table_name) {
            let span = entity.span.unwrap_or_else(Span::call_site);
            return Err(ctx.err(
                span,
                format!("table `{table_name}` is defined by two entities"),
            ));
        }
        let mut table = Table::new(table_name.clone());
        table.comment = entity.comment.clone();
        table.renamed_from = entity.renamed_from.clone();
        let pk: Vec<&RawColumn> = entity
            .columns
            .iter()
            .filter(|c| c.primary_key || entity.pk_variants.contains(&c.variant))
            .collect();
        let mut unique_keys: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for raw in &entity.columns {
            let ty = match &raw.ty {
                TypeSpec::Known(ColumnType::Custom(c)) if c == "unknown" => {
                    return Err(Ctx { path: &raw.file }.err(
                        raw.span,
                        format!(
                            "column `{}` has no definition in `impl ColumnTrait for Column`",
                            raw.name
                        ),
                    ));
                }
                TypeSpec::Known(t) => t.clone(),
                TypeSpec::Named(name) => {
                    let e = enums.get(name).ok_or_else(|| {
                        Ctx { path: &raw.file }.err(
                            raw.span,
                            format!(
                                "type `{name}` of column `{}` is neither a SeaORM value type nor a DeriveActiveEnum \
                                 in the models directory; add #[sea_orm(column_type = \"...\")]",
                                raw.name
                            ),
                        )
                    })?;
                    if let ColumnType::Enum(enum_name) = &e.ty {
                        schema.enums.insert(
                            enum_name.clone(),
                            EnumType {
                                name: enum_name.clone(),
                                values: e.values.clone(),
                            },
                        );
                    }
                    e.ty.clone()
                }
            };
            let is_pk = pk.iter().any(|p| p.variant == raw.variant);
            let auto_increment = is_pk
                && pk.len() == 1
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
                    unique: false,
                    predicate: None,
                });
            }
            if raw.unique {
                table.uniques.push(Unique {
                    name: None,
                    columns: vec![raw.name.clone()],
                });
            }
            if let Some(key) = &raw.unique_key {
                unique_keys
                    .entry(key.clone())
                    .or_default()
                    .push(raw.name.clone());
            }
            table.columns.push(Column {
                name: raw.name.clone(),
                ty,
                nullable: raw.nullable && !is_pk,
                default: raw.default.clone(),
                auto_increment,
                on_update: raw.on_update.clone(),
                comment: raw.comment.clone(),
                renamed_from: raw.renamed_from.clone(),
            });
        }
        for (key, columns) in unique_keys {
            table.indexes.push(Index {
                name: unique_key_index_name(&table_name, &key),
                columns,
                unique: true,
                predicate: None,
            });
        }
        table.primary_key = pk.iter().map(|c| c.name.clone()).collect();
        for rel in &entity.relations {
            let target = by_module.get(rel.target_module.as_str()).ok_or_else(|| {
                ctx.err(
                    rel.span,
                    format!(
                        "relation target module `{}` has no entity in the models directory",
                        rel.target_module
                    ),
                )
            })?;
            let from = resolve_refs(&ctx, entity, &rel.from, rel.span)?;
            let to = resolve_refs(&ctx, target, &rel.to, rel.span)?;
            table.foreign_keys.push(ForeignKey {
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
            });
        }
        schema.add_table(table);
    }
    Ok(schema)
}

fn resolve_refs(
    ctx: &Ctx,
    entity: &RawEntity,
    refs: &[String],
    span: Span,
) -> Result<Vec<String>, ModelError> {
    refs.iter()
        .map(|r| {
            entity
                .columns
                .iter()
                .find(|c| &c.variant == r || c.field.as_deref() == Some(r) || &c.name == r)
                .map(|c| c.name.clone())
                .ok_or_else(|| {
                    ctx.err(
                        span,
                        format!(
                            "relation column `{r}` is not a column of `{}`",
                            entity.table_name.clone().unwrap_or_default()
                        ),
                    )
                })
        })
        .collect()
}

/// `ON UPDATE CURRENT_TIMESTAMP` (any case, optional `()`): the `extra` autogen models.
fn on_update_extra(text: Option<&str>) -> Option<DefaultValue> {
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
