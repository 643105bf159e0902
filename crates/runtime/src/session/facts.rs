//! What a dialect's migration session is, besides its connection: transaction rules,
//! version-table SQL, statement splitting, the sea-orm-migration crate's features.

use autogen_schema::SqlDialect;

pub trait MigrateDialect: Sync {
    fn sql(&self) -> &'static dyn SqlDialect;

    /// The statement that opens a revision's transaction.
    fn begin(&self) -> &'static str {
        "BEGIN"
    }

    /// Whether each revision re-checks, inside its transaction, that it is still pending
    /// (SQLite, where the revision's own transaction is the lock against other tools).
    fn recheck_in_transaction(&self) -> bool {
        false
    }

    /// A query counting the tables named `table` in the current schema.
    fn table_exists_sql(&self, table: &str) -> String;

    /// sqlx's version table, as offline scripts create it (online, sqlx's `Migrate` does).
    fn sqlx_table_ddl(&self) -> String;

    /// autogen's record of applied revisions (`ledger.rs`), as this dialect creates it.
    fn revisions_table_ddl(&self) -> String;

    /// The tokenizer that finds where this dialect's statements end.
    fn parser(&self) -> &'static dyn sqlparser::dialect::Dialect;

    /// One statement as the dialect's command-line client reads it in a script.
    fn script_statement(&self, statement: &str) -> String {
        format!("{statement};")
    }

    /// Whether `e` says a statement's work is already there (a table, column, index or
    /// constraint that exists; for a drop, one that is gone): what re-running a revision an
    /// interrupted run got partway through meets on its first statements.
    fn already_done(&self, e: &sqlx::Error) -> bool;

    /// For a statement that builds an index concurrently (PostgreSQL), a query that names that
    /// index where an earlier failed or killed build left it behind INVALID.
    fn invalid_index_sql(&self, _statement: &str) -> Option<String> {
        None
    }

    /// sea-orm-migration's (driver, runtime) features for a migration crate on this dialect.
    fn sea_orm_features(&self) -> (&'static str, &'static str);
    /// The Rust-format crate's `mod lock` (`templates/lock_<dialect>.rs`): this session's lock,
    /// spelled with sea-orm's connection, for `migration::autogen::up`.
    fn crate_lock_module(&self) -> &'static str;
}
