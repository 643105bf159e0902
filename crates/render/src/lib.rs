//! Plan -> migration bodies (statements, hazards, why a body must run outside a transaction),
//! as SQL text or a sea-orm-migration module, and review output (text, JSON).
//!
//! One file per dialect (`postgres.rs`, `mysql.rs`, `sqlite.rs`) implements
//! [`DialectRenderer`]: sea-query's backend for what it can say, the dialect's lexical facts
//! for the rest; `dialect.rs` is the registry. The revision file format around a body (header,
//! `-- no-transaction`) is `migrate`'s.

mod body;
mod common;
mod dialect;
mod error;
mod mysql;
mod online;
mod policy;
mod postgres;
mod probe;
mod render_plan;
mod renderer;
mod review;
mod rust;
mod sqlite;

pub use body::{Body, NoTransaction, Step};
pub use common::one_item_per_line;
pub use dialect::renderer;
pub use error::RenderError;
pub use online::Stage;
pub use policy::{Policy, Safety, StageKind, duration_ms, valid_duration};
pub use probe::{CheckProbe, check_probe};
pub use render_plan::{
    plan_stages, refuses_transaction, render_body, render_stage, render_stages, sql_text,
};
pub use renderer::{DialectRenderer, Wrapper};
pub use review::{
    Direction as FindingDirection, Finding, REPORT_SCHEMA_VERSION, Report, Review, StageBodies,
    plural, review_text,
};
pub use rust::{RUST_LIB_MARKER, rust_empty_module, rust_lib, rust_module, x_arg_env};
