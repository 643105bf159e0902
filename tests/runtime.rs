//! The migration runtime on real databases: failures, concurrency, tampering, forks and merges,
//! offline SQL, stamping. Migrations here are written by hand (as users write data migrations),
//! in SQL every dialect accepts, so the same cases run on PostgreSQL, SQLite and MariaDB.

use autogen_cli::Outcome;
use autogen_schema::Dialect;
use autogen_tests::{Project, TestDb, run_client, school, spawn_autogen};
use std::path::PathBuf;

const ALL: [Dialect; 3] = [Dialect::Postgres, Dialect::Sqlite, Dialect::MySql];

/// Writes a hand-written SQL revision (header + statements) into the project.
fn write_rev(p: &Project, id: &str, parents: &[&str], message: &str, up: &str, down: &str) {
    let parents = if parents.is_empty() {
        "base".to_string()
    } else {
        parents.join(", ")
    };
    let header = |direction: &str| {
        format!(
            "-- autogen revision: {id}\n-- autogen parent: {parents}\n-- autogen message: {message}\n\
             -- autogen direction: {direction}\n\n"
        )
    };
    let dir = p.migrations();
    std::fs::create_dir_all(&dir).expect("migrations dir");
    let stem = format!("{id}_{}", message.replace(' ', "_"));
    std::fs::write(dir.join(format!("{stem}.up.sql")), header("up") + up).expect("write up");
    std::fs::write(dir.join(format!("{stem}.down.sql")), header("down") + down)
        .expect("write down");
}

fn up_file(p: &Project, id: &str) -> PathBuf {
    p.files()
        .into_iter()
        .find(|f| {
            let name = f
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            name.starts_with(id) && name.ends_with(".up.sql")
        })
        .expect("up file")
}

/// Two revisions that work everywhere; the second inserts a row so applying it twice shows.
fn two_revisions(p: &Project) {
    write_rev(
        p,
        "20260101000001",
        &[],
        "create runs",
        "CREATE TABLE runs (n INTEGER NOT NULL);\n",
        "DROP TABLE runs;\n",
    );
    write_rev(
        p,
        "20260101000002",
        &["20260101000001"],
        "record run",
        "INSERT INTO runs (n) VALUES (2);\nCREATE TABLE notes (body VARCHAR(100));\n",
        "DROP TABLE notes;\nDELETE FROM runs WHERE n = 2;\n",
    );
}

#[tokio::test]
async fn a_failing_statement_leaves_database_and_version_table_true() {
    for dialect in ALL {
        let Some(p) = Project::new(dialect, "sql", "failure").await else {
            continue;
        };
        two_revisions(&p);
        write_rev(
            &p,
            "20260101000003",
            &["20260101000002"],
            "broken",
            "CREATE TABLE fees (id INTEGER);\nINSERT INTO fees (id) VALUES (1);\n\
             INSERT INTO no_such_table (id) VALUES (1);\nCREATE TABLE never (id INTEGER);\n",
            "DROP TABLE fees;\n",
        );
        let run = p.autogen(&["upgrade", "head"]).await;
        assert_eq!(run.outcome, Outcome::Error, "{dialect}: {}", run.stdout);
        // The revisions before the broken one are applied and reported as such.
        assert!(
            run.stdout.contains("applied 20260101000002"),
            "{}",
            run.stdout
        );
        let err = &run.stderr;
        assert!(
            err.contains("revision 20260101000003")
                && err.contains("failed at statement 3 of 4")
                && err.contains("INSERT INTO no_such_table"),
            "{dialect}: {err}"
        );
        assert_eq!(
            p.db.sqlx_versions().await,
            ["20260101000001", "20260101000002"],
            "{dialect}: the version table must not record the failed revision"
        );
        assert!(!p.db.has_table("never").await);
        if dialect == Dialect::MySql {
            // MySQL commits DDL as it goes: what ran stays, and the error lists it.
            assert!(p.db.has_table("fees").await);
            assert!(
                err.contains("stay applied")
                    && err.contains("1. CREATE TABLE fees (id INTEGER)")
                    && err.contains("2. INSERT INTO fees (id) VALUES (1)"),
                "{err}"
            );
        } else {
            assert!(!p.db.has_table("fees").await, "{dialect}: rolled back");
            assert!(
                err.contains("Nothing of revision 20260101000003 was changed")
                    && err.contains("The version table does not record it."),
                "{err}"
            );
        }
        // The error itself (after the line naming the password-free target) quotes no URL.
        let error = &err[err.find("error:").unwrap_or(0)..];
        assert!(!error.contains(&p.db.url) || !p.db.url.contains('@'));
        // A failed downgrade: the version table still records the revision, and says so.
        write_rev(
            &p,
            "20260101000003",
            &["20260101000002"],
            "broken",
            "CREATE TABLE fees2 (id INTEGER);\n",
            "DROP TABLE fees2;\nDROP TABLE no_such_table;\n",
        );
        if dialect == Dialect::MySql {
            p.db.execute("DROP TABLE fees").await;
        }
        p.ok(&["upgrade", "head"]).await;
        let run = p.autogen(&["downgrade", "-1"]).await;
        assert_eq!(run.outcome, Outcome::Error, "{dialect}");
        assert!(
            run.stderr
                .to_lowercase()
                .contains("the version table still records it"),
            "{dialect}: {}",
            run.stderr
        );
        assert_eq!(p.db.sqlx_versions().await.len(), 3, "{dialect}");
    }
}

/// A revision that runs outside a transaction (MySQL's, or a `-- no-transaction` file) and fails
/// partway resumes, once the cause is fixed, at the statement that failed: the statements before
/// it, recorded as done in `autogen_revisions`, are not run twice (an INSERT run twice is two
/// rows). A file edited after the failure starts over.
#[tokio::test]
async fn a_revision_that_failed_partway_resumes_where_it_stopped() {
    for dialect in [Dialect::MySql, Dialect::Postgres] {
        let Some(p) = Project::new(dialect, "sql", "resume").await else {
            continue;
        };
        two_revisions(&p);
        write_rev(
            &p,
            "20260101000003",
            &["20260101000002"],
            "partway",
            "CREATE TABLE fees (id INTEGER);\nINSERT INTO fees (id) VALUES (1);\n\
             INSERT INTO missing (id) VALUES (1);\nCREATE TABLE later (id INTEGER);\n",
            "DROP TABLE later;\nDROP TABLE fees;\n",
        );
        if dialect == Dialect::Postgres {
            // sqlx reads the marker on the file's first line only.
            let path = up_file(&p, "20260101000003");
            let text = std::fs::read_to_string(&path).expect("read");
            std::fs::write(&path, format!("-- no-transaction\n{text}")).expect("write");
        }
        // A table made by hand in the way: the revision stops at it, and run again it stops at
        // it again (an error it saw is not work an interrupted run may have done).
        p.db.execute("CREATE TABLE fees (id INTEGER)").await;
        for _ in 0..2 {
            let run = p.autogen(&["upgrade", "head"]).await;
            assert!(
                run.stderr.contains("failed at statement 1 of 4"),
                "{dialect}: {}",
                run.stderr
            );
        }
        p.db.execute("DROP TABLE fees").await;
        let run = p.autogen(&["upgrade", "head"]).await;
        assert_eq!(run.outcome, Outcome::Error, "{dialect}");
        assert!(
            run.stderr.contains("resumes at statement 3") && run.stderr.contains("stay applied"),
            "{dialect}: {}",
            run.stderr
        );
        p.db.execute("CREATE TABLE missing (id INTEGER)").await;
        p.ok(&["upgrade", "head"]).await;
        let count = async |sql: &str| p.db.strings(sql).await.concat().trim().to_string();
        let rows = count("SELECT CAST(count(*) AS CHAR(10)) FROM fees").await;
        assert_eq!(rows, "1", "{dialect}: no second INSERT");
        assert!(p.db.has_table("later").await, "{dialect}");
        assert_eq!(p.db.sqlx_versions().await.len(), 3, "{dialect}");
        let recorded = "SELECT CAST(count(*) AS CHAR(10)) FROM autogen_revisions WHERE blocker LIKE 'in progress%'";
        assert_eq!(
            count(recorded).await,
            "0",
            "{dialect}: the full record replaced it"
        );
    }
}

/// Real processes (see `autogen_tests::spawn_autogen`) re-enter this binary here.
#[test]
fn child_process_entry() {
    autogen_tests::child_process_entry();
}

#[tokio::test]
async fn eight_concurrent_upgrades_apply_each_revision_once() {
    for dialect in ALL {
        let Some(p) = Project::new(dialect, "sql", "concurrent").await else {
            continue;
        };
        two_revisions(&p);
        // A slow third revision keeps the lock held while the others arrive.
        let sleep = match dialect {
            Dialect::Postgres => "SELECT pg_sleep(0.5)",
            Dialect::MySql => "SELECT SLEEP(0.5)",
            Dialect::Sqlite => {
                "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000) \
                 SELECT count(*) FROM c"
            }
        };
        write_rev(
            &p,
            "20260101000003",
            &["20260101000002"],
            "slow",
            &format!("{sleep};\nINSERT INTO runs (n) VALUES (3);\n"),
            "DELETE FROM runs WHERE n = 3;\n",
        );
        let config = p.config().display().to_string();
        let children: Vec<_> = (0..8)
            .map(|_| spawn_autogen(&["-c", &config, "upgrade", "head"]))
            .collect();
        for child in children {
            let output = child.wait_with_output().expect("wait");
            assert!(
                output.status.success(),
                "{dialect}: {}\n{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        assert_eq!(
            p.db.sqlx_versions().await,
            ["20260101000001", "20260101000002", "20260101000003"]
        );
        let cast = if dialect == Dialect::MySql {
            "CHAR"
        } else {
            "TEXT"
        };
        assert_eq!(
            p.db.strings(&format!("SELECT CAST(n AS {cast}) FROM runs ORDER BY n"))
                .await,
            ["2", "3"],
            "{dialect}: each revision ran exactly once"
        );
        assert!(p.db.has_table("notes").await);
    }
}

#[tokio::test]
async fn a_run_gives_up_on_a_held_lock_after_the_timeout() {
    let Some(p) = Project::new(Dialect::Postgres, "sql", "locktimeout").await else {
        return;
    };
    write_rev(
        &p,
        "20260101000001",
        &[],
        "slow",
        "SELECT pg_sleep(3);\nCREATE TABLE t (id INTEGER);\n",
        "DROP TABLE t;\n",
    );
    let config = p.config().display().to_string();
    let holder = spawn_autogen(&["-c", &config, "upgrade", "head"]);
    // Let the first run take the lock (it then sleeps inside its revision).
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let run = p
        .autogen(&["--lock-timeout", "0.2", "upgrade", "head"])
        .await;
    let output = holder.wait_with_output().expect("wait");
    assert!(output.status.success());
    assert_eq!(run.outcome, Outcome::Error);
    assert!(
        run.stderr.contains("holds the lock") && run.stderr.contains("--lock-timeout"),
        "{}",
        run.stderr
    );
    assert_eq!(p.db.sqlx_versions().await, ["20260101000001"]);
}

#[tokio::test]
async fn edited_and_missing_files_are_reported_before_anything_runs() {
    for dialect in [Dialect::Sqlite, Dialect::Postgres] {
        let Some(p) = Project::new(dialect, "sql", "tamper").await else {
            continue;
        };
        two_revisions(&p);
        p.ok(&["upgrade", "+1"]).await;
        // Edited after it ran: the checksum no longer matches.
        let first = up_file(&p, "20260101000001");
        let text = std::fs::read_to_string(&first).expect("read");
        std::fs::write(&first, text.replace("INTEGER", "BIGINT")).expect("write");
        for command in [&["upgrade", "head"][..], &["current"], &["history"]] {
            let run = p.autogen(command).await;
            assert_eq!(run.outcome, Outcome::Error, "{command:?}");
            assert!(
                run.stderr
                    .contains("revision 20260101000001 was edited after it was applied")
                    && run.stderr.contains(&first.display().to_string()),
                "{}",
                run.stderr
            );
        }
        assert_eq!(
            p.db.sqlx_versions().await,
            ["20260101000001"],
            "nothing ran"
        );
        // SQL files keep sqlx's checksum of their bytes: a space or a comment is an edit too.
        for edited in [format!("{text} "), format!("{text}-- a note\n")] {
            std::fs::write(&first, edited).expect("write");
            let run = p.autogen(&["current"]).await;
            assert!(
                run.stderr.contains("was edited after it was applied"),
                "{}",
                run.stderr
            );
        }
        std::fs::write(&first, text).expect("restore");
        p.ok(&["upgrade", "head"]).await;
        // Missing: the database records a revision no file has.
        for f in p.files() {
            if f.to_string_lossy().contains("20260101000002") {
                std::fs::remove_file(f).expect("remove");
            }
        }
        let run = p.autogen(&["downgrade", "-1"]).await;
        assert_eq!(run.outcome, Outcome::Error);
        assert!(
            run.stderr.contains(
                "20260101000002 recorded in the database as applied, but no migration file"
            ),
            "{}",
            run.stderr
        );
        assert!(p.db.has_table("notes").await, "nothing was reverted");
    }
}

#[tokio::test]
async fn a_forked_history_is_named_and_merged() {
    for dialect in [Dialect::Sqlite, Dialect::Postgres] {
        let Some(p) = Project::new(dialect, "sql", "fork").await else {
            continue;
        };
        write_rev(
            &p,
            "20260101000001",
            &[],
            "base table",
            "CREATE TABLE a (id INTEGER);\n",
            "DROP TABLE a;\n",
        );
        // Two developers branch from the same revision.
        write_rev(
            &p,
            "20260101000002",
            &["20260101000001"],
            "alice",
            "CREATE TABLE b (id INTEGER);\n",
            "DROP TABLE b;\n",
        );
        write_rev(
            &p,
            "20260101000003",
            &["20260101000001"],
            "bob",
            "CREATE TABLE c (id INTEGER);\n",
            "DROP TABLE c;\n",
        );
        let fix = "autogen merge -m \"merge heads\" 20260101000002 20260101000003";
        for command in [
            &["upgrade", "head"][..],
            &["revision", "-m", "more"],
            &["check"],
        ] {
            let run = p.autogen(command).await;
            assert_eq!(run.outcome, Outcome::Error, "{command:?}");
            assert!(run.stderr.contains(fix), "{command:?}: {}", run.stderr);
        }
        let heads = p.ok(&["heads"]).await;
        assert_eq!(heads.lines().count(), 2, "{heads}");
        let branches = p.ok(&["branches"]).await;
        assert!(
            branches.contains("20260101000001 (branchpoint)")
                && branches.contains("-> 20260101000002 alice")
                && branches.contains("-> 20260101000003 bob"),
            "{branches}"
        );
        // One branch by id: only its own line is applied.
        p.ok(&["upgrade", "20260101000003"]).await;
        assert!(p.db.has_table("c").await && !p.db.has_table("b").await);
        p.ok(&["upgrade", "heads"]).await;
        assert!(p.db.has_table("b").await);
        let current = p.ok(&["current"]).await;
        assert_eq!(
            current.lines().count(),
            2,
            "both heads are current: {current}"
        );

        let wrote = p.ok(&["merge", "-m", "merge heads"]).await;
        assert!(wrote.contains("wrote"), "{wrote}");
        let heads = p.ok(&["heads"]).await;
        assert_eq!(heads.lines().count(), 1, "{heads}");
        assert!(
            heads.starts_with("20260101000002, 20260101000003 -> "),
            "{heads}"
        );
        assert!(heads.contains("(mergepoint)"), "{heads}");
        p.ok(&["upgrade", "head"]).await;
        assert!(p.ok(&["current"]).await.contains("(head)"));
        // Down one: the merge is reverted, both branches stay.
        p.ok(&["downgrade", "-1"]).await;
        assert_eq!(p.db.sqlx_versions().await.len(), 3);
        // Down to one side: the other side goes too only when it builds on it; here it does not.
        p.ok(&["downgrade", "20260101000002"]).await;
        assert_eq!(p.db.sqlx_versions().await.len(), 3);
        p.ok(&["downgrade", "base"]).await;
        assert!(p.db.sqlx_versions().await.is_empty());
    }
}

/// Table and column names, in order: the catalog compared across the online and offline runs.
async fn catalog(db: &TestDb) -> Vec<String> {
    let sql = match db.dialect {
        Dialect::Postgres => {
            "SELECT table_name::text || '.' || column_name::text || ' ' || data_type::text \
             FROM information_schema.columns WHERE table_schema = current_schema() \
             ORDER BY table_name, ordinal_position"
                .to_string()
        }
        Dialect::MySql => "SELECT CONCAT(table_name, '.', column_name, ' ', column_type) \
             FROM information_schema.columns WHERE table_schema = DATABASE() \
             ORDER BY table_name, ordinal_position"
            .to_string(),
        Dialect::Sqlite => "SELECT m.name || '.' || p.name || ' ' || p.type FROM sqlite_master m \
             JOIN pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY m.name, p.cid"
            .to_string(),
    };
    let mut rows = db.strings(&sql).await;
    let hex = match db.dialect {
        Dialect::Postgres => "encode(checksum, 'hex')",
        _ => "lower(hex(checksum))",
    };
    // MySQL's || is OR (autogen's connections keep the server's SQL mode): CONCAT there.
    let versions = match db.dialect {
        Dialect::MySql => format!(
            "SELECT CONCAT(CAST(version AS CHAR), ' ', description, ' ', {hex}) \
             FROM _sqlx_migrations ORDER BY version"
        ),
        _ => format!(
            "SELECT CAST(version AS TEXT) || ' ' || description || ' ' || {hex} \
             FROM _sqlx_migrations ORDER BY version"
        ),
    };
    rows.extend(db.strings(&versions).await);
    rows
}

#[tokio::test]
async fn offline_sql_run_by_the_database_client_equals_an_online_upgrade() {
    for dialect in ALL {
        let Some(online) = Project::new(dialect, "sql", "online").await else {
            continue;
        };
        let Some(offline_db) = TestDb::new(dialect, "offline").await else {
            continue;
        };
        two_revisions(&online);
        online.ok(&["upgrade", "head"]).await;

        let script = online.ok(&["upgrade", "--sql", "head"]).await;
        assert!(script.contains("INSERT INTO _sqlx_migrations"), "{script}");
        run_client(&offline_db, &script);
        assert_eq!(
            catalog(&offline_db).await,
            catalog(&online.db).await,
            "{dialect}"
        );

        // The online runner accepts the history the script wrote (checksums match).
        let url = offline_db.url.clone();
        let current = online.ok(&["--database-url", &url, "current"]).await;
        assert!(
            current.contains("20260101000002 record run (head)"),
            "{current}"
        );

        // A range: only the second revision, then back down to base.
        let second = online
            .ok(&["upgrade", "--sql", "20260101000001:head"])
            .await;
        assert!(!second.contains("CREATE TABLE runs"), "{second}");
        assert!(second.contains("CREATE TABLE notes"), "{second}");
        let down = online.ok(&["downgrade", "--sql", "head:base"]).await;
        assert!(down.contains("DELETE FROM _sqlx_migrations WHERE version = 20260101000002"));
        run_client(&offline_db, &down);
        assert!(!offline_db.has_table("runs").await);
        assert!(offline_db.sqlx_versions().await.is_empty());
        let run = online.autogen(&["downgrade", "--sql", "base"]).await;
        assert!(run.stderr.contains("needs START:END"), "{}", run.stderr);
    }
}

#[tokio::test]
async fn stamp_adopts_a_database_made_outside_autogen() {
    for dialect in [Dialect::Sqlite, Dialect::Postgres] {
        // Write the migration for the school's first version on a scratch database.
        let Some(scratch) = Project::new(dialect, "sql", "stampsrc").await else {
            continue;
        };
        let models = school(1).display().to_string();
        scratch.ok(&["--models", &models, "-m", "students"]).await;
        // The production database already has those tables, made by hand.
        let Some(existing) = TestDb::new(dialect, "stampdst").await else {
            continue;
        };
        let up = std::fs::read_to_string(&scratch.files()[1]).expect("up.sql");
        assert!(scratch.files()[1].to_string_lossy().ends_with(".up.sql"));
        existing.execute(&up).await;
        let url = existing.url.clone();
        let args = |rest: &[&'static str]| {
            let mut v = vec![
                "--database-url".to_string(),
                url.clone(),
                "--models".into(),
                models.clone(),
            ];
            v.extend(rest.iter().map(|s| s.to_string()));
            v
        };
        let check = scratch.autogen(&refs(&args(&["check"]))).await;
        assert_eq!(
            check.outcome,
            Outcome::Drift,
            "not yet at head: {}",
            check.stdout
        );
        let stamped = scratch.ok(&refs(&args(&["stamp", "head"]))).await;
        assert!(stamped.contains("stamped"), "{stamped}");
        let check = scratch.autogen(&refs(&args(&["check"]))).await;
        assert_eq!(
            check.outcome,
            Outcome::Success,
            "{}{}",
            check.stdout,
            check.stderr
        );
        assert!(check.stdout.contains("No changes detected"));
        scratch.ok(&refs(&args(&["stamp", "base"]))).await;
        assert!(
            scratch
                .ok(&refs(&args(&["current"])))
                .await
                .contains("base")
        );
        assert!(existing.has_table("students").await, "stamp runs nothing");
    }
}

fn refs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[tokio::test]
async fn statements_that_refuse_a_transaction_run_in_files_marked_no_transaction() {
    let Some(p) = Project::new(Dialect::Postgres, "sql", "notx").await else {
        return;
    };
    write_rev(
        &p,
        "20260101000001",
        &[],
        "table",
        "CREATE TABLE t (id INTEGER);\n",
        "DROP TABLE t;\n",
    );
    write_rev(
        &p,
        "20260101000002",
        &["20260101000001"],
        "index",
        "CREATE INDEX CONCURRENTLY t_id ON t (id);\n",
        "DROP INDEX CONCURRENTLY t_id;\n",
    );
    let run = p.autogen(&["upgrade", "head"]).await;
    assert_eq!(run.outcome, Outcome::Error);
    assert!(
        run.stderr
            .contains("make `-- no-transaction` the file's first line"),
        "{}",
        run.stderr
    );
    // Marked, as sqlx reads it: the revision runs outside a transaction.
    for suffix in ["up", "down"] {
        let path = p
            .migrations()
            .join(format!("20260101000002_index.{suffix}.sql"));
        let text = std::fs::read_to_string(&path).expect("read");
        std::fs::write(&path, format!("-- no-transaction\n{text}")).expect("write");
    }
    p.ok(&["upgrade", "head"]).await;
    let indexes =
        p.db.strings("SELECT indexname::text FROM pg_indexes WHERE tablename = 't'")
            .await;
    assert_eq!(indexes, ["t_id"]);
    let script = p.ok(&["upgrade", "--sql", "head"]).await;
    assert!(script.contains("runs outside a transaction"), "{script}");
    p.ok(&["downgrade", "-1"]).await;
    assert!(
        p.db.strings("SELECT indexname::text FROM pg_indexes WHERE tablename = 't'")
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn passwords_never_appear_in_output() {
    // The local server trusts connections, so any password is accepted and must be hidden.
    let Some(p) = Project::new(Dialect::Postgres, "sql", "password").await else {
        return;
    };
    two_revisions(&p);
    let url = p.db.url.replacen("://postgres@", "://postgres:s3cr3t@", 1);
    assert!(url.contains("s3cr3t"), "{url}");
    p.ok(&["--database-url", &url, "upgrade", "head"]).await;
    let current = p
        .ok(&["--database-url", &url, "current", "--verbose"])
        .await;
    assert!(
        current.contains("postgres:***@") && !current.contains("s3cr3t"),
        "{current}"
    );
    let bad = url.replacen("127.0.0.1", "127.0.0.1:1", 1);
    let run = p.autogen(&["--database-url", &bad, "current"]).await;
    assert!(
        !run.stderr.contains("s3cr3t") && !run.stdout.contains("s3cr3t"),
        "{}",
        run.stderr
    );
}

#[tokio::test]
async fn history_current_heads_and_show_describe_the_graph() {
    let Some(p) = Project::new(Dialect::Sqlite, "sql", "inspect").await else {
        return;
    };
    two_revisions(&p);
    write_rev(
        &p,
        "20260101000003",
        &["20260101000002"],
        "third",
        "CREATE TABLE third (id INTEGER);\n",
        "DROP TABLE third;\n",
    );
    // REV+N: one past the first, from base.
    let out = p.ok(&["upgrade", "20260101000001+1"]).await;
    assert_eq!(out.lines().count(), 2, "{out}");
    let history = p.ok(&["history", "--indicate-current"]).await;
    assert_eq!(
        history.lines().collect::<Vec<_>>(),
        [
            "base -> 20260101000001 [applied] create runs",
            "20260101000001 -> 20260101000002 [applied] (current) record run",
            "20260101000002 -> 20260101000003 [pending] (head) third",
        ]
    );
    let range = p.ok(&["history", "-r", "20260101000002:"]).await;
    assert_eq!(range.lines().count(), 2, "{range}");
    let range = p.ok(&["history", "-r", "base:current"]).await;
    assert_eq!(range.lines().count(), 2, "{range}");
    let verbose = p
        .ok(&["history", "--verbose", "-r", "20260101000003:head"])
        .await;
    assert!(
        verbose.contains("Rev: 20260101000003 [pending] (head)")
            && verbose.contains("Parent: 20260101000002")
            && verbose.contains("Path: "),
        "{verbose}"
    );
    let current = p.ok(&["current", "--verbose"]).await;
    assert!(
        current.contains("Rev: 20260101000002") && current.contains("Children: 20260101000003"),
        "{current}"
    );
    assert_eq!(
        p.ok(&["heads"]).await,
        "20260101000002 -> 20260101000003 (head) third\n"
    );
    assert_eq!(p.ok(&["branches"]).await, "");
    let run = p.autogen(&["show", "2026010100000"]).await;
    assert!(
        run.stderr.contains("ambiguous"),
        "a prefix of three ids: {}",
        run.stderr
    );
    let show = p.ok(&["show", "20260101000002"]).await;
    assert!(
        show.contains("Parent: 20260101000001") && show.contains("INSERT INTO runs (n) VALUES (2)"),
        "{show}"
    );
    // Beyond the ends: errors that change nothing.
    let run = p.autogen(&["upgrade", "+5"]).await;
    assert!(
        run.stderr.contains("only 1 change(s) pending"),
        "{}",
        run.stderr
    );
    let run = p.autogen(&["upgrade", "20260101000002+3"]).await;
    assert!(run.stderr.contains("goes beyond head"), "{}", run.stderr);
    let run = p.autogen(&["downgrade", "-9"]).await;
    assert!(
        run.stderr.contains("only 2 change(s) applied"),
        "{}",
        run.stderr
    );
    assert_eq!(
        p.db.sqlx_versions().await,
        ["20260101000001", "20260101000002"]
    );
    // Two below head is the first revision: the second is reverted.
    p.ok(&["downgrade", "head-2"]).await;
    assert_eq!(p.db.sqlx_versions().await, ["20260101000001"]);
}

/// An older checkout (without a newer release's revision file) reverts that revision from the
/// down statements recorded when it was applied, once `--recorded-down` confirms it; without the
/// flag it stops and names the flag. A revision with no record stays an error.
#[tokio::test]
async fn an_older_checkout_reverts_a_revision_it_has_no_file_for() {
    for dialect in ALL {
        let Some(p) = Project::new(dialect, "sql", "recorded").await else {
            continue;
        };
        two_revisions(&p);
        write_rev(
            &p,
            "20260101000003",
            &["20260101000002"],
            "add note",
            "ALTER TABLE runs ADD COLUMN note VARCHAR(20) NULL;\n",
            "ALTER TABLE runs DROP COLUMN note;\n",
        );
        p.ok(&["upgrade", "head"]).await;
        let text = |e: &str| match dialect {
            Dialect::MySql => format!("CAST({e} AS CHAR)"),
            _ => format!("CAST({e} AS TEXT)"),
        };
        let additive =
            p.db.strings(&format!(
                "SELECT {} FROM autogen_revisions WHERE additive AND down_sql IS NOT NULL \
                 ORDER BY version",
                text("version")
            ))
            .await;
        assert_eq!(
            additive,
            ["20260101000001", "20260101000002", "20260101000003"],
            "{dialect}: autogen_revisions"
        );
        // The older checkout: the third revision's files are gone.
        for f in p.files() {
            if f.to_string_lossy().contains("20260101000003") {
                std::fs::remove_file(f).expect("remove");
            }
        }
        // Everything else still stops there, naming the revision and the flag.
        for args in [&["downgrade", "-1"][..], &["upgrade", "head"], &["current"]] {
            let refused = p.autogen(args).await;
            assert_eq!(refused.outcome, Outcome::Error, "{dialect}: {args:?}");
            assert!(
                refused.stderr.contains("20260101000003")
                    && refused.stderr.contains("--recorded-down"),
                "{args:?}: {}",
                refused.stderr
            );
        }
        let out = p.ok(&["downgrade", "head", "--recorded-down"]).await;
        assert!(
            out.contains("reverted 20260101000003 add note (recorded down statements)"),
            "{out}"
        );
        assert_eq!(
            p.db.sqlx_versions().await,
            ["20260101000001", "20260101000002"],
            "{dialect}"
        );
        assert_eq!(
            p.db.strings(&format!(
                "SELECT {} FROM autogen_revisions",
                text("count(*)")
            ))
            .await,
            ["2"],
            "{dialect}: the reverted revision's record is gone"
        );
        p.ok(&["upgrade", "head"]).await;
        // A revision recorded without a record of its own (stamped, or another tool's).
        let bytes = match dialect {
            Dialect::Postgres => "'\\x00'::bytea",
            _ => "X'00'",
        };
        p.db.execute(&format!(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES (20260101000009, 'other tool', TRUE, {bytes}, 0)"
        ))
        .await;
        let run = p.autogen(&["downgrade", "head", "--recorded-down"]).await;
        assert_eq!(run.outcome, Outcome::Error, "{dialect}");
        assert!(
            run.stderr.contains(
                "revision 20260101000009 has no file here and no recorded down statements"
            ),
            "{}",
            run.stderr
        );
    }
}
