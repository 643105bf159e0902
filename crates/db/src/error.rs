#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot connect to {url}: {source}")]
    Connect { url: String, source: sqlx::Error },
    #[error(
        "unsupported database URL {url}: expected postgres://, postgresql://, mysql://, mariadb:// or sqlite:"
    )]
    UnsupportedUrl { url: String },
}
