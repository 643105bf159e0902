//! The models directory: every `.rs` file below it, in name order, each read once (a file
//! reached through two links is read once; a link back to a directory being read is an error).

use crate::error::{Location, ModelError};
use crate::format::{Reader, on_large_stack};
use crate::source_map::Model;
use std::path::{Path, PathBuf};

/// Parses every `.rs` file below `dir` (recursively, in name order) into one model.
pub fn parse_dir(dir: &Path) -> Result<Model, ModelError> {
    let mut files = Vec::new();
    let mut ancestors = Vec::new();
    collect_rs_files(dir, &mut ancestors, &mut files)?;
    files.sort();
    let mut seen = std::collections::BTreeSet::new();
    files.retain(|(_, canonical)| seen.insert(canonical.clone()));
    let model = on_large_stack(|| {
        let mut reader = Reader::default();
        for (path, _) in &files {
            reader.add_file(path, &read_text(path)?)?;
        }
        reader.finish()
    })?;
    if model.schema.tables.is_empty() {
        return Err(ModelError::NoEntities {
            path: dir.to_path_buf(),
        });
    }
    Ok(model)
}

/// A file's text; bytes that are not UTF-8 are an error at their line and column.
fn read_text(path: &Path) -> Result<String, ModelError> {
    let bytes = std::fs::read(path).map_err(|source| ModelError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let text = String::from_utf8_lossy(valid);
        let line = text.matches('\n').count() + 1;
        let column = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        let byte = e.as_bytes().get(valid.len()).copied().unwrap_or(0);
        ModelError::At {
            location: Location {
                file: path.into(),
                line,
                column,
            },
            message: format!("not UTF-8 (byte 0x{byte:02x}): entity files are Rust source"),
        }
    })
}

/// `.rs` files below `dir` as (path, canonical path). `ancestors` are the canonical directories
/// being read, so that a link back to one of them is reported instead of followed forever.
fn collect_rs_files(
    dir: &Path,
    ancestors: &mut Vec<PathBuf>,
    out: &mut Vec<(PathBuf, PathBuf)>,
) -> Result<(), ModelError> {
    let io = |source| ModelError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let canonical = dir.canonicalize().map_err(io)?;
    if dir.is_file() {
        out.push((dir.to_path_buf(), canonical));
        return Ok(());
    }
    if let Some(ancestor) = ancestors.iter().find(|a| **a == canonical) {
        return Err(ModelError::Files {
            path: dir.to_path_buf(),
            message: format!(
                "a symbolic link loop: this directory is {}, which is being read already; \
                 remove the link or point --models below it",
                ancestor.display()
            ),
        });
    }
    ancestors.push(canonical);
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        entries.push(entry.map_err(io)?.path());
    }
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect_rs_files(&path, ancestors, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            let canonical = path.canonicalize().map_err(|source| ModelError::Io {
                path: path.clone(),
                source,
            })?;
            out.push((path, canonical));
        }
    }
    ancestors.pop();
    Ok(())
}
