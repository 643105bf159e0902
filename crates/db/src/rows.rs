//! How many rows a table holds: counted, or the server's estimate where counting would read a
//! large table (what a finding says a drop loses).

use crate::Db;
use autogen_schema::RowCount;
use autogen_schema::lexical::quoted_key;

/// Tables the server estimates at this many rows or more are not counted, nor counted past it.
pub const COUNT_BELOW: u64 = 1_000_000;

impl Db {
    /// The rows of the table `key`: its count, or the server's estimate on a large table; a
    /// table the server has no estimate for yet is counted up to [`COUNT_BELOW`] rows, never
    /// read whole. `None` when the database cannot say (no such table, no right to read it).
    pub async fn row_count(&self, key: &str) -> Option<RowCount> {
        if let Some(query) = self.dialect().sql().estimated_rows(key) {
            let estimate = self
                .first_value(&query)
                .await
                .and_then(|v| v.parse::<i64>().ok());
            if let Some(rows) = estimate.and_then(|n| u64::try_from(n).ok())
                && rows >= COUNT_BELOW
            {
                return Some(RowCount::Estimate(rows));
            }
        }
        let sql = self.dialect().sql();
        let count = sql.value_text("COUNT(*)", &autogen_schema::ColumnType::BigInteger);
        let table = quoted_key(key, &|n| sql.quote_ident(n));
        let rows: u64 = self
            .first_value(&format!(
                "SELECT {count} FROM (SELECT 1 AS one FROM {table} LIMIT {COUNT_BELOW}) AS bounded"
            ))
            .await?
            .parse()
            .ok()?;
        Some(match rows {
            COUNT_BELOW => RowCount::AtLeast(rows),
            _ => RowCount::Exact(rows),
        })
    }

    /// `SELECT COUNT(*)` of the table `key`, of the rows `filter` (an SQL condition) keeps.
    pub async fn exact_rows(&self, key: &str, filter: Option<&str>) -> Option<u64> {
        let sql = self.dialect().sql();
        let count = sql.value_text("COUNT(*)", &autogen_schema::ColumnType::BigInteger);
        let table = quoted_key(key, &|n| sql.quote_ident(n));
        let filter = filter.map(|f| format!(" WHERE {f}")).unwrap_or_default();
        self.first_value(&format!("SELECT {count} FROM {table}{filter}"))
            .await?
            .parse()
            .ok()
    }

    async fn first_value(&self, query: &str) -> Option<String> {
        self.text_rows(query)
            .await
            .ok()?
            .into_iter()
            .next()?
            .into_iter()
            .next()?
    }
}
