//! Type coverage: every column type SeaORM maps, with defaults and comments, on each dialect
//! where it exists: created from the IR, read back from the catalog, equal, and autogenerating
//! nothing further. A type a dialect lacks is an error when the migration is generated.

use autogen_diff::arbitrary::comparable;
use autogen_diff::diff;
use autogen_migrate::{RevisionMeta, sql_revision};
use autogen_schema::{
    Column, ColumnType as T, DefaultValue as D, Dialect, EnumType, Schema, Table,
};
use autogen_tests::TestDb;

fn column(name: &str, ty: T, default: Option<D>) -> Column {
    Column {
        nullable: true,
        default,
        ..Column::new(name, ty)
    }
}

/// One table holding every type `dialect` has.
fn all_types(dialect: Dialect) -> Schema {
    let mut t = Table::new("every_type");
    t.columns.push(Column {
        auto_increment: true,
        ..Column::new("id", T::BigInteger)
    });
    t.primary_key = vec!["id".into()];
    let num = |n: &str| Some(D::Number(n.into()));
    let text = |s: &str| Some(D::String(s.into()));
    let mut cols = vec![
        column("tiny", T::TinyInteger, num("-1")),
        column("small", T::SmallInteger, num("2")),
        column("int", T::Integer, num("3")),
        column("big", T::BigInteger, num("4")),
        column("tiny_u", T::TinyUnsigned, num("5")),
        column("small_u", T::SmallUnsigned, None),
        column("int_u", T::Unsigned, None),
        column("big_u", T::BigUnsigned, None),
        column("float", T::Float, num("1.5")),
        column("double", T::Double, num("2.25")),
        column("dec", T::Decimal(Some((10, 2))), num("0.50")),
        column("dec_default", T::Decimal(None), None),
        column("chr", T::Char(Some(3)), text("abc")),
        column("chr1", T::Char(None), None),
        column("str", T::String(Some(40)), text("it's")),
        column("str_unsized", T::String(None), text("x")),
        column("txt", T::Text, None),
        column("flag", T::Boolean, Some(D::Bool(true))),
        column("flag_off", T::Boolean, Some(D::Bool(false))),
        column("day", T::Date, None),
        column("clock", T::Time, None),
        column("naive", T::DateTime, None),
        column("stamp", T::Timestamp, Some(D::CurrentTimestamp)),
        column(
            "stamp_tz",
            T::TimestampWithTimeZone,
            Some(D::CurrentTimestamp),
        ),
        column("id2", T::Uuid, None),
        column("doc", T::Json, None),
        column("docb", T::JsonBinary, None),
        column("bin", T::Binary(16), None),
        column("varbin", T::VarBinary(Some(32)), None),
        column("bytes", T::Blob, None),
        column("status", T::Enum("mood".into()), text("ok")),
    ];
    cols[2].comment = Some("a comment, with 'quotes'".into());
    cols[2].nullable = false;
    // `column_type = "Custom(…)"`: a type spelled verbatim; MySQL reads `mediumtext` as text.
    cols.push(column(
        "custom",
        T::Custom(
            match dialect {
                Dialect::MySql => "mediumtext",
                Dialect::Sqlite => "citext",
                Dialect::Postgres => "inet",
            }
            .into(),
        ),
        None,
    ));
    if dialect == Dialect::MySql {
        cols.push(Column {
            on_update: Some(D::CurrentTimestamp),
            ..column("touched", T::Timestamp, Some(D::CurrentTimestamp))
        });
    }
    if dialect == Dialect::Postgres {
        cols.push(column("ints", T::Array(Box::new(T::Integer)), None));
        cols.push(column("tags", T::Array(Box::new(T::Text)), None));
        cols.push(column(
            "moods",
            T::Array(Box::new(T::Enum("mood".into()))),
            None,
        ));
    }
    t.columns.extend(cols);
    t.comment = Some("every type".into());
    let mut s = Schema::default();
    s.enums.insert(
        "mood".into(),
        EnumType {
            name: "mood".into(),
            values: vec!["ok".into(), "meh".into(), "it's".into()],
        },
    );
    s.add_table(t);
    s
}

async fn round_trip(dialect: Dialect) {
    let Some(db) = TestDb::new(dialect, "types").await else {
        return;
    };
    let want = all_types(dialect);
    if let Err(e) = db.migrate(&Schema::default(), &want).await {
        panic!("{e}");
    }
    let have = db.introspect().await;
    assert_eq!(
        comparable(&have, dialect).tables["every_type"].columns,
        comparable(&want, dialect).tables["every_type"].columns,
        "{dialect}"
    );
    let again = diff(&have, &want, dialect).expect("diff");
    assert!(again.is_empty(), "{dialect}: spurious diff {:?}", again.ops);
}

#[tokio::test]
async fn every_type_round_trips_on_postgres() {
    round_trip(Dialect::Postgres).await;
}

#[tokio::test]
async fn every_type_round_trips_on_sqlite() {
    round_trip(Dialect::Sqlite).await;
}

#[tokio::test]
async fn every_type_round_trips_on_mysql() {
    round_trip(Dialect::MySql).await;
}

/// The error generating a migration that creates a table with `column` on `dialect`.
fn generation_error(column: Column, dialect: Dialect) -> String {
    let mut t = Table::new("t");
    t.columns.push(column);
    let mut s = Schema::default();
    s.add_table(t);
    let plan = diff(&Schema::default(), &s, dialect).expect("plan");
    let meta = RevisionMeta {
        id: "1".into(),
        parents: vec![],
        message: "m".into(),
        allow: Vec::new(),
        change: None,
        dialect: None,
    };
    match sql_revision(&meta, &plan) {
        Ok(_) => panic!("{dialect}: generated"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn on_update_current_timestamp_is_an_error_where_mysql_is_not() {
    for dialect in [Dialect::Postgres, Dialect::Sqlite] {
        let column = Column {
            on_update: Some(D::CurrentTimestamp),
            ..Column::new("touched", T::Timestamp)
        };
        let err = generation_error(column, dialect);
        assert!(
            err.contains("ON UPDATE CURRENT_TIMESTAMP (a MySQL feature"),
            "{err}"
        );
    }
}

#[test]
fn a_type_the_dialect_lacks_is_an_error_when_generating() {
    for dialect in [Dialect::MySql, Dialect::Sqlite] {
        let err = generation_error(Column::new("tags", T::Array(Box::new(T::Text))), dialect);
        assert!(
            err.contains(&format!("{dialect} has no column type Array(Text)")),
            "{err}"
        );
    }
}
