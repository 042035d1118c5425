// A set-associative cache model for the `cache` plugin: tags only (no data), allocate on
// every miss, and one of three replacement policies once a set is full:
//   lru  - the block used longest ago (hits and fills both count as a use),
//   fifo - the block filled longest ago (hits do not matter): round robin over the ways,
//   rand - a way drawn from a seeded pseudo-random sequence (the same run, the same result).
// Invalid ways are filled first, lowest way first, as in QEMU's contrib/plugins/cache.c.

export const POLICIES = /** @type {const} */ (['lru', 'fifo', 'rand']);

/** @param {number} n */
const isPowerOfTwo = (n) => n > 0 && (n & (n - 1)) === 0;

/**
 * Why `size`/`blksize`/`assoc` cannot make a cache, or undefined when they can. The two
 * divisibility rules are QEMU's messages; QEMU also needs a power-of-two block size (it
 * aborts on an assertion otherwise) and a power-of-two number of sets (its set mask is
 * wrong otherwise), which tsqemu refuses with a message instead.
 * @param {number} size @param {number} blksize @param {number} assoc
 */
export function geometryError(size, blksize, assoc) {
  if (!(size > 0) || !(blksize > 0) || !(assoc > 0)) return 'cache size, block size and associativity must be positive';
  if (size % blksize !== 0) return 'cache size must be divisible by block size';
  if (size % (blksize * assoc) !== 0) return 'cache size must be divisible by set size (assoc * block size)';
  if (!isPowerOfTwo(blksize)) return 'block size must be a power of two';
  if (!isPowerOfTwo(size / (blksize * assoc))) return 'number of sets (cache size / (assoc * block size)) must be a power of two';
  return undefined;
}

/**
 * A deterministic generator of 32-bit unsigned integers (xorshift32 after a splitmix-style
 * scramble of the seed, so that small seeds give unrelated sequences).
 * @param {number} seed
 */
export function seededRandom(seed) {
  let s = Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  s = (s ^ (s >>> 13)) >>> 0;
  if (s === 0) s = 0x6d2b79f5;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

export class Cache {
  /**
   * @param {{ size: number, blksize: number, assoc: number }} geometry (checked: see geometryError)
   * @param {'lru' | 'fifo' | 'rand'} policy
   * @param {() => number} [random] 32-bit unsigned integers, for 'rand'
   */
  constructor({ size, blksize, assoc }, policy = 'lru', random = seededRandom(1)) {
    const error = geometryError(size, blksize, assoc);
    if (error) throw new Error(error);
    if (!POLICIES.includes(policy)) throw new Error(`unknown eviction policy ${policy}`);
    this.size = size;
    this.blksize = blksize;
    this.assoc = assoc;
    this.numSets = size / (blksize * assoc);
    this.policy = policy;
    this.random = random;
    this.accesses = 0;
    this.misses = 0;
    /** Block number (address / blksize) held by each way, set by set; -1 = invalid. */
    this.blocks = new Float64Array(this.numSets * assoc).fill(-1);
    /** Ways in use per set (filled in order, never invalidated). */
    this.filled = new Int32Array(this.numSets);
    /** lru: last use of each way (a counter that grows with every access). */
    this.lastUse = policy === 'lru' ? new Float64Array(this.numSets * assoc) : null;
    /** fifo: the way to replace next in each full set. */
    this.nextVictim = policy === 'fifo' ? new Int32Array(this.numSets) : null;
    this.clock = 0;
  }

  /**
   * One access to the byte at `address` (an unsigned 32-bit guest address): true on a hit;
   * a miss brings the block in. Counts accesses and misses.
   * @param {number} address
   */
  access(address) {
    this.accesses++;
    const block = Math.floor(address / this.blksize);
    const set = block % this.numSets;
    const assoc = this.assoc;
    const base = set * assoc;
    const blocks = this.blocks;
    const filled = this.filled[set];
    for (let way = 0; way < filled; way++) {
      if (blocks[base + way] === block) {
        if (this.lastUse) this.lastUse[base + way] = ++this.clock;
        return true;
      }
    }
    this.misses++;
    let victim;
    if (filled < assoc) {
      victim = filled;
      this.filled[set] = filled + 1;
    } else if (this.lastUse) {
      victim = 0;
      for (let way = 1; way < assoc; way++) if (this.lastUse[base + way] < this.lastUse[base + victim]) victim = way;
    } else if (this.nextVictim) {
      victim = this.nextVictim[set];
      this.nextVictim[set] = (victim + 1) % assoc;
    } else {
      victim = this.random() % assoc;
    }
    blocks[base + victim] = block;
    if (this.lastUse) this.lastUse[base + victim] = ++this.clock;
    return false;
  }
}
