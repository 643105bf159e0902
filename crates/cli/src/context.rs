//! What the commands share: the configured dialect, the migrations directory, a connection with
//! what is applied, the plan from entities to database.

use crate::config::Config;
use crate::error::CliError;
use autogen_db::{Db, redact_url};
use autogen_diff::Plan;
use autogen_migrate::MigrationsDir;
use autogen_schema::lexical::comment_text;

/// The dialect the configured URL names (for commands that do not connect).
pub(crate) fn url_dialect(cfg: &Config) -> Result<autogen_schema::Dialect, CliError> {
    autogen_schema::Dialect::from_url(&cfg.database_url).ok_or_else(|| {
        CliError::Usage(format!(
            "unsupported database URL {}",
            redact_url(&cfg.database_url)
        ))
    })
}

/// The migrations directory, which must exist: a command that runs, stamps or merges revisions
/// where there is no directory is pointed at the wrong place, not at an empty history.
pub(crate) fn load_dir(cfg: &Config) -> Result<MigrationsDir, CliError> {
    if !cfg.migrations.exists() {
        return Err(CliError::Usage(format!(
            "there is no migrations directory at {}: `autogen -m MESSAGE` writes the first revision \
             (or set `migrations` in autogen.toml, or pass --migrations)",
            cfg.migrations.display()
        )));
    }
    load_dir_or_new(cfg)
}

/// The migrations directory, empty when it does not exist yet (for the command that writes the
/// first revision, and for reports: `current`, `history`, `check`).
pub(crate) fn load_dir_or_new(cfg: &Config) -> Result<MigrationsDir, CliError> {
    let mut dir = MigrationsDir::load(&cfg.migrations, cfg.format)?;
    dir.cargo_target_dir = cfg.cargo_target_dir.clone();
    dir.file_template = cfg.file_template.clone();
    Ok(dir)
}

/// Connects (creating nothing: a SQLite file that does not exist reads as empty), loads the
/// directory, and reads what is applied (checked against the files).
pub(crate) async fn open(cfg: &Config) -> Result<(Db, MigrationsDir, Vec<String>), CliError> {
    open_with(cfg, load_dir_or_new(cfg)?).await
}

/// [`open`] with a directory already loaded.
pub(crate) async fn open_with(
    cfg: &Config,
    dir: MigrationsDir,
) -> Result<(Db, MigrationsDir, Vec<String>), CliError> {
    let db = Db::connect_existing(&cfg.database_url).await?;
    let applied = autogen_migrate::applied(&db, &dir).await?;
    Ok((db, dir, applied))
}

pub(crate) fn parse_x_args(args: &[String]) -> Result<Vec<(String, String)>, CliError> {
    args.iter()
        .map(|a| match a.split_once('=') {
            Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
            _ => Err(CliError::Usage(format!("-x takes KEY=VALUE, not `{a}`"))),
        })
        .collect()
}

pub(crate) fn run_options(
    cfg: &Config,
    x_args: Vec<(String, String)>,
) -> autogen_migrate::RunOptions {
    autogen_migrate::RunOptions {
        lock_timeout: cfg.lock_timeout,
        x_args,
        url: cfg.database_url.clone(),
        recorded_down: false,
    }
}

pub(crate) async fn plan(cfg: &Config, db: &Db) -> Result<Plan, CliError> {
    Ok(plan_with_sources(cfg, db, Against::Configured).await?.0)
}

/// The database a plan is made against: the configured one, whose rows a drop finding counts,
/// or a scratch one (`--dev-url`), whose rows are not the user's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Against {
    Configured,
    Scratch,
}

/// The plan, and where each table and column the entities declare stands (for findings'
/// places). Its callers render it (a `Review`), which is where a change autogenerate would
/// refuse becomes an error for `check` and `diff` as for `-m`.
pub(crate) async fn plan_with_sources(
    cfg: &Config,
    db: &Db,
    against: Against,
) -> Result<(Plan, autogen_model::SourceMap), CliError> {
    // Parse the entities on a blocking thread while the catalog queries run.
    let models = cfg.models.clone();
    let parsing = tokio::task::spawn_blocking(move || autogen_model::parse_dir(&models));
    if !cfg.schemas.is_empty() && !db.dialect().sql().schemas() {
        return Err(CliError::Usage(format!(
            "schemas = [...] in autogen.toml: {} has no schemas within a database",
            db.dialect().sql().name()
        )));
    }
    let mut current = autogen_introspect::introspect_schemas(db, &cfg.schemas).await?;
    let mut model = parsing
        .await
        .map_err(|e| CliError::Usage(format!("entity parsing stopped: {e}")))??;
    // Tables autogen must not manage (another tool's, an extension's) are left out of both sides.
    let before = current.tables.len();
    for schema in [&mut model.schema, &mut current] {
        schema.tables.retain(|name, _| !cfg.is_excluded(name));
    }
    current
        .left_alone
        .add("excluded tables", before - current.tables.len());
    autogen_model::validate(&model, db.profile())?;
    autogen_model::place_schemas(&mut model, &cfg.schemas, current.default_schema.as_deref())?;
    autogen_model::check_keys(&model, &current)?;
    server_rendered_checks(db, &mut model.schema, &current).await?;
    declared_objects(cfg, db, &mut model.schema, &current).await?;
    autogen_diff::mark_owned(&mut current, recorded_ownership(cfg)?);
    let mut plan = autogen_diff::diff_owned(current, model.schema, db.profile())?;
    settle_names(db, &mut plan).await?;
    if against == Against::Configured {
        count_lost_rows(db, &mut plan).await;
    }
    Ok((plan, model.sources))
}

/// The rows each drop of the plan loses, for its finding (and so the plan, every review
/// format and the revision header): counted, or the server's estimate on a large table.
async fn count_lost_rows(db: &Db, plan: &mut Plan) {
    let tables: Vec<String> = plan.losing_rows().into_iter().map(String::from).collect();
    for table in tables {
        if let Some(rows) = db.row_count(&table).await {
            plan.row_counts.insert(table, rows);
        }
    }
}

/// The entities' CHECKs and generation expressions in the server's own rendering of them, as
/// the catalog will print them once created (PostgreSQL and MySQL normalise an expression;
/// SQLite keeps the text).
async fn server_rendered_checks(
    db: &Db,
    model: &mut autogen_schema::Schema,
    current: &autogen_schema::Schema,
) -> Result<(), CliError> {
    let probe = autogen_render::check_probe(model, current, db.profile())?;
    let rendered = autogen_introspect::render_checks(db, &probe.setup, &probe.tables).await?;
    for (name, table, i) in probe.origin {
        if let (Some(definition), Some(check)) = (
            rendered.get(&name),
            model
                .tables
                .get_mut(&table)
                .and_then(|t| t.checks.get_mut(i)),
        ) {
            check.definition = definition.clone();
        }
    }
    for (key, table, column) in probe.generated {
        if let (Some(expression), Some(g)) = (
            rendered.get(&key),
            model
                .tables
                .get_mut(&table)
                .and_then(|t| t.column_mut(&column))
                .and_then(|c| c.generated.as_mut()),
        ) {
            g.expression = expression.clone();
        }
    }
    Ok(())
}

/// The views, routines and triggers of the SQL files, each as the server renders it (created
/// in a transaction that is rolled back). One the server cannot create over the database as it
/// is now (it reads a table or column this change adds) is planned from its file as written,
/// with a warning where the database holds one of its name.
async fn declared_objects(
    cfg: &Config,
    db: &Db,
    model: &mut autogen_schema::Schema,
    current: &autogen_schema::Schema,
) -> Result<(), CliError> {
    let sql = db.dialect().sql();
    let declared = autogen_model::read_objects(&cfg.sql, current.default_schema.as_deref(), sql)?;
    let rendered = autogen_introspect::render_objects(db, &declared, current).await?;
    for (file, rendered) in declared.into_iter().zip(rendered) {
        let object = match rendered {
            Ok(o) => o,
            // Two homes for one index would fight: the entity's wins, the file is refused.
            Err(why) if why.starts_with(autogen_introspect::PLAIN_INDEX_IN_FILE) => {
                return Err(CliError::Usage(format!(
                    "{}: {why}",
                    file.file.as_deref().unwrap_or_default()
                )));
            }
            // New: nothing to compare it with; it is created from its file.
            Err(_) if !current.objects.values().any(|o| o.name == file.name) => file,
            Err(why) => {
                eprintln!(
                    "autogen: warning: {}: the server could not create it over the database \
                     as it is ({why}); it is planned from the file as written",
                    file.file.as_deref().unwrap_or_default()
                );
                file
            }
        };
        model.objects.insert(object.key(), object);
    }
    Ok(())
}

/// What the revisions record autogen created and dropped, in revision order: the CHECKs it
/// owns (and may drop when no entity declares them any more).
fn recorded_ownership(cfg: &Config) -> Result<Vec<autogen_diff::Owned>, CliError> {
    let dir = load_dir_or_new(cfg)?;
    let mut out = Vec::new();
    for rev in &dir.revisions {
        let text = std::fs::read_to_string(&rev.path)
            .map_err(|e| CliError::Usage(format!("{}: {e}", rev.path.display())))?;
        out.extend(autogen_migrate::recorded_ownership(&text));
    }
    Ok(out)
}

/// Asks the database which names the plan would create are already held, then settles the
/// plan on them (a held declared name is an error; a derived one moves): first the names
/// themselves, then, for those held, their alternatives.
async fn settle_names(db: &Db, plan: &mut Plan) -> Result<(), CliError> {
    use std::collections::BTreeSet;
    let claims = plan.name_claims();
    let probes: Vec<_> = claims.iter().map(|c| c.probe()).collect();
    let held = autogen_introspect::held_names(db, &probes).await?;
    let mut sets: Vec<BTreeSet<String>> = vec![BTreeSet::new(); claims.len()];
    let mut alternatives = Vec::new();
    for (i, claim) in claims.iter().enumerate() {
        if held[i] {
            sets[i].insert(claim.name.clone());
            alternatives.extend(claim.alternatives.iter().map(|a| (i, a.clone())));
        }
    }
    let probes: Vec<_> = alternatives
        .iter()
        .map(|(i, a)| claims[*i].probe_of(a))
        .collect();
    let held = autogen_introspect::held_names(db, &probes).await?;
    for ((i, name), held) in alternatives.into_iter().zip(held) {
        if held {
            sets[i].insert(name);
        }
    }
    plan.settle_names(&claims, &sets)?;
    Ok(())
}

pub(crate) fn pending<'a>(
    dir: &'a MigrationsDir,
    applied: &[String],
) -> Vec<&'a autogen_migrate::Revision> {
    dir.revisions
        .iter()
        .filter(|r| !applied.contains(&r.meta.id))
        .collect()
}

/// A new revision id: `--rev-id` where given (checked: `YYYYMMDDHHMMSS`, after its parents'
/// (the heads), not taken), else the clock's `YYYYMMDDHHMMSS`, kept above every existing id (a
/// revision must sort after its parents) even when the clock is behind.
pub(crate) fn new_revision_id(
    cfg: &Config,
    dir: &MigrationsDir,
    parents: &[String],
) -> Result<String, CliError> {
    if let Some(id) = &cfg.rev_id {
        return checked_rev_id(id, dir, parents);
    }
    let now = if cfg.local_time {
        chrono::Local::now().format("%Y%m%d%H%M%S").to_string()
    } else {
        chrono::Utc::now().format("%Y%m%d%H%M%S").to_string()
    };
    // Above every existing id, a second after the newest: an id stays a time.
    match dir
        .revisions
        .iter()
        .filter_map(|r| r.meta.id.parse::<u64>().ok().map(|n| (n, &r.meta.id)))
        .max()
    {
        Some((max, id)) if now.parse::<u64>().is_ok_and(|now| now <= max) => {
            Ok(autogen_migrate::next_id(id))
        }
        _ => Ok(now),
    }
}

fn checked_rev_id(id: &str, dir: &MigrationsDir, parents: &[String]) -> Result<String, CliError> {
    let bad = |why: String| CliError::Usage(format!("--rev-id {}: {why}", comment_text(id)));
    let is_time = id.len() == 14
        && id.bytes().all(|b| b.is_ascii_digit())
        && chrono::NaiveDateTime::parse_from_str(id, "%Y%m%d%H%M%S").is_ok();
    if !is_time {
        return Err(bad(
            "a revision id is a date and time, YYYYMMDDHHMMSS (sqlx and sea-orm-migration order \
             revisions by it)"
                .into(),
        ));
    }
    if dir.find(id).is_some() {
        return Err(bad("taken by a revision of the migrations directory".into()));
    }
    let not_after = |p: &String| match (p.parse::<u64>(), id.parse::<u64>()) {
        (Ok(p), Ok(id)) => p >= id,
        _ => p.as_str() >= id,
    };
    if let Some(p) = parents.iter().find(|p| not_after(p)) {
        return Err(bad(format!(
            "a revision must sort after its parent, and it would apply on top of {p}"
        )));
    }
    Ok(id.to_string())
}

/// The ids of the heads a new revision is written on top of.
pub(crate) fn head_ids(dir: &MigrationsDir) -> Vec<String> {
    dir.heads().iter().map(|r| r.meta.id.clone()).collect()
}
