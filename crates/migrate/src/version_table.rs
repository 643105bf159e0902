//! The version tables and what autogen writes into them: sqlx's `_sqlx_migrations` (its rows
//! are written by sqlx's own `Migrate` online), sea-orm-migration's `seaql_migrations`, and
//! autogen's `autogen_checksums` for Rust revisions.

use crate::error::{Result, io};
use crate::revision::Revision;
use crate::target::Direction;
use autogen_db::{CHECKSUM_TABLE, SEAQL_TABLE, SQLX_TABLE};
use autogen_schema::SqlDialect;

/// SHA-384 of a file's text, hex: what [`CHECKSUM_TABLE`] records for a Rust revision.
pub(crate) fn file_checksum(text: &str) -> String {
    use sha2::Digest;
    sha2::Sha384::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The lock key sqlx's `Migrator` derives from the database name (CRC-32 times a constant), so
/// that autogen and `sqlx migrate run` exclude each other.
pub(crate) fn sqlx_lock_id(database_name: &str) -> i64 {
    const CRC: crc::Crc<u32> = crc::Crc::<u32>::new(&crc::CRC_32_ISO_HDLC);
    0x3d32ad9e * (CRC.checksum(database_name.as_bytes()) as i64)
}

/// sqlx's version table, as its `Migrate::ensure_migrations_table` creates it; `timestamp` and
/// `bytes` are the dialect's column types for its two special columns.
pub(crate) fn sqlx_table_ddl(timestamp: &str, bytes: &str) -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS {SQLX_TABLE} (\n    version BIGINT PRIMARY KEY,\n    \
         description TEXT NOT NULL,\n    installed_on {timestamp},\n    success BOOLEAN NOT NULL,\n    \
         checksum {bytes} NOT NULL,\n    execution_time BIGINT NOT NULL\n)"
    )
}

/// sea-orm-migration's history table.
pub(crate) fn seaql_table_ddl() -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS {SEAQL_TABLE} (version varchar(255) NOT NULL PRIMARY KEY, applied_at bigint NOT NULL)"
    )
}

/// autogen's table of Rust revisions' file checksums.
pub(crate) fn checksum_table_ddl() -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS {CHECKSUM_TABLE} (version varchar(255) NOT NULL PRIMARY KEY, checksum varchar(96) NOT NULL)"
    )
}

/// Records (up) or forgets (down) a Rust revision's checksum.
pub(crate) fn checksum_statements(
    rev: &Revision,
    direction: Direction,
    sql: &dyn SqlDialect,
) -> Result<Vec<String>> {
    let name = sql.string_literal(&rev.name);
    let mut out = vec![format!(
        "DELETE FROM {CHECKSUM_TABLE} WHERE version = {name}"
    )];
    if direction == Direction::Up {
        let text = std::fs::read_to_string(&rev.path).map_err(io(&rev.path))?;
        out.push(format!(
            "INSERT INTO {CHECKSUM_TABLE} (version, checksum) VALUES ({name}, {})",
            sql.string_literal(&file_checksum(&text))
        ));
    }
    Ok(out)
}

/// Records `name` as applied now in sea-orm-migration's table.
pub(crate) fn seaql_insert(name: &str, sql: &dyn SqlDialect) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format!(
        "INSERT INTO {SEAQL_TABLE} (version, applied_at) VALUES ({}, {now})",
        sql.string_literal(name)
    )
}

/// Forgets a Rust revision in sea-orm-migration's table.
pub(crate) fn seaql_delete(name: &str, sql: &dyn SqlDialect) -> String {
    format!(
        "DELETE FROM {SEAQL_TABLE} WHERE version = {}",
        sql.string_literal(name)
    )
}

/// Forgets a SQL revision in sqlx's table.
pub(crate) fn sqlx_delete(version: i64) -> String {
    format!("DELETE FROM {SQLX_TABLE} WHERE version = {version}")
}
