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
    tables: BTreeMap<String, TableSources>,
    /// Enum types by their database name.
    enums: BTreeMap<String, Location>,
    /// Domains by name.
    domains: BTreeMap<String, Location>,
    /// Entities without a key field or a key declaration, by table.
    keyless: BTreeMap<String, Location>,
}

#[derive(Debug, Clone)]
struct TableSources {
    at: Location,
    columns: BTreeMap<String, Location>,
    /// Names the user chose for the table's keys and indexes (`fk_name`, declarations).
    names: BTreeMap<String, Location>,
}

impl SourceMap {
    pub(crate) fn add_table(&mut self, table: &str, at: Location) {
        self.tables.insert(
            table.to_string(),
            TableSources {
                at,
                columns: BTreeMap::new(),
                names: BTreeMap::new(),
            },
        );
    }

    pub(crate) fn add_column(&mut self, table: &str, column: &str, at: Location) {
        if let Some(t) = self.tables.get_mut(table) {
            t.columns.insert(column.to_string(), at);
        }
    }

    pub(crate) fn add_name(&mut self, table: &str, name: &str, at: Location) {
        if let Some(t) = self.tables.get_mut(table) {
            t.names.insert(name.to_string(), at);
        }
    }

    pub(crate) fn add_enum(&mut self, name: &str, at: Location) {
        self.enums.entry(name.to_string()).or_insert(at);
    }

    pub(crate) fn add_domain(&mut self, name: &str, at: Location) {
        self.domains.entry(name.to_string()).or_insert(at);
    }

    pub(crate) fn add_keyless(&mut self, table: &str, at: Location) {
        self.keyless.insert(table.to_string(), at);
    }

    /// Entities that declare no key at all, with their places.
    pub fn keyless(&self) -> impl Iterator<Item = (&str, &Location)> {
        self.keyless.iter().map(|(t, l)| (t.as_str(), l))
    }

    pub fn domain(&self, name: &str) -> Option<&Location> {
        self.domains.get(name)
    }

    pub fn table(&self, table: &str) -> Option<&Location> {
        self.tables.get(table).map(|t| &t.at)
    }

    /// A column's place, or its table's.
    pub fn column(&self, table: &str, column: &str) -> Option<&Location> {
        let t = self.tables.get(table)?;
        Some(t.columns.get(column).unwrap_or(&t.at))
    }

    pub fn enum_type(&self, name: &str) -> Option<&Location> {
        self.enums.get(name)
    }

    /// The names the user chose for `table`'s keys, with their places.
    pub fn names(&self, table: &str) -> impl Iterator<Item = (&str, &Location)> {
        self.tables
            .get(table)
            .into_iter()
            .flat_map(|t| t.names.iter().map(|(n, l)| (n.as_str(), l)))
    }
}
