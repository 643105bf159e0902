//! Offline mode (`upgrade --sql`, `downgrade --sql`): the exact statements a run would execute,
//! version-table statements included, for a DBA to review or run, without a database.

use crate::dir::{MigrationsDir, sql_version};
use crate::error::{MigrateError, Result, io};
use crate::revision::{Format, Revision};
use crate::rust_source::{rust_refuses_transaction, rust_statements};
use crate::sql_files::SqlFiles;
use crate::target::{Direction, Target};
use crate::version_table::{
    checksum_statements, checksum_table_ddl, seaql_delete, seaql_insert, seaql_table_ddl,
};
use autogen_db::SQLX_TABLE;
use autogen_runtime::internal::{
    LedgerEntry, MigrateDialect, ledger_forget, ledger_record, migrate_dialect, sqlx_delete,
};
use autogen_schema::Dialect;
use autogen_schema::lexical::comment_text;
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// The script that moves a database at `start` (`base` or a revision) to `target`.
pub fn script(
    dir: &MigrationsDir,
    dialect: Dialect,
    start: &str,
    target: &Target,
    direction: Direction,
) -> Result<String> {
    crate::runner::same_dialect(dir, dialect, &|| format!("{dialect} (the URL's dialect)"))?;
    let facts = migrate_dialect(dialect);
    let applied: BTreeSet<String> = match start {
        "base" => BTreeSet::new(),
        rev => dir.ancestors(&dir.resolve(rev)?.meta.id),
    };
    let steps = dir.steps(&applied, target, direction)?;
    let files = SqlFiles::load(dir)?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "-- autogen offline {} for {dialect}, from {}: {} revision(s).\n\
         -- Each revision runs in its own transaction unless marked otherwise.",
        match direction {
            Direction::Up => "upgrade",
            Direction::Down => "downgrade",
        },
        comment_text(start),
        steps.len()
    );
    let table_ddl = match dir.format {
        Format::Sql => facts.sqlx_table_ddl(),
        Format::Rust => seaql_table_ddl(),
    };
    let _ = writeln!(out, "\n{table_ddl};");
    let _ = match dir.format {
        Format::Rust => writeln!(out, "{};", checksum_table_ddl()),
        Format::Sql => writeln!(out, "{};", facts.revisions_table_ddl()),
    };
    for rev in steps {
        let (statements, no_tx) = revision_statements(dir, &files, rev, direction, facts)?;
        let what = format!(
            "{} {} ({})",
            rev.meta.id,
            rev.meta.message,
            rev.path.display()
        );
        let _ = writeln!(out, "\n{}", facts.sql().comment_line(&what));
        let in_tx = !no_tx && facts.sql().transactional_ddl();
        if no_tx {
            let _ = writeln!(out, "-- runs outside a transaction (-- no-transaction)");
        }
        if in_tx {
            let _ = writeln!(out, "BEGIN;");
        }
        for s in &statements {
            let _ = writeln!(out, "{}", facts.script_statement(s));
        }
        for s in record(dir, &files, rev, direction, facts, &statements)? {
            let _ = writeln!(out, "{s};");
        }
        if dir.format == Format::Rust {
            for s in checksum_statements(rev, direction, facts.sql())? {
                let _ = writeln!(out, "{s};");
            }
        }
        if in_tx {
            let _ = writeln!(out, "COMMIT;");
        }
    }
    Ok(out)
}

fn revision_statements(
    dir: &MigrationsDir,
    files: &SqlFiles,
    rev: &Revision,
    direction: Direction,
    facts: &dyn MigrateDialect,
) -> Result<(Vec<String>, bool)> {
    match dir.format {
        Format::Sql => {
            let m = files.get(rev, direction)?;
            Ok((
                autogen_runtime::internal::statements(m.sql.as_str(), facts.parser()),
                m.no_tx,
            ))
        }
        Format::Rust => {
            let text = std::fs::read_to_string(&rev.path).map_err(io(&rev.path))?;
            let no_tx = rust_refuses_transaction(&text);
            let statements = rust_statements(&text, direction).ok_or_else(|| {
                MigrateError::Target(format!(
                    "revision {} ({}) has hand-written Rust, which offline mode cannot turn into SQL; \
                     only migrations made of `execute_unprepared` statements can be printed",
                    rev.meta.id,
                    rev.path.display()
                ))
            })?;
            Ok((statements, no_tx))
        }
    }
}

fn record(
    dir: &MigrationsDir,
    files: &SqlFiles,
    rev: &Revision,
    direction: Direction,
    facts: &dyn MigrateDialect,
    statements: &[String],
) -> Result<Vec<String>> {
    let sql = facts.sql();
    Ok(match (dir.format, direction) {
        (Format::Sql, Direction::Up) => {
            let m = files.get(rev, Direction::Up)?;
            let down = files.get(rev, Direction::Down)?;
            let change = crate::runner::change_files(dir, files, rev, Direction::Up)?;
            let entry = LedgerEntry::of(m, statements, Some(down), &change, facts.parser());
            let mut out = vec![format!(
                "INSERT INTO {SQLX_TABLE} (version, description, success, checksum, execution_time) \
                 VALUES ({}, {}, TRUE, {}, -1)",
                m.version,
                sql.string_literal(&m.description),
                sql.bytes_literal(&m.checksum)
            )];
            out.extend(ledger_record(&entry, sql));
            out
        }
        (Format::Sql, Direction::Down) => {
            let version = sql_version(&rev.meta.id)?;
            vec![sqlx_delete(version), ledger_forget(version)]
        }
        (Format::Rust, Direction::Up) => vec![seaql_insert(&rev.name, sql)],
        (Format::Rust, Direction::Down) => vec![seaql_delete(&rev.name, sql)],
    })
}
