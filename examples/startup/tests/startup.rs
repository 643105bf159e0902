//! The example application started as a deployment starts it: eight replicas at once on a fresh
//! database, again over a pending online change on a populated table, and an older build on a
//! database a newer one migrated.

use autogen_runtime::{Ahead, Migrations, Runtime, RuntimeError};
use autogen_schema::Dialect;
use autogen_tests::TestDb;
use std::path::Path;
use std::process::{Command, Output};

const ALL: [Dialect; 3] = [Dialect::Postgres, Dialect::MySql, Dialect::Sqlite];

fn migrations_dir(dialect: Dialect) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(dialect.sql().name())
}

/// The example's migrations for `dialect` as a build that has only the first `n` up files (and
/// their downs), plus `extra` files: an older or a newer release.
fn release(dialect: Dialect, n: usize, extra: &[(&str, &str)]) -> Migrations {
    let dir = migrations_dir(dialect);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("migrations dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let ups: Vec<String> = names
        .iter()
        .filter(|n| n.ends_with(".up.sql"))
        .take(n)
        .map(|n| n.split('_').next().unwrap_or_default().to_string())
        .collect();
    let mut files: Vec<(&'static str, &'static str)> = names
        .iter()
        .filter(|n| ups.iter().any(|v| n.starts_with(&format!("{v}_"))))
        .map(|n| {
            let text = std::fs::read_to_string(dir.join(n)).expect("read");
            (leak(n.clone()), leak(text))
        })
        .collect();
    files.extend(
        extra
            .iter()
            .map(|(n, t)| (leak(n.to_string()), leak(t.to_string()))),
    );
    Migrations::from_files(leak(dir.display().to_string()), Vec::leak(files))
}

/// A directory holding only the example's first revision for `dialect`: the first release.
fn first_release(dialect: Dialect) -> tempfile::TempDir {
    let first = tempfile::tempdir().expect("dir");
    let v1 = release(dialect, 1, &[]).versions().expect("v")[0].to_string();
    for entry in std::fs::read_dir(migrations_dir(dialect)).expect("dir") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        if name.starts_with(&format!("{v1}_")) {
            std::fs::copy(&path, first.path().join(&name)).expect("copy");
        }
    }
    first
}

fn leak(s: String) -> &'static str {
    String::leak(s)
}

fn url(db: &TestDb) -> String {
    match db.dialect {
        // sea-orm's SQLite connection creates the file only when asked to.
        Dialect::Sqlite => format!("{}?mode=rwc", db.url),
        _ => db.url.clone(),
    }
}

fn start(db: &TestDb, ahead: Option<&str>) -> std::process::Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_startup-example"));
    cmd.env("DATABASE_URL", url(db))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    match ahead {
        Some(policy) => cmd.env("STARTUP_AHEAD", policy),
        None => cmd.env_remove("STARTUP_AHEAD"),
    };
    cmd.spawn().expect("start the example")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Eight copies started at once: all exit 0, each prints the revision the schema is at and
/// the query's answer, and each revision is applied (and recorded) exactly once.
async fn eight_at_once(db: &TestDb, expected_rows: usize) {
    let children: Vec<_> = (0..8).map(|_| start(db, None)).collect();
    let outputs: Vec<Output> = children
        .into_iter()
        .map(|c| c.wait_with_output().expect("wait"))
        .collect();
    let all = release(db.dialect, usize::MAX, &[])
        .versions()
        .expect("versions");
    let head = all.last().expect("a revision").to_string();
    let mut applied = Vec::new();
    for out in &outputs {
        let t = text(out);
        assert!(out.status.success(), "{}: {t}", db.dialect);
        assert!(t.contains(&format!("schema at revision {head}")), "{t}");
        assert!(t.contains(&format!("{expected_rows} students")), "{t}");
        applied.extend(
            t.lines()
                .filter_map(|l| l.strip_prefix("applied "))
                .map(|l| l.split(' ').next().unwrap_or_default().to_string()),
        );
    }
    applied.sort();
    let versions = db.sqlx_versions().await;
    let wanted: Vec<String> = all.iter().map(i64::to_string).collect();
    assert_eq!(versions, wanted, "{}", db.dialect);
    let pending_before: Vec<String> = wanted
        .iter()
        .filter(|v| applied.contains(v))
        .cloned()
        .collect();
    assert_eq!(
        applied, pending_before,
        "each pending revision applied by one copy"
    );
}

#[tokio::test]
async fn eight_copies_start_at_once_on_a_fresh_database() {
    for dialect in ALL {
        let Some(db) = TestDb::new(dialect, "startup8").await else {
            return;
        };
        eight_at_once(&db, 0).await;
        assert_eq!(
            db.sqlx_versions().await.len(),
            release(dialect, usize::MAX, &[])
                .versions()
                .expect("v")
                .len()
        );
    }
}

/// PostgreSQL: the table exists and holds rows; the index comes in the online stage (a
/// `-- no-transaction` revision, `CREATE INDEX CONCURRENTLY`), which eight copies apply once.
#[tokio::test]
async fn eight_copies_apply_a_pending_online_change_on_a_populated_table_once() {
    let Some(db) = TestDb::new(Dialect::Postgres, "startuponline").await else {
        return;
    };
    let first = Runtime::new(release(Dialect::Postgres, 1, &[]))
        .run(db.connect().await.pool().clone())
        .await
        .expect("the first release");
    assert_eq!(first.applied.len(), 1);
    db.execute("INSERT INTO student (name) SELECT 's' || g FROM generate_series(1, 5000) g")
        .await;
    eight_at_once(&db, 5000).await;
    let valid = db
        .strings(
            "SELECT c.relname::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid \
             WHERE c.relname = 'idx-student-email' AND i.indisvalid",
        )
        .await;
    assert_eq!(valid, ["idx-student-email"]);
}

/// A newer release migrated the database, then the older build starts: refused by default,
/// naming the revision; started under the additive policy when the newer revision only adds;
/// refused under it when the newer revision drops something.
#[tokio::test]
async fn an_older_build_on_a_newer_database() {
    for dialect in ALL {
        let Some(db) = TestDb::new(dialect, "startupahead").await else {
            return;
        };
        let pool = || async { db.connect().await.pool().clone() };
        let add = "ALTER TABLE student ADD COLUMN nickname VARCHAR(40) NULL;\n";
        let newer = release(
            dialect,
            usize::MAX,
            &[
                ("29990101000000_add_nickname.up.sql", add),
                (
                    "29990101000000_add_nickname.down.sql",
                    "ALTER TABLE student DROP COLUMN nickname;\n",
                ),
            ],
        );
        Runtime::new(newer)
            .run(pool().await)
            .await
            .expect("newer release");

        let refused = start(&db, None).wait_with_output().expect("wait");
        let t = text(&refused);
        assert!(!refused.status.success(), "{t}");
        assert!(
            t.contains("29990101000000") && t.contains("ahead of this build"),
            "{t}"
        );

        let started = start(&db, Some("additive"))
            .wait_with_output()
            .expect("wait");
        assert!(started.status.success(), "{dialect}: {}", text(&started));

        // A newer release still whose revision drops a column: not additive.
        let drop = "ALTER TABLE student DROP COLUMN nickname;\n";
        let newest = release(
            dialect,
            usize::MAX,
            &[
                ("29990101000000_add_nickname.up.sql", add),
                ("29990101000000_add_nickname.down.sql", drop),
                ("29990102000000_drop_nickname.up.sql", drop),
                ("29990102000000_drop_nickname.down.sql", add),
            ],
        );
        Runtime::new(newest)
            .run(pool().await)
            .await
            .expect("newest release");
        let refused = start(&db, Some("additive"))
            .wait_with_output()
            .expect("wait");
        let t = text(&refused);
        assert!(!refused.status.success(), "{t}");
        assert!(
            t.contains(
                "29990102000000 does more than add: `ALTER TABLE student DROP COLUMN nickname`"
            ),
            "{t}"
        );
        // The typed error, as an application sees it.
        let older = Runtime::new(release(dialect, usize::MAX, &[])).ahead(Ahead::AllowAdditive);
        match older.run(pool().await).await {
            Err(RuntimeError::NotAdditive { blockers }) => {
                assert_eq!(blockers.len(), 1, "{blockers:?}");
                assert_eq!(blockers[0].0, "29990102000000");
            }
            other => panic!("{dialect}: {other:?}"),
        }
    }
}

/// A copy killed (SIGKILL) while its revision waits for a table lock another session holds: the
/// next start applies the revision, once. PostgreSQL rolls the killed copy's transaction back;
/// SQLite's journal does. MariaDB commits DDL as it goes: the killed copy's `ALTER TABLE` ends
/// on the server once the table is free, and the next start resumes the revision after it (its
/// progress is recorded statement by statement).
#[tokio::test]
async fn a_copy_killed_in_the_middle_of_a_revision_is_completed_by_the_next_start() {
    use sqlx::Connection;
    for dialect in [Dialect::MySql, Dialect::Postgres, Dialect::Sqlite] {
        let Some(db) = TestDb::new(dialect, "startupkill").await else {
            return;
        };
        Runtime::new(release(dialect, 1, &[]))
            .run(db.connect().await.pool().clone())
            .await
            .expect("the first release");
        // Another session holds the table, so the next revision (ALTER TABLE student …) waits.
        let holder: Box<dyn std::any::Any> = match dialect {
            Dialect::Postgres => {
                let mut c = sqlx::PgConnection::connect(&db.url).await.expect("connect");
                sqlx::raw_sql("BEGIN; LOCK TABLE student IN ACCESS EXCLUSIVE MODE")
                    .execute(&mut c)
                    .await
                    .expect("lock");
                Box::new(c)
            }
            Dialect::MySql => {
                let mut c = sqlx::MySqlConnection::connect(&db.url)
                    .await
                    .expect("connect");
                sqlx::raw_sql("LOCK TABLES student WRITE")
                    .execute(&mut c)
                    .await
                    .expect("lock");
                Box::new(c)
            }
            _ => {
                let mut c = sqlx::SqliteConnection::connect(&db.url)
                    .await
                    .expect("connect");
                sqlx::raw_sql("BEGIN IMMEDIATE")
                    .execute(&mut c)
                    .await
                    .expect("lock");
                Box::new(c)
            }
        };
        let mut child = start(&db, None);
        // Until the copy's ALTER TABLE waits for the table (SQLite cannot say: a pause).
        let waiting = match dialect {
            Dialect::Postgres => {
                "SELECT CAST(count(*) AS TEXT) FROM pg_stat_activity \
                 WHERE wait_event_type = 'Lock' AND query LIKE 'ALTER TABLE%'"
            }
            Dialect::MySql => {
                "SELECT CAST(count(*) AS CHAR) FROM information_schema.processlist \
                 WHERE state LIKE 'Waiting for table metadata lock%'"
            }
            Dialect::Sqlite => "",
        };
        if waiting.is_empty() {
            tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
        }
        let mut tries = 0;
        while !waiting.is_empty() && db.strings(waiting).await != ["1"] {
            tries += 1;
            assert!(tries < 200, "the copy never reached its revision");
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        child.kill().expect("SIGKILL");
        child.wait().expect("reaped");
        drop(holder);
        let out = start(&db, None).wait_with_output().expect("wait");
        assert!(out.status.success(), "{dialect}: {}", text(&out));
        let all = release(dialect, usize::MAX, &[])
            .versions()
            .expect("versions");
        let wanted: Vec<String> = all.iter().map(i64::to_string).collect();
        assert_eq!(db.sqlx_versions().await, wanted, "{dialect}");
        assert!(text(&out).contains("applied"), "{}", text(&out));
    }
}

/// sqlx's own `Migrator` (what `sqlx::migrate!()` and `sqlx migrate run` run) applies the
/// history autogen wrote, its online stage included, over a populated table, and reverts it:
/// each statement that refuses a transaction block is alone in its file, since sqlx sends a
/// `-- no-transaction` file as one query.
#[tokio::test]
async fn sqlx_s_own_runner_applies_and_reverts_the_history_with_its_online_stage() {
    for dialect in ALL {
        let Some(db) = TestDb::new(dialect, "startupsqlx").await else {
            return;
        };
        let dir = migrations_dir(dialect);
        let first = first_release(dialect);
        let run = async |dir: &Path| {
            let migrator = sqlx::migrate::Migrator::new(dir).await.expect("resolve");
            let result = match db.connect().await.pool() {
                autogen_runtime::Pool::Postgres(p) => migrator.run(p).await,
                autogen_runtime::Pool::MySql(p) => migrator.run(p).await,
                autogen_runtime::Pool::Sqlite(p) => migrator.run(p).await,
            };
            result.unwrap_or_else(|e| panic!("{dialect}: sqlx's Migrator: {e}"));
            migrator
        };
        run(first.path()).await;
        db.execute("INSERT INTO student (name) VALUES ('a'), ('b'), ('c')")
            .await;
        let migrator = run(&dir).await;
        let all = release(dialect, usize::MAX, &[])
            .versions()
            .expect("versions");
        let wanted: Vec<String> = all.iter().map(i64::to_string).collect();
        assert_eq!(db.sqlx_versions().await, wanted, "{dialect}");
        let email = match dialect {
            Dialect::Postgres => {
                "SELECT column_name::text FROM information_schema.columns WHERE table_name = 'student' AND column_name = 'email'"
            }
            Dialect::MySql => {
                "SELECT CAST(column_name AS CHAR) FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'student' AND column_name = 'email'"
            }
            Dialect::Sqlite => "SELECT name FROM pragma_table_info('student') WHERE name = 'email'",
        };
        assert_eq!(db.strings(email).await, ["email"], "{dialect}");
        // The runtime accepts what sqlx applied (same table, same checksums).
        let out = start(&db, None).wait_with_output().expect("wait");
        assert!(
            out.status.success() && text(&out).contains("3 students"),
            "{}",
            text(&out)
        );
        // And sqlx reverts it, down to the first revision.
        let undo = match db.connect().await.pool() {
            autogen_runtime::Pool::Postgres(p) => migrator.undo(p, all[0]).await,
            autogen_runtime::Pool::MySql(p) => migrator.undo(p, all[0]).await,
            autogen_runtime::Pool::Sqlite(p) => migrator.undo(p, all[0]).await,
        };
        undo.unwrap_or_else(|e| panic!("{dialect}: sqlx's undo: {e}"));
        assert_eq!(db.sqlx_versions().await, [wanted[0].clone()], "{dialect}");
        assert!(db.strings(email).await.is_empty(), "{dialect}");
    }
}

/// sqlx's command line, found as `$SQLX_CLI` or `sqlx` on the path (`.ci/run` installs it).
/// `None` outside CI when it is not installed (the test then says so and returns).
fn sqlx_cli() -> Option<std::path::PathBuf> {
    let program = std::env::var_os("SQLX_CLI").unwrap_or_else(|| "sqlx".into());
    match Command::new(&program).arg("--version").output() {
        Ok(out) if out.status.success() => Some(program.into()),
        _ if std::env::var_os("CI").is_some() => {
            panic!("sqlx-cli is not installed (`.ci/run` installs it)")
        }
        _ => {
            eprintln!("\n*** SKIPPING: sqlx-cli is not installed (cargo install sqlx-cli) ***\n");
            None
        }
    }
}

/// `sqlx migrate run` and `sqlx migrate revert`, sqlx's command line, apply and revert on a
/// populated PostgreSQL table the history autogen wrote, its online stage included.
#[tokio::test]
async fn sqlx_migrate_run_applies_and_reverts_the_history_with_its_online_stage() {
    let Some(sqlx) = sqlx_cli() else {
        return;
    };
    let Some(db) = TestDb::new(Dialect::Postgres, "sqlxcli").await else {
        return;
    };
    let dir = migrations_dir(Dialect::Postgres);
    let all = release(Dialect::Postgres, usize::MAX, &[])
        .versions()
        .expect("versions");
    let first = first_release(Dialect::Postgres);
    let migrate = |args: &[&str], source: &Path| {
        let out = Command::new(&sqlx)
            .arg("migrate")
            .args(args)
            .arg("--source")
            .arg(source)
            .arg("--database-url")
            .arg(&db.url)
            .output()
            .expect("run sqlx");
        assert!(
            out.status.success(),
            "sqlx migrate {args:?}: {}",
            text(&out)
        );
    };
    migrate(&["run"], first.path());
    db.execute("INSERT INTO student (name) VALUES ('a'), ('b'), ('c')")
        .await;
    migrate(&["run"], &dir);
    let wanted: Vec<String> = all.iter().map(i64::to_string).collect();
    assert_eq!(db.sqlx_versions().await, wanted);
    let email = "SELECT indexname::text FROM pg_indexes WHERE tablename = 'student' AND indexdef LIKE '%(email)%'";
    assert!(
        !db.strings(email).await.is_empty(),
        "the online stage's index"
    );
    let valid = "SELECT count(*)::text FROM pg_index WHERE NOT indisvalid";
    assert_eq!(db.strings(valid).await, ["0"]);
    let first_version = all[0].to_string();
    migrate(&["revert", "--target-version", &first_version], &dir);
    assert_eq!(db.sqlx_versions().await, [first_version]);
    assert!(db.strings(email).await.is_empty());
}

/// An application that embeds another dialect's history (the example's PostgreSQL directory
/// against its SQLite database) is refused before anything runs: the revision and both dialects
/// named.
#[tokio::test]
async fn a_history_of_another_dialect_is_refused_at_startup() {
    let Some(db) = TestDb::new(Dialect::Sqlite, "startupdialect").await else {
        return;
    };
    let pg = release(Dialect::Postgres, usize::MAX, &[]);
    let first = pg.versions().expect("versions")[0].to_string();
    let refused = Runtime::new(pg)
        .run(db.connect().await.pool().clone())
        .await
        .expect_err("another dialect's history");
    assert!(
        matches!(&refused, RuntimeError::OtherDialect { id, written_for, database, .. }
            if *id == first && written_for == "postgres" && database == "sqlite"),
        "{refused}"
    );
    assert!(refused.to_string().contains("nothing was run"), "{refused}");
    assert!(!db.has_table("_sqlx_migrations").await);
}

/// The histories checked in are what `autogen -m` writes for the example's entities: each file
/// names the dialect it was written for, and `check --dev-url` (every revision applied, rolled
/// back and applied again on a scratch database) finds the entities in sync with them.
#[tokio::test]
async fn the_checked_in_migrations_are_what_autogen_writes_for_the_entities() {
    let entities = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/entities");
    for dialect in ALL {
        let Some(db) = TestDb::new(dialect, "startupsync").await else {
            return;
        };
        let dir = migrations_dir(dialect);
        for entry in std::fs::read_dir(&dir).expect("migrations dir") {
            let path = entry.expect("entry").path();
            let text = std::fs::read_to_string(&path).expect("read");
            let line = format!("-- autogen dialect: {} (planned on ", dialect.sql().name());
            assert!(text.contains(&line), "{}: {text}", path.display());
        }
        let run = autogen_tests::autogen(&[
            "--database-url",
            &db.url,
            "--models",
            &entities.display().to_string(),
            "--migrations",
            &dir.display().to_string(),
            "check",
            "--dev-url",
            &autogen_tests::dev_url(dialect),
        ])
        .await;
        assert_eq!(
            run.outcome,
            autogen_cli::Outcome::Success,
            "{dialect}: {}{}",
            run.stdout,
            run.stderr
        );
        assert!(run.stdout.contains("in sync"), "{}", run.stdout);
    }
}
