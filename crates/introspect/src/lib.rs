//! Live database catalog -> [`Schema`](autogen_schema::Schema).
//!
//! One module per dialect, each fetching its catalog with a fixed number of batched queries,
//! whatever the table count (sea-schema's discovery issues several queries per table in sequence;
//! see `DESIGN.md`). `dialect.rs` is the registry that picks the module for a connection.

mod checks;
mod dialect;
mod error;
mod mysql;
mod objects;
mod pg_fragments;
mod postgres;
mod sqlite;

pub use checks::render_checks;
pub use dialect::{held_names, introspect, introspect_schemas};
pub use error::IntrospectError;
pub use objects::{PLAIN_INDEX_IN_FILE, Rendered, render_objects};
