//! Arbitrary identifiers, on every database: table, column and enum names, enum values and
//! comments drawn from any Unicode, with quotes, backticks, newlines, `--`, `/*`, `;`, NUL, and
//! lengths around each dialect's limit. Every generated migration is either refused with an
//! error at the entity's position (and nothing written), or it applies, `check` finds nothing
//! left, the down migration restores the empty catalog, and a sentinel table is untouched.
//!
//! CI runs a fixed-seed slice (`AUTOGEN_IDENT_CASES`, default 10 per dialect;
//! `AUTOGEN_PROPTEST_SEED`); `cargo xtask soak` runs thousands with a fresh seed.

use autogen_cli::Outcome;
use autogen_schema::Dialect;
use autogen_tests::Project;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};

fn interesting_char() -> impl Strategy<Value = char> {
    prop_oneof![
        12 => proptest::char::range('a', 'z'),
        1 => Just(' '),
        1 => Just('\''),
        1 => Just('"'),
        1 => Just('`'),
        1 => Just('\n'),
        1 => Just('\r'),
        1 => Just('-'),
        1 => Just('/'),
        1 => Just('*'),
        1 => Just(';'),
        1 => Just('\\'),
        1 => Just('$'),
        1 => Just('.'),
        1 => Just('é'),
        1 => Just('日'),
        1 => Just('😀'),
        1 => Just('\u{2028}'),
        1 => Just('\u{202e}'),
        1 => Just('\0'),
        1 => any::<char>(),
    ]
}

/// A name: mostly ordinary, often hostile, sometimes empty or around 63/64 bytes long.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-z][a-z0-9_]{0,10}",
        4 => proptest::collection::vec(interesting_char(), 1..14)
            .prop_map(|v| v.into_iter().collect::<String>()),
        1 => (58usize..68).prop_map(|n| "x".repeat(n)),
        1 => proptest::collection::vec(interesting_char(), 20..40)
            .prop_map(|v| v.into_iter().collect::<String>()),
    ]
}

#[derive(Debug, Clone)]
struct Names {
    table: String,
    column: String,
    enum_name: String,
    value: String,
    comment: String,
}

fn names() -> impl Strategy<Value = Names> {
    (name(), name(), name(), name(), name()).prop_map(
        |(table, column, enum_name, value, comment)| Names {
            table,
            column,
            enum_name,
            value,
            comment,
        },
    )
}

/// The entity file, every name as a Rust string literal (`{:?}` escapes what it must).
fn entity(n: &Names) -> String {
    format!(
        "use sea_orm::entity::prelude::*;\n\n\
         #[derive(Clone, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]\n\
         #[sea_orm(rs_type = \"String\", db_type = \"Enum\", enum_name = {:?})]\n\
         pub enum Kind {{\n    #[sea_orm(string_value = {:?})]\n    A,\n}}\n\n\
         #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]\n\
         #[sea_orm(table_name = {:?}, comment = {:?})]\n\
         pub struct Model {{\n    #[sea_orm(primary_key)]\n    pub id: i32,\n    \
         #[sea_orm(column_name = {:?}, comment = {:?})]\n    pub c: Option<String>,\n    \
         pub kind: Kind,\n}}\n\n\
         #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]\npub enum Relation {{}}\n\n\
         impl ActiveModelBehavior for ActiveModel {{}}\n",
        n.enum_name, n.value, n.table, n.comment, n.column, n.comment
    )
}

fn config() -> Config {
    let env = |k: &str, d: u64| {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d)
    };
    Config {
        cases: env("AUTOGEN_IDENT_CASES", 10) as u32,
        rng_seed: RngSeed::Fixed(env("AUTOGEN_PROPTEST_SEED", 20261126)),
        failure_persistence: None,
        ..Config::default()
    }
}

async fn case(dialect: Dialect, n: Names) -> Result<(), TestCaseError> {
    let Some(p) = Project::new(dialect, "sql", "ident").await else {
        return Ok(());
    };
    let toml = std::fs::read_to_string(p.config()).unwrap()
        + "models = \"models\"\nexclude_tables = [\"sentinel\"]\n";
    std::fs::write(p.config(), toml).unwrap();
    std::fs::create_dir_all(p.dir.path().join("models")).unwrap();
    std::fs::write(p.dir.path().join("models/t.rs"), entity(&n)).unwrap();
    p.db.execute("CREATE TABLE sentinel (id integer)").await;
    p.db.execute("INSERT INTO sentinel VALUES (1)").await;

    let generated = p.autogen(&["-m", "names"]).await;
    if generated.outcome == Outcome::Error {
        prop_assert!(
            generated.stderr.contains("t.rs:") && p.files().is_empty(),
            "{dialect}: refused without a position, or after writing:\n{}",
            generated.stderr
        );
        return Ok(());
    }
    prop_assert_eq!(generated.outcome, Outcome::Success, "{}", generated.stderr);
    for args in [&["upgrade", "head"][..], &["check"], &["downgrade", "base"]] {
        let run = p.autogen(args).await;
        prop_assert_eq!(
            run.outcome,
            Outcome::Success,
            "{} {:?}: {}{}",
            dialect,
            args,
            run.stdout,
            run.stderr
        );
    }
    let left = p.db.introspect().await;
    prop_assert!(
        left.tables.keys().all(|t| t == "sentinel") && left.enums.is_empty(),
        "{dialect}: down left {:?}",
        left.tables.keys().collect::<Vec<_>>()
    );
    prop_assert_eq!(p.db.strings("SELECT 'x' FROM sentinel").await.len(), 1);
    Ok(())
}

fn run(dialect: Dialect) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let mut runner = TestRunner::new(config());
    if let Err(e) = runner.run(&names(), |n| rt.block_on(case(dialect, n))) {
        panic!("{dialect}: {e}");
    }
}

#[test]
fn arbitrary_identifiers_on_sqlite() {
    run(Dialect::Sqlite);
}

#[test]
fn arbitrary_identifiers_on_postgres() {
    run(Dialect::Postgres);
}

#[test]
fn arbitrary_identifiers_on_mysql() {
    run(Dialect::MySql);
}
