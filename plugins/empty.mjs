// empty: registers an empty translation callback and nothing else, to measure the bare
// cost of having a plugin loaded (QEMU's tests/tcg/plugins/empty.c).
/** @type {import('./api.js').Install} */
export function install(register, args) {
  const api = register({ apiVersion: 1, name: 'empty', license: 'MIT' });
  args.expectOnly([]);
  api.onTbTrans(() => {});
}
