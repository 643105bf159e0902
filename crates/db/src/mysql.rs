use crate::pool::Pool;
use crate::probe::probe_tcp;
use autogen_schema::{Dialect, Profile};
use sqlx::mysql::{MySqlConnectOptions, MySqlPoolOptions};
use std::str::FromStr;
use std::time::Duration;

/// MySQL and MariaDB; `mariadb://` is the same protocol under another name.
pub(crate) async fn connect(url: &str) -> Result<(Pool, Profile), sqlx::Error> {
    let url = match url.strip_prefix("mariadb://") {
        Some(rest) => format!("mysql://{rest}"),
        None => url.to_string(),
    };
    // The server's own SQL mode, as the mysql client and mysqldump's restores run with: a
    // routine, trigger or view is stored with the session's mode, and sqlx's default
    // (PIPES_AS_CONCAT, and IGNORE_SPACE by its handshake) would change what `||` means in
    // every body autogen creates.
    let options = MySqlConnectOptions::from_str(&url)?.pipes_as_concat(false);
    if options.get_socket().is_none() {
        probe_tcp(options.get_host(), options.get_port())?;
    }
    let pool = MySqlPoolOptions::new()
        .max_connections(2)
        .acquire_timeout(Duration::from_secs(5))
        .after_connect(|conn, _| {
            Box::pin(async move {
                use sqlx::Executor;
                conn.execute(autogen_schema::dialect::MYSQL_SERVER_SQL_MODE)
                    .await
                    .map(drop)
            })
        })
        .connect_with(options)
        .await?;
    let version: String = sqlx::query_scalar("SELECT VERSION()")
        .fetch_one(&pool)
        .await?;
    let profile = Profile::from_server(Dialect::MySql, &version);
    Ok((Pool::MySql(pool), profile))
}

/// Drops database `name` of this server.
pub(crate) async fn drop_database(pool: &sqlx::MySqlPool, name: &str) -> Result<(), sqlx::Error> {
    let quoted = Dialect::MySql.sql().quote_ident(name);
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {quoted}"
    )))
    .execute(pool)
    .await
    .map(drop)
}

/// Databases of this server whose names start with `prefix` and that no session is connected to
/// (that this account can see).
pub(crate) async fn idle_databases(
    pool: &sqlx::MySqlPool,
    prefix: &str,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT CAST(schema_name AS CHAR) FROM information_schema.schemata s \
         WHERE LEFT(schema_name, CHAR_LENGTH(?)) = ? \
         AND NOT EXISTS (SELECT 1 FROM information_schema.processlist p WHERE p.db = s.schema_name)",
    )
    .bind(prefix)
    .bind(prefix)
    .fetch_all(pool)
    .await
}
