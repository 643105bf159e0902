//! The migrations directory: its revisions, read from their headers, in graph order, and how
//! new files are named.

use crate::error::{MigrateError, Result, io};
use crate::header::parse_header;
use crate::order::topological;
use crate::revision::{Format, Revision};
use std::path::{Path, PathBuf};

/// The migrations directory, with its revisions in chain order (base first).
#[derive(Debug, Clone)]
pub struct MigrationsDir {
    pub path: PathBuf,
    pub format: Format,
    pub revisions: Vec<Revision>,
    /// Rust format: where cargo builds the migration crate (`None`: cargo's default).
    pub cargo_target_dir: Option<PathBuf>,
    /// The descriptive part of new file names (see [`file_description`]).
    pub file_template: String,
}

/// The default file-name template: the message's slug.
pub const DEFAULT_FILE_TEMPLATE: &str = "{slug}";

/// Fills a file-name template. Placeholders: `{slug}` (the message, lower-cased, `_`-joined),
/// `{rev}`, and `{year}` `{month}` `{day}` `{hour}` `{minute}` `{second}` taken from the
/// revision id. The revision id itself always leads the file name (sqlx and sea-orm-migration
/// order by it), so the result is only the part after it, slugified again.
pub fn file_description(template: &str, id: &str, message: &str) -> String {
    let part = |from: usize, to: usize| id.get(from..to).unwrap_or("").to_string();
    let filled = template
        .replace("{slug}", &slug(message))
        .replace("{rev}", id)
        .replace("{year}", &part(0, 4))
        .replace("{month}", &part(4, 6))
        .replace("{day}", &part(6, 8))
        .replace("{hour}", &part(8, 10))
        .replace("{minute}", &part(10, 12))
        .replace("{second}", &part(12, 14));
    slug(&filled)
}

/// Writes `contents` to `path` atomically (temporary file in the same directory, then rename).
pub fn write_atomic(path: &Path, contents: &str) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let tmp = dir.join(format!(
        ".{}.tmp",
        path.file_name()
            .map(|f| f.to_string_lossy())
            .unwrap_or_default()
    ));
    std::fs::write(&tmp, contents).map_err(io(&tmp))?;
    std::fs::rename(&tmp, path).map_err(io(path))
}

/// `add fees table!` -> `add_fees_table`.
pub fn slug(message: &str) -> String {
    let mut out = String::new();
    for c in message.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_matches('_').to_string();
    if out.is_empty() {
        "migration".into()
    } else {
        out
    }
}

impl MigrationsDir {
    /// The directory holding the migration files themselves.
    pub(crate) fn files_dir(&self) -> PathBuf {
        match self.format {
            Format::Sql => self.path.clone(),
            Format::Rust => self.path.join("src"),
        }
    }

    pub fn load(path: &Path, format: Format) -> Result<MigrationsDir> {
        let mut dir = MigrationsDir {
            path: path.to_path_buf(),
            format,
            revisions: Vec::new(),
            cargo_target_dir: None,
            file_template: DEFAULT_FILE_TEMPLATE.to_string(),
        };
        // Revisions of the other format would be no revisions at all: an empty history that
        // `upgrade` finds nothing in.
        let other = match format {
            Format::Rust => std::fs::read_dir(path).ok().is_some_and(|rd| {
                rd.flatten()
                    .any(|e| e.file_name().to_string_lossy().ends_with(".up.sql"))
            }),
            Format::Sql => path.join("Cargo.toml").exists(),
        };
        if other {
            let found = if format == Format::Rust {
                Format::Sql
            } else {
                Format::Rust
            };
            return Err(MigrateError::OtherFormat {
                dir: path.to_path_buf(),
                found: found.name(),
                expected: format.name(),
            });
        }
        let files_dir = dir.files_dir();
        if !files_dir.exists() {
            return Ok(dir);
        }
        let mut found = Vec::new();
        for entry in std::fs::read_dir(&files_dir).map_err(io(&files_dir))? {
            let p = entry.map_err(io(&files_dir))?.path();
            let fname = p
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default();
            let name = match format {
                Format::Sql => match fname.strip_suffix(".up.sql") {
                    Some(stem) => stem.to_string(),
                    None => continue,
                },
                Format::Rust => match fname.strip_suffix(".rs") {
                    Some(stem) if stem.starts_with('m') && stem != "main" => stem.to_string(),
                    _ => continue,
                },
            };
            let text = std::fs::read_to_string(&p).map_err(io(&p))?;
            let meta =
                parse_header(&text).ok_or_else(|| MigrateError::NoHeader { path: p.clone() })?;
            found.push(Revision {
                meta,
                path: p,
                name,
            });
        }
        dir.revisions = topological(found, path)?;
        // Revision ids grow along the history: sqlx orders SQL migrations by version and
        // sea-orm-migration by name, so a revision must sort after every revision it builds on.
        for r in &dir.revisions {
            for p in &r.meta.parents {
                let sorts_before = match format {
                    Format::Sql => sql_version(&r.meta.id)? <= sql_version(p)?,
                    Format::Rust => r.meta.id.as_str() <= p.as_str(),
                };
                if sorts_before {
                    return Err(MigrateError::Graph(format!(
                        "revision {} follows {p} but sorts before it; sqlx and sea-orm-migration order \
                         migrations by id, so a revision's id must be greater than its parents'",
                        r.meta.id
                    )));
                }
            }
        }
        Ok(dir)
    }
}
/// `20261126041500` + `add_fees` -> `m20261126_041500_add_fees` (sea-orm-cli's naming).
pub fn rust_module_name(id: &str, slug: &str) -> String {
    if id.len() == 14 && id.chars().all(|c| c.is_ascii_digit()) {
        format!("m{}_{}_{slug}", &id[..8], &id[8..])
    } else {
        format!("m{id}_{slug}")
    }
}

pub(crate) fn sql_version(id: &str) -> Result<i64> {
    id.parse().map_err(|_| {
        MigrateError::Target(format!(
            "SQL revision ids are sqlx versions (numbers), not {id}"
        ))
    })
}
