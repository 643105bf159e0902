//! The models directory: every `.rs` file below it, in name order.

use crate::error::ModelError;
use crate::format::parse_sources;
use autogen_schema::Schema;
use std::path::{Path, PathBuf};

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
