//! Differential property test on real databases: for random schema pairs (A, B), create A,
//! apply the rendered `diff(A, B)`, introspect and compare with B; apply the rendered down
//! migration and compare with A. CI runs a fixed-seed slice; `cargo xtask soak` runs more
//! (`AUTOGEN_PROPTEST_CASES`, `AUTOGEN_PROPTEST_SEED`).

use autogen_diff::arbitrary::{arb_schema, comparable, expressible, reachable};
use autogen_diff::diff;
use autogen_schema::{Dialect, Schema};
use autogen_tests::TestDb;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};

fn config() -> Config {
    let env = |k: &str, d: u64| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    Config {
        cases: env("AUTOGEN_PROPTEST_CASES", 24) as u32,
        rng_seed: RngSeed::Fixed(env("AUTOGEN_PROPTEST_SEED", 20261126)),
        failure_persistence: None,
        ..Config::default()
    }
}

async fn case(dialect: Dialect, a: Schema, b: Schema) -> Result<(), TestCaseError> {
    let a = expressible(a, dialect);
    let b = expressible(reachable(&a, b, dialect), dialect);
    let Some(db) = TestDb::new(dialect, "differential").await else {
        return Ok(());
    };
    let a = db.server_checks(a).await;
    let b = db.server_checks(b).await;
    db.migrate(&Schema::default(), &a)
        .await
        .map_err(TestCaseError::fail)?;
    let state_a = db.introspect_owned().await;
    prop_assert_eq!(
        comparable(&state_a, dialect),
        comparable(&a, dialect),
        "creating A"
    );

    let down = db
        .migrate(&state_a, &b)
        .await
        .map_err(TestCaseError::fail)?;
    let state_b = db.introspect().await;
    prop_assert_eq!(
        comparable(&state_b, dialect),
        comparable(&b, dialect),
        "A -> B"
    );
    // No spurious diff once there.
    let again = diff(&state_b, &b, dialect).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert!(
        again.is_empty(),
        "spurious diff after A -> B: {:?}",
        again.ops
    );

    let conn = db.connect().await;
    conn.execute_script(&down)
        .await
        .map_err(|e| TestCaseError::fail(format!("{e}\n{down}")))?;
    prop_assert_eq!(
        comparable(&db.introspect().await, dialect),
        comparable(&a, dialect),
        "B -> A"
    );
    Ok(())
}

fn run(dialect: Dialect) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let mut runner = TestRunner::new(config());
    let result = runner.run(&(arb_schema(), arb_schema()), |(a, b)| {
        rt.block_on(case(dialect, a, b))
    });
    if let Err(e) = result {
        panic!("{dialect}: {e}");
    }
}

#[test]
fn random_schema_pairs_round_trip_on_sqlite() {
    run(Dialect::Sqlite);
}

#[test]
fn random_schema_pairs_round_trip_on_postgres() {
    run(Dialect::Postgres);
}

#[test]
fn random_schema_pairs_round_trip_on_mysql() {
    run(Dialect::MySql);
}

/// Failures the property test found (shrunk), kept as fixed cases on every dialect.
#[test]
fn regressions() {
    use autogen_schema::{
        Column, ColumnType as T, DefaultValue, FkAction, ForeignKey, Index, Table,
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let table = |columns: Vec<Column>| {
        let mut t = Table::new("t0");
        t.columns.push(Column {
            auto_increment: true,
            ..Column::new("id", T::Integer)
        });
        t.columns.extend(columns);
        t.primary_key = vec!["id".into()];
        t
    };
    let schema = |t: Table| {
        let mut s = Schema::default();
        s.add_table(t);
        s
    };
    // MariaDB reports a string default with backslash escapes ('it\'s').
    let quoted_default = schema(table(vec![Column {
        default: Some(DefaultValue::String("it's".into())),
        ..Column::new("c3", T::Text)
    }]));
    // A column that becomes text loses its index first (MySQL cannot key text).
    let mut indexed = table(vec![Column::new("c1", T::String(Some(40)))]);
    indexed.indexes.push(Index {
        name: "idx-t0-c1".into(),
        columns: vec!["c1".into()],
        unique: false,
        predicate: None,
        ..Default::default()
    });
    let to_text = schema(table(vec![Column::new("c1", T::Text)]));
    // A self-referencing table rebuilt on SQLite (its key points at the table being replaced).
    let mut self_ref = table(vec![
        Column::new("c0", T::Integer),
        Column {
            nullable: true,
            ..Column::new("ref_id", T::Integer)
        },
    ]);
    self_ref.foreign_keys.push(ForeignKey {
        name: Some("fk-t0-ref_id".into()),
        columns: vec!["ref_id".into()],
        ref_table: "t0".into(),
        ref_columns: vec!["id".into()],
        on_delete: FkAction::Cascade,
        on_update: FkAction::NoAction,
        deferrable: None,
    });
    let mut retyped = self_ref.clone();
    retyped.columns[1].ty = T::BigInteger;
    retyped.columns[1].nullable = true;
    let cases = [
        (Schema::default(), quoted_default),
        (schema(indexed), to_text),
        (schema(self_ref), schema(retyped)),
    ];
    for dialect in [Dialect::Sqlite, Dialect::Postgres, Dialect::MySql] {
        for (a, b) in &cases {
            if let Err(e) = rt.block_on(case(dialect, a.clone(), b.clone())) {
                panic!("{dialect}: {e}");
            }
        }
    }
}
