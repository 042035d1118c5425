// Bit-pattern tables: "cccc 0010 100S nnnn dddd rrrr vvvv vvvv" -> mask/value + named fields.
// '0'/'1' are fixed bits, '-' is a bit the encoding ignores, a letter is a field bit; all bits
// of one letter (even non-adjacent ones) form one field, most significant first.
// The same table drives the decoder, the disassembler and the table tests (STYLE.md rule 1).

export type Fields = Readonly<Record<string, number>>;

export interface DisasmInfo {
  /** Address of the instruction. */
  pc: number;
  thumb: boolean;
  /** Thumb: the condition of an instruction inside an IT block (absent outside IT blocks). */
  itCond?: number;
}

export interface InsnRow<Ctx> {
  /** Handler name: set_mnemonic_form, e.g. 'ADD_imm', 'LDR_reg'. */
  name: string;
  pattern: string;
  /** Emit JS for the instruction; false means UNDEFINED (SIGILL). */
  translate: (ctx: Ctx, f: Fields) => boolean;
  /** Assembler text, e.g. "addeq r0, r1, #4". */
  disasm: (f: Fields, info: DisasmInfo) => string;
  /** CPU feature the encoding needs (else it is UNDEFINED on that model). */
  feature?: string;
}

interface FieldSpec {
  name: string;
  /** Bit positions, most significant first. */
  bits: number[];
}

export interface CompiledRow<Ctx> extends InsnRow<Ctx> {
  mask: number;
  value: number;
  width: number;
  fieldSpecs: FieldSpec[];
  specificity: number;
}

export function compilePattern<Ctx>(row: InsnRow<Ctx>, width = 32): CompiledRow<Ctx> {
  const chars = row.pattern.replace(/\s+/g, '');
  if (chars.length !== width) throw new Error(`pattern for ${row.name} has ${chars.length} bits, want ${width}: ${row.pattern}`);
  let mask = 0;
  let value = 0;
  const fields = new Map<string, number[]>();
  for (let i = 0; i < width; i++) {
    const bit = width - 1 - i;
    const ch = chars[i]!;
    if (ch === '0' || ch === '1') {
      mask |= 1 << bit;
      if (ch === '1') value |= 1 << bit;
    } else if (ch !== '-') {
      if (!/[A-Za-z]/.test(ch)) throw new Error(`bad pattern character '${ch}' in ${row.name}`);
      let bits = fields.get(ch);
      if (!bits) fields.set(ch, (bits = []));
      bits.push(bit);
    }
  }
  const fieldSpecs = [...fields].map(([name, bits]) => ({ name, bits }));
  return { ...row, mask: mask >>> 0, value: value >>> 0, width, fieldSpecs, specificity: popcount(mask) };
}

export function extractFields(row: { fieldSpecs: FieldSpec[] }, insn: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const spec of row.fieldSpecs) {
    let v = 0;
    for (const bit of spec.bits) v = (v * 2) + ((insn >>> bit) & 1);
    out[spec.name] = v;
  }
  return out;
}

export function matches(row: { mask: number; value: number }, insn: number): boolean {
  return ((insn & row.mask) >>> 0) === row.value;
}

function popcount(v: number): number {
  v >>>= 0;
  let n = 0;
  while (v) {
    v &= v - 1;
    n++;
  }
  return n;
}

/** Instruction bits that pick a decoder bucket: the top 12 (32-bit) or 10 (16-bit) bits. */
const BUCKET_BITS = 12;
const BUCKET_BITS_16 = 10;

/**
 * A decoder over a table: rows sorted so the most specific pattern wins (ties keep table
 * order), then a linear scan of the rows that can match the instruction's top bits (its
 * bucket, filled on first use), so translating a block does not walk the whole table per
 * instruction. Translation time only, never on the execution path.
 */
export class Decoder<Ctx> {
  private compiled: CompiledRow<Ctx>[] | undefined;
  private readonly shift: number;
  private readonly buckets: (CompiledRow<Ctx>[] | undefined)[];

  constructor(
    private readonly source: readonly InsnRow<Ctx>[],
    private readonly width = 32,
  ) {
    const bits = width === 16 ? BUCKET_BITS_16 : BUCKET_BITS;
    this.shift = width - bits;
    this.buckets = new Array<CompiledRow<Ctx>[] | undefined>(1 << bits);
  }

  /**
   * The compiled rows, most specific first (stable). Compiled on first use: a program that
   * never enters Thumb state (or never leaves it) does not pay for the other tables at start-up.
   */
  get rows(): CompiledRow<Ctx>[] {
    if (this.compiled) return this.compiled;
    const compiled = this.source.map((r) => compilePattern(r, this.width));
    this.compiled = compiled
      .map((row, i) => ({ row, i }))
      .sort((a, b) => b.row.specificity - a.row.specificity || a.i - b.i)
      .map((x) => x.row);
    return this.compiled;
  }

  /** The rows whose fixed top bits agree with bucket `b`, in table order. */
  private bucket(b: number): CompiledRow<Ctx>[] {
    const top = (b << this.shift) >>> 0;
    const topMask = (-1 << this.shift) >>> 0;
    return (this.buckets[b] = this.rows.filter((row) => ((row.mask & topMask & top) >>> 0) === ((row.value & topMask) >>> 0)));
  }

  decode(insn: number, hasFeature: (f: string) => boolean = () => true): { row: CompiledRow<Ctx>; fields: Record<string, number> } | undefined {
    const b = insn >>> this.shift;
    for (const row of this.buckets[b] ?? this.bucket(b)) {
      if (((insn & row.mask) >>> 0) !== row.value) continue;
      if (row.feature !== undefined && !hasFeature(row.feature)) continue;
      return { row, fields: extractFields(row, insn) };
    }
    return undefined;
  }
}
