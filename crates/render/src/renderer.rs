//! What a dialect's renderer provides. One implementation per dialect file; `dialect.rs` is the
//! registry.

use crate::body::Step;
use crate::error::RenderError;
use autogen_diff::{Op, Plan};
use autogen_schema::{Profile, SqlDialect};

/// Steps a whole file needs around its operations (SQLite's table rebuilds).
pub struct Wrapper {
    pub before: Step,
    pub after: Step,
}

pub trait DialectRenderer: Sync {
    /// The dialect's lexical facts and normalization.
    fn sql(&self) -> &'static dyn SqlDialect;

    /// Whether table and column comments are written inside `CREATE TABLE` and the column
    /// definition (MySQL), rather than as statements of their own or not at all.
    fn inline_comments(&self) -> bool;

    /// A column type as this dialect writes it (`varchar(40)`), for where a clause must follow
    /// the type directly (`COLLATE`).
    fn type_text(&self, ty: &autogen_schema::ColumnType) -> Result<String, RenderError>;

    /// The statements for one operation, for a server of `profile`. Each dialect matches every
    /// [`Op`]: a new op is a compile error in each renderer until it is handled.
    fn op_statements(&self, op: &Op, profile: Profile) -> Result<Vec<String>, RenderError>;

    /// Steps around the whole file's operations, when the plan needs them.
    fn wrapper(&self, _plan: &Plan) -> Option<Wrapper> {
        None
    }

    /// Why this plan must run outside a transaction on this server, if it must.
    fn outside_transaction(&self, _plan: &Plan) -> Option<String> {
        None
    }

    /// Makes `stmt` an index of `method` (`gin`, `fulltext`): returns the keyword to write
    /// before `INDEX` where the statement builder has no way to say it (MySQL's `SPATIAL`).
    fn index_method(
        &self,
        _stmt: &mut sea_query::IndexCreateStatement,
        method: &str,
    ) -> Result<Option<&'static str>, RenderError> {
        Err(RenderError::Unsupported {
            dialect: self.sql().dialect(),
            what: format!("create an index using {method}"),
        })
    }

    /// Whether `op`, on a table that holds rows, has a lock-friendly form on this server that
    /// runs outside a transaction (see `online.rs`); its reverse must have one too.
    fn has_online_form(&self, _op: &Op, _profile: Profile) -> bool {
        false
    }

    /// The statements of `op`'s online form in `stage` (in the online stage, each idempotent:
    /// a rerun after a failure succeeds). Only asked for ops
    /// [`has_online_form`](Self::has_online_form) accepts and their reverses.
    fn online_statements(
        &self,
        op: &Op,
        plan: &Plan,
        _stage: crate::policy::StageKind,
    ) -> Result<Vec<String>, RenderError> {
        self.op_statements(op, plan.profile)
    }

    /// Whether the online forms are clauses on the same statements (MySQL's `ALGORITHM`,
    /// `LOCK`), written in place in the transactional stage rather than in a stage of their own.
    fn online_in_place(&self) -> bool {
        false
    }

    /// Whether the server can only do `op` on a table that holds rows by copying the table,
    /// blocking writes meanwhile (finding AG307).
    fn copies_table(&self, _op: &Op, _profile: Profile) -> bool {
        false
    }

    /// Statements that bound lock waits and statement time before DDL on tables that hold
    /// rows, and those that undo them after (outside a transaction), where the dialect has them.
    fn timeouts(
        &self,
        _policy: &crate::policy::Policy,
        _in_transaction: bool,
    ) -> Option<(Vec<String>, Vec<String>)> {
        None
    }
}
