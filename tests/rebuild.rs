//! SQLite table rebuilds: what its ALTER TABLE cannot do (change a column, add or drop a
//! foreign key) autogen does by building the table anew. Rows and indexes survive, the review
//! says so, and the result autogenerates no further change, in both formats.

use autogen_schema::Dialect;
use autogen_tests::Project;
use std::path::{Path, PathBuf};

const AUTHOR: &str = r#"use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "authors")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name: String,
    #[sea_orm(has_many)]
    pub books: HasMany<super::book::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
"#;

/// v1: `title` required, no foreign key. v2: `title` nullable with a default, `pages` added
/// NOT NULL with a default, and a foreign key to authors.
fn book(v: u32) -> String {
    let (title, fk) = if v == 1 {
        ("    pub title: String,\n", "")
    } else {
        (
            "    #[sea_orm(default_value = \"untitled\")]\n    pub title: Option<String>,\n    #[sea_orm(default_value = 100)]\n    pub pages: i32,\n",
            "    #[sea_orm(belongs_to, from = \"author_id\", to = \"id\", on_delete = \"Cascade\")]\n    pub author: BelongsTo<super::author::Entity>,\n",
        )
    };
    format!(
        "use sea_orm::entity::prelude::*;\n\n#[sea_orm::model]\n\
         #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]\n#[sea_orm(table_name = \"books\")]\n\
         pub struct Model {{\n    #[sea_orm(primary_key)]\n    pub id: i32,\n{title}    #[sea_orm(indexed)]\n    pub author_id: i32,\n{fk}}}\n\n\
         impl ActiveModelBehavior for ActiveModel {{}}\n"
    )
}

fn write_models(root: &Path, v: u32) -> PathBuf {
    let dir = root.join(format!("entity_v{v}"));
    std::fs::create_dir_all(&dir).expect("models dir");
    std::fs::write(dir.join("mod.rs"), "pub mod author;\npub mod book;\n").expect("mod.rs");
    std::fs::write(dir.join("author.rs"), AUTHOR).expect("author.rs");
    // v1 has no relation back from authors to books: authors has no `has_many` then.
    let author = if v == 1 {
        AUTHOR.replace(
            "    #[sea_orm(has_many)]\n    pub books: HasMany<super::book::Entity>,\n",
            "",
        )
    } else {
        AUTHOR.to_string()
    };
    std::fs::write(dir.join("author.rs"), author).expect("author.rs");
    std::fs::write(dir.join("book.rs"), book(v)).expect("book.rs");
    dir
}

async fn rebuild_keeps_rows_and_indexes(format: &str) {
    let Some(p) = Project::new(Dialect::Sqlite, format, "rebuild").await else {
        return;
    };
    let v1 = write_models(p.dir.path(), 1).display().to_string();
    let v2 = write_models(p.dir.path(), 2).display().to_string();
    p.ok(&["--models", &v1, "-m", "authors and books"]).await;
    p.ok(&["upgrade", "head"]).await;
    p.db.execute(
        "INSERT INTO authors (name) VALUES ('Le Guin'), ('Lem');\
         INSERT INTO books (title, author_id) VALUES ('The Dispossessed', 1), ('Solaris', 2)",
    )
    .await;
    let v1_catalog = p.db.introspect().await;

    let review = p
        .ok(&["--models", &v2, "-m", "nullable title, pages, author key"])
        .await;
    assert!(
        review.contains(
            "rebuild table books (alter column title, add column pages, change foreign keys)"
        ) && review.contains("rebuilds table books"),
        "{review}"
    );
    let up = p.files().into_iter().find(|f| {
        let name = f.to_string_lossy();
        name.contains("nullable_title") && !name.ends_with(".down.sql")
    });
    let text = std::fs::read_to_string(up.expect("migration file")).expect("read");
    assert!(text.contains("PRAGMA foreign_keys = OFF"), "{text}");
    assert!(text.contains("pragma_foreign_key_check"), "{text}");

    p.ok(&["upgrade", "head"]).await;
    let books =
        p.db.strings("SELECT title || ':' || author_id || ':' || pages FROM books ORDER BY id")
            .await;
    assert_eq!(books, ["The Dispossessed:1:100", "Solaris:2:100"]);
    let schema = p.db.introspect().await;
    let table = &schema.tables["books"];
    assert_eq!(table.indexes.len(), 1, "{table:?}");
    assert_eq!(table.foreign_keys.len(), 1, "{table:?}");
    let check = p.ok(&["--models", &v2, "check"]).await;
    assert!(check.contains("No changes detected"), "{check}");
    // The foreign key is enforced after the rebuild.
    let orphan =
        p.db.connect()
            .await
            .execute_script("INSERT INTO books (title, author_id) VALUES ('Nobody', 99)")
            .await;
    assert!(orphan.is_err(), "foreign keys are back on");

    p.ok(&["downgrade", "-1"]).await;
    assert_eq!(p.db.introspect().await, v1_catalog);
    let books =
        p.db.strings("SELECT title || ':' || author_id FROM books ORDER BY id")
            .await;
    assert_eq!(books, ["The Dispossessed:1", "Solaris:2"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn sqlite_rebuild_sql() {
    rebuild_keeps_rows_and_indexes("sql").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sqlite_rebuild_rust() {
    rebuild_keeps_rows_and_indexes("rust").await;
}

/// A rebuild that would leave a row pointing nowhere is stopped by the check before commit,
/// and nothing of it remains.
#[tokio::test(flavor = "multi_thread")]
async fn a_rebuild_that_breaks_a_reference_rolls_back() {
    let Some(p) = Project::new(Dialect::Sqlite, "sql", "rebuildfk").await else {
        return;
    };
    let v1 = write_models(p.dir.path(), 1).display().to_string();
    let v2 = write_models(p.dir.path(), 2).display().to_string();
    p.ok(&["--models", &v1, "-m", "one"]).await;
    p.ok(&["upgrade", "head"]).await;
    p.db.execute("INSERT INTO books (title, author_id) VALUES ('Orphan', 42)")
        .await;
    p.ok(&["--models", &v2, "-m", "two"]).await;
    let before = p.db.introspect().await;
    let run = p.autogen(&["upgrade", "head"]).await;
    assert!(
        run.stderr.contains("pragma_foreign_key_check")
            && run.stderr.contains("CHECK constraint failed"),
        "{}",
        run.stderr
    );
    assert_eq!(
        p.db.introspect().await,
        before,
        "the rebuild was rolled back"
    );
    assert_eq!(p.db.sqlx_versions().await.len(), 1);
}
