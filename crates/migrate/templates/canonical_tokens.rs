/// Tokens in one spelling: each token once, a space after it, whatever the spacing of the
/// source (so syn's reprinting and the lexer agree); a comma that only ends a group
/// (`f(a, b,)`, which rustfmt adds when it wraps a list and removes when it joins one) dropped.
/// autogen checksums a Rust migration with it, and so does the migration crate's `build.rs`.
fn canonical_tokens(tokens: proc_macro2::TokenStream) -> String {
    use proc_macro2::{Delimiter, TokenStream, TokenTree};
    fn walk(tokens: TokenStream, out: &mut String) {
        let mut trees: Vec<TokenTree> = tokens.into_iter().collect();
        if matches!(trees.last(), Some(TokenTree::Punct(p)) if p.as_char() == ',') {
            trees.pop();
        }
        for tree in trees {
            match tree {
                TokenTree::Group(g) => {
                    let (open, close) = match g.delimiter() {
                        Delimiter::Parenthesis => ("(", ")"),
                        Delimiter::Brace => ("{", "}"),
                        Delimiter::Bracket => ("[", "]"),
                        Delimiter::None => ("", ""),
                    };
                    out.push_str(open);
                    out.push(' ');
                    walk(g.stream(), out);
                    out.push_str(close);
                }
                TokenTree::Punct(p) => out.push(p.as_char()),
                other => out.push_str(&other.to_string()),
            }
            out.push(' ');
        }
    }
    let mut out = String::new();
    walk(tokens, &mut out);
    out
}
