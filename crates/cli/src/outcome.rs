use std::process::ExitCode;

/// Exit codes: 0 success, 1 `check` found drift, 2 error (usage, entity, database, migration);
/// `check --dev-url` also 3 (a revision does not round-trip), 4 (the history forked), and
/// `-m`, `check` and `lint` 5 (a denied finding); `check --dev-url --seed` 6 (a revision changed
/// or lost seeded values it should have kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Drift,
    Error,
    RoundTrip,
    Forked,
    Denied,
    DataChanged,
}

impl Outcome {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            Outcome::Success => 0,
            Outcome::Drift => 1,
            Outcome::Error => 2,
            Outcome::RoundTrip => 3,
            Outcome::Forked => 4,
            Outcome::Denied => 5,
            Outcome::DataChanged => 6,
        }
    }
}

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> ExitCode {
        ExitCode::from(o.code())
    }
}
