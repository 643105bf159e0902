//! Seeded rows, and whether a revision keeps them (`check --dev-url --seed N`).
//!
//! [`Seeder::seed`] inserts N generated rows into every table the catalog has, parents before
//! children (foreign keys take values from rows already there), each column with a value of its
//! type ([`values`]); a row the database refuses (a CHECK, a character set) is drawn again, the
//! last time plainly. [`snapshot`] reads every value of every table as text, and [`compare`]
//! says which values a revision changed ([`compare`](mod@compare)).

pub mod compare;
mod values;

pub use compare::{Dropped, Rules, Snapshot, Violation, compare, snapshot};
pub use values::Rng;

use autogen_db::Db;
use autogen_schema::lexical::{display_name, quoted_key};
use autogen_schema::{Column, Schema, SqlDialect, Table};
use std::collections::{BTreeMap, BTreeSet};
use values::{Want, enum_values, literal, quoted_strings};

/// How many times a row is drawn before autogen gives it up (the last time plainly).
const ATTEMPTS: usize = 6;

/// Generates rows for one run: its random numbers and a serial shared by every row, so unique
/// values never repeat across revisions.
#[derive(Debug)]
pub struct Seeder {
    rng: Rng,
    rows: usize,
    serial: u64,
    /// Rows inserted so far, in every table.
    pub inserted: usize,
}

impl Seeder {
    /// `rows` rows per table for each revision, drawn from `seed`.
    pub fn new(seed: u64, rows: usize) -> Seeder {
        Seeder {
            rng: Rng::new(seed),
            rows,
            serial: 0,
            inserted: 0,
        }
    }

    /// Inserts the rows; returns a note per table it could not fill (none refused every row it
    /// drew, or no value of a column's type can be made).
    pub async fn seed(&mut self, db: &Db, schema: &Schema) -> Vec<String> {
        let mut notes = Vec::new();
        for key in parents_first(schema) {
            let Some(table) = schema.tables.get(&key) else {
                continue;
            };
            // A partition's rows go in through its parent.
            if table.partition_of.is_some() {
                continue;
            }
            let mut counts = BTreeMap::new();
            for fk in foreign_keys(schema, table) {
                let rows = db.exact_rows(&fk.ref_table, None).await;
                counts.insert(fk.ref_table.clone(), rows.unwrap_or(0));
            }
            let mut inserted = 0;
            let mut last_error = String::new();
            for _ in 0..self.rows {
                match self.insert_row(db, schema, table, &counts).await {
                    Ok(()) => inserted += 1,
                    Err(e) => last_error = e,
                }
            }
            self.inserted += inserted;
            if inserted < self.rows {
                notes.push(format!(
                    "{}: {inserted} of {} seeded rows inserted ({last_error})",
                    display_name(&key),
                    self.rows
                ));
            }
        }
        notes
    }

    /// One row, drawn up to [`ATTEMPTS`] times until the database takes it.
    async fn insert_row(
        &mut self,
        db: &Db,
        schema: &Schema,
        table: &Table,
        counts: &BTreeMap<String, u64>,
    ) -> Result<(), String> {
        let sql = db.dialect().sql();
        let mut last = String::new();
        for attempt in 0..ATTEMPTS {
            self.serial += 1;
            let plain = attempt + 1 == ATTEMPTS;
            let statement = self.row_sql(sql, schema, table, counts, plain)?;
            match db.execute_script(&statement).await {
                Ok(()) => return Ok(()),
                Err(e) => last = autogen_db::error_text(&e),
            }
        }
        Err(last)
    }

    /// The INSERT of one drawn row.
    fn row_sql(
        &mut self,
        sql: &dyn SqlDialect,
        schema: &Schema,
        table: &Table,
        counts: &BTreeMap<String, u64>,
        plain: bool,
    ) -> Result<String, String> {
        let unique = unique_columns(schema, table);
        let fks = foreign_keys(schema, table);
        let quote = |n: &str| sql.quote_ident(n);
        let mut names = Vec::new();
        let mut values = Vec::new();
        // A composite foreign key takes all its columns from one parent row.
        let mut parent_rows: BTreeMap<usize, u64> = BTreeMap::new();
        for column in &table.columns {
            if column.generated.is_some() || column.auto_increment || column.identity_always {
                continue;
            }
            let value = if let Some((i, fk)) = fks
                .iter()
                .enumerate()
                .find(|(_, fk)| fk.columns.contains(&column.name))
            {
                let parents = counts.get(&fk.ref_table).copied().unwrap_or(0);
                if fk.ref_table == table.name || parents == 0 {
                    if column.nullable {
                        "NULL".to_string()
                    } else {
                        return Err(format!(
                            "no row of {} for {} to refer to",
                            display_name(&fk.ref_table),
                            column.name
                        ));
                    }
                } else {
                    // A key no two rows may share walks the parents in turn (the next one on
                    // each attempt); others pick one at random.
                    let walk = fk.columns.iter().all(|c| unique.contains(c.as_str()));
                    let serial = self.serial;
                    let offset = *parent_rows.entry(i).or_insert_with(|| {
                        if walk {
                            serial % parents
                        } else {
                            self.rng.below(parents)
                        }
                    });
                    let position = fk.columns.iter().position(|c| c == &column.name);
                    let referenced = position.and_then(|p| fk.ref_columns.get(p));
                    let Some(referenced) = referenced else {
                        continue;
                    };
                    let order: Vec<String> = fk.ref_columns.iter().map(|c| quote(c)).collect();
                    format!(
                        "(SELECT {} FROM {} ORDER BY {} LIMIT 1 OFFSET {offset})",
                        quote(referenced),
                        quoted_key(&fk.ref_table, &quote),
                        order.join(", ")
                    )
                }
            } else {
                let is_unique = unique.contains(column.name.as_str());
                if column.default.is_some() && (plain || self.rng.one_in(5)) {
                    continue;
                }
                if column.nullable && !is_unique && (plain || self.rng.one_in(5)) {
                    "NULL".to_string()
                } else {
                    self.value(sql, schema, table, column, is_unique, plain)?
                }
            };
            names.push(quote(&column.name));
            values.push(value);
        }
        let target = quoted_key(&table.name, &quote);
        Ok(if names.is_empty() {
            sql.insert_defaults(&target)
        } else {
            format!(
                "INSERT INTO {target} ({}) VALUES ({})",
                names.join(", "),
                values.join(", ")
            )
        })
    }

    fn value(
        &mut self,
        sql: &dyn SqlDialect,
        schema: &Schema,
        table: &Table,
        column: &Column,
        unique: bool,
        plain: bool,
    ) -> Result<String, String> {
        let mut named = check_values(table, &column.name);
        named.extend(partition_values(schema, table, &column.name));
        let want = Want {
            ty: &column.ty,
            unique,
            serial: self.serial,
            plain,
            named: &named,
        };
        literal(&want, &mut self.rng, sql, schema).ok_or_else(|| {
            format!(
                "autogen makes no values of {}'s type {:?}",
                column.name, column.ty
            )
        })
    }
}

/// Columns no two rows may share a value of: the primary key's, and those of single-column
/// UNIQUE constraints and indexes (a composite one is unique when any column is), including the
/// keys carried as SQL because an entity cannot declare them (a `DEFERRABLE` primary key, a
/// UNIQUE `NULLS NOT DISTINCT`, a key `INCLUDE`ing columns). None of them is seeded NULL.
fn unique_columns<'a>(schema: &'a Schema, table: &'a Table) -> BTreeSet<&'a str> {
    let mut out: BTreeSet<&str> = table.primary_key.iter().map(String::as_str).collect();
    for u in &table.uniques {
        out.extend(u.columns.iter().map(String::as_str));
    }
    for i in table.indexes.iter().filter(|i| i.unique) {
        out.extend(i.columns.iter().map(String::as_str));
    }
    let carried = schema
        .objects
        .values()
        .filter(|o| o.kind.on_table() && o.table.as_deref() == Some(table.name.as_str()));
    for object in carried {
        let keyed = carried_key_columns(&object.definition);
        out.extend(
            table
                .columns
                .iter()
                .map(|c| c.name.as_str())
                .filter(|c| keyed.iter().any(|k| k == c)),
        );
    }
    out
}

/// The key columns of a carried `… PRIMARY KEY (a, b) …` or `… UNIQUE [NULLS NOT DISTINCT]
/// (a) …` constraint, or of a `CREATE UNIQUE INDEX … ON t (a) NULLS NOT DISTINCT` (none for an
/// exclusion constraint, a foreign key or an index that is not unique; an expression is no
/// column's name).
fn carried_key_columns(definition: &str) -> Vec<String> {
    let upper = definition.to_ascii_uppercase();
    let at = if upper.starts_with("CREATE UNIQUE INDEX ") {
        upper.find(" ON ").map(|i| i + 4)
    } else if upper.starts_with("CREATE ") {
        None
    } else {
        [" PRIMARY KEY ", " UNIQUE "]
            .iter()
            .find_map(|k| upper.find(k).map(|i| i + k.len()))
    };
    let Some(at) = at else {
        return Vec::new();
    };
    let rest = &definition[at..];
    let Some(list) = rest
        .find('(')
        .and_then(|open| Some(&rest[open + 1..open + rest[open..].find(')')?]))
    else {
        return Vec::new();
    };
    list.split(',')
        .map(|c| {
            let c = c.trim();
            match c.strip_prefix('"').and_then(|c| c.strip_suffix('"')) {
                Some(quoted) => quoted.replace("\"\"", "\""),
                None => c.to_string(),
            }
        })
        .collect()
}

/// The strings the table's CHECKs compare `column` with (`status IN ('a', 'b')`): the values a
/// CHECK-constrained text column takes.
fn check_values(table: &Table, column: &str) -> Vec<String> {
    table
        .checks
        .iter()
        .filter(|c| c.definition.contains(column) && c.definition.contains(" IN "))
        .flat_map(|c| quoted_strings(&c.definition))
        .collect()
}

/// The foreign keys a row of `table` must satisfy: its own, and for a partitioned table those
/// its partitions declare (a schema may declare them on its partitions only, as Pagila does).
fn foreign_keys<'a>(schema: &'a Schema, table: &'a Table) -> Vec<&'a autogen_schema::ForeignKey> {
    let mut out: Vec<&autogen_schema::ForeignKey> = table.foreign_keys.iter().collect();
    if table.partition_by.is_some() {
        let partitions = schema.tables.values().filter(|t| {
            t.partition_of
                .as_ref()
                .is_some_and(|p| p.table == table.name)
        });
        for fk in partitions.flat_map(|t| &t.foreign_keys) {
            if !out.iter().any(|o| o.columns == fk.columns) {
                out.push(fk);
            }
        }
    }
    out
}

/// Values that land in a partition, for a partitioned table's key column: each range
/// partition's lower bound (inclusive), each list partition's values.
fn partition_values(schema: &Schema, table: &Table, column: &str) -> Vec<String> {
    let Some(by) = &table.partition_by else {
        return Vec::new();
    };
    if !by.contains(column) {
        return Vec::new();
    }
    schema
        .tables
        .values()
        .filter_map(|t| t.partition_of.as_ref())
        .filter(|p| p.table == table.name)
        .flat_map(|p| {
            let values = quoted_strings(&p.bound);
            // A range's FROM and TO: the lower bound is in it, the upper is not.
            if p.bound.contains(" TO ") {
                values.into_iter().take(1).collect()
            } else {
                values
            }
        })
        .collect()
}

/// Table keys with every table a foreign key refers to before the table (cycles broken where
/// they close; a self-reference does not count).
fn parents_first(schema: &Schema) -> Vec<String> {
    fn visit(key: &str, schema: &Schema, seen: &mut BTreeSet<String>, out: &mut Vec<String>) {
        if !seen.insert(key.to_string()) {
            return;
        }
        if let Some(table) = schema.tables.get(key) {
            for fk in foreign_keys(schema, table) {
                visit(&fk.ref_table, schema, seen, out);
            }
        }
        out.push(key.to_string());
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for key in schema.tables.keys() {
        visit(key, schema, &mut seen, &mut out);
    }
    out.retain(|k| schema.tables.contains_key(k));
    out
}

/// Removes the rows of `current` that `target` (an earlier revision's catalog) cannot take: a
/// NULL where it says NOT NULL, an enum value it does not have. Returns a note per table.
pub async fn remove_unaccepted(db: &Db, current: &Schema, target: &Schema) -> Vec<String> {
    let sql = db.dialect().sql();
    let quote = |n: &str| sql.quote_ident(n);
    let mut notes = Vec::new();
    for (key, old) in &target.tables {
        let Some(now) = current.tables.get(key) else {
            continue;
        };
        let mut conditions = Vec::new();
        for column in &old.columns {
            let Some(present) = now.columns.iter().find(|c| c.name == column.name) else {
                continue;
            };
            let name = quote(&column.name);
            if !column.nullable && present.nullable {
                conditions.push(format!("{name} IS NULL"));
            }
            if let Some(values) = enum_values(target, &column.ty)
                && enum_values(current, &present.ty).is_some_and(|v| v != values)
            {
                let list: Vec<String> = values.iter().map(|v| sql.string_literal(v)).collect();
                conditions.push(format!("{name} NOT IN ({})", list.join(", ")));
            }
        }
        if conditions.is_empty() {
            continue;
        }
        let table = quoted_key(key, &quote);
        let filter = conditions.join(" OR ");
        let rows = match db.exact_rows(key, Some(&filter)).await {
            Some(0) => continue,
            Some(n) => n.to_string(),
            None => "some".to_string(),
        };
        let outcome = match db
            .execute_script(&format!("DELETE FROM {table} WHERE {filter}"))
            .await
        {
            Ok(()) => "removed".to_string(),
            Err(e) => format!("could not remove ({})", autogen_db::error_text(&e)),
        };
        notes.push(format!(
            "{outcome} {rows} row(s) of {} the earlier schema does not accept ({filter})",
            display_name(key)
        ));
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use autogen_schema::{Check, PartitionOf};

    #[test]
    fn a_carried_key_names_its_columns() {
        for (definition, columns) in [
            (
                "ALTER TABLE kvps ADD CONSTRAINT kvps_pkey PRIMARY KEY (repo_id, key) INCLUDE (value)",
                &["repo_id", "key"][..],
            ),
            (
                "ALTER TABLE survey ADD CONSTRAINT survey_once UNIQUE NULLS NOT DISTINCT (score)",
                &["score"],
            ),
            (
                "ALTER TABLE t ADD CONSTRAINT t_pkey PRIMARY KEY (\"Id\", \"a\"\"b\") DEFERRABLE",
                &["Id", "a\"b"],
            ),
            (
                "CREATE UNIQUE INDEX survey_once ON public.survey USING btree (score) NULLS NOT DISTINCT",
                &["score"],
            ),
            (
                "CREATE INDEX unique_ish ON public.survey USING btree (score)",
                &[],
            ),
            (
                "ALTER TABLE booking ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =)",
                &[],
            ),
            (
                "ALTER TABLE c ADD CONSTRAINT unique_parent FOREIGN KEY (a) REFERENCES p (a) MATCH FULL",
                &[],
            ),
        ] {
            assert_eq!(carried_key_columns(definition), columns, "{definition}");
        }
    }

    #[test]
    fn a_check_list_and_partition_bounds_are_the_values_a_column_takes() {
        let mut t = Table::new("t");
        t.checks.push(Check {
            definition: "CHECK ((status IN ('a', 'b')))".into(),
            ..Check::default()
        });
        assert_eq!(check_values(&t, "status"), ["a", "b"]);
        assert!(check_values(&t, "other").is_empty());

        let mut schema = Schema::default();
        t.partition_by = Some("RANGE (at)".into());
        let part = |name: &str, bound: &str| {
            let mut p = Table::new(name);
            p.partition_of = Some(PartitionOf {
                table: "t".into(),
                bound: bound.into(),
            });
            p
        };
        for p in [
            part("t_2026", "FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')"),
            part("t_2027", "FOR VALUES FROM ('2027-01-01') TO ('2028-01-01')"),
        ] {
            schema.tables.insert(p.name.clone(), p);
        }
        schema.tables.insert("t".into(), t.clone());
        // A range's lower bound only (the upper is outside it).
        assert_eq!(
            partition_values(&schema, &t, "at"),
            ["2026-01-01", "2027-01-01"]
        );
        assert!(partition_values(&schema, &t, "id").is_empty());
        // A list's every value.
        t.partition_by = Some("LIST (region)".into());
        let listed = part("t_eu", "FOR VALUES IN ('de', 'fr')");
        schema.tables.retain(|k, _| k == "t");
        schema.tables.insert(listed.name.clone(), listed);
        assert_eq!(partition_values(&schema, &t, "region"), ["de", "fr"]);
    }
}
