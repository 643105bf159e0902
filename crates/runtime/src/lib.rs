//! autogen's migration runner, for applications: SQL-format migrations compiled into the binary
//! with [`embed!`], applied at startup by [`Runtime::run`] from any number of replicas at once.
//!
//! ```ignore
//! let migrations = autogen_runtime::embed!("migrations");
//! let report = autogen_runtime::Runtime::new(migrations)
//!     .lock_timeout(std::time::Duration::from_secs(30))
//!     .run(pool.clone())
//!     .await?;
//! ```
//!
//! The same loop runs the CLI's `upgrade` (`autogen-migrate` calls [`internal`]): the lock
//! sqlx's `Migrator` also takes (polled, bounded by a timeout), checksums checked before
//! anything runs, each revision in its own transaction or statement by statement where its file
//! says `-- no-transaction`, online revisions tried again after a lock timeout, and beside
//! sqlx's version table, `autogen_revisions`: whether each revision only adds, and its down
//! statements.
//!
//! - `embedded.rs`: the compiled-in directory and the run at startup ([`Runtime`]).
//! - `apply.rs`: one revision, one way: the loop the CLI shares.
//! - `session/`: each dialect's connection, lock and transaction rules; `split.rs` statements.
//! - `ledger.rs`, `additive.rs`: `autogen_revisions`, and whether a revision only adds.

mod additive;
mod apply;
mod embedded;
mod error;
mod ledger;
mod lockfile;
mod session;
mod split;
mod version_table;

pub use autogen_db::Pool;
pub use autogen_runtime_macros::embed;
pub use embedded::{Ahead, Applied, Migrations, Report, Runtime};
pub use error::{Direction, Failure, Result, RuntimeError};

/// What `autogen-migrate` (the CLI's runner) shares with the runtime; not a stable interface.
#[doc(hidden)]
pub mod internal {
    pub use crate::apply::{
        ONLINE_MARKER, Step, apply, ensure_tables, is_online, locked, recorded,
    };
    pub use crate::ledger::{
        Entry as LedgerEntry, forget as ledger_forget, record as ledger_record,
    };
    pub use crate::lockfile::lock_file;
    pub use crate::session::{
        Conn, MigrateDialect, crate_lock_module, migrate_dialect, sea_orm_features, split_revision,
        sql_parser,
    };
    pub use crate::split::statements;
    pub use crate::version_table::sqlx_delete;
}
