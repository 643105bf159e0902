//! The rules a finding is reported under: a stable id (`AG102`), a name (`drop-column`), a
//! severity, the kind of harm, and what squawk and Atlas call the same thing. Ids never change
//! meaning and are never reused: `deny`, revision allowances and CI configurations name them.

use serde::{Serialize, Serializer};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HazardKind {
    /// Rows or values are destroyed.
    DataLoss,
    /// May fail on existing data (NOT NULL on NULLs, UNIQUE on duplicates, narrowing a type).
    MayFail,
    /// Takes a lock that blocks writes (or reads) while it runs.
    Locks,
    /// Code that still uses the old name breaks.
    BreaksClients,
    /// Cannot run inside a transaction block, or the down migration rebuilds something.
    Irreversible,
    /// What it does is not known: autogen could not read it.
    Unknown,
}

impl fmt::Display for HazardKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            HazardKind::DataLoss => "data loss",
            HazardKind::MayFail => "may fail",
            HazardKind::Locks => "locks",
            HazardKind::BreaksClients => "breaks clients",
            HazardKind::Irreversible => "irreversible",
            HazardKind::Unknown => "unknown",
        })
    }
}

/// How bad a finding is. Failing a run is `deny`'s decision, not the severity's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Data is destroyed.
    Error,
    /// It may fail, lock, or break clients.
    Warning,
    /// Worth knowing; nothing goes wrong by itself.
    Notice,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Notice => "notice",
        })
    }
}

macro_rules! rules {
    ($($variant:ident = $id:literal, $name:literal, $kind:ident, $squawk:literal, $atlas:literal, $fix:literal;)*) => {
        /// A finding's rule. See the README's rule table.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule { $($variant),* }

        impl Rule {
            /// Every rule, in id order.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];

            /// The stable id, `AG102`.
            pub fn id(self) -> &'static str {
                match self { $(Rule::$variant => $id),* }
            }

            /// The name, `drop-column`.
            pub fn name(self) -> &'static str {
                match self { $(Rule::$variant => $name),* }
            }

            pub fn kind(self) -> HazardKind {
                match self { $(Rule::$variant => HazardKind::$kind),* }
            }

            /// squawk's rule of the same meaning, if it has one.
            pub fn squawk(self) -> Option<&'static str> {
                match self { $(Rule::$variant => Some($squawk).filter(|s: &&str| !s.is_empty())),* }
            }

            /// Atlas's analyzer code of the same meaning, if it has one.
            pub fn atlas(self) -> Option<&'static str> {
                match self { $(Rule::$variant => Some($atlas).filter(|s: &&str| !s.is_empty())),* }
            }

            /// What to do instead, or how to make it safe.
            pub fn fix(self) -> &'static str {
                match self { $(Rule::$variant => $fix),* }
            }
        }
    };
}

rules! {
    DropTable = "AG101", "drop-table", DataLoss, "ban-drop-table", "DS102",
        "Back the data up first, or rename the table now and drop it in a later release.";
    DropColumn = "AG102", "drop-column", DataLoss, "ban-drop-column", "DS103",
        "Stop reading and writing the column in one release; drop it in a later one.";
    DropType = "AG103", "drop-type", DataLoss, "", "",
        "Make sure no column or function uses the type any more.";
    DropSequence = "AG104", "drop-sequence", DataLoss, "", "",
        "Keep the sequence if anything still draws from it.";
    DropDomain = "AG105", "drop-domain", MayFail, "", "",
        "Move the columns that use it to its base type first.";
    DropExtension = "AG106", "drop-extension", MayFail, "", "",
        "Drop what uses the extension first, or keep it.";
    AddRequiredColumn = "AG201", "add-required-column", MayFail, "adding-required-field", "MF103",
        "Give the column a default, or add it nullable, backfill it, then make it NOT NULL.";
    NotNullOnNulls = "AG202", "not-null-on-nulls", MayFail, "", "MF104",
        "Backfill the NULLs before this migration runs.";
    ChangeColumnType = "AG203", "change-column-type", MayFail, "changing-column-type", "",
        "Add a column of the new type, backfill it, switch readers and writers, then drop the old one.";
    UniqueOnDuplicates = "AG204", "unique-on-duplicates", MayFail, "", "MF101",
        "Remove the duplicates before this migration runs.";
    RemoveEnumValues = "AG205", "remove-enum-values", MayFail, "", "",
        "Move the rows off the removed values first.";
    PrimaryKeyChange = "AG206", "primary-key-change", MayFail, "", "",
        "Build a unique index concurrently first, then switch the key to it.";
    BlockingIndexBuild = "AG301", "blocking-index-build", Locks, "require-concurrent-index-creation", "PG101",
        "safety = \"online\" builds it CONCURRENTLY in a revision of its own.";
    BlockingIndexDrop = "AG302", "blocking-index-drop", Locks, "require-concurrent-index-deletion", "",
        "safety = \"online\" drops it CONCURRENTLY in a revision of its own.";
    NotNullScan = "AG303", "not-null-scan", Locks, "adding-not-nullable-field", "",
        "safety = \"online\" (PostgreSQL 12+) proves it with a CHECK … NOT VALID, validated before SET NOT NULL.";
    BlockingUnique = "AG304", "blocking-unique", Locks, "disallowed-unique-constraint", "",
        "safety = \"online\" builds a unique index CONCURRENTLY, then adds the constraint USING INDEX.";
    ValidatingConstraint = "AG305", "validating-constraint", Locks, "adding-foreign-key-constraint", "",
        "safety = \"online\" adds it NOT VALID, then validates it in a separate transaction.";
    TableRebuild = "AG306", "table-rebuild", Locks, "", "",
        "Run it when the table is quiet; SQLite cannot change the table in place.";
    TableCopy = "AG307", "table-copy", Locks, "", "",
        "Run it when the table is quiet, or with an online schema-change tool (gh-ost, pt-online-schema-change).";
    MissingLockTimeout = "AG308", "missing-lock-timeout", Locks, "require-lock-timeout", "",
        "SET lock_timeout before DDL on a busy table (safety = \"online\" writes it).";
    MissingStatementTimeout = "AG309", "missing-statement-timeout", Locks, "require-statement-timeout", "",
        "SET statement_timeout before DDL on a busy table (safety = \"online\" writes it).";
    RenameTable = "AG401", "rename-table", BreaksClients, "renaming-table", "BC101",
        "Deploy code that reads both names first, or create a view under the old name.";
    RenameColumn = "AG402", "rename-column", BreaksClients, "renaming-column", "BC102",
        "Add the new column, write both, backfill, switch readers, then drop the old one.";
    DropConstraint = "AG403", "drop-constraint", BreaksClients, "ban-drop-constraint", "",
        "Make sure no client relies on the guarantee the constraint gave.";
    DropPrimaryKey = "AG404", "drop-primary-key", BreaksClients, "", "",
        "Make sure nothing relies on rows being unique by the key.";
    DropObject = "AG405", "drop-object", BreaksClients, "", "",
        "Make sure no query, caller or client uses the view, routine or trigger any more.";
    IrreversibleEnumValue = "AG501", "irreversible-enum-value", Irreversible, "", "",
        "Use the new value only after the migration committed; roll back only while no row holds it.";
    NonRobustStatement = "AG502", "non-robust-statement", Irreversible, "prefer-robust-stmts", "",
        "Outside a transaction, write IF [NOT] EXISTS so that a rerun after a failure succeeds.";
    TransactionNesting = "AG503", "transaction-nesting", Irreversible, "transaction-nesting", "",
        "Remove BEGIN/COMMIT: autogen runs each revision in its own transaction.";
    UnparsedStatement = "AG504", "unparsed-statement", Unknown, "", "",
        "autogen could not read this statement, so no rule judged it: review it by hand, then allow it in the revision's header (`-- autogen allow: AG504 reviewed`).";
    DataChanged = "AG601", "data-changed", DataLoss, "", "",
        "Keep the values: a type that holds them all, a USING that converts without loss, or a new column beside the old. A rewrite on purpose is allowed in the header (`-- autogen allow: AG601 <why>`).";
    DataNotRestored = "AG602", "data-not-restored", Irreversible, "", "",
        "Make the down migration undo the up's data changes, or declare the revision irreversible (`-- autogen irreversible: <why>`).";
}

impl Rule {
    pub fn severity(self) -> Severity {
        match self.kind() {
            HazardKind::DataLoss => Severity::Error,
            HazardKind::MayFail
            | HazardKind::Locks
            | HazardKind::BreaksClients
            | HazardKind::Unknown => Severity::Warning,
            HazardKind::Irreversible => Severity::Notice,
        }
    }

    /// The rule whose id or name is `text` (`AG102`, `ag102` or `drop-column`).
    pub fn parse(text: &str) -> Option<Rule> {
        let text = text.trim();
        Rule::ALL
            .iter()
            .copied()
            .find(|r| r.id().eq_ignore_ascii_case(text) || r.name() == text)
    }

    /// Whether the online form of an operation removes this hazard.
    pub fn solved_online(self) -> bool {
        matches!(
            self,
            Rule::BlockingIndexBuild
                | Rule::BlockingIndexDrop
                | Rule::NotNullScan
                | Rule::BlockingUnique
                | Rule::ValidatingConstraint
                | Rule::MissingLockTimeout
                | Rule::MissingStatementTimeout
        )
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.id(), self.name())
    }
}

impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_names_are_unique_and_parse_back() {
        let mut ids = std::collections::BTreeSet::new();
        let mut names = std::collections::BTreeSet::new();
        for r in Rule::ALL {
            assert!(ids.insert(r.id()), "{} twice", r.id());
            assert!(names.insert(r.name()), "{} twice", r.name());
            assert_eq!(Rule::parse(r.id()), Some(*r));
            assert_eq!(Rule::parse(&r.id().to_lowercase()), Some(*r));
            assert_eq!(Rule::parse(r.name()), Some(*r));
            assert!(r.id().starts_with("AG") && r.id().len() == 5);
        }
        assert_eq!(Rule::parse("AG999"), None);
    }
}
