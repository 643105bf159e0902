use autogen_schema::{Dialect, Profile};
use sqlx::{MySqlPool, PgPool, SqlitePool};

/// A connection pool of the dialect's kind. The layers above match it once, in their dialect
/// registry, and hand each dialect's file its own pool.
#[derive(Debug, Clone)]
pub enum Pool {
    Postgres(PgPool),
    Sqlite(SqlitePool),
    /// MySQL and MariaDB.
    MySql(MySqlPool),
}

impl From<PgPool> for Pool {
    fn from(pool: PgPool) -> Pool {
        Pool::Postgres(pool)
    }
}

impl From<MySqlPool> for Pool {
    fn from(pool: MySqlPool) -> Pool {
        Pool::MySql(pool)
    }
}

impl From<SqlitePool> for Pool {
    fn from(pool: SqlitePool) -> Pool {
        Pool::Sqlite(pool)
    }
}

/// A connected database: its pool and the server's profile.
#[derive(Debug, Clone)]
pub struct Db {
    pub(crate) pool: Pool,
    pub(crate) profile: Profile,
}

impl Db {
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// Dialect, flavour and version of the server, read when connecting.
    pub fn profile(&self) -> Profile {
        self.profile
    }

    pub fn dialect(&self) -> Dialect {
        self.profile.dialect
    }

    /// Runs a script of one or more statements (no parameters).
    pub async fn execute_script(&self, sql: &str) -> Result<(), sqlx::Error> {
        let sql = sqlx::AssertSqlSafe(sql.to_string());
        match &self.pool {
            Pool::Postgres(pool) => sqlx::raw_sql(sql).execute(pool).await.map(drop),
            Pool::Sqlite(pool) => sqlx::raw_sql(sql).execute(pool).await.map(drop),
            Pool::MySql(pool) => sqlx::raw_sql(sql).execute(pool).await.map(drop),
        }
    }

    /// Runs one query whose every column is text (or NULL), and returns its rows. What a seeded
    /// `check` reads values with, each selected as the dialect's text of it.
    pub async fn text_rows(&self, sql: &str) -> Result<Vec<Vec<Option<String>>>, sqlx::Error> {
        use sqlx::Row;
        let sql = sqlx::AssertSqlSafe(sql.to_string());
        fn texts<R: Row>(rows: Vec<R>) -> Result<Vec<Vec<Option<String>>>, sqlx::Error>
        where
            usize: sqlx::ColumnIndex<R>,
            for<'r> Option<String>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
        {
            rows.iter()
                .map(|row| (0..row.len()).map(|i| row.try_get(i)).collect())
                .collect()
        }
        match &self.pool {
            Pool::Postgres(pool) => texts(sqlx::raw_sql(sql).fetch_all(pool).await?),
            Pool::Sqlite(pool) => texts(sqlx::raw_sql(sql).fetch_all(pool).await?),
            Pool::MySql(pool) => texts(sqlx::raw_sql(sql).fetch_all(pool).await?),
        }
    }

    pub async fn close(&self) {
        match &self.pool {
            Pool::Postgres(pool) => pool.close().await,
            Pool::Sqlite(pool) => pool.close().await,
            Pool::MySql(pool) => pool.close().await,
        }
    }
}

/// sqlx's version table (SQL revisions).
pub const SQLX_TABLE: &str = "_sqlx_migrations";
/// sea-orm-migration's version table (Rust revisions).
pub const SEAQL_TABLE: &str = "seaql_migrations";
/// Checksums of applied Rust revisions (`seaql_migrations` has no column for them).
pub const CHECKSUM_TABLE: &str = "autogen_checksums";
/// autogen's record of each SQL revision it applied: whether it only adds, and its down
/// statements (what an older build needs to start on, or revert, a newer database).
pub const REVISIONS_TABLE: &str = "autogen_revisions";

/// Tables that belong to migration runners (sqlx, sea-orm-migration, autogen's checksums), never
/// to the user's schema: introspection leaves them out, the runner owns them.
pub const VERSION_TABLES: &[&str] = &[SQLX_TABLE, SEAQL_TABLE, CHECKSUM_TABLE, REVISIONS_TABLE];
