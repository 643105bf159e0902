//! PostgreSQL DDL: sea-query's PostgreSQL backend for what it can say; enum types, comments and
//! `ALTER COLUMN … USING` built here from the dialect's lexical facts.

use crate::common::{
    add_check, add_column_sql, add_unique_sql, alter_table, builder_name, create_index_sql,
    create_object, create_table_sql, drop_column_sql, drop_object, drop_table_sql, fk_name,
    rename_column_sql, rename_table_sql, replace_object, table_ref, type_sql,
    unique_constraint_name, unsupported,
};
use crate::error::RenderError;
use crate::policy::StageKind;
use crate::renderer::DialectRenderer;
use autogen_diff::{EnumColumn, EnumPosition, Op, Plan, not_null_check};
use autogen_schema::dialect::{FORCED_ROW_SECURITY, ROW_SECURITY};
use autogen_schema::lexical::{qualified, split_qualified};
use autogen_schema::{Column, DefaultValue, Dialect, Profile, SqlDialect, Table};
use sea_query::extension::postgres::Type as PgType;
use sea_query::{ForeignKey as SqForeignKey, PostgresQueryBuilder, SchemaStatementBuilder};

mod guard;
mod identity;
mod online;

use guard::{Own, drop_constraint_if_own};
use identity::{identity_kind, identity_sequence};
use online::{add_foreign_key, drop_check, not_null_validated, online_statements, q};

pub struct Postgres;

fn build(stmt: &impl SchemaStatementBuilder) -> String {
    stmt.to_string(PostgresQueryBuilder)
}

/// A table of another schema: its schema first (`IF NOT EXISTS`), in a new environment too;
/// keys sea-query cannot write inline (`DEFERRABLE`) after it, then comments.
fn create_table(t: &Table, r: &Postgres) -> Result<Vec<String>, RenderError> {
    let mut out = schema_of(&t.name);
    out.push(with_lineage(
        create_table_sql(PostgresQueryBuilder, t, r)?,
        t,
    ));
    // Its sequences were made of their columns' types (`Schema::sequence_options_in_effect`).
    for c in t.columns.iter().filter(|c| c.owns_sequence) {
        out.extend(sequence_owner(&t.name, c, true));
    }
    // sea-query writes every identity `BY DEFAULT`.
    for c in t.columns.iter().filter(|c| c.identity_always) {
        out.push(identity_kind(&t.name, c));
    }
    for c in &t.columns {
        out.extend(identity_sequence(&t.name, None, c, true));
    }
    for fk in t.foreign_keys.iter().filter(|fk| fk.deferrable.is_some()) {
        out.push(add_foreign_key(&t.name, fk));
    }
    for option in t.options.iter().filter(|o| altered_after(o)) {
        out.push(alter_table(Postgres.sql(), &t.name, option));
    }
    out.extend(comment_statements(t));
    Ok(out)
}

/// A `CREATE TABLE` as a partition (`PARTITION OF parent [(constraints)] FOR VALUES …`: its
/// columns are the parent's), an inheriting table (`INHERITS (…)`, after its own columns), a
/// partitioned one (`PARTITION BY …`).
fn with_lineage(sql: String, t: &Table) -> String {
    let table = |key: &str| match split_qualified(key) {
        (Some(s), n) => format!("{}.{}", q(s), q(n)),
        (None, n) => q(n),
    };
    let mut sql = sql;
    let head = format!("CREATE TABLE {}", table(&t.name));
    if let Some(p) = &t.partition_of {
        // Its own constraints, where it has any: `CREATE TABLE name (…)`.
        let items = sql
            .strip_prefix(&head)
            .map(str::trim)
            .and_then(|rest| rest.strip_prefix('('))
            .and_then(|rest| rest.strip_suffix(')'))
            .map(str::trim)
            .filter(|items| !items.is_empty())
            .map(|items| format!("(\n    {items}\n) "))
            .unwrap_or_default();
        sql = format!("{head} PARTITION OF {} {items}{}", table(&p.table), p.bound);
    } else if !t.inherits.is_empty() {
        let parents: Vec<String> = t.inherits.iter().map(|p| table(p)).collect();
        // A child with no columns or constraints of its own still says so: `t () INHERITS (p)`.
        if sql.trim_end() == head {
            sql.push_str(" ()");
        }
        sql.push_str(&format!(" INHERITS ({})", parents.join(", ")));
    }
    if let Some(by) = &t.partition_by {
        sql.push_str(&format!(" PARTITION BY {by}"));
    }
    // Its options: `UNLOGGED` before `TABLE`, storage parameters (`WITH (…)`) at the end;
    // row-level security and column statistics settings after it is made (`altered_after`).
    for option in &t.options {
        if option == "UNLOGGED" {
            sql = sql.replacen("CREATE TABLE", "CREATE UNLOGGED TABLE", 1);
        } else if !altered_after(option) {
            sql.push_str(&format!(" {option}"));
        }
    }
    sql
}

/// Whether a table option is said by an `ALTER TABLE` after the table is made: `ENABLE | FORCE
/// ROW LEVEL SECURITY`, `REPLICA IDENTITY FULL | NOTHING`, `ALTER COLUMN … SET (n_distinct =
/// …)`, `… SET STATISTICS …`, `… SET COMPRESSION …` or `… SET STORAGE …`.
fn altered_after(option: &str) -> bool {
    [ROW_SECURITY, FORCED_ROW_SECURITY].contains(&option)
        || option.starts_with("ALTER COLUMN ")
        || option.starts_with("REPLICA IDENTITY ")
}

/// `CREATE EXTENSION IF NOT EXISTS`, `WITH SCHEMA` (made first) where it has one.
fn create_extension(name: &str, schema: Option<&str>) -> Vec<String> {
    match schema {
        Some(s) => vec![
            format!("CREATE SCHEMA IF NOT EXISTS {}", q(s)),
            format!(
                "CREATE EXTENSION IF NOT EXISTS {} WITH SCHEMA {}",
                q(name),
                q(s)
            ),
        ],
        None => vec![format!("CREATE EXTENSION IF NOT EXISTS {}", q(name))],
    }
}

/// `CREATE SEQUENCE` with its options, its schema made first.
fn create_sequence(name: &str, options: &autogen_schema::SequenceOptions) -> Vec<String> {
    let clause = options.clause();
    let sep = if clause.is_empty() { "" } else { " " };
    let mut out = schema_of(name);
    out.push(format!("CREATE SEQUENCE {}{sep}{clause}", q(name)));
    out
}

/// `CREATE SCHEMA IF NOT EXISTS` for an object keyed in another schema; nothing otherwise.
fn schema_of(key: &str) -> Vec<String> {
    match split_qualified(key) {
        (Some(schema), _) => vec![format!("CREATE SCHEMA IF NOT EXISTS {}", q(schema))],
        (None, _) => Vec::new(),
    }
}

/// A view, routine or trigger created (or a routine replaced in place). A routine's body is
/// checked when it runs, not when it is created (as pg_dump restores them): it may read a table
/// created after it.
fn create_or_replace(o: &autogen_schema::SqlObject, replace: bool) -> Vec<String> {
    let statement = if replace {
        replace_object(o)
    } else {
        create_object(o)
    };
    if o.kind.routine() {
        vec!["SET check_function_bodies = off".into(), statement]
    } else {
        vec![statement]
    }
}

/// A routine replaced in place: `CREATE OR REPLACE` keeps a comment the new version may no
/// longer have, so an old comment goes first.
fn replace_routine(
    from: &autogen_schema::SqlObject,
    to: &autogen_schema::SqlObject,
) -> Vec<String> {
    let quote = |n: &str| autogen_schema::lexical::quote_identifier(n, '"');
    let mut out = Vec::new();
    if from.commented() {
        out.push(format!("COMMENT ON {} IS NULL", from.target(&quote, true)));
    }
    out.extend(create_or_replace(to, true));
    out
}

impl DialectRenderer for Postgres {
    fn sql(&self) -> &'static dyn SqlDialect {
        Dialect::Postgres.sql()
    }

    fn type_text(&self, ty: &autogen_schema::ColumnType) -> Result<String, RenderError> {
        crate::common::type_sql(&PostgresQueryBuilder, ty, self.sql())
    }

    fn inline_comments(&self) -> bool {
        false
    }

    fn op_statements(&self, op: &Op, _profile: Profile) -> Result<Vec<String>, RenderError> {
        let sql = self.sql();
        Ok(match op {
            Op::CreateEnum(e) => vec![
                PgType::create()
                    .as_enum(e.name.clone())
                    .values(e.values.iter().cloned())
                    .to_string(PostgresQueryBuilder),
            ],
            Op::DropEnum(e) => vec![
                PgType::drop()
                    .name(e.name.clone())
                    .to_string(PostgresQueryBuilder),
            ],
            Op::AddEnumValue {
                name,
                value,
                position,
                ..
            } => {
                let stmt = PgType::alter().name(name.clone()).add_value(value.clone());
                let stmt = match position {
                    EnumPosition::Before(v) => stmt.before(v.clone()),
                    EnumPosition::After(v) => stmt.after(v.clone()),
                    EnumPosition::Last => stmt,
                };
                vec![stmt.to_string(PostgresQueryBuilder)]
            }
            Op::RecreateEnum {
                name, to, columns, ..
            } => recreate_enum(name, to, columns),
            Op::CreateTable(t) => create_table(t, self)?,
            Op::DropTable(t) => drop_table(t),
            // An object of another schema (a type of a table's column) may be the first thing
            // of that schema a new environment makes.
            Op::CreateObject(o) => [schema_of(&o.name), create_or_replace(o, false)].concat(),
            Op::DropObject(o) => vec![drop_object(sql, o, true)],
            Op::ReplaceObject { from, to } => replace_routine(from, to),
            Op::RenameTable { from, to } => vec![rename_table_sql(PostgresQueryBuilder, from, to)],
            Op::AddColumn { table, column } => add_column(table, column, self)?,
            Op::DropColumn { table, column } => {
                let mut out = let_go_of_sequence(table, column);
                out.push(drop_column_sql(PostgresQueryBuilder, table, &column.name));
                out
            }
            Op::RenameColumn { table, from, to } => {
                vec![rename_column_sql(PostgresQueryBuilder, table, from, to)]
            }
            Op::AlterColumn { table, from, to } => alter_column(table, from, to)?,
            Op::CreateIndex { table, index } => {
                vec![create_index_sql(PostgresQueryBuilder, table, index, self)?]
            }
            // An index lives in its table's schema.
            Op::DropIndex { table, index } => {
                let (schema, _) = split_qualified(table);
                vec![format!("DROP INDEX {}", q(&qualified(schema, &index.name)))]
            }
            Op::AddUnique { table, unique } => vec![add_unique_sql(sql, table, unique)],
            Op::AddCheck { table, check } => vec![add_check(sql, table, check)],
            Op::DropCheck { table, check } => vec![drop_check(table, check)?],
            Op::DropUnique { table, unique } => vec![alter_table(
                sql,
                table,
                &format!(
                    "DROP CONSTRAINT {}",
                    q(&unique_constraint_name(Postgres.sql(), table, unique))
                ),
            )],
            Op::AddForeignKey { table, fk, .. } => vec![add_foreign_key(table, fk)],
            Op::DropForeignKey { table, fk, .. } => vec![build(
                SqForeignKey::drop()
                    .name(builder_name(
                        self.sql(),
                        &fk_name(Postgres.sql(), table, fk),
                    ))
                    .table(table_ref(table)),
            )],
            Op::SetTableComment { table, to, .. } => vec![table_comment(table, to.as_ref())],
            Op::CreateDomain(d) => vec![create_domain(d)],
            Op::DropDomain(d) => vec![format!("DROP DOMAIN {}", q(&d.name))],
            Op::CreateSequence { name, options } => create_sequence(name, options),
            Op::DropSequence { name, .. } => vec![format!("DROP SEQUENCE {}", q(name))],
            Op::CreateExtension { name, schema } => create_extension(name, schema.as_deref()),
            Op::DropExtension { name, .. } => {
                vec![format!("DROP EXTENSION IF EXISTS {}", q(name))]
            }
            Op::AlterPrimaryKey { table, from, to } => {
                let mut out = Vec::new();
                if !from.columns.is_empty() {
                    // A dropped key column takes the constraint with it: dropped only if it
                    // is still there, and a primary key.
                    let name = primary_key_constraint_name(table, from);
                    out.extend(drop_constraint_if_own(table, &name, &Own::PrimaryKey));
                }
                if !to.columns.is_empty() {
                    out.push(alter_table(sql, table, &add_primary_key(sql, to)));
                }
                out
            }
            Op::RebuildTable { to, .. } => {
                return Err(unsupported(
                    Dialect::Postgres,
                    format!("rebuild table {}", to.name),
                ));
            }
        })
    }

    /// `USING gin`, `USING gist`, …: the access method by name.
    fn index_method(
        &self,
        stmt: &mut sea_query::IndexCreateStatement,
        method: &str,
    ) -> Result<Option<&'static str>, RenderError> {
        stmt.index_type(sea_query::IndexType::Custom(sea_query::SeaRc::new(
            sea_query::Alias::new(method),
        )));
        Ok(None)
    }

    /// Before 12, PostgreSQL refuses `ALTER TYPE … ADD VALUE` inside a transaction block.
    fn outside_transaction(&self, plan: &Plan) -> Option<String> {
        let adds_value = plan
            .ops
            .iter()
            .any(|op| matches!(op, Op::AddEnumValue { .. }));
        (adds_value && !plan.profile.at_least(12, 0)).then(|| {
            format!(
                "PostgreSQL {} refuses ALTER TYPE … ADD VALUE inside a transaction block (12 and later accept it)",
                plan.profile.version.major
            )
        })
    }

    /// Index builds and drops CONCURRENTLY, UNIQUE through a concurrently built index, foreign
    /// keys NOT VALID then validated, and NOT NULL proved by a validated CHECK (PostgreSQL 12
    /// and later skip the scan for it; before, NOT NULL stays plain).
    fn has_online_form(&self, op: &Op, profile: Profile) -> bool {
        if let Op::AlterColumn { from, to, .. } = op {
            let mut only_nullability = from.clone();
            only_nullability.nullable = to.nullable;
            return &only_nullability == to && profile.at_least(12, 0);
        }
        if let Op::CreateObject(o) | Op::DropObject(o) = op {
            return o.kind.builds_index();
        }
        matches!(
            op,
            Op::CreateIndex { .. }
                | Op::DropIndex { .. }
                | Op::AddUnique { .. }
                | Op::DropUnique { .. }
                | Op::AddForeignKey { .. }
                | Op::DropForeignKey { .. }
                | Op::AddCheck { .. }
                | Op::DropCheck { .. }
        )
    }

    fn online_statements(
        &self,
        op: &Op,
        plan: &Plan,
        stage: StageKind,
    ) -> Result<Vec<String>, RenderError> {
        if let (StageKind::Validate, Op::AlterColumn { table, to, .. }) = (stage, op) {
            let check = not_null_check(plan, table, &to.name);
            return Ok(not_null_validated(table, &to.name, &check, !to.nullable));
        }
        online_statements(self, op, plan)
    }

    /// `SET LOCAL` in the revision's transaction; outside one, `SET` and `RESET` after.
    fn timeouts(
        &self,
        policy: &crate::policy::Policy,
        in_transaction: bool,
    ) -> Option<(Vec<String>, Vec<String>)> {
        let set = if in_transaction { "SET LOCAL" } else { "SET" };
        let lit = |v: &str| self.sql().string_literal(v);
        let before = vec![
            format!("{set} lock_timeout = {}", lit(&policy.lock_timeout)),
            format!(
                "{set} statement_timeout = {}",
                lit(&policy.statement_timeout)
            ),
        ];
        let after = if in_transaction {
            Vec::new()
        } else {
            vec![
                "RESET lock_timeout".into(),
                "RESET statement_timeout".into(),
            ]
        };
        Some((before, after))
    }
}

/// `CREATE DOMAIN name AS base [DEFAULT …] [NOT NULL] [CONSTRAINT c CHECK (…)]…`: the base type,
/// default and checks are SQL as the catalog printed them (or the model wrote them).
fn create_domain(d: &autogen_schema::Domain) -> String {
    let mut sql = format!("CREATE DOMAIN {} AS {}", q(&d.name), d.base);
    if let Some(default) = &d.default {
        sql.push_str(&format!(" DEFAULT {default}"));
    }
    if d.not_null {
        sql.push_str(" NOT NULL");
    }
    for c in &d.checks {
        sql.push_str(&format!(" CONSTRAINT {} {}", q(&c.name), c.definition));
    }
    sql
}

/// The name of a key as PostgreSQL holds it: its own, or the one autogen's `CREATE TABLE`
/// gave an unnamed one (PostgreSQL's `<table>_pkey` for a key on one column, written on the
/// column; `pk-<table>` for a composite key, as SeaORM writes it).
fn primary_key_constraint_name(table: &str, pk: &autogen_diff::PrimaryKey) -> String {
    match &pk.name {
        Some(name) => name.clone(),
        None if pk.columns.len() > 1 => autogen_schema::lexical::primary_key_name(table),
        None => {
            let max = Postgres.sql().max_name_bytes().unwrap_or(63) - "_pkey".len();
            format!(
                "{}_pkey",
                autogen_schema::lexical::truncate_bytes(table, max)
            )
        }
    }
}

/// `ADD [CONSTRAINT name] PRIMARY KEY (a, b)`.
fn add_primary_key(sql: &dyn SqlDialect, pk: &autogen_diff::PrimaryKey) -> String {
    let cols: Vec<String> = pk.columns.iter().map(|c| sql.quote_ident(c)).collect();
    match &pk.name {
        Some(name) => format!(
            "ADD CONSTRAINT {} PRIMARY KEY ({})",
            sql.quote_ident(name),
            cols.join(", ")
        ),
        None => format!("ADD PRIMARY KEY ({})", cols.join(", ")),
    }
}

/// A column's default as SQL, in its own spelling where it has one.
fn column_default(c: &Column) -> Option<String> {
    match (&c.default_sql, &c.default) {
        (Some(raw), Some(_)) => Some(raw.clone()),
        (None, Some(d)) => Some(default_sql(d)),
        _ => None,
    }
}

/// A default as SQL text, for `ALTER COLUMN … SET DEFAULT`.
fn default_sql(d: &DefaultValue) -> String {
    match d {
        DefaultValue::String(s) => Postgres.sql().string_literal(s),
        other => other.to_string(),
    }
}

fn comment_statements(t: &Table) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(c) = &t.comment {
        out.push(table_comment(&t.name, Some(c)));
    }
    for col in &t.columns {
        if let Some(c) = &col.comment {
            out.push(column_comment(&t.name, &col.name, Some(c)));
        }
    }
    out
}

fn comment_literal(comment: Option<&String>) -> String {
    comment.map_or("NULL".to_string(), |c| Postgres.sql().string_literal(c))
}

fn table_comment(table: &str, comment: Option<&String>) -> String {
    format!(
        "COMMENT ON TABLE {} IS {}",
        q(table),
        comment_literal(comment)
    )
}

fn column_comment(table: &str, column: &str, comment: Option<&String>) -> String {
    format!(
        "COMMENT ON COLUMN {}.{} IS {}",
        q(table),
        q(column),
        comment_literal(comment)
    )
}

/// Rename the type away, create it anew, convert each column through text, drop the old one.
fn recreate_enum(name: &str, to: &[String], columns: &[EnumColumn]) -> Vec<String> {
    let sql = Postgres.sql();
    let old = format!("{name}_old");
    let mut out = vec![format!("ALTER TYPE {} RENAME TO {}", q(name), q(&old))];
    out.push(
        PgType::create()
            .as_enum(name.to_string())
            .values(to.iter().cloned())
            .to_string(PostgresQueryBuilder),
    );
    for c in columns {
        let target = if c.array {
            format!("{}[]", q(name))
        } else {
            q(name)
        };
        let via = if c.array { "text[]" } else { "text" };
        let col = q(&c.column);
        if c.default.is_some() {
            out.push(alter_table(
                sql,
                &c.table,
                &format!("ALTER COLUMN {col} DROP DEFAULT"),
            ));
        }
        out.push(alter_table(
            sql,
            &c.table,
            &format!("ALTER COLUMN {col} TYPE {target} USING {col}::{via}::{target}"),
        ));
        if let Some(d) = &c.default {
            out.push(alter_table(
                sql,
                &c.table,
                &format!("ALTER COLUMN {col} SET DEFAULT {}", default_sql(d)),
            ));
        }
    }
    out.push(format!("DROP TYPE {}", q(&old)));
    out
}

fn alter_column(table: &str, from: &Column, to: &Column) -> Result<Vec<String>, RenderError> {
    let sql = Postgres.sql();
    let col = q(&to.name);
    let alter = |rest: String| alter_table(sql, table, &rest);
    let mut out = Vec::new();
    // Let go of the old default's sequence before the default changes.
    if !to.owns_sequence {
        out.extend(let_go_of_sequence(table, from));
    }
    // The database generating values: through a `nextval(…)` default (which the default's
    // own change below sets or drops), or as an identity column.
    if from.auto_increment != to.auto_increment {
        if to.auto_increment && to.default.is_none() {
            out.push(alter(format!(
                "ALTER COLUMN {col} ADD GENERATED BY DEFAULT AS IDENTITY"
            )));
            // Values already in the column: the identity starts after them.
            out.push(format!(
                "SELECT setval(pg_get_serial_sequence({}, {}), coalesce(max({col}), 0) + 1, false) FROM {}",
                sql.string_literal(&q(table)),
                sql.string_literal(&to.name),
                q(table)
            ));
        } else if from.auto_increment && from.default.is_none() {
            out.push(alter(format!("ALTER COLUMN {col} DROP IDENTITY IF EXISTS")));
        }
    }
    if to.auto_increment
        && to.default.is_none()
        && (from.identity_always != to.identity_always
            || (to.identity_always && !from.auto_increment))
    {
        out.push(identity_kind(table, to));
    }
    if to.auto_increment && to.default.is_none() {
        // A column made an identity here numbers on from its values (`setval` above).
        let new = !from.auto_increment || from.default.is_some();
        let from_seq = from.identity_sequence.as_ref().filter(|_| !new);
        out.extend(identity_sequence(table, from_seq, to, false));
    }
    if from.ty != to.ty || from.collation != to.collation {
        let ty = type_sql(&PostgresQueryBuilder, &to.ty, sql)?;
        if from.default.is_some() {
            out.push(alter(format!("ALTER COLUMN {col} DROP DEFAULT")));
        }
        let collate = match &to.collation {
            Some(c) => format!(" COLLATE {}", q(c)),
            None if from.collation.is_some() => " COLLATE \"default\"".to_string(),
            None => String::new(),
        };
        // A generated column's values are computed again: no `USING` (PostgreSQL refuses it).
        let using = match to.generated {
            Some(_) => String::new(),
            None => format!(" USING {col}::{ty}"),
        };
        out.push(alter(format!(
            "ALTER COLUMN {col} TYPE {ty}{collate}{using}"
        )));
        if let Some(d) = column_default(to) {
            out.push(alter(format!("ALTER COLUMN {col} SET DEFAULT {d}")));
        }
    } else if from.default != to.default {
        out.push(alter(match column_default(to) {
            Some(d) => format!("ALTER COLUMN {col} SET DEFAULT {d}"),
            None => format!("ALTER COLUMN {col} DROP DEFAULT"),
        }));
    }
    if from.nullable != to.nullable {
        let verb = if to.nullable { "DROP" } else { "SET" };
        out.push(alter(format!("ALTER COLUMN {col} {verb} NOT NULL")));
    }
    if from.comment != to.comment {
        out.push(column_comment(table, &to.name, to.comment.as_ref()));
    }
    if to.owns_sequence && !from.owns_sequence {
        out.extend(sequence_owner(table, to, true));
    }
    Ok(out)
}

/// `ADD COLUMN`, then what sea-query cannot say in it: `GENERATED ALWAYS`, the identity's
/// sequence, the sequence it owns, its comment.
fn add_column(table: &str, column: &Column, r: &Postgres) -> Result<Vec<String>, RenderError> {
    let mut out = vec![add_column_sql(PostgresQueryBuilder, table, column, r)?];
    if column.identity_always {
        out.push(identity_kind(table, column));
    }
    // The rows there are numbered already: the sequence goes on from them.
    out.extend(identity_sequence(table, None, column, false));
    if column.owns_sequence {
        out.extend(sequence_owner(table, column, true));
    }
    if column.comment.is_some() {
        out.push(column_comment(table, &column.name, column.comment.as_ref()));
    }
    Ok(out)
}

/// A sequence the table's columns own would go with it; autogen drops sequences on their own
/// (or leaves them alone), so they are let go of first.
fn drop_table(t: &Table) -> Vec<String> {
    let mut out: Vec<String> = t
        .columns
        .iter()
        .flat_map(|c| let_go_of_sequence(&t.name, c))
        .collect();
    out.push(drop_table_sql(PostgresQueryBuilder, &t.name));
    out
}

/// `OWNED BY NONE` for the sequence `c` owns, if it owns one: before it is dropped.
fn let_go_of_sequence(table: &str, c: &Column) -> Vec<String> {
    if c.owns_sequence {
        sequence_owner(table, c, false)
    } else {
        Vec::new()
    }
}

/// `ALTER SEQUENCE <the sequence c's default draws from> OWNED BY <table>.<c>` (or `NONE`);
/// nothing for a column without a `nextval(…)` default.
fn sequence_owner(table: &str, c: &Column, own: bool) -> Vec<String> {
    let Some(sequence) = c
        .default
        .as_ref()
        .and_then(autogen_schema::nextval_sequence)
    else {
        return Vec::new();
    };
    let owner = if own {
        format!("{}.{}", q(table), q(&c.name))
    } else {
        "NONE".to_string()
    };
    vec![format!("ALTER SEQUENCE {} OWNED BY {owner}", q(&sequence))]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Literal defaults are written as constants (squawk's `adding-field-with-default` reads a
    /// parenthesised or negative default as an expression); other expressions keep parentheses.
    #[test]
    fn literal_defaults_are_written_as_constants() {
        use autogen_schema::ColumnType;
        let col = |name: &str, ty, default| Column {
            default: Some(default),
            ..Column::new(name, ty)
        };
        let add = |c: Column| {
            let op = Op::AddColumn {
                table: "t".into(),
                column: c,
            };
            Postgres
                .op_statements(&op, Profile::oldest(Dialect::Postgres))
                .expect("renders")
                .remove(0)
        };
        let cases = [
            (
                col("a", ColumnType::Integer, DefaultValue::Number("-1".into())),
                "DEFAULT '-1'",
            ),
            (
                col("b", ColumnType::Boolean, DefaultValue::Bool(true)),
                "DEFAULT TRUE",
            ),
            (
                col("c", ColumnType::Text, DefaultValue::String("eu".into())),
                "DEFAULT 'eu'",
            ),
            (
                col(
                    "d",
                    ColumnType::TimestampWithTimeZone,
                    DefaultValue::CurrentTimestamp,
                ),
                "DEFAULT CURRENT_TIMESTAMP",
            ),
            (
                col(
                    "e",
                    ColumnType::Uuid,
                    DefaultValue::Expr("gen_random_uuid()".into()),
                ),
                "DEFAULT (gen_random_uuid())",
            ),
        ];
        for (c, expected) in cases {
            let sql = add(c);
            assert!(sql.ends_with(expected), "{sql}");
        }
    }

    #[test]
    fn statements_that_refuse_a_transaction() {
        let no_tx = |s| {
            autogen_schema::Dialect::Postgres
                .sql()
                .refuses_transaction(s)
        };
        assert!(no_tx("CREATE INDEX CONCURRENTLY i ON t (a)"));
        assert!(no_tx("create unique index concurrently i on t (a)"));
        assert!(no_tx("DROP INDEX CONCURRENTLY i"));
        assert!(no_tx("VACUUM t"));
        assert!(!no_tx("CREATE INDEX i ON t (a)"));
        assert!(!no_tx("ALTER TYPE s ADD VALUE 'x'"));
    }
}
