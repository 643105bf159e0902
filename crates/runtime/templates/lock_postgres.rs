mod lock {
    //! PostgreSQL: sqlx's advisory lock, on a connection of its own, polled until the timeout.
    use super::StartupError;
    use sea_orm_migration::sea_orm::{DatabaseConnection, sqlx};
    use std::time::{Duration, Instant};

    pub(super) struct Lock(sqlx::pool::PoolConnection<sqlx::Postgres>, i64);

    impl Lock {
        pub(super) async fn take(
            db: &DatabaseConnection,
            timeout: Duration,
        ) -> Result<Lock, StartupError> {
            let mut conn = db
                .get_postgres_connection_pool()
                .acquire()
                .await
                .map_err(db_err)?;
            let name: String = sqlx::query_scalar("SELECT current_database()")
                .fetch_one(&mut *conn)
                .await
                .map_err(db_err)?;
            let id = super::lock_id(&name);
            let start = Instant::now();
            loop {
                let got: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
                    .bind(id)
                    .fetch_one(&mut *conn)
                    .await
                    .map_err(db_err)?;
                if got {
                    return Ok(Lock(conn, id));
                }
                if start.elapsed() >= timeout {
                    return Err(StartupError::LockTimeout(timeout));
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }

        pub(super) async fn release(mut self) -> Result<(), StartupError> {
            sqlx::query("SELECT pg_advisory_unlock($1)")
                .bind(self.1)
                .execute(&mut *self.0)
                .await
                .map_err(db_err)?;
            Ok(())
        }
    }

    fn db_err(e: sqlx::Error) -> StartupError {
        StartupError::Db(sea_orm_migration::sea_orm::DbErr::Custom(e.to_string()))
    }
}
