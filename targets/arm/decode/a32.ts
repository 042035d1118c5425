// The A32 (ARM state) instruction table, assembled from one row list per instruction class.
// Rows whose pattern starts with 1111 form the unconditional space; all others apply when
// cond != 1111 (the block translator wraps them in the condition test).
import { Decoder, type InsnRow } from './pattern.js';
import type { ArmContext } from '../translate/context.js';
import { dataProcessingRows } from './a32-data-processing.js';
import { branchRows } from './a32-branch.js';
import { loadStoreRows } from './a32-load-store.js';
import { miscRows } from './a32-misc.js';
import { multiplyRows } from './a32-multiply.js';
import { mediaRows } from './a32-media.js';
import { vfpRows } from './vfp.js';

export const a32Rows: readonly InsnRow<ArmContext>[] = [
  ...dataProcessingRows,
  ...branchRows,
  ...loadStoreRows,
  ...miscRows,
  ...multiplyRows,
  ...mediaRows,
  ...vfpRows,
];

const isUnconditional = (r: InsnRow<ArmContext>) => r.pattern.replace(/\s+/g, '').startsWith('1111');

export const a32Decoder = new Decoder(a32Rows.filter((r) => !isUnconditional(r)));
export const a32Unconditional = new Decoder(a32Rows.filter(isUnconditional));
