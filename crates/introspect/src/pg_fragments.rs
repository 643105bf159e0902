//! PostgreSQL catalog query fragments shared by the table and the object queries.

/// The schemas autogen manages: the connection's own and those `schemas` lists ({SCHEMAS}, a
/// text array literal).
pub(crate) const MANAGED: &str = "(SELECT oid FROM pg_namespace WHERE nspname = current_schema()
  OR nspname = ANY({SCHEMAS}))";

/// The schema of `c` when it is not the connection's own (the table's key then holds it).
pub(crate) const NS: &str =
    "(SELECT NULLIF(ns.nspname::text, current_schema()) FROM pg_namespace ns
  WHERE ns.oid = c.relnamespace)";

/// Whether index `ix` (a `pg_index` row) is one an entity declares: plain columns, with their
/// default operator classes, collations and sort order, no `INCLUDE` columns, no storage
/// parameters (`WITH (fillfactor = 70)`) and NULLs distinct (PostgreSQL 15's `NULLS NOT
/// DISTINCT`, read through `to_jsonb` so that one query serves every version).
pub(crate) const PLAIN_INDEX: &str = "(ix.indexprs IS NULL AND ix.indnatts = ix.indnkeyatts
       AND NOT EXISTS (SELECT 1 FROM pg_class ri WHERE ri.oid = ix.indexrelid
                       AND ri.reloptions IS NOT NULL)
       AND COALESCE(to_jsonb(ix) ->> 'indnullsnotdistinct', 'false') = 'false'
       AND NOT EXISTS (SELECT 1 FROM unnest(ix.indoption::int2[]) o WHERE o <> 0)
       AND NOT EXISTS (SELECT 1 FROM unnest(ix.indclass::oid[]) oc
                       JOIN pg_opclass op ON op.oid = oc WHERE NOT op.opcdefault)
       AND NOT EXISTS (SELECT 1 FROM unnest(ix.indkey::int2[], ix.indcollation::oid[]) k(n, coll)
                       JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.n
                       WHERE k.coll <> 0 AND k.coll <> a.attcollation))";

/// Whether type `t` is an enum or domain of a schema other than the connection's own that a
/// column of a table in the managed schemas (`{managed}`) is of, or is an array of: carried as
/// an object (the column names it as the catalog prints it, `app.mood`), not declared by an
/// entity, since SeaORM names an enum without its schema.
pub(crate) fn foreign_column_type(managed: &str) -> String {
    format!(
        "(t.typtype IN ('e', 'd')
  AND t.typnamespace NOT IN (SELECT oid FROM pg_namespace WHERE nspname = current_schema()
                             OR nspname IN ('pg_catalog', 'information_schema'))
  AND EXISTS (SELECT 1 FROM pg_attribute ua JOIN pg_class uc ON uc.oid = ua.attrelid
              WHERE ua.atttypid IN (t.oid, t.typarray) AND ua.attnum > 0
                AND NOT ua.attisdropped AND uc.relkind IN ('r', 'p')
                AND uc.relnamespace IN {managed}))"
    )
}

/// Whether constraint `con` is one an entity cannot declare, carried as an object (its
/// `ALTER TABLE … ADD CONSTRAINT`) rather than read as a key: an exclusion constraint, a
/// deferrable primary key (the entity then says `no_primary_key`), a deferrable UNIQUE or one
/// whose NULLs are not distinct, a primary key or UNIQUE whose index carries `INCLUDE` columns
/// or storage parameters (`PRIMARY KEY (a, b) INCLUDE (c)`, `WITH (fillfactor = 70)`), a
/// foreign key `MATCH FULL` or one that
/// sets only some of its columns on delete. PostgreSQL 15's columns are read through `to_jsonb`,
/// so that one query serves every version.
pub(crate) const CARRIED_CONSTRAINT: &str = "(con.contype = 'x'
  OR con.contype IN ('p', 'u') AND (con.condeferrable
       OR EXISTS (SELECT 1 FROM pg_index x JOIN pg_class xi ON xi.oid = x.indexrelid
                  WHERE x.indexrelid = con.conindid
                    AND (x.indnatts > x.indnkeyatts OR xi.reloptions IS NOT NULL
                         OR to_jsonb(x) ->> 'indnullsnotdistinct' = 'true')))
  OR con.contype = 'f' AND (con.confmatchtype = 'f'
       OR con.confdeltype IN ('n', 'd') AND to_jsonb(con) ->> 'confdelsetcols' IS NOT NULL))";

/// Whether sequence `c` is of a schema other than the managed ones (`{MANAGED}`, filled in
/// later) and a managed table's column default draws from it: read with the schema's own
/// sequences (its key names its schema, which a new environment makes first). A `CASE`, so that
/// the dependency lookup is made only for such a sequence (an `OR` left the planner free to make
/// it for every sequence, which doubled a thousand tables' `check`).
pub(crate) const FOREIGN_SEQUENCE: &str = "(CASE WHEN c.relkind <> 'S' OR c.relnamespace IN {MANAGED}
  THEN false
  ELSE EXISTS (SELECT 1 FROM pg_depend fd
               WHERE fd.refclassid = 'pg_class'::regclass AND fd.refobjid = c.oid
                 AND fd.classid = 'pg_attrdef'::regclass
                 AND (SELECT uc.relnamespace FROM pg_attrdef ad JOIN pg_class uc ON uc.oid = ad.adrelid
                      WHERE ad.oid = fd.objid) IN {MANAGED})
  END)";

/// Whether routine `p` is of a schema other than the managed ones (`{managed}`) and a managed
/// table's trigger, default or constraint, or a managed view, calls it: carried as an object
/// (its schema made first), since without it the new environment could not make what calls it.
pub(crate) fn foreign_routine(managed: &str) -> String {
    format!(
        "(p.pronamespace NOT IN {managed}
  AND p.pronamespace NOT IN (SELECT oid FROM pg_namespace
                             WHERE nspname IN ('pg_catalog', 'information_schema'))
  AND EXISTS (SELECT 1 FROM pg_depend pd
              WHERE pd.refclassid = 'pg_proc'::regclass AND pd.refobjid = p.oid
                AND pd.deptype = 'n'
                AND (SELECT uc.relnamespace FROM pg_class uc WHERE uc.oid = CASE pd.classid
                       WHEN 'pg_trigger'::regclass THEN
                         (SELECT tgrelid FROM pg_trigger WHERE oid = pd.objid)
                       WHEN 'pg_attrdef'::regclass THEN
                         (SELECT adrelid FROM pg_attrdef WHERE oid = pd.objid)
                       WHEN 'pg_rewrite'::regclass THEN
                         (SELECT ev_class FROM pg_rewrite WHERE oid = pd.objid)
                       WHEN 'pg_constraint'::regclass THEN
                         (SELECT conrelid FROM pg_constraint WHERE oid = pd.objid)
                     END) IN {managed}))"
    )
}
