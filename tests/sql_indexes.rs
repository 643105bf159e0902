//! Indexes no entity can declare (an expression, a descending key, an operator class or a
//! collation of their own, `INCLUDE` columns) are SQL files in `indexes/`, on PostgreSQL and
//! SQLite: adopted from a database, built the same in a new one, changed (on PostgreSQL under
//! `online`, concurrently, and squawk finds nothing with a safe form), checked clean and
//! reversed. One made by hand and declared nowhere survives; one an entity declares too, or
//! one an entity could declare, is an error.

use autogen_cli::Outcome;
use autogen_schema::Dialect;
use autogen_tests::squawk::{squawk, with_safe_form};
use autogen_tests::{Project, TestDb};

const POSTGRES: &str = "
CREATE TABLE accounts (id integer PRIMARY KEY, email text NOT NULL, name text, score integer);
CREATE INDEX accounts_email_lower ON accounts (lower(email));
CREATE INDEX accounts_top ON accounts (score DESC NULLS LAST) INCLUDE (name);
CREATE UNIQUE INDEX accounts_email_c ON accounts (email COLLATE \"C\") WHERE score > 0;
CREATE INDEX accounts_name ON accounts (name);
COMMENT ON INDEX accounts_email_lower IS 'by email';
INSERT INTO accounts VALUES (1, 'Ada@example.com', 'ada', 5);
";

const SQLITE: &str = "
CREATE TABLE accounts (id integer PRIMARY KEY, email text NOT NULL, name text, score integer);
CREATE INDEX accounts_email_lower ON accounts (lower(email));
CREATE INDEX accounts_top ON accounts (score DESC);
CREATE INDEX accounts_name_nocase ON accounts (name COLLATE NOCASE);
CREATE INDEX accounts_name ON accounts (name);
INSERT INTO accounts VALUES (1, 'Ada@example.com', 'ada', 5);
";

/// `(name, definition)` of the table's indexes as the catalog holds them.
async fn indexes(db: &TestDb) -> Vec<String> {
    let sql = match db.dialect {
        Dialect::Postgres => {
            "SELECT indexname || ': ' || indexdef FROM pg_indexes \
             WHERE schemaname = current_schema() AND tablename = 'accounts' ORDER BY 1"
        }
        _ => {
            // Quotes aside: a plain index is written by autogen's renderer in a new environment.
            "SELECT name || ': ' || replace(coalesce(sql, ''), '\"', '') FROM sqlite_master \
             WHERE type = 'index' AND tbl_name = 'accounts' ORDER BY 1"
        }
    };
    db.strings(sql).await
}

async fn round_trip(dialect: Dialect, format: &str) {
    let Some(p) = Project::new(dialect, format, &format!("sql_indexes_{format}")).await else {
        return;
    };
    let script = if dialect == Dialect::Postgres {
        POSTGRES
    } else {
        SQLITE
    };
    for statement in script.split(";\n").filter(|s| !s.trim().is_empty()) {
        p.db.execute(statement).await;
    }
    let before = indexes(&p.db).await;
    let init = p.ok(&["init", "--from-database"]).await;
    assert!(init.contains("No changes detected"), "{init}");
    let models = p.dir.path().join("src/entity");
    let file = models.join("sql/indexes/accounts_email_lower.sql");
    let text = std::fs::read_to_string(&file).expect("the expression index is a SQL file");
    assert!(text.contains("lower(email)"), "{text}");
    if dialect == Dialect::Postgres {
        assert!(
            text.contains("IS 'by email'"),
            "its comment goes with it: {text}"
        );
    }
    assert!(
        !models.join("sql/indexes/accounts_name.sql").exists(),
        "a plain index stays on its entity"
    );
    let entity = std::fs::read_to_string(models.join("accounts.rs")).expect("entity");
    assert!(entity.contains("accounts_name"), "{entity}");

    // A new environment builds the same indexes.
    let Some(fresh) = TestDb::new(dialect, "sql_indexes_fresh").await else {
        return;
    };
    p.ok(&["--database-url", &fresh.url, "upgrade", "head"])
        .await;
    p.ok(&["--database-url", &fresh.url, "check"]).await;
    assert_eq!(indexes(&fresh).await, before);

    // Made by hand, declared nowhere: left alone, counted.
    p.db.execute("CREATE INDEX mine ON accounts (upper(name))")
        .await;

    // The expression changes: dropped and built again, concurrently on PostgreSQL (online).
    let comment = if dialect == Dialect::Postgres {
        "COMMENT ON INDEX accounts_email_lower IS 'by name';\n"
    } else {
        ""
    };
    std::fs::write(
        &file,
        format!(
            "-- by name now\nCREATE INDEX accounts_email_lower ON accounts (lower(name));\n{comment}"
        ),
    )
    .expect("file");
    let plan = p.ok(&["-m", "by_name"]).await;
    assert!(
        plan.contains("drop index accounts_email_lower on accounts")
            && plan.contains("create index accounts_email_lower on accounts"),
        "{plan}"
    );
    assert!(plan.contains("Left alone: 1 index"), "{plan}");
    assert!(!plan.contains("index mine"), "{plan}");
    if dialect == Dialect::Postgres {
        let files = p.files();
        let last = files.last().expect("a revision").clone();
        let up = std::fs::read_to_string(&last).expect("revision");
        if format == "sql" {
            // The online stage: several revisions, each statement refusing a transaction
            // block alone in one.
            let online: Vec<_> = files
                .into_iter()
                .filter(|f| f.to_string_lossy().contains("by_name_online"))
                .collect();
            let mut up = String::new();
            for f in online
                .iter()
                .filter(|f| f.to_string_lossy().ends_with(".up.sql"))
            {
                let text = std::fs::read_to_string(f).expect("revision");
                assert!(text.starts_with("-- no-transaction"), "{text}");
                up.push_str(&text);
            }
            assert!(
                up.contains("CREATE INDEX CONCURRENTLY IF NOT EXISTS accounts_email_lower"),
                "{up}"
            );
            assert!(up.contains("DROP INDEX CONCURRENTLY IF EXISTS"), "{up}");
            let version = p.db.strings("SHOW server_version").await;
            let major = version[0].split('.').next().unwrap_or("15").to_string();
            if let Some(rules) = squawk(&online, &major) {
                assert!(with_safe_form(&rules).is_empty(), "{rules:?}");
            }
        } else {
            assert!(up.contains("CONCURRENTLY"), "{up}");
        }
    }
    p.ok(&["upgrade", "head"]).await;
    p.ok(&["check"]).await;
    let now = indexes(&p.db).await;
    assert!(
        now.iter()
            .any(|i| i.starts_with("accounts_email_lower") && i.contains("lower(name)")),
        "{now:?}"
    );
    assert!(now.iter().any(|i| i.starts_with("mine")), "{now:?}");
    if dialect == Dialect::Postgres {
        let comment = "SELECT obj_description('accounts_email_lower'::regclass, 'pg_class')";
        assert_eq!(p.db.strings(comment).await, ["by name"]);
    }

    // An entity declaring an index of the same name: two homes for one index, an error.
    let twice = models.join("sql/indexes/accounts_name.sql");
    std::fs::write(
        &twice,
        "CREATE INDEX accounts_name ON accounts (lower(name))",
    )
    .expect("file");
    let run = p.autogen(&["diff"]).await;
    assert_eq!(run.outcome, Outcome::Error, "{}", run.stdout);
    assert!(run.stderr.contains("declares too"), "{}", run.stderr);
    std::fs::remove_file(twice).expect("removed");
    // A file's index an entity could declare (whole columns, in order) is refused: read back, it
    // would be the table's, and the two would fight.
    let plain = models.join("sql/indexes/accounts_plain.sql");
    std::fs::write(&plain, "CREATE INDEX accounts_plain ON accounts (score)").expect("file");
    let run = p.autogen(&["diff"]).await;
    assert_eq!(run.outcome, Outcome::Error, "{}", run.stdout);
    assert!(
        run.stderr.contains("a plain index in a SQL file"),
        "{}",
        run.stderr
    );
    std::fs::remove_file(plain).expect("removed");

    // Reversed: the expression as it was; the hand-made index stays throughout.
    p.ok(&["downgrade", "-1"]).await;
    let back = indexes(&p.db).await;
    assert!(
        back.iter()
            .any(|i| i.starts_with("accounts_email_lower") && i.contains("lower(email)")),
        "{back:?}"
    );
    assert!(back.iter().any(|i| i.starts_with("mine")), "{back:?}");
}

#[tokio::test]
async fn postgres_sql() {
    round_trip(Dialect::Postgres, "sql").await;
}

#[tokio::test]
async fn postgres_rust() {
    round_trip(Dialect::Postgres, "rust").await;
}

#[tokio::test]
async fn sqlite_sql() {
    round_trip(Dialect::Sqlite, "sql").await;
}
