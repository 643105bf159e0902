//! `autogen.toml`, with `${VAR}` interpolation, `DATABASE_URL` and `.env`.

use autogen_schema::lexical::closest;
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub database_url: Option<String>,
    pub models: Option<String>,
    /// Views, functions, procedures and triggers, one SQL file each (default: `sql` inside
    /// the models directory).
    pub sql: Option<String>,
    pub migrations: Option<String>,
    pub format: Option<String>,
    /// `utc` (default) or `local`: the clock revision ids are taken from.
    pub timezone: Option<String>,
    /// Rust format: cargo's target directory for building the migration crate.
    pub cargo_target_dir: Option<String>,
    /// The descriptive part of new migration file names, e.g. `"{year}_{month}_{day}_{slug}"`.
    pub file_template: Option<String>,
    /// Tables autogen leaves alone on both sides: exact names, or prefixes ending in `*`.
    pub exclude_tables: Option<Vec<String>>,
    /// PostgreSQL schemas managed besides the connection's own (entities name them with
    /// `schema_name`); tables of other schemas are left alone.
    pub schemas: Option<Vec<String>>,
    /// Seconds `upgrade`, `downgrade` and `stamp` wait for another run's lock (default 60).
    pub lock_timeout: Option<f64>,
    /// `online` (default): lock-friendly forms for tables that hold rows; `simple`: plain forms.
    pub safety: Option<String>,
    /// The longest DDL waits for its lock under `online` (PostgreSQL: `5s`, `500ms`, `1min`).
    pub ddl_lock_timeout: Option<String>,
    /// The longest DDL runs under `online`.
    pub ddl_statement_timeout: Option<String>,
    /// Rule ids (or names) whose findings fail `-m`, `check` and `lint`.
    pub deny: Option<Vec<String>>,
}

/// The settings autogen.toml may hold (what `FileConfig` reads), for suggestions.
const FIELDS: &[&str] = &[
    "database_url",
    "models",
    "sql",
    "migrations",
    "format",
    "timezone",
    "cargo_target_dir",
    "file_template",
    "exclude_tables",
    "schemas",
    "lock_timeout",
    "safety",
    "ddl_lock_timeout",
    "ddl_statement_timeout",
    "deny",
];

/// Where the configuration is read from when no `-c` or `AUTOGEN_CONFIG` names a file.
pub const DEFAULT_PATH: &str = "autogen.toml";

/// The resolved settings a command runs with.
/// Where the database URL came from: what `init --from-database` writes into autogen.toml.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlSource {
    /// `--database-url`, as given.
    Flag(String),
    /// autogen.toml's `database_url`.
    File,
    /// The `DATABASE_URL` environment variable (or `.env`).
    Environment,
    /// The embedded SQLite default.
    Default,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub url_source: UrlSource,
    pub models: PathBuf,
    /// The directory of the SQL files of views, routines and triggers.
    pub sql: PathBuf,
    pub migrations: PathBuf,
    pub format: autogen_migrate::Format,
    pub local_time: bool,
    pub cargo_target_dir: Option<PathBuf>,
    pub file_template: String,
    pub exclude_tables: Vec<String>,
    pub schemas: Vec<String>,
    pub lock_timeout: std::time::Duration,
    /// The safety policy and its timeouts.
    pub policy: autogen_render::Policy,
    /// Rules whose findings fail `-m`, `check` and `lint` (unless a revision allows them).
    pub deny: Vec<autogen_diff::Rule>,
    /// `--rev-id`: the id the next revision written takes.
    pub rev_id: Option<String>,
}

impl Config {
    /// Whether `table` matches an `exclude_tables` entry (a table of another schema is
    /// written `schema.table`).
    pub fn is_excluded(&self, table: &str) -> bool {
        let table = autogen_schema::lexical::display_name(table);
        self.exclude_tables
            .iter()
            .any(|p| match p.strip_suffix('*') {
                Some(prefix) => table.starts_with(prefix),
                None => table == *p,
            })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("{flag}: {message}")]
    Flag { flag: &'static str, message: String },
    #[error("{path}: environment variable {var} is not set (used as ${{{var}}})")]
    MissingVar { path: PathBuf, var: String },
    #[error(
        "configuration file {path} does not exist (named by -c or AUTOGEN_CONFIG); \
         `autogen init -c {path}` writes one"
    )]
    Missing { path: PathBuf },
}

/// Replaces `${VAR}` with the variable's value.
pub fn interpolate(s: &str, lookup: impl Fn(&str) -> Option<String>) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = s;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find('}').ok_or_else(|| "unclosed ${".to_string())?;
        let var = &after[..end];
        out.push_str(&lookup(var).ok_or_else(|| var.to_string())?);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[derive(Default)]
pub struct Overrides {
    pub lock_timeout: Option<f64>,
    pub rev_id: Option<String>,
    pub database_url: Option<String>,
    pub models: Option<PathBuf>,
    pub migrations: Option<PathBuf>,
    pub format: Option<String>,
    pub safety: Option<String>,
    pub deny: Vec<String>,
}

/// Rule ids or names, each known (a list in autogen.toml or `--deny A,B`).
pub fn parse_rules(items: &[String]) -> Result<Vec<autogen_diff::Rule>, String> {
    let mut out = Vec::new();
    for item in items.iter().flat_map(|i| i.split(',')).map(str::trim) {
        if item.is_empty() {
            return Err(
                "an empty rule name: list rule ids or names such as AG101 or drop-table".into(),
            );
        }
        let rule = autogen_diff::Rule::parse(item).ok_or_else(|| {
            let names: Vec<&str> = autogen_diff::Rule::ALL.iter().map(|r| r.name()).collect();
            let hint = closest(item, &names)
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            format!(
                "unknown rule `{item}` (rule ids are AG101…; see the README's rule table){hint}"
            )
        })?;
        if !out.contains(&rule) {
            out.push(rule);
        }
    }
    Ok(out)
}

/// The safety policy from the file and the flag.
fn policy(file: &FileConfig, flag: Option<String>) -> Result<autogen_render::Policy, String> {
    let mut policy = autogen_render::Policy::default();
    if let Some(name) = flag.or_else(|| file.safety.clone()) {
        policy.safety = autogen_render::Safety::parse(&name)
            .ok_or_else(|| format!("safety = \"{name}\": expected \"online\" or \"simple\""))?;
    }
    for (key, value, slot) in [
        (
            "ddl_lock_timeout",
            &file.ddl_lock_timeout,
            &mut policy.lock_timeout,
        ),
        (
            "ddl_statement_timeout",
            &file.ddl_statement_timeout,
            &mut policy.statement_timeout,
        ),
    ] {
        if let Some(v) = value {
            if !autogen_render::valid_duration(v) {
                return Err(format!(
                    "{key} = \"{v}\": expected a duration such as \"5s\", \"500ms\", \"2min\" or \"1h\""
                ));
            }
            // PostgreSQL's timeouts are whole milliseconds in a 32-bit integer.
            if autogen_render::duration_ms(v).is_none_or(|ms| ms > i32::MAX as u64) {
                return Err(format!(
                    "{key} = \"{v}\": at most 2147483647ms (about 24 days), as PostgreSQL takes it"
                ));
            }
            *slot = v.clone();
        }
    }
    Ok(policy)
}

pub fn load(path: &Path, overrides: Overrides) -> Result<Config, ConfigError> {
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let invalid = |message: String| ConfigError::Invalid {
        path: path.to_path_buf(),
        message,
    };
    // `.env` next to the config (or in the working directory) fills in unset variables.
    let url_was_set = std::env::var_os("DATABASE_URL").is_some();
    let _ = dotenvy::from_path(base.join(".env"));
    // A SQLite path in that `.env` is relative to its directory, like every path in the file.
    let url_from_dotenv = !url_was_set && std::env::var_os("DATABASE_URL").is_some();
    let file: FileConfig = if path.exists() {
        let text = std::fs::read_to_string(path).map_err(|e| invalid(e.to_string()))?;
        toml::from_str(&text).map_err(|e| invalid(with_suggestion(&e.to_string())))?
    } else {
        FileConfig::default()
    };
    let rel = |p: &str| {
        let p = PathBuf::from(p);
        if p.is_absolute() { p } else { base.join(p) }
    };
    let mut policy = policy(&file, overrides.safety.clone()).map_err(invalid)?;
    let from_file = overrides.database_url.is_none() && file.database_url.is_some();
    let url_source = match (&overrides.database_url, &file.database_url) {
        (Some(flag), _) => UrlSource::Flag(flag.clone()),
        (None, Some(_)) => UrlSource::File,
        (None, None) if std::env::var("DATABASE_URL").is_ok() => UrlSource::Environment,
        (None, None) => UrlSource::Default,
    };
    let database_url = match overrides.database_url.or(file.database_url) {
        Some(url) => {
            let url = interpolate(&url, |v| std::env::var(v).ok()).map_err(|var| {
                ConfigError::MissingVar {
                    path: path.to_path_buf(),
                    var,
                }
            })?;
            // A SQLite path in the file is relative to the file, like every path in it.
            if from_file {
                sqlite_relative_to(&url, &base)
            } else {
                url
            }
        }
        None => match std::env::var("DATABASE_URL") {
            Ok(url) if url_from_dotenv => sqlite_relative_to(&url, &base),
            Ok(url) => url,
            // The embedded default: a SQLite file next to the config.
            Err(_) => format!("sqlite://{}", rel("autogen.db").display()),
        },
    };
    let format_name = overrides
        .format
        .or(file.format)
        .unwrap_or_else(|| "sql".into());
    let format = autogen_migrate::Format::parse(&format_name).ok_or_else(|| {
        invalid(format!(
            "format = \"{format_name}\": expected \"sql\" or \"rust\""
        ))
    })?;
    policy.one_query_files = format == autogen_migrate::Format::Sql;
    let local_time = match file.timezone.as_deref() {
        None | Some("utc") | Some("UTC") => false,
        Some("local") => true,
        Some(other) => {
            return Err(invalid(format!(
                "timezone = \"{other}\": expected \"utc\" or \"local\""
            )));
        }
    };
    let lock_seconds = overrides.lock_timeout.or(file.lock_timeout).unwrap_or(60.0);
    let lock_timeout = std::time::Duration::try_from_secs_f64(lock_seconds).map_err(|_| {
        invalid(format!(
            "lock_timeout = {lock_seconds}: expected seconds (0 or more)"
        ))
    })?;
    // Each list's problems are reported where the list came from.
    let mut deny = parse_rules(&file.deny.clone().unwrap_or_default())
        .map_err(|m| invalid(format!("deny: {m}")))?;
    let flag = parse_rules(&overrides.deny).map_err(|message| ConfigError::Flag {
        flag: "--deny",
        message,
    })?;
    deny.extend(
        flag.into_iter()
            .filter(|r| !deny.contains(r))
            .collect::<Vec<_>>(),
    );
    let models = overrides
        .models
        .unwrap_or_else(|| rel(file.models.as_deref().unwrap_or("src/entity")));
    Ok(Config {
        rev_id: overrides.rev_id.clone(),
        policy,
        deny,
        lock_timeout,
        database_url,
        url_source,
        sql: match file.sql.as_deref() {
            Some(dir) => rel(dir),
            None => models.join("sql"),
        },
        models,
        migrations: overrides
            .migrations
            .unwrap_or_else(|| rel(file.migrations.as_deref().unwrap_or("migrations"))),
        format,
        local_time,
        cargo_target_dir: file.cargo_target_dir.as_deref().map(rel),
        file_template: match file.file_template {
            Some(t) => check_template(&t).map_err(invalid)?,
            None => autogen_migrate::DEFAULT_FILE_TEMPLATE.to_string(),
        },
        exclude_tables: file.exclude_tables.unwrap_or_default(),
        schemas: file.schemas.unwrap_or_default(),
    })
}

/// `sqlite://data/app.db` read from a file in `base` -> `sqlite://<base>/data/app.db`.
fn sqlite_relative_to(url: &str, base: &Path) -> String {
    let Some(rest) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    else {
        return url.to_string();
    };
    let (file, query) = match rest.split_once('?') {
        Some((f, q)) => (f, format!("?{q}")),
        None => (rest, String::new()),
    };
    if file.is_empty() || file.starts_with(':') || Path::new(file).is_absolute() {
        return url.to_string();
    }
    format!("sqlite://{}{query}", base.join(file).display())
}

/// The placeholders `file_template` takes.
const PLACEHOLDERS: &[&str] = &[
    "slug", "rev", "year", "month", "day", "hour", "minute", "second",
];

/// A `file_template` whose every `{placeholder}` is known.
fn check_template(template: &str) -> Result<String, String> {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err(format!(
                "file_template = \"{template}\": a `{{` is not closed"
            ));
        };
        let name = &after[..close];
        if !PLACEHOLDERS.contains(&name) {
            let hint = closest(name, PLACEHOLDERS)
                .map(|s| format!("; did you mean {{{s}}}?"))
                .unwrap_or_default();
            return Err(format!(
                "file_template = \"{template}\": unknown placeholder {{{name}}} (known: {}){hint}",
                PLACEHOLDERS
                    .iter()
                    .map(|p| format!("{{{p}}}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            ));
        }
        rest = &after[close + 1..];
    }
    Ok(template.to_string())
}

/// toml's message, with "did you mean" for an unknown setting.
fn with_suggestion(message: &str) -> String {
    let unknown = message
        .split("unknown field `")
        .nth(1)
        .and_then(|r| r.split('`').next());
    match unknown.and_then(|u| closest(u, FIELDS)) {
        Some(s) => format!("{}\ndid you mean `{s}`?", message.trim_end()),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_toml(text: &str) -> Result<Config, ConfigError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("autogen.toml");
        std::fs::write(&path, text).unwrap();
        let overrides = Overrides {
            lock_timeout: None,
            rev_id: None,
            database_url: Some("sqlite://x.db".into()),
            models: None,
            migrations: None,
            format: None,
            safety: None,
            deny: Vec::new(),
        };
        load(&path, overrides)
    }

    #[test]
    fn settings_resolve_relative_to_the_file_with_defaults() {
        let cfg = load_toml("timezone = \"local\"\nmodels = \"entities\"\n").unwrap();
        assert!(cfg.local_time);
        assert!(cfg.models.ends_with("entities") && cfg.models.is_absolute());
        assert!(cfg.migrations.ends_with("migrations"));
        assert_eq!(cfg.format, autogen_migrate::Format::Sql);
        assert_eq!(cfg.file_template, "{slug}");
        assert!(!load_toml("").unwrap().local_time, "UTC is the default");
    }

    #[test]
    fn the_sql_directory_is_inside_the_models_unless_set() {
        let cfg = load_toml("models = \"entities\"\n").unwrap();
        assert_eq!(cfg.sql, cfg.models.join("sql"));
        let cfg = load_toml("models = \"entities\"\nsql = \"db/objects\"\n").unwrap();
        assert!(cfg.sql.ends_with("db/objects") && cfg.sql.is_absolute());
    }

    #[test]
    fn excluded_tables_match_exactly_or_by_prefix() {
        let cfg = load_toml("exclude_tables = [\"spatial_ref_sys\", \"audit_*\"]\n").unwrap();
        assert!(cfg.is_excluded("spatial_ref_sys"));
        assert!(cfg.is_excluded("audit_2026"));
        assert!(!cfg.is_excluded("spatial_ref_sys_2"));
        assert!(!cfg.is_excluded("students"));
    }

    #[test]
    fn bad_settings_are_errors_naming_the_file() {
        let err = load_toml("timezone = \"mars\"\n").unwrap_err().to_string();
        assert!(
            err.contains("autogen.toml") && err.contains("\"mars\""),
            "{err}"
        );
        let err = load_toml("format = \"yaml\"\n").unwrap_err().to_string();
        assert!(err.contains("expected \"sql\" or \"rust\""), "{err}");
        let err = load_toml("colour = \"blue\"\n").unwrap_err().to_string();
        assert!(err.contains("colour"), "{err}");
        let err = load_toml("\nexclude_table = []\n").unwrap_err().to_string();
        assert!(
            err.contains("line 2") && err.ends_with("did you mean `exclude_tables`?"),
            "{err}"
        );
        let err = load_toml("file_template = \"{yaer}_{slug}\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("unknown placeholder {yaer}") && err.ends_with("did you mean {year}?"),
            "{err}"
        );
        assert!(load_toml("file_template = \"{year}-{slug}\"\n").is_ok());
    }

    #[test]
    fn safety_settings_are_checked() {
        let cfg = load_toml("").unwrap();
        assert_eq!(cfg.policy, autogen_render::Policy::default());
        assert!(cfg.policy.online() && cfg.deny.is_empty());
        let cfg = load_toml(
            "safety = \"simple\"\nddl_lock_timeout = \"250ms\"\nddl_statement_timeout = \"2min\"\ndeny = [\"AG101\", \"drop-column\"]\n",
        )
        .unwrap();
        assert!(!cfg.policy.online());
        assert_eq!(
            (
                cfg.policy.lock_timeout.as_str(),
                cfg.policy.statement_timeout.as_str()
            ),
            ("250ms", "2min")
        );
        assert_eq!(
            cfg.deny,
            [
                autogen_diff::Rule::DropTable,
                autogen_diff::Rule::DropColumn
            ]
        );
        for (bad, says) in [
            ("safety = \"fast\"\n", "expected \"online\" or \"simple\""),
            ("ddl_lock_timeout = \"5 s'; DROP\"\n", "expected a duration"),
            ("deny = [\"AG999\"]\n", "unknown rule `AG999`"),
            ("deny = [\"drop-colum\"]\n", "did you mean `drop-column`?"),
        ] {
            let err = load_toml(bad).unwrap_err().to_string();
            assert!(err.contains(says), "{bad}: {err}");
        }
    }

    #[test]
    fn a_sqlite_path_in_the_file_is_relative_to_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("autogen.toml");
        std::fs::write(&path, "database_url = \"sqlite://data/app.db?mode=rwc\"\n").unwrap();
        let none = Overrides {
            lock_timeout: None,
            database_url: None,
            models: None,
            migrations: None,
            format: None,
            ..Overrides::default()
        };
        let cfg = load(&path, none).unwrap();
        assert_eq!(
            cfg.database_url,
            format!(
                "sqlite://{}?mode=rwc",
                dir.path().join("data/app.db").display()
            )
        );
        assert_eq!(
            sqlite_relative_to("sqlite::memory:", dir.path()),
            "sqlite::memory:"
        );
        assert_eq!(
            sqlite_relative_to("sqlite:///abs.db", dir.path()),
            "sqlite:///abs.db"
        );
        assert_eq!(
            sqlite_relative_to("postgres://h/db", dir.path()),
            "postgres://h/db"
        );
    }

    #[test]
    fn interpolates_variables() {
        let env = |v: &str| (v == "DATABASE_URL").then(|| "postgres://x/db".to_string());
        assert_eq!(
            interpolate("${DATABASE_URL}", env).unwrap(),
            "postgres://x/db"
        );
        assert_eq!(
            interpolate("a${DATABASE_URL}b", env).unwrap(),
            "apostgres://x/dbb"
        );
        assert_eq!(interpolate("${NOPE}", env).unwrap_err(), "NOPE");
        assert_eq!(interpolate("plain", env).unwrap(), "plain");
    }

    #[test]
    fn lock_timeout_is_seconds_with_a_default() {
        let cfg = load_toml("").unwrap();
        assert_eq!(cfg.lock_timeout, std::time::Duration::from_secs(60));
        let cfg = load_toml("lock_timeout = 2.5\n").unwrap();
        assert_eq!(cfg.lock_timeout, std::time::Duration::from_millis(2500));
        let err = load_toml("lock_timeout = -1\n").unwrap_err().to_string();
        assert!(err.contains("lock_timeout = -1"), "{err}");
    }
}
