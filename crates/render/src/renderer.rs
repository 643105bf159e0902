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

    /// Whether the server refuses `statement` inside a transaction block.
    fn refuses_transaction(&self, _statement: &str) -> bool {
        false
    }
}
