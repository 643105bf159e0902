#[derive(Debug, thiserror::Error)]
pub enum IntrospectError {
    #[error("catalog query for {what} failed: {}", autogen_db::error_text(source))]
    Query {
        what: &'static str,
        source: sqlx::Error,
    },
    #[error(
        "autogen compares CHECK constraints as the server renders them, by creating the \
         entities' CHECKs on temporary tables (in a transaction it rolls back) and reading them \
         back; the server refused: {}. A read-only role or a standby cannot do this: point \
         autogen at a writable database of the same schema (a development copy)",
        autogen_db::error_text(source)
    )]
    RenderChecks { source: sqlx::Error },
    #[error(
        "autogen compares views, functions and triggers as the server renders them, by creating \
         the declared ones in a transaction it rolls back and reading them back; the server \
         refused: {}. A read-only role or a standby cannot do this: point autogen at a writable \
         database of the same schema (a development copy)",
        autogen_db::error_text(source)
    )]
    RenderObjects { source: sqlx::Error },
}

pub type Result<T, E = IntrospectError> = std::result::Result<T, E>;

/// Maps a failed catalog query to an error naming what it read.
pub(crate) fn query_failed(what: &'static str) -> impl FnOnce(sqlx::Error) -> IntrospectError {
    move |source| IntrospectError::Query { what, source }
}
