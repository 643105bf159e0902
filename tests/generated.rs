//! Generated columns (`GENERATED ALWAYS AS (…) STORED | VIRTUAL`), declared on a field with
//! `autogen(generated(expression = "…"[, stored]))`, end to end on each dialect: created with
//! their table and computed; compared by the server's own rendering of the expression, so an
//! entity may spell it its own way and `check` stays clean; added to a table that holds rows;
//! changed where the dialect can (MySQL in place, SQLite through the rebuild) and refused with
//! what to do instead where it cannot (PostgreSQL); each step reversed; `entities` writes the
//! declaration back. (Adoption and the fresh build's identity by the dump tools are in
//! `adoption.rs`, through the `unusual` schemas' generated columns.)

use autogen_cli::Outcome;
use autogen_schema::Dialect;
use autogen_tests::Project;

/// The `item` entity: `total` computed from `price` and `qty` as `total` says, and `extra`
/// fields.
fn item(total: &str, extra: &str) -> String {
    format!(
        r#"use sea_orm::entity::prelude::*;
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "item")]
pub struct Model {{
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: i32,
    pub price: i32,
    pub qty: i32,
    #[cfg_attr(any(), autogen(generated(expression = "{total}", stored)))]
    pub total: Option<i32>,
{extra}}}
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {{}}
impl ActiveModelBehavior for ActiveModel {{}}
"#
    )
}

/// A column computed when read where the dialect has them (PostgreSQL before 18 stores every
/// generated column).
fn doubled(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Postgres => {
            "    #[cfg_attr(any(), autogen(generated(expression = \"qty * 2\", stored)))]\n    pub doubled: Option<i32>,\n"
        }
        Dialect::MySql | Dialect::Sqlite => {
            "    #[cfg_attr(any(), autogen(generated(expression = \"qty * 2\")))]\n    pub doubled: Option<i32>,\n"
        }
    }
}

async fn round_trip(dialect: Dialect) {
    let Some(p) = Project::new(dialect, "sql", "generated").await else {
        return;
    };
    let models = p.dir.path().join("models");
    std::fs::create_dir_all(&models).expect("models dir");
    let m = models.display().to_string();
    let write = |text: String| std::fs::write(models.join("item.rs"), text).expect("entity");
    let value = |column: &str| match dialect {
        Dialect::Postgres => format!("SELECT {column}::text FROM item WHERE id = 1"),
        _ => format!("SELECT CAST({column} AS CHAR(20)) FROM item WHERE id = 1"),
    };

    // Created with the table, and computed.
    write(item("price * qty", ""));
    p.ok(&["--models", &m, "-m", "create"]).await;
    p.ok(&["upgrade", "head"]).await;
    p.db.execute("INSERT INTO item (id, price, qty) VALUES (1, 3, 4)")
        .await;
    assert_eq!(p.db.strings(&value("total")).await, ["12"]);
    // The server spells the expression its own way; the entity's still compares equal.
    let check = p.ok(&["--models", &m, "check"]).await;
    assert!(check.contains("No changes detected"), "{check}");

    // Added to a table with rows: computed for them. A stored one rewrites the table: a
    // finding the online policy denies unless allowed.
    write(item("price * qty", doubled(dialect)));
    let plan = p
        .ok(&[
            "--models",
            &m,
            "-m",
            "doubled",
            "--allow",
            "AG307=a table of one row",
        ])
        .await;
    assert!(plan.contains("GENERATED ALWAYS AS ("), "{plan}");
    p.ok(&["upgrade", "head"]).await;
    assert_eq!(p.db.strings(&value("doubled")).await, ["8"]);
    p.ok(&["--models", &m, "check"]).await;
    p.ok(&["downgrade", "-1"]).await;
    let schema = p.db.introspect().await;
    let table = schema.tables.get("item").expect("item");
    assert!(table.column("doubled").is_none(), "{table:?}");
    assert!(table.column("total").is_some_and(|c| c.generated.is_some()));
    p.ok(&["upgrade", "head"]).await;

    // A changed expression.
    write(item("price * qty + 1", doubled(dialect)));
    let run = p
        .autogen(&[
            "--models",
            &m,
            "-m",
            "plus_one",
            "--allow",
            "AG306=a table of one row",
            "--allow",
            "AG307=a table of one row",
        ])
        .await;
    if dialect == Dialect::Postgres {
        assert_eq!(run.outcome, Outcome::Error, "{}", run.stdout);
        assert!(
            run.stderr.contains(
                "cannot change how column total is generated in place (table item); drop the \
                 column in one revision and add it back"
            ),
            "{}",
            run.stderr
        );
    } else {
        assert_eq!(run.outcome, Outcome::Success, "{}", run.stderr);
        p.ok(&["upgrade", "head"]).await;
        assert_eq!(p.db.strings(&value("total")).await, ["13"]);
        p.ok(&["--models", &m, "check"]).await;
        p.ok(&["downgrade", "-1"]).await;
        assert_eq!(p.db.strings(&value("total")).await, ["12"]);
        // The row survived both rebuilds or alterations.
        assert_eq!(p.db.strings(&value("doubled")).await, ["8"]);
        p.ok(&["upgrade", "head"]).await;
    }

    // `entities` writes the declarations back, and they read as the database holds them.
    let out = p.dir.path().join("written");
    let o = out.display().to_string();
    p.ok(&["entities", "--out", &o]).await;
    let written = std::fs::read_to_string(out.join("item.rs")).expect("written entity");
    assert!(
        written.contains("autogen(generated(expression = "),
        "{written}"
    );
    assert!(written.contains(", stored)"), "{written}");
    let diff = p.ok(&["--models", &o, "diff"]).await;
    assert!(diff.contains("No changes detected"), "{diff}");
}

#[tokio::test(flavor = "multi_thread")]
async fn generated_columns_round_trip_on_sqlite() {
    round_trip(Dialect::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn generated_columns_round_trip_on_postgres() {
    round_trip(Dialect::Postgres).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn generated_columns_round_trip_on_mysql() {
    round_trip(Dialect::MySql).await;
}
