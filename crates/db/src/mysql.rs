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
    let options = MySqlConnectOptions::from_str(&url)?;
    if options.get_socket().is_none() {
        probe_tcp(options.get_host(), options.get_port())?;
    }
    let pool = MySqlPoolOptions::new()
        .max_connections(2)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options)
        .await?;
    let version: String = sqlx::query_scalar("SELECT VERSION()")
        .fetch_one(&pool)
        .await?;
    let profile = Profile::from_server(Dialect::MySql, &version);
    Ok((Pool::MySql(pool), profile))
}
