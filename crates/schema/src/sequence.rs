//! A PostgreSQL sequence's options (`AS`, `INCREMENT`, `MINVALUE`, `MAXVALUE`, `START`,
//! `CACHE`, `CYCLE`): read from the catalog's numbers or from a declaration's text, kept in one
//! canonical form (what the server would make without the option is `None`), printed back as the
//! clause `CREATE SEQUENCE` takes. The clause's grammar is closed, so one reader serves both.

use serde::{Deserialize, Serialize};

/// The options that differ from what `CREATE SEQUENCE name` makes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SequenceOptions {
    /// `smallint` or `integer`, or `bigint` where it is said of a sequence a column of
    /// another type owns; `None`: not said, which is `bigint`, or the owning column's type
    /// (as `serial` makes it). [`crate::Schema::sequence_options_in_effect`] settles it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_type: Option<String>,
    /// `None` is 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub increment: Option<i64>,
    /// `None`: the type's bound in the sequence's direction (1 ascending).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<i64>,
    /// `None`: the minimum ascending, the maximum descending.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<i64>,
    /// `None` is 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache: Option<i64>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cycle: bool,
}

/// PostgreSQL: an identity column's sequence where it is not the one `GENERATED … AS IDENTITY`
/// makes: its name (when not `<table>_<column>_seq`: a table renamed keeps its sequence's old
/// name) and its options (its type is the column's, so `data_type` is always `None`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentitySequence {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "SequenceOptions::is_default")]
    pub options: SequenceOptions,
}

impl IdentitySequence {
    pub fn is_default(&self) -> bool {
        self.name.is_none() && self.options.is_default()
    }

    /// The name PostgreSQL gives the identity sequence of `table`'s `column` (unless taken).
    pub fn default_name(table: &str, column: &str) -> String {
        format!("{table}_{column}_seq")
    }
}

/// The options as numbers, every one given (the catalog's `pg_sequence` row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SequenceNumbers {
    pub data_type: String,
    pub increment: i64,
    pub min: i64,
    pub max: i64,
    pub start: i64,
    pub cache: i64,
    pub cycle: bool,
}

/// `(min, max)` of a sequence type, by any of its names.
fn type_range(data_type: &str) -> Option<(&'static str, i64, i64)> {
    Some(match data_type.to_ascii_lowercase().as_str() {
        "smallint" | "int2" => ("smallint", i64::from(i16::MIN), i64::from(i16::MAX)),
        "integer" | "int" | "int4" => ("integer", i64::from(i32::MIN), i64::from(i32::MAX)),
        "bigint" | "int8" => ("bigint", i64::MIN, i64::MAX),
        _ => return None,
    })
}

impl SequenceOptions {
    pub fn is_default(&self) -> bool {
        *self == SequenceOptions::default()
    }

    /// The canonical options of a sequence with these numbers.
    pub fn from_numbers(n: &SequenceNumbers) -> SequenceOptions {
        let (name, low, high) = type_range(&n.data_type).unwrap_or(("bigint", i64::MIN, i64::MAX));
        let ascending = n.increment > 0;
        let (min, max) = if ascending { (1, high) } else { (low, -1) };
        let start = if ascending { n.min } else { n.max };
        SequenceOptions {
            data_type: (name != "bigint").then(|| name.to_string()),
            increment: (n.increment != 1).then_some(n.increment),
            min: (n.min != min).then_some(n.min),
            max: (n.max != max).then_some(n.max),
            start: (n.start != start).then_some(n.start),
            cache: (n.cache != 1).then_some(n.cache),
            cycle: n.cycle,
        }
    }

    /// Reads the clause `CREATE SEQUENCE` takes (`AS integer START 1000 INCREMENT BY 5`, any
    /// order and case); the error names what it could not read.
    pub fn parse(text: &str) -> Result<SequenceOptions, String> {
        let words: Vec<String> = text.split_whitespace().map(str::to_uppercase).collect();
        let mut n = SequenceNumbers {
            data_type: "bigint".into(),
            increment: 1,
            min: 0,
            max: 0,
            start: 0,
            cache: 1,
            cycle: false,
        };
        let (mut min, mut max, mut start) = (None, None, None);
        let mut said_bigint = false;
        let mut i = 0;
        let number = |i: usize| -> Result<i64, String> {
            let w = words.get(i).ok_or("a number is missing at the end")?;
            w.parse()
                .map_err(|_| format!("`{w}` is not a whole number"))
        };
        // Skips an optional word (`BY`, `WITH`).
        let skip = |i: &mut usize, word: &str| {
            if words.get(*i).map(String::as_str) == Some(word) {
                *i += 1;
            }
        };
        while i < words.len() {
            i += 1;
            match (words[i - 1].as_str(), words.get(i).map(String::as_str)) {
                ("AS", Some(t)) => {
                    n.data_type = type_range(t)
                        .ok_or_else(|| format!("`{t}` is not smallint, integer or bigint"))?
                        .0
                        .into();
                    said_bigint = n.data_type == "bigint";
                    i += 1;
                }
                ("INCREMENT", _) => {
                    skip(&mut i, "BY");
                    n.increment = number(i)?;
                    i += 1;
                }
                ("START", _) => {
                    skip(&mut i, "WITH");
                    start = Some(number(i)?);
                    i += 1;
                }
                ("MINVALUE", _) => (min, i) = (Some(number(i)?), i + 1),
                ("MAXVALUE", _) => (max, i) = (Some(number(i)?), i + 1),
                ("CACHE", _) => (n.cache, i) = (number(i)?, i + 1),
                ("CYCLE", _) => n.cycle = true,
                ("NO", Some("MINVALUE")) => (min, i) = (None, i + 1),
                ("NO", Some("MAXVALUE")) => (max, i) = (None, i + 1),
                ("NO", Some("CYCLE")) => (n.cycle, i) = (false, i + 1),
                (w, _) => {
                    return Err(format!(
                        "`{w}` is not a sequence option (AS, INCREMENT BY, MINVALUE, MAXVALUE, \
                         START WITH, CACHE, CYCLE)"
                    ));
                }
            }
        }
        if n.increment == 0 {
            return Err("INCREMENT must not be zero".into());
        }
        let (_, low, high) = type_range(&n.data_type).unwrap_or(("bigint", i64::MIN, i64::MAX));
        let ascending = n.increment > 0;
        n.min = min.unwrap_or(if ascending { 1 } else { low });
        n.max = max.unwrap_or(if ascending { high } else { -1 });
        n.start = start.unwrap_or(if ascending { n.min } else { n.max });
        let mut options = SequenceOptions::from_numbers(&n);
        if said_bigint {
            options.data_type = Some("bigint".into());
        }
        Ok(options)
    }

    /// Every option said explicitly, one `ALTER SEQUENCE` item each (`NO MINVALUE`, `NO CYCLE`,
    /// …): what sets a sequence to these options whatever it had.
    pub fn settings(&self) -> Vec<String> {
        let increment = self.increment.unwrap_or(1);
        let bound = |word: &str, n: Option<i64>| match n {
            Some(n) => format!("{word} {n}"),
            None => format!("NO {word}"),
        };
        let start = self.start.unwrap_or(if increment > 0 {
            self.min.unwrap_or(1)
        } else {
            self.max.unwrap_or(-1)
        });
        vec![
            format!("INCREMENT BY {increment}"),
            bound("MINVALUE", self.min),
            bound("MAXVALUE", self.max),
            format!("START WITH {start}"),
            format!("CACHE {}", self.cache.unwrap_or(1)),
            if self.cycle { "CYCLE" } else { "NO CYCLE" }.into(),
        ]
    }

    /// The clause, in one order: empty for the defaults.
    pub fn clause(&self) -> String {
        let mut out = Vec::new();
        if let Some(t) = &self.data_type {
            out.push(format!("AS {t}"));
        }
        if let Some(n) = self.increment {
            out.push(format!("INCREMENT BY {n}"));
        }
        if let Some(n) = self.min {
            out.push(format!("MINVALUE {n}"));
        }
        if let Some(n) = self.max {
            out.push(format!("MAXVALUE {n}"));
        }
        if let Some(n) = self.start {
            out.push(format!("START WITH {n}"));
        }
        if let Some(n) = self.cache {
            out.push(format!("CACHE {n}"));
        }
        if self.cycle {
            out.push("CYCLE".into());
        }
        out.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clause_reads_back_as_itself_in_any_spelling() {
        let o = SequenceOptions::parse("start 1000 increment 5").unwrap();
        assert_eq!(o.clause(), "INCREMENT BY 5 START WITH 1000");
        assert_eq!(SequenceOptions::parse(&o.clause()).unwrap(), o);
        // What the server makes anyway is no option; a type said is kept (a column of
        // another type may own the sequence).
        let same = SequenceOptions::parse("INCREMENT BY 1 START WITH 1 NO CYCLE CACHE 1");
        assert!(same.unwrap().is_default());
        let bigint = SequenceOptions::parse("AS int8 START WITH 1").unwrap();
        assert_eq!(bigint.clause(), "AS bigint");
        assert_eq!(SequenceOptions::parse(&bigint.clause()).unwrap(), bigint);
        // A descending sequence starts at its maximum, -1 by default.
        let down = SequenceOptions::parse("AS integer INCREMENT BY -1").unwrap();
        assert_eq!(down.clause(), "AS integer INCREMENT BY -1");
        assert!(SequenceOptions::parse("START WITH ten").is_err());
        assert!(SequenceOptions::parse("OWNED BY t.c").is_err());
        assert!(SequenceOptions::parse("INCREMENT BY 0").is_err());
    }

    #[test]
    fn settings_say_every_option_so_they_reset_what_they_do_not_set() {
        let o = SequenceOptions::parse("START 100 INCREMENT 5").unwrap();
        assert_eq!(
            o.settings(),
            [
                "INCREMENT BY 5",
                "NO MINVALUE",
                "NO MAXVALUE",
                "START WITH 100",
                "CACHE 1",
                "NO CYCLE"
            ]
        );
        let down = SequenceOptions::parse("INCREMENT BY -1").unwrap();
        assert!(down.settings().contains(&"START WITH -1".to_string()));
        assert!(
            SequenceOptions::default()
                .settings()
                .contains(&"START WITH 1".to_string())
        );
    }

    #[test]
    fn catalog_numbers_and_text_agree() {
        let n = SequenceNumbers {
            data_type: "integer".into(),
            increment: 1,
            min: 1,
            max: i64::from(i32::MAX),
            start: 1,
            cache: 1,
            cycle: false,
        };
        let o = SequenceOptions::from_numbers(&n);
        assert_eq!(o.clause(), "AS integer");
        assert_eq!(SequenceOptions::parse("AS int4").unwrap(), o);
    }
}
