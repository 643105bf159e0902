use crate::pool::Pool;
use crate::probe::probe_tcp;
use autogen_schema::{Dialect, Profile};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use std::str::FromStr;
use std::time::Duration;

pub(crate) async fn connect(url: &str) -> Result<(Pool, Profile), sqlx::Error> {
    let options = PgConnectOptions::from_str(url)?;
    if options.get_socket().is_none() {
        probe_tcp(options.get_host(), options.get_port())?;
    }
    let pool = PgPoolOptions::new()
        .max_connections(2)
        // An unreachable server is reported after a few seconds, not sqlx's 30.
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options)
        .await?;
    let version: String = sqlx::query_scalar("SHOW server_version")
        .fetch_one(&pool)
        .await?;
    let profile = Profile::from_server(Dialect::Postgres, &version);
    Ok((Pool::Postgres(pool), profile))
}
