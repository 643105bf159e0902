//! What a migration says, before it is a file: the statements of each step, the hazards, and
//! why it must run outside a transaction. `migrate` writes it into the revision file format.

use autogen_diff::Hazard;

/// One operation's statements (or a step the whole file needs, such as SQLite's rebuild wrapper).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// One line for people (`create table fees`); written as a comment, escaped.
    pub describe: String,
    pub statements: Vec<String>,
    /// Whether the step is a plan operation (not a wrapper step around them).
    pub op: bool,
}

impl Step {
    /// A step around the plan's operations.
    pub(crate) fn wrapper(describe: &str, statements: Vec<String>) -> Step {
        Step {
            describe: describe.to_string(),
            statements,
            op: false,
        }
    }
}

/// Why a migration runs outside the runner's transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoTransaction {
    /// The server refuses a statement of the plan in a transaction (the reason, for the file).
    Server(String),
    /// A statement refuses a transaction block everywhere (`CREATE INDEX CONCURRENTLY`,
    /// SQLite's `PRAGMA foreign_keys`).
    Statement,
    /// The online stage of a plan (`safety = "online"`): each statement commits on its own, so
    /// no lock outlives one statement, and each is idempotent, so a rerun after a failure is safe.
    Online,
}

/// A migration's body in one direction.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Body {
    pub steps: Vec<Step>,
    pub hazards: Vec<Hazard>,
    pub no_transaction: Option<NoTransaction>,
    /// The statements must run as one script on one connection (SQLite's rebuild turns foreign
    /// keys off for its connection and opens its own transaction).
    pub single_script: bool,
    /// What the body creates and drops of the objects autogen drops only when it owns them
    /// (its revision's header records it).
    pub ownership: Vec<autogen_diff::Owned>,
}

impl Body {
    /// Every statement, in order.
    pub fn statements(&self) -> impl Iterator<Item = &str> {
        self.steps
            .iter()
            .flat_map(|s| s.statements.iter().map(String::as_str))
    }
}
