//! Ownership guards: the online stage runs again from the top after a failure, so before it
//! builds an index or adds a constraint it clears what an earlier run of itself left behind.
//! It clears only that: the SQL itself checks that the object holding the name is autogen's
//! leftover — the same definition, on the same table — before dropping it, and stops with an
//! error naming the object when anything else holds the name. So a script applied later, online
//! or offline, to a database autogen never saw cannot drop a foreign object either.

use crate::common::alter_table;
use autogen_schema::Dialect;
use autogen_schema::lexical::split_qualified;

/// What autogen's own index under a name looks like: an index of the table on these columns,
/// unique or not, partial or not, by access method.
pub(super) struct OwnIndex<'a> {
    pub columns: &'a [String],
    pub unique: bool,
    pub partial: bool,
    pub method: &'a str,
}

/// What autogen's own constraint under a name looks like.
pub(super) enum Own<'a> {
    /// A UNIQUE constraint of the table on these columns.
    Unique { columns: &'a [String] },
    /// A foreign key of the table from these columns to `ref_table`.
    ForeignKey {
        columns: &'a [String],
        ref_table: &'a str,
    },
    /// The CHECK (`column` IS NOT NULL) the online NOT NULL form adds.
    NotNullCheck { column: &'a str },
    /// The table's primary key.
    PrimaryKey,
    /// A CHECK of this definition, as the server renders it.
    Check { definition: &'a str },
}

fn lit(s: &str) -> String {
    Dialect::Postgres.sql().string_literal(s)
}

fn q(name: &str) -> String {
    Dialect::Postgres.sql().quote_ident(name)
}

/// The oid of the schema a table key lives in (the connection's own for a bare key).
fn namespace(table: &str) -> String {
    match split_qualified(table) {
        (Some(schema), _) => format!(
            "(SELECT oid FROM pg_namespace WHERE nspname = {})",
            lit(schema)
        ),
        (None, _) => "(SELECT oid FROM pg_namespace WHERE nspname = current_schema())".into(),
    }
}

/// The oid of a table by its key.
fn relation(table: &str) -> String {
    format!(
        "(SELECT oid FROM pg_class WHERE relname = {} AND relnamespace = {})",
        lit(split_qualified(table).1),
        namespace(table)
    )
}

/// `<names of the attributes numbered by keys, in key order> = ARRAY[columns]`.
fn same_columns(keys: &str, relid: &str, columns: &[String]) -> String {
    let expected: Vec<String> = columns.iter().map(|c| lit(c)).collect();
    format!(
        "ARRAY(SELECT a.attname::text FROM unnest({keys}) WITH ORDINALITY AS k(n, o)\n\
         \x20     JOIN pg_attribute a ON a.attrelid = {relid} AND a.attnum = k.n ORDER BY k.o)\n\
         \x20     = ARRAY[{}]::text[]",
        expected.join(", ")
    )
}

/// A `DO` block of `declare` and `body`, dollar-quoted with a tag nothing in them holds.
fn do_block(declare: &str, body: &str) -> String {
    let mut tag = "$autogen$".to_string();
    let mut n = 0;
    while body.contains(&tag) || declare.contains(&tag) {
        n += 1;
        tag = format!("$autogen{n}$");
    }
    format!("DO {tag}\nDECLARE\n{declare}\nBEGIN\n{body}\nEND\n{tag}")
}

/// `RAISE` naming what holds `name` and that nothing was dropped.
fn refuse(what: &str, name: &str, table: &str) -> String {
    format!(
        "    RAISE EXCEPTION 'autogen: % is held by an object autogen does not own (not % of table %); nothing was dropped',\n\
         \x20     {}, {}, {}\n\
         \x20     USING ERRCODE = 'duplicate_object', HINT = 'rename or drop that object, or run autogen -m again to pick another name';",
        lit(name),
        lit(what),
        lit(&autogen_schema::lexical::display_name(table)),
    )
}

/// Stops the run when an index name of the table's schema is held by anything but autogen's
/// own index `own` on `table` (which the `DROP INDEX CONCURRENTLY IF EXISTS` after it may then
/// clear; that drop cannot run inside this block).
pub(super) fn index_name_free_or_own(table: &str, name: &str, own: &OwnIndex) -> String {
    let OwnIndex {
        columns,
        unique,
        partial,
        method,
    } = own;
    let declare = format!(
        "  rel oid := {};\n  held pg_class;\n  ix pg_index;",
        relation(table)
    );
    let body = format!(
        "  SELECT * INTO held FROM pg_class WHERE relname = {} AND relnamespace = {};\n\
         \x20 IF NOT FOUND THEN RETURN; END IF;\n\
         \x20 SELECT * INTO ix FROM pg_index WHERE indexrelid = held.oid;\n\
         \x20 IF NOT FOUND OR ix.indrelid <> rel OR ix.indisunique <> {unique}\n\
         \x20    OR (ix.indpred IS NOT NULL) <> {partial}\n\
         \x20    OR (SELECT amname FROM pg_am WHERE oid = held.relam) <> {}\n\
         \x20    OR {} THEN\n{}\n  END IF;",
        lit(name),
        namespace(table),
        lit(method),
        not(&same_columns("ix.indkey::int2[]", "rel", columns)),
        refuse("an index of this definition", name, table)
    );
    do_block(&declare, &body)
}

/// Stops the run when an index name of the table's schema is held by anything but an index of
/// `table` whose definition (`pg_get_indexdef`) is one of `definitions`: a SQL file's index,
/// autogen's own when it is one the plan drops or creates under that name.
pub(super) fn index_name_free_or_defined(table: &str, name: &str, definitions: &[&str]) -> String {
    let declare = format!("  rel oid := {};\n  held pg_class;", relation(table));
    let body = format!(
        "  SELECT * INTO held FROM pg_class WHERE relname = {} AND relnamespace = {};\n\
         \x20 IF NOT FOUND THEN RETURN; END IF;\n\
         \x20 IF NOT EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = held.oid AND indrelid = rel)\n\
         \x20    OR pg_get_indexdef(held.oid) NOT IN ({}) THEN\n{}\n  END IF;",
        lit(name),
        namespace(table),
        definitions
            .iter()
            .map(|d| lit(d))
            .collect::<Vec<_>>()
            .join(", "),
        refuse("an index of this definition", name, table)
    );
    do_block(&declare, &body)
}

/// `NOT (…)` around a condition.
fn not(condition: &str) -> String {
    format!("NOT ({condition})")
}

/// Stops the run when a constraint of `table` named `name` is anything but autogen's own `own`
/// (which the `DROP CONSTRAINT IF EXISTS` after it may then clear).
pub(super) fn constraint_name_free_or_own(table: &str, name: &str, own: &Own) -> String {
    let (what, mine) = match own {
        Own::Unique { columns } => (
            "a UNIQUE constraint on these columns",
            format!(
                "held.contype = 'u' AND {}",
                same_columns("held.conkey", "rel", columns)
            ),
        ),
        Own::ForeignKey { columns, ref_table } => (
            "a foreign key of this definition",
            format!(
                "held.contype = 'f' AND held.confrelid = {} AND {}",
                relation(ref_table),
                same_columns("held.conkey", "rel", columns)
            ),
        ),
        Own::NotNullCheck { column } => (
            "autogen's NOT NULL check",
            format!(
                "held.contype = 'c'\n\
                 \x20    AND regexp_replace(pg_get_constraintdef(held.oid), ' NOT VALID$', '')\n\
                 \x20      = 'CHECK ((' || quote_ident({}) || ' IS NOT NULL))'",
                lit(column)
            ),
        ),
        Own::PrimaryKey => ("a primary key", "held.contype = 'p'".to_string()),
        Own::Check { definition } => (
            "a CHECK of this definition",
            format!(
                "held.contype = 'c'\n\
                 \x20    AND regexp_replace(pg_get_constraintdef(held.oid), ' NOT VALID$', '') = {}",
                lit(definition)
            ),
        ),
    };
    let declare = format!("  rel oid := {};\n  held pg_constraint;", relation(table));
    let body = format!(
        "  SELECT * INTO held FROM pg_constraint WHERE conrelid = rel AND conname = {};\n\
         \x20 IF NOT FOUND THEN RETURN; END IF;\n\
         \x20 IF NOT ({mine}) THEN\n{}\n  END IF;",
        lit(name),
        refuse(what, name, table)
    );
    do_block(&declare, &body)
}

/// The guard, then `ALTER TABLE … DROP CONSTRAINT IF EXISTS`: what an earlier run left is
/// cleared, and nothing else can be.
pub(super) fn drop_constraint_if_own(table: &str, name: &str, own: &Own) -> Vec<String> {
    vec![
        constraint_name_free_or_own(table, name, own),
        alter_table(
            Dialect::Postgres.sql(),
            table,
            &format!("DROP CONSTRAINT IF EXISTS {}", q(name)),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dollar_tag_is_never_in_the_body() {
        let sql = constraint_name_free_or_own("t", "x$autogen$y", &Own::PrimaryKey);
        assert!(sql.starts_with("DO $autogen1$\n"), "{sql}");
        assert!(sql.ends_with("\n$autogen1$"));
        let sql = index_name_free_or_own(
            "x$autogen$",
            "i",
            &OwnIndex {
                columns: &["a".to_string()],
                unique: false,
                partial: false,
                method: "btree",
            },
        );
        assert!(sql.starts_with("DO $autogen1$\n"), "{sql}");
    }
}
