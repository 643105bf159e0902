//! The database as its own dump tool prints it: `pg_dump --schema-only` and
//! `mysqldump --no-data --routines --triggers --events` (SQLite has no dump tool autogen
//! tests rely on; its catalog comparison reads the pragmas and `sqlite_master`). Each dump is
//! cut into statements, sorted, with what belongs to the environment rather than the schema
//! taken out: owners, privileges, DEFINERs, session settings, AUTO_INCREMENT counters, the
//! client character set an object was created under, and the tables autogen's runner keeps.
//! Two databases built the same way give equal lists.

use crate::TestDb;
use autogen_schema::Dialect;

/// The tables of the runners, not of the application.
const RUNNER_TABLES: [&str; 4] = [
    "_sqlx_migrations",
    "seaql_migrations",
    "autogen_checksums",
    "autogen_revisions",
];

/// The statements of `db`'s dump, normalised and sorted; None on SQLite.
pub fn native_dump(db: &TestDb) -> Option<Vec<String>> {
    let text = match db.dialect {
        Dialect::Postgres => pg_dump(db),
        Dialect::MySql => mysqldump(db),
        Dialect::Sqlite => return None,
    };
    let mut out: Vec<String> = match db.dialect {
        Dialect::MySql => mysql_statements(&text),
        _ => autogen_migrate::split_revision(&text, db.dialect)
            .into_iter()
            .map(|(_, s)| s)
            .collect(),
    }
    .into_iter()
    .map(|s| s.trim().to_string())
    .filter(|s| keep(s))
    .map(|s| without_environment(&s))
    .collect();
    out.sort();
    Some(out)
}

fn pg_dump(db: &TestDb) -> String {
    let mut args: Vec<String> = vec![
        "--schema-only".into(),
        "--no-owner".into(),
        "--no-privileges".into(),
        "--no-comments".into(),
    ];
    for t in RUNNER_TABLES {
        args.push(format!("--exclude-table=public.{t}"));
    }
    args.push(format!("--dbname={}", db.url));
    run("pg_dump", &args)
}

fn mysqldump(db: &TestDb) -> String {
    let (host, port, name) = crate::mysql_parts(&db.url);
    let mut args: Vec<String> = vec![
        "-uroot".into(),
        format!("-h{host}"),
        format!("-P{port}"),
        "--no-data".into(),
        "--routines".into(),
        "--triggers".into(),
        "--events".into(),
        "--skip-dump-date".into(),
        "--skip-comments".into(),
        "--skip-set-charset".into(),
    ];
    for t in RUNNER_TABLES {
        args.push(format!("--ignore-table={name}.{t}"));
    }
    args.push(name);
    run("mysqldump", &args)
}

fn run(program: &str, args: &[String]) -> String {
    let out = std::process::Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(
        out.status.success(),
        "{program} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// mysqldump's statements, cut at its changing `DELIMITER`s.
fn mysql_statements(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut delimiter = ";".to_string();
    let mut current = String::new();
    for line in text.lines() {
        if let Some(d) = line.strip_prefix("DELIMITER ") {
            delimiter = d.trim().to_string();
            continue;
        }
        current.push_str(line);
        current.push('\n');
        if line.trim_end().ends_with(&delimiter) {
            let s = current.trim_end().trim_end_matches(&delimiter).to_string();
            out.push(s);
            current.clear();
        }
    }
    out.push(current);
    out
}

/// A comment line, or psql's `\restrict` / `\unrestrict` guard (a random key per dump).
fn comment(line: &str) -> bool {
    let l = line.trim_start();
    l.starts_with("--") || l.starts_with("\\restrict ") || l.starts_with("\\unrestrict ")
}

/// Session settings and empty statements are the dump's, not the schema's; but for the
/// settings mysqldump writes before each routine, trigger and event (`/*!50003 SET sql_mode =
/// '…' */`, the client character set and collation it was made over), which are part of it.
fn keep(s: &str) -> bool {
    let body = s
        .lines()
        .filter(|l| !comment(l))
        .collect::<Vec<_>>()
        .join("\n");
    let body = body.trim();
    if body.starts_with("/*!50003 SET ") && !body.contains('@') {
        return true;
    }
    let head = ["/*!40101 ", "/*!50001 ", "/*!50003 "]
        .iter()
        .fold(body, |b, p| b.trim_start_matches(p));
    let upper = head.to_ascii_uppercase();
    !(body.is_empty()
        || upper.starts_with("SET ")
        || upper.starts_with("SELECT PG_CATALOG.SET_CONFIG")
        || upper.starts_with("USE ")
        || RUNNER_TABLES
            .iter()
            .any(|t| body.contains(&format!("SEQUENCE public.{t}"))))
}

/// Without DEFINERs (`DEFINER=`u`@`h``, in or out of a versioned comment) and AUTO_INCREMENT
/// counters; comment lines dropped.
fn without_environment(s: &str) -> String {
    let mut text: String = s
        .lines()
        .filter(|l| !comment(l))
        .collect::<Vec<_>>()
        .join("\n");
    for marker in ["/*!50017 DEFINER=", "/*!50013 DEFINER="] {
        while let Some(at) = text.find(marker) {
            let end = text[at..].find("*/").map_or(text.len(), |e| at + e + 2);
            text.replace_range(at..end, "");
        }
    }
    while let Some(at) = text.find("DEFINER=") {
        let end = text[at..]
            .find(char::is_whitespace)
            .map_or(text.len(), |e| at + e);
        text.replace_range(at..end, "");
    }
    if let Some(at) = text.find(" AUTO_INCREMENT=") {
        let digits = text[at + 16..]
            .find(|c: char| !c.is_ascii_digit())
            .map_or(text.len(), |e| at + 16 + e);
        text.replace_range(at..digits, "");
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
