//! Entities as read from source, before names, types and relations are resolved across files;
//! and the reading context that turns a span into `file:line:col`.

use crate::attrs::Attrs;
pub(crate) use crate::declaration::Declared;
use crate::error::{Location, ModelError};
use autogen_schema::{ColumnType, DefaultValue, FkAction};
use proc_macro2::Span;
use std::path::Path;
use std::sync::Arc;

pub(crate) const FIELD_KEYS: &[&str] = &[
    "primary_key",
    "auto_increment",
    "column_type",
    "column_name",
    "nullable",
    "unique",
    "unique_key",
    "indexed",
    "default_value",
    "default_expr",
    "enum_name",
    "comment",
    "renamed_from",
    "extra",
    "ignore",
    "select_as",
    "save_as",
    // dense-format relation fields
    "belongs_to",
    "has_one",
    "has_many",
    "from",
    "to",
    "on_delete",
    "on_update",
    "fk_name",
    "skip_fk",
    "relation_enum",
    "relation_reverse",
    "via",
    "via_rel",
    "self_ref",
    "on_condition",
    "condition_type",
];

pub(crate) const STRUCT_KEYS: &[&str] = &[
    "table_name",
    "schema_name",
    "comment",
    "renamed_from",
    "table_iden",
    "model_attrs",
    "active_model_attrs",
    "column_name_case",
];

pub(crate) const RELATION_KEYS: &[&str] = &[
    "belongs_to",
    "has_one",
    "has_many",
    "from",
    "to",
    "on_delete",
    "on_update",
    "fk_name",
    "skip_fk",
    "on_condition",
    "condition_type",
    "condition",
];

/// The file being read: where spans point.
pub(crate) struct Ctx {
    pub(crate) path: Arc<Path>,
}

impl Ctx {
    pub(crate) fn new(path: &Path) -> Ctx {
        Ctx {
            path: Arc::from(path),
        }
    }

    pub(crate) fn location(&self, span: Span) -> Location {
        let start = span.start();
        Location {
            file: self.path.clone(),
            line: start.line,
            column: start.column + 1,
        }
    }

    pub(crate) fn err(&self, span: Span, message: impl Into<String>) -> ModelError {
        ModelError::At {
            location: self.location(span),
            message: message.into(),
        }
    }

    pub(crate) fn syn_err(&self, e: syn::Error) -> ModelError {
        self.err(e.span(), e.to_string())
    }

    pub(crate) fn check_keys(
        &self,
        attrs: &Attrs,
        allowed: &[&str],
        what: &str,
    ) -> Result<(), ModelError> {
        for item in &attrs.items {
            if !allowed.contains(&item.key.as_str()) {
                return Err(self.err(
                    item.span,
                    format!(
                        "unknown #[sea_orm({})] on {what}{}",
                        item.key,
                        crate::declared::suggestion(&item.key, allowed)
                    ),
                ));
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone)]
pub(crate) enum TypeSpec {
    Known(ColumnType),
    /// A type that is not a built-in: an active enum, resolved after all files are read.
    Named(String),
}

#[derive(Debug, Clone)]
pub(crate) struct RawColumn {
    /// The Rust name of the `Column` variant (`CakeId`), for relation references.
    pub(crate) variant: String,
    /// The Rust field name, if the entity has a `Model` field for it.
    pub(crate) field: Option<String>,
    pub(crate) name: String,
    pub(crate) ty: TypeSpec,
    pub(crate) nullable: bool,
    pub(crate) primary_key: bool,
    pub(crate) auto_increment: Option<bool>,
    /// autogen's declarations on the field about its column (`auto_increment`,
    /// `owns_sequence`, `collate`, `generated`, …), applied to it by
    /// [`Declaration::apply_to_column`](crate::declaration::Declaration::apply_to_column).
    pub(crate) declared: Vec<crate::declaration::Declaration>,
    pub(crate) unique: bool,
    pub(crate) unique_key: Option<String>,
    pub(crate) indexed: bool,
    pub(crate) default: Option<DefaultValue>,
    /// The default's SQL as an `Expr::cust("…")` spells it.
    pub(crate) default_sql: Option<String>,
    /// `extra = "ON UPDATE CURRENT_TIMESTAMP"`, the one `extra` autogen understands.
    pub(crate) on_update: Option<DefaultValue>,
    pub(crate) comment: Option<String>,
    pub(crate) renamed_from: Option<String>,
    pub(crate) at: Location,
}

#[derive(Debug, Clone)]
pub(crate) struct RawRelation {
    pub(crate) target_module: String,
    pub(crate) from: Vec<String>,
    pub(crate) to: Vec<String>,
    pub(crate) on_delete: Option<FkAction>,
    pub(crate) on_update: Option<FkAction>,
    pub(crate) fk_name: Option<String>,
    /// From autogen's `foreign_key(deferrable = …)` declaration (PostgreSQL).
    pub(crate) deferrable: Option<autogen_schema::Deferrable>,
    pub(crate) at: Location,
}

/// A reference to another entity that carries no schema of its own (`has_many`, `has_one`),
/// checked to name an entity that exists, as `belongs_to` targets are.
#[derive(Debug, Clone)]
pub(crate) struct RawReference {
    pub(crate) target_module: String,
    pub(crate) at: Location,
}

#[derive(Debug, Default)]
pub(crate) struct RawEntity {
    pub(crate) module: String,
    pub(crate) table_name: Option<String>,
    pub(crate) comment: Option<String>,
    pub(crate) renamed_from: Option<String>,
    pub(crate) columns: Vec<RawColumn>,
    pub(crate) relations: Vec<RawRelation>,
    pub(crate) references: Vec<RawReference>,
    /// Expanded format: `PrimaryKey` variants and `auto_increment()`.
    pub(crate) pk_variants: Vec<String>,
    pub(crate) pk_auto_increment: Option<bool>,
    /// Where the entity is declared (its `Model` struct, or `table_name()`).
    pub(crate) at: Option<Location>,
    /// autogen's own declarations on the `Model` struct (key, indexes, UNIQUEs).
    pub(crate) declared: Vec<Declared>,
    /// Columns of `#[sea_orm(ignore)]` fields.
    pub(crate) ignored: Vec<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct RawEnum {
    pub(crate) ty: ColumnType,
    pub(crate) values: Vec<String>,
    pub(crate) at: Location,
}
