//! `check --dev-url --seed N`: rows in every table before each revision, and every value held
//! to what the revision may change. Up: every value of a column that exists before and after
//! (a renamed one under its new name) is unchanged, read as the new type reads it; only a drop
//! is exempt. Down: everything is as before the up, except the values of what the up dropped.
//! Then the cycle — `downgrade base`, `upgrade head`, a revision at a time — over the rows later
//! revisions allowed, judged the same way; where a down restores a NOT NULL (AG202) or removes
//! enum values (AG205) and its revision declares that finding, the rows it cannot take are
//! removed first and reported.

use crate::commands::lint::revision_findings;
use crate::config::Config;
use crate::error::CliError;
use autogen_db::Db;
use autogen_diff::{Hazard, Rule};
use autogen_migrate::seed::{self, Rules, Seeder, Snapshot, Violation};
use autogen_migrate::{MigrationsDir, Revision};
use autogen_render::{Finding, FindingDirection};
use autogen_schema::Schema;

/// `--seed N` and the random seed of the run.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Seeding {
    pub rows: usize,
    pub random_seed: u64,
}

/// A random seed for a run that was given none: the clock and the process.
pub(crate) fn fresh_seed() -> u64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    (now.as_nanos() as u64) ^ (u64::from(std::process::id()) << 32)
}

/// The data side of one seeded run.
pub(crate) struct DataCheck {
    seeder: Seeder,
    pub seeding: Seeding,
    /// Before the current revision's up: its values.
    before: Snapshot,
    /// What the current revision's up dropped.
    dropped: seed::compare::Dropped,
    /// Findings: the values a revision changed.
    pub findings: Vec<Finding>,
    /// For people: tables not fully seeded, rows removed before a down.
    pub notes: Vec<String>,
}

impl DataCheck {
    pub(crate) fn new(seeding: Seeding) -> DataCheck {
        DataCheck {
            seeder: Seeder::new(seeding.random_seed, seeding.rows),
            seeding,
            before: Snapshot::default(),
            dropped: Default::default(),
            findings: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Seeds the tables of `schema` and reads every value: the state the next up starts from.
    pub(crate) async fn before_up(&mut self, db: &Db, schema: &Schema) -> Result<(), CliError> {
        self.seed(db, schema).await;
        self.before = read(db, schema).await?;
        Ok(())
    }

    /// Inserts the rows; what could not be inserted is a note (once, whichever round).
    async fn seed(&mut self, db: &Db, schema: &Schema) {
        for note in self.seeder.seed(db, schema).await {
            if !self.notes.contains(&note) {
                self.notes.push(note);
            }
        }
    }

    /// After `rev`'s up: the values it changed.
    pub(crate) async fn after_up(
        &mut self,
        db: &Db,
        schema: &Schema,
        rev: &Revision,
    ) -> Result<(), CliError> {
        let after = read(db, schema).await?;
        let (found, dropped) = seed::compare(&self.before, &after, Rules::up());
        self.dropped = dropped;
        self.record(rev, FindingDirection::Up, found, "");
        Ok(())
    }

    /// After `rev`'s down: what is not as before its up.
    pub(crate) async fn after_down(
        &mut self,
        db: &Db,
        schema: &Schema,
        rev: &Revision,
    ) -> Result<(), CliError> {
        let back = read(db, schema).await?;
        let (found, _) = seed::compare(&self.before, &back, Rules::restores(&self.dropped));
        self.record(rev, FindingDirection::Down, found, "");
        Ok(())
    }

    /// A revision that could not run over the seeded rows.
    pub(crate) fn failed(&mut self, rev: &Revision, direction: FindingDirection, error: &str) {
        let way = match direction {
            FindingDirection::Up => "up",
            FindingDirection::Down => "down",
        };
        let hazard = Hazard::new(
            Rule::DataChanged,
            format!("its {way} migration fails over the seeded rows: {error}"),
        );
        self.push(rev, direction, hazard);
    }

    fn record(
        &mut self,
        rev: &Revision,
        direction: FindingDirection,
        found: Vec<Violation>,
        when: &str,
    ) {
        let rule = match direction {
            FindingDirection::Up => Rule::DataChanged,
            FindingDirection::Down => Rule::DataNotRestored,
        };
        // A rewrite on purpose (AG601), or a revision declared irreversible (AG602).
        if rev.meta.allow.iter().any(|a| a.rule == rule) {
            return;
        }
        for v in found {
            let mut hazard = Hazard::new(rule, format!("{}{when}", v.describe()));
            hazard.table = Some(v.table.clone());
            hazard.column = v.column.clone();
            self.push(rev, direction, hazard);
        }
    }

    fn push(&mut self, rev: &Revision, direction: FindingDirection, hazard: Hazard) {
        let mut finding = Finding::new(hazard, direction);
        finding.revision = Some(rev.meta.id.clone());
        finding.file = Some(rev.path.display().to_string());
        // Exit 6 says it; `denied` is for rules a `deny` lists.
        finding.denied = false;
        self.findings.push(finding);
    }

    /// Rows inserted so far, in every table.
    pub(crate) fn inserted(&self) -> usize {
        self.seeder.inserted
    }

    /// `downgrade base`, then `upgrade head`, a change at a time, over the rows every change
    /// was seeded with and rows seeded at head (what the last change allowed). `catalogs[i]` is
    /// the catalog before change `i`.
    pub(crate) async fn cycle(
        &mut self,
        ctx: &Cycle<'_>,
        run: &mut impl AsyncFnMut(&[Revision], bool) -> Result<(), String>,
    ) -> Result<(), CliError> {
        if let Some(head) = ctx.catalogs.last() {
            self.seed(ctx.db, head).await;
        }
        for (i, change) in ctx.changes.iter().enumerate().rev() {
            let rev = &change[0];
            let current = &ctx.catalogs[i + 1];
            let target = &ctx.catalogs[i];
            if declares_down(ctx, change, current, target)? {
                let removed = seed::remove_unaccepted(ctx.db, current, target).await;
                self.notes.extend(
                    removed
                        .into_iter()
                        .map(|n| format!("before revision {}'s down: {n}", rev.meta.id)),
                );
            }
            let before = read(ctx.db, current).await?;
            if let Err(e) = run(change, false).await {
                let e = format!("{e} (in the cycle: downgrade base)");
                self.failed(rev, FindingDirection::Down, &e);
                return Ok(());
            }
            let after = read(ctx.db, target).await?;
            let (found, _) = seed::compare(&before, &after, Rules::cycle_down());
            let when = " (in the cycle: downgrade base)";
            self.record(rev, FindingDirection::Down, found, when);
        }
        for (i, change) in ctx.changes.iter().enumerate() {
            let rev = &change[0];
            let before = read(ctx.db, &ctx.catalogs[i]).await?;
            if let Err(e) = run(change, true).await {
                let e = format!("{e} (in the cycle: upgrade head)");
                self.failed(rev, FindingDirection::Up, &e);
                return Ok(());
            }
            let after = read(ctx.db, &ctx.catalogs[i + 1]).await?;
            let (found, _) = seed::compare(&before, &after, Rules::up());
            self.record(
                rev,
                FindingDirection::Up,
                found,
                " (in the cycle: upgrade head)",
            );
        }
        Ok(())
    }
}

/// What the cycle runs over.
pub(crate) struct Cycle<'a> {
    pub cfg: &'a Config,
    pub dir: &'a MigrationsDir,
    pub db: &'a Db,
    pub catalogs: &'a [Schema],
    /// The revisions, grouped by change.
    pub changes: &'a [&'a [Revision]],
}

/// Whether `rev`'s down declares that it cannot take some rows — a NOT NULL it restores
/// (AG202) or enum values it removes (AG205) — in its file, or as autogen's review of the
/// change from `current` back to `target` reports it.
fn declares_down(
    ctx: &Cycle,
    change: &[Revision],
    current: &Schema,
    target: &Schema,
) -> Result<bool, CliError> {
    let declared = |rule: Rule| matches!(rule, Rule::NotNullOnNulls | Rule::RemoveEnumValues);
    let reviewed = autogen_diff::diff(current, target, ctx.db.profile())?;
    if reviewed.hazards().iter().any(|h| declared(h.rule)) {
        return Ok(true);
    }
    for rev in change {
        let found = revision_findings(ctx.cfg, ctx.dir, rev, ctx.db.dialect())?;
        if found
            .iter()
            .any(|f| f.direction == FindingDirection::Down && declared(f.hazard.rule))
        {
            return Ok(true);
        }
    }
    Ok(false)
}

async fn read(db: &Db, schema: &Schema) -> Result<Snapshot, CliError> {
    seed::snapshot(db, schema).await.map_err(|e| {
        CliError::Usage(format!(
            "cannot read the seeded rows back: {}",
            autogen_db::error_text(&e)
        ))
    })
}
