//! Rust revisions: the migration crate is built and run with sea-orm-migration's CLI, as
//! sea-orm-cli does (`cargo run -- up -n N`), while autogen holds the migration lock.

use crate::dir::MigrationsDir;
use crate::error::{MigrateError, Result, io};
use crate::options::RunOptions;
use crate::revision::Revision;
use crate::target::Direction;
use std::collections::BTreeSet;

/// sea-orm-migration applies pending revisions in `lib.rs` order and reverts the newest applied
/// first, so the steps autogen chose must be exactly those; otherwise say what to do instead.
pub(crate) async fn run_steps(
    dir: &MigrationsDir,
    applied: &BTreeSet<String>,
    steps: &[&Revision],
    direction: Direction,
    options: &RunOptions,
) -> Result<()> {
    if steps.is_empty() {
        return Ok(());
    }
    let mut candidates: Vec<&Revision> = dir
        .revisions
        .iter()
        .filter(|r| applied.contains(&r.meta.id) == (direction == Direction::Down))
        .collect();
    if direction == Direction::Down {
        candidates.reverse();
    }
    let in_order = candidates
        .iter()
        .zip(steps)
        .all(|(a, b)| a.meta.id == b.meta.id);
    if !in_order {
        return Err(MigrateError::Target(format!(
            "sea-orm-migration runs Rust revisions in lib.rs order, so it cannot move to this target \
             without also moving {}; choose a target along that order (`heads`, `+N`, `-N`)",
            candidates[0].meta.id
        )));
    }
    let command = match direction {
        Direction::Up => "up",
        Direction::Down => "down",
    };
    let manifest = dir.path.join("Cargo.toml");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = tokio::process::Command::new(cargo);
    if let Some(target) = &dir.cargo_target_dir {
        cmd.env("CARGO_TARGET_DIR", target);
    }
    for (key, value) in &options.x_args {
        cmd.env(autogen_render::x_arg_env(key), value);
    }
    let output = cmd
        .arg("run")
        .arg("--quiet")
        .arg("--manifest-path")
        .arg(&manifest)
        .arg("--")
        .arg(command)
        .arg("-n")
        .arg(steps.len().to_string())
        .env("DATABASE_URL", &options.url)
        .output()
        .await
        .map_err(io(&manifest))?;
    if output.status.success() {
        Ok(())
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        Err(MigrateError::Cargo(autogen_db::redact_in(
            &stderr,
            &options.url,
        )))
    }
}
