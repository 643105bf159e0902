//! sqlx's version table as autogen shares it: the lock key its `Migrator` takes, the table as it
//! creates it, a row forgotten on the way down.

use autogen_db::SQLX_TABLE;

/// The lock key sqlx's `Migrator` derives from the database name (CRC-32 times a constant), so
/// that autogen and `sqlx migrate run` exclude each other.
pub fn sqlx_lock_id(database_name: &str) -> i64 {
    const CRC: crc::Crc<u32> = crc::Crc::<u32>::new(&crc::CRC_32_ISO_HDLC);
    0x3d32ad9e * (CRC.checksum(database_name.as_bytes()) as i64)
}

/// sqlx's version table, as its `Migrate::ensure_migrations_table` creates it; `timestamp` and
/// `bytes` are the dialect's column types for its two special columns.
pub fn sqlx_table_ddl(timestamp: &str, bytes: &str) -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS {SQLX_TABLE} (\n    version BIGINT PRIMARY KEY,\n    \
         description TEXT NOT NULL,\n    installed_on {timestamp},\n    success BOOLEAN NOT NULL,\n    \
         checksum {bytes} NOT NULL,\n    execution_time BIGINT NOT NULL\n)"
    )
}

/// Forgets a SQL revision in sqlx's table.
pub fn sqlx_delete(version: i64) -> String {
    format!("DELETE FROM {SQLX_TABLE} WHERE version = {version}")
}
