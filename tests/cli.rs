//! The command line's behaviours, one test each, against real databases.

use autogen_cli::Outcome;
use autogen_schema::Dialect;
use autogen_tests::{DIALECTS, Project, school};

fn models(v: u32) -> String {
    school(v).display().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn autogenerate_refuses_when_the_database_is_not_at_head() {
    for dialect in DIALECTS {
        let Some(p) = Project::new(dialect, "sql", "not_at_head").await else {
            continue;
        };
        p.ok(&["--models", &models(1), "-m", "one"]).await;
        let run = p.autogen(&["--models", &models(2), "-m", "two"]).await;
        assert_eq!(run.outcome, Outcome::Error);
        assert!(
            run.stderr.contains("not at head") && run.stderr.contains("upgrade head"),
            "{}",
            run.stderr
        );
        assert_eq!(p.files().len(), 2, "nothing written");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn check_exits_1_with_a_readable_diff_on_drift() {
    for dialect in DIALECTS {
        let Some(p) = Project::new(dialect, "sql", "check").await else {
            continue;
        };
        // Pending revision: drift between migrations and database.
        p.ok(&["--models", &models(1), "-m", "one"]).await;
        let run = p.autogen(&["--models", &models(1), "check"]).await;
        assert_eq!(run.outcome, Outcome::Drift);
        assert!(run.stdout.contains("pending revisions"), "{}", run.stdout);
        // At head, models moved on: drift between models and database.
        p.ok(&["upgrade", "head"]).await;
        let run = p.autogen(&["--models", &models(3), "check"]).await;
        assert_eq!(run.outcome, Outcome::Drift);
        assert!(run.stdout.contains("+ create table fees"), "{}", run.stdout);
        // In sync.
        assert_eq!(
            p.autogen(&["--models", &models(1), "check"]).await.outcome,
            Outcome::Success
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn revision_without_autogenerate_writes_an_empty_migration_to_fill_by_hand() {
    let Some(p) = Project::new(Dialect::Sqlite, "sql", "empty_revision").await else {
        return;
    };
    p.ok(&["--models", &models(1), "-m", "initial"]).await;
    p.ok(&["revision", "-m", "backfill emails"]).await;
    let files = p.files();
    assert_eq!(files.len(), 4);
    let up = std::fs::read_to_string(
        files
            .iter()
            .find(|f| f.to_string_lossy().ends_with("backfill_emails.up.sql"))
            .unwrap(),
    )
    .unwrap();
    assert!(up.contains("-- autogen message: backfill emails"), "{up}");
    // Its parent is the first revision, and it applies (it is empty).
    p.ok(&["upgrade", "head"]).await;
    let history = p.ok(&["history"]).await;
    assert_eq!(history.lines().count(), 2, "{history}");
    assert!(!history.contains("pending"), "{history}");
}

#[tokio::test(flavor = "multi_thread")]
async fn relative_targets_beyond_the_ends_are_errors_that_change_nothing() {
    let Some(p) = Project::new(Dialect::Sqlite, "sql", "targets").await else {
        return;
    };
    p.ok(&["--models", &models(1), "-m", "one"]).await;
    let run = p.autogen(&["upgrade", "+5"]).await;
    assert_eq!(run.outcome, Outcome::Error);
    assert!(
        run.stderr.contains("only 1 revision(s) pending"),
        "{}",
        run.stderr
    );
    assert!(p.db.introspect().await.tables.is_empty());
    p.ok(&["upgrade", "+1"]).await;
    let run = p.autogen(&["downgrade", "-9"]).await;
    assert_eq!(run.outcome, Outcome::Error);
    assert!(
        run.stderr.contains("only 1 revision(s) applied"),
        "{}",
        run.stderr
    );
    assert!(p.db.introspect().await.tables.contains_key("students"));
}

#[tokio::test(flavor = "multi_thread")]
async fn entity_errors_name_file_line_and_column() {
    let Some(p) = Project::new(Dialect::Sqlite, "sql", "model_error").await else {
        return;
    };
    let models = p.dir.path().join("entity");
    std::fs::create_dir_all(&models).unwrap();
    std::fs::write(
        models.join("thing.rs"),
        "#[derive(DeriveEntityModel)]\n#[sea_orm(table_name = \"thing\")]\npub struct Model {\n    #[sea_orm(primary_key)]\n    pub id: i32,\n    pub blob: Mystery,\n}\n",
    )
    .unwrap();
    let run = p
        .autogen(&["--models", &models.display().to_string(), "-m", "x"])
        .await;
    assert_eq!(run.outcome, Outcome::Error);
    let expected = format!(
        "error: {}:6:9: type `Mystery`",
        models.join("thing.rs").display()
    );
    assert!(run.stderr.starts_with(&expected), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn init_writes_config_and_a_sea_orm_migration_crate() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("autogen.toml");
    let url = format!("sqlite://{}", dir.path().join("app.db").display());
    let argv = [
        "autogen",
        "-c",
        &config.display().to_string(),
        "--database-url",
        &url,
        "init",
        "--format",
        "rust",
    ];
    let (mut out, mut err) = (Vec::new(), Vec::new());
    assert_eq!(
        autogen_cli::run(argv, &mut out, &mut err).await,
        Outcome::Success
    );
    let toml = std::fs::read_to_string(&config).unwrap();
    assert!(
        toml.contains("format = \"rust\"") && toml.contains("${DATABASE_URL}"),
        "{toml}"
    );
    let cargo = std::fs::read_to_string(dir.path().join("migrations/Cargo.toml")).unwrap();
    assert!(
        cargo.contains("sea-orm-migration") && cargo.contains("sqlx-sqlite"),
        "{cargo}"
    );
    assert!(dir.path().join("migrations/src/main.rs").exists());
    assert!(
        std::fs::read_to_string(dir.path().join("migrations/src/lib.rs"))
            .unwrap()
            .contains("impl MigratorTrait for Migrator")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn database_url_comes_from_the_environment_through_interpolation() {
    // A variable only this test sets, so parallel tests cannot race on it.
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("autogen.toml");
    std::fs::write(
        &config,
        "database_url = \"${AUTOGEN_TEST_UNSET_VARIABLE}\"\n",
    )
    .unwrap();
    let argv = ["autogen", "-c", &config.display().to_string(), "current"];
    let (mut out, mut err) = (Vec::new(), Vec::new());
    assert_eq!(
        autogen_cli::run(argv, &mut out, &mut err).await,
        Outcome::Error
    );
    let err = String::from_utf8(err).unwrap();
    assert!(
        err.contains("AUTOGEN_TEST_UNSET_VARIABLE is not set"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn passwords_never_appear_in_errors() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("autogen.toml");
    // Nothing listens on port 1.
    let argv = [
        "autogen",
        "-c",
        &config.display().to_string(),
        "--database-url",
        "postgres://someone:hunter2@127.0.0.1:1/db",
        "current",
    ];
    let (mut out, mut err) = (Vec::new(), Vec::new());
    assert_eq!(
        autogen_cli::run(argv, &mut out, &mut err).await,
        Outcome::Error
    );
    let err = String::from_utf8(err).unwrap();
    assert!(err.contains("someone:***@127.0.0.1:1/db"), "{err}");
    assert!(!err.contains("hunter2"), "{err}");
}
