//! The safety settings (`safety`, `ddl_lock_timeout`, `ddl_statement_timeout`) and the kinds of
//! revision a staged plan becomes: what renderers and the staging in `online.rs` share.

use serde::Serialize;

/// `safety` in autogen.toml, `--safety` on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Safety {
    /// Lock-friendly forms for tables that hold rows, and timeouts before their DDL.
    #[default]
    Online,
    /// The plain forms, in one revision.
    Simple,
}

impl Safety {
    pub fn parse(text: &str) -> Option<Safety> {
        match text {
            "online" => Some(Safety::Online),
            "simple" => Some(Safety::Simple),
            _ => None,
        }
    }
}

/// What the renderers need to know of the safety settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Policy {
    pub safety: Safety,
    /// The longest a DDL statement waits for its lock (`ddl_lock_timeout`, PostgreSQL's
    /// interval syntax: `5s`, `500ms`, `1min`).
    pub lock_timeout: String,
    /// The longest a DDL statement runs (`ddl_statement_timeout`).
    pub statement_timeout: String,
    /// The revisions are SQL files other runners apply too (sqlx sends a `-- no-transaction`
    /// file as one query): a statement refusing a transaction block goes alone in its file
    /// ([`crate::Body::parts`]). Off for the Rust format, which runs statement by statement.
    pub one_query_files: bool,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            safety: Safety::Online,
            lock_timeout: "5s".into(),
            statement_timeout: "1h".into(),
            one_query_files: true,
        }
    }
}

impl Policy {
    pub fn simple() -> Policy {
        Policy {
            safety: Safety::Simple,
            ..Policy::default()
        }
    }

    pub fn online(&self) -> bool {
        self.safety == Safety::Online
    }
}

/// Whether `text` is a duration PostgreSQL and autogen both read: digits, then `ms`, `s`,
/// `min`, `h` or `d` (or nothing: milliseconds).
pub fn valid_duration(text: &str) -> bool {
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && ["", "ms", "s", "min", "h", "d"].contains(&&text[digits..])
}

/// A [`valid_duration`] in milliseconds (`None`: not one, or too large to count).
pub fn duration_ms(text: &str) -> Option<u64> {
    if !valid_duration(text) {
        return None;
    }
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    let n: u64 = text[..digits].parse().ok()?;
    let unit: u64 = match &text[digits..] {
        "" | "ms" => 1,
        "s" => 1_000,
        "min" => 60_000,
        "h" => 3_600_000,
        _ => 86_400_000,
    };
    n.checked_mul(unit)
}

/// Which revision of a staged plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StageKind {
    /// Plain forms, in a transaction.
    Main,
    /// Online forms, outside a transaction, every statement idempotent.
    Online,
    /// What the online stage prepared, finished in a transaction (NOT NULL after its CHECK).
    Validate,
}
