//! What PostgreSQL's catalog holds that autogen leaves alone, counted by kind for the plan and
//! named by `init --from-database` (`not_carried_because`).

use crate::pg_fragments::MANAGED;

/// What autogen leaves alone, counted by kind.
pub(crate) const LEFT_ALONE: &str = "
SELECT 'foreign tables', count(*) FROM pg_class c WHERE {OWN} AND c.relkind = 'f'
UNION ALL SELECT 'tables whose rows are clustered on an index', count(*) FROM pg_index x
  JOIN pg_class c ON c.oid = x.indrelid WHERE {OWN} AND x.indisclustered
UNION ALL SELECT 'replica identities of an index', count(*) FROM pg_class c
  WHERE {OWN} AND c.relreplident = 'i'
UNION ALL SELECT 'disabled triggers', count(*) FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
  WHERE {OWN} AND NOT g.tgisinternal AND g.tgenabled <> 'O'
UNION ALL SELECT 'constraints whose validation was skipped', count(*) FROM pg_constraint con
  JOIN pg_class c ON c.oid = con.conrelid
  WHERE {OWN} AND con.contype IN ('f', 'c') AND NOT con.convalidated AND con.conislocal
UNION ALL SELECT 'sequences whose owning column has no nextval default', count(*)
  FROM pg_depend d JOIN pg_class s ON s.oid = d.objid JOIN pg_class c ON c.oid = d.refobjid
  WHERE {OWN} AND s.relkind = 'S' AND d.classid = 'pg_class'::regclass
    AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'a' AND d.refobjsubid > 0
    AND NOT EXISTS (SELECT 1 FROM pg_attrdef ad WHERE ad.adrelid = d.refobjid
                    AND ad.adnum = d.refobjsubid
                    AND strpos(pg_get_expr(ad.adbin, ad.adrelid), s.relname) > 0)
UNION ALL SELECT 'inherited columns the inheriting table also declares', count(*) FROM pg_attribute a
  JOIN pg_class c ON c.oid = a.attrelid
  WHERE {OWN} AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attinhcount > 0
    AND a.attislocal AND a.attnum > 0 AND NOT a.attisdropped
UNION ALL SELECT 'typed tables', count(*) FROM pg_class c
  WHERE {OWN} AND c.relkind IN ('r', 'p') AND c.reloftype <> 0
UNION ALL SELECT 'unlogged sequences', count(*) FROM pg_class c
  WHERE {OWN} AND c.relkind = 'S' AND c.relpersistence = 'u'
UNION ALL SELECT 'event triggers', count(*) FROM pg_event_trigger g
  WHERE NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_event_trigger'::regclass
                    AND e.objid = g.oid AND e.deptype = 'e')
UNION ALL SELECT 'tables in other schemas', count(*) FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
    AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
    AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast_temp%'
    AND n.nspname <> current_schema() AND n.nspname <> ALL({SCHEMAS})
    AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_class'::regclass
                    AND e.objid = c.oid AND e.deptype = 'e')";

/// A text search template or parser (`alias`, of catalog `catalog`, its schema in `ns`) that a
/// new environment has: the server's, an extension's, or one of a managed schema (carried).
fn provided(catalog: &str, alias: &str, ns: &str, managed: &str) -> String {
    format!(
        "({alias}.{ns} = 'pg_catalog'::regnamespace OR {alias}.{ns} IN {managed} OR EXISTS (
           SELECT 1 FROM pg_depend e WHERE e.classid = '{catalog}'::regclass
             AND e.objid = {alias}.oid AND e.deptype = 'e'))"
    )
}

/// Whether text search dictionary `d` can be carried: its template is provided.
pub(crate) fn carried_dictionary(d: &str, managed: &str) -> String {
    let template = provided("pg_ts_template", "tt", "tmplnamespace", managed);
    format!(
        "EXISTS (SELECT 1 FROM pg_ts_template tt WHERE tt.oid = {d}.dicttemplate AND {template})"
    )
}

/// Whether text search configuration `c` can be carried: its parser is provided, and so is the
/// template of every dictionary it maps to.
pub(crate) fn carried_configuration(c: &str, managed: &str) -> String {
    let parser = provided("pg_ts_parser", "tp", "prsnamespace", managed);
    let dictionary = carried_dictionary("td", managed);
    format!(
        "EXISTS (SELECT 1 FROM pg_ts_parser tp WHERE tp.oid = {c}.cfgparser AND {parser})
         AND NOT EXISTS (SELECT 1 FROM pg_ts_config_map tm JOIN pg_ts_dict td ON td.oid = tm.mapdict
                         WHERE tm.mapcfg = {c}.oid AND NOT {dictionary})"
    )
}

/// What autogen neither models nor carries, counted by kind (the rest of [`LEFT_ALONE`]):
/// each catalog of objects a user can make, its rows in the managed schemas (or, for the
/// catalogs without schemas, every row made after the server's own) that no extension or other
/// object owns,
/// and every view, sequence, routine and type of a schema autogen does not manage.
pub(crate) fn uncounted_elsewhere() -> String {
    const IN_SCHEMAS: [(&str, &str, &str); 4] = [
        ("operators", "pg_operator", "oprnamespace"),
        ("operator classes", "pg_opclass", "opcnamespace"),
        ("operator families", "pg_opfamily", "opfnamespace"),
        ("conversions", "pg_conversion", "connamespace"),
    ];
    // 16384: PostgreSQL's FirstNormalObjectId, the first oid of an object a user made.
    const GLOBAL: [(&str, &str); 6] = [
        ("casts", "pg_cast"),
        ("publications", "pg_publication"),
        ("foreign data wrappers", "pg_foreign_data_wrapper"),
        ("foreign servers", "pg_foreign_server"),
        ("procedural languages", "pg_language"),
        ("access methods", "pg_am"),
    ];
    // Nor what is part of another object (`deptype = 'i'`): the cast a range type makes to
    // its multirange is made again with the type.
    let no_extension = |cat: &str| {
        format!(
            "NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '{cat}'::regclass
                    AND e.objid = x.oid AND e.deptype IN ('e', 'i'))"
        )
    };
    let mut arms: Vec<String> = IN_SCHEMAS
        .iter()
        .map(|(label, cat, ns)| {
            format!(
                "SELECT '{label}', count(*) FROM {cat} x WHERE x.{ns} IN {{MANAGED}} AND {}",
                no_extension(cat)
            )
        })
        .collect();
    // Text search objects made of a parser or template of a schema autogen does not manage.
    let of_own = [
        (
            "text search dictionaries of a template autogen cannot carry",
            "pg_ts_dict",
            "dictnamespace",
            carried_dictionary("x", "{MANAGED}"),
        ),
        (
            "text search configurations of a parser or template autogen cannot carry",
            "pg_ts_config",
            "cfgnamespace",
            carried_configuration("x", "{MANAGED}"),
        ),
    ];
    arms.extend(of_own.iter().map(|(label, cat, ns, carried)| {
        format!(
            "SELECT '{label}', count(*) FROM {cat} x WHERE x.{ns} IN {{MANAGED}} AND {} AND NOT {carried}",
            no_extension(cat)
        )
    }));
    arms.extend(GLOBAL.iter().map(|(label, cat)| {
        format!(
            "SELECT '{label}', count(*) FROM {cat} x WHERE x.oid >= 16384 AND {}",
            no_extension(cat)
        )
    }));
    let other = "x.nsp NOT IN (SELECT oid FROM pg_namespace WHERE nspname IN
                   ('pg_catalog', 'information_schema', 'pg_toast') OR nspname LIKE 'pg_temp%'
                   OR nspname LIKE 'pg_toast_temp%') AND x.nsp NOT IN {MANAGED}";
    let foreign = crate::pg_fragments::foreign_column_type(MANAGED);
    let foreign_routine = crate::pg_fragments::foreign_routine(MANAGED);
    arms.push(format!(
        "SELECT 'objects in other schemas', count(*) FROM (
           SELECT c.oid, c.relnamespace AS nsp, 'pg_class'::regclass AS cat FROM pg_class c
             WHERE c.relkind IN ('v', 'm', 'S', 'c') AND NOT EXISTS (SELECT 1 FROM pg_depend o
               WHERE o.classid = 'pg_class'::regclass AND o.objid = c.oid AND o.deptype IN ('a', 'i'))
               AND NOT {{FOREIGN_SEQUENCE}}
           UNION ALL SELECT p.oid, p.pronamespace, 'pg_proc'::regclass FROM pg_proc p
             WHERE NOT {foreign_routine}
           UNION ALL SELECT t.oid, t.typnamespace, 'pg_type'::regclass FROM pg_type t
             WHERE t.typtype IN ('e', 'd', 'r') AND NOT {foreign}) x
         WHERE {other} AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = x.cat
                                       AND e.objid = x.oid AND e.deptype = 'e')"
    ));
    arms.join("\nUNION ALL ")
}
