//! autogen's own declarations in entity files, for what SeaORM's attributes cannot say: named,
//! multi-column, partial and non-B-tree indexes, named UNIQUE constraints, the order and name of
//! a primary key (or its absence in the database), and PostgreSQL domains.
//!
//! They are written `#[cfg_attr(any(), autogen(…))]`. `any()` is never true, so the compiler
//! drops the attribute before any derive or attribute macro sees it: the entity compiles, and
//! behaves, exactly as without it. autogen reads it from the source:
//!
//! ```text
//! #[cfg_attr(any(), autogen(primary_key(columns("payment_date", "payment_id"))))]
//! #[cfg_attr(any(), autogen(index(name = "idx_title", columns("title"))))]
//! #[cfg_attr(any(), autogen(index(name = "film_fulltext_idx", columns("fulltext"), using = "gist")))]
//! #[cfg_attr(any(), autogen(index(name = "active_users", columns("email"), unique, predicate = "(active = true)")))]
//! #[cfg_attr(any(), autogen(unique(name = "uq_pair", columns("a", "b"))))]
//! #[cfg_attr(any(), autogen(no_primary_key))]
//! #[cfg_attr(any(), autogen(extension(name = "citext")))]
//! #[cfg_attr(any(), autogen(foreign_key(name = "fk_film_language")))] // on a dense `belongs_to` field
//! #[cfg_attr(any(), autogen(foreign_key(deferrable = "deferred")))] // on a relation (PostgreSQL)
//! #[cfg_attr(any(), autogen(check(name = "price_positive", definition = "CHECK (price > 0)")))]
//! #[cfg_attr(any(), autogen(domain(name = "year", base = "integer", check(name = "year_check", definition = "CHECK (...)"))))]
//! #[cfg_attr(any(), autogen(partitioned(by = "RANGE (payment_date)")))]
//! #[cfg_attr(any(), autogen(partition(of = "payment", bound = "FOR VALUES FROM ('2022-01-01') TO ('2022-02-01')")))]
//! #[cfg_attr(any(), autogen(inherits(tables("payment"))))]
//! ```

use crate::declaration::{Declaration, Declared};
use crate::error::ModelError;
use crate::raw::Ctx;
use autogen_schema::lexical::closest;
use autogen_schema::{
    Check, Deferrable, Domain, DomainCheck, Generated, IdentitySequence, Index, PartitionOf,
    SequenceOptions, Unique,
};
use syn::meta::ParseNestedMeta;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Attribute, LitStr, Meta, Token};

const KINDS: &[&str] = &[
    "primary_key",
    "no_primary_key",
    "index",
    "unique",
    "domain",
    "check",
    "auto_increment",
    "owns_sequence",
    "identity_always",
    "identity",
    "generated",
    "foreign_key",
    "extension",
    "sequence",
    "partitioned",
    "partition",
    "inherits",
    "collate",
    "options",
];

/// The declarations among `attrs`.
pub(crate) fn declarations(ctx: &Ctx, attrs: &[Attribute]) -> Result<Vec<Declared>, ModelError> {
    let mut out = Vec::new();
    for attr in attrs {
        if !attr.path().is_ident("cfg_attr") {
            continue;
        }
        let Ok(args) = attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated) else {
            continue;
        };
        let mut args = args.into_iter();
        let Some(predicate) = args.next() else {
            continue;
        };
        for meta in args {
            if !meta.path().is_ident("autogen") {
                continue;
            }
            if !is_never(&predicate) {
                return Err(ctx.err(
                    predicate.span(),
                    "autogen declarations are written #[cfg_attr(any(), autogen(...))]: `any()` \
                     keeps them out of the compiled code",
                ));
            }
            let Meta::List(list) = &meta else {
                return Err(ctx.err(meta.span(), "autogen(...) needs a declaration"));
            };
            list.parse_nested_meta(|m| {
                out.push(declaration(ctx, &m)?);
                Ok(())
            })
            .map_err(|e| ctx.syn_err(e))?;
        }
    }
    Ok(out)
}

/// `any()`: the predicate that is never true.
fn is_never(predicate: &Meta) -> bool {
    matches!(predicate, Meta::List(l) if l.path.is_ident("any") && l.tokens.is_empty())
}

fn declaration(ctx: &Ctx, m: &ParseNestedMeta) -> syn::Result<Declared> {
    let at = ctx.location(m.path.span());
    Ok(Declared {
        decl: parse(m)?,
        at,
    })
}

/// One declaration's grammar, the inverse of [`Declaration::print`].
fn parse(m: &ParseNestedMeta) -> syn::Result<Declaration> {
    let kind = m
        .path
        .get_ident()
        .map(|i| i.to_string())
        .unwrap_or_default();
    match kind.as_str() {
        "auto_increment" | "owns_sequence" | "identity_always" => Ok(flag(&kind)),
        "sequence" | "collate" | "extension" => named(m, &kind),
        "identity" => identity(m),
        "foreign_key" => {
            let d = Fields::read(m, &["name", "deferrable"])?;
            let deferrable = match d.deferrable.as_deref() {
                None => None,
                Some(word) => Some(Deferrable::parse(word).ok_or_else(|| {
                    m.error(format!(
                        "deferrable = \"{word}\": say \"deferred\" (DEFERRABLE INITIALLY DEFERRED) \
                         or \"immediate\" (DEFERRABLE INITIALLY IMMEDIATE)"
                    ))
                })?),
            };
            if d.name.is_none() && deferrable.is_none() {
                return Err(m.error("foreign_key(...) needs name = \"…\" or deferrable = \"…\""));
            }
            Ok(Declaration::ForeignKey {
                name: d.name,
                deferrable,
            })
        }
        "no_primary_key" => Ok(Declaration::PrimaryKey {
            name: None,
            columns: Vec::new(),
        }),
        "primary_key" => {
            let mut d = Fields::read(m, &["name", "columns"])?;
            if d.columns.is_empty() {
                return Err(m.error("primary_key(...) needs columns(\"a\", ...); a table without one is no_primary_key"));
            }
            Ok(Declaration::PrimaryKey {
                name: d.name.take(),
                columns: d.columns,
            })
        }
        "index" => index(m),
        "unique" => {
            let d = Fields::read(m, &["name", "columns"])?;
            if d.columns.is_empty() {
                return Err(m.error("unique(...) needs columns(\"a\", ...)"));
            }
            Ok(Declaration::Unique(Unique {
                name: d.name,
                columns: d.columns,
                derived: false,
            }))
        }
        "check" => {
            let d = Fields::read(m, &["name", "definition"])?;
            match d.definition {
                Some(definition)
                    if definition
                        .trim_start()
                        .get(..5)
                        .is_some_and(|w| w.eq_ignore_ascii_case("check")) =>
                {
                    Ok(Declaration::Check(Check {
                        name: d.name,
                        definition,
                        ..Check::default()
                    }))
                }
                _ => Err(m.error("check(...) needs definition = \"CHECK (…)\"")),
            }
        }
        "partitioned" | "partition" | "inherits" => lineage(m, &kind),
        "generated" => {
            let d = Fields::read(m, &["expression", "stored"])?;
            match d.expression {
                Some(expression) if !expression.trim().is_empty() => {
                    Ok(Declaration::Generated(Generated {
                        expression,
                        stored: d.stored,
                    }))
                }
                _ => Err(m.error(
                    "generated(...) needs expression = \"…\" (and `stored` where the values \
                     are stored rather than computed when read)",
                )),
            }
        }
        "options" => {
            let values = Fields::read(m, &["values"])?.values;
            if values.iter().any(|v| v.trim().is_empty()) || values.is_empty() {
                return Err(m.error("options(...) needs values(\"STRICT\", ...)"));
            }
            Ok(Declaration::Options(values))
        }
        "domain" => {
            let d = Fields::read(m, &["name", "base", "not_null", "default", "check"])?;
            let name = d.required_name(m)?;
            let Some(base) = d.base else {
                return Err(m.error("domain(...) needs base = \"<type>\""));
            };
            Ok(Declaration::Domain(Domain {
                name,
                base,
                not_null: d.not_null,
                default: d.default,
                checks: d.checks,
            }))
        }
        _ => Err(m.error(format!(
            "unknown autogen declaration `{kind}`{}; autogen declares {}",
            suggestion(&kind, KINDS),
            KINDS.join(", ")
        ))),
    }
}

/// `index(name = …, columns(…)[, unique][, using = …][, predicate = …][, lengths(…)])`.
fn index(m: &ParseNestedMeta) -> syn::Result<Declaration> {
    let d = Fields::read(
        m,
        &["name", "columns", "unique", "using", "predicate", "lengths"],
    )?;
    if !d.lengths.is_empty() && d.lengths.len() != d.columns.len() {
        return Err(m.error(
            "lengths(...) gives each column's prefix length, 0 for a whole column: as \
             many as columns(...)",
        ));
    }
    let name = d.required_name(m)?;
    if let Some(using) = &d.using
        && (using.is_empty() || !using.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
    {
        return Err(m.error(format!(
            "using = \"{using}\" is not an index method: a word such as gin, gist, hash, fulltext"
        )));
    }
    Ok(Declaration::Index(Index {
        name,
        columns: d.columns,
        unique: d.unique,
        predicate: d.predicate,
        using: d.using.map(|u| u.to_ascii_lowercase()),
        derived: false,
        lengths: if d.lengths.iter().all(|n| *n == 0) {
            Vec::new()
        } else {
            d.lengths
        },
    }))
}

/// `identity(name = …, options = …)`: an identity column's sequence, named or numbered.
fn identity(m: &ParseNestedMeta) -> syn::Result<Declaration> {
    let d = Fields::read(m, &["name", "options"])?;
    let mut options = SequenceOptions::parse(d.options.as_deref().unwrap_or(""))
        .map_err(|e| m.error(format!("identity: {e}")))?;
    if options.data_type.take().is_some() {
        return Err(
            m.error("identity(options = …): the sequence is of the column's type; leave out AS")
        );
    }
    let identity = IdentitySequence {
        name: d.name.filter(|n| !n.is_empty()),
        options,
    };
    if identity.is_default() {
        return Err(
            m.error("identity(...) needs name = \"<sequence>\" or options = \"START WITH …\"")
        );
    }
    Ok(Declaration::Identity(identity))
}

/// `partitioned(by = …)`, `partition(of = …, bound = …)`, `inherits(tables(…))`.
fn lineage(m: &ParseNestedMeta, kind: &str) -> syn::Result<Declaration> {
    match kind {
        "partitioned" => match Fields::read(m, &["by"])?.by {
            Some(by) if !by.trim().is_empty() => Ok(Declaration::Partitioned { by }),
            _ => Err(m.error("partitioned(...) needs by = \"RANGE (column)\" (or LIST, HASH)")),
        },
        "partition" => {
            let d = Fields::read(m, &["of", "bound"])?;
            match (d.of, d.bound) {
                (Some(table), Some(bound)) if !table.is_empty() && !bound.is_empty() => {
                    Ok(Declaration::Partition(PartitionOf { table, bound }))
                }
                _ => Err(m.error(
                    "partition(...) needs of = \"<partitioned table>\" and bound = \"FOR VALUES …\" \
                     (or \"DEFAULT\")",
                )),
            }
        }
        _ => {
            let tables = Fields::read(m, &["tables"])?.tables;
            if tables.is_empty() {
                return Err(m.error("inherits(...) needs tables(\"parent\", ...)"));
            }
            Ok(Declaration::Inherits(tables))
        }
    }
}

/// `sequence(name = …[, schema = …][, options = …])`, `collate(name = …)`, `extension(name =
/// …[, schema = …])`.
fn named(m: &ParseNestedMeta, kind: &str) -> syn::Result<Declaration> {
    Ok(match kind {
        "sequence" => {
            let (name, d) = with_name(m, kind, &["name", "schema", "options"])?;
            let options = SequenceOptions::parse(d.options.as_deref().unwrap_or(""))
                .map_err(|e| m.error(format!("sequence {name}: {e}")))?;
            let schema = d.schema.filter(|s| !s.is_empty());
            Declaration::Sequence(
                autogen_schema::lexical::qualified(schema.as_deref(), &name),
                options,
            )
        }
        "collate" => Declaration::Collate(name_and_schema(m, kind, &["name"])?.0),
        _ => {
            let (name, schema) = name_and_schema(m, kind, &["name", "schema"])?;
            Declaration::Extension { name, schema }
        }
    })
}

/// A field's flag declaration by its word (one of the three `parse` sends here).
fn flag(kind: &str) -> Declaration {
    match kind {
        "auto_increment" => Declaration::AutoIncrement,
        "owns_sequence" => Declaration::OwnsSequence,
        _ => Declaration::IdentityAlways,
    }
}

/// `name = "…"` (required, not empty) and, where `allowed` has it, `schema = "…"`.
fn name_and_schema(
    m: &ParseNestedMeta,
    kind: &str,
    allowed: &[&str],
) -> syn::Result<(String, Option<String>)> {
    let (name, d) = with_name(m, kind, allowed)?;
    Ok((name, d.schema))
}

/// The fields `allowed`, `name = "…"` among them required and not empty.
fn with_name(m: &ParseNestedMeta, kind: &str, allowed: &[&str]) -> syn::Result<(String, Fields)> {
    let mut d = Fields::read(m, allowed)?;
    match d.name.take() {
        Some(name) if !name.is_empty() => Ok((name, d)),
        _ => Err(m.error(format!("{kind}(...) needs name = \"…\""))),
    }
}

/// The fields a declaration may carry.
#[derive(Default)]
struct Fields {
    name: Option<String>,
    columns: Vec<String>,
    unique: bool,
    using: Option<String>,
    predicate: Option<String>,
    base: Option<String>,
    schema: Option<String>,
    not_null: bool,
    default: Option<String>,
    definition: Option<String>,
    deferrable: Option<String>,
    checks: Vec<DomainCheck>,
    by: Option<String>,
    of: Option<String>,
    bound: Option<String>,
    tables: Vec<String>,
    values: Vec<String>,
    lengths: Vec<u32>,
    expression: Option<String>,
    stored: bool,
    options: Option<String>,
}

impl Fields {
    fn read(m: &ParseNestedMeta, allowed: &[&str]) -> syn::Result<Fields> {
        let mut d = Fields::default();
        if m.input.is_empty() || m.input.peek(Token![,]) {
            return Ok(d);
        }
        m.parse_nested_meta(|f| {
            let key = f
                .path
                .get_ident()
                .map(|i| i.to_string())
                .unwrap_or_default();
            if !allowed.contains(&key.as_str()) {
                return Err(f.error(format!(
                    "`{key}` is not part of this declaration{}; it takes {}",
                    suggestion(&key, allowed),
                    allowed.join(", ")
                )));
            }
            match key.as_str() {
                "name" => d.name = Some(string(&f)?),
                "using" => d.using = Some(string(&f)?),
                "predicate" => d.predicate = Some(string(&f)?),
                "base" => d.base = Some(string(&f)?),
                "schema" => d.schema = Some(string(&f)?),
                "default" => d.default = Some(string(&f)?),
                "definition" => d.definition = Some(string(&f)?),
                "deferrable" => d.deferrable = Some(string(&f)?),
                "by" => d.by = Some(string(&f)?),
                "of" => d.of = Some(string(&f)?),
                "bound" => d.bound = Some(string(&f)?),
                "tables" => d.tables = strings(&f)?,
                "values" => d.values = strings(&f)?,
                "lengths" => d.lengths = numbers(&f)?,
                "expression" => d.expression = Some(string(&f)?),
                "options" => d.options = Some(string(&f)?),
                "stored" => d.stored = true,
                "unique" => d.unique = true,
                "not_null" => d.not_null = true,
                "columns" => d.columns = strings(&f)?,
                "check" => {
                    let c = Fields::read(&f, &["name", "definition"])?;
                    let (Some(name), Some(definition)) = (c.name, c.definition) else {
                        return Err(f.error(
                            "check(...) needs name = \"…\" and definition = \"CHECK (…)\"",
                        ));
                    };
                    d.checks.push(DomainCheck { name, definition });
                }
                _ => {}
            }
            Ok(())
        })?;
        Ok(d)
    }

    fn required_name(&self, m: &ParseNestedMeta) -> syn::Result<String> {
        let name = self
            .name
            .clone()
            .ok_or_else(|| m.error("this declaration needs name = \"…\""))?;
        if self.columns.is_empty() && self.base.is_none() {
            return Err(m.error("this declaration needs columns(\"a\", ...)"));
        }
        Ok(name)
    }
}

fn string(f: &ParseNestedMeta) -> syn::Result<String> {
    let lit: LitStr = f.value()?.parse()?;
    Ok(lit.value())
}

/// `columns("a", "b")`.
fn strings(f: &ParseNestedMeta) -> syn::Result<Vec<String>> {
    let content;
    syn::parenthesized!(content in f.input);
    let list = Punctuated::<LitStr, Token![,]>::parse_terminated(&content)?;
    Ok(list.into_iter().map(|l| l.value()).collect())
}

fn numbers(f: &ParseNestedMeta) -> syn::Result<Vec<u32>> {
    let content;
    syn::parenthesized!(content in f.input);
    let list = Punctuated::<syn::LitInt, Token![,]>::parse_terminated(&content)?;
    list.into_iter().map(|l| l.base10_parse()).collect()
}

/// ` (did you mean `x`?)` for a near miss.
pub(crate) fn suggestion(key: &str, known: &[&str]) -> String {
    closest(key, known)
        .map(|k| format!(" (did you mean `{k}`?)"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Names and SQL text as hostile as a catalog can make them.
    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z_][a-z0-9_]{0,12}",
            "[ -~]{1,16}",
            Just("\"quoted\" \\ back\\slash\n\t\u{202e}".to_string()),
            Just("r#\"raw\"#".to_string()),
        ]
    }

    fn texts() -> impl Strategy<Value = Vec<String>> {
        proptest::collection::vec(text(), 1..4)
    }

    fn declaration() -> impl Strategy<Value = Declaration> {
        let deferrable = prop_oneof![
            Just(None),
            Just(Some(Deferrable::InitiallyDeferred)),
            Just(Some(Deferrable::InitiallyImmediate)),
        ];
        prop_oneof![
            (proptest::option::of(text()), texts())
                .prop_map(|(name, columns)| Declaration::PrimaryKey { name, columns }),
            Just(Declaration::PrimaryKey {
                name: None,
                columns: Vec::new()
            }),
            (
                text(),
                texts(),
                any::<bool>(),
                proptest::option::of("[a-z_]{1,8}"),
                proptest::option::of(text())
            )
                .prop_map(|(name, columns, unique, using, predicate)| {
                    Declaration::Index(Index {
                        name,
                        columns,
                        unique,
                        using,
                        predicate,
                        derived: false,
                        lengths: Vec::new(),
                    })
                }),
            (proptest::option::of(text()), texts()).prop_map(|(name, columns)| {
                Declaration::Unique(Unique {
                    name,
                    columns,
                    derived: false,
                })
            }),
            (
                text(),
                text(),
                any::<bool>(),
                proptest::option::of(text()),
                proptest::collection::vec((text(), text()), 0..3)
            )
                .prop_map(|(name, base, not_null, default, checks)| {
                    Declaration::Domain(Domain {
                        name,
                        base,
                        not_null,
                        default,
                        checks: checks
                            .into_iter()
                            .map(|(name, definition)| DomainCheck { name, definition })
                            .collect(),
                    })
                }),
            (text(), proptest::option::of(text()))
                .prop_map(|(name, schema)| Declaration::Extension { name, schema }),
            (
                text(),
                proptest::option::of("[a-z_][a-z0-9_]{0,8}"),
                0..3i64,
                proptest::option::of(1..5000i64)
            )
                .prop_map(|(name, schema, step, start)| {
                    let clause = format!(
                        "INCREMENT BY {}{}",
                        step + 1,
                        start
                            .map(|s| format!(" START WITH {s}"))
                            .unwrap_or_default()
                    );
                    let options = SequenceOptions::parse(&clause).unwrap_or_default();
                    let key = autogen_schema::lexical::qualified(schema.as_deref(), &name);
                    Declaration::Sequence(key, options)
                }),
            (proptest::option::of(text()), text()).prop_map(|(name, body)| {
                Declaration::Check(Check {
                    name,
                    definition: format!("CHECK ({body})"),
                    ..Check::default()
                })
            }),
            Just(Declaration::AutoIncrement),
            Just(Declaration::OwnsSequence),
            Just(Declaration::IdentityAlways),
            (
                proptest::option::of(text()),
                proptest::option::of(2..5000i64)
            )
                .prop_filter("an identity declaration says something", |(n, s)| {
                    n.as_ref().is_some_and(|n| !n.is_empty()) || s.is_some()
                })
                .prop_map(|(name, start)| {
                    let clause = start.map(|s| format!("START WITH {s}")).unwrap_or_default();
                    Declaration::Identity(IdentitySequence {
                        name: name.filter(|n| !n.is_empty()),
                        options: SequenceOptions::parse(&clause).unwrap_or_default(),
                    })
                }),
            (text(), proptest::bool::ANY)
                .prop_filter("an expression is not blank", |(e, _)| !e.trim().is_empty())
                .prop_map(|(expression, stored)| Declaration::Generated(Generated {
                    expression,
                    stored
                })),
            (text(), deferrable.clone()).prop_map(|(name, deferrable)| {
                Declaration::ForeignKey {
                    name: Some(name),
                    deferrable,
                }
            }),
            text()
                .prop_filter("a key is not blank", |t| !t.trim().is_empty())
                .prop_map(|by| Declaration::Partitioned { by }),
            (text(), text())
                .prop_map(|(table, bound)| Declaration::Partition(PartitionOf { table, bound })),
            texts().prop_map(Declaration::Inherits),
            texts()
                .prop_filter("options are not blank", |v| {
                    !v.is_empty() && v.iter().all(|t| !t.trim().is_empty())
                })
                .prop_map(Declaration::Options),
            text()
                .prop_filter("a name is not empty", |t| !t.is_empty())
                .prop_map(Declaration::Collate),
            deferrable
                .prop_filter("a foreign_key declaration says something", Option::is_some)
                .prop_map(|deferrable| Declaration::ForeignKey {
                    name: None,
                    deferrable
                }),
        ]
    }

    proptest! {
        /// What the entity writer prints is what the reader reads, for every declaration.
        #[test]
        fn printed_declarations_read_back(decl in declaration()) {
            let source = format!("{}\nstruct Model;", decl.attribute());
            let item: syn::ItemStruct = syn::parse_str(&source)
                .map_err(|e| TestCaseError::fail(format!("{source}: {e}")))?;
            let ctx = Ctx::new(std::path::Path::new("t.rs"));
            let read = declarations(&ctx, &item.attrs)
                .map_err(|e| TestCaseError::fail(format!("{source}: {e}")))?;
            prop_assert_eq!(read.len(), 1);
            prop_assert_eq!(&read[0].decl, &decl, "{}", source);
        }
    }
}
