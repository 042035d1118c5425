// The opcode column QEMU's execlog and howvec print: the first (up to) 4 bytes of the
// instruction as a little-endian word, so a 32-bit Thumb instruction shows its first
// halfword in the low 16 bits and a 16-bit one has zeros above.
/** @param {Uint8Array} bytes */
export function insnWord(bytes) {
  let w = 0;
  for (let i = Math.min(bytes.length, 4) - 1; i >= 0; i--) w = (w << 8) | bytes[i];
  return w >>> 0;
}
