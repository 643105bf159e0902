//! Adopting databases nobody here wrote: real public schemas (`fixtures/real/`, each with its
//! licence), loaded with each database's own client, on every dialect they ship for.
//!
//! For each: `autogen init --from-database` writes entities and a baseline; `diff` and `-m`
//! find nothing and `check` passes; a fresh database built by `upgrade head` holds the same
//! tables, compared by autogen's reader and by the native catalogs (`information_schema`,
//! `pg_indexes`, `pragma_table_info`). The entities written are the ones committed under
//! `fixtures/adopted/` (whitespace aside), which the test build compiles against SeaORM 2.0.4;
//! `AUTOGEN_BLESS=1` rewrites them after an intended change.
//!
//! And the entities sea-orm-cli 2.0.4 writes for the same databases (`fixtures/seaorm-cli/`):
//! no error, nothing dropped, ignored fields' columns left alone.
//!
//! And sea-schema's discovery as a second opinion on autogen's catalog reader, on each schema.

use autogen_cli::Outcome;
use autogen_schema::Dialect;
use autogen_tests::dump::native_dump;
use autogen_tests::{TestDb, autogen, run_client};
use std::path::{Path, PathBuf};

mod second_opinion;

struct Case {
    schema: &'static str,
    dialect: Dialect,
}

/// Schemas whose entities are also written (and compiled) in SeaORM's dense format.
const DENSE: &[(&str, Dialect)] = &[
    ("pagila", Dialect::Postgres),
    ("sakila", Dialect::MySql),
    ("chinook", Dialect::Sqlite),
    ("unusual", Dialect::Postgres),
];

const CASES: &[Case] = &[
    Case {
        schema: "chinook",
        dialect: Dialect::Postgres,
    },
    Case {
        schema: "chinook",
        dialect: Dialect::MySql,
    },
    Case {
        schema: "chinook",
        dialect: Dialect::Sqlite,
    },
    Case {
        schema: "sakila",
        dialect: Dialect::Postgres,
    },
    Case {
        schema: "sakila",
        dialect: Dialect::MySql,
    },
    Case {
        schema: "sakila",
        dialect: Dialect::Sqlite,
    },
    Case {
        schema: "pagila",
        dialect: Dialect::Postgres,
    },
    Case {
        schema: "northwind",
        dialect: Dialect::Postgres,
    },
    Case {
        schema: "employees",
        dialect: Dialect::MySql,
    },
    Case {
        schema: "synapse",
        dialect: Dialect::Postgres,
    },
    Case {
        schema: "synapse",
        dialect: Dialect::Sqlite,
    },
    Case {
        schema: "unusual",
        dialect: Dialect::Postgres,
    },
    Case {
        schema: "unusual",
        dialect: Dialect::MySql,
    },
    Case {
        schema: "unusual",
        dialect: Dialect::Sqlite,
    },
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

impl Case {
    fn script(&self) -> String {
        let file = match self.dialect {
            Dialect::Postgres => "postgres.sql",
            Dialect::MySql => "mysql.sql",
            Dialect::Sqlite => "sqlite.sql",
        };
        // `unusual` is ours (hostile names); the others are real.
        let dir = if self.schema == "unusual" {
            "fixtures"
        } else {
            "fixtures/real"
        };
        let path = root().join(dir).join(self.schema).join(file);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// The module the entities are committed as (`fixtures/adopted/src/<module>/`).
    fn module(&self) -> String {
        format!("{}_{}", self.schema, self.dialect.name())
    }

    fn dense(&self) -> bool {
        DENSE.contains(&(self.schema, self.dialect))
    }

    async fn load(&self, tag: &str) -> Option<TestDb> {
        let db = TestDb::new(self.dialect, tag).await?;
        run_client(&db, &self.script());
        Some(db)
    }
}

fn config_arg(dir: &Path) -> String {
    dir.join("autogen.toml").display().to_string()
}

/// `autogen -c DIR/autogen.toml ARGS…`, asserting the outcome; its standard output.
async fn run(dir: &Path, args: &[&str], expect: Outcome) -> String {
    let config = config_arg(dir);
    let mut argv = vec!["-c", config.as_str()];
    argv.extend_from_slice(args);
    let r = autogen(&argv).await;
    assert_eq!(
        r.outcome, expect,
        "autogen {args:?}\n{}\n{}",
        r.stdout, r.stderr
    );
    r.stdout
}

#[tokio::test(flavor = "multi_thread")]
async fn real_schemas_adopt_with_no_operations_and_rebuild_identically() {
    // `AUTOGEN_ADOPT=sakila_mysql` (a module name) runs one case alone.
    let only = std::env::var("AUTOGEN_ADOPT").ok();
    for case in CASES {
        if only.as_ref().is_some_and(|o| *o != case.module()) {
            continue;
        }
        adopt(case).await;
    }
}

async fn adopt(case: &Case) {
    let label = case.module();
    let Some(db) = case.load("adopt").await else {
        return;
    };
    let project = tempfile::tempdir().expect("temp dir");
    let dir = project.path();
    let config = config_arg(dir);
    let init = autogen(&[
        "-c",
        &config,
        "--database-url",
        &db.url,
        "init",
        "--from-database",
    ])
    .await;
    assert_eq!(
        init.outcome,
        Outcome::Success,
        "{label}: {}\n{}",
        init.stdout,
        init.stderr
    );
    assert!(
        init.stdout.contains("No changes detected"),
        "{label}: {}",
        init.stdout
    );

    let diff = run(dir, &["diff"], Outcome::Success).await;
    assert!(diff.starts_with("No changes detected"), "{label}: {diff}");
    run(dir, &["check"], Outcome::Success).await;
    let again = run(dir, &["-m", "again"], Outcome::Success).await;
    assert!(again.starts_with("No changes detected"), "{label}: {again}");
    let revisions = std::fs::read_dir(dir.join("migrations"))
        .expect("migrations")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".up.sql"))
        })
        .count();
    assert_eq!(revisions, 1, "{label}: the baseline and nothing else");

    compare_with_fixture(&case.module(), &dir.join("src/entity"));
    if case.dense() {
        let out = dir.join("dense");
        let out_arg = out.display().to_string();
        run(
            dir,
            &["entities", "--dense", "--out", &out_arg],
            Outcome::Success,
        )
        .await;
        compare_with_fixture(&format!("{}_dense", case.module()), &out);
        // Read back, the dense entities are the same model.
        let models = out.display().to_string();
        let diff = run(dir, &["--models", &models, "diff"], Outcome::Success).await;
        assert!(
            diff.starts_with("No changes detected"),
            "{label} (dense): {diff}"
        );
    }

    // A new environment: the baseline builds the same tables.
    let Some(fresh) = TestDb::new(case.dialect, "adopt_fresh").await else {
        return;
    };
    run(
        dir,
        &["--database-url", &fresh.url, "upgrade", "head"],
        Outcome::Success,
    )
    .await;
    run(
        dir,
        &["--database-url", &fresh.url, "check"],
        Outcome::Success,
    )
    .await;
    assert_eq!(
        fresh.introspect().await.modelled(),
        db.introspect().await.modelled(),
        "{label}: autogen's reader sees another schema in the new database"
    );
    let (original, rebuilt) = (catalog(&db).await, catalog(&fresh).await);
    assert!(
        !original.is_empty(),
        "{label}: the catalog query found nothing"
    );
    let only = |a: &[String], b: &[String]| -> Vec<String> {
        a.iter().filter(|x| !b.contains(x)).cloned().collect()
    };
    assert!(
        rebuilt == original,
        "{label}: the native catalog differs in the new database\nonly in the original:\n  {}\nonly in the new one:\n  {}",
        only(&original, &rebuilt).join("\n  "),
        only(&rebuilt, &original).join("\n  ")
    );
    // And by the database's own dump tool, statement by statement.
    if let (Some(original), Some(rebuilt)) = (native_dump(&db), native_dump(&fresh)) {
        assert!(
            rebuilt == original,
            "{label}: the dumps differ\nonly in the original:\n  {}\nonly in the new one:\n  {}",
            only(&original, &rebuilt).join("\n  "),
            only(&rebuilt, &original).join("\n  ")
        );
    }
}

/// The tables as the database's own catalog describes them: every column's type (on SQLite,
/// its affinity and size), nullability and default; every index and constraint.
async fn catalog(db: &TestDb) -> Vec<String> {
    const SKIP: &str =
        "('_sqlx_migrations', 'seaql_migrations', 'autogen_checksums', 'autogen_revisions')";
    match db.dialect {
        Dialect::Postgres => {
            let top = "c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') \
                       AND NOT c.relispartition \
                       AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = c.oid)";
            db.strings(&format!(
                "SELECT concat_ws('|', 'col', c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
                                  a.attnotnull, a.attidentity, a.attgenerated,
                                  pg_get_expr(d.adbin, d.adrelid))
                 FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                 LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                 WHERE {top} AND a.attnum > 0 AND NOT a.attisdropped AND c.relname NOT IN {SKIP}
                 UNION ALL
                 SELECT concat_ws('|', 'idx', i.tablename, i.indexname,
                                  regexp_replace(i.indexdef, ' ON (ONLY )?public\\.', ' ON '))
                 FROM pg_indexes i JOIN pg_class c ON c.relname = i.tablename
                 WHERE i.schemaname = 'public' AND {top} AND i.tablename NOT IN {SKIP}
                 UNION ALL
                 SELECT concat_ws('|', 'con', c.relname, k.conname, pg_get_constraintdef(k.oid))
                 FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
                 WHERE {top} AND k.contype IN ('p', 'u', 'f', 'c') AND c.relname NOT IN {SKIP}
                 UNION ALL
                 SELECT concat_ws('|', 'ext', e.extname, n.nspname)
                 FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
                 UNION ALL
                 SELECT concat_ws('|', 'seq', c.relname,
                        (SELECT format_type(q.seqtypid, NULL) FROM pg_sequence q WHERE q.seqrelid = c.oid))
                 FROM pg_class c
                 WHERE c.relkind = 'S' AND c.relnamespace = 'public'::regnamespace
                 UNION ALL
                 SELECT concat_ws('|', 'view', viewname, definition) FROM pg_views
                 WHERE schemaname = 'public'
                 UNION ALL
                 SELECT concat_ws('|', 'matview', matviewname, definition) FROM pg_matviews
                 WHERE schemaname = 'public'
                 UNION ALL
                 SELECT concat_ws('|', 'routine', p.oid::regprocedure::text,
                        CASE WHEN p.prokind = 'a' THEN 'aggregate' ELSE pg_get_functiondef(p.oid) END)
                 FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
                   AND NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = 'pg_proc'::regclass
                                   AND x.objid = p.oid AND x.deptype = 'e')
                 UNION ALL
                 SELECT concat_ws('|', 'trigger', g.tgname, pg_get_triggerdef(g.oid))
                 FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
                 WHERE NOT g.tgisinternal AND {top}
                 ORDER BY 1"
            ))
            .await
        }
        Dialect::MySql => {
            db.strings(&format!(
                "SELECT CAST(CONCAT_WS('|', 'col', c.table_name, c.column_name, c.column_type,
                                       c.is_nullable, COALESCE(c.column_default, '-'), c.extra,
                                       COALESCE(c.generation_expression, '-')) AS CHAR)
                 FROM information_schema.columns c JOIN information_schema.tables t
                   ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                 WHERE c.table_schema = DATABASE() AND t.table_type = 'BASE TABLE'
                   AND c.table_name NOT IN {SKIP}
                 UNION ALL
                 SELECT CAST(CONCAT_WS('|', 'idx', table_name, index_name, non_unique, index_type,
                        GROUP_CONCAT(CONCAT(column_name, COALESCE(CONCAT('(', sub_part, ')'), ''))
                                     ORDER BY seq_in_index)) AS CHAR)
                 FROM information_schema.statistics
                 WHERE table_schema = DATABASE() AND table_name NOT IN {SKIP}
                 GROUP BY table_name, index_name, non_unique, index_type
                 UNION ALL
                 SELECT CAST(CONCAT_WS('|', 'fk', k.table_name, k.constraint_name, r.delete_rule,
                        r.update_rule, GROUP_CONCAT(CONCAT(k.column_name, '->',
                        k.referenced_table_name, '.', k.referenced_column_name)
                        ORDER BY k.ordinal_position)) AS CHAR)
                 FROM information_schema.key_column_usage k
                 JOIN information_schema.referential_constraints r
                   ON r.constraint_schema = k.constraint_schema
                  AND r.constraint_name = k.constraint_name AND r.table_name = k.table_name
                 WHERE k.table_schema = DATABASE() AND k.referenced_table_name IS NOT NULL
                 GROUP BY k.table_name, k.constraint_name, r.delete_rule, r.update_rule
                 UNION ALL
                 SELECT CAST(CONCAT_WS('|', 'chk', tc.table_name, cc.constraint_name,
                        cc.check_clause) AS CHAR)
                 FROM information_schema.table_constraints tc
                 JOIN information_schema.check_constraints cc
                   ON cc.constraint_schema = tc.constraint_schema
                  AND cc.constraint_name = tc.constraint_name
                 WHERE tc.constraint_schema = DATABASE() AND tc.constraint_type = 'CHECK'
                 UNION ALL
                 SELECT CAST(CONCAT_WS('|', 'view', table_name, check_option, security_type,
                        REPLACE(view_definition, CONCAT('`', DATABASE(), '`.'), '')) AS CHAR)
                 FROM information_schema.views WHERE table_schema = DATABASE()
                 UNION ALL
                 SELECT CAST(CONCAT_WS('|', 'routine', routine_type, routine_name,
                        COALESCE(dtd_identifier, '-'), is_deterministic, sql_data_access,
                        security_type, routine_comment, sql_mode, routine_definition) AS CHAR)
                 FROM information_schema.routines WHERE routine_schema = DATABASE()
                 UNION ALL
                 SELECT CAST(CONCAT_WS('|', 'param', specific_name, routine_type, ordinal_position,
                        COALESCE(parameter_mode, '-'), COALESCE(parameter_name, '-'),
                        dtd_identifier) AS CHAR)
                 FROM information_schema.parameters WHERE specific_schema = DATABASE()
                 UNION ALL
                 SELECT CAST(CONCAT_WS('|', 'trigger', trigger_name, action_timing,
                        event_manipulation, event_object_table, action_order, sql_mode,
                        action_statement) AS CHAR)
                 FROM information_schema.triggers WHERE trigger_schema = DATABASE()
                 ORDER BY 1"
            ))
            .await
        }
        Dialect::Sqlite => {
            let tables = format!(
                "(SELECT tl.name AS name FROM pragma_table_list tl
                  WHERE tl.schema = 'main' AND tl.type = 'table'
                    AND tl.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND tl.name NOT IN {SKIP}) m"
            );
            let columns = db
                .strings(&format!(
                    "SELECT m.name || '|' || p.name || '|' || p.type || '|' || p.\"notnull\" || '|' ||
                            coalesce(p.dflt_value, '-') || '|' || p.pk || '|' || p.hidden
                     FROM {tables} JOIN pragma_table_xinfo(m.name) p"
                ))
                .await;
            let mut rows: Vec<String> = columns.iter().map(|r| sqlite_column(r)).collect();
            rows.extend(
                db.strings(&format!(
                    "SELECT 'idx|' || m.name || '|' ||
                            CASE WHEN il.name LIKE 'sqlite_autoindex%' THEN 'auto' ELSE il.name END
                            || '|' || il.\"unique\" || '|' || il.origin || '|' || il.partial || '|' ||
                            (SELECT group_concat(coalesce(ii.name, 'expr') || ' ' || ii.coll || ' '
                                                 || ii.\"desc\", ',')
                             FROM pragma_index_xinfo(il.name) ii WHERE ii.key = 1)
                     FROM {tables} JOIN pragma_index_list(m.name) il
                     UNION ALL
                     SELECT 'table|' || m.name || '|' || tl.wr || '|' || tl.strict
                     FROM {tables} JOIN pragma_table_list tl ON tl.name = m.name AND tl.schema = 'main'"
                ))
                .await,
            );
            rows.extend(
                db.strings(
                    "SELECT type || '|' || name || '|' || sql FROM sqlite_master
                     WHERE type IN ('view', 'trigger')
                        OR type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'
                     UNION ALL
                     SELECT 'shadow|' || name FROM pragma_table_list
                     WHERE schema = 'main' AND type = 'shadow'",
                )
                .await,
            );
            rows.extend(
                db.strings(&format!(
                    "SELECT 'fk|' || m.name || '|' || f.\"table\" || '|' || f.\"from\" || '|' ||
                            coalesce(f.\"to\", '') || '|' || f.on_update || '|' || f.on_delete
                     FROM {tables} JOIN pragma_foreign_key_list(m.name) f"
                ))
                .await,
            );
            rows.sort();
            rows
        }
    }
}

/// `table|column|TYPE(n)|notnull|default|pk` -> the type as its affinity and size.
fn sqlite_column(row: &str) -> String {
    let parts: Vec<&str> = row.splitn(6, '|').collect();
    let ty = parts
        .get(2)
        .copied()
        .unwrap_or_default()
        .to_ascii_uppercase();
    let affinity = if ty.contains("INT") {
        "INTEGER"
    } else if ["CHAR", "CLOB", "TEXT"].iter().any(|t| ty.contains(t)) {
        "TEXT"
    } else if ty.contains("BLOB") || ty.is_empty() {
        "BLOB"
    } else if ["REAL", "FLOA", "DOUB"].iter().any(|t| ty.contains(t)) {
        "REAL"
    } else {
        "NUMERIC"
    };
    let size: String = ty
        .split_once('(')
        .map(|(_, s)| s.trim_end_matches(')').replace(' ', ""))
        .unwrap_or_default();
    let mut out = vec!["col", parts[0], parts[1], affinity];
    out.push(&size);
    out.extend(&parts[3..]);
    out.join("|")
}

/// The entities written are the committed ones, whitespace aside; `AUTOGEN_BLESS=1` commits
/// these instead.
fn compare_with_fixture(module: &str, written: &Path) {
    // What autogen wrote is rustfmt-clean (where rustfmt is installed, as with every rustup
    // toolchain).
    let rustfmt = |args: &[&std::ffi::OsStr]| {
        std::process::Command::new("rustfmt")
            .args(args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
    };
    if rustfmt(&["--version".as_ref()]).is_ok_and(|s| s.success()) {
        let root_module = written.join("mod.rs");
        let check = rustfmt(&[
            "--edition".as_ref(),
            "2024".as_ref(),
            "--check".as_ref(),
            root_module.as_os_str(),
        ]);
        assert!(
            check.is_ok_and(|s| s.success()),
            "{module}: the entities written are not rustfmt-clean"
        );
    }
    let fixture = root().join("fixtures/adopted/src").join(module);
    let bless = std::env::var_os("AUTOGEN_BLESS").is_some();
    if bless {
        let _ = std::fs::remove_dir_all(&fixture);
        std::fs::create_dir_all(&fixture).expect("fixture dir");
    }
    // The entity files, and the SQL files of views, routines and triggers under `sql/`.
    let names = files_under(written);
    let committed = files_under(&fixture);
    for name in &names {
        let text = std::fs::read_to_string(written.join(name)).expect("entity file");
        let target = fixture.join(name);
        if bless {
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).expect("fixture dir");
            }
            std::fs::write(&target, &text).expect("bless");
            continue;
        }
        let expected = std::fs::read_to_string(&target).unwrap_or_else(|_| {
            panic!(
                "{}: not committed; run with AUTOGEN_BLESS=1 after an intended change",
                target.display()
            )
        });
        let words = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(
            words(&text),
            words(&expected),
            "{} differs from what autogen writes now; run with AUTOGEN_BLESS=1 after an intended change",
            target.display()
        );
    }
    if !bless {
        assert_eq!(
            committed.len(),
            names.len(),
            "{}: committed files that autogen no longer writes",
            fixture.display()
        );
    }
}

/// The files under `dir`, relative to it, in order (none when it does not exist).
fn files_under(dir: &std::path::Path) -> Vec<PathBuf> {
    fn walk(root: &std::path::Path, dir: &std::path::Path, out: &mut Vec<PathBuf>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in rd {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.push(path.strip_prefix(root).expect("under root").to_path_buf());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn entities_sea_orm_cli_wrote_give_no_error_and_drop_nothing() {
    for case in CASES.iter().filter(|c| c.schema != "unusual") {
        let label = case.module();
        let Some(db) = case.load("seaormcli").await else {
            return;
        };
        let models = root().join("fixtures/seaorm-cli").join(case.module());
        let models = models.display().to_string();
        let r = autogen(&[
            "--database-url",
            &db.url,
            "--models",
            &models,
            "--migrations",
            "/nonexistent/autogen-migrations",
            "diff",
            "--json",
        ])
        .await;
        assert_eq!(r.outcome, Outcome::Success, "{label}: {}", r.stderr);
        let plan: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
        let ops = plan["operations"].as_array().expect("operations");
        for entry in ops {
            // Each operation entry holds the op as data under "op", tagged by its own "op".
            let op = &entry["op"];
            let kind = op["op"].as_str().unwrap_or_default();
            assert!(
                !kind.is_empty(),
                "{label}: an operation without its kind: {entry}"
            );
            assert!(
                !matches!(kind, "drop_table" | "drop_column" | "rebuild_table")
                    || kind == "rebuild_table" && !rebuild_drops(op),
                "{label}: sea-orm-cli's entities must not drop anything: {op}"
            );
        }
        // sea-orm-cli writes `ignore` for types it cannot map; those columns are left alone.
        let ignored = std::fs::read_dir(&models)
            .expect("entities")
            .filter_map(|e| std::fs::read_to_string(e.expect("entry").path()).ok())
            .filter(|text| text.contains("ignore"))
            .count();
        if ignored > 0 {
            let left = plan["left_alone"]["columns the entities ignore"].as_u64();
            assert!(
                left.is_some_and(|n| n > 0),
                "{label}: {}",
                plan["left_alone"]
            );
        }
    }
}

/// Whether a rebuild loses a column of the table it rebuilds.
fn rebuild_drops(op: &serde_json::Value) -> bool {
    let names = |t: &serde_json::Value| -> Vec<String> {
        t["columns"]
            .as_array()
            .map(|cols| {
                cols.iter()
                    .filter_map(|c| c["name"].as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    let (from, to) = (names(&op["from"]), names(&op["to"]));
    from.iter().any(|c| !to.contains(c))
}

#[tokio::test(flavor = "multi_thread")]
async fn sea_schema_reads_every_real_schema_as_autogen_does() {
    for case in CASES {
        let Some(db) = case.load("second_opinion").await else {
            continue;
        };
        let schema = db.introspect().await;
        let theirs = second_opinion::sea_schema(&db).await;
        let ours = second_opinion::autogen(&schema, case.dialect == Dialect::Sqlite);
        let differ = second_opinion::disagreements(&theirs, &ours, &schema.unmanaged);
        assert!(
            differ.is_empty(),
            "{}: autogen and sea-schema disagree:\n{}",
            case.module(),
            differ.join("\n")
        );
        assert!(!ours.is_empty(), "{}: no tables read", case.module());
    }
}
