#[derive(Debug, thiserror::Error)]
pub enum IntrospectError {
    #[error("catalog query for {what} failed: {}", autogen_db::error_text(source))]
    Query {
        what: &'static str,
        source: sqlx::Error,
    },
    /// The server would not render what the model declares (`what`: what autogen was
    /// creating, in a transaction it rolls back or on temporary tables, to read it back).
    #[error(
        "autogen compares {what} as the server renders them, by creating {how} and reading them \
         back; the server refused: {}. A read-only role or a standby cannot do this: point \
         autogen at a writable database of the same schema (a development copy)",
        autogen_db::error_text(source)
    )]
    Render {
        what: &'static str,
        how: &'static str,
        source: sqlx::Error,
    },
}

pub type Result<T, E = IntrospectError> = std::result::Result<T, E>;

/// Maps a failed catalog query to an error naming what it read.
pub(crate) fn query_failed(what: &'static str) -> impl FnOnce(sqlx::Error) -> IntrospectError {
    move |source| IntrospectError::Query { what, source }
}
