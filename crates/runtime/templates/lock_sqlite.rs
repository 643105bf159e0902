mod lock {
    //! SQLite: autogen's lock file beside the database file (`<file>-autogen.lock`), polled until
    //! the timeout; an in-memory database has nothing to share and takes none.
    use super::StartupError;
    use sea_orm_migration::sea_orm::{DatabaseConnection, DbErr, sqlx};
    use std::time::{Duration, Instant};

    pub(super) struct Lock(Option<std::fs::File>);

    impl Lock {
        pub(super) async fn take(
            db: &DatabaseConnection,
            timeout: Duration,
        ) -> Result<Lock, StartupError> {
            let file: String =
                sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'")
                    .fetch_one(db.get_sqlite_connection_pool())
                    .await
                    .map_err(|e| StartupError::Db(DbErr::Custom(e.to_string())))?;
            if file.is_empty() {
                return Ok(Lock(None));
            }
            let path = format!("{file}-autogen.lock");
            let io = |e: std::io::Error| StartupError::Db(DbErr::Custom(format!("{path}: {e}")));
            let lock = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .map_err(io)?;
            let start = Instant::now();
            loop {
                match lock.try_lock() {
                    Ok(()) => return Ok(Lock(Some(lock))),
                    Err(std::fs::TryLockError::WouldBlock) if start.elapsed() < timeout => {
                        tokio::time::sleep(Duration::from_millis(100)).await;
                    }
                    Err(std::fs::TryLockError::WouldBlock) => {
                        return Err(StartupError::LockTimeout(timeout));
                    }
                    Err(std::fs::TryLockError::Error(e)) => return Err(io(e)),
                }
            }
        }

        pub(super) async fn release(self) -> Result<(), StartupError> {
            if let Some(file) = self.0 {
                file.unlock()
                    .map_err(|e| StartupError::Db(DbErr::Custom(e.to_string())))?;
            }
            Ok(())
        }
    }
}
