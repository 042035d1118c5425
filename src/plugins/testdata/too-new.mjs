export function install(register) {
  register({ apiVersion: 99, name: 'too-new', license: 'MIT' });
}
