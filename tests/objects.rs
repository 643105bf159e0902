//! Views, routines, triggers, a row-level security policy, an exclusion constraint and
//! composite and range types (PostgreSQL) and an event (MySQL)
//! declared as SQL files beside the entities, end to end on PostgreSQL, MySQL/MariaDB and SQLite
//! in both formats: created with their table, a column change under a view and a policy that
//! read it (each is dropped before and created after), a view, a function, the policy and the
//! event changed, a trigger, the policy and the event removed (dropped: autogen made them); each step applied, checked clean and reversed.
//! A view made by hand and declared nowhere survives every step; `entities` writes the files
//! back so that they read as the database holds them.

use autogen_cli::Outcome;
use autogen_schema::Dialect;
use autogen_tests::Project;
use std::path::{Path, PathBuf};

/// The SQL files of step `v` on `dialect`: `(path under sql/, statement)`.
fn sql_files(dialect: Dialect, v: u32) -> Vec<(&'static str, String)> {
    let view = match v {
        1 => "CREATE VIEW rich_accounts AS SELECT id, name FROM accounts WHERE balance > 100",
        _ => {
            "-- the rich, with what they hold\n\
             CREATE VIEW rich_accounts AS SELECT id, name, balance FROM accounts WHERE balance > 1000"
        }
    };
    let mut out = vec![("views/rich_accounts.sql", view.to_string())];
    // A view over the view: rebuilt with it.
    out.push((
        "views/rich_count.sql",
        "CREATE VIEW rich_count AS SELECT count(*) AS n FROM rich_accounts".into(),
    ));
    if dialect == Dialect::Postgres {
        // A materialized view over the column that widens, and its index: rebuilt together.
        out.push((
            "materialized_views/account_names.sql",
            "CREATE MATERIALIZED VIEW account_names AS SELECT id, name FROM accounts".into(),
        ));
        out.push((
            "indexes/account_names_id.sql",
            "CREATE UNIQUE INDEX account_names_id ON account_names (id)".into(),
        ));
        let body = if v == 1 {
            "trim(NEW.name)"
        } else {
            "upper(trim(NEW.name))"
        };
        // Commented in v1 only: the replacement in v2 takes the comment away.
        let comment = if v == 1 {
            "\nCOMMENT ON FUNCTION clean_name() IS 'trims a name';"
        } else {
            ""
        };
        out.push((
            "functions/clean_name.sql",
            format!(
                "CREATE FUNCTION clean_name() RETURNS trigger LANGUAGE plpgsql AS $$\n\
                 BEGIN\n  NEW.name := {body};\n  RETURN NEW;\nEND\n$$;{comment}"
            ),
        ));
        if v < 3 {
            out.push((
                "triggers/accounts_clean.sql",
                "CREATE TRIGGER accounts_clean BEFORE INSERT OR UPDATE ON accounts \
                 FOR EACH ROW EXECUTE FUNCTION clean_name();"
                    .into(),
            ));
            // A policy over the column that widens: PostgreSQL refuses to change a column a
            // policy reads, so it is dropped before and created after.
            let using = if v == 1 {
                "name <> ''"
            } else {
                "name <> '' AND balance >= 0"
            };
            out.push((
                "policies/accounts_named.sql",
                format!("CREATE POLICY accounts_named ON accounts FOR SELECT USING ({using})"),
            ));
            // An exclusion constraint over the column that widens, changed in v2; a composite
            // type, and a range type replaced by another in v2 (a type is not changed in place).
            let only = if v == 1 { "" } else { " WHERE (balance > 0)" };
            out.push((
                "exclusion_constraints/accounts_one_name.sql",
                format!(
                    "ALTER TABLE accounts ADD CONSTRAINT accounts_one_name \
                     EXCLUDE USING btree (name WITH =){only}"
                ),
            ));
            // A deferrable UNIQUE (no entity says DEFERRABLE of a UNIQUE): a constraint file,
            // deferred in v1, checked at once in v2.
            let when = if v == 1 { "DEFERRED" } else { "IMMEDIATE" };
            out.push((
                "constraints/accounts_name_key.sql",
                format!(
                    "ALTER TABLE accounts ADD CONSTRAINT accounts_name_key UNIQUE (name) \
                     DEFERRABLE INITIALLY {when}"
                ),
            ));
            out.push((
                "types/amount.sql",
                "CREATE TYPE amount AS (value numeric(12,2), currency char(3) COLLATE \"C\")"
                    .into(),
            ));
            let range = if v == 1 { "balances" } else { "balance_span" };
            out.push((
                "types/balances.sql",
                format!("CREATE TYPE {range} AS RANGE (subtype = numeric)"),
            ));
            // Full-text search of its own: a configuration mapping words through a dictionary
            // of this schema (made after it), removed in v3.
            out.push((
                "text_search_dictionaries/name_words.sql",
                "CREATE TEXT SEARCH DICTIONARY name_words (TEMPLATE = simple, stopwords = english)"
                    .into(),
            ));
            out.push((
                "text_search_configurations/names.sql",
                "CREATE TEXT SEARCH CONFIGURATION names (PARSER = default);\n\
                 ALTER TEXT SEARCH CONFIGURATION names ADD MAPPING FOR asciiword, word WITH name_words;"
                    .into(),
            ));
        }
    } else if dialect == Dialect::MySql {
        let body = if v == 1 { "trim(s)" } else { "upper(trim(s))" };
        out.push((
            "functions/clean_name.sql",
            format!(
                "CREATE FUNCTION clean_name(s VARCHAR(40)) RETURNS VARCHAR(40) DETERMINISTIC\n\
                 RETURN {body};"
            ),
        ));
        if v < 3 {
            out.push((
                "triggers/accounts_clean.sql",
                "CREATE TRIGGER accounts_clean BEFORE INSERT ON accounts FOR EACH ROW\n\
                 BEGIN\n  SET NEW.name = clean_name(NEW.name);\nEND;"
                    .into(),
            ));
            // An event (disabled: the scheduler leaves it be), its schedule changed in v2.
            let days = if v == 1 { 1 } else { 7 };
            out.push((
                "events/accounts_tidy.sql",
                format!(
                    "CREATE EVENT accounts_tidy ON SCHEDULE EVERY {days} DAY DISABLE \
                     DO DELETE FROM accounts WHERE balance < 0"
                ),
            ));
        }
    } else if v < 3 {
        // A full-text index: a virtual table (its module makes its shadow tables), removed in v3.
        out.push((
            "virtual_tables/accounts_search.sql",
            "CREATE VIRTUAL TABLE accounts_search USING fts5(name)".into(),
        ));
        out.push((
            "triggers/accounts_clean.sql",
            "CREATE TRIGGER accounts_clean AFTER INSERT ON accounts BEGIN\n  \
             UPDATE accounts SET name = trim(NEW.name) WHERE id = NEW.id;\nEND;"
                .into(),
        ));
    }
    out
}

/// Writes step `v`'s models (entity and SQL files) into `<project>/models`, replacing the last.
fn write_models(p: &Project, dialect: Dialect, v: u32) -> String {
    let dir = p.dir.path().join("models");
    let _ = std::fs::remove_dir_all(&dir);
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../fixtures/objects/v{}.rs", v.min(2)));
    std::fs::create_dir_all(&dir).expect("models dir");
    std::fs::copy(fixture, dir.join("account.rs")).expect("entity");
    for (path, text) in sql_files(dialect, v) {
        let path = dir.join("sql").join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("sql dir");
        std::fs::write(path, text).expect("sql file");
    }
    dir.display().to_string()
}

async fn clean(p: &Project, models: &str) {
    let run = p.autogen(&["--models", models, "check"]).await;
    assert_eq!(
        run.outcome,
        Outcome::Success,
        "{}\n{}",
        run.stdout,
        run.stderr
    );
}

/// The names of the views and triggers the database holds.
async fn objects(p: &Project) -> Vec<String> {
    let schema = p.db.introspect().await;
    schema
        .objects
        .values()
        .filter(|o| !o.kind.routine())
        .map(|o| o.label())
        .collect()
}

async fn round_trip(dialect: Dialect, format: &str) {
    let Some(p) = Project::new(dialect, format, &format!("objects_{format}")).await else {
        return;
    };
    let models = write_models(&p, dialect, 1);
    let plan = p.ok(&["--models", &models, "-m", "v1"]).await;
    assert!(plan.contains("create view rich_accounts"), "{plan}");
    assert!(
        plan.contains("create trigger accounts_clean on accounts"),
        "{plan}"
    );
    // In dependency order: the view over the view after it; the trigger after its function.
    let at = |s: &str| plan.find(s).unwrap_or(usize::MAX);
    assert!(
        at("create view rich_accounts") < at("create view rich_count"),
        "{plan}"
    );
    if dialect == Dialect::Postgres {
        assert!(
            at("create function clean_name()") < at("create table accounts"),
            "{plan}"
        );
        assert!(
            at("create text search dictionary name_words")
                < at("create text search configuration names")
                && at("create text search configuration names") < at("create table accounts"),
            "{plan}"
        );
    }
    p.ok(&["--models", &models, "upgrade", "head"]).await;
    clean(&p, &models).await;
    // The trigger runs; the views read.
    p.db.execute("INSERT INTO accounts (id, name, balance) VALUES (1, '  ada  ', 5000)")
        .await;
    assert_eq!(
        p.db.strings("SELECT name FROM rich_accounts").await,
        ["ada"]
    );
    // Made by hand, declared nowhere: left alone throughout.
    p.db.execute("CREATE VIEW mine AS SELECT 1 AS one").await;
    clean(&p, &models).await;
    // v2: the column under the view widens; the view and the function change.
    let models = write_models(&p, dialect, 2);
    // MySQL copies the table to narrow the column back on the way down.
    let plan = p
        .ok(&[
            "--models",
            &models,
            "-m",
            "v2",
            "--allow",
            "AG307=a test table",
        ])
        .await;
    for line in [
        "drop view rich_count",
        "drop view rich_accounts",
        "create view rich_accounts",
        "create view rich_count",
    ] {
        assert!(plan.contains(line), "{line}: {plan}");
    }
    assert!(
        !plan.contains("AG405"),
        "a rebuilt view is not a dropped one: {plan}"
    );
    if dialect != Dialect::Sqlite {
        assert!(plan.contains("replace function clean_name"), "{plan}");
    }
    if dialect == Dialect::Postgres {
        let at = |s: &str| plan.find(s).unwrap_or(usize::MAX);
        assert!(
            at("drop policy accounts_named on accounts") < at("alter column accounts.name")
                && at("alter column accounts.name")
                    < at("create policy accounts_named on accounts"),
            "the policy goes and comes back around the column: {plan}"
        );
        assert!(
            at("drop exclusion constraint accounts_one_name on accounts")
                < at("alter column accounts.name")
                && at("alter column accounts.name")
                    < at("create exclusion constraint accounts_one_name on accounts"),
            "the exclusion constraint goes and comes back around the column: {plan}"
        );
        assert!(
            at("drop constraint accounts_name_key on accounts") < at("alter column accounts.name")
                && at("alter column accounts.name")
                    < at("create constraint accounts_name_key on accounts"),
            "the deferrable UNIQUE goes and comes back around the column: {plan}"
        );
        assert!(
            at("create type balance_span") < at("drop type balances")
                && plan.contains("AG204")
                && plan.contains("[AG103 drop-type] drops type balances"),
            "{plan}"
        );
        assert!(
            at("drop materialized view account_names")
                < at("create materialized view account_names")
                && at("create materialized view account_names")
                    < at("create index account_names_id on account_names"),
            "the index goes and comes back with its view: {plan}"
        );
    }
    assert!(!plan.contains("view mine"), "{plan}");
    p.ok(&["--models", &models, "upgrade", "head"]).await;
    clean(&p, &models).await;
    p.db.execute("UPDATE accounts SET name = ' grace ' WHERE id = 1")
        .await;
    let expected = if dialect == Dialect::Postgres {
        "GRACE"
    } else {
        " grace "
    };
    let concat = if dialect == Dialect::Sqlite {
        "name || ':' || balance"
    } else {
        "concat(name, ':', balance)"
    };
    assert_eq!(
        p.db.strings(&format!("SELECT {concat} FROM rich_accounts"))
            .await,
        [format!("{expected}:5000")]
    );

    // v3: the trigger's file is gone, so is the trigger (autogen made it).
    let models = write_models(&p, dialect, 3);
    let plan = p.ok(&["--models", &models, "-m", "v3"]).await;
    assert!(
        plan.contains("drop trigger accounts_clean on accounts"),
        "{plan}"
    );
    if dialect == Dialect::Postgres {
        for line in [
            "drop policy accounts_named on accounts",
            "drop exclusion constraint accounts_one_name on accounts",
            "drop type amount",
            "drop text search configuration names",
            "drop text search dictionary name_words",
        ] {
            assert!(plan.contains(line), "{line}: {plan}");
        }
    }
    if dialect == Dialect::MySql {
        assert!(plan.contains("drop event accounts_tidy"), "{plan}");
    }
    let search = "SELECT name FROM sqlite_master WHERE name LIKE 'accounts_search%' ORDER BY 1";
    if dialect == Dialect::Sqlite {
        assert!(
            plan.contains("drop virtual table accounts_search"),
            "{plan}"
        );
        // Made with its shadow tables by its module.
        let held = p.db.strings(search).await;
        assert!(held.len() > 1 && held[0] == "accounts_search", "{held:?}");
    }
    assert!(plan.contains("AG405"), "{plan}");
    p.ok(&["--models", &models, "upgrade", "head"]).await;
    clean(&p, &models).await;
    let held = objects(&p).await;
    assert!(
        !held.iter().any(|o| o.starts_with("accounts_clean")),
        "{held:?}"
    );
    assert!(held.iter().any(|o| o == "mine"), "{held:?}");
    if dialect == Dialect::Sqlite {
        assert!(p.db.strings(search).await.is_empty());
    }

    // `entities` writes the SQL files back; they read as the database holds them.
    let out = p.dir.path().join("written");
    let out_s = out.display().to_string();
    p.ok(&["entities", "--out", &out_s]).await;
    let written: PathBuf = out.join("sql/views/rich_accounts.sql");
    let text = std::fs::read_to_string(&written).expect("view file written");
    assert!(text.contains("balance"), "{text}");
    // The hand-made view is written too: declared from now on, as the database holds it.
    assert!(out.join("sql/views/mine.sql").exists());
    clean(&p, &out_s).await;

    // Each step reversed: the trigger back, the view as it was, then nothing of autogen's.
    p.ok(&["--models", &models, "downgrade", "-1"]).await;
    let held = objects(&p).await;
    assert!(
        held.iter().any(|o| o == "accounts_clean on accounts"),
        "{held:?}"
    );
    let schema = p.db.introspect().await;
    if dialect == Dialect::Postgres {
        let policy = &schema.objects["policy accounts_named on accounts"];
        assert!(policy.definition.contains("balance >= 0"), "{policy:?}");
        let function = &schema.objects["function clean_name()"];
        assert!(!function.definition.contains("COMMENT"), "{function:?}");
        let exclusion = &schema.objects["exclusion constraint accounts_one_name on accounts"];
        assert!(exclusion.definition.contains("WHERE"), "{exclusion:?}");
        // It holds: a second account of one name is refused.
        let twin = "INSERT INTO accounts (id, name, balance) VALUES (2, 'GRACE', 1)";
        let refused = p.db.connect().await.execute_script(twin).await;
        assert!(refused.is_err(), "the exclusion constraint holds");
        assert!(schema.objects.contains_key("type balance_span"));
        // The search configuration is back, and keeps what it maps: `the` is a stop word.
        let words = "SELECT to_tsvector('names', 'the Runners')::text";
        assert_eq!(p.db.strings(words).await, ["'runners':2"]);
    }
    if dialect == Dialect::MySql {
        let event = &schema.objects["event accounts_tidy"];
        assert!(event.definition.contains("EVERY 7 DAY"), "{event:?}");
    }
    p.ok(&["--models", &models, "downgrade", "-1"]).await;
    if dialect == Dialect::Postgres {
        let function = &p.db.introspect().await.objects["function clean_name()"];
        assert!(
            function.definition.contains("COMMENT ON FUNCTION")
                && function.definition.contains("trims a name"),
            "the comment comes back with v1: {function:?}"
        );
    }
    let columns = p.db.introspect().await.objects["view rich_accounts"]
        .definition
        .clone();
    assert!(
        !columns.contains("balance,")
            && !columns.contains("AS `balance`")
            && columns.contains("> 100"),
        "{columns}"
    );
    p.ok(&["--models", &models, "downgrade", "base"]).await;
    assert_eq!(objects(&p).await, ["mine"]);
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
async fn mysql_sql() {
    round_trip(Dialect::MySql, "sql").await;
}

#[tokio::test]
async fn mysql_rust() {
    round_trip(Dialect::MySql, "rust").await;
}

#[tokio::test]
async fn sqlite_sql() {
    round_trip(Dialect::Sqlite, "sql").await;
}

#[tokio::test]
async fn sqlite_rust() {
    round_trip(Dialect::Sqlite, "rust").await;
}

/// On MySQL the server renders the files in a scratch database: a role that may not create one
/// gets an error that says so, never a wrong plan.
#[tokio::test]
async fn mysql_without_create_database_is_an_error_that_says_why() {
    let Some(p) = Project::new(Dialect::MySql, "sql", "objects_no_create").await else {
        return;
    };
    let models = write_models(&p, Dialect::MySql, 1);
    p.ok(&["--models", &models, "-m", "v1"]).await;
    p.ok(&["--models", &models, "upgrade", "head"]).await;
    let (_, _, database) = autogen_tests::mysql_parts(&p.db.url);
    let user = format!("ag_{}", &database[database.len().saturating_sub(12)..]);
    for host in ["%", "localhost", "127.0.0.1"] {
        p.db.execute(&format!(
            "CREATE USER IF NOT EXISTS '{user}'@'{host}' IDENTIFIED BY 'pw'"
        ))
        .await;
        p.db.execute(&format!("GRANT ALL ON `{database}`.* TO '{user}'@'{host}'"))
            .await;
    }
    // The same server and database, as that user.
    let host = p.db.url.split_once('@').map_or("", |(_, rest)| rest);
    let url = format!("mysql://{user}:pw@{host}");
    let run = p
        .autogen(&["--models", &models, "--database-url", &url, "check"])
        .await;
    for host in ["%", "localhost", "127.0.0.1"] {
        p.db.execute(&format!("DROP USER IF EXISTS '{user}'@'{host}'"))
            .await;
    }
    assert_ne!(run.outcome, Outcome::Success, "{}", run.stdout);
    let text = format!("{}{}", run.stdout, run.stderr);
    assert!(
        text.contains("as the server renders them") && text.contains("scratch database"),
        "{text}"
    );
}

/// A text search dictionary an index or generated column may be searched with is not dropped and
/// made again under them: a change to one is an error that says how to make it by hand.
#[tokio::test]
async fn a_changed_text_search_dictionary_is_refused_with_the_statement_to_write() {
    let Some(p) = Project::new(Dialect::Postgres, "sql", "objects_text_search").await else {
        return;
    };
    let models = write_models(&p, Dialect::Postgres, 1);
    p.ok(&["--models", &models, "-m", "v1"]).await;
    p.ok(&["--models", &models, "upgrade", "head"]).await;
    let file = Path::new(&models).join("sql/text_search_dictionaries/name_words.sql");
    std::fs::write(
        &file,
        "CREATE TEXT SEARCH DICTIONARY name_words (TEMPLATE = simple, stopwords = english, accept = false)",
    )
    .expect("dictionary file");
    let run = p.autogen(&["--models", &models, "-m", "v2"]).await;
    assert_ne!(run.outcome, Outcome::Success, "{}", run.stdout);
    assert!(
        run.stderr.contains("text search dictionary name_words")
            && run.stderr.contains("ALTER TEXT SEARCH DICTIONARY"),
        "{}",
        run.stderr
    );
}
