use autogen_schema::Dialect;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DiffError {
    #[error(
        "{dialect} must rebuild table {table} for this change, and a rebuild would lose what \
         autogen does not model: {}; write this migration by hand (autogen revision -m ...)",
        what.join(", ")
    )]
    RebuildWouldLose {
        dialect: Dialect,
        table: String,
        what: Vec<String>,
    },
    #[error("{dialect} cannot {what} in place (table {table}); {hint}")]
    Unsupported {
        dialect: Dialect,
        table: String,
        what: String,
        hint: String,
    },
}
