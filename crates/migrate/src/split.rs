//! Splits a migration script into statements, so that each runs (and fails) on its own and an
//! error can name the statement. Knows what hides a `;`: quotes, quoted identifiers, comments,
//! PostgreSQL dollar quoting, and SQLite trigger bodies (`BEGIN … END`).

use autogen_schema::Dialect;

pub fn statements(sql: &str, dialect: Dialect) -> Vec<String> {
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
            b'#' if dialect == Dialect::MySql => {
                i = sql[i..].find('\n').map_or(b.len(), |n| i + n + 1);
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = sql[i + 2..].find("*/").map_or(b.len(), |n| i + 2 + n + 2);
            }
            q @ (b'\'' | b'"' | b'`') => {
                // MySQL strings take backslash escapes; a doubled quote escapes everywhere.
                let backslash = dialect == Dialect::MySql && q != b'`';
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
            b'$' if dialect == Dialect::Postgres => {
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
                push(&mut out, &sql[start..i], dialect);
                i += 1;
                start = i;
            }
            c if c.is_ascii_alphabetic() && (i == 0 || !is_word(b[i - 1])) => {
                let end = sql[i..]
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .map_or(b.len(), |n| i + n);
                let word = &sql[i..end];
                if dialect == Dialect::Sqlite {
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
    push(&mut out, &sql[start..], dialect);
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
fn push(out: &mut Vec<String>, raw: &str, dialect: Dialect) {
    let text = strip_leading_comments(raw, dialect);
    if !text.is_empty() {
        out.push(text.to_string());
    }
}

fn strip_leading_comments(mut s: &str, dialect: Dialect) -> &str {
    loop {
        s = s.trim_start();
        if s.starts_with("--") || (dialect == Dialect::MySql && s.starts_with('#')) {
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

    #[test]
    fn splits_at_top_level_semicolons_only() {
        let sql = "-- autogen revision: 1\n\n-- create t\nCREATE TABLE \"a;b\" (x text DEFAULT ';');\n\
                   /* ; */ INSERT INTO t VALUES ('it''s; fine');\n-- trailing comment\n";
        assert_eq!(
            statements(sql, Dialect::Postgres),
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
        let s = statements(sql, Dialect::Postgres);
        assert_eq!(s.len(), 3, "{s:?}");
        assert!(s[1].ends_with("END $$"), "{s:?}");
    }

    #[test]
    fn mysql_backslash_escapes_and_hash_comments() {
        let sql = "INSERT INTO t VALUES ('a\\';b'); # c; d\nSELECT `x;y` FROM t";
        assert_eq!(
            statements(sql, Dialect::MySql),
            ["INSERT INTO t VALUES ('a\\';b')", "SELECT `x;y` FROM t"]
        );
    }

    #[test]
    fn sqlite_trigger_bodies_stay_whole() {
        let sql = "CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET n = n + 1; DELETE FROM c; END;\
                   CREATE TABLE begin_end (x)";
        let s = statements(sql, Dialect::Sqlite);
        assert_eq!(s.len(), 2, "{s:?}");
        assert!(s[0].ends_with("END"), "{s:?}");
    }
}
