//! The reader's bound: how deep brackets and generic arguments may nest in an entity file.
//!
//! syn parses nested modules, types and expressions recursively; a file nested deeply enough
//! would overflow any stack. Files are read on a thread with a large stack (`dir.rs`), and a
//! file nested deeper than [`MAX_NESTING`] is refused here, at its position, before syn sees it.

use crate::error::ModelError;
use crate::raw::Ctx;

/// The deepest nesting of `(`, `[`, `{` and generic `<…>` an entity file may have.
pub const MAX_NESTING: usize = 1000;

/// Refuses `text` where it nests deeper than [`MAX_NESTING`].
pub(crate) fn check_nesting(ctx: &Ctx, text: &str) -> Result<(), ModelError> {
    match deepest_point(text, MAX_NESTING) {
        None => Ok(()),
        Some((line, column)) => Err(ModelError::At {
            location: crate::error::Location {
                file: ctx.path.clone(),
                line,
                column,
            },
            message: format!(
                "nested more than {MAX_NESTING} levels deep (modules, brackets or type arguments): \
                 autogen reads entity files up to that depth"
            ),
        }),
    }
}

/// The (line, column), 1-based, where nesting first passes `limit`; strings, character
/// literals and comments do not count. A `<` counts as an opening only right after a name or
/// `::` (`Option<`), and such openings are forgotten at `;`, `{` and `}`, which no generic
/// argument list spans; so comparisons cannot add up.
fn deepest_point(text: &str, limit: usize) -> Option<(usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let (mut line, mut column) = (1usize, 1usize);
    let (mut brackets, mut angles) = (0usize, 0usize);
    let mut i = 0;
    let advance = |c: char, line: &mut usize, column: &mut usize| {
        if c == '\n' {
            *line += 1;
            *column = 1;
        } else {
            *column += 1;
        }
    };
    while i < chars.len() {
        let c = chars[i];
        let skip = skip_literal_or_comment(&chars, i);
        if skip > 0 {
            for &k in &chars[i..i + skip] {
                advance(k, &mut line, &mut column);
            }
            i += skip;
            continue;
        }
        match c {
            '(' | '[' | '{' => {
                brackets += 1;
                if c == '{' {
                    angles = 0;
                }
            }
            ')' | ']' | '}' => {
                brackets = brackets.saturating_sub(1);
                if c == '}' {
                    angles = 0;
                }
            }
            ';' => angles = 0,
            '<' if i > 0
                && (chars[i - 1].is_alphanumeric()
                    || chars[i - 1] == '_'
                    || chars[i - 1] == ':') =>
            {
                angles += 1
            }
            '>' if angles > 0 && i > 0 && !matches!(chars[i - 1], '-' | '=') => angles -= 1,
            _ => {}
        }
        if brackets + angles > limit {
            return Some((line, column));
        }
        advance(c, &mut line, &mut column);
        i += 1;
    }
    None
}

/// How many characters at `i` belong to a string, character literal or comment (0: none).
fn skip_literal_or_comment(chars: &[char], i: usize) -> usize {
    let at = |k: usize| chars.get(k).copied();
    match (chars[i], at(i + 1)) {
        ('/', Some('/')) => chars[i..].iter().take_while(|&&c| c != '\n').count(),
        ('/', Some('*')) => {
            let (mut depth, mut k) = (0usize, i);
            while k < chars.len() {
                match (chars[k], at(k + 1)) {
                    ('/', Some('*')) => {
                        depth += 1;
                        k += 2;
                    }
                    ('*', Some('/')) => {
                        depth -= 1;
                        k += 2;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => k += 1,
                }
            }
            k - i
        }
        ('"', _) => quoted(chars, i),
        ('b', Some('"')) => 1 + quoted(chars, i + 1),
        ('r', Some('#' | '"')) | ('b', Some('r')) => raw_string(chars, i),
        ('\'', _) => {
            // A character literal (`'a'`, `'\n'`, `'\u{1F600}'`), not a lifetime (`'a`).
            match (at(i + 1), at(i + 2)) {
                (Some('\\'), _) => {
                    let end = chars[i + 2..].iter().position(|&c| c == '\'');
                    end.map_or(0, |e| e + 3)
                }
                (Some(_), Some('\'')) => 3,
                _ => 0,
            }
        }
        _ => 0,
    }
}

/// `"…"` with backslash escapes, from its opening quote at `i`.
fn quoted(chars: &[char], i: usize) -> usize {
    let mut k = i + 1;
    while k < chars.len() {
        match chars[k] {
            '\\' => k += 2,
            '"' => return k + 1 - i,
            _ => k += 1,
        }
    }
    chars.len() - i
}

/// `r#"…"#`, `br"…"`: a raw string from its `r` (or `b`) at `i`; 0 when it is only a name.
fn raw_string(chars: &[char], i: usize) -> usize {
    let mut k = i + if chars[i] == 'b' { 2 } else { 1 };
    let hashes = chars[k..].iter().take_while(|&&c| c == '#').count();
    k += hashes;
    if chars.get(k) != Some(&'"')
        || (i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_'))
    {
        return 0;
    }
    k += 1;
    while k < chars.len() {
        if chars[k] == '"'
            && chars[k + 1..]
                .iter()
                .take(hashes)
                .filter(|&&c| c == '#')
                .count()
                == hashes
        {
            return k + 1 + hashes - i;
        }
        k += 1;
    }
    chars.len() - i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_brackets_and_generic_arguments_not_text() {
        let deep = format!(
            "struct M {{ a: {}i32{} }}",
            "Option<".repeat(5),
            ">".repeat(5)
        );
        assert_eq!(deepest_point(&deep, 6), None);
        assert_eq!(deepest_point(&deep, 5), Some((1, 49)));
        let mods = format!("{}struct M;{}", "mod a {\n".repeat(4), "}".repeat(4));
        assert_eq!(deepest_point(&mods, 3), Some((4, 7)));
        // Brackets in strings, chars and comments, and comparisons, do not count.
        let text = "fn f() { let s = \"((((\"; let c = '('; /* (((( */ // ((((\n let r = r#\"((\"#; a < b; a<b; }";
        assert_eq!(deepest_point(text, 2), None);
        assert_eq!(deepest_point("fn f<'a>(x: &'a str) -> Vec<u8> {}", 3), None);
    }
}
