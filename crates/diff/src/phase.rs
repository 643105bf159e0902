/// Phases, in the order they run (Prisma's order, with renames first so every later op
/// names things by their new names). Reversing a plan runs them backwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Phase {
    CreateEnums,
    Renames,
    DropForeignKeys,
    DropIndexes,
    CreateTables,
    Columns,
    RecreateEnums,
    DropTables,
    CreateIndexes,
    AddForeignKeys,
    DropEnums,
}

/// Operations as the comparison finds them, each tagged with the phase it runs in.
pub(crate) type PhasedOps = Vec<(Phase, crate::op::Op)>;
