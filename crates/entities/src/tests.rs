//! Entities read back: what `autogen entities` writes, autogen's reader reads as the schema it
//! was written from, for a schema with every feature the writer handles and for random ones.

use crate::{Options, entities};
use autogen_diff::arbitrary::{arb_schema, expressible};
use autogen_schema::{
    Column, ColumnType as T, DefaultValue, Dialect, Domain, DomainCheck, EnumType, FkAction,
    ForeignKey, Index, Schema, Table, Unique,
};
use proptest::prelude::*;
use std::path::PathBuf;

/// The schema autogen reads from the written files, normalized for `dialect`, without what
/// only tells where a name came from.
fn read_back(schema: &Schema, dialect: Dialect, dense: bool) -> Schema {
    let files = entities(schema, dialect, Options { dense });
    let sources: Vec<(PathBuf, String)> = files
        .into_iter()
        .map(|f| (PathBuf::from("entity").join(f.path), f.contents))
        .collect();
    let model = autogen_model::parse_sources(&sources).unwrap_or_else(|e| {
        let all: Vec<String> = sources
            .iter()
            .map(|(p, t)| format!("==> {}\n{t}", p.display()))
            .collect();
        panic!("{e}\n{}", all.join("\n"))
    });
    plain(&model.schema, dialect)
}

/// The schema without what only tells where a name came from, and with the names the server
/// gives unnamed keys taken for no name (the entities leave those unsaid); default spellings
/// are compared by [`spellings`].
fn plain(s: &Schema, dialect: Dialect) -> Schema {
    let sql = dialect.sql();
    let mut s = s.normalized(dialect).modelled();
    for t in s.tables.values_mut() {
        t.ignored.clear();
        let unnamed = match t.primary_key.len() {
            1 => sql.unnamed_primary_key_name(&t.name),
            _ => Some(autogen_schema::lexical::primary_key_name(&t.name)),
        };
        if t.primary_key_name == unnamed {
            t.primary_key_name = None;
        }
        for u in &mut t.uniques {
            if let [c] = u.columns.as_slice()
                && u.name == sql.unnamed_unique_name(&t.name, c)
            {
                u.name = None;
            }
        }
        for c in &mut t.columns {
            c.default_sql = None;
        }
        for i in &mut t.indexes {
            i.derived = false;
        }
        for u in &mut t.uniques {
            u.derived = false;
        }
        t.indexes.sort();
        t.uniques.sort();
        t.foreign_keys.sort();
    }
    s
}

fn col(name: &str, ty: T) -> Column {
    Column::new(name, ty)
}

/// A PostgreSQL schema with what real ones hold: enums, domains, types sqlx cannot read, arrays,
/// a table without a key, a key in an order of its own and under its own name, named and
/// partial and GIN indexes, named UNIQUEs, keys to itself and two keys to one table, defaults
/// in the catalog's own spelling, comments, and names that are Rust keywords or not ASCII.
fn rich_postgres() -> Schema {
    let mut s = Schema::default();
    s.enums.insert(
        "mpaa_rating".into(),
        EnumType {
            name: "mpaa_rating".into(),
            values: vec!["G".into(), "PG".into(), "PG-13".into(), "NC-17".into()],
        },
    );
    s.domains.insert(
        "year".into(),
        Domain {
            name: "year".into(),
            base: "integer".into(),
            not_null: false,
            default: None,
            checks: vec![DomainCheck {
                name: "year_check".into(),
                definition: "CHECK (((VALUE >= 1901) AND (VALUE <= 2155)))".into(),
            }],
        },
    );
    s.sequences.insert("film_film_id_seq".into());

    let mut language = Table::new("language");
    language.columns = vec![
        Column {
            auto_increment: true,
            ..col("language_id", T::Integer)
        },
        col("name", T::Char(Some(20))),
        Column {
            default: Some(DefaultValue::CurrentTimestamp),
            default_sql: Some("now()".into()),
            ..col("last_update", T::TimestampWithTimeZone)
        },
    ];
    language.primary_key = vec!["language_id".into()];
    language.primary_key_name = Some("language_pkey".into());
    s.add_table(language);

    let mut film = Table::new("film");
    film.comment = Some("Films, one row each; \"quoted\"\nand two lines".into());
    film.columns = vec![
        Column {
            auto_increment: true,
            default: Some(DefaultValue::Expr(
                "nextval('film_film_id_seq'::regclass)".into(),
            )),
            ..col("film_id", T::Integer)
        },
        col("title", T::Text),
        Column {
            nullable: true,
            comment: Some("Year of release".into()),
            ..col("release_year", T::Custom("year".into()))
        },
        col("language_id", T::SmallInteger),
        Column {
            nullable: true,
            ..col("original_language_id", T::SmallInteger)
        },
        Column {
            default: Some(DefaultValue::Number("4.99".into())),
            ..col("rental_rate", T::Decimal(Some((4, 2))))
        },
        Column {
            default: Some(DefaultValue::String("G".into())),
            nullable: true,
            ..col("rating", T::Enum("mpaa_rating".into()))
        },
        Column {
            nullable: true,
            ..col("special_features", T::Array(Box::new(T::Text)))
        },
        col("fulltext", T::Custom("tsvector".into())),
        Column {
            nullable: true,
            ..col("type", T::String(Some(10)))
        },
        Column {
            default: Some(DefaultValue::Number("-1".into())),
            ..col("score", T::Integer)
        },
        Column {
            default: Some(DefaultValue::Bool(true)),
            ..col("active", T::Boolean)
        },
        Column {
            nullable: true,
            ..col("bıgınt", T::BigInteger)
        },
    ];
    film.primary_key = vec!["film_id".into()];
    film.primary_key_name = Some("film_pkey".into());
    film.indexes = vec![
        Index {
            name: "film_fulltext_idx".into(),
            columns: vec!["fulltext".into()],
            using: Some("gist".into()),
            ..Default::default()
        },
        Index {
            name: "idx_title".into(),
            columns: vec!["title".into()],
            ..Default::default()
        },
        Index {
            name: "idx-film-language_id".into(),
            columns: vec!["language_id".into()],
            ..Default::default()
        },
        Index {
            name: "active_titles".into(),
            columns: vec!["title".into(), "rating".into()],
            unique: true,
            predicate: Some("active".into()),
            ..Default::default()
        },
    ];
    film.foreign_keys = vec![
        ForeignKey {
            name: Some("film_language_id_fkey".into()),
            columns: vec!["language_id".into()],
            ref_table: "language".into(),
            ref_columns: vec!["language_id".into()],
            on_delete: FkAction::Restrict,
            on_update: FkAction::Cascade,
            deferrable: None,
        },
        ForeignKey {
            name: Some("film_original_language_id_fkey".into()),
            columns: vec!["original_language_id".into()],
            ref_table: "language".into(),
            ref_columns: vec!["language_id".into()],
            on_delete: FkAction::NoAction,
            on_update: FkAction::NoAction,
            deferrable: None,
        },
    ];
    s.add_table(film);

    // A key in an order of its own under the server's name: still declared, since the fields
    // marked `primary_key` say the key in field order.
    let mut pair = Table::new("pair");
    pair.columns = vec![col("x", T::Integer), col("y", T::Integer)];
    pair.primary_key = vec!["y".into(), "x".into()];
    s.add_table(pair);

    // A key in an order of its own and under a name of its own; a key to itself.
    let mut payment = Table::new("payment");
    payment.columns = vec![
        col("payment_id", T::Integer),
        col("payment_date", T::TimestampWithTimeZone),
        Column {
            nullable: true,
            ..col("refund_of", T::Integer)
        },
        Column {
            nullable: true,
            ..col("refund_date", T::TimestampWithTimeZone)
        },
    ];
    payment.primary_key = vec!["payment_date".into(), "payment_id".into()];
    payment.primary_key_name = Some("payment_pk".into());
    payment.foreign_keys = vec![ForeignKey {
        name: Some("payment_refund_fkey".into()),
        columns: vec!["refund_date".into(), "refund_of".into()],
        ref_table: "payment".into(),
        ref_columns: vec!["payment_date".into(), "payment_id".into()],
        on_delete: FkAction::SetNull,
        on_update: FkAction::NoAction,
        deferrable: None,
    }];
    s.add_table(payment);

    // No key at all; a UNIQUE over two columns; a serial column that is not a key.
    let mut events = Table::new("event_log");
    events.columns = vec![
        col("room_id", T::Text),
        col("event_id", T::Text),
        Column {
            auto_increment: true,
            ..col("stream_ordering", T::BigInteger)
        },
        Column {
            nullable: true,
            ..col("self", T::Json)
        },
    ];
    events.uniques = vec![
        Unique {
            name: Some("event_log_room_event".into()),
            columns: vec!["room_id".into(), "event_id".into()],
            ..Default::default()
        },
        Unique {
            name: Some("event_log_stream_ordering_key".into()),
            columns: vec!["stream_ordering".into()],
            ..Default::default()
        },
    ];
    s.add_table(events);
    s
}

/// The defaults the schema spells in a way of its own: (table, column, spelling).
fn spellings(s: &Schema) -> Vec<(String, String, String)> {
    s.tables
        .values()
        .flat_map(|t| {
            t.columns.iter().filter_map(|c| {
                c.default_sql
                    .clone()
                    .map(|d| (t.name.clone(), c.name.clone(), d))
            })
        })
        .collect()
}

fn read_back_with_spellings(
    s: &Schema,
    dialect: Dialect,
    dense: bool,
) -> (Schema, Vec<(String, String, String)>) {
    let files = entities(s, dialect, Options { dense });
    let sources: Vec<(PathBuf, String)> = files
        .into_iter()
        .map(|f| (PathBuf::from("entity").join(f.path), f.contents))
        .collect();
    let model = autogen_model::parse_sources(&sources).expect("entities read back");
    let kept = spellings(&model.schema)
        .into_iter()
        .filter(|k| spellings(s).contains(k))
        .collect();
    (plain(&model.schema, dialect), kept)
}

#[test]
fn a_rich_postgres_schema_reads_back_as_it_was() {
    let s = rich_postgres();
    for dense in [false, true] {
        assert_eq!(
            read_back(&s, Dialect::Postgres, dense),
            plain(&s, Dialect::Postgres),
            "dense: {dense}"
        );
        let (_, kept) = read_back_with_spellings(&s, Dialect::Postgres, dense);
        assert_eq!(
            kept,
            spellings(&s),
            "the catalog's spelling of each default"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn random_schemas_read_back_as_they_were(s in arb_schema(), dialect in prop_oneof![
        Just(Dialect::Postgres), Just(Dialect::MySql), Just(Dialect::Sqlite)
    ], dense in any::<bool>()) {
        let s = expressible(s, dialect);
        prop_assert_eq!(read_back(&s, dialect, dense), plain(&s, dialect));
    }
}
