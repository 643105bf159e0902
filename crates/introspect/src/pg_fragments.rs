//! PostgreSQL catalog query fragments shared by the table and the object queries.

/// The schema of `c` when it is not the connection's own (the table's key then holds it).
pub(crate) const NS: &str =
    "(SELECT NULLIF(ns.nspname::text, current_schema()) FROM pg_namespace ns
  WHERE ns.oid = c.relnamespace)";
