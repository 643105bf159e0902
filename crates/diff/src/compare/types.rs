//! PostgreSQL domains and the sequences column defaults use: what the model's columns need is
//! created before its tables; what it no longer declares is left alone (a view or function may
//! use it, and a sequence holds its position).

use crate::error::DiffError;
use crate::op::Op;
use crate::phase::{Phase, PhasedOps};
use autogen_schema::{Dialect, LeftAlone, Schema};

pub(crate) fn compare_types(
    cur: &Schema,
    desired: &Schema,
    dialect: Dialect,
    ops: &mut PhasedOps,
    left_alone: &mut LeftAlone,
) -> Result<(), DiffError> {
    // Extensions first: domains and columns may be of their types.
    for name in desired.extensions.difference(&cur.extensions) {
        let schema = desired.extension_schemas.get(name).cloned();
        let name = name.clone();
        ops.push((Phase::CreateEnums, Op::CreateExtension { name, schema }));
    }
    left_alone.add(
        "extensions",
        cur.extensions.difference(&desired.extensions).count(),
    );
    for (name, want) in &desired.domains {
        match cur.domains.get(name) {
            None => ops.push((Phase::CreateEnums, Op::CreateDomain(want.clone()))),
            Some(have) if have == want => {}
            Some(have) => {
                return Err(DiffError::Unsupported {
                    dialect,
                    table: name.clone(),
                    what: format!("change domain {name} from {} to {}", have.base, want.base),
                    hint: "write this migration by hand (autogen revision -m ...)".into(),
                });
            }
        }
    }
    let unused_domains = cur
        .domains
        .keys()
        .filter(|d| !desired.domains.contains_key(*d))
        .count();
    left_alone.add("domains", unused_domains);
    let options_of = |s: &Schema, name: &str| s.sequence_options_in_effect(name);
    for name in desired.sequences.difference(&cur.sequences) {
        let options = options_of(desired, name);
        let name = name.clone();
        ops.push((Phase::CreateEnums, Op::CreateSequence { name, options }));
    }
    for name in desired.sequences.intersection(&cur.sequences) {
        let (have, want) = (options_of(cur, name), options_of(desired, name));
        if have != want {
            return Err(DiffError::Unsupported {
                dialect,
                table: name.clone(),
                what: format!(
                    "change sequence {name}'s options from `{}` to `{}`",
                    have.clause(),
                    want.clause()
                ),
                hint: "write this migration by hand (autogen revision -m ...), ALTER SEQUENCE"
                    .into(),
            });
        }
    }
    let unused_sequences = cur.sequences.difference(&desired.sequences).count();
    left_alone.add("sequences", unused_sequences);
    Ok(())
}
