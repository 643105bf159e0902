//! The command line's behaviours, one test each, against real databases.

use autogen_cli::Outcome;
use autogen_schema::Dialect;
use autogen_tests::{DIALECTS, Project, autogen, school};

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
        run.stderr.contains("only 1 change(s) pending"),
        "{}",
        run.stderr
    );
    assert!(p.db.introspect().await.tables.is_empty());
    p.ok(&["upgrade", "+1"]).await;
    let run = p.autogen(&["downgrade", "-9"]).await;
    assert_eq!(run.outcome, Outcome::Error);
    assert!(
        run.stderr.contains("only 1 change(s) applied"),
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
    // The error, after the line naming the database it would have acted on.
    let error = run.stderr.lines().find(|l| l.starts_with("error:"));
    assert!(
        error.is_some_and(|e| e.starts_with(&expected)),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn init_writes_config_and_a_sea_orm_migration_crate() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("autogen.toml");
    let url = format!("sqlite://{}", dir.path().join("app.db").display());
    let run = autogen(&[
        "-c",
        &config.display().to_string(),
        "--database-url",
        &url,
        "init",
        "--format",
        "rust",
    ])
    .await;
    assert_eq!(run.outcome, Outcome::Success);
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

/// `init` without `--format` keeps the configuration's; a migrations directory of the other
/// format is an error, not an empty history that `upgrade` finds nothing in.
#[tokio::test(flavor = "multi_thread")]
async fn init_follows_the_configured_format_and_a_mismatch_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("autogen.toml");
    let url = format!("sqlite://{}", dir.path().join("app.db").display());
    std::fs::write(
        &config,
        format!("database_url = \"{url}\"\nformat = \"rust\"\n"),
    )
    .unwrap();
    let config = config.display().to_string();
    let run = autogen(&["-c", &config, "init"]).await;
    assert_eq!(run.outcome, Outcome::Success, "{}", run.stderr);
    assert!(dir.path().join("migrations/Cargo.toml").exists());
    std::fs::write(
        dir.path().join("autogen.toml"),
        format!("database_url = \"{url}\"\nformat = \"sql\"\n"),
    )
    .unwrap();
    let run = autogen(&["-c", &config, "upgrade", "head"]).await;
    assert_eq!(run.outcome, Outcome::Error, "{}", run.stdout);
    assert!(
        run.stderr.contains("holds rust migrations") && run.stderr.contains("format = \"sql\""),
        "{}",
        run.stderr
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
    let run = autogen(&["-c", &config.display().to_string(), "current"]).await;
    assert_eq!(run.outcome, Outcome::Error);
    let err = run.stderr;
    assert!(
        err.contains("AUTOGEN_TEST_UNSET_VARIABLE is not set"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn passwords_never_appear_in_errors() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("autogen.toml");
    std::fs::write(&config, "").unwrap();
    // Nothing listens on port 1.
    let run = autogen(&[
        "-c",
        &config.display().to_string(),
        "--database-url",
        "postgres://someone:hunter2@127.0.0.1:1/db?sslmode=disable&password=hunter3",
        "current",
    ])
    .await;
    assert_eq!(run.outcome, Outcome::Error);
    let err = run.stderr;
    assert!(
        err.contains("someone:***@127.0.0.1:1/db?sslmode=disable&password=***"),
        "{err}"
    );
    assert!(
        !err.contains("hunter2") && !err.contains("hunter3"),
        "{err}"
    );
    // Refused at once, with its cause, not after a pool's timeout.
    assert!(err.contains("connection refused"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn dotenv_supplies_database_url_and_file_template_names_files() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("from_dotenv.db");
    // Only this test relies on DATABASE_URL; every other test names its database explicitly.
    std::fs::write(
        dir.path().join(".env"),
        format!("DATABASE_URL=sqlite://{}\n", db.display()),
    )
    .unwrap();
    let config = dir.path().join("autogen.toml");
    std::fs::write(
        &config,
        format!(
            "models = \"{}\"\nmigrations = \"m\"\nfile_template = \"{{year}}_{{slug}}\"\n",
            school(1).display()
        ),
    )
    .unwrap();
    let run = autogen(&["-c", &config.display().to_string(), "-m", "Initial schema"]).await;
    assert_eq!(run.outcome, Outcome::Success, "{}", run.stderr);
    let names: Vec<String> = std::fs::read_dir(dir.path().join("m"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let year = &names[0][..4];
    assert!(
        names
            .iter()
            .any(|n| n.ends_with(&format!("_{year}_initial_schema.up.sql"))),
        "{names:?}"
    );
    assert!(!db.exists(), "autogenerate only reads the database");
    let run = autogen(&["-c", &config.display().to_string(), "upgrade", "head"]).await;
    assert_eq!(run.outcome, Outcome::Success, "{}", run.stderr);
    assert!(db.exists(), "the database named in .env was used");
}

#[tokio::test(flavor = "multi_thread")]
async fn upgrade_and_downgrade_take_revision_ids_and_unique_prefixes() {
    let Some(p) = Project::new(Dialect::Sqlite, "sql", "revision_targets").await else {
        return;
    };
    p.ok(&["--models", &models(1), "-m", "one"]).await;
    p.ok(&["upgrade", "head"]).await;
    p.ok(&["--models", &models(2), "-m", "two"]).await;
    p.ok(&["upgrade", "head"]).await;
    p.ok(&["--models", &models(3), "-m", "three"]).await;
    let ids: Vec<String> = p
        .ok(&["history"])
        .await
        .lines()
        .map(|l| l.split_whitespace().nth(2).unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 3);
    // Down to the first revision by its full id: the second is reverted, the first stays.
    p.ok(&["downgrade", &ids[0]]).await;
    assert!(p.ok(&["current"]).await.starts_with(&ids[0]));
    // Up to the third by a prefix unique to it (ids are consecutive numbers).
    let prefix = &ids[2][..ids[2].len() - 1];
    let ambiguous = ids.iter().filter(|i| i.starts_with(prefix)).count() > 1;
    let target = if ambiguous { ids[2].as_str() } else { prefix };
    p.ok(&["upgrade", target]).await;
    assert!(p.ok(&["current"]).await.contains("(head)"));
    let run = p.autogen(&["upgrade", "nope"]).await;
    assert_eq!(run.outcome, Outcome::Error);
    assert!(
        run.stderr.contains("no revision matches nope"),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn diff_prints_the_plan_as_text_or_json_and_writes_nothing() {
    let Some(p) = Project::new(Dialect::Postgres, "sql", "diff_json").await else {
        return;
    };
    let text = p.ok(&["--models", &models(2), "diff"]).await;
    assert!(
        text.contains("+ create enum fee_status (pending, paid, overdue)"),
        "{text}"
    );
    assert!(text.contains("Down migration:"), "{text}");
    let json = p.ok(&["--models", &models(2), "diff", "--json"]).await;
    assert!(json.contains("\"op\": \"create_table\""), "{json}");
    assert!(json.contains("\"dialect\": \"postgres\""), "{json}");
    assert!(p.files().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_sqlite_database_is_created_with_its_directory_by_upgrade_only() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("autogen.toml");
    std::fs::write(&config, "").unwrap();
    let url = format!("sqlite://{}", dir.path().join("not/yet/there.db").display());
    let migrations = dir.path().join("migrations").display().to_string();
    let config = config.display().to_string();
    let args = |rest: &[&'static str]| {
        let mut v = vec!["-c", config.as_str(), "--database-url", url.as_str()];
        v.extend(["--migrations", migrations.as_str()]);
        v.extend(rest);
        v.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };
    let run = |a: Vec<String>| async move {
        let refs: Vec<&str> = a.iter().map(String::as_str).collect();
        autogen(&refs).await
    };
    let models = models(1);
    let mut gen_args = args(&["-m", "initial"]);
    gen_args.extend(["--models".to_string(), models]);
    let generated = run(gen_args).await;
    assert_eq!(generated.outcome, Outcome::Success, "{}", generated.stderr);
    assert!(generated.stdout.contains("+ create table students"));
    for read_only in [&["current"][..], &["history"], &["downgrade", "base"]] {
        let r = run(args(read_only)).await;
        assert_eq!(r.outcome, Outcome::Success, "{read_only:?}: {}", r.stderr);
        assert!(
            !dir.path().join("not").exists(),
            "{read_only:?} made the database"
        );
    }
    let applied = run(args(&["upgrade", "head"])).await;
    assert_eq!(applied.outcome, Outcome::Success, "{}", applied.stderr);
    assert!(dir.path().join("not/yet/there.db").exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn excluded_tables_are_left_alone() {
    let Some(p) = Project::new(Dialect::Sqlite, "sql", "exclude").await else {
        return;
    };
    p.ok(&["--models", &models(1), "-m", "one"]).await;
    p.ok(&["upgrade", "head"]).await;
    p.db.execute("CREATE TABLE legacy_audit (id integer PRIMARY KEY)")
        .await;
    // Unmanaged, the foreign table is drift that autogenerate would drop.
    let run = p.autogen(&["--models", &models(1), "check"]).await;
    assert_eq!(run.outcome, Outcome::Drift);
    assert!(
        run.stdout.contains("- drop table legacy_audit"),
        "{}",
        run.stdout
    );
    // Excluded, it is not autogen's business.
    let config = std::fs::read_to_string(p.config()).unwrap();
    std::fs::write(
        p.config(),
        format!("{config}exclude_tables = [\"legacy_*\"]\n"),
    )
    .unwrap();
    let check = p.ok(&["--models", &models(1), "check"]).await;
    assert!(check.contains("No changes detected"), "{check}");
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_connections_can_require_tls() {
    let Some(p) = Project::new(Dialect::Postgres, "sql", "tls").await else {
        return;
    };
    let url = p.db.url.replace("sslmode=disable", "sslmode=require");
    assert!(url.contains("sslmode=require"));
    let run = p.autogen(&["--database-url", &url, "current"]).await;
    if run.stderr.contains("does not support TLS") || run.stderr.contains("not support SSL") {
        eprintln!("\n*** SKIPPING: this PostgreSQL server has TLS off ***\n");
        return;
    }
    assert_eq!(run.outcome, Outcome::Success, "{}", run.stderr);
    assert!(run.stdout.contains("base"), "{}", run.stdout);
}

#[tokio::test(flavor = "multi_thread")]
async fn expression_and_partial_indexes_outside_the_models() {
    for dialect in DIALECTS {
        let Some(p) = Project::new(dialect, "sql", "expr_index").await else {
            continue;
        };
        p.ok(&["--models", &models(1), "-m", "one"]).await;
        p.ok(&["upgrade", "head"]).await;
        // An expression index SeaORM cannot declare: autogen neither compares nor drops it.
        p.db.execute("CREATE INDEX students_lower_email ON students (lower(email))")
            .await;
        let check = p.ok(&["--models", &models(1), "check"]).await;
        assert!(check.contains("No changes detected"), "{dialect}: {check}");
        // A partial index is compared like any other: not in the models, so it is dropped, and
        // the down migration recreates it with its predicate.
        p.db.execute("CREATE INDEX students_named ON students (name) WHERE name <> ''")
            .await;
        let before = p.db.introspect().await;
        p.ok(&["--models", &models(1), "-m", "drop partial"]).await;
        p.ok(&["upgrade", "head"]).await;
        assert!(
            p.db.introspect().await.tables["students"]
                .indexes
                .is_empty()
        );
        p.ok(&["downgrade", "-1"]).await;
        assert_eq!(p.db.introspect().await, before, "{dialect}");
    }
}

/// A hostile name in an error: an over-long table name holding line breaks that spell workflow
/// commands, ESC and BEL. In every format, on stderr and stdout, no line is a workflow command
/// autogen did not write, and no raw control character reaches the terminal.
#[tokio::test(flavor = "multi_thread")]
async fn names_in_errors_cannot_act_on_a_terminal_or_ci_log() {
    for dialect in [Dialect::Postgres, Dialect::MySql] {
        let Some(p) = Project::new(dialect, "sql", "hostile_error").await else {
            continue;
        };
        let dir = p.dir.path().join("hostile");
        std::fs::create_dir_all(&dir).unwrap();
        let long = "x".repeat(70);
        std::fs::write(
            dir.join("t.rs"),
            format!(
                "use sea_orm::entity::prelude::*;\n\
                 #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]\n\
                 #[sea_orm(table_name = \"{long}\\n::error title=forged::x\\n##[error]y\\n  ::add-mask::z\\u{{1b}}]0;t\\u{{7}}\")]\n\
                 pub struct Model {{\n    #[sea_orm(primary_key)]\n    pub id: i32,\n}}\n\
                 #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]\npub enum Relation {{}}\n\
                 impl ActiveModelBehavior for ActiveModel {{}}\n"
            ),
        )
        .unwrap();
        let models = dir.display().to_string();
        for format in ["text", "github", "json", "markdown"] {
            let run = p
                .autogen(&["--models", &models, "diff", "--format", format])
                .await;
            assert_eq!(run.outcome, Outcome::Error, "{dialect} {format}");
            assert!(run.stderr.contains("bytes long"), "{}", run.stderr);
            for text in [&run.stderr, &run.stdout] {
                for line in text.lines() {
                    let start = line.trim_start();
                    assert!(
                        !start.starts_with("::") && !start.starts_with("##["),
                        "{dialect} {format}: {line:?}"
                    );
                }
                assert!(
                    !text.contains('\u{1b}') && !text.contains('\u{7}'),
                    "{dialect} {format}: {text:?}"
                );
            }
        }
    }
}
