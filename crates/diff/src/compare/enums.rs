//! Enum types (PostgreSQL): created, dropped, values added in place, or recreated.

use crate::op::{EnumColumn, EnumPosition, Op, insert_enum_value};
use crate::phase::{Phase, PhasedOps};
use autogen_schema::{ColumnType, EnumType, Schema};

pub(crate) fn compare_enums(cur: &Schema, desired: &Schema, ops: &mut PhasedOps) {
    for (name, want) in &desired.enums {
        match cur.enums.get(name) {
            None => ops.push((Phase::CreateEnums, Op::CreateEnum(want.clone()))),
            Some(have) if have.values == want.values => {}
            Some(have) if is_subsequence(&have.values, &want.values) => {
                add_values(cur, name, &have.values, &want.values, ops)
            }
            Some(have) => ops.push((
                Phase::RecreateEnums,
                Op::RecreateEnum {
                    name: name.clone(),
                    from: have.values.clone(),
                    to: want.values.clone(),
                    columns: enum_columns(desired, name),
                },
            )),
        }
    }
    // A type no table autogen manages uses is left alone (a hand-made type, or one a view or
    // function uses); one the database's tables use goes with them.
    for (name, have) in &cur.enums {
        if !desired.enums.contains_key(name) && !cur.enum_users(name).is_empty() {
            ops.push((
                Phase::DropEnums,
                Op::DropEnum(EnumType {
                    name: name.clone(),
                    values: have.values.clone(),
                }),
            ));
        }
    }
}

/// Only additions: `ADD VALUE` each at its declared position.
fn add_values(cur: &Schema, name: &str, have: &[String], want: &[String], ops: &mut PhasedOps) {
    let mut values = have.to_vec();
    for (i, v) in want.iter().enumerate() {
        if values.contains(v) {
            continue;
        }
        let position = match want[i + 1..].iter().find(|n| values.contains(n)) {
            Some(next) => EnumPosition::Before(next.clone()),
            None => match want[..i].iter().rev().find(|p| values.contains(p)) {
                Some(prev) => EnumPosition::After(prev.clone()),
                None => EnumPosition::Last,
            },
        };
        ops.push((
            Phase::CreateEnums,
            Op::AddEnumValue {
                name: name.to_string(),
                value: v.clone(),
                position: position.clone(),
                before: values.clone(),
                columns: enum_columns(cur, name),
            },
        ));
        insert_enum_value(&mut values, v, &position);
    }
}

fn enum_columns(schema: &Schema, name: &str) -> Vec<EnumColumn> {
    schema
        .enum_users(name)
        .into_iter()
        .map(|(t, c)| EnumColumn {
            table: t.name.clone(),
            column: c.name.clone(),
            default: c.default.clone(),
            array: matches!(c.ty, ColumnType::Array(_)),
        })
        .collect()
}

fn is_subsequence(sub: &[String], full: &[String]) -> bool {
    let mut it = full.iter();
    sub.iter().all(|s| it.any(|f| f == s))
}
