mod lock {
    //! MySQL and MariaDB: sqlx's `GET_LOCK` name, on a connection of its own.
    use super::StartupError;
    use sea_orm_migration::sea_orm::{DatabaseConnection, sqlx};
    use std::time::Duration;

    pub(super) struct Lock(sqlx::pool::PoolConnection<sqlx::MySql>, String);

    impl Lock {
        pub(super) async fn take(
            db: &DatabaseConnection,
            timeout: Duration,
        ) -> Result<Lock, StartupError> {
            let mut conn = db
                .get_mysql_connection_pool()
                .acquire()
                .await
                .map_err(db_err)?;
            let database: String = sqlx::query_scalar("SELECT DATABASE()")
                .fetch_one(&mut *conn)
                .await
                .map_err(db_err)?;
            let name = format!("{:x}", super::lock_id(&database));
            // GET_LOCK waits in whole seconds; 1 = got it, 0 = timed out.
            let got: Option<i64> = sqlx::query_scalar("SELECT GET_LOCK(?, ?)")
                .bind(&name)
                .bind(timeout.as_secs_f64().ceil() as i64)
                .fetch_one(&mut *conn)
                .await
                .map_err(db_err)?;
            if got == Some(1) {
                Ok(Lock(conn, name))
            } else {
                Err(StartupError::LockTimeout(timeout))
            }
        }

        pub(super) async fn release(mut self) -> Result<(), StartupError> {
            sqlx::query("SELECT RELEASE_LOCK(?)")
                .bind(&self.1)
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
