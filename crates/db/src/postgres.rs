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

/// Drops database `name` of this server, ending the sessions still connected to it first.
pub(crate) async fn drop_database(pool: &sqlx::PgPool, name: &str) -> Result<(), sqlx::Error> {
    sqlx::query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = $1 AND pid <> pg_backend_pid()",
    )
    .bind(name)
    .execute(pool)
    .await?;
    let quoted = Dialect::Postgres.sql().quote_ident(name);
    // A terminated session ends a moment after pg_terminate_backend returns (PostgreSQL 12 says
    // "is being accessed by other users" until then; 13 has `WITH (FORCE)`, but not 12): wait
    // for it, briefly.
    let mut tries = 0;
    loop {
        let dropped = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {quoted}"
        )))
        .execute(pool)
        .await;
        match dropped {
            Err(e)
                if tries < 50
                    && e.as_database_error().and_then(|d| d.code()).as_deref() == Some("55006") =>
            {
                tries += 1;
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            other => return other.map(drop),
        }
    }
}

/// Databases of this server whose names start with `prefix` and that no session is connected to.
pub(crate) async fn idle_databases(
    pool: &sqlx::PgPool,
    prefix: &str,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT datname::text FROM pg_database d WHERE left(datname, length($1)) = $1 \
         AND NOT EXISTS (SELECT FROM pg_stat_activity a WHERE a.datname = d.datname)",
    )
    .bind(prefix)
    .fetch_all(pool)
    .await
}
