use autogen_schema::Dialect;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RenderError {
    #[error("{dialect} has no column type {ty}")]
    UnsupportedType { dialect: Dialect, ty: String },
    #[error("{dialect} cannot {what}")]
    Unsupported { dialect: Dialect, what: String },
}
