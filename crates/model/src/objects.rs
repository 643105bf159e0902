//! Views, materialized views, functions, procedures, aggregates and triggers declared as SQL
//! files: one object per file, its CREATE statement (the server renders it for comparison;
//! nothing here normalises SQL). The file's kind and name come from the statement's head.

use crate::error::ModelError;
use autogen_schema::{SqlObject, parse_head};
use std::path::{Path, PathBuf};

/// Every `*.sql` file under `dir` (none when it does not exist), in path order, as the object
/// it declares. `default_schema`: the connection's own schema (a name qualified with it is
/// keyed bare); `fold`: unquoted names fold to lower case (PostgreSQL).
pub fn read_objects(
    dir: &Path,
    default_schema: Option<&str>,
    fold: bool,
) -> Result<Vec<SqlObject>, ModelError> {
    let mut files = Vec::new();
    if dir.is_dir() {
        collect(dir, &mut files)?;
    }
    files.sort();
    let mut out: Vec<SqlObject> = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).map_err(|source| ModelError::Io {
            path: path.clone(),
            source,
        })?;
        let head =
            parse_head(&text, default_schema, fold).map_err(|message| ModelError::Files {
                path: path.clone(),
                message,
            })?;
        let object = SqlObject {
            kind: head.kind,
            name: head.name,
            arguments: head.arguments,
            table: head.table,
            definition: text.clone(),
            source: text,
            depends_on: Default::default(),
            reads: Default::default(),
            owned: false,
            file: Some(path.display().to_string()),
        };
        if let Some(other) = out.iter().find(|o| o.key() == object.key()) {
            return Err(ModelError::Files {
                path,
                message: format!(
                    "declares {} {}, which {} declares too",
                    object.kind,
                    object.label(),
                    other.file.as_deref().unwrap_or_default()
                ),
            });
        }
        out.push(object);
    }
    Ok(out)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), ModelError> {
    let io = |source| ModelError::Io {
        path: dir.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "sql") {
            out.push(path);
        }
    }
    Ok(())
}
