//! PostgreSQL: a fixed set of catalog queries for the whole schema (`current_schema()`).
//!
//! Tables are ordinary and partitioned tables, partitions and inheriting tables among them. What
//! autogen does not model (policies, indexes it cannot recreate, …) is counted into [`Schema::left_alone`], never read as
//! something else. Objects an extension owns are not the user's and are not counted.

use crate::error::{Result, query_failed as q};
use crate::pg_fragments::{CARRIED_CONSTRAINT, FOREIGN_SEQUENCE, MANAGED, NS, PLAIN_INDEX};
use crate::pg_left_alone::{LEFT_ALONE, uncounted_elsewhere};
use autogen_db::VERSION_TABLES;
use autogen_schema::dialect::{FORCED_ROW_SECURITY, ROW_SECURITY};
use autogen_schema::lexical::{qualified, quote_string, split_qualified};
use autogen_schema::{
    Check, Column, ColumnType, Deferrable, Dialect, Domain, DomainCheck, EnumType, FkAction,
    ForeignKey, Generated, IdentitySequence, Index, NameKind, NameProbe, Schema, SequenceNumbers,
    SequenceOptions, Table, Unique, nextval_sequence,
};
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, PgPool, Row};
use std::collections::{BTreeMap, BTreeSet};

/// `c` is in a managed schema and no extension owns it.
const OWN: &str = "c.relnamespace IN {MANAGED}
  AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = 'pg_class'::regclass
                  AND e.objid = c.oid AND e.deptype = 'e')";

/// Ordinary and partitioned tables, partitions and inheriting tables among them: with a
/// partitioned table's key, a partition's parent and bound, and the tables one inherits from.
const TABLES: &str = "
SELECT c.relname::text, obj_description(c.oid, 'pg_class'), {NS},
       CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,
       CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END,
       ARRAY(SELECT p.relname::text FROM pg_inherits h JOIN pg_class p ON p.oid = h.inhparent
             WHERE h.inhrelid = c.oid ORDER BY h.inhseqno),
       ARRAY(SELECT COALESCE(NULLIF(n.nspname::text, current_schema()), '')
             FROM pg_inherits h JOIN pg_class p ON p.oid = h.inhparent
             JOIN pg_namespace n ON n.oid = p.relnamespace
             WHERE h.inhrelid = c.oid ORDER BY h.inhseqno),
       c.relpersistence = 'u', 'WITH (' || array_to_string(c.reloptions, ', ') || ')',
       c.relrowsecurity, c.relforcerowsecurity,
       CASE c.relreplident WHEN 'f' THEN 'REPLICA IDENTITY FULL'
                           WHEN 'n' THEN 'REPLICA IDENTITY NOTHING' END
FROM pg_class c
WHERE {OWN} AND c.relkind IN ('r', 'p')
ORDER BY 1";

/// A generated column's expression is read where a default's is (`pg_attrdef`).
const COLUMNS: &str = "
SELECT c.relname::text, a.attname::text, format_type(a.atttypid, a.atttypmod), t.typname::text,
       t.typtype::text, et.typname::text, et.typtype::text, a.attnotnull,
       pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, col_description(c.oid, a.attnum),
       {NS},
       CASE WHEN d.adbin IS NOT NULL THEN
         (SELECT sq.relname::text FROM pg_depend dp JOIN pg_class sq ON sq.oid = dp.objid
          WHERE dp.classid = 'pg_class'::regclass AND dp.refclassid = 'pg_class'::regclass
            AND dp.refobjid = c.oid AND dp.refobjsubid = a.attnum AND dp.deptype = 'a'
            AND sq.relkind = 'S' LIMIT 1)
       END,
       CASE WHEN a.attcollation <> t.typcollation THEN
         (SELECT co.collname::text FROM pg_collation co WHERE co.oid = a.attcollation)
       END,
       {GENERATED},
       -- Its statistics settings, as the `ALTER TABLE` that makes them says (the planner's
       -- `n_distinct`; other column options an extension may keep are its own).
       CASE WHEN a.attoptions IS NOT NULL THEN
         (SELECT 'ALTER COLUMN ' || quote_ident(a.attname::text) || ' SET ('
                 || string_agg(o, ', ') || ')'
          FROM unnest(a.attoptions) o WHERE o LIKE 'n\\_distinct%')
       END,
       CASE WHEN a.attstattarget >= 0 THEN
         'ALTER COLUMN ' || quote_ident(a.attname::text) || ' SET STATISTICS '
         || a.attstattarget::text
       END,
       -- Its compression (a column of PostgreSQL 14+, named only there) and its storage where
       -- not its type's, likewise.
       'ALTER COLUMN ' || quote_ident(a.attname::text) || ' SET COMPRESSION '
         || {COMPRESSION},
       'ALTER COLUMN ' || quote_ident(a.attname::text) || ' SET STORAGE '
         || CASE WHEN a.attstorage <> t.typstorage THEN
              CASE a.attstorage WHEN 'p' THEN 'PLAIN' WHEN 'e' THEN 'EXTERNAL' WHEN 'm' THEN 'MAIN'
                                ELSE 'EXTENDED' END
            END,
       -- An identity's sequence: its name and numbers.
       ids.relname, ids.seqtype, ids.seqincrement, ids.seqmin, ids.seqmax, ids.seqstart,
       ids.seqcache, ids.seqcycle,
       -- An inherited column's default and NOT NULL where they are not its parent's (a
       -- partition's own `ALTER COLUMN … SET DEFAULT`), likewise.
       CASE WHEN a.attinhcount > 0 AND {GENERATED} = '' THEN
         (SELECT 'ALTER COLUMN ' || quote_ident(a.attname::text)
                 || CASE WHEN d.adbin IS NULL THEN ' DROP DEFAULT'
                         ELSE ' SET DEFAULT ' || pg_get_expr(d.adbin, d.adrelid) END
          FROM pg_inherits i
          JOIN pg_attribute pa ON pa.attrelid = i.inhparent AND pa.attname = a.attname
          LEFT JOIN pg_attrdef pd ON pd.adrelid = pa.attrelid AND pd.adnum = pa.attnum
          WHERE i.inhrelid = c.oid
            AND pg_get_expr(pd.adbin, pd.adrelid) IS DISTINCT FROM pg_get_expr(d.adbin, d.adrelid)
          LIMIT 1)
       END,
       CASE WHEN a.attinhcount > 0 AND a.attnotnull AND NOT EXISTS (
              SELECT 1 FROM pg_inherits i
              JOIN pg_attribute pa ON pa.attrelid = i.inhparent AND pa.attname = a.attname
              WHERE i.inhrelid = c.oid AND pa.attnotnull) THEN
         'ALTER COLUMN ' || quote_ident(a.attname::text) || ' SET NOT NULL'
       END
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
LEFT JOIN LATERAL (
  SELECT sq.relname::text, format_type(s.seqtypid, NULL) AS seqtype, s.seqincrement, s.seqmin,
         s.seqmax, s.seqstart, s.seqcache, s.seqcycle
  FROM pg_depend dp JOIN pg_class sq ON sq.oid = dp.objid JOIN pg_sequence s ON s.seqrelid = sq.oid
  WHERE a.attidentity <> '' AND dp.classid = 'pg_class'::regclass
    AND dp.refclassid = 'pg_class'::regclass AND dp.refobjid = c.oid
    AND dp.refobjsubid = a.attnum AND dp.deptype = 'i'
  LIMIT 1) ids ON true
WHERE {OWN} AND c.relkind IN ('r', 'p')
  AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY c.relname, a.attnum";

const CONSTRAINTS: &str = "
SELECT c.relname::text, con.conname::text, con.contype::text,
       ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, o)
             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.o),
       fc.relname::text,
       ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, o)
             JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.o),
       con.confdeltype::text, con.confupdtype::text,
       fc.relnamespace IN {MANAGED}, {NS},
       (SELECT NULLIF(ns.nspname::text, current_schema()) FROM pg_namespace ns
        WHERE ns.oid = fc.relnamespace),
       con.condeferrable, con.condeferred,
       CASE WHEN con.contype = 'c'
            THEN regexp_replace(pg_get_constraintdef(con.oid), ' NOT VALID$', '') END
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
LEFT JOIN pg_class fc ON fc.oid = con.confrelid
WHERE {OWN} AND c.relkind IN ('r', 'p') AND con.contype IN ('p', 'u', 'f', 'c')
  -- A partition's copy of its parent's key, an inherited CHECK: the parent's.
  AND con.conislocal AND NOT {CARRIED_CONSTRAINT}
ORDER BY c.relname, con.conname";

/// Indexes that back no constraint. One an entity cannot declare (`PLAIN_INDEX` says which) is
/// read as a SQL object instead (`objects::postgres`): rebuilding it as a plain index would
/// change it.
const INDEXES: &str = "
SELECT t.relname::text, i.relname::text, ix.indisunique,
       ARRAY(SELECT a.attname::text
             FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(n, o)
             JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.n
             WHERE k.o <= ix.indnkeyatts ORDER BY k.o),
       pg_get_expr(ix.indpred, ix.indrelid), am.amname::text,
       {PLAIN_INDEX},
       {NS}
FROM pg_index ix
JOIN pg_class i ON i.oid = ix.indexrelid
JOIN pg_class t ON t.oid = ix.indrelid
JOIN pg_class c ON c.oid = ix.indrelid
JOIN pg_am am ON am.oid = i.relam
WHERE {OWN} AND c.relkind IN ('r', 'p') AND NOT ix.indisprimary
  AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = ix.indexrelid
                  AND con.conrelid = ix.indrelid)
  -- A partition's copy of an index of its parent: the parent's.
  AND NOT EXISTS (SELECT 1 FROM pg_inherits hi WHERE hi.inhrelid = ix.indexrelid)
ORDER BY t.relname, i.relname";

/// Extensions the database has (plpgsql comes with every database).
const EXTENSIONS: &str = "
SELECT e.extname::text, NULLIF(n.nspname::text, current_schema())
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname <> 'plpgsql' ORDER BY 1";

const ENUMS: &str = "
SELECT t.typname::text, array_agg(e.enumlabel::text ORDER BY e.enumsortorder)
FROM pg_type t
JOIN pg_enum e ON e.enumtypid = t.oid
WHERE t.typnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
  AND NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = 'pg_type'::regclass
                  AND x.objid = t.oid AND x.deptype = 'e')
GROUP BY t.typname
ORDER BY 1";

const DOMAINS: &str = "
SELECT t.typname::text, format_type(t.typbasetype, t.typtypmod), t.typnotnull, t.typdefault,
       ARRAY(SELECT k.conname::text FROM pg_constraint k
             WHERE k.contypid = t.oid AND k.contype = 'c' ORDER BY k.conname),
       ARRAY(SELECT pg_get_constraintdef(k.oid) FROM pg_constraint k
             WHERE k.contypid = t.oid AND k.contype = 'c' ORDER BY k.conname)
FROM pg_type t
WHERE t.typnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
  AND t.typtype = 'd'
  AND NOT EXISTS (SELECT 1 FROM pg_depend x WHERE x.classid = 'pg_type'::regclass
                  AND x.objid = t.oid AND x.deptype = 'e')
ORDER BY 1";

/// Every sequence of the schema but an identity column's own (which goes with its column).
/// Keyed as tables are: with their schema outside the connection's own.
const SEQUENCES: &str = "
SELECT c.relname::text, {NS}, format_type(s.seqtypid, NULL), s.seqincrement, s.seqmin, s.seqmax,
       s.seqstart, s.seqcache, s.seqcycle,
       (SELECT a.atttypid = s.seqtypid FROM pg_depend o
          JOIN pg_attribute a ON a.attrelid = o.refobjid AND a.attnum = o.refobjsubid
        WHERE o.classid = 'pg_class'::regclass AND o.objid = c.oid AND o.refobjsubid > 0
          AND o.deptype = 'a' LIMIT 1)
FROM pg_class c JOIN pg_sequence s ON s.seqrelid = c.oid
WHERE ({OWN} OR {FOREIGN_SEQUENCE}) AND c.relkind = 'S'
  AND NOT EXISTS (SELECT 1 FROM pg_depend o WHERE o.classid = 'pg_class'::regclass
                  AND o.objid = c.oid AND o.deptype = 'i')
ORDER BY 1";

/// Relations that are not tables: views, materialized views, foreign tables.
const UNMANAGED: &str = "
SELECT c.relname::text, {NS} FROM pg_class c
WHERE {OWN} AND c.relkind IN ('v', 'm', 'f')";

/// A catalog query with the managed-schema condition filled in (`schemas`: a text array
/// literal of the schemas managed besides the connection's own).
fn filled(template: &str, schemas: &str) -> String {
    template
        .replace("{OWN}", OWN)
        .replace("{FOREIGN_SEQUENCE}", FOREIGN_SEQUENCE)
        .replace("{MANAGED}", MANAGED)
        .replace("{PLAIN_INDEX}", PLAIN_INDEX)
        .replace("{CARRIED_CONSTRAINT}", CARRIED_CONSTRAINT)
        .replace("{NS}", NS)
        .replace("{SCHEMAS}", schemas)
}

/// The key of the table named in column `name` of `row`, whose schema (when not the
/// connection's own) is in column `ns`.
fn key(row: &PgRow, name: usize, ns: usize) -> String {
    let table: String = row.get(name);
    qualified(row.get::<Option<String>, _>(ns).as_deref(), &table)
}

/// Reads the connection's schema, and the tables of `schemas` (keyed with their schema).
pub async fn introspect(pool: &PgPool, schemas: &[String]) -> Result<Schema> {
    let literals: Vec<String> = schemas.iter().map(|s| quote_string(s)).collect();
    let schemas = format!("ARRAY[{}]::text[]", literals.join(", "));
    let sql = |template: &str| filled(template, &schemas);
    // One query after another on one connection, each row read into the schema as it
    // arrives (a 10,000-table catalog is tens of megabytes of rows).
    // Running them in parallel saves a little on a thousand tables but costs more
    // connections on every run, which is the larger cost for the schemas most projects have.
    // One read-only transaction: every query sees the same catalog. JIT is off inside it
    // (PostgreSQL 11+): a catalog query's estimated cost on a thousand tables passes
    // `jit_above_cost`, and compiling it took 0.5 s of a query that runs in 17 ms.
    let mut tx = pool
        .begin_with("BEGIN READ ONLY")
        .await
        .map_err(q("a read-only transaction"))?;
    sqlx::query("SELECT set_config('jit', 'off', true) FROM pg_settings WHERE name = 'jit'")
        .execute(&mut *tx)
        .await
        .map_err(q("a read-only transaction"))?;
    let conn: &mut PgConnection = &mut tx;
    let (default_schema, version): (Option<String>, i32) =
        sqlx::query_as("SELECT current_schema()::text, current_setting('server_version_num')::int")
            .fetch_one(&mut *conn)
            .await
            .map_err(q("the current schema"))?;
    let mut schema = Schema {
        default_schema,
        ..Schema::default()
    };
    // A column the server may not have is named only where it has it (reading it through
    // `to_jsonb` of every row costs a tenth of the whole read on a thousand tables).
    let compression = if version >= 140_000 {
        "CASE a.attcompression WHEN 'p' THEN 'pglz' WHEN 'l' THEN 'lz4' END"
    } else {
        "NULL::text"
    };
    // Generated columns are PostgreSQL 12+.
    let generated = if version >= 120_000 {
        "a.attgenerated::text"
    } else {
        "''::text"
    };
    let mut sequences: BTreeSet<String> = BTreeSet::new();
    let mut sequence_options = BTreeMap::new();
    each_row(conn, &sql(SEQUENCES), "sequences", |r| {
        let name = key(&r, 0, 1);
        let options = sequence_options_of(&r);
        if !options.is_default() {
            sequence_options.insert(name.clone(), options);
        }
        sequences.insert(name);
    })
    .await?;
    each_row(conn, &sql(TABLES), "tables", |r| read_table(&mut schema, r)).await?;
    let columns = sql(COLUMNS)
        .replace("{COMPRESSION}", compression)
        .replace("{GENERATED}", generated);
    each_row(conn, &columns, "columns", |r| read_column(&mut schema, r)).await?;
    each_row(conn, &sql(CONSTRAINTS), "constraints", |r| {
        read_constraint(&mut schema, r)
    })
    .await?;
    each_row(conn, &sql(INDEXES), "indexes", |r| {
        read_index(&mut schema, r)
    })
    .await?;
    partition_keys(&mut schema);
    each_row(conn, EXTENSIONS, "extensions", |r| {
        let name: String = r.get(0);
        if let Some(s) = r.get::<Option<String>, _>(1) {
            schema.extension_schemas.insert(name.clone(), s);
        }
        schema.extensions.insert(name);
    })
    .await?;
    each_row(conn, ENUMS, "enums", |r| read_enum(&mut schema, r)).await?;
    each_row(conn, DOMAINS, "domains", |r| read_domain(&mut schema, r)).await?;
    each_row(conn, &sql(UNMANAGED), "views", |r| {
        schema.unmanaged.insert(key(&r, 0, 1));
    })
    .await?;
    let left_alone = format!("{LEFT_ALONE}\nUNION ALL {}", uncounted_elsewhere());
    each_row(conn, &sql(&left_alone), "other objects", |r| {
        let (kind, n): (String, i64) = (r.get(0), r.get(1));
        schema
            .left_alone
            .add(&kind, usize::try_from(n).unwrap_or(0));
    })
    .await?;
    for (_, o) in crate::objects::postgres::read(conn, &sql(MANAGED)).await? {
        schema.objects.insert(o.key(), o);
    }
    // Sequences no column owns are modelled, whether a default or the application draws
    // from them.
    schema.sequences = sequences;
    schema.sequence_options = sequence_options;
    tx.rollback().await.map_err(q("a read-only transaction"))?;
    Ok(schema)
}

/// Which of `probes` the database holds: an index name among the relations of the table's
/// schema, a constraint name among the table's constraints (one query for all of them).
pub async fn held_names(pool: &PgPool, probes: &[NameProbe]) -> Result<Vec<bool>> {
    let mut cols: [Vec<String>; 4] = Default::default();
    for p in probes {
        let (schema, table) = split_qualified(&p.table);
        cols[0].push(schema.unwrap_or("").to_string());
        cols[1].push(table.to_string());
        cols[2].push(
            match p.kind {
                NameKind::Index => "i",
                NameKind::Constraint => "c",
                NameKind::Unique => "u",
            }
            .to_string(),
        );
        cols[3].push(p.name.clone());
    }
    let held: Vec<i64> = sqlx::query_scalar(HELD_NAMES)
        .bind(&cols[0])
        .bind(&cols[1])
        .bind(&cols[2])
        .bind(&cols[3])
        .fetch_all(pool)
        .await
        .map_err(q("names held"))?;
    let mut out = vec![false; probes.len()];
    for i in held {
        if let Some(slot) = usize::try_from(i - 1).ok().and_then(|i| out.get_mut(i)) {
            *slot = true;
        }
    }
    Ok(out)
}

const HELD_NAMES: &str = "\
SELECT k.i FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS k(sch, tbl, kind, name, i)
JOIN pg_namespace n ON n.nspname = CASE WHEN k.sch = '' THEN current_schema() ELSE k.sch END
WHERE (k.kind IN ('i', 'u') AND EXISTS (
         SELECT FROM pg_class c WHERE c.relname = k.name AND c.relnamespace = n.oid))
   OR (k.kind IN ('c', 'u') AND EXISTS (
         SELECT FROM pg_constraint con JOIN pg_class t ON t.oid = con.conrelid
         WHERE con.conname = k.name AND t.relname = k.tbl AND t.relnamespace = n.oid))";

/// Runs `sql` and hands each row to `read` as it arrives: no query's rows are held at once.
async fn each_row(
    conn: &mut PgConnection,
    sql: &str,
    what: &'static str,
    mut read: impl FnMut(PgRow),
) -> Result<()> {
    use futures_util::TryStreamExt;
    let mut rows = sqlx::query(sqlx::AssertSqlSafe(sql.to_string())).fetch(&mut *conn);
    while let Some(row) = rows.try_next().await.map_err(q(what))? {
        read(row);
    }
    Ok(())
}

fn read_table(schema: &mut Schema, row: PgRow) {
    let name = key(&row, 0, 2);
    if VERSION_TABLES.contains(&name.as_str()) {
        return;
    }
    let mut table = Table::new(name);
    table.comment = row.get(1);
    table.partition_by = row.get(3);
    let bound: Option<String> = row.get(4);
    let parents: Vec<String> = row.get(5);
    let schemas: Vec<String> = row.get(6);
    let parents: Vec<String> = parents
        .iter()
        .zip(&schemas)
        .map(|(p, s)| qualified(Some(s.as_str()).filter(|s| !s.is_empty()), p))
        .collect();
    match (bound, parents.first()) {
        (Some(bound), Some(parent)) => {
            table.partition_of = Some(autogen_schema::PartitionOf {
                table: parent.clone(),
                bound,
            });
        }
        _ => table.inherits = parents,
    }
    if row.get::<bool, _>(7) {
        table.options.push("UNLOGGED".into());
    }
    table.options.extend(row.get::<Option<String>, _>(8));
    for (on, option) in [(9, ROW_SECURITY), (10, FORCED_ROW_SECURITY)] {
        if row.get::<bool, _>(on) {
            table.options.push(option.into());
        }
    }
    table.options.extend(row.get::<Option<String>, _>(11));
    schema.add_table(table);
}

/// A partition's primary key is its parent's (the catalog reports it as the parent's, not the
/// partition's own): written on the partition too, so that its entity names the columns.
fn partition_keys(schema: &mut Schema) {
    let keys: Vec<(String, Vec<String>)> = schema
        .tables
        .values()
        .filter(|t| t.primary_key.is_empty())
        .filter_map(|t| {
            let parent = schema.tables.get(&t.partition_of.as_ref()?.table)?;
            Some((t.name.clone(), parent.primary_key.clone()))
        })
        .collect();
    for (name, key) in keys {
        if let Some(t) = schema.tables.get_mut(&name) {
            t.primary_key = key;
        }
    }
}

fn read_column(schema: &mut Schema, row: PgRow) {
    let table_name = key(&row, 0, 11);
    let Some(table) = schema.tables.get_mut(&table_name) else {
        return;
    };
    let name: String = row.get(1);
    let formatted: String = row.get(2);
    let typname: String = row.get(3);
    let typtype: String = row.get(4);
    let elem: Option<String> = row.get(5);
    let elem_typtype: Option<String> = row.get(6);
    let ty = match elem {
        Some(elem) => ColumnType::Array(Box::new(map_type(
            formatted.trim_end_matches("[]"),
            &elem,
            elem_typtype.as_deref().unwrap_or("b"),
        ))),
        None => map_type(&formatted, &typname, &typtype),
    };
    let mut default_sql: Option<String> = row.get(8);
    // `s` stored, `v` virtual (PostgreSQL 18): the expression is where a default would be.
    let generation: String = row.get(14);
    let generated = match generation.as_str() {
        "" => None,
        kind => default_sql.take().map(|expression| Generated {
            expression,
            stored: kind == "s",
        }),
    };
    let identity: String = row.get(9);
    let parsed = default_sql
        .as_deref()
        .map(|d| Dialect::Postgres.sql().parse_default(d));
    // The database generates the value: an identity column, or a `nextval(…)` default (what
    // `serial` writes), which is kept as it is, with its sequence.
    let draws_from = parsed.as_ref().and_then(nextval_sequence);
    let auto_increment = draws_from.is_some() || !identity.is_empty();
    let identity_always = identity == "a";
    let identity_sequence = row.get::<Option<String>, _>(19).map(|sequence| {
        let mut options = SequenceOptions::from_numbers(&sequence_numbers(&row, 20));
        options.data_type = None;
        IdentitySequence {
            name: (sequence
                != IdentitySequence::default_name(split_qualified(&table.name).1, &name))
            .then_some(sequence),
            options,
        }
    });
    // The sequence it draws from is the column's own (`serial`, `OWNED BY`).
    let owned: Option<String> = row.get(12);
    let owns_sequence = matches!(
        (&draws_from, &owned),
        (Some(seq), Some(own)) if split_qualified(seq).1 == own
    );
    // An explicit `DEFAULT NULL` is kept, spelled as the catalog prints it (`NULL::text`).
    let (default, default_sql) = match parsed {
        None => (None, None),
        Some(value) => (Some(value), default_sql),
    };
    // Its statistics, compression and storage settings are the table's options, and, inherited,
    // its default and NOT NULL where they are not its parent's.
    for at in [17, 18, 15, 16, 27, 28] {
        table.options.extend(row.get::<Option<String>, _>(at));
    }
    table.columns.push(Column {
        nullable: !row.get::<bool, _>(7),
        default,
        default_sql,
        auto_increment,
        identity_always,
        identity_sequence,
        comment: row.get(10),
        owns_sequence,
        // Its collation where not its type's.
        collation: row.get(13),
        generated,
        ..Column::new(name, ty)
    });
}

fn read_constraint(schema: &mut Schema, row: PgRow) {
    let table_name = key(&row, 0, 9);
    let Some(table) = schema.tables.get_mut(&table_name) else {
        return;
    };
    let name: String = row.get(1);
    let kind: String = row.get(2);
    let columns: Vec<String> = row.get(3);
    match kind.as_str() {
        "p" => {
            table.primary_key = columns;
            table.primary_key_name = Some(name);
        }
        "u" => table.uniques.push(Unique {
            name: Some(name),
            columns,
            ..Default::default()
        }),
        // A key to a table of an unmanaged schema is left alone (its table is not read).
        "f" if row.get::<Option<bool>, _>(8) == Some(true) => {
            let action = |s: String| FkAction::parse(&s).unwrap_or_default();
            table.foreign_keys.push(ForeignKey {
                name: Some(name),
                columns,
                ref_table: qualified(
                    row.get::<Option<String>, _>(10).as_deref(),
                    &row.get::<Option<String>, _>(4).unwrap_or_default(),
                ),
                ref_columns: row.get(5),
                on_delete: action(row.get(6)),
                on_update: action(row.get(7)),
                deferrable: match (row.get::<bool, _>(11), row.get::<bool, _>(12)) {
                    (false, _) => None,
                    (true, false) => Some(Deferrable::InitiallyImmediate),
                    (true, true) => Some(Deferrable::InitiallyDeferred),
                },
            });
        }
        "c" => table.checks.push(Check {
            name: Some(name),
            definition: row.get::<Option<String>, _>(13).unwrap_or_default(),
            ..Check::default()
        }),
        _ => {}
    }
}

fn read_index(schema: &mut Schema, row: PgRow) {
    let table_name = key(&row, 0, 7);
    let Some(table) = schema.tables.get_mut(&table_name) else {
        return;
    };
    // Not plain: a SQL object (`objects::postgres`).
    if !row.get::<bool, _>(6) {
        return;
    }
    let method: String = row.get(5);
    table.indexes.push(Index {
        name: row.get(1),
        unique: row.get(2),
        columns: row.get(3),
        predicate: row.get(4),
        using: (method != "btree").then_some(method),
        ..Default::default()
    });
}

/// A sequence's options but, for one a column owns, its type: a `serial` column's sequence is of
/// the column's type, which the column's declaration says.
/// A sequence's options; the type of one a column owns is said where it is not the column's
/// (a dump of PostgreSQL 9 restored makes `serial`'s sequences `bigint`).
fn sequence_options_of(r: &PgRow) -> SequenceOptions {
    let numbers = sequence_numbers(r, 2);
    let mut options = SequenceOptions::from_numbers(&numbers);
    match r.get::<Option<bool>, _>(9) {
        Some(true) => options.data_type = None,
        Some(false) => options.data_type = Some(numbers.data_type),
        None => {}
    }
    options
}

/// A `pg_sequence` row's numbers, read from column `at` on: type, increment, minimum, maximum,
/// start, cache, cycle.
fn sequence_numbers(r: &PgRow, at: usize) -> SequenceNumbers {
    SequenceNumbers {
        data_type: r.get(at),
        increment: r.get(at + 1),
        min: r.get(at + 2),
        max: r.get(at + 3),
        start: r.get(at + 4),
        cache: r.get(at + 5),
        cycle: r.get(at + 6),
    }
}

fn read_enum(schema: &mut Schema, row: PgRow) {
    let name: String = row.get(0);
    schema.enums.insert(
        name.clone(),
        EnumType {
            name,
            values: row.get(1),
        },
    );
}

fn read_domain(schema: &mut Schema, row: PgRow) {
    let name: String = row.get(0);
    let names: Vec<String> = row.get(4);
    let definitions: Vec<String> = row.get(5);
    schema.domains.insert(
        name.clone(),
        Domain {
            name,
            base: row.get(1),
            not_null: row.get(2),
            default: row.get(3),
            checks: names
                .into_iter()
                .zip(definitions)
                .map(|(name, definition)| DomainCheck { name, definition })
                .collect(),
        },
    );
}

/// Whether a type name as `format_type()` prints it names its schema (`app.mood`,
/// `"My App".mood`): a dot outside quotes.
fn names_schema(formatted: &str) -> bool {
    let mut quoted = false;
    formatted.chars().any(|c| {
        if c == '"' {
            quoted = !quoted;
        }
        c == '.' && !quoted
    })
}

/// `formatted` is `format_type()`'s text (`character varying(20)`, `numeric(10,2)`).
fn map_type(formatted: &str, typname: &str, typtype: &str) -> ColumnType {
    use ColumnType as T;
    // An enum of another schema is named with it (`app.mood`): carried as an object, and its
    // columns are of it by name, as a domain's are.
    if typtype == "e" && !names_schema(formatted) {
        return T::Enum(typname.to_string());
    }
    let args = || -> Vec<u32> {
        formatted
            .split_once('(')
            .and_then(|(_, rest)| rest.split_once(')'))
            .map(|(inside, _)| {
                inside
                    .split(',')
                    .filter_map(|p| p.trim().parse().ok())
                    .collect()
            })
            .unwrap_or_default()
    };
    if typtype != "b" {
        // A domain, range or composite type: named as the catalog prints it.
        return T::Custom(formatted.to_string());
    }
    match typname {
        "int2" => T::SmallInteger,
        "int4" => T::Integer,
        "int8" => T::BigInteger,
        "float4" => T::Float,
        "float8" => T::Double,
        "numeric" => match args()[..] {
            [p, s] => T::Decimal(Some((p, s))),
            [p] => T::Decimal(Some((p, 0))),
            _ => T::Decimal(None),
        },
        "varchar" => T::String(args().first().copied()),
        "bpchar" => T::Char(args().first().copied()),
        "text" => T::Text,
        "bool" => T::Boolean,
        "date" => T::Date,
        "time" if formatted == "time without time zone" => T::Time,
        "timestamp" if formatted == "timestamp without time zone" => T::Timestamp,
        "timestamptz" if formatted == "timestamp with time zone" => T::TimestampWithTimeZone,
        "uuid" => T::Uuid,
        "json" => T::Json,
        "jsonb" => T::JsonBinary,
        "bytea" => T::Blob,
        _ => T::Custom(formatted.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_formatted_types() {
        assert_eq!(
            map_type("numeric(10,2)", "numeric", "b"),
            ColumnType::Decimal(Some((10, 2)))
        );
        assert_eq!(
            map_type("character varying(20)", "varchar", "b"),
            ColumnType::String(Some(20))
        );
        assert_eq!(
            map_type("character varying", "varchar", "b"),
            ColumnType::String(None)
        );
        assert_eq!(
            map_type("fee_status", "fee_status", "e"),
            ColumnType::Enum("fee_status".into())
        );
        assert_eq!(
            map_type("citext", "citext", "b"),
            ColumnType::Custom("citext".into())
        );
        // A precision other than the default is kept, not dropped.
        assert_eq!(
            map_type("timestamp(3) without time zone", "timestamp", "b"),
            ColumnType::Custom("timestamp(3) without time zone".into())
        );
        assert_eq!(
            map_type("year", "year", "d"),
            ColumnType::Custom("year".into())
        );
    }
}
