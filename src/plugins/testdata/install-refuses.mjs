export function install(register) {
  register({ apiVersion: 1, name: 'refuser', license: 'MIT' });
  return -1;
}
