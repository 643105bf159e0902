//! Developer tasks, run as `cargo xtask <task>`:
//!
//! - `bench [--tables N]`: builds an N-table schema (default 1,000) on PostgreSQL with autogen
//!   itself, then measures `autogen check` (no changes) next to `pg_dump --schema-only`, and
//!   `autogen entities` (every table's entity file written), on the
//!   same database, in the same run: median time and median peak resident memory; and
//!   `alembic check` on equivalent SQLAlchemy models when Python has alembic, sqlalchemy and psycopg2 (`pip install alembic sqlalchemy psycopg2-binary`).
//!   Then startup with nothing pending: autogen's runtime against sqlx's `Migrator` on the same
//!   migrations (`examples/startup`'s `startup_bench`).
//! - `soak [--cases N]`: the property tests on the real databases (random schema pairs, and
//!   arbitrary identifiers) with many cases and a fresh seed (CI runs a fixed-seed slice).
//! - `pg-matrix [--versions 11,18] [-- FILTER…]`: the tests against other PostgreSQL majors
//!   (`pg_matrix.rs`; default every supported one), a line per version.
//! - `fuzz [--seconds S]`: the entity reader's fuzz test for S seconds (default 600) with a fresh
//!   seed; a crash or hang leaves its input in `target/fuzz/current.rs`.

mod pg_matrix;
#[cfg(test)]
mod tidy;

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
        Some("fuzz") => fuzz(flag("--seconds", 600)),
        Some("pg-matrix") => {
            let versions: Vec<u32> = match args.iter().position(|a| a == "--versions") {
                Some(i) => args
                    .get(i + 1)
                    .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
                    .unwrap_or_default(),
                None => pg_matrix::SUPPORTED.to_vec(),
            };
            // Every word after `--` is a test-name filter (a test runs when it matches any).
            let filters: Vec<String> = match args.iter().position(|a| a == "--") {
                Some(i) => args[i + 1..].to_vec(),
                None => Vec::new(),
            };
            pg_matrix::pg_matrix(&versions, &filters)
        }
        _ => Err(
            "usage: cargo xtask bench [--tables N] [--runs R] | cargo xtask soak [--cases N] | cargo xtask fuzz [--seconds S] | cargo xtask pg-matrix [--versions 11,18] [-- FILTER…]"
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
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let head: String = text.chars().take(3000).collect();
        return Err(format!("{cmd:?} failed:\n{head}"));
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

fn median<T: Ord + Copy>(mut v: Vec<T>) -> T {
    v.sort();
    v[v.len() / 2]
}

/// Runs `cmd` to completion: its wall time and peak resident memory (KiB, from `wait4`).
fn measured(cmd: &mut Command) -> Result<(Duration, u64, String), String> {
    let start = Instant::now();
    let child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::inherit())
        .spawn()
        .map_err(|e| format!("{cmd:?}: {e}"))?;
    let pid = child.id() as libc::pid_t;
    // Read stdout to its end (the child exits after closing it), then reap the child.
    let mut out = child.stdout.map(std::io::read_to_string);
    // SAFETY: wait4 reaps the child we spawned and fills `usage`; std's handle is not waited on.
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let elapsed = start.elapsed();
    if reaped != pid || !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        return Err(format!("{cmd:?} failed (status {status})"));
    }
    let stdout = match out.take() {
        Some(Ok(s)) => s,
        _ => String::new(),
    };
    Ok((elapsed, usage.ru_maxrss as u64, stdout))
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
    let (generate, generate_mem, _) = measured(&mut ag(&["-m", "bench schema"]))?;
    // One transaction for every table takes a lock per table: past a few thousand, more than a
    // default max_locks_per_transaction. Large schemas are applied statement by statement with
    // psql, then stamped.
    let t = Instant::now();
    let mut apply_mem = None;
    if tables <= 2000 {
        apply_mem = Some(measured(&mut ag(&["upgrade", "head"]))?.1);
    } else {
        for entry in std::fs::read_dir(work.join("migrations")).map_err(|e| e.to_string())? {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.to_string_lossy().ends_with(".up.sql") {
                run(Command::new("psql")
                    .args(["-q", "-v", "ON_ERROR_STOP=1", "-f"])
                    .arg(&path)
                    .arg(&url))?;
            }
        }
        run(&mut ag(&["stamp", "head"]))?;
    }
    let apply = t.elapsed();

    let (mut check, mut check_mem) = (Vec::new(), Vec::new());
    let (mut dump, mut dump_mem) = (Vec::new(), Vec::new());
    let (mut entities, mut entities_mem) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let out = work.join("written");
        let _ = std::fs::remove_dir_all(&out);
        let out = out.display().to_string();
        let (time, mem, _) = measured(&mut ag(&["entities", "--out", &out]))?;
        entities.push(time);
        entities_mem.push(mem);
        let (time, mem, out) = measured(&mut ag(&["check"]))?;
        check.push(time);
        check_mem.push(mem);
        if !out.contains("No changes detected") {
            return Err(format!(
                "check found changes on an unchanged schema:\n{out}"
            ));
        }
        let (time, mem, _) =
            measured(Command::new("pg_dump").args(["--schema-only", "-f", "/dev/null", &url]))?;
        dump.push(time);
        dump_mem.push(mem);
    }
    let alembic = alembic_check(&work.join("alembic"), tables, &url, runs)?;
    println!("{tables} tables on PostgreSQL, median of {runs} runs:");
    println!(
        "  autogen check (no changes)   {:>8.3} s   peak {:>6} MiB",
        median(check).as_secs_f64(),
        median(check_mem) / 1024
    );
    println!(
        "  pg_dump --schema-only        {:>8.3} s   peak {:>6} MiB",
        median(dump).as_secs_f64(),
        median(dump_mem) / 1024
    );
    println!(
        "  autogen entities             {:>8.3} s   peak {:>6} MiB",
        median(entities).as_secs_f64(),
        median(entities_mem) / 1024
    );
    match alembic {
        Some((times, mems)) => println!(
            "  alembic check (no changes)   {:>8.3} s   peak {:>6} MiB",
            median(times).as_secs_f64(),
            median(mems) / 1024
        ),
        None => println!(
            "  alembic check                skipped: pip install alembic sqlalchemy psycopg2-binary"
        ),
    }
    println!(
        "  (once) autogenerate          {:>8.3} s   peak {:>6} MiB",
        generate.as_secs_f64(),
        generate_mem / 1024
    );
    match apply_mem {
        Some(mem) => println!(
            "  (once) upgrade head          {:>8.3} s   peak {:>6} MiB",
            apply.as_secs_f64(),
            mem / 1024
        ),
        // Applied with psql (see above): autogen's memory is not in it.
        None => println!(
            "  (once) psql -f + stamp head  {:>8.3} s",
            apply.as_secs_f64()
        ),
    }
    run(Command::new("psql").args([&admin, "-qc", &format!("DROP DATABASE IF EXISTS {db}")]))?;
    startup(&admin, &base, runs)
}

/// Startup with nothing pending (the migration step of an application's start: verify, lock):
/// autogen's runtime against sqlx's `Migrator` on the same directory (`examples/startup`), each
/// in its own process for its peak memory; the binary prints its median over 100 starts.
fn startup(admin: &str, base: &str, runs: usize) -> Result<(), String> {
    let root = root();
    run(Command::new(env!("CARGO")).current_dir(&root).args([
        "build",
        "--release",
        "-q",
        "-p",
        "startup-example",
        "--bin",
        "startup_bench",
    ]))?;
    let db = "autogen_bench_startup";
    let drop = format!("DROP DATABASE IF EXISTS {db}");
    run(Command::new("psql").args([admin, "-qc", &drop, "-c", &format!("CREATE DATABASE {db}")]))?;
    let url = format!("{base}/{db}?sslmode=disable");
    let bin = root.join("target/release/startup_bench");
    println!(
        "startup with nothing pending (examples/startup), median of {runs} runs of 100 starts:"
    );
    for mode in ["autogen", "sqlx"] {
        let (mut ms, mut mem) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            let (_, peak, out) = measured(Command::new(&bin).args([mode, &url, "100"]))?;
            let median: f64 = out
                .trim()
                .parse()
                .map_err(|_| format!("startup_bench: {out}"))?;
            ms.push((median * 1000.0) as u64);
            mem.push(peak);
        }
        let label = match mode {
            "autogen" => "autogen-runtime Runtime::run",
            _ => "sqlx Migrator::run         ",
        };
        println!(
            "  {label}  {:>8.3} ms  peak {:>6} MiB",
            median(ms) as f64 / 1000.0,
            median(mem) / 1024
        );
    }
    run(Command::new("psql").args([admin, "-qc", &drop]))?;
    Ok(())
}

/// Each run's wall time and peak resident memory (KiB).
type Timings = (Vec<Duration>, Vec<u64>);

/// The same schema as SQLAlchemy models, checked by Alembic's autogenerate (`alembic check`).
/// `None` when Python lacks alembic.
fn alembic_check(
    dir: &Path,
    tables: usize,
    url: &str,
    runs: usize,
) -> Result<Option<Timings>, String> {
    let probe = Command::new("python3")
        .args(["-c", "import alembic, sqlalchemy, psycopg2"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        return Ok(None);
    }
    let write = |p: PathBuf, text: String| -> Result<(), String> {
        std::fs::create_dir_all(p.parent().unwrap_or(Path::new("."))).map_err(|e| e.to_string())?;
        std::fs::write(&p, text).map_err(|e| e.to_string())
    };
    let mut models = String::from(
        "from sqlalchemy import MetaData, Table, Column, Identity, Integer, String, Numeric, Boolean, DateTime, ForeignKey, Index, text\nmetadata = MetaData()\n",
    );
    for i in 0..tables {
        let parent = if i == 0 {
            String::new()
        } else {
            format!(
                "    Column('parent_id', Integer, ForeignKey('t{}.id', ondelete='CASCADE', name='fk-t{i}-parent_id'), nullable=True),\n    Index('idx-t{i}-parent_id', 'parent_id'),\n",
                i - 1
            )
        };
        models.push_str(&format!(
            "Table('t{i}', metadata,\n    Column('id', Integer, Identity(), primary_key=True),\n    Column('code', String, nullable=False, unique=True),\n    Column('name', String, nullable=True),\n    Column('amount', Numeric(12, 2), nullable=False, server_default=text('0')),\n    Column('active', Boolean, nullable=False),\n    Column('created_at', DateTime(timezone=True), nullable=False, server_default=text('CURRENT_TIMESTAMP')),\n{parent})\n"
        ));
    }
    write(dir.join("models.py"), models)?;
    let sa_url = url.replacen("postgres://", "postgresql+psycopg2://", 1);
    write(
        dir.join("alembic.ini"),
        format!(
            "[alembic]\nscript_location = %(here)s/migrations\nprepend_sys_path = .\nsqlalchemy.url = {sa_url}\n"
        ),
    )?;
    write(
        dir.join("migrations/env.py"),
        "from alembic import context\nfrom sqlalchemy import engine_from_config, pool\nimport models\n\
         def include_object(obj, name, type_, reflected, compare_to):\n    return not (type_ == 'table' and name == '_sqlx_migrations')\n\
         engine = engine_from_config(context.config.get_section(context.config.config_ini_section), prefix='sqlalchemy.', poolclass=pool.NullPool)\n\
         with engine.connect() as connection:\n    context.configure(connection=connection, target_metadata=models.metadata, compare_type=True, compare_server_default=True, include_object=include_object)\n    with context.begin_transaction():\n        context.run_migrations()\n"
            .to_string(),
    )?;
    write(
        dir.join("migrations/script.py.mako"),
        "${upgrades if upgrades else 'pass'}\n".to_string(),
    )?;
    std::fs::create_dir_all(dir.join("migrations/versions")).map_err(|e| e.to_string())?;
    let (mut times, mut mems) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        let (time, mem, out) = measured(
            Command::new("python3")
                .current_dir(dir)
                .args(["-m", "alembic", "check"]),
        )?;
        times.push(time);
        mems.push(mem);
        if !out.contains("No new upgrade operations detected") {
            return Err(format!(
                "alembic check found changes on an unchanged schema:\n{out}"
            ));
        }
    }
    Ok(Some((times, mems)))
}

fn fresh_seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(1)
}

/// Runs one test binary of `autogen-tests` with `env`, failing with the seed to replay.
fn run_test(test: &str, env: &[(&str, String)], seed: u64) -> Result<(), String> {
    let mut cmd = Command::new(env!("CARGO"));
    cmd.current_dir(root())
        .args([
            "test",
            "-p",
            "autogen-tests",
            "--test",
            test,
            "--",
            "--nocapture",
        ])
        .env("AUTOGEN_PROPTEST_SEED", seed.to_string());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let status = cmd.status().map_err(|e| e.to_string())?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{test} failed (seed {seed})"))
    }
}

fn soak(cases: u64) -> Result<(), String> {
    let seed = fresh_seed();
    println!(
        "soak: {cases} cases per dialect, seed {seed} (rerun with AUTOGEN_PROPTEST_SEED={seed})"
    );
    run_test(
        "differential",
        &[("AUTOGEN_PROPTEST_CASES", cases.to_string())],
        seed,
    )?;
    run_test(
        "identifiers",
        &[("AUTOGEN_IDENT_CASES", cases.to_string())],
        seed,
    )
}

fn fuzz(seconds: u64) -> Result<(), String> {
    let seed = fresh_seed();
    println!("fuzz: {seconds} s, seed {seed} (rerun with AUTOGEN_FUZZ_SEED={seed})");
    run_test(
        "fuzz",
        &[
            ("AUTOGEN_FUZZ_SECONDS", seconds.to_string()),
            ("AUTOGEN_FUZZ_SEED", seed.to_string()),
            ("AUTOGEN_FUZZ_HANG_SECS", "10".to_string()),
        ],
        seed,
    )
}
