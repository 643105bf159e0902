//! Lexical facts every dialect shares, written once: SQL string literals, quoted identifiers,
//! comment text that nothing a user wrote can end, name truncation, and the names SeaORM and the
//! databases give keys and indexes. Each dialect's [`SqlDialect`](crate::SqlDialect) picks from
//! these; no other code escapes or names anything itself.

/// A standard SQL string literal: `'…'` with embedded quotes doubled.
pub fn quote_string(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A key (`name`, or `schema\0name`) as SQL names it, each part quoted by `quote`.
pub fn quoted_key(key: &str, quote: &dyn Fn(&str) -> String) -> String {
    match split_qualified(key) {
        (Some(s), n) => format!("{}.{}", quote(s), quote(n)),
        (None, n) => quote(n),
    }
}

/// `name` between `quote` characters, embedded ones doubled (`"a""b"`, `` `a``b` ``).
pub fn quote_identifier(name: &str, quote: char) -> String {
    let doubled: String = [quote, quote].iter().collect();
    format!(
        "{quote}{}{quote}",
        name.replace(quote, &doubled),
        quote = quote
    )
}

/// Characters that must not appear raw in a one-line comment: anything that ends the line for
/// some reader (`\n`, `\r`, and the Unicode line and paragraph separators editors honour), other
/// control characters, and the invisible direction overrides that make a line read as something
/// it is not ("Trojan Source").
fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
        )
}

/// Text made safe for a one-line comment (`-- …`, `// …`, `//! …`): backslashes doubled, line
/// breaks and other invisible or control characters written as `\n`, `\r`, `\t`, `\u{…}`.
/// [`unescape_comment_text`] reads it back.
pub fn comment_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) => out.push_str(&format!("\\u{{{:04x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// The inverse of [`comment_text`]. Escapes it did not write are kept as they are.
pub fn unescape_comment_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let tail = &rest[i + 1..];
        let (decoded, used) = match tail.chars().next() {
            Some('\\') => (Some('\\'), 1),
            Some('n') => (Some('\n'), 1),
            Some('r') => (Some('\r'), 1),
            Some('t') => (Some('\t'), 1),
            Some('u') if tail.starts_with("u{") => match tail.find('}') {
                Some(end) => (
                    u32::from_str_radix(&tail[2..end], 16)
                        .ok()
                        .and_then(char::from_u32),
                    end + 1,
                ),
                None => (None, 0),
            },
            _ => (None, 0),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &tail[used..];
            }
            None => {
                out.push('\\');
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `-- text`, safe whatever `text` holds: the comment line every dialect writes.
pub fn sql_comment_line(text: &str) -> String {
    format!("-- {}", comment_text(text))
}

/// Bytes as lower-case hex, for binary literals.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The first `max` bytes of `name`, cut at a character boundary.
pub fn truncate_bytes(name: &str, max: usize) -> &str {
    if name.len() <= max {
        return name;
    }
    let mut end = max;
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    &name[..end]
}

/// A name autogen derives, made to fit `max` bytes and to stay apart from every other derived
/// name after the server would have cut it: when too long, its first bytes, `_`, and 8 hex
/// digits of a hash of the whole name. (Cut plainly, `idx-t-a_long_column_1` and
/// `idx-t-a_long_column_2` become one name, and `CREATE INDEX … IF NOT EXISTS` would skip the
/// second.)
pub fn fit_derived_name(name: &str, max: usize) -> String {
    if name.len() <= max {
        return name.to_string();
    }
    let mut hash: u32 = 0x811c_9dc5;
    for b in name.bytes() {
        hash = (hash ^ u32::from(b)).wrapping_mul(0x0100_0193);
    }
    format!("{}_{hash:08x}", truncate_bytes(name, max.saturating_sub(9)))
}

/// The CHECK constraint autogen adds (NOT VALID) to prove a column holds no NULL before it
/// sets NOT NULL online: `<table>_<column>_not_null`.
pub fn not_null_check_name(table: &str, column: &str) -> String {
    format!("{}_{column}_not_null", split_qualified(table).1)
}

/// Separates a PostgreSQL schema from a table's name in the key autogen knows a table by
/// (`billing` + `invoice`): NUL, which no identifier can hold, so a key is never ambiguous.
/// Tables of the connection's own schema are keyed by their bare name.
pub const SCHEMA_SEPARATOR: char = '\0';

/// The key of `table` in `schema` (`None`: the connection's own schema).
pub fn qualified(schema: Option<&str>, table: &str) -> String {
    match schema {
        Some(s) => format!("{s}{SCHEMA_SEPARATOR}{table}"),
        None => table.to_string(),
    }
}

/// A table key's schema (if another than the connection's) and bare name.
pub fn split_qualified(key: &str) -> (Option<&str>, &str) {
    match key.split_once(SCHEMA_SEPARATOR) {
        Some((schema, table)) => (Some(schema), table),
        None => (None, key),
    }
}

/// A table key as people read it: `billing.invoice`.
pub fn display_name(key: &str) -> String {
    key.replace(SCHEMA_SEPARATOR, ".")
}

/// The `Column` variant SeaORM derives for a field: UpperCamelCase, `Self` escaped as `Self_`.
pub fn seaorm_column_variant(field: &str) -> String {
    match heck::ToUpperCamelCase::to_upper_camel_case(field.trim_start_matches("r#")) {
        v if v == "Self" => "Self_".into(),
        v => v,
    }
}

/// SeaORM's name for the index of an `indexed` column: `idx-<table>-<column>`.
pub fn index_name(table: &str, column: &str) -> String {
    format!("idx-{}-{column}", split_qualified(table).1)
}

/// SeaORM's name for the unique index of a `unique_key = "key"` group: `idx-<table>-<key>`.
pub fn unique_key_index_name(table: &str, key: &str) -> String {
    format!("idx-{}-{key}", split_qualified(table).1)
}

/// SeaORM's name for a foreign key: `fk-<table>-<columns>`.
pub fn foreign_key_name(table: &str, columns: &[String]) -> String {
    format!("fk-{}-{}", split_qualified(table).1, columns.join("-"))
}

/// The name autogen gives an unnamed UNIQUE constraint: PostgreSQL's own `<table>_<columns>_key`.
pub fn unique_name(table: &str, columns: &[String]) -> String {
    format!("{}_{}_key", split_qualified(table).1, columns.join("_"))
}

/// The name of a multi-column primary key autogen creates: `pk-<table>`, as SeaORM writes it.
pub fn primary_key_name(table: &str) -> String {
    format!("pk-{}", split_qualified(table).1)
}

/// The candidate closest to `word` by edit distance, if it is close enough to be a typo of it:
/// what "did you mean" messages offer.
pub fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (edit_distance(word, c), *c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min()
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

/// A statement's words, upper-cased: how statement heads are matched without parsing.
pub fn upper_words(statement: &str) -> Vec<String> {
    statement
        .split_whitespace()
        .map(str::to_ascii_uppercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_and_identifiers_double_their_quotes() {
        assert_eq!(quote_string("it's"), "'it''s'");
        assert_eq!(quote_identifier("a\"b", '"'), "\"a\"\"b\"");
        assert_eq!(quote_identifier("a`b", '`'), "`a``b`");
    }

    #[test]
    fn nothing_ends_a_comment_line() {
        let hostile = "t\nDROP TABLE victim;\r\u{2028}x\u{202E}y\0z\\n";
        let line = sql_comment_line(hostile);
        assert!(
            !line.contains(['\n', '\r', '\u{2028}', '\u{202E}', '\0']),
            "{line}"
        );
        assert_eq!(
            line,
            "-- t\\nDROP TABLE victim;\\r\\u{2028}x\\u{202e}y\\u{0000}z\\\\n"
        );
        assert_eq!(unescape_comment_text(&comment_text(hostile)), hostile);
        assert_eq!(comment_text("plain 'text' é"), "plain 'text' é");
        assert_eq!(unescape_comment_text("a\\qb\\u{zz}"), "a\\qb\\u{zz}");
    }

    #[test]
    fn truncation_keeps_whole_characters() {
        assert_eq!(truncate_bytes("abcdef", 3), "abc");
        assert_eq!(truncate_bytes("aé", 2), "a");
        assert_eq!(truncate_bytes("ab", 63), "ab");
    }

    #[test]
    fn names_follow_seaorm() {
        let cols = ["a".to_string(), "b".to_string()];
        assert_eq!(index_name("t", "a"), "idx-t-a");
        assert_eq!(foreign_key_name("t", &cols), "fk-t-a-b");
        assert_eq!(unique_name("t", &cols), "t_a_b_key");
        assert_eq!(primary_key_name("t"), "pk-t");
        // A table of another schema: the names use its bare name.
        let billing = qualified(Some("billing"), "t");
        assert_eq!(index_name(&billing, "a"), "idx-t-a");
        assert_eq!(display_name(&billing), "billing.t");
        assert_eq!(seaorm_column_variant("user_id"), "UserId");
        assert_eq!(seaorm_column_variant("r#type"), "Type");
        assert_eq!(seaorm_column_variant("self_"), "Self_");
    }
}
