//! What autogen does not model is left alone, on every dialect: hand-written databases with
//! views (and entities for them), triggers, partitions, CHECKs, indexes of
//! kinds autogen cannot recreate, columns the entities `ignore`: nothing of it is dropped or
//! altered, the plan counts it, and `No changes detected.` still holds. Primary-key changes are
//! planned with a hazard and keep the rows.

use autogen_schema::Dialect;
use autogen_tests::{Project, dev_url, entity, run_client};

/// The hand-written database of each dialect.
fn setup(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Postgres => {
            "CREATE EXTENSION IF NOT EXISTS citext;
CREATE TYPE unused_mood AS ENUM ('a', 'b');
CREATE TABLE item (
  id integer PRIMARY KEY,
  name varchar(40) NOT NULL,
  doc tsvector,
  total integer GENERATED ALWAYS AS (id * 2) STORED,
  CONSTRAINT positive CHECK (id > 0)
);
CREATE INDEX item_by_name ON item (name);
CREATE UNIQUE INDEX item_name_lower ON item (lower(name));
CREATE INDEX item_doc ON item USING gin (doc);
CREATE TABLE item_archive (name varchar(40)) INHERITS (item);
CREATE VIEW item_names AS SELECT id, name FROM item;
CREATE MATERIALIZED VIEW item_counts AS SELECT count(*) AS n FROM item;
CREATE TABLE log (id integer NOT NULL, at date NOT NULL, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE log_2026 PARTITION OF log FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER item_touch BEFORE UPDATE ON item FOR EACH ROW EXECUTE FUNCTION touch();
CREATE SEQUENCE spare_seq;
CREATE TYPE spare_pair AS (a integer, b integer);
CREATE TYPE spare_span AS RANGE (subtype = float8);
ALTER TABLE item ADD CONSTRAINT item_one_name EXCLUDE USING btree (name WITH =);
COMMENT ON INDEX item_by_name IS 'by name';
CREATE FUNCTION ddl_noted() RETURNS event_trigger LANGUAGE plpgsql AS $$BEGIN END$$;
CREATE EVENT TRIGGER left_alone_noted ON ddl_command_end EXECUTE FUNCTION ddl_noted();
CREATE SCHEMA other;
CREATE TABLE other.elsewhere (id integer PRIMARY KEY);
CREATE VIEW other.elsewhere_ids AS SELECT id FROM other.elsewhere;
CREATE TEXT SEARCH CONFIGURATION item_english (COPY = english);
CREATE TEXT SEARCH PARSER other.item_words (START = prsd_start, GETTOKEN = prsd_nexttoken,
  END = prsd_end, LEXTYPES = prsd_lextype);
CREATE TEXT SEARCH CONFIGURATION item_own_words (PARSER = other.item_words);
CREATE FUNCTION item_same(item, integer) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE OPERATOR === (LEFTARG = item, RIGHTARG = integer, FUNCTION = item_same);
CREATE STATISTICS item_stats (dependencies) ON id, name FROM item;
ALTER TABLE item DISABLE TRIGGER item_touch;
ALTER TABLE item CLUSTER ON item_by_name;
ALTER TABLE item ADD CONSTRAINT item_pair UNIQUE NULLS NOT DISTINCT (name, total);
CREATE SEQUENCE item_loose OWNED BY item.total;
CREATE UNLOGGED SEQUENCE spare_unlogged;
INSERT INTO item (id, name, doc) VALUES (1, 'a', to_tsvector('hello'));
"
        }
        Dialect::MySql => {
            "CREATE TABLE item (
  id int PRIMARY KEY,
  name varchar(40) NOT NULL,
  doc geometry,
  total int GENERATED ALWAYS AS (id * 2) STORED,
  CONSTRAINT positive CHECK (id > 0),
  KEY item_by_name (name) COMMENT 'by name',
  KEY item_newest (id DESC)
);
CREATE VIEW item_names AS SELECT id, name FROM item;
CREATE TRIGGER item_touch BEFORE UPDATE ON item FOR EACH ROW SET NEW.name = NEW.name;
CREATE TABLE log (id int NOT NULL, at date NOT NULL, PRIMARY KEY (id, at));
INSERT INTO item (id, name, doc) VALUES (1, 'a', ST_GeomFromText('POINT(1 1)'));
"
        }
        Dialect::Sqlite => {
            "CREATE TABLE item (
  id integer PRIMARY KEY,
  name varchar(40) NOT NULL,
  doc DATETIME,
  total integer GENERATED ALWAYS AS (id * 2) STORED,
  CONSTRAINT positive CHECK (id > 0)
);
CREATE INDEX item_by_name ON item (name);
CREATE INDEX item_name_lower ON item (lower(name));
CREATE INDEX item_newest ON item (id DESC);
CREATE VIEW item_names AS SELECT id, name FROM item;
CREATE TRIGGER item_touch AFTER UPDATE ON item BEGIN SELECT 1; END;
CREATE VIRTUAL TABLE notes USING fts5(body);
CREATE TABLE log (id integer NOT NULL, at date NOT NULL, PRIMARY KEY (id, at) ON CONFLICT REPLACE);
INSERT INTO item (id, name, doc) VALUES (1, 'a', '2026-11-26 10:00:00');
"
        }
    }
}

/// What the plan counts on each dialect.
fn counted(dialect: Dialect) -> &'static [&'static str] {
    match dialect {
        Dialect::Postgres => &[
            "1 column the entities ignore",
            "1 view",
            "1 materialized view",
            "1 partition no entity declares",
            "1 inheriting table no entity declares",
            "1 inherited column the inheriting table also declares",
            "1 table whose partitioning or parents no entity declares",
            "1 trigger",
            "3 functions",
            "1 check constraint",
            "1 statistics",
            "1 object in other schemas",
            "1 text search configuration",
            "1 text search configuration of a parser or template autogen cannot carry",
            "1 operator",
            "1 constraint",
            "1 disabled trigger",
            "1 table whose rows are clustered on an index",
            "1 exclusion constraint",
            "2 types",
            "1 comment",
            "1 event trigger",
            "3 sequences",
            "1 unlogged sequence",
            "1 sequence whose owning column has no nextval default",
            "1 enum",
            "1 table in other schemas",
            "1 extension",
            "1 index",
            "1 entity of views",
        ],
        Dialect::MySql => &[
            "1 column the entities ignore",
            // A descending key's index: a SQL file's kind, undeclared here.
            "1 index",
            "1 index comment",
            "1 view",
            "1 trigger",
            "1 check constraint",
            "1 entity of views",
        ],
        Dialect::Sqlite => &[
            "1 column the entities ignore",
            "2 indexes",
            "1 view",
            "1 virtual table",
            "1 ON CONFLICT clause",
            "1 trigger",
            "1 check constraint",
            "1 entity of views",
        ],
    }
}

const ITEM: &str = r#"use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "item")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    #[sea_orm(column_type = "String(StringLen::N(40))", indexed)]
    pub name: String,
    #[sea_orm(ignore)]
    pub doc: String,
    #[cfg_attr(any(), autogen(generated(expression = "id * 2", stored)))]
    pub total: Option<i32>,
    NOTE}
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}
impl ActiveModelBehavior for ActiveModel {}
"#;

/// An entity for the view, as sea-orm-cli writes one for each view.
const ITEM_NAMES: &str = r#"use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "item_names")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    pub name: String,
}
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}
impl ActiveModelBehavior for ActiveModel {}
"#;

const LOG: &str = r#"use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "log")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub at: Date,
}
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}
impl ActiveModelBehavior for ActiveModel {}
"#;

async fn project(dialect: Dialect, tag: &str, files: &[(&str, &str)]) -> Option<Project> {
    let p = Project::new(dialect, "sql", tag).await?;
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
async fn what_autogen_does_not_model_is_left_alone_and_counted() {
    for dialect in [Dialect::Postgres, Dialect::MySql, Dialect::Sqlite] {
        let item = ITEM.replace("NOTE", "");
        let files = [
            ("item.rs", item.as_str()),
            ("item_names.rs", ITEM_NAMES),
            ("log.rs", LOG),
        ];
        let Some(p) = project(dialect, "left_alone", &files).await else {
            continue;
        };
        run_client(&p.db, setup(dialect));
        let before = p.db.introspect().await;

        let diff = p.ok(&["diff"]).await;
        assert!(diff.contains("No changes detected."), "{dialect}: {diff}");
        for what in counted(dialect) {
            assert!(diff.contains(what), "{dialect}: `{what}` not in\n{diff}");
        }
        // The cast a range type makes to its multirange is part of the type, not counted apart.
        assert!(!diff.contains("cast"), "{dialect}: {diff}");
        let json: serde_json::Value =
            serde_json::from_str(&p.ok(&["diff", "--json"]).await).expect("diff --json is JSON");
        assert_eq!(
            json["operations"].as_array().map(Vec::len),
            Some(0),
            "{json}"
        );
        assert_eq!(
            json["left_alone"]["columns the entities ignore"], 1,
            "{dialect}: {json}"
        );
        let write = p.ok(&["-m", "nothing"]).await;
        assert!(write.contains("No changes detected."), "{write}");
        assert!(!p.migrations().exists() || p.files().is_empty());

        // A real change next to all of it: only that change, and the rest survives both ways.
        let with_note = ITEM.replace("NOTE", "pub note: Option<String>,\n");
        std::fs::write(p.dir.path().join("models/item.rs"), with_note).unwrap();
        let plan = p.ok(&["diff"]).await;
        assert!(
            plan.contains("(1 operation)") && plan.contains("add column item.note"),
            "{dialect}: {plan}"
        );
        p.ok(&["-m", "note"]).await;
        p.ok(&["upgrade", "head"]).await;
        p.ok(&["check"]).await;
        p.ok(&["downgrade", "base"]).await;
        assert_eq!(p.db.introspect().await, before, "{dialect}");
        let kept =
            p.db.strings("SELECT CASE WHEN doc IS NULL THEN 'lost' ELSE 'kept' END FROM item")
                .await;
        assert_eq!(
            kept,
            ["kept"],
            "{dialect}: the ignored column kept its value"
        );
    }
}

const KEYED: &str = r#"use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "t")]
pub struct Model {
    #[sea_orm(ID)]
    pub id: i32,
    #[sea_orm(CODE)]
    pub code: i32,
}
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}
impl ActiveModelBehavior for ActiveModel {}
"#;

fn keyed(id_key: bool) -> String {
    let (id, code) = if id_key {
        ("primary_key, auto_increment = false", "unique")
    } else {
        ("unique", "primary_key, auto_increment = false")
    };
    KEYED.replace("ID", id).replace("CODE", code)
}

#[tokio::test(flavor = "multi_thread")]
async fn primary_key_changes_are_planned_with_a_hazard_and_keep_rows() {
    for dialect in [Dialect::Postgres, Dialect::MySql, Dialect::Sqlite] {
        let first = keyed(true);
        let Some(p) = project(dialect, "pk_change", &[("t.rs", first.as_str())]).await else {
            continue;
        };
        p.ok(&["-m", "one"]).await;
        p.ok(&["upgrade", "head"]).await;
        p.db.execute("INSERT INTO t (id, code) VALUES (1, 10), (2, 20)")
            .await;
        let at_one = p.db.introspect().await;
        std::fs::write(p.dir.path().join("models/t.rs"), keyed(false)).unwrap();
        let plan = p.ok(&["diff"]).await;
        let hazard = match dialect {
            Dialect::Sqlite => "rebuild table t",
            _ => "builds the primary key (code) of t: fails if the columns hold NULLs",
        };
        assert!(plan.contains(hazard), "{dialect}: {plan}");
        // Online, PostgreSQL's UNIQUE changes land in a revision of their own.
        let written = p
            .ok(&["-m", "key by code"])
            .await
            .matches(".up.sql")
            .count();
        p.ok(&["upgrade", "head"]).await;
        p.ok(&["check"]).await;
        assert_eq!(
            p.db.introspect().await.tables["t"].primary_key,
            ["code"],
            "{dialect}"
        );
        // The change is one, however many revisions it became.
        assert!(written >= 1);
        p.ok(&["downgrade", "-1"]).await;
        assert_eq!(p.db.introspect().await, at_one, "{dialect}");
        let rows =
            p.db.strings(
                "SELECT CASE WHEN code = id * 10 THEN 'kept' ELSE 'changed' END FROM t ORDER BY id",
            )
            .await;
        assert_eq!(rows, ["kept", "kept"], "{dialect}");
    }
}

const PLAIN: &str = r#"use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "plain")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    #[sea_orm(column_type = "String(StringLen::N(LEN))")]
    pub name: String,
    #[sea_orm(ignore)]
    pub doc: String,
}
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}
impl ActiveModelBehavior for ActiveModel {}
"#;

#[tokio::test(flavor = "multi_thread")]
async fn a_sqlite_rebuild_keeps_what_it_leaves_alone_or_refuses() {
    // SQLite rebuilds a table to change a column. The ignored column and its data, the table's
    // CHECKs, triggers and expression indexes, and views over it all survive the rebuild.
    let plain = PLAIN.replace("LEN", "40");
    let files = [("plain.rs", plain.as_str())];
    let Some(p) = project(Dialect::Sqlite, "sqlite_rebuild", &files).await else {
        return;
    };
    run_client(
        &p.db,
        "CREATE TABLE plain (id integer PRIMARY KEY CHECK (id > 0), name varchar(40) NOT NULL,
  doc DATETIME, CONSTRAINT short CHECK (length(name) < 60));
CREATE TABLE audit (id integer);
CREATE INDEX plain_lower ON plain (lower(name));
CREATE VIEW plain_names AS SELECT name FROM plain;
CREATE TRIGGER plain_audit AFTER INSERT ON plain BEGIN INSERT INTO audit VALUES (NEW.id); END;
INSERT INTO plain VALUES (1, 'a', '2026-11-26 10:00:00');
",
    );
    // The audit table is not the entities' business.
    let toml = std::fs::read_to_string(p.config()).unwrap() + "exclude_tables = [\"audit\"]\n";
    std::fs::write(p.config(), toml).unwrap();
    let wider = PLAIN.replace("LEN", "80");
    std::fs::write(p.dir.path().join("models/plain.rs"), wider).unwrap();
    let plan = p.ok(&["diff"]).await;
    assert!(
        plan.contains("(1 operation)") && plan.contains("rebuild table plain"),
        "{plan}"
    );
    p.ok(&["-m", "wider"]).await;
    p.ok(&["upgrade", "head"]).await;
    assert_eq!(
        p.db.strings("SELECT doc FROM plain").await,
        ["2026-11-26 10:00:00"]
    );
    p.db.execute("INSERT INTO plain (id, name) VALUES (2, 'b')")
        .await;
    assert_eq!(
        p.db.strings("SELECT CAST(id AS TEXT) FROM audit ORDER BY id")
            .await,
        ["1", "2"],
        "the trigger was recreated (and the copy of the rows did not fire it)"
    );
    assert_eq!(
        p.db.strings("SELECT name FROM plain_names ORDER BY name")
            .await,
        ["a", "b"]
    );
    let table =
        p.db.strings("SELECT sql FROM sqlite_master WHERE name = 'plain'")
            .await;
    assert!(
        table[0].ends_with(
            ",\n    CHECK (id > 0),\n    CONSTRAINT \"short\" CHECK (length(name) < 60)\n)"
        ),
        "{table:?}"
    );
    let index = "SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'plain_lower'";
    assert_eq!(p.db.strings(index).await, ["plain_lower"]);
    p.ok(&["check"]).await;
    p.ok(&["downgrade", "base"]).await;
    assert_eq!(p.db.strings(index).await, ["plain_lower"]);
    assert_eq!(
        p.db.strings("SELECT doc FROM plain WHERE id = 1").await,
        ["2026-11-26 10:00:00"]
    );

    // A generated column survives a rebuild: the new table computes it, the rows are copied
    // without it.
    let item = ITEM.replace("NOTE", "");
    let Some(p) = project(
        Dialect::Sqlite,
        "sqlite_rebuild",
        &[("item.rs", item.as_str())],
    )
    .await
    else {
        return;
    };
    run_client(&p.db, setup(Dialect::Sqlite));
    let wider = item.replace("String(StringLen::N(40))", "String(StringLen::N(80))");
    std::fs::write(p.dir.path().join("models/item.rs"), wider).unwrap();
    p.ok(&["-m", "wider", "--allow", "AG306=test table"]).await;
    p.ok(&["upgrade", "head"]).await;
    let total = "SELECT CAST(total AS TEXT) FROM item WHERE id = 1";
    assert_eq!(p.db.strings(total).await, ["2"]);
    let kept = "SELECT CAST(hidden AS TEXT) FROM pragma_table_xinfo('item') WHERE name = 'total'";
    assert_eq!(p.db.strings(kept).await, ["3"]);
    p.ok(&["check"]).await;
    p.ok(&["downgrade", "-1"]).await;
    assert_eq!(p.db.strings(total).await, ["2"]);
}

/// MariaDB's attributes autogen does not model yet are named, not dropped in silence; what it
/// does carry (a sequence, system versioning, partitions) is planned and built.
#[tokio::test(flavor = "multi_thread")]
async fn mariadb_attributes_are_carried_or_named() {
    let Some(p) = project(Dialect::MySql, "mariadb_attrs", &[("log.rs", LOG)]).await else {
        return;
    };
    let version = p.db.strings("SELECT VERSION()").await;
    if !version.iter().any(|v| v.contains("MariaDB")) {
        eprintln!("skipped: the MySQL server is not MariaDB ({version:?})");
        return;
    }
    run_client(
        &p.db,
        "CREATE TABLE log (id int NOT NULL, at date NOT NULL, PRIMARY KEY (id, at));
CREATE SEQUENCE ticket START WITH 100 INCREMENT BY 10;
CREATE TABLE hist (id int PRIMARY KEY, v int) WITH SYSTEM VERSIONING;
CREATE TABLE inv (id int PRIMARY KEY, secret int INVISIBLE, body text COMPRESSED,
  KEY inv_secret (secret) IGNORED);
CREATE TABLE parts (id int NOT NULL, d date NOT NULL, PRIMARY KEY (id, d))
  PARTITION BY RANGE (YEAR(d)) (PARTITION p0 VALUES LESS THAN (2020),
                                PARTITION p1 VALUES LESS THAN MAXVALUE);",
    );
    let plan = p.ok(&["diff"]).await;
    for what in [
        "1 invisible column",
        "1 compressed column",
        "1 ignored index",
        "drop table hist",
        "drop table parts",
    ] {
        assert!(plan.contains(what), "`{what}` not in\n{plan}");
    }
    let out = p.dir.path().join("written");
    p.ok(&["entities", "--out", out.to_str().unwrap()]).await;
    let read = |f: &str| std::fs::read_to_string(out.join(f)).unwrap_or_default();
    let objects = [
        read("sql/sequences/ticket.sql"),
        read("hist.rs"),
        read("parts.rs"),
    ]
    .join("\n");
    for what in [
        "CREATE SEQUENCE `ticket` start with 100",
        "WITH SYSTEM VERSIONING",
        "PARTITION BY RANGE (year(`d`))",
    ] {
        assert!(objects.contains(what), "`{what}` not in\n{objects}");
    }
}

/// MariaDB lists the CHECK an application-time period makes (`PERIOD FOR valid (s, e)`) as a
/// table's: it is named as a period left alone, not read as a CHECK a new environment would get
/// instead of the period. A CHECK of the same shape of the user's own is still a CHECK.
#[tokio::test]
async fn a_mariadb_period_is_named_not_read_as_a_check() {
    let Some(db) = autogen_tests::TestDb::new(Dialect::MySql, "mariadb_period").await else {
        return;
    };
    let version = db.strings("SELECT VERSION()").await;
    if !version.iter().any(|v| v.contains("MariaDB")) {
        eprintln!("skipped: PERIOD FOR is MariaDB's ({version:?})");
        return;
    }
    db.execute(
        "CREATE TABLE booking (id int PRIMARY KEY, s date, e date, a int, b int,
         PERIOD FOR valid (s, e), CONSTRAINT ordered CHECK (a < b))",
    )
    .await;
    let schema = db.introspect().await;
    assert_eq!(
        schema.left_alone.0.get("application-time periods"),
        Some(&1)
    );
    let checks: Vec<&str> = schema.tables["booking"]
        .checks
        .iter()
        .map(|c| c.key())
        .collect();
    assert_eq!(checks, ["ordered"]);
}

/// A MariaDB table made with display widths of its own (`int(11) unsigned`, `tinyint(1)
/// unsigned`, as PrestaShop's are) against entities written by hand with the plain Rust types:
/// a display width changes no value, so nothing is planned; and a seeded check fills those
/// columns with their type's values.
#[tokio::test(flavor = "multi_thread")]
async fn a_display_width_alone_is_no_change() {
    let shop = entity(
        "shop",
        "    pub qty: u32,\n    pub active: u8,\n    pub position: Option<i32>,\n",
    );
    let Some(p) = project(Dialect::MySql, "widths", &[("shop.rs", shop.as_str())]).await else {
        return;
    };
    p.db.execute(
        "CREATE TABLE shop (id int NOT NULL AUTO_INCREMENT PRIMARY KEY, \
         qty int(11) unsigned NOT NULL, active tinyint(1) unsigned NOT NULL, position int(2))",
    )
    .await;
    let diff = p.ok(&["diff"]).await;
    assert!(diff.contains("No changes detected."), "{diff}");

    // Adopted as it is, the widths are kept; the baseline rebuilds them on a scratch database,
    // where every table takes its seeded rows.
    let init = p.ok(&["init", "--from-database", "--force"]).await;
    assert!(!init.contains("error"), "{init}");
    let adopted = std::fs::read_to_string(p.dir.path().join("models/shop.rs")).expect("entity");
    assert!(
        adopted.contains(r#"custom(\"int(11) unsigned\")"#),
        "{adopted}"
    );
    let check = p
        .ok(&[
            "check",
            "--dev-url",
            &dev_url(Dialect::MySql),
            "--seed",
            "5",
        ])
        .await;
    assert!(check.contains("every value kept"), "{check}");
    assert!(!check.contains("seeded rows inserted"), "{check}");
}
