//! The school fixture, step by step, on every dialect and in both formats: autogenerate,
//! snapshot the files, apply, autogenerate again (no changes), downgrade (previous catalog
//! exactly), upgrade again; rows survive every non-destructive step both ways.

use autogen_cli::Outcome;
use autogen_schema::Dialect;
use autogen_tests::{Project, TestDb, redact_revisions, school};

const STEPS: [&str; 5] = autogen_tests::SCHOOL_STEPS;

/// `a:b:c` from columns, as each dialect concatenates text.
fn joined(dialect: Dialect, columns: &[&str]) -> String {
    let (cast, sep) = match dialect {
        Dialect::MySql => ("CHAR", ", ':', "),
        _ => ("TEXT", " || ':' || "),
    };
    let parts: Vec<String> = columns
        .iter()
        .map(|c| format!("CAST({c} AS {cast})"))
        .collect();
    match dialect {
        Dialect::MySql => format!("CONCAT({})", parts.join(sep)),
        _ => parts.join(sep),
    }
}

/// Students and fees as text, for comparing before and after a migration.
async fn rows(db: &TestDb, step: u32) -> (Vec<String>, Vec<String>) {
    if step == 0 {
        return (Vec::new(), Vec::new());
    }
    let name = if step >= 5 { "full_name" } else { "name" };
    let students = db
        .strings(&format!(
            "SELECT {} FROM students ORDER BY id",
            joined(db.dialect, &["id", name, "email"])
        ))
        .await;
    let fees = if step >= 2 {
        db.strings(&format!(
            "SELECT {} FROM fees ORDER BY id",
            joined(
                db.dialect,
                &["id", "student_id", "amount", "status", "due_date"]
            )
        ))
        .await
    } else {
        Vec::new()
    };
    (students, fees)
}

async fn seed(db: &TestDb, step: u32) {
    let name = if step >= 5 { "full_name" } else { "name" };
    db.execute(&format!(
        "INSERT INTO students ({name}, email) VALUES ('Ada {step}', 'ada{step}@example.com')"
    ))
    .await;
    if step >= 2 {
        db.execute(&format!(
            "INSERT INTO fees (student_id, amount, due_date) VALUES (1, 12.50, '2026-0{step}-15')"
        ))
        .await;
    }
}

async fn round_trip(dialect: Dialect, format: &str) {
    let Some(p) = Project::new(dialect, format, &format!("school_{format}")).await else {
        return;
    };
    let mut catalogs = vec![p.db.introspect().await];
    for (i, message) in STEPS.iter().enumerate() {
        let step = i as u32 + 1;
        let models = school(step).display().to_string();
        let before_files = p.files();

        let mut args = vec!["--models", models.as_str(), "-m", message];
        // MySQL copies the table to reorder an enum's values: online refuses that unless the
        // revision allows it, with its reason in the header.
        if dialect == Dialect::MySql && step == 4 {
            let refused = p.autogen(&args).await;
            assert_eq!(refused.outcome, Outcome::Denied, "{}", refused.stdout);
            assert!(
                refused.stdout.contains("[AG307 table-copy]"),
                "{}",
                refused.stdout
            );
            args.extend([
                "--allow",
                "AG307=fees is small; the copy takes milliseconds",
            ]);
        }
        let out = p.ok(&args).await;
        let new_files: Vec<_> = p
            .files()
            .into_iter()
            .filter(|f| !before_files.contains(f))
            .collect();
        // SQLite stores no enum types: adding an enum value changes nothing there.
        if dialect == Dialect::Sqlite && step == 4 {
            assert!(out.contains("No changes detected"), "{out}");
            assert!(
                new_files.is_empty(),
                "no changes must write nothing: {new_files:?}"
            );
            catalogs.push(catalogs[i].clone());
            continue;
        }
        assert!(!new_files.is_empty(), "step {step} wrote nothing:\n{out}");
        let mut kinds = std::collections::BTreeSet::new();
        for f in &new_files {
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            let kind = ["up.sql", "down.sql", "rs"]
                .into_iter()
                .find(|k| name.ends_with(k))
                .unwrap();
            // One snapshot per kind and step (and part, where a step is split so that each
            // statement refusing a transaction is alone in its file): two files of a kind
            // would overwrite each other.
            let part = name
                .split_once("_of_")
                .and_then(|(head, _)| head.rsplit('_').next())
                .map(|n| format!("part{n}_"))
                .unwrap_or_default();
            let kind_part = format!("{part}{kind}");
            assert!(
                kinds.insert(kind_part.clone()),
                "step {step} wrote two {kind} files: {new_files:?}"
            );
            let text = redact_revisions(&std::fs::read_to_string(f).unwrap());
            // Before PostgreSQL 12 an enum value is added outside a transaction: step 4 is
            // written differently there (`cargo xtask pg-matrix` runs it on 11).
            let era = match (dialect, step) {
                (Dialect::Postgres, 4) if !p.db.profile().await.at_least(12, 0) => "_before_12",
                _ => "",
            };
            insta::assert_snapshot!(format!("{dialect}{era}_{format}_v{step}_{kind_part}"), text);
        }

        let before = rows(&p.db, step - 1).await;
        p.ok(&["--models", &models, "upgrade", "head"]).await;
        catalogs.push(p.db.introspect().await);
        let after_up = rows(&p.db, step).await;
        if step != 5 {
            assert_eq!(after_up, before, "rows changed by step {step}'s upgrade");
        } else {
            // The rename keeps the names under the new column.
            assert_eq!(after_up.0, before.0);
        }

        // Autogenerate again: nothing to do, nothing written.
        let files = p.files();
        let again = p.ok(&["--models", &models, "-m", "again"]).await;
        assert!(
            again.contains("No changes detected"),
            "spurious diff after step {step}:\n{again}"
        );
        assert_eq!(p.files(), files);
        let check = p.ok(&["--models", &models, "check"]).await;
        assert!(check.contains("No changes detected"), "{check}");

        seed(&p.db, step).await;
        let seeded = rows(&p.db, step).await;

        // Down: the previous catalog, exactly; the rows with it.
        p.ok(&["downgrade", "-1"]).await;
        assert_eq!(
            p.db.introspect().await,
            catalogs[i],
            "downgrade of step {step} did not restore the catalog"
        );
        let after_down = rows(&p.db, step - 1).await;
        // Steps 1 and 2 create tables, so their downgrades drop those rows by design.
        if step >= 2 {
            assert_eq!(
                after_down.0, seeded.0,
                "students changed by step {step}'s downgrade"
            );
        }
        if step >= 3 {
            assert_eq!(
                after_down.1, seeded.1,
                "fees changed by step {step}'s downgrade"
            );
        }

        // And up again.
        p.ok(&["upgrade", "+1"]).await;
        assert_eq!(p.db.introspect().await, catalogs[step as usize]);
        let current = p.ok(&["current"]).await;
        assert!(current.contains("(head)"), "{current}");
    }

    // A migration written by hand builds, applies and reverts like the rest. In Rust, the
    // data-migration template reads `-x batch_size=N`; this one shows the value it got.
    p.ok(&["revision", "-m", "hand written"]).await;
    if format == "rust" {
        let file = p
            .files()
            .into_iter()
            .find(|f| f.to_string_lossy().contains("hand_written"))
            .unwrap();
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.contains("AUTOGEN_X_BATCH_SIZE"), "{text}");
        let text = text
            .replacen(
                "let db = manager.get_connection();",
                "let db = manager.get_connection();\n        db.execute_unprepared(&format!(\"CREATE TABLE batch_{batch_size} (id integer)\")).await?;",
                1,
            )
            .replacen("let _ = manager;", "manager.get_connection().execute_unprepared(\"DROP TABLE batch_7\").await?;", 1);
        std::fs::write(&file, text).unwrap();
        p.ok(&["upgrade", "head", "-x", "batch_size=7"]).await;
        assert!(p.db.introspect().await.tables.contains_key("batch_7"));
    } else {
        let run = p.autogen(&["upgrade", "head", "-x", "batch_size=7"]).await;
        assert!(
            run.stderr.contains("SQL migrations take no arguments"),
            "{}",
            run.stderr
        );
        p.ok(&["upgrade", "head"]).await;
        assert_eq!(&p.db.introspect().await, catalogs.last().unwrap());
    }
    p.ok(&["downgrade", "-1"]).await;
    assert_eq!(&p.db.introspect().await, catalogs.last().unwrap());
    let hand_written = p
        .files()
        .into_iter()
        .filter(|f| f.to_string_lossy().contains("hand_written"));
    hand_written.for_each(|f| std::fs::remove_file(f).unwrap());
    if format == "rust" {
        // autogen owns lib.rs and rewrites it from the migration files; so does this test.
        let dir = autogen_migrate::MigrationsDir::load(&p.migrations(), p.format).unwrap();
        dir.write_rust_lib().unwrap();
    }

    let history = p.ok(&["history"]).await;
    assert!(history.starts_with("base -> "), "{history}");
    assert!(!history.contains("pending"), "{history}");

    if format == "sql" {
        sqlx_oracle(dialect, &p, catalogs.last().unwrap()).await;
    } else {
        rust_history_checks(dialect, &p, catalogs.last().unwrap()).await;
    }
    // Every step, seeded, in this format: rows survive each up and down and the cycle.
    let last = school(STEPS.len() as u32).display().to_string();
    let dev = autogen_tests::dev_url(dialect);
    let seeded = p
        .autogen(&[
            "--models",
            &last,
            "check",
            "--dev-url",
            &dev,
            "--seed",
            "5",
            "--random-seed",
            "20261207",
        ])
        .await;
    assert_eq!(
        seeded.outcome,
        Outcome::Success,
        "{dialect} {format}: {}{}",
        seeded.stdout,
        seeded.stderr
    );
    assert!(
        !seeded.stdout.contains("seeded rows inserted"),
        "{dialect} {format}: a table was not seeded fully:\n{}",
        seeded.stdout
    );
    p.ok(&["downgrade", "base"]).await;
    assert_eq!(p.db.introspect().await, catalogs[0]);
}

/// Rust revisions: the crate is rustfmt-clean; formatting an applied revision (or commenting it)
/// leaves it as applied, while changing its code is caught by its checksum; and the offline
/// script (the `execute_unprepared` SQL plus sea-orm-migration's history rows) builds the same
/// database.
async fn rust_history_checks(dialect: Dialect, p: &Project, head: &autogen_schema::Schema) {
    let manifest = p.migrations().join("Cargo.toml");
    let fmt = std::process::Command::new("cargo")
        .args(["fmt", "--check", "--manifest-path"])
        .arg(&manifest)
        .output()
        .expect("cargo fmt");
    assert!(
        fmt.status.success(),
        "generated crate is not rustfmt-clean:\n{}",
        String::from_utf8_lossy(&fmt.stdout)
    );
    let first = p.files()[0].clone();
    let text = std::fs::read_to_string(&first).unwrap();
    std::fs::write(&first, format!("{text}// a reviewer's note\n")).unwrap();
    let narrow = std::process::Command::new("rustfmt")
        .args([
            "--edition",
            "2024",
            "--config",
            "max_width=60,hard_tabs=true",
        ])
        .arg(&first)
        .status()
        .expect("rustfmt");
    assert!(narrow.success());
    assert_ne!(
        std::fs::read_to_string(&first).unwrap(),
        text,
        "reformatted"
    );
    p.ok(&["current"]).await;
    std::fs::write(&first, text.replacen("CREATE TABLE", "CREATE  TABLE", 1)).unwrap();
    let run = p.autogen(&["current"]).await;
    assert!(
        run.stderr.contains("was edited after it was applied"),
        "{}",
        run.stderr
    );
    std::fs::write(&first, text).unwrap();
    p.ok(&["current"]).await;

    let script = p.ok(&["upgrade", "--sql", "head"]).await;
    assert!(script.contains("INSERT INTO seaql_migrations"), "{script}");
    let Some(fresh) = TestDb::new(dialect, "school_rust_offline").await else {
        return;
    };
    // Run as the database's own client runs a script (`psql -f`, `mariadb <`, `sqlite3`): a
    // statement at a time, so a revision outside a transaction is outside one.
    autogen_tests::run_client(&fresh, &script);
    assert_eq!(&fresh.introspect().await, head);
    let current = p.ok(&["--database-url", &fresh.url, "current"]).await;
    assert!(current.contains("(head)"), "{current}");
}

/// sqlx's own Migrator, which autogen did not write, sees autogen's history as its own, and
/// applies and reverts the directory on a fresh database.
async fn sqlx_oracle(dialect: Dialect, p: &Project, head: &autogen_schema::Schema) {
    use autogen_db::{Db, Pool};
    let migrator = sqlx::migrate::Migrator::new(p.migrations())
        .await
        .expect("sqlx resolves the directory");
    async fn run(
        migrator: &sqlx::migrate::Migrator,
        db: &Db,
    ) -> Result<(), sqlx::migrate::MigrateError> {
        match db.pool() {
            Pool::Postgres(pool) => migrator.run(pool).await,
            Pool::Sqlite(pool) => migrator.run(pool).await,
            Pool::MySql(pool) => migrator.run(pool).await,
        }
    }
    run(&migrator, p.db.connect().await)
        .await
        .expect("sqlx accepts the history autogen recorded (same checksums, nothing pending)");
    assert_eq!(
        &p.db.introspect().await,
        head,
        "sqlx found nothing left to apply"
    );

    let Some(fresh) = TestDb::new(dialect, "school_sqlx_oracle").await else {
        return;
    };
    let db = fresh.connect().await;
    run(&migrator, db)
        .await
        .expect("sqlx applies autogen's migrations");
    assert_eq!(&fresh.introspect().await, head);
    match db.pool() {
        Pool::Postgres(pool) => migrator.undo(pool, 0).await,
        Pool::Sqlite(pool) => migrator.undo(pool, 0).await,
        Pool::MySql(pool) => migrator.undo(pool, 0).await,
    }
    .expect("sqlx reverts autogen's migrations");
    assert!(fresh.introspect().await.tables.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn school_sql_sqlite() {
    round_trip(Dialect::Sqlite, "sql").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn school_sql_postgres() {
    round_trip(Dialect::Postgres, "sql").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn school_sql_mysql() {
    round_trip(Dialect::MySql, "sql").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn school_rust_sqlite() {
    round_trip(Dialect::Sqlite, "rust").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn school_rust_mysql() {
    round_trip(Dialect::MySql, "rust").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn school_rust_postgres() {
    round_trip(Dialect::Postgres, "rust").await;
}
