//! Replaceable objects: composite and range types, collations, sequences (MariaDB's), views,
//! materialized views, functions, procedures, aggregates, triggers, rules, indexes no entity can
//! declare, exclusion constraints, row-level security policies, events and extended statistics. Each is one
//! CREATE statement, kept as a SQL file beside the entities and compared
//! by the server's own rendering of it (never by a normaliser of SQL text written here).

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

pub use crate::sql_kind::SqlKind;

/// One replaceable object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SqlObject {
    pub kind: SqlKind,
    /// Its name, keyed as tables are (with its schema outside the connection's own).
    pub name: String,
    /// Routines: the argument types as the server prints them (`integer, text`), part of the
    /// identity (overloads are different objects).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arguments: Option<String>,
    /// Triggers: the table it is on (its key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// The CREATE statement as the server renders it: what is compared.
    pub definition: String,
    /// The statement that creates it: the file's text on the model side, the server's
    /// rendering on the database side.
    pub source: String,
    /// Keys of the objects it needs (a view it reads, a trigger's function).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub depends_on: BTreeSet<String>,
    /// Tables it reads, with the columns it reads (none listed: the table as a whole). A change
    /// to one of them drops it before and recreates it after.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub reads: BTreeMap<String, BTreeSet<String>>,
    /// Database side: an autogen revision created it (or an adoption baseline recorded it).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub owned: bool,
    /// Model side: the file that declares it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

impl SqlObject {
    /// An object of one statement, `sql`, which both creates it and is what is compared (a
    /// catalog's rendering, or a file's text until the server renders it); nothing known yet
    /// of what it depends on.
    pub fn from_statement(
        kind: SqlKind,
        name: String,
        arguments: Option<String>,
        table: Option<String>,
        sql: String,
    ) -> SqlObject {
        SqlObject {
            kind,
            name,
            arguments,
            table,
            definition: sql.clone(),
            source: sql,
            depends_on: BTreeSet::new(),
            reads: BTreeMap::new(),
            owned: false,
            file: None,
        }
    }

    /// Its identity: `view v`, `function f(integer)`, `trigger t on users`.
    pub fn key(&self) -> String {
        object_key(
            self.kind,
            &self.name,
            self.arguments.as_deref(),
            self.table.as_deref(),
        )
    }

    /// What a plan calls it: `f(integer)`, `t on users`, `v`.
    pub fn label(&self) -> String {
        match (&self.arguments, &self.table) {
            (Some(a), _) => format!("{}({a})", self.name),
            (None, Some(t)) => format!("{} on {t}", self.name),
            (None, None) => self.name.clone(),
        }
    }

    /// Whether a change to column `column` of `table` (None: to the table as a whole) touches
    /// what this object reads.
    pub fn reads_column(&self, table: &str, column: Option<&str>) -> bool {
        match (self.reads.get(table), column) {
            (None, _) => false,
            (Some(cols), Some(c)) => cols.is_empty() || cols.contains(c),
            (Some(_), None) => true,
        }
    }

    /// What `DROP` and PostgreSQL's `COMMENT ON` name it by: `VIEW "v"`, `FUNCTION "f"(integer)`,
    /// `TRIGGER "t" ON "users"`, `CONSTRAINT "c" ON "t"` (`on_table`: the dialect names a
    /// trigger's table with it; an index is named alone), names quoted by `quote`.
    pub fn target(&self, quote: &dyn Fn(&str) -> String, on_table: bool) -> String {
        let name = |key: &str| crate::lexical::quoted_key(key, quote);
        let mut out = format!("{} {}", self.kind.sql(), name(&self.name));
        if let Some(a) = &self.arguments {
            out.push_str(&format!("({a})"));
        }
        if let (Some(t), true) = (&self.table, on_table && self.kind != SqlKind::Index) {
            out.push_str(&format!(" ON {}", name(t)));
        }
        out
    }

    /// `DROP VIEW "v"`, `DROP FUNCTION "f"(integer)`, `DROP TRIGGER "t" ON "users"`,
    /// `ALTER TABLE "t" DROP CONSTRAINT "c"` (see [`target`](Self::target)).
    pub fn drop_sql(&self, quote: &dyn Fn(&str) -> String, on_table: bool) -> String {
        if self.kind == SqlKind::VirtualTable {
            return format!(
                "DROP TABLE {}",
                crate::lexical::quoted_key(&self.name, quote)
            );
        }
        if self.kind == SqlKind::Comment {
            let target = comment_target(&self.definition).unwrap_or_default();
            return format!("{target} IS NULL");
        }
        if let (true, Some(t)) = (self.kind.table_constraint(), &self.table) {
            let table = crate::lexical::quoted_key(t, quote);
            return format!("ALTER TABLE {table} DROP CONSTRAINT {}", quote(&self.name));
        }
        format!("DROP {}", self.target(quote, on_table))
    }

    /// Appends PostgreSQL's `COMMENT ON <what> IS '<text>'` to its statement (`what`: its
    /// [`target`](Self::target), or a view's `COLUMN "v"."c"`), as pg_dump writes it after it.
    pub fn add_comment(&mut self, what: &str, text: &str) {
        let comment = format!(
            "{COMMENT_HEAD}{what} IS {}",
            crate::lexical::quote_string(text)
        );
        self.definition.push_str(&comment);
        self.source.push_str(&comment);
    }

    /// Its definition without the comments set after it: the one statement that makes it.
    pub fn statement(&self) -> &str {
        self.definition
            .split(COMMENT_HEAD)
            .next()
            .unwrap_or_default()
    }

    /// The `COMMENT ON …` statements set after its statement, each whole.
    pub fn comment_statements(&self) -> Vec<String> {
        self.definition
            .split(COMMENT_HEAD)
            .skip(1)
            .map(|c| format!("COMMENT ON {}", c.trim_end().trim_end_matches(';')))
            .collect()
    }

    /// Whether the database's object has a comment ([`add_comment`](Self::add_comment)).
    pub fn commented(&self) -> bool {
        self.definition.contains(COMMENT_HEAD)
    }

    /// The source as a statement that replaces the object in place (`CREATE OR REPLACE …`).
    pub fn replacing_source(&self) -> String {
        or_replace(&self.source)
    }
}

/// What separates an object's statement from a comment on it.
const COMMENT_HEAD: &str = ";\nCOMMENT ON ";

/// The key of an object: `view v`, `function f(integer)`, `trigger t on users`.
pub fn object_key(
    kind: SqlKind,
    name: &str,
    arguments: Option<&str>,
    table: Option<&str>,
) -> String {
    match (arguments, table) {
        (Some(a), _) => format!("{} {name}({a})", kind.word()),
        (None, Some(t)) => format!("{} {name} on {t}", kind.word()),
        (None, None) => format!("{} {name}", kind.word()),
    }
}

/// What a CREATE statement's head says: the kind, the (unqualified when in `default_schema`)
/// name, and for a trigger its table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub kind: SqlKind,
    pub name: String,
    pub table: Option<String>,
    /// Routines: the argument list as written.
    pub arguments: Option<String>,
}

/// The tokens of SQL text that matter to a statement's head: words, quoted identifiers and
/// punctuation, comments and string literals skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Word(String),
    Quoted(String),
    Punct(char),
}

/// `backslash`: a backslash escapes the next character of a string literal (MySQL's default).
fn tokens(text: &str, limit: usize, backslash: bool) -> Vec<(usize, Token)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() && out.len() < limit {
        let (at, c) = chars[i];
        let next = chars.get(i + 1).map(|(_, c)| *c);
        if c.is_whitespace() {
            i += 1;
        } else if c == '-' && next == Some('-') {
            while i < chars.len() && chars[i].1 != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i].1 == '*' && chars[i + 1].1 == '/') {
                i += 1;
            }
            i += 2;
        } else if matches!(c, '"' | '`' | '[') {
            let close = if c == '[' { ']' } else { c };
            let mut s = String::new();
            i += 1;
            while i < chars.len() {
                if chars[i].1 == close {
                    if chars.get(i + 1).map(|(_, c)| *c) == Some(close) && close != ']' {
                        s.push(close);
                        i += 2;
                        continue;
                    }
                    break;
                }
                s.push(chars[i].1);
                i += 1;
            }
            i += 1;
            out.push((at, Token::Quoted(s)));
        } else if c == '\'' {
            i += 1;
            while i < chars.len() {
                if backslash && chars[i].1 == '\\' {
                    i += 2;
                    continue;
                }
                if chars[i].1 == '\'' {
                    if chars.get(i + 1).map(|(_, c)| *c) == Some('\'') {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i += 1;
            }
            i += 1;
        } else if c.is_alphanumeric() || c == '_' || c == '$' {
            let mut s = String::new();
            while i < chars.len()
                && (chars[i].1.is_alphanumeric() || matches!(chars[i].1, '_' | '$'))
            {
                s.push(chars[i].1);
                i += 1;
            }
            out.push((at, Token::Word(s)));
        } else {
            out.push((at, Token::Punct(c)));
            i += 1;
        }
    }
    out
}

/// The names a statement holds (comments and string literals aside): what the servers that
/// record no dependencies (MySQL, SQLite) tell a statement's dependencies by.
pub struct References {
    /// Every word and quoted name, lower-cased.
    pub words: BTreeSet<String>,
    /// `prefix.name` pairs, as written: a column qualified by its table (or an alias).
    pub qualified: Vec<(String, String)>,
}

/// The names in `sql`; `backslash`: a backslash escapes in string literals (MySQL).
pub fn references(sql: &str, backslash: bool) -> References {
    let mut words = BTreeSet::new();
    let mut qualified = Vec::new();
    let toks = tokens(sql, usize::MAX, backslash);
    let name = |i: usize| match toks.get(i) {
        Some((_, Token::Word(w) | Token::Quoted(w))) => Some(w),
        _ => None,
    };
    for i in 0..toks.len() {
        let Some(n) = name(i) else {
            continue;
        };
        words.insert(n.to_lowercase());
        if let (Some((_, Token::Punct('.'))), Some(column)) = (toks.get(i + 1), name(i + 2)) {
            qualified.push((n.clone(), column.clone()));
        }
    }
    References { words, qualified }
}

/// A leading `SET …;` before the CREATE statement (MySQL's `SET sql_mode = '…';`, which
/// mysqldump writes before each routine and trigger: the mode it runs under is part of it): the
/// SET statement without its `;`, and the rest.
pub fn leading_set(text: &str) -> Option<(&str, &str)> {
    let toks = tokens(text, usize::MAX, false);
    match toks.first() {
        Some((at, Token::Word(w))) if w.eq_ignore_ascii_case("SET") => {
            let (end, _) = toks.iter().find(|(_, t)| *t == Token::Punct(';'))?;
            Some((text[*at..*end].trim(), &text[end + 1..]))
        }
        _ => None,
    }
}

/// The session variables a leading `SET` changes that must come back after the statement
/// (the SQL mode aside, which goes back to the server's own): an event's time zone, the client
/// character set a MySQL view was made under. `(save, restore)` statements, saving each in a
/// user variable of the session.
pub fn session_restores(set: &str) -> (Vec<String>, Vec<String>) {
    const KEPT: [&str; 3] = ["time_zone", "character_set_client", "collation_connection"];
    let lower = set.to_ascii_lowercase();
    KEPT.iter()
        .filter(|v| lower.contains(*v))
        .map(|v| {
            (
                format!("SET @autogen_{v} = @@SESSION.{v}"),
                format!("SET SESSION {v} = @autogen_{v}"),
            )
        })
        .unzip()
}

/// Reads the head of a CREATE statement (`CREATE [OR REPLACE] [MATERIALIZED] VIEW name`,
/// `CREATE FUNCTION name(…)`, `CREATE TRIGGER name … ON table`). `fold`: the dialect folds
/// unquoted names to lower case (PostgreSQL).
pub fn parse_head(text: &str, default_schema: Option<&str>, fold: bool) -> Result<Head, String> {
    let text = leading_set(text).map_or(text, |(_, rest)| rest);
    let toks = tokens(text, 400, false);
    let word = |i: usize| word_at(&toks, i);
    let mut i = 0;
    if word(i).as_deref() == Some("ALTER") {
        return exclusion_head(&toks, default_schema, fold);
    }
    if word(i).as_deref() == Some("COMMENT") {
        return comment_head(&toks, default_schema, fold);
    }
    if word(i).as_deref() != Some("CREATE") {
        return Err("the file's statement does not start with CREATE".into());
    }
    i += 1;
    if word(i).as_deref() == Some("OR") && word(i + 1).as_deref() == Some("REPLACE") {
        i += 2;
    }
    // What may stand between CREATE and the kind: PostgreSQL's `TEMP`, `RECURSIVE`,
    // `CONSTRAINT`; MySQL's `ALGORITHM = x`, `DEFINER = user@host | CURRENT_USER[()]` and
    // `SQL SECURITY x`.
    loop {
        match word(i).as_deref() {
            Some("TEMP" | "TEMPORARY" | "RECURSIVE" | "CONSTRAINT" | "UNIQUE") => i += 1,
            Some("ALGORITHM" | "DEFINER") => {
                i += 1;
                let punct = |i: usize, c: char| matches!(toks.get(i), Some((_, Token::Punct(p))) if *p == c);
                if punct(i, '=') {
                    i += 1;
                }
                // One value, or `user@host`, or `CURRENT_USER()`.
                i += 1;
                while punct(i, '@') || punct(i, '(') || punct(i, ')') {
                    i += if punct(i, '@') { 2 } else { 1 };
                }
            }
            Some("SQL") if word(i + 1).as_deref() == Some("SECURITY") => i += 3,
            _ => break,
        }
    }
    let Some((kind, words)) = kind_of(word(i).as_deref(), word(i + 1).as_deref(), word(i + 2))
    else {
        return Err(
            "the file's statement creates none of: a composite or range type, a collation, a \
             sequence, a view, a materialized view, a function, a procedure, an aggregate, a \
             trigger, a rule, an index, a policy, an event, statistics, a text search parser, template, \
             dictionary or configuration (or adds an exclusion constraint: ALTER TABLE t ADD \
             CONSTRAINT c EXCLUDE …)"
                .into(),
        );
    };
    i += words;
    if kind == SqlKind::Index && word(i).as_deref() == Some("CONCURRENTLY") {
        i += 1;
    }
    if word(i).as_deref() == Some("IF")
        && word(i + 1).as_deref() == Some("NOT")
        && word(i + 2).as_deref() == Some("EXISTS")
    {
        i += 3;
    }
    let (name, next) = qualified_name(&toks, i, default_schema, fold)
        .ok_or_else(|| format!("no {} name after CREATE {}", kind.word(), kind.sql()))?;
    i = next;
    let mut head = Head {
        kind,
        name,
        table: None,
        arguments: None,
    };
    if kind.routine() {
        if let Some((start, Token::Punct('('))) = toks.get(i) {
            let close = matching_paren(text, *start);
            head.arguments = Some(text[start + 1..close].trim().to_string());
        }
    } else if matches!(
        kind,
        SqlKind::Trigger | SqlKind::Rule | SqlKind::Index | SqlKind::Policy
    ) {
        // A trigger's, policy's or index's table follows the first ON (`ON ONLY t` for an
        // index), a rule's the first TO (`ON INSERT TO t`).
        let before = if kind == SqlKind::Rule { "TO" } else { "ON" };
        let on = (i..toks.len()).find(|&j| word(j).as_deref() == Some(before));
        let on = on.map(|j| {
            if word(j + 1).as_deref() == Some("ONLY") {
                j + 1
            } else {
                j
            }
        });
        let table = on.and_then(|j| qualified_name(&toks, j + 1, default_schema, fold));
        let table = table
            .ok_or_else(|| format!("no {before} table in the {}'s statement", kind.word()))?
            .0;
        // An index is made in its table's schema.
        if let (SqlKind::Index, (Some(schema), _), (None, name)) = (
            kind,
            crate::lexical::split_qualified(&table),
            crate::lexical::split_qualified(&head.name),
        ) {
            head.name = crate::lexical::qualified(Some(schema), name);
        }
        head.table = Some(table);
    }
    Ok(head)
}

/// The kind a CREATE statement names by `word` (and the words after it: `MATERIALIZED VIEW`,
/// `TEXT SEARCH DICTIONARY`), with how many words name it.
fn kind_of(
    word: Option<&str>,
    next: Option<&str>,
    third: Option<String>,
) -> Option<(SqlKind, usize)> {
    let kind = match word? {
        "MATERIALIZED" if next == Some("VIEW") => return Some((SqlKind::MaterializedView, 2)),
        "TEXT" if next == Some("SEARCH") => {
            let kind = match third.as_deref()? {
                "PARSER" => SqlKind::TextSearchParser,
                "TEMPLATE" => SqlKind::TextSearchTemplate,
                "DICTIONARY" => SqlKind::TextSearchDictionary,
                "CONFIGURATION" => SqlKind::TextSearchConfiguration,
                _ => return None,
            };
            return Some((kind, 3));
        }
        "VIRTUAL" if next == Some("TABLE") => return Some((SqlKind::VirtualTable, 2)),
        // A domain of another schema that a column is of is carried as a type.
        "TYPE" | "DOMAIN" => SqlKind::Type,
        "COLLATION" => SqlKind::Collation,
        "SEQUENCE" => SqlKind::Sequence,
        "STATISTICS" => SqlKind::Statistics,
        "VIEW" => SqlKind::View,
        "FUNCTION" => SqlKind::Function,
        "PROCEDURE" => SqlKind::Procedure,
        "AGGREGATE" => SqlKind::Aggregate,
        "TRIGGER" => SqlKind::Trigger,
        "RULE" => SqlKind::Rule,
        "INDEX" => SqlKind::Index,
        "POLICY" => SqlKind::Policy,
        "EVENT" => SqlKind::Event,
        _ => return None,
    };
    Some((kind, 1))
}

/// The word at `i`, upper-cased (none for a quoted name or punctuation).
fn word_at(toks: &[(usize, Token)], i: usize) -> Option<String> {
    match toks.get(i) {
        Some((_, Token::Word(w))) => Some(w.to_ascii_uppercase()),
        _ => None,
    }
}

/// The head of `ALTER TABLE [ONLY] t ADD CONSTRAINT c EXCLUDE …`: the one statement of another
/// verb a file may hold (an exclusion constraint has no CREATE of its own).
fn exclusion_head(
    toks: &[(usize, Token)],
    default_schema: Option<&str>,
    fold: bool,
) -> Result<Head, String> {
    let word = |i: usize| word_at(toks, i);
    let refused = || {
        "an ALTER statement in a file adds a constraint an entity cannot declare: ALTER TABLE t \
         ADD CONSTRAINT c EXCLUDE … (or UNIQUE …, FOREIGN KEY …)"
            .to_string()
    };
    if word(1).as_deref() != Some("TABLE") {
        return Err(refused());
    }
    let mut i = 2;
    if word(i).as_deref() == Some("ONLY") {
        i += 1;
    }
    let (table, next) = qualified_name(toks, i, default_schema, fold).ok_or_else(refused)?;
    if (word(next).as_deref(), word(next + 1).as_deref()) != (Some("ADD"), Some("CONSTRAINT")) {
        return Err(refused());
    }
    let (name, after) = qualified_name(toks, next + 2, None, fold).ok_or_else(refused)?;
    let kind = match word(after).as_deref() {
        Some("EXCLUDE") => SqlKind::Exclusion,
        Some("UNIQUE" | "FOREIGN" | "PRIMARY") => SqlKind::Constraint,
        _ => return Err(refused()),
    };
    Ok(Head {
        kind,
        name,
        table: Some(table),
        arguments: None,
    })
}

/// The head of `COMMENT ON INDEX|SEQUENCE|TYPE|DOMAIN name IS …` or `COMMENT ON CONSTRAINT c ON
/// [DOMAIN] t IS …`: a comment on what an entity declares, carried as a file of its own.
fn comment_head(
    toks: &[(usize, Token)],
    default_schema: Option<&str>,
    fold: bool,
) -> Result<Head, String> {
    let word = |i: usize| word_at(toks, i);
    let refused = || {
        "a COMMENT statement in a file comments on an index, a sequence, a type, a domain or a \
         constraint: COMMENT ON INDEX i IS '…', COMMENT ON CONSTRAINT c ON t IS '…'"
            .to_string()
    };
    if word(1).as_deref() != Some("ON") {
        return Err(refused());
    }
    let (name, table) = match word(2).as_deref() {
        Some("INDEX" | "SEQUENCE" | "TYPE" | "DOMAIN") => {
            let (name, _) = qualified_name(toks, 3, default_schema, fold).ok_or_else(refused)?;
            (name, None)
        }
        Some("CONSTRAINT") => {
            let (name, next) = qualified_name(toks, 3, None, fold).ok_or_else(refused)?;
            if word(next).as_deref() != Some("ON") {
                return Err(refused());
            }
            let at = next + 1 + usize::from(word(next + 1).as_deref() == Some("DOMAIN"));
            let (table, _) = qualified_name(toks, at, default_schema, fold).ok_or_else(refused)?;
            (name, Some(table))
        }
        _ => return Err(refused()),
    };
    Ok(Head {
        kind: SqlKind::Comment,
        name,
        table,
        arguments: None,
    })
}

/// `COMMENT ON <what>` of a comment's statement: all before its `IS`.
fn comment_target(text: &str) -> Option<&str> {
    let toks = tokens(text, usize::MAX, false);
    let start = toks.first()?.0;
    let (is, _) = toks
        .iter()
        .find(|(_, t)| matches!(t, Token::Word(w) if w.eq_ignore_ascii_case("IS")))?;
    Some(text[start..*is].trim_end())
}

/// A possibly qualified name at `i`: its key, and the index after it.
fn qualified_name(
    toks: &[(usize, Token)],
    i: usize,
    default_schema: Option<&str>,
    fold: bool,
) -> Option<(String, usize)> {
    let part = |i: usize| match toks.get(i) {
        Some((_, Token::Word(w))) if fold => Some(w.to_lowercase()),
        Some((_, Token::Word(w))) => Some(w.clone()),
        Some((_, Token::Quoted(q))) => Some(q.clone()),
        _ => None,
    };
    let first = part(i)?;
    if let Some((_, Token::Punct('.'))) = toks.get(i + 1)
        && let Some(second) = part(i + 2)
    {
        let key = if Some(first.as_str()) == default_schema || first == "main" && !fold {
            second
        } else {
            crate::lexical::qualified(Some(&first), &second)
        };
        return Some((key, i + 3));
    }
    Some((first, i + 1))
}

/// The byte index of the parenthesis closing the one at `open` (the end of the text when none).
fn matching_paren(text: &str, open: usize) -> usize {
    let mut depth = 0usize;
    for (at, tok) in tokens(&text[open..], usize::MAX, false) {
        match tok {
            Token::Punct('(') => depth += 1,
            Token::Punct(')') => {
                depth -= 1;
                if depth == 0 {
                    return open + at;
                }
            }
            _ => {}
        }
    }
    text.len()
}

/// `CREATE FUNCTION …` as `CREATE OR REPLACE FUNCTION …` (unchanged when it already says so).
pub fn or_replace(source: &str) -> String {
    let toks = tokens(source, 3, false);
    let says = |i: usize, w: &str| matches!(toks.get(i), Some((_, Token::Word(x))) if x.eq_ignore_ascii_case(w));
    match toks.get(1) {
        Some((at, _)) if says(0, "CREATE") && !says(1, "OR") => {
            format!("{}OR REPLACE {}", &source[..*at], &source[*at..])
        }
        _ => source.to_string(),
    }
}

#[cfg(test)]
#[path = "objects_tests.rs"]
mod tests;
