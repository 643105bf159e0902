//! Plan -> [`Body`]: each operation's statements from the dialect's renderer, in plain or
//! online form, with the timeouts the policy asks for.

use crate::body::{Body, NoTransaction, Step};
use crate::dialect::renderer;
use crate::error::RenderError;
use crate::online::{Stage, stages};
use crate::policy::{Policy, StageKind};
use crate::renderer::DialectRenderer;
use autogen_diff::{Effect, Hazard, ObjectKind, Op, Plan, Rule};

/// The body of the migration that applies `plan` in plain forms (render `plan.reverse()` for
/// the down one).
pub fn render_body(plan: &Plan) -> Result<Body, RenderError> {
    render_with(plan, &Policy::simple(), StageKind::Main)
}

/// A plan as the revisions `policy` writes: for each stage, its up and down bodies.
pub fn render_stages(plan: &Plan, policy: &Policy) -> Result<Vec<(Body, Body)>, RenderError> {
    plan_stages(plan, policy)
        .iter()
        .map(|s| render_stage(s, policy))
        .collect()
}

/// The stages `policy` splits `plan` into (one, unless online forms need a revision outside a
/// transaction).
pub fn plan_stages(plan: &Plan, policy: &Policy) -> Vec<Stage> {
    stages(plan, policy, renderer(plan.dialect()))
}

/// One stage's up and down bodies.
pub fn render_stage(stage: &Stage, policy: &Policy) -> Result<(Body, Body), RenderError> {
    Ok((
        render_with(&stage.plan, policy, stage.kind)?,
        render_with(&stage.plan.reverse(), policy, stage.kind)?,
    ))
}

fn render_with(plan: &Plan, policy: &Policy, stage: StageKind) -> Result<Body, RenderError> {
    let online = stage == StageKind::Online;
    let r = renderer(plan.dialect());
    let wrapper = r.wrapper(plan);
    let mut steps = Vec::new();
    if let Some(w) = &wrapper {
        steps.push(w.before.clone());
    }
    let mut hazards = Vec::new();
    let created = plan.created_tables();
    for (op, mut op_hazards) in plan.op_hazards() {
        let op = &op;
        let existing = op.table().is_some_and(|t| !created.contains(t));
        // Online forms written in place (MySQL's ALGORITHM/LOCK clauses), on existing tables.
        let in_place = stage == StageKind::Main
            && policy.online()
            && r.online_in_place()
            && existing
            && r.has_online_form(op, plan.profile);
        let statements = match stage {
            StageKind::Main if !in_place => r.op_statements(op, plan.profile)?,
            _ => r.online_statements(op, plan, stage)?,
        };
        if existing && r.copies_table(op, plan.profile) {
            op_hazards.push(Hazard::new(
                Rule::TableCopy,
                format!(
                    "{}: the server copies the table to do it, blocking writes to it meanwhile",
                    op.describe()
                ),
            ));
        }
        // A NOT NULL's findings belong to the stage that validates it.
        let prepares = online && matches!(op, Op::AlterColumn { .. });
        for mut h in op_hazards {
            let solved = (stage != StageKind::Main || in_place) && h.rule.solved_online();
            if solved || prepares {
                continue;
            }
            h.statement = statements.first().cloned();
            hazards.push(h);
        }
        steps.push(Step {
            describe: op.describe(),
            statements,
            op: true,
        });
    }
    let single_script = wrapper.is_some();
    if let Some(w) = wrapper {
        steps.push(w.after);
    }
    let mut body = Body {
        steps,
        hazards,
        no_transaction: None,
        single_script,
        ownership: plan.ownership(),
    };
    body.no_transaction = if online {
        Some(NoTransaction::Online)
    } else {
        match r.outside_transaction(plan) {
            Some(why) => Some(NoTransaction::Server(why)),
            None => body
                .statements()
                .any(|s| plan.dialect().sql().refuses_transaction(s))
                .then_some(NoTransaction::Statement),
        }
    };
    if !plan.is_empty() {
        with_timeouts(&mut body, r, policy, touches_existing(plan));
    }
    Ok(body)
}

/// Bounds the body's lock waits and statement time where the dialect can and the policy asks
/// (every revision: even a new table's index waits on locks); where it could but the policy
/// does not, and the body changes what exists, says so.
fn with_timeouts(body: &mut Body, r: &dyn DialectRenderer, policy: &Policy, existing: bool) {
    let in_transaction = body.no_transaction.is_none();
    let Some((before, after)) = r.timeouts(policy, in_transaction) else {
        return;
    };
    if !policy.online() {
        if !existing {
            return;
        }
        body.hazards.push(Hazard::new(
            Rule::MissingLockTimeout,
            "DDL on tables that hold rows runs without lock_timeout or statement_timeout: \
             while it waits for its lock, every query on the table queues behind it",
        ));
        return;
    }
    body.steps.insert(
        0,
        Step::wrapper("bound lock waits and statement time", before),
    );
    if !after.is_empty() {
        body.steps
            .push(Step::wrapper("back to the session's timeouts", after));
    }
}

/// Whether the plan changes something that exists before it runs (rather than only creating
/// tables and what is built on them). Creating a type, domain, sequence or extension counts:
/// it waits on catalog locks as an `ALTER` does.
fn touches_existing(plan: &Plan) -> bool {
    let created = plan.created_tables();
    plan.without_redundant_drops().ops.iter().any(|op| {
        let (object, effect) = op.kind();
        match (object, effect) {
            (ObjectKind::Table, Effect::Create) => false,
            (object, Effect::Create) if object.on_table() => {
                op.table().is_none_or(|t| !created.contains(t))
            }
            _ => true,
        }
    })
}

/// Whether `statement` cannot run inside a transaction block on `dialect`.
pub fn refuses_transaction(dialect: autogen_schema::Dialect, statement: &str) -> bool {
    dialect.sql().refuses_transaction(statement)
}

/// The body's statements as SQL text: each step under its comment line, each statement ended
/// by `;`.
pub fn sql_text(body: &Body, dialect: autogen_schema::Dialect) -> String {
    let sql = dialect.sql();
    let mut out = String::new();
    for step in &body.steps {
        out.push('\n');
        out.push_str(&sql.comment_line(&step.describe));
        out.push('\n');
        for stmt in &step.statements {
            out.push_str(stmt);
            out.push_str(";\n");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use autogen_diff::{EnumPosition, Op};
    use autogen_schema::{Dialect, Profile};

    fn adds_value(server: &str) -> Plan {
        let mut plan = Plan::empty(Profile::from_server(Dialect::Postgres, server));
        plan.ops.push(Op::AddEnumValue {
            name: "fee_status".into(),
            value: "waived".into(),
            position: EnumPosition::Last,
            before: vec!["pending".into()],
            columns: vec![],
        });
        plan
    }

    #[test]
    fn add_value_runs_outside_a_transaction_before_postgres_12() {
        let up = render_body(&adds_value("11.22")).unwrap();
        let Some(NoTransaction::Server(why)) = &up.no_transaction else {
            panic!("{up:?}");
        };
        assert!(
            why.contains("PostgreSQL 11 refuses ALTER TYPE … ADD VALUE"),
            "{why}"
        );
        let down = render_body(&adds_value("11.22").reverse()).unwrap();
        assert_eq!(down.no_transaction, None, "the down recreates the type");
        // 12 and later keep the transaction; offline, the oldest supported server is assumed.
        assert_eq!(
            render_body(&adds_value("15.4")).unwrap().no_transaction,
            None
        );
        let mut offline = adds_value("15.4");
        offline.profile = Profile::oldest(Dialect::Postgres);
        assert!(render_body(&offline).unwrap().no_transaction.is_some());
    }

    #[test]
    fn comment_lines_carry_no_line_break() {
        let mut plan = Plan::empty(Dialect::Sqlite);
        plan.ops.push(Op::CreateTable(autogen_schema::Table::new(
            "t\nDROP TABLE victim;",
        )));
        let text = sql_text(&render_body(&plan).unwrap(), Dialect::Sqlite);
        assert!(
            text.starts_with("\n-- create table t\\nDROP TABLE victim;\n"),
            "{text}"
        );
        // The identifier itself is quoted, newline and all: one statement, nothing injected.
        assert!(
            text.contains("CREATE TABLE \"t\nDROP TABLE victim;\""),
            "{text}"
        );
    }
}
