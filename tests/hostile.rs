//! Input nobody here wrote: names and messages that try to end their comment line, on every
//! dialect, online and through the offline script each database's own client runs.

use autogen_cli::Outcome;
use autogen_schema::Dialect;
use autogen_tests::{Project, TestDb, entity, run_client};

/// An entity whose table, column and comment try to smuggle a statement out of a comment line.
const HOSTILE_ENTITY: &str = r#"
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "t\nDROP TABLE victim;\n--", comment = "x\n*/ DROP TABLE victim; /*")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(column_name = "c\r\nDROP TABLE victim; --x", comment = "\u{2028}DROP TABLE victim;")]
    pub c: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
"#;

const HOSTILE_MESSAGE: &str = "init\nDROP TABLE victim;\r\n-- no-transaction";

async fn project(dialect: Dialect, format: &str) -> Option<Project> {
    let p = Project::new(dialect, format, "hostile").await?;
    let toml = std::fs::read_to_string(p.config()).unwrap() + "exclude_tables = [\"victim\"]\n";
    std::fs::write(p.config(), toml).unwrap();
    let models = p.dir.path().join("models");
    std::fs::create_dir_all(&models).unwrap();
    std::fs::write(models.join("t.rs"), HOSTILE_ENTITY).unwrap();
    p.db.execute("CREATE TABLE victim (id integer)").await;
    Some(p)
}

async fn injection_runs_nothing(dialect: Dialect, format: &str) {
    let Some(p) = project(dialect, format).await else {
        return;
    };
    let models = p.dir.path().join("models").display().to_string();
    let m = |args: &[&'static str]| {
        let mut v = vec!["--models".to_string(), models.clone()];
        v.extend(args.iter().map(|s| s.to_string()));
        v
    };
    let run = |args: Vec<String>| {
        let p = &p;
        async move {
            let refs: Vec<&str> = args.iter().map(String::as_str).collect();
            p.ok(&refs).await
        }
    };
    run([m(&["-m"]), vec![HOSTILE_MESSAGE.to_string()]].concat()).await;
    for file in p.files() {
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(
            text.contains("init\\nDROP TABLE victim;\\r\\n-- no-transaction"),
            "{dialect}: the message is escaped in {}:\n{text}",
            file.display()
        );
        assert!(!text.starts_with("-- no-transaction"), "{text}");
    }
    run(m(&["upgrade", "head"])).await;
    assert!(
        p.db.has_table("victim").await,
        "{dialect} {format}: upgrade dropped victim"
    );
    let check = p
        .autogen(&m(&["check"]).iter().map(String::as_str).collect::<Vec<_>>())
        .await;
    assert_eq!(
        check.outcome,
        Outcome::Success,
        "{dialect}: {}{}",
        check.stdout,
        check.stderr
    );
    let history = run(m(&["history"])).await;
    assert!(history.contains("init\\nDROP TABLE victim;"), "{history}");
    run(m(&["downgrade", "base"])).await;
    assert!(
        p.db.has_table("victim").await,
        "{dialect} {format}: downgrade dropped victim"
    );

    // The offline script, run by the database's own client on a fresh database.
    let script = run(m(&["upgrade", "--sql", "head"])).await;
    let Some(fresh) = TestDb::new(dialect, "hostile_offline").await else {
        return;
    };
    fresh.execute("CREATE TABLE victim (id integer)").await;
    run_client(&fresh, &script);
    assert!(
        fresh.has_table("victim").await,
        "{dialect}: the offline script dropped victim"
    );
    assert!(
        fresh.has_table("t\nDROP TABLE victim;\n--").await,
        "{script}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn injection_through_names_and_messages_runs_nothing_on_sqlite() {
    injection_runs_nothing(Dialect::Sqlite, "sql").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn injection_through_names_and_messages_runs_nothing_on_postgres() {
    injection_runs_nothing(Dialect::Postgres, "sql").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn injection_through_names_and_messages_runs_nothing_on_mysql() {
    injection_runs_nothing(Dialect::MySql, "sql").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn injection_through_names_and_messages_runs_nothing_in_rust_migrations() {
    injection_runs_nothing(Dialect::Sqlite, "rust").await;
}

/// Real processes re-enter this binary here (`spawn_autogen`).
#[test]
fn child_process_entry() {
    autogen_tests::child_process_entry();
}

/// A project on `dialect` whose models directory holds `files`.
async fn with_models(dialect: Dialect, files: &[(&str, String)]) -> Option<Project> {
    let p = Project::new(dialect, "sql", "hostile_models").await?;
    let models = p.dir.path().join("models");
    std::fs::create_dir_all(&models).unwrap();
    for (name, text) in files {
        std::fs::write(models.join(name), text).unwrap();
    }
    let toml = std::fs::read_to_string(p.config()).unwrap() + "models = \"models\"\n";
    std::fs::write(p.config(), toml).unwrap();
    Some(p)
}

#[tokio::test(flavor = "multi_thread")]
async fn names_over_the_limit_are_refused_before_a_file_is_written() {
    let long = "n".repeat(64);
    for dialect in [Dialect::Postgres, Dialect::MySql] {
        let column = format!("    #[sea_orm(column_name = \"{long}x\")]\n    pub a: i32,\n");
        let Some(p) = with_models(dialect, &[("t.rs", entity("t", &column))]).await else {
            continue;
        };
        for args in [&["-m", "too long"][..], &["check"], &["diff"]] {
            let run = p.autogen(args).await;
            assert_eq!(
                run.outcome,
                Outcome::Error,
                "{dialect} {args:?}: {}",
                run.stdout
            );
            assert!(
                run.stderr.contains("t.rs:8:9: column `nnnn")
                    && run.stderr.contains("65 bytes long"),
                "{dialect}: {}",
                run.stderr
            );
        }
        assert!(p.files().is_empty(), "{dialect}: nothing written");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_enum_value_with_a_quote_and_a_semicolon_applies_and_converges() {
    let status = "#[derive(Debug, Clone, PartialEq, Eq, EnumIter, DeriveActiveEnum)]\n\
        #[sea_orm(rs_type = \"String\", db_type = \"Enum\", enum_name = \"fee_status\")]\n\
        pub enum FeeStatus {\n    #[sea_orm(string_value = \"it's waived; ok\")]\n    Waived,\n    \
        #[sea_orm(string_value = \"back\\\\slash\")]\n    Back,\n}\n";
    let fields = "    pub status: super::status::FeeStatus,\n";
    for dialect in [Dialect::Postgres, Dialect::MySql, Dialect::Sqlite] {
        let files = [
            (
                "status.rs",
                format!("use sea_orm::entity::prelude::*;\n{status}"),
            ),
            ("fees.rs", entity("fees", fields)),
        ];
        let Some(p) = with_models(dialect, &files).await else {
            continue;
        };
        p.ok(&["-m", "enum"]).await;
        p.ok(&["upgrade", "head"]).await;
        let check = p.ok(&["check"]).await;
        assert!(check.contains("No changes detected"), "{dialect}: {check}");
        p.ok(&["downgrade", "base"]).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn configuration_that_would_silently_do_something_else_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("some/missing/autogen.toml");
    let run =
        autogen_tests::autogen(&["-c", &missing.display().to_string(), "upgrade", "head"]).await;
    assert_eq!(run.outcome, Outcome::Error);
    assert!(run.stderr.contains("does not exist"), "{}", run.stderr);
    assert!(
        !dir.path().join("some").exists(),
        "no database file appears"
    );

    // A configuration that exists, with no migrations directory: upgrading is an error.
    let config = dir.path().join("autogen.toml");
    std::fs::write(&config, "database_url = \"sqlite://data/app.db\"\n").unwrap();
    let c = config.display().to_string();
    let run = autogen_tests::autogen(&["-c", &c, "upgrade", "head"]).await;
    assert_eq!(run.outcome, Outcome::Error);
    assert!(
        run.stderr.contains("no migrations directory"),
        "{}",
        run.stderr
    );
    // A failing diff (no entities there) leaves no database file behind.
    let run = autogen_tests::autogen(&[
        "-c",
        &c,
        "--models",
        &dir.path().display().to_string(),
        "diff",
    ])
    .await;
    assert_eq!(run.outcome, Outcome::Error);
    assert!(!dir.path().join("data").exists(), "{}", run.stderr);
    // The relative SQLite path in the file is relative to the file, wherever autogen runs.
    std::fs::create_dir_all(dir.path().join("migrations")).unwrap();
    let run = autogen_tests::autogen(&["-c", &c, "upgrade", "head"]).await;
    assert_eq!(run.outcome, Outcome::Success, "{}", run.stderr);
    assert!(dir.path().join("data/app.db").exists());
    // Unknown settings and placeholders are refused, with a suggestion.
    std::fs::write(&config, "migration = \"m\"\n").unwrap();
    let run = autogen_tests::autogen(&["-c", &c, "current"]).await;
    assert!(
        run.stderr.contains("did you mean `migrations`?"),
        "{}",
        run.stderr
    );
    std::fs::write(&config, "file_template = \"{slgu}\"\n").unwrap();
    let run = autogen_tests::autogen(&["-c", &c, "current"]).await;
    assert!(
        run.stderr.contains("did you mean {slug}?"),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn messages_name_the_cause_not_the_servers_source_line() {
    let Some(p) = Project::new(Dialect::Postgres, "sql", "messages").await else {
        return;
    };
    p.ok(&["revision", "-m", "broken"]).await;
    for file in p
        .files()
        .iter()
        .filter(|f| f.to_string_lossy().ends_with(".up.sql"))
    {
        let text = std::fs::read_to_string(file).unwrap();
        std::fs::write(file, text + "SELECT * FROM no_such_table;\n").unwrap();
    }
    let run = p.autogen(&["upgrade", "head"]).await;
    assert_eq!(run.outcome, Outcome::Error);
    assert!(
        run.stderr
            .contains("relation \"no_such_table\" does not exist (SQLSTATE 42P01)"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains(" at line "), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn check_and_diff_fail_where_autogenerate_would_refuse_and_show_down_hazards() {
    for dialect in [Dialect::Postgres, Dialect::Sqlite] {
        let fields = "    pub name: String,\n";
        let Some(p) = with_models(dialect, &[("t.rs", entity("t", fields))]).await else {
            continue;
        };
        p.ok(&["-m", "one"]).await;
        p.ok(&["upgrade", "head"]).await;
        // Dropping a NOT NULL column: the rollback cannot bring it back once rows exist.
        std::fs::write(p.dir.path().join("models/t.rs"), entity("t", "")).unwrap();
        let check = p.autogen(&["check"]).await;
        assert_eq!(check.outcome, Outcome::Drift, "{}", check.stderr);
        assert!(
            check.stdout.contains("Down migration hazards:\n  ! [AG201 add-required-column] (down) adds NOT NULL column t.name without a default"),
            "{dialect}: {}",
            check.stdout
        );
    }
    // A change autogenerate cannot write is an error for check and diff too, not drift.
    let domain = |base: &str| {
        entity("t", "").replace(
            "#[sea_orm(table_name",
            &format!("#[cfg_attr(any(), autogen(domain(name = \"d\", base = \"{base}\")))]\n#[sea_orm(table_name"),
        )
    };
    let Some(p) = with_models(Dialect::Postgres, &[("t.rs", domain("text"))]).await else {
        return;
    };
    p.ok(&["-m", "one"]).await;
    p.ok(&["upgrade", "head"]).await;
    std::fs::write(p.dir.path().join("models/t.rs"), domain("integer")).unwrap();
    for args in [&["check"][..], &["diff"], &["-m", "two"]] {
        let run = p.autogen(args).await;
        assert_eq!(run.outcome, Outcome::Error, "{args:?}: {}", run.stdout);
        assert!(
            run.stderr
                .contains("cannot change domain d from text to integer"),
            "{}",
            run.stderr
        );
    }
    // Turning auto increment off and on again is planned (an identity dropped and added back).
    let manual_key = entity("t", "").replace(
        "#[sea_orm(primary_key)]",
        "#[sea_orm(primary_key, auto_increment = false)]",
    );
    std::fs::write(p.dir.path().join("models/t.rs"), manual_key).unwrap();
    let before = p.db.introspect().await;
    p.ok(&["-m", "manual key"]).await;
    p.ok(&["upgrade", "head"]).await;
    p.ok(&["check"]).await;
    p.ok(&["downgrade", "-1"]).await;
    assert_eq!(p.db.introspect().await, before, "the identity came back");
}

#[tokio::test(flavor = "multi_thread")]
async fn parallel_autogenerates_never_write_two_revisions_with_one_id() {
    for dialect in [Dialect::Sqlite, Dialect::Postgres] {
        let Some(p) = with_models(dialect, &[("t.rs", entity("t", ""))]).await else {
            continue;
        };
        let config = p.config().display().to_string();
        let children: Vec<_> = (0..4)
            .map(|_| autogen_tests::spawn_autogen(&["-c", &config, "-m", "same time"]))
            .collect();
        let mut codes = Vec::new();
        for child in children {
            let output = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
            let code = output.status.code();
            if code != Some(0) {
                assert!(stderr.contains("not at head"), "{dialect}: {stderr}");
            }
            codes.push(code);
        }
        assert_eq!(
            codes.iter().filter(|c| **c == Some(0)).count(),
            1,
            "{dialect}: {codes:?}"
        );
        assert_eq!(p.files().len(), 2, "{dialect}: one revision, up and down");
        p.ok(&["history"]).await;
    }
}

const PARENT: &str = "use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = \"p\")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
}
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}
impl ActiveModelBehavior for ActiveModel {}
";

/// A child whose key, index, UNIQUE and foreign key all have names holding quotes, backticks
/// and `;`: names sea-query writes between quotes as they are unless autogen escapes them.
fn quoted_names(with_index: bool) -> String {
    let index = if with_index {
        "#[cfg_attr(any(), autogen(index(name = \"i\\\"x`; DROP TABLE victim; --\", columns(\"a\"))))]\n"
    } else {
        ""
    };
    format!(
        "use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = \"t\")]
#[cfg_attr(any(), autogen(primary_key(name = \"pk\\\"`x\", columns(\"id\", \"a\"))))]
#[cfg_attr(any(), autogen(unique(name = \"u\\\"`x\", columns(\"a\", \"p_id\"))))]
{index}pub struct Model {{
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub a: i32,
    pub p_id: i32,
}}
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {{
    #[sea_orm(belongs_to = \"super::p::Entity\", from = \"Column::PId\", to = \"super::p::Column::Id\", fk_name = \"fk\\\"`x; DROP TABLE victim; --\")]
    P,
}}
impl ActiveModelBehavior for ActiveModel {{}}
"
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn names_with_quotes_stay_names_in_every_statement() {
    for dialect in [Dialect::Postgres, Dialect::MySql, Dialect::Sqlite] {
        let child = quoted_names(true);
        let files = [("p.rs", PARENT.to_string()), ("t.rs", child)];
        let Some(p) = with_models(dialect, &files).await else {
            continue;
        };
        let toml = std::fs::read_to_string(p.config()).unwrap() + "exclude_tables = [\"victim\"]\n";
        std::fs::write(p.config(), toml).unwrap();
        p.db.execute("CREATE TABLE victim (id integer)").await;
        p.ok(&["-m", "create"]).await;
        p.ok(&["upgrade", "head"]).await;
        p.ok(&["check"]).await;
        // Dropping the index by its name.
        std::fs::write(p.dir.path().join("models/t.rs"), quoted_names(false)).unwrap();
        p.ok(&["-m", "drop index"]).await;
        p.ok(&["upgrade", "head"]).await;
        p.ok(&["check"]).await;
        p.ok(&["downgrade", "base"]).await;
        assert!(p.db.has_table("victim").await, "{dialect}");
        assert!(!p.db.has_table("t").await, "{dialect}");
    }
}
