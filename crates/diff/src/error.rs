use autogen_schema::Dialect;
use autogen_schema::lexical::display_name;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DiffError {
    #[error(
        "{dialect} must rebuild table {} for this change, and a rebuild would lose what \
         autogen does not model: {}; write this migration by hand (autogen revision -m ...)",
        display_name(table),
        what.join(", ")
    )]
    RebuildWouldLose {
        dialect: Dialect,
        table: String,
        what: Vec<String>,
    },
    #[error(
        "the name `{name}` (on table {}) is held in the database by an object autogen does not \
         own; nothing was written: give the entity's declaration another name, or drop or \
         rename that object yourself",
        display_name(table)
    )]
    NameHeld { table: String, name: String },
    #[error(
        "{file} declares index {name} of table {}, which its entity declares too: declare it \
         once, on the entity (#[cfg_attr(any(), autogen(index(...)))] or `indexed`) or, for an \
         index no entity can declare (an expression, an operator class, INCLUDE), in the file",
        display_name(table)
    )]
    IndexInSqlFile {
        file: String,
        name: String,
        table: String,
    },
    #[error(
        "{dialect} cannot {what} in place (table {}); {hint}",
        display_name(table)
    )]
    Unsupported {
        dialect: Dialect,
        table: String,
        what: String,
        hint: String,
    },
}
