// The arguments a plugin receives: QEMU's argv ("name=value" strings, in order) plus
// helpers that parse them the way QEMU's plugins do and fail with one clear line.

/** A bad plugin argument; the host reports it as "plugin NAME: MESSAGE" and exits 1. */
export class PluginArgumentError extends Error {}

const TRUE_WORDS = new Set(['on', 'yes', 'true', 'y']);
const FALSE_WORDS = new Set(['off', 'no', 'false', 'n']);

/** QEMU's qemu_plugin_bool_parse: on/yes/true/y and off/no/false/n, case-sensitive. */
export function parseBool(name: string, value: string | undefined): boolean {
  if (value !== undefined && TRUE_WORDS.has(value)) return true;
  if (value !== undefined && FALSE_WORDS.has(value)) return false;
  throw new PluginArgumentError(`boolean argument parsing failed: ${name}=${value ?? ''} (use on/off, yes/no or true/false)`);
}

export class PluginArgs {
  /** The raw "name=value" strings, in command-line order (QEMU's argv). */
  readonly list: readonly string[];

  constructor(list: readonly string[]) {
    this.list = Object.freeze([...list]);
  }

  /** [name, value] pairs in order. */
  entries(): [string, string][] {
    return this.list.map((item) => {
      const eq = item.indexOf('=');
      return eq < 0 ? [item, ''] : [item.slice(0, eq), item.slice(eq + 1)];
    });
  }

  has(name: string): boolean {
    return this.entries().some(([n]) => n === name);
  }

  /** The last value given for `name`, or undefined. */
  get(name: string): string | undefined {
    return this.all(name).at(-1);
  }

  /** Every value given for a repeatable argument, in order. */
  all(name: string): string[] {
    return this.entries()
      .filter(([n]) => n === name)
      .map(([, v]) => v);
  }

  bool(name: string, fallback: boolean): boolean {
    const v = this.get(name);
    return v === undefined ? fallback : parseBool(name, v);
  }

  /** A non-negative integer (decimal or 0x hex); `fallback` when absent. Negative numbers are refused. */
  int(name: string, fallback: number): number {
    const v = this.get(name);
    if (v === undefined) return fallback;
    if (!/^(0x[0-9a-f]+|[0-9]+)$/i.test(v)) throw new PluginArgumentError(`option parsing failed: ${name}=${v} (expected a non-negative integer, decimal or 0x hex)`);
    return Number(v);
  }

  /** One of `choices`; `fallback` when absent. */
  choice<T extends string>(name: string, choices: readonly T[], fallback: T): T {
    const v = this.get(name);
    if (v === undefined) return fallback;
    if (!(choices as readonly string[]).includes(v)) throw new PluginArgumentError(`option parsing failed: ${name}=${v} (expected ${choices.join(', ')})`);
    return v as T;
  }

  /** Fail on any argument whose name is not in `known` (typos should not pass silently). */
  expectOnly(known: readonly string[]): void {
    for (const [n, v] of this.entries()) {
      if (!known.includes(n)) throw new PluginArgumentError(`option parsing failed: ${n}=${v} (known: ${known.join(', ') || 'none'})`);
    }
  }
}
