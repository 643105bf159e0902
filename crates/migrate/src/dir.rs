//! The migrations directory: its revisions, read from their headers, in graph order, and how
//! new files are named.

use crate::error::{MigrateError, Result, io};
use crate::header::parse_header;
use crate::order::topological;
use crate::revision::{Format, Revision, RevisionMeta};
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
        // An existing sea-orm-cli crate: its migrations carry no header; lib.rs lists them in
        // the order sea-orm-migration runs them, which is their history.
        let lib_order = match format {
            Format::Rust => std::fs::read_to_string(files_dir.join("lib.rs"))
                .map(|text| rust_lib_modules(&text))
                .unwrap_or_default(),
            Format::Sql => Vec::new(),
        };
        let mut found = Vec::new();
        let mut plain = Vec::new();
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
                    Some(stem) if stem.starts_with('m') && stem != "main" && stem != "mod" => {
                        stem.to_string()
                    }
                    _ => continue,
                },
            };
            let text = std::fs::read_to_string(&p).map_err(io(&p))?;
            match parse_header(&text) {
                Some(meta) => found.push(Revision {
                    meta,
                    path: p,
                    name,
                }),
                None if lib_order.contains(&name) => plain.push((name, p)),
                None => return Err(MigrateError::NoHeader { path: p }),
            }
        }
        let plain_ids = plain_revisions(&mut found, plain, &lib_order);
        dir.revisions = topological(found, path)?;
        // Revision ids grow along the history: sqlx orders SQL migrations by version and
        // sea-orm-migration by name, so a revision must sort after every revision it builds on.
        for r in &dir.revisions {
            for p in r.meta.parents.iter().filter(|p| !plain_ids.contains(*p)) {
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
/// The migration modules a sea-orm-migration `lib.rs` lists (`Box::new(NAME::Migration)`), in
/// its order: the order sea-orm-migration applies them in.
pub(crate) fn rust_lib_modules(text: &str) -> Vec<String> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    compact
        .split("Box::new(")
        .skip(1)
        .filter_map(|rest| rest.split_once("::Migration)"))
        .map(|(name, _)| name.to_string())
        .filter(|name| !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_'))
        .collect()
}

/// Adds to `found` the migrations of an adopted sea-orm-cli crate (no autogen header): each
/// follows the module before it in `lib.rs`, and its id is the timestamp its name carries
/// (`m20220101_000001_create_table` -> `20220101000001`) or, when it carries none, the name.
/// Returns their ids.
fn plain_revisions(
    found: &mut Vec<Revision>,
    plain: Vec<(String, PathBuf)>,
    lib_order: &[String],
) -> Vec<String> {
    let mut ids = Vec::new();
    let id_of = |name: &str, found: &[Revision]| -> Option<String> {
        if let Some(r) = found.iter().find(|r| r.name == name) {
            return Some(r.meta.id.clone());
        }
        plain.iter().any(|(n, _)| n == name).then(|| plain_id(name))
    };
    for (name, path) in &plain {
        let Some(at) = lib_order.iter().position(|n| n == name) else {
            continue;
        };
        let parents = at
            .checked_sub(1)
            .and_then(|before| id_of(&lib_order[before], found))
            .into_iter()
            .collect();
        let id = plain_id(name);
        ids.push(id.clone());
        let message = name
            .trim_start_matches('m')
            .trim_start_matches(|c: char| c.is_ascii_digit() || c == '_')
            .replace('_', " ");
        found.push(Revision {
            meta: RevisionMeta {
                id,
                parents,
                message,
                allow: Vec::new(),
                change: None,
                dialect: None,
            },
            path: path.clone(),
            name: name.clone(),
        });
    }
    ids
}

/// A header-less module's revision id: the digits of sea-orm-cli's `mYYYYMMDD_HHMMSS_` prefix,
/// else the module name.
fn plain_id(name: &str) -> String {
    let b = name.as_bytes();
    let stamped = b.len() >= 16
        && b[0] == b'm'
        && b[1..9].iter().all(u8::is_ascii_digit)
        && b[9] == b'_'
        && b[10..16].iter().all(u8::is_ascii_digit)
        && b.get(16).is_none_or(|c| *c == b'_');
    if stamped {
        format!("{}{}", &name[1..9], &name[10..16])
    } else {
        name.to_string()
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
