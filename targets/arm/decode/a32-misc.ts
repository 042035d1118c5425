// A32 misc encodings: one row per encoding (name, pattern, translator, disassembly).
import type { InsnRow } from './pattern.js';
import type { ArmContext } from '../translate/context.js';

export const miscRows: InsnRow<ArmContext>[] = [];
