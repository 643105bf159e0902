use crate::pool::Pool;
use autogen_schema::{Dialect, Profile};
use std::time::Duration;

/// MySQL and MariaDB; `mariadb://` is the same protocol under another name.
pub(crate) async fn connect(url: &str) -> Result<(Pool, Profile), sqlx::Error> {
    let url = match url.strip_prefix("mariadb://") {
        Some(rest) => format!("mysql://{rest}"),
        None => url.to_string(),
    };
    let pool = sqlx::mysql::MySqlPoolOptions::new()
        .max_connections(2)
        .acquire_timeout(Duration::from_secs(5))
        .connect(&url)
        .await?;
    let version: String = sqlx::query_scalar("SELECT VERSION()")
        .fetch_one(&pool)
        .await?;
    let profile = Profile::from_server(Dialect::MySql, &version);
    Ok((Pool::MySql(pool), profile))
}
