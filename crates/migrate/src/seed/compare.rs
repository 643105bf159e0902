//! Every value of every table, read as text, and what a revision changed of them.
//!
//! Rows are matched by their primary key (without one, as a multiset of whole rows); a value is
//! compared after both sides are read the way the column's new type reads them ([`canonical`]):
//! `5` and `5.00` are one number, `t` and `1` one boolean, a timestamp is the same with or
//! without its zone, JSON the same in any spacing. A value that a type change truncated or
//! rounded reads differently, and is a violation.

use autogen_db::Db;
use autogen_schema::lexical::{display_name, quoted_key};
use autogen_schema::{ColumnType, Schema};
use std::collections::{BTreeMap, BTreeSet};

/// One row's values, as text (NULL as `None`).
pub type Row = Vec<Option<String>>;

/// A row before, and the row after with the same key (if any).
type Pair<'a> = (&'a Row, Option<&'a Row>);

/// The values of every table, as text.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub tables: BTreeMap<String, TableData>,
}

#[derive(Debug, Clone)]
pub struct TableData {
    pub columns: Vec<(String, ColumnType)>,
    /// The primary key's columns (empty: none).
    pub key: Vec<String>,
    pub rows: Vec<Row>,
}

/// Reads every value of every table of `schema` (a partition's rows through its parent).
pub async fn snapshot(db: &Db, schema: &Schema) -> Result<Snapshot, sqlx::Error> {
    let sql = db.dialect().sql();
    let quote = |n: &str| sql.quote_ident(n);
    let mut out = Snapshot::default();
    for (key, table) in &schema.tables {
        if table.partition_of.is_some() || table.columns.is_empty() {
            continue;
        }
        let exprs: Vec<String> = table
            .columns
            .iter()
            .map(|c| sql.value_text(&quote(&c.name), &c.ty))
            .collect();
        let query = format!(
            "SELECT {} FROM {}",
            exprs.join(", "),
            quoted_key(key, &quote)
        );
        let rows = db.text_rows(&query).await?;
        out.tables.insert(
            key.clone(),
            TableData {
                columns: table
                    .columns
                    .iter()
                    .map(|c| (c.name.clone(), c.ty.clone()))
                    .collect(),
                key: table.primary_key.clone(),
                rows,
            },
        );
    }
    Ok(out)
}

/// A value (or a row) a migration changed that it should have kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub table: String,
    /// The column (under its name before), or none when a whole row is gone or added.
    pub column: Option<String>,
    /// The row, as its key or its values: `(id) = (3)`.
    pub row: String,
    pub was: Option<String>,
    pub now: Option<String>,
}

impl Violation {
    pub fn describe(&self) -> String {
        let show = |v: &Option<String>| match v {
            Some(s) => format!("'{}'", shorten(s)),
            None => "NULL".into(),
        };
        let table = display_name(&self.table);
        match (&self.column, &self.was, &self.now) {
            (Some(c), _, _) => format!(
                "{table}.{c}: row {} was {}, is now {}",
                self.row,
                show(&self.was),
                show(&self.now)
            ),
            (None, Some(_), None) => format!("{table}: row {} is gone", self.row),
            (None, _, _) => format!("{table}: row {} was added and stays", self.row),
        }
    }
}

fn shorten(s: &str) -> String {
    if s.chars().count() <= 40 {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(40).collect::<String>())
    }
}

/// What an up migration dropped, whose values its down cannot bring back.
#[derive(Debug, Clone, Default)]
pub struct Dropped {
    pub tables: BTreeSet<String>,
    pub columns: BTreeSet<(String, String)>,
}

/// How a comparison judges.
#[derive(Debug, Clone, Copy, Default)]
pub struct Rules<'a> {
    /// A column gone whose values reappear, row for row, in a new column is a rename.
    pub renames: bool,
    /// Rows may disappear (a down removing what its up added).
    pub rows_gone: bool,
    /// Rows may appear (an up adding rows).
    pub rows_added: bool,
    /// Values not compared: what the up dropped, on its down.
    pub exempt: Option<&'a Dropped>,
}

impl Rules<'_> {
    /// An up: renames followed, rows may be added, none may go.
    pub fn up() -> Rules<'static> {
        Rules {
            renames: true,
            rows_added: true,
            ..Rules::default()
        }
    }

    /// A down judged alone: the rows and values before its up, except what the up dropped.
    pub fn restores(dropped: &Dropped) -> Rules<'_> {
        Rules {
            exempt: Some(dropped),
            ..Rules::default()
        }
    }

    /// A down in the cycle, over rows later revisions allowed: rows may go (the down removes
    /// what its up added, or autogen removed what it cannot take) or come; values stay.
    pub fn cycle_down() -> Rules<'static> {
        Rules {
            rows_gone: true,
            rows_added: true,
            ..Rules::default()
        }
    }
}

/// The values `after` changed of `before` under `rules`, at most one per column and table,
/// and what was dropped (for the down's comparison).
pub fn compare(before: &Snapshot, after: &Snapshot, rules: Rules) -> (Vec<Violation>, Dropped) {
    let mut violations = Vec::new();
    let mut dropped = Dropped::default();
    for (key, b) in &before.tables {
        let Some(a) = after.tables.get(key) else {
            dropped.tables.insert(key.clone());
            continue;
        };
        if rules.exempt.is_some_and(|e| e.tables.contains(key)) {
            continue;
        }
        let table = TablePair { key, b, a };
        table.compare(rules, &mut violations, &mut dropped);
    }
    (violations, dropped)
}

struct TablePair<'a> {
    key: &'a str,
    b: &'a TableData,
    a: &'a TableData,
}

impl TablePair<'_> {
    fn compare(&self, rules: Rules, out: &mut Vec<Violation>, dropped: &mut Dropped) {
        let (b, a) = (self.b, self.a);
        // Before's column i is after's column map[i].
        let mut map: Vec<Option<usize>> = b
            .columns
            .iter()
            .map(|(name, _)| a.columns.iter().position(|(n, _)| n == name))
            .collect();
        let key: Option<Vec<usize>> = (!b.key.is_empty())
            .then(|| {
                b.key
                    .iter()
                    .map(|k| b.columns.iter().position(|(n, _)| n == k))
                    .collect::<Option<Vec<usize>>>()
            })
            .flatten()
            .filter(|k| k.iter().all(|i| map[*i].is_some()));
        let Some(key) = key else {
            self.compare_as_multiset(&map, rules, out);
            return;
        };
        // Rows are matched by their key, read as the after side's types read it.
        let after_key: Vec<usize> = key.iter().filter_map(|i| map[*i]).collect();
        let key_of = |row: &Row, cols: &[usize]| -> Row {
            cols.iter()
                .zip(&after_key)
                .map(|(i, j)| canonical(&a.columns[*j].1, row[*i].as_deref()))
                .collect()
        };
        let after_rows: BTreeMap<Row, usize> = a
            .rows
            .iter()
            .enumerate()
            .map(|(n, row)| (key_of(row, &after_key), n))
            .collect();
        let matched: Vec<Option<usize>> = b
            .rows
            .iter()
            .map(|row| after_rows.get(&key_of(row, &key)).copied())
            .collect();
        let pairs: Vec<Pair> = b
            .rows
            .iter()
            .zip(&matched)
            .map(|(row, n)| (row, n.map(|n| &a.rows[n])))
            .collect();
        if rules.renames {
            self.find_renames(&mut map, &pairs);
        }
        for (i, (name, _)) in b.columns.iter().enumerate() {
            if map[i].is_none() {
                dropped.columns.insert((self.key.to_string(), name.clone()));
            }
        }
        let name_of = |row: &[Option<String>]| row_name(b, &key, row);
        if !rules.rows_gone
            && let Some((row, _)) = pairs.iter().find(|(_, found)| found.is_none())
        {
            out.push(self.violation(None, name_of(row), Some(String::new()), None));
        }
        if !rules.rows_added {
            let kept: BTreeSet<usize> = matched.iter().flatten().copied().collect();
            if let Some(extra) = (0..a.rows.len()).find(|n| !kept.contains(n)) {
                let name = row_name(a, &after_key, &a.rows[extra]);
                out.push(self.violation(None, name, None, Some(String::new())));
            }
        }
        for (i, (name, _)) in b.columns.iter().enumerate() {
            let Some(j) = map[i] else { continue };
            if rules
                .exempt
                .is_some_and(|e| e.columns.contains(&(self.key.to_string(), name.clone())))
            {
                continue;
            }
            let ty = &a.columns[j].1;
            let changed = pairs.iter().find_map(|(row, found)| {
                let found = (*found)?;
                let (was, now) = (row[i].as_deref(), found[j].as_deref());
                (canonical(ty, was) != canonical(ty, now)).then_some((row, was, now))
            });
            if let Some((row, was, now)) = changed {
                out.push(self.violation(
                    Some(name.clone()),
                    name_of(row),
                    was.map(str::to_string),
                    now.map(str::to_string),
                ));
            }
        }
    }

    /// A column gone from before whose values all reappear in a new column was renamed.
    fn find_renames(&self, map: &mut [Option<usize>], pairs: &[Pair]) {
        let mut taken: BTreeSet<usize> = map.iter().flatten().copied().collect();
        for i in 0..map.len() {
            if map[i].is_some() {
                continue;
            }
            let found = (0..self.a.columns.len())
                .filter(|j| !taken.contains(j))
                .find(|j| {
                    let ty = &self.a.columns[*j].1;
                    pairs.iter().any(|(_, f)| f.is_some())
                        && pairs.iter().all(|(row, f)| {
                            f.is_none_or(|f| {
                                canonical(ty, row[i].as_deref()) == canonical(ty, f[*j].as_deref())
                            })
                        })
                });
            if let Some(j) = found {
                map[i] = Some(j);
                taken.insert(j);
            }
        }
    }

    /// Without a key: the rows over the columns both sides have, compared as multisets.
    fn compare_as_multiset(&self, map: &[Option<usize>], rules: Rules, out: &mut Vec<Violation>) {
        let shared: Vec<(usize, usize)> = map
            .iter()
            .enumerate()
            .filter_map(|(i, j)| Some((i, (*j)?)))
            .filter(|(i, _)| {
                !rules.exempt.is_some_and(|e| {
                    e.columns
                        .contains(&(self.key.to_string(), self.b.columns[*i].0.clone()))
                })
            })
            .collect();
        let rows = |data: &TableData, before: bool| -> BTreeMap<Vec<Option<String>>, usize> {
            let mut out = BTreeMap::new();
            for row in &data.rows {
                let values = shared
                    .iter()
                    .map(|(i, j)| {
                        let at = if before { *i } else { *j };
                        canonical(&self.a.columns[*j].1, row[at].as_deref())
                    })
                    .collect();
                *out.entry(values).or_insert(0) += 1;
            }
            out
        };
        let (b, a) = (rows(self.b, true), rows(self.a, false));
        let missing = |x: &BTreeMap<Vec<Option<String>>, usize>,
                       y: &BTreeMap<Vec<Option<String>>, usize>| {
            x.iter()
                .find(|(row, n)| y.get(*row).copied().unwrap_or(0) < **n)
                .map(|(row, _)| row.clone())
        };
        let names: Vec<String> = shared
            .iter()
            .map(|(i, _)| self.b.columns[*i].0.clone())
            .collect();
        let show = |row: Vec<Option<String>>| {
            let values: Vec<String> = row
                .iter()
                .map(|v| {
                    v.as_deref()
                        .map_or("NULL".into(), |s| format!("'{}'", shorten(s)))
                })
                .collect();
            format!("({}) = ({})", names.join(", "), values.join(", "))
        };
        if !rules.rows_gone
            && let Some(row) = missing(&b, &a)
        {
            out.push(self.violation(None, show(row), Some(String::new()), None));
        }
        if !rules.rows_added
            && let Some(row) = missing(&a, &b)
        {
            out.push(self.violation(None, show(row), None, Some(String::new())));
        }
    }

    fn violation(
        &self,
        column: Option<String>,
        row: String,
        was: Option<String>,
        now: Option<String>,
    ) -> Violation {
        Violation {
            table: self.key.to_string(),
            column,
            row,
            was,
            now,
        }
    }
}

/// A row as its key: `(id) = (3)`.
fn row_name(data: &TableData, key: &[usize], row: &[Option<String>]) -> String {
    let names: Vec<&str> = key.iter().map(|i| data.columns[*i].0.as_str()).collect();
    let values: Vec<String> = key
        .iter()
        .map(|i| row[*i].clone().unwrap_or_else(|| "NULL".into()))
        .collect();
    format!("({}) = ({})", names.join(", "), values.join(", "))
}

/// How values of a type compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Number,
    Float,
    Time,
    Json,
    Hex,
    Text,
}

fn family(ty: &ColumnType) -> Family {
    use ColumnType as T;
    match ty {
        T::Float | T::Double => Family::Float,
        t if t.is_numeric() => Family::Number,
        T::Boolean => Family::Number,
        T::Date | T::Time | T::DateTime | T::Timestamp | T::TimestampWithTimeZone => Family::Time,
        T::Json | T::JsonBinary => Family::Json,
        T::Binary(_) | T::VarBinary(_) | T::Blob | T::Uuid => Family::Hex,
        _ => Family::Text,
    }
}

/// `value` as a column of type `ty` reads it, in one spelling per value.
pub fn canonical(ty: &ColumnType, value: Option<&str>) -> Option<String> {
    let v = value?;
    Some(match family(ty) {
        Family::Number => number(v),
        Family::Float => v
            .trim()
            .parse::<f64>()
            .map(|f| number(&f.to_string()))
            .unwrap_or_else(|_| number(v)),
        Family::Time => time(v),
        Family::Json => serde_json::from_str::<serde_json::Value>(v)
            .map(|j| j.to_string())
            .unwrap_or_else(|_| v.to_string()),
        Family::Hex => v
            .trim_start_matches("\\x")
            .replace('-', "")
            .to_ascii_lowercase(),
        Family::Text => v.to_string(),
    })
}

/// A number without leading or trailing zeros (`005.50` is `5.5`); booleans as `1` and `0`.
fn number(v: &str) -> String {
    let v = v.trim();
    match v.to_ascii_lowercase().as_str() {
        "t" | "true" => return "1".into(),
        "f" | "false" => return "0".into(),
        _ => {}
    }
    if v.contains(['e', 'E']) {
        if let Ok(f) = v.parse::<f64>() {
            return number(&f.to_string());
        }
        return v.to_string();
    }
    let (sign, digits) = match v.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", v.strip_prefix('+').unwrap_or(v)),
    };
    if !digits.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return v.to_string();
    }
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let int = int.trim_start_matches('0');
    let frac = frac.trim_end_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    if int == "0" && frac.is_empty() {
        return "0".into();
    }
    if frac.is_empty() {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    }
}

/// A date or time without its zone and trailing fractional zeros, `T` read as a space.
fn time(v: &str) -> String {
    let v = v.trim().replace('T', " ");
    let mut out = match v.find(':') {
        Some(first) => match v[first..].find(['+', '-', 'Z']) {
            Some(zone) => v[..first + zone].trim_end().to_string(),
            None => v,
        },
        None => v,
    };
    if out.contains(':') && out.contains('.') {
        while out.ends_with('0') {
            out.pop();
        }
        if out.ends_with('.') {
            out.pop();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ColumnType as T;

    #[test]
    fn values_compare_as_their_type_reads_them() {
        let n = |v: &str| canonical(&T::Decimal(Some((10, 2))), Some(v));
        assert_eq!(n("5.00"), n("5"));
        assert_ne!(n("5.25"), n("5"));
        assert_eq!(n("-0.50"), Some("-0.5".into()));
        assert_eq!(n("t"), n("1"));
        let f = |v: &str| canonical(&T::Double, Some(v));
        assert_eq!(f("1e+15"), f("1000000000000000"));
        let t = |v: &str| canonical(&T::TimestampWithTimeZone, Some(v));
        assert_eq!(t("2000-02-29 23:59:59+00"), t("2000-02-29T23:59:59"));
        assert_eq!(t("2000-02-29 23:59:59.000"), t("2000-02-29 23:59:59"));
        assert_eq!(t("2000-02-29"), Some("2000-02-29".into()));
        let j = |v: &str| canonical(&T::JsonBinary, Some(v));
        assert_eq!(j("{\"b\": 1, \"a\": [true]}"), j("{\"a\":[true],\"b\":1}"));
        assert_eq!(canonical(&T::Uuid, Some("AB-cd")), Some("abcd".into()));
        assert_eq!(canonical(&T::Text, None), None);
        assert_ne!(
            canonical(&T::String(Some(3)), Some("abc")),
            canonical(&T::String(Some(3)), Some("ab"))
        );
    }

    fn data(columns: &[&str], rows: &[&[Option<&str>]]) -> TableData {
        TableData {
            columns: columns.iter().map(|c| (c.to_string(), T::Text)).collect(),
            key: vec![columns[0].to_string()],
            rows: rows
                .iter()
                .map(|r| r.iter().map(|v| v.map(str::to_string)).collect())
                .collect(),
        }
    }

    fn snap(t: TableData) -> Snapshot {
        Snapshot {
            tables: [("t".to_string(), t)].into(),
        }
    }

    #[test]
    fn a_changed_value_a_rename_and_a_drop() {
        let before = snap(data(
            &["id", "a", "b"],
            &[&[Some("1"), Some("x"), Some("y")]],
        ));
        // `a` renamed to `c` with its values, `b` dropped: nothing changed.
        let after = snap(data(&["id", "c"], &[&[Some("1"), Some("x")]]));
        let up = Rules::up();
        let (v, dropped) = compare(&before, &after, up);
        assert!(v.is_empty(), "{v:?}");
        assert!(dropped.columns.contains(&("t".into(), "b".into())));
        assert!(!dropped.columns.contains(&("t".into(), "a".into())));
        // A value rewritten is named with its row.
        let rewritten = snap(data(
            &["id", "a", "b"],
            &[&[Some("1"), Some("z"), Some("y")]],
        ));
        let (v, _) = compare(&before, &rewritten, up);
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].describe(), "t.a: row (id) = (1) was 'x', is now 'z'");
        // On the way down, what the up dropped is exempt; a row left over is not.
        let down = Rules::restores(&dropped);
        let back = snap(data(
            &["id", "a", "b"],
            &[&[Some("1"), Some("x"), None], &[Some("2"), None, None]],
        ));
        let (v, _) = compare(&before, &back, down);
        assert_eq!(v.len(), 1, "{v:?}");
        assert!(
            v[0].describe().contains("row (id) = (2) was added"),
            "{v:?}"
        );
    }
}
