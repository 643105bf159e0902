use std::time::Duration;

/// How a run behaves.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// How long to wait for another process's migration lock before giving up.
    pub lock_timeout: Duration,
    /// `-x key=value` arguments for hand-written (Rust) migrations.
    pub x_args: Vec<(String, String)>,
    /// The database URL, for the Rust migration crate.
    pub url: String,
    /// `downgrade --recorded-down`: revisions the database records but this checkout has no file
    /// for are reverted first, newest first, with the down statements recorded when they were
    /// applied (`autogen_revisions`).
    pub recorded_down: bool,
}
