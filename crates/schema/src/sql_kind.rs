//! The kinds of object autogen carries as SQL files, and what each one's kind decides: the
//! words SQL names it by, its directory, and where a plan puts it.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The kinds of replaceable object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SqlKind {
    /// PostgreSQL's composite and range types (`CREATE TYPE … AS (…)`, `… AS RANGE (…)`):
    /// first in the order, since columns and routines are of them.
    Type,
    /// PostgreSQL's collations (`CREATE COLLATION … (provider = icu, …)`): before the tables,
    /// whose columns may sort by one.
    Collation,
    /// PostgreSQL's text search parsers and templates (`CREATE TEXT SEARCH PARSER p (START = …,
    /// GETTOKEN = …, END = …, LEXTYPES = …)`, `… TEMPLATE t (LEXIZE = …)`): after the functions
    /// they are made of, before the configurations and dictionaries made of them.
    TextSearchParser,
    TextSearchTemplate,
    /// PostgreSQL's text search dictionaries (`CREATE TEXT SEARCH DICTIONARY d (TEMPLATE = …,
    /// …)`): before the configurations that map tokens to them.
    TextSearchDictionary,
    /// PostgreSQL's text search configurations (`CREATE TEXT SEARCH CONFIGURATION c (PARSER =
    /// …)`, then an `ALTER … ADD MAPPING FOR …` per token type): before the tables, whose
    /// generated columns and indexes may name one (`to_tsvector('english_unaccent', body)`).
    TextSearchConfiguration,
    /// MariaDB's sequences (`CREATE SEQUENCE …`, read with `SHOW CREATE SEQUENCE`).
    Sequence,
    Function,
    Procedure,
    Aggregate,
    View,
    MaterializedView,
    Trigger,
    /// PostgreSQL's rewrite rules (`CREATE RULE … AS ON INSERT TO t DO INSTEAD …`).
    Rule,
    /// An index of a materialized view, or one of a table that no entity can declare.
    Index,
    /// PostgreSQL's exclusion constraints (`ALTER TABLE t ADD CONSTRAINT c EXCLUDE …`).
    Exclusion,
    /// PostgreSQL's UNIQUE and foreign key constraints an entity cannot declare
    /// (`ALTER TABLE t ADD CONSTRAINT c UNIQUE NULLS NOT DISTINCT …`, `… DEFERRABLE`,
    /// `… FOREIGN KEY … MATCH FULL`, `… ON DELETE SET NULL (a)`).
    Constraint,
    /// PostgreSQL's row-level security policies (`CREATE POLICY … ON t …`).
    Policy,
    /// MySQL's scheduled events (`CREATE EVENT … ON SCHEDULE … DO …`).
    Event,
    /// PostgreSQL's extended statistics (`CREATE STATISTICS … ON a, b FROM t`).
    Statistics,
    /// SQLite's virtual tables (`CREATE VIRTUAL TABLE notes USING fts5(body)`): its module makes
    /// its shadow tables; made before the tables, whose triggers may write to it.
    VirtualTable,
    /// PostgreSQL's comment on what an entity declares but cannot comment (`COMMENT ON INDEX i
    /// IS '…'`, a sequence, an enum type or domain, a constraint): set after the tables, dropped
    /// by setting it `NULL`. Other objects' comments are part of their own files.
    Comment,
}

impl SqlKind {
    pub const ALL: [SqlKind; 22] = [
        SqlKind::Type,
        SqlKind::Collation,
        SqlKind::TextSearchParser,
        SqlKind::TextSearchTemplate,
        SqlKind::TextSearchDictionary,
        SqlKind::TextSearchConfiguration,
        SqlKind::Sequence,
        SqlKind::Function,
        SqlKind::Procedure,
        SqlKind::Aggregate,
        SqlKind::View,
        SqlKind::MaterializedView,
        SqlKind::Trigger,
        SqlKind::Rule,
        SqlKind::Index,
        SqlKind::Exclusion,
        SqlKind::Constraint,
        SqlKind::Policy,
        SqlKind::Event,
        SqlKind::Statistics,
        SqlKind::VirtualTable,
        SqlKind::Comment,
    ];

    /// The words SQL names it by (`MATERIALIZED VIEW`).
    pub fn sql(self) -> &'static str {
        match self {
            SqlKind::Type => "TYPE",
            SqlKind::Collation => "COLLATION",
            SqlKind::TextSearchParser => "TEXT SEARCH PARSER",
            SqlKind::TextSearchTemplate => "TEXT SEARCH TEMPLATE",
            SqlKind::TextSearchDictionary => "TEXT SEARCH DICTIONARY",
            SqlKind::TextSearchConfiguration => "TEXT SEARCH CONFIGURATION",
            SqlKind::Sequence => "SEQUENCE",
            SqlKind::Function => "FUNCTION",
            SqlKind::Procedure => "PROCEDURE",
            SqlKind::Aggregate => "AGGREGATE",
            SqlKind::View => "VIEW",
            SqlKind::MaterializedView => "MATERIALIZED VIEW",
            SqlKind::Trigger => "TRIGGER",
            SqlKind::Rule => "RULE",
            SqlKind::Index => "INDEX",
            SqlKind::Exclusion | SqlKind::Constraint => "CONSTRAINT",
            SqlKind::Policy => "POLICY",
            SqlKind::Event => "EVENT",
            SqlKind::Statistics => "STATISTICS",
            SqlKind::VirtualTable => "VIRTUAL TABLE",
            SqlKind::Comment => "COMMENT",
        }
    }

    /// `materialized view`: how plans, keys and ownership records name it.
    pub fn word(self) -> &'static str {
        match self {
            SqlKind::Type => "type",
            SqlKind::Collation => "collation",
            SqlKind::TextSearchParser => "text search parser",
            SqlKind::TextSearchTemplate => "text search template",
            SqlKind::TextSearchDictionary => "text search dictionary",
            SqlKind::TextSearchConfiguration => "text search configuration",
            SqlKind::Sequence => "sequence",
            SqlKind::Function => "function",
            SqlKind::Procedure => "procedure",
            SqlKind::Aggregate => "aggregate",
            SqlKind::View => "view",
            SqlKind::MaterializedView => "materialized view",
            SqlKind::Trigger => "trigger",
            SqlKind::Rule => "rule",
            SqlKind::Index => "index",
            SqlKind::Exclusion => "exclusion constraint",
            SqlKind::Constraint => "constraint",
            SqlKind::Policy => "policy",
            SqlKind::Event => "event",
            SqlKind::Statistics => "statistics",
            SqlKind::VirtualTable => "virtual table",
            SqlKind::Comment => "comment",
        }
    }

    /// The directory its files go in (`materialized_views`).
    pub fn dir(self) -> &'static str {
        match self {
            SqlKind::Type => "types",
            SqlKind::Collation => "collations",
            SqlKind::TextSearchParser => "text_search_parsers",
            SqlKind::TextSearchTemplate => "text_search_templates",
            SqlKind::TextSearchDictionary => "text_search_dictionaries",
            SqlKind::TextSearchConfiguration => "text_search_configurations",
            SqlKind::Sequence => "sequences",
            SqlKind::Function => "functions",
            SqlKind::Procedure => "procedures",
            SqlKind::Aggregate => "aggregates",
            SqlKind::View => "views",
            SqlKind::MaterializedView => "materialized_views",
            SqlKind::Trigger => "triggers",
            SqlKind::Rule => "rules",
            SqlKind::Index => "indexes",
            SqlKind::Exclusion => "exclusion_constraints",
            SqlKind::Constraint => "constraints",
            SqlKind::Policy => "policies",
            SqlKind::Event => "events",
            SqlKind::Statistics => "statistics",
            SqlKind::VirtualTable => "virtual_tables",
            SqlKind::Comment => "comments",
        }
    }

    pub fn from_word(word: &str) -> Option<SqlKind> {
        SqlKind::ALL.into_iter().find(|k| k.word() == word)
    }

    /// A routine: called, not read; replaced in place (`CREATE OR REPLACE`) so that what calls
    /// it (defaults, triggers) need not go.
    pub fn routine(self) -> bool {
        matches!(
            self,
            SqlKind::Function | SqlKind::Procedure | SqlKind::Aggregate
        )
    }

    /// What columns are of (types), sort by (collations), draw from (sequences) or are
    /// searched with (text search configurations and their dictionaries, which the server
    /// records as what an index or generated column depends on): neither replaced nor dropped
    /// and made again under them, so a change to one is refused.
    pub fn under_columns(self) -> bool {
        matches!(
            self,
            SqlKind::Type
                | SqlKind::Collation
                | SqlKind::Sequence
                | SqlKind::TextSearchParser
                | SqlKind::TextSearchTemplate
                | SqlKind::TextSearchDictionary
                | SqlKind::TextSearchConfiguration
        )
    }

    /// A table's constraint (`ALTER TABLE t ADD CONSTRAINT c …`, dropped with `ALTER TABLE t
    /// DROP CONSTRAINT c`): exclusion constraints and the UNIQUEs and foreign keys an entity
    /// cannot declare.
    pub fn table_constraint(self) -> bool {
        matches!(self, SqlKind::Exclusion | SqlKind::Constraint)
    }

    /// Made before the tables and dropped after them: what columns and defaults may be of or
    /// call (types, collations, sequences; routines that read no table), and SQLite's virtual
    /// tables, which a table's trigger may write to.
    pub fn before_tables(self) -> bool {
        self.routine() || self.under_columns() || self == SqlKind::VirtualTable
    }

    /// Built by `CREATE INDEX` on a table (or materialized view): an index in staging and
    /// findings (built and dropped `CONCURRENTLY` online, blocking its table's writes
    /// otherwise), dropped from its table where the dialect says so (`DROP INDEX i ON t`).
    pub fn builds_index(self) -> bool {
        self == SqlKind::Index
    }

    /// Lives on a table (and goes with it): an index or a table's constraint.
    pub fn on_table(self) -> bool {
        self.builds_index() || self.table_constraint()
    }

    /// A relation with rows of its own (a materialized view): what is built on one the same
    /// plan creates blocks nobody, as on a new table.
    pub fn holds_rows(self) -> bool {
        self == SqlKind::MaterializedView
    }

    /// Shares its names with tables and with the other relations (views and materialized
    /// views): a declared one replaces the database's of the same name whatever its kind.
    pub fn relation(self) -> bool {
        matches!(self, SqlKind::View | SqlKind::MaterializedView)
    }

    /// Holds nothing but words (a comment): setting or clearing one is harmless.
    pub fn annotation(self) -> bool {
        self == SqlKind::Comment
    }

    /// What a column is of: dropping it fails while a column still uses it (AG103).
    pub fn column_type(self) -> bool {
        self == SqlKind::Type
    }

    /// Kept with the session's SQL mode it was made under (MySQL stores one with each
    /// routine, trigger and event; a view keeps none).
    pub fn keeps_sql_mode(self) -> bool {
        self != SqlKind::View
    }

    /// A sequence: where the dialect has sequences of its own (PostgreSQL) it is declared on an
    /// entity (`sequence = "…"`, or a column's `nextval` default), not in a file.
    pub fn sequence(self) -> bool {
        self == SqlKind::Sequence
    }

    /// How to change one by hand, for a kind autogen refuses to change ([`Self::under_columns`]).
    pub fn changed_by_hand(self) -> &'static str {
        match self {
            SqlKind::Type => "ALTER TYPE … ADD ATTRIBUTE, … ALTER ATTRIBUTE …",
            SqlKind::Sequence => "ALTER SEQUENCE …",
            SqlKind::TextSearchParser | SqlKind::TextSearchTemplate => {
                "CREATE TEXT SEARCH … of a new name, then ALTER what uses it, then DROP the old"
            }
            SqlKind::TextSearchDictionary => "ALTER TEXT SEARCH DICTIONARY … (option = …)",
            SqlKind::TextSearchConfiguration => {
                "ALTER TEXT SEARCH CONFIGURATION … ADD|ALTER|DROP MAPPING FOR …"
            }
            _ => "CREATE COLLATION of a new name, then ALTER COLUMN … TYPE … COLLATE it",
        }
    }
}

impl fmt::Display for SqlKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}
