// The guest's randomness: AT_RANDOM and getrandom(2) draw from one source. By default it is
// the host's CSPRNG; with -seed it is a splitmix64 stream of the seed, so the same seed gives
// the same AT_RANDOM bytes and the same getrandom results run after run (as qemu-arm's
// -seed makes qemu_guest_getrandom deterministic).
import { randomFillSync } from 'node:crypto';

export interface RandomSource {
  /** Fill `out` with the next bytes of the stream. */
  fill(out: Uint8Array): void;
}

export const hostRandom: RandomSource = {
  fill: (out) => {
    randomFillSync(out);
  },
};

const MASK64 = (1n << 64n) - 1n;

export class SeededRandom implements RandomSource {
  private state: bigint;
  /** Bytes of the current 64-bit output not handed out yet. */
  private spare = new Uint8Array(0);

  constructor(seed: bigint) {
    this.state = seed & MASK64;
  }

  private next64(): bigint {
    this.state = (this.state + 0x9e3779b97f4a7c15n) & MASK64;
    let z = this.state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
    return z ^ (z >> 31n);
  }

  fill(out: Uint8Array): void {
    let i = 0;
    while (i < out.length) {
      if (this.spare.length === 0) {
        const word = new Uint8Array(8);
        new DataView(word.buffer).setBigUint64(0, this.next64(), true);
        this.spare = word;
      }
      const n = Math.min(this.spare.length, out.length - i);
      out.set(this.spare.subarray(0, n), i);
      this.spare = this.spare.subarray(n);
      i += n;
    }
  }
}

/** `n` bytes from `source`. */
export function randomBytesFrom(source: RandomSource, n: number): Uint8Array {
  const out = new Uint8Array(n);
  source.fill(out);
  return out;
}
