//! Developer tasks, run as `cargo xtask <task>`:
//!
//! - `bench [--tables N]`: builds an N-table schema (default 1,000) on PostgreSQL with autogen
//!   itself, then times `autogen check` (no changes) next to `pg_dump --schema-only` on the same
//!   database, in the same run.
//! - `soak [--cases N]`: the differential property test on the real databases with many cases
//!   and a fresh seed (CI runs a fixed-seed slice).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str, default: u64| -> u64 {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let result = match args.first().map(String::as_str) {
        Some("bench") => bench(flag("--tables", 1000) as usize, flag("--runs", 5) as usize),
        Some("soak") => soak(flag("--cases", 2000)),
        _ => Err(
            "usage: cargo xtask bench [--tables N] [--runs R] | cargo xtask soak [--cases N]"
                .into(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn run(cmd: &mut Command) -> Result<String, String> {
    let out = cmd.output().map_err(|e| format!("{cmd:?}: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "{cmd:?} failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn postgres_url() -> String {
    std::env::var("AUTOGEN_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// Entity files for `n` tables: each with a handful of column types, an indexed column, a
/// unique column and a foreign key to the previous table.
fn write_models(dir: &Path, n: usize) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    for i in 0..n {
        let fk = if i == 0 {
            String::new()
        } else {
            format!(
                "    #[sea_orm(belongs_to, from = \"parent_id\", to = \"id\", on_delete = \"Cascade\")]\n    pub parent: BelongsTo<super::t{}::Entity>,\n",
                i - 1
            )
        };
        let parent = if i == 0 {
            ""
        } else {
            "    #[sea_orm(indexed)]\n    pub parent_id: Option<i32>,\n"
        };
        let text = format!(
            "use sea_orm::entity::prelude::*;\n\n#[sea_orm::model]\n#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]\n#[sea_orm(table_name = \"t{i}\")]\npub struct Model {{\n    #[sea_orm(primary_key)]\n    pub id: i32,\n    #[sea_orm(unique)]\n    pub code: String,\n    pub name: Option<String>,\n    #[sea_orm(column_type = \"Decimal(Some((12, 2)))\", default_value = 0)]\n    pub amount: Decimal,\n    pub active: bool,\n    #[sea_orm(default_expr = \"Expr::current_timestamp()\")]\n    pub created_at: DateTimeWithTimeZone,\n{parent}{fk}}}\n"
        );
        std::fs::write(dir.join(format!("t{i}.rs")), text).map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn bench(tables: usize, runs: usize) -> Result<(), String> {
    let root = root();
    eprintln!("building autogen (release)...");
    run(Command::new(env!("CARGO")).current_dir(&root).args([
        "build",
        "--release",
        "-q",
        "-p",
        "autogen-cli",
    ]))?;
    let autogen = root.join("target/release/autogen");
    let work = root.join("target/bench");
    let _ = std::fs::remove_dir_all(&work);
    write_models(&work.join("entity"), tables)?;

    let admin = postgres_url();
    let base = admin
        .rsplit_once('/')
        .map(|(b, _)| b.to_string())
        .unwrap_or(admin.clone());
    let db = format!("autogen_bench_{tables}");
    let url = format!("{base}/{db}");
    run(Command::new("psql").args([
        &admin,
        "-qc",
        &format!("DROP DATABASE IF EXISTS {db}"),
        "-c",
        &format!("CREATE DATABASE {db}"),
    ]))?;
    let ag = |args: &[&str]| {
        let mut c = Command::new(&autogen);
        c.arg("--database-url")
            .arg(&url)
            .arg("--models")
            .arg(work.join("entity"))
            .arg("--migrations")
            .arg(work.join("migrations"));
        c.args(args);
        c
    };
    let t = Instant::now();
    run(&mut ag(&["-m", "bench schema"]))?;
    let generate = t.elapsed();
    let t = Instant::now();
    run(&mut ag(&["upgrade", "head"]))?;
    let apply = t.elapsed();

    let mut check = Vec::new();
    let mut dump = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let out = run(&mut ag(&["check"]))?;
        check.push(t.elapsed());
        if !out.contains("No changes detected") {
            return Err(format!(
                "check found changes on an unchanged schema:\n{out}"
            ));
        }
        let t = Instant::now();
        run(Command::new("pg_dump").args(["--schema-only", "-f", "/dev/null", &url]))?;
        dump.push(t.elapsed());
    }
    println!("{tables} tables on PostgreSQL, median of {runs} runs:");
    println!(
        "  autogen check (no changes)   {:>8.3} s",
        median(check).as_secs_f64()
    );
    println!(
        "  pg_dump --schema-only        {:>8.3} s",
        median(dump).as_secs_f64()
    );
    println!(
        "  (once) autogenerate          {:>8.3} s",
        generate.as_secs_f64()
    );
    println!(
        "  (once) upgrade head          {:>8.3} s",
        apply.as_secs_f64()
    );
    run(Command::new("psql").args([&admin, "-qc", &format!("DROP DATABASE IF EXISTS {db}")]))?;
    Ok(())
}

fn soak(cases: u64) -> Result<(), String> {
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(1);
    println!(
        "soak: {cases} cases per dialect, seed {seed} (rerun with AUTOGEN_PROPTEST_SEED={seed})"
    );
    let status = Command::new(env!("CARGO"))
        .current_dir(root())
        .args([
            "test",
            "-p",
            "autogen-tests",
            "--test",
            "differential",
            "--",
            "--nocapture",
        ])
        .env("AUTOGEN_PROPTEST_CASES", cases.to_string())
        .env("AUTOGEN_PROPTEST_SEED", seed.to_string())
        .status()
        .map_err(|e| e.to_string())?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("soak failed (seed {seed})"))
    }
}
