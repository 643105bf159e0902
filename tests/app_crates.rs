//! The Rust-format migration crate inside an application, as SeaORM applications hold it: a
//! member of the application's workspace, applied at startup by `migration::autogen::up` under
//! autogen's lock and checksums; and an existing sea-orm-cli crate adopted and continued.

use autogen_schema::Dialect;
use autogen_tests::{Project, school, shared_target_dir};
use sha2::Digest as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The target directory the tests' migration crates of `dialect` share (their dependencies are
/// built once per dialect).
fn target(dialect: Dialect) -> PathBuf {
    shared_target_dir().join(dialect.name())
}

fn cargo(dialect: Dialect, args: &[&str], manifest: &Path) -> Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    Command::new(cargo)
        .args(args)
        .arg("--manifest-path")
        .arg(manifest)
        .env("CARGO_TARGET_DIR", target(dialect))
        .output()
        .expect("cargo")
}

/// The URL an application starts with: SQLite creates the file when it is missing, as
/// applications ask it to.
fn app_url(p: &Project) -> String {
    match p.db.dialect {
        Dialect::Sqlite => format!("{}?mode=rwc", p.db.url),
        _ => p.db.url.clone(),
    }
}

fn assert_ok(what: &str, out: &Output) {
    assert!(
        out.status.success(),
        "{what} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

const APP_MAIN: &str = r#"#[tokio::main]
async fn main() {
    let url = std::env::var("DATABASE_URL").expect("DATABASE_URL");
    let db = migration::sea_orm::Database::connect(&url).await.expect("connect");
    match migration::autogen::up(&db, std::time::Duration::from_secs(60)).await {
        Ok(applied) => println!("applied: {}", applied.join(",")),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
"#;

/// An application whose workspace does not list the migration crate yet; autogen adds it, the
/// workspace builds, copies started at once apply each migration once under autogen's lock, the
/// checksums they record are autogen's own, and an edited applied migration stops a start.
async fn app_workspace(dialect: Dialect) {
    let Some(p) = Project::new(dialect, "rust", "appws").await else {
        return;
    };
    let app = p.dir.path();
    let manifest = app.join("Cargo.toml");
    std::fs::write(
        &manifest,
        "[workspace]\nmembers = [\".\"]\nresolver = \"3\"\n\n[package]\nname = \"app\"\nversion = \"0.1.0\"\n\
         edition = \"2024\"\npublish = false\n\n[dependencies]\nmigration = { path = \"migrations\" }\n\
         tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\n",
    )
    .expect("write the app's manifest");
    std::fs::create_dir_all(app.join("src")).expect("src");
    std::fs::write(app.join("src/main.rs"), APP_MAIN).expect("write main.rs");

    let v1 = school(1).display().to_string();
    let out = p.ok(&["--models", &v1, "-m", "create"]).await;
    assert!(
        out.contains("added the migration crate to the workspace members"),
        "{out}"
    );
    let members = std::fs::read_to_string(&manifest).expect("read");
    assert!(
        members.contains("members = [\".\", \"migrations\"]"),
        "{members}"
    );
    let own = std::fs::read_to_string(p.migrations().join("Cargo.toml")).expect("read");
    assert!(!own.contains("[workspace]"), "{own}");

    assert_ok(
        "building the app",
        &cargo(dialect, &["build", "--quiet"], &manifest),
    );
    let bin = target(dialect).join("debug/app");
    let copies: Vec<_> = (0..4)
        .map(|_| {
            Command::new(&bin)
                .env("DATABASE_URL", app_url(&p))
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("start a copy")
        })
        .collect();
    let outputs: Vec<Output> = copies
        .into_iter()
        .map(|c| c.wait_with_output().expect("wait"))
        .collect();
    outputs.iter().for_each(|o| assert_ok("a copy", o));
    let said: Vec<String> = outputs
        .iter()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .collect();
    let applied: Vec<&String> = said.iter().filter(|s| *s != "applied:").collect();
    assert_eq!(
        applied.len(),
        1,
        "one copy applies, the others find nothing: {said:?}"
    );
    assert!(applied[0].contains("_create"), "{said:?}");
    assert_eq!(
        p.db.strings("SELECT version FROM seaql_migrations")
            .await
            .len(),
        1
    );
    // autogen reads the sums the crate's build.rs computed and finds its own.
    let current = p.ok(&["current"]).await;
    assert!(current.contains("(head)"), "{current}");
    // A sum in an older form (of the file's bytes): accepted, and rewritten in today's form by
    // the next upgrade, which the application then accepts too.
    let sums = "SELECT checksum FROM autogen_checksums";
    let today = p.db.strings(sums).await;
    let first = p.files().into_iter().next().expect("the first migration");
    let bytes = std::fs::read(&first).expect("read");
    let old: String = sha2::Sha384::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    p.db.execute(&format!("UPDATE autogen_checksums SET checksum = '{old}'"))
        .await;

    // The CLI builds the crate's binary before it takes the lock, and says so.
    let v2 = school(2).display().to_string();
    p.ok(&["--models", &v2, "-m", "second"]).await;
    let upgrade = p.ok(&["upgrade", "head"]).await;
    assert!(
        upgrade.contains("building the migration crate"),
        "{upgrade}"
    );
    assert!(upgrade.contains("applied"), "{upgrade}");
    assert!(p.db.strings(sums).await.contains(&today[0]), "rewritten");
    assert_ok(
        "rebuilding the app",
        &cargo(dialect, &["build", "--quiet"], &manifest),
    );
    let again = Command::new(&bin)
        .env("DATABASE_URL", app_url(&p))
        .output()
        .expect("run");
    assert_ok("a start after the upgrade", &again);

    // An applied migration whose code changed: the application does not start.
    let first = p
        .files()
        .into_iter()
        .find(|f| f.to_string_lossy().contains("_create"))
        .expect("the first migration");
    let text = std::fs::read_to_string(&first).expect("read");
    let edited = text.replacen(
        "let db = manager.get_connection();",
        "let db = manager.get_connection();\n        db.execute_unprepared(\"SELECT 1\").await?;",
        1,
    );
    assert_ne!(edited, text);
    std::fs::write(&first, edited).expect("edit");
    assert_ok(
        "rebuilding the app",
        &cargo(dialect, &["build", "--quiet"], &manifest),
    );
    let refused = Command::new(&bin)
        .env("DATABASE_URL", app_url(&p))
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success(), "{stderr}");
    assert!(
        stderr.contains("was edited after it was applied"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn app_workspace_sqlite() {
    app_workspace(Dialect::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn app_workspace_postgres() {
    app_workspace(Dialect::Postgres).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn app_workspace_mysql() {
    app_workspace(Dialect::MySql).await;
}

/// The crate `sea-orm-cli migrate init` (2.0.4) wrote, as a user then made it theirs
/// (`fixtures/seaorm-cli-migration/`): the sample `post` table with its `todo!()` taken out, and
/// a migration from `sea-orm-cli migrate generate add_grade` filled in with a `DeriveIden` enum.
/// The one edit left to the user here is the runtime and driver features its Cargo.toml asks for.
fn sea_orm_cli_crate(dir: &Path, dialect: Dialect) {
    let (driver, runtime) = match dialect {
        Dialect::Postgres => ("sqlx-postgres", "runtime-tokio-rustls"),
        Dialect::MySql => ("sqlx-mysql", "runtime-tokio-rustls"),
        Dialect::Sqlite => ("sqlx-sqlite", "runtime-tokio"),
    };
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/seaorm-cli-migration");
    for name in [
        "Cargo.toml",
        "README.md",
        "src/main.rs",
        "src/lib.rs",
        "src/m20220101_000001_create_table.rs",
        "src/m20261207_132713_add_grade.rs",
    ] {
        let mut text = std::fs::read_to_string(fixture.join(name)).expect("fixture");
        if name == "Cargo.toml" {
            let commented = "    # \"runtime-tokio-rustls\",  # `ASYNC_RUNTIME` feature\n    \
                             # \"sqlx-postgres\",         # `DATABASE_DRIVER` feature\n";
            assert!(text.contains(commented), "{text}");
            text = text.replace(
                commented,
                &format!("    \"{runtime}\",\n    \"{driver}\",\n"),
            );
        }
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
}

/// The entities of that application, one column ahead of its migrations.
fn post_entity(dir: &Path) {
    std::fs::create_dir_all(dir).expect("mkdir");
    std::fs::write(dir.join("mod.rs"), "pub mod post;\n").expect("write");
    std::fs::write(
        dir.join("post.rs"),
        "use sea_orm::entity::prelude::*;\n\n#[sea_orm::model]\n\
         #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]\n#[sea_orm(table_name = \"post\")]\n\
         pub struct Model {\n    #[sea_orm(primary_key)]\n    pub id: i32,\n    pub title: String,\n    \
         pub text: String,\n    pub grade: Option<i32>,\n    pub nickname: Option<String>,\n}\n\n\
         impl ActiveModelBehavior for ActiveModel {}\n",
    )
    .expect("write");
}

/// A sea-orm-cli crate the application already ran: autogen reads its migrations as the history
/// in lib.rs order (seaql_migrations saying what is applied), writes the next one into it, applies
/// and reverts that one, and leaves the crate's own lib.rs as it was, plus the new module.
async fn adopted_crate(dialect: Dialect) {
    let Some(p) = Project::new(dialect, "rust", "seaormcli").await else {
        return;
    };
    sea_orm_cli_crate(&p.migrations(), dialect);
    let manifest = p.migrations().join("Cargo.toml");
    let ran = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["run", "--quiet", "--manifest-path"])
        .arg(&manifest)
        .args(["--", "up"])
        .env("CARGO_TARGET_DIR", target(dialect))
        .env("DATABASE_URL", app_url(&p))
        .output()
        .expect("cargo run");
    assert_ok("sea-orm-cli's `up`", &ran);

    let history = p.ok(&["history"]).await;
    let lines: Vec<&str> = history.lines().collect();
    assert!(lines.len() >= 2, "{history}");
    assert!(
        history.contains("20261207132713") && history.contains("add grade"),
        "{history}"
    );
    let current = p.ok(&["current"]).await;
    assert!(
        current.contains("20261207132713 add grade (head)"),
        "{current}"
    );

    let models = p.dir.path().join("entity");
    post_entity(&models);
    let models = models.display().to_string();
    p.ok(&["--models", &models, "-m", "add nickname"]).await;
    let lib = std::fs::read_to_string(p.migrations().join("src/lib.rs")).expect("read");
    assert!(
        !lib.contains("Generated by autogen"),
        "the crate's own lib.rs: {lib}"
    );
    let new = p
        .files()
        .into_iter()
        .find(|f| f.to_string_lossy().contains("add_nickname"))
        .expect("the new migration");
    let module = new
        .file_stem()
        .expect("stem")
        .to_string_lossy()
        .into_owned();
    let order: Vec<usize> = [
        "Box::new(m20220101_000001_create_table::Migration)",
        "Box::new(m20261207_132713_add_grade::Migration)",
        &format!("Box::new({module}::Migration)"),
    ]
    .iter()
    .map(|m| lib.find(m).unwrap_or_else(|| panic!("{m} in {lib}")))
    .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{lib}");
    let text = std::fs::read_to_string(&new).expect("read");
    assert!(text.contains("autogen parent: 20261207132713"), "{text}");
    // What sea-orm-migration's helpers created reads back as the entities say: one statement.
    let up: Vec<String> = autogen_migrate::rust_revision_statements(&text, true)
        .expect("autogen's statements")
        .into_iter()
        .filter(|s| !s.starts_with("SET "))
        .collect();
    assert_eq!(up.len(), 1, "{up:?}");
    assert!(up[0].contains("nickname"), "{up:?}");

    p.ok(&["upgrade", "head"]).await;
    let columns = |schema: autogen_schema::Schema| -> Vec<String> {
        schema.tables["post"]
            .columns
            .iter()
            .map(|c| c.name.clone())
            .collect()
    };
    assert!(columns(p.db.introspect().await).contains(&"nickname".to_string()));
    let check = p.ok(&["--models", &models, "check"]).await;
    assert!(!check.is_empty());
    p.ok(&["downgrade", "-1"]).await;
    assert!(!columns(p.db.introspect().await).contains(&"nickname".to_string()));
    let current = p.ok(&["current"]).await;
    assert!(current.contains("20261207132713"), "{current}");
    // sea-orm-cli's own downs and ups run through the crate too: to base and back to head.
    p.ok(&["downgrade", "base"]).await;
    assert!(!p.db.has_table("post").await);
    p.ok(&["upgrade", "head"]).await;
    assert!(columns(p.db.introspect().await).contains(&"nickname".to_string()));
    p.ok(&["--models", &models, "check"]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn adopted_sea_orm_cli_crate_sqlite() {
    adopted_crate(Dialect::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn adopted_sea_orm_cli_crate_postgres() {
    adopted_crate(Dialect::Postgres).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn adopted_sea_orm_cli_crate_mysql() {
    adopted_crate(Dialect::MySql).await;
}
