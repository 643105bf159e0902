//! The command line: clap's definitions, with `--help` for every command and argument.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "autogen",
    version,
    about = "Migration autogenerator for SeaORM: entities -> reviewed, reversible migrations"
)]
pub(crate) struct Cli {
    /// Autogenerate a migration with this message (same as `revision --autogenerate -m MSG`).
    #[arg(short = 'm', long = "message")]
    pub(crate) message: Option<String>,

    /// Path to autogen.toml (default: autogen.toml in the working directory, where it may be
    /// absent; a file named here or in AUTOGEN_CONFIG must exist).
    #[arg(short = 'c', long, global = true, env = "AUTOGEN_CONFIG")]
    pub(crate) config: Option<PathBuf>,

    /// Database URL (overrides autogen.toml; `DATABASE_URL` is used when neither sets one).
    #[arg(long, global = true)]
    pub(crate) database_url: Option<String>,

    /// Directory of SeaORM entity files (overrides autogen.toml).
    #[arg(long, global = true)]
    pub(crate) models: Option<PathBuf>,

    /// Migrations directory (overrides autogen.toml).
    #[arg(long, global = true)]
    pub(crate) migrations: Option<PathBuf>,

    /// `KEY=VALUE` for hand-written Rust migrations, which read it from the environment variable
    /// `AUTOGEN_X_KEY` (Alembic's `-x`). Repeatable.
    #[arg(short = 'x', global = true, value_name = "KEY=VALUE")]
    pub(crate) x: Vec<String>,

    /// Seconds to wait for another migration run's lock before giving up (default 60, or
    /// `lock_timeout` in autogen.toml).
    #[arg(long, global = true, value_name = "SECONDS")]
    pub(crate) lock_timeout: Option<f64>,

    /// `online` (default): changes to tables that hold rows in lock-friendly forms, split into
    /// revisions where a form cannot run in a transaction; `simple`: plain forms, one revision.
    #[arg(long, global = true, value_name = "online|simple")]
    pub(crate) safety: Option<String>,

    /// Rule ids or names (`AG102`, `drop-column`; comma-separated or repeated) whose findings
    /// fail `-m`, `check` and `lint` unless the revision allows them (adds to `deny` in autogen.toml).
    #[arg(long, global = true, value_name = "RULE")]
    pub(crate) deny: Vec<String>,

    /// With -m: allow a denied finding in the revision written, with a reason the header keeps
    /// (`AG102=column unused since v3`). Repeatable.
    #[arg(long, global = true, value_name = "RULE=REASON")]
    pub(crate) allow: Vec<String>,

    /// With -m, `revision` or `merge`: the new revision's id instead of the clock's, as
    /// `YYYYMMDDHHMMSS` (sqlx and sea-orm-migration order revisions by it): after its parents'
    /// and not taken (Alembic's `--rev-id`).
    #[arg(long, global = true, value_name = "ID")]
    pub(crate) rev_id: Option<String>,

    /// With -m: plan against a scratch database made on this server and brought to head
    /// (dropped afterwards), instead of the configured database, which need not be at head: the
    /// next revision can be written before the last one is applied.
    #[arg(long, value_name = "URL")]
    pub(crate) dev_url: Option<String>,

    #[command(subcommand)]
    pub(crate) command: Option<Command>,
}

/// How `diff`, `check` and `lint` print what they found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum OutputFormat {
    /// For people at a terminal.
    Text,
    /// For tools: the shape `schema/review.schema.json` publishes.
    Json,
    /// For a pull-request comment.
    Markdown,
    /// GitHub Actions workflow annotations (`::warning file=…,line=…::`).
    Github,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// Create autogen.toml and the migrations directory (a sea-orm-migration crate for --format rust).
    Init {
        /// `sql` (sqlx's reversible layout) or `rust` (sea-orm-migration); by default the
        /// configuration's, else `sql`.
        #[arg(long)]
        format: Option<String>,
        /// Adopt the existing database: write its entities, and a baseline revision that
        /// creates what they declare, recorded as applied here.
        #[arg(long)]
        from_database: bool,
        /// With --from-database: write entities in SeaORM's dense format.
        #[arg(long, requires = "from_database")]
        dense: bool,
        /// With --from-database: overwrite entity files that exist.
        #[arg(long, requires = "from_database")]
        force: bool,
    },
    /// Write SeaORM entity files from the database's tables, losslessly for everything autogen
    /// compares (into the models directory unless --out says elsewhere).
    Entities {
        /// Directory to write into (default: `models` from autogen.toml).
        #[arg(long)]
        out: Option<PathBuf>,
        /// SeaORM's dense format (`#[sea_orm::model]`, relations as fields) instead of compact.
        #[arg(long)]
        dense: bool,
        /// Overwrite entity files that exist.
        #[arg(long)]
        force: bool,
    },
    /// Create a new revision: autogenerated from the entities, or empty to fill by hand.
    Revision {
        /// The revision's message; its slug names the file.
        #[arg(short = 'm', long = "message")]
        message: String,
        /// Compare entities with the database and write the difference.
        #[arg(long)]
        autogenerate: bool,
        /// With --autogenerate: compare with a scratch database made on this server and brought
        /// to head (dropped afterwards) instead of the configured database.
        #[arg(long, value_name = "URL", requires = "autogenerate")]
        dev_url: Option<String>,
    },
    /// Apply migrations up to TARGET: `head`, `heads`, `+N`, a revision id or unique prefix, `REV+N`.
    ///
    /// Each revision runs in its own transaction (PostgreSQL, SQLite) unless its file starts with
    /// `-- no-transaction`; concurrent runs wait for one another's lock.
    Upgrade {
        /// `head`, `heads`, `+N`, a revision id or unique prefix, `REV+N`; with --sql, `[START:]END`.
        #[arg(default_value = "head")]
        target: String,
        /// Print the SQL instead of running it (offline; the database is not touched).
        /// TARGET may be `START:END`; START defaults to base.
        #[arg(long)]
        sql: bool,
    },
    /// Roll back migrations to TARGET: `-N`, `base`, a revision id to stay at, `REV-N`.
    Downgrade {
        /// `-N`, `base`, a revision id or unique prefix to stay at, `REV-N`; with --sql, `START:END`.
        #[arg(allow_negative_numbers = true)]
        target: String,
        /// Print the SQL instead of running it; TARGET must be `START:END` (e.g. `head:base`).
        #[arg(long)]
        sql: bool,
        /// First revert the revisions the database records but this checkout has no file for
        /// (a newer release's), newest first, with the down statements autogen recorded when it
        /// applied them (`autogen_revisions`). `downgrade head --recorded-down` reverts only those.
        #[arg(long, conflicts_with = "sql")]
        recorded_down: bool,
    },
    /// Show the revision(s) the database is at.
    Current {
        /// Show each revision's parents, file and message in full.
        #[arg(short, long)]
        verbose: bool,
    },
    /// List revisions, oldest first, marking the applied ones.
    History {
        /// Only revisions in `START:END` (each a revision, `base`, `head` or `current`; either may be empty).
        #[arg(short = 'r', long = "rev-range", value_name = "START:END")]
        rev_range: Option<String>,
        /// Show each revision's parents, file and message in full.
        #[arg(short, long)]
        verbose: bool,
        /// Mark the revision(s) the database is at with `(current)`.
        #[arg(short = 'i', long)]
        indicate_current: bool,
    },
    /// List the heads: revisions nothing builds on yet (more than one means the history forked).
    Heads {
        /// Show each head's parents, file and message in full.
        #[arg(short, long)]
        verbose: bool,
    },
    /// List branch points: revisions that more than one revision builds on.
    Branches {
        /// Show each branch point's parents, file and message in full.
        #[arg(short, long)]
        verbose: bool,
    },
    /// Show one revision: its parents, children, file, hazards and statements.
    Show {
        /// A revision id, unique prefix, or `head`.
        revision: String,
    },
    /// Record that the database is at REVISION without running anything (to adopt a database
    /// made outside autogen, or repair the version table). `base` forgets every revision.
    Stamp {
        /// A revision id or unique prefix, `head`, `heads`, or `base`.
        revision: String,
    },
    /// Write a revision that joins two or more heads (after two developers' migrations forked
    /// the history). Without revisions, joins every head.
    Merge {
        /// The merge revision's message.
        #[arg(short = 'm', long = "message")]
        message: String,
        /// Heads to join (ids or unique prefixes); default: all heads.
        revisions: Vec<String>,
    },
    /// Exit 1 when the database is not at head or the entities differ from it.
    ///
    /// With --dev-url, needs no database at head: on a scratch database it creates there, applies
    /// every revision from base, checks each revision's down and up round trip, and compares with
    /// the entities. Exit 0 in sync, 1 entities differ from migrations, 2 error, 3 a revision does
    /// not round-trip, 4 the history forked, 5 a denied finding, 6 a revision changed seeded
    /// values (--seed).
    Check {
        /// A server to make a scratch database on (dropped afterwards), e.g.
        /// `postgres://postgres@localhost/postgres`, `mysql://root@localhost/test`, `sqlite::memory:`.
        #[arg(long, value_name = "URL")]
        dev_url: Option<String>,
        /// With --dev-url: before each revision, insert N generated rows into every table, and
        /// hold each revision's up and down (then `downgrade base`, `upgrade head`) to keeping
        /// their values.
        #[arg(long, value_name = "N")]
        seed: Option<usize>,
        /// Replays a seeded run: the random seed an earlier run printed (`random seed: S`).
        #[arg(long, value_name = "S")]
        random_seed: Option<u64>,
        /// `text`, `json`, `markdown` or `github`.
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
    },
    /// Print the plan that autogenerate would write, without writing it. Exit 1 when the
    /// database is not at head (the pending revisions are named; their work is not planned again).
    Diff {
        /// Compare with a scratch database made on this server and brought to head (dropped
        /// afterwards) instead of the configured database.
        #[arg(long, value_name = "URL")]
        dev_url: Option<String>,
        /// Print JSON instead of text (same as --format json).
        #[arg(long)]
        json: bool,
        /// `text`, `json`, `markdown` or `github`.
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
    },
    /// Lint revisions (autogenerated or hand-written SQL) and the plan `-m` would write; print
    /// each finding with its rule id. Exit 5 when a denied finding is not allowed.
    Lint {
        /// Revision ids or unique prefixes (default: every revision, and the plan `-m` would write).
        revisions: Vec<String>,
        /// `text`, `json`, `markdown` or `github`.
        #[arg(long, value_enum, default_value = "text")]
        format: OutputFormat,
    },
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    /// `autogen <command> --help` is complete: every command and every argument says what it is.
    #[test]
    fn every_command_and_argument_has_help() {
        let cli = Cli::command();
        for command in cli.get_subcommands() {
            assert!(
                command.get_about().is_some(),
                "{} has no help",
                command.get_name()
            );
            for arg in command.get_arguments() {
                let id = arg.get_id().as_str();
                if id == "help" || id == "version" {
                    continue;
                }
                assert!(
                    arg.get_help().is_some(),
                    "`autogen {} --help` does not describe {id}",
                    command.get_name()
                );
            }
        }
    }
}
