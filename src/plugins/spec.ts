// `-plugin` / QEMU_PLUGIN values -> the plugins to load and their arguments, with QEMU's
// QemuOpts rules: `[file=]PATH[,name=value...]`, `,,` is a literal comma, a bare `flag`
// means `flag=on` and `noflag` means `flag=off`, the old `arg=X` form means `X=on` (or X
// itself when it has a '='), another `file=` starts another plugin, and the same file
// given twice is one plugin whose arguments add up.
import { BadOptionValueError } from '../errors.js';

export interface PluginSpec {
  /** The plugin as typed: a path, or the name of a shipped plugin. */
  file: string;
  /** "name=value" strings in command-line order, as the plugin receives them. */
  args: string[];
}

/** Split at single commas; `,,` stands for a comma inside an item. */
export function splitOptionList(text: string): string[] {
  const items: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== ',') current += c;
    else if (text[i + 1] === ',') {
      current += ',';
      i++;
    } else {
      items.push(current);
      current = '';
    }
  }
  items.push(current);
  return items;
}

/** One item after the path, normalised to "name=value". */
function normaliseArg(item: string): string {
  const eq = item.indexOf('=');
  if (eq < 0) return item.startsWith('no') && item.length > 2 ? `${item.slice(2)}=off` : `${item}=on`;
  if (item.slice(0, eq) === 'arg') {
    const value = item.slice(eq + 1);
    return value.includes('=') ? value : `${value}=on`;
  }
  return item;
}

/** Parse every -plugin value (environment first, then the command line, in order). */
export function parsePluginSpecs(values: readonly string[]): PluginSpec[] {
  const byFile = new Map<string, PluginSpec>();
  for (const value of values) {
    let current: PluginSpec | undefined;
    splitOptionList(value).forEach((item, position) => {
      if (item === '') return;
      const eq = item.indexOf('=');
      const key = eq < 0 ? undefined : item.slice(0, eq);
      let file: string | undefined;
      if (key === 'file') {
        file = item.slice(eq + 1);
        if (file === '') throw new BadOptionValueError(`-plugin ${value}: 'file=' requires a non-empty argument`);
      } else if (position === 0 && eq < 0) {
        file = item;
      }
      if (file !== undefined) {
        current = byFile.get(file);
        if (!current) byFile.set(file, (current = { file, args: [] }));
        return;
      }
      if (!current) throw new BadOptionValueError(`-plugin ${value}: no plugin given before '${item}' (use -plugin FILE[,name=value...] or file=FILE)`);
      current.args.push(normaliseArg(item));
    });
    if (!current) throw new BadOptionValueError(`-plugin '${value}': no plugin given (use -plugin FILE[,name=value...])`);
  }
  return [...byFile.values()];
}
