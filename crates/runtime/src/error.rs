//! What can stop a run, for the application and for the CLI: typed, each saying what to do.

use autogen_schema::Dialect;
use std::path::{Path, PathBuf};

/// Which way a run moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "another migration run holds the lock on this database; gave up after {waited} s \
         (set `lock_timeout` in autogen.toml or pass --lock-timeout SECONDS to wait longer; \
         an application sets it with `Runtime::lock_timeout`)"
    )]
    LockTimeout { waited: f64 },
    #[error(
        "revision {0} is marked as failed (success = false) in _sqlx_migrations: a run of `sqlx migrate` failed \
         halfway. Repair the database by hand, delete that row, then run again"
    )]
    Dirty(String),
    #[error(
        "revision {id} was edited after it was applied: {path} no longer has the checksum recorded in the \
         database. Build with the file as it was applied and put the change in a new revision"
    )]
    Tampered { id: String, path: PathBuf },
    #[error(
        "the database is ahead of this build: it holds revision(s) {} that this build does not know \
         (a newer release migrated it). Start the release that has them, or revert them from a checkout \
         that has them (`autogen downgrade {}`). To start anyway when every unknown revision only \
         adds, set `Runtime::ahead(Ahead::AllowAdditive)`",
        unknown.join(", "), before.as_deref().unwrap_or("base")
    )]
    Ahead {
        unknown: Vec<String>,
        /// The newest revision this build knows that the database holds: where to go back to.
        before: Option<String>,
    },
    #[error(
        "the database is ahead of this build, and not only by additions: {}. This build cannot run on \
         it; start the release that has these revisions, or revert them from a checkout that has them",
        blockers.iter().map(|(id, why)| format!("revision {id} {why}")).collect::<Vec<_>>().join("; ")
    )]
    NotAdditive { blockers: Vec<(String, String)> },
    #[error(
        "revision {id} was written for {written_for}, and this database is {database}: nothing was run. \
         Embed the migrations directory of this database's dialect ({path})"
    )]
    OtherDialect {
        id: String,
        path: PathBuf,
        written_for: String,
        database: String,
    },
    #[error("{0}")]
    Failed(Box<Failure>),
    #[error("embedded migrations: {0}")]
    Embedded(String),
    #[error("{0}: autogen runs on PostgreSQL, MySQL/MariaDB and SQLite through sqlx")]
    Backend(String),
    #[error("version table: {}", migrate_error_text(.0))]
    Sqlx(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {}", autogen_db::error_text(.0))]
    Db(#[from] sqlx::Error),
}

pub type Result<T, E = RuntimeError> = std::result::Result<T, E>;

/// A revision whose statement failed: which, where, and what of it stayed applied.
#[derive(Debug)]
pub struct Failure {
    pub id: String,
    pub dialect: Dialect,
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
    /// An online revision: outside a transaction, every statement idempotent.
    pub online: bool,
    /// Indexes the failed statement left behind INVALID (a PostgreSQL concurrent build).
    pub left_invalid: Vec<String>,
    /// How many times the revision ran (more than one after lock timeouts).
    pub tries: u32,
    pub source: sqlx::Error,
}

impl Failure {
    /// PostgreSQL's "out of shared memory": a transaction that creates or alters more tables
    /// than `max_locks_per_transaction` allows.
    fn out_of_locks(&self) -> bool {
        self.source
            .as_database_error()
            .and_then(|e| e.code())
            .is_some_and(|code| code == "53200")
    }
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
            autogen_db::error_text(&self.source).replace('\n', "\n  ")
        )?;
        if self.out_of_locks() {
            writeln!(
                f,
                "  The revision takes more locks than the server's lock table holds in one transaction \
                 ({} statements): raise max_locks_per_transaction (postgresql.conf; the server must \
                 restart), or split the revision into smaller ones.",
                self.total
            )?;
        }
        if self.dialect.sql().refuses_transaction(&self.statement) && self.rolled_back {
            writeln!(
                f,
                "  This statement cannot run inside a transaction: make `-- no-transaction` the file's first line."
            )?;
        }
        for index in &self.left_invalid {
            writeln!(
                f,
                "  The failed build left index {index} INVALID: queries do not use it, yet every \
                 write maintains it. autogen's runner drops and rebuilds it when run again (sqlx's \
                 does not: drop it first); to give up on the change instead, \
                 `DROP INDEX CONCURRENTLY {index};`."
            )?;
        }
        if self.tries > 1 {
            writeln!(
                f,
                "  It waited for its lock in vain {} times (lock_timeout), tried again after pauses of \
                 0.5 s doubling: the table is busy. Run it again when it is quieter, or raise \
                 ddl_lock_timeout.",
                self.tries
            )?;
        }
        // What the version table says now: an upgrade that failed is not recorded; a downgrade
        // that failed still is.
        let recorded = match self.direction {
            Direction::Up => "does not record it",
            Direction::Down => "still records it",
        };
        if self.rolled_back {
            write!(
                f,
                "  Nothing of revision {} was changed: it ran in a transaction, which was rolled back. \
                 The version table {recorded}.",
                self.id
            )
        } else if self.online {
            write!(
                f,
                "  This revision runs outside a transaction, one statement at a time, and each \
                 statement is idempotent: the statements before the failing one stay applied, and \
                 the version table {recorded}. Fix the cause and run the same command again: the \
                 revision starts over and skips or redoes what already ran."
            )
        } else if self.applied.is_empty() {
            write!(
                f,
                "  No statement of revision {} had been applied; the version table {recorded}.",
                self.id
            )
        } else {
            writeln!(
                f,
                "  This database commits each statement as it goes, so these statements of revision {} \
                 stay applied, and the version table {recorded}:",
                self.id
            )?;
            for (i, s) in self.applied.iter().enumerate() {
                writeln!(f, "    {}. {}", i + 1, s.replace('\n', "\n       "))?;
            }
            match self.direction {
                // autogen_revisions records how far the revision got (ledger::progress).
                Direction::Up => write!(
                    f,
                    "  Fix the cause and run the same command again: the revision resumes at \
                     statement {} (those before it are recorded as done; do not undo them by \
                     hand). Or finish the revision by hand and `autogen stamp {}`.",
                    self.index + 1,
                    self.id
                ),
                Direction::Down => write!(
                    f,
                    "  Undo them by hand and run again, or finish the revision by hand and \
                     `autogen stamp` the revision before it."
                ),
            }
        }
    }
}

fn migrate_error_text(e: &sqlx::migrate::MigrateError) -> String {
    match e {
        sqlx::migrate::MigrateError::Execute(e) => autogen_db::error_text(e),
        other => other.to_string(),
    }
}

pub(crate) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> RuntimeError + '_ {
    move |source| RuntimeError::Io {
        path: path.to_path_buf(),
        source,
    }
}
