//! How many rows a table holds, as findings about dropping it say.

use std::fmt;

/// How many rows a table holds, as a finding about dropping it (or a column of it) says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowCount {
    pub rows: u64,
    /// The server's estimate (a large table, not counted).
    pub estimated: bool,
}

impl fmt::Display for RowCount {
    /// `1 row`, `1,204 rows`, `about 2,300,000 rows (the server's estimate)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.rows.to_string();
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        let noun = if self.rows == 1 { "row" } else { "rows" };
        match self.estimated {
            false => write!(f, "{grouped} {noun}"),
            true => write!(f, "about {grouped} {noun} (the server's estimate)"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RowCount;

    #[test]
    fn counts_read_as_people_write_them() {
        let counted = |rows| RowCount {
            rows,
            estimated: false,
        };
        assert_eq!(counted(0).to_string(), "0 rows");
        assert_eq!(counted(1).to_string(), "1 row");
        assert_eq!(counted(1204).to_string(), "1,204 rows");
        assert_eq!(counted(999).to_string(), "999 rows");
        let estimate = RowCount {
            rows: 2_300_000,
            estimated: true,
        };
        assert_eq!(
            estimate.to_string(),
            "about 2,300,000 rows (the server's estimate)"
        );
    }
}
