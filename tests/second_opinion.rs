//! sea-schema as a second opinion on autogen's catalog reader: both read one database, and each
//! table is reduced to what both report in comparable terms (columns with their nullability,
//! primary key, foreign keys, UNIQUEs, named indexes). Types are left out: sea-schema states
//! them in its own vocabulary, and the adoption test compares them with the native catalogs.

use autogen_db::{Pool, VERSION_TABLES};
use autogen_schema::Schema;
use autogen_tests::TestDb;
use std::collections::{BTreeMap, BTreeSet};

/// One table in terms both readers can state.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct View {
    /// `(column, nullable)`, in a set: the order is compared by the adoption test.
    pub columns: BTreeSet<(String, bool)>,
    pub primary_key: BTreeSet<String>,
    /// `(columns, referenced table, referenced columns)`.
    pub foreign_keys: BTreeSet<(Vec<String>, String, Vec<String>)>,
    /// Column lists with a UNIQUE constraint or a unique index.
    pub uniques: BTreeSet<Vec<String>>,
    /// `(name, columns)` of the plain indexes a model can declare.
    pub indexes: BTreeSet<(String, Vec<String>)>,
}

/// sea-schema's reading of the database, table by table.
pub async fn sea_schema(db: &TestDb) -> BTreeMap<String, View> {
    match db.connect().await.pool() {
        Pool::Postgres(pool) => postgres(pool).await,
        Pool::MySql(pool) => mysql(pool, &database_name(&db.url)).await,
        Pool::Sqlite(pool) => sqlite(pool).await,
    }
}

fn database_name(url: &str) -> String {
    let path = url.rsplit('/').next().unwrap_or_default();
    path.split('?').next().unwrap_or_default().to_string()
}

async fn postgres(pool: &sqlx::PgPool) -> BTreeMap<String, View> {
    use sea_schema::postgres::discovery::SchemaDiscovery;
    // sea-schema names a column's type without its schema and fails on one outside the search
    // path (an enum of another schema): it reads with every schema on the path.
    let schemas: Vec<String> = sqlx::query_scalar(
        "SELECT quote_ident(nspname) FROM pg_namespace
         WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema' ORDER BY nspname <> 'public'",
    )
    .fetch_all(pool)
    .await
    .expect("schemas listed");
    let options = (*pool.connect_options())
        .clone()
        .options([("search_path", schemas.join(","))]);
    let pool = sqlx::PgPool::connect_with(options).await.expect("connects");
    let schema = SchemaDiscovery::new(pool.clone(), "public")
        .discover()
        .await
        .expect("sea-schema reads PostgreSQL");
    let mut out = BTreeMap::new();
    for t in schema.tables {
        let mut v = View::default();
        for c in &t.columns {
            v.columns.insert((c.name.clone(), c.not_null.is_none()));
        }
        if let Some(pk) = t.primary_key_constraints.first() {
            v.primary_key = pk.columns.iter().cloned().collect();
        }
        for fk in &t.reference_constraints {
            // sea-schema finds the referenced columns through the referenced table's
            // constraints: a key that is only a unique index repeats them once per column
            // (`[id, org, id, org]`). Its first run is what it means.
            let n = fk.columns.len();
            let mut to = fk.foreign_columns.clone();
            if n > 0 && to.len() > n && to.chunks(n).all(|c| c == &to[..n]) {
                to.truncate(n);
            }
            v.foreign_keys
                .insert((fk.columns.clone(), fk.table.clone(), to));
        }
        for u in t.unique_constraints.iter().filter(|u| !u.is_partial) {
            v.uniques.insert(u.columns.clone());
        }
        out.insert(t.info.name.clone(), v);
    }
    out
}

async fn mysql(pool: &sqlx::MySqlPool, database: &str) -> BTreeMap<String, View> {
    use sea_schema::mysql::discovery::SchemaDiscovery;
    let schema = SchemaDiscovery::new(pool.clone(), database)
        .discover()
        .await
        .expect("sea-schema reads MySQL");
    let mut out = BTreeMap::new();
    for t in schema.tables {
        let mut v = View::default();
        for c in &t.columns {
            v.columns.insert((c.name.clone(), c.null));
        }
        let fk_names: BTreeSet<&str> = t.foreign_keys.iter().map(|f| f.name.as_str()).collect();
        for fk in &t.foreign_keys {
            v.foreign_keys.insert((
                fk.columns.clone(),
                fk.referenced_table.clone(),
                fk.referenced_columns.clone(),
            ));
        }
        for i in &t.indexes {
            let columns: Vec<String> = i.parts.iter().map(|p| p.column.clone()).collect();
            let plain = !i.functional && i.parts.iter().all(|p| p.sub_part.is_none());
            if i.name == "PRIMARY" {
                v.primary_key = columns.into_iter().collect();
            } else if !plain {
                // Prefix and expression indexes: autogen leaves them alone.
            } else if i.unique {
                v.uniques.insert(columns);
            } else if !fk_names.contains(i.name.as_str()) {
                // The index MySQL makes for a foreign key, named after it, is not the user's.
                v.indexes.insert((i.name.clone(), columns));
            }
        }
        out.insert(t.info.name.clone(), v);
    }
    out
}

async fn sqlite(pool: &sqlx::SqlitePool) -> BTreeMap<String, View> {
    use sea_schema::sqlite::discovery::SchemaDiscovery;
    let schema = SchemaDiscovery::new(pool.clone())
        .discover()
        .await
        .expect("sea-schema reads SQLite");
    let mut out = BTreeMap::new();
    for t in schema.tables {
        let mut v = View::default();
        for c in t.columns.iter().filter(|c| !c.is_hidden()) {
            v.columns.insert((c.name.clone(), !c.not_null));
            if c.primary_key {
                v.primary_key.insert(c.name.clone());
            }
        }
        // sea-schema reports key columns NOT NULL; SQLite lets them hold NULL unless declared
        // NOT NULL (or the rowid): their nullability is not compared.
        v.columns = v
            .columns
            .into_iter()
            .map(|(c, n)| {
                let key = v.primary_key.contains(&c);
                (c, n && !key)
            })
            .collect();
        for fk in &t.foreign_keys {
            v.foreign_keys
                .insert((fk.from.clone(), fk.table.clone(), fk.to.clone()));
        }
        for i in t.indexes.iter().chain(&t.constraints) {
            if i.origin == "pk" || i.partial != 0 || i.columns.iter().any(String::is_empty) {
                continue;
            }
            if i.unique {
                v.uniques.insert(i.columns.clone());
            } else {
                v.indexes.insert((i.index_name.clone(), i.columns.clone()));
            }
        }
        out.insert(t.name.clone(), v);
    }
    out
}

/// autogen's reading in the same terms.
pub fn autogen(schema: &Schema, nullable_keys_unknown: bool) -> BTreeMap<String, View> {
    let mut out = BTreeMap::new();
    // sea-schema's discovery does not list partitions or tables that inherit another's.
    let lists = |t: &autogen_schema::Table| t.parents().next().is_none();
    for (name, t) in schema.tables.iter().filter(|(_, t)| lists(t)) {
        let mut v = View {
            primary_key: t.primary_key.iter().cloned().collect(),
            ..View::default()
        };
        for c in &t.columns {
            let key = nullable_keys_unknown && t.primary_key.contains(&c.name);
            v.columns.insert((c.name.clone(), c.nullable && !key));
        }
        for fk in &t.foreign_keys {
            v.foreign_keys.insert((
                fk.columns.clone(),
                fk.ref_table.clone(),
                fk.ref_columns.clone(),
            ));
        }
        for u in &t.uniques {
            v.uniques.insert(u.columns.clone());
        }
        for i in &t.indexes {
            if i.unique && i.predicate.is_none() {
                v.uniques.insert(i.columns.clone());
            } else if !i.unique && i.predicate.is_none() {
                v.indexes.insert((i.name.clone(), i.columns.clone()));
            }
        }
        // A unique index carried as a SQL file for what an entity cannot say about it
        // (`NULLS NOT DISTINCT`, storage parameters) is a UNIQUE over its plain key columns.
        for o in schema.objects.values() {
            let on_table = o.table.as_deref() == Some(name.as_str());
            if o.kind == autogen_schema::SqlKind::Index && on_table {
                v.uniques.extend(plain_unique_key(&o.definition));
            }
            // A key, UNIQUE or foreign key carried for what an entity cannot say about it
            // (`DEFERRABLE`, `NULLS NOT DISTINCT`, `MATCH FULL`, `SET NULL (a)`).
            if o.kind == autogen_schema::SqlKind::Constraint && on_table {
                let d = &o.definition;
                if let Some(at) = d.find(" PRIMARY KEY ") {
                    v.primary_key
                        .extend(column_list(&d[at..]).unwrap_or_default());
                } else if let Some(at) = d.find(" UNIQUE ") {
                    v.uniques.extend(column_list(&d[at..]));
                } else if let (Some(at), Some(to)) =
                    (d.find(" FOREIGN KEY "), d.find(" REFERENCES "))
                {
                    let target = &d[to + " REFERENCES ".len()..];
                    let table = target[..target.find('(').unwrap_or(0)].trim();
                    let table = table.strip_prefix("public.").unwrap_or(table);
                    if let (Some(from), Some(to)) = (column_list(&d[at..to]), column_list(target)) {
                        v.foreign_keys.insert((from, table.to_string(), to));
                    }
                }
            }
        }
        out.insert(name.clone(), v);
    }
    out
}

/// The key columns of `CREATE UNIQUE INDEX … (a, b) …` when each is a bare column name.
fn plain_unique_key(definition: &str) -> Option<Vec<String>> {
    if !definition.starts_with("CREATE UNIQUE INDEX") {
        return None;
    }
    column_list(definition)
}

/// The first parenthesized list of `text` when each item is a bare column name.
fn column_list(text: &str) -> Option<Vec<String>> {
    let open = text.find('(')?;
    let close = open + text[open..].find(')')?;
    let columns: Vec<String> = text[open + 1..close]
        .split(',')
        .map(|c| c.trim().to_string())
        .collect();
    let bare = |c: &String| !c.is_empty() && c.chars().all(|ch| ch.is_alphanumeric() || ch == '_');
    columns.iter().all(bare).then_some(columns)
}

/// Where the two disagree, as readable lines; empty when they agree wherever sea-schema reports
/// something. Tables sea-schema reports that autogen leaves alone (partitions, inheriting
/// tables) are skipped, and so are the version tables; UNIQUEs and indexes are compared where
/// sea-schema reports them.
pub fn disagreements(
    theirs: &BTreeMap<String, View>,
    ours: &BTreeMap<String, View>,
    unmanaged: &BTreeSet<String>,
) -> Vec<String> {
    let mut out = Vec::new();
    for name in ours.keys().filter(|n| !theirs.contains_key(*n)) {
        out.push(format!("{name}: autogen reads a table sea-schema does not"));
    }
    for (name, them) in theirs {
        let Some(us) = ours.get(name) else {
            if !unmanaged.contains(name) && !VERSION_TABLES.contains(&name.as_str()) {
                out.push(format!("{name}: sea-schema reads a table autogen does not"));
            }
            continue;
        };
        let mut check = |what: &str, a: String, b: String| {
            if a != b {
                out.push(format!("{name}.{what}: sea-schema {a}, autogen {b}"));
            }
        };
        check(
            "columns",
            format!("{:?}", them.columns),
            format!("{:?}", us.columns),
        );
        check(
            "primary key",
            format!("{:?}", them.primary_key),
            format!("{:?}", us.primary_key),
        );
        check(
            "foreign keys",
            format!("{:?}", them.foreign_keys),
            format!("{:?}", us.foreign_keys),
        );
        let missing_uniques: Vec<_> = them.uniques.difference(&us.uniques).collect();
        check("uniques", format!("{missing_uniques:?}"), "[]".into());
        let missing_indexes: Vec<_> = them.indexes.difference(&us.indexes).collect();
        check("indexes", format!("{missing_indexes:?}"), "[]".into());
    }
    out
}
