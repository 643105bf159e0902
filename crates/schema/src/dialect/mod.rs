//! The dialect registry, and what a dialect *is* at the schema layer: its lexical facts, how it
//! stores and spells types and defaults (normalization), and what its `ALTER TABLE` can do.
//!
//! One file per dialect (`postgres.rs`, `mysql.rs`, `sqlite.rs`) implements [`SqlDialect`];
//! [`Dialect::sql`] is the registry that picks it. The layers above have the same shape: one file
//! per dialect and one registry `match` each (see ARCHITECTURE.md, "Adding a dialect").

mod facts;
mod mysql;
mod postgres;
mod sqlite;

use serde::{Deserialize, Serialize};
use std::fmt;

pub use facts::{Capabilities, Dialect, Flavor, SqlDialect, Version};

pub use mysql::{
    PRIMARY_KEY_USING, SERVER_SQL_MODE as MYSQL_SERVER_SQL_MODE, column_type as mysql_column_type,
    enum_type as mysql_enum_type, enum_values as mysql_enum_values,
    read_string_literal as mysql_read_string_literal,
};
pub use postgres::{FORCED_ROW_SECURITY, ROW_SECURITY, object_name as postgres_object_name};
pub use sqlite::{column_type as sqlite_column_type, declared_type as sqlite_declared_type};

impl Dialect {
    /// Every dialect, for tests and registries.
    pub const ALL: [Dialect; 3] = [Dialect::Postgres, Dialect::Sqlite, Dialect::MySql];

    /// Recognizes a database URL's scheme.
    pub fn from_url(url: &str) -> Option<Dialect> {
        let scheme = url.split(':').next()?.to_ascii_lowercase();
        match scheme.as_str() {
            "postgres" | "postgresql" => Some(Dialect::Postgres),
            "sqlite" => Some(Dialect::Sqlite),
            "mysql" | "mariadb" => Some(Dialect::MySql),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        self.sql().name()
    }

    /// The dialect's facts: the registry.
    pub fn sql(self) -> &'static dyn SqlDialect {
        match self {
            Dialect::Postgres => &postgres::Postgres,
            Dialect::Sqlite => &sqlite::Sqlite,
            Dialect::MySql => &mysql::MySql,
        }
    }
}

impl fmt::Display for Dialect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A dialect with its flavour and server version: read once at connect time (or, offline, from
/// the `server_version` setting, defaulting to the oldest supported); everything that depends on
/// the version asks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Profile {
    pub dialect: Dialect,
    pub flavor: Flavor,
    pub version: Version,
}

impl Profile {
    /// The oldest server autogen supports for `dialect` (its default flavour): what offline
    /// commands assume when nothing says otherwise, so their SQL runs on every supported server.
    pub fn oldest(dialect: Dialect) -> Profile {
        let sql = dialect.sql();
        let flavor = sql.default_flavor();
        Profile {
            dialect,
            flavor,
            version: sql.oldest_supported(flavor),
        }
    }

    /// The profile a server reports with its version string (`SHOW server_version`,
    /// `SELECT VERSION()`, `sqlite_version()`).
    pub fn from_server(dialect: Dialect, server_version: &str) -> Profile {
        let sql = dialect.sql();
        let flavor = sql.flavor_of(server_version);
        let version =
            Version::parse(server_version).unwrap_or_else(|| sql.oldest_supported(flavor));
        Profile {
            dialect,
            flavor,
            version,
        }
    }

    /// Whether the server is at least `major.minor`.
    pub fn at_least(&self, major: u32, minor: u32) -> bool {
        self.version >= Version::new(major, minor)
    }

    pub fn sql(&self) -> &'static dyn SqlDialect {
        self.dialect.sql()
    }
}

impl From<Dialect> for Profile {
    fn from(dialect: Dialect) -> Profile {
        Profile::oldest(dialect)
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let flavor = match self.flavor {
            Flavor::Postgres => "PostgreSQL",
            Flavor::MySql => "MySQL",
            Flavor::MariaDb => "MariaDB",
            Flavor::Sqlite => "SQLite",
        };
        write!(f, "{flavor} {}", self.version)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dialect_from_url() {
        assert_eq!(
            Dialect::from_url("postgres://u@h/db"),
            Some(Dialect::Postgres)
        );
        assert_eq!(
            Dialect::from_url("postgresql://u@h/db"),
            Some(Dialect::Postgres)
        );
        assert_eq!(
            Dialect::from_url("sqlite://x.db?mode=rwc"),
            Some(Dialect::Sqlite)
        );
        assert_eq!(Dialect::from_url("sqlite::memory:"), Some(Dialect::Sqlite));
        assert_eq!(Dialect::from_url("mysql://root@h/db"), Some(Dialect::MySql));
        assert_eq!(Dialect::from_url("oracle://x"), None);
        for d in Dialect::ALL {
            assert_eq!(d.sql().dialect(), d);
        }
    }

    #[test]
    fn profiles_from_server_version_strings() {
        let pg = Profile::from_server(Dialect::Postgres, "15.4 (Debian 15.4-1)");
        assert_eq!(
            (pg.flavor, pg.version),
            (Flavor::Postgres, Version::new(15, 4))
        );
        let maria = Profile::from_server(Dialect::MySql, "10.11.6-MariaDB-0+deb12u1");
        assert_eq!(maria.flavor, Flavor::MariaDb);
        assert!(maria.at_least(10, 11) && !maria.at_least(11, 0));
        let mysql = Profile::from_server(Dialect::MySql, "8.0.36");
        assert_eq!(mysql.flavor, Flavor::MySql);
        assert_eq!(
            Profile::oldest(Dialect::Postgres).version,
            Version::new(11, 0)
        );
        assert_eq!(Profile::oldest(Dialect::MySql).flavor, Flavor::MySql);
        assert_eq!(mysql.to_string(), "MySQL 8.0");
    }
}
