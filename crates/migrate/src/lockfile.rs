//! The lock held while revisions are written (the file lock itself is the runtime's).

use crate::error::{Result, io};
use autogen_runtime::internal::lock_file;
use std::fs::File;
use std::path::Path;
use std::time::Duration;

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
