//! The migration session per dialect: lock, transaction rules, version-table SQL, statement
//! splitting. `driver.rs` holds the connection and the registry; one file per dialect.

mod driver;
mod facts;
mod mysql;
mod postgres;
mod sqlite;

pub use driver::{Conn, migrate_dialect};
pub use facts::MigrateDialect;

/// sea-orm-migration's (driver, runtime) features for a migration crate on `dialect`.
pub fn sea_orm_features(dialect: autogen_schema::Dialect) -> (&'static str, &'static str) {
    migrate_dialect(dialect).sea_orm_features()
}

/// The Rust-format crate's `mod lock` for `dialect`: the lock the session takes, for
/// `migration::autogen::up`.
pub fn crate_lock_module(dialect: autogen_schema::Dialect) -> &'static str {
    migrate_dialect(dialect).crate_lock_module()
}

/// The sqlparser dialect that reads `dialect`'s SQL as its server does (what `lint` parses with).
pub fn sql_parser(dialect: autogen_schema::Dialect) -> &'static dyn sqlparser::dialect::Dialect {
    driver::migrate_dialect(dialect).parser()
}

/// A SQL revision's statements exactly as the runner splits and runs them, each with the
/// 1-based line it starts on: what `lint` judges, so that nothing runs that it did not read.
pub fn split_revision(sql: &str, dialect: autogen_schema::Dialect) -> Vec<(usize, String)> {
    let mut from = 0;
    crate::split::statements(sql, sql_parser(dialect))
        .into_iter()
        .map(|s| {
            let at = sql[from..].find(&s).map_or(from, |i| from + i);
            from = at + s.len();
            (sql[..at].matches('\n').count() + 1, s)
        })
        .collect()
}
