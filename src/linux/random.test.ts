import { describe, expect, it } from 'vitest';
import { SeededRandom, randomBytesFrom } from './random.js';
import { seededRandomBytes } from '../loader/stack.js';

describe('SeededRandom', () => {
  it('is one stream: AT_RANDOM takes its first 16 bytes, getrandom the following ones', () => {
    const a = new SeededRandom(42n);
    const first = randomBytesFrom(a, 16);
    expect(first).toEqual(seededRandomBytes(42n));
    const next = randomBytesFrom(a, 5);
    const b = new SeededRandom(42n);
    const all = randomBytesFrom(b, 21);
    expect(all.subarray(16)).toEqual(next);
  });

  it('differs between seeds and splits reads at any size', () => {
    expect(randomBytesFrom(new SeededRandom(1n), 16)).not.toEqual(randomBytesFrom(new SeededRandom(2n), 16));
    const s = new SeededRandom(7n);
    const parts = [3, 1, 9, 11].map((n) => randomBytesFrom(s, n));
    const whole = randomBytesFrom(new SeededRandom(7n), 24);
    expect(Buffer.concat(parts)).toEqual(Buffer.from(whole));
  });
});
