//! sqlx's view of the SQL files (version, description, checksum, `-- no-transaction`), by id.

use crate::dir::MigrationsDir;
use crate::error::{MigrateError, Result};
use crate::revision::{Format, Revision};
use crate::target::Direction;
use sqlx::migrate::{Migration, MigrationType};
use std::collections::BTreeMap;

pub(crate) struct SqlFiles {
    up: BTreeMap<String, Migration>,
    down: BTreeMap<String, Migration>,
}

impl SqlFiles {
    pub(crate) fn load(dir: &MigrationsDir) -> Result<SqlFiles> {
        let mut files = SqlFiles {
            up: BTreeMap::new(),
            down: BTreeMap::new(),
        };
        if dir.format != Format::Sql || !dir.path.exists() {
            return Ok(files);
        }
        let resolved = sqlx::migrate::resolve_blocking(&dir.path)
            .map_err(|e| MigrateError::Graph(format!("{}: {e}", dir.path.display())))?;
        for (m, _) in resolved {
            let id = m.version.to_string();
            match m.migration_type {
                MigrationType::ReversibleDown => files.down.insert(id, m),
                _ => files.up.insert(id, m),
            };
        }
        Ok(files)
    }

    pub(crate) fn get(&self, rev: &Revision, direction: Direction) -> Result<&Migration> {
        let (map, suffix) = match direction {
            Direction::Up => (&self.up, "up"),
            Direction::Down => (&self.down, "down"),
        };
        map.get(&rev.meta.id).ok_or_else(|| {
            MigrateError::Graph(format!(
                "revision {} has no .{suffix}.sql file",
                rev.meta.id
            ))
        })
    }
}
