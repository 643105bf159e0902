//! A schema read from the database -> SeaORM 2.0 entity files, losslessly for everything
//! autogen compares: reading the files back (`autogen_model`) gives the same schema.
//!
//! What SeaORM's attributes say, the files say with them (`column_type`, `default_value`,
//! `indexed`, relations with `fk_name`, …). What they cannot say (named, multi-column, partial
//! and non-B-tree indexes, named UNIQUEs, a key's order and name, a table without a key,
//! PostgreSQL domains) is declared with `#[cfg_attr(any(), autogen(…))]`, which the compiler
//! drops before SeaORM's macros see it: the entities compile and behave as without it.
//!
//! `entity.rs` decides what each entity holds; `compact.rs` and `dense.rs` write it in SeaORM's
//! two formats; `files.rs` writes the files around them (`mod.rs`, `prelude.rs`, enums,
//! domains).

mod compact;
mod dense;
mod entity;
mod files;
mod names;
mod objects;
mod text;
mod types;

use autogen_schema::{Dialect, Schema};
pub use files::EntityFile;
pub use objects::object_files;
use std::path::PathBuf;

/// How to write the entities.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// SeaORM 2.0's dense format (`#[sea_orm::model]`, relations as fields) instead of the
    /// compact one (a `Relation` enum).
    pub dense: bool,
}

/// The entity files for `schema` (as read from a `dialect` database), in path order.
pub fn entities(schema: &Schema, dialect: Dialect, options: Options) -> Vec<EntityFile> {
    let plan = entity::plan(schema, dialect);
    let mut out = Vec::new();
    for e in &plan.entities {
        let contents = if options.dense {
            dense::write(e, &plan)
        } else {
            compact::write(e, &plan)
        };
        out.push(EntityFile {
            path: PathBuf::from(format!("{}.rs", e.module)),
            contents,
        });
    }
    out.extend(files::support_files(&plan, schema));
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

#[cfg(test)]
mod tests;
