//! The version tables and what autogen writes into them: sqlx's `_sqlx_migrations` (its rows
//! are written by sqlx's own `Migrate` online), sea-orm-migration's `seaql_migrations`, and
//! autogen's `autogen_checksums` for Rust revisions.

use crate::error::{Result, io};
use crate::revision::Revision;
use crate::target::Direction;
use autogen_db::{CHECKSUM_TABLE, SEAQL_TABLE};
use autogen_schema::SqlDialect;

/// SHA-384 of bytes, hex.
fn sha384(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha384::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What [`CHECKSUM_TABLE`] records for a Rust revision: SHA-384 of its tokens (what compiles and
/// runs), so that `cargo fmt` or a comment does not make an applied revision "edited", while any
/// change to its code or statements does. The tokens are proc-macro2's lexing of the file, which
/// the migration crate's `build.rs` repeats with the same function to check the same sums at
/// application startup (`crates/migrate/templates/`); a file that does not lex is checksummed as bytes.
pub(crate) fn rust_checksum(text: &str) -> String {
    match text.parse::<proc_macro2::TokenStream>() {
        Ok(tokens) => sha384(canonical_tokens(tokens).as_bytes()),
        Err(_) => sha384(text.as_bytes()),
    }
}

/// The sum autogen recorded before checksums followed the lexed tokens: of syn's reprinting of the
/// parsed file, as proc-macro2 displays it.
fn parsed_checksum(text: &str) -> Option<String> {
    use quote::ToTokens;
    let file = syn::parse_file(text).ok()?;
    Some(sha384(displayed_tokens(file.to_token_stream()).as_bytes()))
}

// `canonical_tokens`: the one spelling of the tokens autogen checksums, written once for autogen
// and for the migration crate's build.rs (which gets the file as it is).
include!("../templates/canonical_tokens.rs");

/// How autogen spelled tokens before [`canonical_tokens`]: proc-macro2's display of syn's
/// reprinting, trailing commas dropped. Read only to accept sums recorded then.
fn displayed_tokens(tokens: proc_macro2::TokenStream) -> String {
    use proc_macro2::{Group, TokenStream, TokenTree};
    fn walk(tokens: TokenStream) -> TokenStream {
        let mut trees: Vec<TokenTree> = tokens
            .into_iter()
            .map(|t| match t {
                TokenTree::Group(g) => {
                    TokenTree::Group(Group::new(g.delimiter(), walk(g.stream())))
                }
                other => other,
            })
            .collect();
        if matches!(trees.last(), Some(TokenTree::Punct(p)) if p.as_char() == ',') {
            trees.pop();
        }
        trees.into_iter().collect()
    }
    walk(tokens).to_string()
}

/// Whether `recorded` is `text`'s checksum: its tokens', or as autogen recorded it before
/// (syn's reprinting, or the file's bytes).
pub(crate) fn rust_checksum_matches(text: &str, recorded: &[u8]) -> bool {
    rust_checksum(text).as_bytes() == recorded
        || sha384(text.as_bytes()).as_bytes() == recorded
        || parsed_checksum(text).is_some_and(|sum| sum.as_bytes() == recorded)
}

/// sea-orm-migration's history table.
pub(crate) fn seaql_table_ddl() -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS {SEAQL_TABLE} (version varchar(255) NOT NULL PRIMARY KEY, applied_at bigint NOT NULL)"
    )
}

/// autogen's table of Rust revisions' file checksums.
pub(crate) fn checksum_table_ddl() -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS {CHECKSUM_TABLE} (version varchar(255) NOT NULL PRIMARY KEY, checksum varchar(96) NOT NULL)"
    )
}

/// Records (up) or forgets (down) a Rust revision's checksum.
pub(crate) fn checksum_statements(
    rev: &Revision,
    direction: Direction,
    sql: &dyn SqlDialect,
) -> Result<Vec<String>> {
    let name = sql.string_literal(&rev.name);
    let mut out = vec![format!(
        "DELETE FROM {CHECKSUM_TABLE} WHERE version = {name}"
    )];
    if direction == Direction::Up {
        let text = std::fs::read_to_string(&rev.path).map_err(io(&rev.path))?;
        out.push(format!(
            "INSERT INTO {CHECKSUM_TABLE} (version, checksum) VALUES ({name}, {})",
            sql.string_literal(&rust_checksum(&text))
        ));
    }
    Ok(out)
}

/// Records `name` as applied now in sea-orm-migration's table.
pub(crate) fn seaql_insert(name: &str, sql: &dyn SqlDialect) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format!(
        "INSERT INTO {SEAQL_TABLE} (version, applied_at) VALUES ({}, {now})",
        sql.string_literal(name)
    )
}

/// Forgets a Rust revision in sea-orm-migration's table.
pub(crate) fn seaql_delete(name: &str, sql: &dyn SqlDialect) -> String {
    format!(
        "DELETE FROM {SEAQL_TABLE} WHERE version = {}",
        sql.string_literal(name)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formatting_does_not_change_a_rust_checksum_but_code_does() {
        let a =
            "fn up(&self, m: &M) -> R {\n    db.run(\"CREATE TABLE t\").await?;\n    Ok(())\n}\n";
        let b = "// note\nfn up(\n\t&self,\n\tm: &M,\n) -> R {\n\tdb.run(\n\t\t\"CREATE TABLE t\",\n\t)\n\t.await?;\n\tOk(())\n}\n";
        assert_eq!(rust_checksum(a), rust_checksum(b));
        assert_ne!(
            rust_checksum(a),
            rust_checksum(&a.replace("TABLE t", "TABLE u"))
        );
        assert!(
            rust_checksum_matches(a, sha384(a.as_bytes()).as_bytes()),
            "old byte checksums"
        );
    }

    /// syn's reprinting of a file: the same tokens, spaced its own way.
    fn parsed(text: &str) -> String {
        use quote::ToTokens;
        syn::parse_file(text).unwrap().to_token_stream().to_string()
    }

    #[test]
    fn lexed_and_parsed_tokens_agree_on_the_revisions_autogen_writes() {
        let meta = crate::revision::RevisionMeta {
            id: "20261206000000".into(),
            parents: vec!["20261205000000".into()],
            message: "add \"fees\" /* table */".into(),
            allow: Vec::new(),
            change: None,
            dialect: None,
        };
        let text = "//! autogen revision: 1\n/// Doc.\nuse sea_orm_migration::prelude::*;\n\
            #[derive(DeriveMigrationName)]\npub struct Migration;\n\
            impl MigrationTrait for Migration {\n    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {\n\
            let db = m.get_connection();\n        db.execute_unprepared(r#\"CREATE TABLE \"t\" (x int)\"#).await?;\n\
            let n = (1 + 2) * 3;\n        if n > 0 && !false { Ok(()) } else { Err(DbErr::Custom(format!(\"{n}\"))) }\n    }\n}\n";
        assert_eq!(rust_checksum(text), rust_checksum(&parsed(text)));
        assert!(rust_checksum_matches(
            text,
            parsed_checksum(text).unwrap_or_default().as_bytes()
        ));
        let empty = crate::header::rust_empty_file(&meta);
        assert_eq!(rust_checksum(&empty), rust_checksum(&parsed(&empty)));
    }
}
