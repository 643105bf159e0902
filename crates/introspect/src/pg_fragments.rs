//! PostgreSQL catalog query fragments shared by the table and the object queries.

/// The schema of `c` when it is not the connection's own (the table's key then holds it).
pub(crate) const NS: &str =
    "(SELECT NULLIF(ns.nspname::text, current_schema()) FROM pg_namespace ns
  WHERE ns.oid = c.relnamespace)";

/// Whether index `ix` (a `pg_index` row) is one an entity declares: plain columns, with their
/// default operator classes, collations and sort order, and no `INCLUDE` columns.
pub(crate) const PLAIN_INDEX: &str = "(ix.indexprs IS NULL AND ix.indnatts = ix.indnkeyatts
       AND NOT EXISTS (SELECT 1 FROM unnest(ix.indoption::int2[]) o WHERE o <> 0)
       AND NOT EXISTS (SELECT 1 FROM unnest(ix.indclass::oid[]) oc
                       JOIN pg_opclass op ON op.oid = oc WHERE NOT op.opcdefault)
       AND NOT EXISTS (SELECT 1 FROM unnest(ix.indkey::int2[], ix.indcollation::oid[]) k(n, coll)
                       JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.n
                       WHERE k.coll <> 0 AND k.coll <> a.attcollation))";
