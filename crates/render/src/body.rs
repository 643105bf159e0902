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
    /// The body as revisions every runner can apply: each statement the server refuses inside a
    /// transaction block alone in its part, the statements between them together. sqlx sends a
    /// `-- no-transaction` file as one query of several statements, which PostgreSQL runs as one
    /// implicit transaction, so `CREATE INDEX CONCURRENTLY` beside anything else fails there.
    /// Findings and ownership records stay with the first part. One part (the body itself)
    /// when nothing needs splitting, or when the body must run as one script.
    pub fn parts(&self, dialect: autogen_schema::Dialect) -> Vec<Body> {
        let refuses = |s: &str| self.alone(dialect, s);
        if self.no_transaction.is_none()
            || self.single_script
            || self.statements().filter(|s| !s.trim().is_empty()).count() < 2
            || !self.statements().any(refuses)
        {
            return vec![self.clone()];
        }
        let empty = Body {
            steps: Vec::new(),
            hazards: Vec::new(),
            ownership: Vec::new(),
            ..self.clone()
        };
        let mut parts = vec![empty.clone()];
        for step in &self.steps {
            for s in &step.statements {
                let alone = refuses(s);
                let last = parts.last().is_some_and(|p| !p.steps.is_empty());
                if last && (alone || parts.last().is_some_and(|p| p.ends_alone(dialect))) {
                    parts.push(empty.clone());
                }
                let Some(part) = parts.last_mut() else {
                    continue;
                };
                match part.steps.last_mut() {
                    Some(last) if last.describe == step.describe && !alone => {
                        last.statements.push(s.clone())
                    }
                    _ => part.steps.push(Step {
                        describe: step.describe.clone(),
                        statements: vec![s.clone()],
                        op: step.op,
                    }),
                }
            }
        }
        if let Some(first) = parts.first_mut() {
            first.hazards = self.hazards.clone();
            first.ownership = self.ownership.clone();
        }
        parts
    }

    /// Whether the body's last statement must stay alone.
    fn ends_alone(&self, dialect: autogen_schema::Dialect) -> bool {
        self.statements()
            .last()
            .is_some_and(|s| self.alone(dialect, s))
    }

    /// Whether `statement` goes in a part of its own: it refuses a transaction block anywhere,
    /// or this body runs outside one because its server refuses some of its statements in one
    /// (PostgreSQL before 12 and `ALTER TYPE … ADD VALUE`), where every statement but the
    /// session's settings (`SET`, `RESET`) is alone.
    fn alone(&self, dialect: autogen_schema::Dialect, statement: &str) -> bool {
        if dialect.sql().refuses_transaction(statement) {
            return true;
        }
        let words = autogen_schema::lexical::upper_words(statement);
        let setting = matches!(words.first().map(String::as_str), Some("SET" | "RESET"));
        matches!(self.no_transaction, Some(NoTransaction::Server(_))) && !setting
    }

    /// Every statement, in order.
    pub fn statements(&self) -> impl Iterator<Item = &str> {
        self.steps
            .iter()
            .flat_map(|s| s.statements.iter().map(String::as_str))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use autogen_schema::Dialect;

    fn body(statements: &[&str], no_transaction: Option<NoTransaction>) -> Body {
        Body {
            steps: vec![
                Step::wrapper("timeouts", vec![statements[0].to_string()]),
                Step {
                    describe: "create index i".into(),
                    statements: statements[1..].iter().map(|s| s.to_string()).collect(),
                    op: true,
                },
            ],
            hazards: Vec::new(),
            no_transaction,
            single_script: false,
            ownership: Vec::new(),
        }
    }

    fn texts(parts: &[Body]) -> Vec<Vec<&str>> {
        parts.iter().map(|p| p.statements().collect()).collect()
    }

    /// Outside a transaction because the server refuses one of its statements in one
    /// (PostgreSQL 11's `ADD VALUE`): every statement but the session settings is alone.
    #[test]
    fn a_body_the_server_keeps_out_of_a_transaction_puts_its_statements_alone() {
        let why = NoTransaction::Server("PostgreSQL 11 refuses ALTER TYPE … ADD VALUE".into());
        let b = body(
            &[
                "SET lock_timeout = '5s'",
                "ALTER TYPE t ADD VALUE 'b'",
                "RESET lock_timeout",
            ],
            Some(why),
        );
        assert_eq!(
            texts(&b.parts(Dialect::Postgres)),
            vec![
                vec!["SET lock_timeout = '5s'"],
                vec!["ALTER TYPE t ADD VALUE 'b'"],
                vec!["RESET lock_timeout"],
            ]
        );
        // In a transaction nothing is split.
        let b = body(
            &[
                "SET LOCAL lock_timeout = '5s'",
                "ALTER TYPE t ADD VALUE 'b'",
            ],
            None,
        );
        assert_eq!(b.parts(Dialect::Postgres).len(), 1);
    }

    #[test]
    fn a_statement_refusing_a_transaction_is_alone_in_its_part() {
        let online = body(
            &[
                "SET lock_timeout = '5s'",
                "DO $g$ BEGIN END $g$",
                "DROP INDEX CONCURRENTLY IF EXISTS i",
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a)",
                "RESET lock_timeout",
            ],
            Some(NoTransaction::Online),
        );
        let parts = online.parts(Dialect::Postgres);
        assert_eq!(
            texts(&parts),
            [
                vec!["SET lock_timeout = '5s'", "DO $g$ BEGIN END $g$"],
                vec!["DROP INDEX CONCURRENTLY IF EXISTS i"],
                vec!["CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a)"],
                vec!["RESET lock_timeout"],
            ]
        );
        assert!(
            parts
                .iter()
                .all(|p| p.no_transaction == online.no_transaction)
        );
        // Nothing to split: in a transaction, a single script, or no refusing statement.
        for unchanged in [
            body(
                &["SET x = 1", "CREATE INDEX i ON t (a)"],
                Some(NoTransaction::Online),
            ),
            body(&["SET x = 1", "CREATE INDEX CONCURRENTLY i ON t (a)"], None),
            Body {
                single_script: true,
                ..online.clone()
            },
        ] {
            assert_eq!(
                unchanged.parts(Dialect::Postgres),
                std::slice::from_ref(&unchanged)
            );
        }
    }
}
