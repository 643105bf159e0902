//! `init`: autogen.toml and the migrations directory.

use crate::config::Config;
use crate::context::url_dialect;
use crate::error::CliError;
use crate::outcome::Outcome;
use autogen_migrate::MigrationsDir;
use std::io::Write;

pub(crate) fn init(
    out: &mut dyn Write,
    config_path: &std::path::Path,
    cfg: &Config,
    format: &str,
) -> Result<Outcome, CliError> {
    let dialect = url_dialect(cfg)?;
    if !config_path.exists() {
        let text = format!(
            "# autogen configuration. Paths are relative to this file.\n\
             # database_url may use ${{VAR}}; without it, DATABASE_URL (also from .env) is used.\n\
             database_url = \"${{DATABASE_URL}}\"\n\
             models = \"src/entity\"\n\
             migrations = \"migrations\"\n\
             format = \"{format}\"\n\
             timezone = \"utc\"\n"
        );
        autogen_migrate::write_atomic(config_path, &text)?;
        writeln!(out, "wrote {}", config_path.display())?;
    }
    for p in MigrationsDir::init(&cfg.migrations, cfg.format, dialect)? {
        writeln!(out, "created {}", p.display())?;
    }
    Ok(Outcome::Success)
}
