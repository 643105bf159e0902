//! The first hour of a new user (issue 19): autogen says which database it acts on and refuses
//! a URL that names none, drop findings say how many rows they drop, `diff` never plans pending
//! work as new, `-m --dev-url` writes without the last revision applied, failures advise what the
//! revision's kind allows, a history of another dialect is refused before anything runs, and
//! plans say what a reviewer needs (defaults, enum values, the down direction).

use autogen_cli::Outcome;
use autogen_schema::Dialect;
use autogen_tests::{Project, autogen, dev_url, entity};

const ALL: [Dialect; 3] = [Dialect::Sqlite, Dialect::Postgres, Dialect::MySql];

/// A project whose entities live in `models/`, written by [`Project::write`].
async fn project(dialect: Dialect, tag: &str) -> Option<Project> {
    let p = Project::new(dialect, "sql", tag).await?;
    std::fs::create_dir_all(p.dir.path().join("models")).unwrap();
    let toml = std::fs::read_to_string(p.config()).unwrap() + "models = \"models\"\n";
    std::fs::write(p.config(), toml).unwrap();
    Some(p)
}

fn write(p: &Project, table: &str, fields: &str) {
    std::fs::write(
        p.dir.path().join(format!("models/{table}.rs")),
        entity(table, fields),
    )
    .unwrap();
}

fn remove(p: &Project, table: &str) {
    std::fs::remove_file(p.dir.path().join(format!("models/{table}.rs"))).unwrap();
}

const FEE: &str = "    pub amount: i32,\n    pub note: Option<String>,\n";

/// A `fee` table with three rows, applied.
async fn with_fees(dialect: Dialect, tag: &str) -> Option<Project> {
    let p = project(dialect, tag).await?;
    write(&p, "fee", FEE);
    p.ok(&["-m", "fees"]).await;
    p.ok(&["upgrade", "head"]).await;
    p.db.execute(
        "INSERT INTO fee (id, amount, note) VALUES (1, 5, 'a'), (2, 6, NULL), (3, 7, 'c')",
    )
    .await;
    Some(p)
}

#[tokio::test(flavor = "multi_thread")]
async fn writing_commands_name_their_target_and_a_url_without_a_database_is_refused() {
    for dialect in ALL {
        let Some(p) = with_fees(dialect, "target").await else {
            continue;
        };
        let shown = autogen_db::redact_url(&p.db.url);
        write(&p, "fee", &format!("{FEE}    pub paid: Option<bool>,\n"));
        for args in [
            &["-m", "paid"][..],
            &["upgrade", "head"],
            &["check"],
            &["downgrade", "-1"],
        ] {
            let run = p.autogen(args).await;
            assert_eq!(run.outcome, Outcome::Success, "{args:?}: {}", run.stderr);
            assert!(
                run.stderr
                    .starts_with(&format!("autogen: database {shown}")),
                "{dialect} {args:?}: {}",
                run.stderr
            );
            // What goes to stdout stays the command's output (JSON stays JSON).
            assert!(!run.stdout.contains("autogen: database"), "{}", run.stdout);
        }
        let wrote = p.autogen(&["revision", "-m", "again"]).await;
        assert!(
            wrote.stderr.contains("; writing into ") && wrote.stderr.contains("migrations"),
            "{}",
            wrote.stderr
        );
    }
    // A server URL without a database: refused before connecting, whatever the command.
    // Each is told what its server would do instead: PostgreSQL picks one, MySQL none, and
    // SQLite's empty file name is a temporary database.
    for (url, says) in [
        ("postgres://postgres@127.0.0.1:5432", "`/postgres`"),
        ("postgresql://postgres@127.0.0.1:5432/", "`/postgres`"),
        ("mysql://root@127.0.0.1:3306", "connect to no database"),
        ("sqlite://", "temporary"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let models = dir.path().display().to_string();
        for command in [
            &["-m", "x"][..],
            &["upgrade", "head"],
            &["check"],
            &["diff"],
        ] {
            let mut args = vec!["--database-url", url, "--models", &models];
            args.extend_from_slice(command);
            let run = autogen(&args).await;
            assert_eq!(run.outcome, Outcome::Error, "{url} {command:?}");
            assert!(
                run.stderr.contains("names no database") && run.stderr.contains(says),
                "{}",
                run.stderr
            );
            assert!(!run.stderr.contains("autogen: database"), "{}", run.stderr);
        }
    }
    // Named explicitly, the server's default database is accepted.
    let Some(admin) = [autogen_tests::postgres_admin_url()]
        .into_iter()
        .find(|u| u.ends_with("/postgres"))
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let run = autogen(&[
        "--database-url",
        &admin,
        "--migrations",
        &dir.path().join("m").display().to_string(),
        "current",
    ])
    .await;
    assert_eq!(run.outcome, Outcome::Success, "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn drop_findings_say_how_many_rows_they_drop() {
    for dialect in ALL {
        let Some(p) = with_fees(dialect, "rows").await else {
            continue;
        };
        write(&p, "fee", "    pub amount: i32,\n");
        let plan = p.ok(&["diff"]).await;
        assert!(
            plan.contains("drops column fee.note and its data (3 rows)"),
            "{dialect}: {plan}"
        );
        let json = p.ok(&["diff", "--format", "json"]).await;
        assert!(json.contains("(3 rows)"), "{json}");
        let markdown = p.ok(&["diff", "--format", "markdown"]).await;
        assert!(markdown.contains("(3 rows)"), "{markdown}");
        p.ok(&["-m", "no note", "--safety", "simple"]).await;
        let header = std::fs::read_to_string(
            p.files()
                .into_iter()
                .find(|f| f.to_string_lossy().ends_with("no_note.up.sql"))
                .expect("the revision"),
        )
        .unwrap();
        assert!(header.contains("(3 rows)"), "{header}");
        p.ok(&["upgrade", "head"]).await;
        // A table dropped: its rows counted; the down's drops (of what the up adds) never are.
        remove(&p, "fee");
        write(&p, "other", "");
        let plan = p.ok(&["diff"]).await;
        assert!(
            plan.contains("drops table fee and every row in it (3 rows)")
                && plan.contains("(down) drops table other and every row in it\n"),
            "{dialect}: {plan}"
        );
        // Planned on a scratch database, nothing is counted: its rows are not the user's.
        let scratch = p.ok(&["diff", "--dev-url", &dev_url(dialect)]).await;
        assert!(
            scratch.contains("drops table fee and every row in it\n"),
            "{dialect}: {scratch}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn pending_revisions_are_named_never_planned_again_and_dev_url_writes_the_next() {
    for dialect in ALL {
        let Some(p) = with_fees(dialect, "pending").await else {
            continue;
        };
        // A rename written, not applied; then another change.
        write(
            &p,
            "fee",
            "    pub amount: i32,\n    #[sea_orm(renamed_from = \"note\")]\n    pub memo: Option<String>,\n",
        );
        p.ok(&["-m", "rename note"]).await;
        write(
            &p,
            "fee",
            "    pub amount: i32,\n    #[sea_orm(renamed_from = \"note\")]\n    pub memo: Option<String>,\n    pub paid: Option<bool>,\n",
        );
        let diff = p.autogen(&["diff"]).await;
        assert_eq!(diff.outcome, Outcome::Drift, "{dialect}: {}", diff.stderr);
        assert!(
            diff.stdout.contains("pending revisions:")
                && diff.stdout.contains(" rename note")
                && !diff.stdout.contains("rename column"),
            "{dialect}: {}",
            diff.stdout
        );
        let check = p.autogen(&["check"]).await;
        assert_eq!(check.outcome, Outcome::Drift);
        assert!(check.stdout.contains(" rename note"), "{}", check.stdout);
        // -m refuses the same state, and points at --dev-url.
        let refused = p.autogen(&["-m", "paid"]).await;
        assert_eq!(refused.outcome, Outcome::Error);
        assert!(refused.stderr.contains("--dev-url"), "{}", refused.stderr);
        // With a dev server: the plan is against head, so only the new column; the database
        // named in autogen.toml is not touched.
        let dev = dev_url(dialect);
        let shown = p.ok(&["diff", "--dev-url", &dev]).await;
        assert!(
            shown.contains("add column fee.paid") && !shown.contains("rename"),
            "{dialect}: {shown}"
        );
        let wrote = p.ok(&["-m", "paid", "--dev-url", &dev]).await;
        assert!(wrote.contains("add column fee.paid"), "{wrote}");
        assert!(!wrote.contains("rename"), "{wrote}");
        p.ok(&["upgrade", "head"]).await;
        p.ok(&["check"]).await;
        let values = p.db.strings("SELECT memo FROM fee WHERE id = 1").await;
        assert_eq!(values, ["a"], "{dialect}: the rename kept the values");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_history_of_another_dialect_is_refused_before_anything_runs() {
    let Some(pg) = with_fees(Dialect::Postgres, "dialect_pg").await else {
        return;
    };
    let header = std::fs::read_to_string(&pg.files()[0]).unwrap();
    assert!(
        header.contains("-- autogen dialect: postgres (planned on PostgreSQL "),
        "{header}"
    );
    for dialect in [Dialect::MySql, Dialect::Sqlite] {
        let Some(other) = Project::new(dialect, "sql", "dialect_other").await else {
            continue;
        };
        let migrations = pg.migrations().display().to_string();
        let run = other
            .autogen(&["--migrations", &migrations, "upgrade", "head"])
            .await;
        assert_eq!(run.outcome, Outcome::Error, "{}", run.stdout);
        assert!(
            run.stderr
                .contains("was written for postgres (planned on PostgreSQL")
                && run.stderr.contains(&format!(
                    "this database is {}",
                    if dialect == Dialect::MySql {
                        "MariaDB"
                    } else {
                        "SQLite"
                    }
                ))
                && run.stderr.contains("nothing was run"),
            "{}",
            run.stderr
        );
        // Nothing ran: not even the version table was made.
        assert!(!other.db.has_table("_sqlx_migrations").await);
        // Offline too: no script for another dialect.
        let offline = other
            .autogen(&["--migrations", &migrations, "upgrade", "--sql", "head"])
            .await;
        assert_eq!(offline.outcome, Outcome::Error, "{}", offline.stdout);
        assert!(
            offline.stderr.contains("was written for postgres"),
            "{}",
            offline.stderr
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn plans_show_defaults_enum_values_and_the_down_direction() {
    for dialect in ALL {
        let Some(p) = with_fees(dialect, "plans").await else {
            continue;
        };
        write(
            &p,
            "fee",
            &format!(
                "{FEE}    #[sea_orm(column_type = \"String(StringLen::N(3))\", default_value = \"EUR\")]\n    pub currency: String,\n"
            ),
        );
        let plan = p.ok(&["diff"]).await;
        assert!(
            plan.contains("(1 operation):")
                && plan.contains("+ add column fee.currency String(3) NOT NULL DEFAULT 'EUR'"),
            "{dialect}: {plan}"
        );
        // A lone revision carries the author's message, whatever its kind.
        let wrote = p.ok(&["-m", "currency"]).await;
        assert_eq!(wrote.matches("wrote ").count(), 2, "{wrote}");
        assert!(!wrote.contains("_online"), "{wrote}");
        // lint marks the findings of down migrations.
        let lint = p.ok(&["lint"]).await;
        assert!(
            lint.contains("(down) drops column fee.currency"),
            "{dialect}: {lint}"
        );
        // downgrade prints what the down it ran drops, with the rows it dropped.
        p.ok(&["upgrade", "head"]).await;
        let down = p.ok(&["downgrade", "-1"]).await;
        assert!(
            down.contains("reverted ")
                && down.contains("(down) drops column fee.currency and its data (3 rows)"),
            "{dialect}: {down}"
        );
    }
}

/// MariaDB keeps an enum in its column's type: a change is shown as its values, and only one
/// that removes values is a finding.
#[tokio::test(flavor = "multi_thread")]
async fn mysql_enum_changes_read_as_values() {
    let Some(p) = project(Dialect::MySql, "mysql_enum").await else {
        return;
    };
    let status = |values: &[&str]| {
        let variants: String = values
            .iter()
            .map(|v| {
                format!(
                    "    #[sea_orm(string_value = \"{v}\")]\n    {}{},\n",
                    v[..1].to_uppercase(),
                    &v[1..]
                )
            })
            .collect();
        format!(
            "use sea_orm::entity::prelude::*;\n#[derive(Debug, Clone, PartialEq, Eq, EnumIter, DeriveActiveEnum)]\n\
             #[sea_orm(rs_type = \"String\", db_type = \"Enum\", enum_name = \"fee_status\")]\npub enum FeeStatus {{\n{variants}}}\n"
        )
    };
    let fee = |values: &[&str]| {
        entity("fee", "    pub status: FeeStatus,\n")
            + &status(values).replace("use sea_orm::entity::prelude::*;\n", "")
    };
    let path = p.dir.path().join("models/fee.rs");
    std::fs::write(&path, fee(&["pending"])).unwrap();
    p.ok(&["-m", "fees"]).await;
    p.ok(&["upgrade", "head"]).await;
    std::fs::write(&path, fee(&["pending", "paid"])).unwrap();
    let plan = p.ok(&["diff"]).await;
    assert!(
        plan.contains("alter column fee.status: enum values (pending) -> (pending, paid)")
            && !plan.contains("Custom(")
            && !plan.contains("Hazards:")
            && plan.contains("[AG205 remove-enum-values] (down)"),
        "{plan}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_online_failure_says_to_run_again_and_names_the_invalid_index() {
    let Some(p) = with_fees(Dialect::Postgres, "online_failure").await else {
        return;
    };
    p.db.execute("INSERT INTO fee (id, amount) VALUES (4, 5)")
        .await;
    write(
        &p,
        "fee",
        "    #[sea_orm(unique)]\n    pub amount: i32,\n    pub note: Option<String>,\n",
    );
    p.ok(&["-m", "unique amount"]).await;
    let run = p.autogen(&["upgrade", "head"]).await;
    assert_eq!(run.outcome, Outcome::Error, "{}", run.stdout);
    let err = &run.stderr;
    assert!(
        err.contains("is duplicated")
            && err.contains("each statement is idempotent")
            && err.contains("run the same command again")
            && !err.contains("Undo them by hand")
            && !err.contains("commits each statement as it goes"),
        "{err}"
    );
    assert!(
        err.contains("left index fee_amount_key INVALID"),
        "the index the failed build left behind is named: {err}"
    );
    // The advice holds: with the duplicate gone, the same command finishes the change.
    p.db.execute("DELETE FROM fee WHERE id = 4").await;
    p.ok(&["upgrade", "head"]).await;
    p.ok(&["check"]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_mysql_failure_lists_the_work_that_stayed_but_no_session_setting() {
    let Some(p) = with_fees(Dialect::MySql, "mysql_failure").await else {
        return;
    };
    let id = "20300101000000";
    let parent = p.files()[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .split('_')
        .next()
        .unwrap()
        .to_string();
    std::fs::write(
        p.migrations().join(format!("{id}_by_hand.up.sql")),
        format!(
            "-- autogen revision: {id}\n-- autogen parent: {parent}\n-- autogen message: by hand\n\
             SET SESSION lock_wait_timeout = 5;\nALTER TABLE fee ADD COLUMN a int NULL;\n\
             ALTER TABLE fee ADD COLUMN a int NULL;\n"
        ),
    )
    .unwrap();
    std::fs::write(
        p.migrations().join(format!("{id}_by_hand.down.sql")),
        format!("-- autogen revision: {id}\nALTER TABLE fee DROP COLUMN a;\n"),
    )
    .unwrap();
    let run = p.autogen(&["upgrade", "head"]).await;
    assert_eq!(run.outcome, Outcome::Error, "{}", run.stdout);
    let err = &run.stderr;
    assert!(
        err.contains("commits each statement as it goes")
            && err.contains("1. ALTER TABLE fee ADD COLUMN a")
            && !err.contains("SET SESSION"),
        "{err}"
    );
}

/// A table the server estimates at a million rows or more is not counted: its finding gives
/// the estimate, and says so.
#[tokio::test(flavor = "multi_thread")]
async fn a_large_table_reports_the_server_estimate() {
    let Some(p) = with_fees(Dialect::Postgres, "estimate").await else {
        return;
    };
    p.db.execute(
        "INSERT INTO fee (id, amount) SELECT g, 1 FROM generate_series(10, 1100009) g; ANALYZE fee",
    )
    .await;
    remove(&p, "fee");
    write(&p, "other", "");
    let plan = p.ok(&["diff"]).await;
    assert!(
        plan.contains("drops table fee and every row in it (about 1,")
            && plan.contains(" rows (the server's estimate))"),
        "{plan}"
    );
}

/// A large table the server has no estimate for (SQLite keeps none) is counted up to a million
/// rows, never read whole.
#[tokio::test(flavor = "multi_thread")]
async fn a_large_table_without_an_estimate_is_counted_up_to_a_bound() {
    let Some(p) = with_fees(Dialect::Sqlite, "bounded").await else {
        return;
    };
    p.db.execute(
        "INSERT INTO fee (id, amount) WITH RECURSIVE c(x) AS (SELECT 10 UNION ALL \
         SELECT x + 1 FROM c WHERE x < 1000009) SELECT x, 1 FROM c",
    )
    .await;
    write(&p, "fee", "    pub amount: i32,\n");
    let plan = p.ok(&["diff"]).await;
    assert!(
        plan.contains("drops column fee.note and its data (at least 1,000,000 rows)"),
        "{plan}"
    );
}

/// `init` ends with the next step a new user takes.
#[tokio::test(flavor = "multi_thread")]
async fn init_says_what_to_do_next() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("autogen.toml").display().to_string();
    let migrations = dir.path().join("migrations").display().to_string();
    let run = autogen(&["-c", &config, "--migrations", &migrations, "init"]).await;
    assert_eq!(run.outcome, Outcome::Success, "{}", run.stderr);
    assert!(
        run.stdout.contains("Next: ") && run.stdout.contains("autogen -m \"first migration\""),
        "{}",
        run.stdout
    );
}

/// A revision written by hand (`autogen revision -m`) names the dialect it was written for
/// too, so that its SQL is refused on another dialect before anything runs, as an
/// autogenerated one is.
#[tokio::test(flavor = "multi_thread")]
async fn a_hand_written_revision_is_refused_on_another_dialect() {
    let Some(lite) = Project::new(Dialect::Sqlite, "sql", "dialect_hand").await else {
        return;
    };
    lite.ok(&["revision", "-m", "backfill"]).await;
    let up = lite
        .files()
        .into_iter()
        .find(|f| f.to_string_lossy().ends_with(".up.sql"))
        .expect("the up file");
    let text = std::fs::read_to_string(&up).unwrap();
    assert!(
        text.contains("-- autogen dialect: sqlite (written by hand)"),
        "{text}"
    );
    std::fs::write(
        &up,
        format!("{text}\nCREATE TABLE backfill (id INTEGER);\n"),
    )
    .unwrap();
    let Some(pg) = Project::new(Dialect::Postgres, "sql", "dialect_hand_pg").await else {
        return;
    };
    let migrations = lite.migrations().display().to_string();
    let run = pg
        .autogen(&["--migrations", &migrations, "upgrade", "head"])
        .await;
    assert_eq!(run.outcome, Outcome::Error, "{}", run.stdout);
    assert!(
        run.stderr
            .contains("was written for sqlite (written by hand)")
            && run.stderr.contains("nothing was run"),
        "{}",
        run.stderr
    );
    assert!(!pg.db.has_table("backfill").await);
    // On its own dialect it runs.
    lite.ok(&["upgrade", "head"]).await;
    assert!(lite.db.has_table("backfill").await);
}
