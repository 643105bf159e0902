//! The files around the entities: each entity file's header, `mod.rs`, `prelude.rs`, the
//! active enums (`sea_orm_active_enums.rs`, as sea-orm-cli names it) and PostgreSQL domains
//! (`autogen_types.rs`).

use crate::entity::{Entity, Plan};
use crate::names::camel;
use crate::text::{declaration_attrs, doc_text, lit, module_doc};
use autogen_model::Declaration;
use autogen_schema::Schema;
use std::path::PathBuf;

/// One file to write, relative to the models directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityFile {
    pub path: PathBuf,
    pub contents: String,
}

/// An entity file's doc comment and imports.
pub(crate) fn header(e: &Entity, plan: &Plan) -> String {
    let mut doc = vec![format!(
        "`{}`, as `autogen entities` read it from the {} database.",
        doc_text(&autogen_schema::lexical::display_name(&e.table)),
        plan.dialect
    )];
    if let Some(c) = &e.comment {
        doc.push(String::new());
        doc.push(doc_text(c));
    }
    let mut out = module_doc(&doc);
    out.push_str("\nuse sea_orm::entity::prelude::*;\n");
    if !e.enum_imports.is_empty() {
        let list = e.enum_imports.join(", ");
        if e.enum_imports.len() == 1 {
            out.push_str(&format!("use super::sea_orm_active_enums::{list};\n"));
        } else {
            out.push_str(&format!("use super::sea_orm_active_enums::{{{list}}};\n"));
        }
    }
    out.push('\n');
    out
}

pub(crate) fn support_files(plan: &Plan, schema: &Schema) -> Vec<EntityFile> {
    let mut out = Vec::new();
    let mut modules: Vec<String> = vec!["prelude".into()];
    modules.extend(plan.entities.iter().map(|e| e.module.clone()));
    if !plan.enums.is_empty() {
        modules.push("sea_orm_active_enums".into());
        out.push(file("sea_orm_active_enums.rs", active_enums(plan)));
    }
    if !schema.domains.is_empty()
        || !schema.extensions.is_empty()
        || !standalone_sequences(schema).is_empty()
    {
        modules.push("autogen_types".into());
        out.push(file("autogen_types.rs", domains(schema)));
    }
    modules.sort();
    let mut mod_rs = module_doc(&[format!(
        "The entities of a {} database, as `autogen entities` read them.",
        plan.dialect
    )]);
    mod_rs.push('\n');
    for m in &modules {
        mod_rs.push_str(&format!("pub mod {m};\n"));
    }
    out.push(file("mod.rs", mod_rs));
    let mut prelude = module_doc(&["Every entity, by the name of its table.".into()]);
    prelude.push('\n');
    for e in &plan.entities {
        prelude.push_str(&format!(
            "pub use super::{}::Entity as {};\n",
            e.module,
            camel(&e.module)
        ));
    }
    out.push(file("prelude.rs", prelude));
    out
}

fn file(path: &str, contents: String) -> EntityFile {
    EntityFile {
        path: PathBuf::from(path),
        contents,
    }
}

fn active_enums(plan: &Plan) -> String {
    let mut out = module_doc(&["The database's enum types.".into()]);
    out.push_str("\nuse sea_orm::entity::prelude::*;\n");
    for e in &plan.enums {
        out.push_str(&format!(
            "\n#[derive(Debug, Clone, PartialEq, Eq, EnumIter, DeriveActiveEnum)]\n\
             #[sea_orm(rs_type = \"String\", db_type = \"Enum\", enum_name = {})]\n\
             pub enum {} {{\n",
            lit(&e.db_name),
            e.rust
        ));
        for (variant, value) in &e.variants {
            out.push_str(&format!(
                "    #[sea_orm(string_value = {})]\n    {variant},\n",
                lit(value)
            ));
        }
        out.push_str("}\n");
    }
    out
}

/// The sequences no column default names (the ones a default names come with its column),
/// and those made with options.
fn standalone_sequences(schema: &Schema) -> Vec<&String> {
    let used = schema.default_sequences();
    schema
        .sequences
        .iter()
        .filter(|s| !used.contains(*s) || schema.sequence_options.contains_key(*s))
        .collect()
}

/// The extensions the database has, each an unnamed constant carrying autogen's declaration,
/// and each domain as a type alias of the Rust type its values take, carrying its
/// declaration. Fields of a domain's type say `column_type = "custom(…)"`.
fn domains(schema: &Schema) -> String {
    let mut out = module_doc(&[
        "The database's extensions and domains: columns of a domain's type say".into(),
        "`column_type = \"custom(…)\"`. autogen reads each `autogen(extension(…))` and".into(),
        "`autogen(domain(…))` declaration; `cfg_attr(any(), …)` keeps them out of the compiled"
            .into(),
        "code.".into(),
    ]);
    for name in &schema.extensions {
        out.push_str(&format!("\n/// Extension `{}`.\n", doc_text(name)));
        out.push_str(&declaration_attrs(
            "",
            &[Declaration::Extension {
                name: name.clone(),
                schema: schema.extension_schemas.get(name).cloned(),
            }
            .print()],
        ));
        out.push_str("const _: () = ();\n");
    }
    for name in standalone_sequences(schema) {
        let shown = autogen_schema::lexical::display_name(name);
        out.push_str(&format!("\n/// Sequence `{}`.\n", doc_text(&shown)));
        out.push_str(&declaration_attrs(
            "",
            &[Declaration::Sequence(
                name.clone(),
                schema
                    .sequence_options
                    .get(name)
                    .cloned()
                    .unwrap_or_default(),
            )
            .print()],
        ));
        out.push_str("const _: () = ();\n");
    }
    for d in schema.domains.values() {
        out.push_str(&format!(
            "\n/// Domain `{}` over `{}`.\n",
            doc_text(&d.name),
            doc_text(&d.base)
        ));
        out.push_str(&declaration_attrs(
            "",
            &[Declaration::Domain(d.clone()).print()],
        ));
        out.push_str(&format!(
            "pub type {} = {};\n",
            camel(&d.name),
            crate::types::base_rust_type(&d.base)
        ));
    }
    out
}
