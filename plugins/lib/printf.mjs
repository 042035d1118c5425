// C printf conversions the shipped plugins need to print exactly as QEMU's do.

/**
 * C's "%.<digits>f" of a double. JavaScript's toFixed already works from the exact binary
 * value, but rounds an exact half away from zero where glibc rounds it to even
 * (printf("%.4f", 0.03125) is "0.0312", (0.03125).toFixed(4) is "0.0313").
 * @param {number} x @param {number} digits
 */
export function fixed(x, digits) {
  const twice = x * 10 ** digits * 2;
  if (Number.isInteger(twice) && Math.abs(twice) % 2 === 1 && Math.abs(twice) < 2 ** 52) {
    let n = (Math.abs(twice) - 1) / 2;
    if (n % 2 !== 0) n += 1;
    const s = String(n).padStart(digits + 1, '0');
    return `${x < 0 ? '-' : ''}${digits ? `${s.slice(0, -digits)}.${s.slice(-digits)}` : s}`;
  }
  return x.toFixed(digits);
}
