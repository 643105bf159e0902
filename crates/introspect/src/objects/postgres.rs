//! PostgreSQL's replaceable objects: views and materialized views (`pg_get_viewdef`),
//! functions and procedures (`pg_get_functiondef`), aggregates (from `pg_aggregate`), triggers
//! (`pg_get_triggerdef`), rules (`pg_get_ruledef`), the indexes of materialized views and the
//! indexes of tables an entity cannot declare (an expression, an operator class, `INCLUDE`, …:
//! `pg_get_indexdef`), row-level security policies (written from `pg_policy`, whose expressions
//! the server renders: PostgreSQL has no `pg_get_policydef`), exclusion constraints
//! (`pg_get_constraintdef`), composite and range types (written from `pg_attribute` and
//! `pg_range`, with `format_type`), with what each depends on (`pg_depend`). Objects an extension owns
//! are the extension's and are not read.

use crate::error::{Result, query_failed as q};
use crate::pg_fragments::{CARRIED_CONSTRAINT, NS, PLAIN_INDEX};
use autogen_schema::lexical::qualified;
use autogen_schema::{SqlKind, SqlObject};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};
use std::collections::BTreeMap;

/// `name` quoted, with its schema when not the connection's own (`{REL}` for relation `c`).
const REL_NAME: &str = "(SELECT CASE WHEN ns.nspname = current_schema() THEN quote_ident(c.relname)
  ELSE quote_ident(ns.nspname) || '.' || quote_ident(c.relname) END
  FROM pg_namespace ns WHERE ns.oid = c.relnamespace)";

fn not_extension(class: &str, alias: &str) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = '{class}'::regclass
                    AND x.objid = {alias}.oid AND x.deptype = 'e')"
    )
}

/// The arms of [`objects_query`] for what columns are of or sort by (composite and range types,
/// collations), and extended statistics.
fn types_query(managed: &str) -> String {
    let type_ext = not_extension("pg_type", "t");
    let coll_ext = not_extension("pg_collation", "co");
    let stat_ext = not_extension("pg_statistic_ext", "s");
    let type_name = "CASE WHEN n.nspname = current_schema() THEN quote_ident(t.typname)
                    ELSE quote_ident(n.nspname) || '.' || quote_ident(t.typname) END";
    // A collation other than its type's own (`COLLATE "C"`).
    let collate = |coll: &str, of_type: &str| {
        format!(
            "CASE WHEN {coll} <> 0 AND {coll} <> (SELECT typcollation FROM pg_type WHERE oid = {of_type})
             THEN ' COLLATE ' || (SELECT quote_ident(collname) FROM pg_collation WHERE oid = {coll})
             ELSE '' END"
        )
    };
    let attr_collate = collate("a.attcollation", "a.atttypid");
    let range_collate = collate("r.rngcollation", "r.rngsubtype");
    let domain_collate = collate("t.typcollation", "t.typbasetype");
    let foreign = crate::pg_fragments::foreign_column_type(managed);
    format!(
        "SELECT c.oid::int8, 'type', t.typname::text, NULLIF(n.nspname::text, current_schema()),
       NULL::text, NULL::text, NULL::text,
       'CREATE TYPE ' || {type_name} || ' AS (' || COALESCE(
         (SELECT E'\\n    ' || string_agg(quote_ident(a.attname) || ' '
                   || format_type(a.atttypid, a.atttypmod) || {attr_collate},
                   E',\\n    ' ORDER BY a.attnum) || E'\\n'
          FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped),
         '') || ')'
FROM pg_type t JOIN pg_class c ON c.oid = t.typrelid JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype = 'c' AND c.relkind = 'c' AND t.typnamespace IN {managed} AND {type_ext}
UNION ALL
SELECT t.oid::int8, 'type', t.typname::text, NULLIF(n.nspname::text, current_schema()),
       NULL::text, NULL::text, NULL::text,
       'CREATE TYPE ' || {type_name} || E' AS RANGE (\\n    subtype = '
       || format_type(r.rngsubtype, NULL)
       || CASE WHEN r.rngsubopc = (SELECT oc.oid FROM pg_opclass oc JOIN pg_am am ON am.oid = oc.opcmethod
                                   WHERE am.amname = 'btree' AND oc.opcintype = r.rngsubtype
                                     AND oc.opcdefault LIMIT 1) THEN ''
               ELSE E',\\n    subtype_opclass = ' || (SELECT quote_ident(opcname) FROM pg_opclass
                                                    WHERE oid = r.rngsubopc) END
       || replace({range_collate}, ' COLLATE ', E',\\n    collation = ')
       || COALESCE(E',\\n    canonical = ' || NULLIF(r.rngcanonical::oid, 0)::regproc::text, '')
       || COALESCE(E',\\n    subtype_diff = ' || NULLIF(r.rngsubdiff::oid, 0)::regproc::text, '')
       || E'\\n)'
FROM pg_type t JOIN pg_range r ON r.rngtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype = 'r' AND t.typnamespace IN {managed} AND {type_ext}
UNION ALL
SELECT co.oid::int8, 'collation', co.collname::text, NULLIF(n.nspname::text, current_schema()),
       NULL::text, NULL::text, NULL::text,
       'CREATE COLLATION ' || CASE WHEN n.nspname = current_schema() THEN quote_ident(co.collname)
                                   ELSE quote_ident(n.nspname) || '.' || quote_ident(co.collname) END
       || ' (provider = ' || CASE co.collprovider WHEN 'i' THEN 'icu' WHEN 'b' THEN 'builtin'
                                 ELSE 'libc' END
       || CASE WHEN co.collprovider <> 'c' OR co.collcollate::text = co.collctype::text
               THEN ', locale = ' || quote_literal(COALESCE(to_jsonb(co) ->> 'colllocale',
                                                            to_jsonb(co) ->> 'colliculocale',
                                                            co.collcollate::text))
               ELSE ', lc_collate = ' || quote_literal(co.collcollate::text)
                    || ', lc_ctype = ' || quote_literal(co.collctype::text) END
       || COALESCE(', rules = ' || quote_literal(to_jsonb(co) ->> 'collicurules'), '')
       || CASE WHEN to_jsonb(co) ->> 'collisdeterministic' = 'false'
               THEN ', deterministic = false' ELSE '' END || ')'
FROM pg_collation co JOIN pg_namespace n ON n.oid = co.collnamespace
WHERE co.collnamespace IN {managed} AND {coll_ext}
UNION ALL
SELECT s.oid::int8, 'statistics', s.stxname::text, NULLIF(n.nspname::text, current_schema()),
       NULL::text, NULL::text, NULL::text, pg_get_statisticsobjdef(s.oid)
FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace
WHERE s.stxnamespace IN {managed} AND {stat_ext}
UNION ALL
SELECT t.oid::int8, 'type', t.typname::text, n.nspname::text, NULL::text, NULL::text, NULL::text,
       CASE t.typtype WHEN 'e' THEN
         'CREATE TYPE ' || {type_name} || ' AS ENUM ('
         || (SELECT string_agg(quote_literal(e.enumlabel::text), ', ' ORDER BY e.enumsortorder)
             FROM pg_enum e WHERE e.enumtypid = t.oid) || ')'
       ELSE
         'CREATE DOMAIN ' || {type_name} || ' AS ' || format_type(t.typbasetype, t.typtypmod)
         || {domain_collate} || COALESCE(' DEFAULT ' || t.typdefault, '')
         || CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE '' END
         || COALESCE((SELECT string_agg(' CONSTRAINT ' || quote_ident(k.conname) || ' '
                                        || pg_get_constraintdef(k.oid), '' ORDER BY k.conname)
                      FROM pg_constraint k WHERE k.contypid = t.oid AND k.contype = 'c'), '')
       END
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE {foreign} AND {type_ext}"
    )
}

/// The arms of [`objects_query`] for text search dictionaries and configurations, as pg_dump
/// writes them: a dictionary's template and options (`dictinitoption`, the server's own text),
/// a configuration's parser, then one `ADD MAPPING` per token type with its dictionaries in
/// order. What they name is schema-qualified, so a file means the same under any search path.
fn text_search_query(managed: &str) -> String {
    let dict_ext = not_extension("pg_ts_dict", "d");
    let cfg_ext = not_extension("pg_ts_config", "c");
    let own = |name: &str| {
        format!(
            "CASE WHEN n.nspname = current_schema() THEN quote_ident({name})
                  ELSE quote_ident(n.nspname) || '.' || quote_ident({name}) END"
        )
    };
    let (dict, cfg) = (own("d.dictname"), own("c.cfgname"));
    let qualified = |ns: &str, name: &str| {
        format!(
            "(SELECT quote_ident(q.nspname) || '.' || quote_ident({name}) FROM pg_namespace q
              WHERE q.oid = {ns})"
        )
    };
    let template = qualified("t.tmplnamespace", "t.tmplname");
    let parser = qualified("p.prsnamespace", "p.prsname");
    let mapped = qualified("md.dictnamespace", "md.dictname");
    let carried_dict = crate::pg_left_alone::carried_dictionary("d", managed);
    let carried_cfg = crate::pg_left_alone::carried_configuration("c", managed);
    let prs_ext = not_extension("pg_ts_parser", "p");
    let tmpl_ext = not_extension("pg_ts_template", "t");
    let (parser_name, template_name) = (own("p.prsname"), own("t.tmplname"));
    format!(
        "SELECT p.oid::int8, 'text search parser', p.prsname::text,
       NULLIF(n.nspname::text, current_schema()), NULL::text, NULL::text, NULL::text,
       'CREATE TEXT SEARCH PARSER ' || {parser_name} || ' (START = ' || p.prsstart::regproc::text
       || ', GETTOKEN = ' || p.prstoken::regproc::text || ', END = ' || p.prsend::regproc::text
       || COALESCE(', HEADLINE = ' || NULLIF(p.prsheadline::oid, 0)::regproc::text, '')
       || ', LEXTYPES = ' || p.prslextype::regproc::text || ')'
FROM pg_ts_parser p JOIN pg_namespace n ON n.oid = p.prsnamespace
WHERE p.prsnamespace IN {managed} AND {prs_ext}
UNION ALL
SELECT t.oid::int8, 'text search template', t.tmplname::text,
       NULLIF(n.nspname::text, current_schema()), NULL::text, NULL::text, NULL::text,
       'CREATE TEXT SEARCH TEMPLATE ' || {template_name} || ' ('
       || COALESCE('INIT = ' || NULLIF(t.tmplinit::oid, 0)::regproc::text || ', ', '')
       || 'LEXIZE = ' || t.tmpllexize::regproc::text || ')'
FROM pg_ts_template t JOIN pg_namespace n ON n.oid = t.tmplnamespace
WHERE t.tmplnamespace IN {managed} AND {tmpl_ext}
UNION ALL
SELECT d.oid::int8, 'text search dictionary', d.dictname::text,
       NULLIF(n.nspname::text, current_schema()), NULL::text, NULL::text, NULL::text,
       'CREATE TEXT SEARCH DICTIONARY ' || {dict} || ' (TEMPLATE = ' || {template}
       || COALESCE(', ' || d.dictinitoption, '') || ')'
FROM pg_ts_dict d JOIN pg_namespace n ON n.oid = d.dictnamespace
JOIN pg_ts_template t ON t.oid = d.dicttemplate
WHERE d.dictnamespace IN {managed} AND {dict_ext} AND {carried_dict}
UNION ALL
SELECT c.oid::int8, 'text search configuration', c.cfgname::text,
       NULLIF(n.nspname::text, current_schema()), NULL::text, NULL::text, NULL::text,
       'CREATE TEXT SEARCH CONFIGURATION ' || {cfg} || ' (PARSER = ' || {parser} || ')'
       || COALESCE((SELECT string_agg(E';\nALTER TEXT SEARCH CONFIGURATION ' || {cfg}
                                      || ' ADD MAPPING FOR ' || quote_ident(tt.alias)
                                      || ' WITH ' || m.dicts, '' ORDER BY m.tok)
                    FROM (SELECT mm.maptokentype AS tok,
                                 string_agg({mapped}, ', ' ORDER BY mm.mapseqno) AS dicts
                          FROM pg_ts_config_map mm JOIN pg_ts_dict md ON md.oid = mm.mapdict
                          WHERE mm.mapcfg = c.oid GROUP BY mm.maptokentype) m
                    JOIN ts_token_type(c.cfgparser) tt ON tt.tokid = m.tok), '')
FROM pg_ts_config c JOIN pg_namespace n ON n.oid = c.cfgnamespace
JOIN pg_ts_parser p ON p.oid = c.cfgparser
WHERE c.cfgnamespace IN {managed} AND {cfg_ext} AND {carried_cfg}"
    )
}

/// The comments on what entities declare (indexes, sequences, constraints, enum types and
/// domains), each an object of its own: the `COMMENT ON` that sets it. Its oid is the commented
/// object's, offset by catalog (an oid is unique within its catalog only).
fn comments_query(managed: &str) -> String {
    let (rel, ns_c, carried, plain) = (REL_NAME, NS, CARRIED_CONSTRAINT, PLAIN_INDEX);
    let type_ext = not_extension("pg_type", "t");
    format!(
        "SELECT c.oid::int8, 'comment', c.relname::text, {ns_c}, NULL::text, NULL::text, NULL::text,
       'COMMENT ON ' || CASE c.relkind WHEN 'S' THEN 'SEQUENCE ' ELSE 'INDEX ' END || {rel}
       || ' IS ' || quote_literal(d.description)
FROM pg_description d JOIN pg_class c ON c.oid = d.objoid
WHERE d.classoid = 'pg_class'::regclass AND d.objsubid = 0 AND c.relnamespace IN {managed}
  AND (c.relkind = 'S' AND NOT EXISTS (SELECT 1 FROM pg_depend o
                                       WHERE o.classid = 'pg_class'::regclass
                                         AND o.objid = c.oid AND o.deptype IN ('i', 'e'))
       OR c.relkind IN ('i', 'I') AND EXISTS (
         SELECT 1 FROM pg_index ix JOIN pg_class tc ON tc.oid = ix.indrelid
         WHERE ix.indexrelid = c.oid AND tc.relkind IN ('r', 'p') AND {plain}
           AND NOT EXISTS (SELECT 1 FROM pg_constraint con
                           WHERE con.conindid = c.oid AND {carried})))
UNION ALL
SELECT con.oid::int8 + 4294967296, 'comment', con.conname::text, NULL::text, NULL::text,
       c.relname::text, {ns_c},
       'COMMENT ON CONSTRAINT ' || quote_ident(con.conname) || ' ON ' || {rel}
       || ' IS ' || quote_literal(d.description)
FROM pg_description d JOIN pg_constraint con ON con.oid = d.objoid
JOIN pg_class c ON c.oid = con.conrelid
WHERE d.classoid = 'pg_constraint'::regclass AND c.relnamespace IN {managed}
  AND con.conislocal AND NOT {carried}
UNION ALL
SELECT con.oid::int8 + 4294967296, 'comment', con.conname::text, NULL::text, NULL::text,
       t.typname::text, NULLIF(n.nspname::text, current_schema()),
       'COMMENT ON CONSTRAINT ' || quote_ident(con.conname) || ' ON DOMAIN '
       || CASE WHEN n.nspname = current_schema() THEN quote_ident(t.typname)
               ELSE quote_ident(n.nspname) || '.' || quote_ident(t.typname) END
       || ' IS ' || quote_literal(d.description)
FROM pg_description d JOIN pg_constraint con ON con.oid = d.objoid
JOIN pg_type t ON t.oid = con.contypid JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE d.classoid = 'pg_constraint'::regclass AND t.typnamespace IN {managed}
UNION ALL
SELECT t.oid::int8 + 8589934592, 'comment', t.typname::text,
       NULLIF(n.nspname::text, current_schema()), NULL::text, NULL::text, NULL::text,
       'COMMENT ON ' || CASE t.typtype WHEN 'd' THEN 'DOMAIN ' ELSE 'TYPE ' END
       || CASE WHEN n.nspname = current_schema() THEN quote_ident(t.typname)
               ELSE quote_ident(n.nspname) || '.' || quote_ident(t.typname) END
       || ' IS ' || quote_literal(d.description)
FROM pg_description d JOIN pg_type t ON t.oid = d.objoid
JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE d.classoid = 'pg_type'::regclass AND t.typtype IN ('e', 'd')
  AND t.typnamespace IN {managed} AND {type_ext}"
    )
}

/// `(oid, kind, name, schema, arguments, table, table schema, definition)` for every object.
fn objects_query(managed: &str) -> String {
    let rel = REL_NAME;
    let ns_c = NS;
    let carried = CARRIED_CONSTRAINT;
    let foreign_routine = crate::pg_fragments::foreign_routine(managed);
    let comments = comments_query(managed);
    let view_ext = not_extension("pg_class", "c");
    let proc_ext = not_extension("pg_proc", "p");
    let types = types_query(managed);
    let text_search = text_search_query(managed);
    format!(
        "{types}
UNION ALL
{text_search}
UNION ALL
SELECT c.oid::int8, CASE c.relkind WHEN 'v' THEN 'view' ELSE 'materialized view' END,
       c.relname::text, {ns_c}, NULL::text, NULL::text, NULL::text,
       'CREATE ' || CASE c.relkind WHEN 'v' THEN 'VIEW ' ELSE 'MATERIALIZED VIEW ' END || {rel}
       || COALESCE(' WITH (' || array_to_string(c.reloptions, ', ') || ')', '') || E' AS\\n'
       || regexp_replace(pg_get_viewdef(c.oid, true), ';\\s*$', '')
FROM pg_class c
WHERE c.relkind IN ('v', 'm') AND c.relnamespace IN {managed} AND {view_ext}
UNION ALL
SELECT p.oid::int8, CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' ELSE 'function' END,
       p.proname::text, NULLIF(n.nspname::text, current_schema()),
       pg_get_function_identity_arguments(p.oid), NULL::text, NULL::text,
       CASE WHEN p.prokind = 'a' THEN
         (SELECT 'CREATE AGGREGATE '
            || CASE WHEN n.nspname = current_schema() THEN quote_ident(p.proname)
                    ELSE quote_ident(n.nspname) || '.' || quote_ident(p.proname) END
            || '(' || pg_get_function_identity_arguments(p.oid) || E') (\\n    SFUNC = '
            || a.aggtransfn::regproc::text || E',\\n    STYPE = ' || format_type(a.aggtranstype, NULL)
            || COALESCE(E',\\n    FINALFUNC = ' || NULLIF(a.aggfinalfn::oid, 0)::regproc::text, '')
            || COALESCE(E',\\n    COMBINEFUNC = ' || NULLIF(a.aggcombinefn::oid, 0)::regproc::text, '')
            || COALESCE(E',\\n    INITCOND = ' || quote_literal(a.agginitval), '')
            || E'\\n)'
          FROM pg_aggregate a WHERE a.aggfnoid = p.oid)
       ELSE rtrim(pg_get_functiondef(p.oid), E'\\n') END
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE (p.pronamespace IN {managed} OR {foreign_routine}) AND {proc_ext}
  AND NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = 'pg_proc'::regclass
                  AND x.objid = p.oid AND x.deptype = 'i')
UNION ALL
SELECT g.oid::int8, 'trigger', g.tgname::text, NULL::text, NULL::text, c.relname::text, {ns_c},
       pg_get_triggerdef(g.oid)
FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
WHERE NOT g.tgisinternal AND c.relnamespace IN {managed} AND NOT c.relispartition
  AND {view_ext}
UNION ALL
SELECT r.oid::int8, 'rule', r.rulename::text, NULL::text, NULL::text, c.relname::text, {ns_c},
       regexp_replace(pg_get_ruledef(r.oid, true), ';\\s*$', '')
FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
WHERE r.rulename <> '_RETURN' AND c.relnamespace IN {managed} AND {view_ext}
UNION ALL
SELECT i.oid::int8, 'index', i.relname::text, {ns_c}, NULL::text, c.relname::text, {ns_c},
       -- A partitioned table's index is printed `ON ONLY` (pg_dump attaches the partitions'
       -- one by one); made so, the partitions would have none.
       CASE WHEN c.relkind = 'p' AND ix.indisvalid
            THEN regexp_replace(pg_get_indexdef(i.oid), ' ON ONLY ', ' ON ')
            ELSE pg_get_indexdef(i.oid) END
FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class c ON c.oid = ix.indrelid
WHERE c.relnamespace IN {managed} AND {view_ext}
  AND (c.relkind = 'm'
       OR c.relkind IN ('r', 'p') AND NOT {PLAIN_INDEX} AND NOT ix.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = ix.indexrelid
                          AND con.conrelid = ix.indrelid)
          AND NOT EXISTS (SELECT 1 FROM pg_inherits hi WHERE hi.inhrelid = ix.indexrelid))
UNION ALL
SELECT pol.oid::int8, 'policy', pol.polname::text, NULL::text, NULL::text, c.relname::text, {ns_c},
       'CREATE POLICY ' || quote_ident(pol.polname) || ' ON ' || {rel}
       || CASE WHEN pol.polpermissive THEN '' ELSE ' AS RESTRICTIVE' END
       || ' FOR ' || CASE pol.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT'
                     WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END
       || ' TO ' || (SELECT string_agg(CASE WHEN r.id = 0 THEN 'PUBLIC'
                                            ELSE quote_ident(pg_get_userbyid(r.id)) END,
                                       ', ' ORDER BY r.n)
                     FROM unnest(pol.polroles) WITH ORDINALITY r(id, n))
       || COALESCE(' USING (' || pg_get_expr(pol.polqual, pol.polrelid) || ')', '')
       || COALESCE(' WITH CHECK (' || pg_get_expr(pol.polwithcheck, pol.polrelid) || ')', '')
FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid
WHERE c.relnamespace IN {managed} AND {view_ext}
UNION ALL
SELECT con.oid::int8,
       CASE con.contype WHEN 'x' THEN 'exclusion constraint' ELSE 'constraint' END,
       con.conname::text, NULL::text, NULL::text, c.relname::text, {ns_c},
       'ALTER TABLE ' || {rel} || ' ADD CONSTRAINT ' || quote_ident(con.conname) || ' '
       || pg_get_constraintdef(con.oid)
       -- A key's index storage parameters, which only pg_dump's form of the definition prints.
       || CASE WHEN con.contype IN ('p', 'u') THEN COALESCE((SELECT ' WITH ('
            || array_to_string(xi.reloptions, ', ') || ')' FROM pg_class xi
            WHERE xi.oid = con.conindid), '') ELSE '' END
FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
WHERE {carried} AND con.conislocal AND c.relnamespace IN {managed} AND {view_ext}
UNION ALL
{comments}
ORDER BY 2, 3, 5"
    )
}

/// What each view, routine, trigger, policy, exclusion constraint and type depends on:
/// `(object oid, its catalog, referenced oid, its catalog, relkind, relation, relation schema,
/// column)`. A view's dependencies are its rewrite rule's; one on a table's or composite type's
/// row type is on its relation; one on a range type is on the type (`pg_type`). A composite
/// type's dependencies are its relation's; an exclusion constraint's on its columns are
/// automatic ones.
const DEPENDENCIES: &str = "
WITH dep AS (
  SELECT CASE WHEN d.classid = 'pg_rewrite'::regclass
              THEN (SELECT w.ev_class FROM pg_rewrite w WHERE w.oid = d.objid)
              ELSE d.objid END AS obj,
         d.classid::regclass::text AS cls,
         CASE WHEN d.refclassid = 'pg_type'::regclass
              THEN (SELECT COALESCE(NULLIF(t.typrelid, 0), CASE WHEN t.typtype = 'r' THEN t.oid END)
                    FROM pg_type t WHERE t.oid = d.refobjid)
              ELSE d.refobjid END AS ref,
         CASE WHEN d.refclassid IN ('pg_proc'::regclass, 'pg_ts_dict'::regclass,
                                    'pg_ts_parser'::regclass, 'pg_ts_template'::regclass)
              THEN d.refclassid::regclass::text
              WHEN d.refclassid = 'pg_type'::regclass
                   AND (SELECT t.typtype FROM pg_type t WHERE t.oid = d.refobjid) = 'r'
              THEN 'pg_type' ELSE 'pg_class' END AS refcls,
         d.refobjsubid AS sub
  FROM pg_depend d
  WHERE (d.classid IN ('pg_rewrite'::regclass, 'pg_trigger'::regclass, 'pg_proc'::regclass,
                       'pg_policy'::regclass, 'pg_type'::regclass, 'pg_constraint'::regclass,
                       'pg_statistic_ext'::regclass, 'pg_ts_config'::regclass,
                       'pg_ts_dict'::regclass, 'pg_ts_parser'::regclass,
                       'pg_ts_template'::regclass)
         OR d.classid = 'pg_class'::regclass
            AND (SELECT relkind FROM pg_class WHERE oid = d.objid) = 'c')
    AND (d.classid <> 'pg_constraint'::regclass
         OR EXISTS (SELECT 1 FROM pg_constraint con WHERE con.oid = d.objid
                    AND {CARRIED_CONSTRAINT}))
    AND d.refclassid IN ('pg_class'::regclass, 'pg_proc'::regclass, 'pg_type'::regclass,
                         'pg_ts_dict'::regclass, 'pg_ts_parser'::regclass,
                         'pg_ts_template'::regclass)
    AND (d.deptype = 'n' OR d.deptype = 'a'
                            AND d.classid IN ('pg_constraint'::regclass,
                                              'pg_statistic_ext'::regclass)
                            AND d.refclassid = 'pg_class'::regclass)
)
SELECT dep.obj::int8, dep.cls, dep.ref::int8, dep.refcls, c.relkind::text, c.relname::text,
       {NS}, a.attname::text
FROM dep
LEFT JOIN pg_class c ON dep.refcls = 'pg_class' AND c.oid = dep.ref
LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = dep.sub AND dep.sub > 0
WHERE dep.ref IS NOT NULL AND dep.obj IS NOT NULL AND dep.obj <> dep.ref";

/// The comments on objects: `(object oid, its catalog, column number, column, comment)`, a
/// composite type's by its relation (tables' and their columns' are the table query's).
const DESCRIPTIONS: &str = "
SELECT CASE WHEN d.classoid = 'pg_type'::regclass
            THEN COALESCE((SELECT NULLIF(t.typrelid, 0) FROM pg_type t WHERE t.oid = d.objoid),
                          d.objoid)
            ELSE d.objoid END::int8,
       d.classoid::regclass::text, d.objsubid,
       (SELECT a.attname::text FROM pg_attribute a
        WHERE d.classoid = 'pg_class'::regclass AND a.attrelid = d.objoid
          AND a.attnum = d.objsubid AND d.objsubid > 0),
       d.description
FROM pg_description d
WHERE d.classoid IN ('pg_proc'::regclass, 'pg_trigger'::regclass, 'pg_policy'::regclass,
                     'pg_rewrite'::regclass, 'pg_type'::regclass, 'pg_constraint'::regclass,
                     'pg_collation'::regclass, 'pg_statistic_ext'::regclass,
                     'pg_ts_dict'::regclass, 'pg_ts_config'::regclass,
                     'pg_ts_parser'::regclass, 'pg_ts_template'::regclass)
   OR d.classoid = 'pg_class'::regclass
      AND (SELECT relkind FROM pg_class WHERE oid = d.objoid) IN ('v', 'm', 'i', 'I')
ORDER BY 1, 3";

/// Every object of the managed schemas (`managed`: the `(SELECT oid FROM pg_namespace …)`
/// condition), by oid, with its dependencies filled in.
pub(crate) async fn read(conn: &mut PgConnection, managed: &str) -> Result<Vec<(i64, SqlObject)>> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(objects_query(managed)))
        .fetch_all(&mut *conn)
        .await
        .map_err(q("views, functions and triggers"))?;
    let mut objects: Vec<(i64, SqlObject)> = rows.iter().filter_map(object).collect();
    let index: BTreeMap<(i64, &str), usize> = objects
        .iter()
        .enumerate()
        .map(|(i, (oid, o))| ((*oid, own_catalog(o.kind)), i))
        .collect();
    let deps = sqlx::query(sqlx::AssertSqlSafe(
        DEPENDENCIES
            .replace("{NS}", NS)
            .replace("{CARRIED_CONSTRAINT}", CARRIED_CONSTRAINT),
    ))
    .fetch_all(&mut *conn)
    .await
    .map_err(q("what views, functions and triggers depend on"))?;
    for r in &deps {
        let (obj, cls, refoid, refcls): (i64, String, i64, String) =
            (r.get(0), r.get(1), r.get(2), r.get(3));
        let Some(&at) = index.get(&(obj, index_catalog(&cls))) else {
            continue;
        };
        let (relkind, relation): (Option<String>, Option<String>) = (r.get(4), r.get(5));
        let relation = relation.map(|t| qualified(r.get::<Option<String>, _>(6).as_deref(), &t));
        let column: Option<String> = r.get(7);
        // Another object (a routine, a view): depended on by its key.
        let target = match (refcls.as_str(), relkind.as_deref()) {
            ("pg_proc" | "pg_type" | "pg_ts_dict" | "pg_ts_parser" | "pg_ts_template", _)
            | (_, Some("v" | "m" | "c")) => index
                .get(&(refoid, index_catalog(&refcls)))
                .map(|&i| objects[i].1.key()),
            _ => None,
        };
        let o = &mut objects[at].1;
        match (target, relkind.as_deref(), relation) {
            (Some(target), _, _) => {
                o.depends_on.insert(target);
            }
            (None, Some("r" | "p"), Some(table)) if o.kind.before_tables() => {
                o.depends_on.insert(format!("table {table}"));
            }
            (None, Some("r" | "p"), Some(table)) => match column {
                Some(c) => {
                    o.reads.entry(table).or_default().insert(c);
                }
                None if !o.kind.table_constraint()
                    && !matches!(
                        o.kind,
                        SqlKind::Trigger | SqlKind::Policy | SqlKind::Statistics
                    ) =>
                {
                    o.reads.entry(table).or_default();
                }
                None => {}
            },
            _ => {}
        }
    }
    commented(conn, &mut objects, &index).await?;
    // A materialized view's index goes with it (`pg_depend` records that as automatic). A
    // table's index reads nothing: the server rebuilds it when a column under it changes.
    let views: std::collections::BTreeSet<String> = objects.iter().map(|(_, o)| o.key()).collect();
    for (_, o) in objects.iter_mut().filter(|(_, o)| o.kind == SqlKind::Index) {
        if let Some(view) = &o.table {
            let key = autogen_schema::object_key(SqlKind::MaterializedView, view, None, None);
            if views.contains(&key) {
                o.depends_on.insert(key);
            }
        }
    }
    Ok(objects)
}

/// Appends to each object's statement its comment, and a view's its columns' (`COMMENT ON VIEW
/// "v" IS '…'`, `COMMENT ON COLUMN "v"."c" IS '…'`), as pg_dump writes them after it: part of
/// the object, compared and made with it. An index's are not carried (the guard of its online
/// form compares its definition alone).
async fn commented(
    conn: &mut PgConnection,
    objects: &mut [(i64, SqlObject)],
    index: &BTreeMap<(i64, &str), usize>,
) -> Result<()> {
    let rows = sqlx::query(DESCRIPTIONS)
        .fetch_all(&mut *conn)
        .await
        .map_err(q("the comments on views, functions and triggers"))?;
    let quote = |n: &str| autogen_schema::lexical::quote_identifier(n, '"');
    for r in &rows {
        let (oid, cls, sub): (i64, String, i32) = (r.get(0), r.get(1), r.get(2));
        let Some(&at) = index.get(&(oid, index_catalog(&cls))) else {
            continue;
        };
        let o = &mut objects[at].1;
        let (column, text): (Option<String>, String) = (r.get(3), r.get(4));
        let target = match (sub, column, o.kind) {
            (0, _, _) => o.target(&quote, true),
            (_, Some(c), SqlKind::View | SqlKind::MaterializedView) => {
                let view = autogen_schema::lexical::quoted_key(&o.name, &quote);
                format!("COLUMN {view}.{}", quote(&c))
            }
            _ => continue,
        };
        o.add_comment(&target, &text);
    }
    Ok(())
}

/// The catalog an object recorded in catalog `cls` (`pg_depend`'s, `pg_description`'s) is
/// indexed under: its own where it is not `pg_class` or `pg_proc` (see [`own_catalog`]).
fn index_catalog(cls: &str) -> &'static str {
    [
        "pg_trigger",
        "pg_policy",
        "pg_constraint",
        "pg_collation",
        "pg_statistic_ext",
        "pg_ts_dict",
        "pg_ts_config",
        "pg_ts_parser",
        "pg_ts_template",
    ]
    .into_iter()
    .find(|c| *c == cls)
    .unwrap_or_default()
}

/// The catalog whose oids a kind's objects have, where it is not `pg_class` or `pg_proc` (whose
/// oids `pg_depend` records with the dependency on a view's rewrite rule): an oid is unique
/// within its catalog only.
fn own_catalog(kind: SqlKind) -> &'static str {
    match kind {
        SqlKind::Trigger => "pg_trigger",
        SqlKind::Policy => "pg_policy",
        SqlKind::Exclusion | SqlKind::Constraint => "pg_constraint",
        SqlKind::Collation => "pg_collation",
        SqlKind::Statistics => "pg_statistic_ext",
        SqlKind::TextSearchParser => "pg_ts_parser",
        SqlKind::TextSearchTemplate => "pg_ts_template",
        SqlKind::TextSearchDictionary => "pg_ts_dict",
        SqlKind::TextSearchConfiguration => "pg_ts_config",
        SqlKind::Comment => "pg_description",
        SqlKind::Type
        | SqlKind::Sequence
        | SqlKind::Function
        | SqlKind::Procedure
        | SqlKind::Aggregate
        | SqlKind::View
        | SqlKind::MaterializedView
        | SqlKind::Rule
        | SqlKind::Index
        | SqlKind::Event
        | SqlKind::VirtualTable => "",
    }
}

fn object(r: &PgRow) -> Option<(i64, SqlObject)> {
    let kind = SqlKind::from_word(&r.get::<String, _>(1))?;
    let name: String = r.get(2);
    let schema: Option<String> = r.get(3);
    let table = r
        .get::<Option<String>, _>(5)
        .map(|t| qualified(r.get::<Option<String>, _>(6).as_deref(), &t));
    let definition: Option<String> = r.get(7);
    let name = qualified(schema.as_deref(), &name);
    let object = SqlObject::from_statement(kind, name, r.get(4), table, definition?);
    Some((r.get(0), object))
}
