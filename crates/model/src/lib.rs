//! SeaORM 2.0 entity source -> [`Schema`], without compiling the user's crate.
//!
//! Reads the three entity formats (dense `#[sea_orm::model]`, compact `DeriveEntityModel` with a
//! `Relation` enum, expanded `impl ColumnTrait`) and `DeriveActiveEnum` enums. Anything that looks
//! like entity code but cannot be interpreted is an error carrying `file:line:col`, never skipped.

mod attrs;
mod entity;
mod types;

use autogen_schema::Schema;
use std::fmt;
use std::path::{Path, PathBuf};

pub use entity::parse_sources;

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
    #[error(
        "{path}: no SeaORM entity found (looked for `DeriveEntityModel`, `#[sea_orm::model]` and `impl EntityName`)"
    )]
    NoEntities { path: PathBuf },
}

/// Parses every `.rs` file below `dir` (recursively, in name order) into one schema.
pub fn parse_dir(dir: &Path) -> Result<Schema, ModelError> {
    let mut files = Vec::new();
    collect_rs_files(dir, &mut files)?;
    files.sort();
    let mut sources = Vec::with_capacity(files.len());
    for path in files {
        let text = std::fs::read_to_string(&path).map_err(|source| ModelError::Io {
            path: path.clone(),
            source,
        })?;
        sources.push((path, text));
    }
    let schema = parse_sources(&sources)?;
    if schema.tables.is_empty() {
        return Err(ModelError::NoEntities {
            path: dir.to_path_buf(),
        });
    }
    Ok(schema)
}

fn collect_rs_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), ModelError> {
    let io = |source| ModelError::Io {
        path: dir.to_path_buf(),
        source,
    };
    if dir.is_file() {
        out.push(dir.to_path_buf());
        return Ok(());
    }
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.is_dir() {
            collect_rs_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
