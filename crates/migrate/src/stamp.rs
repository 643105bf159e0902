//! `stamp`: record that the database is at a revision without running anything.

use crate::dir::MigrationsDir;
use crate::dir::sql_version;
use crate::error::{MigrateError, Result};
use crate::options::RunOptions;
use crate::revision::{Format, Revision};
use crate::runner::{ensure_tables, locked, recorded};
use crate::sql_files::SqlFiles;
use crate::target::{Direction, Target};
use crate::version_table::{seaql_delete, seaql_insert};
use autogen_db::Db;
use autogen_runtime::internal::{Conn, ledger_forget, sqlx_delete};
use std::collections::BTreeSet;

/// Marks the database as being at `target` without running anything (Alembic's `stamp`):
/// records `target` and its ancestors, forgets the rest. Returns (recorded, forgotten).
pub async fn stamp(
    db: &Db,
    dir: &MigrationsDir,
    target: &Target,
    options: &RunOptions,
) -> Result<(Vec<String>, Vec<String>)> {
    let wanted: BTreeSet<String> = match target {
        Target::Base => BTreeSet::new(),
        Target::Heads => dir.revisions.iter().map(|r| r.meta.id.clone()).collect(),
        Target::Head => match dir.single_head()? {
            Some(h) => dir.ancestors(&h.meta.id),
            None => BTreeSet::new(),
        },
        Target::Revision(id) => dir.ancestors(&dir.resolve(id)?.meta.id),
        Target::Relative(_) | Target::FromRevision(..) => {
            return Err(MigrateError::Target(
                "stamp takes a revision, head, heads or base".into(),
            ));
        }
    };
    let files = SqlFiles::load(dir)?;
    locked(db, options, async |conn| {
        stamp_locked(conn, dir, &files, &wanted).await
    })
    .await
}

async fn stamp_locked(
    conn: &mut Conn,
    dir: &MigrationsDir,
    files: &SqlFiles,
    wanted: &BTreeSet<String>,
) -> Result<(Vec<String>, Vec<String>)> {
    ensure_tables(conn, dir.format).await?;
    // Stamping is how a database is brought back in line, so only missing files stop it.
    let recorded: BTreeSet<String> = recorded(conn, dir)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect();
    let add: Vec<&Revision> = dir
        .revisions
        .iter()
        .filter(|r| wanted.contains(&r.meta.id) && !recorded.contains(&r.meta.id))
        .collect();
    let remove: Vec<String> = recorded
        .iter()
        .filter(|id| !wanted.contains(*id))
        .cloned()
        .collect();
    let in_tx = conn.facts().sql().transactional_ddl();
    if in_tx {
        conn.execute("BEGIN").await?;
    }
    let result = record(conn, dir, files, &add, &remove).await;
    match result {
        Ok(()) if in_tx => conn.execute("COMMIT").await?,
        Ok(()) => {}
        Err(e) => {
            if in_tx {
                let _ = conn.execute("ROLLBACK").await;
            }
            return Err(e);
        }
    }
    Ok((add.iter().map(|r| r.meta.id.clone()).collect(), remove))
}

async fn record(
    conn: &mut Conn,
    dir: &MigrationsDir,
    files: &SqlFiles,
    add: &[&Revision],
    remove: &[String],
) -> Result<()> {
    let sql = conn.facts().sql();
    for r in add {
        match dir.format {
            Format::Sql => conn.sqlx_record(files.get(r, Direction::Up)?).await?,
            Format::Rust => conn.execute(&seaql_insert(&r.name, sql)).await?,
        }
    }
    for id in remove {
        let statement = match dir.format {
            Format::Sql => {
                let version = sql_version(id)?;
                conn.execute(&ledger_forget(version)).await?;
                sqlx_delete(version)
            }
            Format::Rust => {
                let name = dir.find(id).map(|r| r.name.as_str()).unwrap_or(id);
                seaql_delete(name, sql)
            }
        };
        conn.execute(&statement).await?;
    }
    Ok(())
}
