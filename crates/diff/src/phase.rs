/// Phases, in the order they run (Prisma's order, with renames first so every later op
/// names things by their new names). Reversing a plan runs them backwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Phase {
    CreateEnums,
    Renames,
    /// Routines that need no table: before the defaults and CHECKs that may call them.
    CreateRoutines,
    /// Views and triggers going, or in the way of a change to what they read.
    DropObjects,
    DropForeignKeys,
    DropIndexes,
    CreateTables,
    Columns,
    RecreateEnums,
    DropTables,
    DropRoutines,
    CreateIndexes,
    AddForeignKeys,
    /// Views, triggers, and routines that need a table, in dependency order.
    CreateObjects,
    DropEnums,
}

/// Operations as the comparison finds them, each tagged with the phase it runs in.
pub(crate) type PhasedOps = Vec<(Phase, crate::op::Op)>;
