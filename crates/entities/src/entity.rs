//! What each entity holds, whatever the format it is written in: its fields and their
//! attributes, autogen's declarations, and its relations.

use crate::names::{Unique, camel, field, snake};
use crate::text::lit;
use crate::types::{FieldType, field_type};
use autogen_model::Declaration;
use autogen_schema::lexical::{
    foreign_key_name, index_name, primary_key_name, seaorm_column_variant,
};
use autogen_schema::{Column, ColumnType, DefaultValue, Dialect, FkAction, Schema, Table};
use heck::ToUpperCamelCase;
use std::collections::BTreeMap;

/// SeaORM composite keys have at most this many columns.
const MAX_KEY_COLUMNS: usize = 12;

pub(crate) struct Plan {
    pub dialect: Dialect,
    pub entities: Vec<Entity>,
    pub enums: Vec<ActiveEnum>,
}

pub(crate) struct ActiveEnum {
    pub rust: String,
    pub db_name: String,
    /// (Rust variant, database value).
    pub variants: Vec<(String, String)>,
}

pub(crate) struct Entity {
    pub table: String,
    pub module: String,
    pub comment: Option<String>,
    /// The contents of each `autogen(…)` declaration on the `Model` struct.
    pub declarations: Vec<String>,
    pub fields: Vec<Field>,
    pub belongs_to: Vec<BelongsTo>,
    pub has_many: Vec<HasMany>,
    /// Active enums the fields use.
    pub enum_imports: Vec<String>,
    pub eq: bool,
}

pub(crate) struct Field {
    pub ident: String,
    pub variant: String,
    /// The field's type, `Option<…>` for a nullable column.
    pub rust: String,
    pub attrs: Vec<String>,
    /// `autogen(…)` declarations on the field.
    pub declarations: Vec<String>,
}

pub(crate) struct BelongsTo {
    pub variant: String,
    /// The target's module; `None` for the entity itself.
    pub target: Option<String>,
    pub from: Vec<String>,
    pub to: Vec<String>,
    /// The foreign key's name where SeaORM would not derive it.
    pub fk_name: Option<String>,
    /// `DEFERRABLE` (PostgreSQL), which only autogen's declaration can say.
    pub deferrable: Option<autogen_schema::Deferrable>,
    /// `on_delete`, `on_update` attribute items.
    pub extra: Vec<String>,
    /// The only relation between the two entities: `Related` is implemented for it.
    pub related: bool,
    /// Whether every column of the key may be NULL-free (dense: `BelongsTo<T>` vs `Option`).
    pub required: bool,
}

pub(crate) struct HasMany {
    pub variant: String,
    pub target: String,
    pub related: bool,
}

/// Names every entity module keeps for itself.
const RESERVED_MODULES: &[&str] = &[
    "mod",
    "prelude",
    "sea_orm_active_enums",
    "autogen_types",
    "lib",
    "main",
];

pub(crate) fn plan(schema: &Schema, dialect: Dialect) -> Plan {
    let mut modules_taken = Unique::with(RESERVED_MODULES);
    let modules: BTreeMap<String, String> = schema
        .tables
        .keys()
        .map(|t| (t.clone(), modules_taken.take(snake(t))))
        .collect();
    let enums = active_enums(schema);
    let enum_rust: BTreeMap<&str, &str> = enums
        .iter()
        .map(|e| (e.db_name.as_str(), e.rust.as_str()))
        .collect();
    let mut entities: Vec<Entity> = schema
        .tables
        .values()
        .map(|t| entity(t, &modules[&t.name], schema, dialect, &enum_rust))
        .collect();
    relations(schema, &modules, &mut entities);
    Plan {
        dialect,
        entities,
        enums,
    }
}

fn active_enums(schema: &Schema) -> Vec<ActiveEnum> {
    let mut taken = Unique::with(&[
        "Entity",
        "Model",
        "Column",
        "ActiveModel",
        "Relation",
        "PrimaryKey",
    ]);
    schema
        .enums
        .values()
        .map(|e| {
            let mut variants = Unique::default();
            ActiveEnum {
                rust: taken.take(camel(&e.name)),
                db_name: e.name.clone(),
                variants: e
                    .values
                    .iter()
                    .map(|v| (variants.take(camel(v)), v.clone()))
                    .collect(),
            }
        })
        .collect()
}

fn entity(
    t: &Table,
    module: &str,
    schema: &Schema,
    dialect: Dialect,
    enums: &BTreeMap<&str, &str>,
) -> Entity {
    let key = seaorm_key(t);
    let mut idents = Unique::default();
    let mut variants = Unique::default();
    let mut fields = Vec::new();
    let mut enum_imports = Vec::new();
    let mut eq = true;
    for c in &t.columns {
        let ident = idents.take(field(&c.name));
        let plain = ident.trim_start_matches("r#");
        let variant = variants.take(seaorm_column_variant(plain));
        let ft = field_type(&c.ty, schema, dialect, enums);
        eq &= ft.eq;
        if let ColumnType::Enum(name) = &c.ty
            && let Some(rust) = enums.get(name.as_str())
        {
            enum_imports.push(rust.to_string());
        }
        let mut f = field_of(c, t, &ft, &key, dialect);
        if plain != c.name {
            f.attrs.insert(0, format!("column_name = {}", lit(&c.name)));
        }
        if variant != seaorm_column_variant(plain) {
            f.attrs.push(format!("enum_name = {}", lit(&variant)));
        }
        fields.push(Field {
            ident,
            variant,
            ..f
        });
    }
    enum_imports.sort();
    enum_imports.dedup();
    Entity {
        table: t.name.clone(),
        module: module.to_string(),
        comment: t.comment.clone(),
        declarations: declarations(t, dialect, &key),
        fields,
        belongs_to: Vec::new(),
        has_many: Vec::new(),
        enum_imports,
        eq,
    }
}

/// The columns SeaORM knows the entity by: the primary key, or for a table without one, its
/// first UNIQUE over columns that are never NULL, or else its columns that are never NULL
/// (the table's declarations then say it has no key).
fn seaorm_key(t: &Table) -> Vec<String> {
    if !t.primary_key.is_empty() {
        return t
            .primary_key
            .iter()
            .take(MAX_KEY_COLUMNS)
            .cloned()
            .collect();
    }
    let not_null = |cols: &[String]| {
        cols.iter()
            .all(|c| t.column(c).is_some_and(|c| !c.nullable))
    };
    let unique = t
        .uniques
        .iter()
        .map(|u| &u.columns)
        .chain(
            t.indexes
                .iter()
                .filter(|i| i.is_plain_unique())
                .map(|i| &i.columns),
        )
        .find(|cols| not_null(cols) && cols.len() <= MAX_KEY_COLUMNS);
    if let Some(cols) = unique {
        return cols.clone();
    }
    let required: Vec<String> = t
        .columns
        .iter()
        .filter(|c| !c.nullable)
        .map(|c| c.name.clone())
        .take(MAX_KEY_COLUMNS)
        .collect();
    if required.is_empty() {
        t.columns.iter().take(1).map(|c| c.name.clone()).collect()
    } else {
        required
    }
}

/// The field for column `c`, before its name is settled.
fn field_of(c: &Column, t: &Table, ft: &FieldType, key: &[String], dialect: Dialect) -> Field {
    let mut attrs = Vec::new();
    let in_key = key.contains(&c.name);
    if in_key {
        attrs.push("primary_key".to_string());
        // What SeaORM (and autogen) assume for a one-column key, said where it is not so.
        let assumed = key.len() == 1
            && !matches!(
                c.ty,
                ColumnType::String(_) | ColumnType::Uuid | ColumnType::Char(_) | ColumnType::Text
            );
        if assumed != c.auto_increment && key.len() == 1 {
            attrs.push(format!("auto_increment = {}", c.auto_increment));
        }
    }
    if let Some(ct) = &ft.column_type {
        attrs.push(format!("column_type = {}", lit(ct)));
    }
    if let Some(cast) = &ft.cast {
        attrs.push("select_as = \"text\"".into());
        attrs.push(format!("save_as = {}", lit(cast)));
    }
    // A key field's type is never `Option`: SeaORM needs a value. Where the column may be NULL
    // all the same (a table without a key), `nullable` says so.
    let option = c.nullable && !in_key;
    if c.nullable && in_key {
        attrs.push("nullable".into());
    }
    if let Some(d) = default_attr(c, dialect) {
        attrs.push(d);
    }
    if c.on_update.is_some() {
        attrs.push("extra = \"ON UPDATE CURRENT_TIMESTAMP\"".into());
    }
    if let Some(comment) = &c.comment {
        attrs.push(format!("comment = {}", lit(comment)));
    }
    if t.uniques
        .iter()
        .any(|u| unique_on_field(t, u, dialect) && u.columns[0] == c.name)
    {
        attrs.push("unique".into());
    }
    if t.indexes
        .iter()
        .any(|i| i.columns == [c.name.clone()] && indexed_on_field(t, i, dialect))
    {
        attrs.push("indexed".into());
    }
    // SeaORM refuses `auto_increment` off a one-column key: autogen's declaration says it.
    let mut declarations = Declaration::of_column(c, !(in_key && key.len() == 1));
    // A CHECK of the column's own definition is declared on its field.
    declarations.extend(
        t.checks
            .iter()
            .filter(|k| k.column.as_ref() == Some(&c.name))
            .map(declared_check),
    );
    let declarations = declarations.iter().map(Declaration::print).collect();
    Field {
        ident: String::new(),
        variant: String::new(),
        rust: if option {
            format!("Option<{}>", ft.rust)
        } else {
            ft.rust.clone()
        },
        attrs,
        declarations,
    }
}

/// `default_value = …` or `default_expr = "…"`: a literal where SeaORM's literal is what the
/// database keeps; the database's own spelling otherwise (`now()` stays `now()`).
fn default_attr(c: &Column, dialect: Dialect) -> Option<String> {
    let value = c.default.as_ref()?;
    let sql = dialect.sql();
    let spelled = c.default_sql.as_deref();
    // The catalogs of PostgreSQL and MySQL print a literal default the same way whatever
    // spelling made it; SQLite keeps the spelling, so a literal is written as one only when
    // autogen would write it the same way.
    let rendered = |v: &DefaultValue| match v {
        DefaultValue::String(s) => sql.string_literal(s),
        DefaultValue::Bool(true) => "TRUE".into(),
        DefaultValue::Bool(false) => "FALSE".into(),
        other => other.to_string(),
    };
    let keeps_spelling = sql.keeps_default_spelling();
    // PostgreSQL prints a string default with the cast it was written with: `''::character
    // varying` on a `text` column stays so only if written so.
    let foreign_cast = spelled
        .and_then(|s| s.rsplit_once("'::"))
        .is_some_and(|(_, cast)| {
            matches!(
                (cast, &c.ty),
                ("character varying", ColumnType::Text) | ("text", ColumnType::String(_))
            )
        });
    // A number the catalog prints otherwise than it would print autogen's (PostgreSQL keeps
    // `0.00` and `'1.5'::real` as written) is written in its spelling, so a new environment's
    // default reads the same.
    let own_number = matches!(value, DefaultValue::Number(n)
    if spelled.is_some_and(|s| match sql.stored_number_default(n, &c.ty) {
        Some(stored) => s != stored,
        None => s != n && number_literal(s.trim_start_matches('-')),
    }));
    let literal_ok = !foreign_cast
        && !own_number
        && (!keeps_spelling || spelled.is_none_or(|s| s == rendered(value)));
    let cust = |sql: &str| {
        format!(
            "default_expr = {}",
            lit(&format!("Expr::cust({})", lit(sql)))
        )
    };
    match value {
        DefaultValue::String(s) if literal_ok => Some(format!("default_value = {}", lit(s))),
        DefaultValue::Bool(b) if literal_ok => Some(format!("default_value = {b}")),
        DefaultValue::Number(n) if literal_ok && !n.starts_with('-') && number_literal(n) => {
            Some(format!("default_value = {n}"))
        }
        DefaultValue::Number(n) if literal_ok && number_literal(n.trim_start_matches('-')) => Some(
            format!("default_expr = {}", lit(&format!("Expr::val({n})"))),
        ),
        DefaultValue::CurrentTimestamp | DefaultValue::CurrentDate | DefaultValue::CurrentTime
            if spelled.is_none_or(|s| s.eq_ignore_ascii_case(&value.to_string())) =>
        {
            let f = match value {
                DefaultValue::CurrentTimestamp => "current_timestamp",
                DefaultValue::CurrentDate => "current_date",
                _ => "current_time",
            };
            Some(format!("default_expr = \"Expr::{f}()\""))
        }
        DefaultValue::Null => spelled.map(cust),
        other => Some(cust(spelled.unwrap_or(&rendered(other)))),
    }
}

/// A number Rust reads as an integer or float literal, as the catalog printed it.
fn number_literal(n: &str) -> bool {
    !n.is_empty()
        && n.chars().all(|c| c.is_ascii_digit() || c == '.')
        && n.matches('.').count() <= 1
        && !n.starts_with('.')
        && !n.ends_with('.')
}

/// A one-column UNIQUE that SeaORM's `unique` on its field makes: unnamed, or under the name
/// the server gives one written on its column.
fn unique_on_field(t: &Table, u: &autogen_schema::Unique, dialect: Dialect) -> bool {
    u.columns.len() == 1
        && (u.name.is_none() || u.name == dialect.sql().unnamed_unique_name(&t.name, &u.columns[0]))
}

/// An index SeaORM's `indexed` on its field makes: one column, B-tree, not unique, under
/// SeaORM's name, on a column that `unique` does not also mark (SeaORM makes no index then).
fn indexed_on_field(t: &Table, i: &autogen_schema::Index, dialect: Dialect) -> bool {
    let [column] = i.columns.as_slice() else {
        return false;
    };
    !i.unique
        && i.predicate.is_none()
        && i.using.is_none()
        && i.lengths.is_empty()
        && i.name == index_name(&t.name, column)
        && !t
            .uniques
            .iter()
            .any(|u| u.columns == [column.clone()] && unique_on_field(t, u, dialect))
}

/// The table's `autogen(…)` declarations: how it is partitioned or what it inherits, its key
/// where SeaORM's fields cannot say it, every index and UNIQUE the fields' attributes do not,
/// and its CHECKs.
fn declarations(t: &Table, dialect: Dialect, key: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(by) = &t.partition_by {
        out.push(Declaration::Partitioned { by: by.clone() });
    }
    if let Some(p) = &t.partition_of {
        out.push(Declaration::Partition(p.clone()));
    }
    if !t.inherits.is_empty() {
        out.push(Declaration::Inherits(t.inherits.clone()));
    }
    if let Some(name) = &t.collation {
        out.push(Declaration::Collate(name.clone()));
    }
    if !t.options.is_empty() {
        out.push(Declaration::Options(t.options.clone()));
    }
    if t.primary_key.is_empty() {
        out.push(Declaration::PrimaryKey {
            name: None,
            columns: Vec::new(),
        });
    } else {
        // The name autogen's `CREATE TABLE` gives an unnamed key: the server's own for a key on
        // one column, SeaORM's `pk-<table>` for a composite one.
        let unnamed = if t.primary_key.len() == 1 {
            dialect.sql().unnamed_primary_key_name(&t.name)
        } else {
            Some(primary_key_name(&t.name))
        };
        let default_name = t.primary_key_name.is_none() || t.primary_key_name == unnamed;
        // The fields marked `primary_key` say the key in the order the fields come.
        let marked: Vec<&String> = t
            .columns
            .iter()
            .map(|c| &c.name)
            .filter(|n| key.contains(n))
            .collect();
        let in_field_order = marked.iter().copied().eq(t.primary_key.iter());
        if !(in_field_order && default_name) {
            out.push(Declaration::PrimaryKey {
                name: t.primary_key_name.clone().filter(|_| !default_name),
                columns: t.primary_key.clone(),
            });
        }
    }
    for u in t.uniques.iter().filter(|u| !unique_on_field(t, u, dialect)) {
        out.push(Declaration::Unique(autogen_schema::Unique {
            derived: false,
            ..u.clone()
        }));
    }
    for i in t
        .indexes
        .iter()
        .filter(|i| !indexed_on_field(t, i, dialect))
    {
        out.push(Declaration::Index(autogen_schema::Index {
            derived: false,
            ..i.clone()
        }));
    }
    let of_column = |c: &autogen_schema::Check| {
        c.column
            .as_ref()
            .is_some_and(|n| t.columns.iter().any(|col| &col.name == n))
    };
    out.extend(
        t.checks
            .iter()
            .filter(|c| !of_column(c))
            .map(declared_check),
    );
    out.iter().map(Declaration::print).collect()
}

/// A CHECK as its declaration says it: its name and definition.
fn declared_check(c: &autogen_schema::Check) -> Declaration {
    Declaration::Check(autogen_schema::Check {
        name: c.name.clone(),
        definition: c.definition.clone(),
        ..autogen_schema::Check::default()
    })
}

/// Relations from foreign keys: `belongs_to` on the referencing entity; `has_many` on the
/// referenced one where the key is the only one between the two (SeaORM finds the way back
/// through `Related`, which only an unambiguous pair implements).
fn relations(schema: &Schema, modules: &BTreeMap<String, String>, entities: &mut [Entity]) {
    let index: BTreeMap<String, usize> = entities
        .iter()
        .enumerate()
        .map(|(i, e)| (e.table.clone(), i))
        .collect();
    // Keys between each ordered pair of tables.
    let mut pair_count: BTreeMap<(String, String), usize> = BTreeMap::new();
    for t in schema.tables.values() {
        for fk in &t.foreign_keys {
            if schema.tables.contains_key(&fk.ref_table) {
                *pair_count
                    .entry((t.name.clone(), fk.ref_table.clone()))
                    .or_default() += 1;
            }
        }
    }
    let variant_of = |e: &Entity, column: &str, table: &Table| -> String {
        let pos = table.columns.iter().position(|c| c.name == column);
        pos.and_then(|p| e.fields.get(p))
            .map(|f| f.variant.clone())
            .unwrap_or_else(|| column.to_upper_camel_case())
    };
    let mut has_many: Vec<(usize, HasMany)> = Vec::new();
    for t in schema.tables.values() {
        let me = index[&t.name];
        let mut names = Unique::with(&["Entity"]);
        for fk in &t.foreign_keys {
            let Some(target_table) = schema.tables.get(&fk.ref_table) else {
                continue;
            };
            let target_idx = index[&fk.ref_table];
            let own = fk.ref_table == t.name;
            let count = pair_count[&(t.name.clone(), fk.ref_table.clone())];
            let back = pair_count
                .get(&(fk.ref_table.clone(), t.name.clone()))
                .copied()
                .unwrap_or(0);
            let only = count == 1 && (own || back == 0);
            let wanted = if only && !own {
                camel(&modules[&fk.ref_table])
            } else {
                camel(fk.columns.join("_").trim_end_matches("_id"))
            };
            let variant = names.take(wanted);
            let from = fk
                .columns
                .iter()
                .map(|c| variant_of(&entities[me], c, t))
                .collect();
            let to = fk
                .ref_columns
                .iter()
                .map(|c| variant_of(&entities[target_idx], c, target_table))
                .collect();
            let fk_name = fk
                .name
                .clone()
                .filter(|name| *name != foreign_key_name(&t.name, &fk.columns));
            let mut extra = Vec::new();
            for (key, action) in [("on_update", fk.on_update), ("on_delete", fk.on_delete)] {
                if action != FkAction::NoAction {
                    extra.push(format!("{key} = \"{}\"", action_name(action)));
                }
            }
            let required = fk
                .columns
                .iter()
                .all(|c| t.column(c).is_some_and(|c| !c.nullable));
            entities[me].belongs_to.push(BelongsTo {
                variant,
                target: (!own).then(|| modules[&fk.ref_table].clone()),
                from,
                to,
                fk_name,
                deferrable: fk.deferrable,
                extra,
                related: only && !own,
                required,
            });
            if only && !own {
                has_many.push((
                    target_idx,
                    HasMany {
                        variant: camel(&modules[&t.name]),
                        target: modules[&t.name].clone(),
                        related: true,
                    },
                ));
            }
        }
    }
    for (i, h) in has_many {
        let taken: Vec<String> = entities[i]
            .belongs_to
            .iter()
            .map(|b| b.variant.clone())
            .chain(entities[i].has_many.iter().map(|h| h.variant.clone()))
            .collect();
        let taken: Vec<&str> = taken.iter().map(String::as_str).collect();
        let variant = Unique::with(&taken).take(h.variant.clone());
        entities[i].has_many.push(HasMany { variant, ..h });
    }
}

fn action_name(a: FkAction) -> &'static str {
    match a {
        FkAction::NoAction => "NoAction",
        FkAction::Restrict => "Restrict",
        FkAction::Cascade => "Cascade",
        FkAction::SetNull => "SetNull",
        FkAction::SetDefault => "SetDefault",
    }
}
