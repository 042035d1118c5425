// A32 multiply encodings: one row per encoding (name, pattern, translator, disassembly).
import type { InsnRow } from './pattern.js';
import type { ArmContext } from '../translate/context.js';

export const multiplyRows: InsnRow<ArmContext>[] = [];
