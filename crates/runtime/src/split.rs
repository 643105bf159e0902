//! Splits a migration script into statements, so that each runs (and fails) on its own and an
//! error can name the statement.
//!
//! What hides a `;` is read by sqlparser's tokenizer for the dialect (quotes and quoted names,
//! `E'…'` strings, dollar quoting, nested comments where the dialect nests them, MySQL's
//! backslash escapes and `#` comments), not by a lexer of our own. On top of its tokens, one rule:
//! a compound statement's body — `BEGIN … END` inside `CREATE TRIGGER`, `PROCEDURE`, `FUNCTION`
//! or `EVENT`, MariaDB's `BEGIN NOT ATOMIC`, PostgreSQL's `BEGIN ATOMIC` — is part of its
//! statement, with `CASE … END` and `END IF` / `END LOOP` / … inside it. `BEGIN` opening a
//! statement is a transaction, as every database reads it.

use sqlparser::dialect::Dialect as ParserDialect;
use sqlparser::tokenizer::{Token, TokenWithSpan, Tokenizer};

/// The statements of `sql`, without the comments before each, in order.
pub fn statements(sql: &str, dialect: &dyn ParserDialect) -> Vec<String> {
    let Ok(tokens) = Tokenizer::new(dialect, sql).tokenize_with_location() else {
        // Not SQL this dialect's tokenizer reads (an unterminated quote): one statement, so
        // that the database reports it where it is.
        return statements_of_untokenized(sql);
    };
    let offsets = Offsets::new(sql);
    let mut splitter = Splitter::default();
    let mut out = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        if matches!(t.token, Token::Whitespace(_)) {
            continue;
        }
        let start = offsets.of(t.span.start.line, t.span.start.column);
        if t.token == Token::SemiColon && splitter.blocks.is_empty() {
            if let Some(s) = splitter.start.take() {
                out.push(sql[s..start].trim_end().to_string());
            }
            splitter = Splitter::default();
            continue;
        }
        if splitter.start.is_none() {
            splitter.start = Some(start);
        }
        splitter.word(&t.token, next_word(&tokens[i + 1..]));
    }
    if let Some(s) = splitter.start {
        let rest = sql[s..].trim_end();
        if !rest.is_empty() {
            out.push(rest.to_string());
        }
    }
    out
}

fn statements_of_untokenized(sql: &str) -> Vec<String> {
    let trimmed = sql.trim();
    if trimmed.is_empty() {
        Vec::new()
    } else {
        vec![trimmed.to_string()]
    }
}

/// Where a statement starts, what it is, and the blocks open in it.
#[derive(Default)]
struct Splitter {
    start: Option<usize>,
    /// The first word, upper-cased (`CREATE`, `BEGIN`, …).
    first: Option<String>,
    words: usize,
    blocks: Vec<Block>,
    /// The word after `END` (`END CASE`, `END IF`) names what ended; it opens nothing.
    after_end: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Block {
    Begin,
    Case,
}

impl Splitter {
    /// Follows one (non-whitespace) token; `next` is the next word, upper-cased.
    fn word(&mut self, token: &Token, next: Option<String>) {
        let Token::Word(w) = token else {
            self.words += 1;
            return;
        };
        if w.quote_style.is_some() {
            self.words += 1;
            return;
        }
        let upper = w.value.to_ascii_uppercase();
        let at_start = self.words == 0;
        self.words += 1;
        if at_start {
            self.first = Some(upper.clone());
        }
        if std::mem::take(&mut self.after_end) {
            return;
        }
        match upper.as_str() {
            // `BEGIN;` / `BEGIN TRANSACTION` / `BEGIN IMMEDIATE` start a transaction;
            // MariaDB's `BEGIN NOT ATOMIC` starts a compound statement.
            "BEGIN" if at_start && next.as_deref() == Some("NOT") => self.blocks.push(Block::Begin),
            "BEGIN" if at_start => {}
            "BEGIN" if self.compound() => self.blocks.push(Block::Begin),
            "CASE" => self.blocks.push(Block::Case),
            "END" => {
                match next.as_deref() {
                    // Blocks this splitter never opened: their END is not a block's end.
                    Some("IF" | "LOOP" | "WHILE" | "REPEAT" | "FOR") => {}
                    _ => {
                        self.blocks.pop();
                    }
                }
                self.after_end = next.is_some();
            }
            _ => {}
        }
    }

    /// Whether a `BEGIN` here opens a body: inside `CREATE …` (triggers, routines, events) or
    /// inside a body already.
    fn compound(&self) -> bool {
        !self.blocks.is_empty() || self.first.as_deref() == Some("CREATE")
    }
}

/// The next word after whitespace, upper-cased.
fn next_word(rest: &[TokenWithSpan]) -> Option<String> {
    rest.iter()
        .find(|t| !matches!(t.token, Token::Whitespace(_)))
        .and_then(|t| match &t.token {
            Token::Word(w) if w.quote_style.is_none() => Some(w.value.to_ascii_uppercase()),
            _ => None,
        })
}

/// Byte offsets of (line, column) positions, as sqlparser counts them (1-based, characters).
struct Offsets<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> Offsets<'a> {
    fn new(text: &'a str) -> Offsets<'a> {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Offsets { text, line_starts }
    }

    fn of(&self, line: u64, column: u64) -> usize {
        let Some(&start) = self.line_starts.get((line as usize).saturating_sub(1)) else {
            return self.text.len();
        };
        let skip = (column as usize).saturating_sub(1);
        self.text[start..]
            .char_indices()
            .nth(skip)
            .map_or(self.text.len(), |(i, _)| start + i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlparser::dialect::{MySqlDialect, PostgreSqlDialect, SQLiteDialect};

    fn pg(sql: &str) -> Vec<String> {
        statements(sql, &PostgreSqlDialect {})
    }
    fn my(sql: &str) -> Vec<String> {
        statements(sql, &MySqlDialect {})
    }
    fn lite(sql: &str) -> Vec<String> {
        statements(sql, &SQLiteDialect {})
    }

    #[test]
    fn splits_at_top_level_semicolons_only() {
        let sql = "-- autogen revision: 1\n\n-- create t\nCREATE TABLE \"a;b\" (x text DEFAULT ';');\n\
                   /* ; */ INSERT INTO t VALUES ('it''s; fine');\n-- trailing comment\n";
        assert_eq!(
            pg(sql),
            [
                "CREATE TABLE \"a;b\" (x text DEFAULT ';')",
                "INSERT INTO t VALUES ('it''s; fine')"
            ]
        );
    }

    #[test]
    fn postgres_dollar_quotes_e_strings_and_nested_comments() {
        let sql = "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;\
                   DO $$ BEGIN PERFORM 1; END $$; SELECT $1;\
                   SELECT E'it\\'s; waived'; /* a /* b; */ c; */ SELECT 2";
        let s = pg(sql);
        assert_eq!(s.len(), 5, "{s:?}");
        assert!(s[1].ends_with("END $$"), "{s:?}");
        assert_eq!(s[3], "SELECT E'it\\'s; waived'");
        assert_eq!(s[4], "SELECT 2", "a nested comment hides its ;");
        let atomic = "CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END; SELECT 3";
        assert_eq!(pg(atomic).len(), 2, "{:?}", pg(atomic));
        // A transaction's BEGIN and END are statements of their own.
        assert_eq!(
            pg("BEGIN; SELECT 1; END; COMMIT"),
            ["BEGIN", "SELECT 1", "END", "COMMIT"]
        );
    }

    #[test]
    fn mysql_backslash_escapes_comments_and_compound_statements() {
        let sql = "INSERT INTO t VALUES ('a\\';b'); # c; d\nSELECT `x;y` FROM t; SELECT 1--1;";
        assert_eq!(
            my(sql),
            [
                "INSERT INTO t VALUES ('a\\';b')",
                "SELECT `x;y` FROM t",
                "SELECT 1--1"
            ]
        );
        let trigger = "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN\n  IF NEW.a < 0 THEN SET NEW.a = 0; END IF;\n  \
                       SET NEW.b = CASE WHEN NEW.a > 1 THEN 'x' ELSE 'y' END;\nEND; SELECT 1";
        let s = my(trigger);
        assert_eq!(s.len(), 2, "{s:?}");
        assert!(s[0].ends_with("\nEND"), "{s:?}");
        let procedure = "CREATE PROCEDURE p() BEGIN DECLARE i INT DEFAULT 0; l: LOOP SET i = i + 1; \
                         IF i > 3 THEN LEAVE l; END IF; END LOOP l; CASE i WHEN 4 THEN SELECT 1; ELSE SELECT 2; END CASE; END;\
                         BEGIN NOT ATOMIC SELECT 1; SELECT 2; END; BEGIN; SELECT 3";
        assert_eq!(my(procedure).len(), 4, "{:?}", my(procedure));
    }

    #[test]
    fn sqlite_trigger_bodies_with_case_stay_whole() {
        let sql = "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET n = CASE WHEN n > 0 THEN n + 1 ELSE 1 END; DELETE FROM c; END;\
                   CREATE TABLE begin_end (x); BEGIN IMMEDIATE; COMMIT";
        let s = lite(sql);
        assert_eq!(s.len(), 4, "{s:?}");
        assert!(s[0].ends_with("END"), "{s:?}");
    }

    #[test]
    fn an_unterminated_quote_is_left_for_the_database_to_report() {
        assert_eq!(pg("SELECT 'oops; SELECT 2"), ["SELECT 'oops; SELECT 2"]);
        assert!(pg("  -- only a comment\n").is_empty());
    }
}
