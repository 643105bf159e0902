//! Splits a migration script into statements, so that each runs (and fails) on its own and an
//! error can name the statement. Knows what hides a `;`: quotes, quoted identifiers, comments,
//! and, as the dialect's [`Lexicon`] says, `#` comments and backslash escapes (MySQL), dollar
//! quoting (PostgreSQL) and trigger bodies (`BEGIN … END`, SQLite).

/// What a dialect's lexer knows beyond standard SQL.
#[derive(Debug, Clone, Copy, Default)]
pub struct Lexicon {
    /// `# comment` to the end of the line, and `\` escapes in quoted strings.
    pub hash_comments_and_backslashes: bool,
    /// `$tag$ … $tag$` quoting.
    pub dollar_quotes: bool,
    /// `CREATE TRIGGER … BEGIN …; …; END` is one statement.
    pub trigger_bodies: bool,
}

pub fn statements(sql: &str, lexicon: Lexicon) -> Vec<String> {
    let b = sql.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    // Inside a SQLite `CREATE TRIGGER … BEGIN`, `;` ends body statements, not the trigger.
    let mut trigger_depth = 0usize;
    while i < b.len() {
        match b[i] {
            b'-' if b.get(i + 1) == Some(&b'-') => {
                i = sql[i..].find('\n').map_or(b.len(), |n| i + n + 1);
            }
            b'#' if lexicon.hash_comments_and_backslashes => {
                i = sql[i..].find('\n').map_or(b.len(), |n| i + n + 1);
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = sql[i + 2..].find("*/").map_or(b.len(), |n| i + 2 + n + 2);
            }
            q @ (b'\'' | b'"' | b'`') => {
                // MySQL strings take backslash escapes; a doubled quote escapes everywhere.
                let backslash = lexicon.hash_comments_and_backslashes && q != b'`';
                i += 1;
                while i < b.len() {
                    if backslash && b[i] == b'\\' {
                        i += 2;
                    } else if b[i] == q {
                        if b.get(i + 1) == Some(&q) {
                            i += 2;
                        } else {
                            i += 1;
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
            }
            b'$' if lexicon.dollar_quotes => {
                // `$tag$ … $tag$` (tag may be empty); `$1` is a parameter, not a quote.
                let tag_end = sql[i + 1..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .map(|n| i + 1 + n);
                match tag_end {
                    Some(e)
                        if b[e] == b'$'
                            && !sql[i + 1..e].starts_with(|c: char| c.is_ascii_digit()) =>
                    {
                        let tag = &sql[i..=e];
                        i = sql[e + 1..]
                            .find(tag)
                            .map_or(b.len(), |n| e + 1 + n + tag.len());
                    }
                    _ => i += 1,
                }
            }
            b';' if trigger_depth == 0 => {
                push(&mut out, &sql[start..i], lexicon);
                i += 1;
                start = i;
            }
            c if c.is_ascii_alphabetic() && (i == 0 || !is_word(b[i - 1])) => {
                let end = sql[i..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .map_or(b.len(), |n| i + n);
                let word = &sql[i..end];
                if lexicon.trigger_bodies {
                    if word.eq_ignore_ascii_case("BEGIN") && starts_trigger(&sql[start..i]) {
                        trigger_depth += 1;
                    } else if word.eq_ignore_ascii_case("END") && trigger_depth > 0 {
                        trigger_depth -= 1;
                    }
                }
                i = end;
            }
            _ => i += 1,
        }
    }
    push(&mut out, &sql[start..], lexicon);
    out
}

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

fn starts_trigger(statement_so_far: &str) -> bool {
    let words: Vec<String> = strip_comments(statement_so_far)
        .split_whitespace()
        .take(4)
        .map(str::to_ascii_uppercase)
        .collect();
    words.first().map(String::as_str) == Some("CREATE") && words.iter().any(|w| w == "TRIGGER")
}

/// A statement's text without its leading comments and blank lines; empty statements (only
/// comments) are dropped.
fn push(out: &mut Vec<String>, raw: &str, lexicon: Lexicon) {
    let text = strip_leading_comments(raw, lexicon);
    if !text.is_empty() {
        out.push(text.to_string());
    }
}

fn strip_leading_comments(mut s: &str, lexicon: Lexicon) -> &str {
    loop {
        s = s.trim_start();
        if s.starts_with("--") || (lexicon.hash_comments_and_backslashes && s.starts_with('#')) {
            s = s.find('\n').map_or("", |n| &s[n + 1..]);
        } else if s.starts_with("/*") {
            s = s.find("*/").map_or("", |n| &s[n + 2..]);
        } else {
            return s.trim_end();
        }
    }
}

fn strip_comments(s: &str) -> String {
    s.lines()
        .map(|l| l.split("--").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const POSTGRES: Lexicon = Lexicon {
        dollar_quotes: true,
        hash_comments_and_backslashes: false,
        trigger_bodies: false,
    };
    const MYSQL: Lexicon = Lexicon {
        dollar_quotes: false,
        hash_comments_and_backslashes: true,
        trigger_bodies: false,
    };
    const SQLITE: Lexicon = Lexicon {
        dollar_quotes: false,
        hash_comments_and_backslashes: false,
        trigger_bodies: true,
    };

    #[test]
    fn splits_at_top_level_semicolons_only() {
        let sql = "-- autogen revision: 1\n\n-- create t\nCREATE TABLE \"a;b\" (x text DEFAULT ';');\n\
                   /* ; */ INSERT INTO t VALUES ('it''s; fine');\n-- trailing comment\n";
        assert_eq!(
            statements(sql, POSTGRES),
            [
                "CREATE TABLE \"a;b\" (x text DEFAULT ';')",
                "INSERT INTO t VALUES ('it''s; fine')"
            ]
        );
    }

    #[test]
    fn dollar_quotes_hide_semicolons_on_postgres() {
        let sql = "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;\
                   DO $$ BEGIN PERFORM 1; END $$; SELECT $1";
        let s = statements(sql, POSTGRES);
        assert_eq!(s.len(), 3, "{s:?}");
        assert!(s[1].ends_with("END $$"), "{s:?}");
    }

    #[test]
    fn mysql_backslash_escapes_and_hash_comments() {
        let sql = "INSERT INTO t VALUES ('a\\';b'); # c; d\nSELECT `x;y` FROM t";
        assert_eq!(
            statements(sql, MYSQL),
            ["INSERT INTO t VALUES ('a\\';b')", "SELECT `x;y` FROM t"]
        );
    }

    #[test]
    fn sqlite_trigger_bodies_stay_whole() {
        let sql = "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET n = n + 1; DELETE FROM c; END;\
                   CREATE TABLE begin_end (x)";
        let s = statements(sql, SQLITE);
        assert_eq!(s.len(), 2, "{s:?}");
        assert!(s[0].ends_with("END"), "{s:?}");
    }
}
