//! Column collations (PostgreSQL, MariaDB) and a MySQL table's default collation, declared in
//! entities: created, enforced by the server (a binary collation tells `a` from `A`), changed,
//! checked clean and reversed; an entity that declares none keeps the database's.

use autogen_cli::Outcome;
use autogen_schema::Dialect;
use autogen_tests::Project;

/// The entity with `code`'s collation `collate` (none: undeclared) and the table's `table`.
fn entity(collate: Option<&str>, table: Option<&str>) -> String {
    let field = collate
        .map(|c| format!("#[cfg_attr(any(), autogen(collate(name = \"{c}\")))]"))
        .unwrap_or_default();
    let table = table
        .map(|c| format!("#[cfg_attr(any(), autogen(collate(name = \"{c}\")))]"))
        .unwrap_or_default();
    format!(
        r#"use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "codes")]
{table}
pub struct Model {{
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(column_type = "String(StringLen::N(20))")]
    {field}
    pub code: String,
}}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {{}}

impl ActiveModelBehavior for ActiveModel {{}}
"#
    )
}

fn write(p: &Project, text: &str) -> String {
    let dir = p.dir.path().join("models");
    std::fs::create_dir_all(&dir).expect("models dir");
    std::fs::write(dir.join("codes.rs"), text).expect("entity");
    dir.display().to_string()
}

async fn round_trip(dialect: Dialect, format: &str) {
    let Some(p) = Project::new(dialect, format, &format!("collations_{format}")).await else {
        return;
    };
    // A binary collation, and on MySQL a table default other than the database's.
    let (binary, other, table) = match dialect {
        Dialect::Postgres => ("C", "POSIX", None),
        _ => (
            "utf8mb4_bin",
            "utf8mb4_unicode_ci",
            Some("utf8mb3_general_ci"),
        ),
    };
    let models = write(&p, &entity(Some(binary), table));
    let plan = p.ok(&["--models", &models, "-m", "binary"]).await;
    assert!(plan.contains("create table codes"), "{plan}");
    p.ok(&["--models", &models, "upgrade", "head"]).await;
    p.ok(&["--models", &models, "check"]).await;
    p.db.execute("INSERT INTO codes (id, code) VALUES (1, 'a')")
        .await;
    assert!(
        p.db.strings("SELECT code FROM codes WHERE code = 'A'")
            .await
            .is_empty(),
        "a binary collation tells a from A"
    );
    if let Some(t) = table {
        let held =
            p.db.strings(
                "SELECT CAST(table_collation AS CHAR) FROM information_schema.tables \
                 WHERE table_schema = DATABASE() AND table_name = 'codes'",
            )
            .await;
        assert_eq!(held, [t]);
    }

    // An entity that declares no collation keeps the database's: nothing to do.
    let undeclared = write(&p, &entity(None, None));
    let diff = p.ok(&["--models", &undeclared, "diff"]).await;
    assert!(diff.starts_with("No changes detected"), "{diff}");

    // Another collation: the column changes, the server compares by it.
    let models = write(&p, &entity(Some(other), table));
    let plan = p.ok(&["--models", &models, "-m", "other"]).await;
    assert!(plan.contains("alter column codes.code"), "{plan}");
    p.ok(&["--models", &models, "upgrade", "head"]).await;
    p.ok(&["--models", &models, "check"]).await;

    // A table's default collation is made with it: changing it is an error, not a plan.
    if table.is_some() {
        let moved = write(&p, &entity(Some(other), Some("utf8mb4_general_ci")));
        let run = p.autogen(&["--models", &moved, "diff"]).await;
        assert_eq!(run.outcome, Outcome::Error, "{}", run.stdout);
        assert!(run.stderr.contains("default collation"), "{}", run.stderr);
    }

    p.ok(&["--models", &models, "downgrade", "-1"]).await;
    assert!(
        p.db.strings("SELECT code FROM codes WHERE code = 'A'")
            .await
            .is_empty(),
        "binary again"
    );
    p.ok(&["--models", &models, "downgrade", "base"]).await;
    assert!(!p.db.has_table("codes").await);
}

#[tokio::test]
async fn postgres_sql() {
    round_trip(Dialect::Postgres, "sql").await;
}

#[tokio::test]
async fn postgres_rust() {
    round_trip(Dialect::Postgres, "rust").await;
}

#[tokio::test]
async fn mysql_sql() {
    round_trip(Dialect::MySql, "sql").await;
}

#[tokio::test]
async fn mysql_rust() {
    round_trip(Dialect::MySql, "rust").await;
}
