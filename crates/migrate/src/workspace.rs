//! Where a Rust-format migration crate sits among the application's Cargo manifests: the
//! workspace it joins (as `cargo new` does, by adding itself to `members`) and the target
//! directory it builds into, so that it fits a SeaORM application's usual layout (the
//! application's workspace listing `migration` as a member) instead of fighting it.

use crate::dir::write_atomic;
use crate::error::{MigrateError, Result, io};
use std::path::{Path, PathBuf};

/// The Cargo workspace enclosing a crate directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workspace {
    /// The workspace root's `Cargo.toml`.
    pub manifest: PathBuf,
    /// The crate's path relative to the root, `/`-separated, as `members` spells it.
    pub relative: String,
    /// Whether `members` lists (or a glob of it matches) the crate.
    pub member: bool,
    /// Whether `exclude` lists it: then it is a root of its own.
    pub excluded: bool,
}

/// The nearest ancestor of `crate_dir` whose `Cargo.toml` has a `[workspace]` table (cargo's
/// own search), with whether it already counts the crate in.
pub fn enclosing_workspace(crate_dir: &Path) -> Result<Option<Workspace>> {
    let crate_dir = std::path::absolute(crate_dir).map_err(io(crate_dir))?;
    for root in crate_dir.ancestors().skip(1) {
        let manifest = root.join("Cargo.toml");
        let Ok(text) = std::fs::read_to_string(&manifest) else {
            continue;
        };
        let doc: toml_edit::DocumentMut = text.parse().map_err(|e| bad_manifest(&manifest, e))?;
        let Some(ws) = doc.get("workspace").and_then(|w| w.as_table_like()) else {
            continue;
        };
        let relative = crate_dir
            .strip_prefix(root)
            .unwrap_or(&crate_dir)
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        let listed = |key: &str| {
            ws.get(key).and_then(|v| v.as_array()).is_some_and(|a| {
                a.iter()
                    .any(|p| p.as_str().is_some_and(|p| glob(p, &relative)))
            })
        };
        return Ok(Some(Workspace {
            member: listed("members"),
            excluded: listed("exclude"),
            manifest,
            relative,
        }));
    }
    Ok(None)
}

/// Adds the crate to its workspace's `members`, keeping the manifest's formatting and comments.
/// Returns the manifest when it changed.
pub fn join(ws: &Workspace) -> Result<Option<PathBuf>> {
    if ws.member || ws.excluded {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&ws.manifest).map_err(io(&ws.manifest))?;
    let mut doc: toml_edit::DocumentMut =
        text.parse().map_err(|e| bad_manifest(&ws.manifest, e))?;
    let members = doc["workspace"]
        .as_table_like_mut()
        .and_then(|t| {
            t.entry("members")
                .or_insert(toml_edit::value(toml_edit::Array::new()))
                .as_array_mut()
        })
        .ok_or_else(|| MigrateError::Cargo(format!(
            "{}: `workspace.members` is not an array, so the migration crate cannot join it; add \"{}\" to it by hand",
            ws.manifest.display(),
            ws.relative
        )))?;
    members.push(ws.relative.as_str());
    write_atomic(&ws.manifest, &doc.to_string())?;
    Ok(Some(ws.manifest.clone()))
}

/// Where cargo builds the crate when autogen.toml names no directory: a workspace member builds
/// into its workspace's `target` (cargo's default); a crate inside an application package that
/// has no workspace builds into that package's `target`, not a second one of its own.
pub fn default_target_dir(crate_dir: &Path) -> Option<PathBuf> {
    if enclosing_workspace(crate_dir).ok().flatten().is_some() {
        return None;
    }
    let crate_dir = std::path::absolute(crate_dir).ok()?;
    crate_dir
        .ancestors()
        .skip(1)
        .find(|d| d.join("Cargo.toml").is_file())
        .map(|d| d.join("target"))
}

fn bad_manifest(path: &Path, e: impl std::fmt::Display) -> MigrateError {
    MigrateError::Cargo(format!("{} is not valid TOML: {e}", path.display()))
}

/// Cargo's member globs: `*` within a path component, `?` one character.
fn glob(pattern: &str, path: &str) -> bool {
    let pattern = pattern.trim_end_matches('/').trim_start_matches("./");
    let pattern: Vec<&str> = pattern.split('/').collect();
    let path: Vec<&str> = path.split('/').collect();
    pattern.len() == path.len()
        && pattern
            .iter()
            .zip(&path)
            .all(|(p, s)| wildcard(p.as_bytes(), s.as_bytes()))
}

fn wildcard(p: &[u8], s: &[u8]) -> bool {
    match (p.first(), s.first()) {
        (None, None) => true,
        (Some(b'*'), _) => wildcard(&p[1..], s) || (!s.is_empty() && wildcard(p, &s[1..])),
        (Some(b'?'), Some(_)) => wildcard(&p[1..], &s[1..]),
        (Some(a), Some(b)) if a == b => wildcard(&p[1..], &s[1..]),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_globs_match_as_cargo_reads_them() {
        assert!(glob("migration", "migration"));
        assert!(glob("./migration/", "migration"));
        assert!(glob("crates/*", "crates/migration"));
        assert!(glob("crates/mig*", "crates/migration"));
        assert!(!glob("crates/*", "migration"));
        assert!(!glob("*", "crates/migration"));
        assert!(!glob("migrations", "migration"));
    }

    #[test]
    fn a_crate_joins_its_workspace_once_keeping_the_manifest() {
        let root = tempfile::tempdir().expect("tempdir");
        let manifest = root.path().join("Cargo.toml");
        let app = "# the app\n[workspace]\nmembers = [\".\"] # keep\n\n[package]\nname = \"app\"\n";
        std::fs::write(&manifest, app).expect("write");
        let crate_dir = root.path().join("migration");
        let ws = enclosing_workspace(&crate_dir)
            .expect("read")
            .expect("a workspace");
        assert_eq!((ws.relative.as_str(), ws.member), ("migration", false));
        assert_eq!(join(&ws).expect("join"), Some(manifest.clone()));
        let text = std::fs::read_to_string(&manifest).expect("read");
        assert!(text.starts_with("# the app\n"), "{text}");
        assert!(
            text.contains("members = [\".\", \"migration\"] # keep"),
            "{text}"
        );
        let again = enclosing_workspace(&crate_dir)
            .expect("read")
            .expect("a workspace");
        assert!(again.member);
        assert_eq!(join(&again).expect("join"), None);
        assert_eq!(default_target_dir(&crate_dir), None);
    }

    #[test]
    fn a_crate_inside_a_package_without_a_workspace_builds_into_its_target() {
        let root = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            root.path().join("Cargo.toml"),
            "[package]\nname = \"app\"\n",
        )
        .expect("w");
        let crate_dir = root.path().join("migration");
        assert_eq!(enclosing_workspace(&crate_dir).expect("read"), None);
        assert_eq!(
            default_target_dir(&crate_dir),
            Some(
                std::path::absolute(root.path())
                    .expect("abs")
                    .join("target")
            )
        );
    }
}
