//! Views, materialized views, functions, procedures, aggregates and triggers declared as SQL
//! files: one object per file, its CREATE statement (the server renders it for comparison;
//! nothing here normalises SQL). The file's kind and name come from the statement's head.

use crate::error::ModelError;
use autogen_schema::{SqlDialect, SqlObject, parse_head};
use std::path::{Path, PathBuf};

/// Every `*.sql` file under `dir` (none when it does not exist), in path order, as the object
/// it declares. `default_schema`: the connection's own schema (a name qualified with it is
/// keyed bare); `sql`: the dialect, which says whether unquoted names fold to lower case and
/// whether a routine's arguments are part of its name (both PostgreSQL only).
pub fn read_objects(
    dir: &Path,
    default_schema: Option<&str>,
    sql: &dyn SqlDialect,
) -> Result<Vec<SqlObject>, ModelError> {
    let fold = sql.folds_unquoted_names();
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
        if head.kind.sequence() && sql.domains_and_sequences() {
            return Err(ModelError::Files {
                path,
                message: "a PostgreSQL sequence is declared on an entity, not in a file: \
                          #[cfg_attr(any(), autogen(sequence = \"name\"))], or a column's \
                          nextval default"
                    .into(),
            });
        }
        let arguments = head.arguments.filter(|_| sql.overloads_routines());
        // Until the server renders it, the file's text is all there is to compare.
        let object = SqlObject {
            file: Some(path.display().to_string()),
            ..SqlObject::from_statement(head.kind, head.name, arguments, head.table, text)
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

#[cfg(test)]
mod tests {
    use super::read_objects;
    use autogen_schema::{Dialect, SqlDialect};

    fn pg() -> &'static dyn SqlDialect {
        Dialect::Postgres.sql()
    }

    fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("dir");
            std::fs::write(path, text).expect("file");
        }
        dir
    }

    #[test]
    fn each_file_is_the_object_its_head_names() {
        let dir = dir_with(&[
            (
                "views/a.sql",
                "-- note\nCREATE VIEW public.Active AS SELECT 1;",
            ),
            (
                "triggers/t.sql",
                "CREATE TRIGGER t BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION f();",
            ),
            ("README.md", "not SQL"),
        ]);
        let objects = read_objects(dir.path(), Some("public"), pg()).unwrap();
        let keys: Vec<String> = objects.iter().map(|o| o.key()).collect();
        assert_eq!(keys, ["trigger t on users", "view active"]);
        // MySQL keeps a routine's name alone: it has no overloads.
        let dir = dir_with(&[("f.sql", "CREATE FUNCTION Touch(x INT) RETURNS INT RETURN x")]);
        let objects = read_objects(dir.path(), None, Dialect::MySql.sql()).unwrap();
        assert_eq!(objects[0].key(), "function Touch");
        assert!(
            read_objects(&dir.path().join("missing"), None, pg())
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn a_file_of_no_object_or_a_second_file_of_one_is_an_error_naming_it() {
        let dir = dir_with(&[("views/t.sql", "CREATE TABLE t (a int);")]);
        let err = read_objects(dir.path(), None, pg())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("t.sql") && err.contains("creates none of"),
            "{err}"
        );
        let dir = dir_with(&[
            ("a.sql", "CREATE VIEW v AS SELECT 1"),
            ("b.sql", "create or replace view V as select 2"),
        ]);
        let err = read_objects(dir.path(), None, pg())
            .unwrap_err()
            .to_string();
        assert!(err.contains("b.sql") && err.contains("a.sql"), "{err}");
    }
}
