//! Test harness: throwaway databases on the real servers, and autogen projects around them.
//!
//! Each test gets its own PostgreSQL or MariaDB/MySQL database (unique name, dropped afterwards)
//! or its own SQLite file, so tests run in parallel. `AUTOGEN_TEST_POSTGRES_URL` and
//! `AUTOGEN_TEST_MYSQL_URL` point at the servers (default: the local ones). When one is
//! unreachable, tests fail under `CI` and skip loudly otherwise.

pub mod dump;
pub mod squawk;

use autogen_cli::Outcome;
use autogen_db::{Db, Pool, redact_url};
use autogen_schema::{Dialect, Schema};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

pub const DIALECTS: [Dialect; 2] = [Dialect::Sqlite, Dialect::Postgres];

pub fn postgres_admin_url() -> String {
    std::env::var("AUTOGEN_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

pub fn mysql_admin_url() -> String {
    std::env::var("AUTOGEN_TEST_MYSQL_URL")
        .unwrap_or_else(|_| "mysql://root@127.0.0.1:3306/test".into())
}

/// A server `check --dev-url` can make its scratch database on, per dialect.
pub fn dev_url(dialect: Dialect) -> String {
    match dialect {
        Dialect::Postgres => postgres_admin_url(),
        Dialect::MySql => mysql_admin_url(),
        Dialect::Sqlite => "sqlite::memory:".to_string(),
    }
}

fn unique_name(tag: &str) -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(
        "autogen_{tag}_{}_{}_{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    )
}

/// A database that exists for one test.
pub struct TestDb {
    pub url: String,
    pub dialect: Dialect,
    /// One pool for the test's own queries (opening connections is the slow part).
    pool: tokio::sync::OnceCell<Db>,
    /// The server database to drop afterwards (PostgreSQL, MySQL).
    server_db: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

/// Connects to a server's admin URL; `None` (skip) when it is unreachable outside CI.
async fn admin(url: &str, tag: &str) -> Option<Db> {
    match Db::connect(url).await {
        Ok(db) => Some(db),
        Err(e) => {
            if std::env::var_os("CI").is_some() {
                panic!("{} is required under CI: {e}", redact_url(url));
            }
            eprintln!("\n*** SKIPPING database test {tag}: {e} ***\n");
            None
        }
    }
}

impl TestDb {
    /// `None` when the server is unreachable outside CI (the test then returns early).
    pub async fn new(dialect: Dialect, tag: &str) -> Option<TestDb> {
        match dialect {
            Dialect::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("test.db").display());
                Some(TestDb {
                    url,
                    dialect,
                    pool: tokio::sync::OnceCell::new(),
                    server_db: None,
                    _dir: Some(dir),
                })
            }
            Dialect::Postgres | Dialect::MySql => {
                let admin_url = match dialect {
                    Dialect::Postgres => postgres_admin_url(),
                    _ => mysql_admin_url(),
                };
                let db = admin(&admin_url, tag).await?;
                let name = unique_name(tag);
                db.execute_script(&format!("CREATE DATABASE {}", quote(dialect, &name)))
                    .await
                    .expect("create database");
                db.close().await;
                let base = admin_url
                    .rsplit_once('/')
                    .map(|(b, _)| b)
                    .unwrap_or(&admin_url);
                // Local test servers need no TLS handshake on every connection; the TLS
                // test asks for it explicitly.
                let options = match dialect {
                    Dialect::Postgres => "?sslmode=disable",
                    _ => "?ssl-mode=disabled",
                };
                Some(TestDb {
                    url: format!("{base}/{name}{options}"),
                    dialect,
                    pool: tokio::sync::OnceCell::new(),
                    server_db: Some(name),
                    _dir: None,
                })
            }
        }
    }

    /// The test's pool (opened on first use, closed when the database is dropped).
    pub async fn connect(&self) -> &Db {
        self.pool
            .get_or_init(|| async { Db::connect(&self.url).await.expect("connect") })
            .await
    }

    pub async fn introspect(&self) -> Schema {
        autogen_introspect::introspect(self.connect().await)
            .await
            .expect("introspect")
    }

    pub async fn execute(&self, sql: &str) {
        let db = self.connect().await;
        db.execute_script(sql)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    /// Moves the database from `from` to `to` with autogen's own rendered SQL migration (the
    /// up file, run as one script); returns the down file. Errors carry the SQL that failed.
    pub async fn migrate(&self, from: &Schema, to: &Schema) -> Result<String, String> {
        let db = self.connect().await;
        let plan = autogen_diff::diff(from, to, db.profile()).map_err(|e| e.to_string())?;
        let meta = autogen_migrate::RevisionMeta {
            id: "1".into(),
            parents: vec![],
            message: "test".into(),
            allow: Vec::new(),
            change: None,
            dialect: None,
        };
        let (up, down) = autogen_migrate::sql_revision(&meta, &plan).map_err(|e| e.to_string())?;
        db.execute_script(&up)
            .await
            .map_err(|e| format!("{}: {e}\n{up}", self.dialect))?;
        Ok(down)
    }

    /// `schema` with its CHECKs in this server's rendering of them (what `-m` does to the
    /// entities' CHECKs before it compares).
    pub async fn server_checks(&self, mut schema: Schema) -> Schema {
        let db = self.connect().await;
        let current = self.introspect().await;
        let probe = autogen_render::check_probe(&schema, &current, db.profile()).expect("probe");
        let rendered = autogen_introspect::render_checks(db, &probe.setup, &probe.tables)
            .await
            .expect("render checks");
        for (name, table, i) in probe.origin {
            if let (Some(d), Some(c)) = (
                rendered.get(&name),
                schema
                    .tables
                    .get_mut(&table)
                    .and_then(|t| t.checks.get_mut(i)),
            ) {
                c.definition = d.clone();
            }
        }
        schema
    }

    /// The database's schema, with every CHECK autogen's own (as its revisions would record).
    pub async fn introspect_owned(&self) -> Schema {
        let mut s = self.introspect().await;
        for t in s.tables.values_mut() {
            for c in &mut t.checks {
                c.owned = true;
            }
        }
        s
    }

    /// Rows of a one-text-column query.
    pub async fn strings(&self, sql: &str) -> Vec<String> {
        let sql = sqlx::AssertSqlSafe(sql.to_string());
        match self.connect().await.pool() {
            Pool::Postgres(p) => sqlx::query_scalar(sql).fetch_all(p).await,
            Pool::Sqlite(p) => sqlx::query_scalar(sql).fetch_all(p).await,
            Pool::MySql(p) => sqlx::query_scalar(sql).fetch_all(p).await,
        }
        .unwrap_or_else(|e| panic!("{e}"))
    }

    /// The server's profile (dialect, flavour, version), as autogen reads it.
    pub async fn profile(&self) -> autogen_schema::Profile {
        self.connect().await.profile()
    }

    /// Whether a table exists.
    pub async fn has_table(&self, table: &str) -> bool {
        let sql = match self.dialect {
            Dialect::Postgres => format!(
                "SELECT tablename::text FROM pg_tables WHERE schemaname = current_schema() AND tablename = '{table}'"
            ),
            Dialect::MySql => format!(
                "SELECT CAST(table_name AS CHAR) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = '{table}'"
            ),
            Dialect::Sqlite => {
                format!("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '{table}'")
            }
        };
        !self.strings(&sql).await.is_empty()
    }

    /// Versions recorded in `_sqlx_migrations`, in order.
    pub async fn sqlx_versions(&self) -> Vec<String> {
        if !self.has_table("_sqlx_migrations").await {
            return Vec::new();
        }
        let cast = match self.dialect {
            Dialect::MySql => "CAST(version AS CHAR)",
            _ => "CAST(version AS TEXT)",
        };
        self.strings(&format!(
            "SELECT {cast} FROM _sqlx_migrations ORDER BY version"
        ))
        .await
    }
}

fn quote(dialect: Dialect, name: &str) -> String {
    match dialect {
        Dialect::MySql => format!("`{name}`"),
        _ => format!("\"{name}\""),
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some(name) = self.server_db.take() else {
            return;
        };
        let dialect = self.dialect;
        // Drop runs outside any runtime we can borrow: use a small one on its own thread.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async {
                // autogen's own drop: it ends the database's sessions first, on every server
                // version (`WITH (FORCE)` is PostgreSQL 13+).
                let url = match dialect {
                    Dialect::Postgres => postgres_admin_url(),
                    _ => mysql_admin_url(),
                };
                if let Ok(db) = Db::connect(&url).await {
                    let _ = db.drop_database(&name).await;
                    db.close().await;
                }
            });
        })
        .join();
    }
}

/// Runs a script with the database's own command-line client.
/// The server's host and port (from the admin URL) and the database of a MySQL test URL.
pub fn mysql_parts(url: &str) -> (String, String, String) {
    let name = url
        .rsplit_once('/')
        .map(|(_, n)| n.split('?').next().unwrap_or(n).to_string())
        .unwrap_or_default();
    let admin = mysql_admin_url();
    let hostport = admin
        .split('@')
        .nth(1)
        .and_then(|h| h.split('/').next())
        .unwrap_or("127.0.0.1:3306")
        .to_string();
    let (host, port) = hostport.split_once(':').unwrap_or((&hostport, "3306"));
    (host.to_string(), port.to_string(), name)
}

pub fn run_client(db: &TestDb, script: &str) {
    use std::io::Write as _;
    let (program, args): (&str, Vec<String>) = match db.dialect {
        Dialect::Postgres => (
            "psql",
            vec![
                "-q".into(),
                "-v".into(),
                "ON_ERROR_STOP=1".into(),
                "-d".into(),
                db.url.clone(),
            ],
        ),
        Dialect::Sqlite => (
            "sqlite3",
            vec![
                "-bail".into(),
                db.url.trim_start_matches("sqlite://").to_string(),
            ],
        ),
        Dialect::MySql => {
            let (host, port, name) = mysql_parts(&db.url);
            (
                "mariadb",
                vec![
                    "-uroot".into(),
                    format!("-h{host}"),
                    format!("-P{port}"),
                    name,
                ],
            )
        }
    };
    let mut child = std::process::Command::new(program)
        .args(&args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(script.as_bytes())
        .expect("write script");
    let output = child.wait_with_output().expect("client");
    assert!(
        output.status.success(),
        "{program} failed: {}\n{script}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Path of the school fixture's entities at version `v`.
pub fn school(v: u32) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../fixtures/school/src/v{v}"))
}

/// The school fixture's steps, as each step's `-m` message says them.
pub const SCHOOL_STEPS: [&str; 5] = [
    "create students",
    "add fees table",
    "add fee description",
    "add waived status",
    "rename student name, drop fee description",
];

/// Path of the online fixture's entities at version `v`, as an argument.
pub fn online(v: u32) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../fixtures/online/v{v}"))
        .display()
        .to_string()
}

/// Path of the shop fixture's entities (one version, 22 tables).
pub fn shop() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/shop/src/entity")
}

/// The workspace's target directory, shared by the Rust-format migration crates tests build.
pub fn shared_target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) => PathBuf::from(d).join("migration-crates"),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/migration-crates"),
    }
}

/// A SeaORM entity file for `table`: an `id` key, then `fields` (Rust field declarations).
pub fn entity(table: &str, fields: &str) -> String {
    format!(
        "use sea_orm::entity::prelude::*;\n#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]\n\
         #[sea_orm(table_name = \"{table}\")]\npub struct Model {{\n    #[sea_orm(primary_key)]\n    pub id: i32,\n{fields}}}\n\
         #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]\npub enum Relation {{}}\n\
         impl ActiveModelBehavior for ActiveModel {{}}\n"
    )
}

/// Runs `autogen ARGS…` in-process, as the binary would.
pub async fn autogen(args: &[&str]) -> Run {
    let argv = std::iter::once("autogen").chain(args.iter().copied());
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let outcome = autogen_cli::run(argv, &mut out, &mut err).await;
    Run {
        outcome,
        stdout: String::from_utf8_lossy(&out).into_owned(),
        stderr: String::from_utf8_lossy(&err).into_owned(),
    }
}

/// A user's project: autogen.toml + migrations directory, against a [`TestDb`].
pub struct Project {
    pub dir: tempfile::TempDir,
    pub db: TestDb,
    pub format: autogen_migrate::Format,
}

pub struct Run {
    pub outcome: Outcome,
    pub stdout: String,
    pub stderr: String,
}

impl Project {
    pub async fn new(dialect: Dialect, format: &str, tag: &str) -> Option<Project> {
        let db = TestDb::new(dialect, tag).await?;
        let dir = tempfile::tempdir().expect("temp dir");
        let toml = format!(
            "database_url = \"{}\"\nmigrations = \"migrations\"\nformat = \"{format}\"\ncargo_target_dir = \"{}\"\n",
            db.url,
            // One directory per dialect: the crates share a name, and cargo uplifts each binary
            // to the same path, so two dialects building at once must not share one.
            shared_target_dir().join(dialect.name()).display()
        );
        std::fs::write(dir.path().join("autogen.toml"), toml).expect("write config");
        Some(Project {
            dir,
            db,
            format: autogen_migrate::Format::parse(format).expect("format"),
        })
    }

    pub fn config(&self) -> PathBuf {
        self.dir.path().join("autogen.toml")
    }

    pub fn migrations(&self) -> PathBuf {
        self.dir.path().join("migrations")
    }

    /// Runs `autogen -c <project>/autogen.toml ARGS…` in-process.
    pub async fn autogen(&self, args: &[&str]) -> Run {
        let config = self.config().display().to_string();
        let mut argv = vec!["-c", config.as_str()];
        argv.extend_from_slice(args);
        autogen(&argv).await
    }

    /// Like [`Project::autogen`], asserting success.
    pub async fn ok(&self, args: &[&str]) -> String {
        let run = self.autogen(args).await;
        assert_eq!(
            run.outcome,
            Outcome::Success,
            "autogen {args:?} failed:\n{}\n{}",
            run.stdout,
            run.stderr
        );
        run.stdout
    }

    /// Migration files, sorted by name (SQL files, or Rust modules under src/).
    pub fn files(&self) -> Vec<PathBuf> {
        let dir = match self.format {
            autogen_migrate::Format::Sql => self.migrations(),
            autogen_migrate::Format::Rust => self.migrations().join("src"),
        };
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        files.retain(|p| {
            let name = p
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default();
            // Rust migrations are `m<digits>…rs`; `main.rs` and `lib.rs` are the crate's own.
            let rust_migration = name.starts_with('m')
                && name[1..].starts_with(|c: char| c.is_ascii_digit())
                && name.ends_with(".rs");
            name.ends_with(".sql") || rust_migration
        });
        files.sort();
        files
    }
}

/// Replaces revision ids (14-digit timestamps) so snapshots do not depend on the clock.
pub fn redact_revisions(text: &str) -> String {
    redact_ids(&redact_server(text))
}

/// The server a revision was planned on (`autogen dialect: postgres (planned on PostgreSQL
/// 15.4)`) as `<server>`: the suites run on several server versions (`cargo xtask pg-matrix`).
fn redact_server(text: &str) -> String {
    const PLANNED: &str = "(planned on ";
    text.split_inclusive('\n')
        .map(|line| match line.find(PLANNED) {
            Some(at) if line.contains("autogen dialect:") => {
                let end = line[at..].find(')').map_or(line.len(), |e| at + e + 1);
                format!("{}{PLANNED}<server>){}", &line[..at], &line[end..])
            }
            _ => line.to_string(),
        })
        .collect()
}

fn redact_ids(text: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        if run == 14
            || (run == 8
                && chars.get(i + 8) == Some(&'_')
                && chars[i + 9..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .count()
                    == 6)
        {
            let len = if run == 14 { 14 } else { 15 };
            out.push_str("<rev>");
            i += len;
        } else if run > 0 {
            out.extend(&chars[i..i + run]);
            i += run;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// A test binary re-executes itself as `autogen` (real processes, the very same code): its test
/// named `child_process_entry` calls this, which, when `AUTOGEN_CHILD_ARGS` is set, runs autogen
/// with those arguments and exits with its code.
pub fn child_process_entry() {
    let Ok(args) = std::env::var("AUTOGEN_CHILD_ARGS") else {
        return;
    };
    let argv: Vec<String> = std::iter::once("autogen".to_string())
        .chain(args.split('\u{1f}').map(str::to_string))
        .collect();
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let (mut out, mut err) = (std::io::stdout(), std::io::stderr());
    let outcome = rt.block_on(autogen_cli::run(argv, &mut out, &mut err));
    std::process::exit(i32::from(outcome.code()));
}

/// Starts `autogen ARGS…` as a process of its own (the test binary, re-entered through its
/// `child_process_entry` test).
pub fn spawn_autogen(args: &[&str]) -> std::process::Child {
    std::process::Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--exact",
            "child_process_entry",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("AUTOGEN_CHILD_ARGS", args.join("\u{1f}"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn autogen")
}
