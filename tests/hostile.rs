//! Input nobody here wrote: names and messages that try to end their comment line, on every
//! dialect, online and through the offline script each database's own client runs.

use autogen_cli::Outcome;
use autogen_schema::Dialect;
use autogen_tests::{Project, TestDb, run_client};

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
