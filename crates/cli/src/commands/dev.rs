//! `check --dev-url`: the drift gate that needs no database at head. On a scratch database made
//! for the run (a uniquely named database on the dev server, dropped afterwards; a file in a
//! temporary directory for SQLite), apply every revision from base, check that each one's down
//! and up round trip leaves the catalog as it was, then compare with the entities. The
//! configured database is never connected to.

use crate::args::OutputFormat;
use crate::commands::scratch::{Scratch, dev_dialect, stop_signal};
use crate::commands::seeded::{Cycle, DataCheck};
use crate::commands::seeded::{Seeding, fresh_seed};
use crate::config::Config;
use crate::context::{Against, load_dir_or_new, plan_with_sources};
use crate::error::CliError;
use crate::outcome::Outcome;
use crate::report::{emit, plan_report, plural};
use autogen_db::Db;
use autogen_migrate::{Direction, MigrationsDir, RunOptions, Target};
use autogen_render::{FindingDirection, Report};
use autogen_schema::Schema;
use std::io::Write;

/// `check`, with or without a dev server and seeded rows.
pub(crate) async fn check_command(
    out: &mut dyn Write,
    cfg: &Config,
    dev_url: Option<String>,
    format: OutputFormat,
    seed: Option<usize>,
    random_seed: Option<u64>,
) -> Result<Outcome, CliError> {
    if seed.is_none() && random_seed.is_some() {
        return Err(CliError::Usage("--random-seed goes with --seed N".into()));
    }
    let Some(url) = dev_url else {
        if seed.is_some() {
            return Err(CliError::Usage(
                "--seed needs --dev-url: seeded rows go into a scratch database, never into the configured one".into(),
            ));
        }
        return crate::commands::check::check(out, cfg, format).await;
    };
    let seeding = seed.map(|rows| Seeding {
        rows,
        random_seed: random_seed.unwrap_or_else(fresh_seed),
    });
    check_dev(out, cfg, &url, format, seeding).await
}

pub(crate) async fn check_dev(
    out: &mut dyn Write,
    cfg: &Config,
    dev_url: &str,
    format: OutputFormat,
    seeding: Option<Seeding>,
) -> Result<Outcome, CliError> {
    let dialect = dev_dialect(cfg, dev_url)?;
    let dir = load_dir_or_new(cfg)?;
    let mut report = Report::new(
        "check",
        "in_sync",
        dialect,
        cfg.policy.safety,
        String::new(),
    );
    let heads = dir.heads();
    if heads.len() > 1 {
        let ids: Vec<&str> = heads.iter().map(|r| r.meta.id.as_str()).collect();
        report.status = "forked";
        report.summary = format!(
            "the history has forked: {} are all heads; `autogen merge -m \"merge heads\"` joins them",
            ids.join(", ")
        );
        finish(out, &report, format)?;
        return Ok(Outcome::Forked);
    }
    let scratch = Scratch::create(dialect, dev_url).await?;
    let mut data = seeding.map(DataCheck::new);
    let result = tokio::select! {
        result = verify(cfg, &dir, &scratch.url, &mut report, data.as_mut()) => result,
        signal = stop_signal() => Err(CliError::Usage(format!(
            "stopped by {signal}; the scratch database was dropped"
        ))),
    };
    scratch.drop().await;
    let outcome = result?;
    finish(out, &report, format)?;
    Ok(outcome)
}

fn finish(out: &mut dyn Write, report: &Report, format: OutputFormat) -> Result<(), CliError> {
    if format == OutputFormat::Text {
        writeln!(out, "{}", report.summary_line())?;
    }
    emit(out, report, format)?;
    Ok(())
}

/// Applies every revision on the scratch database with its round trip, then compares with the
/// entities; fills `report` and says how the run ends.
async fn verify(
    cfg: &Config,
    dir: &MigrationsDir,
    url: &str,
    report: &mut Report,
    data: Option<&mut DataCheck>,
) -> Result<Outcome, CliError> {
    let db = Db::connect(url).await?;
    let outcome = verify_on(cfg, dir, url, &db, report, data).await;
    db.close().await;
    outcome
}

async fn verify_on(
    cfg: &Config,
    dir: &MigrationsDir,
    url: &str,
    db: &Db,
    report: &mut Report,
    mut data: Option<&mut DataCheck>,
) -> Result<Outcome, CliError> {
    let options = RunOptions {
        lock_timeout: cfg.lock_timeout,
        x_args: Vec::new(),
        url: url.to_string(),
        recorded_down: false,
    };
    let run = async |target: Target, direction: Direction| {
        autogen_migrate::run(db, dir, &target, direction, &options, &mut |_| {}).await
    };
    let mut before = catalog(cfg, db).await?;
    let mut catalogs = vec![before.clone()];
    // A change is the unit: the revisions one `-m` wrote (its online stages, or a stage split so
    // that each statement refusing a transaction is alone in its file) apply and revert together,
    // as `upgrade +1` and `downgrade -1` run them.
    let changes = changes(dir);
    for change in &changes {
        let (rev, last) = (&change[0], &change[change.len() - 1]);
        let id = &rev.meta.id;
        if let Some(d) = data.as_deref_mut() {
            d.before_up(db, &before).await?;
        }
        let up = run(Target::Revision(last.meta.id.clone()), Direction::Up).await;
        if let Some(o) = stopped(up, data.as_deref_mut(), rev, FindingDirection::Up, report)? {
            return Ok(o);
        }
        let after = catalog(cfg, db).await?;
        if let Some(d) = data.as_deref_mut() {
            d.after_up(db, &after, rev).await?;
        }
        let down = run(parent_target(rev), Direction::Down).await;
        if let Some(o) = stopped(
            down,
            data.as_deref_mut(),
            rev,
            FindingDirection::Down,
            report,
        )? {
            return Ok(o);
        }
        let back = catalog(cfg, db).await?;
        let mut broken = differences(&before, &back, db)?;
        let mut what = "its down migration does not restore the catalog before it";
        if broken.is_empty() {
            if let Some(d) = data.as_deref_mut() {
                d.after_down(db, &back, rev).await?;
                if !d.findings.is_empty() {
                    return Ok(data_outcome(report, d));
                }
            }
            let again = run(Target::Revision(last.meta.id.clone()), Direction::Up).await;
            if let Some(o) = stopped(
                again,
                data.as_deref_mut(),
                rev,
                FindingDirection::Up,
                report,
            )? {
                return Ok(o);
            }
            broken = differences(&catalog(cfg, db).await?, &after, db)?;
            what = "applied again after its down migration, it leaves a different catalog";
        }
        if !broken.is_empty() {
            report.status = "round_trip";
            let whose = match change.len() {
                1 => format!("revision {id}"),
                n => format!("change {id} ({n} revisions)"),
            };
            report.summary = format!("{whose} does not round-trip: {what}");
            report.notes = broken;
            return Ok(Outcome::RoundTrip);
        }
        if let Some(d) = data.as_deref_mut()
            && !d.findings.is_empty()
        {
            return Ok(data_outcome(report, d));
        }
        before = after;
        catalogs.push(before.clone());
    }
    if let Some(d) = data.as_deref_mut() {
        let ctx = Cycle {
            cfg,
            dir,
            db,
            catalogs: &catalogs,
            changes: &changes,
        };
        let mut step = async |change: &[autogen_migrate::Revision], up: bool| {
            let (target, direction) = if up {
                let last = &change[change.len() - 1];
                (Target::Revision(last.meta.id.clone()), Direction::Up)
            } else {
                (parent_target(&change[0]), Direction::Down)
            };
            run(target, direction)
                .await
                .map(drop)
                .map_err(|e| e.to_string())
        };
        d.cycle(&ctx, &mut step).await?;
        if !d.findings.is_empty() {
            return Ok(data_outcome(report, d));
        }
    }
    compare_with_entities(cfg, dir, url, db, report, data.as_deref()).await
}

/// The revisions in order, grouped by the change they are stages of.
fn changes(dir: &MigrationsDir) -> Vec<&[autogen_migrate::Revision]> {
    dir.revisions
        .chunk_by(|a, b| a.meta.change_id() == b.meta.change_id())
        .collect()
}

/// Down to the revision `rev` applies on top of (base for the first).
fn parent_target(rev: &autogen_migrate::Revision) -> Target {
    match rev.meta.parents.first() {
        Some(parent) => Target::Revision(parent.clone()),
        None => Target::Base,
    }
}

/// How a revision's run ends the check, if it does: an error does, reported as a finding (exit
/// 6) when rows were seeded (the revision cannot run over them), returned otherwise.
fn stopped<T>(
    result: Result<T, autogen_migrate::MigrateError>,
    data: Option<&mut DataCheck>,
    rev: &autogen_migrate::Revision,
    direction: FindingDirection,
    report: &mut Report,
) -> Result<Option<Outcome>, CliError> {
    match (result, data) {
        (Ok(_), _) => Ok(None),
        (Err(e), Some(d)) => {
            d.failed(rev, direction, &e.to_string());
            Ok(Some(data_outcome(report, d)))
        }
        (Err(e), None) => Err(e.into()),
    }
}

/// The report of a seeded run that found values changed: exit 6.
fn data_outcome(report: &mut Report, d: &mut DataCheck) -> Outcome {
    let first = d.findings.first();
    report.status = "data_changed";
    report.summary = match first {
        Some(f) => format!(
            "revision {} does not keep the seeded data: {}",
            f.revision.as_deref().unwrap_or("?"),
            f.hazard.message
        ),
        None => "the seeded data changed".into(),
    };
    report.notes = seed_notes(d);
    report.findings = std::mem::take(&mut d.findings);
    Outcome::DataChanged
}

/// What a seeded run says whatever its outcome: the seed that replays it, and what it could
/// not seed or removed.
fn seed_notes(d: &DataCheck) -> Vec<String> {
    let s = d.seeding.random_seed;
    let mut notes = vec![format!(
        "random seed: {s} (`--random-seed {s}` replays this run)"
    )];
    notes.extend(d.notes.iter().cloned());
    notes
}

/// After every revision applied from base: the entities against what the migrations built.
async fn compare_with_entities(
    cfg: &Config,
    dir: &MigrationsDir,
    url: &str,
    db: &Db,
    report: &mut Report,
    data: Option<&DataCheck>,
) -> Result<Outcome, CliError> {
    let n = dir.revisions.len();
    let mut applied = format!(
        "{n} revision{} applied from base on a scratch {} database, each rolled back and applied again",
        plural(n),
        db.dialect().sql().name()
    );
    if let Some(d) = data {
        let n = d.inserted();
        applied.push_str(&format!(
            ", over {} seeded row{} per table before each and at head ({n} row{} in all), then downgraded to base and upgraded to head; every value kept",
            d.seeding.rows,
            plural(d.seeding.rows),
            plural(n)
        ));
    }
    let mut scratch_cfg = cfg.clone();
    scratch_cfg.database_url = url.to_string();
    let (plan, sources) = plan_with_sources(&scratch_cfg, db, Against::Scratch).await?;
    let mut plan_report = plan_report(cfg, "check", &plan, Some(&sources), &[])?;
    plan_report.notes.push(applied);
    if let Some(d) = data {
        plan_report.notes.extend(seed_notes(d));
    }
    // The revisions' own findings count too: a denied one fails the gate unless allowed.
    for rev in &dir.revisions {
        let found = crate::commands::lint::revision_findings(cfg, dir, rev, db.dialect())?;
        plan_report
            .findings
            .extend(found.into_iter().filter(|f| f.denied));
    }
    let (status, outcome) = if !plan.is_empty() {
        ("drift", Outcome::Drift)
    } else if plan_report.denied() {
        ("denied", Outcome::Denied)
    } else {
        ("in_sync", Outcome::Success)
    };
    plan_report.status = status;
    plan_report.summary = match outcome {
        Outcome::Success => "in sync: the migrations build what the entities declare".into(),
        _ => format!(
            "the entities differ from what the migrations build; `autogen -m <message>` would write {}",
            plan_report.summary
        ),
    };
    *report = plan_report;
    Ok(outcome)
}

async fn catalog(cfg: &Config, db: &Db) -> Result<Schema, CliError> {
    let mut schema = autogen_introspect::introspect_schemas(db, &cfg.schemas).await?;
    schema.tables.retain(|name, _| !cfg.is_excluded(name));
    Ok(schema)
}

/// What would turn `a` into `b`, one line per operation (nothing when they are the same).
fn differences(a: &Schema, b: &Schema, db: &Db) -> Result<Vec<String>, CliError> {
    let plan = autogen_diff::diff(a, b, db.profile())?;
    Ok(plan.ops.iter().map(|op| op.describe()).collect())
}
