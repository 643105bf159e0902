//! The SQL files of views, materialized views, functions, procedures, aggregates and triggers:
//! one a file, `<kind>/<name>.sql`, holding the statement that creates the object as the
//! database holds it (its `source`: the server's rendering, or on MySQL a routine's or trigger's
//! statement as written), which the server renders as the database's object, so a database
//! written back reads back unchanged.

use autogen_schema::lexical::display_name;
use autogen_schema::{Schema, SqlObject};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Each object's file, relative to the SQL directory, with its contents.
pub fn object_files(schema: &Schema) -> Vec<(PathBuf, String)> {
    let mut by_stem: BTreeMap<(String, String), Vec<&SqlObject>> = BTreeMap::new();
    for o in schema.objects.values() {
        by_stem
            .entry((o.kind.dir().to_string(), file_stem(&display_name(&o.name))))
            .or_default()
            .push(o);
    }
    let mut out = Vec::new();
    for ((dir, stem), objects) in by_stem {
        let single = objects.len() == 1;
        for o in objects {
            // Overloads, or triggers of one name on several tables: told apart by the rest of
            // their identity.
            let stem = if single {
                stem.clone()
            } else {
                file_stem(&display_name(&o.label()))
            };
            let text = format!("{};\n", o.source.trim_end().trim_end_matches(';'));
            out.push((PathBuf::from(&dir).join(format!("{stem}.sql")), text));
        }
    }
    out
}

/// A name as a file name: letters, digits, `_`, `-` and `.` kept, anything else `_`.
fn file_stem(name: &str) -> String {
    let stem: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '_' | '-' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    stem.trim_matches('_').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use autogen_schema::SqlKind;

    fn object(kind: SqlKind, name: &str, arguments: Option<&str>) -> SqlObject {
        SqlObject {
            kind,
            name: name.into(),
            arguments: arguments.map(Into::into),
            table: None,
            // What is written is the statement that creates it, not the rendering compared.
            definition: String::new(),
            source: format!("CREATE {} {name} AS x;", kind.sql()),
            depends_on: Default::default(),
            reads: Default::default(),
            owned: false,
            file: None,
        }
    }

    #[test]
    fn one_file_an_object_overloads_apart() {
        let mut schema = Schema::default();
        for o in [
            object(SqlKind::View, "active users", None),
            object(SqlKind::Function, "f", Some("integer")),
            object(SqlKind::Function, "f", Some("text, integer")),
        ] {
            schema.objects.insert(o.key(), o);
        }
        let files = object_files(&schema);
        let paths: Vec<String> = files.iter().map(|(p, _)| p.display().to_string()).collect();
        assert_eq!(
            paths,
            [
                "functions/f_integer.sql",
                "functions/f_text__integer.sql",
                "views/active_users.sql"
            ]
        );
        assert!(files[2].1.ends_with("AS x;\n"), "{}", files[2].1);
    }
}
