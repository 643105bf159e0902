//! The schema IR shared by every autogen crate, and what each dialect is at this layer.
//!
//! Both sides of a diff are a [`Schema`]: the model side (parsed from SeaORM entities) and the
//! database side (introspected from a live catalog). [`Schema::normalized`] rewrites a schema into
//! the form the given [`Dialect`] reports back, so that comparing the two never yields a diff that
//! the database cannot represent (the round-trip rule in `DESIGN.md`). Each dialect's facts —
//! quoting, literals, comment lines, name limits, type spelling, what its `ALTER TABLE` can do —
//! live in one file under `dialect/`, behind [`SqlDialect`].

mod defaults;
pub mod dialect;
mod ir;
pub mod lexical;
mod normalize;
mod objects;
mod rows;
mod sequence;
mod sql_kind;

pub use defaults::{canonical_number, default_from_sql, nextval_sequence};
pub use dialect::{Capabilities, Dialect, Flavor, Profile, SqlDialect, Version};
pub use ir::{
    Check, Column, ColumnType, DefaultValue, Deferrable, Domain, DomainCheck, EnumType, FkAction,
    ForeignKey, Generated, Index, LeftAlone, NameKind, NameProbe, PartitionOf, Schema, Table,
    Unique,
};
pub use objects::{
    Head, References, SqlKind, SqlObject, leading_set, object_key, or_replace, parse_head,
    references, session_restores,
};
pub use rows::RowCount;
pub use sequence::{IdentitySequence, SequenceNumbers, SequenceOptions};
