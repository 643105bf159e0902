//! The migrations directory, its revision chain, and applying / rolling back.
//!
//! SQL migrations are applied by sqlx's own `Migrator` (so `sqlx migrate run` and
//! `sqlx::migrate!()` see the same `_sqlx_migrations` history, checksums and locking); Rust
//! migrations are built and run as a sea-orm-migration crate, the way sea-orm-cli does, and read
//! back from `seaql_migrations`.

use autogen_diff::Plan;
use autogen_introspect::Db;
use autogen_render::{
    RevisionMeta, parse_header, render_rust_empty, render_rust_lib, render_rust_migration,
    render_sql_empty, render_sql_migration,
};
use autogen_schema::Dialect;
use std::collections::BTreeMap;
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
        "the history has forked: revisions {a} and {b} both follow {parent}. \
         Keep one line of history: rename the later migration's parent to the other one's revision"
    )]
    Fork {
        parent: String,
        a: String,
        b: String,
    },
    #[error("revision {0} is recorded in the database but its migration file is missing")]
    MissingFile(String),
    #[error("{0}")]
    Target(String),
    #[error(transparent)]
    Render(#[from] autogen_render::RenderError),
    #[error("migration failed: {0}")]
    Sqlx(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),
    #[error("the migration crate failed: {0}")]
    Cargo(String),
}

pub type Result<T, E = MigrateError> = std::result::Result<T, E>;

/// One migration on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    pub meta: RevisionMeta,
    /// The `.up.sql` file, or the Rust module file.
    pub path: PathBuf,
    /// The sea-orm-migration name (`m20261126_041500_slug`); the SQL file stem otherwise.
    pub name: String,
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

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> MigrateError + '_ {
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
        dir.revisions = order_chain(found, path)?;
        if format == Format::Sql {
            // sqlx applies SQL migrations in version order; the parent chain must agree with it.
            for pair in dir.revisions.windows(2) {
                if sql_version(&pair[1].meta.id)? <= sql_version(&pair[0].meta.id)? {
                    return Err(MigrateError::Target(format!(
                        "revision {} follows {} but sorts before it; sqlx applies SQL migrations in \
                         version order, so a revision's id must be greater than its parent's",
                        pair[1].meta.id, pair[0].meta.id
                    )));
                }
            }
        }
        Ok(dir)
    }

    pub fn head(&self) -> Option<&Revision> {
        self.revisions.last()
    }

    pub fn find(&self, id: &str) -> Option<&Revision> {
        self.revisions.iter().find(|r| r.meta.id == id)
    }

    /// Writes a migration for `plan` (or an empty one to fill by hand when `plan` is `None`)
    /// whose parent is the current head. Returns the files written.
    pub fn write_revision(
        &mut self,
        id: &str,
        message: &str,
        plan: Option<&Plan>,
    ) -> Result<Vec<PathBuf>> {
        let meta = RevisionMeta {
            id: id.to_string(),
            parent: self.head().map(|r| r.meta.id.clone()),
            message: message.to_string(),
        };
        let slug = file_description(&self.file_template, id, message);
        let written = match self.format {
            Format::Sql => {
                let (up, down) = match plan {
                    Some(plan) => render_sql_migration(&meta, plan)?,
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

/// Orders revisions by following parent links from the base; reports forks and dangling parents.
fn order_chain(revisions: Vec<Revision>, dir: &Path) -> Result<Vec<Revision>> {
    let mut children: BTreeMap<Option<String>, Vec<Revision>> = BTreeMap::new();
    let ids: Vec<String> = revisions.iter().map(|r| r.meta.id.clone()).collect();
    for r in revisions {
        if let Some(p) = &r.meta.parent
            && !ids.contains(p)
        {
            return Err(MigrateError::MissingParent {
                id: r.meta.id.clone(),
                parent: p.clone(),
                dir: dir.to_path_buf(),
            });
        }
        children.entry(r.meta.parent.clone()).or_default().push(r);
    }
    let mut ordered = Vec::new();
    let mut cursor: Option<String> = None;
    while let Some(mut next) = children.remove(&cursor) {
        next.sort_by(|a, b| a.meta.id.cmp(&b.meta.id));
        if next.len() > 1 {
            return Err(MigrateError::Fork {
                parent: cursor.unwrap_or_else(|| "base".into()),
                a: next[0].meta.id.clone(),
                b: next[1].meta.id.clone(),
            });
        }
        let r = next.remove(0);
        cursor = Some(r.meta.id.clone());
        ordered.push(r);
    }
    if let Some((parent, rest)) = children.into_iter().next() {
        // Unreachable revisions: a cycle in parent links.
        return Err(MigrateError::MissingParent {
            id: rest[0].meta.id.clone(),
            parent: parent.unwrap_or_else(|| "base".into()),
            dir: dir.to_path_buf(),
        });
    }
    Ok(ordered)
}

/// Where to go, relative to what is applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Head,
    Base,
    /// `+N` / `-N`.
    Relative(i64),
    /// A revision id or a unique prefix of one.
    Revision(String),
}

impl Target {
    pub fn parse(s: &str) -> Target {
        match s {
            "head" | "heads" => Target::Head,
            "base" => Target::Base,
            _ => match s.parse::<i64>() {
                Ok(n) if s.starts_with('+') || s.starts_with('-') => Target::Relative(n),
                _ => Target::Revision(s.to_string()),
            },
        }
    }
}

/// Applied revision ids, in chain order. Errors if the database records one the directory lacks.
pub async fn applied(db: &Db, dir: &MigrationsDir) -> Result<Vec<String>> {
    let (table, sql) = match dir.format {
        Format::Sql => (
            "_sqlx_migrations",
            "SELECT CAST(version AS TEXT) FROM _sqlx_migrations WHERE success ORDER BY version",
        ),
        Format::Rust => (
            "seaql_migrations",
            "SELECT version FROM seaql_migrations ORDER BY version",
        ),
    };
    if !table_exists(db, table).await? {
        return Ok(Vec::new());
    }
    let names: Vec<String> = match db {
        Db::Postgres(p) => sqlx::query_scalar(sql).fetch_all(p).await?,
        Db::Sqlite(p) => sqlx::query_scalar(sql).fetch_all(p).await?,
    };
    // The Rust format records module names; map them to revision ids.
    let recorded: Vec<String> = match dir.format {
        Format::Sql => names,
        Format::Rust => names
            .into_iter()
            .map(|n| {
                dir.revisions
                    .iter()
                    .find(|r| r.name == n)
                    .map(|r| r.meta.id.clone())
                    .ok_or(MigrateError::MissingFile(n))
            })
            .collect::<Result<_>>()?,
    };
    for id in &recorded {
        if dir.find(id).is_none() {
            return Err(MigrateError::MissingFile(id.clone()));
        }
    }
    Ok(dir
        .revisions
        .iter()
        .filter(|r| recorded.contains(&r.meta.id))
        .map(|r| r.meta.id.clone())
        .collect())
}

async fn table_exists(db: &Db, name: &str) -> Result<bool> {
    Ok(match db {
        Db::Postgres(p) => sqlx::query_scalar::<_, bool>(
            "SELECT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = $1)",
        )
        .bind(name)
        .fetch_one(p)
        .await?,
        Db::Sqlite(p) => sqlx::query_scalar::<_, i64>(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
        )
        .bind(name)
        .fetch_one(p)
        .await?
            > 0,
    })
}

/// Resolves `target` for an upgrade: the revisions to apply, in order.
fn upgrade_steps<'a>(
    dir: &'a MigrationsDir,
    applied: &[String],
    target: &Target,
) -> Result<Vec<&'a Revision>> {
    let pending: Vec<&Revision> = dir
        .revisions
        .iter()
        .filter(|r| !applied.contains(&r.meta.id))
        .collect();
    match target {
        Target::Head => Ok(pending),
        Target::Base => Ok(Vec::new()),
        Target::Relative(n) if *n > 0 => {
            let n = *n as usize;
            if n > pending.len() {
                return Err(MigrateError::Target(format!(
                    "cannot upgrade +{n}: only {} revision(s) pending",
                    pending.len()
                )));
            }
            Ok(pending[..n].to_vec())
        }
        Target::Relative(n) => Err(MigrateError::Target(format!("upgrade takes +N, not {n}"))),
        Target::Revision(id) => {
            let rev = resolve(dir, id)?;
            let upto = pending.iter().position(|r| r.meta.id == rev.meta.id);
            match upto {
                Some(i) => Ok(pending[..=i].to_vec()),
                None => Ok(Vec::new()),
            }
        }
    }
}

/// Resolves `target` for a downgrade: the revisions to revert, newest first.
fn downgrade_steps<'a>(
    dir: &'a MigrationsDir,
    applied: &[String],
    target: &Target,
) -> Result<Vec<&'a Revision>> {
    let applied_revs: Vec<&Revision> = dir
        .revisions
        .iter()
        .filter(|r| applied.contains(&r.meta.id))
        .collect();
    let mut out: Vec<&Revision> = match target {
        Target::Base => applied_revs.clone(),
        Target::Relative(n) if *n < 0 => {
            let n = n.unsigned_abs() as usize;
            if n > applied_revs.len() {
                return Err(MigrateError::Target(format!(
                    "cannot downgrade -{n}: only {} revision(s) applied",
                    applied_revs.len()
                )));
            }
            applied_revs[applied_revs.len() - n..].to_vec()
        }
        Target::Relative(n) => {
            return Err(MigrateError::Target(format!(
                "downgrade takes -N, not +{n}"
            )));
        }
        Target::Head => Vec::new(),
        Target::Revision(id) => {
            let rev = resolve(dir, id)?;
            let i = applied_revs
                .iter()
                .position(|r| r.meta.id == rev.meta.id)
                .ok_or_else(|| {
                    MigrateError::Target(format!("revision {} is not applied", rev.meta.id))
                })?;
            applied_revs[i + 1..].to_vec()
        }
    };
    out.reverse();
    Ok(out)
}

/// A revision by id or unique prefix.
pub fn resolve<'a>(dir: &'a MigrationsDir, id: &str) -> Result<&'a Revision> {
    let matches: Vec<_> = dir
        .revisions
        .iter()
        .filter(|r| r.meta.id.starts_with(id))
        .collect();
    match matches.as_slice() {
        [one] => Ok(one),
        [] => Err(MigrateError::Target(format!("no revision matches {id}"))),
        many => Err(MigrateError::Target(format!(
            "{id} is ambiguous: {}",
            many.iter()
                .map(|r| r.meta.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// Which way [`run`] moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

/// The revisions `target` selects: for [`Direction::Up`] the pending ones to apply, in order;
/// for [`Direction::Down`] the applied ones to revert, newest first.
pub fn steps<'a>(
    dir: &'a MigrationsDir,
    applied: &[String],
    target: &Target,
    direction: Direction,
) -> Result<Vec<&'a Revision>> {
    match direction {
        Direction::Up => upgrade_steps(dir, applied, target),
        Direction::Down => downgrade_steps(dir, applied, target),
    }
}

/// Applies (up) or reverts (down) `steps`, as [`steps`] selected them.
pub async fn run(
    db: &Db,
    dir: &MigrationsDir,
    url: &str,
    steps: &[&Revision],
    direction: Direction,
) -> Result<()> {
    let Some(last) = steps.last() else {
        return Ok(());
    };
    if dir.format == Format::Rust {
        let command = match direction {
            Direction::Up => "up",
            Direction::Down => "down",
        };
        return run_migration_crate(dir, url, command, steps.len()).await;
    }
    // sqlx's Migrator moves by version: up to the last revision to apply, or down to the parent
    // of the oldest revision to revert.
    let target = match direction {
        Direction::Up => Some(last.meta.id.as_str()),
        Direction::Down => last.meta.parent.as_deref(),
    };
    let target: i64 = match target {
        Some(id) => sql_version(id)?,
        None => 0,
    };
    let migrator = sqlx::migrate::Migrator::new(dir.path.as_path()).await?;
    match (db, direction) {
        (Db::Postgres(p), Direction::Up) => migrator.run_to(target, p).await?,
        (Db::Sqlite(p), Direction::Up) => migrator.run_to(target, p).await?,
        (Db::Postgres(p), Direction::Down) => migrator.undo(p, target).await?,
        (Db::Sqlite(p), Direction::Down) => migrator.undo(p, target).await?,
    }
    Ok(())
}

fn sql_version(id: &str) -> Result<i64> {
    id.parse().map_err(|_| {
        MigrateError::Target(format!(
            "SQL revision ids are sqlx versions (numbers), not {id}"
        ))
    })
}

/// `cargo run` the migration crate with sea-orm-migration's CLI, as sea-orm-cli does.
async fn run_migration_crate(
    dir: &MigrationsDir,
    url: &str,
    command: &str,
    n: usize,
) -> Result<()> {
    let manifest = dir.path.join("Cargo.toml");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = tokio::process::Command::new(cargo);
    if let Some(target) = &dir.cargo_target_dir {
        cmd.env("CARGO_TARGET_DIR", target);
    }
    let output = cmd
        .arg("run")
        .arg("--quiet")
        .arg("--manifest-path")
        .arg(&manifest)
        .arg("--")
        .arg(command)
        .arg("-n")
        .arg(n.to_string())
        .env("DATABASE_URL", url)
        .output()
        .await
        .map_err(io(&manifest))?;
    if output.status.success() {
        Ok(())
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        Err(MigrateError::Cargo(autogen_introspect::redact_url(
            &stderr.replace(url, &autogen_introspect::redact_url(url)),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rev(id: &str, parent: Option<&str>) -> Revision {
        Revision {
            meta: RevisionMeta {
                id: id.into(),
                parent: parent.map(Into::into),
                message: String::new(),
            },
            path: PathBuf::from(id),
            name: id.into(),
        }
    }

    #[test]
    fn chains_follow_parents_not_names() {
        let ordered = order_chain(
            vec![rev("3", Some("1")), rev("1", None), rev("2", Some("3"))],
            Path::new("m"),
        )
        .unwrap();
        let ids: Vec<_> = ordered.iter().map(|r| r.meta.id.as_str()).collect();
        assert_eq!(ids, ["1", "3", "2"]);
    }

    #[test]
    fn forks_are_reported_with_both_heads() {
        let err = order_chain(
            vec![rev("1", None), rev("2", Some("1")), rev("3", Some("1"))],
            Path::new("m"),
        )
        .unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("2") && msg.contains("3") && msg.contains("forked"),
            "{msg}"
        );
    }

    #[test]
    fn targets() {
        assert_eq!(Target::parse("head"), Target::Head);
        assert_eq!(Target::parse("+2"), Target::Relative(2));
        assert_eq!(Target::parse("-1"), Target::Relative(-1));
        assert_eq!(Target::parse("2026"), Target::Revision("2026".into()));
        let dir = MigrationsDir {
            path: "m".into(),
            format: Format::Sql,
            revisions: vec![rev("1", None), rev("2", Some("1")), rev("3", Some("2"))],
            cargo_target_dir: None,
            file_template: DEFAULT_FILE_TEMPLATE.into(),
        };
        let applied = vec!["1".to_string()];
        let ids = |v: Vec<&Revision>| v.iter().map(|r| r.meta.id.clone()).collect::<Vec<_>>();
        assert_eq!(
            ids(upgrade_steps(&dir, &applied, &Target::Relative(1)).unwrap()),
            ["2"]
        );
        assert_eq!(
            ids(upgrade_steps(&dir, &applied, &Target::Head).unwrap()),
            ["2", "3"]
        );
        assert!(
            upgrade_steps(&dir, &applied, &Target::Relative(5))
                .unwrap_err()
                .to_string()
                .contains("only 2")
        );
        assert_eq!(
            ids(downgrade_steps(&dir, &applied, &Target::Base).unwrap()),
            ["1"]
        );
        assert!(downgrade_steps(&dir, &applied, &Target::Relative(-9)).is_err());
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
