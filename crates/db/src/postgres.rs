use crate::pool::Pool;
use autogen_schema::{Dialect, Profile};
use std::time::Duration;

pub(crate) async fn connect(url: &str) -> Result<(Pool, Profile), sqlx::Error> {
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(2)
        // An unreachable server is reported after a few seconds, not sqlx's 30.
        .acquire_timeout(Duration::from_secs(5))
        .connect(url)
        .await?;
    let version: String = sqlx::query_scalar("SHOW server_version")
        .fetch_one(&pool)
        .await?;
    let profile = Profile::from_server(Dialect::Postgres, &version);
    Ok((Pool::Postgres(pool), profile))
}
