//! The installed binary itself: exit codes, `AUTOGEN_CONFIG`, and the embedded SQLite default.

use std::path::Path;
use std::process::Command;

fn school(v: u32) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../../fixtures/school/src/v{v}"))
        .display()
        .to_string()
}

fn autogen(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_autogen"));
    cmd.current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("AUTOGEN_CONFIG");
    cmd
}

#[test]
fn exit_codes_config_from_the_environment_and_the_sqlite_default() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    std::fs::create_dir_all(&project).unwrap();
    let config = project.join("autogen.toml");
    std::fs::write(&config, format!("models = \"{}\"\n", school(1))).unwrap();

    // AUTOGEN_CONFIG names the file; with no database_url and no DATABASE_URL, the database
    // is an SQLite file next to it.
    let out = autogen(dir.path())
        .env("AUTOGEN_CONFIG", &config)
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "drift exits 1: {out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("+ create table students"));
    assert!(
        !project.join("autogen.db").exists(),
        "check only reads: no database file appears"
    );

    let out = autogen(dir.path())
        .env("AUTOGEN_CONFIG", &config)
        .args(["-m", "initial"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let out = autogen(dir.path())
        .env("AUTOGEN_CONFIG", &config)
        .args(["upgrade", "head"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(project.join("autogen.db").exists(), "upgrade makes it");
    let out = autogen(dir.path())
        .env("AUTOGEN_CONFIG", &config)
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "in sync exits 0: {out:?}");

    // Errors exit 2 and go to stderr.
    let out = autogen(dir.path())
        .args(["upgrade", "--no-such-flag"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!out.stderr.is_empty());
    let out = autogen(dir.path()).arg("--help").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("downgrade"));
}

/// A database that is not a file (an in-memory one, or a file that does not exist yet, which the
/// read-only commands read as an empty database) leaves nothing behind: no lock file in the
/// working directory named after sqlx's internal name for it.
#[test]
fn commands_on_a_database_that_is_not_a_file_leave_no_files() {
    let dir = tempfile::tempdir().unwrap();
    let cwd = dir.path().join("cwd");
    std::fs::create_dir_all(&cwd).unwrap();
    let migrations = dir.path().join("migrations");
    let config = dir.path().join("autogen.toml");
    for (i, url) in [
        "sqlite::memory:",
        "sqlite://missing.db",
        "sqlite://x.db?mode=memory",
    ]
    .into_iter()
    .enumerate()
    {
        std::fs::write(
            &config,
            format!("database_url = \"{url}\"\nmodels = \"{}\"\n", school(1)),
        )
        .unwrap();
        let first = (i == 0).then_some(&["-m", "initial"][..]);
        let commands = [
            &["downgrade", "base"][..],
            &["current"],
            &["upgrade", "head"],
        ];
        for args in first.into_iter().chain(commands) {
            let out = autogen(&cwd)
                .arg("-c")
                .arg(&config)
                .arg("--migrations")
                .arg(&migrations)
                .args(args)
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(0), "{url} {args:?}: {out:?}");
            let left: Vec<_> = std::fs::read_dir(&cwd)
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .collect();
            assert!(left.is_empty(), "{url} {args:?} left {left:?}");
        }
    }
}

/// A SQLite database file holding one table, made with the `sqlite3` client.
fn sqlite_with_a_table(path: &Path) {
    let status = Command::new("sqlite3")
        .arg(path)
        .arg("CREATE TABLE thing (id integer PRIMARY KEY, name varchar(20) NOT NULL);")
        .status()
        .expect("sqlite3");
    assert!(status.success());
}

#[test]
fn adopting_keeps_the_url_as_given_and_never_overwrites_by_accident() {
    let dir = tempfile::tempdir().unwrap();
    sqlite_with_a_table(&dir.path().join("app.db"));

    // The URL came from the environment: autogen.toml refers to the variable, not its value.
    let out = autogen(dir.path())
        .env("DATABASE_URL", "sqlite://app.db")
        .args(["init", "--from-database"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let toml = std::fs::read_to_string(dir.path().join("autogen.toml")).unwrap();
    assert!(
        toml.contains("database_url = \"${DATABASE_URL}\""),
        "{toml}"
    );
    let entity = dir.path().join("src/entity/thing.rs");
    assert!(entity.exists());

    // A second adoption would start a second history: refused.
    let out = autogen(dir.path())
        .env("DATABASE_URL", "sqlite://app.db")
        .args(["init", "--from-database"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("already holds revisions"));

    // `autogen entities` refuses to overwrite a file unless told to.
    std::fs::write(&entity, "// mine\n").unwrap();
    let out = autogen(dir.path())
        .env("DATABASE_URL", "sqlite://app.db")
        .arg("entities")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("exist already and would be overwritten")
    );
    assert_eq!(std::fs::read_to_string(&entity).unwrap(), "// mine\n");
    let out = autogen(dir.path())
        .env("DATABASE_URL", "sqlite://app.db")
        .args(["entities", "--force"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(
        std::fs::read_to_string(&entity)
            .unwrap()
            .contains("table_name = \"thing\"")
    );

    // Elsewhere, in the dense format: a new directory, nothing refused.
    let out = autogen(dir.path())
        .env("DATABASE_URL", "sqlite://app.db")
        .args(["entities", "--dense", "--out", "dense"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(
        std::fs::read_to_string(dir.path().join("dense/thing.rs"))
            .unwrap()
            .contains("#[sea_orm::model]")
    );

    // Adoption is all or nothing: refused for an entity file in the way, it writes no
    // configuration and no migrations, and stamps nothing.
    let third = tempfile::tempdir().unwrap();
    sqlite_with_a_table(&third.path().join("app.db"));
    std::fs::create_dir_all(third.path().join("src/entity")).unwrap();
    std::fs::write(third.path().join("src/entity/thing.rs"), "// mine\n").unwrap();
    let out = autogen(third.path())
        .args([
            "--database-url",
            "sqlite://app.db",
            "init",
            "--from-database",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(!third.path().join("autogen.toml").exists());
    assert!(!third.path().join("migrations").exists());

    // Given as a flag, the URL is written as given.
    let other = tempfile::tempdir().unwrap();
    sqlite_with_a_table(&other.path().join("app.db"));
    let out = autogen(other.path())
        .args([
            "--database-url",
            "sqlite://app.db",
            "init",
            "--from-database",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let toml = std::fs::read_to_string(other.path().join("autogen.toml")).unwrap();
    assert!(
        toml.contains("database_url = \"sqlite://app.db\""),
        "{toml}"
    );
}

/// The example GitHub Actions workflow (`examples/github-actions/autogen.yml`): every `autogen`
/// command in it, run as written by bash, against a project whose migrations match its entities
/// (exit 0, a Markdown report with its summary line) and then one whose entities changed
/// (the drift gate exits 1, the report still written). Skipped loudly without PostgreSQL
/// outside CI.
#[test]
fn the_example_workflow_runs_as_written() {
    let dev_url = std::env::var("AUTOGEN_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let psql = |sql: &str| {
        Command::new("psql")
            .args([dev_url.as_str(), "-v", "ON_ERROR_STOP=1", "-qc", sql])
            .output()
    };
    match psql("SELECT 1") {
        Ok(out) if out.status.success() => {}
        other => {
            assert!(
                std::env::var_os("CI").is_none(),
                "PostgreSQL is required under CI: {other:?}"
            );
            eprintln!("SKIPPED: PostgreSQL is not reachable at {dev_url}");
            return;
        }
    }
    let workflow = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/github-actions/autogen.yml"),
    )
    .unwrap();
    let commands: Vec<&str> = workflow
        .lines()
        .filter_map(|l| l.trim().strip_prefix("run: "))
        .filter(|c| c.starts_with("autogen "))
        .collect();
    assert_eq!(commands.len(), 3, "{commands:?}");

    // A project: its migrations written against a database made for the purpose, then dropped.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("autogen.toml"),
        format!(
            "database_url = \"${{DATABASE_URL}}\"\nmodels = \"{}\"\n",
            school(2)
        ),
    )
    .unwrap();
    let db = format!("autogen_workflow_{}", std::process::id());
    assert!(
        psql(&format!("CREATE DATABASE {db}"))
            .unwrap()
            .status
            .success()
    );
    let url = format!("{}/{db}", dev_url.rsplit_once('/').unwrap().0);
    for args in [["-m", "initial"], ["upgrade", "head"]] {
        let out = autogen(dir.path())
            .env("DATABASE_URL", &url)
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
    }
    let _ = psql(&format!("DROP DATABASE {db}"));
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_autogen")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = |command: &str| {
        Command::new("bash")
            .args(["-c", command])
            .current_dir(dir.path())
            .env("PATH", &path)
            .env("DEV_URL", &dev_url)
            .env(
                "DATABASE_URL",
                format!(
                    "{}/autogen_workflow_absent",
                    dev_url.rsplit_once('/').unwrap().0
                ),
            )
            .env_remove("AUTOGEN_CONFIG")
            .output()
            .unwrap()
    };
    for command in &commands {
        let out = run(command);
        assert!(out.status.success(), "{command}: {out:?}");
    }
    let report = std::fs::read_to_string(dir.path().join("autogen-report.md")).unwrap();
    assert!(report.starts_with("### autogen check: in sync"), "{report}");

    // The entities move on without a migration: the gate fails, the report says what -m writes.
    let toml = dir.path().join("autogen.toml");
    let text = std::fs::read_to_string(&toml)
        .unwrap()
        .replace(&school(2), &school(3));
    std::fs::write(&toml, text).unwrap();
    let out = run(commands[1]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let report = std::fs::read_to_string(dir.path().join("autogen-report.md")).unwrap();
    assert!(report.contains("add column fees.description"), "{report}");
}

/// A relative `sqlite://` URL in the `.env` beside autogen.toml is relative to that directory,
/// like every path the file names, whatever the working directory.
#[test]
fn a_relative_sqlite_url_in_dotenv_is_relative_to_its_directory() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("project");
    std::fs::create_dir_all(project.join("data")).unwrap();
    std::fs::write(
        project.join("autogen.toml"),
        format!("models = \"{}\"\n", school(1)),
    )
    .unwrap();
    std::fs::write(project.join(".env"), "DATABASE_URL=sqlite://data/app.db\n").unwrap();
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let config = project.join("autogen.toml").display().to_string();
    for args in [["-m", "initial"], ["upgrade", "head"]] {
        let out = autogen(&elsewhere)
            .args(["-c", &config])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{out:?}");
    }
    assert!(project.join("data/app.db").exists());
    assert!(!elsewhere.join("data").exists());
}

/// Values that must be errors name the flag or setting they came from (exit 2).
#[test]
fn bad_values_are_errors_that_name_their_source() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("autogen.toml");
    let run = |toml: &str, args: &[&str]| {
        std::fs::write(&config, format!("models = \"{}\"\n{toml}", school(1))).unwrap();
        let out = autogen(dir.path()).args(args).output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    for (toml, args, says) in [
        (
            "",
            &["-m", "x", "--allow", "AG101"][..],
            "--allow AG101: give the reason",
        ),
        (
            "",
            &["-m", "x", "--allow", "AG101="][..],
            "--allow AG101=: give the reason",
        ),
        (
            "deny = [\"\"]\n",
            &["check"][..],
            "deny: an empty rule name",
        ),
        (
            "",
            &["--deny", ",,", "check"][..],
            "--deny: an empty rule name",
        ),
        (
            "",
            &["--deny", "AG999", "check"][..],
            "--deny: unknown rule `AG999`",
        ),
        (
            "ddl_lock_timeout = \"99999999s\"\n",
            &["check"][..],
            "ddl_lock_timeout = \"99999999s\": at most",
        ),
    ] {
        let (code, stderr) = run(toml, args);
        assert_eq!(code, Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(
            !(args.contains(&"--deny") && stderr.contains("autogen.toml")),
            "a flag's error is not the file's: {stderr}"
        );
    }
}
