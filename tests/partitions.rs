//! Partitioned tables, their partitions and inheriting tables on PostgreSQL, in both formats,
//! declared in entities: created parent first (a partition `PARTITION OF` its parent, an
//! inheriting table `INHERITS`), rows routed to their partition, a column added to the parent
//! alone (the server carries it down), checked clean and reversed. A partition made at run time
//! and declared nowhere is left alone; a changed bound is an error, never a silent difference;
//! `entities` writes the declarations back so that they read as the database holds them.

use autogen_cli::Outcome;
use autogen_schema::Dialect;
use autogen_tests::Project;

const EVENTS: &str = r#"use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "events")]
#[cfg_attr(any(), autogen(partitioned(by = "RANGE (day)")))]
INDEX
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: Date,
    pub kind: String,
    NOTE
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
"#;

/// A partition's entity: the parent's columns, its bound.
fn partition(name: &str, bound: &str, note: bool) -> String {
    let note = if note {
        "pub note: Option<String>,"
    } else {
        ""
    };
    format!(
        r#"use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "{name}")]
#[cfg_attr(any(), autogen(partition(of = "events", bound = "{bound}")))]
#[cfg_attr(any(), autogen(index(name = "{name}_kind", columns("kind"))))]
pub struct Model {{
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: Date,
    pub kind: String,
    {note}
}}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {{}}

impl ActiveModelBehavior for ActiveModel {{}}
"#
    )
}

const AUDIT: &str = r#"use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub at: DateTime,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
"#;

const LOGINS: &str = r#"use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_logins")]
#[cfg_attr(any(), autogen(inherits(tables("audit"))))]
#[cfg_attr(any(), autogen(no_primary_key))]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub at: DateTime,
    pub who: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
"#;

const JAN: &str = "FOR VALUES FROM ('2026-01-01') TO ('2026-02-01')";
const FEB: &str = "FOR VALUES FROM ('2026-02-01') TO ('2026-03-01')";

/// Writes step `v`'s entities into `<project>/models`.
fn write_models(p: &Project, v: u32, feb: &str) -> String {
    let dir = p.dir.path().join("models");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("models dir");
    let note = v >= 2;
    let (note_field, index) = if note {
        (
            "pub note: Option<String>,",
            r#"#[cfg_attr(any(), autogen(index(name = "events_day", columns("day"))))]"#,
        )
    } else {
        ("", "")
    };
    let events = EVENTS.replace("NOTE", note_field).replace("INDEX", index);
    for (file, text) in [
        ("events.rs", events),
        ("events_2026_01.rs", partition("events_2026_01", JAN, note)),
        ("events_2026_02.rs", partition("events_2026_02", feb, note)),
        ("audit.rs", AUDIT.to_string()),
        ("audit_logins.rs", LOGINS.to_string()),
    ] {
        std::fs::write(dir.join(file), text).expect("entity");
    }
    dir.display().to_string()
}

async fn round_trip(format: &str) {
    let Some(p) = Project::new(Dialect::Postgres, format, &format!("partitions_{format}")).await
    else {
        return;
    };
    let models = write_models(&p, 1, FEB);
    let plan = p.ok(&["--models", &models, "-m", "v1"]).await;
    let at = |s: &str| plan.find(s).unwrap_or(usize::MAX);
    assert!(
        at("create table events") < at("create table events_2026_01")
            && at("create table audit") < at("create table audit_logins"),
        "parents first: {plan}"
    );
    p.ok(&["--models", &models, "upgrade", "head"]).await;
    p.ok(&["--models", &models, "check"]).await;
    let kinds =
        p.db.strings(
            "SELECT c.relname || ':' || c.relkind::text || ':' || c.relispartition FROM pg_class c \
             WHERE c.relname IN ('events', 'events_2026_01', 'audit_logins') ORDER BY 1",
        )
        .await;
    assert_eq!(
        kinds,
        [
            "audit_logins:r:false",
            "events:p:false",
            "events_2026_01:r:true"
        ]
    );
    // Rows go to their partition; the inheriting table has its parent's columns and its own.
    p.db.execute("INSERT INTO events VALUES (1, '2026-01-05', 'a'), (2, '2026-02-07', 'b')")
        .await;
    assert_eq!(p.db.strings("SELECT kind FROM events_2026_02").await, ["b"]);
    p.db.execute("INSERT INTO audit_logins VALUES (1, '2026-01-01 10:00', 'ada')")
        .await;
    assert_eq!(p.db.strings("SELECT who FROM audit_logins").await, ["ada"]);
    // A partition made at run time, declared nowhere: left alone.
    p.db.execute(
        "CREATE TABLE events_2026_03 PARTITION OF events \
         FOR VALUES FROM ('2026-03-01') TO ('2026-04-01')",
    )
    .await;
    let diff = p.ok(&["--models", &models, "diff"]).await;
    assert!(
        diff.contains("No changes detected") && diff.contains("1 partition no entity declares"),
        "{diff}"
    );

    // v2: a column on the parent and in its partitions' entities: added to the parent alone;
    // an index on the parent, which the server builds on each partition (not concurrently:
    // PostgreSQL cannot, so it stays in the transactional stage).
    let models = write_models(&p, 2, FEB);
    let plan = p.ok(&["--models", &models, "-m", "v2"]).await;
    assert!(plan.contains("add column events.note"), "{plan}");
    assert!(plan.contains("create index events_day"), "{plan}");
    assert!(!plan.contains("add column events_2026"), "{plan}");
    let written = p
        .files()
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap_or_default())
        .collect::<String>();
    assert!(!written.contains("CONCURRENTLY"), "{written}");
    p.ok(&["--models", &models, "upgrade", "head"]).await;
    p.ok(&["--models", &models, "check"]).await;
    assert_eq!(
        p.db.strings(
            "SELECT count(*)::text FROM information_schema.columns \
             WHERE column_name = 'note' AND table_name LIKE 'events%'"
        )
        .await,
        ["4"],
        "the parent and its three partitions"
    );

    // A changed bound: an error that says so, nothing written.
    let moved = write_models(&p, 2, "FOR VALUES FROM ('2026-02-01') TO ('2026-02-15')");
    let run = p.autogen(&["--models", &moved, "-m", "narrower"]).await;
    assert_eq!(run.outcome, Outcome::Error, "{}", run.stdout);
    assert!(run.stderr.contains("partition bound"), "{}", run.stderr);

    // `entities` writes the declarations back; they read as the database holds them.
    let out = p.dir.path().join("written");
    let out_s = out.display().to_string();
    p.ok(&["entities", "--out", &out_s]).await;
    let text = std::fs::read_to_string(out.join("events_2026_02.rs")).expect("partition entity");
    assert!(
        text.contains("partition(") && text.contains("2026-02-01"),
        "{text}"
    );
    let text = std::fs::read_to_string(out.join("events.rs")).expect("parent entity");
    assert!(text.contains("partitioned(by = \"RANGE (day)\")"), "{text}");
    p.ok(&["--models", &out_s, "check"]).await;

    // Reversed: the column off the parent (and so its partitions), then nothing of autogen's;
    // the run-time partition goes with its parent.
    p.ok(&["--models", &models, "downgrade", "-1"]).await;
    assert_eq!(
        p.db.strings(
            "SELECT count(*)::text FROM information_schema.columns \
             WHERE column_name = 'note' AND table_name LIKE 'events%'"
        )
        .await,
        ["0"]
    );
    p.ok(&["--models", &models, "downgrade", "base"]).await;
    assert!(!p.db.has_table("events").await && !p.db.has_table("audit").await);
}

#[tokio::test]
async fn postgres_sql() {
    round_trip("sql").await;
}

#[tokio::test]
async fn postgres_rust() {
    round_trip("rust").await;
}
