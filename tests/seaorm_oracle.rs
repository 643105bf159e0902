//! The oracle we did not write: the database that SeaORM's own
//! `Schema::create_table_from_entity` makes from each compiled fixture version introspects to
//! the same schema as the one autogen's migrations make.

use autogen_schema::{Dialect, Schema};
use autogen_tests::{DIALECTS, Project, TestDb, school};
use sea_orm::{ConnectionTrait, Database, DbBackend};

mod second_opinion;

/// SeaORM records `renamed_from` in the column comment; autogen does not.
fn without_renamed_from_comments(mut s: Schema) -> Schema {
    for t in s.tables.values_mut() {
        for c in &mut t.columns {
            if c.comment
                .as_deref()
                .is_some_and(|c| c.starts_with("renamed_from"))
            {
                c.comment = None;
            }
        }
    }
    s
}

/// Creates every table of fixture version `$v` the way SeaORM does.
macro_rules! seaorm_create {
    ($db:expr, $backend:expr, $v:ident, [$($entity:ident),*], [$($enum:ident),*]) => {{
        let schema = sea_orm::Schema::new($backend);
        $(
            if let Some(stmt) = schema.create_enum_from_active_enum::<school_fixture::$v::sea_orm_active_enums::$enum>() {
                $db.execute(&stmt).await.expect("create enum");
            }
        )*
        $(
            $db.execute(&schema.create_table_from_entity(school_fixture::$v::$entity::Entity)).await.expect("create table");
            for index in schema.create_index_from_entity(school_fixture::$v::$entity::Entity) {
                $db.execute(&index).await.expect("create index");
            }
        )*
    }};
}

async fn seaorm_schema(dialect: Dialect, step: u32) -> Option<Schema> {
    let target = TestDb::new(dialect, "seaorm_oracle").await?;
    let backend = match dialect {
        Dialect::Postgres => DbBackend::Postgres,
        _ => DbBackend::Sqlite,
    };
    let url = match dialect {
        Dialect::Sqlite => format!("{}?mode=rwc", target.url),
        _ => target.url.clone(),
    };
    let db = Database::connect(&url).await.expect("sea-orm connects");
    match step {
        1 => seaorm_create!(db, backend, v1, [student], []),
        2 => seaorm_create!(db, backend, v2, [student, fee], [FeeStatus]),
        3 => seaorm_create!(db, backend, v3, [student, fee], [FeeStatus]),
        4 => seaorm_create!(db, backend, v4, [student, fee], [FeeStatus]),
        5 => seaorm_create!(db, backend, v5, [student, fee], [FeeStatus]),
        _ => unreachable!(),
    }
    db.close().await.expect("close");
    Some(without_renamed_from_comments(target.introspect().await))
}

#[tokio::test(flavor = "multi_thread")]
async fn autogen_migrations_build_what_seaorm_builds() {
    for dialect in DIALECTS {
        let Some(p) = Project::new(dialect, "sql", "oracle_ours").await else {
            continue;
        };
        for step in 1..=5u32 {
            let models = school(step).display().to_string();
            p.ok(&["--models", &models, "-m", &format!("step {step}")])
                .await;
            p.ok(&["upgrade", "head"]).await;
            let ours = p.db.introspect().await;
            // sea-schema reads the database as autogen does.
            let differ = second_opinion::disagreements(
                &second_opinion::sea_schema(&p.db).await,
                &second_opinion::autogen(&ours, dialect == Dialect::Sqlite),
                &ours.unmanaged,
            );
            assert!(
                differ.is_empty(),
                "{dialect} step {step}:\n{}",
                differ.join("\n")
            );
            let Some(theirs) = seaorm_schema(dialect, step).await else {
                return;
            };
            // Column order differs where a column was added later (ALTER appends); compare the
            // rest exactly and the columns as sets.
            for (name, t) in &theirs.tables {
                let o = ours
                    .tables
                    .get(name)
                    .unwrap_or_else(|| panic!("{dialect} step {step}: no table {name}"));
                let mut oc = o.columns.clone();
                let mut tc = t.columns.clone();
                oc.sort_by(|a, b| a.name.cmp(&b.name));
                tc.sort_by(|a, b| a.name.cmp(&b.name));
                assert_eq!(oc, tc, "{dialect} step {step}: columns of {name}");
                let strip = |t: &autogen_schema::Table| autogen_schema::Table {
                    columns: Vec::new(),
                    ..t.clone()
                };
                assert_eq!(strip(o), strip(t), "{dialect} step {step}: table {name}");
            }
            assert_eq!(
                ours.tables.len(),
                theirs.tables.len(),
                "{dialect} step {step}"
            );
            assert_eq!(ours.enums, theirs.enums, "{dialect} step {step}: enums");
        }
    }
}
