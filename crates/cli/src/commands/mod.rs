//! One file per group of commands.

pub(crate) mod adopt;
pub(crate) mod check;
pub(crate) mod dev;
pub(crate) mod init;
pub(crate) mod inspect;
pub(crate) mod lint;
pub(crate) mod revision;
pub(crate) mod run;
pub(crate) mod scratch;
pub(crate) mod seeded;
pub(crate) mod sql_lint;
