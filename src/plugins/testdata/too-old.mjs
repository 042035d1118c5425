export function install(register) {
  register({ apiVersion: 0, name: 'too-old', license: 'MIT' });
}
