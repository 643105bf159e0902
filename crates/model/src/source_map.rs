//! A parsed model: the schema, and where in the entity files each of its names was written, so
//! that checks against a dialect can point at `file:line:col`.

use crate::error::Location;
use autogen_schema::Schema;
use std::collections::BTreeMap;

/// What a models directory declares.
#[derive(Debug, Clone, Default)]
pub struct Model {
    pub schema: Schema,
    pub sources: SourceMap,
}

/// Where each name the user wrote stands.
#[derive(Debug, Clone, Default)]
pub struct SourceMap {
    pub tables: BTreeMap<String, Location>,
    /// (table, column).
    pub columns: BTreeMap<(String, String), Location>,
    /// Enum types by their database name.
    pub enums: BTreeMap<String, Location>,
    /// Names the user chose for a table's indexes and keys (`fk_name`, `unique_key` groups),
    /// by (table, name).
    pub names: BTreeMap<(String, String), Location>,
}

impl SourceMap {
    pub fn table(&self, table: &str) -> Option<&Location> {
        self.tables.get(table)
    }

    /// A column's place, or its table's.
    pub fn column(&self, table: &str, column: &str) -> Option<&Location> {
        self.columns
            .get(&(table.to_string(), column.to_string()))
            .or_else(|| self.table(table))
    }
}
