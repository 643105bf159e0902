//! Plan -> [`Body`]: each operation's statements from the dialect's renderer.

use crate::body::{Body, NoTransaction, Step};
use crate::dialect::renderer;
use crate::error::RenderError;
use autogen_diff::Plan;

/// The body of the migration that applies `plan` (render `plan.reverse()` for the down one).
pub fn render_body(plan: &Plan) -> Result<Body, RenderError> {
    let r = renderer(plan.dialect());
    let wrapper = r.wrapper(plan);
    let mut steps = Vec::new();
    if let Some(w) = &wrapper {
        steps.push(w.before.clone());
    }
    for op in &plan.without_redundant_drops().ops {
        steps.push(Step {
            describe: op.describe(),
            statements: r.op_statements(op, plan.profile)?,
            op: true,
        });
    }
    let single_script = wrapper.is_some();
    if let Some(w) = wrapper {
        steps.push(w.after);
    }
    let mut body = Body {
        steps,
        hazards: plan.hazards(),
        no_transaction: None,
        single_script,
    };
    body.no_transaction = match r.outside_transaction(plan) {
        Some(why) => Some(NoTransaction::Server(why)),
        None => body
            .statements()
            .any(|s| r.refuses_transaction(s))
            .then_some(NoTransaction::Statement),
    };
    Ok(body)
}

/// Whether `statement` cannot run inside a transaction block on `dialect`.
pub fn refuses_transaction(dialect: autogen_schema::Dialect, statement: &str) -> bool {
    renderer(dialect).refuses_transaction(statement)
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
