//! How many rows a table holds, as findings about dropping it say.

use std::fmt;

/// How many rows a table holds, as a finding about dropping it (or a column of it) says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowCount {
    /// Counted.
    Exact(u64),
    /// The server's estimate (a large table, not counted).
    Estimate(u64),
    /// Counting stopped here (a large table the server has no estimate for yet).
    AtLeast(u64),
}

impl fmt::Display for RowCount {
    /// `1 row`, `1,204 rows`, `about 2,300,000 rows (the server's estimate)`, `at least
    /// 1,000,000 rows`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (RowCount::Exact(n) | RowCount::Estimate(n) | RowCount::AtLeast(n)) = *self;
        let digits = n.to_string();
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        let noun = if n == 1 { "row" } else { "rows" };
        match self {
            RowCount::Exact(_) => write!(f, "{grouped} {noun}"),
            RowCount::Estimate(_) => write!(f, "about {grouped} {noun} (the server's estimate)"),
            RowCount::AtLeast(_) => write!(f, "at least {grouped} {noun}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RowCount;

    #[test]
    fn counts_read_as_people_write_them() {
        assert_eq!(RowCount::Exact(0).to_string(), "0 rows");
        assert_eq!(RowCount::Exact(1).to_string(), "1 row");
        assert_eq!(RowCount::Exact(1204).to_string(), "1,204 rows");
        assert_eq!(RowCount::Exact(999).to_string(), "999 rows");
        assert_eq!(
            RowCount::Estimate(2_300_000).to_string(),
            "about 2,300,000 rows (the server's estimate)"
        );
        assert_eq!(
            RowCount::AtLeast(1_000_000).to_string(),
            "at least 1,000,000 rows"
        );
    }
}
