//! Migrations compiled into the application, and the run at startup: what is pending applied
//! through the same loop as the CLI's `upgrade` (`apply.rs`), under the same lock.

use crate::apply::{self, Step};
use crate::error::{Direction, Result, RuntimeError};
use crate::session::Conn;
use autogen_db::Pool;
use sqlx::migrate::{Migration, MigrationType};
use sqlx::{AssertSqlSafe, SqlSafeStr};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::Duration;

/// A SQL-format migrations directory (sqlx's layout: `<version>_<description>.up.sql` and
/// `.down.sql`) compiled into the application by [`embed!`](crate::embed).
#[derive(Debug, Clone, Copy)]
pub struct Migrations {
    dir: &'static str,
    files: &'static [(&'static str, &'static str)],
}

impl Migrations {
    /// What [`embed!`](crate::embed) expands to: the directory as the application named it,
    /// and each `.sql` file's name and text.
    #[doc(hidden)]
    pub const fn from_files(
        dir: &'static str,
        files: &'static [(&'static str, &'static str)],
    ) -> Migrations {
        Migrations { dir, files }
    }

    /// The directory, as the application named it to [`embed!`](crate::embed).
    pub fn dir(&self) -> &'static str {
        self.dir
    }

    /// Revision ids (sqlx versions) compiled in, in order.
    pub fn versions(&self) -> Result<Vec<i64>> {
        Ok(self.revisions()?.keys().copied().collect())
    }

    /// The files as sqlx reads them, by version: up and, where there is one, down.
    fn revisions(&self) -> Result<BTreeMap<i64, Revision>> {
        let mut out: BTreeMap<i64, Revision> = BTreeMap::new();
        for (name, text) in self.files {
            let bad = |why: &str| RuntimeError::Embedded(format!("{}/{name}: {why}", self.dir));
            let Some((version, rest)) = name.split_once('_') else {
                return Err(bad("not <version>_<description>.up.sql"));
            };
            let version: i64 = version
                .parse()
                .map_err(|_| bad("the name does not start with a version number"))?;
            let kind = MigrationType::from_filename(rest);
            let description = rest.trim_end_matches(kind.suffix()).replace('_', " ");
            let migration = Migration::new(
                version,
                Cow::Owned(description),
                kind,
                AssertSqlSafe(*text).into_sql_str(),
                text.starts_with("-- no-transaction"),
            );
            let rev = out.entry(version).or_insert_with(|| Revision {
                file: PathBuf::from(self.dir).join(name),
                up: None,
                down: None,
            });
            let slot = if kind == MigrationType::ReversibleDown {
                &mut rev.down
            } else {
                rev.file = PathBuf::from(self.dir).join(name);
                &mut rev.up
            };
            if slot.replace(migration).is_some() {
                return Err(bad("a second file with this version"));
            }
        }
        if let Some((v, _)) = out.iter().find(|(_, r)| r.up.is_none()) {
            return Err(RuntimeError::Embedded(format!(
                "{}: revision {v} has a .down.sql file but no .up.sql",
                self.dir
            )));
        }
        Ok(out)
    }
}

struct Revision {
    file: PathBuf,
    up: Option<Migration>,
    down: Option<Migration>,
}

/// What to do when the database holds revisions this build does not know (a newer release
/// migrated it, then was rolled back).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Ahead {
    /// Refuse to start, naming them.
    #[default]
    Refuse,
    /// Start anyway when every unknown revision only adds (as autogen recorded when it applied
    /// them: new tables, nullable or defaulted columns, non-unique indexes, enum values, views).
    AllowAdditive,
}

/// One revision applied by a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub version: i64,
    pub description: String,
}

/// What a run did and where the database is.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// What this run applied, in order (empty when another replica got there first).
    pub applied: Vec<Applied>,
    /// The newest revision the database records, after the run.
    pub current: Option<i64>,
    /// Revisions the database holds that this build does not know, tolerated under
    /// [`Ahead::AllowAdditive`].
    pub unknown: Vec<i64>,
}

/// Applies an application's embedded migrations at startup.
#[derive(Debug, Clone)]
pub struct Runtime {
    migrations: Migrations,
    lock_timeout: Duration,
    ahead: Ahead,
}

impl Runtime {
    pub fn new(migrations: Migrations) -> Runtime {
        Runtime {
            migrations,
            lock_timeout: Duration::from_secs(60),
            ahead: Ahead::Refuse,
        }
    }

    /// How long to wait for another replica's (or the CLI's, or `sqlx migrate`'s) migration
    /// lock before giving up with [`RuntimeError::LockTimeout`]. 60 s unless set.
    pub fn lock_timeout(mut self, timeout: Duration) -> Runtime {
        self.lock_timeout = timeout;
        self
    }

    /// What to do with a database ahead of this build. [`Ahead::Refuse`] unless set.
    pub fn ahead(mut self, ahead: Ahead) -> Runtime {
        self.ahead = ahead;
        self
    }

    /// Applies what is pending, in version order, under the migration lock: each revision in
    /// its own transaction (or statement by statement where its file says `-- no-transaction`),
    /// after checking that every applied revision is unchanged and known.
    pub async fn run(&self, pool: impl Into<Pool>) -> Result<Report> {
        let revisions = self.migrations.revisions()?;
        let pool = pool.into();
        // A history of another dialect is refused before anything runs.
        for (version, rev) in &revisions {
            let written = rev
                .up
                .as_ref()
                .and_then(|m| apply::dialect_of(m.sql.as_str()));
            if let Some(written) = written.filter(|d| *d != pool.dialect()) {
                return Err(RuntimeError::OtherDialect {
                    id: version.to_string(),
                    path: rev.file.clone(),
                    written_for: written.to_string(),
                    database: pool.dialect().to_string(),
                });
            }
        }
        apply::locked(&pool, self.lock_timeout, async |conn| {
            self.run_locked(conn, &revisions).await
        })
        .await
    }

    /// [`Runtime::run`] on a SeaORM connection (PostgreSQL, MySQL/MariaDB or SQLite through sqlx).
    #[cfg(feature = "sea-orm")]
    pub async fn run_sea_orm(&self, db: &sea_orm::DatabaseConnection) -> Result<Report> {
        use sea_orm::DatabaseBackend;
        let pool = match db.get_database_backend() {
            DatabaseBackend::Postgres => Pool::Postgres(db.get_postgres_connection_pool().clone()),
            DatabaseBackend::MySql => Pool::MySql(db.get_mysql_connection_pool().clone()),
            DatabaseBackend::Sqlite => Pool::Sqlite(db.get_sqlite_connection_pool().clone()),
            other => {
                return Err(RuntimeError::Backend(format!("SeaORM backend {other:?}")));
            }
        };
        self.run(pool).await
    }

    async fn run_locked(
        &self,
        conn: &mut Conn,
        revisions: &BTreeMap<i64, Revision>,
    ) -> Result<Report> {
        // sqlx's table only: autogen's record beside it is made when there is something to
        // record, so a start with nothing pending costs what sqlx's does.
        conn.sqlx_ensure_table().await?;
        let recorded = apply::recorded_in_table(conn).await?;
        let mut unknown = Vec::new();
        for r in &recorded {
            match revisions.get(&r.version) {
                None => unknown.push(r.version),
                Some(rev) => {
                    let up = rev.up.as_ref().map(|m| m.checksum.as_ref());
                    if up != Some(r.checksum.as_ref()) {
                        return Err(RuntimeError::Tampered {
                            id: r.version.to_string(),
                            path: rev.file.clone(),
                        });
                    }
                }
            }
        }
        let done: BTreeSet<i64> = recorded.iter().map(|r| r.version).collect();
        if !unknown.is_empty() {
            self.judge_ahead(conn, &unknown, &done, revisions).await?;
        }
        let mut report = Report {
            unknown,
            current: done.iter().max().copied(),
            ..Report::default()
        };
        let pending: Vec<(&i64, &Revision)> = revisions
            .iter()
            .filter(|(v, _)| !done.contains(v))
            .collect();
        if !pending.is_empty() {
            apply::ensure_tables(conn).await?;
        }
        for (version, rev) in pending {
            let Some(up) = &rev.up else { continue };
            let id = version.to_string();
            let change_id = |m: &Migration| {
                apply::change_of(m.sql.as_str()).map_or(m.version.to_string(), str::to_string)
            };
            let step = Step {
                id: &id,
                path: &rev.file,
                migration: up,
                direction: Direction::Up,
                down: rev.down.as_ref(),
                change: revisions
                    .values()
                    .filter_map(|r| r.up.as_ref())
                    .filter(|m| m.version != *version && change_id(m) == change_id(up))
                    .collect(),
            };
            if apply::apply(conn, &step).await? {
                report.applied.push(Applied {
                    version: *version,
                    description: up.description.to_string(),
                });
            }
        }
        report.current = report.current.max(report.applied.last().map(|a| a.version));
        Ok(report)
    }

    /// Refuses a database ahead of this build, unless the policy allows it and autogen recorded
    /// every unknown revision as only adding.
    async fn judge_ahead(
        &self,
        conn: &mut Conn,
        unknown: &[i64],
        done: &BTreeSet<i64>,
        revisions: &BTreeMap<i64, Revision>,
    ) -> Result<()> {
        if self.ahead == Ahead::Refuse {
            return Err(RuntimeError::Ahead {
                unknown: unknown.iter().map(i64::to_string).collect(),
                before: done
                    .iter()
                    .filter(|v| revisions.contains_key(v))
                    .max()
                    .map(i64::to_string),
            });
        }
        apply::ensure_tables(conn).await?;
        let rows: BTreeMap<i64, Option<String>> = conn
            .ledger_rows()
            .await?
            .into_iter()
            .map(|(v, _, blocker, _)| (v, blocker))
            .collect();
        let blockers: Vec<(String, String)> = unknown
            .iter()
            .filter_map(|v| {
                let why = match rows.get(v) {
                    Some(None) => return None,
                    Some(Some(statement)) => format!("does more than add: `{statement}`"),
                    None => "has no record of what it did (applied by another tool, or stamped)"
                        .to_string(),
                };
                Some((v.to_string(), why))
            })
            .collect();
        if blockers.is_empty() {
            Ok(())
        } else {
            Err(RuntimeError::NotAdditive { blockers })
        }
    }
}
