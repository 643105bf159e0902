use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{dir} holds {found} migrations, but the configuration says format = \"{expected}\": \
         set format = \"{found}\" in autogen.toml (or move the directory away)"
    )]
    OtherFormat {
        dir: PathBuf,
        found: &'static str,
        expected: &'static str,
    },
    #[error(
        "revision {id} was written for {written_for}, and this database is {database}: nothing was run. \
         Point database_url at a database of the dialect it was written for, or keep a migrations \
         directory per dialect ({path})"
    )]
    OtherDialect {
        id: String,
        path: PathBuf,
        written_for: String,
        database: String,
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
         restore the file(s) (a newer release's: run its `autogen downgrade`), revert them here with the down \
         statements recorded when they were applied (`autogen downgrade head --recorded-down`), or if they are \
         gone for good, `autogen stamp` the revision the database is really at"
    )]
    MissingFile(String),
    #[error(
        "revision {id} was edited after it was applied: {path} no longer has the checksum recorded in the \
         database. Restore the file as it was applied (e.g. `git checkout -- {path}`) and put the change in a new revision"
    )]
    Tampered { id: String, path: PathBuf },
    #[error(transparent)]
    Runtime(#[from] autogen_runtime::RuntimeError),
    #[error("{0}")]
    Target(String),
    #[error(transparent)]
    Render(#[from] autogen_render::RenderError),
    #[error("database error: {}", autogen_db::error_text(.0))]
    Db(#[from] sqlx::Error),
    #[error("the migration crate failed: {0}")]
    Cargo(String),
}

pub type Result<T, E = MigrateError> = std::result::Result<T, E>;

pub(crate) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> MigrateError + '_ {
    move |source| MigrateError::Io {
        path: path.to_path_buf(),
        source,
    }
}
