//! Column defaults as SQL text -> [`DefaultValue`], in the spelling every dialect shares.
//! Dialect habits (PostgreSQL's `::casts`) are peeled off by the dialect before this runs.

use crate::ir::DefaultValue;

/// A numeric literal in one spelling: no `+`, no parentheses, no trailing fractional zeros.
pub fn canonical_number(raw: &str) -> String {
    let mut s = raw.trim();
    while s.starts_with('(') && s.ends_with(')') {
        s = s[1..s.len() - 1].trim();
    }
    let s = s.strip_prefix('+').unwrap_or(s);
    let mut s = s.to_string();
    if s.contains('.') && !s.contains(['e', 'E']) {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    if s == "-0" || s.is_empty() {
        s = "0".into();
    }
    s
}

/// Whether `s` is a plain decimal number (`-1`, `0.50`).
pub(crate) fn is_number(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    !s.is_empty() && s.parse::<f64>().is_ok() && s.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// Parses a default expression (`'pending'`, `now()`, `CURRENT_TIMESTAMP`, `(-1)`, `TRUE`, …)
/// into a [`DefaultValue`]; anything else is kept verbatim as an expression.
pub fn default_from_sql(raw: &str) -> DefaultValue {
    let mut inner = raw.trim();
    while inner.starts_with('(') && inner.ends_with(')') && balanced(&inner[1..inner.len() - 1]) {
        inner = inner[1..inner.len() - 1].trim();
    }
    let upper = inner.to_ascii_uppercase();
    // `NULL::character varying`: PostgreSQL prints a typed NULL default with its cast.
    if upper
        .strip_prefix("NULL::")
        .is_some_and(|ty| !ty.is_empty() && !ty.contains(['(', ')', '\'']) || ty_with_size(ty))
    {
        return DefaultValue::Null;
    }
    match upper.as_str() {
        "NULL" => return DefaultValue::Null,
        "TRUE" => return DefaultValue::Bool(true),
        "FALSE" => return DefaultValue::Bool(false),
        "NOW()" | "CURRENT_TIMESTAMP" | "CURRENT_TIMESTAMP()" | "LOCALTIMESTAMP" => {
            return DefaultValue::CurrentTimestamp;
        }
        "CURRENT_DATE" => return DefaultValue::CurrentDate,
        "CURRENT_TIME" => return DefaultValue::CurrentTime,
        _ => {}
    }
    if is_number(inner) {
        return DefaultValue::Number(canonical_number(inner));
    }
    if let Some(lit) = string_literal(inner) {
        return DefaultValue::String(lit);
    }
    DefaultValue::Expr(raw.trim().to_string())
}

/// A type name with a size, as a cast prints it: `CHARACTER VARYING(20)`, `NUMERIC(10,2)`.
fn ty_with_size(ty: &str) -> bool {
    ty.split_once('(').is_some_and(|(name, size)| {
        !name.is_empty()
            && size.strip_suffix(')').is_some_and(|n| {
                n.chars()
                    .all(|c| c.is_ascii_digit() || c == ',' || c == ' ')
            })
    })
}

/// Whether parentheses in `s` (outside quotes) balance.
pub(crate) fn balanced(s: &str) -> bool {
    let mut depth = 0i32;
    let mut in_str = false;
    for c in s.chars() {
        match c {
            '\'' => in_str = !in_str,
            '(' if !in_str => depth += 1,
            ')' if !in_str => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

/// The text of a single-quoted SQL string literal, or `None` if `s` is not exactly one.
fn string_literal(s: &str) -> Option<String> {
    let body = s.strip_prefix('\'')?.strip_suffix('\'')?;
    let mut out = String::new();
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            // Only a doubled quote may appear inside.
            if chars.next() != Some('\'') {
                return None;
            }
        }
        out.push(c);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use DefaultValue as D;

    #[test]
    fn shared_spellings() {
        let lite = default_from_sql;
        assert_eq!(lite("'pending'"), D::String("pending".into()));
        assert_eq!(lite("CURRENT_TIMESTAMP"), D::CurrentTimestamp);
        assert_eq!(lite("1"), D::Number("1".into()));
        assert_eq!(lite("TRUE"), D::Bool(true));
        assert_eq!(lite("'a'||'b'"), D::Expr("'a'||'b'".into()));
        assert_eq!(lite("(-1)"), D::Number("-1".into()));
    }

    #[test]
    fn canonical_numbers() {
        assert_eq!(canonical_number("+1.500"), "1.5");
        assert_eq!(canonical_number("(-0)"), "0");
        assert_eq!(canonical_number("10"), "10");
        assert_eq!(canonical_number("1e10"), "1e10");
    }
}

impl crate::ir::Schema {
    /// The sequences column defaults draw from (`nextval(…)`, in any spelling).
    pub fn default_sequences(&self) -> std::collections::BTreeSet<String> {
        self.tables
            .values()
            .flat_map(|t| &t.columns)
            .filter_map(|c| c.default.as_ref().and_then(nextval_sequence))
            .collect()
    }
}

/// The sequence a `nextval('name'::regclass)` default draws from: `customer_customer_id_seq`,
/// `Seq` for `nextval('"Seq"'::regclass)`, and for a sequence of another schema its key
/// ([`crate::lexical::qualified`]: `billing` + `invoice_id_seq`).
pub fn nextval_sequence(default: &DefaultValue) -> Option<String> {
    let DefaultValue::Expr(e) = default else {
        return None;
    };
    // `nextval('s'::regclass)`, `nextval('s')`, and older dumps' `nextval(('s'::text)::regclass)`.
    let mut arg = e.trim().strip_prefix("nextval(")?.strip_suffix(')')?.trim();
    loop {
        let before = arg;
        for cast in ["::regclass", "::text", "::character varying"] {
            arg = arg.strip_suffix(cast).unwrap_or(arg).trim();
        }
        if arg.starts_with('(') && arg.ends_with(')') && balanced(&arg[1..arg.len() - 1]) {
            arg = arg[1..arg.len() - 1].trim();
        }
        if arg == before {
            break;
        }
    }
    let name = arg.strip_prefix('\'')?.strip_suffix('\'')?;
    if name.contains('\'') {
        return None;
    }
    match identifier_parts(name)?.as_slice() {
        [sequence] => Some(sequence.clone()),
        [schema, sequence] => Some(crate::lexical::qualified(Some(schema), sequence)),
        _ => None,
    }
}

/// `a`, `"A"`, `s.a`, `"S"."a ""b"""` -> the identifiers, unquoted; `None` when malformed.
fn identifier_parts(name: &str) -> Option<Vec<String>> {
    let mut parts = Vec::new();
    let mut chars = name.chars().peekable();
    loop {
        let mut part = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next()? {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        part.push('"');
                    }
                    '"' => break,
                    c => part.push(c),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == '.' || c == '"' {
                    break;
                }
                part.push(c);
                chars.next();
            }
        }
        if part.is_empty() {
            return None;
        }
        parts.push(part);
        match chars.next() {
            None => return Some(parts),
            Some('.') => {}
            Some(_) => return None,
        }
    }
}

#[cfg(test)]
mod nextval_tests {
    use super::*;

    #[test]
    fn sequences_of_nextval_defaults() {
        let e = |s: &str| DefaultValue::Expr(s.into());
        assert_eq!(
            nextval_sequence(&e("nextval('customer_customer_id_seq'::regclass)")),
            Some("customer_customer_id_seq".into())
        );
        assert_eq!(
            nextval_sequence(&e("nextval('\"Seq\"'::regclass)")),
            Some("Seq".into())
        );
        assert_eq!(
            nextval_sequence(&e("nextval('other.seq'::regclass)")),
            Some("other\0seq".into())
        );
        assert_eq!(
            nextval_sequence(&e("nextval('\"O t\".\"S\"\"q\"'::regclass)")),
            Some("O t\0S\"q".into())
        );
        assert_eq!(nextval_sequence(&e("nextval('a.b.c'::regclass)")), None);
        // Every spelling that names a sequence: older pg_dump's and a bare literal.
        for spelled in [
            "nextval(('contacts_seq'::text)::regclass)",
            "nextval('contacts_seq')",
            "nextval(('contacts_seq'::character varying)::regclass)",
        ] {
            assert_eq!(
                nextval_sequence(&e(spelled)).as_deref(),
                Some("contacts_seq"),
                "{spelled}"
            );
        }
        assert_eq!(nextval_sequence(&e("nextval('a' || 'b')")), None);
        assert_eq!(
            default_from_sql("NULL::character varying"),
            DefaultValue::Null
        );
        assert_eq!(default_from_sql("NULL::numeric(10,2)"), DefaultValue::Null);
        assert_ne!(default_from_sql("NULL::int || 'x'"), DefaultValue::Null);
        assert_eq!(nextval_sequence(&e("nextval('\"open'::regclass)")), None);
        assert_eq!(nextval_sequence(&e("now()")), None);
        assert_eq!(nextval_sequence(&DefaultValue::CurrentTimestamp), None);
    }
}
