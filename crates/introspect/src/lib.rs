//! Live database catalog -> [`Schema`](autogen_schema::Schema).
//!
//! One module per dialect, each fetching its catalog with a fixed number of batched queries,
//! whatever the table count (sea-schema's discovery issues several queries per table in sequence;
//! see `DESIGN.md`). `dialect.rs` is the registry that picks the module for a connection.

mod checks;
mod dialect;
mod error;
mod mysql;
mod mysql_show_create;
mod objects;
mod pg_fragments;
mod pg_left_alone;
mod postgres;
mod sqlite;

pub use checks::render_checks;
pub use dialect::{held_names, introspect, introspect_schemas};
pub use error::IntrospectError;
pub use objects::{PLAIN_INDEX_IN_FILE, Rendered, render_objects};

/// Why a baseline cannot build what the catalog reader counts as left alone under `kind` (the
/// kinds the dialect modules' queries name), for `init --from-database` to say before it writes.
pub fn not_carried_because(kind: &str) -> &'static str {
    match kind {
        "foreign tables" => "autogen does not model foreign tables",
        "tables in other schemas" | "objects in other schemas" => {
            "their schemas are not listed in `schemas`"
        }
        "text search dictionaries of a template autogen cannot carry"
        | "text search configurations of a parser or template autogen cannot carry" => {
            "they are made of a text search parser or template of a schema autogen does not \
             manage: list its schema in `schemas`, or carry them in a hand-written revision \
             (autogen revision -m …)"
        }
        "operators" | "operator classes" | "operator families" | "casts" | "conversions" => {
            "PostgreSQL prints no definition of them and autogen does not write one yet: \
             carry them in a hand-written revision (autogen revision -m …)"
        }
        "tables whose rows are clustered on an index" | "replica identities of an index" => {
            "autogen does not model them yet: the index is made after the table (set it in a \
             hand-written revision: ALTER TABLE … CLUSTER ON … / REPLICA IDENTITY USING INDEX …)"
        }
        "sequences whose owning column has no nextval default" => {
            "a sequence's OWNED BY is modelled through the column whose nextval(…) default draws \
             from it: the new environment's sequence belongs to no column (set it in a \
             hand-written revision: ALTER SEQUENCE … OWNED BY …)"
        }
        "ON CONFLICT clauses" => {
            "SQLite's conflict resolution of a key or NOT NULL (ON CONFLICT REPLACE, IGNORE, …) is \
             not modelled: the new environment's constraint aborts the statement instead (add it \
             in a hand-written revision that rebuilds the table)"
        }
        "index comments" => {
            "a MySQL/MariaDB index's COMMENT is not modelled yet: the new environment's index has \
             none (add it in a hand-written revision that makes the index again)"
        }
        "application-time periods" => {
            "MariaDB's PERIOD FOR is not modelled yet: the new environment's table has the two \
             columns but no period (ALTER TABLE … ADD PERIOD FOR … in a hand-written revision)"
        }
        "inherited columns the inheriting table also declares" => {
            "an inheriting table is made with the columns it has of its parents as inherited \
             only: the new environment's are not its own too (it would keep them if the \
             parent's were dropped)"
        }
        "typed tables" => {
            "a table made OF a composite type is not modelled yet: the new environment's has the \
             same columns but is not bound to the type (ALTER TABLE … OF … in a hand-written \
             revision)"
        }
        "unlogged sequences" => {
            "a sequence's UNLOGGED is not modelled yet: the new environment's is logged (ALTER \
             SEQUENCE … SET UNLOGGED in a hand-written revision)"
        }
        "disabled triggers" => {
            "a trigger's state (ENABLE REPLICA, ALWAYS, DISABLE) is not modelled yet: the new \
             environment's fires as usual"
        }
        "constraints whose validation was skipped" => {
            "a NOT VALID foreign key or CHECK is made validated in a new environment (which has \
             no rows to violate it)"
        }
        "invisible columns" | "compressed columns" | "ignored indexes" | "invisible indexes" => {
            "autogen does not model this attribute yet: the new environment has them without \
             it (add it in a hand-written revision: autogen revision -m …)"
        }
        "publications" | "foreign data wrappers" | "foreign servers" => {
            "they belong to the server's replication or federation set-up, not to the schema"
        }
        "procedural languages" | "access methods" => {
            "they are the server's: install them as an extension"
        }
        "excluded tables" => "autogen.toml's `exclude_tables` names them",
        "indexes autogen cannot recreate" => {
            "MySQL's expression keys (and descending primary keys) are not modelled yet"
        }
        "routines autogen may not read" => "the role may not read their bodies",
        "CHECK constraints autogen cannot read" => "SQLite's statement could not be read for them",
        _ => "autogen does not model them",
    }
}
