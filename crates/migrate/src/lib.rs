//! The migrations directory, its revision graph, and applying / rolling back.
//!
//! - [`graph`]: parents, heads, branch points, and which revisions a target selects.
//! - [`runner`]: lock, checks (checksums, missing files), one transaction per revision, the
//!   version table (sqlx's `_sqlx_migrations` for SQL, sea-orm-migration's `seaql_migrations`
//!   for Rust), `stamp`.
//! - [`offline`]: the same runs as SQL scripts (`--sql`).

mod cargo;
mod graph;
pub mod offline;
mod runner;
mod split;

pub use graph::{Direction, Target};
pub use runner::{RunOptions, SEAQL_TABLE, SQLX_TABLE, applied, run, stamp};
pub use split::statements as split_statements;

use autogen_diff::Plan;
use autogen_render::{
    RevisionMeta, parse_header, render_rust_empty, render_rust_lib, render_rust_migration,
    render_sql_empty, render_sql_migration,
};
use autogen_schema::Dialect;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Sql,
    Rust,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "sql" => Some(Format::Sql),
            "rust" => Some(Format::Rust),
            _ => None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: not an autogen migration (no `autogen revision:` header)")]
    NoHeader { path: PathBuf },
    #[error("revision {id} names parent {parent}, which is not in {dir}")]
    MissingParent {
        id: String,
        parent: String,
        dir: PathBuf,
    },
    #[error(
        "the history has forked: {} are all heads (migrations written on top of the same revision). \
         Join them with `autogen merge -m \"merge heads\" {}`, or apply every head with `autogen upgrade heads`",
        heads.join(", "), heads.join(" ")
    )]
    MultipleHeads { heads: Vec<String> },
    #[error("{0}")]
    Graph(String),
    #[error(
        "revision(s) {0} recorded in the database as applied, but no migration file has that revision; \
         restore the file(s), or if they are gone for good, `autogen stamp` the revision the database is really at"
    )]
    MissingFile(String),
    #[error(
        "revision {id} was edited after it was applied: {path} no longer has the checksum recorded in the \
         database. Restore the file as it was applied (e.g. `git checkout -- {path}`) and put the change in a new revision"
    )]
    Tampered { id: String, path: PathBuf },
    #[error(
        "revision {0} is marked as failed (success = false) in _sqlx_migrations: a run of `sqlx migrate` failed \
         halfway. Repair the database by hand, delete that row, then run again"
    )]
    Dirty(String),
    #[error(
        "another migration run holds the lock on this database; gave up after {waited} s \
         (set `lock_timeout` in autogen.toml or pass --lock-timeout SECONDS to wait longer)"
    )]
    LockTimeout { waited: f64 },
    #[error("{0}")]
    Failed(Box<Failure>),
    #[error("{0}")]
    Target(String),
    #[error(transparent)]
    Render(#[from] autogen_render::RenderError),
    #[error("version table: {0}")]
    Sqlx(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("the migration crate failed: {0}")]
    Cargo(String),
}

pub type Result<T, E = MigrateError> = std::result::Result<T, E>;

/// A revision whose statement failed: which, where, and what of it stayed applied.
#[derive(Debug)]
pub struct Failure {
    pub id: String,
    pub path: PathBuf,
    pub direction: Direction,
    /// The failing statement's index (0-based) among `total`.
    pub index: usize,
    pub total: usize,
    pub statement: String,
    /// Statements of this revision that ran before the failure and stayed applied (MySQL, or a
    /// `-- no-transaction` file); empty when the revision ran in a transaction.
    pub applied: Vec<String>,
    pub rolled_back: bool,
    pub source: sqlx::Error,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let way = match self.direction {
            Direction::Up => "upgrade",
            Direction::Down => "downgrade",
        };
        writeln!(
            f,
            "revision {} ({way}, {}) failed at statement {} of {}:\n    {}\n  {}",
            self.id,
            self.path.display(),
            self.index + 1,
            self.total,
            self.statement.replace('\n', "\n    "),
            self.source
        )?;
        if autogen_render::is_non_transactional(&self.statement) && self.rolled_back {
            writeln!(
                f,
                "  This statement cannot run inside a transaction: make `-- no-transaction` the file's first line."
            )?;
        }
        if self.rolled_back {
            write!(
                f,
                "  Nothing of revision {} remains: it ran in a transaction, which was rolled back. \
                 The version table still records the revisions before it.",
                self.id
            )
        } else if self.applied.is_empty() {
            write!(
                f,
                "  No statement of revision {} had been applied; the version table does not record it.",
                self.id
            )
        } else {
            writeln!(
                f,
                "  This database commits each statement as it goes, so these statements of revision {} \
                 stay applied, and the version table does not record the revision:",
                self.id
            )?;
            for (i, s) in self.applied.iter().enumerate() {
                writeln!(f, "    {}. {}", i + 1, s.replace('\n', "\n       "))?;
            }
            write!(
                f,
                "  Undo them by hand and run again, or finish the revision by hand and `autogen stamp {}`.",
                self.id
            )
        }
    }
}

/// One migration on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    pub meta: RevisionMeta,
    /// The `.up.sql` file, or the Rust module file.
    pub path: PathBuf,
    /// The sea-orm-migration name (`m20261126_041500_slug`); the SQL file stem otherwise.
    pub name: String,
}

impl Revision {
    /// The `.down.sql` beside a SQL revision's `.up.sql` (the Rust module itself otherwise).
    pub fn down_path(&self) -> PathBuf {
        let text = self.path.to_string_lossy();
        match text.strip_suffix(".up.sql") {
            Some(stem) => PathBuf::from(format!("{stem}.down.sql")),
            None => self.path.clone(),
        }
    }
}

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

pub(crate) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> MigrateError + '_ {
    move |source| MigrateError::Io {
        path: path.to_path_buf(),
        source,
    }
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
    fn files_dir(&self) -> PathBuf {
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
        dir.revisions = graph::topological(found, path)?;
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

    /// The revision new migrations build on; an error when the history has forked.
    pub fn head(&self) -> Result<Option<&Revision>> {
        self.single_head()
    }

    /// Writes a migration for `plan` (or an empty one to fill by hand when `plan` is `None`)
    /// whose parent is the current head. Returns the files written.
    pub fn write_revision(
        &mut self,
        id: &str,
        message: &str,
        plan: Option<&Plan>,
    ) -> Result<Vec<PathBuf>> {
        let parents = self
            .head()?
            .map(|r| r.meta.id.clone())
            .into_iter()
            .collect();
        self.write(id, message, parents, plan)
    }

    /// Writes a merge revision: no statements, `parents` (two or more heads) joined.
    pub fn write_merge(
        &mut self,
        id: &str,
        message: &str,
        parents: &[String],
    ) -> Result<Vec<PathBuf>> {
        let heads: BTreeSet<String> = self.heads().iter().map(|r| r.meta.id.clone()).collect();
        let mut resolved = Vec::new();
        for p in parents {
            let r = self.resolve(p)?;
            if !heads.contains(&r.meta.id) {
                return Err(MigrateError::Target(format!(
                    "revision {} is not a head; merge joins heads ({})",
                    r.meta.id,
                    heads.iter().cloned().collect::<Vec<_>>().join(", ")
                )));
            }
            if !resolved.contains(&r.meta.id) {
                resolved.push(r.meta.id.clone());
            }
        }
        if resolved.len() < 2 {
            return Err(MigrateError::Target("merge takes two or more heads".into()));
        }
        self.write(id, message, resolved, None)
    }

    fn write(
        &mut self,
        id: &str,
        message: &str,
        parents: Vec<String>,
        plan: Option<&Plan>,
    ) -> Result<Vec<PathBuf>> {
        let merge = parents.len() > 1;
        let meta = RevisionMeta {
            id: id.to_string(),
            parents,
            message: message.to_string(),
        };
        let slug = file_description(&self.file_template, id, message);
        let written = match self.format {
            Format::Sql => {
                let (up, down) = match plan {
                    Some(plan) => render_sql_migration(&meta, plan)?,
                    None if merge => render_sql_migration(&meta, &Plan::empty(Dialect::Postgres))?,
                    None => render_sql_empty(&meta),
                };
                let up_path = self.path.join(format!("{id}_{slug}.up.sql"));
                let down_path = self.path.join(format!("{id}_{slug}.down.sql"));
                write_atomic(&down_path, &down)?;
                write_atomic(&up_path, &up)?;
                self.revisions.push(Revision {
                    meta,
                    path: up_path.clone(),
                    name: format!("{id}_{slug}"),
                });
                vec![up_path, down_path]
            }
            Format::Rust => {
                let text = match plan {
                    Some(plan) => render_rust_migration(&meta, plan)?,
                    None if merge => render_rust_migration(&meta, &Plan::empty(Dialect::Postgres))?,
                    None => render_rust_empty(&meta),
                };
                let name = rust_module_name(id, &slug);
                let path = self.files_dir().join(format!("{name}.rs"));
                write_atomic(&path, &text)?;
                self.revisions.push(Revision {
                    meta,
                    path: path.clone(),
                    name,
                });
                let lib = self.files_dir().join("lib.rs");
                let modules: Vec<String> = self.revisions.iter().map(|r| r.name.clone()).collect();
                write_atomic(&lib, &render_rust_lib(&modules))?;
                vec![path, lib]
            }
        };
        Ok(written)
    }

    /// Creates the directory; for the Rust format, a migration crate like sea-orm-cli's.
    pub fn init(path: &Path, format: Format, dialect: Dialect) -> Result<Vec<PathBuf>> {
        std::fs::create_dir_all(path).map_err(io(path))?;
        if format == Format::Sql {
            return Ok(vec![path.to_path_buf()]);
        }
        // Network databases get TLS (rustls), as autogen itself has; SQLite needs none.
        let (driver, runtime) = match dialect {
            Dialect::Postgres => ("sqlx-postgres", "runtime-tokio-rustls"),
            Dialect::Sqlite => ("sqlx-sqlite", "runtime-tokio"),
            Dialect::MySql => ("sqlx-mysql", "runtime-tokio-rustls"),
        };
        let cargo = format!(
            r#"[package]
name = "migration"
version = "0.1.0"
edition = "2024"
publish = false

[lib]
name = "migration"
path = "src/lib.rs"

[dependencies]
tokio = {{ version = "1", features = ["macros", "rt", "rt-multi-thread"] }}
sea-orm-migration = {{ version = "2.0.4", default-features = false, features = ["cli", "{runtime}", "{driver}"] }}

# Not a member of the application's workspace: autogen builds and runs it on its own.
[workspace]
"#
        );
        let main = "use sea_orm_migration::prelude::*;\n\n#[tokio::main]\nasync fn main() {\n    cli::run_cli(migration::Migrator).await;\n}\n";
        let files = [
            (path.join("Cargo.toml"), cargo),
            (path.join("src/main.rs"), main.to_string()),
            (path.join("src/lib.rs"), render_rust_lib(&[])),
        ];
        for (p, text) in &files {
            if !p.exists() {
                write_atomic(p, text)?;
            }
        }
        Ok(files.into_iter().map(|(p, _)| p).collect())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn rev(id: &str, parents: &[&str]) -> Revision {
        Revision {
            meta: RevisionMeta {
                id: id.into(),
                parents: parents.iter().map(|p| p.to_string()).collect(),
                message: String::new(),
            },
            path: PathBuf::from(id),
            name: id.into(),
        }
    }

    fn dir(revisions: Vec<Revision>) -> MigrationsDir {
        MigrationsDir {
            path: "m".into(),
            format: Format::Sql,
            revisions: graph::topological(revisions, Path::new("m")).unwrap(),
            cargo_target_dir: None,
            file_template: DEFAULT_FILE_TEMPLATE.into(),
        }
    }

    fn ids(v: Vec<&Revision>) -> Vec<String> {
        v.iter().map(|r| r.meta.id.clone()).collect()
    }

    fn set(ids: &[&str]) -> BTreeSet<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn history_follows_parents_not_names() {
        let d = dir(vec![rev("3", &["1"]), rev("1", &[]), rev("2", &["3"])]);
        assert_eq!(ids(d.revisions.iter().collect()), ["1", "3", "2"]);
        let err = graph::topological(vec![rev("1", &["2"]), rev("2", &["1"])], Path::new("m"));
        assert!(err.unwrap_err().to_string().contains("cycle"));
        let err = graph::topological(vec![rev("1", &["9"])], Path::new("m"));
        assert!(err.unwrap_err().to_string().contains("names parent 9"));
    }

    #[test]
    fn forks_name_every_head_and_the_merge_that_joins_them() {
        let d = dir(vec![rev("1", &[]), rev("2", &["1"]), rev("3", &["1"])]);
        let msg = d.head().unwrap_err().to_string();
        assert!(
            msg.contains("2, 3 are all heads")
                && msg.contains("autogen merge -m \"merge heads\" 2 3"),
            "{msg}"
        );
        let err = d
            .steps(&set(&["1"]), &Target::Head, Direction::Up)
            .unwrap_err();
        assert!(err.to_string().contains("autogen upgrade heads"), "{err}");
        assert_eq!(
            ids(d
                .steps(&set(&["1"]), &Target::Heads, Direction::Up)
                .unwrap()),
            ["2", "3"]
        );
        // One branch only: its ancestors, not the other branch.
        assert_eq!(
            ids(d
                .steps(&set(&[]), &Target::Revision("3".into()), Direction::Up)
                .unwrap()),
            ["1", "3"]
        );
        assert_eq!(d.branch_points().len(), 1);
        let merged = dir(vec![
            rev("1", &[]),
            rev("2", &["1"]),
            rev("3", &["1"]),
            rev("4", &["2", "3"]),
        ]);
        assert_eq!(
            merged.head().unwrap().map(|r| r.meta.id.as_str()),
            Some("4")
        );
        assert_eq!(
            ids(merged
                .steps(&set(&["1", "2"]), &Target::Head, Direction::Up)
                .unwrap()),
            ["3", "4"]
        );
        // Down to one side of the fork reverts what builds on it (the merge); the other
        // branch stays applied, as in Alembic.
        assert_eq!(
            ids(merged
                .steps(
                    &set(&["1", "2", "3", "4"]),
                    &Target::Revision("2".into()),
                    Direction::Down
                )
                .unwrap()),
            ["4"]
        );
    }

    #[test]
    fn targets() {
        assert_eq!(Target::parse("head"), Target::Head);
        assert_eq!(Target::parse("heads"), Target::Heads);
        assert_eq!(Target::parse("+2"), Target::Relative(2));
        assert_eq!(Target::parse("-1"), Target::Relative(-1));
        assert_eq!(Target::parse("2026"), Target::Revision("2026".into()));
        assert_eq!(
            Target::parse("2026+1"),
            Target::FromRevision("2026".into(), 1)
        );
        assert_eq!(
            Target::parse("head-2"),
            Target::FromRevision("head".into(), -2)
        );
        let d = dir(vec![rev("1", &[]), rev("2", &["1"]), rev("3", &["2"])]);
        let applied = set(&["1"]);
        let up = |t: &str| d.steps(&applied, &Target::parse(t), Direction::Up).map(ids);
        let down = |t: &str| {
            d.steps(&applied, &Target::parse(t), Direction::Down)
                .map(ids)
        };
        assert_eq!(up("+1").unwrap(), ["2"]);
        assert_eq!(up("head").unwrap(), ["2", "3"]);
        assert_eq!(up("1+1").unwrap(), ["2"]);
        assert_eq!(up("2").unwrap(), ["2"]);
        assert!(up("+5").unwrap_err().to_string().contains("only 2"));
        assert!(up("1+5").unwrap_err().to_string().contains("beyond head 3"));
        assert!(up("-1").is_err());
        assert_eq!(down("base").unwrap(), ["1"]);
        assert!(down("-9").unwrap_err().to_string().contains("only 1"));
        assert!(down("3").unwrap_err().to_string().contains("not applied"));
        assert_eq!(
            d.steps(
                &set(&["1", "2", "3"]),
                &Target::parse("head-2"),
                Direction::Down
            )
            .map(ids)
            .unwrap(),
            ["3", "2"]
        );
    }

    #[test]
    fn file_templates() {
        assert_eq!(
            file_description("{slug}", "20261126041500", "Add fees"),
            "add_fees"
        );
        assert_eq!(
            file_description("{year}_{month}_{day}-{slug}", "20261126041500", "Add fees"),
            "2026_11_26_add_fees"
        );
    }

    #[test]
    fn sql_chains_must_agree_with_version_order() {
        let dir = tempfile::tempdir().unwrap();
        let header = |id: &str, parent: &str| {
            format!(
                "-- autogen revision: {id}\n-- autogen parent: {parent}\n-- autogen message: m\n"
            )
        };
        std::fs::write(dir.path().join("20_a.up.sql"), header("20", "base")).unwrap();
        std::fs::write(dir.path().join("10_b.up.sql"), header("10", "20")).unwrap();
        let err = MigrationsDir::load(dir.path(), Format::Sql)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("revision 10 follows 20 but sorts before it"),
            "{err}"
        );
        std::fs::write(dir.path().join("10_b.up.sql"), header("30", "20")).unwrap();
        let ok = MigrationsDir::load(dir.path(), Format::Sql).unwrap();
        assert_eq!(ok.revisions.len(), 2);
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Add fees table!"), "add_fees_table");
        assert_eq!(slug("  "), "migration");
        assert_eq!(
            rust_module_name("20261126041500", "x"),
            "m20261126_041500_x"
        );
    }
}
