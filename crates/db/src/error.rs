use std::fmt::Write as _;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot connect to {url}: {}", error_text(source))]
    Connect { url: String, source: sqlx::Error },
    #[error(
        "unsupported database URL {url}: expected postgres://, postgresql://, mysql://, mariadb:// or sqlite:"
    )]
    UnsupportedUrl { url: String },
    #[error(
        "{url} is {server}, older than autogen supports ({oldest} and later): its catalog lacks what autogen reads"
    )]
    TooOld {
        url: String,
        server: String,
        oldest: String,
    },
}

/// A database error for people: the server's message with its detail and hint (not the line of
/// the server's own source file that PostgreSQL's error carries), and what a refused or
/// unreachable connection means.
pub fn error_text(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Database(db) => {
            let mut out = db.message().to_string();
            if let Some(pg) = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
                if let Some(detail) = pg.detail() {
                    let _ = write!(out, "\n  detail: {detail}");
                }
                if let Some(hint) = pg.hint() {
                    let _ = write!(out, "\n  hint: {hint}");
                }
            }
            if let Some(code) = db.code() {
                let _ = write!(out, " (SQLSTATE {code})");
            }
            out
        }
        sqlx::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            "connection refused: is the server running, and listening on that host and port?".into()
        }
        sqlx::Error::PoolTimedOut => {
            "no connection within 5 s: the server did not answer (a wrong host or port, or a \
             firewall?)"
                .into()
        }
        other => other.to_string(),
    }
}
