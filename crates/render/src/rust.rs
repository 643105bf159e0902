//! Plan -> a sea-orm-migration 2.0 file, built with `quote` and formatted with `prettyplease`.
//!
//! Each statement is the same SQL the SQL format writes, executed with `execute_unprepared`,
//! so both formats apply byte-identical DDL.

use crate::{RenderError, RevisionMeta, header_lines, sql};
use autogen_diff::Plan;
use quote::quote;

fn statements_block(plan: &Plan) -> Result<proc_macro2::TokenStream, RenderError> {
    let mut body = Vec::new();
    for op in &plan.ops {
        let describe = format!(" {}", op.describe());
        let stmts = sql::op_statements(op, plan.dialect)?;
        let mut first = true;
        for s in stmts {
            // prettyplease drops comments, so the op's description travels as a marker
            // statement that `comments_from_markers` turns into a `//` line.
            if first {
                body.push(quote! { let _ = #describe; });
                first = false;
            }
            let lit = sql_literal(&s);
            body.push(quote! { db.execute_unprepared(#lit).await?; });
        }
    }
    Ok(quote! {
        let db = manager.get_connection();
        #(#body)*
        Ok(())
    })
}

/// A string literal for SQL: raw (`r#"…"#`, enough `#`s) when it has quotes or line breaks, so
/// reviewers read the statement as it will run.
fn sql_literal(sql: &str) -> proc_macro2::TokenStream {
    if !sql.contains('"') && !sql.contains('\n') && !sql.contains('\\') {
        return quote! { #sql };
    }
    let mut hashes = 1;
    while sql.contains(&format!("\"{}", "#".repeat(hashes))) {
        hashes += 1;
    }
    let fence = "#".repeat(hashes);
    let text = format!("r{fence}\"{sql}\"{fence}");
    text.parse().unwrap_or_else(|_| quote! { #sql })
}

fn format_file(tokens: proc_macro2::TokenStream) -> String {
    match syn::parse2::<syn::File>(tokens.clone()) {
        Ok(file) => comments_from_markers(&prettyplease::unparse(&file)),
        Err(_) => tokens.to_string(),
    }
}

/// `let _ = " create table fees";` -> `// create table fees`.
fn comments_from_markers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let trimmed = line.trim_start();
        let marker = trimmed
            .strip_prefix("let _ = \" ")
            .and_then(|rest| rest.strip_suffix("\";"));
        match marker {
            Some(body) => {
                let indent = &line[..line.len() - trimmed.len()];
                let body = body.replace("\\\"", "\"").replace("\\\\", "\\");
                out.push_str(&format!("{indent}// {body}\n"));
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

/// A sea-orm-migration file for `plan` (up) and its reverse (down).
pub fn render_rust_migration(meta: &RevisionMeta, plan: &Plan) -> Result<String, RenderError> {
    let header: Vec<String> = header_lines(meta, &plan.hazards())
        .into_iter()
        .map(|l| format!(" {l}"))
        .collect();
    let up = statements_block(plan)?;
    let down = statements_block(&plan.reverse())?;
    let tokens = quote! {
        #(#![doc = #header])*

        use sea_orm_migration::prelude::*;

        #[derive(DeriveMigrationName)]
        pub struct Migration;

        #[async_trait::async_trait]
        impl MigrationTrait for Migration {
            async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
                #up
            }

            async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
                #down
            }
        }
    };
    Ok(format_file(tokens))
}

/// A sea-orm-migration file with nothing in it yet, to be filled in by hand (`autogen revision -m`).
pub fn render_rust_empty(meta: &RevisionMeta) -> String {
    let header: Vec<String> = header_lines(meta, &[])
        .into_iter()
        .map(|l| format!(" {l}"))
        .collect();
    let up = " Write the forward change here, e.g. a data migration: \
              manager.get_connection().execute_unprepared(\"UPDATE ...\").await?;";
    let down = " Write what undoes the up migration here.";
    let tokens = quote! {
        #(#![doc = #header])*

        use sea_orm_migration::prelude::*;

        #[derive(DeriveMigrationName)]
        pub struct Migration;

        #[async_trait::async_trait]
        impl MigrationTrait for Migration {
            async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
                let _ = #up;
                let _ = manager;
                Ok(())
            }

            async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
                let _ = #down;
                let _ = manager;
                Ok(())
            }
        }
    };
    format_file(tokens)
}

/// The migration crate's `lib.rs`: every migration module, in revision order, registered in
/// the `Migrator`. autogen owns this file and rewrites it whole.
pub fn render_rust_lib(modules: &[String]) -> String {
    let idents: Vec<syn::Ident> = modules
        .iter()
        .map(|m| syn::Ident::new(m, proc_macro2::Span::call_site()))
        .collect();
    let tokens = quote! {
        //! Generated by autogen; the list of migrations is rewritten by `autogen revision`.
        pub use sea_orm_migration::prelude::*;

        #(mod #idents;)*

        pub struct Migrator;

        #[async_trait::async_trait]
        impl MigratorTrait for Migrator {
            fn migrations() -> Vec<Box<dyn MigrationTrait>> {
                vec![#(Box::new(#idents::Migration)),*]
            }
        }
    };
    format_file(tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_with_quotes_is_a_raw_string() {
        assert_eq!(sql_literal("DROP TABLE t").to_string(), "\"DROP TABLE t\"");
        assert_eq!(
            sql_literal("DROP TABLE \"t\"").to_string(),
            "r#\"DROP TABLE \"t\"\"#"
        );
        assert_eq!(
            sql_literal("SELECT '\"#'").to_string(),
            "r##\"SELECT '\"#'\"##"
        );
    }

    #[test]
    fn empty_migrations_say_where_the_code_goes() {
        let meta = RevisionMeta {
            id: "20261126041500".into(),
            parent: None,
            message: "backfill".into(),
        };
        let text = render_rust_empty(&meta);
        assert!(text.contains("// Write the forward change here"), "{text}");
        assert!(text.contains("//! autogen message: backfill"), "{text}");
        assert_eq!(crate::parse_header(&text), Some(meta));
    }

    #[test]
    fn markers_become_comments() {
        let text = "fn f() {\n    let _ = \" drop table \\\"t\\\"\";\n    g();\n}\n";
        assert_eq!(
            comments_from_markers(text),
            "fn f() {\n    // drop table \"t\"\n    g();\n}\n"
        );
    }
}
