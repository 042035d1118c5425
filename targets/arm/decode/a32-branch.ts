// A32 branch encodings: one row per encoding (name, pattern, translator, disassembly).
import type { InsnRow } from './pattern.js';
import type { ArmContext } from '../translate/context.js';

export const branchRows: InsnRow<ArmContext>[] = [];
