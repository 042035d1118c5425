// A32 data-processing encodings: one row per encoding (name, pattern, translator, disassembly).
import type { InsnRow } from './pattern.js';
import type { ArmContext } from '../translate/context.js';

export const dataProcessingRows: InsnRow<ArmContext>[] = [];
