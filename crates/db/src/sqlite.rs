use crate::pool::Pool;
use autogen_schema::{Dialect, Profile};
use std::str::FromStr;

/// `create`: make the file (and its directory) if missing; otherwise a missing file is read as
/// an empty database, in memory, and no file appears. (An in-memory URL names no file that
/// exists, so it stays one.)
pub(crate) async fn connect(url: &str, create: bool) -> Result<(Pool, Profile), sqlx::Error> {
    let mut opts = sqlx::sqlite::SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .foreign_keys(true);
    if !create && !opts.get_filename().exists() {
        opts = sqlx::sqlite::SqliteConnectOptions::from_str("sqlite::memory:")?.foreign_keys(true);
    }
    // A new database file may live in a directory that does not exist yet.
    if let Some(dir) = opts.get_filename().parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir).map_err(sqlx::Error::Io)?;
    }
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(opts)
        .await?;
    let version: String = sqlx::query_scalar("SELECT sqlite_version()")
        .fetch_one(&pool)
        .await?;
    let profile = Profile::from_server(Dialect::Sqlite, &version);
    Ok((Pool::Sqlite(pool), profile))
}
