//! Rust names for database names: module, struct field, enum variant and type names that are
//! valid, ASCII (Rust needs `#[path]` for a non-ASCII module file), unique where they must be,
//! and as close to the database's spelling as those rules allow. Where a Rust name differs from
//! the database's, the entity says the database's (`table_name`, `column_name`, `string_value`).

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

/// Rust's keywords (2024 edition, strict and reserved).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

/// `name` as ASCII word characters: letters and digits kept, everything else a separator.
fn ascii_words(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// `name` in snake_case ASCII: never empty, never starting with a digit.
fn snake_base(name: &str) -> String {
    let mut s = ascii_words(name).to_snake_case();
    if s.is_empty() {
        s = "x".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    s
}

/// A module name for `name`: a keyword gets a trailing `_` (a module is a file, where `r#`
/// does not go).
pub(crate) fn snake(name: &str) -> String {
    let mut s = snake_base(name);
    // SeaORM's dense `model` macro names relations after the module in UpperCamelCase: a
    // module `self_` would give `Self`, no identifier.
    if s == "self" {
        return "self_table".into();
    }
    if KEYWORDS.contains(&s.as_str()) {
        s.push('_');
    }
    s
}

/// A field name for `name`: a keyword is written raw (`r#type`), as sea-orm-cli writes it,
/// where Rust allows that.
pub(crate) fn field(name: &str) -> String {
    let mut s = snake_base(name);
    // SeaORM names the `Column` variant after the field in UpperCamelCase, which drops a
    // leading `_`: `_1st` would become `1st`, no identifier.
    if s.starts_with('_') && s[1..].starts_with(|c: char| c.is_ascii_digit()) {
        s.replace_range(..1, "col_");
    }
    match s.as_str() {
        // SeaORM's dense `model` macro turns `self_` into a `Self` variant, no identifier.
        "self" => "self_column".into(),
        k if NOT_RAW.contains(&k) => format!("{k}_"),
        k if KEYWORDS.contains(&k) => format!("r#{k}"),
        _ => s,
    }
}

/// English plural of a snake_case name, for `has_many` fields: `film_categories`, `addresses`.
pub(crate) fn plural(name: &str) -> String {
    let consonant_y = name.len() > 1
        && name.ends_with('y')
        && !name[..name.len() - 1].ends_with(['a', 'e', 'i', 'o', 'u']);
    if consonant_y {
        format!("{}ies", &name[..name.len() - 1])
    } else if name.ends_with(['s', 'x', 'z']) || name.ends_with("ch") || name.ends_with("sh") {
        format!("{name}es")
    } else {
        format!("{name}s")
    }
}

/// An UpperCamelCase type or variant name for `name`.
pub(crate) fn camel(name: &str) -> String {
    let mut s = ascii_words(name).to_upper_camel_case();
    if s.is_empty() {
        s = "X".into();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    if KEYWORDS.contains(&s.as_str()) {
        s.push('_');
    }
    s
}

/// Hands out names, each unique among those handed out: a clash gets `_2`, `_3`, … (or `2`,
/// `3` for camel-case names).
#[derive(Default)]
pub(crate) struct Unique {
    taken: BTreeSet<String>,
}

impl Unique {
    /// Reserves names that are taken already (`Model`, `Column`, …).
    pub(crate) fn with(taken: &[&str]) -> Unique {
        Unique {
            taken: taken.iter().map(|s| s.to_string()).collect(),
        }
    }

    pub(crate) fn take(&mut self, wanted: String) -> String {
        // Compared as SeaORM derives other names from them: without `r#`, in any case.
        let key = |s: &str| s.trim_start_matches("r#").to_ascii_lowercase();
        let taken: BTreeSet<String> = self.taken.iter().map(|t| key(t)).collect();
        let mut name = wanted.clone();
        let camel = wanted.starts_with(|c: char| c.is_ascii_uppercase());
        let mut n = 2;
        while taken.contains(&key(&name)) {
            name = if camel {
                format!("{wanted}{n}")
            } else {
                format!("{}_{n}", wanted.trim_start_matches("r#"))
            };
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_rust_identifiers() {
        assert_eq!(snake("InvoiceLine"), "invoice_line");
        assert_eq!(snake("order details"), "order_details");
        assert_eq!(snake("2fa"), "_2fa");
        assert_eq!(snake("type"), "type_");
        assert_eq!(snake("Self"), "self_table");
        assert_eq!(snake("bıgınt"), "b_g_nt");
        assert_eq!(snake(""), "x");
        assert_eq!(field("type"), "r#type");
        assert_eq!(field("self"), "self_column");
        assert_eq!(field("super"), "super_");
        assert_eq!(field("1st"), "col_1st");
        assert_eq!(field("_1st"), "col_1st");
        assert_eq!(camel("mpaa_rating"), "MpaaRating");
        assert_eq!(camel("NC-17"), "Nc17");
        assert_eq!(camel("self"), "Self_");
    }

    #[test]
    fn has_many_fields_are_english_plurals() {
        assert_eq!(plural("film_category"), "film_categories");
        assert_eq!(plural("inventory"), "inventories");
        assert_eq!(plural("day"), "days");
        assert_eq!(plural("address"), "addresses");
        assert_eq!(plural("box"), "boxes");
        assert_eq!(plural("batch"), "batches");
        assert_eq!(plural("film"), "films");
        assert_eq!(plural("y"), "ys");
    }

    #[test]
    fn clashes_get_numbers() {
        let mut u = Unique::with(&["Model"]);
        assert_eq!(u.take("a".into()), "a");
        assert_eq!(u.take("a".into()), "a_2");
        assert_eq!(u.take("Model".into()), "Model2");
        assert_eq!(u.take("r#type".into()), "r#type");
        assert_eq!(u.take("type_".into()), "type_");
    }
}
