//! The registry: each dialect's renderer.

use crate::renderer::DialectRenderer;
use crate::{mysql, postgres, sqlite};
use autogen_schema::Dialect;

pub fn renderer(dialect: Dialect) -> &'static dyn DialectRenderer {
    match dialect {
        Dialect::Postgres => &postgres::Postgres,
        Dialect::Sqlite => &sqlite::Sqlite,
        Dialect::MySql => &mysql::MySql,
    }
}
