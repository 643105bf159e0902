use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where in an entity file something is (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: Arc<Path>,
    pub line: usize,
    pub column: usize,
}

impl ModelError {
    /// An error at a place read earlier.
    pub(crate) fn at(location: &Location, message: impl Into<String>) -> ModelError {
        ModelError::At {
            location: location.clone(),
            message: message.into(),
        }
    }
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
