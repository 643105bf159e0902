//! The migrations directory, its revision graph, the revision file format, and applying /
//! rolling back.
//!
//! - `dir.rs`, `order.rs`, `graph.rs`, `write.rs`: the directory, its revisions in graph order,
//!   heads, branch points, which revisions a target selects, and writing new revisions.
//! - `header.rs`: the revision file format (header, `-- no-transaction`) around rendered bodies.
//! - `runner.rs`, `stamp.rs`: lock, checks (checksums, missing files), one transaction per
//!   revision, the version tables (`version_table.rs`); each dialect's session in `session/`.
//! - `offline.rs`: the same runs as SQL scripts (`--sql`).

mod cargo;
pub use cargo::build as build_rust_crate;
mod dir;
mod error;
mod graph;
mod header;
mod lockfile;
pub mod offline;
mod options;
mod order;
mod revision;
mod runner;
mod rust_source;
pub mod seed;
mod sql_files;
mod stamp;
mod startup;
mod target;
mod version_table;
mod workspace;
mod write;

pub use autogen_runtime::internal::{split_revision, sql_parser};
pub use autogen_runtime::{Direction, Failure};
pub use dir::{
    DEFAULT_FILE_TEMPLATE, MigrationsDir, file_description, rust_module_name, slug, write_atomic,
};
pub use error::{MigrateError, Result};
pub use header::{
    NO_TRANSACTION_MARKER, RecordedFinding, header_lines, parents_text, parse_header,
    recorded_findings, recorded_ownership, rust_file, sql_files, sql_revision,
};
pub use lockfile::{WriteLock, lock_for_writing};
pub use options::RunOptions;
pub use revision::{Allowance, Format, Revision, RevisionMeta};
pub use runner::{applied, run};
pub use rust_source::rust_revision_statements;
pub use stamp::stamp;
pub use target::Target;
pub use workspace::{Workspace, default_target_dir, enclosing_workspace};
pub use write::{Init, next_id, rustfmt, rustfmt_tree};

#[cfg(test)]
mod tests;
