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
    for f in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "sql"))
    {
        let text = std::fs::read_to_string(f).expect("read");
        let mut cmd = std::process::Command::new("squawk");
        cmd.args(["--reporter", "json", "--pg-version", pg_version]);
        if !text.starts_with("-- no-transaction") {
            cmd.arg("--assume-in-transaction");
        }
        let out = cmd.arg(f).output().expect("run squawk");
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
