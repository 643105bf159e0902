//! The Rust-format crate's startup entry point, `migration::autogen::up`: what the crate needs
//! for it (a `build.rs` compiling in the modules' checksums, `src/autogen.rs` taking autogen's
//! lock, their dependencies), written beside the crate's own files. The templates are real Rust
//! under `crates/migrate/templates/` (the lock per dialect under `crates/runtime/templates/`,
//! beside the sessions that take the same lock), so that a reader (and rustfmt) sees them as code.

use crate::dir::write_atomic;
use crate::error::{MigrateError, Result, io};
use autogen_schema::Dialect;
use std::path::{Path, PathBuf};

const BUILD_RS: &str = include_str!("../templates/build.rs");
const CANONICAL_TOKENS: &str = include_str!("../templates/canonical_tokens.rs");
const AUTOGEN_RS: &str = include_str!("../templates/autogen.rs");

/// `src/autogen.rs` for `dialect`.
pub(crate) fn autogen_module(dialect: Dialect) -> String {
    AUTOGEN_RS.replace(
        "// LOCK\n",
        autogen_runtime::internal::crate_lock_module(dialect),
    )
}

/// Writes `build.rs` and `src/autogen.rs` (autogen's: rewritten each time) into the crate at
/// `path` and adds what they use to its `Cargo.toml` (sha2 and proc-macro2 to build with,
/// tokio's timer). Returns the files written. The crate's `lib.rs` declares `pub mod autogen;`
/// when `src/autogen.rs` exists.
pub(crate) fn write_startup(path: &Path, dialect: Dialect) -> Result<Vec<PathBuf>> {
    let manifest = path.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).map_err(io(&manifest))?;
    let mut doc: toml_edit::DocumentMut = text.parse().map_err(|e| {
        MigrateError::Cargo(format!("{} is not valid TOML: {e}", manifest.display()))
    })?;
    let build = doc
        .entry("build-dependencies")
        .or_insert(toml_edit::table())
        .as_table_like_mut();
    if let Some(build) = build {
        for (name, version) in [("proc-macro2", "1"), ("sha2", "0.10")] {
            if !build.contains_key(name) {
                build.insert(name, toml_edit::value(version));
            }
        }
    }
    let features = doc
        .get_mut("dependencies")
        .and_then(|d| d.get_mut("tokio"))
        .and_then(|t| t.as_table_like_mut())
        .and_then(|t| t.get_mut("features"))
        .and_then(|f| f.as_array_mut());
    if let Some(features) = features
        && !features.iter().any(|f| f.as_str() == Some("time"))
    {
        features.push("time");
    }
    let mut written = Vec::new();
    if doc.to_string() != text {
        write_atomic(&manifest, &doc.to_string())?;
        written.push(manifest);
    }
    for (file, contents) in [
        (
            path.join("build.rs"),
            format!("{BUILD_RS}\n{CANONICAL_TOKENS}"),
        ),
        (path.join("src/autogen.rs"), autogen_module(dialect)),
    ] {
        if std::fs::read_to_string(&file).ok().as_deref() != Some(contents.as_str()) {
            write_atomic(&file, &contents)?;
            written.push(file);
        }
    }
    Ok(written)
}
