//! The comparison, one file per kind of object (Alembic's `autogenerate/compare/`).

mod checks;
mod columns;
mod context;
mod enums;
mod foreign_keys;
mod indexes;
mod lineage;
mod objects;
mod renames;
mod scope;
mod tables;
mod types;
mod uniques;

pub(crate) use enums::compare_enums;
pub(crate) use lineage::prepare_lineage;
pub(crate) use objects::compare_objects;
#[cfg(test)]
pub(crate) use renames::{rename_column, rename_table};
pub(crate) use renames::{rename_columns, rename_tables};
pub(crate) use scope::{in_database_spelling, without_left_alone};
pub(crate) use tables::compare_table;
pub(crate) use types::compare_types;
