//! Where a run goes, and which way.

/// Where to go, relative to what is applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The single head (an error when the history has forked).
    Head,
    /// Every head.
    Heads,
    Base,
    /// `+N` / `-N`: N revisions from what is applied.
    Relative(i64),
    /// A revision id or a unique prefix of one.
    Revision(String),
    /// `REV+N` / `REV-N`: N revisions after (before) a revision.
    FromRevision(String, i64),
}

impl Target {
    pub fn parse(s: &str) -> Target {
        match s {
            "head" => return Target::Head,
            "heads" => return Target::Heads,
            "base" => return Target::Base,
            _ => {}
        }
        if let Some(i) = s.rfind(['+', '-'])
            && let Ok(n) = s[i..].parse::<i64>()
            && s[i + 1..].chars().all(|c| c.is_ascii_digit())
        {
            return match &s[..i] {
                "" => Target::Relative(n),
                rev => Target::FromRevision(rev.to_string(), n),
            };
        }
        Target::Revision(s.to_string())
    }
}

pub use autogen_runtime::Direction;
