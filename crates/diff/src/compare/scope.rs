//! What of a kept table the model speaks for, and in whose spelling, before anything is
//! compared: what the model leaves alone is taken out of the database side, and where the two
//! sides say the same thing in different ways, the model side takes the database's spelling.

use autogen_schema::dialect::SqlDialect;
use autogen_schema::{Table, Unique};
use std::collections::BTreeSet;

/// `have` without what `want` leaves alone: the columns of `#[sea_orm(ignore)]` fields and the
/// indexes, UNIQUEs and foreign keys built on them, and foreign keys to tables autogen does not
/// manage (`managed`: the tables the database side holds). Returns the table and how many
/// columns were left alone.
pub(crate) fn without_left_alone(
    have: &Table,
    want: &Table,
    managed: &BTreeSet<&str>,
) -> (Table, usize) {
    let ignored = |c: &String| want.ignored.contains(c) && want.column(c).is_none();
    let uses_ignored = |cols: &[String]| cols.iter().any(ignored);
    let mut t = have.clone();
    let before = t.columns.len();
    t.columns.retain(|c| !ignored(&c.name));
    let left = before - t.columns.len();
    t.indexes.retain(|i| !uses_ignored(&i.columns));
    t.uniques.retain(|u| !uses_ignored(&u.columns));
    t.foreign_keys
        .retain(|fk| !uses_ignored(&fk.columns) && managed.contains(fk.ref_table.as_str()));
    // A CHECK no entity declares is autogen's to drop only if autogen made it.
    t.checks
        .retain(|h| h.owned || want.checks.iter().any(|w| declares(w, h)));
    (t, left)
}

/// Whether the model's `w` speaks for the database's CHECK `h`: by name, or, where autogen
/// derived the model's name, by definition.
fn declares(w: &autogen_schema::Check, h: &autogen_schema::Check) -> bool {
    if w.derived || w.name.is_none() || h.name.is_none() {
        w.definition == h.definition
    } else {
        w.name == h.name
    }
}

/// `want` in `have`'s spelling wherever both mean the same:
/// - a column the database generates (SeaORM's `auto_increment`) is the database's column
///   that draws from a sequence of its own (`DEFAULT nextval(…)`, as `serial` writes it);
/// - an index whose name SeaORM derived (`indexed`, `unique_key`) is the database's index of
///   the same definition, whatever its name;
/// - a UNIQUE constraint is a unique index over the same columns, and the other way round
///   (for an index whose name the model did not choose);
/// - a type that differs only in its display width (MariaDB's `int(11)`) is the database's.
///
/// Indexes whose name the model declares are still compared by name.
pub(crate) fn in_database_spelling(have: &Table, want: &Table, sql: &dyn SqlDialect) -> Table {
    let mut t = want.clone();
    for c in &mut t.columns {
        let Some(h) = have.column(&c.name) else {
            continue;
        };
        if c.auto_increment && h.auto_increment && c.default.is_none() {
            c.default = h.default.clone();
            c.default_sql = h.default_sql.clone();
        }
        // A type that differs only in how it is displayed (`int(11)` for `int`) is the same.
        if c.ty != h.ty && sql.without_display_width(&c.ty) == sql.without_display_width(&h.ty) {
            c.ty = h.ty.clone();
        }
    }
    // A CHECK whose name autogen derived is the database's of the same definition.
    let declared: BTreeSet<&str> = want
        .checks
        .iter()
        .filter(|c| !c.derived)
        .filter_map(|c| c.name.as_deref())
        .collect();
    let mut taken: BTreeSet<&str> = BTreeSet::new();
    for w in t
        .checks
        .iter_mut()
        .filter(|w| w.derived || w.name.is_none())
    {
        if let Some(h) = have.checks.iter().find(|h| {
            h.definition == w.definition
                && h.name
                    .as_deref()
                    .is_none_or(|n| !declared.contains(n) && !taken.contains(n))
        }) {
            if let Some(n) = h.name.as_deref() {
                taken.insert(n);
            }
            w.name = h.name.clone();
            w.derived = false;
        }
    }
    let named: BTreeSet<&str> = want.indexes.iter().map(|i| i.name.as_str()).collect();
    let mut claimed: BTreeSet<String> = have
        .indexes
        .iter()
        .filter(|i| named.contains(i.name.as_str()))
        .map(|i| i.name.clone())
        .collect();
    // A derived name matches the database's index of the same definition.
    for w in t.indexes.iter_mut().filter(|w| w.derived) {
        if claimed.contains(&w.name) && have.indexes.iter().any(|h| h.name == w.name) {
            continue;
        }
        if let Some(h) = have
            .indexes
            .iter()
            .find(|h| !claimed.contains(&h.name) && h.same_definition(w))
        {
            claimed.insert(h.name.clone());
            w.name = h.name.clone();
        }
    }
    // A UNIQUE constraint the database keeps as a unique index.
    let have_unique_cols: BTreeSet<&Vec<String>> =
        have.uniques.iter().map(|u| &u.columns).collect();
    let mut uniques = Vec::new();
    for u in std::mem::take(&mut t.uniques) {
        let as_index = (!have_unique_cols.contains(&u.columns))
            .then(|| {
                have.indexes.iter().find(|h| {
                    !claimed.contains(&h.name) && h.is_plain_unique() && h.columns == u.columns
                })
            })
            .flatten();
        match as_index {
            Some(h) if u.name.as_ref().is_none_or(|n| *n == h.name) => {
                claimed.insert(h.name.clone());
                t.indexes.push(h.clone());
            }
            _ => uniques.push(u),
        }
    }
    t.uniques = uniques;
    // A unique index (derived name) the database keeps as a UNIQUE constraint.
    let want_unique_cols: BTreeSet<Vec<String>> =
        t.uniques.iter().map(|u| u.columns.clone()).collect();
    let mut indexes = Vec::new();
    for w in std::mem::take(&mut t.indexes) {
        let as_constraint = (w.derived
            && w.is_plain_unique()
            && !have.indexes.iter().any(|h| h.name == w.name)
            && !want_unique_cols.contains(&w.columns))
        .then(|| have.uniques.iter().find(|u| u.columns == w.columns))
        .flatten();
        match as_constraint {
            Some(u) => t.uniques.push(Unique {
                name: u.name.clone(),
                columns: u.columns.clone(),
                ..Default::default()
            }),
            None => indexes.push(w),
        }
    }
    t.indexes = indexes;
    t
}
