//! A sea-orm-migration 2.0 module for a migration's up and down bodies, built with `quote` and
//! formatted with `prettyplease`.
//!
//! Each statement is the same SQL the SQL format writes, executed with `execute_unprepared`,
//! so both formats apply byte-identical DDL. The header lines (`//!`) are the revision file
//! format's, which `migrate` owns and hands in.

use crate::body::{Body, NoTransaction};
use autogen_schema::lexical::comment_text;
use quote::quote;

/// A `// text` line in the generated code: prettyplease drops comments, so the text travels as
/// a marker statement that [`comments_from_markers`] turns into a comment, escaped so that
/// nothing in it can end the line.
fn comment(text: &str) -> proc_macro2::TokenStream {
    let text = format!(" {}", comment_text(text));
    quote! { let _ = #text; }
}

fn statements_block(body: &Body) -> proc_macro2::TokenStream {
    // An online revision's session settings (`SET lock_timeout`) hold for the connection they
    // ran on: every statement runs on that one connection, not on whichever the pool hands out.
    let connection = if body.no_transaction == Some(NoTransaction::Online) {
        quote! { let mut db = OneConnection::of(manager.get_connection()).await?; }
    } else {
        quote! { let db = manager.get_connection(); }
    };
    let mut lines = Vec::new();
    if body.single_script {
        // A SQLite rebuild turns foreign keys off for one connection and opens its own
        // transaction: one multi-statement call keeps it all on that connection.
        for step in body.steps.iter().filter(|s| s.op) {
            lines.push(comment(&step.describe));
        }
        let script: Vec<String> = body.statements().map(|s| format!("{s};")).collect();
        let lit = sql_literal(&script.join("\n"));
        lines.push(quote! { db.execute_unprepared(#lit).await?; });
    } else {
        for step in &body.steps {
            for (i, s) in step.statements.iter().enumerate() {
                if i == 0 {
                    lines.push(comment(&step.describe));
                }
                let lit = sql_literal(s);
                lines.push(quote! { db.execute_unprepared(#lit).await?; });
            }
        }
    }
    quote! {
        #connection
        #(#lines)*
        Ok(())
    }
}

/// The helper an online module holds: one connection of the pool for the whole revision.
fn one_connection() -> proc_macro2::TokenStream {
    quote! {
        /// One connection of the pool for the whole revision: a session setting holds for the
        /// connection it ran on, and the statements after it must run there too.
        struct OneConnection(
            sea_orm::sqlx::pool::PoolConnection<sea_orm::sqlx::Postgres>,
        );

        impl OneConnection {
            async fn of(db: &SchemaManagerConnection<'_>) -> Result<Self, DbErr> {
                let SchemaManagerConnection::Connection(db) = db else {
                    return Err(DbErr::Custom(
                        "an online revision runs outside a transaction".into(),
                    ));
                };
                let conn = db
                    .get_postgres_connection_pool()
                    .acquire()
                    .await
                    .map_err(|e| DbErr::Conn(sea_orm::RuntimeErr::SqlxError(e.into())))?;
                Ok(OneConnection(conn))
            }

            async fn execute_unprepared(&mut self, sql: &str) -> Result<(), DbErr> {
                sea_orm::sqlx::raw_sql(sea_orm::sqlx::AssertSqlSafe(sql.to_string()))
                    .execute(&mut *self.0)
                    .await
                    .map(drop)
                    .map_err(|e| DbErr::Exec(sea_orm::RuntimeErr::SqlxError(e.into())))
            }
        }
    }
}

/// A string literal for SQL: raw (`r#"…"#`, enough `#`s) when it has quotes or line breaks, so
/// reviewers read the statement as it will run. A carriage return (in a quoted name) rules a raw
/// string out: rustc reads `\r\n` in source as `\n`, which would change the statement.
fn sql_literal(sql: &str) -> proc_macro2::TokenStream {
    let plain = !sql.contains('"') && !sql.contains('\n') && !sql.contains('\\');
    if plain || sql.contains('\r') {
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
            .strip_prefix("let _ = ")
            .and_then(|rest| rest.strip_suffix(';'))
            .and_then(|lit| syn::parse_str::<syn::LitStr>(lit).ok())
            .map(|lit| lit.value())
            .and_then(|v| v.strip_prefix(' ').map(str::to_string));
        match marker {
            Some(body) => {
                let indent = &line[..line.len() - trimmed.len()];
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

/// The module for a migration whose up and down bodies are given, under `header` (`//!` lines).
pub fn rust_module(header: &[String], up: &Body, down: &Body) -> String {
    let up_block = statements_block(up);
    let down_block = statements_block(down);
    // sea-orm-migration wraps migrations in a transaction only on PostgreSQL by default; ask
    // for one everywhere, unless a statement refuses to run inside one.
    let statement = |b: &Body| b.no_transaction == Some(NoTransaction::Statement);
    let online = |b: &Body| b.no_transaction == Some(NoTransaction::Online);
    let transaction = match &up.no_transaction {
        Some(NoTransaction::Server(why)) => {
            let why = format!(" Runs outside a transaction: {why}.");
            quote! {
                let _ = #why;
                Some(false)
            }
        }
        _ if online(up) || online(down) => {
            let why = " Runs outside a transaction (safety = \"online\"): each statement commits on its own, and each is idempotent, so after a failure it runs again.";
            quote! {
                let _ = #why;
                Some(false)
            }
        }
        _ if statement(up) || statement(down) => {
            let why =
                " Runs outside a transaction: it holds a statement PostgreSQL refuses inside one.";
            quote! {
                let _ = #why;
                Some(false)
            }
        }
        _ => quote! { Some(true) },
    };
    let transaction = quote! {
        fn use_transaction(&self) -> Option<bool> {
            #transaction
        }
    };
    let helper = if online(up) || online(down) {
        one_connection()
    } else {
        quote! {}
    };
    migration_file(header, up_block, down_block, transaction, helper)
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

/// A module with nothing in it yet, to be filled in by hand (`autogen revision -m`): a
/// data-migration skeleton that updates in batches, sized by `-x batch_size=N`.
pub fn rust_empty_module(header: &[String]) -> String {
    let comments = |lines: &[&str]| -> Vec<proc_macro2::TokenStream> {
        lines.iter().map(|l| comment(l)).collect()
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
    migration_file(header, up, down, quote! {}, quote! {})
}

/// The file around the `up` and `down` bodies, with the revision's header lines.
fn migration_file(
    header: &[String],
    up: proc_macro2::TokenStream,
    down: proc_macro2::TokenStream,
    transaction: proc_macro2::TokenStream,
    helper: proc_macro2::TokenStream,
) -> String {
    let header: Vec<String> = header.iter().map(|l| format!(" {l}")).collect();
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

        #helper
    })
}

/// The migration crate's `lib.rs`: every migration module, in revision order, registered in
/// the `Migrator`. autogen owns this file and rewrites it whole.
/// The words that open a `lib.rs` autogen wrote (and may rewrite); one without them is the
/// user's, which autogen only adds to.
pub const RUST_LIB_MARKER: &str = "Generated by autogen";

/// A migration crate's `lib.rs` registering `modules` in order; with `startup`, it declares
/// `pub mod autogen;` (the startup entry point autogen writes beside it).
pub fn rust_lib(modules: &[String], startup: bool) -> String {
    let idents: Vec<syn::Ident> = modules
        .iter()
        .map(|m| syn::Ident::new(m, proc_macro2::Span::call_site()))
        .collect();
    let startup = startup.then(|| {
        quote! {
            /// `autogen::up(&db, lock_timeout)`: the pending migrations at application startup,
            /// under autogen's lock and checksums.
            pub mod autogen;
        }
    });
    let tokens = quote! {
        //! Generated by autogen; the list of migrations is rewritten by `autogen revision`.
        pub use sea_orm_migration::prelude::*;

        #startup
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
        // rustc would read a raw `\r\n` back as `\n`: an escaped literal keeps the name exact.
        let lit = sql_literal("CREATE TABLE \"a\r\nb\" (x int)").to_string();
        let parsed: syn::LitStr = syn::parse_str(&lit).unwrap();
        assert_eq!(parsed.value(), "CREATE TABLE \"a\r\nb\" (x int)");
    }

    #[test]
    fn empty_migrations_say_where_the_code_goes() {
        let text = rust_empty_module(&["autogen message: backfill".into()]);
        assert!(text.contains("// Write the forward change here"), "{text}");
        assert!(text.contains("AUTOGEN_X_BATCH_SIZE"), "{text}");
        assert!(
            text.contains("//     if done.rows_affected() == 0 {"),
            "{text}"
        );
        assert!(text.contains("//! autogen message: backfill"), "{text}");
    }

    #[test]
    fn markers_become_comments() {
        let text = "fn f() {\n    let _ = \" drop table \\\"t\\\"\";\n    g();\n}\n";
        assert_eq!(
            comments_from_markers(text),
            "fn f() {\n    // drop table \"t\"\n    g();\n}\n"
        );
    }

    #[test]
    fn a_name_with_a_line_break_stays_in_its_comment() {
        let body = Body {
            steps: vec![crate::body::Step {
                describe: "create table t\n}\nfn evil() {".into(),
                statements: vec!["CREATE TABLE x (a int)".into()],
                op: true,
            }],
            ..Body::default()
        };
        let text = rust_module(&[], &body, &Body::default());
        assert!(
            text.contains("        // create table t\\n}\\nfn evil() {\n"),
            "{text}"
        );
        assert!(!text.contains("\nfn evil"), "{text}");
    }
}
