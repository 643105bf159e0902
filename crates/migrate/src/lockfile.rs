//! Exclusive OS file locks, polled up to a timeout: released by the OS when the file is dropped,
//! or when the process dies.

use crate::error::{MigrateError, Result, io};
use std::fs::File;
use std::path::Path;
use std::time::{Duration, Instant};

/// Takes the lock on `path` (created if missing), waiting at most `timeout`.
pub(crate) async fn lock_file(path: &Path, timeout: Duration) -> Result<File> {
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
                return Err(MigrateError::LockTimeout {
                    waited: timeout.as_secs_f64(),
                });
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io(path)(e)),
        }
    }
}

/// Held while a command writes a revision: two `autogen -m` at once would otherwise give two
/// revisions one id (and one parent).
pub struct WriteLock {
    _file: File,
}

/// Takes the lock for writing revisions into `migrations`, waiting at most `timeout`. The lock
/// file lives in the system's temporary directory, named after the directory's absolute path, so
/// that nothing appears in the project (nor the directory itself, before a revision is written).
pub async fn lock_for_writing(migrations: &Path, timeout: Duration) -> Result<WriteLock> {
    use sha2::Digest;
    let absolute = std::path::absolute(migrations).map_err(io(migrations))?;
    let digest = sha2::Sha256::digest(absolute.to_string_lossy().as_bytes());
    let name: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    let path = std::env::temp_dir().join(format!("autogen-revisions-{name}.lock"));
    Ok(WriteLock {
        _file: lock_file(&path, timeout).await?,
    })
}
