//! What SQLite reports nowhere but in a table's `CREATE TABLE` text, as it stores it: the
//! CHECK constraints (so that a table rebuild can carry them over), and each column's collation
//! and generation expression.

use autogen_schema::{Check, Deferrable};

/// A token of the statement: where it is, and what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Word,
    /// A quoted identifier or string: never a keyword.
    Quoted,
    Open,
    Close,
    Comma,
    Other,
}

#[derive(Debug, Clone, Copy)]
struct Token {
    kind: Kind,
    start: usize,
    end: usize,
}

fn tokens(sql: &str) -> Vec<Token> {
    let bytes = sql.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let c = bytes[i];
        let kind = match c {
            b'\'' | b'"' | b'`' | b'[' => {
                let close = if c == b'[' { b']' } else { c };
                i += 1;
                while i < bytes.len() {
                    if bytes[i] == close {
                        // A doubled quote is an escaped quote.
                        if close != b']' && bytes.get(i + 1) == Some(&close) {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                i += 1;
                Kind::Quoted
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                i += 2;
                continue;
            }
            b'(' => {
                i += 1;
                Kind::Open
            }
            b')' => {
                i += 1;
                Kind::Close
            }
            b',' => {
                i += 1;
                Kind::Comma
            }
            c if c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80 => {
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] >= 0x80)
                {
                    i += 1;
                }
                Kind::Word
            }
            c if c.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            _ => {
                i += 1;
                Kind::Other
            }
        };
        out.push(Token {
            kind,
            start,
            end: i.min(bytes.len()),
        });
    }
    out
}

/// Every CHECK of the table, each as a table constraint (its name where `CONSTRAINT name`
/// gives one, and `CHECK (…)` as written; a column's CHECK means the same written at table
/// level). `None` when the statement is not one this reader understands.
pub(crate) fn checks(sql: &str) -> Option<Vec<Check>> {
    let toks = tokens(sql);
    let word =
        |t: &Token, w: &str| t.kind == Kind::Word && sql[t.start..t.end].eq_ignore_ascii_case(w);
    let body = toks.iter().position(|t| t.kind == Kind::Open)?;
    let mut out = Vec::new();
    let mut depth = 1;
    let mut i = body + 1;
    while i < toks.len() && depth > 0 {
        let t = toks[i];
        match t.kind {
            Kind::Open => depth += 1,
            Kind::Close => depth -= 1,
            _ if depth == 1 && word(&t, "CHECK") => {
                toks.get(i + 1).filter(|t| t.kind == Kind::Open)?;
                let close = matching(&toks, i + 1)?;
                let named = i >= 2 && word(&toks[i - 2], "CONSTRAINT");
                let name = named.then(|| unquote(&sql[toks[i - 1].start..toks[i - 1].end]));
                out.push(Check {
                    name,
                    definition: sql[t.start..toks[close].end].to_string(),
                    ..Check::default()
                });
                i = close;
            }
            _ => {}
        }
        i += 1;
    }
    (depth == 0).then_some(out)
}

/// What a column's definition says that SQLite reports nowhere but in this text.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct ColumnClauses {
    /// Its collation where one other than `BINARY` (the default) is named: built-in names
    /// (`NOCASE`, `RTRIM`) upper-cased, others as written.
    pub(crate) collation: Option<String>,
    /// Its generation expression (`[GENERATED ALWAYS] AS (…)`), as written.
    pub(crate) generated: Option<String>,
}

/// Each column's [`ColumnClauses`], by column name, for the columns that have any.
pub(crate) fn column_clauses(sql: &str) -> Vec<(String, ColumnClauses)> {
    let toks = tokens(sql);
    let text = |t: &Token| &sql[t.start..t.end];
    let word = |t: &Token, w: &str| t.kind == Kind::Word && text(t).eq_ignore_ascii_case(w);
    let mut out = Vec::new();
    for item in column_list(&toks) {
        let Some(first) = item.first() else { continue };
        let constraint = ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"]
            .iter()
            .any(|w| word(first, w));
        if constraint {
            continue;
        }
        // A keyword outside the item's parentheses (not a CHECK's or a default's).
        let mut depth = 0;
        let top: Vec<usize> = (0..item.len())
            .filter(|&j| {
                let at_top = depth == 0;
                depth += match item[j].kind {
                    Kind::Open => 1,
                    Kind::Close => -1,
                    _ => 0,
                };
                at_top && j > 0
            })
            .collect();
        let after = |w: &str| top.iter().find(|&&j| word(&item[j], w)).map(|j| j + 1);
        let mut clauses = ColumnClauses::default();
        if let Some(name) = after("COLLATE").and_then(|j| item.get(j)) {
            let name = unquote(text(name));
            let upper = name.to_ascii_uppercase();
            clauses.collation = match upper.as_str() {
                "BINARY" => None,
                "NOCASE" | "RTRIM" => Some(upper),
                _ => Some(name),
            };
        }
        if let Some(open) =
            after("AS").filter(|&j| item.get(j).is_some_and(|t| t.kind == Kind::Open))
            && let Some(close) = matching(item, open)
        {
            let expression = &sql[item[open].end..item[close].start];
            clauses.generated = Some(expression.trim().to_string());
        }
        if clauses != ColumnClauses::default() {
            out.push((unquote(text(first)), clauses));
        }
    }
    out
}

/// The foreign keys declared `DEFERRABLE` (SQLite's pragmas do not say), by their columns: a
/// column's `REFERENCES … DEFERRABLE …` or a table's `FOREIGN KEY (a, b) REFERENCES … DEFERRABLE
/// …`; `INITIALLY DEFERRED` or not.
pub(crate) fn deferrable_keys(sql: &str) -> Vec<(Vec<String>, Deferrable)> {
    let toks = tokens(sql);
    let text = |t: &Token| &sql[t.start..t.end];
    let word = |t: &Token, w: &str| t.kind == Kind::Word && text(t).eq_ignore_ascii_case(w);
    let mut out = Vec::new();
    for item in column_list(&toks) {
        let Some(at) = item.iter().position(|t| word(t, "DEFERRABLE")) else {
            continue;
        };
        if at > 0 && word(&item[at - 1], "NOT") {
            continue;
        }
        let deferred = item.get(at + 2).is_some_and(|t| word(t, "DEFERRED"))
            && word(&item[at + 1], "INITIALLY");
        let kind = if deferred {
            Deferrable::InitiallyDeferred
        } else {
            Deferrable::InitiallyImmediate
        };
        let columns = match item.iter().position(|t| word(t, "FOREIGN")) {
            // `FOREIGN KEY (a, b)`: the names inside its parentheses.
            Some(f) => {
                let Some(open) = item[f..].iter().position(|t| t.kind == Kind::Open) else {
                    continue;
                };
                let Some(close) = matching(item, f + open) else {
                    continue;
                };
                item[f + open + 1..close]
                    .iter()
                    .filter(|t| matches!(t.kind, Kind::Word | Kind::Quoted))
                    .map(|t| unquote(text(t)))
                    .collect()
            }
            None => match item.first() {
                Some(first) => vec![unquote(text(first))],
                None => continue,
            },
        };
        out.push((columns, kind));
    }
    out
}

/// The items of a `CREATE TABLE`'s column list: the tokens between its depth-1 commas.
fn column_list(toks: &[Token]) -> Vec<&[Token]> {
    let Some(body) = toks.iter().position(|t| t.kind == Kind::Open) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let (mut depth, mut start) = (1, body + 1);
    for (i, t) in toks.iter().enumerate().skip(body + 1) {
        match t.kind {
            Kind::Open => depth += 1,
            Kind::Close | Kind::Comma if depth == 1 => {
                out.push(&toks[start..i]);
                start = i + 1;
                if t.kind == Kind::Close {
                    break;
                }
            }
            Kind::Close => depth -= 1,
            _ => {}
        }
    }
    out
}

/// An identifier as SQLite reads it: `"a""b"`, `` `a` ``, `[a]` or bare.
fn unquote(token: &str) -> String {
    let mut chars = token.chars();
    match (chars.next(), chars.next_back()) {
        (Some(open @ ('"' | '`')), Some(close)) if open == close && token.len() >= 2 => {
            let inner = &token[1..token.len() - 1];
            inner.replace(&format!("{open}{open}"), &open.to_string())
        }
        (Some('['), Some(']')) => token[1..token.len() - 1].to_string(),
        _ => token.to_string(),
    }
}

/// The index of the `)` that closes the `(` at `open`.
fn matching(toks: &[Token], open: usize) -> Option<usize> {
    let mut depth = 0;
    for (i, t) in toks.iter().enumerate().skip(open) {
        match t.kind {
            Kind::Open => depth += 1,
            Kind::Close => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{checks, column_clauses};

    fn collations(sql: &str) -> Vec<(String, String)> {
        column_clauses(sql)
            .into_iter()
            .filter_map(|(c, k)| Some((c, k.collation?)))
            .collect()
    }

    #[test]
    fn collations_of_columns_not_of_constraints_or_strings() {
        let sql = "CREATE TABLE t (\n  id integer PRIMARY KEY,\n  \"e mail\" text COLLATE nocase NOT NULL,\n  \
                   b text DEFAULT 'COLLATE x' COLLATE \"my_coll\",\n  c text COLLATE BINARY,\n  \
                   d text CHECK (d COLLATE NOCASE <> ''),\n  UNIQUE (b COLLATE RTRIM)\n) WITHOUT ROWID";
        assert_eq!(
            collations(sql),
            [
                ("e mail".to_string(), "NOCASE".to_string()),
                ("b".to_string(), "my_coll".to_string()),
            ]
        );
        assert!(column_clauses("CREATE TABLE t (a int)").is_empty());
    }

    #[test]
    fn generation_expressions_as_written_in_either_spelling() {
        let sql = "CREATE TABLE t (\n  a int DEFAULT (1) CHECK (a AS_WORD > 0),\n  \
                   b int GENERATED ALWAYS AS (a * (2 + 1)) STORED NOT NULL,\n  \
                   \"c d\" text COLLATE NOCASE AS ( lower(\"x\") ) VIRTUAL,\n  \
                   e text DEFAULT 'AS (no)',\n  CHECK (CAST(a AS text) <> '')\n)";
        let generated: Vec<(String, String)> = column_clauses(sql)
            .into_iter()
            .filter_map(|(c, k)| Some((c, k.generated?)))
            .collect();
        assert_eq!(
            generated,
            [
                ("b".to_string(), "a * (2 + 1)".to_string()),
                ("c d".to_string(), "lower(\"x\")".to_string()),
            ]
        );
    }

    fn texts(sql: &str) -> Vec<String> {
        checks(sql)
            .unwrap()
            .into_iter()
            .map(|c| match c.name {
                Some(n) => format!("{n}: {}", c.definition),
                None => c.definition,
            })
            .collect()
    }

    #[test]
    fn checks_of_columns_and_tables_become_table_constraints() {
        let sql = "CREATE TABLE \"t\" (\n  id integer PRIMARY KEY CHECK (id > 0),\n  \
                   \"check\" text DEFAULT 'CHECK (x)' CONSTRAINT c_len CHECK (length(\"check\") < 9),\n  \
                   -- CHECK (commented)\n  b int /* CHECK (no) */,\n  CONSTRAINT pair CHECK (b <> id),\n  CHECK ((b))\n)";
        assert_eq!(
            texts(sql),
            [
                "CHECK (id > 0)",
                "c_len: CHECK (length(\"check\") < 9)",
                "pair: CHECK (b <> id)",
                "CHECK ((b))",
            ]
        );
        assert_eq!(
            texts(
                "CREATE TABLE t (a int, CONSTRAINT \"x\"\"y\" CHECK (a > 0), CONSTRAINT [b c] CHECK (a < 9))"
            ),
            ["x\"y: CHECK (a > 0)", "b c: CHECK (a < 9)"]
        );
    }

    #[test]
    fn deferrable_keys_of_columns_and_tables_by_their_columns() {
        use autogen_schema::Deferrable as D;
        let sql = "CREATE TABLE b (id INTEGER PRIMARY KEY, \
                   a INTEGER REFERENCES a(id) DEFERRABLE INITIALLY DEFERRED, \
                   x INT, y INT, \"note\" TEXT DEFAULT 'DEFERRABLE', \
                   CONSTRAINT xy FOREIGN KEY (x, \"y\") REFERENCES p (x, y) DEFERRABLE, \
                   z INT REFERENCES a(id) NOT DEFERRABLE)";
        assert_eq!(
            super::deferrable_keys(sql),
            [
                (vec!["a".to_string()], D::InitiallyDeferred),
                (
                    vec!["x".to_string(), "y".to_string()],
                    D::InitiallyImmediate
                ),
            ]
        );
    }

    #[test]
    fn a_table_without_checks_has_none_and_nonsense_is_not_read() {
        assert_eq!(
            texts("CREATE TABLE t (a int, b text)"),
            Vec::<String>::new()
        );
        assert_eq!(checks("CREATE TABLE t (a int CHECK"), None);
        assert_eq!(checks("CREATE TABLE t (a int CHECK (a > 0)"), None);
        assert_eq!(checks("CREATE TABLE t AS SELECT 1"), None);
    }
}
