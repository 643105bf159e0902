//! MySQL's and MariaDB's replaceable objects: views, functions, procedures, triggers and events
//! (as `SHOW CREATE EVENT` prints them, which is what mysqldump writes), each
//! rebuilt as the CREATE statement `information_schema` describes (a view's query as the server
//! rewrote it, a routine's body and a trigger's action as written), without its DEFINER (who
//! created it is the environment's, not the schema's) and with the database's own name taken
//! out of the names it qualifies, as mysqldump prints them: the statement builds the same
//! object in a database of any name.
//!
//! MySQL records no dependencies. A view reads the tables and views its query names (the server
//! writes every column it reads as `table`.`column`); a view or trigger needs the routines it
//! names; a routine's body is checked when it runs, so it needs nothing to be created.
//!
//! Declared objects are rendered in a scratch database (`render`): MySQL's DDL commits as it
//! goes, so nothing can be created and rolled back in the database itself.

use super::probe::{Rendered, attempt, create_all, matched, same_name};
use crate::error::{IntrospectError, Result, query_failed as q};
use autogen_schema::dialect::MYSQL_SERVER_SQL_MODE;
use autogen_schema::lexical::quote_identifier;
use autogen_schema::{LeftAlone, Schema, SqlKind, SqlObject, references};
use sqlx::mysql::MySqlRow;
use sqlx::{Connection, Executor, MySqlConnection, MySqlPool, Row};
use std::collections::{BTreeMap, BTreeSet};

const VIEWS: &str = "
SELECT CAST(table_name AS CHAR), CAST(view_definition AS CHAR), CAST(check_option AS CHAR),
       CAST(security_type AS CHAR), {ALGORITHM}, CAST(character_set_client AS CHAR),
       CAST(collation_connection AS CHAR)
FROM information_schema.views WHERE table_schema = ? ORDER BY 1";

const ROUTINES: &str = "
SELECT CAST(routine_name AS CHAR), CAST(routine_type AS CHAR), CAST(dtd_identifier AS CHAR),
       CAST(routine_definition AS CHAR), CAST(is_deterministic AS CHAR),
       CAST(sql_data_access AS CHAR), CAST(security_type AS CHAR), CAST(routine_comment AS CHAR),
       CAST(sql_mode AS CHAR), CAST(character_set_client AS CHAR),
       CAST(collation_connection AS CHAR)
FROM information_schema.routines WHERE routine_schema = ? ORDER BY 1, 2";

const PARAMETERS: &str = "
SELECT CAST(specific_name AS CHAR), CAST(routine_type AS CHAR), CAST(parameter_mode AS CHAR),
       CAST(parameter_name AS CHAR), CAST(dtd_identifier AS CHAR)
FROM information_schema.parameters WHERE specific_schema = ? AND ordinal_position > 0
ORDER BY specific_name, routine_type, ordinal_position";

const TRIGGERS: &str = "
SELECT CAST(trigger_name AS CHAR), CAST(action_timing AS CHAR),
       CAST(event_manipulation AS CHAR), CAST(event_object_table AS CHAR),
       CAST(action_statement AS CHAR), CAST(sql_mode AS CHAR),
       CAST(character_set_client AS CHAR), CAST(collation_connection AS CHAR)
FROM information_schema.triggers WHERE trigger_schema = ? ORDER BY 1";

/// Events: each one's statement is `SHOW CREATE EVENT`'s (`original`).
const EVENTS: &str = "
SELECT CAST(event_name AS CHAR), CAST(sql_mode AS CHAR), CAST(time_zone AS CHAR),
       CAST(character_set_client AS CHAR), CAST(collation_connection AS CHAR)
FROM information_schema.events WHERE event_schema = ? ORDER BY 1";

/// The keys of the indexes with a descending key part (no expression among them): one row a key
/// part, in order.
const DESCENDING_INDEXES: &str = "
SELECT CAST(s.table_name AS CHAR), CAST(s.index_name AS CHAR), CAST(s.non_unique AS SIGNED),
       CAST(s.column_name AS CHAR), CAST(s.sub_part AS SIGNED), CAST(s.collation AS CHAR)
FROM information_schema.statistics s
WHERE s.table_schema = ? AND s.index_name <> 'PRIMARY'
  AND EXISTS (SELECT 1 FROM information_schema.statistics d
              WHERE d.table_schema = s.table_schema AND d.table_name = s.table_name
                AND d.index_name = s.index_name AND d.collation = 'D')
  AND NOT EXISTS (SELECT 1 FROM information_schema.statistics d
                  WHERE d.table_schema = s.table_schema AND d.table_name = s.table_name
                    AND d.index_name = s.index_name AND d.column_name IS NULL)
ORDER BY s.table_name, s.index_name, s.seq_in_index";

const TABLES: &str = "
SELECT CAST(table_name AS CHAR) FROM information_schema.tables
WHERE table_schema = ? AND table_type = 'BASE TABLE'";

fn quote(name: &str) -> String {
    quote_identifier(name, '`')
}

/// Every view, routine and trigger of `database`; what autogen cannot read (a routine whose
/// body the role may not see) is counted into `left_alone`. `originals`: each routine's and
/// trigger's statement (`source`) as it was written, not only as the catalog describes it.
pub(crate) async fn read(
    conn: &mut MySqlConnection,
    database: &str,
    mariadb: bool,
    originals: bool,
    left_alone: &mut LeftAlone,
) -> Result<Vec<SqlObject>> {
    let fetch = async |sql: &str, what: &'static str, conn: &mut MySqlConnection| {
        sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
            .bind(database)
            .fetch_all(conn)
            .await
            .map_err(q(what))
    };
    // MySQL's `information_schema.views` has no algorithm; MariaDB's does.
    let algorithm = ["'UNDEFINED'", "CAST(algorithm AS CHAR)"][usize::from(mariadb)];
    let views = fetch(&VIEWS.replace("{ALGORITHM}", algorithm), "views", conn).await?;
    let routines = fetch(ROUTINES, "routines", conn).await?;
    let parameters = fetch(PARAMETERS, "routine parameters", conn).await?;
    let triggers = fetch(TRIGGERS, "triggers", conn).await?;
    let events = fetch(EVENTS, "events", conn).await?;
    let tables: BTreeSet<String> = fetch(TABLES, "tables", conn)
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let (session, session_zone, session_charset): (String, String, String) = sqlx::query_as(
        "SELECT CAST(@@SESSION.sql_mode AS CHAR), CAST(@@SESSION.time_zone AS CHAR),
                CAST(@@SESSION.character_set_client AS CHAR)",
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(q("the SQL mode"))?;
    // The time zone each event's schedule is read in, where it is not the session's.
    let mut zones: BTreeMap<String, String> = BTreeMap::new();
    // The SQL mode each routine and trigger runs under, where it is not the session's.
    let mut modes: BTreeMap<String, String> = BTreeMap::new();
    // The client character set and collation each routine, trigger and event was made over
    // (as mysqldump sets them before each): its literals are read in them.
    let mut charsets: BTreeMap<String, (String, String)> = BTreeMap::new();
    let routine_charsets: BTreeMap<(String, String), (String, String)> = routines
        .iter()
        .map(|r| ((r.get(0), r.get(1)), (r.get(9), r.get(10))))
        .collect();
    let mut out = views_of(conn, database, &views, &session_charset).await?;
    for (o, mode) in routines_of(&routines, &parameters, left_alone) {
        let routine = (o.name.clone(), o.kind.sql().to_string());
        if let Some(charset) = routine_charsets.get(&routine) {
            charsets.insert(o.key(), charset.clone());
        }
        modes.insert(o.key(), mode);
        out.push(o);
    }
    for r in &triggers {
        let (name, timing, event, table, action): (String, String, String, String, String) =
            (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4));
        let mode: String = r.get(5);
        let sql = format!(
            "CREATE TRIGGER {} {timing} {event} ON {} FOR EACH ROW {action}",
            quote(&name),
            quote(&table)
        );
        let o = SqlObject::from_statement(SqlKind::Trigger, name, None, Some(table), sql);
        modes.insert(o.key(), mode);
        charsets.insert(o.key(), (r.get(6), r.get(7)));
        out.push(o);
    }
    for r in &events {
        let name: String = r.get(0);
        let head = format!("CREATE EVENT {}", quote(&name));
        let o = SqlObject::from_statement(SqlKind::Event, name, None, None, head);
        modes.insert(o.key(), r.get(1));
        zones.insert(o.key(), r.get(2));
        charsets.insert(o.key(), (r.get(3), r.get(4)));
        out.push(o);
    }
    dependencies(&mut out, &tables);
    for o in out.iter_mut().filter(|o| o.kind != SqlKind::View) {
        if originals || o.kind == SqlKind::Event {
            o.source = original(conn, database, o)
                .await?
                .unwrap_or_else(|| o.source.clone());
        }
        if o.kind == SqlKind::Event {
            o.definition = without_start(&o.source);
        }
        // Run under another mode, it is another object: `||`, strictness and quoting differ.
        // An event's schedule is read in its time zone.
        let quoted = |v: &String| autogen_schema::lexical::quote_string(v);
        let mut set = Vec::new();
        if let Some(mode) = modes.get(&o.key()).filter(|m| **m != session) {
            set.push(format!("sql_mode = {}", quoted(mode)));
        }
        if let Some(zone) = zones.get(&o.key()).filter(|z| **z != session_zone) {
            set.push(format!("time_zone = {}", quoted(zone)));
        }
        if let Some((charset, collation)) = charsets
            .get(&o.key())
            .filter(|(c, _)| *c != session_charset)
        {
            set.push(format!("character_set_client = {}", quoted(charset)));
            set.push(format!("collation_connection = {}", quoted(collation)));
        }
        if !set.is_empty() {
            let set = format!("SET {};\n", set.join(", "));
            o.source.insert_str(0, &set);
            o.definition.insert_str(0, &set);
        }
    }
    out.extend(descending_indexes(conn, database).await?);
    out.extend(sequences(conn, database).await?);
    Ok(out)
}

/// The views, each with the client character set it was made over where not the session's.
async fn views_of(
    conn: &mut MySqlConnection,
    database: &str,
    views: &[MySqlRow],
    session_charset: &str,
) -> Result<Vec<SqlObject>> {
    let own = format!("{}.", quote(database));
    let mut out = Vec::new();
    for r in views {
        let name: String = r.get(0);
        // `information_schema.views` drops a literal's character set introducer (`_utf8mb3' '`)
        // that `SHOW CREATE VIEW` (and mysqldump) keep: the query is taken from the latter.
        let query = shown_view_query(conn, database, &name).await?;
        let mut o = view(r, &own, query);
        // Made over a connection of another character set, its literals say so (`_utf8mb3'…'`):
        // it is made over one again.
        let (charset, collation): (String, String) = (r.get(5), r.get(6));
        if charset != session_charset {
            let quoted = autogen_schema::lexical::quote_string;
            let set = format!(
                "SET character_set_client = {}, collation_connection = {};\n",
                quoted(&charset),
                quoted(&collation)
            );
            o.source.insert_str(0, &set);
            o.definition.insert_str(0, &set);
        }
        out.push(o);
    }
    Ok(out)
}

/// MariaDB's sequences, each as `SHOW CREATE SEQUENCE` prints it (none on MySQL).
async fn sequences(conn: &mut MySqlConnection, database: &str) -> Result<Vec<SqlObject>> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT CAST(table_name AS CHAR) FROM information_schema.tables
         WHERE table_schema = ? AND table_type = 'SEQUENCE' ORDER BY table_name",
    )
    .bind(database)
    .fetch_all(&mut *conn)
    .await
    .map_err(q("sequences"))?;
    let mut out = Vec::new();
    for name in names {
        let sql = format!("SHOW CREATE SEQUENCE {}.{}", quote(database), quote(&name));
        let row = shown(conn, sql).await.map_err(q("sequence statements"))?;
        if let Some(text) = row.try_get::<Option<String>, _>(1).ok().flatten() {
            out.push(SqlObject::from_statement(
                SqlKind::Sequence,
                name,
                None,
                None,
                text,
            ));
        }
    }
    Ok(out)
}

/// `CREATE [UNIQUE] INDEX … ON t (a DESC, b(10))` for each index with a descending key part,
/// which no entity declares: a file's, like an index of an expression on PostgreSQL.
async fn descending_indexes(conn: &mut MySqlConnection, database: &str) -> Result<Vec<SqlObject>> {
    let rows = sqlx::query(DESCENDING_INDEXES)
        .bind(database)
        .fetch_all(conn)
        .await
        .map_err(q("indexes with descending keys"))?;
    let mut grouped: BTreeMap<(String, String), (bool, Vec<String>)> = BTreeMap::new();
    for r in &rows {
        let (table, name, non_unique, column): (String, String, i64, String) =
            (r.get(0), r.get(1), r.get(2), r.get(3));
        let (length, order): (Option<i64>, Option<String>) = (r.get(4), r.get(5));
        let mut part = quote(&column);
        if let Some(n) = length {
            part.push_str(&format!("({n})"));
        }
        if order.as_deref() == Some("D") {
            part.push_str(" DESC");
        }
        let entry = grouped
            .entry((table, name))
            .or_insert((non_unique == 0, Vec::new()));
        entry.1.push(part);
    }
    Ok(grouped
        .into_iter()
        .map(|((table, name), (unique, parts))| {
            let sql = format!(
                "CREATE {}INDEX {} ON {} ({})",
                if unique { "UNIQUE " } else { "" },
                quote(&name),
                quote(&table),
                parts.join(", ")
            );
            SqlObject::from_statement(SqlKind::Index, name, None, Some(table), sql)
        })
        .collect())
}

/// A routine's or trigger's statement as it was written (`SHOW CREATE`, which mysqldump prints),
/// without its DEFINER: what creates it again as it was. None when the role may not see it.
async fn original(
    conn: &mut MySqlConnection,
    database: &str,
    o: &SqlObject,
) -> Result<Option<String>> {
    let sql = format!(
        "SHOW CREATE {} {}.{}",
        o.kind.sql(),
        quote(database),
        quote(&o.name)
    );
    let row = shown(conn, sql)
        .await
        .map_err(q("routine and trigger statements"))?;
    // `SHOW CREATE EVENT` gives the time zone before the statement.
    let column = if o.kind == SqlKind::Event { 3 } else { 2 };
    let text: Option<String> = row.try_get(column).ok().flatten();
    Ok(text.map(|t| without_definer(&t)))
}

/// An event's statement without the time its schedule starts, for comparing: the server sets it
/// to the moment of creation where the statement gives none, so a file that gives none would
/// differ from every rendering of it. (The statement written back keeps it: a new environment
/// keeps the source's schedule.)
fn without_start(text: &str) -> String {
    const STARTS: &str = " STARTS '";
    match text.find(STARTS) {
        Some(at) => match text[at + STARTS.len()..].find('\'') {
            Some(end) => format!("{}{}", &text[..at], &text[at + STARTS.len() + end + 1..]),
            None => text.to_string(),
        },
        None => text.to_string(),
    }
}

/// `CREATE DEFINER=`u`@`h` FUNCTION …` as `CREATE FUNCTION …`.
fn without_definer(text: &str) -> String {
    let Some(at) = text
        .get(..7)
        .filter(|h| h.eq_ignore_ascii_case("CREATE "))
        .and_then(|_| {
            let rest = &text[7..];
            rest.get(..8)
                .filter(|d| d.eq_ignore_ascii_case("DEFINER="))
                .map(|_| 15)
        })
    else {
        return text.to_string();
    };
    // The account: `user`@`host`, 'user'@'host', user@host or CURRENT_USER[()]; it ends at the
    // first space outside quotes.
    let mut quote: Option<char> = None;
    for (i, c) in text[at..].char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '`' | '\'' | '"') => quote = Some(c),
            (None, c) if c.is_whitespace() => {
                return format!("CREATE {}", text[at + i..].trim_start());
            }
            _ => {}
        }
    }
    text.to_string()
}

/// A `SHOW CREATE …` row, sent as text: MariaDB answers a prepared one, which sqlx keeps for the
/// connection, with what the object was when it was prepared.
async fn shown(conn: &mut MySqlConnection, sql: String) -> sqlx::Result<MySqlRow> {
    conn.fetch_one(sqlx::AssertSqlSafe(sql)).await
}

/// A view's query as `SHOW CREATE VIEW` prints it: what follows `` VIEW `name` AS ``, without
/// the `WITH … CHECK OPTION` the statement ends with. None when the role may not see it.
async fn shown_view_query(
    conn: &mut MySqlConnection,
    database: &str,
    name: &str,
) -> Result<Option<String>> {
    let sql = format!("SHOW CREATE VIEW {}.{}", quote(database), quote(name));
    let row = shown(conn, sql).await.map_err(q("view statements"))?;
    let Some(text) = row.try_get::<Option<String>, _>(1).ok().flatten() else {
        return Ok(None);
    };
    let head = format!("VIEW {} AS ", quote(name));
    let query = text.find(&head).map(|at| &text[at + head.len()..]);
    Ok(query.map(|q| {
        ["CASCADED", "LOCAL"]
            .iter()
            .fold(q, |q, k| {
                q.strip_suffix(&format!(" WITH {k} CHECK OPTION"))
                    .unwrap_or(q)
            })
            .to_string()
    }))
}

/// A view's statement from its `information_schema.views` row and its query (`SHOW CREATE
/// VIEW`'s, else the row's), `own` (the database's quoted name and a dot) taken out of the
/// names its query qualifies.
fn view(r: &MySqlRow, own: &str, shown: Option<String>) -> SqlObject {
    let (check, security, algorithm): (String, String, String) = (r.get(2), r.get(3), r.get(4));
    let mut sql = String::from("CREATE ");
    if algorithm != "UNDEFINED" {
        sql.push_str(&format!("ALGORITHM={algorithm} "));
    }
    if security == "INVOKER" {
        sql.push_str("SQL SECURITY INVOKER ");
    }
    let query: String = shown
        .or_else(|| r.get::<Option<String>, _>(1))
        .unwrap_or_default();
    sql.push_str(&format!(
        "VIEW {} AS {}",
        quote(&r.get::<String, _>(0)),
        query.replace(own, "")
    ));
    if check != "NONE" {
        sql.push_str(&format!(" WITH {check} CHECK OPTION"));
    }
    SqlObject::from_statement(SqlKind::View, r.get(0), None, None, sql)
}

/// Each routine's statement from `information_schema.routines` and `.parameters`, with the SQL
/// mode it was made under; one whose body the role may not see is counted into `left_alone`.
fn routines_of(
    routines: &[MySqlRow],
    parameters: &[MySqlRow],
    left_alone: &mut LeftAlone,
) -> Vec<(SqlObject, String)> {
    let mut out = Vec::new();
    let mut params: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for r in parameters {
        let (routine, kind, mode): (String, String, Option<String>) =
            (r.get(0), r.get(1), r.get(2));
        let name: String = r.get::<Option<String>, _>(3).unwrap_or_default();
        let ty: String = r.get(4);
        let mode = mode.filter(|_| kind == "PROCEDURE");
        let text = match mode {
            Some(m) => format!("{m} {} {ty}", quote(&name)),
            None => format!("{} {ty}", quote(&name)),
        };
        params.entry((routine, kind)).or_default().push(text);
    }
    for r in routines {
        let (name, kind): (String, String) = (r.get(0), r.get(1));
        let Some(body) = r.get::<Option<String>, _>(3) else {
            left_alone.add("routines autogen may not read", 1);
            continue;
        };
        let args = params
            .remove(&(name.clone(), kind.clone()))
            .unwrap_or_default();
        let mut sql = format!("CREATE {kind} {}({})", quote(&name), args.join(", "));
        let returns: Option<String> = r.get(2);
        if let (Some(t), "FUNCTION") = (returns, kind.as_str()) {
            sql.push_str(&format!(" RETURNS {t}"));
        }
        let (deterministic, access, security, comment): (String, String, String, String) =
            (r.get(4), r.get(5), r.get(6), r.get(7));
        if deterministic == "YES" {
            sql.push_str("\n    DETERMINISTIC");
        }
        if access != "CONTAINS SQL" {
            sql.push_str(&format!("\n    {access}"));
        }
        if security == "INVOKER" {
            sql.push_str("\n    SQL SECURITY INVOKER");
        }
        if !comment.is_empty() {
            let literal = autogen_schema::lexical::quote_string(&comment.replace('\\', "\\\\"));
            sql.push_str(&format!("\n    COMMENT {literal}"));
        }
        sql.push('\n');
        sql.push_str(&body);
        let kind = if kind == "PROCEDURE" {
            SqlKind::Procedure
        } else {
            SqlKind::Function
        };
        out.push((
            SqlObject::from_statement(kind, name, None, None, sql),
            r.get(8),
        ));
    }
    out
}

/// What each view reads and needs, and the routines each trigger calls, by the names their
/// statements hold. A view whose query qualifies columns only by table and view names reads
/// just those columns; one that uses an alias reads its tables whole.
fn dependencies(objects: &mut [SqlObject], tables: &BTreeSet<String>) {
    let by_name: BTreeMap<String, String> = objects
        .iter()
        .filter(|o| o.kind != SqlKind::Trigger)
        .map(|o| (o.name.to_lowercase(), o.key()))
        .collect();
    let lower_tables: BTreeMap<String, &String> =
        tables.iter().map(|t| (t.to_lowercase(), t)).collect();
    for o in objects.iter_mut() {
        // A routine's or event's body is checked when it runs: it needs nothing to be created.
        if o.kind.routine() || o.kind == SqlKind::Event {
            continue;
        }
        let refs = references(&o.definition, true);
        let mut columns: BTreeMap<&String, BTreeSet<String>> = BTreeMap::new();
        let mut aliased = false;
        for (prefix, column) in &refs.qualified {
            match lower_tables.get(&prefix.to_lowercase()) {
                Some(t) => {
                    columns.entry(*t).or_default().insert(column.clone());
                }
                None => aliased |= !by_name.contains_key(&prefix.to_lowercase()),
            }
        }
        let own = o.name.to_lowercase();
        for word in &refs.words {
            if let Some(key) = by_name.get(word).filter(|_| *word != own) {
                o.depends_on.insert(key.clone());
            }
            if let (Some(t), SqlKind::View) = (lower_tables.get(word), o.kind) {
                let read = if aliased {
                    BTreeSet::new()
                } else {
                    columns.get(t).cloned().unwrap_or_default()
                };
                o.reads.insert((*t).clone(), read);
            }
        }
    }
}

/// Each of `declared` as the server renders it, created in a scratch database (dropped before
/// this returns) beside copies of the tables, and the database's other objects, their
/// statements name.
pub(crate) async fn render(
    pool: &MySqlPool,
    mariadb: bool,
    declared: &[SqlObject],
    current: &Schema,
) -> std::result::Result<Vec<Rendered>, IntrospectError> {
    // A connection of its own, closed after: it leaves the database it was given.
    let mut conn = pool.acquire().await.map_err(refused)?.detach();
    let database: String = sqlx::query_scalar("SELECT DATABASE()")
        .fetch_one(&mut conn)
        .await
        .map_err(refused)?;
    let scratch = scratch_name();
    conn.execute("SET SESSION lock_wait_timeout = 5")
        .await
        .map_err(refused)?;
    conn.execute(sqlx::AssertSqlSafe(format!(
        "CREATE DATABASE {}",
        quote(&scratch)
    )))
    .await
    .map_err(refused)?;
    let outcome = in_scratch(&mut conn, &database, &scratch, mariadb, declared, current).await;
    let dropped = conn
        .execute(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {}",
            quote(&scratch)
        )))
        .await;
    let _ = conn.close().await;
    let rendered = outcome?;
    dropped.map_err(refused)?;
    Ok(rendered)
}

fn refused(source: sqlx::Error) -> IntrospectError {
    IntrospectError::Render {
        what: "views, routines and triggers",
        how: "the declared ones in a scratch database it creates and drops (CREATE DATABASE)",
        source,
    }
}

async fn in_scratch(
    conn: &mut MySqlConnection,
    database: &str,
    scratch: &str,
    mariadb: bool,
    declared: &[SqlObject],
    current: &Schema,
) -> std::result::Result<Vec<Rendered>, IntrospectError> {
    conn.execute(sqlx::AssertSqlSafe(format!("USE {}", quote(scratch))))
        .await
        .map_err(refused)?;
    // What the declared statements name, and what those of the database's own objects they
    // name name in turn.
    let context: Vec<&SqlObject> = current
        .objects
        .values()
        .filter(|live| !declared.iter().any(|d| same_name(d, live)))
        .collect();
    let mut names: BTreeSet<String> = BTreeSet::new();
    for d in declared {
        names.extend(references(&d.source, true).words);
    }
    loop {
        let before = names.len();
        for o in &context {
            if names.contains(&o.name.to_lowercase()) {
                names.extend(references(&o.source, true).words);
            }
        }
        if names.len() == before {
            break;
        }
    }
    for table in current.tables.keys() {
        if names.contains(&table.to_lowercase()) {
            let copy = format!(
                "CREATE TABLE {} LIKE {}.{}",
                quote(table),
                quote(database),
                quote(table)
            );
            // A table the role may not read is a name the statements will fail on.
            let _ = attempt(conn, &copy).await;
        }
    }
    let named: Vec<SqlObject> = context
        .into_iter()
        .filter(|o| names.contains(&o.name.to_lowercase()))
        .cloned()
        .collect();
    create_all(conn, &named, Some(MYSQL_SERVER_SQL_MODE)).await;
    // A copied table brings its indexes: a declared one replaces the copy's of its name.
    for d in declared.iter().filter(|d| d.kind == SqlKind::Index) {
        if let Some(table) = &d.table {
            let drop = format!("DROP INDEX {} ON {}", quote(&d.name), quote(table));
            let _ = attempt(conn, &drop).await;
        }
    }
    let outcome = create_all(conn, declared, Some(MYSQL_SERVER_SQL_MODE)).await;
    let mut ignored = LeftAlone::default();
    let read = read(conn, scratch, mariadb, false, &mut ignored).await?;
    Ok(matched(declared, outcome, &read))
}

/// A database name no one else holds: `autogen_probe_` and the process and the time.
fn scratch_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("autogen_probe_{}_{nanos:x}", std::process::id())
}

#[cfg(test)]
mod tests {
    use super::{dependencies, without_definer};
    use autogen_schema::{SqlKind, SqlObject};
    use std::collections::BTreeSet;

    #[test]
    fn a_view_reads_the_columns_it_qualifies_and_an_aliased_table_whole() {
        let view = |name: &str, sql: &str| {
            SqlObject::from_statement(SqlKind::View, name.into(), None, None, sql.into())
        };
        let mut objects = vec![
            view("v", "CREATE VIEW `v` AS select `t`.`a` AS `a` from `t`"),
            view(
                "w",
                "CREATE VIEW `w` AS select `x`.`a` AS `a` from `t` `x` join `v`",
            ),
        ];
        let tables: BTreeSet<String> = ["t".to_string()].into();
        dependencies(&mut objects, &tables);
        let read = |o: &SqlObject| {
            o.reads
                .get("t")
                .map(|c| c.iter().cloned().collect::<Vec<_>>())
        };
        assert_eq!(read(&objects[0]), Some(vec!["a".to_string()]));
        assert!(
            objects[0].reads_column("t", Some("a")) && !objects[0].reads_column("t", Some("b"))
        );
        // An alias: the whole table, and the view it names.
        assert_eq!(read(&objects[1]), Some(vec![]));
        assert!(objects[1].depends_on.contains("view v"));
    }

    #[test]
    fn the_definer_goes_and_the_statement_stays() {
        assert_eq!(
            without_definer(
                "CREATE DEFINER=`root`@`10.0.0.1` trigger t before insert on x for each row set @a = 1"
            ),
            "CREATE trigger t before insert on x for each row set @a = 1"
        );
        assert_eq!(
            without_definer("CREATE DEFINER=`a b`@`%` FUNCTION f() RETURNS int RETURN 1"),
            "CREATE FUNCTION f() RETURNS int RETURN 1"
        );
        assert_eq!(
            without_definer("CREATE FUNCTION f()"),
            "CREATE FUNCTION f()"
        );
    }
}
