//! What a hostile but fair user writes: duplicates, missing keys, names a dialect cannot hold,
//! scopes in one file, links and nesting that would hang or crash a naive reader. Each is an
//! error at its position (or, where the input is fine, read as written).

use crate::{Model, ModelError, parse_dir, parse_sources, validate};
use autogen_schema::{Dialect, Profile};
use std::path::PathBuf;

fn model(files: &[(&str, &str)]) -> Result<Model, ModelError> {
    let sources: Vec<(PathBuf, String)> = files
        .iter()
        .map(|(p, s)| (PathBuf::from(p), s.to_string()))
        .collect();
    parse_sources(&sources)
}

fn error(files: &[(&str, &str)]) -> String {
    model(files).unwrap_err().to_string()
}

/// An entity named `name` (table `table`) with `fields` after its `id` key (from line 6).
fn entity(table: &str, fields: &str) -> String {
    format!(
        "#[derive(DeriveEntityModel)]\n#[sea_orm(table_name = \"{table}\")]\npub struct Model {{\n    \
         #[sea_orm(primary_key)]\n    pub id: i32,\n{fields}}}\n"
    )
}

fn invalid_for(dialect: Dialect, files: &[(&str, &str)]) -> String {
    let m = model(files).expect("parses");
    validate(&m, Profile::oldest(dialect))
        .unwrap_err()
        .to_string()
}

#[test]
fn two_models_in_one_module_are_an_error_not_a_lost_entity() {
    let two = format!("{}{}", entity("a", ""), entity("b", ""));
    assert!(
        error(&[("t.rs", &two)]).starts_with("t.rs:9:12: a second entity in one module"),
        "{}",
        error(&[("t.rs", &two)])
    );
}

#[test]
fn inline_modules_are_scopes_whose_relations_resolve() {
    let text = format!(
        "mod cake {{\n{}}}\nmod fruit {{\n{}#[derive(DeriveRelation)]\npub enum Relation {{\n    \
         #[sea_orm(belongs_to = \"super::cake::Entity\", from = \"Column::CakeId\", to = \"super::cake::Column::Id\")]\n    Cake,\n}}\n}}\n",
        entity("cake", ""),
        entity("fruit", "    pub cake_id: i32,\n")
    );
    let m = model(&[("entities.rs", &text)]).unwrap();
    assert_eq!(m.schema.tables.len(), 2);
    assert_eq!(m.schema.tables["fruit"].foreign_keys[0].ref_table, "cake");
}

#[test]
fn duplicate_columns_missing_keys_and_empty_names_are_errors() {
    let dup = entity(
        "t",
        "    pub a: i32,\n    #[sea_orm(column_name = \"a\")]\n    pub b: i32,\n",
    );
    assert!(
        error(&[("t.rs", &dup)]).starts_with("t.rs:8:9: column `a` is declared twice"),
        "{}",
        error(&[("t.rs", &dup)])
    );
    // No key: an error, unless the database holds the table without one (sea-orm-cli writes
    // such entities for tables that have no key).
    let keyless = "#[derive(DeriveEntityModel)]\n#[sea_orm(table_name = \"t\")]\npub struct Model {\n    pub a: i32,\n}\n";
    let model = crate::parse_sources(&[("t.rs".into(), keyless.to_string())]).unwrap();
    let mut database = autogen_schema::Schema::default();
    let err = crate::check_keys(&model, &database)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("t.rs:3:12: entity `t` has no primary key"),
        "{err}"
    );
    database.add_table(autogen_schema::Table::new("t"));
    assert!(crate::check_keys(&model, &database).is_ok());
    let mut keyed = autogen_schema::Table::new("t");
    keyed.primary_key = vec!["a".into()];
    database.add_table(keyed);
    assert!(crate::check_keys(&model, &database).is_err());
    assert!(error(&[("t.rs", &entity("", ""))]).contains("the table name is empty"));
    let nul = entity(
        "t",
        "    #[sea_orm(column_name = \"a\\0b\")]\n    pub a: i32,\n",
    );
    assert!(error(&[("t.rs", &nul)]).contains("t.rs:7:9: the column name `a\\0b` holds a NUL"));
}

#[test]
fn enums_without_values_with_duplicates_or_clashing_names_are_errors() {
    let e = |body: &str, name: &str| {
        format!(
            "#[derive(DeriveActiveEnum)]\n#[sea_orm(rs_type = \"String\", db_type = \"Enum\", enum_name = \"{name}\")]\npub enum {body}\n"
        )
    };
    let empty = e("Status {}", "status");
    assert!(error(&[("s.rs", &empty)]).contains("s.rs:3:10: enum `Status` has no variants"));
    let dup = e(
        "Status {\n    #[sea_orm(string_value = \"a\")]\n    A,\n    #[sea_orm(string_value = \"a\")]\n    B,\n}",
        "status",
    );
    assert!(error(&[("s.rs", &dup)]).contains("s.rs:7:5: enum `Status` has the value \"a\" twice"));
    let one = e(
        "One {\n    #[sea_orm(string_value = \"a\")]\n    A,\n}",
        "shared",
    );
    let two = e(
        "Two {\n    #[sea_orm(string_value = \"b\")]\n    B,\n}",
        "shared",
    );
    let users = entity("t", "    pub one: One,\n    pub two: Two,\n");
    let err = error(&[("one.rs", &one), ("t.rs", &users), ("two.rs", &two)]);
    assert!(
        err.starts_with("two.rs:3:10: enum type `shared` is declared twice with different values"),
        "{err}"
    );
}

#[test]
fn has_many_to_a_missing_entity_is_an_error_like_belongs_to() {
    let compact = format!(
        "{}#[derive(DeriveRelation)]\npub enum Relation {{\n    #[sea_orm(has_many = \"super::ghost::Entity\")]\n    Ghost,\n}}\n",
        entity("t", "")
    );
    let err = error(&[("t.rs", &compact)]);
    assert!(
        err.contains("t.rs:9:15: relation target module `ghost` has no entity"),
        "{err}"
    );
    let dense = entity(
        "t",
        "    #[sea_orm(has_many)]\n    pub ghosts: HasMany<super::ghost::Entity>,\n",
    );
    assert!(error(&[("t.rs", &dense)]).contains("t.rs:7:9: relation target module `ghost`"));
}

#[test]
fn sea_orm_cli_expanded_output_without_relations_reads() {
    let text = r#"
use sea_orm::entity::prelude::*;
#[derive(Copy, Clone, Default, Debug, DeriveEntity)]
pub struct Entity;
impl EntityName for Entity {
    fn table_name(&self) -> &str { "lonely" }
}
#[derive(Clone, Debug, PartialEq, DeriveModel, DeriveActiveModel, Eq)]
pub struct Model { pub id: i32 }
#[derive(Copy, Clone, Debug, EnumIter, DeriveColumn)]
pub enum Column { Id }
#[derive(Copy, Clone, Debug, EnumIter, DerivePrimaryKey)]
pub enum PrimaryKey { Id }
impl PrimaryKeyTrait for PrimaryKey {
    type ValueType = i32;
    fn auto_increment() -> bool { true }
}
#[derive(Copy, Clone, Debug, EnumIter)]
pub enum Relation {}
impl ColumnTrait for Column {
    type EntityName = Entity;
    fn def(&self) -> ColumnDef {
        match self { Self::Id => ColumnType::Integer.def() }
    }
}
impl RelationTrait for Relation {
    fn def(&self) -> RelationDef { panic!("No RelationDef") }
}
impl Related<super::other::Entity> for Entity {
    fn to() -> RelationDef { super::other_via::Relation::Other.def() }
    fn via() -> Option<RelationDef> { Some(super::other_via::Relation::Lonely.def().rev()) }
}
impl ActiveModelBehavior for ActiveModel {}
"#;
    let m = model(&[("lonely.rs", text)]).unwrap();
    assert_eq!(m.schema.tables["lonely"].primary_key, ["id"]);
}

#[test]
fn nesting_is_read_to_the_limit_and_refused_beyond_it_at_its_place() {
    let deep_mods = format!(
        "{}{}{}",
        "mod m {\n".repeat(300),
        entity("deep", ""),
        "}\n".repeat(300)
    );
    assert!(
        model(&[("d.rs", &deep_mods)])
            .unwrap()
            .schema
            .tables
            .contains_key("deep")
    );
    let deep_type = entity(
        "t",
        &format!(
            "    pub a: {}i32{},\n",
            "Option<".repeat(400),
            ">".repeat(400)
        ),
    );
    let err = error(&[("t.rs", &deep_type)]);
    assert!(
        err.starts_with("t.rs:6:9: type `Option` of column `a` is neither"),
        "{err}"
    );
    let too_deep = format!("{}{}", "mod m {\n".repeat(1001), "}\n".repeat(1001));
    let err = error(&[("d.rs", &too_deep)]);
    assert!(
        err.starts_with("d.rs:1001:7: nested more than 1000 levels deep"),
        "{err}"
    );
}

#[test]
fn directories_with_link_loops_and_files_that_are_not_utf8_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("t.rs"), entity("t", "")).unwrap();
    std::os::unix::fs::symlink(".", dir.path().join("again")).unwrap();
    std::os::unix::fs::symlink(".", dir.path().join("once_more")).unwrap();
    let err = parse_dir(dir.path()).unwrap_err().to_string();
    assert!(err.contains("again: a symbolic link loop"), "{err}");
    std::fs::remove_file(dir.path().join("again")).unwrap();
    std::fs::remove_file(dir.path().join("once_more")).unwrap();
    // Two links to one file: read once, not "table defined twice".
    std::os::unix::fs::symlink(dir.path().join("t.rs"), dir.path().join("u.rs")).unwrap();
    assert_eq!(parse_dir(dir.path()).unwrap().schema.tables.len(), 1);
    std::fs::write(dir.path().join("v.rs"), b"// ok\n// caf\xe9\n").unwrap();
    let err = parse_dir(dir.path()).unwrap_err().to_string();
    assert!(
        err.ends_with("v.rs:2:7: not UTF-8 (byte 0xe9): entity files are Rust source"),
        "{err}"
    );
}

#[test]
fn names_and_types_a_dialect_cannot_hold_are_refused_at_their_place() {
    let long = "x".repeat(64);
    let table = entity(&long, "");
    let err = invalid_for(Dialect::Postgres, &[("t.rs", &table)]);
    assert!(
        err.starts_with(&format!(
            "t.rs:3:12: table `{long}`: 64 bytes long; postgres keeps names of at most 63 bytes"
        )),
        "{err}"
    );
    assert!(
        model(&[("t.rs", &table)])
            .is_ok_and(|m| validate(&m, Profile::oldest(Dialect::MySql)).is_ok())
    );
    let column = entity(
        "t",
        &format!(
            "    #[sea_orm(column_name = \"{}\")]\n    pub a: i32,\n",
            "y".repeat(65)
        ),
    );
    assert!(invalid_for(Dialect::MySql, &[("t.rs", &column)]).starts_with("t.rs:7:9: column `yyy"));
    let space = entity(
        "t",
        "    #[sea_orm(column_name = \"a \")]\n    pub a: i32,\n",
    );
    assert!(
        invalid_for(Dialect::MySql, &[("t.rs", &space)])
            .contains("MySQL refuses names that end with a space")
    );
    // Found by `cargo xtask soak`: MySQL's check is any trailing space character.
    let newline = entity(
        "t",
        "    #[sea_orm(column_name = \"-\\n\")]\n    pub a: i32,\n",
    );
    assert!(
        invalid_for(Dialect::MySql, &[("t.rs", &newline)])
            .contains("MySQL refuses names that end with a space or a line break")
    );
    let array = entity("t", "    pub tags: Vec<String>,\n");
    assert!(
        invalid_for(Dialect::MySql, &[("t.rs", &array)])
            .starts_with("t.rs:6:9: column `t.tags`: mysql has no column type Array(String)")
    );
    let text_unique = entity(
        "t",
        "    #[sea_orm(column_type = \"Text\", unique)]\n    pub body: String,\n",
    );
    assert!(
        invalid_for(Dialect::MySql, &[("t.rs", &text_unique)])
            .contains("mysql cannot index that type")
    );
    let touched = entity(
        "t",
        "    #[sea_orm(extra = \"ON UPDATE CURRENT_TIMESTAMP\")]\n    pub at: DateTime,\n",
    );
    assert!(
        invalid_for(Dialect::Postgres, &[("t.rs", &touched)])
            .starts_with("t.rs:7:9: column `t.at`: ON UPDATE CURRENT_TIMESTAMP is a MySQL feature")
    );
    let dated = "#[derive(DeriveEntityModel)]\n#[sea_orm(table_name = \"days\")]\npub struct Model {\n    \
                 #[sea_orm(primary_key)]\n    pub day: Date,\n}\n";
    for dialect in Dialect::ALL {
        let err = invalid_for(dialect, &[("d.rs", dated)]);
        assert!(
            err.starts_with("d.rs:5:9: column `days.day`")
                && err.contains("auto_increment = false"),
            "{err}"
        );
    }
    let reserved = entity("sqlite_stuff", "");
    assert!(
        invalid_for(Dialect::Sqlite, &[("t.rs", &reserved)])
            .contains("SQLite reserves names that start with sqlite_")
    );
}
