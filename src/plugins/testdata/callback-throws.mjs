export function install(register) {
  const api = register({ apiVersion: 1, name: 'cbthrow', license: 'MIT' });
  api.onTbTrans((tb) => tb.onExec(() => { throw new Error('boom'); }));
}
