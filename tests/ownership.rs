//! autogen touches only what it owns. Around the managed tables of `fixtures/online`, foreign
//! objects hold every name the online change would derive or guard (indexes, UNIQUEs, CHECKs,
//! foreign keys; on an excluded table, on the managed table itself, in another schema, near the
//! 63-byte limit); after `-m`, `upgrade`, `check` and `downgrade` each of them is exactly as the
//! server printed it before. A script written before a foreign object took a name refuses to
//! run instead of dropping it, and a name the entities declare that a foreign object holds is an
//! error at `-m`.

use autogen_cli::Outcome;
use autogen_schema::Dialect;
use autogen_tests::{Project, online};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};
use std::path::{Path, PathBuf};

const ROWS: &str = "INSERT INTO teams (id, name) VALUES (1, 'a'), (2, 'b');
INSERT INTO accounts (id, email, name, team_id, score, nickname) VALUES
  (1, 'x@example.com', 'X', 1, 3, 'n'), (2, 'z@example.com', 'Z', NULL, 4, NULL);";

/// Every index and constraint of the database as the server prints it, with what it is on.
async fn definitions(p: &Project) -> Vec<String> {
    p.db.strings(
        "SELECT n.nspname || '.' || c.relname || ': ' || pg_get_indexdef(c.oid) \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE c.relkind = 'i' AND n.nspname NOT IN ('pg_catalog', 'pg_toast', 'information_schema') \
         UNION ALL \
         SELECT n.nspname || '.' || t.relname || '.' || con.conname || ': ' || pg_get_constraintdef(con.oid) \
         FROM pg_constraint con JOIN pg_class t ON t.oid = con.conrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1",
    )
    .await
}

/// The foreign objects: every name `fixtures/online` v2 derives, held by something else (an
/// excluded table's indexes, the managed table's own CHECKs, a table of another schema).
const FOREIGN: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS legacy_ex (a int, b int, c int); \
     CREATE UNIQUE INDEX \"idx-accounts-score\" ON legacy_ex (a)",
    "CREATE TABLE IF NOT EXISTS legacy_ex (a int, b int, c int); \
     CREATE UNIQUE INDEX \"accounts_email_key\" ON legacy_ex (b)",
    "ALTER TABLE accounts ADD CONSTRAINT accounts_name_not_null \
     CHECK (name IS NOT NULL AND length(name) < 100)",
    "ALTER TABLE accounts ADD CONSTRAINT \"fk-accounts-team_id\" \
     CHECK (team_id IS NULL OR team_id > 0)",
    "CREATE SCHEMA IF NOT EXISTS elsewhere; \
     CREATE TABLE IF NOT EXISTS elsewhere.accounts (id int, name text); \
     CREATE INDEX \"idx-accounts-name\" ON elsewhere.accounts (name)",
    "CREATE SCHEMA IF NOT EXISTS elsewhere; \
     CREATE TABLE IF NOT EXISTS elsewhere.accounts (id int, name text); \
     ALTER TABLE elsewhere.accounts ADD CONSTRAINT accounts_name_not_null CHECK (name IS NOT NULL)",
];

/// The definitions of objects autogen does not own.
fn foreign(defs: &[String]) -> Vec<String> {
    defs.iter()
        .filter(|d| {
            d.contains("legacy_ex")
                || d.starts_with("elsewhere.")
                || d.contains(": CHECK (((name IS NOT NULL) AND")
                || d.contains(": CHECK (((team_id IS NULL) OR")
        })
        .cloned()
        .collect()
}

async fn project(tag: &str) -> Option<Project> {
    let p = Project::new(Dialect::Postgres, "sql", tag).await?;
    let toml = std::fs::read_to_string(p.config()).expect("config");
    std::fs::write(
        p.config(),
        format!("{toml}exclude_tables = [\"legacy_*\"]\n"),
    )
    .expect("config");
    p.ok(&["--models", &online(1), "-m", "v1"]).await;
    p.ok(&["--models", &online(1), "upgrade", "head"]).await;
    p.db.execute(ROWS).await;
    Some(p)
}

/// Foreign objects hold the chosen names the change derives before `-m`: the plan moves its
/// names, the change applies, checks clean and reverses, and no foreign object changes.
async fn foreign_objects_stay(chosen: Vec<bool>) -> Result<(), TestCaseError> {
    let Some(p) = project("own_derived").await else {
        return Ok(());
    };
    for (sql, _) in FOREIGN.iter().zip(&chosen).filter(|(_, on)| **on) {
        p.db.execute(sql).await;
    }
    let before = foreign(&definitions(&p).await);
    let v2 = online(2);
    p.ok(&["--models", &v2, "-m", "v2"]).await;
    if chosen.iter().all(|on| *on) {
        prop_assert_eq!(before.len(), 6, "{:#?}", before);
        let sql: String = p
            .files()
            .iter()
            .map(|f| std::fs::read_to_string(f).expect("read"))
            .collect();
        for moved in [
            "\"idx-accounts-score_2\"",
            "\"accounts_email_key_2\"",
            "\"accounts_name_not_null_2\"",
            "\"fk-accounts-team_id_2\"",
        ] {
            prop_assert!(sql.contains(moved), "{} is not in the revisions", moved);
        }
    }
    p.ok(&["--models", &v2, "upgrade", "head"]).await;
    prop_assert_eq!(&foreign(&definitions(&p).await), &before, "after upgrade");
    let check = p.autogen(&["--models", &v2, "check"]).await;
    prop_assert_eq!(check.outcome, Outcome::Success, "{}", check.stdout);
    p.ok(&["--models", &v2, "downgrade", "-1"]).await;
    prop_assert_eq!(&foreign(&definitions(&p).await), &before, "after downgrade");
    p.ok(&["--models", &v2, "upgrade", "head"]).await;
    prop_assert_eq!(&foreign(&definitions(&p).await), &before, "upgraded again");
    Ok(())
}

/// A property over which foreign objects hold names (every one of them at once is always a
/// case). `AUTOGEN_PROPTEST_CASES` and `AUTOGEN_PROPTEST_SEED` set the rest, as elsewhere.
#[test]
fn derived_names_move_and_foreign_objects_stay() {
    let env = |k: &str, d: u64| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    let config = Config {
        cases: env("AUTOGEN_PROPTEST_CASES", 4) as u32,
        rng_seed: RngSeed::Fixed(env("AUTOGEN_PROPTEST_SEED", 20261204)),
        failure_persistence: None,
        ..Config::default()
    };
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    if let Err(e) = rt.block_on(foreign_objects_stay(vec![true; FOREIGN.len()])) {
        panic!("every foreign object at once: {e}");
    }
    let subsets = proptest::collection::vec(any::<bool>(), FOREIGN.len());
    let mut runner = TestRunner::new(config);
    if let Err(e) = runner.run(&subsets, |chosen| rt.block_on(foreign_objects_stay(chosen))) {
        panic!("{e}");
    }
}

/// The revision is written while the names are free; a foreign object takes one before it
/// runs. The written SQL checks whose each name is before it drops anything: the upgrade stops
/// with an error naming the object, which is unchanged. One foreign object at a time, so that
/// each guard (index, UNIQUE, foreign key, NOT NULL check) is the one that stops it.
#[tokio::test]
async fn a_script_written_earlier_refuses_to_drop_a_foreign_object() {
    let cases = [
        "CREATE TABLE legacy_ex (a int); CREATE INDEX \"idx-accounts-score\" ON legacy_ex (a)",
        "CREATE TABLE legacy_ex (b int); CREATE UNIQUE INDEX accounts_email_key ON legacy_ex (b)",
        "ALTER TABLE accounts ADD CONSTRAINT accounts_email_key CHECK (email <> '')",
        "ALTER TABLE accounts ADD CONSTRAINT accounts_name_not_null CHECK (name IS NOT NULL AND length(name) < 100)",
        "ALTER TABLE accounts ADD CONSTRAINT \"fk-accounts-team_id\" CHECK (team_id IS NULL OR team_id > 0)",
    ];
    for (i, foreign_sql) in cases.iter().enumerate() {
        let Some(p) = project(&format!("own_script{i}")).await else {
            return;
        };
        let v2 = online(2);
        p.ok(&["--models", &v2, "-m", "v2"]).await;
        p.db.execute(foreign_sql).await;
        let before = definitions(&p).await;
        let run = p.autogen(&["--models", &v2, "upgrade", "head"]).await;
        assert_ne!(
            run.outcome,
            Outcome::Success,
            "{foreign_sql}: {}",
            run.stdout
        );
        let said = format!("{}{}", run.stdout, run.stderr);
        assert!(
            said.contains("is held by an object autogen does not own"),
            "{foreign_sql}: {said}"
        );
        let after = definitions(&p).await;
        let kept = |defs: &[String]| -> Vec<String> {
            defs.iter()
                .filter(|d| d.contains("legacy_ex") || d.contains(": CHECK ((("))
                .cloned()
                .collect()
        };
        assert_eq!(kept(&after), kept(&before), "{foreign_sql}");
        assert!(!kept(&after).is_empty());
    }
}

fn write_models(dir: &Path, accounts: &str) -> PathBuf {
    std::fs::create_dir_all(dir).expect("dir");
    for entry in std::fs::read_dir(online(1)).expect("fixture") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, dir.join(path.file_name().expect("name"))).expect("copy");
    }
    std::fs::write(dir.join("account.rs"), accounts).expect("write");
    dir.to_path_buf()
}

/// A name the entities declare that a foreign object holds is an error at `-m`, naming it;
/// nothing is written.
#[tokio::test]
async fn a_declared_name_held_by_a_foreign_object_is_an_error() {
    let Some(p) = project("own_declared").await else {
        return;
    };
    p.db.execute("CREATE TABLE legacy_t (a int); CREATE INDEX ix_score ON legacy_t (a);")
        .await;
    let v1 = std::fs::read_to_string(Path::new(&online(1)).join("account.rs")).expect("read");
    let declared = v1.replace(
        "#[sea_orm(table_name = \"accounts\")]",
        "#[sea_orm(table_name = \"accounts\")]\n#[cfg_attr(any(), autogen(index(name = \"ix_score\", columns(\"score\"))))]",
    );
    let models = write_models(&p.dir.path().join("declared"), &declared);
    let files = p.files().len();
    let run = p
        .autogen(&["--models", &models.display().to_string(), "-m", "ix"])
        .await;
    assert_ne!(run.outcome, Outcome::Success);
    assert!(
        run.stderr.contains("`ix_score`") && run.stderr.contains("does not own"),
        "{}",
        run.stderr
    );
    assert_eq!(p.files().len(), files, "nothing written");
}

/// Two columns whose `<table>_<column>` share their first 60 bytes: both set NOT NULL online,
/// each with a CHECK of its own name.
#[tokio::test]
async fn derived_names_stay_apart_after_truncation() {
    let Some(p) = Project::new(Dialect::Postgres, "sql", "own_long").await else {
        return;
    };
    let long = "a_column_whose_name_runs_on_for_quite_a_while_before_it_ends";
    let entity = |nullable: &str| {
        format!(
            "use sea_orm::entity::prelude::*;\n\
             #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]\n\
             #[sea_orm(table_name = \"things\")]\n\
             pub struct Model {{\n    #[sea_orm(primary_key)]\n    pub id: i32,\n\
             {nullable}    pub {long}_1: {ty},\n{nullable}    pub {long}_2: {ty},\n}}\n\
             #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]\npub enum Relation {{}}\n\
             impl ActiveModelBehavior for ActiveModel {{}}\n",
            ty = if nullable.is_empty() {
                "i32"
            } else {
                "Option<i32>"
            }
        )
    };
    let dir = |v: &str, text: String| {
        let d = p.dir.path().join(v);
        std::fs::create_dir_all(&d).expect("dir");
        std::fs::write(d.join("things.rs"), text).expect("write");
        d.display().to_string()
    };
    let v1 = dir("v1", entity("    #[sea_orm(nullable)]\n"));
    let v2 = dir("v2", entity(""));
    p.ok(&["--models", &v1, "-m", "v1"]).await;
    p.ok(&["--models", &v1, "upgrade", "head"]).await;
    p.db.execute(&format!(
        "INSERT INTO things (id, {long}_1, {long}_2) VALUES (1, 1, 2)"
    ))
    .await;
    // A foreign CHECK holds the first column's derived name, as the server keeps it (63 bytes).
    let derived = autogen_schema::lexical::fit_derived_name(
        &autogen_schema::lexical::not_null_check_name("things", &format!("{long}_1")),
        63,
    );
    assert_eq!(derived.len(), 63);
    p.db.execute(&format!(
        "ALTER TABLE things ADD CONSTRAINT \"{derived}\" CHECK (id > 0)"
    ))
    .await;
    p.ok(&["--models", &v2, "-m", "v2"]).await;
    p.ok(&["--models", &v2, "upgrade", "head"]).await;
    let check = p.autogen(&["--models", &v2, "check"]).await;
    assert_eq!(check.outcome, Outcome::Success, "{}", check.stdout);
    let kept =
        p.db.strings(&format!(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = '{derived}'"
        ))
        .await;
    assert_eq!(kept, ["CHECK ((id > 0))"], "the foreign CHECK is untouched");
}
