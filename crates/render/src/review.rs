//! Review output: the plan for people (text) and for tools (JSON).

use autogen_diff::{Op, Plan};
use autogen_schema::lexical::{SCHEMA_SEPARATOR, comment_text, display_name};
use std::fmt::Write as _;

/// Human review of a plan: what it does, its hazards, and what its down migration does.
/// Names are escaped as in comment lines, so that no name can forge a line of the review.
pub fn review_text(plan: &Plan) -> String {
    let mut out = String::new();
    if plan.is_empty() {
        out.push_str("No changes detected.\n");
        left_alone(&mut out, plan);
        return out;
    }
    let _ = writeln!(
        out,
        "Plan for {} ({} operations):",
        plan.dialect(),
        plan.ops.len()
    );
    for op in &plan.ops {
        let _ = writeln!(out, "  {} {}", sign(op), comment_text(&op.describe()));
    }
    let hazards = plan.hazards();
    if !hazards.is_empty() {
        let _ = writeln!(out, "Hazards:");
        for h in hazards {
            let _ = writeln!(out, "  ! [{}] {}", h.kind, comment_text(&h.message));
        }
    }
    let down = plan.reverse();
    let _ = writeln!(out, "Down migration:");
    for op in &down.ops {
        let _ = writeln!(out, "  {} {}", sign(op), comment_text(&op.describe()));
    }
    // Rolling back has its own hazards: a dropped NOT NULL column cannot come back once the
    // table has rows; an added table or column goes with its data.
    let down_hazards = down.hazards();
    if !down_hazards.is_empty() {
        let _ = writeln!(out, "Down migration hazards:");
        for h in down_hazards {
            let _ = writeln!(out, "  ! [{}] {}", h.kind, comment_text(&h.message));
        }
    }
    left_alone(&mut out, plan);
    out
}

/// `Left alone: 7 views, 5 partitions` — what the database holds that autogen does not manage.
fn left_alone(out: &mut String, plan: &Plan) {
    if !plan.left_alone.is_empty() {
        let _ = writeln!(
            out,
            "Left alone: {}",
            comment_text(&plan.left_alone.to_string())
        );
    }
}

/// The plan as JSON, for tools. A table of another PostgreSQL schema reads `billing.invoice`, as
/// in the text review.
pub fn review_json(plan: &Plan) -> String {
    let mut value = serde_json::json!({
        "dialect": plan.dialect(),
        "operations": plan.ops,
        "hazards": plan.hazards(),
        "left_alone": plan.left_alone,
    });
    readable_names(&mut value);
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

/// Table keys as people read them, everywhere in `value` (no other text holds a NUL: the
/// model refuses one in any name, comment or value).
fn readable_names(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::String(s) if s.contains(SCHEMA_SEPARATOR) => *s = display_name(s),
        Value::Array(items) => items.iter_mut().for_each(readable_names),
        Value::Object(map) => map.values_mut().for_each(readable_names),
        _ => {}
    }
}

fn sign(op: &Op) -> char {
    match op {
        Op::CreateEnum(_)
        | Op::CreateDomain(_)
        | Op::CreateSequence { .. }
        | Op::CreateExtension { .. }
        | Op::CreateTable(_)
        | Op::AddColumn { .. }
        | Op::CreateIndex { .. }
        | Op::AddUnique { .. }
        | Op::AddForeignKey { .. }
        | Op::AddEnumValue { .. } => '+',
        Op::DropEnum(_)
        | Op::DropDomain(_)
        | Op::DropSequence { .. }
        | Op::DropExtension { .. }
        | Op::DropTable(_)
        | Op::DropColumn { .. }
        | Op::DropIndex { .. }
        | Op::DropUnique { .. }
        | Op::DropForeignKey { .. } => '-',
        Op::RecreateEnum { .. }
        | Op::RenameTable { .. }
        | Op::RenameColumn { .. }
        | Op::AlterColumn { .. }
        | Op::SetTableComment { .. }
        | Op::AlterPrimaryKey { .. }
        | Op::RebuildTable { .. } => '~',
    }
}
