use autogen_schema::Dialect;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DiffError {
    #[error("{dialect} cannot {what} in place (table {table}); {hint}")]
    Unsupported {
        dialect: Dialect,
        table: String,
        what: String,
        hint: String,
    },
}
