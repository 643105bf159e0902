//! (current, desired) -> [`Plan`]: ordered, reversible operations, each with its hazards.
//!
//! The engine (`engine.rs`) is dialect-neutral: what a dialect cannot do in place is decided by
//! its [`Capabilities`](autogen_schema::Capabilities). The comparison is split by object kind, as
//! Alembic's `autogenerate/compare/` is: `compare/renames.rs`, `enums.rs`, `tables.rs` (one kept
//! table, asking `columns.rs`, `indexes.rs`, `uniques.rs`, `foreign_keys.rs`); `order.rs` puts new
//! and dropped tables in dependency order.

#[cfg(any(test, feature = "arbitrary"))]
pub mod arbitrary;
mod compare;
mod engine;
mod error;
mod hazard;
mod kind;
mod names;
mod op;
mod order;
mod owned;
mod phase;
mod plan;
mod rule;

pub use engine::{diff, diff_owned};
pub use error::DiffError;
pub use hazard::Hazard;
pub use kind::{Effect, ObjectKind};
pub use names::{NameClaim, not_null_check};
pub use op::{EnumColumn, EnumPosition, Op, PrimaryKey, insert_enum_value};
pub use owned::{Owned, mark_owned};
pub use plan::Plan;
pub use rule::{HazardKind, Rule, Severity};

#[cfg(test)]
mod tests;
