//! `init`: autogen.toml and the migrations directory.

use crate::config::Config;
use crate::context::url_dialect;
use crate::error::CliError;
use crate::outcome::Outcome;
use autogen_migrate::{Init, MigrationsDir};
use std::io::Write;

pub(crate) fn init(
    out: &mut dyn Write,
    config_path: &std::path::Path,
    cfg: &Config,
    format: &str,
) -> Result<Outcome, CliError> {
    let dialect = url_dialect(cfg)?;
    write_config(out, config_path, format, "${DATABASE_URL}")?;
    let init = MigrationsDir::init(&cfg.migrations, cfg.format, dialect)?;
    print_init(out, &init)?;
    writeln!(
        out,
        "Next: point database_url at your database (or set DATABASE_URL), keep your entities in \
         {} (`models` in {}), then `autogen -m \"first migration\"` writes the first revision and \
         `autogen upgrade head` applies it.",
        cfg.models.display(),
        config_path.display()
    )?;
    Ok(Outcome::Success)
}

/// Says what [`MigrationsDir::init`] created, and which workspace the migration crate joined.
pub(crate) fn print_init(out: &mut dyn Write, init: &Init) -> std::io::Result<()> {
    for p in &init.created {
        writeln!(out, "created {}", p.display())?;
    }
    if let Some(manifest) = &init.joined {
        writeln!(
            out,
            "added the migration crate to the workspace members in {}",
            manifest.display()
        )?;
    }
    Ok(())
}

/// Writes autogen.toml unless it exists, with `database_url` as given (a URL, or `${VAR}`).
pub(crate) fn write_config(
    out: &mut dyn Write,
    config_path: &std::path::Path,
    format: &str,
    database_url: &str,
) -> Result<(), CliError> {
    if config_path.exists() {
        return Ok(());
    }
    let url = toml_string(database_url);
    let text = format!(
        "# autogen configuration. Paths are relative to this file.\n\
         # database_url may use ${{VAR}}; without it, DATABASE_URL (also from .env) is used.\n\
         database_url = {url}\n\
         models = \"src/entity\"\n\
         migrations = \"migrations\"\n\
         format = \"{format}\"\n\
         timezone = \"utc\"\n"
    );
    autogen_migrate::write_atomic(config_path, &text)?;
    writeln!(out, "wrote {}", config_path.display())?;
    Ok(())
}

/// A TOML basic string holding `s`.
fn toml_string(s: &str) -> String {
    let mut out = String::from('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
