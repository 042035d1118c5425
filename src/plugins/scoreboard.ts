// Per-vCPU counters (QEMU's scoreboards). A scoreboard holds some named number fields for
// every vCPU, laid out as one Float64Array: entry (vcpu, field) is at vcpu * fields + field.
// Compiled code adds to these arrays directly (inline ops), so counting costs no call.
// Float64 counts stay exact up to 2^53, far beyond any run's instruction count.

/** The store every scoreboard's array lives in; compiled code reads `PLG_sb[id]`. */
export class ScoreboardStore {
  /** Indexed by scoreboard id; null once freed. */
  readonly arrays: (Float64Array | null)[] = [];
  /** vCPU slots every array has room for; grows (and the host flushes code) as vCPUs appear. */
  capacity = 8;
  private readonly boards = new Map<number, Scoreboard>();

  create(fieldNames: readonly string[]): Scoreboard {
    const id = this.arrays.length;
    this.arrays.push(new Float64Array(this.capacity * fieldNames.length));
    const board = new Scoreboard(this, id, fieldNames);
    this.boards.set(id, board);
    return board;
  }

  free(id: number): void {
    this.arrays[id] = null;
    this.boards.delete(id);
  }

  /** Make room for vCPU `index`; true when arrays were replaced (compiled code must be flushed). */
  ensureVcpu(index: number): boolean {
    if (index < this.capacity) return false;
    let capacity = this.capacity;
    while (capacity <= index) capacity *= 2;
    for (const board of this.boards.values()) {
      const old = this.arrays[board.id]!;
      const grown = new Float64Array(capacity * board.fields.length);
      grown.set(old);
      this.arrays[board.id] = grown;
    }
    this.capacity = capacity;
    return true;
  }
}

/**
 * One field of a scoreboard across all vCPUs: what inline ops and conditions act on.
 * Plugins call get/add from callbacks that may run for every instruction, so these reach
 * the array in a few loads, with no further calls.
 */
export class Counter {
  /** Fields per vCPU in the scoreboard's array. */
  private readonly stride: number;
  private readonly arrays: (Float64Array | null)[];
  private readonly id: number;

  constructor(
    readonly scoreboard: Scoreboard,
    readonly field: number,
    store: ScoreboardStore,
  ) {
    this.stride = scoreboard.fields.length;
    this.arrays = store.arrays;
    this.id = scoreboard.id;
  }

  get name(): string {
    return this.scoreboard.fields[this.field]!;
  }

  /** Index of (vcpu, this field) in the scoreboard's array. */
  index(vcpu: number): number {
    return vcpu * this.stride + this.field;
  }

  private array(): Float64Array {
    const a = this.arrays[this.id];
    if (!a) throw new TypeError('scoreboard was freed');
    return a;
  }

  get(vcpu: number): number {
    return this.array()[vcpu * this.stride + this.field] ?? 0;
  }

  set(vcpu: number, value: number): void {
    this.array()[vcpu * this.stride + this.field] = value;
  }

  add(vcpu: number, value: number): void {
    const a = this.array();
    const i = vcpu * this.stride + this.field;
    a[i] = a[i]! + value;
  }

  /** The total over every vCPU (QEMU's qemu_plugin_u64_sum). */
  sum(): number {
    const a = this.array();
    let total = 0;
    for (let i = this.field; i < a.length; i += this.stride) total += a[i]!;
    return total;
  }
}

export class Scoreboard {
  readonly fields: readonly string[];
  private readonly counters: Counter[];

  constructor(
    private readonly store: ScoreboardStore,
    readonly id: number,
    fieldNames: readonly string[],
  ) {
    this.fields = Object.freeze([...fieldNames]);
    this.counters = this.fields.map((_, i) => new Counter(this, i, store));
  }

  /** The field called `name` (the first field when omitted). */
  counter(name?: string): Counter {
    const i = name === undefined ? 0 : this.fields.indexOf(name);
    if (i < 0) throw new TypeError(`scoreboard has no field '${name}' (fields: ${this.fields.join(', ')})`);
    return this.counters[i]!;
  }

  array(): Float64Array {
    const a = this.store.arrays[this.id];
    if (!a) throw new TypeError('scoreboard was freed');
    return a;
  }

  get freed(): boolean {
    return !this.store.arrays[this.id];
  }
}
