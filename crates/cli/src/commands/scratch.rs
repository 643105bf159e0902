//! Scratch databases on a dev server: made for one run with a unique name, dropped afterwards
//! (and those a killed run left behind, once they are an hour old); `AtHead`, one with every
//! revision applied, which `-m --dev-url` and `diff --dev-url` plan against.

use crate::config::Config;
use crate::context::url_dialect;
use crate::error::CliError;
use autogen_db::{Db, redact_url};
use autogen_migrate::{Direction, MigrationsDir, RunOptions, Target};
use autogen_schema::Dialect;

/// A database made for one run, and how to get rid of it.
pub(crate) struct Scratch {
    pub(crate) url: String,
    /// The server's URL and the database's name, to drop it.
    server: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

impl Scratch {
    pub(crate) async fn create(dialect: Dialect, dev_url: &str) -> Result<Scratch, CliError> {
        // A database without a server: a file of its own in a temporary directory.
        if dev_url.starts_with("sqlite:") {
            let dir = tempfile::tempdir().map_err(CliError::Output)?;
            return Ok(Scratch {
                url: format!("sqlite://{}", dir.path().join("dev.db").display()),
                server: None,
                _dir: Some(dir),
            });
        }
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        // `autogen_dev_<unix seconds>_<pid>_<nanoseconds>`: whose it is, and since when.
        let name = format!(
            "{SCRATCH_PREFIX}{}_{}_{}",
            now.as_secs(),
            std::process::id(),
            now.subsec_nanos()
        );
        let url = with_database(dev_url, &name).ok_or_else(|| {
            CliError::Usage(format!(
                "--dev-url {}: not a server URL",
                redact_url(dev_url)
            ))
        })?;
        let admin = Db::connect_existing(dev_url).await?;
        drop_abandoned(&admin, now.as_secs()).await;
        let quoted = dialect.sql().quote_ident(&name);
        let created = admin
            .execute_script(&format!("CREATE DATABASE {quoted}"))
            .await;
        admin.close().await;
        created.map_err(|e| {
            CliError::Usage(format!(
                "--dev-url {}: cannot create a scratch database: {}",
                redact_url(dev_url),
                autogen_db::error_text(&e)
            ))
        })?;
        Ok(Scratch {
            url,
            server: Some((dev_url.to_string(), name)),
            _dir: None,
        })
    }

    pub(crate) async fn drop(self) {
        if let Some((server, name)) = &self.server
            && let Ok(admin) = Db::connect_existing(server).await
        {
            let _ = admin.drop_database(name).await;
            admin.close().await;
        }
    }
}

/// What every scratch database's name starts with.
const SCRATCH_PREFIX: &str = "autogen_dev_";

/// How old an abandoned scratch database must be before another run drops it: a live run holds
/// a connection to its own, but one compiling a Rust migration crate may hold none for a while.
const ABANDONED_AFTER_SECS: u64 = 3600;

/// Drops the scratch databases earlier runs left behind (killed by SIGKILL, or crashed): only
/// those named as autogen names them, made over an hour ago, with no session connected, so a
/// live run elsewhere on the same dev server is never touched.
async fn drop_abandoned(admin: &Db, now: u64) {
    let Ok(idle) = admin.idle_databases(SCRATCH_PREFIX).await else {
        return;
    };
    for name in idle {
        let made = name
            .strip_prefix(SCRATCH_PREFIX)
            .and_then(|rest| rest.split('_').next())
            .and_then(|secs| secs.parse::<u64>().ok());
        if made.is_some_and(|made| made + ABANDONED_AFTER_SECS < now) {
            let _ = admin.drop_database(&name).await;
        }
    }
}

/// Resolves when the process is asked to stop (Ctrl-C, a cancelled CI job): with the signal's
/// name, so the scratch database is dropped before the run ends.
pub(crate) async fn stop_signal() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            return tokio::select! {
                _ = tokio::signal::ctrl_c() => "SIGINT",
                _ = term.recv() => "SIGTERM",
            };
        }
    }
    let _ = tokio::signal::ctrl_c().await;
    "SIGINT"
}

/// `url` with its database (the path) replaced by `name`, its query kept.
fn with_database(url: &str, name: &str) -> Option<String> {
    let (main, query) = match url.split_once('?') {
        Some((m, q)) => (m, Some(q)),
        None => (url, None),
    };
    let authority = main.find("://")? + 3;
    let path = main[authority..]
        .find('/')
        .map_or(main.len(), |i| authority + i);
    let mut out = format!("{}/{name}", &main[..path]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    Some(out)
}

/// The dialect of a dev server, which must be the project's.
pub(crate) fn dev_dialect(cfg: &Config, dev_url: &str) -> Result<Dialect, CliError> {
    let project = url_dialect(cfg)?;
    let dialect = Dialect::from_url(dev_url).ok_or_else(|| {
        CliError::Usage(format!(
            "--dev-url {}: not a postgres://, mysql://, mariadb:// or sqlite: URL",
            redact_url(dev_url)
        ))
    })?;
    if dialect != project {
        return Err(CliError::Usage(format!(
            "--dev-url is a {} server, and the project's database_url is {}",
            dialect.sql().name(),
            project.sql().name()
        )));
    }
    Ok(dialect)
}

/// A scratch database on a dev server with every revision applied: what `-m --dev-url` and
/// `diff --dev-url` plan against, so that the configured database need not be at head (nor be
/// reachable).
pub(crate) struct AtHead {
    scratch: Scratch,
    pub(crate) db: Db,
}

impl AtHead {
    pub(crate) async fn create(
        cfg: &Config,
        dir: &MigrationsDir,
        dev_url: &str,
    ) -> Result<AtHead, CliError> {
        let scratch = Scratch::create(dev_dialect(cfg, dev_url)?, dev_url).await?;
        let upgraded = async {
            let db = Db::connect(&scratch.url).await?;
            let options = RunOptions {
                lock_timeout: cfg.lock_timeout,
                x_args: Vec::new(),
                url: scratch.url.clone(),
                recorded_down: false,
            };
            let head = Target::parse("head");
            match autogen_migrate::run(&db, dir, &head, Direction::Up, &options, &mut |_| {}).await
            {
                Ok(_) => Ok(db),
                Err(e) => {
                    db.close().await;
                    Err(CliError::from(e))
                }
            }
        }
        .await;
        match upgraded {
            Ok(db) => Ok(AtHead { scratch, db }),
            Err(e) => {
                scratch.drop().await;
                Err(e)
            }
        }
    }

    pub(crate) async fn drop(self) {
        self.db.close().await;
        self.scratch.drop().await;
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn the_scratch_url_names_the_scratch_database_and_keeps_the_rest() {
        assert_eq!(
            with_database("postgres://u:p@h:5432/postgres?sslmode=disable", "x").as_deref(),
            Some("postgres://u:p@h:5432/x?sslmode=disable")
        );
        assert_eq!(
            with_database("mysql://root@127.0.0.1:3306", "x").as_deref(),
            Some("mysql://root@127.0.0.1:3306/x")
        );
        assert_eq!(with_database("nonsense", "x"), None);
    }
}
