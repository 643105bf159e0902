//! Writing Rust source text.

/// A Rust string literal holding `s` exactly.
pub(crate) fn lit(s: &str) -> String {
    proc_macro2::Literal::string(s).to_string()
}

/// `#[sea_orm(a, b = "c")]` on its own line, indented, or nothing for no items.
pub(crate) fn sea_orm_attr(indent: &str, items: &[String]) -> String {
    if items.is_empty() {
        return String::new();
    }
    format!("{indent}#[sea_orm({})]\n", items.join(", "))
}

/// `#[cfg_attr(any(), autogen(…))]` lines for autogen's declarations.
pub(crate) fn declaration_attrs(indent: &str, declarations: &[String]) -> String {
    declarations
        .iter()
        .map(|d| format!("{indent}#[cfg_attr(any(), autogen({d}))]\n"))
        .collect()
}

/// A `//!` doc block.
pub(crate) fn module_doc(lines: &[String]) -> String {
    lines
        .iter()
        .map(|l| {
            if l.is_empty() {
                "//!\n".to_string()
            } else {
                format!("//! {l}\n")
            }
        })
        .collect()
}

/// Text safe inside a `//!` line: one line, nothing that ends it.
pub(crate) fn doc_text(s: &str) -> String {
    autogen_schema::lexical::comment_text(s)
}
