//! The grammar of autogen's own declarations as data: [`Declaration`], which `declared.rs`
//! parses out of `#[cfg_attr(any(), autogen(…))]` and [`Declaration::print`] writes back, so
//! that what `autogen entities` writes is what the reader reads (a property test in
//! `declared.rs` holds the two to each other).

use crate::error::Location;
use autogen_schema::{
    Check, Column, Deferrable, Domain, Generated, IdentitySequence, Index, PartitionOf,
    SequenceOptions, Unique,
};
use proc_macro2::Literal;

/// One autogen declaration: what `#[cfg_attr(any(), autogen(…))]` says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Declaration {
    /// The database's primary key: its columns in key order (none: `no_primary_key`, the table
    /// has no key; the entity's `primary_key` fields are then SeaORM's own identity only) and
    /// its name.
    PrimaryKey {
        name: Option<String>,
        columns: Vec<String>,
    },
    Index(Index),
    Unique(Unique),
    Domain(Domain),
    /// A CHECK constraint: on the `Model` struct for the table, or on a field (the same
    /// constraint, written beside the column it is about).
    Check(Check),
    /// A PostgreSQL sequence no column default names (an application draws from it), or one
    /// made with options (`options = "START WITH 1000"`).
    Sequence(String, SequenceOptions),
    /// A PostgreSQL extension the schema needs (`CREATE EXTENSION`).
    Extension {
        name: String,
        /// `WITH SCHEMA`, when not the connection's own schema.
        schema: Option<String>,
    },
    /// On a field: the database generates the column's value, where SeaORM's `auto_increment`
    /// cannot say so (a column outside a one-column key).
    AutoIncrement,
    /// On a field: the column owns the sequence its `nextval(…)` default draws from.
    OwnsSequence,
    /// On a field (PostgreSQL): the identity column is `GENERATED ALWAYS`.
    IdentityAlways,
    /// On a field (PostgreSQL): the identity column's sequence, named (`name = "…"`) or with
    /// options (`options = "START WITH 100"`).
    Identity(IdentitySequence),
    /// On a field: the database computes the column (`GENERATED ALWAYS AS (…)`), its values
    /// stored, or computed when read.
    Generated(Generated),
    /// On a relation: the foreign key's name (SeaORM's dense relation attribute has no
    /// `fk_name`) and whether it is `DEFERRABLE`.
    ForeignKey {
        name: Option<String>,
        deferrable: Option<Deferrable>,
    },
    /// PostgreSQL: the table is partitioned by this key (`RANGE (payment_date)`).
    Partitioned {
        by: String,
    },
    /// PostgreSQL: the table is a partition of another, with its bound.
    Partition(PartitionOf),
    /// PostgreSQL: the table inherits the columns of these (`INHERITS`).
    Inherits(Vec<String>),
    /// On a field, the column's collation; on the struct, the table's default (MySQL).
    Collate(String),
    /// The table's options (`STRICT`, `ENGINE=MyISAM`, `UNLOGGED`, …: [`Table::options`]).
    ///
    /// [`Table::options`]: autogen_schema::Table::options
    Options(Vec<String>),
}

impl Declaration {
    /// The declaration as written inside `autogen(…)`.
    pub fn print(&self) -> String {
        let lit = |s: &str| Literal::string(s).to_string();
        let list = |items: &[String]| {
            let quoted: Vec<String> = items.iter().map(|i| lit(i)).collect();
            quoted.join(", ")
        };
        let named = |name: &Option<String>| {
            name.as_deref()
                .map(|n| format!("name = {}, ", lit(n)))
                .unwrap_or_default()
        };
        match self {
            Declaration::PrimaryKey { columns, .. } if columns.is_empty() => {
                "no_primary_key".into()
            }
            Declaration::PrimaryKey { name, columns } => {
                format!("primary_key({}columns({}))", named(name), list(columns))
            }
            Declaration::Index(i) => {
                let mut parts = vec![
                    format!("name = {}", lit(&i.name)),
                    format!("columns({})", list(&i.columns)),
                ];
                if i.unique {
                    parts.push("unique".into());
                }
                if let Some(m) = &i.using {
                    parts.push(format!("using = {}", lit(m)));
                }
                if let Some(p) = &i.predicate {
                    parts.push(format!("predicate = {}", lit(p)));
                }
                if !i.lengths.is_empty() {
                    let lengths: Vec<String> = i.lengths.iter().map(u32::to_string).collect();
                    parts.push(format!("lengths({})", lengths.join(", ")));
                }
                format!("index({})", parts.join(", "))
            }
            Declaration::Unique(u) => {
                format!("unique({}columns({}))", named(&u.name), list(&u.columns))
            }
            Declaration::Domain(d) => {
                let mut parts = vec![
                    format!("name = {}", lit(&d.name)),
                    format!("base = {}", lit(&d.base)),
                ];
                if d.not_null {
                    parts.push("not_null".into());
                }
                if let Some(default) = &d.default {
                    parts.push(format!("default = {}", lit(default)));
                }
                for c in &d.checks {
                    parts.push(format!(
                        "check(name = {}, definition = {})",
                        lit(&c.name),
                        lit(&c.definition)
                    ));
                }
                format!("domain({})", parts.join(", "))
            }
            Declaration::Check(c) => format!(
                "check({}definition = {})",
                named(&c.name),
                lit(&c.definition)
            ),
            Declaration::Sequence(key, o) => sequence(key, o),
            Declaration::Extension { name, schema } => match schema {
                Some(s) => format!("extension(name = {}, schema = {})", lit(name), lit(s)),
                None => format!("extension(name = {})", lit(name)),
            },
            Declaration::AutoIncrement => "auto_increment".into(),
            Declaration::OwnsSequence => "owns_sequence".into(),
            Declaration::IdentityAlways => "identity_always".into(),
            Declaration::Identity(s) => {
                let mut parts = Vec::new();
                if let Some(n) = &s.name {
                    parts.push(format!("name = {}", lit(n)));
                }
                if !s.options.is_default() {
                    parts.push(format!("options = {}", lit(&s.options.clause())));
                }
                format!("identity({})", parts.join(", "))
            }
            Declaration::Generated(g) => format!(
                "generated(expression = {}{})",
                lit(&g.expression),
                if g.stored { ", stored" } else { "" }
            ),
            Declaration::ForeignKey { name, deferrable } => {
                let mut parts = Vec::new();
                if let Some(n) = name {
                    parts.push(format!("name = {}", lit(n)));
                }
                if let Some(d) = deferrable {
                    parts.push(format!("deferrable = {}", lit(d.word())));
                }
                format!("foreign_key({})", parts.join(", "))
            }
            Declaration::Partitioned { by } => format!("partitioned(by = {})", lit(by)),
            Declaration::Partition(p) => {
                format!(
                    "partition(of = {}, bound = {})",
                    lit(&p.table),
                    lit(&p.bound)
                )
            }
            Declaration::Inherits(tables) => format!("inherits(tables({}))", list(tables)),
            Declaration::Collate(name) => format!("collate(name = {})", lit(name)),
            Declaration::Options(values) => format!("options(values({}))", list(values)),
        }
    }

    /// What a field's declaration says about its column, applied to it: the one place a
    /// column fact of the grammar reaches the column. `false`, and the column untouched, when
    /// the declaration is not about a column (it belongs on the struct or a relation).
    pub(crate) fn apply_to_column(&self, column: &mut Column) -> bool {
        match self {
            Declaration::AutoIncrement => column.auto_increment = true,
            Declaration::OwnsSequence => column.owns_sequence = true,
            Declaration::IdentityAlways => column.identity_always = true,
            Declaration::Identity(s) => column.identity_sequence = Some(s.clone()),
            Declaration::Collate(name) => column.collation = Some(name.clone()),
            Declaration::Generated(g) => column.generated = Some(g.clone()),
            _ => return false,
        }
        true
    }

    /// The declarations a field writes for its column, the inverse of
    /// [`Declaration::apply_to_column`] (`auto_increment`: SeaORM's own attribute cannot say
    /// that the database generates the column, as off a one-column key).
    pub fn of_column(column: &Column, auto_increment: bool) -> Vec<Declaration> {
        let mut out = Vec::new();
        if column.auto_increment && auto_increment {
            out.push(Declaration::AutoIncrement);
        }
        if column.owns_sequence {
            out.push(Declaration::OwnsSequence);
        }
        if column.identity_always {
            out.push(Declaration::IdentityAlways);
        }
        out.extend(column.identity_sequence.clone().map(Declaration::Identity));
        out.extend(column.collation.clone().map(Declaration::Collate));
        out.extend(column.generated.clone().map(Declaration::Generated));
        out
    }

    /// The whole attribute: `#[cfg_attr(any(), autogen(…))]`.
    pub fn attribute(&self) -> String {
        format!("#[cfg_attr(any(), autogen({}))]", self.print())
    }
}

/// A declaration and where it is written.
#[derive(Debug, Clone)]
pub(crate) struct Declared {
    pub(crate) decl: Declaration,
    pub(crate) at: Location,
}

/// `sequence(name = …[, schema = …][, options = …])`: a sequence of another schema has its
/// schema said apart, as an entity's `schema_name`.
fn sequence(key: &str, options: &SequenceOptions) -> String {
    let lit = |s: &str| Literal::string(s).to_string();
    let (schema, name) = autogen_schema::lexical::split_qualified(key);
    let mut parts = vec![format!("name = {}", lit(name))];
    if let Some(s) = schema {
        parts.push(format!("schema = {}", lit(s)));
    }
    if !options.is_default() {
        parts.push(format!("options = {}", lit(&options.clause())));
    }
    format!("sequence({})", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use autogen_schema::ColumnType;

    /// What a field writes for its column is what reading it back applies: every column fact
    /// of the grammar goes both ways through the two functions beside each other.
    #[test]
    fn a_columns_declarations_apply_back_to_the_same_column() {
        let mut column = Column::new("n", ColumnType::BigInteger);
        column.auto_increment = true;
        column.owns_sequence = true;
        column.identity_always = true;
        column.identity_sequence = Some(IdentitySequence {
            name: Some("old_seq".into()),
            options: SequenceOptions::parse("START WITH 10").expect("options"),
        });
        column.collation = Some("C".into());
        column.generated = Some(Generated {
            expression: "(a + 1)".into(),
            stored: true,
        });
        let declarations = Declaration::of_column(&column, true);
        assert_eq!(declarations.len(), 6);
        let mut back = Column::new("n", ColumnType::BigInteger);
        for d in &declarations {
            assert!(d.apply_to_column(&mut back), "{}", d.print());
        }
        assert_eq!(back, column);
        assert!(!Declaration::Options(vec!["STRICT".into()]).apply_to_column(&mut back));
    }
}
