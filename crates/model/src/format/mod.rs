//! Entity files -> raw entities, by entity format: `compact.rs` (and the dense format's relation
//! fields, `dense.rs`), `expanded.rs`, `active_enum.rs`. `resolve.rs` then resolves them into
//! one schema.

mod active_enum;
mod compact;
mod dense;
mod expanded;

use crate::attrs::{has_attr_path, has_derive};
use crate::declaration::Declaration;
use crate::declared::declarations;
use crate::error::ModelError;
use crate::nesting::check_nesting;
use crate::raw::Declared;
use crate::raw::{Ctx, RawEntity, RawEnum};
use crate::resolve::resolve;
use crate::source_map::Model;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use syn::Item;

/// Parses the given (path, source) pairs into one model. Module names come from file names
/// (`cake.rs` is module `cake`) and inline `mod cake { … }` blocks, which is how
/// `super::cake::Entity` references are resolved.
pub fn parse_sources(sources: &[(PathBuf, String)]) -> Result<Model, ModelError> {
    on_large_stack(|| {
        let mut reader = Reader::default();
        for (path, text) in sources {
            reader.add_file(path, text)?;
        }
        reader.finish()
    })
}

/// Runs `f` on a thread whose stack holds syn's recursion at
/// [`MAX_NESTING`](crate::nesting::MAX_NESTING) levels, with room
/// to spare (syn needs about 30 KiB a level in a debug build).
pub(crate) fn on_large_stack<T: Send>(
    f: impl FnOnce() -> Result<T, ModelError> + Send,
) -> Result<T, ModelError> {
    const STACK: usize = 256 << 20;
    std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .name("autogen-entities".into())
            .stack_size(STACK)
            .spawn_scoped(scope, f)
            .map_err(|source| ModelError::Io {
                path: PathBuf::from("(a thread to read entity files)"),
                source,
            })?;
        match handle.join() {
            Ok(result) => result,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

/// Reads entity files one at a time, so that only one file's text and syntax tree are held.
#[derive(Default)]
pub(crate) struct Reader {
    entities: Vec<RawEntity>,
    enums: BTreeMap<String, RawEnum>,
    /// `autogen(domain(…))` declarations, wherever they stand.
    domains: Vec<Declared>,
}

impl Reader {
    pub(crate) fn add_file(&mut self, path: &Path, text: &str) -> Result<(), ModelError> {
        let ctx = Ctx::new(path);
        check_nesting(&ctx, text)?;
        let read = syn::parse_file(text)
            .map_err(|e| ctx.syn_err(e))
            .and_then(|file| {
                let mut scope = Scope {
                    ctx: &ctx,
                    entities: &mut self.entities,
                    enums: &mut self.enums,
                    domains: &mut self.domains,
                };
                scope.read(module_name(path), &file.items)
            });
        // What was read holds places, not spans: the file's text need not stay in memory.
        proc_macro2::extra::invalidate_current_thread_spans();
        read
    }

    pub(crate) fn finish(self) -> Result<Model, ModelError> {
        resolve(self.entities, &self.enums, self.domains)
    }
}

/// What reading one file gathers: an entity per module scope (the file, each inline `mod`),
/// and the active enums of them all.
struct Scope<'a> {
    ctx: &'a Ctx,
    entities: &'a mut Vec<RawEntity>,
    enums: &'a mut BTreeMap<String, RawEnum>,
    domains: &'a mut Vec<Declared>,
}

impl Scope<'_> {
    /// Reads the items of one module, and of the inline modules inside it, each its own scope.
    fn read(&mut self, module: String, items: &[Item]) -> Result<(), ModelError> {
        let ctx = self.ctx;
        let mut entity = RawEntity {
            module,
            ..RawEntity::default()
        };
        for item in items {
            self.read_declarations(item)?;
            match item {
                Item::Mod(m) => {
                    if let Some((_, inner)) = &m.content {
                        self.read(m.ident.to_string(), inner)?;
                    }
                }
                Item::Enum(e) if has_derive(&e.attrs, "DeriveActiveEnum") => {
                    let (name, raw) = active_enum::read_active_enum(ctx, e)?;
                    self.add_enum(name, raw)?;
                }
                other => read_item(ctx, other, &mut entity)?,
            }
        }
        if entity.table_name.is_some() {
            self.entities.push(entity);
        } else if let Some(at) = &entity.at {
            return Err(ModelError::at(
                at,
                "entity has no table name: add #[sea_orm(table_name = \"...\")]",
            ));
        }
        Ok(())
    }

    /// Domains may be declared on any item; a table's declarations only on its `Model`.
    fn read_declarations(&mut self, item: &Item) -> Result<(), ModelError> {
        let (attrs, is_model): (&[syn::Attribute], bool) = match item {
            Item::Struct(s) => (&s.attrs, s.ident == "Model"),
            Item::Type(t) => (&t.attrs, false),
            Item::Enum(e) => (&e.attrs, false),
            Item::Const(c) => (&c.attrs, false),
            Item::Mod(m) => (&m.attrs, false),
            _ => return Ok(()),
        };
        for d in declarations(self.ctx, attrs)? {
            let at = d.at.clone();
            match d.decl {
                Declaration::Domain(..)
                | Declaration::Extension { .. }
                | Declaration::Sequence(..) => self.domains.push(d),
                Declaration::AutoIncrement
                | Declaration::OwnsSequence
                | Declaration::IdentityAlways
                | Declaration::Generated(_)
                | Declaration::ForeignKey { .. } => {
                    return Err(ModelError::at(
                        &at,
                        "auto_increment, owns_sequence, generated and foreign_key are declared on a field of \
                         an entity's `Model` struct",
                    ));
                }
                Declaration::PrimaryKey { .. }
                | Declaration::Index(_)
                | Declaration::Unique(_)
                | Declaration::Check(_)
                | Declaration::Partitioned { .. }
                | Declaration::Partition(_)
                | Declaration::Inherits(_)
                | Declaration::Collate(_)
                | Declaration::Options(_)
                    if !is_model =>
                {
                    return Err(ModelError::at(
                        &at,
                        "this declaration belongs on an entity's `Model` struct",
                    ));
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Active enums are found by their Rust name from any file: two of one name must agree.
    fn add_enum(&mut self, name: String, raw: RawEnum) -> Result<(), ModelError> {
        if let Some(other) = self.enums.get(&name)
            && (other.ty != raw.ty || other.values != raw.values)
        {
            let at = &other.at;
            return Err(ModelError::at(
                &raw.at,
                format!(
                    "a second DeriveActiveEnum named `{name}` that differs from the one at {at}: \
                     fields name enums by type, so the two cannot be told apart"
                ),
            ));
        }
        self.enums.insert(name, raw);
        Ok(())
    }
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

fn read_item(ctx: &Ctx, item: &Item, entity: &mut RawEntity) -> Result<(), ModelError> {
    match item {
        Item::Struct(s) if s.ident == "Model" => {
            let is_dense = has_attr_path(&s.attrs, "sea_orm", "model")
                || has_attr_path(&s.attrs, "sea_orm", "compact_model");
            if is_dense || has_derive(&s.attrs, "DeriveEntityModel") {
                compact::read_model_struct(ctx, s, entity)?;
            }
        }
        Item::Enum(e) if e.ident == "Relation" && has_derive(&e.attrs, "DeriveRelation") => {
            compact::read_relation_enum(ctx, e, entity)?;
        }
        Item::Enum(e) if e.ident == "Column" && has_derive(&e.attrs, "DeriveColumn") => {
            expanded::read_column_enum(ctx, e, entity)?;
        }
        Item::Enum(e) if e.ident == "PrimaryKey" && has_derive(&e.attrs, "DerivePrimaryKey") => {
            entity.pk_variants = e.variants.iter().map(|v| v.ident.to_string()).collect();
        }
        Item::Impl(i) => expanded::read_impl(ctx, i, entity)?,
        _ => {}
    }
    Ok(())
}
