//! Table options that change how rows are kept (SQLite's `STRICT` and `WITHOUT ROWID`,
//! PostgreSQL's `UNLOGGED` and storage parameters, MySQL's engine and `CREATE TABLE` options)
//! and SQLite's column `COLLATE`: adopted from a database (`options(values(…))`,
//! `collate(name = …)`), built the same in a new environment (and on MySQL, keys in the order
//! the source holds them, prefix lengths and all); a changed option refused; a SQLite column's collation changed
//! through the rebuild and reversed. What a baseline cannot build is said before `init` writes.

use autogen_cli::Outcome;
use autogen_schema::Dialect;
use autogen_tests::{Project, TestDb};

fn script(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => {
            "CREATE TABLE kv (k text PRIMARY KEY, v blob) WITHOUT ROWID;
CREATE TABLE counts (id integer PRIMARY KEY, n integer NOT NULL, label text) STRICT;
CREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL COLLATE NOCASE, name text COLLATE RTRIM);
INSERT INTO users VALUES (1, 'Ada@Example.com', 'ada');
CREATE VIRTUAL TABLE notes USING fts5(body);
CREATE TABLE seen (k text PRIMARY KEY ON CONFLICT IGNORE);"
        }
        Dialect::Postgres => {
            "CREATE UNLOGGED TABLE scratch (id integer PRIMARY KEY, v text) WITH (fillfactor=70, autovacuum_enabled=false);
CREATE TABLE users (id integer PRIMARY KEY, email text NOT NULL) WITH (fillfactor=90);"
        }
        Dialect::MySql => {
            "CREATE TABLE legacy (id int PRIMARY KEY, v varchar(10), KEY kv (v), KEY kid (id, v)) ENGINE=MyISAM;
CREATE TABLE packed (id int PRIMARY KEY, z varchar(10), a varchar(10), KEY z_first (z), KEY z_prefix (z(5)), UNIQUE KEY a_prefix (a(3), id), KEY a_then (a)) ROW_FORMAT=COMPRESSED STATS_PERSISTENT=0;"
        }
    }
}

/// The options of each table as the catalog reports them.
async fn options(db: &TestDb) -> Vec<String> {
    let sql = match db.dialect {
        Dialect::Sqlite => {
            "SELECT name || ' wr=' || wr || ' strict=' || strict FROM pragma_table_list \
             WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite%' \
             AND name NOT IN ('_sqlx_migrations', 'autogen_revisions') ORDER BY 1"
        }
        Dialect::Postgres => {
            "SELECT relname || ' ' || relpersistence::text || ' ' || coalesce(array_to_string(reloptions, ','), '') \
             FROM pg_class WHERE relnamespace = current_schema()::regnamespace AND relkind = 'r' \
             AND relname NOT IN ('_sqlx_migrations', 'autogen_revisions') ORDER BY 1"
        }
        Dialect::MySql => {
            "SELECT CAST(CONCAT(table_name, ' ', engine, ' ', create_options) AS CHAR) \
             FROM information_schema.tables WHERE table_schema = DATABASE() \
             AND table_name NOT IN ('_sqlx_migrations', 'autogen_revisions') ORDER BY 1"
        }
    };
    db.strings(sql).await
}

/// `SHOW CREATE TABLE` of MySQL's tables, its counters aside: keys in the order held.
async fn created(db: &TestDb) -> Vec<String> {
    let mut out = Vec::new();
    for t in ["legacy", "packed"] {
        let row = db.strings(&format!("SHOW CREATE TABLE {t}")).await;
        out.extend(row);
    }
    out
}

async fn adopt(dialect: Dialect) {
    let Some(p) = Project::new(dialect, "sql", "table_options").await else {
        return;
    };
    for statement in script(dialect).split(";\n") {
        p.db.execute(statement).await;
    }
    let init = p.ok(&["init", "--from-database"]).await;
    assert!(init.contains("No changes detected"), "{init}");
    let models = p.dir.path().join("src/entity");
    if dialect == Dialect::Sqlite {
        // What the baseline will not build is said before anything is written, with why; the
        // full-text table is carried as a file, not named as left out.
        let said = init.find("Not carried into the baseline").expect("said");
        assert!(said < init.find("wrote").unwrap_or(0), "{init}");
        assert!(
            init.contains("1 ON CONFLICT clause: SQLite's conflict resolution"),
            "{init}"
        );
        assert!(!init.contains("virtual table"), "{init}");
        let file = models.join("sql/virtual_tables/notes.sql");
        let text = std::fs::read_to_string(&file).expect("the virtual table's file");
        assert!(text.contains("USING fts5(body)"), "{text}");
    }
    let read = |file: &str| std::fs::read_to_string(models.join(file)).expect("entity");
    match dialect {
        Dialect::Sqlite => {
            assert!(read("kv.rs").contains(r#"options(values("WITHOUT ROWID"))"#));
            assert!(read("counts.rs").contains(r#"options(values("STRICT"))"#));
            assert!(read("users.rs").contains(r#"collate(name = "NOCASE")"#));
        }
        Dialect::Postgres => {
            let scratch = read("scratch.rs");
            assert!(scratch.contains(r#""UNLOGGED""#), "{scratch}");
            assert!(scratch.contains("fillfactor=70"), "{scratch}");
        }
        Dialect::MySql => {
            assert!(read("legacy.rs").contains(r#""ENGINE=MyISAM""#));
            let packed = read("packed.rs");
            assert!(packed.contains("ROW_FORMAT=COMPRESSED"), "{packed}");
            // Keys of a column's first characters, unique or not.
            assert!(packed.contains("lengths(5)"), "{packed}");
            assert!(packed.contains("unique, lengths(3, 0)"), "{packed}");
        }
    }

    let Some(fresh) = TestDb::new(dialect, "table_options_fresh").await else {
        return;
    };
    p.ok(&["--database-url", &fresh.url, "upgrade", "head"])
        .await;
    p.ok(&["--database-url", &fresh.url, "check"]).await;
    assert_eq!(options(&fresh).await, options(&p.db).await);
    if dialect == Dialect::MySql {
        assert_eq!(created(&fresh).await, created(&p.db).await);
    }
    if dialect == Dialect::Sqlite {
        // NOCASE is built: the address matches in any case.
        fresh
            .execute("INSERT INTO users VALUES (1, 'Ada@Example.com', 'ada')")
            .await;
        let found = fresh
            .strings("SELECT name FROM users WHERE email = 'ADA@EXAMPLE.COM'")
            .await;
        assert_eq!(found, ["ada"]);
    }

    // A changed option is refused, not planned.
    let (file, from, to) = match dialect {
        Dialect::Sqlite => (
            "counts.rs",
            r#"values("STRICT")"#,
            r#"values("STRICT", "WITHOUT ROWID")"#,
        ),
        Dialect::Postgres => ("scratch.rs", "fillfactor=70", "fillfactor=50"),
        Dialect::MySql => ("legacy.rs", "ENGINE=MyISAM", "ENGINE=InnoDB"),
    };
    let original = read(file);
    std::fs::write(models.join(file), original.replace(from, to)).expect("entity");
    let run = p.autogen(&["diff"]).await;
    assert_eq!(run.outcome, Outcome::Error, "{}", run.stdout);
    assert!(run.stderr.contains("table's options"), "{}", run.stderr);
    std::fs::write(models.join(file), &original).expect("entity");

    // An entity declaring no options keeps the database's.
    let bare = original
        .lines()
        .filter(|l| !l.contains("options(values"))
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(models.join(file), bare).expect("entity");
    let diff = p.ok(&["diff"]).await;
    assert!(diff.starts_with("No changes detected"), "{diff}");
    std::fs::write(models.join(file), &original).expect("entity");

    if dialect == Dialect::Sqlite {
        // A column's collation changes through the rebuild, and back.
        let users = read("users.rs");
        let rtrim = users.replacen(
            r#"collate(name = "NOCASE")"#,
            r#"collate(name = "BINARY")"#,
            1,
        );
        std::fs::write(models.join("users.rs"), rtrim).expect("entity");
        let plan = p.ok(&["-m", "binary_email"]).await;
        assert!(plan.contains("rebuild table users"), "{plan}");
        p.ok(&["upgrade", "head"]).await;
        p.ok(&["check"]).await;
        let found =
            p.db.strings("SELECT name FROM users WHERE email = 'ADA@EXAMPLE.COM'")
                .await;
        assert!(found.is_empty(), "binary now: {found:?}");
        p.ok(&["downgrade", "-1"]).await;
        let found =
            p.db.strings("SELECT name FROM users WHERE email = 'ADA@EXAMPLE.COM'")
                .await;
        assert_eq!(found, ["ada"], "NOCASE again");
    }
}

#[tokio::test]
async fn sqlite() {
    adopt(Dialect::Sqlite).await;
}

#[tokio::test]
async fn postgres() {
    adopt(Dialect::Postgres).await;
}

#[tokio::test]
async fn mysql() {
    adopt(Dialect::MySql).await;
}
