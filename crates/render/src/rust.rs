//! Plan -> a sea-orm-migration 2.0 file, built with `quote` and formatted with `prettyplease`.
//!
//! Each statement is the same SQL the SQL format writes, executed with `execute_unprepared`,
//! so both formats apply byte-identical DDL.

use crate::{RenderError, RevisionMeta, header_lines, sql};
use autogen_diff::Plan;
use quote::quote;

fn statements_block(plan: &Plan) -> Result<proc_macro2::TokenStream, RenderError> {
    if sql::rebuild_wrapper(plan).is_some() {
        // A SQLite rebuild turns foreign keys off for one connection and opens its own
        // transaction: one multi-statement call keeps it all on that connection.
        let mut body: Vec<proc_macro2::TokenStream> = plan
            .without_redundant_drops()
            .ops
            .iter()
            .map(|op| {
                let describe = format!(" {}", op.describe());
                quote! { let _ = #describe; }
            })
            .collect();
        let script: Vec<String> = sql::plan_statements(plan)?
            .into_iter()
            .map(|s| format!("{s};"))
            .collect();
        let lit = sql_literal(&script.join("\n"));
        body.push(quote! { db.execute_unprepared(#lit).await?; });
        return Ok(quote! {
            let db = manager.get_connection();
            #(#body)*
            Ok(())
        });
    }
    let mut body = Vec::new();
    for op in &plan.without_redundant_drops().ops {
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
    let up = statements_block(plan)?;
    let down = statements_block(&plan.reverse())?;
    let mut statements = Vec::new();
    for p in [plan, &plan.reverse()] {
        statements.extend(sql::plan_statements(p)?);
    }
    // sea-orm-migration wraps migrations in a transaction only on PostgreSQL by default; ask
    // for one everywhere, unless a statement refuses to run inside one.
    let transaction = if let Some(why) = plan.outside_transaction() {
        let why = format!(" Runs outside a transaction: {why}.");
        quote! {
            let _ = #why;
            Some(false)
        }
    } else if statements.iter().any(|s| crate::is_non_transactional(s)) {
        let why =
            " Runs outside a transaction: it holds a statement PostgreSQL refuses inside one.";
        quote! {
            let _ = #why;
            Some(false)
        }
    } else {
        quote! { Some(true) }
    };
    let transaction = quote! {
        fn use_transaction(&self) -> Option<bool> {
            #transaction
        }
    };
    Ok(migration_file(meta, &plan.hazards(), up, down, transaction))
}

/// The environment variable through which `autogen upgrade -x key=value` hands `value` to
/// migrations: `AUTOGEN_X_` and the key, upper-cased, non-alphanumerics as `_`.
pub fn x_arg_env(key: &str) -> String {
    let key: String = key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("AUTOGEN_X_{key}")
}

/// A sea-orm-migration file with nothing in it yet, to be filled in by hand (`autogen revision -m`):
/// a data-migration skeleton that updates in batches, sized by `-x batch_size=N`.
pub fn render_rust_empty(meta: &RevisionMeta) -> String {
    let comments = |lines: &[&str]| -> Vec<proc_macro2::TokenStream> {
        lines
            .iter()
            .map(|l| {
                let l = format!(" {l}");
                quote! { let _ = #l; }
            })
            .collect()
    };
    let intro = comments(&[
        "Write the forward change here. A data migration updates rows in batches, so that no",
        "statement holds its locks for long; `autogen upgrade -x batch_size=500` sets the size.",
    ]);
    let example = comments(&[
        "loop {",
        "    let done = db",
        "        .execute_unprepared(&format!(",
        "            \"UPDATE fees SET status = 'paid' WHERE id IN \\",
        "             (SELECT id FROM fees WHERE status = 'settled' LIMIT {batch_size})\"",
        "        ))",
        "        .await?;",
        "    if done.rows_affected() == 0 {",
        "        break;",
        "    }",
        "}",
    ]);
    let env = x_arg_env("batch_size");
    let up = quote! {
        #(#intro)*
        let batch_size: u64 = std::env::var(#env)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(1000);
        let db = manager.get_connection();
        #(#example)*
        let _ = (db, batch_size);
        Ok(())
    };
    let down = comments(&["Write what undoes the up migration here."]);
    let down = quote! {
        #(#down)*
        let _ = manager;
        Ok(())
    };
    migration_file(meta, &[], up, down, quote! {})
}

/// The file around the `up` and `down` bodies, with autogen's header.
fn migration_file(
    meta: &RevisionMeta,
    hazards: &[autogen_diff::Hazard],
    up: proc_macro2::TokenStream,
    down: proc_macro2::TokenStream,
    transaction: proc_macro2::TokenStream,
) -> String {
    let header: Vec<String> = header_lines(meta, hazards)
        .into_iter()
        .map(|l| format!(" {l}"))
        .collect();
    format_file(quote! {
        #(#![doc = #header])*

        use sea_orm_migration::prelude::*;

        #[derive(DeriveMigrationName)]
        pub struct Migration;

        #[async_trait::async_trait]
        impl MigrationTrait for Migration {
            #transaction

            async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
                #up
            }

            async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
                #down
            }
        }
    })
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
            parents: vec![],
            message: "backfill".into(),
        };
        let text = render_rust_empty(&meta);
        assert!(text.contains("// Write the forward change here"), "{text}");
        assert!(text.contains("AUTOGEN_X_BATCH_SIZE"), "{text}");
        assert!(
            text.contains("//     if done.rows_affected() == 0 {"),
            "{text}"
        );
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
