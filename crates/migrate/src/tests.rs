//! The directory and its graph: loading, ordering, targets, file names.

use crate::dir::{DEFAULT_FILE_TEMPLATE, MigrationsDir, file_description, rust_module_name, slug};
use crate::order::topological;
use crate::revision::{Format, Revision, RevisionMeta};
use crate::target::{Direction, Target};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
fn rev(id: &str, parents: &[&str]) -> Revision {
    Revision {
        meta: RevisionMeta {
            id: id.into(),
            parents: parents.iter().map(|p| p.to_string()).collect(),
            message: String::new(),
            allow: Vec::new(),
            change: None,
            dialect: None,
        },
        path: PathBuf::from(id),
        name: id.into(),
    }
}

fn dir(revisions: Vec<Revision>) -> MigrationsDir {
    MigrationsDir {
        path: "m".into(),
        format: Format::Sql,
        revisions: topological(revisions, Path::new("m")).unwrap(),
        cargo_target_dir: None,
        file_template: DEFAULT_FILE_TEMPLATE.into(),
    }
}

fn ids(v: Vec<&Revision>) -> Vec<String> {
    v.iter().map(|r| r.meta.id.clone()).collect()
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

#[test]
fn history_follows_parents_not_names() {
    let d = dir(vec![rev("3", &["1"]), rev("1", &[]), rev("2", &["3"])]);
    assert_eq!(ids(d.revisions.iter().collect()), ["1", "3", "2"]);
    let err = topological(vec![rev("1", &["2"]), rev("2", &["1"])], Path::new("m"));
    assert!(err.unwrap_err().to_string().contains("cycle"));
    let err = topological(vec![rev("1", &["9"])], Path::new("m"));
    assert!(err.unwrap_err().to_string().contains("names parent 9"));
}

#[test]
fn forks_name_every_head_and_the_merge_that_joins_them() {
    let d = dir(vec![rev("1", &[]), rev("2", &["1"]), rev("3", &["1"])]);
    let msg = d.head().unwrap_err().to_string();
    assert!(
        msg.contains("2, 3 are all heads") && msg.contains("autogen merge -m \"merge heads\" 2 3"),
        "{msg}"
    );
    let err = d
        .steps(&set(&["1"]), &Target::Head, Direction::Up)
        .unwrap_err();
    assert!(err.to_string().contains("autogen upgrade heads"), "{err}");
    assert_eq!(
        ids(d
            .steps(&set(&["1"]), &Target::Heads, Direction::Up)
            .unwrap()),
        ["2", "3"]
    );
    // One branch only: its ancestors, not the other branch.
    assert_eq!(
        ids(d
            .steps(&set(&[]), &Target::Revision("3".into()), Direction::Up)
            .unwrap()),
        ["1", "3"]
    );
    assert_eq!(d.branch_points().len(), 1);
    let merged = dir(vec![
        rev("1", &[]),
        rev("2", &["1"]),
        rev("3", &["1"]),
        rev("4", &["2", "3"]),
    ]);
    assert_eq!(
        merged.head().unwrap().map(|r| r.meta.id.as_str()),
        Some("4")
    );
    assert_eq!(
        ids(merged
            .steps(&set(&["1", "2"]), &Target::Head, Direction::Up)
            .unwrap()),
        ["3", "4"]
    );
    // Down to one side of the fork reverts what builds on it (the merge); the other
    // branch stays applied, as in Alembic.
    assert_eq!(
        ids(merged
            .steps(
                &set(&["1", "2", "3", "4"]),
                &Target::Revision("2".into()),
                Direction::Down
            )
            .unwrap()),
        ["4"]
    );
}

#[test]
fn targets() {
    assert_eq!(Target::parse("head"), Target::Head);
    assert_eq!(Target::parse("heads"), Target::Heads);
    assert_eq!(Target::parse("+2"), Target::Relative(2));
    assert_eq!(Target::parse("-1"), Target::Relative(-1));
    assert_eq!(Target::parse("2026"), Target::Revision("2026".into()));
    assert_eq!(
        Target::parse("2026+1"),
        Target::FromRevision("2026".into(), 1)
    );
    assert_eq!(
        Target::parse("head-2"),
        Target::FromRevision("head".into(), -2)
    );
    let d = dir(vec![rev("1", &[]), rev("2", &["1"]), rev("3", &["2"])]);
    let applied = set(&["1"]);
    let up = |t: &str| d.steps(&applied, &Target::parse(t), Direction::Up).map(ids);
    let down = |t: &str| {
        d.steps(&applied, &Target::parse(t), Direction::Down)
            .map(ids)
    };
    assert_eq!(up("+1").unwrap(), ["2"]);
    assert_eq!(up("head").unwrap(), ["2", "3"]);
    assert_eq!(up("1+1").unwrap(), ["2"]);
    assert_eq!(up("2").unwrap(), ["2"]);
    assert!(up("+5").unwrap_err().to_string().contains("only 2"));
    assert!(up("1+5").unwrap_err().to_string().contains("beyond head 3"));
    assert!(up("-1").is_err());
    assert_eq!(down("base").unwrap(), ["1"]);
    assert!(down("-9").unwrap_err().to_string().contains("only 1"));
    assert!(down("3").unwrap_err().to_string().contains("not applied"));
    assert_eq!(
        d.steps(
            &set(&["1", "2", "3"]),
            &Target::parse("head-2"),
            Direction::Down
        )
        .map(ids)
        .unwrap(),
        ["3", "2"]
    );
}

#[test]
fn file_templates() {
    assert_eq!(
        file_description("{slug}", "20261126041500", "Add fees"),
        "add_fees"
    );
    assert_eq!(
        file_description("{year}_{month}_{day}-{slug}", "20261126041500", "Add fees"),
        "2026_11_26_add_fees"
    );
}

#[test]
fn sql_chains_must_agree_with_version_order() {
    let dir = tempfile::tempdir().unwrap();
    let header = |id: &str, parent: &str| {
        format!("-- autogen revision: {id}\n-- autogen parent: {parent}\n-- autogen message: m\n")
    };
    std::fs::write(dir.path().join("20_a.up.sql"), header("20", "base")).unwrap();
    std::fs::write(dir.path().join("10_b.up.sql"), header("10", "20")).unwrap();
    let err = MigrationsDir::load(dir.path(), Format::Sql)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("revision 10 follows 20 but sorts before it"),
        "{err}"
    );
    std::fs::write(dir.path().join("10_b.up.sql"), header("30", "20")).unwrap();
    let ok = MigrationsDir::load(dir.path(), Format::Sql).unwrap();
    assert_eq!(ok.revisions.len(), 2);
}

#[test]
fn slugs() {
    assert_eq!(slug("Add fees table!"), "add_fees_table");
    assert_eq!(slug("  "), "migration");
    assert_eq!(
        rust_module_name("20261126041500", "x"),
        "m20261126_041500_x"
    );
}

/// sea-orm-cli's `migrate init` lib.rs, with a second migration `migrate generate` added.
const SEA_ORM_CLI_LIB: &str = "pub use sea_orm_migration::prelude::*;\n\nmod m20220101_000001_create_table;\nmod m20240305_101500_add_body;\n\npub struct Migrator;\n\n#[async_trait::async_trait]\nimpl MigratorTrait for Migrator {\n    fn migrations() -> Vec<Box<dyn MigrationTrait>> {\n        vec![\n            Box::new(m20220101_000001_create_table::Migration),\n            Box::new(m20240305_101500_add_body::Migration),\n        ]\n    }\n}\n";

#[test]
fn a_sea_orm_cli_crate_is_a_history_in_lib_rs_order_and_autogen_adds_to_it() {
    let root = tempfile::tempdir().unwrap();
    let src = root.path().join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("lib.rs"), SEA_ORM_CLI_LIB).unwrap();
    std::fs::write(src.join("main.rs"), "fn main() {}\n").unwrap();
    for m in ["m20220101_000001_create_table", "m20240305_101500_add_body"] {
        std::fs::write(src.join(format!("{m}.rs")), "pub struct Migration;\n").unwrap();
    }
    // Not listed in lib.rs and without a header: not a migration autogen can place.
    std::fs::write(src.join("m_unlisted.rs"), "").unwrap();
    assert!(MigrationsDir::load(root.path(), Format::Rust).is_err());
    std::fs::remove_file(src.join("m_unlisted.rs")).unwrap();

    let mut d = MigrationsDir::load(root.path(), Format::Rust).unwrap();
    let metas: Vec<(String, Vec<String>, String)> = d
        .revisions
        .iter()
        .map(|r| {
            (
                r.meta.id.clone(),
                r.meta.parents.clone(),
                r.meta.message.clone(),
            )
        })
        .collect();
    assert_eq!(
        metas,
        vec![
            ("20220101000001".into(), vec![], "create table".into()),
            (
                "20240305101500".into(),
                vec!["20220101000001".into()],
                "add body".into()
            ),
        ]
    );
    d.write_empty(
        "20261206000000",
        "next",
        autogen_schema::Dialect::Sqlite,
        &[],
    )
    .unwrap();
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    assert!(
        lib.starts_with("pub use sea_orm_migration::prelude::*;"),
        "{lib}"
    );
    let order = crate::dir::rust_lib_modules(&lib);
    assert_eq!(
        order,
        [
            "m20220101_000001_create_table",
            "m20240305_101500_add_body",
            "m20261206_000000_next"
        ]
    );
    assert!(
        lib.contains("mod m20240305_101500_add_body;\nmod m20261206_000000_next;\n"),
        "{lib}"
    );
    let d = MigrationsDir::load(root.path(), Format::Rust).unwrap();
    let last = d.revisions.last().unwrap();
    assert_eq!(last.meta.parents, ["20240305101500"]);
}

/// Revisions written within one second take the following seconds: an id stays a time.
#[test]
fn the_next_id_is_the_next_second() {
    use crate::next_id;
    assert_eq!(next_id("20261207160459"), "20261207160500");
    assert_eq!(next_id("20261231235959"), "20270101000000");
    assert_eq!(next_id("20240228235959"), "20240229000000");
    // Not a time (a hand-made id): counts up.
    assert_eq!(next_id("42"), "43");
}
