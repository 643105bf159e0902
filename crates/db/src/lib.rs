//! Connections to the database, shared by the layers that talk to one (`introspect` reads the
//! catalog, `migrate` runs revisions): a pool of the dialect's kind, and the server's
//! [`Profile`](autogen_schema::Profile) (flavour, version), read once when connecting.

mod driver;
mod error;
mod mysql;
mod pool;
mod postgres;
mod probe;
mod rows;
mod sqlite;
mod url;

pub use error::{DbError, error_text};
pub use pool::{
    CHECKSUM_TABLE, Db, Pool, REVISIONS_TABLE, SEAQL_TABLE, SQLX_TABLE, VERSION_TABLES,
};
pub use rows::COUNT_BELOW;
pub use url::{missing_database, redact_in, redact_url};
