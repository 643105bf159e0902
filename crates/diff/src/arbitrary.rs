//! Random schemas and schema pairs for property tests, here and in the database suites.

use autogen_schema::{
    Check, Column, ColumnType, DefaultValue, Dialect, FkAction, ForeignKey, Index, Schema, Table,
    Unique,
};
use proptest::prelude::*;

const TABLES: [&str; 4] = ["t0", "t1", "t2", "t3"];

fn arb_type() -> impl Strategy<Value = ColumnType> {
    prop_oneof![
        Just(ColumnType::Integer),
        Just(ColumnType::BigInteger),
        Just(ColumnType::Text),
        Just(ColumnType::String(None)),
        Just(ColumnType::String(Some(40))),
        Just(ColumnType::Boolean),
        Just(ColumnType::Decimal(Some((10, 2)))),
        Just(ColumnType::TimestampWithTimeZone),
        Just(ColumnType::Date),
        Just(ColumnType::Uuid),
        Just(ColumnType::Double),
        Just(ColumnType::SmallInteger),
        Just(ColumnType::TinyInteger),
        Just(ColumnType::Unsigned),
        Just(ColumnType::Float),
        Just(ColumnType::Char(Some(3))),
        Just(ColumnType::Time),
        Just(ColumnType::DateTime),
        Just(ColumnType::Json),
        Just(ColumnType::Blob),
        Just(ColumnType::VarBinary(Some(32))),
    ]
}

fn arb_column() -> impl Strategy<Value = Column> {
    (arb_type(), any::<bool>(), any::<bool>()).prop_map(|(ty, nullable, with_default)| {
        let default = match (&ty, with_default) {
            (ColumnType::Integer | ColumnType::BigInteger, true) => {
                Some(DefaultValue::Number("7".into()))
            }
            (ColumnType::Text | ColumnType::String(_), true) => {
                Some(DefaultValue::String("it's".into()))
            }
            (ColumnType::Boolean, true) => Some(DefaultValue::Bool(true)),
            (ColumnType::TimestampWithTimeZone, true) => Some(DefaultValue::CurrentTimestamp),
            _ => None,
        };
        Column {
            nullable,
            default,
            ..Column::new("c", ty)
        }
    })
}

fn id_column() -> Column {
    Column {
        auto_increment: true,
        ..Column::new("id", ColumnType::Integer)
    }
}

/// A schema over a fixed pool of table and column names, so that two draws overlap.
pub fn arb_schema() -> impl Strategy<Value = Schema> {
    proptest::collection::vec(
        (
            any::<bool>(),
            proptest::collection::vec(any::<bool>(), 4),
            proptest::collection::vec(arb_column(), 4),
            any::<bool>(),
            any::<bool>(),
            0usize..TABLES.len(),
            proptest::option::of(0u8..2),
        ),
        TABLES.len(),
    )
    .prop_map(|specs| {
        let mut s = Schema::default();
        let present: Vec<bool> = specs.iter().map(|s| s.0).collect();
        for (i, (exists, col_mask, cols, indexed, unique, fk_to, check)) in
            specs.into_iter().enumerate()
        {
            if !exists {
                continue;
            }
            let name = TABLES[i];
            let mut t = Table::new(name);
            t.columns.push(id_column());
            t.primary_key = vec!["id".into()];
            for (j, (keep, mut c)) in col_mask.into_iter().zip(cols).enumerate() {
                if keep {
                    c.name = format!("c{j}");
                    t.columns.push(c);
                }
            }
            if let Some(first) = t.columns.get(1).map(|c| c.name.clone()) {
                if indexed {
                    t.indexes.push(Index {
                        name: format!("idx-{name}-{first}"),
                        columns: vec![first.clone()],
                        unique: false,
                        predicate: None,
                        ..Default::default()
                    });
                }
                if unique {
                    t.uniques.push(Unique {
                        name: None,
                        columns: vec![first],
                        ..Default::default()
                    });
                }
            }
            // A CHECK on a column of its own (as a database side, autogen's own: it may drop
            // it). Its definition is as written; a test on a real server puts it in the
            // server's rendering.
            if let Some(n) = check {
                t.columns.push(Column {
                    nullable: true,
                    ..Column::new("ck", ColumnType::Integer)
                });
                t.checks.push(Check {
                    name: Some(format!("ck_{name}")),
                    definition: format!("CHECK (ck > {n})"),
                    owned: true,
                    ..Check::default()
                });
            }
            if present[fk_to] {
                t.columns.push(Column {
                    nullable: true,
                    ..Column::new("ref_id", ColumnType::Integer)
                });
                t.foreign_keys.push(ForeignKey {
                    name: Some(format!("fk-{name}-ref_id")),
                    columns: vec!["ref_id".into()],
                    ref_table: TABLES[fk_to].into(),
                    ref_columns: vec!["id".into()],
                    on_delete: FkAction::Cascade,
                    on_update: FkAction::NoAction,
                    deferrable: None,
                });
            }
            s.add_table(t);
        }
        s
    })
}

/// The schema without what `dialect` cannot declare at all: indexes and UNIQUEs on columns it
/// cannot key (MySQL: `text`, `blob`, `json` without a prefix length, which a model cannot
/// give; PostgreSQL: `json`, which has no btree operator class).
pub fn expressible(mut s: Schema, dialect: Dialect) -> Schema {
    use ColumnType as T;
    let sql = dialect.sql();
    let unkeyable = |ty: &T| !sql.indexable(ty);
    for t in s.tables.values_mut() {
        let unindexable: Vec<String> = t
            .columns
            .iter()
            .filter(|c| unkeyable(&c.ty))
            .map(|c| c.name.clone())
            .collect();
        let keyable = |cols: &[String]| !cols.iter().any(|c| unindexable.contains(c));
        t.indexes.retain(|i| keyable(&i.columns));
        t.uniques.retain(|u| keyable(&u.columns));
    }
    s
}

/// Makes `b` a target that `dialect` can reach from `a`: a type change the database cannot cast
/// (there is no cast from boolean to date) keeps the old type. SQLite, which rebuilds the table
/// for any change and keeps values as they are, reaches every `b`.
pub fn reachable(a: &Schema, mut b: Schema, dialect: Dialect) -> Schema {
    // A rebuild copies values as they are: every `b` is reachable.
    if dialect.sql().capabilities().rebuild_tables {
        return b;
    }
    for (name, want) in b.tables.iter_mut() {
        let Some(have) = a.tables.get(name) else {
            continue;
        };
        for c in &mut want.columns {
            if let Some(old) = have.column(&c.name)
                && !castable(&old.ty, &c.ty)
            {
                c.ty = old.ty.clone();
                c.default = old.default.clone();
            }
        }
    }
    b
}

fn castable(from: &ColumnType, to: &ColumnType) -> bool {
    use ColumnType as T;
    let numeric = |t: &T| {
        matches!(
            t,
            T::TinyInteger
                | T::SmallInteger
                | T::Integer
                | T::BigInteger
                | T::Unsigned
                | T::Float
                | T::Double
                | T::Decimal(_)
        )
    };
    let text = |t: &T| matches!(t, T::Text | T::String(_));
    from == to || (numeric(from) && numeric(to)) || text(to)
}

/// The comparable form of a schema: normalized for `dialect`, with what databases name, spell
/// or order on their own (UNIQUE, primary and foreign key names, default spellings, column
/// order after ALTERs) and model-only annotations removed.
pub fn comparable(s: &Schema, dialect: Dialect) -> Schema {
    let mut s = s.normalized(dialect).modelled();
    for t in s.tables.values_mut() {
        t.renamed_from = None;
        t.primary_key_name = None;
        t.ignored.clear();
        for c in &mut t.columns {
            c.renamed_from = None;
            c.default_sql = None;
        }
        for i in &mut t.indexes {
            i.derived = false;
        }
        for u in &mut t.uniques {
            u.name = None;
        }
        for f in &mut t.foreign_keys {
            f.name = None;
        }
        for c in &mut t.checks {
            c.owned = false;
            c.derived = false;
        }
        t.columns.sort_by(|a, b| a.name.cmp(&b.name));
    }
    s
}
