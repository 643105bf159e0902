//! Exclusive OS file locks, polled up to a timeout: released by the OS when the file is dropped,
//! or when the process dies.

use crate::error::{Result, RuntimeError, io};
use std::fs::File;
use std::path::Path;
use std::time::{Duration, Instant};

/// Takes the lock on `path` (created if missing), waiting at most `timeout`.
pub async fn lock_file(path: &Path, timeout: Duration) -> Result<File> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(io(path))?;
    let start = Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(std::fs::TryLockError::WouldBlock) if start.elapsed() < timeout => {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(RuntimeError::LockTimeout {
                    waited: timeout.as_secs_f64(),
                });
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io(path)(e)),
        }
    }
}
