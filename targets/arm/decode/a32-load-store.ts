// A32 load-store encodings: one row per encoding (name, pattern, translator, disassembly).
import type { InsnRow } from './pattern.js';
import type { ArmContext } from '../translate/context.js';

export const loadStoreRows: InsnRow<ArmContext>[] = [];
