//! `embed!("migrations")`: a SQL-format migrations directory (relative to the crate's
//! `Cargo.toml`) compiled into the application. Each file is included with `include_str!`, so
//! an edited file rebuilds the application; a file added to the directory is seen when the
//! crate is rebuilt, which `cargo:rerun-if-changed=<dir>` in the application's `build.rs`
//! makes happen (as with sqlx's `migrate!`).

use proc_macro::{TokenStream, TokenTree};
use std::path::PathBuf;

#[proc_macro]
pub fn embed(input: TokenStream) -> TokenStream {
    let code = match expand(input) {
        Ok(code) => code,
        Err(message) => format!("::core::compile_error!({message:?})"),
    };
    code.parse().unwrap_or_default()
}

fn expand(input: TokenStream) -> Result<String, String> {
    let dir = literal(input)?;
    let root = std::env::var("CARGO_MANIFEST_DIR")
        .map_err(|_| "embed!: CARGO_MANIFEST_DIR is not set (run through cargo)".to_string())?;
    let path = PathBuf::from(root).join(&dir);
    let entries = std::fs::read_dir(&path).map_err(|e| {
        format!(
            "embed!: cannot read the migrations directory {}: {e}",
            path.display()
        )
    })?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| format!("embed!: {}: {e}", path.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".sql") && entry.path().is_file() {
            files.push((name, entry.path().to_string_lossy().into_owned()));
        }
    }
    files.sort();
    let list: Vec<String> = files
        .iter()
        .map(|(name, file)| format!("({name:?}, ::core::include_str!({file:?}))"))
        .collect();
    Ok(format!(
        "::autogen_runtime::Migrations::from_files({dir:?}, &[{}])",
        list.join(", ")
    ))
}

/// The one plain string literal the macro takes.
fn literal(input: TokenStream) -> Result<String, String> {
    let mut tokens: Vec<TokenTree> = Vec::new();
    for t in input {
        match t {
            // A literal passed through another macro arrives in an invisible group.
            TokenTree::Group(g) if g.delimiter() == proc_macro::Delimiter::None => {
                tokens.extend(g.stream())
            }
            other => tokens.push(other),
        }
    }
    let usage = "embed! takes one string literal: the migrations directory, relative to Cargo.toml";
    match tokens.as_slice() {
        [TokenTree::Literal(l)] => {
            let text = l.to_string();
            text.strip_prefix('"')
                .and_then(|t| t.strip_suffix('"'))
                .filter(|t| !t.contains('\\'))
                .map(str::to_string)
                .ok_or_else(|| usage.to_string())
        }
        _ => Err(usage.to_string()),
    }
}
