//! Safe by default: the online policy on tables that hold rows (`fixtures/online`), squawk as an
//! oracle for the PostgreSQL revisions, writes against a table another connection holds locked,
//! findings with rule ids and `deny`, the review formats (Markdown and JSON snapshots, the JSON
//! against its published schema), and `check --dev-url` with each of its exit codes.

use autogen_cli::Outcome;
use autogen_schema::{Dialect, Schema};
use autogen_tests::squawk::{squawk, with_safe_form};
use autogen_tests::{Project, TestDb, postgres_admin_url, redact_revisions};
use std::path::{Path, PathBuf};

fn online(v: u32) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../fixtures/online/v{v}"))
}

fn models(p: &Path) -> String {
    p.display().to_string()
}

const ROWS: &str = "INSERT INTO teams (id, name) VALUES (1, 'a'), (2, 'b');
INSERT INTO accounts (id, email, name, team_id, score, nickname) VALUES
  (1, 'x@example.com', 'X', 1, 3, 'n'), (2, 'z@example.com', 'Z', NULL, 4, NULL);";

/// v1 applied with rows, then v2 written under `safety`; returns the project, the catalog at
/// v1, and what `-m` printed.
async fn at_v1_with_rows(
    dialect: Dialect,
    safety: &str,
    tag: &str,
) -> Option<(Project, Schema, String)> {
    with_settings(dialect, safety, tag, "").await
}

/// [`at_v1_with_rows`] with more settings in autogen.toml.
async fn with_settings(
    dialect: Dialect,
    safety: &str,
    tag: &str,
    settings: &str,
) -> Option<(Project, Schema, String)> {
    let p = Project::new(dialect, "sql", tag).await?;
    let toml = std::fs::read_to_string(p.config()).expect("config");
    std::fs::write(p.config(), format!("{toml}{settings}")).expect("config");
    let v1 = models(&online(1));
    let v2 = models(&online(2));
    p.ok(&["--models", &v1, "-m", "v1"]).await;
    p.ok(&["--models", &v1, "upgrade", "head"]).await;
    p.db.execute(ROWS).await;
    let before = p.db.introspect().await;
    let mut args = vec!["--safety", safety, "--models", v2.as_str(), "-m", "v2"];
    // On MySQL the type change and the foreign key copy the table: online refuses that unless
    // the revision allows it.
    if dialect == Dialect::MySql && safety == "online" {
        let refused = p.autogen(&args).await;
        assert_eq!(refused.outcome, Outcome::Denied, "{}", refused.stdout);
        args.extend(["--allow", "AG307=accounts is small"]);
    }
    let printed = p.ok(&args).await;
    Some((p, before, printed))
}

/// Every change the policy covers, on populated tables, on each dialect: applied, checked clean,
/// rolled back to the v1 catalog with the rows intact, applied again; the end state is the same
/// under `online` and `simple`.
#[tokio::test]
async fn online_and_simple_reach_the_same_state_on_populated_tables() {
    for dialect in Dialect::ALL {
        let mut ends = Vec::new();
        for safety in ["online", "simple"] {
            let Some((p, before, printed)) =
                at_v1_with_rows(dialect, safety, &format!("safety_{safety}")).await
            else {
                return;
            };
            let v2 = models(&online(2));
            let files = p.files().len() / 2;
            let staged = dialect == Dialect::Postgres && safety == "online";
            assert_eq!(
                files,
                // v1, then v2's transactional stage, its online stage as nine revisions (each
                // statement refusing a transaction block alone in one) and its validating one.
                if staged { 12 } else { 2 },
                "{dialect} {safety}:\n{printed}"
            );
            p.ok(&["--models", &v2, "upgrade", "head"]).await;
            let check = p.autogen(&["--models", &v2, "check"]).await;
            assert_eq!(
                check.outcome,
                Outcome::Success,
                "{dialect} {safety}: {}",
                check.stdout
            );
            let after = p.db.introspect().await;
            // The v2 change, however many revisions it became, is one change.
            p.ok(&["--models", &v2, "downgrade", "-1"]).await;
            assert_eq!(
                autogen_diff::diff(&p.db.introspect().await, &before, dialect)
                    .unwrap()
                    .ops,
                vec![],
                "{dialect} {safety}: the v1 catalog after the downgrade"
            );
            assert_eq!(
                p.db.strings("SELECT email FROM accounts ORDER BY id")
                    .await
                    .len(),
                2
            );
            p.ok(&["--models", &v2, "upgrade", "head"]).await;
            ends.push(after);
        }
        assert_eq!(
            autogen_diff::diff(&ends[0], &ends[1], dialect).unwrap().ops,
            vec![],
            "{dialect}: online and simple end states"
        );
    }
}

/// The oracle: on the online, school and CHECK fixtures' PostgreSQL revisions, squawk
/// reports none of the rules that have a safe form under `online`, and reports them under
/// `simple`; the findings left have autogen findings of the same meaning.
#[tokio::test]
async fn squawk_finds_nothing_with_a_safe_form_under_online() {
    for safety in ["online", "simple"] {
        let Some((p, _, printed)) =
            at_v1_with_rows(Dialect::Postgres, safety, &format!("squawk_{safety}")).await
        else {
            return;
        };
        // Columns with literal and expression defaults added to the populated table (v3).
        let v2 = models(&online(2));
        p.ok(&["--models", &v2, "upgrade", "head"]).await;
        let v3 = models(&online(3));
        let printed_v3 = p
            .ok(&["--safety", safety, "--models", &v3, "-m", "v3"])
            .await;
        p.ok(&["--models", &v3, "upgrade", "head"]).await;
        p.ok(&["--models", &v3, "check"]).await;
        let printed = format!("{printed}{printed_v3}");
        // The school fixture, step by step, in the same project's database.
        let school = Project::new(Dialect::Postgres, "sql", &format!("squawk_school_{safety}"))
            .await
            .expect("server");
        for v in 1..=5 {
            let m = models(&autogen_tests::school(v));
            school
                .ok(&[
                    "--safety",
                    safety,
                    "--models",
                    &m,
                    "-m",
                    &format!("step {v}"),
                ])
                .await;
            school.ok(&["--models", &m, "upgrade", "head"]).await;
        }
        // The CHECK fixture: a CHECK replaced and one added on an existing table (v2).
        let checks = Project::new(Dialect::Postgres, "sql", &format!("squawk_checks_{safety}"))
            .await
            .expect("server");
        for v in 1..=2 {
            let m = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(format!("../fixtures/checks/v{v}"))
                .display()
                .to_string();
            let step = format!("checks {v}");
            checks
                .ok(&["--safety", safety, "--models", &m, "-m", &step])
                .await;
            checks.ok(&["--models", &m, "upgrade", "head"]).await;
        }
        let mut files = p.files();
        files.extend(school.files());
        files.extend(checks.files());
        // squawk judges by the server's version, as autogen's forms do.
        let version = p.db.strings("SHOW server_version").await;
        let version: String = version[0]
            .split(|c: char| !c.is_ascii_digit() && c != '.')
            .next()
            .unwrap_or("15")
            .to_string();
        let Some(rules) = squawk(&files, &version) else {
            return;
        };
        let safe = with_safe_form(&rules);
        if safety == "online" {
            assert!(safe.is_empty(), "{safe:#?}\n{printed}");
            // What is left has the same meaning as an autogen finding of the plan.
            for (squawk_rule, ours) in [
                ("ban-drop-column", "AG102"),
                ("changing-column-type", "AG203"),
            ] {
                if rules.iter().any(|r| r.starts_with(squawk_rule)) {
                    assert!(
                        printed.contains(ours),
                        "{squawk_rule} vs {ours}:\n{printed}"
                    );
                }
            }
        } else {
            for rule in [
                "require-concurrent-index-creation",
                "require-concurrent-index-deletion",
                "adding-foreign-key-constraint",
                "adding-not-nullable-field",
                "disallowed-unique-constraint",
                "require-lock-timeout",
            ] {
                assert!(
                    rules.iter().any(|r| r.starts_with(&format!("{rule} "))),
                    "simple: squawk does not report {rule}: {rules:#?}"
                );
            }
            for ours in ["AG301", "AG302", "AG303", "AG304", "AG305", "AG308"] {
                assert!(printed.contains(ours), "simple: no {ours}:\n{printed}");
            }
        }
    }
}

/// Another connection holds a row of `accounts` locked in an open transaction while the online
/// revisions run with a short lock timeout: each DDL statement gives up waiting instead of
/// queueing every writer behind it, the run retries, and once the holder commits the upgrade
/// completes. A writer inserting meanwhile is never held as long as the holder holds its lock.
#[tokio::test]
async fn writes_go_on_while_online_revisions_wait_for_their_locks() {
    let settings = "ddl_lock_timeout = \"200ms\"\n";
    let Some((p, _, _)) = with_settings(Dialect::Postgres, "online", "locked", settings).await
    else {
        return;
    };
    let v2 = models(&online(2));

    let hold = std::time::Duration::from_secs(6);
    let url = p.db.url.clone();
    let holder = tokio::spawn(async move {
        use sqlx::Connection;
        let mut c = sqlx::PgConnection::connect(&url).await.expect("holder");
        sqlx::query("BEGIN").execute(&mut c).await.unwrap();
        sqlx::query("UPDATE accounts SET score = score WHERE id = 1")
            .execute(&mut c)
            .await
            .unwrap();
        tokio::time::sleep(hold).await;
        sqlx::query("COMMIT").execute(&mut c).await.unwrap();
    });
    let url = p.db.url.clone();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writing = stop.clone();
    let writer = tokio::spawn(async move {
        use sqlx::Connection;
        let mut c = sqlx::PgConnection::connect(&url).await.expect("writer");
        let mut longest = std::time::Duration::ZERO;
        let mut id = 100;
        while !writing.load(std::sync::atomic::Ordering::Relaxed) {
            let start = std::time::Instant::now();
            sqlx::query("INSERT INTO teams (id, name) VALUES ($1, 'w')")
                .bind(id)
                .execute(&mut c)
                .await
                .expect("write");
            longest = longest.max(start.elapsed());
            id += 1;
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        longest
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    p.ok(&["--models", &v2, "upgrade", "head"]).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    holder.await.unwrap();
    let longest = writer.await.unwrap();
    assert!(
        longest < hold / 2,
        "a writer waited {longest:?}, as long as the lock holder held its lock"
    );
    assert_eq!(
        p.autogen(&["--models", &v2, "check"]).await.outcome,
        Outcome::Success
    );
}

/// An online revision that never gets its lock: it is tried again with pauses, then fails saying
/// how many times it waited, with the online revision's advice (run it again), never a list of
/// session settings to undo by hand; run again once the lock is gone, it completes.
#[tokio::test]
async fn an_online_revision_that_never_gets_its_lock_says_so() {
    let settings = "ddl_lock_timeout = \"100ms\"\n";
    let Some((p, _, _)) =
        with_settings(Dialect::Postgres, "online", "lock_gave_up", settings).await
    else {
        return;
    };
    let v2 = models(&online(2));
    p.ok(&["--models", &v2, "upgrade", "head"]).await;
    // v3: one index more, an online revision of its own.
    let dir = p.dir.path().join("indexed");
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(online(2)).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap().replace(
            "    pub team_id: Option<i32>,",
            "    #[sea_orm(indexed)]\n    pub team_id: Option<i32>,",
        );
        std::fs::write(dir.join(path.file_name().unwrap()), text).unwrap();
    }
    let v3 = models(&dir);
    p.ok(&["--models", &v3, "-m", "index team"]).await;
    let (release, released) = tokio::sync::oneshot::channel::<()>();
    let (locked, is_locked) = tokio::sync::oneshot::channel::<()>();
    let url = p.db.url.clone();
    let holder = tokio::spawn(async move {
        use sqlx::Connection;
        let mut c = sqlx::PgConnection::connect(&url).await.expect("holder");
        sqlx::query("BEGIN").execute(&mut c).await.unwrap();
        sqlx::query("LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE")
            .execute(&mut c)
            .await
            .unwrap();
        let _ = locked.send(());
        let _ = released.await;
        sqlx::query("COMMIT").execute(&mut c).await.unwrap();
    });
    is_locked.await.unwrap();
    let run = p.autogen(&["--models", &v3, "upgrade", "head"]).await;
    let _ = release.send(());
    holder.await.unwrap();
    assert_eq!(run.outcome, Outcome::Error, "{}", run.stdout);
    let err = &run.stderr;
    assert!(err.contains("waited for its lock in vain 6 times"), "{err}");
    assert!(
        err.contains("each statement is idempotent") && err.contains("run the same command again"),
        "{err}"
    );
    assert!(
        !err.contains("Undo them by hand") && !err.contains("1. SET"),
        "{err}"
    );
    p.ok(&["--models", &v3, "upgrade", "head"]).await;
    assert_eq!(
        p.autogen(&["--models", &v3, "check"]).await.outcome,
        Outcome::Success
    );
}

/// `--deny` fails `-m` (exit 5) and writes nothing; `--allow RULE=REASON` writes the revision
/// with the allowance in its header, and `diff` shows it.
#[tokio::test]
async fn denied_findings_fail_unless_the_revision_allows_them() {
    let Some(p) = Project::new(Dialect::Sqlite, "sql", "deny").await else {
        return;
    };
    let v1 = models(&online(1));
    let v2 = models(&online(2));
    p.ok(&["--models", &v1, "-m", "v1"]).await;
    p.ok(&["--models", &v1, "upgrade", "head"]).await;
    let denied = p
        .autogen(&["--deny", "drop-column", "--models", &v2, "-m", "v2"])
        .await;
    assert_eq!(denied.outcome, Outcome::Denied, "{}", denied.stdout);
    assert!(
        denied.stdout.contains("[AG102 drop-column]") && denied.stdout.contains("— denied"),
        "{}",
        denied.stdout
    );
    assert_eq!(p.files().len(), 2, "nothing written");
    let unknown = p
        .autogen(&["--deny", "drop-colum", "--models", &v2, "-m", "v2"])
        .await;
    assert_eq!(unknown.outcome, Outcome::Error);
    assert!(
        unknown.stderr.contains("did you mean `drop-column`?"),
        "{}",
        unknown.stderr
    );
    let allowed = p
        .autogen(&[
            "--deny",
            "AG102",
            "--allow",
            "AG102=nickname unused since v1\nDROP TABLE x;",
            "--models",
            &v2,
            "-m",
            "v2",
        ])
        .await;
    assert_eq!(allowed.outcome, Outcome::Success, "{}", allowed.stdout);
    assert!(
        allowed
            .stdout
            .contains("allowed: nickname unused since v1\\nDROP TABLE x;")
    );
    let up = std::fs::read_to_string(&p.files()[3]).unwrap();
    assert!(
        up.contains("-- autogen allow: AG102 nickname unused since v1\\nDROP TABLE x;\n"),
        "{up}"
    );
}

/// The review formats of one plan with findings of every severity: Markdown and JSON snapshots
/// (revision ids do not appear), the JSON valid against `schema/review.schema.json`, and GitHub
/// annotations at the entity file and line of each finding.
#[tokio::test]
async fn review_formats() {
    let Some((p, _, _)) = at_v1_with_rows(Dialect::Postgres, "online", "formats").await else {
        return;
    };
    // Back to v1 on disk: `diff` shows the v2 plan without writing it.
    for f in p.files().iter().skip(2) {
        std::fs::remove_file(f).unwrap();
    }
    let v2 = models(&online(2));
    let markdown = p
        .ok(&["--models", &v2, "diff", "--format", "markdown"])
        .await;
    insta::assert_snapshot!("review_markdown", markdown);
    let json = p.ok(&["--models", &v2, "diff", "--format", "json"]).await;
    let fixture = online(2).display().to_string();
    insta::assert_snapshot!(
        "review_json",
        redact_revisions(&json.replace(&fixture, "<fixture>"))
    );
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    validate_against_schema(&value);
    let github = p.ok(&["--models", &v2, "diff", "--format", "github"]).await;
    let account = online(2).join("account.rs").display().to_string();
    assert!(
        github.contains(&format!(
            "::error file={},line=",
            account.replace(':', "%3A")
        )),
        "{github}"
    );
    assert!(github.contains("title=AG102 drop-column::"), "{github}");
    // A column's finding stands at its field; a table's (or a dropped column's) at the struct.
    let source = std::fs::read_to_string(online(2).join("account.rs")).unwrap();
    let line_of = |text: &str| source.lines().position(|l| l.contains(text)).unwrap() + 1;
    for (rule, at) in [("AG202", "pub name: String"), ("AG102", "pub struct Model")] {
        let line = github
            .lines()
            .find(|l| l.contains(&format!("title={rule} ")))
            .unwrap();
        assert!(
            line.contains(&format!(",line={},", line_of(at))),
            "{rule}: {line}"
        );
    }
    // `check` in every format exits 1 on drift.
    for format in ["text", "json", "markdown", "github"] {
        let run = p
            .autogen(&["--models", &v2, "check", "--format", format])
            .await;
        assert_eq!(run.outcome, Outcome::Drift, "{format}");
    }
}

/// The published JSON Schema, checked the way a consumer would: required fields present, types
/// as declared, enums respected (a small validator for the subset of JSON Schema the file uses).
fn validate_against_schema(value: &serde_json::Value) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema/review.schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("schema file")).expect("json");
    let mut errors = Vec::new();
    check_node(&schema, &schema, value, "$", &mut errors);
    assert!(errors.is_empty(), "{errors:#?}");
}

fn check_node(
    root: &serde_json::Value,
    schema: &serde_json::Value,
    value: &serde_json::Value,
    at: &str,
    errors: &mut Vec<String>,
) {
    use serde_json::Value;
    let schema = match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r.trim_start_matches("#/$defs/");
            &root["$defs"][name]
        }
        None => schema,
    };
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let ok = types.iter().any(|t| match *t {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "integer" => value.is_u64() || value.is_i64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            "null" => value.is_null(),
            _ => false,
        });
        if !ok {
            errors.push(format!("{at}: {value} is not {types:?}"));
            return;
        }
    }
    if let Some(Value::Array(options)) = schema.get("enum")
        && !options.contains(value)
    {
        errors.push(format!("{at}: {value} is not one of {options:?}"));
    }
    if let Some(Value::Array(required)) = schema.get("required") {
        for r in required.iter().filter_map(Value::as_str) {
            if value.get(r).is_none() {
                errors.push(format!("{at}: `{r}` is missing"));
            }
        }
    }
    if let (Some(Value::Object(props)), Some(obj)) = (schema.get("properties"), value.as_object()) {
        for (k, v) in obj {
            match props.get(k) {
                Some(s) => check_node(root, s, v, &format!("{at}.{k}"), errors),
                None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    errors.push(format!("{at}: `{k}` is not in the schema"))
                }
                None => {}
            }
        }
    }
    if let (Some(items), Some(arr)) = (schema.get("items"), value.as_array()) {
        for (i, v) in arr.iter().enumerate() {
            check_node(root, items, v, &format!("{at}[{i}]"), errors);
        }
    }
}

/// `check --dev-url` on each dialect: in sync from base (exit 0) without the configured
/// database; an entity edit without a migration (1); a hand-edited down migration that does not
/// restore the catalog (3); two heads (4); a denied finding (5). The configured database is never
/// touched, and the scratch database is gone afterwards.
#[tokio::test]
async fn check_with_a_dev_database() {
    for dialect in Dialect::ALL {
        let Some(p) = Project::new(dialect, "sql", "dev_check").await else {
            return;
        };
        let dev = match dialect {
            Dialect::Postgres => postgres_admin_url(),
            Dialect::MySql => autogen_tests::mysql_admin_url(),
            Dialect::Sqlite => "sqlite::memory:".to_string(),
        };
        let v1 = models(&online(1));
        let v2 = models(&online(2));
        p.ok(&["--models", &v1, "-m", "v1"]).await;
        // The configured database stays empty: --dev-url never connects to it.
        let run = p.ok(&["--models", &v1, "check", "--dev-url", &dev]).await;
        assert!(run.contains("in sync"), "{}", run);
        assert!(
            !p.db.has_table("accounts").await,
            "{dialect}: configured database touched"
        );
        let drift = p
            .autogen(&["--models", &v2, "check", "--dev-url", &dev])
            .await;
        assert_eq!(drift.outcome, Outcome::Drift, "{dialect}: {}", drift.stdout);
        // A hand-edited down migration that leaves a table behind (written as a developer does,
        // against a database at head).
        p.ok(&["--models", &v1, "upgrade", "head"]).await;
        p.ok(&[
            "--models",
            &v2,
            "--safety",
            "simple",
            "-m",
            "v2",
            "--allow",
            "AG307=small",
        ])
        .await;
        let down = p
            .files()
            .into_iter()
            .find(|f| f.to_string_lossy().ends_with("v2.down.sql"))
            .unwrap();
        let text = std::fs::read_to_string(&down).unwrap();
        std::fs::write(
            &down,
            format!("{text}\nCREATE TABLE leftover (id integer PRIMARY KEY);\n"),
        )
        .unwrap();
        let broken = p
            .autogen(&["--models", &v2, "check", "--dev-url", &dev])
            .await;
        assert_eq!(
            broken.outcome,
            Outcome::RoundTrip,
            "{dialect}: {}{}",
            broken.stdout,
            broken.stderr
        );
        assert!(
            broken.stdout.contains("does not round-trip") && broken.stdout.contains("leftover"),
            "{}",
            broken.stdout
        );
        std::fs::write(&down, text).unwrap();
        assert_eq!(
            p.autogen(&["--models", &v2, "check", "--dev-url", &dev])
                .await
                .outcome,
            Outcome::Success
        );
        // v2 drops a column (AG102): denied, unless the revision allows it.
        let denied = p
            .autogen(&[
                "--deny",
                "AG102",
                "--models",
                &v2,
                "check",
                "--dev-url",
                &dev,
            ])
            .await;
        assert_eq!(
            denied.outcome,
            Outcome::Denied,
            "{dialect}: {}",
            denied.stdout
        );
        // Two heads.
        let first = p.files()[0].file_name().unwrap().to_string_lossy()[..14].to_string();
        let fork = p.migrations().join("29990101000000_fork.up.sql");
        std::fs::write(&fork, format!("-- autogen revision: 29990101000000\n-- autogen parent: {first}\n-- autogen message: fork\nSELECT 1;\n")).unwrap();
        std::fs::write(
            p.migrations().join("29990101000000_fork.down.sql"),
            "SELECT 1;\n",
        )
        .unwrap();
        let forked = p
            .autogen(&[
                "--models",
                &v2,
                "check",
                "--dev-url",
                &dev,
                "--format",
                "json",
            ])
            .await;
        assert_eq!(
            forked.outcome,
            Outcome::Forked,
            "{dialect}: {}{}",
            forked.stdout,
            forked.stderr
        );
        let value: serde_json::Value = serde_json::from_str(&forked.stdout).expect("json");
        assert_eq!(value["status"], "forked");
        validate_against_schema(&value);
    }
    // No scratch database is left on the servers.
    if let Some(db) = TestDb::new(Dialect::Postgres, "scratch_leftovers").await {
        let left = db
            .strings("SELECT datname::text FROM pg_database WHERE datname LIKE 'autogen_dev_%'")
            .await;
        assert!(left.is_empty(), "{left:?}");
    }
}

/// `lint` on a hand-written revision: its statements read with sqlparser get the plan's rule
/// ids; `--deny` fails it (exit 5) until the revision's header allows the finding with a reason,
/// which the output shows; one revision can be named; JSON validates against the schema.
#[tokio::test]
async fn lint_reads_hand_written_revisions() {
    let Some(p) = Project::new(Dialect::Postgres, "sql", "lint").await else {
        return;
    };
    let v1 = models(&online(1));
    p.ok(&["--models", &v1, "-m", "v1"]).await;
    p.ok(&["--models", &v1, "upgrade", "head"]).await;
    p.ok(&["--models", &v1, "revision", "-m", "by hand"]).await;
    let up = p
        .files()
        .into_iter()
        .find(|f| f.to_string_lossy().ends_with("by_hand.up.sql"))
        .unwrap();
    let header = std::fs::read_to_string(&up).unwrap();
    let id = header
        .lines()
        .next()
        .unwrap()
        .rsplit(' ')
        .next()
        .unwrap()
        .to_string();
    std::fs::write(&up, format!("{header}\nCREATE INDEX by_score ON accounts (score);\nALTER TABLE accounts RENAME COLUMN nickname TO nick;\n")).unwrap();
    let run = p.ok(&["--models", &v1, "lint"]).await;
    for rule in [
        "[AG301 blocking-index-build]",
        "[AG308 missing-lock-timeout]",
        "[AG402 rename-column]",
    ] {
        assert!(run.contains(rule), "{rule}: {}", run);
    }
    let denied = p
        .autogen(&["--deny", "AG301", "--models", &v1, "lint", &id])
        .await;
    assert_eq!(denied.outcome, Outcome::Denied, "{}", denied.stdout);
    let allowed = header.replacen(
        "-- autogen message: by hand\n",
        "-- autogen message: by hand\n-- autogen allow: AG301 accounts has 40 rows\n",
        1,
    );
    assert_ne!(allowed, header, "{header}");
    std::fs::write(
        &up,
        format!("{allowed}\nCREATE INDEX by_score ON accounts (score);\n"),
    )
    .unwrap();
    let run = p
        .autogen(&[
            "--deny", "AG301", "--models", &v1, "lint", &id, "--format", "json",
        ])
        .await;
    assert_eq!(run.outcome, Outcome::Success, "{}", run.stdout);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    validate_against_schema(&value);
    let finding = value["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "AG301")
        .expect("AG301");
    assert_eq!(finding["allowed"], "accounts has 40 rows");
    assert_eq!(finding["revision"], id.as_str());
    assert!(finding["line"].as_u64().is_some());
}

/// lint fails closed: a `DO` block sqlparser cannot read is finding AG504 and does not hide the
/// `DROP TABLE` after it (each statement is linted as the runner splits it); under any `deny` the
/// unread statement is denied unless the revision allows it; a revision file that is not UTF-8,
/// up or down, is an error naming it.
#[tokio::test]
async fn lint_fails_closed() {
    let Some(p) = Project::new(Dialect::Postgres, "sql", "lint_closed").await else {
        return;
    };
    let v1 = models(&online(1));
    p.ok(&["--models", &v1, "-m", "v1"]).await;
    p.ok(&["--models", &v1, "revision", "-m", "by hand"]).await;
    let file = |suffix: &str| {
        p.files()
            .into_iter()
            .find(|f| f.to_string_lossy().ends_with(suffix))
            .unwrap()
    };
    let (up, down) = (file("by_hand.up.sql"), file("by_hand.down.sql"));
    let header = std::fs::read_to_string(&up).unwrap();
    let body = "\nDO $$ BEGIN PERFORM 1; END $$;\nDROP TABLE teams;\n";
    std::fs::write(&up, format!("{header}{body}")).unwrap();
    let run = p
        .autogen(&["--deny", "AG101", "--models", &v1, "lint"])
        .await;
    assert_eq!(run.outcome, Outcome::Denied, "{}", run.stdout);
    for rule in ["[AG504 unparsed-statement]", "[AG101 drop-table]"] {
        assert!(run.stdout.contains(rule), "{rule}: {}", run.stdout);
    }
    // Only the unread block: denied under any deny, allowed by the revision.
    std::fs::write(&up, format!("{header}\nDO $$ BEGIN PERFORM 1; END $$;\n")).unwrap();
    let run = p
        .autogen(&["--deny", "AG102", "--models", &v1, "lint"])
        .await;
    assert_eq!(run.outcome, Outcome::Denied, "{}", run.stdout);
    let run = p.autogen(&["--models", &v1, "lint"]).await;
    assert_eq!(run.outcome, Outcome::Success, "no deny: shown, not denied");
    assert!(run.stdout.contains("AG504"), "{}", run.stdout);
    let allowed = header.replacen(
        "-- autogen message: by hand\n",
        "-- autogen message: by hand\n-- autogen allow: AG504 a no-op block, read by hand\n",
        1,
    );
    std::fs::write(&up, format!("{allowed}\nDO $$ BEGIN PERFORM 1; END $$;\n")).unwrap();
    let run = p
        .autogen(&["--deny", "AG102", "--models", &v1, "lint"])
        .await;
    assert_eq!(run.outcome, Outcome::Success, "{}", run.stdout);
    // A down file that is not UTF-8 is an error naming it, not "0 findings".
    let mut bytes = std::fs::read(&down).unwrap();
    bytes.extend_from_slice(b"\nDROP TABLE accounts; -- \xff\xfe\n");
    std::fs::write(&down, bytes).unwrap();
    let run = p
        .autogen(&["--deny", "AG101", "--models", &v1, "lint"])
        .await;
    assert_ne!(run.outcome, Outcome::Success);
    assert!(
        run.stderr.contains("by_hand.down.sql") && run.stderr.contains("UTF-8"),
        "{}",
        run.stderr
    );
}

/// `deny` judges what the upgrade does: with the README's `deny = ["AG101", "AG102"]`, a new
/// table is written (its down migration's DROP TABLE is shown, not denied); dropping one is not.
#[tokio::test]
async fn deny_judges_the_upgrade() {
    let Some(p) = Project::new(Dialect::Sqlite, "sql", "deny_up").await else {
        return;
    };
    let v1 = models(&online(1));
    let run = p
        .autogen(&["--deny", "AG101,AG102", "--models", &v1, "-m", "v1"])
        .await;
    assert_eq!(run.outcome, Outcome::Success, "{}", run.stdout);
    p.ok(&["--models", &v1, "upgrade", "head"]).await;
    let run = p
        .autogen(&["--deny", "AG101,AG102", "--models", &v1, "lint"])
        .await;
    assert_eq!(run.outcome, Outcome::Success, "{}", run.stdout);
    assert!(
        run.stdout.contains("AG101"),
        "the down's finding is shown: {}",
        run.stdout
    );
    let empty = p.dir.path().join("none");
    std::fs::create_dir_all(&empty).unwrap();
    std::fs::copy(online(1).join("team.rs"), empty.join("team.rs")).unwrap();
    let run = p
        .autogen(&["--deny", "AG101", "--models", &models(&empty), "-m", "drop"])
        .await;
    assert_eq!(run.outcome, Outcome::Denied, "{}", run.stdout);
}

/// The online stages as sea-orm-migration modules: the online one asks for no transaction, and
/// the crate applies, checks and rolls back all three on a populated table.
#[tokio::test]
async fn online_stages_as_rust_revisions() {
    let Some(p) = Project::new(Dialect::Postgres, "rust", "online_rust").await else {
        return;
    };
    let v1 = models(&online(1));
    let v2 = models(&online(2));
    p.ok(&["--models", &v1, "-m", "v1"]).await;
    p.ok(&["--models", &v1, "upgrade", "head"]).await;
    p.db.execute(ROWS).await;
    p.ok(&["--models", &v2, "-m", "v2"]).await;
    let files = p.files();
    assert_eq!(files.len(), 4, "{files:?}");
    let online_module = std::fs::read_to_string(&files[2]).unwrap();
    assert!(
        online_module.contains("(safety = \"online\")") && online_module.contains("Some(false)"),
        "{online_module}"
    );
    // Its session settings and statements run on one connection of the pool.
    assert!(
        online_module.contains("let mut db = OneConnection::of(manager.get_connection()).await?;")
            && !online_module.contains("let db = manager.get_connection();"),
        "{online_module}"
    );
    // autogen still reads the statements it runs (offline scripts, lint).
    let script = p.ok(&["--models", &v2, "upgrade", "--sql", "head"]).await;
    assert!(script.contains("CREATE INDEX CONCURRENTLY"), "{script}");
    p.ok(&["--models", &v2, "upgrade", "head"]).await;
    p.ok(&["--models", &v2, "check"]).await;
    p.ok(&["--models", &v2, "downgrade", "-1"]).await;
    assert_eq!(
        p.db.strings("SELECT email FROM accounts ORDER BY id")
            .await
            .len(),
        2
    );
    // One change reverted: `diff` names its three revisions as pending and plans nothing anew.
    let back = p.autogen(&["--models", &v1, "diff"]).await;
    assert_eq!(back.outcome, Outcome::Drift, "{}", back.stderr);
    assert_eq!(back.stdout.matches("\n  2").count(), 3, "{}", back.stdout);
    assert!(!back.stdout.contains("Plan for"), "{}", back.stdout);
}

/// An online revision runs again after a failure: here its every statement already ran (by
/// psql, as if the run died before recording it), and `upgrade head` runs it once more without
/// an error, reaching the same catalog.
#[tokio::test]
async fn an_online_revision_runs_again_after_a_failure() {
    let Some((p, _, _)) = at_v1_with_rows(Dialect::Postgres, "online", "rerun").await else {
        return;
    };
    let v2 = models(&online(2));
    p.ok(&["--models", &v2, "upgrade", "+1"]).await;
    // The online stage's revisions (each statement refusing a transaction alone in one), run
    // again by hand after they were applied: each is idempotent.
    let online_ups: Vec<_> = p
        .files()
        .into_iter()
        .filter(|f| {
            let name = f.to_string_lossy();
            name.contains("_online") && name.ends_with(".up.sql")
        })
        .collect();
    assert!(online_ups.len() > 1, "{online_ups:?}");
    for up in online_ups {
        let text = std::fs::read_to_string(&up).unwrap();
        assert!(text.starts_with("-- no-transaction\n"), "{text}");
        autogen_tests::run_client(&p.db, &text);
    }
    p.ok(&["--models", &v2, "upgrade", "head"]).await;
    p.ok(&["--models", &v2, "check"]).await;
}
