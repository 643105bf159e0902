//! SeaORM 2.0 entity source -> [`Schema`](autogen_schema::Schema), without compiling the user's
//! crate.
//!
//! Reads the three entity formats (dense `#[sea_orm::model]`, compact `DeriveEntityModel` with a
//! `Relation` enum, expanded `impl ColumnTrait`) and `DeriveActiveEnum` enums, one file per
//! format under `format/`, then resolves them across files (`resolve.rs`). Anything that looks
//! like entity code but cannot be interpreted is an error carrying `file:line:col`, never skipped.

mod attrs;
mod declaration;
mod declared;
mod defaults;
mod dir;
mod error;
mod format;
mod nesting;
mod objects;
mod raw;
mod relation;
mod resolve;
mod schemas;
mod source_map;
mod types;
mod validate;

pub use declaration::Declaration;
pub use dir::parse_dir;
pub use error::{Location, ModelError};
pub use format::parse_sources;
pub use nesting::MAX_NESTING;
pub use objects::read_objects;
pub use resolve::check_keys;
pub use schemas::place_schemas;
pub use source_map::{Model, SourceMap};
pub use validate::validate;

#[cfg(test)]
mod limits_tests;
#[cfg(test)]
mod tests;
