use std::process::ExitCode;

/// Exit codes: 0 success, 1 `check` found drift, 2 error (usage, entity, database, migration).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Drift,
    Error,
}

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> ExitCode {
        match o {
            Outcome::Success => ExitCode::SUCCESS,
            Outcome::Drift => ExitCode::from(1),
            Outcome::Error => ExitCode::from(2),
        }
    }
}
