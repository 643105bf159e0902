//! What a dialect's migration session is, besides its connection: transaction rules,
//! version-table SQL, statement splitting, the sea-orm-migration crate's features.

use crate::split::Lexicon;
use autogen_schema::SqlDialect;

pub(crate) trait MigrateDialect: Sync {
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

    /// What hides a `;` in this dialect's scripts.
    fn lexicon(&self) -> Lexicon;

    /// sea-orm-migration's (driver, runtime) features for a migration crate on this dialect.
    fn sea_orm_features(&self) -> (&'static str, &'static str);
}
