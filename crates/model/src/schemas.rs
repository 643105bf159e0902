//! PostgreSQL schemas: an entity's `schema_name` names the schema its table lives in. Tables of
//! the connection's own schema are keyed by their bare name; another schema must be listed in
//! `schemas` (autogen.toml), as its other tables are then managed too.

use crate::error::ModelError;
use crate::source_map::Model;
use autogen_schema::lexical::split_qualified;

/// Keys the tables of `own` (the connection's schema) by their bare name, and refuses a table
/// in a schema `managed` does not list.
pub fn place_schemas(
    model: &mut Model,
    managed: &[String],
    own: Option<&str>,
) -> Result<(), ModelError> {
    for key in model.schema.tables.keys() {
        let (Some(schema), table) = split_qualified(key) else {
            continue;
        };
        if Some(schema) == own || managed.iter().any(|m| m == schema) {
            continue;
        }
        let message = format!(
            "table `{table}`: schema_name = \"{schema}\" is not a schema autogen manages; list \
             it in autogen.toml (`schemas = [\"{schema}\"]`), and autogen manages every table \
             in it"
        );
        return Err(match model.sources.table(key) {
            Some(at) => ModelError::at(at, message),
            None => ModelError::Invalid { message },
        });
    }
    if let Some(own) = own {
        model.schema.unqualify(own);
    }
    Ok(())
}
