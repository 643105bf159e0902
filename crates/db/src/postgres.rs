use crate::pool::Pool;
use autogen_schema::{Dialect, Profile};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, Connection};
use std::str::FromStr;
use std::time::Duration;

/// One direct connection first: a refused or unreachable server is reported at once, with its
/// cause (a pool retries a refused connection until its deadline, as if the server were
/// starting). It reads the server's version; the pool then serves the run.
pub(crate) async fn connect(url: &str) -> Result<(Pool, Profile), sqlx::Error> {
    let options = PgConnectOptions::from_str(url)?;
    let mut first = options.connect().await?;
    let version: String = sqlx::query_scalar("SHOW server_version")
        .fetch_one(&mut first)
        .await?;
    first.close().await?;
    let pool = PgPoolOptions::new()
        .max_connections(2)
        .acquire_timeout(Duration::from_secs(5))
        .connect_with(options)
        .await?;
    let profile = Profile::from_server(Dialect::Postgres, &version);
    Ok((Pool::Postgres(pool), profile))
}
