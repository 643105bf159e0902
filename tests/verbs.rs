//! The Alembic verbs on PostgreSQL under the default `online` safety, with rows in every table,
//! in both formats: one `-m` is one change, however many revisions (transactional, online,
//! validating) it writes. `upgrade +1` applies the whole change and `check` is in sync;
//! `downgrade -1` undoes the whole change, `diff` against the previous entities is empty and every
//! row is intact; `downgrade base` and `upgrade head` go all the way. A revision id still names
//! one stage, and `current` / `check` name a half-applied change with the commands that finish or
//! undo it.

use autogen_cli::Outcome;
use autogen_schema::{Dialect, Schema};
use autogen_tests::Project;
use std::path::{Path, PathBuf};

fn online(v: u32) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../fixtures/online/v{v}"))
}

/// v1 and v2 of `fixtures/online`, and a v3 that indexes `team_id` (an online-only change).
fn versions(dir: &Path) -> [String; 3] {
    let v3 = dir.join("v3");
    std::fs::create_dir_all(&v3).expect("dir");
    for entry in std::fs::read_dir(online(2)).expect("fixture") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("read");
        let text = text.replace(
            "    pub team_id: Option<i32>,",
            "    #[sea_orm(indexed)]\n    pub team_id: Option<i32>,",
        );
        std::fs::write(v3.join(path.file_name().expect("name")), text).expect("write");
    }
    [online(1), online(2), v3].map(|p| p.display().to_string())
}

const ROWS: &str = "INSERT INTO teams (id, name) VALUES (1, 'a'), (2, 'b');
INSERT INTO accounts (id, email, name, team_id, score, nickname) VALUES
  (1, 'x@example.com', 'X', 1, 3, 'n'), (2, 'z@example.com', 'Z', NULL, 4, NULL);";

async fn rows(p: &Project) -> Vec<String> {
    p.db.strings(
        "SELECT a.id || ':' || a.email || ':' || coalesce(t.name, '-') FROM accounts a \
         LEFT JOIN teams t ON t.id = a.team_id ORDER BY a.id",
    )
    .await
}

/// The database is back at the catalog `expected` recorded when it was at that change; `diff`
/// names the pending revisions, plans nothing anew, and exits 1.
async fn back_at(p: &Project, expected: &Schema, models: &str, what: &str) {
    assert_eq!(&p.db.introspect().await, expected, "{what}");
    let run = p
        .autogen(&["--models", models, "diff", "--format", "json"])
        .await;
    assert_eq!(run.outcome, Outcome::Drift, "{what}: {}", run.stderr);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(value["status"], "pending", "{what}: {}", run.stdout);
    assert_eq!(
        value["operations"],
        serde_json::json!([]),
        "{what}: {}",
        run.stdout
    );
}

async fn in_sync(p: &Project, models: &str, what: &str) {
    let check = p.autogen(&["--models", models, "check"]).await;
    assert_eq!(check.outcome, Outcome::Success, "{what}: {}", check.stdout);
}

async fn verbs(format: &str) {
    let Some(p) = Project::new(Dialect::Postgres, format, &format!("verbs_{format}")).await else {
        return;
    };
    let [v1, v2, v3] = versions(p.dir.path());
    p.ok(&["--models", &v1, "-m", "v1"]).await;
    p.ok(&["--models", &v1, "upgrade", "+1"]).await;
    p.db.execute(ROWS).await;
    in_sync(&p, &v1, "v1").await;
    let at_v1 = p.db.introspect().await;
    let before = rows(&p).await;
    assert_eq!(before.len(), 2);

    // v2 is one change of three stages (as SQL files, its online stage is nine revisions, each
    // statement refusing a transaction alone in one); +1 applies all of them.
    p.ok(&["--models", &v2, "-m", "v2"]).await;
    let (per_revision, stages) = if format == "sql" { (2, 11) } else { (1, 3) };
    assert_eq!(
        p.files().len(),
        (1 + stages) * per_revision,
        "{:?}",
        p.files()
    );
    let history = p.ok(&["--models", &v2, "history"]).await;
    assert_eq!(history.matches("of change").count(), stages, "{history}");
    p.ok(&["--models", &v2, "upgrade", "+1"]).await;
    in_sync(&p, &v2, "v2 after upgrade +1").await;
    let at_v2 = p.db.introspect().await;
    p.ok(&["--models", &v3, "-m", "v3"]).await;
    p.ok(&["--models", &v3, "upgrade", "+1"]).await;
    in_sync(&p, &v3, "v3 after upgrade +1").await;
    assert_eq!(rows(&p).await, before);

    // Each -1 undoes one whole change.
    p.ok(&["--models", &v3, "downgrade", "-1"]).await;
    back_at(&p, &at_v2, &v2, "v2 after downgrade -1").await;
    assert_eq!(rows(&p).await, before);
    p.ok(&["--models", &v2, "downgrade", "-1"]).await;
    back_at(&p, &at_v1, &v1, "v1 after downgrade -1").await;
    assert_eq!(
        rows(&p).await,
        before,
        "a renamed or retyped column came back whole"
    );

    // A stage id names that stage: the change is half applied, and says so.
    let ids: Vec<String> = p
        .ok(&["--models", &v3, "history"])
        .await
        .lines()
        .filter(|l| l.contains("[pending]") && l.contains("of change"))
        .filter_map(|l| l.split(" -> ").nth(1)?.split(' ').next().map(String::from))
        .collect();
    // v2's stages, and as SQL files v3's online stage of four revisions.
    let v3_parts = if format == "sql" { 4 } else { 0 };
    assert_eq!(ids.len(), stages + v3_parts, "the stages of v2 are pending");
    let first = ids.iter().min().expect("a stage").clone();
    p.ok(&["--models", &v2, "upgrade", &first]).await;
    let current = p.ok(&["--models", &v2, "current"]).await;
    assert!(
        current.contains(&format!("is half applied: 1 of its {stages} stages"))
            && current.contains(&format!("`autogen downgrade {first}-1` undoes it")),
        "{current}"
    );
    let check = p.autogen(&["--models", &v2, "check"]).await;
    assert_eq!(check.outcome, Outcome::Drift);
    assert!(check.stdout.contains("is half applied"), "{}", check.stdout);
    // `ID+N` counts whole changes from the change holding ID: +0 finishes it.
    p.ok(&["--models", &v2, "upgrade", &format!("{first}+0")])
        .await;
    back_at(&p, &at_v2, &v2, "v2 after upgrade FIRST+0").await;

    p.ok(&["--models", &v3, "downgrade", "base"]).await;
    assert!(!p.db.has_table("accounts").await);
    p.ok(&["--models", &v3, "upgrade", "head"]).await;
    in_sync(&p, &v3, "v3 after upgrade head").await;
    // head-2 is the end of v1; the stages in between go as whole changes.
    p.ok(&["--models", &v3, "downgrade", "head-2"]).await;
    back_at(&p, &at_v1, &v1, "v1 after downgrade head-2").await;
}

#[tokio::test]
async fn alembic_verbs_sql() {
    verbs("sql").await;
}

#[tokio::test]
async fn alembic_verbs_rust() {
    verbs("rust").await;
}

/// `--rev-id` (Alembic's): the id written as given, in both formats and for `-m` and `revision`;
/// refused (exit 2, nothing written) when it is not `YYYYMMDDHHMMSS`, not after its parent, or
/// taken. A later revision without it takes an id after the highest, though the clock is behind it.
#[tokio::test]
async fn rev_id_names_the_revision_and_is_checked() {
    for (dialect, format) in [
        (Dialect::Sqlite, "sql"),
        (Dialect::Postgres, "sql"),
        (Dialect::MySql, "sql"),
        (Dialect::Sqlite, "rust"),
    ] {
        let Some(p) = Project::new(dialect, format, "revid").await else {
            return;
        };
        let [v1, _, _] = versions(p.migrations().parent().expect("project"));
        let wrote = p
            .ok(&["--models", &v1, "-m", "first", "--rev-id", "20300101000000"])
            .await;
        let expected = match format {
            "sql" => "20300101000000_first.up.sql",
            _ => "m20300101_000000_first.rs",
        };
        assert!(wrote.contains(expected), "{format}: {wrote}");
        for (bad, why) in [
            ("2030-01-01", "YYYYMMDDHHMMSS"),
            ("20301301000000", "YYYYMMDDHHMMSS"),
            ("20290101000000", "after its parent"),
            ("20300101000000", "taken"),
        ] {
            let before = p.files();
            let run = p
                .autogen(&["--models", &v1, "revision", "-m", "hand", "--rev-id", bad])
                .await;
            assert_eq!(run.outcome, Outcome::Error, "{bad}: {}", run.stdout);
            assert!(run.stderr.contains(why), "{bad}: {}", run.stderr);
            assert_eq!(p.files(), before, "{bad}: nothing written");
        }
        p.ok(&["--models", &v1, "upgrade", "head"]).await;
        // The clock (2026) is behind 2030: the next id still sorts after it.
        let wrote = p.ok(&["--models", &v1, "revision", "-m", "second"]).await;
        let expected = match format {
            "sql" => "20300101000001_second",
            _ => "m20300101_000001_second",
        };
        assert!(wrote.contains(expected), "{format}: {wrote}");
    }
}
