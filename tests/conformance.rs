//! Behaviours ported from Alembic's autogenerate suite (test_autogen_diffs, test_autogen_indexes,
//! test_autogen_fks, test_autogen_composition), as autogen's own cases on real databases: what
//! must compare equal however the database spells it, and what must be seen as a change.

use autogen_diff::{Op, diff};
use autogen_schema::{
    Column, ColumnType as T, DefaultValue as D, Dialect, FkAction, ForeignKey, IdentitySequence,
    Index, Schema, SequenceOptions, Table, Unique,
};
use autogen_tests::TestDb;

const ALL: [Dialect; 3] = [Dialect::Postgres, Dialect::Sqlite, Dialect::MySql];

fn schema(tables: Vec<Table>) -> Schema {
    let mut s = Schema::default();
    for t in tables {
        s.add_table(t);
    }
    s
}

fn table(name: &str, columns: Vec<Column>) -> Table {
    let mut t = Table::new(name);
    t.columns = columns;
    t
}

fn id() -> Column {
    Column {
        auto_increment: true,
        ..Column::new("id", T::Integer)
    }
}

fn col(name: &str, ty: T) -> Column {
    Column::new(name, ty)
}

/// Creates `s` on `db` with autogen's own migration.
async fn create(db: &TestDb, s: &Schema) {
    if let Err(e) = db.migrate(&Schema::default(), s).await {
        panic!("{e}");
    }
}

/// The plan from the live database to `model`.
async fn plan(db: &TestDb, model: &Schema) -> Vec<Op> {
    diff(&db.introspect().await, model, db.dialect)
        .expect("diff")
        .ops
}

#[tokio::test]
async fn defaults_written_by_hand_compare_equal_to_the_model() {
    for dialect in ALL {
        let Some(db) = TestDb::new(dialect, "conf_defaults").await else {
            continue;
        };
        // How people (and other tools) write the same defaults.
        let sql = match dialect {
            Dialect::Postgres => {
                "CREATE TABLE t (id integer PRIMARY KEY, n integer DEFAULT (5), m integer DEFAULT '6', \
                 d numeric(10,2) DEFAULT 0.50, s varchar(10) DEFAULT 'x'::character varying, \
                 b boolean DEFAULT 't', ts timestamp DEFAULT now(), neg integer DEFAULT -1)"
            }
            Dialect::Sqlite => {
                "CREATE TABLE t (id integer PRIMARY KEY, n integer DEFAULT (5), m integer DEFAULT '6', \
                 d numeric(10,2) DEFAULT 0.50, s varchar(10) DEFAULT ('x'), b boolean DEFAULT TRUE, \
                 ts timestamp DEFAULT CURRENT_TIMESTAMP, neg integer DEFAULT -1)"
            }
            Dialect::MySql => {
                "CREATE TABLE t (id int PRIMARY KEY, n int DEFAULT 5, m int DEFAULT '6', \
                 d decimal(10,2) DEFAULT 0.50, s varchar(10) DEFAULT 'x', b tinyint(1) DEFAULT 1, \
                 ts timestamp NULL DEFAULT CURRENT_TIMESTAMP, neg int DEFAULT -1)"
            }
        };
        db.execute(sql).await;
        let num = |n: &str| Some(D::Number(n.into()));
        let nullable = |c: Column, d: Option<D>| Column {
            nullable: true,
            default: d,
            ..c
        };
        let mut t = table(
            "t",
            vec![
                col("id", T::Integer),
                nullable(col("n", T::Integer), num("5")),
                nullable(col("m", T::Integer), num("6")),
                nullable(col("d", T::Decimal(Some((10, 2)))), num("0.5")),
                nullable(col("s", T::String(Some(10))), Some(D::String("x".into()))),
                nullable(col("b", T::Boolean), Some(D::Bool(true))),
                nullable(col("ts", T::Timestamp), Some(D::CurrentTimestamp)),
                nullable(col("neg", T::Integer), num("-1")),
            ],
        );
        t.primary_key = vec!["id".into()];
        let ops = plan(&db, &schema(vec![t])).await;
        assert!(ops.is_empty(), "{dialect}: {ops:?}");
    }
}

#[tokio::test]
async fn composite_keys_unique_and_foreign_keys_round_trip() {
    for dialect in ALL {
        let Some(db) = TestDb::new(dialect, "conf_composite").await else {
            continue;
        };
        let mut parent = table(
            "parent",
            vec![
                col("a", T::Integer),
                col("b", T::String(Some(20))),
                col("x", T::Integer),
            ],
        );
        parent.primary_key = vec!["a".into(), "b".into()];
        parent.uniques.push(Unique {
            name: Some("parent_b_x_key".into()),
            columns: vec!["b".into(), "x".into()],
            ..Default::default()
        });
        // Nullable, as ON UPDATE SET NULL needs (MySQL refuses the key otherwise).
        let nullable = |c: Column| Column {
            nullable: true,
            ..c
        };
        let mut child = table(
            "child",
            vec![
                id(),
                nullable(col("pa", T::Integer)),
                nullable(col("pb", T::String(Some(20)))),
            ],
        );
        child.primary_key = vec!["id".into()];
        child.foreign_keys.push(ForeignKey {
            name: Some("fk-child-pa-pb".into()),
            columns: vec!["pa".into(), "pb".into()],
            ref_table: "parent".into(),
            ref_columns: vec!["a".into(), "b".into()],
            on_delete: FkAction::Cascade,
            on_update: FkAction::SetNull,
            deferrable: None,
        });
        let model = schema(vec![parent, child]);
        create(&db, &model).await;
        let ops = plan(&db, &model).await;
        assert!(ops.is_empty(), "{dialect}: {ops:?}");
        let have = db.introspect().await;
        assert_eq!(have.tables["parent"].primary_key, ["a", "b"], "{dialect}");
        assert_eq!(have.tables["child"].foreign_keys[0].columns, ["pa", "pb"]);
    }
}

#[tokio::test]
async fn restrict_and_no_action_are_one_on_mysql_and_two_elsewhere() {
    for dialect in ALL {
        let Some(db) = TestDb::new(dialect, "conf_fkaction").await else {
            continue;
        };
        let mut p = table("p", vec![id()]);
        p.primary_key = vec!["id".into()];
        let mut c = table("c", vec![id(), col("p_id", T::Integer)]);
        c.primary_key = vec!["id".into()];
        c.foreign_keys.push(ForeignKey {
            name: Some("fk-c-p_id".into()),
            columns: vec!["p_id".into()],
            ref_table: "p".into(),
            ref_columns: vec!["id".into()],
            on_delete: FkAction::Restrict,
            on_update: FkAction::Restrict,
            deferrable: None,
        });
        create(&db, &schema(vec![p.clone(), c.clone()])).await;
        let mut no_action = c.clone();
        no_action.foreign_keys[0].on_delete = FkAction::NoAction;
        no_action.foreign_keys[0].on_update = FkAction::NoAction;
        let ops = plan(&db, &schema(vec![p, no_action])).await;
        if dialect == Dialect::MySql {
            // InnoDB checks NO ACTION at once: it is RESTRICT, and reported as either.
            assert!(ops.is_empty(), "{ops:?}");
        } else {
            // PostgreSQL and SQLite defer NO ACTION to the end of the statement: a real change.
            assert!(!ops.is_empty(), "{dialect}");
        }
    }
}

#[tokio::test]
async fn index_column_order_is_a_change_and_same_order_is_none() {
    for dialect in ALL {
        let Some(db) = TestDb::new(dialect, "conf_idxorder").await else {
            continue;
        };
        let mut t = table("t", vec![id(), col("a", T::Integer), col("b", T::Integer)]);
        t.primary_key = vec!["id".into()];
        t.indexes.push(Index {
            name: "idx-t-a-b".into(),
            columns: vec!["a".into(), "b".into()],
            unique: false,
            predicate: None,
            ..Default::default()
        });
        create(&db, &schema(vec![t.clone()])).await;
        assert!(
            plan(&db, &schema(vec![t.clone()])).await.is_empty(),
            "{dialect}"
        );
        t.indexes[0].columns = vec!["b".into(), "a".into()];
        let ops = plan(&db, &schema(vec![t])).await;
        let names: Vec<String> = ops.iter().map(Op::describe).collect();
        assert_eq!(
            names,
            [
                "drop index idx-t-a-b on t",
                "create index idx-t-a-b on t (b, a)"
            ],
            "{dialect}"
        );
    }
}

#[tokio::test]
async fn a_unique_index_and_a_unique_constraint() {
    for dialect in ALL {
        let Some(db) = TestDb::new(dialect, "conf_uniqidx").await else {
            continue;
        };
        let mut t = table("t", vec![id(), col("email", T::String(Some(100)))]);
        t.primary_key = vec!["id".into()];
        t.uniques.push(Unique {
            name: None,
            columns: vec!["email".into()],
            ..Default::default()
        });
        create(&db, &schema(vec![t.clone()])).await;
        // Constraints are compared by columns: the name the database chose does not matter.
        assert!(
            plan(&db, &schema(vec![t.clone()])).await.is_empty(),
            "{dialect}"
        );
        // A unique index of the model over the same columns as the database's UNIQUE
        // constraint is the same thing when SeaORM derived its name (`unique_key`): no change.
        // (This used to be a drop and a create everywhere but MySQL; Alembic compares the two
        // as one too, and adopting a database made by another tool otherwise churns.)
        let mut as_index = t.clone();
        as_index.uniques.clear();
        as_index.indexes.push(Index {
            name: "idx-t-email".into(),
            columns: vec!["email".into()],
            unique: true,
            derived: true,
            ..Default::default()
        });
        let ops = plan(&db, &schema(vec![as_index.clone()])).await;
        assert!(ops.is_empty(), "{dialect}: {ops:?}");
        // An index whose name the model chose is still compared by name: the model asks for
        // an index of that name (on MySQL, where the two are one kind, a UNIQUE of that name).
        as_index.indexes[0].derived = false;
        let ops = plan(&db, &schema(vec![as_index])).await;
        let described: Vec<String> = ops.iter().map(Op::describe).collect();
        match dialect {
            Dialect::MySql => assert_eq!(
                described,
                ["drop unique (email) on t", "add unique (email) on t"]
            ),
            // SQLite drops a UNIQUE constraint only by rebuilding the table.
            Dialect::Sqlite => assert_eq!(
                described,
                ["rebuild table t (change UNIQUE constraints, change indexes)"]
            ),
            Dialect::Postgres => assert_eq!(
                described,
                [
                    "drop unique (email) on t",
                    "create unique index idx-t-email on t (email)"
                ]
            ),
        }
        // The other way round: the database keeps a unique index, the model a UNIQUE.
        let Some(db) = TestDb::new(dialect, "conf_uniqidx2").await else {
            continue;
        };
        let mut with_index = t.clone();
        with_index.uniques.clear();
        with_index.indexes.push(Index {
            name: "users_email_unique".into(),
            columns: vec!["email".into()],
            unique: true,
            ..Default::default()
        });
        create(&db, &schema(vec![with_index])).await;
        let ops = plan(&db, &schema(vec![t.clone()])).await;
        assert!(ops.is_empty(), "{dialect}: {ops:?}");
    }
}

#[tokio::test]
async fn names_longer_than_the_identifier_limit_are_compared_as_truncated() {
    // PostgreSQL keeps 63 bytes of a name and says nothing; MySQL refuses more than 64.
    let Some(db) = TestDb::new(Dialect::Postgres, "conf_longname").await else {
        return;
    };
    let long = format!("idx-{}", "very_long_index_name_".repeat(4));
    assert!(long.len() > 63);
    let mut t = table("t", vec![id(), col("a", T::Integer)]);
    t.primary_key = vec!["id".into()];
    t.indexes.push(Index {
        name: long.clone(),
        columns: vec!["a".into()],
        unique: false,
        predicate: None,
        ..Default::default()
    });
    create(&db, &schema(vec![t.clone()])).await;
    let have = db.introspect().await;
    assert_eq!(have.tables["t"].indexes[0].name, long[..63]);
    assert!(plan(&db, &schema(vec![t])).await.is_empty());
}

#[tokio::test]
async fn reserved_words_quotes_and_non_ascii_names() {
    for dialect in ALL {
        let Some(db) = TestDb::new(dialect, "conf_names").await else {
            continue;
        };
        let mut order = table(
            "order",
            vec![
                Column {
                    auto_increment: true,
                    ..col("select", T::Integer)
                },
                col("we\"ird", T::Integer),
                col("it's", T::String(Some(10))),
                col("naïve", T::Text),
                col("表", T::Integer),
            ],
        );
        order.primary_key = vec!["select".into()];
        order.indexes.push(Index {
            name: "idx-order-表".into(),
            columns: vec!["表".into()],
            unique: false,
            predicate: None,
            ..Default::default()
        });
        let mut group = table("group", vec![id(), col("order", T::Integer)]);
        group.primary_key = vec!["id".into()];
        group.foreign_keys.push(ForeignKey {
            name: Some("fk-group-order".into()),
            columns: vec!["order".into()],
            ref_table: "order".into(),
            ref_columns: vec!["select".into()],
            on_delete: FkAction::Cascade,
            on_update: FkAction::NoAction,
            deferrable: None,
        });
        let model = schema(vec![order, group]);
        create(&db, &model).await;
        let ops = plan(&db, &model).await;
        assert!(ops.is_empty(), "{dialect}: {ops:?}");
        let have = db.introspect().await;
        assert!(
            have.tables["order"].column("we\"ird").is_some(),
            "{dialect}"
        );
        assert!(have.tables["order"].column("表").is_some(), "{dialect}");
    }
}

#[tokio::test]
async fn type_spellings_are_equivalent_and_type_changes_are_changes() {
    for dialect in ALL {
        let Some(db) = TestDb::new(dialect, "conf_types").await else {
            continue;
        };
        // Another tool's spellings of the types the model declares.
        let sql = match dialect {
            Dialect::Postgres => {
                "CREATE TABLE t (id int4 PRIMARY KEY, name character varying(50), price numeric(10,2), \
                 big int8, ok bool, ratio float8, at timestamp without time zone, small int2)"
            }
            Dialect::MySql => {
                "CREATE TABLE t (id integer PRIMARY KEY, name varchar(50), price numeric(10,2), \
                 big bigint(20), ok boolean, ratio double precision, at datetime, small smallint(6))"
            }
            Dialect::Sqlite => {
                "CREATE TABLE t (id integer PRIMARY KEY, name varchar(50), price numeric(10,2), \
                 big integer, ok boolean, ratio double, at datetime, small smallint)"
            }
        };
        db.execute(sql).await;
        let nullable = |c: Column| Column {
            nullable: true,
            ..c
        };
        let at = if dialect == Dialect::Postgres {
            T::Timestamp
        } else {
            T::DateTime
        };
        let mut t = table(
            "t",
            vec![
                col("id", T::Integer),
                nullable(col("name", T::String(Some(50)))),
                nullable(col("price", T::Decimal(Some((10, 2))))),
                nullable(col("big", T::BigInteger)),
                nullable(col("ok", T::Boolean)),
                nullable(col("ratio", T::Double)),
                nullable(col("at", at)),
                nullable(col("small", T::SmallInteger)),
            ],
        );
        t.primary_key = vec!["id".into()];
        let ops = plan(&db, &schema(vec![t.clone()])).await;
        assert!(ops.is_empty(), "{dialect}: {ops:?}");
        // Length, scale and width changes are changes.
        let mut changed = t.clone();
        changed.columns[1].ty = T::String(Some(60));
        changed.columns[2].ty = T::Decimal(Some((10, 3)));
        changed.columns[7].ty = T::BigInteger;
        let ops = plan(&db, &schema(vec![changed])).await;
        let described: Vec<String> = ops.iter().map(Op::describe).collect();
        match dialect {
            // SQLite's one integer type: smallint -> bigint is no change there.
            Dialect::Sqlite => assert_eq!(described.len(), 1, "{described:?}"),
            _ => assert_eq!(
                described,
                [
                    "alter column t.name: type String(50) -> String(60)",
                    "alter column t.price: type Decimal(10, 2) -> Decimal(10, 3)",
                    "alter column t.small: type SmallInteger -> BigInteger"
                ],
                "{dialect}"
            ),
        }
    }
}

#[tokio::test]
async fn deferrable_foreign_keys_round_trip_and_a_change_is_a_drop_and_an_add_on_postgres() {
    let Some(db) = TestDb::new(Dialect::Postgres, "conf_deferrable").await else {
        return;
    };
    let mut parent = table("parent", vec![id()]);
    parent.primary_key = vec!["id".into()];
    let mut child = table("child", vec![id(), col("p", T::Integer)]);
    child.primary_key = vec!["id".into()];
    child.foreign_keys.push(ForeignKey {
        name: Some("child_p_fkey".into()),
        columns: vec!["p".into()],
        ref_table: "parent".into(),
        ref_columns: vec!["id".into()],
        deferrable: Some(autogen_schema::Deferrable::InitiallyDeferred),
        ..Default::default()
    });
    let model = schema(vec![parent.clone(), child.clone()]);
    create(&db, &model).await;
    assert!(plan(&db, &model).await.is_empty());
    let have = db.introspect().await;
    assert_eq!(
        have.tables["child"].foreign_keys[0].deferrable,
        Some(autogen_schema::Deferrable::InitiallyDeferred)
    );
    // Checked at commit: a row may point nowhere until then.
    db.execute("BEGIN; INSERT INTO child VALUES (1, 7); INSERT INTO parent VALUES (7); COMMIT;")
        .await;
    child.foreign_keys[0].deferrable = None;
    let ops = plan(&db, &schema(vec![parent, child])).await;
    let described: Vec<String> = ops.iter().map(Op::describe).collect();
    assert_eq!(described.len(), 2, "{described:?}");
    assert!(
        described[0].starts_with("drop foreign key"),
        "{described:?}"
    );
    assert!(described[1].starts_with("add foreign key"), "{described:?}");
}

/// PostgreSQL identity columns: `GENERATED ALWAYS` and `BY DEFAULT` are two things, created as
/// declared, changed in place both ways and read back as they are.
#[tokio::test]
async fn identity_always_and_by_default_are_two() {
    let Some(db) = TestDb::new(Dialect::Postgres, "identity_always").await else {
        return;
    };
    let with = |always: bool| {
        let mut t = table(
            "t",
            vec![
                id(),
                Column {
                    auto_increment: true,
                    identity_always: always,
                    ..col("n", T::BigInteger)
                },
            ],
        );
        t.primary_key = vec!["id".into()];
        schema(vec![t])
    };
    create(&db, &with(true)).await;
    let identity = "SELECT attidentity::text FROM pg_attribute WHERE attrelid = 't'::regclass AND attname = 'n'";
    assert_eq!(db.strings(identity).await, ["a"]);
    assert!(plan(&db, &with(true)).await.is_empty());
    for (always, expected) in [(false, "d"), (true, "a")] {
        let ops = plan(&db, &with(always)).await;
        assert_eq!(ops.len(), 1, "{ops:?}");
        db.migrate(&db.introspect().await, &with(always))
            .await
            .expect("migrate");
        assert_eq!(db.strings(identity).await, [expected]);
        assert!(plan(&db, &with(always)).await.is_empty());
    }
}

/// PostgreSQL identity sequences: a name that is not the default (a renamed table's) and
/// numbering options are made as declared, read back as they are, and changed in place both
/// ways; an entity that names no sequence takes it under whatever name it has.
#[tokio::test]
async fn identity_sequence_names_and_numbering_round_trip() {
    let Some(db) = TestDb::new(Dialect::Postgres, "identity_sequence").await else {
        return;
    };
    let with = |name: Option<&str>, options: &str| {
        let mut t = table(
            "t",
            vec![Column {
                identity_sequence: Some(IdentitySequence {
                    name: name.map(str::to_string),
                    options: SequenceOptions::parse(options).expect("options"),
                }),
                ..id()
            }],
        );
        t.primary_key = vec!["id".into()];
        schema(vec![t])
    };
    let sequence = "SELECT s.relname::text || ' ' || q.seqstart || ' ' || q.seqincrement \
                    FROM pg_class s JOIN pg_sequence q ON q.seqrelid = s.oid \
                    WHERE s.oid = pg_get_serial_sequence('t', 'id')::regclass";
    create(&db, &with(Some("old_seq"), "START WITH 100 INCREMENT BY 5")).await;
    assert_eq!(db.strings(sequence).await, ["old_seq 100 5"]);
    db.execute("INSERT INTO t DEFAULT VALUES").await;
    assert_eq!(db.strings("SELECT id::text FROM t").await, ["100"]);
    let cases = [
        (
            with(Some("old_seq"), "START WITH 100 INCREMENT BY 5"),
            "old_seq 100 5",
            0,
        ),
        // No name declared: the sequence's own is kept, whatever it is.
        (
            with(None, "START WITH 100 INCREMENT BY 5"),
            "old_seq 100 5",
            0,
        ),
        (with(Some("new_seq"), "START WITH 7"), "new_seq 7 1", 1),
        (
            with(Some("old_seq"), "START WITH 100 INCREMENT BY 5"),
            "old_seq 100 5",
            1,
        ),
    ];
    for (model, expected, changes) in cases {
        let ops = plan(&db, &model).await;
        assert_eq!(ops.len(), changes, "{ops:?}");
        db.migrate(&db.introspect().await, &model)
            .await
            .expect("migrate");
        assert_eq!(db.strings(sequence).await, [expected]);
        assert!(plan(&db, &model).await.is_empty());
    }
}
