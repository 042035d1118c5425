// Runtime helpers for the multiply and media classes: small pure functions of int32
// arguments (V8 inlines them into the compiled regions that call them by name).
//
// 64-bit products: Math.imul gives the exact low word; the double product a*b is within
// 2^12 of the true value, so (a*b - lo) / 2^32 is within 2^-20 of the exact high word,
// and rounding recovers it. No BigInt, no 16-bit splitting.
import type { GuestMemory } from '../../../src/memory/guest-memory.js';

const TWO_POW_M32 = 2.3283064365386963e-10; // 2^-32

/** High word of the unsigned 64-bit product of two 32-bit values (as int32). */
export function H_umulh(a: number, b: number): number {
  return Math.round(((a >>> 0) * (b >>> 0) - (Math.imul(a, b) >>> 0)) * TWO_POW_M32) | 0;
}

/** High word of the signed 64-bit product of two 32-bit values. */
export function H_smulh(a: number, b: number): number {
  return Math.round(((a | 0) * (b | 0) - (Math.imul(a, b) >>> 0)) * TWO_POW_M32) | 0;
}

/**
 * SMMUL/SMMLA/SMMLS core: the high word of (acc << 32) + sign * a * b (+ 0x80000000 when
 * rounding), all in 64 bits. sign is 1 or -1.
 */
export function H_smmla(a: number, b: number, acc: number, sign: number, round: number): number {
  let lo = Math.imul(a, b) >>> 0;
  let hi = H_smulh(a, b);
  if (sign < 0) {
    // 64-bit negate
    hi = (~hi + (lo === 0 ? 1 : 0)) | 0;
    lo = -lo >>> 0;
  }
  if (round) hi = (hi + (lo >= 0x80000000 ? 1 : 0)) | 0;
  return (hi + acc) | 0;
}

/** USAD8: sum of the absolute differences of the four unsigned byte pairs. */
export function H_usad8(a: number, b: number): number {
  return (
    Math.abs((a & 0xff) - (b & 0xff)) +
    Math.abs(((a >>> 8) & 0xff) - ((b >>> 8) & 0xff)) +
    Math.abs(((a >>> 16) & 0xff) - ((b >>> 16) & 0xff)) +
    Math.abs((a >>> 24) - (b >>> 24))
  );
}

/** RBIT: reverse the 32 bits. */
export function H_rbit(v: number): number {
  v = ((v >>> 1) & 0x55555555) | ((v & 0x55555555) << 1);
  v = ((v >>> 2) & 0x33333333) | ((v & 0x33333333) << 2);
  v = ((v >>> 4) & 0x0f0f0f0f) | ((v & 0x0f0f0f0f) << 4);
  v = ((v >>> 8) & 0x00ff00ff) | ((v & 0x00ff00ff) << 8);
  return (v >>> 16) | (v << 16);
}

/** Byte mask from the GE bits for SEL: GE[i] set selects byte i of the first operand. */
export function H_geMask(ge: number): number {
  return ((ge & 1) * 0xff) | ((ge & 2) * 0x7f80) | ((ge & 4) * 0x3fc000) | ((ge & 8) * 0x1fe00000);
}

export function mediaHelpers(_mem: GuestMemory): Record<string, unknown> {
  return { H_umulh, H_smulh, H_smmla, H_usad8, H_rbit, H_geMask };
}
