//! The three entity formats give the same schema; what cannot be read is an error with a place.

use crate::{ModelError, parse_sources};
use autogen_schema::{ColumnType, DefaultValue, FkAction, Schema};
use std::path::PathBuf;

fn parse(files: &[(&str, &str)]) -> Result<Schema, ModelError> {
    let sources: Vec<(PathBuf, String)> = files
        .iter()
        .map(|(p, s)| (PathBuf::from(p), s.to_string()))
        .collect();
    parse_sources(&sources).map(|m| m.schema)
}

const CAKE_DENSE: &str = r#"
use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cake", comment = "Cakes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(column_type = "String(StringLen::N(64))", unique)]
    pub name: String,
    pub price: Option<Decimal>,
    #[sea_orm(has_many)]
    pub fruits: HasMany<super::fruit::Entity>,
}
"#;

const FRUIT_DENSE: &str = r#"
use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "fruit")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(indexed)]
    pub cake_id: Option<i32>,
    #[sea_orm(default_value = 3)]
    pub weight: i64,
    #[sea_orm(belongs_to, from = "cake_id", to = "id", on_delete = "SetNull", on_update = "Cascade")]
    pub cake: BelongsTo<super::cake::Entity>,
}
"#;

const FRUIT_COMPACT: &str = r#"
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "fruit")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(indexed)]
    pub cake_id: Option<i32>,
    #[sea_orm(default_value = 3)]
    pub weight: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::cake::Entity",
        from = "Column::CakeId",
        to = "super::cake::Column::Id",
        on_delete = "SetNull",
        on_update = "Cascade"
    )]
    Cake,
}
"#;

const FRUIT_EXPANDED: &str = r#"
use sea_orm::entity::prelude::*;

#[derive(Copy, Clone, Default, Debug, DeriveEntity)]
pub struct Entity;

impl EntityName for Entity {
    fn table_name(&self) -> &'static str {
        "fruit"
    }
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveModel, DeriveActiveModel)]
pub struct Model {
    pub id: i32,
    pub cake_id: Option<i32>,
    pub weight: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveColumn)]
pub enum Column {
    Id,
    CakeId,
    Weight,
}

#[derive(Copy, Clone, Debug, EnumIter, DerivePrimaryKey)]
pub enum PrimaryKey {
    Id,
}

impl PrimaryKeyTrait for PrimaryKey {
    type ValueType = i32;
    fn auto_increment() -> bool {
        true
    }
}

#[derive(Copy, Clone, Debug, EnumIter)]
pub enum Relation {
    Cake,
}

impl ColumnTrait for Column {
    type EntityName = Entity;
    fn def(&self) -> ColumnDef {
        match self {
            Self::Id => ColumnType::Integer.def(),
            Self::CakeId => ColumnType::Integer.def().null().indexed(),
            Self::Weight => ColumnType::BigInteger.def().default_value(3),
        }
    }
}

impl RelationTrait for Relation {
    fn def(&self) -> RelationDef {
        match self {
            Self::Cake => Entity::belongs_to(super::cake::Entity)
                .from(Column::CakeId)
                .to(super::cake::Column::Id)
                .on_delete(ForeignKeyAction::SetNull)
                .on_update(ForeignKeyAction::Cascade)
                .into(),
        }
    }
}
"#;

#[test]
fn dense_compact_and_expanded_formats_agree() {
    let dense = parse(&[("cake.rs", CAKE_DENSE), ("fruit.rs", FRUIT_DENSE)]).unwrap();
    let compact = parse(&[("cake.rs", CAKE_DENSE), ("fruit.rs", FRUIT_COMPACT)]).unwrap();
    let expanded = parse(&[("cake.rs", CAKE_DENSE), ("fruit.rs", FRUIT_EXPANDED)]).unwrap();
    assert_eq!(dense, compact);
    assert_eq!(dense, expanded);

    let fruit = dense.table("fruit").unwrap();
    assert_eq!(fruit.primary_key, ["id"]);
    assert!(fruit.column("id").unwrap().auto_increment);
    let cake_id = fruit.column("cake_id").unwrap();
    assert!(cake_id.nullable);
    assert_eq!(cake_id.ty, ColumnType::Integer);
    assert_eq!(
        fruit.column("weight").unwrap().default,
        Some(DefaultValue::Number("3".into()))
    );
    assert_eq!(fruit.indexes[0].name, "idx-fruit-cake_id");
    let fk = &fruit.foreign_keys[0];
    assert_eq!(fk.name.as_deref(), Some("fk-fruit-cake_id"));
    assert_eq!(
        (fk.ref_table.as_str(), fk.ref_columns.as_slice()),
        ("cake", &["id".to_string()][..])
    );
    assert_eq!(
        (fk.on_delete, fk.on_update),
        (FkAction::SetNull, FkAction::Cascade)
    );

    let cake = dense.table("cake").unwrap();
    assert_eq!(cake.comment.as_deref(), Some("Cakes"));
    assert_eq!(
        cake.column("name").unwrap().ty,
        ColumnType::String(Some(64))
    );
    assert_eq!(cake.uniques[0].columns, ["name"]);
    assert_eq!(cake.column("price").unwrap().ty, ColumnType::Decimal(None));
    assert_eq!(cake.columns.len(), 3, "relation fields are not columns");
}

#[test]
fn active_enums_become_database_enums() {
    let src = r#"
use sea_orm::entity::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Enum", enum_name = "tea")]
pub enum Tea {
    #[sea_orm(string_value = "EverydayTea")]
    EverydayTea,
    #[sea_orm(string_value = "BreakfastTea")]
    BreakfastTea,
}

#[derive(Debug, Clone, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(1))")]
pub enum Size {
    #[sea_orm(string_value = "S")]
    Small,
}

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "drink")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(default_value = "EverydayTea")]
    pub tea: Tea,
    pub size: Option<Size>,
    #[sea_orm(ignore)]
    pub cached: String,
    #[sea_orm(default_expr = "Expr::current_timestamp()")]
    pub at: DateTimeWithTimeZone,
}
"#;
    let s = parse(&[("drink.rs", src)]).unwrap();
    assert_eq!(s.enums["tea"].values, ["EverydayTea", "BreakfastTea"]);
    let t = s.table("drink").unwrap();
    assert_eq!(t.column("tea").unwrap().ty, ColumnType::Enum("tea".into()));
    assert_eq!(t.column("size").unwrap().ty, ColumnType::String(Some(1)));
    assert!(t.column("cached").is_none());
    assert!(!t.column("id").unwrap().auto_increment);
    assert_eq!(
        t.column("at").unwrap().default,
        Some(DefaultValue::CurrentTimestamp)
    );
}

/// Entity `t` with an `id` primary key (lines 1–5), then `fields` from line 6, then `after`.
fn entity_t(fields: &str, after: &str) -> String {
    format!(
        "#[derive(DeriveEntityModel)]\n#[sea_orm(table_name = \"t\")]\npub struct Model {{\n    \
         #[sea_orm(primary_key)]\n    pub id: i32,\n{fields}}}\n{after}"
    )
}

fn error_of(files: &[(&str, &str)]) -> String {
    parse(files).unwrap_err().to_string()
}

#[test]
fn unknown_attributes_are_errors_with_a_place() {
    let src = "#[derive(DeriveEntityModel)]\n#[sea_orm(table_name = \"t\")]\npub struct Model {\n    #[sea_orm(primary_key, colum_name = \"x\")]\n    pub id: i32,\n}\n";
    assert_eq!(
        error_of(&[("t.rs", src)]),
        "t.rs:4:28: unknown #[sea_orm(colum_name)] on a field (did you mean `column_name`?)"
    );
    let typo = src.replace("colum_name = \"x\"", "uniqe");
    assert_eq!(
        error_of(&[("t.rs", &typo)]),
        "t.rs:4:28: unknown #[sea_orm(uniqe)] on a field (did you mean `unique`?)"
    );
    // Nothing near: no guess.
    let far = src.replace("colum_name = \"x\"", "zzzzzzzz");
    assert_eq!(
        error_of(&[("t.rs", &far)]),
        "t.rs:4:28: unknown #[sea_orm(zzzzzzzz)] on a field"
    );
}

#[test]
fn unmappable_types_are_errors_with_a_place() {
    let src = &entity_t("    pub thing: Mystery,\n", "");
    let err = error_of(&[("t.rs", src)]);
    assert!(
        err.starts_with("t.rs:6:9: type `Mystery` of column `thing`"),
        "{err}"
    );
}

#[test]
fn bad_default_expr_and_relation_targets_are_errors() {
    let src = &entity_t(
        "    #[sea_orm(default_expr = \"launch_missiles()\")]\n    pub x: i32,\n",
        "",
    );
    assert!(
        error_of(&[("t.rs", src)])
            .contains("t.rs:6:15: default_expr \"launch_missiles()\" is not understood")
    );

    let src = &entity_t(
        "    pub o_id: i32,\n",
        "#[derive(DeriveRelation)]\npub enum Relation {\n    #[sea_orm(belongs_to = \"super::other::Entity\", from = \"Column::OId\", to = \"super::other::Column::Id\")]\n    Other,\n}\n",
    );
    let err = error_of(&[("t.rs", src)]);
    assert!(
        err.contains("t.rs:11:5: relation target module `other` has no entity"),
        "{err}"
    );
}

#[test]
fn syntax_errors_have_a_place() {
    let err = error_of(&[("t.rs", "pub struct Model {")]);
    assert!(err.starts_with("t.rs:1:"), "{err}");
}

#[test]
fn constructs_autogen_cannot_compare_are_errors_not_skipped() {
    let src = "#[derive(DeriveEntityModel)]\n#[sea_orm(table_name = \"t\", schema_name = \"other\")]\npub struct Model {\n    #[sea_orm(primary_key)]\n    pub id: i32,\n}\n";
    // A table of another PostgreSQL schema; MySQL has none.
    let model = crate::parse_sources(&[(PathBuf::from("t.rs"), src.to_string())]).unwrap();
    assert!(model.schema.tables.contains_key("other\0t"));
    let err = crate::validate(
        &model,
        autogen_schema::Profile::oldest(autogen_schema::Dialect::MySql),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.starts_with("t.rs:3:12: table `t`: schema_name = \"other\": mysql has no schemas"),
        "{err}"
    );
    assert!(
        crate::validate(
            &model,
            autogen_schema::Profile::oldest(autogen_schema::Dialect::Postgres)
        )
        .is_ok()
    );
    let src = &entity_t(
        "    #[sea_orm(extra = \"CHECK (x > 0)\")]\n    pub x: i32,\n",
        "",
    );
    assert!(error_of(&[("t.rs", src)]).starts_with("t.rs:6:15: extra = \"...\" is raw SQL"));
}

#[test]
fn extra_on_update_current_timestamp_is_understood() {
    let src = &entity_t(
        "    #[sea_orm(extra = \"ON UPDATE CURRENT_TIMESTAMP\")]\n    pub touched: DateTimeUtc,\n",
        "",
    );
    let schema = parse(&[("t.rs", src)]).unwrap();
    let column = schema.tables["t"].column("touched").unwrap();
    assert_eq!(column.on_update, Some(DefaultValue::CurrentTimestamp));
}

#[test]
fn deferrable_foreign_keys_are_declared_on_the_relation_on_postgres_and_sqlite() {
    let parent = "#[derive(DeriveEntityModel)]\n#[sea_orm(table_name = \"p\")]\npub struct Model {\n    #[sea_orm(primary_key)]\n    pub id: i32,\n}\n";
    let child = "#[derive(DeriveEntityModel)]\n#[sea_orm(table_name = \"c\")]\npub struct Model {\n    #[sea_orm(primary_key)]\n    pub id: i32,\n    pub p_id: i32,\n}\n#[derive(DeriveRelation)]\npub enum Relation {\n    #[sea_orm(belongs_to = \"super::p::Entity\", from = \"Column::PId\", to = \"super::p::Column::Id\")]\n    #[cfg_attr(any(), autogen(foreign_key(deferrable = \"WORD\")))]\n    P,\n}\n";
    let files = |word: &str| {
        vec![
            (PathBuf::from("p.rs"), parent.to_string()),
            (PathBuf::from("c.rs"), child.replace("WORD", word)),
        ]
    };
    let model = parse_sources(&files("deferred")).unwrap();
    assert_eq!(
        model.schema.tables["c"].foreign_keys[0].deferrable,
        Some(autogen_schema::Deferrable::InitiallyDeferred)
    );
    let pg = autogen_schema::Profile::oldest(autogen_schema::Dialect::Postgres);
    assert!(crate::validate(&model, pg).is_ok());
    let sqlite = autogen_schema::Profile::oldest(autogen_schema::Dialect::Sqlite);
    assert!(crate::validate(&model, sqlite).is_ok());
    let mysql = autogen_schema::Profile::oldest(autogen_schema::Dialect::MySql);
    let err = crate::validate(&model, mysql).unwrap_err().to_string();
    assert!(err.contains("has no DEFERRABLE foreign keys"), "{err}");
    let err = parse_sources(&files("later")).unwrap_err().to_string();
    assert!(
        err.starts_with("c.rs:11:") && err.contains("say \"deferred\""),
        "{err}"
    );
}
