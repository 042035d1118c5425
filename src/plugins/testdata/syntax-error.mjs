export function install(register) {
  register({ apiVersion: 1, name: 'broken', license: 'MIT' }
}
