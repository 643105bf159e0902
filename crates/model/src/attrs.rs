//! `#[sea_orm(...)]` attribute lists, kept with their spans for error messages.

use proc_macro2::Span;
use syn::{Attribute, Expr, Lit, Token};

#[derive(Debug, Clone)]
pub struct AttrItem {
    pub key: String,
    /// `key = value`; `None` for a bare flag such as `primary_key`.
    pub value: Option<Expr>,
    pub span: Span,
}

impl AttrItem {
    /// The value as a string literal's contents.
    pub fn str_value(&self) -> Option<String> {
        match self.value.as_ref()? {
            Expr::Lit(l) => match &l.lit {
                Lit::Str(s) => Some(s.value()),
                _ => None,
            },
            _ => None,
        }
    }

    /// The value as a boolean literal; a bare flag counts as `true`.
    pub fn bool_value(&self) -> Option<bool> {
        match &self.value {
            None => Some(true),
            Some(Expr::Lit(l)) => match &l.lit {
                Lit::Bool(b) => Some(b.value),
                _ => None,
            },
            _ => None,
        }
    }
}

#[derive(Debug, Default, Clone)]
pub struct Attrs {
    pub items: Vec<AttrItem>,
}

impl Attrs {
    pub fn get(&self, key: &str) -> Option<&AttrItem> {
        self.items.iter().find(|i| i.key == key)
    }

    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some_and(|i| i.bool_value() != Some(false))
    }

    pub fn str(&self, key: &str) -> Option<String> {
        self.get(key).and_then(AttrItem::str_value)
    }
}

/// Collects the items of every `#[sea_orm(...)]` attribute in `attrs`.
pub fn sea_orm_attrs(attrs: &[Attribute]) -> syn::Result<Attrs> {
    let mut out = Attrs::default();
    for attr in attrs {
        if !attr.path().is_ident("sea_orm") {
            continue;
        }
        // `#[sea_orm]` alone has no list.
        if matches!(attr.meta, syn::Meta::Path(_)) {
            continue;
        }
        attr.parse_nested_meta(|meta| {
            let key = meta
                .path
                .get_ident()
                .map(|i| i.to_string())
                .unwrap_or_else(|| {
                    meta.path
                        .segments
                        .iter()
                        .map(|s| s.ident.to_string())
                        .collect::<Vec<_>>()
                        .join("::")
                });
            let span = meta
                .path
                .segments
                .first()
                .map(|s| s.ident.span())
                .unwrap_or_else(Span::call_site);
            let value = if meta.input.peek(Token![=]) {
                Some(meta.value()?.parse::<Expr>()?)
            } else if meta.input.peek(syn::token::Paren) {
                let content;
                syn::parenthesized!(content in meta.input);
                let _ = content.parse::<proc_macro2::TokenStream>()?;
                None
            } else {
                None
            };
            out.items.push(AttrItem { key, value, span });
            Ok(())
        })?;
    }
    Ok(out)
}

/// True if any `#[derive(...)]` in `attrs` names `name` (also as `sea_orm::name`).
pub fn has_derive(attrs: &[Attribute], name: &str) -> bool {
    attrs.iter().any(|a| {
        if !a.path().is_ident("derive") {
            return false;
        }
        let mut found = false;
        let _ = a.parse_nested_meta(|meta| {
            if meta.path.segments.last().is_some_and(|s| s.ident == name) {
                found = true;
            }
            Ok(())
        });
        found
    })
}

/// True if an attribute's path ends with `name` (`#[sea_orm::model]` for `model`).
pub fn has_attr_path(attrs: &[Attribute], first: &str, last: &str) -> bool {
    attrs.iter().any(|a| {
        let segs: Vec<_> = a
            .path()
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        segs.len() == 2 && segs[0] == first && segs[1] == last
    })
}
