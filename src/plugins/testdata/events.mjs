// Test plugin: counts vCPU inits/exits (guest threads) and discontinuities (signal delivery
// and return) and prints them at exit, one line each.
export function install(register) {
  const api = register({ apiVersion: 1, name: 'events', license: 'MIT' });
  const vcpus = new Set();
  let inits = 0;
  let exits = 0;
  const discon = { interrupt: 0, exception: 0, hostcall: 0 };
  let badPc = 0;
  api.onVcpuInit((vcpu) => {
    inits++;
    vcpus.add(vcpu);
  });
  api.onVcpuExit(() => exits++);
  api.onDiscontinuity('all', (vcpu, type, from, to) => {
    discon[type]++;
    if (!vcpus.has(vcpu) || from === to || to === 0) badPc++;
  });
  api.onExit(() => {
    api.outs(`vcpu: inits=${inits} exits=${exits} distinct=${vcpus.size}\n`);
    api.outs(`discon: interrupt=${discon.interrupt} exception=${discon.exception} hostcall=${discon.hostcall} bad=${badPc}\n`);
  });
}
