//! The shop fixture (22 entities: self-references, many-to-many junctions, composite primary
//! keys, three enums, a foreign-key cycle between users and addresses) through the full round
//! trip on every database: autogenerate, apply, autogenerate again (nothing), roll back to an
//! empty database, apply again. The crate itself is compiled as a dependency of these tests.

use autogen_schema::Dialect;
use autogen_tests::{Project, redact_revisions, shop};

mod second_opinion;

// Linking the crate is what proves the entities compile against sea-orm.
use shop_fixture as _;

async fn round_trip(dialect: Dialect) {
    let Some(p) = Project::new(dialect, "sql", "shop").await else {
        return;
    };
    let models = shop().display().to_string();
    let review = p.ok(&["--models", &models, "-m", "initial schema"]).await;
    // The plan as a reviewer reads it (not the temporary paths the files were written to).
    let plan: Vec<&str> = review
        .lines()
        .filter(|l| !l.starts_with("wrote "))
        .collect();
    insta::assert_snapshot!(
        format!("shop_review_{dialect}"),
        redact_revisions(&plan.join("\n"))
    );
    p.ok(&["--models", &models, "upgrade", "head"]).await;
    let schema = p.db.introspect().await;
    assert_eq!(schema.tables.len(), 22, "{:?}", schema.tables.keys());
    // sea-schema reads the same tables.
    let theirs = second_opinion::sea_schema(&p.db).await;
    let ours = second_opinion::autogen(&schema, dialect == Dialect::Sqlite);
    let differ = second_opinion::disagreements(&theirs, &ours, &schema.unmanaged);
    assert!(differ.is_empty(), "{dialect}:\n{}", differ.join("\n"));
    let pk = |t: &str| schema.tables[t].primary_key.clone();
    assert_eq!(pk("order_items"), ["order_id", "line_no"]);
    assert_eq!(pk("product_tags"), ["product_id", "tag_id"]);
    // The cycle: users -> addresses -> users.
    assert_eq!(
        schema.tables["users"].foreign_keys[0].ref_table,
        "addresses"
    );
    assert_eq!(
        schema.tables["addresses"].foreign_keys[0].ref_table,
        "users"
    );
    assert_eq!(
        schema.tables["categories"].foreign_keys[0].ref_table,
        "categories"
    );

    let again = p.ok(&["--models", &models, "-m", "nothing"]).await;
    assert!(again.contains("No changes detected"), "{dialect}: {again}");
    let check = p.autogen(&["--models", &models, "check"]).await;
    assert_eq!(
        check.outcome,
        autogen_cli::Outcome::Success,
        "{}",
        check.stdout
    );
    // Seeded: 8 rows in each of the 22 tables (the users/addresses cycle, self-references,
    // composite keys, enums) survive its revision's up, down and the cycle.
    let seeded = p
        .autogen(&[
            "--models",
            &models,
            "check",
            "--dev-url",
            &autogen_tests::dev_url(dialect),
            "--seed",
            "8",
            "--random-seed",
            "20261207",
        ])
        .await;
    assert_eq!(
        seeded.outcome,
        autogen_cli::Outcome::Success,
        "{dialect}: {}{}",
        seeded.stdout,
        seeded.stderr
    );
    assert!(
        !seeded.stdout.contains("seeded rows inserted"),
        "{dialect}: a table was not seeded fully:\n{}",
        seeded.stdout
    );

    p.ok(&["downgrade", "base"]).await;
    let empty = p.db.introspect().await;
    assert!(
        empty.tables.is_empty() && empty.enums.is_empty(),
        "{empty:?}"
    );
    p.ok(&["upgrade", "head"]).await;
    assert_eq!(p.db.introspect().await, schema);
}

#[tokio::test(flavor = "multi_thread")]
async fn shop_round_trips_on_postgres() {
    round_trip(Dialect::Postgres).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn shop_round_trips_on_sqlite() {
    round_trip(Dialect::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn shop_round_trips_on_mysql() {
    round_trip(Dialect::MySql).await;
}
