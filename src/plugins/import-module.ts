// How a plugin module is imported. bin/launch.mjs runs the program as a script from V8's
// code cache, and in Node 20 a script restored from a code cache cannot import() (V8
// drops the callback: "A dynamic import callback was not specified"), so the launcher, an
// ES module, lends its own import() under this symbol. Run as an ES module, the bundle
// imports directly.
const LENT_IMPORT = Symbol.for('tsqemu.importModule');

export function importModule(url: string): Promise<unknown> {
  const lent = (globalThis as Record<symbol, unknown>)[LENT_IMPORT] as ((url: string) => Promise<unknown>) | undefined;
  return lent ? lent(url) : import(url);
}
