//! Revisions on disk and what their headers record.

use autogen_schema::lexical::comment_text;
use std::path::PathBuf;

/// The migration formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Sql,
    Rust,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "sql" => Some(Format::Sql),
            "rust" => Some(Format::Rust),
            _ => None,
        }
    }

    /// `sql` or `rust`, as the configuration spells it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Sql => "sql",
            Format::Rust => "rust",
        }
    }
}

/// What a migration file records about itself; autogen reads it back from the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionMeta {
    /// `YYYYMMDDHHMMSS`: sortable, and sqlx's version number.
    pub id: String,
    /// The revisions this one applies on top of: none for the first, one usually, several for a
    /// merge (`autogen merge`).
    pub parents: Vec<String>,
    pub message: String,
    /// Findings this revision allows (`autogen allow: AG102 reason` in its header), so that a
    /// `deny` of their rule does not fail it.
    pub allow: Vec<Allowance>,
    /// The change this revision is a stage of (`autogen change: <id>` in its header): the id of
    /// the first revision one `-m` wrote, when it wrote several (transactional, online,
    /// validating). `None`: the revision is a change of its own.
    pub change: Option<String>,
    /// The dialect it was written for, and the server it was planned on (`autogen dialect:
    /// postgres (planned on PostgreSQL 15.4)` in its header): running it on another dialect is
    /// refused before anything runs. `None`: a hand-made or older revision, which says nothing.
    pub dialect: Option<String>,
}

/// A finding's rule allowed in a revision, with the reason a reviewer reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allowance {
    pub rule: autogen_diff::Rule,
    pub reason: String,
}

impl Allowance {
    /// `AG102=reason` (or `drop-column=reason`; the reason may be empty).
    pub fn parse(text: &str) -> Option<Allowance> {
        let (rule, reason) = text.split_once('=').unwrap_or((text, ""));
        Some(Allowance {
            rule: autogen_diff::Rule::parse(rule)?,
            reason: reason.trim().to_string(),
        })
    }
}

impl RevisionMeta {
    /// The dialect its header says it was written for.
    pub fn written_for(&self) -> Option<autogen_schema::Dialect> {
        let text = self.dialect.as_deref()?;
        autogen_schema::Dialect::from_url(text.split_whitespace().next()?)
    }

    /// The change this revision belongs to: relative targets, `history` and `current` count
    /// changes, not stages.
    pub fn change_id(&self) -> &str {
        self.change.as_deref().unwrap_or(&self.id)
    }

    /// The message as one line for people: escaped as comment lines are, so that a message
    /// cannot forge lines of `history`, `current` or `upgrade` output.
    pub fn message_line(&self) -> String {
        comment_text(&self.message)
    }
}

/// One migration on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    pub meta: RevisionMeta,
    /// The `.up.sql` file, or the Rust module file.
    pub path: PathBuf,
    /// The sea-orm-migration name (`m20261126_041500_slug`); the SQL file stem otherwise.
    pub name: String,
}

impl Revision {
    /// The `.down.sql` beside a SQL revision's `.up.sql` (the Rust module itself otherwise).
    pub fn down_path(&self) -> PathBuf {
        let text = self.path.to_string_lossy();
        match text.strip_suffix(".up.sql") {
            Some(stem) => PathBuf::from(format!("{stem}.down.sql")),
            None => self.path.clone(),
        }
    }
}
