export function install(register) {
  register({ apiVersion: 1, name: 'thrower', license: 'MIT' });
  throw new Error('cannot open the config');
}
