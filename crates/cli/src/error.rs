use crate::config;

#[derive(Debug, thiserror::Error)]
pub(crate) enum CliError {
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    #[error(transparent)]
    Model(#[from] autogen_model::ModelError),
    #[error(transparent)]
    Db(#[from] autogen_db::DbError),
    #[error(transparent)]
    Introspect(#[from] autogen_introspect::IntrospectError),
    #[error(transparent)]
    Diff(#[from] autogen_diff::DiffError),
    #[error(transparent)]
    Render(#[from] autogen_render::RenderError),
    #[error(transparent)]
    Migrate(#[from] autogen_migrate::MigrateError),
    #[error("{0}")]
    Usage(String),
    #[error("cannot write output: {0}")]
    Output(#[from] std::io::Error),
}
