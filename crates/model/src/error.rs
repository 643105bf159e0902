use std::fmt;
use std::path::PathBuf;

/// Where in an entity file something is (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file.display(), self.line, self.column)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("{location}: {message}")]
    At { location: Location, message: String },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Files { path: PathBuf, message: String },
    #[error("{message}")]
    Invalid { message: String },
    #[error(
        "{path}: no SeaORM entity found (looked for `DeriveEntityModel`, `#[sea_orm::model]` and `impl EntityName`)"
    )]
    NoEntities { path: PathBuf },
}
