#[derive(Debug, thiserror::Error)]
pub enum IntrospectError {
    #[error("catalog query for {what} failed: {}", autogen_db::error_text(source))]
    Query {
        what: &'static str,
        source: sqlx::Error,
    },
}

pub type Result<T, E = IntrospectError> = std::result::Result<T, E>;

/// Maps a failed catalog query to an error naming what it read.
pub(crate) fn query_failed(what: &'static str) -> impl FnOnce(sqlx::Error) -> IntrospectError {
    move |source| IntrospectError::Query { what, source }
}
