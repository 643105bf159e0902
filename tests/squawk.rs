//! squawk (PyPI `squawk-cli`), a real PostgreSQL migration linter, as an oracle for the
//! revisions autogen writes.

use std::path::PathBuf;

/// squawk's rules that have a safe form autogen writes under `online`.
pub const SAFE_FORM_RULES: &[&str] = &[
    "require-concurrent-index-creation",
    "require-concurrent-index-deletion",
    "constraint-missing-not-valid",
    "adding-foreign-key-constraint",
    "adding-not-nullable-field",
    "adding-field-with-default",
    "disallowed-unique-constraint",
    "require-lock-timeout",
    "require-statement-timeout",
    "prefer-robust-stmts",
];

/// squawk 2.70's rule names for the files, each run as autogen runs it: with
/// `--assume-in-transaction` unless the file is marked `-- no-transaction`. `None` when squawk
/// is not installed (an error under CI).
pub fn squawk(files: &[PathBuf], pg_version: &str) -> Option<Vec<String>> {
    let probe = std::process::Command::new("squawk")
        .arg("--version")
        .output();
    if probe.is_err() {
        assert!(
            std::env::var_os("CI").is_none(),
            "squawk is required under CI (.ci/run installs squawk-cli)"
        );
        eprintln!("SKIPPED: squawk is not installed (pip install squawk-cli==2.70.0)");
        return None;
    }
    let mut rules = Vec::new();
    let scratch = tempfile::tempdir().expect("temp dir");
    for (label, text) in scripts(files) {
        let f = scratch.path().join(&label);
        std::fs::write(&f, &text).expect("write script");
        let mut cmd = std::process::Command::new("squawk");
        cmd.args(["--reporter", "json", "--pg-version", pg_version]);
        if !text.starts_with("-- no-transaction") {
            cmd.arg("--assume-in-transaction");
        }
        let out = cmd.arg(&f).output().expect("run squawk");
        let json: serde_json::Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("squawk json: {e}"));
        for v in json.as_array().into_iter().flatten() {
            if let Some(rule) = v.get("rule_name").and_then(|r| r.as_str()) {
                rules.push(format!(
                    "{rule} {}",
                    f.file_name().unwrap().to_string_lossy()
                ));
            }
        }
    }
    Some(rules)
}

/// The scripts as they run: a stage written as several revisions (`…_online_2_of_4.up.sql`, so
/// that each statement refusing a transaction block is alone in its file) runs on one
/// connection, its first part's `SET lock_timeout` holding for the rest, so its parts are judged
/// as one script, named after the first.
fn scripts(files: &[PathBuf]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut groups: std::collections::HashMap<String, usize> = Default::default();
    for f in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "sql"))
    {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(f).expect("read");
        // `<id>_<slug>_<n>_of_<m>.<up|down>.sql` → (`<slug> <up|down>`, direction)
        let key = name.split_once('_').and_then(|(_, rest)| {
            let (stem, direction) = rest.strip_suffix(".sql")?.rsplit_once('.')?;
            let (slug, count) = stem.rsplit_once("_of_")?;
            count.parse::<u32>().ok()?;
            let (slug, _n) = slug.rsplit_once('_')?;
            Some((format!("{slug} {direction}"), direction == "down"))
        });
        match key {
            Some((key, down)) if groups.contains_key(&key) => {
                let script = &mut out[groups[&key]].1;
                // Reverting runs the last part's down first.
                *script = match down {
                    true => format!("{text}\n{script}"),
                    false => format!("{script}\n{text}"),
                };
            }
            Some((key, _)) => {
                groups.insert(key, out.len());
                out.push((name, text));
            }
            None => out.push((name, text)),
        }
    }
    out
}

pub fn with_safe_form(rules: &[String]) -> Vec<&String> {
    rules
        .iter()
        .filter(|r| {
            SAFE_FORM_RULES
                .iter()
                .any(|s| r.starts_with(&format!("{s} ")))
        })
        .collect()
}
