//! An identity column's kind (`ALWAYS`, `BY DEFAULT`) and its sequence's name and options, set
//! by `ALTER` after the column is made or changed: sea-query writes every identity
//! `BY DEFAULT AS IDENTITY`, with the sequence PostgreSQL names and numbers by default.

use super::online::q;
use crate::common::alter_table;
use autogen_schema::lexical::split_qualified;
use autogen_schema::{Column, Dialect, IdentitySequence};

/// `ALTER COLUMN … SET GENERATED ALWAYS` (or `BY DEFAULT`) of an identity column.
pub(super) fn identity_kind(table: &str, c: &Column) -> String {
    let kind = if c.identity_always {
        "ALWAYS"
    } else {
        "BY DEFAULT"
    };
    alter_table(
        Dialect::Postgres.sql(),
        table,
        &format!("ALTER COLUMN {} SET GENERATED {kind}", q(&c.name)),
    )
}

/// What takes `table`'s identity column from the sequence `from` to `to` (`None`: the
/// default's): its options, every one said (`RESTART`: a new column's sequence starts at its
/// new start), then its name.
pub(super) fn identity_sequence(
    table: &str,
    from: Option<&IdentitySequence>,
    to: &Column,
    restart: bool,
) -> Vec<String> {
    let (default, to_seq) = (IdentitySequence::default(), to.identity_sequence.as_ref());
    let (from, want) = (from.unwrap_or(&default), to_seq.unwrap_or(&default));
    let mut out = Vec::new();
    if from.options != want.options {
        let mut settings: Vec<String> = want
            .options
            .settings()
            .iter()
            .map(|s| format!("SET {s}"))
            .collect();
        if restart {
            settings.push("RESTART".into());
        }
        let rest = format!("ALTER COLUMN {} {}", q(&to.name), settings.join(" "));
        out.push(alter_table(Dialect::Postgres.sql(), table, &rest));
    }
    if from.name != want.name {
        let (schema, bare) = split_qualified(table);
        let name_of = |s: &IdentitySequence| {
            s.name
                .clone()
                .unwrap_or_else(|| IdentitySequence::default_name(bare, &to.name))
        };
        let old = match schema {
            Some(schema) => format!("{}.{}", q(schema), q(&name_of(from))),
            None => q(&name_of(from)),
        };
        out.push(format!(
            "ALTER SEQUENCE {old} RENAME TO {}",
            q(&name_of(want))
        ));
    }
    out
}
