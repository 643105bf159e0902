//! Rust revisions: the migration crate is built and run with sea-orm-migration's CLI, as
//! sea-orm-cli does (`cargo run -- up -n N`), while autogen holds the migration lock.

use crate::dir::MigrationsDir;
use crate::error::{MigrateError, Result, io};
use crate::options::RunOptions;
use crate::revision::{Format, Revision};
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
    let mut cmd = cargo(dir);
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
        Err(cargo_failed(
            dir,
            &autogen_db::redact_in(&stderr, &options.url),
        ))
    }
}

/// cargo, for the migration crate: built into autogen.toml's `cargo_target_dir`, else into the
/// application's target directory (see [`crate::default_target_dir`]).
fn cargo(dir: &MigrationsDir) -> tokio::process::Command {
    let program = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = tokio::process::Command::new(program);
    let target = dir
        .cargo_target_dir
        .clone()
        .or_else(|| crate::workspace::default_target_dir(&dir.path));
    if let Some(target) = target {
        cmd.env("CARGO_TARGET_DIR", target);
    }
    cmd
}

/// Builds the migration crate before anything takes the migration lock (a first build takes a
/// minute or two, which no other deploy should wait on). When cargo starts compiling, `notice`
/// hears what is being built and, at the end, how long it took; a crate that is up to date
/// says nothing.
pub async fn build(dir: &MigrationsDir, notice: &mut dyn FnMut(&str)) -> Result<()> {
    use tokio::io::AsyncBufReadExt as _;
    if dir.format != Format::Rust || dir.revisions.is_empty() {
        return Ok(());
    }
    let manifest = dir.path.join("Cargo.toml");
    let mut child = cargo(dir)
        .arg("build")
        .arg("--manifest-path")
        .arg(&manifest)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(io(&manifest))?;
    let started = std::time::Instant::now();
    let mut compiled = false;
    let mut log = String::new();
    if let Some(stderr) = child.stderr.take() {
        let mut lines = tokio::io::BufReader::new(stderr).lines();
        while let Some(line) = lines.next_line().await.map_err(io(&manifest))? {
            if !compiled && line.trim_start().starts_with("Compiling") {
                compiled = true;
                notice(&format!(
                    "building the migration crate {} with cargo (a first build takes a minute or two)",
                    manifest.display()
                ));
            }
            log.push_str(&line);
            log.push('\n');
        }
    }
    let status = child.wait().await.map_err(io(&manifest))?;
    if !status.success() {
        return Err(cargo_failed(dir, &log));
    }
    if compiled {
        notice(&format!(
            "built the migration crate in {:.1} s",
            started.elapsed().as_secs_f64()
        ));
    }
    Ok(())
}

/// cargo's failure, with the way out when it is one autogen knows.
fn cargo_failed(dir: &MigrationsDir, stderr: &str) -> MigrateError {
    let manifest = dir.path.join("Cargo.toml");
    let advice = if stderr.contains("multiple workspace roots") {
        format!(
            "\n{} declares a `[workspace]` of its own (crates autogen wrote before it joined \
             application workspaces did): delete that table and add the crate to the application's \
             `workspace.members`",
            manifest.display()
        )
    } else if stderr.contains("believes it's in a workspace when it's not") {
        format!(
            "\nadd {} to the application's `workspace.members` (or `exclude`)",
            dir.path.display()
        )
    } else {
        String::new()
    };
    MigrateError::Cargo(format!("{}{advice}", stderr.trim_end()))
}
