//! Adopting a database that exists: `entities` (SeaORM entity files from its catalog) and
//! `init --from-database` (configuration, entities, and a baseline revision recorded as
//! applied, so that `check` passes here and `upgrade head` builds the same tables elsewhere).

use crate::commands::init::write_config;
use crate::config::{Config, UrlSource};
use crate::context::{head_ids, load_dir_or_new, new_revision_id, plan, url_dialect};
use crate::error::CliError;
use crate::outcome::Outcome;
use autogen_db::Db;
use autogen_entities::{EntityFile, Options};
use autogen_migrate::{MigrationsDir, RunOptions, Target};
use autogen_schema::Schema;
use std::io::Write;
use std::path::{Path, PathBuf};

/// `autogen entities`: the database's tables as entity files.
pub(crate) async fn entities(
    out: &mut dyn Write,
    cfg: &Config,
    dir: Option<&Path>,
    dense: bool,
    force: bool,
) -> Result<Outcome, CliError> {
    let db = Db::connect_existing(&cfg.database_url).await?;
    let dir = dir
        .map(Path::to_path_buf)
        .unwrap_or_else(|| cfg.models.clone());
    // The SQL files go where `check` reads them, or beside the entities written elsewhere.
    let sql = if dir == cfg.models {
        cfg.sql.clone()
    } else {
        dir.join("sql")
    };
    let catalog = read_catalog(cfg, &db, (&dir, &sql), dense, force).await;
    db.close().await;
    let catalog = catalog?;
    catalog.write(out)?;
    if !catalog.schema.left_alone.is_empty() {
        writeln!(out, "Left alone: {}", catalog.schema.left_alone)?;
    }
    Ok(Outcome::Success)
}

/// `autogen init --from-database`: all or nothing. Everything is read, written in memory,
/// read back and compared first; only when the entities describe the database exactly are the
/// configuration, the entities and the baseline written and the baseline stamped.
pub(crate) async fn init_from_database(
    out: &mut dyn Write,
    config_path: &Path,
    cfg: &Config,
    format: &str,
    dense: bool,
    force: bool,
) -> Result<Outcome, CliError> {
    let dialect = url_dialect(cfg)?;
    let dir = load_dir_or_new(cfg)?;
    if !dir.revisions.is_empty() {
        return Err(CliError::Usage(format!(
            "{} already holds revisions: a baseline is the first revision of a history \
             (adopt into an empty migrations directory)",
            cfg.migrations.display()
        )));
    }
    // The URL as the user gave it: the variable it came from, not its value.
    let url = match &cfg.url_source {
        UrlSource::Flag(given) => given.clone(),
        UrlSource::Environment | UrlSource::File => "${DATABASE_URL}".to_string(),
        UrlSource::Default => "sqlite://autogen.db".to_string(),
    };
    let db = Db::connect_existing(&cfg.database_url).await?;
    let result = adopt(
        out,
        cfg,
        &db,
        dense,
        force,
        dialect,
        (config_path, format, &url),
    )
    .await;
    db.close().await;
    result
}

async fn adopt(
    out: &mut dyn Write,
    cfg: &Config,
    db: &Db,
    dense: bool,
    force: bool,
    dialect: autogen_schema::Dialect,
    (config_path, format, url): (&Path, &str, &str),
) -> Result<Outcome, CliError> {
    let catalog = read_catalog(cfg, db, (&cfg.models, &cfg.sql), dense, force).await?;
    // The entities as `check` will read them, compared with the database before anything is
    // written.
    let sources: Vec<(PathBuf, String)> = catalog
        .files
        .iter()
        .map(|(path, f)| (path.clone(), f.contents.clone()))
        .collect();
    let mut model = tokio::task::spawn_blocking(move || autogen_model::parse_sources(&sources))
        .await
        .map_err(|e| CliError::Usage(format!("entity parsing stopped: {e}")))??;
    autogen_model::validate(&model, db.profile())?;
    let default_schema = catalog.schema.default_schema.clone();
    autogen_model::place_schemas(&mut model, &cfg.schemas, default_schema.as_deref())?;
    autogen_model::check_keys(&model, &catalog.schema)?;
    let check = autogen_diff::diff(&catalog.schema, &model.schema, db.profile())?;
    if !check.is_empty() {
        write!(out, "{}", autogen_render::review_text(&check))?;
        writeln!(
            out,
            "Nothing was written or stamped: the entities autogen would write do not describe \
             this database exactly (the plan above). Please report this."
        )?;
        return Ok(Outcome::Drift);
    }
    // The baseline creates, from nothing, what the entities and the SQL files declare.
    model.schema.objects = catalog.schema.objects.clone();
    let baseline = autogen_diff::diff_owned(Schema::default(), model.schema, db.profile())?;
    autogen_render::render_body(&baseline)?;
    autogen_render::render_body(&baseline.reverse())?;

    not_carried(out, &catalog.schema.left_alone)?;
    write_config(out, config_path, format, url)?;
    catalog.write(out)?;
    let init = MigrationsDir::init(&cfg.migrations, cfg.format, dialect)?;
    crate::commands::init::print_init(out, &init)?;
    let mut dir = load_dir_or_new(cfg)?;
    let id = new_revision_id(cfg, &dir, &head_ids(&dir))?;
    for path in dir.write_revision(&id, "baseline", &baseline, &cfg.policy, &[])? {
        writeln!(out, "wrote {}", path.display())?;
    }
    let dir = load_dir_or_new(cfg)?;
    let options = RunOptions {
        lock_timeout: cfg.lock_timeout,
        x_args: Vec::new(),
        url: cfg.database_url.clone(),
        recorded_down: false,
    };
    let (stamped, _) = autogen_migrate::stamp(db, &dir, &Target::Head, &options).await?;
    for id in &stamped {
        writeln!(
            out,
            "stamped {id} (baseline) as applied: this database already holds it"
        )?;
    }
    // What `check` will say from now on.
    let check = plan(cfg, db).await?;
    if !check.is_empty() {
        write!(out, "{}", autogen_render::review_text(&check))?;
        return Err(CliError::Usage(
            "the entities written read back differently from the files compared before \
             writing them: please report this (with the plan above)"
                .into(),
        ));
    }
    writeln!(out, "No changes detected.")?;
    if !check.left_alone.is_empty() {
        writeln!(out, "Left alone: {}", check.left_alone)?;
    }
    writeln!(
        out,
        "Next: edit the entities in {}, then `autogen -m \"what changed\"` writes the next revision; \
         a new environment is built with `autogen upgrade head`.",
        cfg.models.display()
    )?;
    Ok(Outcome::Success)
}

/// A database's catalog and the entity files it becomes, in memory.
struct Catalog {
    schema: Schema,
    files: Vec<(PathBuf, EntityFile)>,
    dir: PathBuf,
    /// The SQL files of views, routines and triggers (full paths), with their text.
    objects: Vec<(PathBuf, String)>,
    /// Where they go.
    sql: PathBuf,
}

/// Reads the catalog and renders its entities for `dir`; refuses, before anything is written,
/// to overwrite a file unless `force`.
async fn read_catalog(
    cfg: &Config,
    db: &Db,
    (dir, sql): (&Path, &Path),
    dense: bool,
    force: bool,
) -> Result<Catalog, CliError> {
    let mut schema = autogen_introspect::introspect_schemas(db, &cfg.schemas).await?;
    let before = schema.tables.len();
    schema.tables.retain(|name, _| !cfg.is_excluded(name));
    schema
        .left_alone
        .add("excluded tables", before - schema.tables.len());
    let files: Vec<(PathBuf, EntityFile)> =
        autogen_entities::entities(&schema, db.dialect(), Options { dense })
            .into_iter()
            .map(|f| (dir.join(&f.path), f))
            .collect();
    let objects: Vec<(PathBuf, String)> = autogen_entities::object_files(&schema)
        .into_iter()
        .map(|(path, text)| (sql.join(path), text))
        .collect();
    let existing: Vec<String> = files
        .iter()
        .map(|(p, _)| p)
        .chain(objects.iter().map(|(p, _)| p))
        .filter(|p| p.exists())
        .map(|p| p.display().to_string())
        .collect();
    if !existing.is_empty() && !force {
        return Err(CliError::Usage(format!(
            "{} entity file(s) exist already and would be overwritten: {}; move them away, \
             write elsewhere with --out DIR, or pass --force",
            existing.len(),
            existing.join(", ")
        )));
    }
    Ok(Catalog {
        schema,
        files,
        dir: dir.to_path_buf(),
        objects,
        sql: sql.to_path_buf(),
    })
}

impl Catalog {
    /// Writes the entity files.
    fn write(&self, out: &mut dyn Write) -> Result<(), CliError> {
        std::fs::create_dir_all(&self.dir).map_err(CliError::Output)?;
        for (path, file) in &self.files {
            autogen_migrate::write_atomic(path, &file.contents)?;
        }
        // `mod.rs` declares every file written: one rustfmt run formats them all.
        autogen_migrate::rustfmt_tree(&self.dir.join("mod.rs"));
        writeln!(
            out,
            "wrote {} entity files for {} tables to {}",
            self.files.len(),
            self.schema.tables.len(),
            self.dir.display()
        )?;
        for (path, text) in &self.objects {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(CliError::Output)?;
            }
            autogen_migrate::write_atomic(path, text)?;
        }
        if !self.objects.is_empty() {
            writeln!(
                out,
                "wrote {} SQL files of objects entities cannot declare (views, routines, triggers, …) to {}",
                self.objects.len(),
                self.sql.display()
            )?;
        }
        Ok(())
    }
}

/// Says, before anything is written, what the database holds that the baseline will not build:
/// what the catalog reader leaves alone. Each kind with why.
fn not_carried(
    out: &mut dyn Write,
    left_alone: &autogen_schema::LeftAlone,
) -> Result<(), CliError> {
    if left_alone.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "Not carried into the baseline: a new environment built from it will not have these \
         (this database keeps them; autogen leaves them alone):"
    )?;
    for (kind, n) in &left_alone.0 {
        let mut one = autogen_schema::LeftAlone::default();
        one.add(kind, *n);
        writeln!(
            out,
            "  {one}: {}",
            autogen_introspect::not_carried_because(kind)
        )?;
    }
    Ok(())
}
